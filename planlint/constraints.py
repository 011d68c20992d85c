"""Per-task execution constraints in the status.json shape (DESIGN.md §5).

One computation serves PL208 (are the constraints in status.json stale?), `emit --into-status`
and `next`, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planlint.analysis.conflicts import ConflictModel
from planlint.analysis.notes import NoteAnalysis, ResolvedGroup
from planlint.model import Plan, Task, TaskId


@dataclass(frozen=True, slots=True)
class SequentialGroup:
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


def execution_constraints(plan: Plan, notes: NoteAnalysis, conflicts: ConflictModel) -> dict[TaskId, dict[str, Any]]:
    """`executionConstraints` for every top-level task, keys in the status.json order."""
    group_of: dict[TaskId, SequentialGroup] = {}
    for group in sequential_groups(notes):
        for task_id in group.tasks:
            group_of.setdefault(task_id, group)
    members: dict[TaskId, list[Task]] = {}
    for item in plan.tasks():
        members.setdefault(plan.unit_of(item).id, []).append(item)
    result: dict[TaskId, dict[str, Any]] = {}
    for phase in plan.phases:
        for task in phase.top_level_tasks:
            if task.id in result:
                continue
            group = group_of.get(task.id)
            depends = sorted(
                {
                    plan.unit_of(target).id
                    for step in members.get(task.id, [])
                    for dep in step.dependencies
                    if (target := plan.task(dep.target)) is not None and plan.unit_of(target).id != task.id
                }
            )
            result[task.id] = {
                "sequential": group is not None,
                "sequentialGroup": group.id if group else None,
                "reason": group.reason if group else None,
                "conflictsWith": [str(t) for t in sorted(conflicts.conflicting(task.id))],
                "dependsOn": [str(t) for t in depends],
            }
    return result

