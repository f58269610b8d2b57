#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds rlm-plan in release mode, and runs the bundled
# demo strategy and a simulation of a seed strategy offline (no API key needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
# A statically linked Swift runtime halves cold start (docs/performance.md).
swift build -c release --static-swift-stdlib
.build/release/rlm-plan eval examples/demo.scm
# The main job, offline: plan a task (ranked strategies, every figure simulated), then simulate
# the seed README's fan-out + tree aggregation on the bundled documents. No model is called and no
# key is needed.
echo
echo "== rlm-plan suggest \"Extract the key findings of 200 research papers\" --data \"~5KB per paper\""
.build/release/rlm-plan suggest "Extract the key findings of 200 research papers" --data "~5KB per paper"
echo
echo "== rlm-plan simulate examples/seeds/fan-out-tree.scm --context examples/seeds/documents.txt --runs 50"
.build/release/rlm-plan simulate examples/seeds/fan-out-tree.scm --context examples/seeds/documents.txt --runs 50
