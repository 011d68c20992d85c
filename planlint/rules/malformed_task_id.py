"""A list item in a phase starts with an ID that is not `N.M` or `N.M.K`.

IDs like `1.2.3.4` or `3.1.A` look like tasks to a reader, but the orchestrator does not
schedule them and no note, range or dependency can name them.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class MalformedTaskId(Rule):
    code = "PL004"
    name = "malformed-task-id"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for malformed in ctx.plan.malformed_ids:
            yield self.diagnostic(
                malformed.span,
                f"'{malformed.text}' is not a task ID (expected N.M or N.M.K, numbers only)",
            )
