"""A task depends on a task of a later phase.

Phases run in order, so a Phase 2 task that waits for a Phase 4 task can never start, unless the
phases are reordered. Often the dependency points the wrong way. In the formats whose tasks run
in listed order (spec-kit, Kiro, files-block outside phases), a task that depends on a task
listed after it, outside its own parallel run, is reported the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.dependencies import Edge
from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Task
from planlint.rule import Context, Rule


class DependencyLaterPhase(Rule):
    code = "PL113"
    name = "dependency-later-phase"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        if plan.dialect != "phased":
            yield from self.check_lanes(ctx)
            return
        order = {phase.number: index for index, phase in enumerate(plan.phases)}
        for edge, target in _resolved(ctx):
            if order.get(target.phase, 0) > order.get(edge.task.phase, 0):
                yield self.diagnostic(
                    edge.dependency.span,
                    f"task {edge.task.id} (Phase {edge.task.phase}) depends on {target.id}, "
                    f"which is in the later Phase {target.phase}",
                )

    def check_lanes(self, ctx: Context) -> Iterator[Diagnostic]:
        """In the dialects whose tasks run in listed order (DESIGN.md §7), a dependency on a task
        that runs later (a later lane: listed after, and not in one parallel run) never resolves."""
        plan = ctx.plan
        for edge, target in _resolved(ctx):
            mine, theirs = plan.unit_of(edge.task).lane, plan.unit_of(target).lane
            if mine is not None and theirs is not None and theirs > mine:
                yield self.diagnostic(
                    edge.dependency.span,
                    f"task {edge.task.id} depends on {target.id}, which is listed after it and runs later",
                )


def _resolved(ctx: Context) -> Iterator[tuple[Edge, Task]]:
    """Each declared dependency with the task it names (one that names no task is PL111's)."""
    for edges in ctx.dependencies.edges.values():
        for edge in edges:
            target = ctx.plan.task(edge.dependency.target)
            if target is not None:
                yield edge, target
