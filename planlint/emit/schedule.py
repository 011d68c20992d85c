"""A safe, short schedule: waves of units that may run together (used by emit and next).

The wait-for relation comes from `Precedence` (phase barriers, pipeline-start, [PARALLEL]
phases, dependencies, sequential group order); two units that conflict (ConflictModel) never
share a wave. Waves are built by list scheduling with the longest remaining chain first, which
keeps the schedule close to the critical path. Phase barriers are modelled with one virtual
"phases before k are done" node per phase, so the graph stays linear in the plan's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from planlint.analysis.conflicts import ConflictModel
from planlint.analysis.precedence import Precedence
from planlint.model import TaskId

Node = TaskId | tuple[str, int]  # a unit, or ("done-before", phase index)


@dataclass(frozen=True)
class Schedule:
    waves: list[list[TaskId]]
    critical_path: int  # units on the longest chain of waits
    cycles_broken: bool = False  # dependency cycles were ignored to schedule everything


class WaitGraph:
    """unit -> the nodes it waits for, with virtual prefix nodes for phase barriers."""

    def __init__(self, precedence: Precedence) -> None:
        self.precedence = precedence
        order = sorted(precedence.units_of, key=precedence.index.__getitem__)
        self.units = [u for phase in order for u in precedence.units_of[phase]]
        self.waits: dict[Node, set[Node]] = defaultdict(set)
        # ("done-before", k): every (waited-for) unit of phases with index < k is done. One node
        # per position, phases without tasks included: a barrier's cut may be any of them, and a
        # missing node would be a barrier that nothing holds (an empty phase let the next start).
        units_at: dict[int, list[TaskId]] = defaultdict(list)
        for phase in order:
            units_at[precedence.index[phase]].extend(precedence.units_of[phase])
        for position in range(precedence.positions):
            node: Node = ("done-before", position + 1)
            if position > 0:
                self.waits[node].add(("done-before", position))
            self.waits[node].update(u for u in units_at[position] if u not in precedence.never_waited)
        for unit in self.units:
            phase = precedence.unit_phase[unit]
            barrier = precedence.barriers[phase]
            if barrier.cut > 0:
                self.waits[unit].add(("done-before", barrier.cut))
            self.waits[unit].update(barrier.extra)
            self.waits[unit].update(precedence.edges.get(unit, ()))
        self.waits[("done-before", 0)] = set()

    def nodes(self) -> list[Node]:
        found: dict[Node, None] = dict.fromkeys(self.units)
        for node, targets in self.waits.items():
            found.setdefault(node)
            for target in targets:
                found.setdefault(target)
        return list(found)


def longest_chains(graph: WaitGraph) -> tuple[dict[TaskId, int], int, set[tuple[Node, Node]]]:
    """For each unit, the units on the longest chain it starts (itself included); the critical
    path; and the wait edges that had to be dropped to break cycles."""
    nodes = graph.nodes()
    waited_by: dict[Node, list[Node]] = defaultdict(list)
    pending = dict.fromkeys(nodes, 0)
    for node, targets in graph.waits.items():
        for target in targets:
            waited_by[target].append(node)
            pending[node] += 1
    order: list[Node] = [n for n in nodes if pending[n] == 0]
    head = 0
    dropped: set[tuple[Node, Node]] = set()
    while len(order) < len(nodes):
        while head < len(order):
            node = order[head]
            head += 1
            for follower in waited_by[node]:
                pending[follower] -= 1
                if pending[follower] == 0:
                    order.append(follower)
        if len(order) < len(nodes):  # a cycle: release the lowest blocked unit
            blocked = sorted((n for n in nodes if pending[n] > 0), key=_sort_key)
            victim = blocked[0]
            for target in graph.waits.get(victim, ()):
                dropped.add((victim, target))
            pending[victim] = 0
            order.append(victim)
    weight = {node: (1 if isinstance(node, TaskId) else 0) for node in nodes}
    chain: dict[Node, int] = {}
    for node in reversed(order):
        best = max((chain[f] for f in waited_by[node] if (f, node) not in dropped and f in chain), default=0)
        chain[node] = weight[node] + best
    units = {node: value for node, value in chain.items() if isinstance(node, TaskId)}
    return units, max(units.values(), default=0), dropped


def build_schedule(precedence: Precedence, conflicts: ConflictModel, *, pairwise: bool = False) -> Schedule:
    """Waves by list scheduling: each wave takes the ready units, longest chain first, that do
    not conflict with a unit already in the wave. Event-driven, so linear in the graph.
    `pairwise`: ask each pair instead (what a plan with broken cycles needs; tests compare)."""
    graph = WaitGraph(precedence)
    chains, critical, dropped = longest_chains(graph)
    waited_by: dict[Node, list[Node]] = defaultdict(list)
    pending: dict[Node, int] = dict.fromkeys(graph.nodes(), 0)
    for node, targets in graph.waits.items():
        for target in targets:
            if (node, target) not in dropped:
                waited_by[target].append(node)
                pending[node] += 1
    ready: set[TaskId] = set()

    def complete(node: Node) -> None:
        stack = [node]
        while stack:
            for follower in waited_by[stack.pop()]:
                pending[follower] -= 1
                if pending[follower] == 0:
                    if isinstance(follower, TaskId):
                        ready.add(follower)
                    else:
                        stack.append(follower)  # a virtual node is done once its waits are

    # Take the nodes that wait for nothing first: completing one may bring another virtual node
    # to zero, and a node completed twice would release its followers before their time.
    for node in [node for node, count in pending.items() if count == 0]:
        if isinstance(node, TaskId):
            ready.add(node)
        else:
            complete(node)
    build = _pairwise_waves if dropped or pairwise else _waves
    waves = build(ready, chains, conflicts, complete)
    placed = {u for wave in waves for u in wave}
    for unit in graph.units:  # defensive: cycle breaking leaves nothing behind, but never lose a task
        if unit not in placed:
            waves.append([unit])
    return Schedule(waves, critical, bool(dropped))


def _waves(ready: set[TaskId], chains: dict[TaskId, int], conflicts: ConflictModel,
           complete: Callable[[Node], None]) -> list[list[TaskId]]:  # fmt: skip
    """The waves, each file remembering whether the wave already touches or writes it. Units
    ready at one time never wait for each other (what one waits for is done before it is
    ready), so two of them conflict exactly when they share a file that one writes, whatever
    their phases. A unit left out of a wave conflicts with a member of it: the work is linear
    in the plan plus the conflicting pairs (which emit lists anyway)."""
    waves: list[list[TaskId]] = []
    queue = sorted((-chains.get(u, 0), u) for u in ready)
    touched: dict[TaskId, list[tuple[str, bool]]] = {}
    while queue:
        wave: list[TaskId] = []
        writes: dict[str, bool] = {}  # file -> a member writes it (present: a member touches it)
        left: list[tuple[int, TaskId]] = []
        for item in queue:
            touches = touched.get(item[1])
            if touches is None:
                touches = touched[item[1]] = conflicts.touches(item[1])
            if any(key in writes and (writing or writes[key]) for key, writing in touches):
                left.append(item)
                continue
            wave.append(item[1])
            for key, writing in touches:
                writes[key] = writes.get(key, False) or writing
        ready.clear()
        for unit in wave:
            complete(unit)
        waves.append(sorted(wave))
        left.extend((-chains.get(u, 0), u) for u in ready)
        left.sort()  # two sorted runs: linear
        queue = left
    return waves


def _pairwise_waves(ready: set[TaskId], chains: dict[TaskId, int], conflicts: ConflictModel,
                    complete: Callable[[Node], None]) -> list[list[TaskId]]:  # fmt: skip
    """The waves when cycles were broken: a dropped wait may leave two units that conflict
    only in the plan's order ready together, so each pair is asked (only with --force)."""
    waves: list[list[TaskId]] = []
    while ready:
        wave: list[TaskId] = []
        for unit in sorted(ready, key=lambda u: (-chains.get(u, 0), u)):
            if not conflicts.conflicting(unit).intersection(wave):
                wave.append(unit)
        ready.difference_update(wave)
        waves.append(sorted(wave))
        for unit in wave:
            complete(unit)
    return waves


def _sort_key(node: Node) -> tuple[int, tuple[int, ...]]:
    return (0, node.parts) if isinstance(node, TaskId) else (1, (node[1],))
