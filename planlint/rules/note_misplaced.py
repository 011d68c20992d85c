"""A task-level Execution Note stands outside any phase.

The orchestrator and agents read a phase's notes with the phase. A task note in the plan's
preamble is easily missed, and it is ambiguous which phase it belongs to. Phase-level notes
(`Phases 3-5 are [PARALLEL]`) may stand anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import ExecutionNote
from planlint.rule import Context, Rule


class NoteMisplaced(Rule):
    code = "PL108"
    name = "note-misplaced"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.plan.notes:
            if note.phase is None and note.scope == "tasks" and note.marker is not None and note.items:
                yield self.diagnostic(note.span, _message(note))


def _message(note: ExecutionNote) -> str:
    names = ", ".join(str(item) for item in note.items)
    phases = {end.split(".", 1)[0] for item in note.items for end in (item.first, item.last) if end}
    where = f"Phase {phases.pop()}" if len(phases) == 1 else "the phase of its tasks"
    return f"Execution Note for tasks {names} stands outside any phase; move it into {where}"
