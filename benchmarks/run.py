"""planlint's speed and memory benchmarks (not part of the test run; see benchmarks/README.md).

    python benchmarks/run.py                 # everything, prints a table
    python benchmarks/run.py --json          # also writes benchmarks/results.json
    python benchmarks/run.py --only scaling  # one section: startup, throughput, scaling, linear, path
    python benchmarks/run.py --profile       # cProfile (and -X importtime) where a target is missed

Targets:
  startup     `python -m planlint check small.md` (30 tasks)
              <= 1.3x `python -c "import click, markdown_it"`
  throughput  parse + check MB/s >= 0.5x markdown-it-py's parse-only MB/s, on the same ~1 MB plan
  scaling     time per task at 100k tasks <= 1.5x time per task at 1k tasks (parse + check)
  linear      issue 18's rows on synthetic plans, whole processes (bench_linear.py)
  path        issue 18's one-plan rows on a git copy of the corpus, ratios of medians (bench_path.py)
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import profile_top, status, write_results  # noqa: E402
from generate import generate_plan, plan_of_size  # noqa: E402

from planlint.cli import tune_gc  # noqa: E402

STARTUP_TARGET = 1.3  # planlint check / import floor, at most
THROUGHPUT_TARGET = 0.5  # check MB/s / parse-only MB/s, at least
SCALING_TARGET = 1.5  # time per task at 100k / at 1k, at most
TASKS_PER_PHASE = 100  # scaling grows the number of phases, as real plans grow


# -- helpers ------------------------------------------------------------------------------------


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_callable(data: bytes, root: Path, select_all: bool = False) -> Callable[[], int]:
    """decode + parse + lint with the default (or every) rule, as `planlint check` does per file."""
    from planlint.config import Config
    from planlint.engine import lint_plan
    from planlint.io import decode_source
    from planlint.parse.plan import parse_plan

    config = Config(root=root)
    if select_all:
        config = config.with_overrides(select=["ALL"])

    def run() -> int:
        plan = parse_plan(decode_source(data, root / "plan.md"))
        return len(lint_plan(plan, config, root))

    return run


def parse_callable(data: bytes) -> Callable[[], object]:
    """decode + parse only: the share of the time that is markdown-it and the plan builder."""
    from planlint.io import decode_source
    from planlint.parse.plan import parse_plan

    return lambda: parse_plan(decode_source(data, "plan.md"))


def count_tasks(data: bytes) -> int:
    """Top-level tasks (what the orchestrator schedules), steps not counted."""
    from planlint.io import decode_source
    from planlint.parse.plan import parse_plan

    plan = parse_plan(decode_source(data))
    return sum(1 for task in plan.tasks() if task.parent is None)


# -- a. whole-process startup ---------------------------------------------------------------------


def bench_startup(runs: int, workdir: Path, profile: bool) -> dict[str, Any]:
    plan = workdir / "small.md"
    plan.write_text(generate_plan(5, 6), encoding="utf-8")
    # Bytecode caching on, as for an installed planlint, but into the temporary folder, so the
    # checkout gets no __pycache__ (and PYTHONDONTWRITEBYTECODE=1 does not make every run compile).
    # A hidden folder: the check walks the working folder for its file index, and a user's
    # repository holds no bytecode of planlint, click and markdown-it.
    drop = {"PLANLINT_DEBUG", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPYCACHEPREFIX"] = str(workdir / ".pycache")
    check_cmd = [sys.executable, "-m", "planlint", "check", "small.md"]
    floor_cmd = [sys.executable, "-c", "import click, markdown_it"]

    def run(cmd: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True)
        elapsed = time.perf_counter() - start
        # The generated plan is clean, so anything but 0 means the run measured a failure
        # (planlint not importable from the temporary folder exits 1 too, in 30 ms).
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr.decode()}")
        return elapsed

    for _ in range(2):  # warm the page cache and .pyc files
        run(check_cmd)
        run(floor_cmd)
    check_times, floor_times = [], []
    for _ in range(runs):  # interleaved, so drift in machine load hits both alike
        check_times.append(run(check_cmd))
        floor_times.append(run(floor_cmd))
    check, floor = statistics.median(check_times), statistics.median(floor_times)
    ratio = check / floor
    result: dict[str, Any] = {
        "plan_tasks": 30,
        "runs": runs,
        "check_median_s": check,
        "floor_median_s": floor,
        "check_min_s": min(check_times),
        "floor_min_s": min(floor_times),
        "ratio": ratio,
        "bytecode_cache": True,
        "target": STARTUP_TARGET,
        "ok": ratio <= STARTUP_TARGET,
    }
    if profile and not result["ok"]:
        result["importtime"] = import_time(workdir, env)
        result["profile"] = profile_top(check_callable(plan.read_bytes(), workdir))
    return result


def import_time(workdir: Path, env: dict[str, str], limit: int = 25) -> str:
    """The slowest imports of `planlint check small.md` by self time (python -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "planlint", "check", "small.md"],
        cwd=workdir, env=env, capture_output=True, text=True,
    )  # fmt: skip
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line[len("import time:") :].split("|")
        self_us, cumulative_us, name = (part.strip() for part in fields)
        rows.append((int(self_us), int(cumulative_us), name))
    total = sum(r[0] for r in rows)
    lines = [f"total import self time: {total / 1000:.1f} ms"]
    lines.append(f"{'self ms':>8} {'cum ms':>8}  module")
    for self_us, cumulative_us, name in sorted(rows, reverse=True)[:limit]:
        lines.append(f"{self_us / 1000:8.1f} {cumulative_us / 1000:8.1f}  {name}")
    return "\n".join(lines)


# -- b. throughput --------------------------------------------------------------------------------


def bench_throughput(runs: int, size: int, workdir: Path, profile: bool) -> dict[str, Any]:
    from markdown_it import MarkdownIt

    text = plan_of_size(size)
    data = text.encode("utf-8")
    megabytes = len(data) / 1e6
    md = MarkdownIt("commonmark")
    md.parse(text)  # warm up
    check = check_callable(data, workdir)
    check_all = check_callable(data, workdir, select_all=True)
    findings = check()  # warm up: rule imports, caches
    check_all()
    parse_s = median_time(lambda: md.parse(text), runs)
    check_s = median_time(check, runs)
    check_all_s = median_time(check_all, runs)
    ratio = (megabytes / check_s) / (megabytes / parse_s)
    result: dict[str, Any] = {
        "bytes": len(data),
        "tasks": count_tasks(data),
        "runs": runs,
        "findings": findings,
        "parse_only_s": parse_s,
        "check_s": check_s,
        "check_all_rules_s": check_all_s,
        "parse_only_mb_s": megabytes / parse_s,
        "check_mb_s": megabytes / check_s,
        "check_all_rules_mb_s": megabytes / check_all_s,
        "ratio": ratio,
        "ratio_all_rules": parse_s / check_all_s,
        "target": THROUGHPUT_TARGET,
        "ok": ratio >= THROUGHPUT_TARGET,
    }
    if profile and not result["ok"]:
        result["profile"] = profile_top(check)
    return result


# -- c. scaling -----------------------------------------------------------------------------------


def bench_scaling(sizes: list[int], workdir: Path, profile: bool) -> dict[str, Any]:
    rows = []
    for tasks in sizes:
        phases = max(1, tasks // TASKS_PER_PHASE)
        per_phase = min(tasks, TASKS_PER_PHASE)
        data = generate_plan(phases, per_phase).encode("utf-8")
        check = check_callable(data, workdir)
        if not rows:
            check()  # warm up once: rule imports and caches
        runs = 5 if tasks <= 10_000 else 1
        seconds = median_time(check, runs)
        parse_seconds = median_time(parse_callable(data), runs)
        gc.collect()
        tracemalloc.start()
        check()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            {
                "tasks": phases * per_phase,
                "phases": phases,
                "bytes": len(data),
                "runs": runs,
                "seconds": seconds,
                "parse_seconds": parse_seconds,
                "us_per_task": seconds / (phases * per_phase) * 1e6,
                "peak_mb": peak / 1e6,
                "peak_bytes_per_input_byte": peak / len(data),
            }
        )
        del data, check
        gc.collect()
    ratio = rows[-1]["us_per_task"] / rows[0]["us_per_task"]
    result: dict[str, Any] = {
        "tasks_per_phase": TASKS_PER_PHASE,
        "rows": rows,
        "ratio": ratio,
        "target": SCALING_TARGET,
        "ok": ratio <= SCALING_TARGET,
    }
    if profile and not result["ok"]:
        biggest = sizes[-1]
        data = generate_plan(max(1, biggest // TASKS_PER_PHASE), TASKS_PER_PHASE).encode("utf-8")
        result["profile"] = profile_top(check_callable(data, workdir))
    return result


# -- report ---------------------------------------------------------------------------------------


def report(results: dict[str, Any]) -> str:
    lines = [f"planlint benchmarks  (Python {platform.python_version()}, {platform.machine()}, "
             f"{os.cpu_count()} CPUs, GC thresholds {gc.get_threshold()})"]  # fmt: skip
    if "startup" in results:
        r = results["startup"]
        lines += [
            "",
            f"a. startup: whole process, median of {r['runs']} runs",
            f"   python -m planlint check small.md ({r['plan_tasks']} tasks)  "
            f"{r['check_median_s'] * 1e3:8.1f} ms   (min {r['check_min_s'] * 1e3:.1f})",
            f"   python -c 'import click, markdown_it'             "
            f"{r['floor_median_s'] * 1e3:8.1f} ms   (min {r['floor_min_s'] * 1e3:.1f})",
            f"   ratio {r['ratio']:.2f}x   target <= {r['target']}x   {status(r['ok'])}",
        ]
    if "throughput" in results:
        r = results["throughput"]
        lines += [
            "",
            f"b. throughput: {r['bytes'] / 1e6:.2f} MB plan, {r['tasks']:,} tasks, median of {r['runs']} runs",
            f"   markdown-it-py parse only        {r['parse_only_s'] * 1e3:8.1f} ms  {r['parse_only_mb_s']:6.2f} MB/s",
            f"   planlint parse + check (default) {r['check_s'] * 1e3:8.1f} ms  "
            f"{r['check_mb_s']:6.2f} MB/s   ({r['findings']} findings)",
            f"   planlint parse + check (ALL)     {r['check_all_rules_s'] * 1e3:8.1f} ms  "
            f"{r['check_all_rules_mb_s']:6.2f} MB/s",
            f"   ratio {r['ratio']:.2f}x (ALL rules: {r['ratio_all_rules']:.2f}x)   "
            f"target >= {r['target']}x   {status(r['ok'])}",
        ]
    if "scaling" in results:
        r = results["scaling"]
        lines += [
            "",
            f"c. scaling: parse + check, {r['tasks_per_phase']} tasks per phase",
            f"   {'tasks':>8} {'phases':>7} {'MB':>7} {'seconds':>9} {'(parse)':>9} {'us/task':>9} "
            f"{'peak MB':>9} {'peak/input':>11}",
        ]
        for row in r["rows"]:
            lines.append(
                f"   {row['tasks']:>8,} {row['phases']:>7,} {row['bytes'] / 1e6:>7.2f} "
                f"{row['seconds']:>9.3f} {row['parse_seconds']:>9.3f} {row['us_per_task']:>9.1f} "
                f"{row['peak_mb']:>9.1f} {row['peak_bytes_per_input_byte']:>10.1f}x"
            )
        lines.append(
            f"   time per task, largest / smallest: {r['ratio']:.2f}x   target <= {r['target']}x   {status(r['ok'])}"
        )
    if "linear" in results:
        import bench_linear

        lines += ["", *bench_linear.report(results["linear"])]
    if "path" in results:
        import bench_path

        lines += ["", *bench_path.report(results["path"])]
    for name, r in results.items():
        if isinstance(r, dict) and ("profile" in r or "importtime" in r):
            lines += ["", f"== profile: {name} (target missed) =="]
            if "importtime" in r:
                lines += [r["importtime"], ""]
            if "profile" in r:
                lines.append(r["profile"])
    return "\n".join(lines)


def issue_table(results: dict[str, Any]) -> list[str]:
    """Issue 18's table (every row, its figure, its target, met or not) in Markdown, from the
    linear and path sections; `--json` also writes it into README.md between its markers."""
    rows = ["| work | figure | target | met |", "|---|---|---|---|"]

    def sec(result: dict[str, Any]) -> str:
        return "killed" if result.get("seconds") is None else f"{result['seconds']:.2f} s"

    def add(work: str, figure: str, target: str, ok: bool | None) -> None:
        rows.append(f"| {work} | {figure} | {target} | {'-' if ok is None else 'yes' if ok else 'no'} |")

    linear = results.get("linear", {})
    if "next_scale" in linear:
        r = linear["next_scale"]
        sizes = " / ".join(f"{int(n) // 1000}k" for n in r["runs"])
        figures = " / ".join(sec(x) for x in r["runs"].values())
        ratio = f"{r['ratio']:.2f}x" if r.get("ratio") else "-"
        add(f"`next PLAN 5`, {sizes} tasks", f"{figures}; us/task last vs first {ratio}",
            "50k <= 20 s, <= 2x", r["ok"])  # fmt: skip
    if "chain" in linear:
        (x,) = linear["chain"]["runs"].values()
        add("`next` on a 5,000-task chain", f"{sec(x)}, {x.get('rss_mb', 0):.0f} MB", "<= 1 s", linear["chain"]["ok"])
    if "one_file" in linear:
        r = linear["one_file"]
        emits = " / ".join(sec(x) for x in r["emit"].values())
        mb, mem = r.get("mb_ratio"), r.get("mem_ratio")
        to_file = r.get("file_mem_ratio") or 0
        figure = (f"next {sec(r['next'])}; emit {'/'.join(str(n) for n in r['emit'])} tasks {emits}, "
                  f"s/MB {mb or 0:.2f}x, MB/task {mem or 0:.2f}x; `-o` peak vs stdout's {to_file:.2f}x")  # fmt: skip
        add("one phase, one file: `next` (10k) / `emit`", figure, "next <= 5 s; emit <= 1.5x; `-o` <= 1.2x", r["ok"])
    for name, work, target in (("references", "50 references per task, `check`", "last <= 2.2x the one before"),
                               ("notes", "Execution Notes, `emit`", "1,000 <= 2.2x 500"),
                               ("stars", "`## Phase 1: ` + KB of `*`, `check`", "100 KB <= 4.4x 25 KB")):  # fmt: skip
        if name in linear:
            r = linear[name]
            sizes = " / ".join(str(n) for n in r["runs"])
            figures = " / ".join(sec(x) for x in r["runs"].values())
            ratio = f"{r['ratio']:.2f}x" if r.get("ratio") else "-"
            add(f"{work} ({sizes})", f"{figures}: {ratio}", target, r["ok"])
    if "status" in linear:
        ((size, x),) = linear["status"]["runs"].items()
        add(f"status.json with {int(size):,} tasks, `check`", sec(x), "<= 5 s", linear["status"]["ok"])
    path = results.get("path", {})
    works = {"one_plan": "one corpus plan in its git repo + status.json vs `import click, markdown_it`",
             "alone": "the same plan alone (no git, no status) vs the same floor",
             "cold": "first check after a fresh clone (no `.planlint_cache`) vs warm",
             "corpus": "`check docs/plans` (whole corpus) vs markdown-it-py's parse of the files",
             "next_node": "`next PLAN 5 --status S` vs `node scripts/status-cli.js --plan P next 5`"}  # fmt: skip
    for name, work in works.items():
        r = path.get(name)
        if isinstance(r, dict) and "ratio" in r:
            add(work, f"{r['a_ms']:.0f} / {r['b_ms']:.0f} ms = {r['ratio']:.2f}x", f"<= {r['target']}x", r["ok"])
    loads = [f"{r['load'][0]:.1f}" for r in (linear, path) if isinstance(r, dict) and "load" in r]
    return [*rows, "", f"Load average (1 min) at the end of each section: {', '.join(loads) or '-'}."]


README_START, README_END = "<!-- issue-18-table -->", "<!-- /issue-18-table -->"


def write_readme_table(lines: list[str], readme: Path = HERE / "README.md") -> bool:
    """Replace the table between the README's markers; False when the markers are missing."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    stamp = f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Python {platform.python_version()}, " \
            f"{os.cpu_count()} CPUs (`python benchmarks/run.py --json`):"  # fmt: skip
    body = "\n".join([README_START, stamp, "", *lines, README_END])
    readme.write_text(text[:start] + body + text[end + len(README_END) :], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="planlint speed and memory benchmarks")
    parser.add_argument("--only", choices=["startup", "throughput", "scaling", "linear", "path"], action="append",
                        help="run only this section (repeatable)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=10, help="startup process runs (default 10)")
    parser.add_argument("--size", type=int, default=1_000_000, help="plan bytes for throughput")
    parser.add_argument("--sizes", default="1000,10000,100000", help="task counts for scaling")
    parser.add_argument("--quick", action="store_true", help="fewer runs, scaling up to 10k tasks")
    parser.add_argument("--profile", action="store_true", help="profile sections that miss targets")
    parser.add_argument("--json", nargs="?", const=str(HERE / "results.json"), metavar="PATH",
                        help="write JSON results (default: benchmarks/results.json)")  # fmt: skip
    args = parser.parse_args(argv)
    sections = args.only or ["startup", "throughput", "scaling", "linear", "path"]
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = args.runs
    if args.quick:
        sizes = [s for s in sizes if s <= 10_000] or sizes[:1]
        runs = min(runs, 5)

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="planlint-bench-") as tmp:
        workdir = Path(tmp)
        # The in-process sections run with the GC thresholds of the `planlint` process, as a
        # user's check does; markdown-it's parse-only baseline shares them.
        tune_gc()
        # linear and path first: their processes' peak memory (wait4's ru_maxrss) would include
        # the parent's high-water mark, which the scaling section raises to ~1 GB
        if "startup" in sections:
            results["startup"] = bench_startup(runs, workdir, args.profile)
        if "linear" in sections:  # whole processes on their own synthetic plans (bench_linear.py)
            import bench_linear

            results["linear"] = bench_linear.bench(quick=args.quick)
        if "path" in sections:  # whole processes on a copy of the corpus (bench_path.py)
            import bench_path

            results["path"] = bench_path.bench(quick=args.quick)
        if "throughput" in sections:
            throughput_runs = 3 if args.quick else 5
            results["throughput"] = bench_throughput(throughput_runs, args.size, workdir, args.profile)
        if "scaling" in sections:
            results["scaling"] = bench_scaling(sizes, workdir, args.profile)
    print(report(results))
    if args.json:
        write_results(args.json, results, gc_threshold=list(gc.get_threshold()))
        if "linear" in results and "path" in results and write_readme_table(issue_table(results)):
            print(f"wrote issue 18's table into {HERE / 'README.md'}")
    return 0 if all(r.get("ok", True) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
