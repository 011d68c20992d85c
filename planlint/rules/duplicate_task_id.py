"""The same task ID appears twice in one plan.

status.json, dependencies, Execution Notes and the orchestrator all name tasks by ID; with two
tasks `3.2`, any of them may silently pick the wrong one. The finding points at the second
occurrence, with the first as a related location.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.model import Task, TaskId
from planlint.parse.dialects import DIALECTS
from planlint.rule import Context, Rule


class DuplicateTaskId(Rule):
    code = "PL002"
    name = "duplicate-task-id"
    severity = Severity.ERROR
    dialects = frozenset(DIALECTS)  # one ID, two tasks: a plan of any format names no one task

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        first_seen: dict[TaskId, Task] = {}
        for task in ctx.plan.tasks():
            first = first_seen.setdefault(task.id, task)
            if first is task:
                continue
            yield self.diagnostic(
                task.id_span,
                f"task ID {task.id} is used twice (first at line {first.line})",
                related=[Related(first.id_span, f"first task {task.id}")],
            )
