"""The conflict analysis at scale, and one file written by 1,000 tasks (see benchmarks/README.md).

    python benchmarks/bench_conflicts.py               # 1k, 10k and 100k tasks (about 3 minutes)
    python benchmarks/bench_conflicts.py --quick       # 1k and 10k only
    python benchmarks/bench_conflicts.py --json        # also write benchmarks/results-conflicts.json
    python benchmarks/bench_conflicts.py --no-profile  # no cProfile when a target is missed

What is measured (issue 4 item 7), in an empty temporary folder as the root, so the file index
is a walk of nothing and no repository walk dominates:

  scaling   `Context(plan, config, root).conflicts` (planlint/analysis/conflicts.py: collect and
            resolve every reference, read its access mode, build the inverted file index, find
            the uncovered conflicts) on plans of 1k, 10k and 100k tasks (100 per phase) with
            exactly 3 file references per task: 300k references at 100k tasks. The plan is
            parsed and the notes analysed before the clock starts; the per-plan reference
            extraction cache is emptied before every run, so each run extracts every reference
            as a lint run does once. A second figure ("warm") keeps that cache.
  one file  a phase of 1,000 tasks that all write `src/app/shared.py` and nothing orders:
            the full lint (`lint_plan`, default Config) must give exactly one PL101 and be quick,
            and the emit document (`planlint.constraints`) must put the 1,000 tasks in
            1,000 waves of one task each.

Target: time per reference at 100k tasks <= 1.5x time per reference at 1k (linear). The exit
status is 0 when every check passes and 1 otherwise; a missed target is profiled (cProfile,
top 15 by own time and by cumulative time) unless --no-profile.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the checkout's planlint, even when it is not installed
sys.path.insert(0, str(HERE))
from common import profile_top, status, write_results  # noqa: E402
from generate import plan_header  # noqa: E402

SCALING_TARGET = 1.5  # time per reference at 100k / at 1k, at most
QUICK_TARGET_S = 1.0  # the full lint of the one-file plan, at most
CHAIN_TARGET_S = 2.0  # the full lint of the one-file dependency chain, at most (45 s before a fix)
TASKS_PER_PHASE = 100
REFERENCES_PER_TASK = 3
ONE_FILE_TASKS = 1000
ONE_FILE = "src/app/shared.py"
RUNS = {1_000: 7, 10_000: 5, 100_000: 3}

_HEADER = plan_header("Conflict Benchmark", "exercise the conflict analysis at scale", "conflicts")
_FOOTER = ["## Success Criteria", "", "- Every phase verified", "", "## Risks", "", "- None", ""]


# -- synthetic plans ------------------------------------------------------------------------------


def conflict_plan(phases: int, tasks_per_phase: int, *, seed: int = 0) -> str:
    """Every task names exactly three files: the one it updates (head line), a spec it reads
    (shared by about five tasks of its phase) and the test file it adds. In each block of ten
    tasks, tasks 1-4 update one file under a `[SEQUENTIAL]` note (covered), tasks 5-6 update
    one file with nothing ordering them (one PL101 conflict per block), the rest their own
    module; about half of tasks 8-10 depend on the task before."""
    rng = random.Random(seed)
    out = list(_HEADER)
    for p in range(1, phases + 1):
        pkg = p % 50
        out += [f"## Phase {p}: Work package {p}", "", f"**Objective:** Deliver work package {p}.", ""]
        for block in range(0, tasks_per_phase - 3, 10):
            out.append(
                f"**Execution Note:** Tasks {p}.{block + 1}-{p}.{block + 4} are [SEQUENTIAL] - "
                f"all modify `src/pkg{pkg}/shared_{p}_{block}.py`"
            )
            out.append("")
        for t in range(1, tasks_per_phase + 1):
            block = (t - 1) // 10 * 10
            k = t - block
            if k <= 4:
                target = f"src/pkg{pkg}/shared_{p}_{block}.py"
            elif k <= 6:
                target = f"src/pkg{pkg}/hot_{p}_{block}.py"
            else:
                target = f"src/pkg{pkg}/mod_{p}_{t}.py"
            depends = f" (depends: {p}.{t - 1})" if k >= 8 and rng.random() < 0.5 else ""
            out.append(f"- [ ] {p}.{t} Update the config loader in `{target}`{depends}")
            out.append(f"  - Read `docs/specs/spec_{p}_{rng.randint(1, 20)}.md` for the expected behaviour")
            out.append(f"  - Add unit tests in `tests/pkg{pkg}/test_{p}_{t}.py`")
        out += ["", f"**VERIFY Phase {p}:**", f"- [ ] All tests in `tests/pkg{pkg}` pass", "", "---", ""]
    out += _FOOTER
    return "\n".join(out)


def one_file_plan(tasks: int = ONE_FILE_TASKS) -> str:
    """One phase whose tasks all update the same file, with no note or dependency ordering them."""
    out = list(_HEADER)
    out += ["## Phase 1: Everything in one file", "", "**Objective:** Stress a single shared file.", ""]
    out += [f"- [ ] 1.{t} Update handler {t} in `{ONE_FILE}`" for t in range(1, tasks + 1)]
    out += ["", "**VERIFY Phase 1:**", "- [ ] All tests pass", "", "---", ""]
    out += _FOOTER
    return "\n".join(out)


def chain_plan(tasks: int = ONE_FILE_TASKS) -> str:
    """One phase whose tasks all update the same file, each depending on the one after it: every
    pair is ordered, so the conflict check must confirm ~n^2/2 pairs and find nothing."""
    out = list(_HEADER)
    out += ["## Phase 1: A chain on one file", "", "**Objective:** Stress ordered pairs.", ""]
    out += [f"- [ ] 1.{t} Update handler {t} in `{ONE_FILE}` (depends: 1.{t + 1})" for t in range(1, tasks)]
    out += [f"- [ ] 1.{tasks} Update handler {tasks} in `{ONE_FILE}`"]
    out += ["", "**VERIFY Phase 1:**", "- [ ] All tests pass", "", "---", ""]
    out += _FOOTER
    return "\n".join(out)


# -- helpers --------------------------------------------------------------------------------------


def parse(text: str, root: Path) -> Any:
    from planlint.io import decode_source
    from planlint.parse.plan import parse_plan

    return parse_plan(decode_source(text.encode("utf-8"), root / "plan.md"))


def build_conflicts(plan: Any, config: Any, root: Path, *, cold: bool) -> tuple[float, Any]:
    """(seconds, model) for `Context(...).conflicts`, notes analysed before the clock starts."""
    from planlint.analysis.files import file_index
    from planlint.rule import Context

    file_index.cache_clear()
    context = Context(plan, config, root)  # a new check: its references are extracted afresh
    if not cold:  # references already read, as the conflict model finds them after another rule
        for task in plan.tasks():
            for block in task.blocks:
                context.references.of(block)
    context.notes  # noqa: B018 - built before the clock starts
    gc.collect()
    start = time.perf_counter()
    model = context.conflicts
    return time.perf_counter() - start, model


# -- a. scaling -----------------------------------------------------------------------------------


def bench_scaling(sizes: list[int], root: Path, profile: bool) -> dict[str, Any]:
    from planlint.config import Config

    config = Config(root=root)
    rows = []
    for tasks in sizes:
        phases, per_phase = max(1, tasks // TASKS_PER_PHASE), min(tasks, TASKS_PER_PHASE)
        text = conflict_plan(phases, per_phase)
        start = time.perf_counter()
        plan = parse(text, root)
        parse_s = time.perf_counter() - start
        plan.task_index  # noqa: B018 - the plan's own index, built once per plan in any run
        runs = RUNS.get(tasks, 3)
        cold = []
        for _ in range(runs):
            seconds, model = build_conflicts(plan, config, root, cold=True)
            cold.append(seconds)
        warm_s, model = build_conflicts(plan, config, root, cold=False)
        accesses = [a for unit in model.accesses.values() for a in unit]
        modes = Counter(a.mode.value for a in accesses)
        references = len(accesses)
        seconds = statistics.median(cold)
        rows.append(
            {
                "tasks": phases * per_phase,
                "phases": phases,
                "bytes": len(text.encode("utf-8")),
                "references": references,
                "references_per_task": references / (phases * per_phase),
                "files": len(model._by_file),
                "writes": sum(n for mode, n in modes.items() if mode != "read"),
                "reads": modes.get("read", 0),
                "conflicts": len(model.conflicts),
                "parse_s": parse_s,
                "runs": runs,
                "seconds": seconds,
                "seconds_min": min(cold),
                "warm_seconds": warm_s,
                "us_per_reference": seconds / references * 1e6,
                "warm_us_per_reference": warm_s / references * 1e6,
            }
        )
        del plan, model, accesses, text
        gc.collect()
    ratio = rows[-1]["us_per_reference"] / rows[0]["us_per_reference"]
    result: dict[str, Any] = {
        "tasks_per_phase": TASKS_PER_PHASE,
        "rows": rows,
        "ratio": ratio,
        "target": SCALING_TARGET,
        "ok": ratio <= SCALING_TARGET,
    }
    if profile and not result["ok"]:
        biggest = sizes[-1]
        plan = parse(conflict_plan(max(1, biggest // TASKS_PER_PHASE), min(biggest, TASKS_PER_PHASE)), root)
        result["profile_tasks"] = biggest
        result["profile"] = profile_top(lambda: build_conflicts(plan, config, root, cold=True))
    return result


# -- b. one file, 1,000 writers -------------------------------------------------------------------


def timed_lint(text: str, root: Path, config: Any) -> tuple[list[Any], float]:
    """The diagnostics of a freshly parsed plan and the seconds lint_plan took on it."""
    from planlint.engine import lint_plan

    plan = parse(text, root)
    gc.collect()
    start = time.perf_counter()
    diagnostics = lint_plan(plan, config)
    return diagnostics, time.perf_counter() - start


def bench_one_file(root: Path, profile: bool) -> dict[str, Any]:
    from planlint.config import Config
    from planlint.emit.document import constraints
    from planlint.engine import lint_plan

    config = Config(root=root)
    text = one_file_plan()
    diagnostics, lint_s = timed_lint(text, root, config)
    codes = Counter(d.code for d in diagnostics)
    pl101 = [d for d in diagnostics if d.code == "PL101"]

    plan = parse(text, root)  # a new plan: nothing from the lint run is reused
    gc.collect()
    start = time.perf_counter()
    document = constraints(plan, config=config, root=root)
    emit_s = time.perf_counter() - start
    waves = document["waves"]
    ids = [str(t.id) for t in plan.tasks()]
    one_each = len(waves) == len(ids) and all(len(wave) == 1 for wave in waves)
    covers = sorted(t for wave in waves for t in wave) == sorted(ids)
    entries = list(document["tasks"].values())
    all_write = all(e["files"]["writes"] == [ONE_FILE] for e in entries)
    conflicts_with = sum(len(e["conflictsWith"]) for e in entries)
    document_bytes = len(json.dumps(document).encode("utf-8"))

    result: dict[str, Any] = {
        "tasks": len(ids),
        "file": ONE_FILE,
        "lint_s": lint_s,
        "diagnostics": dict(sorted(codes.items())),
        "pl101": len(pl101),
        "pl101_tasks_named": len(set(re.findall(r"\b1\.\d+\b", pl101[0].message))) if pl101 else 0,
        "pl101_related": len(pl101[0].related) if pl101 else 0,
        "pl101_message_chars": len(pl101[0].message) if pl101 else 0,
        "emit_s": emit_s,
        "waves": len(waves),
        "largest_wave": max((len(w) for w in waves), default=0),
        "waves_one_task_each": one_each and covers,
        "every_task_writes_the_file": all_write,
        "conflicts_with_entries": conflicts_with,
        "document_bytes": document_bytes,
        "quick_target_s": QUICK_TARGET_S,
        "ok": len(pl101) == 1 and one_each and covers and all_write and lint_s <= QUICK_TARGET_S,
    }
    if profile and not result["ok"]:
        plan = parse(text, root)
        result["profile"] = profile_top(lambda: lint_plan(plan, config))
    return result


def bench_chain(root: Path, profile: bool) -> dict[str, Any]:
    from planlint.config import Config
    from planlint.engine import lint_plan

    config = Config(root=root)
    text = chain_plan()
    diagnostics, lint_s = timed_lint(text, root, config)
    pl101 = sum(1 for d in diagnostics if d.code == "PL101")
    result: dict[str, Any] = {
        "tasks": ONE_FILE_TASKS,
        "lint_s": lint_s,
        "pl101": pl101,
        "target_s": CHAIN_TARGET_S,
        "ok": pl101 == 0 and lint_s <= CHAIN_TARGET_S,
    }
    if profile and not result["ok"]:
        plan = parse(text, root)
        result["profile"] = profile_top(lambda: lint_plan(plan, config))
    return result


# -- report ---------------------------------------------------------------------------------------


def report(results: dict[str, Any]) -> str:
    lines = [f"planlint conflict analysis  (Python {platform.python_version()}, {platform.machine()}, "
             f"{os.cpu_count()} CPUs)"]  # fmt: skip
    if "scaling" in results:
        r = results["scaling"]
        lines += [
            "",
            f"a. Context(plan, config, root).conflicts, {r['tasks_per_phase']} tasks per phase, empty folder as root",
            f"   {'tasks':>8} {'MB':>6} {'refs':>8} {'files':>8} {'confl.':>7} {'parse s':>8} "
            f"{'runs':>4} {'seconds':>8} {'us/ref':>7} {'warm s':>7} {'us/ref':>7}",
        ]
        for row in r["rows"]:
            lines.append(
                f"   {row['tasks']:>8,} {row['bytes'] / 1e6:>6.2f} {row['references']:>8,} "
                f"{row['files']:>8,} {row['conflicts']:>7,} {row['parse_s']:>8.2f} {row['runs']:>4} "
                f"{row['seconds']:>8.3f} {row['us_per_reference']:>7.2f} {row['warm_seconds']:>7.3f} "
                f"{row['warm_us_per_reference']:>7.2f}"
            )
        lines.append(
            f"   time per reference, largest / smallest: {r['ratio']:.2f}x   target <= {r['target']}x   "
            f"target {'met' if r['ok'] else 'missed'}"
        )
    if "one_file" in results:
        r = results["one_file"]
        lines += [
            "",
            f"b. {r['tasks']:,} tasks of one phase all write `{r['file']}` (nothing orders them)",
            f"   lint_plan (default Config)   {r['lint_s']:8.3f} s   PL101 findings: {r['pl101']} "
            f"(naming {r['pl101_tasks_named']:,} tasks, {r['pl101_message_chars']:,} chars, "
            f"{r['pl101_related']:,} related locations)   "
            f"all findings: {r['diagnostics']}",
            f"   constraints (emit)           {r['emit_s']:8.3f} s   waves: {r['waves']:,}, largest "
            f"{r['largest_wave']}; one task each: {r['waves_one_task_each']}; every task writes the file: "
            f"{r['every_task_writes_the_file']}",
            f"                                           "
            f"({r['conflicts_with_entries']:,} conflictsWith entries, {r['document_bytes'] / 1e6:.1f} MB of JSON)",
            f"   exactly one PL101, 1,000 single-task waves, lint <= {r['quick_target_s']} s:   {status(r['ok'])}",
        ]
    if "chain" in results:
        r = results["chain"]
        lines += [
            "",
            f"c. {r['tasks']:,} tasks of one phase all write `{ONE_FILE}`, each depending on the next",
            f"   lint_plan (default Config)   {r['lint_s']:8.3f} s   PL101 findings: {r['pl101']}",
            f"   no PL101, lint <= {r['target_s']} s:   {status(r['ok'])}",
        ]
    for name, r in results.items():
        if isinstance(r, dict) and "profile" in r:
            lines += ["", f"== profile: {name} (target missed) ==", r["profile"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="task counts for scaling")
    parser.add_argument("--quick", action="store_true", help="scaling up to 10k tasks only")
    parser.add_argument("--no-profile", action="store_true", help="no cProfile when a target is missed")
    parser.add_argument("--json", nargs="?", const=str(HERE / "results-conflicts.json"), metavar="PATH",
                        help="write JSON results (default: benchmarks/results-conflicts.json)")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes = [s for s in sizes if s <= 10_000] or sizes[:1]
    profile = not args.no_profile

    results: dict[str, Any] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="planlint-conflicts-") as tmp:
        root = Path(tmp)  # empty: no repository walk, no git ls-files
        results["one_file"] = bench_one_file(root, profile)
        results["chain"] = bench_chain(root, profile)
        results["scaling"] = bench_scaling(sizes, root, profile)
    results["wall_s"] = time.perf_counter() - started
    print(report(results))
    print(f"\nwhole run: {results['wall_s']:.0f} s")
    write_results(args.json, results)
    return 0 if all(r.get("ok", True) for r in results.values() if isinstance(r, dict)) else 1


if __name__ == "__main__":
    sys.exit(main())
