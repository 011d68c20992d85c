"""A task names no file, so planlint cannot tell what it touches (opt-in).

Conflict detection (PL101) works from the files a task names. A task like "Improve error
handling" may well edit the same module as its neighbours, and nothing will notice. Name the
files: "Improve error handling in `src/api/client.py`". VERIFY tasks are exempt.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class NoFileReference(Rule):
    code = "PL401"
    name = "no-file-reference"
    severity = Severity.INFO
    opt_in = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for phase in ctx.plan.phases:
            for task in phase.top_level_tasks:
                if task.verify or ctx.conflicts.accesses.get(task.id):
                    continue
                yield self.diagnostic(task.id_span, f"task {task.id} names no file, so its conflicts cannot be checked")
