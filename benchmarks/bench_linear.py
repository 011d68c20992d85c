"""Issue 18 item 1: `next`, `emit`, the conflict model, notes and status positions stay linear.

Each row runs whole `python -m planlint` processes (what a user or an orchestrator meets) on
synthetic files in a temporary folder that is not a git repository, and records wall time and
the child's peak resident memory (`wait4`'s rusage). Ratios are measured in one run.

    python benchmarks/bench_linear.py            # every row (about 5 minutes after the work)
    python benchmarks/bench_linear.py --quick    # smaller sizes (about 1 minute)
    python benchmarks/bench_linear.py --json     # also write benchmarks/results-linear.json
    python benchmarks/bench_linear.py --only next_scale --only chain   # some rows

Rows and targets (the issue's table):

| row | what | target |
|---|---|---|
| next_scale | `next PLAN 5` on generate.py plans of 1k, 16k, 32k, 50k tasks | 50k <= 20 s; us/task at 50k <= 2x at 1k |
| chain | `next PLAN 5` on a 5,000-task dependency chain | <= 1 s |
| one_file | 10k tasks on one file: `next`; `emit` 1k-4k, `-o` at 2k | next <= 5 s; emit <= 1.5x; `-o` <= 1.2x |
| references | 50 references per task, `check` at 1k, 2k, 4k tasks | 4k <= 2.2x 2k |
| notes | 500 and 1,000 Execution Notes, `emit` | 1,000 <= 2.2x 500 |
| status | a plan of 10 tasks with a status.json of 100k tasks, `check` (a schema finding per task) | <= 5 s |
| stars | `## Phase 1: ` and 25 / 100 KB of `*`, `check` | 100 KB <= 4.4x 25 KB |
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import write_results  # noqa: E402
from generate import generate_plan  # noqa: E402

HEADER = ["# Implementation Plan: Linear Bench", "", "## Overview", "", "- **Goal:** scale", ""]
FOOTER = ["## Success Criteria", "", "- [ ] It scales", ""]


def run(args: list[str], cwd: Path, timeout: float) -> dict[str, Any]:
    """Wall time, peak RSS (MB), exit code and stdout size of one planlint process."""
    env = dict(os.environ, PLANLINT_CACHE_DIR="", PYTHONPATH=str(HERE.parent))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([sys.executable, "-m", "planlint", *args], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"seconds": None, "timeout": timeout}
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        size = out.tell()
    return {"seconds": round(seconds, 3), "rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": os.waitstatus_to_exitcode(status), "out_mb": round(size / 1e6, 3)}  # fmt: skip


def write(root: Path, name: str, text: str) -> str:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return name


def chain_plan(tasks: int) -> str:
    out = [*HEADER, "## Phase 1: A chain", "", "**Objective:** a long dependency chain.", ""]
    out += [f"- [ ] 1.{t} Step {t} of the chain (depends: 1.{t - 1})" if t > 1 else "- [ ] 1.1 Start"
            for t in range(1, tasks + 1)]  # fmt: skip
    return "\n".join([*out, "", *FOOTER])


def one_file_plan(tasks: int) -> str:
    out = [*HEADER, "## Phase 1: One file", "", "**Objective:** every task writes one file.", ""]
    out += [f"- [ ] 1.{t} Update handler {t} in `src/app.py`" for t in range(1, tasks + 1)]
    return "\n".join([*out, "", *FOOTER])


def references_plan(tasks: int, per_task: int = 50) -> str:
    out = [*HEADER]
    for p in range(1, tasks // 100 + 1):
        out += [f"## Phase {p}: Work {p}", "", f"**Objective:** phase {p}.", ""]
        for t in range(1, 101):
            files = ", ".join(f"`src/p{p}/t{t}/f{r}.py`" for r in range(per_task))
            out.append(f"- [ ] {p}.{t} Update {files}")
        out.append("")
    return "\n".join([*out, *FOOTER])


def notes_plan(notes: int) -> str:
    out = [*HEADER]
    for p in range(1, notes // 10 + 1):
        out += [f"## Phase {p}: Work {p}", "", f"**Objective:** phase {p}.", ""]
        out += [f"**Execution Note:** Tasks {p}.{2 * n + 1}-{p}.{2 * n + 2} are [SEQUENTIAL] - shared state"
                for n in range(10)]  # fmt: skip
        out.append("")
        out += [f"- [ ] {p}.{t} Update `src/p{p}/m{(t - 1) // 2}.py`" for t in range(1, 21)]
        out.append("")
    return "\n".join([*out, *FOOTER])


def status_pair(root: Path, tasks: int) -> str:
    plan = [*HEADER, "## Phase 1: Small", "", "**Objective:** a few tasks.", ""]
    plan += [f"- [ ] 1.{t} Task {t}" for t in range(1, 11)]
    (root / "docs/plans").mkdir(parents=True, exist_ok=True)
    (root / "docs/plan-outputs/status-bench").mkdir(parents=True, exist_ok=True)
    write(root, "docs/plans/status-bench.md", "\n".join([*plan, "", *FOOTER]))
    # every entry names no task of the plan and has a status the schema refuses: one finding each,
    # each located in the document
    entries = [{"id": f"1.{t}", "phase": "Phase 1: Small", "description": f"Task {t}", "status": "done"}
               for t in range(1, tasks + 1)]  # fmt: skip
    document = {"planPath": "docs/plans/status-bench.md", "planName": "Linear Bench",
                "createdAt": "2025-01-01T00:00:00Z", "lastUpdatedAt": "2025-01-01T00:00:00Z",
                "currentPhase": "Phase 1: Small", "tasks": entries,
                "summary": {"totalTasks": tasks, "completed": 0, "pending": tasks, "in_progress": 0,
                            "failed": 0, "skipped": 0}}  # fmt: skip
    write(root, "docs/plan-outputs/status-bench/status.json", json.dumps(document, indent=2) + "\n")
    return "docs/plans/status-bench.md"


def stars_plan(kilobytes: int) -> str:
    return "\n".join([*HEADER, "## Phase 1: " + "*" * (kilobytes * 1000), "", "- [ ] 1.1 Task", "", *FOOTER])


# -- rows ---------------------------------------------------------------------------------------


def row_next_scale(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    sizes = [1_000, 4_000, 8_000] if quick else [1_000, 16_000, 32_000, 50_000]
    runs = {}
    for size in sizes:
        name = write(root, f"next{size}.md", generate_plan(size // 100, 100))
        runs[size] = run(["next", name, "5"], root, timeout)
    first, last = runs[sizes[0]], runs[sizes[-1]]
    per = {s: (r["seconds"] / s * 1e6 if r["seconds"] else None) for s, r in runs.items()}
    ratio = per[sizes[-1]] / per[sizes[0]] if per[sizes[-1]] else None
    ok = ratio is not None and ratio <= 2.0 and (quick or (last["seconds"] or 1e9) <= 20)
    return {"runs": runs, "us_per_task": per, "ratio": ratio, "ok": ok, "first": first["seconds"]}


def row_chain(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    name = write(root, "chain.md", chain_plan(5_000))
    result = run(["next", name, "5"], root, timeout)
    return {"runs": {5000: result}, "ok": (result["seconds"] or 1e9) <= 1.0}


def row_one_file(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    size = 2_000 if quick else 10_000
    name = write(root, f"onefile{size}.md", one_file_plan(size))
    nxt = run(["next", name, "5", "--force"], root, timeout)
    emits = {}
    for n in [500, 1_000, 2_000] if quick else [1_000, 2_000, 4_000]:
        emits[n] = run(["emit", write(root, f"onefile{n}.md", one_file_plan(n)), "--force"], root, timeout)
    small, big = emits[min(emits)], emits[max(emits)]
    per_mb = {
        n: (r["seconds"] / r["out_mb"] if r.get("seconds") and r.get("out_mb") else None) for n, r in emits.items()
    }
    mb_ratio = per_mb[max(emits)] / per_mb[min(emits)] if per_mb[max(emits)] and per_mb[min(emits)] else None
    mem_ratio = (big["rss_mb"] / max(emits)) / (small["rss_mb"] / min(emits)) if big.get("rss_mb") else None
    # `emit -o FILE` streams as stdout does: its peak memory is that of the stdout run of the same plan
    middle = sorted(emits)[1]
    to_file = run(["emit", f"onefile{middle}.md", "--force", "-o", "out.json"], root, timeout)
    (root / "out.json").unlink(missing_ok=True)
    file_mem = to_file["rss_mb"] / emits[middle]["rss_mb"] if to_file.get("rss_mb") else None
    ok = (nxt["seconds"] or 1e9) <= 5 and mb_ratio is not None and mb_ratio <= 1.5
    ok = ok and mem_ratio is not None and mem_ratio <= 1.5 and file_mem is not None and file_mem <= 1.2
    return {"next": nxt, "emit": emits, "s_per_mb": per_mb, "mb_ratio": mb_ratio, "mem_ratio": mem_ratio,
            "emit_to_file": to_file, "file_mem_ratio": file_mem, "ok": ok}  # fmt: skip


def _ratio_row(root: Path, timeout: float, sizes: list[int], make: Callable[[int], str], command: str,
               limit: float, extra: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    runs = {}
    for size in sizes:
        name = write(root, f"{command}-{make.__name__}-{size}.md", make(size))
        runs[size] = run([command, name, *(extra or [])], root, timeout)
    a, b = runs[sizes[-2]]["seconds"], runs[sizes[-1]]["seconds"]
    ratio = b / a if a and b else None
    return {"runs": runs, "ratio": ratio, "ok": ratio is not None and ratio <= limit}


def row_references(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    sizes = [500, 1_000, 2_000] if quick else [1_000, 2_000, 4_000]
    return _ratio_row(root, timeout, sizes, references_plan, "check", 2.2)


def row_notes(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    return _ratio_row(root, timeout, [500, 1_000], notes_plan, "emit", 2.2, ["--force"])


def row_status(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    size = 20_000 if quick else 100_000
    name = status_pair(root, size)
    result = run(["check", name, "--format", "json"], root, timeout)
    return {"runs": {size: result}, "ok": (result["seconds"] or 1e9) <= 5.0}


def row_stars(root: Path, quick: bool, timeout: float) -> dict[str, Any]:
    return _ratio_row(root, timeout, [25, 100] if not quick else [10, 40], stars_plan, "check", 4.4)


ROWS: dict[str, Callable[[Path, bool, float], dict[str, Any]]] = {
    "next_scale": row_next_scale,
    "chain": row_chain,
    "one_file": row_one_file,
    "references": row_references,
    "notes": row_notes,
    "status": row_status,
    "stars": row_stars,
}


def bench(quick: bool = False, timeout: float = 600.0, only: list[str] | None = None) -> dict[str, Any]:
    """Run the rows (all, or `only`) in a temporary folder; each row's figures and verdict."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="planlint-linear-") as tmp:
        for name in only or list(ROWS):
            started = time.perf_counter()
            folder = Path(tmp) / name  # a folder each: the status row's status.json pairs with no other plan
            folder.mkdir()
            results[name] = ROWS[name](folder, quick, timeout)
            results[name]["bench_seconds"] = round(time.perf_counter() - started, 1)
    results["load"] = os.getloadavg()
    results["ok"] = all(r.get("ok") for r in results.values() if isinstance(r, dict))
    return results


def _seconds(result: dict[str, Any]) -> str:
    if result.get("seconds") is None:
        return f">{result.get('timeout', 0):.0f} s (killed)"
    return f"{result['seconds']:.2f} s, {result['rss_mb']:.0f} MB"


def report(results: dict[str, Any]) -> list[str]:
    """The rows as lines for run.py's table."""
    lines = [f"d. linear (issue 18): whole processes, load average {results['load'][0]:.1f}"]
    for name, row in results.items():
        if not isinstance(row, dict):
            continue
        if name == "one_file":
            runs = {"next": row["next"], **{f"emit {n}": r for n, r in row["emit"].items()}}
        else:
            runs = row["runs"]
        figures = "; ".join(f"{size}: {_seconds(r)}" for size, r in runs.items())
        extra = ""
        if row.get("ratio") is not None:
            extra = f"  ratio {row['ratio']:.2f}x"
        if name == "one_file" and row.get("mb_ratio") is not None:
            extra = f"  emit s/MB ratio {row['mb_ratio']:.2f}x, MB/task ratio {row['mem_ratio']:.2f}x"
            extra += f", -o peak vs stdout's {row.get('file_mem_ratio') or 0:.2f}x"
        lines.append(f"   {name:<11} {figures}{extra}   {'ok' if row['ok'] else 'MISSED'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", choices=list(ROWS))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a process is killed")
    parser.add_argument("--json", nargs="?", const=str(HERE / "results-linear.json"), metavar="PATH")
    args = parser.parse_args(argv)
    results = bench(args.quick, args.timeout, args.only)
    print("\n".join(report(results)))
    write_results(args.json, results)
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
