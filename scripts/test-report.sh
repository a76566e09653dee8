#!/usr/bin/env bash
# The site of `newsmark report` in a real browser (docs/report.md): Debian's
# Chromium, headless, driven by playwright-core, with axe-core for
# accessibility (both pinned in tests/report/package-lock.json).
#
#   scripts/test-report.sh          write the example corpus's report, test it,
#                                   and refresh the screenshots in docs/
#   scripts/test-report.sh --setup  install the tools, run nothing
#
# The binary comes from NEWSMARK_BIN (default target/debug/newsmark). npm
# packages go to tests/report/node_modules (gitignored); the site and the
# JSON it is compared with to target/report-test/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEWSMARK_BIN="${NEWSMARK_BIN:-$ROOT/target/debug/newsmark}"
case "$NEWSMARK_BIN" in /*) ;; *) NEWSMARK_BIN="$ROOT/$NEWSMARK_BIN" ;; esac
TEST="$ROOT/tests/report"
WORK="$ROOT/target/report-test"

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\nERROR: %s\n' "$*" >&2
  exit 1
}

step "Debian's chromium"
if ! command -v chromium >/dev/null; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install chromium"
    sudo=(sudo)
  fi
  apt_install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
  # The package lists of a fresh machine may be stale or empty.
  apt_install || { "${sudo[@]}" apt-get update && apt_install; }
fi
chromium --version

step "npm ci in tests/report (skipped when package-lock.json is unchanged)"
stamp="$TEST/node_modules/.newsmark-package-lock"
if [ -f "$stamp" ] && cmp -s "$TEST/package-lock.json" "$stamp"; then
  echo "node_modules is up to date"
else
  (cd "$TEST" && npm ci --no-audit --no-fund)
  cp "$TEST/package-lock.json" "$stamp"
fi

[ "${1:-}" = --setup ] && exit 0
[ -x "$NEWSMARK_BIN" ] || die "server binary not found: $NEWSMARK_BIN (cargo build -p newsmark, or set NEWSMARK_BIN)"

step "newsmark report examples, stats and graph as JSON"
rm -rf "$WORK"
mkdir -p "$WORK"
(cd "$ROOT/examples" && "$NEWSMARK_BIN" report . --out "$WORK/site")
(cd "$ROOT/examples" && "$NEWSMARK_BIN" stats --format json . >"$WORK/stats.json")
(cd "$ROOT/examples" && "$NEWSMARK_BIN" graph --format json . >"$WORK/graph.json")

step "the site in headless Chromium"
(cd "$TEST" && REPORT_DIR="$WORK/site" STATS_JSON="$WORK/stats.json" GRAPH_JSON="$WORK/graph.json" \
  SCREENSHOTS="$ROOT/docs" npm test --silent)
