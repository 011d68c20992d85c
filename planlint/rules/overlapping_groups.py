"""A task belongs to two `[SEQUENTIAL]` groups, or two notes declare the same group.

Two groups that share a task leave the order between their other tasks unclear (does `3.4`
wait for `3.1`?), and a repeated note is a sign that one of them is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.notes import ResolvedGroup
from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.model import TaskId
from planlint.rule import Context, Rule


class OverlappingGroups(Rule):
    code = "PL105"
    name = "overlapping-groups"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        groups = ctx.notes.sequential
        for index, group in enumerate(groups):
            for earlier in groups[:index]:
                shared = sorted(set(group.tasks) & set(earlier.tasks))
                if not shared:
                    continue
                yield self.diagnostic(
                    group.note.span, _message(group, earlier, shared), related=[Related(earlier.note.span, "the other group")]
                )


def _message(group: ResolvedGroup, earlier: ResolvedGroup, shared: list[TaskId]) -> str:
    where = f"line {earlier.note.line}"
    if set(group.tasks) == set(earlier.tasks):
        return f"[SEQUENTIAL] group `{group.label}` repeats the group `{earlier.label}` at {where}"
    names = ", ".join(map(str, shared))
    return f"[SEQUENTIAL] group `{group.label}` shares {names} with the group `{earlier.label}` at {where}"
