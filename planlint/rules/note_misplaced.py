"""A task-level Execution Note stands outside any phase.

The orchestrator and agents read a phase's notes with the phase. A task note in the plan's
preamble is easily missed, and it is ambiguous which phase it belongs to. Phase-level notes
(`Phases 3-5 are [PARALLEL]`) may stand anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class NoteMisplaced(Rule):
    code = "PL108"
    name = "note-misplaced"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.plan.notes:
            if note.phase is None and note.scope == "tasks" and note.marker is not None:
                yield self.diagnostic(
                    note.span, "task-level Execution Note stands outside any phase; move it into its phase"
                )
