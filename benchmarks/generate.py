"""Synthetic plans for the benchmarks: N phases x M tasks, shaped like the corpus's plans.

Each phase has an objective, an Execution Note with a `[SEQUENTIAL]` range over the tasks that
share a file, tasks with file references in backticks, dependencies (on the previous task and on
the previous phase), ID'd steps and plain bullets, an occasional code fence, and a VERIFY block.
The output is deterministic for a given seed, so runs are comparable.

    python benchmarks/generate.py --phases 10 --tasks 100 > plan.md
"""

from __future__ import annotations

import argparse
import random
import sys

VERBS_WRITE = ("Update", "Create", "Refactor", "Implement", "Add", "Fix")
VERBS_READ = ("Read", "Review", "Check", "Compare")
THINGS = (
    "the config loader", "retry logic", "the status writer", "error messages", "the CLI flags",
    "logging", "the cache layer", "input validation", "the scheduler", "progress output",
)  # fmt: skip
SEQUENTIAL_RUN = 4  # tasks per [SEQUENTIAL] group
GROUP_EVERY = 10  # one group at the start of every block of this many tasks


def _module(phase: int, task: int) -> str:
    return f"src/pkg{phase % 50}/mod_{phase}_{task}.py"


def plan_header(title: str, goal: str, output: str) -> list[str]:
    """The lines a synthetic plan opens with: the title, an Overview and the Dependencies section
    that PLAN-STANDARDS asks for, so that the plan is clean and only the analysis is timed."""
    return [
        f"# Implementation Plan: {title}",
        "",
        "## Overview",
        "",
        f"- **Goal:** {goal}",
        "- **Priority:** P1",
        "- **Created:** 2025-01-01",
        f"- **Output:** `docs/plan-outputs/{output}/`",
        "",
        "## Dependencies",
        "",
        "### Upstream",
        "",
        "- None",
        "",
        "### Downstream",
        "",
        "- None",
        "",
        "### External Tools",
        "",
        "- Python 3.11",
        "",
    ]


def generate_plan(phases: int, tasks_per_phase: int, *, seed: int = 0, steps: bool = True) -> str:
    """A plan of `phases` phases with `tasks_per_phase` top-level tasks each (steps not counted)."""
    rng = random.Random(seed)
    out = plan_header("Synthetic Benchmark", "exercise planlint at scale", "synthetic")
    for p in range(1, phases + 1):
        out.append(f"## Phase {p}: Work package {p}")
        out.append("")
        out.append(f"**Objective:** Deliver work package {p} without breaking package {p - 1}.")
        out.append("")
        # Tasks in each block of GROUP_EVERY share a file for the first SEQUENTIAL_RUN of them.
        for block in range(0, tasks_per_phase, GROUP_EVERY):
            first, last = block + 1, min(block + SEQUENTIAL_RUN, tasks_per_phase)
            if last > first:
                out.append(
                    f"**Execution Note:** Tasks {p}.{first}-{p}.{last} are [SEQUENTIAL] - "
                    f"all modify `src/pkg{p % 50}/shared_{p}_{block}.py`"
                )
                out.append("")
        for t in range(1, tasks_per_phase + 1):
            block = (t - 1) // GROUP_EVERY * GROUP_EVERY
            in_group = t - block <= SEQUENTIAL_RUN and tasks_per_phase > 1
            target = f"src/pkg{p % 50}/shared_{p}_{block}.py" if in_group else _module(p, t)
            verb = rng.choice(VERBS_WRITE)
            deps = []
            if t > 1 and rng.random() < 0.3:
                deps.append(f"{p}.{t - 1}")
            if p > 1 and rng.random() < 0.1:
                deps.append(f"{p - 1}.{rng.randint(1, tasks_per_phase)}")
            dep_text = f" (depends: {', '.join(deps)})" if deps else ""
            out.append(f"- [ ] {p}.{t} {verb} {rng.choice(THINGS)} in `{target}`{dep_text}")
            reads = f"docs/specs/spec_{p}_{rng.randint(1, 20)}.md"
            out.append(f"  - {rng.choice(VERBS_READ)} `{reads}` for the expected behaviour")
            if steps and t % 3 == 0:
                pkg = p % 50
                tests, docs = f"tests/pkg{pkg}/test_{p}_{t}.py", f"docs/pkg{pkg}/usage_{p}_{t}.md"
                out.append(f"  - [ ] {p}.{t}.1 Add unit tests for the change in `{tests}`")
                out.append(f"  - [ ] {p}.{t}.2 Document the new option in `{docs}`")
            else:
                out.append(f"  - Run `pytest tests/pkg{p % 50}` and fix what fails")
            if t % 25 == 0:
                out.extend(["  ```bash", f"  python -m pkg{p % 50} --check", "  ```"])
        out.append("")
        out.append(f"**VERIFY Phase {p}:**")
        out.append(f"- [ ] All tests in `tests/pkg{p % 50}` pass")
        out.append(f"- [ ] `docs/pkg{p % 50}/usage_{p}.md` describes the new behaviour")
        out.append("")
        out.append("---")
        out.append("")
    out.extend(["## Success Criteria", "", "- Every phase verified", ""])
    out.extend(["## Risks", "", "- None", ""])
    return "\n".join(out)


def plan_of_size(min_bytes: int, tasks_per_phase: int = 20, *, seed: int = 0) -> str:
    """A plan at least `min_bytes` long (UTF-8), grown a phase at a time."""
    per_phase = len(generate_plan(2, tasks_per_phase, seed=seed).encode()) // 2 or 1
    phases = max(1, min_bytes // per_phase)
    text = generate_plan(phases, tasks_per_phase, seed=seed)
    while len(text.encode()) < min_bytes:
        phases += max(1, phases // 20)
        text = generate_plan(phases, tasks_per_phase, seed=seed)
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=6, help="top-level tasks per phase")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-steps", action="store_true", help="no ID'd steps under tasks")
    args = parser.parse_args(argv)
    plan = generate_plan(args.phases, args.tasks, seed=args.seed, steps=not args.no_steps)
    sys.stdout.write(plan)


if __name__ == "__main__":
    main()
