"""The constraint metadata document (DESIGN.md §5) that the orchestrator consumes.

Deterministic by construction: phases and tasks in plan order, lists sorted, no timestamps, so
two runs on the same plan give the same bytes. `valid` is false only when the document was
forced out of a plan whose errors make the schedule unsound.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO

from planlint import __version__
from planlint.diagnostic import Diagnostic
from planlint.io import encode_like
from planlint.rule import Context
from planlint.schedule import Schedule, build_schedule
from planlint.task_constraints import constraint_groups, execution_constraints

if TYPE_CHECKING:
    from planlint.config import Config
    from planlint.model import Plan
    from planlint.parse.status import Status

# Findings that make a schedule unsound (DESIGN.md §5): emit and next refuse them without --force.
BLOCKING_CODES = frozenset({"PL002", "PL004", "PL102", "PL103", "PL104", "PL106", "PL111", "PL112", "PL113"})


def blocking_findings(plan: Plan, config: Config, status: Status | None = None) -> list[Diagnostic]:
    """The findings that make a schedule unsound, whatever the rule selection, severities,
    per-file-ignores and suppression comments say: those silence a lint finding, not the flaw
    a schedule would inherit (two tasks under one ID, a dependency cycle)."""
    from planlint.engine import selected_rules

    strict = replace(config, select=tuple(sorted(BLOCKING_CODES)), explicit=(), ignore=(), per_file_ignores=())
    context = Context(plan, strict, strict.root, status, True)
    found = [d for d in plan.problems if d.code in BLOCKING_CODES]
    for rule in selected_rules(strict, with_status=status is not None):
        if rule.applies_to(plan.dialect):
            found.extend(rule.check(context))
    unique = {(d.code, d.span, d.message): d for d in found if d.code in BLOCKING_CODES}
    return sorted(unique.values(), key=lambda d: d.sort_key)


class Analysis:
    """Everything emit, next and the Python API compute from one plan. The schedule and the
    per-task constraints are computed on first use: `next` needs neither for every task, and
    on a plan whose tasks all share one file each is quadratic in the plan's size."""

    def __init__(self, context: Context) -> None:
        self.context = context

    @cached_property
    def schedule(self) -> Schedule:
        conflicts = self.context.conflicts
        return build_schedule(conflicts.precedence, conflicts)

    @cached_property
    def constraints(self) -> dict[Any, dict[str, Any]]:
        context = self.context
        return execution_constraints(context.plan, context.notes, context.conflicts)


def analyse(context: Context) -> Analysis:
    return Analysis(context)


def constraints_document(
    analysis: Analysis, *, plan_path: str, valid: bool = True, streamed: bool = False
) -> dict[str, Any]:
    """The document; `streamed`: the tasks' `conflictsWith` lists are computed as `write`
    writes them (the document is then only for `write`)."""
    context = analysis.context
    constraints = (
        execution_constraints(context.plan, context.notes, context.conflicts, streamed=True)
        if streamed
        else analysis.constraints
    )
    plan, conflicts = context.plan, context.conflicts
    precedence = conflicts.precedence
    parallel_with: dict[int, set[int]] = {}
    for group in precedence.overlapping_phases():
        for number in group:
            parallel_with[number] = set(group) - {number}
    phases = [
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
    groups = [
        {
            "id": group.id,
            "kind": group.kind,
            "tasks": [str(t) for t in group.tasks],
            "reason": group.reason,
            "source": group.source,
            "line": group.line,
        }
        for group in constraint_groups(plan, context.notes, conflicts)
    ]
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
    return {
        "version": 1,
        "plan": plan_path,
        "planSha256": hashlib.sha256(encode_like(plan.source.text, plan.source)).hexdigest(),
        "generator": f"planlint {__version__}",
        "valid": valid,
        **({"dialect": plan.dialect} if plan.dialect != "phased" else {}),  # absent: phased
        "phases": phases,
        "groups": groups,
        "tasks": tasks,
        "waves": [[str(t) for t in wave] for wave in analysis.schedule.waves],
        "waveCount": len(analysis.schedule.waves),
        "criticalPath": analysis.schedule.critical_path,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(document: dict[str, Any], out: TextIO) -> None:
    """What dumps returns, written in pieces: the indented encoder is json's Python one, which
    iterates each list as it writes it, so a streamed document is never whole in memory."""
    pieces: list[str] = []
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        pieces.append(chunk)
        if len(pieces) >= 16384:  # one write per many pieces: a write costs more than a piece
            out.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces))
