"""An Execution Note says in prose that tasks may run in parallel, without `[PARALLEL]`.

`Tasks 1.1, 1.3 modify plan-status.js but can run in parallel` is a deliberate decision that a
machine cannot read. With the marker, planlint and the orchestrator treat the shared file as
acknowledged instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class ProseParallelNote(Rule):
    code = "PL107"
    name = "prose-parallel-note"
    severity = Severity.INFO
    # TODO(#5): the fix that adds the marker comes with `planlint fix`.

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.plan.notes:
            if note.prose_parallel and note.scope == "tasks" and note.items:
                names = ", ".join(str(item) for item in note.items)
                yield self.diagnostic(
                    note.span,
                    f"Execution Note declares tasks {names} parallel in prose; add the [PARALLEL] marker",
                )
