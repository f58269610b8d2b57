#!/usr/bin/env python3
"""Overhead benchmark of model calls (issue 3): 1,000 calls, 50 in flight, against a local
OpenAI-compatible server that answers at once (`rlm-plan mock-server`).

Measures `rlm-plan run` end to end (calls/s, CPU per call of the whole process) and, in the
same run, a peer: a Python thread pool of 50 workers posting the same requests over keep-alive
connections (the design of the original host, whose async pool is a thread pool calling the
OpenAI client). Usage: python3 Benchmarks/orchestration.py [--binary .build/release/rlm-plan] [--runs 5]
"""
import argparse, http.client, json, os, resource, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAM = os.path.join(ROOT, "Benchmarks", "programs", "fanout-1000.scm")

def start_server(binary):
    p = subprocess.Popen([binary, "mock-server"], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    base = line.strip().split()[-1]
    return p, base

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def run_rlm(binary, base, store):
    env = dict(os.environ, OPENAI_BASE_URL=base)
    env.pop("OPENAI_API_KEY", None)
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    out = subprocess.run([binary, "run", PROGRAM, "--max-concurrent", "50", "--quiet", "--store", store],
                         env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if out.returncode != 0 or out.stdout.strip() != "1000":
        sys.exit(f"rlm-plan run failed: {out.stderr}")
    return wall, children_cpu() - cpu0

def run_python_pool(base):
    host_port = base.split("//")[1].split("/")[0]
    host, port = host_port.split(":")
    local = threading.local()
    def call(i):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(host, int(port))
        body = json.dumps({"model": "gpt-4o", "max_tokens": 16,
                           "messages": [{"role": "user", "content": str(i)}]})
        conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        reply = json.loads(conn.getresponse().read())
        return reply["choices"][0]["message"]["content"]
    t0 = time.perf_counter(); c0 = time.process_time()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(call, range(1000)))
    assert len(results) == 1000
    return time.perf_counter() - t0, time.process_time() - c0

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "rlm-plan"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    server, base = start_server(args.binary)
    store = "/tmp/rlm-bench-orchestration.sqlite"
    try:
        rlm = [run_rlm(args.binary, base, store) for _ in range(args.runs)]
        py = [run_python_pool(base) for _ in range(args.runs)]
    finally:
        server.terminate()
    best = min(rlm); best_py = min(py)
    med = sorted(rlm)[len(rlm) // 2]; med_py = sorted(py)[len(py) // 2]
    print(f"rlm-plan run: best {1000/best[0]:.0f} calls/s, median {1000/med[0]:.0f} calls/s; "
          f"CPU {best[1]*1e3:.0f} us/call (whole process, start-up included)")
    print(f"python thread pool (50 workers, keep-alive): best {1000/best_py[0]:.0f} calls/s, "
          f"median {1000/med_py[0]:.0f} calls/s; CPU {best_py[1]*1e3:.0f} us/call")
    print(f"ratio (median calls/s, rlm-plan / python pool): {med_py[0]/med[0]:.2f}x")

if __name__ == "__main__":
    main()
