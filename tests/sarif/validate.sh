#!/usr/bin/env bash
# Validates pmc's SARIF output with Microsoft's SARIF multitool (schema 2.1.0 and its best-practice
# rules): every error example and the clean example bundle. Fails on any finding.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
tool="$here/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pmc=(cargo run --locked -q -p pmc --manifest-path "$root/Cargo.toml" --)
"${pmc[@]}" check --message-format sarif "$root/examples/acme" > "$work/acme.sarif"
for case in "$root"/examples/errors/*.pm "$root"/examples/errors/E05*/ "$root"/examples/warnings; do
    name="$(basename "$case" .pm)"
    "${pmc[@]}" check --message-format sarif "$case" > "$work/$name.sarif" || true
done
count=0
for file in "$work"/*.sarif; do
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$tool" validate "$file" -o "$file.result" --quiet >/dev/null
    findings="$(node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(d.runs.reduce((n, r) => n + (r.results || []).length, 0))' "$file.result")"
    if [ "$findings" != "0" ]; then
        echo "SARIF validation findings for $(basename "$file"):" >&2
        node -e 'for (const run of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs) for (const r of run.results || []) console.error(" ", r.ruleId, r.level, JSON.stringify(r.message))' "$file.result"
        exit 1
    fi
    count=$((count + 1))
done
echo "SARIF: $count logs validated by Microsoft's SARIF multitool, no findings"
