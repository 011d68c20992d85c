"""An Execution Note names a task of another phase.

Phases run one after another, so a `[SEQUENTIAL]` group cannot span two of them, and a note
inside Phase 3 that names `4.2` is almost always a typo for `3.2`.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.notes import ItemTrouble
from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class RangeCrossesPhase(Rule):
    code = "PL103"
    name = "range-crosses-phase"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for problem in ctx.notes.problems:
            if problem.trouble is ItemTrouble.CROSSES_PHASE:
                where = f" in Phase {problem.note.phase}" if problem.note.phase is not None else ""
                yield self.diagnostic(
                    problem.note.span,
                    f"Execution Note{where} names `{problem.item}`, which {problem.detail}",
                )
