"""The dependency graph between tasks: unknown targets, later-phase targets and cycles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from planlint.model import Dependency, Plan, Task, TaskId


class Edge(NamedTuple):
    task: Task
    dependency: Dependency


class DependencyGraph:
    """Edges task -> dependency for every dependency that names a task of the plan."""

    def __init__(self, plan: Plan, edges: dict[TaskId, list[Edge]], unknown: list[Edge]) -> None:
        self.plan = plan
        self.edges = edges
        self.unknown = unknown

    @classmethod
    def from_plan(cls, plan: Plan) -> DependencyGraph:
        edges: dict[TaskId, list[Edge]] = {}
        unknown: list[Edge] = []
        for task in plan.tasks():
            for dep in task.dependencies:
                edge = Edge(task, dep)
                if plan.task(dep.target) is None:
                    unknown.append(edge)
                else:
                    edges.setdefault(task.id, []).append(edge)
        return cls(plan, edges, unknown)

    def cycles(self) -> Iterator[list[Edge]]:
        """One cycle per strongly connected component, starting at its lowest task ID."""
        for component in _strongly_connected(self.edges):
            start = min(component)
            path = self._cycle_from(start, component)
            if path:
                yield path

    def _cycle_from(self, start: TaskId, component: set[TaskId]) -> list[Edge]:
        """A shortest cycle through start inside its component (breadth-first)."""
        previous: dict[TaskId, Edge] = {}
        frontier = [start]
        seen = {start}
        while frontier:
            following: list[TaskId] = []
            for node in frontier:
                for edge in sorted(self.edges.get(node, []), key=lambda e: e.dependency.target):
                    target = edge.dependency.target
                    if target == start:
                        path = [edge]
                        while node != start:
                            back = previous[node]
                            path.append(back)
                            node = back.task.id
                        return list(reversed(path))
                    if target in component and target not in seen:
                        seen.add(target)
                        previous[target] = edge
                        following.append(target)
            frontier = following
        return []


def _strongly_connected(edges: dict[TaskId, list[Edge]]) -> Iterator[set[TaskId]]:
    """Tarjan's algorithm, iterative so that a 100k-task chain cannot overflow the stack."""
    index: dict[TaskId, int] = {}
    low: dict[TaskId, int] = {}
    on_stack: set[TaskId] = set()
    stack: list[TaskId] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[TaskId, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = [e.dependency.target for e in edges.get(node, [])]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[TaskId] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                self_loop = any(e.dependency.target == node for e in edges.get(node, []))
                if len(component) > 1 or self_loop:
                    yield component


def lifted_dependencies(plan: Plan) -> Iterator[tuple[TaskId, TaskId]]:
    """(unit, the unit it depends on) for each declared dependency of a task or of its steps,
    both lifted to their top-level task; a dependency within one unit is left out."""
    for task in plan.tasks():
        unit = plan.unit_of(task).id
        for dependency in task.dependencies:
            target = plan.task(dependency.target)
            if target is not None and (target_unit := plan.unit_of(target).id) != unit:
                yield unit, target_unit
