"""A phase has no VERIFY block (opt-in; PLAN-STANDARDS).

The team's standard ends every phase with a `**VERIFY Phase N:**` block, so that a phase's work
is checked before the next phase builds on it. Turned on by `standard = "plan-standards"` or
`--extend-select PL008`.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class MissingVerify(Rule):
    code = "PL008"
    name = "missing-verify"
    severity = Severity.INFO
    opt_in = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for phase in ctx.plan.phases:
            if not phase.verify and phase.tasks:
                yield self.diagnostic(
                    phase.heading, f"Phase {phase.number} has no VERIFY block (`**VERIFY Phase {phase.number}:**`)"
                )
