#!/usr/bin/env bash
# The boundary benchmark of BENCHMARKS.md ("WebAssembly"): builds the module with the
# benchmark-only `evalRepeat`, compiles the pricing rule with pmc, times evaluation from
# JavaScript in Node, then the same loop natively (examples/native_eval.rs). Not run in CI
# (it asserts answers, never times).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -d ../test/node_modules/binaryen ] || (cd ../test && npm ci --no-audit --no-fund)
../build.sh --bench "$work/pkg"
cargo build --locked -q -p pmc
"$target_dir/debug/pmc" build pricing -o "$work/pricing.pmb"
node eval.mjs "$work/pkg" "$work/pricing.pmb"
cargo run --locked -q --release -p pm-vm-wasm --example native_eval -- "$work/pricing.pmb"
