"""A phase has no VERIFY block (opt-in; PLAN-STANDARDS).

The team's standard ends every phase with a `**VERIFY Phase N:**` block, so that a phase's work
is checked before the next phase builds on it. A phase has work when it holds tasks or a checklist
(`- [ ] Write the summary`, with or without IDs); a phase of prose alone (`Phase 0: Prerequisites`,
already met) needs no VERIFY. A VERIFY in a form the standard does not allow still counts here:
PL011 reports its form. Turned on by `standard = "plan-standards"` or `--extend-select PL008`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Phase, Plan
from planlint.rule import Context, Rule

# A checklist item at the start of a line: `- [ ] text`, `* [x] text`, `1. [ ] text`.
# Any line break counts (`\r` alone too), as it does for the parser.
_CHECKLIST_ITEM = re.compile(r"(?:^|(?<=[\r\n]))[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]")


class MissingVerify(Rule):
    code = "PL008"
    name = "missing-verify"
    severity = Severity.INFO
    opt_in = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for phase in ctx.plan.phases:
            if not phase.verify and (phase.tasks or _has_checklist(ctx.plan, phase)):
                yield self.diagnostic(
                    phase.heading, f"Phase {phase.number} has no VERIFY block (`**VERIFY Phase {phase.number}:**`)"
                )


def _has_checklist(plan: Plan, phase: Phase) -> bool:
    source = plan.source
    start = source.line_bounds(phase.line)[1]
    end = source.line_bounds(phase.end_line)[1]
    return _CHECKLIST_ITEM.search(source.text, start, end) is not None
