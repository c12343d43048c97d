#!/usr/bin/env bash
# Builds the Android library (AAR) of the Java binding: the pm.vm classes and libpm_vm_jni.so
# for each Android ABI, linked with 16 KB page alignment (Google Play requires it for apps
# targeting Android 15+ on 64-bit devices).
#
# Usage (from anywhere):
#   bindings/java/build-aar.sh [--out DIR]
#       The full build. Needs an Android NDK (r27 or newer; ANDROID_NDK_HOME) and cargo-ndk
#       (`cargo install cargo-ndk`), plus the Rust targets (`rustup target add
#       aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android`).
#   bindings/java/build-aar.sh --without-ndk [--out DIR]
#       What a machine without the NDK can do (CI does this): the classes jar and the AAR
#       layout with no native library, the 16 KB alignment check on a host build of the library
#       linked with the same flag, and `cargo check` for aarch64-linux-android when that Rust
#       target is installed. The result is not a usable AAR.
#
# Output: DIR/pm-vm.aar (default DIR: target/aar), laid out as Android expects:
#   AndroidManifest.xml, classes.jar, proguard.txt (consumer rules), R.txt,
#   jni/<abi>/libpm_vm_jni.so.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/target/aar"
with_ndk=1
while [ $# -gt 0 ]; do
    case "$1" in
        --without-ndk) with_ndk=0 ;;
        --out) out="$2"; shift ;;
        *) echo "usage: $0 [--without-ndk] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done

# Android ABIs and the minimum API level (OptionalLong and java.util.Objects need 24).
abis=(arm64-v8a armeabi-v7a x86_64 x86)
min_sdk=24
# The linker flag behind 16 KB pages: every LOAD segment aligned to 2^14 bytes.
page_flag="-C link-arg=-Wl,-z,max-page-size=16384"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# Fails unless every LOAD segment of the ELF file $1 is aligned to at least 16 KB.
check_alignment() {
    # The NDK's llvm-readelf when there is an NDK, else the system's readelf.
    local readelf=""
    if [ -n "${ANDROID_NDK_HOME:-}" ]; then
        readelf="$(find "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt" -name llvm-readelf -print -quit)"
    fi
    readelf="${readelf:-readelf}"
    local aligns
    aligns="$("$readelf" -lW "$1" | awk '$1 == "LOAD" { print $NF }')"
    if [ -z "$aligns" ]; then
        echo "error: $1 has no LOAD segment" >&2
        return 1
    fi
    local align
    for align in $aligns; do
        if [ $((align)) -lt 16384 ]; then
            echo "error: $1 has a LOAD segment aligned to $align, below 16 KB (0x4000)" >&2
            return 1
        fi
    done
    echo "16 KB aligned: $1 (LOAD alignments: $(echo "$aligns" | tr '\n' ' '))"
}

echo "== Java classes (Java 8 bytecode, java.* APIs only)"
mapfile -t sources < <(find "$here/src/main/java" -name '*.java' | sort)
javac --release 8 -Xlint:all -Werror -encoding UTF-8 -d "$stage/classes" "${sources[@]}"
mkdir -p "$stage/aar/jni"
jar --create --file "$stage/aar/classes.jar" -C "$stage/classes" .

echo "== native libraries"
if [ "$with_ndk" = 1 ]; then
    if [ -z "${ANDROID_NDK_HOME:-}" ] || ! command -v cargo-ndk >/dev/null; then
        echo "error: the full build needs ANDROID_NDK_HOME and cargo-ndk; see the usage above" >&2
        exit 2
    fi
    targets=()
    for abi in "${abis[@]}"; do targets+=(-t "$abi"); done
    (cd "$root" && RUSTFLAGS="${RUSTFLAGS:-} $page_flag" \
        cargo ndk "${targets[@]}" --platform "$min_sdk" -o "$stage/aar/jni" \
        build --release --locked -p pm-vm-jni)
    for abi in "${abis[@]}"; do
        check_alignment "$stage/aar/jni/$abi/libpm_vm_jni.so"
    done
else
    echo "no NDK: the AAR gets no native library; checking the link flag on a host build instead"
    # `cargo rustc` gives the flag to the final link only, so no dependency is rebuilt.
    # shellcheck disable=SC2086 # $page_flag is two rustc arguments
    (cd "$root" && cargo rustc --locked -q -p pm-vm-jni --lib --crate-type cdylib -- $page_flag)
    check_alignment "${CARGO_TARGET_DIR:-$root/target}/debug/libpm_vm_jni.so"
    if rustup target list --installed 2>/dev/null | grep -qx aarch64-linux-android; then
        echo "== cargo check for aarch64-linux-android (compiles; linking needs the NDK)"
        (cd "$root" && cargo check --locked -q -p pm-vm-jni --target aarch64-linux-android)
    else
        echo "aarch64-linux-android is not installed: skipping its cargo check"
    fi
fi

echo "== AAR"
cat > "$stage/aar/AndroidManifest.xml" <<MANIFEST
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="pm.vm">
    <uses-sdk android:minSdkVersion="$min_sdk" />
</manifest>
MANIFEST
# The native library constructs these classes and throws these exceptions by name, and
# finds the native methods by their names: R8 must neither remove nor rename them.
cat > "$stage/aar/proguard.txt" <<'RULES'
-keep class pm.vm.** { *; }
-keepclasseswithmembernames class pm.vm.** { native <methods>; }
RULES
: > "$stage/aar/R.txt"
mkdir -p "$out"
rm -f "$out/pm-vm.aar"
jar --create --no-manifest --file "$out/pm-vm.aar" -C "$stage/aar" .
echo "wrote $out/pm-vm.aar:"
jar --list --file "$out/pm-vm.aar" | sort
