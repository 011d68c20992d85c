"""Resolve Execution Notes to the tasks they name (DESIGN.md §2, range semantics).

A note item is a task ID, a group ID (`1.2` for `### 1.2 Title`), or a range `A-B`: every task
or group of A's phase at A's depth whose ID lies between A and B in numeric order. Resolution maps
each named task to its *unit*, the top-level task the orchestrator schedules. Whatever cannot be
resolved is recorded as an ItemProblem for PL102-PL104 instead of being guessed.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from planlint.model import ExecutionNote, Marker, NoteItem, Plan, TaskId


class ItemTrouble(enum.Enum):
    UNKNOWN = "unknown"  # PL102
    CROSSES_PHASE = "crosses-phase"  # PL103
    REVERSED = "reversed"  # PL104
    SINGLE = "single"  # PL104: `3.2-3.2`


class ItemProblem(NamedTuple):
    trouble: ItemTrouble
    note: ExecutionNote
    item: NoteItem
    detail: str  # the IDs at fault (`3.5 and 3.7`), or where the item reaches (`reaches into Phase 4`)


class ResolvedGroup(NamedTuple):
    """One group a note declares, as the top-level tasks it covers (in ID order)."""

    note: ExecutionNote
    marker: Marker
    items: tuple[NoteItem, ...]
    tasks: tuple[TaskId, ...]

    @property
    def label(self) -> str:
        return ", ".join(str(item) for item in self.items)


class NoteAnalysis(NamedTuple):
    sequential: tuple[ResolvedGroup, ...]
    parallel: tuple[ResolvedGroup, ...]  # task-level [PARALLEL] acknowledgements
    parallel_phases: tuple[tuple[ExecutionNote, frozenset[int]], ...]
    problems: tuple[ItemProblem, ...]


def analyse_notes(plan: Plan) -> NoteAnalysis:
    resolver = _Resolver(plan)
    sequential: list[ResolvedGroup] = []
    parallel: list[ResolvedGroup] = []
    parallel_phases: list[tuple[ExecutionNote, frozenset[int]]] = []
    for note in plan.notes:
        if note.marker is None:
            continue
        if note.scope == "phases":
            if note.marker is Marker.PARALLEL:
                parallel_phases.append((note, frozenset(_phase_numbers(note))))
            continue
        if note.scope != "tasks":
            continue
        for group in note.groups:
            tasks = resolver.resolve_group(note, group)
            resolved = ResolvedGroup(note, note.marker, group, tasks)
            (sequential if note.marker is Marker.SEQUENTIAL else parallel).append(resolved)
    return NoteAnalysis(tuple(sequential), tuple(parallel), tuple(parallel_phases), tuple(resolver.problems))


def item_problems(plan: Plan, note: ExecutionNote) -> tuple[ItemProblem, ...]:
    """What is wrong with a note's items, resolved as if the note carried a marker: whether a
    prose note can take one (PL107's fix) without becoming a broken note."""
    resolver = _Resolver(plan)
    for group in note.groups:
        resolver.resolve_group(note, group)
    return tuple(resolver.problems)


def _phase_numbers(note: ExecutionNote) -> list[int]:
    numbers: list[int] = []
    for item in note.items:
        first = int(item.first)
        last = int(item.last) if item.last is not None else first
        low, high = min(first, last), max(first, last)
        if high - low <= 1000:  # a typo like `1-99999` must not allocate a huge range
            numbers.extend(range(low, high + 1))
    return numbers


class _Resolver:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.problems: list[ItemProblem] = []
        # every task and group ID of each phase, for range look-ups
        self.ids_by_phase: dict[int, list[TaskId]] = {}
        for phase in plan.phases:
            ids = self.ids_by_phase.setdefault(phase.number, [])
            ids.extend(t.id for t in phase.tasks)
            ids.extend(g.id for g in phase.groups)
        for ids in self.ids_by_phase.values():
            ids.sort()

    def resolve_group(self, note: ExecutionNote, items: tuple[NoteItem, ...]) -> tuple[TaskId, ...]:
        units: set[TaskId] = set()
        for item in items:
            units.update(self.resolve_item(note, item))
        return tuple(sorted(units))

    def resolve_item(self, note: ExecutionNote, item: NoteItem) -> set[TaskId]:
        first = self.known(item.first)
        last = first if item.last is None else self.known(item.last)
        if first is None or last is None:  # one problem per item, naming every missing end
            ends = (item.first,) if item.last is None else (item.first, item.last)
            missing = dict.fromkeys(end for end in ends if self.known(end) is None)
            self.problem(ItemTrouble.UNKNOWN, note, item, " and ".join(missing))
            return set()
        crossing = self.crossing(note, first, last)
        if crossing:
            self.problem(ItemTrouble.CROSSES_PHASE, note, item, crossing)
            return set()
        if item.last is None:
            return self.units(first)
        if first == last:
            self.problem(ItemTrouble.SINGLE, note, item, str(first))
            return self.units(first)
        if last < first:
            self.problem(ItemTrouble.REVERSED, note, item, f"{first}-{last}")
            first, last = last, first
        ids = self.ids_by_phase.get(self.phase_of(first), [])
        # the IDs are sorted: look only at those between the ends (not at the whole phase)
        members = [
            task_id
            for task_id in ids[bisect_left(ids, first) : bisect_right(ids, last)]
            if task_id.depth == first.depth
        ]
        units: set[TaskId] = set()
        for member in members:
            units |= self.units(member)
        return units

    def known(self, text: str) -> TaskId | None:
        """The ID if it names a task or group of the plan."""
        task_id = TaskId.parse(text)
        if task_id is None or (self.plan.task(task_id) is None and task_id not in self.plan.group_index):
            return None
        return task_id

    def crossing(self, note: ExecutionNote, first: TaskId, last: TaskId) -> str:
        """How an item reaches outside the note's phase (one problem per item), or ""."""
        phases = sorted({self.phase_of(first), self.phase_of(last)})
        if note.phase is None:
            return f"spans Phases {phases[0]} and {phases[1]}" if len(phases) > 1 else ""
        others = [number for number in phases if number != note.phase]
        if not others:
            return ""
        names = " and ".join(f"Phase {number}" for number in others)
        return f"reaches into {names}" if note.phase in phases else f"lies in {names}"

    def phase_of(self, task_id: TaskId) -> int:
        """The phase a task or group stands in (its heading, not its ID's first number)."""
        task = self.plan.task(task_id)
        return task.phase if task is not None else self.plan.group_index[task_id].phase

    def units(self, task_id: TaskId) -> set[TaskId]:
        """The top-level tasks a task or group ID stands for."""
        task = self.plan.task(task_id)
        if task is not None:
            return {self.plan.unit_of(task).id}
        group = self.plan.group_index.get(task_id)
        if group is None:
            return set()
        phase = self.plan.phase(group.phase)
        members = phase.top_level_tasks if phase else ()
        return {t.id for t in members if t.group == group.id}

    def problem(self, trouble: ItemTrouble, note: ExecutionNote, item: NoteItem, detail: str) -> None:
        self.problems.append(ItemProblem(trouble, note, item, detail))
