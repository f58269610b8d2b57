#!/usr/bin/env python3
"""Simulator benchmarks (issue 4), release build:

1. `rlm-plan simulate` of a 10,000-item fan-out + tree-reduce (~12,500 calls): CPU seconds.
2. 1,000 Monte Carlo runs of a 100-item fan-out + synthesis: CPU seconds.

Peer, measured in the same run: the real `rlm-plan run` of the 1,000-call fan-out against
`rlm-plan mock-server` (a server that answers at once), so the ratio says how much cheaper
simulating a call is than making one. Usage: python3 Benchmarks/simulator.py [--binary …]
"""
import argparse, os, resource, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "Benchmarks", "programs")

def timed(cmd, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {out.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "rlm-plan"))
    args = ap.parse_args()
    b = args.binary
    wall, cpu, out = timed([b, "simulate", os.path.join(PROGRAMS, "sim-fanout-tree.scm"), "--items", "10000",
                            "--item-chars", "400", "--json"])
    import json
    calls = json.loads(out)["calls"]
    print(f"simulate 10,000-item fan-out + tree-reduce: {calls} calls, {cpu:.2f} s CPU ({wall:.2f} s wall), "
          f"{cpu / calls * 1e6:.0f} us CPU per simulated call")
    wall2, cpu2, _ = timed([b, "simulate", os.path.join(PROGRAMS, "sim-fanout-100.scm"), "--items", "100",
                            "--item-chars", "2000", "--runs", "1000", "--json"])
    print(f"1,000 Monte Carlo runs of a 100-item fan-out + synthesis: {cpu2:.2f} s CPU ({wall2:.2f} s wall)")
    # Peer: real calls against a local server that answers at once.
    server = subprocess.Popen([b, "mock-server"], stdout=subprocess.PIPE, text=True)
    base = server.stdout.readline().strip().split()[-1]
    try:
        env = dict(os.environ, OPENAI_BASE_URL=base)
        env.pop("OPENAI_API_KEY", None)
        wall3, cpu3, _ = timed([b, "run", os.path.join(PROGRAMS, "fanout-1000.scm"), "--max-concurrent", "50", "--quiet",
                                "--store", "/tmp/rlm-bench-sim.sqlite"], env=env)
    finally:
        server.terminate()
    real_per_call = cpu3 / 1000
    sim_per_call = cpu / calls
    print(f"peer: rlm-plan run, 1,000 real calls to a local server: {cpu3:.2f} s CPU, {real_per_call * 1e6:.0f} us per call")
    print(f"ratio (CPU per call, real / simulated): {real_per_call / sim_per_call:.1f}x")

if __name__ == "__main__":
    main()
