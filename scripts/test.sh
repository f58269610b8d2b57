#!/usr/bin/env bash
# Set-up command 2: installs what is missing, runs the whole test suite (offline), then fuzzes the
# sandbox for a minute (reader, expander, compiler, VM, printer, protocol lines; seeded by date).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
swift build --build-tests
swift test --skip-build
bash scripts/fuzz.sh 60
