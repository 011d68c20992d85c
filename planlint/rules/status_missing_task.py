"""A task of the plan has no entry in its status.json.

The orchestrator schedules from status.json, so a task missing there is never run. Usually the
plan gained a task after the status file was created. The finding points at the plan's task
and names the status file. More than ten missing tasks are reported as one finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusMissingTask(StatusRule):
    code = "PL203"
    name = "status-missing-task"
    severity = Severity.ERROR

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        pairing = ctx.pairing
        if not isinstance(status.data, dict) or not isinstance(status.data.get("tasks"), list):
            return  # no task list to compare (PL201/PL202 say why)
        if pairing.legacy:
            return  # a legacy file's missing tasks are part of the one PL211 finding
        missing = pairing.missing
        status_name = status.path
        if len(missing) > self.fold_after:
            names = ", ".join(str(t.id) for t in missing[:5])
            yield self.diagnostic(
                missing[0].id_span,
                f"{len(missing)} plan tasks ({names}, ...) have no entry in {status_name}",
            )
            return
        for task in missing:
            yield self.diagnostic(task.id_span, f"task {task.id} has no entry in {status_name}")
