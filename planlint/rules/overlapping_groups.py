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
        # index task -> earlier groups holding it: linear in the tasks named, not pairwise
        holders: dict[TaskId, list[int]] = {}
        for index, group in enumerate(groups):
            shared_with: dict[int, list[TaskId]] = {}
            for task in group.tasks:
                for earlier in holders.get(task, ()):
                    shared_with.setdefault(earlier, []).append(task)
                holders.setdefault(task, []).append(index)
            for earlier_index, shared in sorted(shared_with.items()):
                other = groups[earlier_index]
                yield self.diagnostic(
                    group.note.span,
                    _message(group, other, sorted(shared)),
                    related=[Related(other.note.span, "the other group")],
                )


def _message(group: ResolvedGroup, earlier: ResolvedGroup, shared: list[TaskId]) -> str:
    where = f"line {earlier.note.line}"
    if set(group.tasks) == set(earlier.tasks):
        return f"[SEQUENTIAL] group `{group.label}` repeats the group `{earlier.label}` at {where}"
    names = ", ".join(map(str, shared))
    return f"[SEQUENTIAL] group `{group.label}` shares {names} with the group `{earlier.label}` at {where}"
