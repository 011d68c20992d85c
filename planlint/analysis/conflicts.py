"""Which tasks may run together and touch the same file (DESIGN.md §3): the one model that
PL101, PL109, emit and next all read.

Units are top-level tasks; a step's references count as its task's. An inverted index maps
each file to the units that touch it, so detection is linear in the number of references and
never pairwise over all tasks. A pair conflicts when both units may run at the same time and at
least one writes; it is covered by a shared `[SEQUENTIAL]` group, a (transitive) dependency, or
a task-level `[PARALLEL]` acknowledgement (also one written in prose, which PL107 reports).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from planlint.analysis.access import Mode, Vocabulary
from planlint.analysis.files import FileIndex, Resolved
from planlint.analysis.notes import NoteAnalysis
from planlint.analysis.precedence import Precedence
from planlint.analysis.references import PlanReferences
from planlint.analysis.task_files import FileAccess, collect_accesses
from planlint.model import Plan, Span, TaskId
from planlint.parse.grammar import parse_note

if TYPE_CHECKING:
    from planlint.analysis.symbols import SymbolIndex


class Conflict(NamedTuple):
    """Units that may run together, touch `key`, and are not covered (one finding)."""

    key: str
    tasks: tuple[TaskId, ...]  # in ID order
    phases: tuple[int, ...]
    cross_phase: bool
    writers: tuple[TaskId, ...]
    spans: tuple[tuple[TaskId, Span], ...]  # where each task names the file (first mention)

    @property
    def verb(self) -> str:
        """How the tasks share the file: all "write" it, or some only read ("touch")."""
        return "write" if len(self.writers) == len(self.tasks) else "touch"

    def task_spans(self) -> list[tuple[Span, str]]:
        """Where each task names the file, with what it does to it (for related locations)."""
        return [
            (span, f"task {task} {'writes' if task in self.writers else 'reads'} `{self.key}`")
            for task, span in self.spans
        ]


class ConflictModel:
    """Who touches which file, and the conflicts nothing covers (a plain class, not a
    dataclass, to keep its definition off a check's startup)."""

    def __init__(
        self,
        plan: Plan,
        accesses: dict[TaskId, list[FileAccess]],
        conflicts: list[Conflict],
        coverage: _Coverage,
        domains: _Domains,
        by_file: dict[str, dict[TaskId, list[FileAccess]]],
    ) -> None:
        self.plan = plan
        self.accesses = accesses
        self.conflicts = conflicts  # the uncovered ones: PL101 and PL109 findings
        self._coverage = coverage
        self._domains = domains
        self._by_file = by_file
        self._conflicting: dict[tuple[TaskId, bool], set[TaskId]] = {}

    def conflicting(self, unit: TaskId, *, any_phase: bool = False, keep: bool = True) -> set[TaskId]:
        """Every unit that must not run at the same time as `unit` (covered pairs included):
        both may run together (or, with any_phase, in any phases), touch one file, and at least
        one writes it. `keep=False` does not remember the answer (emit streams every task's
        list once: kept, they would hold every conflicting pair in memory)."""
        key = (unit, any_phase)
        if not keep:
            return self._conflicting.get(key) or self._find_conflicting(unit, any_phase)
        if key not in self._conflicting:
            self._conflicting[key] = self._find_conflicting(unit, any_phase)
        return self._conflicting[key]

    def _find_conflicting(self, unit: TaskId, any_phase: bool) -> set[TaskId]:
        found: set[TaskId] = set()
        phase_of, may_overlap = self._domains.phase_of, self._domains.may_overlap
        my_phase = phase_of(unit)
        for key, i_write in self.touches(unit):
            # a reader conflicts only with the file's writers: never walk its other readers
            others = self._by_file[key] if i_write else self._writers.get(key, ())
            for other in others:
                if other == unit or other in found:
                    continue
                if any_phase or phase_of(other) == my_phase or may_overlap(unit, other):
                    found.add(other)
        return found

    def touches(self, unit: TaskId) -> list[tuple[str, bool]]:
        """(file, whether unit writes it) for every file unit touches, directories' files too."""
        units_of = self._by_file
        return [(key, any(a.mode.writes for a in units_of[key][unit])) for key in self._keys_of.get(unit, ())]

    @cached_property
    def _writers(self) -> dict[str, list[TaskId]]:
        """file -> the units that write it."""
        return {
            key: writers
            for key, units in self._by_file.items()
            if (writers := [u for u, acc in units.items() if any(a.mode.writes for a in acc)])
        }

    @cached_property
    def _keys_of(self) -> dict[TaskId, set[str]]:
        """unit -> files it touches, including files under the directories it names."""
        keys: dict[TaskId, set[str]] = defaultdict(set)
        for key, units in self._by_file.items():
            for unit in units:
                keys[unit].add(key)
        return keys

    def writes(self, unit: TaskId) -> list[str]:
        return sorted({a.key for a in self.accesses.get(unit, []) if a.mode.writes})

    def reads(self, unit: TaskId) -> list[str]:
        written = set(self.writes(unit))
        return sorted({a.key for a in self.accesses.get(unit, []) if a.key not in written})

    def covered(self, a: TaskId, b: TaskId) -> bool:
        return self._coverage.covered(a, b)

    @property
    def precedence(self) -> Precedence:
        return self._coverage.precedence

    def depends(self, a: TaskId, b: TaskId) -> bool:
        """True when unit a waits (transitively) for unit b."""
        return self._coverage.reaches(a, b)

    def may_run_together(self, a: TaskId, b: TaskId) -> bool:
        return self._coverage.precedence.may_run_together(a, b)


def build_conflicts(
    references: PlanReferences,
    notes: NoteAnalysis,
    index: FileIndex | None,
    vocabulary: Vocabulary,
    symbols: SymbolIndex | None = None,
) -> ConflictModel:
    """The conflict model; `symbols` (the check's index over the config's Python roots) places
    bare symbols in files."""
    plan = references.plan
    # mentions ("link to x") and run-time outputs ("Generate report.md") touch no file here
    accesses = {
        unit: kept
        for unit, found in collect_accesses(references, index, vocabulary, symbols).items()
        if (kept := [a for a in found if a.mode.touches])
    }
    precedence = Precedence(plan, notes)
    coverage = _Coverage(plan, notes, precedence)
    domains = _Domains(precedence)
    by_file: dict[str, dict[TaskId, list[FileAccess]]] = defaultdict(lambda: defaultdict(list))
    for unit_accesses in accesses.values():
        for access in unit_accesses:
            by_file[access.key].setdefault(access.unit, []).append(access)
    _link_directories(by_file)
    conflicts: list[Conflict] = []
    for key in sorted(by_file):
        units = by_file[key]
        if len(units) < 2:
            continue
        conflicts.extend(_conflicts_on(key, units, plan, coverage, domains))
    return ConflictModel(plan, accesses, conflicts, coverage, domains, dict(by_file))


def _link_directories(by_file: dict[str, dict[TaskId, list[FileAccess]]]) -> None:
    """A directory reference touches every file under it: add its accesses to those files (not
    the folder's creation)."""
    directories = [key for key in by_file if key.endswith("/")]
    if not directories:
        return
    files = sorted(key for key in by_file if not key.endswith("/"))
    from bisect import bisect_left

    for directory in directories:
        start = bisect_left(files, directory)
        for key in files[start:]:
            if not key.startswith(directory):
                break
            for unit, unit_accesses in by_file[directory].items():
                # Making a folder writes none of the files that will be in it ("Create `docs/guides/`"
                # beside "Create `docs/guides/setup.md`"); changing or removing one touches them all.
                if inside := [a for a in unit_accesses if a.mode is not Mode.CREATE]:
                    by_file[key].setdefault(unit, []).extend(inside)


def _conflicts_on(key: str, units: dict[TaskId, list[FileAccess]], plan: Plan,
                  coverage: _Coverage, domains: _Domains) -> Iterable[Conflict]:  # fmt: skip
    writers = {u for u, acc in units.items() if any(a.mode.writes for a in acc)}
    if not writers:
        return
    for phase_set, members in domains.partition(units):
        if len(members) < 2 or not (writers & set(members)):
            continue
        uncovered = _uncovered(sorted(members), writers, coverage, domains, cross=len(phase_set) > 1)
        if not uncovered:
            continue
        tasks = tuple(sorted(uncovered))
        yield Conflict(
            key=key,
            tasks=tasks,
            phases=tuple(sorted({u.phase if plan.task(u) is None else plan.task(u).phase for u in tasks})),  # type: ignore[union-attr]
            cross_phase=len(phase_set) > 1,
            writers=tuple(t for t in tasks if t in writers),
            spans=tuple((t, units[t][0].reference.span) for t in tasks),
        )


def _uncovered(members: list[TaskId], writers: set[TaskId], coverage: _Coverage,
               domains: _Domains, *, cross: bool) -> set[TaskId]:  # fmt: skip
    """Units in at least one uncovered conflicting pair (fast paths before pairwise checks)."""
    if not cross and not any(coverage.has_constraints(u) for u in members):
        return set(members)  # nothing can cover any pair: every writer conflicts with every other
    if not cross and coverage.share_a_group(members):
        return set()
    found: set[TaskId] = set()
    done_writers: set[TaskId] = set()  # coverage is symmetric: check each pair of writers once
    for writer in (u for u in members if u in writers):
        done_writers.add(writer)
        for other in members:
            if other in done_writers or (writer in found and other in found):
                continue
            if cross and not domains.may_overlap(writer, other):
                continue
            if not coverage.covered(writer, other):
                found.update((writer, other))
    return found


class _Coverage:
    """What orders or acknowledges a pair: groups, [PARALLEL] notes, and who waits for whom."""

    def __init__(self, plan: Plan, notes: NoteAnalysis, precedence: Precedence) -> None:
        self.precedence = precedence
        self.groups: dict[TaskId, set[int]] = defaultdict(set)
        for number, group in enumerate(notes.sequential):
            for unit in group.tasks:
                self.groups[unit].add(number)
        self.acknowledged: dict[TaskId, set[int]] = defaultdict(set)
        acknowledgements = [set(g.tasks) for g in notes.parallel] + _prose_acknowledgements(plan)
        for number, units in enumerate(acknowledgements):
            for unit in units:
                self.acknowledged[unit].add(number)
        self.constrained = set(self.groups) | set(self.acknowledged) | set(precedence.edges)
        self.constrained |= {t for targets in precedence.edges.values() for t in targets}

    def has_constraints(self, unit: TaskId) -> bool:
        return unit in self.constrained

    def share_a_group(self, units: list[TaskId]) -> bool:
        common = set(self.groups.get(units[0], set()))
        for unit in units[1:]:
            common &= self.groups.get(unit, set())
            if not common:
                return False
        return bool(common)

    def covered(self, a: TaskId, b: TaskId) -> bool:
        if self.groups.get(a, set()) & self.groups.get(b, set()):
            return True
        if self.acknowledged.get(a, set()) & self.acknowledged.get(b, set()):
            return True
        return not self.precedence.may_run_together(a, b)

    def reaches(self, a: TaskId, b: TaskId) -> bool:
        """a waits (transitively) for b."""
        return self.precedence.waits_for(a, b)


def _prose_acknowledgements(plan: Plan) -> list[set[TaskId]]:
    """Units named together by a note that says "in parallel" without a marker (PL107)."""
    found = []
    for note in plan.notes:
        if not note.prose_parallel or note.scope != "tasks":
            continue
        units = set()
        for item in note.items:
            task_id = TaskId.parse(item.first)
            task = plan.task(task_id) if task_id else None
            if task is not None and item.last is None:
                units.add(plan.unit_of(task).id)
        if len(units) > 1:
            found.append(units)
    return found


class _Domains:
    """Which units may run at the same time, by phase (from the Precedence order)."""

    def __init__(self, precedence: Precedence) -> None:
        self.precedence = precedence
        self.cluster: dict[int, int] = {}
        for number, cluster in enumerate(precedence.overlapping_phases()):
            for phase in cluster:
                self.cluster[phase] = -1 - number

    def phase_of(self, unit: TaskId) -> int:
        return self.precedence.unit_phase.get(unit, unit.phase)

    def partition(self, units: Iterable[TaskId]) -> list[tuple[frozenset[int], list[TaskId]]]:
        """Units grouped by phase, and by clusters of phases that may overlap."""
        by_phase: dict[int, list[TaskId]] = defaultdict(list)
        for unit in units:
            by_phase[self.phase_of(unit)].append(unit)
        result: list[tuple[frozenset[int], list[TaskId]]] = [
            (frozenset({phase}), members) for phase, members in sorted(by_phase.items())
        ]
        by_cluster: dict[int, list[int]] = defaultdict(list)
        for phase in by_phase:
            if phase in self.cluster:
                by_cluster[self.cluster[phase]].append(phase)
        for phases in by_cluster.values():
            if len(phases) > 1:
                members = [u for p in sorted(phases) for u in by_phase[p]]
                result.append((frozenset(phases), members))
        return result

    def may_overlap(self, a: TaskId, b: TaskId) -> bool:
        """Units of two different phases that may run at the same time."""
        return self.phase_of(a) != self.phase_of(b) and self.precedence.may_run_together(a, b)


def conflicts_for(
    references: PlanReferences, notes: NoteAnalysis, root: Path, vocabulary: Vocabulary, symbols: SymbolIndex
) -> ConflictModel:
    """The conflict model with the repository index, built only when references exist; what it
    reads (references, vocabulary, symbol index) is the check's own, from the rule `Context`."""
    from planlint.analysis.files import file_index

    index = file_index(root.resolve()) if _mentions_files(references.plan) else None
    return build_conflicts(references, notes, index, vocabulary, symbols)


def _mentions_files(plan: Plan) -> bool:
    return any(task.blocks for task in plan.tasks())


__all__ = ["Conflict", "ConflictModel", "FileAccess", "Resolved", "build_conflicts", "conflicts_for", "parse_note"]
