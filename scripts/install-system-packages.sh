#!/usr/bin/env bash
# Installs the system packages rlm-plan needs, only those that are missing; harmless when all are present.
# Packages: libcurl4-openssl-dev (HTTP provider), libsqlite3-dev (store), python3 (Python bridge).
set -euo pipefail
needed=(libcurl4-openssl-dev libsqlite3-dev python3)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing missing system packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
