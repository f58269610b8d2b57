#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds rlm-plan in release mode, and runs the bundled
# demo strategy offline (no API key needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
# A statically linked Swift runtime halves cold start (docs/performance.md).
swift build -c release --static-swift-stdlib
.build/release/rlm-plan eval examples/demo.scm
