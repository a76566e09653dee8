#!/usr/bin/env bash
# Reads `newsmark export`'s interchange formats with real consumers from
# PyPI (pinned in tests/reference/requirements*.txt, installed into the
# project's .venv): pyld expands the Web Annotation JSON-LD (with the W3C
# context vendored in tests/reference/anno.jsonld: there is no network),
# label-studio-sdk validates the Label Studio tasks against the labeling
# config written with them, and every span of every format slices its text
# to the span's text in the unit the format states.
#
#   scripts/test-interop-reference.sh    needs target/debug/newsmark
#                                        (or NEWSMARK_BIN)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEWSMARK_BIN="${NEWSMARK_BIN:-$ROOT/target/debug/newsmark}"
if [ ! -x "$NEWSMARK_BIN" ]; then
  echo "server binary not found or not executable: $NEWSMARK_BIN (cargo build -p newsmark)" >&2
  exit 1
fi
# shellcheck source=scripts/reference-venv.sh
source "$ROOT/scripts/reference-venv.sh"
"$VENV_PYTHON" "$ROOT/tests/reference/interop.py" "$NEWSMARK_BIN"
