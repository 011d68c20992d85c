"""A task's description is too vague for an agent to act on (opt-in).

"Fix the issues we discussed" or "Misc cleanup" depends on context the agent executing the
task does not have. Say what to change and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule

_VAGUE = re.compile(
    r"\b(?:as discussed|we discussed|(?:the|those|these|remaining|other) (?:issues|problems|things|bugs)"
    r"|misc(?:ellaneous)?|stuff|TBD|TODO|as needed|whatever|something|and so on)\b",
    re.IGNORECASE,
)
_MIN_WORDS = 3


class VagueTask(Rule):
    code = "PL402"
    name = "vague-task"
    severity = Severity.INFO
    opt_in = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for task in ctx.plan.tasks():
            if ctx.conflicts.accesses.get(task.id) or len(task.blocks) > 1:
                continue  # it names its files, or nested bullets spell out the details
            words = task.text.split()
            vague = _VAGUE.search(task.text)
            if vague:
                reason = f"\"{vague.group()}\" leaves out what to change"
            elif len(words) < _MIN_WORDS:
                reason = f"{len(words)} word{'s' if len(words) != 1 else ''} cannot say what to change and where"
            else:
                continue
            yield self.diagnostic(task.id_span, f"task {task.id} is vague: {reason}")
