#!/usr/bin/env bash
# Tests of the JavaScript binding: installs the test dependencies (npm ci: binaryen, which
# ../build.sh uses, TypeScript, playwright-core), builds the package (../build.sh) and pmc,
# type-checks a host against the package's TypeScript declarations (tsc) and runs the Node and
# headless-Chromium tests with node's test runner. With CI set, a missing chromium or
# playwright-core fails the run.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
[ -d node_modules/binaryen ] || npm ci --no-audit --no-fund
../build.sh
cargo build --locked -q -p pmc
export PMC=$target_dir/debug/pmc
node_modules/.bin/tsc -p tsconfig.json
node --test node.test.mjs browser.test.mjs
