# Sourced by the scripts that check newsmark against reference
# implementations from PyPI: creates the project's .venv (the one
# scripts/test-editors.sh uses) and installs tests/reference's pinned
# requirements, again only when the pins change. Sets ROOT, NEWSMARK_BIN
# (the server binary to check) and VENV_PYTHON.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEWSMARK_BIN="${NEWSMARK_BIN:-$ROOT/target/debug/newsmark}"
if [ ! -x "$NEWSMARK_BIN" ]; then
  echo "server binary not found or not executable: $NEWSMARK_BIN (cargo build -p newsmark)" >&2
  exit 1
fi
VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/tests/reference/requirements.txt"
NO_DEPS="$ROOT/tests/reference/requirements-no-deps.txt"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
stamp="$VENV/.newsmark-reference-requirements"
if ! cat "$REQUIREMENTS" "$NO_DEPS" | cmp -s - "$stamp"; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$NO_DEPS"
  cat "$REQUIREMENTS" "$NO_DEPS" >"$stamp"
fi
VENV_PYTHON="$VENV/bin/python"
