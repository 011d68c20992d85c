"""Checking a plan with its status.json at 1k, 10k and 100k tasks (see benchmarks/README.md).

    python benchmarks/bench_status.py               # 1k, 10k and 100k tasks (about 4 minutes)
    python benchmarks/bench_status.py --quick       # 1k and 10k only
    python benchmarks/bench_status.py --json        # also write benchmarks/results-status.json
    python benchmarks/bench_status.py --no-profile  # no cProfile when a target is missed

What is measured (issue 10), for each size, in a temporary folder laid out as the corpus is
(`docs/plans/bench.md` and `docs/plan-outputs/bench/status.json`) and used as the root:

  pair      `planlint.api.check_paths([plan], Config(root=tmp))`: read and parse the plan, find
            and read its status.json, lint both (the schema, drift and summary rules included)
  plan      the same call with `status=()` in the Config, so no status.json is paired: the
            difference is what the status file costs
  status    read + `parse_status` alone, and the schema validation alone,
            `planlint.analysis.schema.violations(data)`: the first call of a run builds the
            validator (jsonschema imported beforehand), the second reuses the cached one
  memory    tracemalloc peak, in separate runs because tracing slows the code: the status side
            (read + parse + validate) at every size, the whole pair check up to 10k tasks
            (--full-memory: at 100k too, several minutes more)

The plan is benchmarks/generate.py's (100 tasks per phase, clean under the default rules);
status.json is in the orchestrator's shape (planPath, planName, createdAt, lastUpdatedAt,
currentPhase, tasks with id, phase, description, status and timestamps, summary) and agrees
with the plan, so the timings measure the checks, not the formatting of findings.

Targets: time per task at 100k <= 1.5x time per task at 1k, for the pair check and for the
schema validation (second call). The exit status is 0 when both are met and 1 otherwise; a
missed target is profiled at the largest size (cProfile, top 15) unless --no-profile.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the checkout's planlint, even when it is not installed

from common import profile_top, write_results  # noqa: E402
from generate import generate_plan  # noqa: E402

SCALING_TARGET = 1.5  # time per task at 100k / at 1k, at most
TASKS_PER_PHASE = 100
RUNS = {1_000: 5, 10_000: 3, 100_000: 1}
PLAN = "docs/plans/bench.md"
STATUS = "docs/plan-outputs/bench/status.json"
_TASK_LINE = re.compile(r"^- \[ \] (?P<id>\d+\.\d+) (?P<text>.*)$")
_PHASE_LINE = re.compile(r"^## (?P<heading>Phase (?P<number>\d+): .*)$")


# -- synthetic files ------------------------------------------------------------------------------


def status_document(plan_text: str, plan_path: str = PLAN) -> dict[str, Any]:
    """The orchestrator's status.json for a generated plan: one entry per top-level task, the
    first 40% completed, the next one in progress, the rest pending, and a matching summary."""
    entries: list[tuple[str, str, str]] = []
    phase = ""
    for line in plan_text.splitlines():
        heading = _PHASE_LINE.match(line)
        if heading:
            phase = heading.group("heading")
            continue
        task = _TASK_LINE.match(line)
        if task:
            entries.append((task.group("id"), phase, task.group("text")))
    done = len(entries) * 2 // 5
    tasks = []
    for number, (task_id, phase, text) in enumerate(entries):
        entry: dict[str, Any] = {"id": task_id, "phase": phase, "description": text}
        if number < done:
            minute = number % 50
            entry.update(status="completed", startedAt=f"2025-01-02T10:{minute:02d}:00Z",
                         completedAt=f"2025-01-02T10:{minute:02d}:30Z", duration=30_000)  # fmt: skip
        elif number == done:
            entry.update(status="in_progress", startedAt="2025-01-02T11:00:00Z")
        else:
            entry["status"] = "pending"
        tasks.append(entry)
    counts = Counter(t["status"] for t in tasks)
    current = entries[done][1] if done < len(entries) else ""
    return {
        "planPath": plan_path,
        "planName": "Synthetic Benchmark",
        "createdAt": "2025-01-01T00:00:00Z",
        "lastUpdatedAt": "2025-01-02T11:00:00Z",
        "currentPhase": current,
        "tasks": tasks,
        "summary": {
            "totalTasks": len(tasks),
            "completed": counts["completed"],
            "pending": counts["pending"],
            "in_progress": counts["in_progress"],
            "failed": 0,
            "skipped": 0,
        },
    }


def write_pair(root: Path, tasks: int) -> tuple[Path, Path, int]:
    phases, per_phase = max(1, tasks // TASKS_PER_PHASE), min(tasks, TASKS_PER_PHASE)
    text = generate_plan(phases, per_phase)
    plan_path, status_path = root / PLAN, root / STATUS
    plan_path.parent.mkdir(parents=True, exist_ok=True)
    status_path.parent.mkdir(parents=True, exist_ok=True)
    plan_path.write_text(text, encoding="utf-8")
    document = status_document(text)
    status_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return plan_path, status_path, len(document["tasks"])


# -- helpers --------------------------------------------------------------------------------------


def fresh_run() -> None:
    """Forget what an earlier run in this process built: the validator, the file index."""
    from planlint.analysis import schema
    from planlint.analysis.files import file_index

    schema._validator.cache_clear()
    schema.load_schema.cache_clear()
    file_index.cache_clear()


def check_pair(plan_path: Path, root: Path, *, with_status: bool = True) -> Callable[[], list[Any]]:
    from planlint.api import check_paths
    from planlint.config import Config

    config = Config(root=root) if with_status else Config(root=root, status=())

    def run() -> list[Any]:
        fresh_run()
        return check_paths([plan_path], config)

    return run


def timed(fn: Callable[[], object]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_time(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def peak_of(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def status_side(status_path: Path) -> Callable[[], int]:
    from planlint.analysis.schema import violations
    from planlint.io import read_source
    from planlint.parse.status import parse_status

    def run() -> int:
        fresh_run()
        status = parse_status(read_source(status_path))
        return len(list(violations(status.data)))

    return run


# -- the benchmark --------------------------------------------------------------------------------


def bench_size(tasks: int, base: Path, full_memory: bool) -> dict[str, Any]:
    from planlint.analysis import schema
    from planlint.analysis.schema import violations
    from planlint.io import read_source
    from planlint.parse.status import parse_status

    root = base / f"tasks-{tasks}"
    plan_path, status_path, entries = write_pair(root, tasks)
    runs = RUNS.get(tasks, 1)

    pair = check_pair(plan_path, root)
    pair_s, results = timed(pair)  # the first run is timed too: at 100k it is the only one
    if runs > 1:
        pair_s = statistics.median([pair_s] + [timed(pair)[0] for _ in range(runs - 1)])
    diagnostics = [d for r in results for d in r.diagnostics]
    paired = [p.resolve().relative_to(root.resolve()).as_posix() for r in results for p in r.sources]
    plan_s = median_time(check_pair(plan_path, root, with_status=False), runs)

    read_s, source = timed(lambda: read_source(status_path))
    parse_s, status = timed(partial(parse_status, source))
    data = status.data
    first, second, build = [], [], []
    for _ in range(max(runs, 2)):
        fresh_run()
        build.append(timed(lambda: schema._validator(None))[0])
        fresh_run()
        first.append(timed(lambda: list(violations(data)))[0])
        second_s, found = timed(lambda: list(violations(data)))
        second.append(second_s)
    del status, source

    status_peak = peak_of(status_side(status_path))
    pair_peak = peak_of(pair) if tasks <= 10_000 or full_memory else None
    return {
        "tasks": tasks,
        "status_entries": entries,
        "plan_bytes": plan_path.stat().st_size,
        "status_bytes": status_path.stat().st_size,
        "runs": runs,
        "paired_files": paired,
        "findings": dict(sorted(Counter(d.code for d in diagnostics).items())),
        "pair_s": pair_s,
        "plan_only_s": plan_s,
        "status_share_s": pair_s - plan_s,
        "read_status_s": read_s,
        "parse_status_s": parse_s,
        "validator_build_s": statistics.median(build),
        "schema_first_s": statistics.median(first),
        "schema_second_s": statistics.median(second),
        "schema_violations": len(found),
        "pair_us_per_task": pair_s / tasks * 1e6,
        "status_share_us_per_task": (pair_s - plan_s) / tasks * 1e6,
        "schema_us_per_task": statistics.median(second) / tasks * 1e6,
        "status_side_peak_bytes": status_peak,
        "status_side_peak_per_status_byte": status_peak / status_path.stat().st_size,
        "pair_peak_bytes": pair_peak,
    }


def bench(sizes: list[int], full_memory: bool, profile: bool) -> dict[str, Any]:
    start = time.perf_counter()
    import jsonschema  # noqa: F401 - imported once, before any timing

    import_s = time.perf_counter() - start
    rows = []
    with tempfile.TemporaryDirectory(prefix="planlint-status-") as tmp:
        base = Path(tmp)
        for tasks in sizes:
            rows.append(bench_size(tasks, base, full_memory))
            gc.collect()
        first, last = rows[0], rows[-1]
        pair_ratio = last["pair_us_per_task"] / first["pair_us_per_task"]
        schema_ratio = last["schema_us_per_task"] / first["schema_us_per_task"]
        result: dict[str, Any] = {
            "tasks_per_phase": TASKS_PER_PHASE,
            "jsonschema_import_s": import_s,
            "rows": rows,
            "pair_ratio": pair_ratio,
            "schema_ratio": schema_ratio,
            "target": SCALING_TARGET,
            "pair_ok": pair_ratio <= SCALING_TARGET,
            "schema_ok": schema_ratio <= SCALING_TARGET,
        }
        result["ok"] = result["pair_ok"] and result["schema_ok"]
        if profile and not result["ok"]:
            root = base / f"tasks-{last['tasks']}"
            if not result["pair_ok"]:
                result["profile_pair"] = profile_top(check_pair(root / PLAN, root))
            if not result["schema_ok"]:
                result["profile_schema"] = profile_top(status_side(root / STATUS))
    return result


# -- report ---------------------------------------------------------------------------------------


def report(r: dict[str, Any]) -> str:
    mb = 1e6
    lines = [
        f"planlint status.json checks  (Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs)",
        f"jsonschema import (once, not in the figures below): {r['jsonschema_import_s'] * 1e3:.0f} ms",
        "",
        "a. check_paths([plan], Config(root=tmp)): the plan and its status.json",
        f"   {'tasks':>8} {'plan MB':>8} {'stat. MB':>8} {'runs':>4} {'pair s':>8} {'plan s':>8} "
        f"{'status s':>8} {'us/task':>8} {'findings'}",
    ]
    for row in r["rows"]:
        lines.append(
            f"   {row['tasks']:>8,} {row['plan_bytes'] / mb:>8.2f} {row['status_bytes'] / mb:>8.2f} "
            f"{row['runs']:>4} {row['pair_s']:>8.3f} {row['plan_only_s']:>8.3f} "
            f"{row['status_share_s']:>8.3f} {row['pair_us_per_task']:>8.1f} {row['findings'] or 'none'}"
        )
    lines += [
        f"   pair time per task, largest / smallest: {r['pair_ratio']:.2f}x   target <= {r['target']}x   "
        f"target {'met' if r['pair_ok'] else 'missed'}",
        f"   status.json paired with the plan at every size: {all(len(row['paired_files']) == 2 for row in r['rows'])}",
        "",
        "b. the status file alone: read, parse_status, schema.violations(data) (validator: first "
        "call builds it, second reuses it)",
        f"   {'tasks':>8} {'read s':>8} {'parse s':>8} {'1st call':>9} {'2nd call':>9} {'us/task':>8} "
        f"{'viol.':>5} {'peak MB':>8} {'peak/file':>9} {'pair peak MB':>12}",
    ]
    for row in r["rows"]:
        pair_peak = f"{row['pair_peak_bytes'] / mb:12.1f}" if row["pair_peak_bytes"] is not None else f"{'-':>12}"
        lines.append(
            f"   {row['tasks']:>8,} {row['read_status_s']:>8.3f} {row['parse_status_s']:>8.3f} "
            f"{row['schema_first_s']:>9.3f} {row['schema_second_s']:>9.3f} {row['schema_us_per_task']:>8.1f} "
            f"{row['schema_violations']:>5} {row['status_side_peak_bytes'] / mb:>8.1f} "
            f"{row['status_side_peak_per_status_byte']:>8.1f}x {pair_peak}"
        )
    builds = ", ".join(f"{row['validator_build_s'] * 1e3:.1f} ms" for row in r["rows"])
    lines.append(f"   building the validator alone (cache emptied): {builds}; the second call reuses it")
    lines.append(
        f"   schema time per task, largest / smallest: {r['schema_ratio']:.2f}x   target <= {r['target']}x   "
        f"target {'met' if r['schema_ok'] else 'missed'}"
    )
    for key in ("profile_pair", "profile_schema"):
        if key in r:
            lines += ["", f"== {key.replace('_', ': ')} at {r['rows'][-1]['tasks']:,} tasks (target missed) ==",
                      r[key]]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="task counts")
    parser.add_argument("--quick", action="store_true", help="up to 10k tasks only")
    parser.add_argument("--full-memory", action="store_true", help="trace the whole pair check at every size")
    parser.add_argument("--no-profile", action="store_true", help="no cProfile when a target is missed")
    parser.add_argument("--json", nargs="?", const=str(HERE / "results-status.json"), metavar="PATH",
                        help="write JSON results (default: benchmarks/results-status.json)")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes = [s for s in sizes if s <= 10_000] or sizes[:1]
    started = time.perf_counter()
    result = bench(sizes, args.full_memory, not args.no_profile)
    result["wall_s"] = time.perf_counter() - started
    print(report(result))
    print(f"\nwhole run: {result['wall_s']:.0f} s")
    write_results(args.json, result)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
