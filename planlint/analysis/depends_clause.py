"""The `(depends: …)` clause as the orchestrator reads it: the tasks a top-level task waits for
(its steps' included), whether a group can be written as one range, and the edit that writes the
clause on a task's line. PL101's fix and the reader-parity comparison share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planlint.analysis.reader import DEPENDS
from planlint.diagnostic import Edit
from planlint.model import Plan, Span, Task, TaskId

_DEPENDS_ANY = re.compile(r"\(\s*depends(?:\s+on)?\s*:?[^()\n]*\)", re.IGNORECASE)


def sort_ids(ids: Iterable[str]) -> list[str]:
    def key(text: str) -> tuple[int, tuple[int, ...], str]:
        parsed = TaskId.parse(text)
        return (0, parsed.parts, text) if parsed else (1, (), text)

    return sorted(set(ids), key=key)


def steps_by_unit(plan: Plan) -> dict[TaskId, list[Task]]:
    """Each top-level task's steps (nested tasks), found in one pass."""
    found: dict[TaskId, list[Task]] = {}
    for task in plan.tasks():
        if task.parent is not None:
            found.setdefault(plan.unit_of(task).id, []).append(task)
    return found


def unit_dependencies(plan: Plan, task: Task, steps: dict[TaskId, list[Task]] | None = None) -> set[str]:
    """The tasks a top-level task waits for, as planlint reads them (its steps' too). Pass
    `steps_by_unit(plan)` when asking for many tasks."""
    found: set[str] = set()
    steps = steps if steps is not None else steps_by_unit(plan)
    for member in [task, *steps.get(task.id, ())]:
        for dep in member.dependencies:
            target = plan.task(dep.target)
            unit = plan.unit_of(target).id if target is not None else dep.target
            if unit != task.id:
                found.add(str(unit))
    return found


def depends_edit(plan: Plan, task: Task, wanted: Iterable[str]) -> Edit | None:
    """Write `(depends: …)` with `wanted` on the task's own line, where the orchestrator reads it:
    in place of the first `(depends: …)` or `(depends on …)` there, else at the line's end."""
    ids = sort_ids(wanted)
    if not ids:
        return None
    source = plan.source
    start, end = source.line_bounds(task.line)
    text = f"(depends: {', '.join(ids)})"
    found = DEPENDS.search(source.text, start, end) or _DEPENDS_ANY.search(source.text, start, end)
    if found is not None:
        if source.text[found.start() : found.end()] == text:
            return None
        return Edit(Span(source.path, found.start(), found.end()), text)
    line = source.text[start:end]
    stripped = len(line.rstrip())
    return Edit(Span(source.path, start + stripped, start + stripped), f" {text}")


def contiguous(tasks: list[TaskId], siblings: list[TaskId]) -> bool:
    """The orchestrator can read these tasks as one range `A-B`: two-part IDs, and no other task
    or group of the phase between the first and the last (it does not expand `1.2.1-1.2.3`)."""
    ordered = sorted(tasks)
    first, last = ordered[0], ordered[-1]
    if any(t.depth != 2 for t in ordered):
        return False
    between = [s for s in siblings if first <= s <= last and s.depth == first.depth]
    return between == ordered
