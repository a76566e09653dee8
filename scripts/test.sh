#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine that has the Rust toolchain.
# It installs what the tests need into the project (npm packages for the VS
# Code extension, Node.js 24 and code-server, a Python venv with a current
# Neovim, the agreement measures' reference implementations and the
# export formats' consumers);
# system-wide only Debian's chromium, libkrb5-dev and build tools when
# missing (scripts/install-code-server.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "formatting (cargo fmt)"
cargo fmt --all -- --check

step "lints (cargo clippy -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests: grammar corpus, syntax, analysis, CLI and LSP end to end"
cargo test --workspace --locked

if command -v tree-sitter >/dev/null 2>&1; then
  step "tree-sitter CLI found: regenerate the parser and run its corpus"
  scripts/generate-grammar.sh
  (cd grammar && tree-sitter test)
else
  step "tree-sitter CLI not installed: the corpus ran through cargo test above"
fi

# cargo test built the binary for the end-to-end tests; building it again
# here would recompile its dependencies with other features.
test -x target/debug/newsmark || { echo "target/debug/newsmark is missing" >&2; exit 1; }

step "agreement measures against krippendorff, nltk and statsmodels (PyPI, in .venv)"
NEWSMARK_BIN="$PWD/target/debug/newsmark" scripts/test-agreement-reference.sh

step "export formats read by pyld, label-studio-sdk and dkpro-cassis; offsets checked in each format's unit (PyPI, in .venv)"
NEWSMARK_BIN="$PWD/target/debug/newsmark" scripts/test-interop-reference.sh

step "newsmark report in headless Chromium: pages, numbers, clicks, axe-core (npm, in tests/report)"
NEWSMARK_BIN="$PWD/target/debug/newsmark" scripts/test-report.sh

step "editor integrations: VS Code and Neovim against the real server"
NEWSMARK_BIN="$PWD/target/debug/newsmark" scripts/test-editors.sh

step "all tests passed"
