#!/usr/bin/env bash
# Tests of the JavaScript binding: builds the package (../build.sh) and pmc, installs the
# test dependencies (npm ci), type-checks a host against the package's TypeScript
# declarations (tsc) and runs the Node and headless-Chromium tests with node's test runner. With CI set, a missing chromium or playwright-core fails the run.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
../build.sh
cargo build --locked -q -p pmc
export PMC=$target_dir/debug/pmc
[ -d node_modules/typescript ] || npm ci --no-audit --no-fund
node_modules/.bin/tsc -p tsconfig.json
node --test node.test.mjs browser.test.mjs
