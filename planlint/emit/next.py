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

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from planlint.analysis.dependencies import lifted_dependencies
from planlint.analysis.task_constraints import execution_constraints, group_label
from planlint.emit.schedule import WaitGraph, longest_chains
from planlint.emit.scheduling import Scheduling, plan_scheduling
from planlint.model import Plan, TaskId
from planlint.parse.status import Status

if TYPE_CHECKING:
    from pathlib import Path

    from planlint.analysis.conflicts import ConflictModel
    from planlint.config import Config

DONE = frozenset({"completed", "skipped"})


def task_states(scheduling: Scheduling) -> dict[TaskId, str]:
    """Each unit's state: from status.json when it has the task (paired as the rules pair it),
    else from the plan's checkbox."""
    context = scheduling.context
    plan = context.plan
    states = {
        unit: ("completed" if plan.task(unit) and plan.task(unit).checked else "pending")  # type: ignore[union-attr]
        for unit in scheduling.context.conflicts.precedence.unit_phase
    }
    if context.status is not None and context.status.document is not None:
        for task_id, entry in context.pairing.paired.items():
            if task_id in states and entry.status:
                states[task_id] = entry.status
    return states


def select_batch(scheduling: Scheduling, count: int, *, cross_phase: bool = False) -> dict[str, Any]:
    """The batch of at most count units (the scheduling's status gives the task states)."""
    context = scheduling.context
    conflicts = context.conflicts
    precedence = conflicts.precedence
    states = task_states(scheduling)
    done = {u for u, s in states.items() if s in DONE}
    running = sorted(u for u, s in states.items() if s == "in_progress")
    graph = WaitGraph(precedence)
    pending = [u for u in graph.units if states.get(u) == "pending"]
    chains, _, _ = longest_chains(graph)
    waiting = _Waiting(scheduling, states, done, cross_phase=cross_phase)
    held: list[dict[str, str]] = []
    candidates: list[TaskId] = []
    for unit in pending:
        reason = waiting.reason(unit)
        if reason:
            held.append({"id": str(unit), "reason": reason})
        else:
            candidates.append(unit)
    candidates.sort(key=lambda u: (-chains.get(u, 0), u))
    chosen: list[TaskId] = []
    # what is running, or already chosen, is running now: whatever the plan's order says, two
    # tasks that touch one file (one writing) must not overlap. Each file remembers its first
    # occupant, and its first writing one, so a candidate costs one look-up per file it touches.
    occupied = _Occupants(conflicts, running)
    for unit in candidates:
        busy, taken = occupied.clash(unit)
        if busy is not None or taken is not None:
            other = busy if busy is not None else taken
            shared = _shared_file(scheduling, unit, other)  # type: ignore[arg-type]
            state = " (in progress)" if busy is not None else " (in this batch)"
            held.append({"id": str(unit), "reason": f"shares `{shared}` with {other}{state}"})
        elif len(chosen) >= count:
            held.append({"id": str(unit), "reason": f"batch is full ({count} {'task' if count == 1 else 'tasks'})"})
        else:
            chosen.append(unit)
            occupied.take(unit)
    units = {str(u): u for u in conflicts.precedence.unit_phase}  # `T004` too
    held.sort(key=lambda item: units.get(item["id"]) or TaskId.parse(item["id"]) or TaskId((0,)))
    if chosen:
        decision = "ready"
    elif running:
        decision = "blocked"
    elif pending:
        decision = "deadlock"
    else:
        decision = "done"
    constraints = execution_constraints(context.plan, context.notes, conflicts, only=set(chosen))
    dependents = _dependents(scheduling, set(chosen))
    return {
        "count": len(chosen),
        "tasks": [
            _task(scheduling, unit, states[unit], constraints[unit], dependents[unit]) for unit in sorted(chosen)
        ],
        "heldBack": held,
        "decision": decision,
    }


class _Occupants:
    """Per file, the first unit in progress and the first chosen unit that touch it, and the
    first ones that write it: which occupant a candidate clashes with, in O(files it touches)."""

    def __init__(self, conflicts: ConflictModel, running: list[TaskId]) -> None:
        self.conflicts = conflicts
        # file -> [first running toucher, first running writer, first chosen toucher, first chosen writer]
        self.first: dict[str, list[TaskId | None]] = {}
        self.rank: dict[TaskId, int] = {}  # running in ID order, then chosen in choice order
        for unit in running:
            self._occupy(unit, 0)

    def take(self, unit: TaskId) -> None:
        self._occupy(unit, 2)

    def _occupy(self, unit: TaskId, slot: int) -> None:
        self.rank.setdefault(unit, len(self.rank))
        for key, writes in self.conflicts.touches(unit):
            first = self.first.setdefault(key, [None, None, None, None])
            if first[slot] is None:
                first[slot] = unit
            if writes and first[slot + 1] is None:
                first[slot + 1] = unit

    def clash(self, unit: TaskId) -> tuple[TaskId | None, TaskId | None]:
        """The first running unit, and the first chosen unit, that unit must not overlap."""
        busy: TaskId | None = None
        taken: TaskId | None = None
        rank = self.rank
        for key, writes in self.conflicts.touches(unit):
            first = self.first.get(key)
            if first is None:
                continue
            for slot, best in ((0, busy), (2, taken)):
                other = first[slot] if writes else first[slot + 1]
                if other is None or other == unit:  # a candidate is pending: never an occupant
                    continue
                if best is None or rank[other] < rank[best]:
                    if slot == 0:
                        busy = other
                    else:
                        taken = other
        return busy, taken


class _Waiting:
    """Why a pending unit may not start yet, answered in O(1) amortised per unit: what it waits
    for through dependencies and group order is summarised once per strongly connected part of
    the wait graph (the earliest unit not done), and each phase barrier once."""

    def __init__(
        self, scheduling: Scheduling, states: dict[TaskId, str], done: set[TaskId], *, cross_phase: bool
    ) -> None:
        self.scheduling = scheduling
        self.states = states
        self.done = done
        self.cross_phase = cross_phase
        context = scheduling.context
        self.precedence = precedence = context.conflicts.precedence
        self.sequential = context.notes.sequential
        self.group_of = {t: g for g in self.sequential for t in g.tasks}
        self.groups_of: dict[TaskId, list[int]] = {}
        self.running_in: list[TaskId | None] = []
        for number, group in enumerate(self.sequential):
            for task in group.tasks:
                self.groups_of.setdefault(task, []).append(number)
            running = [t for t in group.tasks if states.get(t) == "in_progress"]
            self.running_in.append(running[0] if running else None)
        self.open_in_reach = _earliest_open_in_reach(precedence.edges, done)
        # phases in the order `units_of` lists them, with the first unit not done of each
        self.open_phases: list[tuple[int, TaskId]] = []
        for phase, members in precedence.units_of.items():
            first_open = next((u for u in members if u not in done and u not in precedence.never_waited), None)
            if first_open is not None:
                self.open_phases.append((phase, first_open))
        # minus the lowest phase position among the first k open phases: it only grows
        self.lowest: list[int] = []
        for phase, _ in self.open_phases:
            position = -precedence.index[phase]
            self.lowest.append(max(position, self.lowest[-1]) if self.lowest else position)
        self._trigger: dict[int, TaskId | None] = {}

    def state(self, unit: TaskId) -> str:
        return self.states.get(unit, "pending")

    def reason(self, unit: TaskId) -> str:
        precedence = self.precedence
        # everything it waits for, directly or through others: a status updated out of order (a
        # retry, a task started by hand) must not let a task jump its group or dependency chain
        direct = [u for u in precedence.edges.get(unit, ()) if u not in self.done]
        other = min(direct) if direct else self.open_in_reach.get(unit)
        if other is not None:
            group = self.group_of.get(unit)
            if group is not None and other in group.tasks and other < unit:
                return f"waits for {other} ({self.state(other)}; [SEQUENTIAL] group {group_label(group)})"
            return f"waits for {other} ({self.state(other)})"
        for number in self.groups_of.get(unit, ()):
            running = self.running_in[number]
            if running is not None and running != unit:  # members never overlap, even when one was started out of order
                return f"waits for {running} (in_progress; [SEQUENTIAL] group {group_label(self.sequential[number])})"
        if self.cross_phase:
            return ""
        phase = precedence.unit_phase[unit]
        barrier = precedence.barriers[phase]
        trigger = self._open_trigger(phase, barrier.extra)
        if trigger is not None:
            return f"waits for {trigger} ({self.state(trigger)}; pipeline-start of Phase {phase})"
        # the first open phase (in `units_of` order) that lies before the barrier's cut: the
        # prefix minimum falls below the cut there, and it only ever falls
        at = bisect_right(self.lowest, -barrier.cut)
        if at < len(self.open_phases):
            number, first_open = self.open_phases[at]
            return f"waits for {precedence.stage_label(number)} to complete ({first_open} is {self.state(first_open)})"
        return ""

    def _open_trigger(self, phase: int, extra: set[TaskId]) -> TaskId | None:
        if phase not in self._trigger:
            self._trigger[phase] = min((t for t in extra if t not in self.done), default=None)
        return self._trigger[phase]


def _earliest_open_in_reach(edges: dict[TaskId, set[TaskId]], done: set[TaskId]) -> dict[TaskId, TaskId]:
    """unit -> the lowest unit not done among everything it waits for, directly or not (only
    for units that wait for one). Tarjan's strongly connected components, iteratively: a unit
    of a cycle reaches every member of its cycle, itself included."""
    index: dict[TaskId, int] = {}
    low: dict[TaskId, int] = {}
    on_stack: set[TaskId] = set()
    stack: list[TaskId] = []
    best: dict[TaskId, TaskId] = {}  # component root -> earliest open unit it reaches
    component_of: dict[TaskId, TaskId] = {}
    for root in list(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] != index[node]:
                continue
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component_of[member] = node
                members.append(member)
                if member == node:
                    break
            cyclic = len(members) > 1 or node in edges.get(node, ())
            found = [m for m in members if m not in done] if cyclic else []
            for member in members:
                for target in edges.get(member, ()):
                    target_root = component_of[target]
                    if target_root == node:
                        continue
                    if target not in done:
                        found.append(target)
                    if target_root in best:
                        found.append(best[target_root])
            if found:
                best[node] = min(found)
    return {unit: best[root] for unit, root in component_of.items() if root in best}


def _shared_file(scheduling: Scheduling, unit: TaskId, other: TaskId) -> str:
    conflicts = scheduling.context.conflicts
    mine = {a.key for a in conflicts.accesses.get(unit, [])}
    theirs = {a.key for a in conflicts.accesses.get(other, [])}
    common = sorted(mine & theirs) or sorted(mine) or ["?"]
    return common[0]


def _dependents(scheduling: Scheduling, units: set[TaskId]) -> dict[TaskId, list[str]]:
    """For each of units, the units whose declared dependencies name it (by ID text order)."""
    plan = scheduling.context.plan
    units_of = scheduling.context.conflicts.precedence.unit_phase  # the units emit lists
    found: dict[TaskId, set[TaskId]] = {unit: set() for unit in units}
    for unit, target in lifted_dependencies(plan):
        if target in found and unit in units_of:
            found[target].add(unit)
    return {unit: sorted(str(u) for u in dependents) for unit, dependents in found.items()}


def _task(
    scheduling: Scheduling, unit: TaskId, state: str, constraint: dict[str, Any], dependents: list[str]
) -> dict[str, Any]:
    plan = scheduling.context.plan
    task = plan.task(unit)
    conflicts = scheduling.context.conflicts
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


def next_batch(plan: Plan, status: Status | None, n: int, *, cross_phase: bool = False,
               config: Config | None = None, root: Path | str | None = None) -> dict[str, Any]:  # fmt: skip
    """The next conflict-free batch of at most n tasks (what `planlint next` prints)."""
    return select_batch(plan_scheduling(plan, status, config, root), n, cross_phase=cross_phase)
