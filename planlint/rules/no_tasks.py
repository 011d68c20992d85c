"""A plan yields no phase or no task, so nothing in it can be scheduled.

The orchestrator only sees tasks written as `- [ ] N.M text` under a `## Phase N: Title`
heading. A plan whose phases are spelled differently (`## Step 1`, `## Stage A`), or whose
tasks have no IDs, gives the orchestrator nothing to run, and every other check passes vacuously.

Only files that look like plans are held to this: a searched folder's files without a phase
heading are skipped, and a file named on the command line (as pre-commit names them) is checked
when it is empty, has a heading that starts with "Phase", or has a title that names a plan
("Implementation Plan: Auth", "Auth Migration Plan"). Documents about plans kept beside them
("Plan Execution Order", an index README) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span
from planlint.rule import Context, Rule


class NoTasks(Rule):
    code = "PL001"
    name = "no-tasks"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        if not plan.phases:
            span = plan.headings[0].span if plan.headings else Span(plan.path, 0, 0)
            yield self.diagnostic(span, "no phase headings found (expected `## Phase N: Title`)")
        elif not any(phase.tasks for phase in plan.phases):
            yield self.diagnostic(
                plan.phases[0].heading,
                "phases found but no tasks (expected list items like `- [ ] 1.1 Do something`)",
            )
