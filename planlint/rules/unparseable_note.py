"""An Execution Note carries a marker but no task or phase list that planlint can read.

`**Execution Note:** These are [SEQUENTIAL]` tells a human something but gives a machine nothing:
the orchestrator cannot tell which tasks to serialise. Name them: `Tasks 3.1-3.4 are [SEQUENTIAL]`.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class UnparseableNote(Rule):
    code = "PL106"
    name = "unparseable-note"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.plan.notes:
            if note.marker is not None and not note.items:
                yield self.diagnostic(note.span, _message(note.marker.value, note.scope))


def _message(marker: str, scope: str | None) -> str:
    if scope == "phases":
        what, example = "phase list", f"Phases 2-3 are [{marker}] - reason"
    else:
        what, example = "task list", f"Tasks 3.1-3.4 are [{marker}] - reason"
    return f"Execution Note has a [{marker}] marker but no {what} planlint can read (write e.g. `{example}`)"
