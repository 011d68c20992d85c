"""Who waits for whom: the partial order the orchestrator must respect (DESIGN.md §2, §3, §5).

A unit (top-level task) waits for:
- its phase's *barrier*: every unit of the phases before it, unless `[PARALLEL]` phase notes let
  its phase start with earlier ones, or a `pipeline-start` trigger lets it start as soon as one
  task (and what that task waits for) is done; VERIFY tasks of a phase whose VERIFY is
  `(non-blocking)` are waited for by no later phase;
- its declared dependencies (`(depends: ...)`, its steps' too);
- the member before it in each `[SEQUENTIAL]` group (groups run in ID order).

A barrier is kept as "every unit of the first `cut` phases, plus an explicit set", so asking
whether one unit waits for another costs O(1) for phase order, and dependency reachability is
only searched within the phases that can overlap.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from planlint.analysis.dependencies import lifted_dependencies
from planlint.analysis.notes import NoteAnalysis
from planlint.model import Plan, TaskId


class _Barrier:
    """What is done before a unit may start: every unit of the phases before `cut`, and `extra`.
    A plain slotted class, not a dataclass, to keep it off a check's startup bill."""

    __slots__ = ("cut", "extra")

    def __init__(self, cut: int, extra: set[TaskId] | None = None) -> None:
        self.cut = cut
        self.extra = extra if extra is not None else set()


class Precedence:
    def __init__(self, plan: Plan, notes: NoteAnalysis) -> None:
        self.plan = plan
        # Stages run one after the other; the units of one stage may run at the same time. A
        # stage is a phase, or in the other dialects (DESIGN.md §7) the lane the parser gave
        # each unit (`Task.lane`): `index`, `unit_phase`, `units_of` and `barriers` are keyed
        # by it, and `positions` counts them.
        self.lanes = plan.dialect != "phased"
        self.index: dict[int, int] = {}
        self.unit_phase: dict[TaskId, int] = {}
        self.units_of: dict[int, list[TaskId]] = defaultdict(list)
        self.never_waited: set[TaskId] = set()  # VERIFY tasks of non-blocking VERIFY phases
        if self.lanes:
            self._index_lanes()
        else:
            for position, phase in enumerate(plan.phases):
                self.index.setdefault(phase.number, position)
            for phase in plan.phases:
                for task in phase.top_level_tasks:
                    if task.id not in self.unit_phase:
                        self.unit_phase[task.id] = phase.number
                        self.units_of[phase.number].append(task.id)
                        if task.verify and phase.non_blocking_verify:
                            self.never_waited.add(task.id)
        self.positions = len(self.index) if self.lanes else len(plan.phases)
        self.edges: dict[TaskId, set[TaskId]] = defaultdict(set)
        for unit, target in lifted_dependencies(plan):
            self.edges[unit].add(target)
        for group in notes.sequential:
            for before, after in pairwise(group.tasks):
                self.edges[after].add(before)
        self.parallel_phases = (
            []
            if self.lanes
            else [frozenset(p for p in phases if p in self.index) for _, phases in notes.parallel_phases]
        )
        self.barriers = self._barriers()
        self._reach: dict[TaskId, set[TaskId]] = {}
        self._reach_all: dict[tuple[str, TaskId], set[TaskId]] = {}
        self._reach_barrier: dict[TaskId, _Barrier] = {}

    def _index_lanes(self) -> None:
        for task in self.plan.tasks():
            if task.parent is None and task.id not in self.unit_phase:
                lane = task.lane if task.lane is not None else -1 - task.phase
                self.index.setdefault(lane, len(self.index))
                self.unit_phase[task.id] = lane
                self.units_of[lane].append(task.id)

    def stage_label(self, key: int) -> str:
        """How a message names a stage: `Phase 3`, or a lane by its tasks (`tasks T003-T005`)."""
        if not self.lanes:
            return f"Phase {key}"
        units = self.units_of.get(key, [])
        if len(units) == 1:
            return f"task {units[0]}"
        return f"tasks {units[0]}-{units[-1]}" if units else f"lane {key}"

    # -- barriers ------------------------------------------------------------------------

    def _barriers(self) -> dict[int, _Barrier]:
        barriers: dict[int, _Barrier] = {}
        if self.lanes:  # lanes run one after the other, in document order
            return {lane: _Barrier(position) for lane, position in self.index.items()}
        for phase in self.plan.phases:
            if phase.number in barriers:
                continue
            position = self.index[phase.number]
            barrier = _Barrier(position)
            trigger = self.plan.task(phase.pipeline_start.task) if phase.pipeline_start else None
            if trigger is not None and trigger.phase in barriers and self.index[trigger.phase] < position:
                source = barriers[trigger.phase]
                unit = self.plan.unit_of(trigger).id
                barrier = _Barrier(source.cut, set(source.extra) | {unit} | self._closure(unit, source.cut))
            for group in self.parallel_phases:
                if phase.number in group:
                    first = min(group, key=lambda p: self.index[p])
                    if first != phase.number and first in barriers:
                        earliest = barriers[first]
                        barrier = _Barrier(min(barrier.cut, earliest.cut), set(earliest.extra))
            barriers[phase.number] = barrier
        return barriers

    def _closure(self, unit: TaskId, cut: int) -> set[TaskId]:
        """What unit waits for through its own edges, among phases from `cut` on."""
        seen: set[TaskId] = set()
        stack = list(self.edges.get(unit, ()))
        while stack:
            other = stack.pop()
            if other in seen or self.index.get(self.unit_phase.get(other, -1), -1) < cut:
                continue
            seen.add(other)
            stack.extend(self.edges.get(other, ()))
        return seen

    def in_barrier(self, phase: int, unit: TaskId) -> bool:
        """Is unit done before any unit of `phase` may start?"""
        barrier = self.barriers.get(phase)
        if barrier is None or unit in self.never_waited:
            return False
        unit_phase = self.unit_phase.get(unit)
        if unit_phase is None:
            return False
        return self.index[unit_phase] < barrier.cut or unit in barrier.extra

    # -- questions -------------------------------------------------------------------------

    def reach(self, unit: TaskId) -> set[TaskId]:
        """Everything unit waits for through dependencies and group order (memoised)."""
        if unit not in self._reach:
            # what lies before the unit's barrier is known done; search only the rest
            phase = self.unit_phase.get(unit)
            cut = self.barriers[phase].cut if phase is not None else -1
            self._reach[unit] = self._closure(unit, cut)
        return self._reach[unit]

    def reach_all(self, unit: TaskId) -> set[TaskId]:
        """Everything unit waits for through dependencies and group order, in any phase (what
        `next` checks, since a status may have been updated out of phase order)."""
        key = ("all", unit)
        if key not in self._reach_all:
            self._reach_all[key] = self._closure(unit, -1)
        return self._reach_all[key]

    def waits_for(self, later: TaskId, earlier: TaskId) -> bool:
        """Does `later` start only after `earlier` has completed?"""
        phase = self.unit_phase.get(later)
        if phase is not None and self.in_barrier(phase, earlier):
            return True
        if earlier in self.reach(later):
            return True
        # Through a unit it waits for, whose phase's barrier holds `earlier`.
        barrier = self.reached_barrier(later)
        unit_phase = self.unit_phase.get(earlier)
        if unit_phase is None or earlier in self.never_waited:
            return False
        return self.index[unit_phase] < barrier.cut or earlier in barrier.extra

    def reached_barrier(self, unit: TaskId) -> _Barrier:
        """The union of the barriers of every unit that `unit` waits for (memoised): what it
        waits for through them, in O(1) per question instead of a scan of its reach (a chain of
        n dependencies on one file had made the conflict check O(n^3))."""
        found = self._reach_barrier.get(unit)
        if found is None:
            cut, extra = -1, set()
            for other in self.reach(unit):
                phase = self.unit_phase.get(other)
                barrier = self.barriers.get(phase) if phase is not None else None
                if barrier is not None:
                    cut = max(cut, barrier.cut)
                    extra |= barrier.extra
            found = self._reach_barrier[unit] = _Barrier(cut, extra)
        return found

    def may_run_together(self, a: TaskId, b: TaskId) -> bool:
        return a != b and not self.waits_for(a, b) and not self.waits_for(b, a)

    def overlapping_phases(self) -> list[frozenset[int]]:
        """Clusters of phases some of whose units may run at the same time."""
        parent = {number: number for number in self.index}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        order = sorted(self.index, key=self.index.__getitem__)
        for number in order:
            barrier = self.barriers[number]
            for other in order[barrier.cut : self.index[number]]:
                parent[find(other)] = find(number)
            for unit in self.never_waited:
                if self.index[self.unit_phase[unit]] < self.index[number]:
                    parent[find(self.unit_phase[unit])] = find(number)
        clusters: dict[int, set[int]] = defaultdict(set)
        for number in order:
            clusters[find(number)].add(number)
        return [frozenset(c) for c in clusters.values() if len(c) > 1]
