"""A step nested under a task has an ID that does not extend the task's ID.

`- [ ] 1.3.1` nested under `1.2` is either misplaced or misnumbered. The orchestrator runs the
step as part of `1.2` while notes and dependencies that name `1.3.1` mean something else.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class SubtaskIdMismatch(Rule):
    code = "PL005"
    name = "subtask-id-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for task in ctx.plan.tasks():
            if task.parent is not None and not task.id.extends(task.parent):
                yield self.diagnostic(
                    task.id_span,
                    f"step {task.id} is nested under task {task.parent}; its ID should start with {task.parent}",
                )
