"""A task range is written backwards (`3.4-3.1`), or names one task as a range (`3.2-3.2`).

Other tools that read notes (the orchestrator's own range expansion among them) treat a reversed
range as empty, so the tasks it meant to serialise run in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.notes import ItemTrouble
from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class RangeReversed(Rule):
    code = "PL104"
    name = "range-reversed"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for problem in ctx.notes.problems:
            if problem.trouble is ItemTrouble.REVERSED:
                first, last = problem.item.first, problem.item.last
                yield self.diagnostic(
                    problem.note.span, f"task range `{problem.item}` is reversed; write `{last}-{first}`"
                )
            elif problem.trouble is ItemTrouble.SINGLE:
                yield self.diagnostic(
                    problem.note.span,
                    f"task range `{problem.item}` names a single task; write `{problem.detail}`",
                )
