"""A task's description is too vague for an agent to act on (opt-in).

"Fix the issues we discussed" or "Misc cleanup" depends on context the agent executing the
task does not have. Say what to change and where. A task that names its files, or spells out
the details in nested bullets or steps, is specific enough. Steps and VERIFY items may be short:
a step's task says where, and a VERIFY item states a check ("Tests pass"), not a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Task, TaskId
from planlint.rule import Context, Rule

# TODO and TBD as placeholders ("TODO: decide", "Caching TBD"), not "a TODO list widget".
_VAGUE = re.compile(
    r"\b(?:as discussed|we discussed|(?:the|those|these|remaining|other)"
    r" (?:issues|problems|things|bugs)|misc(?:ellaneous)?|stuff|as needed|whatever|something"
    r"|and so on)\b"
    r"|(?-i:\bTBD\b|^\W*TODO\b|\bTODO(?=\W*$|:))",
    re.IGNORECASE,
)
_MIN_WORDS = 3


class VagueTask(Rule):
    code = "PL402"
    name = "vague-task"
    severity = Severity.INFO
    opt_in = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        parents = {task.parent for task in plan.tasks() if task.parent is not None}
        for task in plan.tasks():
            if _names_a_file(ctx, task) or len(task.blocks) > 1 or task.id in parents:
                continue  # it names its files, or nested bullets or steps spell out the details
            words = task.text.split()
            vague = _VAGUE.search(task.text)
            if vague:
                reason = f'"{vague.group()}" leaves out what to change'
            elif len(words) < _MIN_WORDS and not (task.is_step or task.verify):
                plural = "s" if len(words) != 1 else ""
                reason = f"{len(words)} word{plural} cannot say what to change and where"
            else:
                continue
            yield self.diagnostic(task.id_span, f"task {task.id} is vague: {reason}")


def _names_a_file(ctx: Context, task: Task) -> bool:
    """Whether the task's (or step's) own text names a file; accesses are kept per unit."""
    unit: TaskId = ctx.plan.unit_of(task).id
    return any(access.task == task.id for access in ctx.conflicts.accesses.get(unit, ()))
