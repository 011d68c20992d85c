"""Where dependencies run forward across a lane (DESIGN.md §7), for the fixes that order the
tasks of one lane (PL101 in the dialects whose tasks run in lanes).

Ordering tasks in listed order, or splitting a `[P]` run, sends a dependency backwards when a
task waits for one listed after it in its lane, and the new order puts a boundary between them.
Dependencies between two tasks of one lane are enough to look at: a path through a task of
another lane already runs backwards (PL113). Built once per check, in one pass over the plan's
tasks and their dependencies; each question afterwards costs the tasks it names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from planlint.model import Plan, TaskId


class LaneOrder:
    """Each top-level task's position in its lane, and for each lane which gaps between
    neighbours a forward dependency spans (a task waiting for one listed after it)."""

    def __init__(self, plan: Plan, edges: Mapping[TaskId, Iterable[TaskId]]) -> None:
        self.lane: dict[TaskId, int] = {}
        self.position: dict[TaskId, int] = {}
        sizes: dict[int, int] = defaultdict(int)
        for task in plan.tasks():
            if task.parent is None and task.lane is not None and task.id not in self.position:
                self.lane[task.id], self.position[task.id] = task.lane, sizes[task.lane]
                sizes[task.lane] += 1
        starts: dict[int, list[int]] = {lane: [0] * (size + 2) for lane, size in sizes.items()}
        for unit, lane in self.lane.items():
            for target in edges.get(unit, ()):
                if self.lane.get(target) == lane and self.position[target] > self.position[unit]:
                    starts[lane][self.position[unit] + 1] += 1  # spans the gaps before unit+1 .. target
                    starts[lane][self.position[target] + 1] -= 1
        # spanned[lane][i]: how many gaps before positions 1 .. i-1 a forward dependency spans
        self.spanned: dict[int, list[int]] = {}
        for lane, marks in starts.items():
            open_, count, prefix = 0, 0, [0]
            for mark in marks:
                open_ += mark
                count += open_ > 0
                prefix.append(count)
            self.spanned[lane] = prefix

    def spans_any(self, lane: int, low: int, high: int) -> bool:
        """Whether a forward dependency spans the gap before any position from low to high."""
        prefix = self.spanned.get(lane)
        if prefix is None or high < low:
            return False
        high = min(high, len(prefix) - 2)
        return high >= low and prefix[high + 1] - prefix[low] > 0

    def ordering_closes_a_cycle(self, tasks: list[TaskId]) -> bool:
        """Whether making each of `tasks` (one lane, in listed order) wait for the one before it
        may close a cycle: some task between the first and the last waits for a later one."""
        first, last = tasks[0], tasks[-1]
        lane = self.lane.get(first)
        if lane is None or self.lane.get(last) != lane:
            return False
        return self.spans_any(lane, self.position[first] + 1, self.position[last])

    def split_sends_backwards(self, lane: int, dropped: Iterable[TaskId]) -> bool:
        """Whether dropping the parallel marker of each `dropped` task (which then runs alone,
        and starts a new run after it) leaves a task waiting for one in a later run."""
        for task in dropped:
            position = self.position.get(task)
            if position is not None and self.lane.get(task) == lane and self.spans_any(lane, position, position + 1):
                return True
        return False
