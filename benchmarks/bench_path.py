"""Issue 18 items 2 and 3: the one-plan path pays only for what the plan needs.

Whole processes on a copy of the real-plan corpus (../shared/corpus) made a git repository, each
figure a ratio of two medians measured in one run, the two commands interleaved so that drift in
the machine's load hits both alike. Bytecode is cached in a hidden folder outside the copy
(`PYTHONPYCACHEPREFIX`), as for an installed planlint; both sides of a ratio are warm runs
unless the row says otherwise.

    python benchmarks/bench_path.py              # every row (about 2 minutes)
    python benchmarks/bench_path.py --quick      # 5 runs a side instead of 15
    python benchmarks/bench_path.py --only cold  # one row (repeatable)
    python benchmarks/bench_path.py --json       # also write benchmarks/results-path.json

| row | what | target |
|---|---|---|
| one_plan | `check PLAN`: a corpus plan in its git repository, status.json paired, vs the floor (*) | <= 1.5x |
| alone | the same plan alone in a folder (no git, no status), vs the same floor | <= 1.25x |
| cold | the first check of PLAN after a fresh clone (no `.planlint_cache`) vs a warm one | <= 2x |
| corpus | `check docs/plans` (the whole corpus) vs markdown-it-py's parse of the same files | <= 1.6x |
| next_node | `next PLAN 5 --status S` vs the team's `node scripts/status-cli.js --plan PLAN next 5` | <= 1.2x |

(*) the floor: `python -c "import click, markdown_it"`. The corpus is read from ../shared/corpus
(or `--corpus`); without it the script says so and exits 0. `next_node` needs `node` on the PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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

CORPUS = HERE.parent.parent / "shared" / "corpus"
# a plan with a status.json of its own (its folder, `docs/plan-outputs/archive/<stem>/`), which
# cites Python and JavaScript files of the corpus and names symbols in them
PLAN = "docs/plans/archive/fix-orchestrator-bugs.md"
# a plan that the orchestrator has not run: `status-cli.js init` writes its status.json
NEXT_PLAN = "docs/plans/cleanup-implementation.md"
NEXT_STATUS = "docs/plan-outputs/cleanup-implementation/status.json"
FLOOR = [sys.executable, "-c", "import click, markdown_it"]
TARGETS = {"one_plan": 1.5, "alone": 1.25, "cold": 2.0, "corpus": 1.6, "next_node": 1.2}
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]


class Bench:
    def __init__(self, tmp: Path, corpus: Path, runs: int) -> None:
        self.tmp = tmp
        self.repo = tmp / "repo"
        self.runs = runs
        drop = {"PLANLINT_DEBUG", "PYTHONDONTWRITEBYTECODE"}
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env["PYTHONPYCACHEPREFIX"] = str(tmp / ".pycache")  # outside the repository's walk
        self.env["PYTHONPATH"] = str(HERE.parent)
        shutil.copytree(corpus, self.repo, ignore=shutil.ignore_patterns(".planlint_cache", "__pycache__"))
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
            subprocess.run([*GIT, *command], cwd=self.repo, check=True, capture_output=True, timeout=120)

    def planlint(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "planlint", *args]

    def once(self, cmd: list[str], cwd: Path, before: Callable[[], None] | None = None) -> float:
        if before is not None:
            before()
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, env=self.env, capture_output=True)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):  # 1: the plan has findings; anything else measured a failure
            raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
        return elapsed

    def imported_modules(self, args: list[str], cwd: Path) -> list[str]:
        """The planlint modules one planlint command imports, in the order it imports them."""
        code = ("import sys\nfrom planlint.cli import main\n"
                "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
                "print(' '.join(m for m in sys.modules if m.startswith('planlint')), file=sys.stderr)")  # fmt: skip
        done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=self.env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        lines = done.stderr.strip().splitlines()
        return lines[-1].split() if lines else []

    def import_bound(self, name: str, args: list[str], against: list[str], cwd: Path) -> dict[str, Any]:
        """A lower bound for a start-up row: a process that only imports the planlint modules this
        command imports (with the `planlint` script's GC settings: tuned before the imports, frozen
        at exit) and runs nothing, against the row's own baseline. Where this ratio is above the
        target, no change to what the command does can meet it; only importing less can."""
        modules = self.imported_modules(args, cwd)
        code = "import gc, click, markdown_it\nfrom planlint.cli import tune_gc\ntune_gc()\n"
        imports = [sys.executable, "-c", code + "".join(f"import {m}\n" for m in modules) + "gc.freeze()\n"]
        bound = self.ratio(name, imports, against, cwd)
        return {"what": f"importing the {len(modules)} planlint modules, running nothing",
                "ms": bound["a_ms"], "baseline_ms": bound["b_ms"], "ratio": bound["ratio"]}  # fmt: skip

    def ratio(self, name: str, a: list[str], b: list[str], cwd: Path, *, cwd_b: Path | None = None,
              before_a: Callable[[], None] | None = None) -> dict[str, Any]:  # fmt: skip
        """Median of a over median of b, interleaved runs after two warm-up runs of each."""
        for _ in range(2):
            self.once(a, cwd, before_a)
            self.once(b, cwd_b or cwd)
        times_a, times_b = [], []
        for _ in range(self.runs):
            times_a.append(self.once(a, cwd, before_a))
            times_b.append(self.once(b, cwd_b or cwd))
        median_a, median_b = statistics.median(times_a), statistics.median(times_b)
        ratio = median_a / median_b

        def shown(cmd: list[str]) -> str:
            return " ".join(cmd[1:] if cmd[0] == sys.executable else cmd)

        return {"a": shown(a), "b": shown(b),
                "runs": self.runs, "a_ms": round(median_a * 1e3, 1), "b_ms": round(median_b * 1e3, 1),
                "a_min_ms": round(min(times_a) * 1e3, 1), "b_min_ms": round(min(times_b) * 1e3, 1),
                "ratio": round(ratio, 3), "target": TARGETS[name], "ok": ratio <= TARGETS[name]}  # fmt: skip


def row_one_plan(bench: Bench) -> dict[str, Any]:
    result = bench.ratio("one_plan", bench.planlint("check", PLAN), FLOOR, bench.repo)
    result["bound"] = bench.import_bound("one_plan", ["check", PLAN], FLOOR, bench.repo)
    return result


def row_alone(bench: Bench) -> dict[str, Any]:
    alone = bench.tmp / "alone"
    alone.mkdir(exist_ok=True)
    shutil.copyfile(bench.repo / PLAN, alone / "plan.md")
    result = bench.ratio("alone", bench.planlint("check", "plan.md"), FLOOR, alone)
    result["bound"] = bench.import_bound("alone", ["check", "plan.md"], FLOOR, alone)
    return result


def row_cold(bench: Bench) -> dict[str, Any]:
    cache = bench.repo / ".planlint_cache"

    def fresh_clone() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    command = bench.planlint("check", PLAN)
    result = bench.ratio("cold", command, command, bench.repo, before_a=fresh_clone)
    # A lower bound for this target: a cold run parses with libcst, so it imports libcst at least.
    libcst = bench.ratio("cold", [sys.executable, "-c", "import click, markdown_it, libcst"], FLOOR, bench.repo)
    import_ms = libcst["a_ms"] - libcst["b_ms"]
    result["bound"] = {"what": "a warm run plus `import libcst`, parsing nothing",
                       "import_libcst_ms": round(import_ms, 1),
                       "ratio": round((result["b_ms"] + import_ms) / result["b_ms"], 3)}  # fmt: skip
    return result


def row_corpus(bench: Bench) -> dict[str, Any]:
    files = sorted(str(p.relative_to(bench.repo)) for p in (bench.repo / "docs/plans").rglob("*.md"))
    parse = ("import sys\nfrom markdown_it import MarkdownIt\nmd = MarkdownIt('commonmark')\n"
             "for name in sys.argv[1:]:\n"
             "    with open(name, encoding='utf-8') as f:\n        md.parse(f.read())")  # fmt: skip
    markdown_it = [sys.executable, "-c", parse, *files]
    result = bench.ratio("corpus", bench.planlint("check", "docs/plans"), markdown_it, bench.repo)
    result["b"] = f"-c <markdown-it parse of the {len(files)} files>"
    return result


def row_next_node(bench: Bench) -> dict[str, Any]:
    if shutil.which("node") is None:
        return {"skipped": "node is not on the PATH", "ok": True}
    if not (bench.repo / NEXT_STATUS).exists():
        subprocess.run(["node", "scripts/status-cli.js", "--plan", NEXT_PLAN, "init"], cwd=bench.repo,
                       env=bench.env, check=True, capture_output=True, timeout=60)  # fmt: skip
    ours = bench.planlint("next", NEXT_PLAN, "5", "--status", NEXT_STATUS)
    theirs = ["node", "scripts/status-cli.js", "--plan", NEXT_PLAN, "next", "5"]
    result = bench.ratio("next_node", ours, theirs, bench.repo)
    result["bound"] = bench.import_bound("next_node", ours[3:], theirs, bench.repo)
    return result


ROWS: dict[str, Callable[[Bench], dict[str, Any]]] = {
    "one_plan": row_one_plan,
    "alone": row_alone,
    "cold": row_cold,
    "corpus": row_corpus,
    "next_node": row_next_node,
}


def bench(quick: bool = False, only: list[str] | None = None, corpus: Path = CORPUS,
          runs: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Run the rows (all, or `only`) on a fresh copy of the corpus; each row's figures and verdict."""
    if not (corpus / "docs/plans").is_dir():
        return {"skipped": f"no corpus at {corpus}", "ok": True, "load": os.getloadavg()}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="planlint-path-") as tmp:
        setup = Bench(Path(tmp), corpus, runs or (5 if quick else 15))
        for name in only or list(ROWS):
            results[name] = ROWS[name](setup)
    results["load"] = os.getloadavg()
    results["ok"] = all(r.get("ok") for r in results.values() if isinstance(r, dict))
    return results


def report(results: dict[str, Any]) -> list[str]:
    """The rows as lines for run.py's table."""
    lines = [
        f"e. one-plan path (issue 18): whole processes on the corpus, medians, load average {results['load'][0]:.1f}"
    ]
    if "skipped" in results:
        return [*lines, f"   skipped: {results['skipped']}"]
    for name, row in results.items():
        if not isinstance(row, dict):
            continue
        if "skipped" in row:
            lines.append(f"   {name:<10} skipped: {row['skipped']}")
            continue
        verdict = "ok" if row["ok"] else "MISSED"
        lines.append(f"   {name:<10} {row['a_ms']:8.1f} / {row['b_ms']:8.1f} ms = {row['ratio']:.2f}x   "
                     f"target <= {row['target']}x   {verdict}")  # fmt: skip
        lines.append(f"   {'':<10} {row['a']}  vs  {row['b']}")
        if "bound" in row:
            bound = row["bound"]
            lines.append(f"   {'':<10} lower bound {bound['ratio']:.2f}x: {bound['what']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", choices=list(ROWS))
    parser.add_argument("--quick", action="store_true", help="5 runs a side instead of 15")
    parser.add_argument("--runs", type=int, help="runs a side")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", nargs="?", const=str(HERE / "results-path.json"), metavar="PATH")
    args = parser.parse_args(argv)
    results = bench(args.quick, args.only, args.corpus, args.runs)
    print("\n".join(report(results)))
    write_results(args.json, results)
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
