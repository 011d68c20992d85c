"""Tasks of phases that may overlap touch the same file, at least one writing it.

A `Phases 3-4 are [PARALLEL]` note or a `pipeline-start` trigger lets tasks of two phases run at
the same time. The phase-level note only says the phases may overlap; it does not acknowledge
that their tasks edit the same files, so such pairs need a dependency (or the phases must not
overlap).
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.rule import Context, Rule
from planlint.text import and_list


class ParallelPhaseConflict(Rule):
    code = "PL109"
    name = "parallel-phase-conflict"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        for conflict in ctx.conflicts.conflicts:
            if not conflict.cross_phase:
                continue
            first = plan.task(conflict.tasks[0])
            if first is None:
                continue
            phases = and_list([str(p) for p in conflict.phases])
            yield self.diagnostic(
                first.id_span,
                f"tasks {', '.join(map(str, conflict.tasks))} of Phases {phases}, which may run at "
                f"the same time, {conflict.verb} `{conflict.key}`; add a dependency between them",
                related=[Related(span, text) for span, text in conflict.task_spans()],
            )
