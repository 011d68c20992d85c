"""The constraint metadata document (DESIGN.md §5) that the orchestrator consumes.

Deterministic by construction: phases and tasks in plan order, lists sorted, no timestamps, so
two runs on the same plan give the same bytes. `valid` is false only when the document was
forced out of a plan whose errors make the schedule unsound.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from planlint.analysis.task_constraints import constraint_groups, execution_constraints
from planlint.emit.scheduling import Scheduling, plan_scheduling
from planlint.io import encode_like
from planlint.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from _typeshed import SupportsWrite

    from planlint.analysis.conflicts import ConflictModel
    from planlint.analysis.notes import NoteAnalysis
    from planlint.config import Config
    from planlint.model import Plan
    from planlint.parse.status import Status


def constraints_document(
    scheduling: Scheduling, *, plan_path: str, valid: bool = True, streamed: bool = False
) -> dict[str, Any]:
    """The document; `streamed`: the tasks' `conflictsWith` lists are computed as `write`
    writes them (the document is then only for `write`)."""
    context = scheduling.context
    plan = context.plan
    constraints = (
        execution_constraints(plan, context.notes, context.conflicts, streamed=True)
        if streamed
        else scheduling.constraints
    )
    return {
        "version": 1,
        "plan": plan_path,
        "planSha256": hashlib.sha256(encode_like(plan.source.text, plan.source)).hexdigest(),
        "generator": f"planlint {__version__}",
        "valid": valid,
        **({"dialect": plan.dialect} if plan.dialect != "phased" else {}),  # absent: phased
        "phases": _phases(plan, context.conflicts),
        "groups": _groups(plan, context.notes, context.conflicts),
        "tasks": _tasks(plan, context.conflicts, constraints),
        "waves": [[str(t) for t in wave] for wave in scheduling.schedule.waves],
        "waveCount": len(scheduling.schedule.waves),
        "criticalPath": scheduling.schedule.critical_path,
    }


def _phases(plan: Plan, conflicts: ConflictModel) -> list[dict[str, Any]]:
    parallel_with: dict[int, set[int]] = {}
    for group in conflicts.precedence.overlapping_phases():
        for number in group:
            parallel_with[number] = set(group) - {number}
    return [
        {
            "number": phase.number,
            "title": phase.title,
            "tasks": [str(t.id) for t in phase.top_level_tasks],
            "parallelWith": sorted(parallel_with.get(phase.number, ())),
            "pipelineStart": str(phase.pipeline_start.task) if phase.pipeline_start else None,
            "nonBlockingVerify": phase.non_blocking_verify,
        }
        for phase in plan.phases
    ]


def _groups(plan: Plan, notes: NoteAnalysis, conflicts: ConflictModel) -> list[dict[str, Any]]:
    return [
        {
            "id": group.id,
            "kind": group.kind,
            "tasks": [str(t) for t in group.tasks],
            "reason": group.reason,
            "source": group.source,
            "line": group.line,
        }
        for group in constraint_groups(plan, notes, conflicts)
    ]


def _tasks(plan: Plan, conflicts: ConflictModel, constraints: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    tasks: dict[str, Any] = {}
    for phase in plan.phases:
        for task in phase.top_level_tasks:
            key = str(task.id)
            if key in tasks:
                continue
            constraint = constraints[task.id]
            tasks[key] = {
                "phase": phase.number,
                "description": task.text,
                "files": {"writes": conflicts.writes(task.id), "reads": conflicts.reads(task.id)},
                "sequential": constraint["sequential"],
                "sequentialGroup": constraint["sequentialGroup"],
                "conflictsWith": constraint["conflictsWith"],
                "dependsOn": constraint["dependsOn"],
                "reason": constraint["reason"],
            }
    return tasks


def write(document: dict[str, Any], out: SupportsWrite[str]) -> None:
    """`json.dumps(document, indent=2, ensure_ascii=False)` and a newline, written in pieces to
    stdout or to `emit -o`'s temporary file: the indented encoder is json's Python one, which
    iterates each list as it writes it, so a streamed document is never whole in memory."""
    pieces: list[str] = []
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        pieces.append(chunk)
        if len(pieces) >= 16384:  # one write per many pieces: a write costs more than a piece
            out.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces))


def constraints(plan: Plan, status: Status | None = None, *, config: Config | None = None,
                root: Path | str | None = None) -> dict[str, Any]:  # fmt: skip
    """The constraint metadata document (what `planlint emit` prints; see docs/emit.md)."""
    return constraints_document(plan_scheduling(plan, status, config, root), plan_path=plan.path.as_posix())
