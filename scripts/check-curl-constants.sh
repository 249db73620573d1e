#!/usr/bin/env bash
# Checks the libcurl constants that Sources/CBerthShims declares itself (so that building
# Berth needs no -dev package) against the real <curl/curl.h>: a compile-time assertion each.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shim="$root/Sources/CBerthShims/berth_shims.c"
header=$(echo '#include <curl/curl.h>' | cc -E -x c - >/dev/null 2>&1 && echo yes || echo no)
if [ "$header" != yes ]; then
  echo "check-curl-constants: <curl/curl.h> is not installed (scripts/setup.sh installs libcurl4-openssl-dev)" >&2
  exit 1
fi
check=$(mktemp --suffix=.c)
trap 'rm -f "$check"' EXIT
{
  echo '#include <curl/curl.h>'
  sed -n '/MARK: libcurl/,/p_curl_global_init/p' "$shim" \
    | grep -oE '(CURL[A-Z_]+) = [0-9x+ ]+[0-9]' \
    | while read -r name _ value; do echo "_Static_assert($name == $value, \"$name is $value in the shim\");"; done
} >"$check"
count=$(grep -c _Static_assert "$check")
cc -fsyntax-only "$check"
echo "check-curl-constants: $count libcurl constants match $(echo '#include <curl/curlver.h>
LIBCURL_VERSION' | cc -E -x c - | tail -1)"
