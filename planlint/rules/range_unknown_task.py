"""An Execution Note names a task that does not exist.

A `[SEQUENTIAL]` range whose end is not a task covers less than its author thinks (or nothing at
all), so tasks that must run in order may run together. Usually the note survived a renumbering.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.notes import ItemProblem, ItemTrouble
from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class RangeUnknownTask(Rule):
    code = "PL102"
    name = "range-unknown-task"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for problem in ctx.notes.problems:
            if problem.trouble is ItemTrouble.UNKNOWN:
                yield self.diagnostic(problem.note.span, _message(problem))


def _message(problem: ItemProblem) -> str:
    """`detail` holds the missing IDs, `3.5` or `3.5 and 3.7`."""
    subject = f"Execution Note range `{problem.item}`" if problem.item.is_range else "Execution Note"
    if " and " in problem.detail:
        return f"{subject} names tasks {problem.detail}, which do not exist in this plan"
    return f"{subject} names task {problem.detail}, which does not exist in this plan"
