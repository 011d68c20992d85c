"""A task range is written backwards (`3.4-3.1`), or names one task as a range (`3.2-3.2`).

Other tools that read notes (the orchestrator's own range expansion among them) treat a reversed
range as empty, so the tasks it meant to serialise run in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.notes import ItemTrouble
from planlint.diagnostic import Diagnostic, Edit, Fix, Severity
from planlint.rule import Context, Rule


class RangeReversed(Rule):
    code = "PL104"
    name = "range-reversed"
    severity = Severity.ERROR
    fixable = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for problem in ctx.notes.problems:
            item = problem.item
            written = ctx.plan.source.text[item.span.start : item.span.end]
            if problem.trouble is ItemTrouble.REVERSED and item.last is not None:
                dash = written[len(item.first) : len(written) - len(item.last)]
                fixed = f"{item.last}{dash}{item.first}"
                yield self.diagnostic(
                    problem.note.span,
                    f"task range `{item}` is reversed; write `{item.last}-{item.first}`",
                    fix=Fix(f"reorder the range to {fixed}", (Edit(item.span, fixed),)),
                )
            elif problem.trouble is ItemTrouble.SINGLE:
                yield self.diagnostic(
                    problem.note.span,
                    f"task range `{item}` names a single task; write `{problem.detail}`",
                    fix=Fix(f"write {item.first} instead of {written}", (Edit(item.span, item.first),)),
                )
