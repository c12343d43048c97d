#!/usr/bin/env bash
# The size budget of the SDK library (BENCHMARKS.md, "Size of the VM library"): builds the
# x86_64 Linux libraries with vm/sdk/build.sh, fails when the shared library, stripped,
# exceeds PM_SIZE_BUDGET bytes (default 450000), and checks that the SDK build works: the
# reference host (vm/examples/host), linked with the SDK static library, plays its session.
set -euo pipefail
cd "$(dirname "$0")/../.."

budget="${PM_SIZE_BUDGET:-450000}"
target=x86_64-unknown-linux-gnu
vm/sdk/build.sh "$target"
out="${CARGO_TARGET_DIR:-target}/$target/sdk"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The profile strips already; strip(1) again so the figure is the one BENCHMARKS.md compares.
strip -o "$scratch/libpm_vm.so" "$out/libpm_vm.so"
size=$(wc -c <"$scratch/libpm_vm.so")
echo "libpm_vm.so ($target, SDK build, stripped): $size bytes; budget $budget bytes"
if [ "$size" -gt "$budget" ]; then
    echo "over budget by $((size - budget)) bytes; largest sections:" >&2
    size -A "$scratch/libpm_vm.so" | sort -k2 -n -r | head -8 >&2
    exit 1
fi

gcc -std=c11 -Wall -Wextra -Werror -pedantic -Ivm/include -o "$scratch/host" \
    vm/examples/host/host.c vm/examples/host/render.c "$out/libpm_vm.a" -lpthread -ldl -lm
cp vm/tests/fixtures/host-v1.pmb "$scratch/bundle.pmb"
"$scratch/host" "$scratch/state.bin" "$scratch/bundle.pmb" vm/tests/fixtures/host-v2.pmb >"$scratch/first.txt"
"$scratch/host" "$scratch/state.bin" "$scratch/bundle.pmb" >"$scratch/second.txt"
shown() { grep -c '] show:$' "$1" || true; }
if [ "$(shown "$scratch/first.txt")" != 4 ] || [ "$(shown "$scratch/second.txt")" != 2 ] ||
    ! grep -q 'update: 4 messages (was 3), state carried over' "$scratch/first.txt" ||
    ! grep -q '^state: restored ' "$scratch/second.txt"; then
    echo "the reference host did not play its session with the SDK build:" >&2
    cat "$scratch/first.txt" "$scratch/second.txt" >&2
    exit 1
fi
echo "the reference host plays its session with the SDK build (4 deliveries, then 2 after a restart)"
