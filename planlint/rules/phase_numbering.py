"""Phase numbers repeat or run out of order.

Phases run in numeric order. Two `## Phase 3` headings make task IDs ambiguous. A Phase 5 written
before Phase 4 runs in an order different from what the reader sees.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.model import Phase
from planlint.rule import Context, Rule


class PhaseNumbering(Rule):
    code = "PL006"
    name = "phase-numbering"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        seen: dict[int, Phase] = {}
        previous: Phase | None = None
        for phase in ctx.plan.phases:
            first = seen.setdefault(phase.number, phase)
            if first is not phase:
                yield self.diagnostic(
                    phase.number_span,
                    f"Phase {phase.number} appears twice (first at line {first.line})",
                    related=[Related(first.heading, f"first Phase {phase.number}")],
                )
            elif previous is not None and phase.number < previous.number:
                yield self.diagnostic(
                    phase.number_span,
                    f"Phase {phase.number} comes after Phase {previous.number}; phases run in numeric order",
                )
            previous = phase
