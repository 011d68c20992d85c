"""Dependencies form a cycle.

No task of a cycle can ever start: the orchestrator deadlocks, or breaks the cycle at an
arbitrary point. The finding names the whole cycle (`2.1 -> 2.3 -> 2.1`) at its lowest task ID,
with each edge as a related location.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.rule import Context, Rule


class DependencyCycle(Rule):
    code = "PL112"
    name = "dependency-cycle"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for cycle in ctx.dependencies.cycles():
            path = " -> ".join([str(edge.task.id) for edge in cycle] + [str(cycle[0].task.id)])
            first = cycle[0].task
            yield self.diagnostic(
                first.id_span,
                f"dependency cycle: {path}",
                related=[
                    Related(edge.dependency.span, f"{edge.task.id} depends on {edge.dependency.target}")
                    for edge in cycle
                ],
            )
