#!/usr/bin/env bash
# `make init-example`: `berth init` writes a new app's package into a temporary directory, with
# Berth as a path dependency on this checkout (Berth itself is not in the local package mirror);
# the package is built as an outside package would be (its own build directory, .build-init),
# and synthesized without --config (it finds environments/ itself), then cfn-lint checks it.
# Nothing is sent anywhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
berth="${1:-$root/.build/debug/berth}"
scratch="$root/.build-init"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$berth" init hello-init --dir "$work/hello-init" --env staging --region eu-west-1 --berth-path "$root"
# A second init refuses, with exit status 2, and leaves the files as they are.
before=$(cat "$work/hello-init/environments/staging.yaml")
status=0
"$berth" init hello-init --dir "$work/hello-init" --env staging --region eu-west-1 --berth-path "$root" 2>"$work/refusal" || status=$?
[ "$status" -eq 2 ] || { echo "init-example: a second init exited $status, not 2" >&2; exit 1; }
grep -q "overwrites nothing" "$work/refusal"
[ "$before" = "$(cat "$work/hello-init/environments/staging.yaml")" ]

cd "$work/hello-init"
swift build --scratch-path "$scratch" --product hello-init
"$scratch/debug/hello-init" synth --out out
for stack in hello-init-web-ecr hello-init-staging hello-init-web-staging; do
  [ -f "out/$stack.template.json" ] || { echo "init-example: $stack.template.json was not written" >&2; exit 1; }
done
cfn-lint out/*.template.json
echo "init-example: the package berth init wrote built, found environments/ by itself and synthesized; cfn-lint passed"
