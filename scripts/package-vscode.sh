#!/usr/bin/env bash
# Packages a platform-specific VS Code extension (.vsix) with a release build
# of the server bundled at editors/vscode/bundled/newsmark(.exe).
#
#   scripts/package-vscode.sh [TARGET]
#
# TARGET is a VS Code platform: linux-x64, linux-arm64, linux-armhf,
# alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64.
# Default: the platform of this machine. The server is built for the matching
# Rust target (musl for alpine-*); cross targets need that Rust target
# installed (rustup target add …) and a linker for it.
#
# Without TARGET's server, `npx vsce package --no-dependencies` in
# editors/vscode makes the universal .vsix that finds the server on PATH.
#
# Output: target/editors/newsmark-<version>-<TARGET>.vsix
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
  *) echo "unknown VS Code target: $TARGET" >&2; exit 2 ;;
esac
EXE=newsmark
case "$TARGET" in win32-*) EXE=newsmark.exe ;; esac

echo "==> cargo build --release -p newsmark --target $RUST_TARGET"
(cd "$ROOT" && cargo build --release --locked -p newsmark --target "$RUST_TARGET")

echo "==> bundling the server into editors/vscode/bundled/"
rm -rf "$VSCODE/bundled"
mkdir -p "$VSCODE/bundled"
cp "$ROOT/target/$RUST_TARGET/release/$EXE" "$VSCODE/bundled/$EXE"
chmod +x "$VSCODE/bundled/$EXE"

echo "==> vsce package --target $TARGET"
(cd "$VSCODE" && { [ -d node_modules ] || npm ci --no-audit --no-fund; })
version="$(node -p "require('$VSCODE/package.json').version")"
mkdir -p "$ROOT/target/editors"
out="$ROOT/target/editors/newsmark-$version-$TARGET.vsix"
(cd "$VSCODE" && npx vsce package --no-dependencies --target "$TARGET" -o "$out")
rm -rf "$VSCODE/bundled"
echo "$out"
