#!/usr/bin/env bash
# Builds the VM library the way SDKs ship it, for each TARGET (default: this machine's):
#
#   vm/sdk/build.sh [TARGET...]
#
# Output: $CARGO_TARGET_DIR/TARGET/sdk/libpm_vm.{a,so|dylib} (CARGO_TARGET_DIR defaults to
# ./target). What it does, and what each part saves, is in vm/README.md ("Size of the
# library"):
#   - cargo's `sdk` profile (Cargo.toml): opt-level "s", fat LTO, one codegen unit, stripped;
#   - on a pinned nightly toolchain, `std` rebuilt for size (-Z build-std, feature
#     optimize_for_size, no backtrace symbolizer);
#   - panics: PM_SDK_PANIC=immediate-abort (the default) ends the process at the panic site
#     without formatting a message; PM_SDK_PANIC=unwind keeps unwinding, so the C ABI reports
#     a panic as PM_ERR_PANIC, for about 150 KB more; PM_SDK_PANIC=abort is in between;
#   - on Linux targets, relative relocations packed (-z pack-relative-relocs, glibc 2.36+).
#
# Environment: PM_SDK_TOOLCHAIN (default nightly-2026-05-20, with the rust-src component:
#   rustup toolchain install nightly-2026-05-20 --profile minimal --component rust-src),
#   PM_SDK_PANIC (above).
set -euo pipefail
cd "$(dirname "$0")/../.."

# The pinned nightly, under its dated name or as the machine's `nightly` when that is the same
# build (rustc 1.97.0-nightly of 2026-05-19, which rustup names nightly-2026-05-20).
pinned=nightly-2026-05-20
if [ -z "${PM_SDK_TOOLCHAIN:-}" ] && ! rustup run "$pinned" rustc --version >/dev/null 2>&1 &&
    rustup run nightly rustc --version 2>/dev/null | grep -q ' 2026-05-19)'; then
    pinned=nightly
fi
toolchain="${PM_SDK_TOOLCHAIN:-$pinned}"
panic="${PM_SDK_PANIC:-immediate-abort}"

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "vm/sdk/build.sh: toolchain $toolchain is not installed; install it with" >&2
    echo "  rustup toolchain install $toolchain --profile minimal --component rust-src" >&2
    exit 2
fi
sysroot="$(rustup run "$toolchain" rustc --print sysroot)"
if [ ! -d "$sysroot/lib/rustlib/src/rust/library/std" ]; then
    echo "vm/sdk/build.sh: $toolchain lacks rust-src; rustup component add rust-src --toolchain $toolchain" >&2
    exit 2
fi

case "$panic" in
    immediate-abort)
        unstable=(-Z panic-immediate-abort -Z "build-std=std,panic_abort" -Z build-std-features=optimize_for_size) ;;
    abort)
        unstable=(-Z "build-std=std,panic_abort" -Z build-std-features=optimize_for_size) ;;
    unwind)
        unstable=(-Z "build-std=std,panic_unwind" -Z "build-std-features=panic-unwind,optimize_for_size") ;;
    *)
        echo "vm/sdk/build.sh: PM_SDK_PANIC must be immediate-abort, abort or unwind, not $panic" >&2
        exit 2 ;;
esac

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=("$(rustup run "$toolchain" rustc -vV | sed -n 's/^host: //p')")
fi

for target in "${targets[@]}"; do
    flags=""
    case "$target" in
        *-linux-gnu*) flags="-C link-arg=-Wl,-z,pack-relative-relocs" ;;
    esac
    echo "== pm-vm for $target (panic: $panic)" >&2
    RUSTFLAGS="$flags" CARGO_PROFILE_SDK_PANIC="$panic" \
        cargo "+$toolchain" build --locked -p pm-vm --profile sdk --target "$target" "${unstable[@]}"
    out="${CARGO_TARGET_DIR:-target}/$target/sdk"
    for lib in "$out"/libpm_vm.so "$out"/libpm_vm.dylib "$out"/libpm_vm.a; do
        if [ -f "$lib" ]; then
            echo "$lib: $(wc -c <"$lib") bytes" >&2
        fi
    done
done
