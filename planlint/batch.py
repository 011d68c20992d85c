"""`planlint next`: the next conflict-free batch of tasks (DESIGN.md §5, "Next batch").

A drop-in superset of the orchestrator's `status-cli.js next N` output. Guarantees: every
returned task is pending and everything it waits for, directly or not, is completed (or
skipped); no two returned tasks touch one file with one of them writing, and none does so with
a task in progress, whatever their phases; at most one task of a [SEQUENTIAL]
group (the first not done: group order is part of what a task waits for); phases in order
unless `[PARALLEL]` or `pipeline-start` allow otherwise. Every pending task left out gets a
reason. With `cross_phase` (the orchestrator's DAG mode) phase order is ignored: only declared
dependencies and group order hold, and conflicts count across phases.
"""

from __future__ import annotations

from typing import Any

from planlint.analysis.drift import pair_status
from planlint.emit import Analysis
from planlint.model import TaskId
from planlint.parse.status import Status
from planlint.schedule import WaitGraph, longest_chains

DONE = frozenset({"completed", "skipped"})


def task_states(analysis: Analysis, status: Status | None) -> dict[TaskId, str]:
    """Each unit's state: from status.json when it has the task, else from the plan's checkbox."""
    plan = analysis.context.plan
    states = {
        unit: ("completed" if plan.task(unit) and plan.task(unit).checked else "pending")  # type: ignore[union-attr]
        for unit in analysis.context.conflicts.precedence.unit_phase
    }
    if status is not None and status.document is not None:
        for task_id, entry in pair_status(plan, status).paired.items():
            if task_id in states and entry.status:
                states[task_id] = entry.status
    return states


def next_batch(analysis: Analysis, status: Status | None, count: int, *, cross_phase: bool = False) -> dict[str, Any]:
    context = analysis.context
    conflicts = context.conflicts
    precedence = conflicts.precedence
    states = task_states(analysis, status)
    done = {u for u, s in states.items() if s in DONE}
    running = sorted(u for u, s in states.items() if s == "in_progress")
    pending = [u for u in WaitGraph(precedence).units if states.get(u) == "pending"]
    chains, _, _ = longest_chains(WaitGraph(precedence))
    held: list[dict[str, str]] = []
    candidates: list[TaskId] = []
    for unit in pending:
        reason = _waiting_reason(unit, analysis, states, done, cross_phase=cross_phase)
        if reason:
            held.append({"id": str(unit), "reason": reason})
        else:
            candidates.append(unit)
    candidates.sort(key=lambda u: (-chains.get(u, 0), u))
    chosen: list[TaskId] = []
    for unit in candidates:
        # what is running, or already chosen, is running now: whatever the plan's order says,
        # two tasks that touch one file (one writing) must not overlap
        clash = conflicts.conflicting(unit, any_phase=True)
        busy = [u for u in running if u in clash]
        taken = [u for u in chosen if u in clash]
        if busy or taken:
            other = (busy or taken)[0]
            shared = _shared_file(analysis, unit, other)
            state = " (in progress)" if busy else " (in this batch)"
            held.append({"id": str(unit), "reason": f"shares `{shared}` with {other}{state}"})
        elif len(chosen) >= count:
            held.append({"id": str(unit), "reason": f"batch is full ({count} {'task' if count == 1 else 'tasks'})"})
        else:
            chosen.append(unit)
    held.sort(key=lambda item: TaskId.parse(item["id"]) or TaskId((0,)))
    if chosen:
        decision = "ready"
    elif running:
        decision = "blocked"
    elif pending:
        decision = "deadlock"
    else:
        decision = "done"
    return {
        "count": len(chosen),
        "tasks": [_task(analysis, unit, states[unit]) for unit in sorted(chosen)],
        "heldBack": held,
        "decision": decision,
    }


def _waiting_reason(unit: TaskId, analysis: Analysis, states: dict[TaskId, str], done: set[TaskId], *,
                    cross_phase: bool) -> str:  # fmt: skip
    precedence = analysis.context.conflicts.precedence
    groups = {t: g for g in analysis.context.notes.sequential for t in g.tasks}
    # everything it waits for, directly or through others: a status updated out of order (a
    # retry, a task started by hand) must not let a task jump its group or dependency chain
    direct = sorted(precedence.edges.get(unit, ()))
    for other in direct + sorted(precedence.reach_all(unit) - set(direct)):
        if other not in done:
            group = groups.get(unit)
            if group is not None and other in group.tasks and other < unit:
                return f"waits for {other} ({states.get(other, 'pending')}; [SEQUENTIAL] group {_label(group)})"
            return f"waits for {other} ({states.get(other, 'pending')})"
    for group in analysis.context.notes.sequential:
        if unit in group.tasks:
            running = [t for t in group.tasks if t != unit and states.get(t) == "in_progress"]
            if running:  # members never overlap, even when one was started out of order
                return f"waits for {running[0]} (in_progress; [SEQUENTIAL] group {_label(group)})"
    if cross_phase:
        return ""
    phase = precedence.unit_phase[unit]
    barrier = precedence.barriers[phase]
    for trigger in sorted(barrier.extra):
        if trigger not in done:
            return f"waits for {trigger} ({states.get(trigger, 'pending')}; pipeline-start of Phase {phase})"
    for other_phase, members in precedence.units_of.items():
        if precedence.index[other_phase] >= barrier.cut:
            continue
        open_units = [u for u in members if u not in done and u not in precedence.never_waited]
        if open_units:
            return (
                f"waits for Phase {other_phase} to complete ({open_units[0]} is {states.get(open_units[0], 'pending')})"
            )
    return ""


def _label(group: Any) -> str:
    return ", ".join(str(item) for item in group.items)


def _shared_file(analysis: Analysis, unit: TaskId, other: TaskId) -> str:
    conflicts = analysis.context.conflicts
    mine = {a.key for a in conflicts.accesses.get(unit, [])}
    theirs = {a.key for a in conflicts.accesses.get(other, [])}
    common = sorted(mine & theirs) or sorted(mine) or ["?"]
    return common[0]


def _task(analysis: Analysis, unit: TaskId, state: str) -> dict[str, Any]:
    plan = analysis.context.plan
    task = plan.task(unit)
    constraint = analysis.constraints[unit]
    dependents = sorted(str(u) for u, c in analysis.constraints.items() if str(unit) in c["dependsOn"])
    conflicts = analysis.context.conflicts
    return {
        "id": str(unit),
        "description": task.text if task else "",
        "phase": task.phase if task else unit.phase,
        "status": state,
        "reason": "pending - ready to implement",
        "dependencies": constraint["dependsOn"],
        "dependents": dependents,
        "sequential": constraint["sequential"],
        "sequentialGroup": constraint["sequentialGroup"],
        "sequentialReason": constraint["reason"],
        "conflictsWith": constraint["conflictsWith"],
        "files": {"writes": conflicts.writes(unit), "reads": conflicts.reads(unit)},
    }
