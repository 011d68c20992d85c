"""Task IDs in a phase skip a number or run out of order.

`3.1, 3.2, 3.4` usually means a task was deleted or renumbered by hand, and ranges in Execution
Notes (`3.1-3.4`) may now cover a different set of tasks than their author meant.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Task, TaskId
from planlint.rule import Context, Rule


class TaskNumberingGap(Rule):
    code = "PL007"
    name = "task-numbering-gap"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        siblings: dict[tuple[int, ...], list[Task]] = {}
        for task in ctx.plan.tasks():
            siblings.setdefault(task.id.parts[:-1], []).append(task)
        for tasks in siblings.values():
            yield from self._check_run(tasks)

    def _check_run(self, tasks: list[Task]) -> Iterator[Diagnostic]:
        previous: TaskId | None = None
        for task in tasks:
            number = task.id.parts[-1]
            if previous is None:
                if number > 1:
                    first = ".".join(map(str, (*task.id.parts[:-1], 1)))
                    yield self.diagnostic(
                        task.id_span, f"task {task.id} is the first of its run; {first} is missing"
                    )
            elif task.id == previous:
                continue  # a repeated ID is PL002's finding
            elif task.id < previous:
                yield self.diagnostic(task.id_span, f"task {task.id} comes after {previous}; IDs run out of order")
            elif number > previous.parts[-1] + 1:
                missing = ".".join(map(str, (*task.id.parts[:-1], previous.parts[-1] + 1)))
                yield self.diagnostic(task.id_span, f"task {task.id} follows {previous}; {missing} is missing")
            if previous is None or task.id > previous:
                previous = task.id
