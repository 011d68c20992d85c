"""Tasks of one phase touch the same file, at least one writing it, with nothing ordering them.

The orchestrator runs a phase's tasks in parallel batches, so two agents editing one file
clobber each other's work unless something makes them run in order: a `[SEQUENTIAL]` Execution
Note that names both, a dependency between them, or a task-level `[PARALLEL]` note that records
the overlap as deliberate. Two tasks that only read a file never conflict; a task and its own
steps never conflict (one agent runs them). One finding per file and phase, at the first task,
naming every task involved.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.rule import Context, Rule


class MissingSequential(Rule):
    code = "PL101"
    name = "missing-sequential"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        for conflict in ctx.conflicts.conflicts:
            if conflict.cross_phase:
                continue
            first = plan.task(conflict.tasks[0])
            if first is None:
                continue
            names = ", ".join(map(str, conflict.tasks))
            verb = "write" if len(conflict.writers) == len(conflict.tasks) else "touch"
            yield self.diagnostic(
                first.id_span,
                f"tasks {names} all {verb} `{conflict.key}` but no [SEQUENTIAL] note, dependency "
                f"or [PARALLEL] note orders them",
                related=[
                    Related(span, f"task {task_id} {'writes' if task_id in conflict.writers else 'reads'} `{conflict.key}`")
                    for task_id, span in conflict.spans
                ],
            )
