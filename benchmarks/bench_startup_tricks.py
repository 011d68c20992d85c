"""Are planlint's two start-up tricks worth their code? (issue 17 item 4)

- `planlint.value.NamedTuple`: a metaclass that builds value classes with
  `collections.namedtuple` instead of `typing.NamedTuple`.
- `planlint.patterns.deferred`: regular expressions compiled on first use instead of at import.

Each variant runs the same `planlint check PLAN` in a fresh interpreter, with the trick switched
off by replacing the name before any planlint module is imported (`typing.NamedTuple` for
`planlint.value.NamedTuple`; `patterns.compile` for `patterns.deferred`). Two figures per variant,
medians (and minima, which load disturbs least) over interleaved runs so that load on the
machine hits each variant alike:

- in-process: from before `import planlint.cli` to the end of the check (the interpreter's own
  start-up, the same for every variant, left out);
- wall: the whole process, as a pre-commit hook pays it.

Plus the direct costs: defining one value class each way, and compiling every deferred pattern.

    python benchmarks/bench_startup_tricks.py [--runs 25] [PLAN]

Without PLAN, it checks run.py's start-up plan (5 phases of 6 tasks) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

VARIANTS = {
    "as is": "",
    "typing.NamedTuple": "import typing, planlint.value as v; v.NamedTuple = typing.NamedTuple",
    "eager regexes": "import planlint.patterns as p; p.deferred = p.compile",
    "neither trick": (
        "import typing, planlint.value as v; v.NamedTuple = typing.NamedTuple; "
        "import planlint.patterns as p; p.deferred = p.compile"
    ),
}

CHILD = """\
import sys, time
start = time.perf_counter()
{switch}
from planlint.cli import cli
try:
    cli.main(["check", {plan!r}], standalone_mode=False)
except SystemExit:
    pass
print(time.perf_counter() - start, file=sys.stderr)
"""


def run_once(switch: str, plan: str, env: dict[str, str]) -> tuple[float, float]:
    """(in-process seconds, wall seconds) of one check."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(switch=switch, plan=plan)],
        env=env,
        cwd=Path(plan).parent,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    return float(done.stderr.strip().splitlines()[-1]), wall


def class_cost(repeat: int = 300) -> tuple[float, float]:
    """Microseconds to define one four-field value class (string annotations, as under
    `from __future__ import annotations`) with each NamedTuple."""
    import typing

    from planlint import value

    code = compile(
        "from __future__ import annotations\n"
        "class C(NamedTuple):\n"
        "    a: int\n    b: str\n    c: int | None\n    d: tuple[int, ...] = ()\n"
        "    def total(self) -> int:\n        return self.a\n",
        "<bench>",
        "exec",
    )

    def define(base: object) -> float:
        namespace = {"NamedTuple": base, "__name__": __name__}
        start = time.perf_counter()
        for _ in range(repeat):
            exec(code, namespace)
        return (time.perf_counter() - start) / repeat * 1e6

    define(value.NamedTuple), define(typing.NamedTuple)  # warm-up
    return define(value.NamedTuple), define(typing.NamedTuple)


def counts() -> tuple[int, int, float]:
    """(value classes, deferred patterns, ms to compile every deferred pattern) in planlint."""
    import re

    classes = patterns = 0
    sources = []
    for path in (REPO / "planlint").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        classes += text.count("(NamedTuple):")
        patterns += text.count("patterns.deferred(")
        sources.append(text)
    found = re.findall(r"patterns\.deferred\(\s*(r?\"(?:[^\"\\]|\\.)*\")(?:,\s*([\w.| ]+))?\)", "\n".join(sources))
    re.purge()
    start = time.perf_counter()
    for literal, flags in found:
        re.compile(eval(literal), eval(flags, {"re": re}) if flags else 0)
    re.purge()
    return classes, patterns, (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("plan", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    if args.plan is None:
        from generate import generate_plan

        args.plan = Path(tempfile.mkdtemp(prefix="planlint-bench-")) / "small.md"
        args.plan.write_text(generate_plan(5, 6), encoding="utf-8")
    plan = str(args.plan.resolve())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    for switch in VARIANTS.values():  # warm-up: bytecode written, caches filled
        run_once(switch, plan, env)
    for _ in range(args.runs):
        for name, switch in VARIANTS.items():
            results[name].append(run_once(switch, plan, env))
    base_in, base_wall = (statistics.median(r[i] for r in results["as is"]) for i in (0, 1))
    print(f"planlint check {args.plan.name}: medians of {args.runs} interleaved runs")
    base_min = min(r[0] for r in results["as is"])
    print(f"{'variant':<20} {'in-process ms':>14} {'delta':>8} {'min ms':>8} {'delta':>8} {'wall ms':>9} {'delta':>8}")
    for name, runs in results.items():
        inside, wall = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        least = min(r[0] for r in runs)
        print(
            f"{name:<20} {inside * 1000:>14.1f} {(inside - base_in) * 1000:>+8.1f} {least * 1000:>8.1f} "
            f"{(least - base_min) * 1000:>+8.1f} {wall * 1000:>9.1f} {(wall - base_wall) * 1000:>+8.1f}"
        )
    ours, typings = class_cost()
    classes, patterns, compile_ms = counts()
    print(f"one value class: {ours:.1f} us with planlint.value, {typings:.1f} us with typing.NamedTuple")
    print(
        f"{classes} value classes in planlint/; {patterns} deferred patterns, {compile_ms:.1f} ms to compile them all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
