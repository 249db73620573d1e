#!/usr/bin/env bash
# `make example`: builds examples/hello as an outside package would (its own Package.swift,
# Berth as a dependency by path, its own build directory), synthesizes it, and checks and lints
# what it wrote. Nothing is sent anywhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch="$root/.build-example"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cd "$root/examples/hello"
swift build --scratch-path "$scratch" --product hello
"$scratch/debug/hello" synth --config environments --out "$out"
for stack in hello-greeter-ecr hello-sender-ecr hello-staging hello-greeter-staging hello-sender-staging; do
  [ -f "$out/$stack.template.json" ] || { echo "example: $stack.template.json was not written" >&2; exit 1; }
done
# What the app's Swift code added: the sidecar, the override, the output, the extra permission.
grep -q '"Name": "envoy"' "$out/hello-greeter-staging.template.json"
grep -q '"StopTimeout": 60' "$out/hello-greeter-staging.template.json"
grep -q '"TaskRoleArn"' "$out/hello-greeter-staging.template.json"
grep -q '"Sid": "ReadGreetings"' "$out/hello-sender-staging.template.json"
cfn-lint "$out"/*.template.json
echo "example: examples/hello built from its own package and synthesized; cfn-lint passed with zero errors and zero warnings"
