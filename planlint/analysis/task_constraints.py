"""Per-task execution constraints in the status.json shape (DESIGN.md §5).

One computation serves PL208 (are the constraints in status.json stale?), `emit --into-status`
and `next`, so they can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from planlint.analysis.conflicts import Conflict, ConflictModel
from planlint.analysis.dependencies import lifted_dependencies
from planlint.analysis.notes import NoteAnalysis, ResolvedGroup
from planlint.model import Phase, Plan, TaskId


class SequentialGroup(NamedTuple):
    id: str  # as the plan writes it: "3.1-3.4", or "3.1, 3.3"
    tasks: tuple[TaskId, ...]
    reason: str

    def as_status(self) -> dict[str, Any]:
        """The orchestrator's `sequentialGroups` entry shape."""
        return {"taskRange": self.id, "taskIds": [str(t) for t in self.tasks], "reason": self.reason}


def sequential_groups(notes: NoteAnalysis) -> list[SequentialGroup]:
    groups = []
    for group in notes.sequential:
        if group.tasks:
            groups.append(SequentialGroup(group_label(group), group.tasks, group.note.reason))
    return groups


def group_label(group: ResolvedGroup) -> str:
    return ", ".join(str(item) for item in group.items)


def status_constraints(constraint: dict[str, Any]) -> dict[str, Any]:
    """A task's constraints as status.json stores them (the schema has no nulls: None fields go)."""
    return {key: value for key, value in constraint.items() if value is not None}


def execution_constraints(
    plan: Plan,
    notes: NoteAnalysis,
    conflicts: ConflictModel,
    *,
    only: set[TaskId] | None = None,
    streamed: bool = False,
) -> dict[TaskId, dict[str, Any]]:
    """`executionConstraints` for every top-level task (or those in `only`), keys in the
    status.json order. `streamed`: each `conflictsWith` is a ConflictIds, computed when it is
    written (for emit's JSON stream)."""
    group_of: dict[TaskId, SequentialGroup] = {}
    for sequential in sequential_groups(notes):
        for task_id in sequential.tasks:
            group_of.setdefault(task_id, sequential)
    depends_on: dict[TaskId, set[TaskId]] = {}
    for unit, target in lifted_dependencies(plan):
        depends_on.setdefault(unit, set()).add(target)
    result: dict[TaskId, dict[str, Any]] = {}
    for phase in plan.phases:
        for task in phase.top_level_tasks:
            if task.id in result or (only is not None and task.id not in only):
                continue
            group = group_of.get(task.id)
            depends = sorted(depends_on.get(task.id, ()))
            result[task.id] = {
                "sequential": group is not None,
                "sequentialGroup": group.id if group else None,
                "reason": group.reason if group else None,
                "conflictsWith": ConflictIds(conflicts, task.id)
                if streamed
                else [str(t) for t in sorted(conflicts.conflicting(task.id))],
                "dependsOn": [str(t) for t in depends],
            }
    return result


class ConflictIds(list):
    """A task's `conflictsWith`, computed each time it is iterated and never kept: what the JSON
    encoder (json's Python encoder, which emit's indented output uses) writes, in O(tasks) memory
    where the lists of a plan whose tasks share one file hold every pair. Empty as a list."""

    def __init__(self, conflicts: ConflictModel, unit: TaskId) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.unit = unit
        self._found: set[TaskId] | None = None  # between the encoder's emptiness test and its loop

    def _ids(self) -> set[TaskId]:
        found, self._found = self._found, None
        return found if found is not None else self.conflicts.conflicting(self.unit, keep=False)

    def __len__(self) -> int:
        self._found = self._ids()
        return len(self._found)

    def __iter__(self) -> Iterator[str]:
        return (str(t) for t in sorted(self._ids()))


class ConflictSet(NamedTuple):
    """Tasks of one phase that conflict and nothing orders: what one [SEQUENTIAL] group needs."""

    phase: int
    tasks: tuple[TaskId, ...]
    files: tuple[tuple[str, bool], ...]  # (file, every task of the set writes it)

    def reason(self, *, every_task: bool = True) -> str:
        names = ", ".join(f"`{key}`" for key, _ in sorted(set(self.files)))
        verb = "modify" if all(all_write for _, all_write in self.files) else "share"
        return f"{'all ' if every_task else ''}{verb} {names}"


def conflict_sets(conflicts: Iterable[Conflict]) -> list[ConflictSet]:
    """Uncovered same-phase conflicts per phase; sets that share a task merge into one."""
    by_phase: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        if not conflict.cross_phase:
            by_phase[conflict.phases[0]].append(conflict)
    result: list[ConflictSet] = []
    for phase, found in sorted(by_phase.items()):
        sets: list[tuple[set[TaskId], list[tuple[str, bool]]]] = []
        for conflict in sorted(found, key=lambda c: (c.tasks, c.key)):
            all_write = len(conflict.writers) == len(conflict.tasks)
            joined = [s for s in sets if s[0] & set(conflict.tasks)]
            tasks = set(conflict.tasks).union(*(s[0] for s in joined))
            files = [f for s in joined for f in s[1]] + [(conflict.key, all_write)]
            sets = [s for s in sets if s not in joined] + [(tasks, files)]
        result.extend(
            ConflictSet(phase, tuple(sorted(t)), tuple(f)) for t, f in sorted(sets, key=lambda s: sorted(s[0]))
        )
    return result


def phase_siblings(phase: Phase) -> list[TaskId]:
    """The IDs a range in this phase can span: top-level tasks and task groups."""
    return sorted({t.id for t in phase.top_level_tasks} | {g.id for g in phase.groups})


def task_list_label(tasks: Iterable[TaskId], siblings: list[TaskId]) -> str:
    """`3.1-3.4` when no other task or group lies between the first and the last, else a list."""
    ordered = sorted(tasks)
    first, last = ordered[0], ordered[-1]
    same_depth = all(t.depth == first.depth for t in ordered)
    between = [s for s in siblings if first <= s <= last and s.depth == first.depth]
    if len(ordered) > 1 and same_depth and between == ordered:
        return f"{first}-{last}"
    return ", ".join(map(str, ordered))


class ConstraintGroup(NamedTuple):
    """A group in the emit document (DESIGN.md §5)."""

    id: str
    kind: str  # "sequential" | "parallel"
    tasks: tuple[TaskId, ...]
    reason: str
    source: str  # "annotation" | "inferred"
    line: int | None


def constraint_groups(plan: Plan, notes: NoteAnalysis, conflicts: ConflictModel) -> list[ConstraintGroup]:
    """Groups the plan's notes declare, then the sequential groups its conflicts call for."""
    groups = [
        ConstraintGroup(group_label(g), g.marker.value.lower(), g.tasks, g.note.reason, "annotation", g.note.line)
        for g in [*notes.sequential, *notes.parallel]
        if g.tasks
    ]
    for found in conflict_sets(conflicts.conflicts):
        phase = plan.phase(found.phase)
        siblings = phase_siblings(phase) if phase is not None else sorted(found.tasks)
        label = task_list_label(found.tasks, siblings)
        groups.append(ConstraintGroup(label, "sequential", found.tasks, found.reason(), "inferred", None))
    return groups
