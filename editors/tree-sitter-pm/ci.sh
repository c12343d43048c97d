#!/usr/bin/env bash
# Checks the tree-sitter grammar and the editor setups built on it; .ci/run calls this with
# --install-cli. README.md (section "Tests") says what each step proves.
#
#   editors/tree-sitter-pm/ci.sh [--install-cli]
#
# --install-cli installs the pinned tree-sitter CLI with cargo when it is missing or another
# version (about 2.5 minutes on two cores). Needs git, node, cargo and a C compiler.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(git rev-parse --show-toplevel)

# The CLI that generated src/: another version generates another parser.
readonly cli_version=0.27.1

step() { printf -- '-- %s\n' "$*"; }

if [ "${1-}" = --install-cli ] && [ "$(tree-sitter --version 2>/dev/null)" != "tree-sitter $cli_version" ]; then
    step "installing tree-sitter-cli $cli_version"
    cargo install tree-sitter-cli --version "=$cli_version" --locked
fi
found=$(tree-sitter --version 2>/dev/null || echo "no tree-sitter CLI")
if [ "$found" != "tree-sitter $cli_version" ]; then
    echo "error: the grammar is generated with tree-sitter $cli_version, found: $found" >&2
    echo "       run $0 --install-cli (or cargo install tree-sitter-cli --version =$cli_version --locked)" >&2
    exit 1
fi

# A private configuration: no user settings, no other grammars, the parser compiled afresh.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/grammars" "$scratch/lib"
printf '{"parser-directories": ["%s"]}\n' "$scratch/grammars" > "$scratch/config.json"
export TREE_SITTER_DIR="$scratch" TREE_SITTER_LIBDIR="$scratch/lib"

step "generate: grammar.js gives exactly the committed parser (QuickJS, no node needed)"
tree-sitter generate --js-runtime native
if ! git diff --exit-code --stat -- src || [ -n "$(git status --porcelain -- src)" ]; then
    echo "error: src/ is out of date with grammar.js: run cargo xtask bless and commit src/" >&2
    exit 1
fi

step "tree-sitter test: corpus, queries and highlight assertions"
tree-sitter test

step "the Helix and Zed copies of the queries are up to date and valid"
node scripts/editor-queries.mjs --check
for query in helix/queries/*.scm ../zed/languages/pm/*.scm; do
    tree-sitter query --quiet "$query" "$repo/examples/acme/pricing.pm" >/dev/null
done

step "every valid .pm file of the repository parses without an error"
valid=()
for dir in examples/acme examples/warnings examples/no-account tests/scenarios/bundle editors/vscode/test/fixtures; do
    while IFS= read -r -d '' file; do valid+=("$file"); done < <(find "$repo/$dir" -name '*.pm' -print0)
done
tree-sitter parse --quiet "${valid[@]}"
echo "${#valid[@]} files"

step "the parser builds with a plain C compiler, as README.md's Neovim setup does it"
cc -shared -fPIC -O2 -I src src/parser.c -o "$scratch/pm.so"
tree-sitter parse --quiet --lib-path "$scratch/pm.so" --lang-name pm "$repo/examples/acme/pricing.pm"

step "examples/errors: broken files give errors, never a crash"
broken=()
while IFS= read -r -d '' file; do broken+=("$file"); done < <(find "$repo/examples/errors" -name '*.pm' -print0)
status=0
tree-sitter parse --quiet "${broken[@]}" >/dev/null || status=$?
if [ "$status" -gt 1 ]; then
    echo "error: tree-sitter parse exited with $status on examples/errors" >&2
    exit 1
fi
echo "${#broken[@]} files"

step "drift tests against the compiler (cargo test -p tree-sitter-pm)"
(cd "$repo" && cargo test --locked -p tree-sitter-pm)

step "the Zed extension compiles to WebAssembly"
rustup target add wasm32-wasip2 >/dev/null
(cd ../zed && cargo build --locked --release --target wasm32-wasip2 \
    --target-dir "${CARGO_TARGET_DIR:-$repo/target}/zed-extension")

step "tree-sitter grammar: all checks passed"
