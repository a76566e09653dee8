#!/usr/bin/env bash
# Packages the VS Code extension (.vsix).
#
#   scripts/package-vscode.sh [TARGET]
#
# TARGET is a VS Code platform: linux-x64, linux-arm64, linux-armhf,
# alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64;
# the .vsix for it has a release build of the server bundled at
# editors/vscode/bundled/newsmark(.exe). Default: the platform of this
# machine. The server is built for the matching Rust target (musl for
# alpine-*); cross targets need that Rust target installed (rustup target
# add …) and a linker for it.
#
# NEWSMARK_BUNDLE=PATH bundles that server binary (for TARGET, built
# already) instead of building one, into a package of its own folder: the tests bundle their debug build
# rather than spend minutes on a release build nobody downloads.
#
# TARGET `universal` packages the extension without a server: it finds one
# through its setting, NEWSMARK_SERVER_PATH or PATH (docs/editors.md).
#
# Output: target/editors/newsmark-<version>-<TARGET>.vsix, or with
# NEWSMARK_BUNDLE target/editors/bundled/newsmark-<version>-<TARGET>.vsix
# (so a test package is never taken for a release one).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VSCODE="$ROOT/editors/vscode"

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) os=win32 ;;
    *) echo "unknown OS $(uname -s); pass TARGET" >&2; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l) arch=armhf ;;
    *) echo "unknown CPU $(uname -m); pass TARGET" >&2; exit 2 ;;
  esac
  if [ "$os" = linux ] && [ -e /etc/alpine-release ]; then os=alpine; fi
  echo "$os-$arch"
}

TARGET="${1:-$(host_target)}"
case "$TARGET" in
  linux-x64) RUST_TARGET=x86_64-unknown-linux-gnu ;;
  linux-arm64) RUST_TARGET=aarch64-unknown-linux-gnu ;;
  linux-armhf) RUST_TARGET=armv7-unknown-linux-gnueabihf ;;
  alpine-x64) RUST_TARGET=x86_64-unknown-linux-musl ;;
  alpine-arm64) RUST_TARGET=aarch64-unknown-linux-musl ;;
  darwin-x64) RUST_TARGET=x86_64-apple-darwin ;;
  darwin-arm64) RUST_TARGET=aarch64-apple-darwin ;;
  win32-x64) RUST_TARGET=x86_64-pc-windows-msvc ;;
  win32-arm64) RUST_TARGET=aarch64-pc-windows-msvc ;;
  universal) RUST_TARGET= ;;
  *) echo "unknown VS Code target: $TARGET" >&2; exit 2 ;;
esac

# Builds the server for TARGET and puts it in editors/vscode/bundled/.
bundle_server() {
  EXE=newsmark
  case "$TARGET" in win32-*) EXE=newsmark.exe ;; esac

  # The host's own target builds into target/release, shared with
  # `cargo build --release`; another target gets a folder of its own.
  HOST_TARGET="$(rustc -vV | sed -n 's/^host: //p')"
  if [ "$RUST_TARGET" = "$HOST_TARGET" ]; then
    target_args=()
    built="$ROOT/target/release/$EXE"
  else
    target_args=(--target "$RUST_TARGET")
    built="$ROOT/target/$RUST_TARGET/release/$EXE"
  fi
  if [ -n "${NEWSMARK_BUNDLE:-}" ]; then
    built="$NEWSMARK_BUNDLE"
  else
    echo "==> cargo build --release -p newsmark ${target_args[*]}"
    (cd "$ROOT" && cargo build --release --locked -p newsmark "${target_args[@]}")
  fi

  echo "==> bundling the server into editors/vscode/bundled/"
  rm -rf "$VSCODE/bundled"
  mkdir -p "$VSCODE/bundled"
  cp "$built" "$VSCODE/bundled/$EXE"
  chmod +x "$VSCODE/bundled/$EXE"
  # Users download it: without debug symbols it is a sixth of the size.
  # The host's strip knows only the host's format.
  if [ "$RUST_TARGET" = "$HOST_TARGET" ] && command -v strip >/dev/null; then
    strip "$VSCODE/bundled/$EXE"
  fi
  ls -l "$VSCODE/bundled/$EXE"
}

rm -rf "$VSCODE/bundled"
trap 'rm -rf "$VSCODE/bundled"' EXIT
target_flag=()
if [ "$TARGET" != universal ]; then
  bundle_server
  target_flag=(--target "$TARGET")
fi

echo "==> vsce package ($TARGET)"
(cd "$VSCODE" && { [ -d node_modules ] || npm ci --no-audit --no-fund; })
version="$(node -p "require('$VSCODE/package.json').version")"
outdir="$ROOT/target/editors${NEWSMARK_BUNDLE:+/bundled}"
mkdir -p "$outdir"
out="$outdir/newsmark-$version-$TARGET.vsix"
# The repository's LICENSE goes into the package (a copy: a link would not
# survive a checkout without symlinks).
cp "$ROOT/LICENSE" "$VSCODE/LICENSE"
# vsce's warnings are things a user of the package would meet (a missing
# LICENSE, repository or icon …): treat them as errors.
log="$(mktemp)"
trap 'rm -f "$log" "$VSCODE/LICENSE"; rm -rf "$VSCODE/bundled"' EXIT
(cd "$VSCODE" && npx vsce package --no-dependencies "${target_flag[@]}" -o "$out") 2>&1 | tee "$log"
if grep -q 'WARNING' "$log"; then
  echo "vsce package warned (above); fix it" >&2
  exit 1
fi
echo "$out"
