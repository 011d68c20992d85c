"""An Execution Note says in prose that tasks may run in parallel, without `[PARALLEL]`.

`Tasks 1.1, 1.3 modify plan-status.js but can run in parallel` is a deliberate decision that a
machine cannot read. With the marker, planlint and the orchestrator treat the shared file as
acknowledged instead of guessing. The fix puts `[PARALLEL]` at the start of the note's text and
changes no word of it. It is offered only when every task the note names exists in its phase:
a marker on a note that names a missing task would make a broken note (PL102, PL103) of a
harmless one.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.notes import ItemProblem, ItemTrouble, item_problems
from planlint.diagnostic import Diagnostic, Edit, Fix, Severity
from planlint.model import ExecutionNote, Span
from planlint.parse.grammar import NOTE_PREFIX
from planlint.rule import Context, Rule

# What a marker would turn into an error; a reversed range (PL104) has a fix of its own.
_BREAKING = frozenset({ItemTrouble.UNKNOWN, ItemTrouble.CROSSES_PHASE})


class ProseParallelNote(Rule):
    code = "PL107"
    name = "prose-parallel-note"
    severity = Severity.INFO
    fixable = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.plan.notes:
            if note.prose_parallel and note.scope == "tasks" and note.items:
                names = ", ".join(str(item) for item in note.items)
                message = f"Execution Note declares tasks {names} parallel in prose; add the [PARALLEL] marker"
                breaking = [p for p in item_problems(ctx.plan, note) if p.trouble in _BREAKING]
                if breaking:
                    yield self.diagnostic(note.span, f"{message} once {_first_fault(breaking[0])}")
                else:
                    yield self.diagnostic(note.span, message, fix=_marker_fix(ctx, note))


def _first_fault(problem: ItemProblem) -> str:
    """What to correct before the marker can go in: `3.4 exists`, `1.2 is in this phase`."""
    if problem.trouble is ItemTrouble.UNKNOWN:
        missing = problem.detail.replace(" and ", ", ")
        return f"`{problem.item}` names tasks that exist (not {missing})"
    return f"`{problem.item}` names tasks of this phase only (it {problem.detail})"


def _marker_fix(ctx: Context, note: ExecutionNote) -> Fix:
    start = _list_start(ctx, note)
    return Fix("add the [PARALLEL] marker", (Edit(Span(note.span.path, start, start), "[PARALLEL] "),))


def _list_start(ctx: Context, note: ExecutionNote) -> int:
    """Where the note's text begins, after `**Execution Note:**` (the marker goes there)."""
    text = ctx.plan.source.text
    prefix = NOTE_PREFIX.match(text, note.span.start, note.span.end)
    return prefix.end() if prefix else note.span.start
