"""status.json has an entry for a task that the plan does not have.

The orchestrator would run (or report as done) work that is no longer in the plan, usually
because the plan was renumbered or rewritten after the status file was made. More than ten
unknown entries are reported as one finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusUnknownTask(StatusRule):
    code = "PL204"
    name = "status-unknown-task"
    severity = Severity.ERROR
    needs_plan = True

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if status.document is None:
            return
        unknown = ctx.pairing.unknown
        plan_name = ctx.plan.path
        if len(unknown) > self.fold_after:
            names = ", ".join(entry.id for entry in unknown[:5])
            yield self.diagnostic(
                status.span("/tasks", key=True),
                f"{len(unknown)} status entries ({names}, ...) name no task of {plan_name}",
            )
            return
        for entry in unknown:
            yield self.diagnostic(
                status.span(f"{entry.pointer}/id"), f"status task {entry.id or '(no id)'} is not a task of {plan_name}"
            )
        for again, first in ctx.pairing.duplicates:
            yield self.diagnostic(
                status.span(f"{again.pointer}/id"),
                f"status task {again.id or '(no id)'} is listed twice (first at {first.pointer})",
            )
