"""A task's phase in status.json differs from the phase it sits under in the plan.

The orchestrator runs phases in order using the phase recorded in status.json, so a task moved
to another phase in the plan still runs at its old place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule

_PHASE = re.compile(r"Phase\s+(\d+)", re.IGNORECASE)


class StatusPhaseDrift(StatusRule):
    code = "PL206"
    name = "status-phase-drift"
    severity = Severity.WARNING

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        for task_id, entry in sorted(ctx.pairing.paired.items()):
            task = ctx.plan.task(task_id)
            match = _PHASE.search(entry.phase)
            if task is None or match is None:
                continue
            if int(match.group(1)) != task.phase:
                yield self.diagnostic(
                    status.span(f"{entry.pointer}/phase"),
                    f"task {task_id} is in Phase {task.phase} of the plan but status.json says '{entry.phase}'",
                )
