#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets in Fuzz/ (templates in JSON and YAML, environment
# files, AWS XML answers) and runs each for FUZZ_SECONDS (default 60), seeded with the
# project's own templates and files. A crash, a trap or an input slower than 10 s stops the
# run and leaves the input in .build-fuzz/findings/: add it to the bad-input corpus
# (Tests/BadInput/corpus.py) with the answer Berth must give, then fix it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
scratch="$root/.build-fuzz"
findings="$scratch/findings"
mkdir -p "$findings"
(cd "$root/Fuzz" && swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library)

seeds() {
  local target=$1 dir="$scratch/corpus/$1"
  mkdir -p "$dir"
  case $target in
    fuzz-json-template) cp "$root"/Tests/BerthTemplateTests/Fixtures/*.json "$root"/Tests/BerthCLITests/Golden/shop-api-dev.template.json "$dir"/ ;;
    fuzz-yaml-template) cp "$root"/Tests/BerthTemplateTests/Fixtures/*.yaml "$root"/Tests/BerthCLITests/Golden/shop-dev.template.yaml "$dir"/ ;;
    fuzz-environment-file) cp "$root"/stacks/environments/*.yaml "$dir"/ ;;
    fuzz-xml-response) cp "$root"/Fuzz/Seeds/xml-response/* "$dir"/ ;;
  esac
  echo "$dir"
}

for target in fuzz-json-template fuzz-yaml-template fuzz-environment-file fuzz-xml-response; do
  echo "== $target for ${seconds}s"
  "$scratch/debug/$target" "$(seeds "$target")" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/$target-" -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ *DONE|Done|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)|stat::number_of_executed_units" || true
  if ls "$findings/$target-"* >/dev/null 2>&1; then
    echo "fuzz: $target found inputs that fail: $(ls "$findings/$target-"*)" >&2
    exit 1
  fi
done
echo "fuzz: no crash, trap or slow input in ${seconds}s per target"
