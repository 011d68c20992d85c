"""A task ID whose first number is not its phase's number.

`- [ ] 4.1 ...` under `## Phase 3` is almost always a copy-paste slip. The orchestrator files the
task under Phase 3 while notes, dependencies and people read it as part of Phase 4.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class TaskOutsidePhase(Rule):
    code = "PL003"
    name = "task-outside-phase"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for phase in ctx.plan.phases:
            for task in phase.tasks:
                if task.id.phase != phase.number:
                    yield self.diagnostic(
                        task.id_span,
                        f"task {task.id} is in Phase {phase.number}; its ID should start with {phase.number}",
                    )
