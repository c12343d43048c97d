#!/usr/bin/env bash
# Builds the npm package folder bindings/wasm/pkg from the Rust sources:
#   pkg/web/   ES module for browsers and bundlers (call the default export, `init`, once)
#   pkg/node/  CommonJS module for Node (ready on `require`/`import`)
# each with pm_vm.js, pm_vm.d.ts and pm_vm_bg.wasm. Only pkg/package.json is committed; the
# rest is generated here (CI runs this script).
#
# Usage: build.sh              the package
#        build.sh --bench DIR  a build with the benchmark-only `evalRepeat` into DIR (nodejs)
#
# Needs: rustup target wasm32-unknown-unknown, and wasm-bindgen-cli of exactly the version of
# the `wasm-bindgen` crate in Cargo.lock (cargo install wasm-bindgen-cli --version =VERSION).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}

features=()
bench_dir=
if [ "${1:-}" = "--bench" ]; then
    bench_dir=${2:?usage: build.sh --bench DIR}
    features=(--features bench)
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }') || true
if [ "$have" != "$want" ]; then
    echo "build.sh: wasm-bindgen-cli $want is needed (found: ${have:-none});" \
        "cargo install wasm-bindgen-cli --version =$want" >&2
    exit 1
fi

cargo build --locked -q -p pm-vm-wasm "${features[@]}" --target wasm32-unknown-unknown --profile wasm-release
module=$target_dir/wasm32-unknown-unknown/wasm-release/pm_vm_wasm.wasm

if [ -n "$bench_dir" ]; then
    rm -rf "$bench_dir"
    wasm-bindgen --target nodejs --out-dir "$bench_dir" --out-name pm_vm "$module"
    echo '{ "type": "commonjs" }' >"$bench_dir/package.json"
    exit 0
fi

rm -rf pkg/web pkg/node
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir pkg/web --out-name pm_vm "$module"
wasm-bindgen --target nodejs --remove-name-section --remove-producers-section --out-dir pkg/node --out-name pm_vm "$module"
# The package is "type": "module"; the Node build is CommonJS.
echo '{ "type": "commonjs" }' >pkg/node/package.json
cp README.md pkg/README.md
echo "pkg/web/pm_vm_bg.wasm: $(wc -c <pkg/web/pm_vm_bg.wasm) bytes"
