#!/usr/bin/env bash
# Fuzzes the sandbox (reader, expander, compiler, VM, printer, protocol lines) for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [SEED]
#
# SECONDS defaults to 60; SEED to today's date (YYYYMMDD), so a day's CI runs repeat and a
# failure can be replayed with the seed printed below. Exits non-zero when an input runs past its
# limits, leaves the session unable to answer, or crashes the process (the input is printed).
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
seed="${2:-$(date +%Y%m%d)}"
config="${FUZZ_CONFIGURATION:-debug}"

swift build -c "$config" --product rlm-plan >/dev/null || { echo "fuzz: build failed" >&2; exit 2; }
binary="$(swift build -c "$config" --show-bin-path)/rlm-plan"
current="$(mktemp "${TMPDIR:-/tmp}/rlm-fuzz.XXXXXX")"
trap 'rm -f "$current"' EXIT

echo "fuzz: ${seconds} s, seed ${seed} (replay: scripts/fuzz.sh ${seconds} ${seed})"
# The whole run may not outlive its budget by much: a hang is a failure too.
timeout --signal=KILL "$(( ${seconds%.*} + 60 ))" "$binary" fuzz --seconds "$seconds" --seed "$seed" --current-file "$current"
status=$?
if [ "$status" -gt 1 ]; then
    echo "fuzz: the process died (status $status) on this input:" >&2
    cat "$current" >&2
fi
exit "$status"
