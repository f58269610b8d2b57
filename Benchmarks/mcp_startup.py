#!/usr/bin/env python3
"""Start-up benchmark of the MCP server (issue 11): time from process start to the `tools/list`
reply of `rlm-plan mcp`, as a client sees it (initialize, initialized, tools/list written at once;
replies matched by id). The original (FastMCP + Racket) takes 1.36 s.

Usage: python3 Benchmarks/mcp_startup.py [--binary .build/release/rlm-plan] [--runs 20]
"""
import argparse, json, os, select, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def once(binary):
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    payload = "".join(json.dumps(m) + "\n" for m in messages).encode()
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdin.write(payload)
    p.stdin.flush()
    buffer, tools = b"", None
    while tools is None:
        ready, _, _ = select.select([p.stdout], [], [], 10)
        if not ready:
            p.kill()
            sys.exit("no tools/list reply within 10 s")
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            sys.exit("the server exited before answering tools/list")
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            reply = json.loads(line)
            if reply.get("id") == 2:
                tools = reply["result"]["tools"]
    elapsed = time.perf_counter() - t0
    p.stdin.close()
    p.wait(timeout=10)
    return elapsed, len(tools)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "rlm-plan"))
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not built (swift build -c release)")
    once(args.binary)  # warm the page cache
    times, count = [], 0
    for _ in range(args.runs):
        t, count = once(args.binary)
        times.append(t * 1000)
    print(f"rlm-plan mcp: tools/list ({count} tools) answered {statistics.median(times):.1f} ms after process start "
          f"(median of {args.runs}; min {min(times):.1f}, max {max(times):.1f})")

if __name__ == "__main__":
    main()
