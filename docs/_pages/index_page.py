"""The before-and-after example of docs/index.md (a generated block of a hand-written page)."""

from __future__ import annotations

from _pages.common import fenced, wrap
from _pages.example_project import INDEX_PLAN, PLAN_PATH, console, project


def render_index_example() -> str:
    check, fix = f"planlint check {PLAN_PATH}", f"planlint fix {PLAN_PATH}"
    with project(INDEX_PLAN) as example:
        checked = example.run(check)
        fixed = example.run(fix)
        after = example.plan.read_text(encoding="utf-8")
    text = [
        f"A plan, `{PLAN_PATH}`, whose tasks 1.1 and 1.2 both edit `payment.py`:",
        fenced(INDEX_PLAN, "markdown"),
        wrap(
            "An orchestrator would hand 1.1 and 1.2 to two agents at once, and one would overwrite"
            " the other's work. planlint says so ([PL101](rules/PL101.md)):"
        ),
        console(check, *checked),
        "`planlint fix` writes the Execution Note that makes the orchestrator run them in order:",
        console(fix, *fixed),
        fenced(after, "markdown"),
    ]
    return "\n\n".join(text)
