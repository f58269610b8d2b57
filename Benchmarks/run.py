#!/usr/bin/env python3
"""Benchmark rlm-plan's Scheme sandbox against Racket, Guile and Chez Scheme.

Usage (from the repository root; builds nothing):

    swift build -c release --static-swift-stdlib   # build rlm-plan yourself first
    python3 Benchmarks/run.py                  # all programs, every installed implementation
    python3 Benchmarks/run.py --binary .build/release/rlm-plan -n 10 --json bench.json
    python3 Benchmarks/run.py --programs fib,hashes --impls rlm-plan,racket
    python3 Benchmarks/run.py --no-cold-start  # skip the start-up comparison

What it does:

* Runs every program in Benchmarks/programs/*.scm (fib, strings, hashes, and the orchestration
  post-processing set: replies, wordcount, json) N times (default 5) on each implementation
  that is installed. Programs that call models (map-async, llm-query) run only when named with
  --programs (they belong to orchestration.py and simulator.py). A program whose first line is
  `;; requires: racket/string json` needs those Racket libraries: Racket gets them required in
  its prologue, rlm-plan has them built in, Guile and Chez skip the program ("n/a").
    rlm-plan       `rlm-plan eval FILE` (prints the `finish` value)
    racket         the program as a `#lang racket/base` module, compiled with `raco make`
                   beforehand (compilation is not timed)
    guile          `guile --no-auto-compile FILE` (Guile's interpreter)
    chez-interp    Chez `scheme --script`, each form run through `(interpret 'form)`
    chez-compiled  Chez `scheme --script` loading the file (forms are compiled), for reference
  A tiny per-implementation prologue defines `finish` as "display, newline" and maps the
  hash-table names the programs use (make-hash, hash-ref with a default, hash-set!).
* Times each run as wall-clock time of the whole process (start-up included), reports the
  best and the median, checks that every implementation printed the same result, and prints
  ratios peer time / rlm-plan time (above 1 means rlm-plan is faster), from medians.
  A "(startup)" row runs `(finish 0)` so the fixed process cost can be read off.
* Cold start: time from process start to the first line of output for
  `rlm-plan eval -e '(finish 1)'` versus a Racket script that creates
  `(make-evaluator 'racket/base)` from racket/sandbox and evaluates 1 (what the original
  RLM-Scheme server pays before it can answer), and the ratio.
* `--json FILE` writes every measurement (all run times, outputs, machine) as JSON.

Only the Python standard library is used. Exit status: 0, or 1 when outputs disagree.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS_DIR = HERE / "programs"
DEFAULT_BINARY = ".build/release/rlm-plan"

FINISH = "(define (finish v) (display v) (newline))\n"

RACKET_PROLOGUE = "#lang racket/base\n" + FINISH
GUILE_PROLOGUE = FINISH + "(define (make-hash) (make-hash-table))\n"
CHEZ_PROLOGUE = FINISH + (
    "(define (make-hash) (make-hashtable equal-hash equal?))\n"
    "(define hash-ref hashtable-ref)\n"
    "(define hash-set! hashtable-set!)\n"
)

RACKET_SANDBOX_SCRIPT = """#lang racket/base
(require racket/sandbox)
(define ev (make-evaluator 'racket/base))
(displayln (ev 1))
"""

STARTUP_PROGRAM = "(finish 0)\n"
STARTUP_STEM = "startup_baseline"


def program_requirements(path):
    """Racket libraries a program needs beyond racket/base, from a first line such as
    `;; requires: racket/string json`. Guile and Chez lack them, so they skip such programs."""
    first = path.read_text().split("\n", 1)[0]
    prefix = ";; requires:"
    return first[len(prefix):].split() if first.startswith(prefix) else []


def needs_a_model(path):
    """Programs that call models (fan-out, simulation) belong to orchestration.py / simulator.py."""
    text = path.read_text()
    return any(word in text for word in ("llm-query", "map-async"))


def program_label(path):
    return "(startup)" if path.stem == STARTUP_STEM else path.stem


def scheme_string(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def find_chez():
    """Chez is `chezscheme` on Debian, `scheme` elsewhere (but `scheme` may be MIT Scheme)."""
    for name in ("chezscheme", "chez", "scheme"):
        path = shutil.which(name)
        if not path:
            continue
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        version = (out.stdout + out.stderr).strip()
        if version and version[0].isdigit():  # Chez prints just "9.5.8"
            return path
    return None


class Implementation:
    """How to run one program file on one Scheme."""

    # Whether programs with a `;; requires:` line (Racket libraries) can run here.
    runs_racket_libraries = False

    def __init__(self, name, describe):
        self.name = name
        self.describe = describe

    def prepare(self, program_path, workdir):
        """Returns the argv that runs the program (after any untimed preparation)."""
        raise NotImplementedError


class RlmPlan(Implementation):
    runs_racket_libraries = True  # racket/string, racket/list and json are built in

    def __init__(self, binary):
        super().__init__("rlm-plan", f"{binary} eval FILE")
        self.binary = binary

    def prepare(self, program_path, workdir):
        # The sandbox's default 8 s compute limit protects users; a benchmark measures speed.
        return [self.binary, "eval", "--cpu-seconds", "600", str(program_path)]


class Racket(Implementation):
    runs_racket_libraries = True

    def __init__(self, racket, raco):
        super().__init__("racket", "racket/base module, compiled with raco make")
        self.racket, self.raco = racket, raco

    def prepare(self, program_path, workdir):
        module = workdir / f"racket_{program_path.stem}.rkt"
        requires = program_requirements(program_path)
        prologue = RACKET_PROLOGUE + (f"(require {' '.join(requires)})\n" if requires else "")
        module.write_text(prologue + program_path.read_text())
        if self.raco:
            subprocess.run([self.raco, "make", str(module)], check=True, capture_output=True)
        return [self.racket, str(module)]


class Guile(Implementation):
    def __init__(self, guile):
        super().__init__("guile", "guile --no-auto-compile (interpreter)")
        self.guile = guile

    def prepare(self, program_path, workdir):
        script = workdir / f"guile_{program_path.stem}.scm"
        script.write_text(GUILE_PROLOGUE + program_path.read_text())
        return [self.guile, "--no-auto-compile", str(script)]


class ChezInterpreted(Implementation):
    def __init__(self, chez):
        super().__init__("chez-interp", "chez --script, every form through (interpret 'form)")
        self.chez = chez

    def prepare(self, program_path, workdir):
        prologue = workdir / "chez_prologue.ss"
        prologue.write_text(CHEZ_PROLOGUE)
        driver = workdir / f"chez_interp_{program_path.stem}.ss"
        driver.write_text(
            "(define (run-interpreted path)\n"
            "  (with-input-from-file path\n"
            "    (lambda ()\n"
            "      (let loop ()\n"
            "        (let ([d (read)])\n"
            "          (unless (eof-object? d) (interpret d) (loop)))))))\n"
            f"(run-interpreted {scheme_string(prologue)})\n"
            f"(run-interpreted {scheme_string(program_path)})\n"
        )
        return [self.chez, "--script", str(driver)]


class ChezCompiled(Implementation):
    def __init__(self, chez):
        super().__init__("chez-compiled", "chez --script, forms compiled by load (reference)")
        self.chez = chez

    def prepare(self, program_path, workdir):
        prologue = workdir / "chez_prologue.ss"
        prologue.write_text(CHEZ_PROLOGUE)
        driver = workdir / f"chez_compiled_{program_path.stem}.ss"
        driver.write_text(f"(load {scheme_string(prologue)})\n(load {scheme_string(program_path)})\n")
        return [self.chez, "--script", str(driver)]


def available_implementations(binary):
    impls = []
    notes = []
    if binary and Path(binary).is_file() and os.access(binary, os.X_OK):
        impls.append(RlmPlan(str(Path(binary).resolve())))
    else:
        notes.append(f"rlm-plan: no executable at {binary} (build with `swift build -c release`)")
    racket = shutil.which("racket")
    if racket:
        impls.append(Racket(racket, shutil.which("raco")))
    else:
        notes.append("racket: not installed")
    guile = shutil.which("guile")
    if guile:
        impls.append(Guile(guile))
    else:
        notes.append("guile: not installed")
    chez = find_chez()
    if chez:
        impls.append(ChezInterpreted(chez))
        impls.append(ChezCompiled(chez))
    else:
        notes.append("chez: not installed")
    return impls, notes


def time_run(argv, timeout, env=None):
    """Runs argv once; returns (seconds, stdout, stderr, returncode)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, "", f"timed out after {timeout}s", -1
    elapsed = time.perf_counter() - start
    return elapsed, proc.stdout, proc.stderr, proc.returncode


def time_to_first_line(argv, timeout):
    """Seconds from process start until its first line of stdout, and that line."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, ""
    if proc.returncode != 0 and not line:
        return None, ""
    return elapsed, line.strip()


def fmt_seconds(s):
    if s is None:
        return "-"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    return f"{s:.2f} s"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def print_table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))


def run_benchmarks(impls, programs, runs, timeout, workdir):
    """Returns a list of result dicts, one per (program, implementation)."""
    env = dict(os.environ, GUILE_AUTO_COMPILE="0")
    results = []
    for program in programs:
        for impl in impls:
            entry = {"program": program_label(program), "impl": impl.name, "times": [], "output": None,
                     "error": None}
            requires = program_requirements(program)
            if requires and not impl.runs_racket_libraries:
                entry["skipped"] = f"n/a (needs {', '.join(requires)})"
                results.append(entry)
                continue
            try:
                argv = impl.prepare(program, workdir)
            except (OSError, subprocess.CalledProcessError) as e:
                entry["error"] = f"preparation failed: {e}"
                results.append(entry)
                continue
            entry["argv"] = argv
            for _ in range(runs):
                elapsed, out, err, code = time_run(argv, timeout, env)
                if code != 0:
                    entry["error"] = (err.strip() or out.strip() or f"exit {code}")[:300]
                    break
                entry["times"].append(elapsed)
                output = out.strip()
                if entry["output"] is None:
                    entry["output"] = output
                elif entry["output"] != output:
                    entry["error"] = f"output changed between runs: {entry['output']!r} then {output!r}"
                    break
            if entry["times"]:
                entry["best"] = min(entry["times"])
                entry["median"] = statistics.median(entry["times"])
            print(f"  {program_label(program):<10} {impl.name:<14} "
                  f"{fmt_seconds(entry.get('median')):>9}  {entry['error'] or ''}", file=sys.stderr)
            results.append(entry)
    return results


def check_outputs(results):
    """Marks each result ok/mismatch against the most common output of its program."""
    all_agree = True
    for program in sorted({r["program"] for r in results}):
        entries = [r for r in results if r["program"] == program and r["output"] is not None]
        if not entries:
            continue
        outputs = [r["output"] for r in entries]
        reference = max(set(outputs), key=outputs.count)
        for r in entries:
            r["agrees"] = r["output"] == reference
            if not r["agrees"]:
                all_agree = False
    return all_agree


def add_ratios(results):
    """ratio: peer median / rlm-plan median. net: median minus the same implementation's
    (startup) median, i.e. the time spent on the program itself; ratio_net compares those."""
    startup = {r["impl"]: r.get("median") for r in results if r["program"] == "(startup)"}
    for r in results:
        base = startup.get(r["impl"])
        if r["program"] != "(startup)" and base is not None and r.get("median") is not None:
            r["net"] = max(r["median"] - base, 0.0)
    ours = {r["program"]: r for r in results if r["impl"] == "rlm-plan"}
    for r in results:
        mine = ours.get(r["program"], {})
        r["ratio"] = (r["median"] / mine["median"]) if (mine.get("median") and r.get("median")) else None
        r["ratio_net"] = (r["net"] / mine["net"]) if (mine.get("net") and r.get("net") is not None) else None


def cold_start(binary_impl, runs, timeout, workdir):
    """Process start → first result: rlm-plan eval -e vs racket/sandbox make-evaluator."""
    result = {}
    if binary_impl is not None:
        times = []
        for _ in range(runs):
            t, line = time_to_first_line([binary_impl.binary, "eval", "-e", "(finish 1)"], timeout)
            if t is None or line != "1":
                result["rlm-plan-error"] = f"unexpected output {line!r}"
                break
            times.append(t)
        if times:
            result["rlm-plan"] = {"times": times, "best": min(times), "median": statistics.median(times)}
    racket = shutil.which("racket")
    if racket:
        script = workdir / "racket_sandbox_cold_start.rkt"
        script.write_text(RACKET_SANDBOX_SCRIPT)
        raco = shutil.which("raco")
        if raco:
            subprocess.run([raco, "make", str(script)], capture_output=True)
        times = []
        for _ in range(runs):
            t, line = time_to_first_line([racket, str(script)], timeout)
            if t is None or line != "1":
                result["racket-sandbox-error"] = f"unexpected output {line!r}"
                break
            times.append(t)
        if times:
            result["racket-sandbox"] = {"times": times, "best": min(times), "median": statistics.median(times)}
    if "rlm-plan" in result and "racket-sandbox" in result:
        result["ratio"] = result["racket-sandbox"]["median"] / result["rlm-plan"]["median"]
    return result


def main():
    parser = argparse.ArgumentParser(description="Benchmark rlm-plan against Racket, Guile and Chez.")
    parser.add_argument("--binary", default=DEFAULT_BINARY, help=f"rlm-plan executable (default {DEFAULT_BINARY})")
    parser.add_argument("-n", "--runs", type=int, default=5, help="runs per program and implementation (default 5)")
    parser.add_argument("--programs", help="comma-separated program names (default: all in programs/)")
    parser.add_argument("--impls", help="comma-separated implementations: rlm-plan,racket,guile,chez-interp,chez-compiled")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before one run is abandoned (default 300)")
    parser.add_argument("--no-startup", action="store_true", help="skip the (startup) row")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold-start comparison")
    parser.add_argument("--json", metavar="FILE", help="also write all measurements to FILE as JSON")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    impls, notes = available_implementations(args.binary)
    if args.impls:
        wanted = set(args.impls.split(","))
        unknown = wanted - {"rlm-plan", "racket", "guile", "chez-interp", "chez-compiled"}
        if unknown:
            parser.error(f"unknown implementation(s): {', '.join(sorted(unknown))}")
        impls = [i for i in impls if i.name in wanted]
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if not impls:
        print("no implementation available", file=sys.stderr)
        return 1

    programs = sorted(PROGRAMS_DIR.glob("*.scm"))
    if not args.programs:
        programs = [p for p in programs if not needs_a_model(p)]
    if args.programs:
        names = args.programs.split(",")
        programs = [p for p in programs if p.stem in names]
        missing = set(names) - {p.stem for p in programs}
        if missing:
            parser.error(f"unknown program(s): {', '.join(sorted(missing))}")

    with tempfile.TemporaryDirectory(prefix="rlm-bench-") as tmp:
        workdir = Path(tmp)
        bench_programs = list(programs)
        if not args.no_startup:
            startup = workdir / f"{STARTUP_STEM}.scm"
            startup.write_text(STARTUP_PROGRAM)
            bench_programs.insert(0, startup)
        print(f"running {len(bench_programs)} programs x {len(impls)} implementations x {args.runs} runs",
              file=sys.stderr)
        results = run_benchmarks(impls, bench_programs, args.runs, args.timeout, workdir)
        agree = check_outputs(results)
        add_ratios(results)
        ours = next((i for i in impls if i.name == "rlm-plan"), None)
        cold = None if args.no_cold_start else cold_start(ours, args.runs, args.timeout, workdir)

    print()
    print(f"Wall time per run ({args.runs} runs; ratio = peer / rlm-plan, >1 means rlm-plan is faster)")
    rows = []
    for r in results:
        status = r.get("skipped") or r["error"] or ("ok" if r.get("agrees", False) else
                                ("MISMATCH: " + (r["output"] or "")[:60]))
        rows.append([r["program"], r["impl"], fmt_seconds(r.get("best")), fmt_seconds(r.get("median")),
                     fmt_seconds(r.get("net")), fmt_ratio(r.get("ratio")), fmt_ratio(r.get("ratio_net")), status])
    print_table(["program", "implementation", "best", "median", "net", "ratio", "ratio net", "output"], rows)
    print("(net = median minus that implementation's (startup) median)")

    if cold is not None:
        print()
        print("Cold start: process start -> first result")
        crow = []
        for key, label in (("rlm-plan", "rlm-plan eval -e '(finish 1)'"),
                           ("racket-sandbox", "racket: (make-evaluator 'racket/base), eval 1")):
            if key in cold:
                crow.append([label, fmt_seconds(cold[key]["best"]), fmt_seconds(cold[key]["median"])])
            elif key + "-error" in cold:
                crow.append([label, "-", "-", cold[key + "-error"]])
        if crow:
            print_table(["command", "best", "median"], crow)
        print(f"ratio (racket sandbox / rlm-plan): {fmt_ratio(cold.get('ratio'))}")

    if args.json:
        payload = {
            "machine": {"platform": platform.platform(), "processor": platform.processor(),
                        "cpus": os.cpu_count(), "python": platform.python_version()},
            "runs": args.runs,
            "implementations": {i.name: i.describe for i in impls},
            "notes": notes,
            "results": results,
            "cold_start": cold,
            "outputs_agree": agree,
        }
        Path(args.json).write_text(json.dumps(payload, indent=2, default=str))
        print(f"\nwrote {args.json}", file=sys.stderr)

    if not agree:
        print("\noutputs disagree between implementations", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
