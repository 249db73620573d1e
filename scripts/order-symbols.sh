#!/usr/bin/env bash
# `make order`: rewrites scripts/berth.order, the functions that `berth synth` (also `--env dev`,
# which `make bench` holds against its floor), `berth diff --template` and `--help` run, as
# callgrind reports them. `make release` links them first and
# together (lld's --symbol-ordering-file), so that a run touches a few hundred KiB of code
# instead of pages spread over the whole 17 MiB text: peak memory and start-up time drop.
# A stale list only costs locality; regenerate it after large changes.
set -euo pipefail
binary=${1:-.build-release/release/berth}
order=${2:-scripts/berth.order}
command -v valgrind >/dev/null || { echo "order: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind cannot read the DWARF Swift emits; the symbol table is all it needs.
cp "$binary" "$work/berth"
strip --strip-debug "$work/berth"
"$work/berth" synth --out "$work/out" >/dev/null
sed 's/"Port": 8080/"Port": 9090/' "$work/out/shop-api-dev.template.json" > "$work/deployed.json"
runs=(
  "synth --out $work/json"
  "synth --env dev --out $work/dev"
  "synth --format yaml --out $work/yaml"
  "diff --stack shop-api-dev --template $work/deployed.json"
  "--help"
  "deploy --help"
)
index=0
for run in "${runs[@]}"; do
  # shellcheck disable=SC2086
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/callgrind.$index" "$work/berth" $run >/dev/null 2>"$work/valgrind.$index.log"
  index=$((index + 1))
done
# Function names (callgrind writes each name once, after its numeric ID), without addresses
# that have no symbol, sorted: the same code gives the same list. What matters to the kernel is
# that they are together, not their order among themselves.
for file in "$work"/callgrind.*; do
  grep -oE '^c?fn=\([0-9]+\) .*' "$file" | sed -E 's/^c?fn=\([0-9]+\) //'
done | grep -v '^0x' | LC_ALL=C sort -u > "$order"
echo "order: wrote $(wc -l < "$order") symbols to $order"
