"""A task belongs to two `[SEQUENTIAL]` groups, or two notes declare the same group.

Two groups that share a task leave the order between their other tasks unclear (does `3.4`
wait for `3.1`?), and a repeated note is a sign that one of them is stale. One finding per group,
at its note, naming the first earlier group it overlaps and counting the others: n notes that all
overlap give n findings, not n^2.
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
        # task -> the groups holding it, in order; task set -> the first group with exactly it.
        # Each group costs its own size (plus a bounded look for others), never the product of
        # its size and the groups before it.
        holders: dict[TaskId, list[int]] = {}
        first_with: dict[frozenset[TaskId], int] = {}
        for index, group in enumerate(groups):
            members = frozenset(group.tasks)
            earlier = [holders[t][0] for t in group.tasks if t in holders]
            repeated = first_with.get(members)
            first_with.setdefault(members, index)
            for task in group.tasks:
                holders.setdefault(task, []).append(index)
            if not earlier:
                continue
            first = repeated if repeated is not None else min(earlier)
            overlapping = _some_overlapping(group, holders, index)
            shared = sorted(members & frozenset(groups[first].tasks))
            yield self.diagnostic(
                group.note.span,
                _message(group, groups[first], shared, len(overlapping) - 1),
                related=[Related(groups[i].note.span, "the other group") for i in sorted(overlapping)[:_MAX_RELATED]],
            )


def _some_overlapping(group: ResolvedGroup, holders: dict[TaskId, list[int]], index: int) -> set[int]:
    """The earlier groups sharing a task with this one, up to _MAX_RELATED + 1 of them."""
    found: set[int] = set()
    for task in group.tasks:
        for holder in holders[task]:
            if holder < index:
                found.add(holder)
                if len(found) > _MAX_RELATED:
                    return found
    return found


_MAX_RELATED = 10
_MAX_NAMED = 10


def _message(group: ResolvedGroup, earlier: ResolvedGroup, shared: list[TaskId], others: int) -> str:
    where = f"line {earlier.note.line}"
    if others >= _MAX_RELATED:
        more = f" (and {_MAX_RELATED} or more earlier groups)"
    else:
        more = f" (and {others} more earlier group{'s' if others != 1 else ''})" if others else ""
    if set(group.tasks) == set(earlier.tasks):
        return f"[SEQUENTIAL] group `{group.label}` repeats the group `{earlier.label}` at {where}{more}"
    names = ", ".join(map(str, shared[:_MAX_NAMED]))
    if len(shared) > _MAX_NAMED:
        names += f" and {len(shared) - _MAX_NAMED} more"
    return f"[SEQUENTIAL] group `{group.label}` shares {names} with the group `{earlier.label}` at {where}{more}"
