#!/usr/bin/env bash
# Regenerates grammar/src from grammar/grammar.js and fails if the result
# differs from what is committed. Needs the tree-sitter CLI 0.27
# (`cargo install tree-sitter-cli --locked`; the npm package downloads a
# binary and does not work offline).
set -euo pipefail
cd "$(dirname "$0")/../grammar"
if ! command -v tree-sitter >/dev/null 2>&1; then
  echo "tree-sitter CLI not found: install it with 'cargo install tree-sitter-cli --locked'" >&2
  exit 1
fi
tree-sitter generate
if ! git diff --exit-code --stat -- src/; then
  echo "grammar/src is out of date: commit the regenerated files" >&2
  exit 1
fi
echo "grammar/src matches grammar.js"
