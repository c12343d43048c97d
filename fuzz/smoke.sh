#!/bin/sh
# Short fuzz smoke run: each target for SECONDS (default 60) without a sanitizer, on the
# stable toolchain. Fails on any crash, timeout (10 s per input) or out-of-memory (2 GiB).
# Installs cargo-fuzz when missing. Usage: fuzz/smoke.sh [SECONDS]
set -eu
cd "$(dirname "$0")"
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
for target in check fmt_roundtrip load engine; do
    mkdir -p "corpus/$target"
    echo "== fuzz $target for ${seconds}s"
    log="$(mktemp)"
    # The source targets are also seeded from the examples, read in place.
    examples=""
    case "$target" in check|fmt_roundtrip) examples="../examples" ;; esac
    # shellcheck disable=SC2086
    if ! cargo fuzz run -s none "$target" "corpus/$target" "seeds/$target" $examples -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^(#[0-9]+ +DONE|Done )' "$log" || true
    rm -f "$log"
done
echo "fuzz smoke run: no crash in 4 targets"
