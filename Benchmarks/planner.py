#!/usr/bin/env python3
"""Planner benchmark (issue 10): how long `rlm-plan suggest` takes with the whole pattern library,
release build, for the acceptance task and three others. Goal: under 3 s for the acceptance task.

For each task it runs `suggest --json` N times as a fresh process and prints the best and the
median wall time, the CPU time (user + system, both cores), the candidates simulated and what the
plan recommends. It also checks that two runs printed the same bytes. Not a test (design.md,
Conventions): the machine's load moves wall times; CPU time is the steadier figure.

Usage: python3 Benchmarks/planner.py [--binary .build/release/rlm-plan] [--repeat 3] [--task NAME]
(build first: swift build -c release --product rlm-plan)
"""
import argparse, json, os, resource, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TASKS = {
    "papers (acceptance)": ["Analyze 200 research papers for antimicrobial resistance genes",
                            "--data", "~5KB per paper, 1MB total", "--priority", "balanced"],
    "reviews, cost, budget": ["Classify the sentiment of each customer review", "--data", "300 reviews",
                              "--constraints", "under $1", "--priority", "cost"],
    "report, quality": ["Summarize the key findings of the report", "--data", "one 900KB document",
                        "--priority", "quality"],
    "notes, 500 outputs": ["Extract every adverse event mentioned in the patient notes", "--data", "500 notes, ~1KB per note",
                           "--constraints", "under $5, no gpt-4o", "--min-outputs", "500"],
}


def run_once(binary, args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = subprocess.run([binary, "suggest", *args, "--json"], capture_output=True, text=True, cwd=ROOT)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"suggest failed ({out.returncode}): {out.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "rlm-plan"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each task; best and median are shown")
    ap.add_argument("--task", action="append", choices=sorted(TASKS), help="only these tasks (default: all)")
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: swift build -c release --product rlm-plan")
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores: above 2, wall times are inflated)")
    for name in args.task or list(TASKS):
        results = [run_once(args.binary, TASKS[name]) for _ in range(args.repeat)]
        walls = sorted(r[0] for r in results)
        cpus = sorted(r[1] for r in results)
        outputs = {r[2] for r in results}
        plan = json.loads(results[0][2])
        rec = plan.get("recommended") or plan.get("cheapest_plan") or {}
        print(f"{name}: wall best {walls[0]:.2f} s, median {walls[len(walls) // 2]:.2f} s; "
              f"CPU best {cpus[0]:.2f} s, median {cpus[len(cpus) // 2]:.2f} s; "
              f"{plan['_meta']['candidates_considered']} candidates; "
              f"recommended {rec.get('strategy_name')} ({rec.get('estimated_cost')}, {rec.get('estimated_latency')}); "
              f"{'same bytes every run' if len(outputs) == 1 else 'OUTPUT DIFFERS BETWEEN RUNS'}")
        if len(outputs) != 1:
            sys.exit(1)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
