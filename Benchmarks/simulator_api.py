#!/usr/bin/env python3
"""Simulation API benchmark (issue 9): 200 simulations of different 100-item fan-out + synthesis
programs through the library API (`Simulation.simulate`), one run each, release build.

Prints the time per simulation, one at a time and with several at once (as a host simulating
many candidates would). Goal: under 10 ms per simulation. Not a test (design.md, Conventions).

Usage: python3 Benchmarks/simulator_api.py [--binary .build/release/simulator-bench] [--repeat 3]
(build first: swift build -c release --product simulator-bench)
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "simulator-bench"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each configuration; the best is shown")
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: swift build -c release --product simulator-bench")
    for concurrent in (1, 4):
        results = []
        for _ in range(args.repeat):
            out = subprocess.run([args.binary, "--count", "200", "--items", "100", "--concurrent", str(concurrent)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(out.stderr[-2000:])
            results.append(json.loads(out.stdout))
        best = min(results, key=lambda r: r["ms_per_simulation"])
        median = sorted(r["ms_per_simulation"] for r in results)[len(results) // 2]
        print(f"200 simulations of 100-item fan-out + synthesis, {concurrent} at a time: "
              f"{best['ms_per_simulation']:.2f} ms per simulation (best of {args.repeat}; median {median:.2f}), "
              f"{best['cpu_ms_per_simulation']:.2f} ms CPU each; {best['calls']} calls in {best['wall_s']:.2f} s; "
              f"first simulation {best['warm_up_ms']:.0f} ms")

if __name__ == "__main__":
    main()
