"""An Execution Note says in prose that tasks may run in parallel, without `[PARALLEL]`.

`Tasks 1.1, 1.3 modify plan-status.js but can run in parallel` is a deliberate decision that a
machine cannot read. With the marker, planlint and the orchestrator treat the shared file as
acknowledged instead of guessing. The fix puts `[PARALLEL]` at the start of the note's text and
changes no word of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.fix import Edit, Fix
from planlint.model import ExecutionNote, Span
from planlint.parse.grammar import NOTE_PREFIX
from planlint.rule import Context, Rule


class ProseParallelNote(Rule):
    code = "PL107"
    name = "prose-parallel-note"
    severity = Severity.INFO
    fixable = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.plan.notes:
            if note.prose_parallel and note.scope == "tasks" and note.items:
                names = ", ".join(str(item) for item in note.items)
                first_item = note.items[0].span
                marker = Edit(Span(first_item.path, _list_start(ctx, note), _list_start(ctx, note)), "[PARALLEL] ")
                yield self.diagnostic(
                    note.span,
                    f"Execution Note declares tasks {names} parallel in prose; add the [PARALLEL] marker",
                    fix=Fix("add the [PARALLEL] marker", (marker,)),
                )


def _list_start(ctx: Context, note: ExecutionNote) -> int:
    """Where the note's text begins, after `**Execution Note:**` (the marker goes there)."""
    text = ctx.plan.source.text
    prefix = NOTE_PREFIX.match(text, note.span.start, note.span.end)
    return prefix.end() if prefix else note.span.start
