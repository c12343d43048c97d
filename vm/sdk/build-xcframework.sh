#!/usr/bin/env bash
# Builds PmVm.xcframework for iOS apps: the static library for devices (aarch64-apple-ios) and
# for the simulator (aarch64-apple-ios-sim and x86_64-apple-ios, joined with lipo), each with
# pm_vm.h and the module map, so that Swift can `import PmVm`.
#
#   vm/sdk/build-xcframework.sh [OUTPUT_DIR]     (default: target/xcframework)
#
# Runs on macOS with Xcode (xcodebuild, lipo and the iOS SDKs); the libraries are built by
# vm/sdk/build.sh (same toolchain and PM_SDK_PANIC settings). It cannot run on Linux, where
# this repository's CI runs: there the module map is checked with clang instead
# (vm/tests/module_map.rs), and this script has not been run by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null; then
    echo "vm/sdk/build-xcframework.sh: needs macOS with Xcode (xcodebuild); iOS targets cannot be built here" >&2
    exit 2
fi

out="${1:-target/xcframework}"
target_dir="${CARGO_TARGET_DIR:-target}"
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-13.0}"
vm/sdk/build.sh aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios

rm -rf "$out"
mkdir -p "$out/headers" "$out/simulator"
cp vm/include/pm_vm.h vm/include/module.modulemap "$out/headers/"
lipo -create \
    "$target_dir/aarch64-apple-ios-sim/sdk/libpm_vm.a" \
    "$target_dir/x86_64-apple-ios/sdk/libpm_vm.a" \
    -output "$out/simulator/libpm_vm.a"
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/sdk/libpm_vm.a" -headers "$out/headers" \
    -library "$out/simulator/libpm_vm.a" -headers "$out/headers" \
    -output "$out/PmVm.xcframework"
echo "$out/PmVm.xcframework"
