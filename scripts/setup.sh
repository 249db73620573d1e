#!/usr/bin/env bash
# Installs what building and testing Berth need on a fresh Debian machine with Swift:
# Python's pip (for cfn-lint) and cfn-lint itself, at the version the resource types were
# generated from. Safe to run again: it installs only what is missing.
set -euo pipefail

CFN_LINT_VERSION=1.51.0

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: swift is not on PATH; install Swift 6 first (https://swift.org/install)" >&2
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  echo "setup: installing python3 and pip"
  apt-get update -qq && apt-get install -y -qq python3 python3-pip >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
  echo "setup: installing GNU time (make bench reads peak memory from it)"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if [ "$(cfn-lint --version 2>/dev/null)" != "cfn-lint ${CFN_LINT_VERSION}" ]; then
  echo "setup: installing cfn-lint ${CFN_LINT_VERSION}"
  python3 -m pip install --quiet --disable-pip-version-check "cfn-lint==${CFN_LINT_VERSION}"
fi
