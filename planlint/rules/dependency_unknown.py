"""A task depends on a task that does not exist.

The orchestrator waits for dependencies to complete; one that names no task either blocks its
dependent forever or is silently dropped, depending on the tool.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class DependencyUnknown(Rule):
    code = "PL111"
    name = "dependency-unknown"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for edge in ctx.dependencies.unknown:
            yield self.diagnostic(
                edge.dependency.span,
                f"task {edge.task.id} depends on {edge.dependency.target}, which does not exist in this plan",
            )
