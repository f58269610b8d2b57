#!/usr/bin/env bash
# Set-up command 2: installs what is missing and runs the whole test suite (offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
swift build --build-tests
swift test --skip-build
