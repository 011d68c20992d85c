"""PL101 in a GSD phase folder (DESIGN.md §7): plans of one wave run at the same time, so two
that modify one file clobber each other (GSD's planner: "Same-wave plans must have zero
`files_modified` overlap"). A file the body's `<files>` edit but `files_modified` leaves out is
named in the message: GSD's own overlap check reads only the front matter, so it misses it.

The safe fix is GSD's own remedy, "bump the later plan to the next wave": the k-th later plan
of the conflict moves k waves on (its `wave:` value). It is offered only when every
`depends_on` still points to an earlier wave afterwards; the fix loop's re-check refuses it when
the move makes a new conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from planlint.diagnostic import Diagnostic, Edit, Fix, Related
from planlint.model import Plan, Task, TaskId

if TYPE_CHECKING:
    from planlint.analysis.conflicts import Conflict
    from planlint.rule import Context, Rule


def check_gsd(rule: Rule, ctx: Context, conflicts: list[Conflict]) -> Iterator[Diagnostic]:
    plan = ctx.plan
    dependents = _dependents(plan)
    waves = {task.id: task.lane or 0 for task in plan.tasks()}
    for conflict in sorted(conflicts, key=lambda c: (c.tasks[0], c.key)):
        tasks = [plan.task(t) for t in conflict.tasks]
        if any(task is None for task in tasks):
            continue
        ordered: list[Task] = sorted(tasks, key=lambda task: task.id)  # type: ignore[arg-type]
        names = [str(task.id) for task in ordered]
        both = "both" if len(names) == 2 else "all"
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        message = f"plans {listed} are {both} in wave {ordered[0].lane} and {both} modify `{conflict.key}`"
        hidden = _undeclared(ctx, ordered, conflict.key)
        if hidden:
            who = " and ".join(str(task.id) for task in hidden)
            verb = "edits" if len(hidden) == 1 else "edit"
            does = "does" if len(hidden) == 1 else "do"
            message += (
                f"; {who} {verb} it in the body but {does} not list it in files_modified, "
                "which hides the conflict from GSD's own check"
            )
        yield rule.diagnostic(
            ordered[0].id_span,
            message,
            related=[Related(span, note.replace("task ", "plan ")) for span, note in conflict.task_spans()],
            fix=_move_fix(plan, ordered, dependents, waves),
        )


def _undeclared(ctx: Context, tasks: list[Task], key: str) -> list[Task]:
    """The plans whose every mention of `key` lies after their front matter."""
    from planlint.parse.dialects.gsd import declared_end

    plan = ctx.plan
    found = []
    for task in tasks:
        end = declared_end(plan.text_of(task.span.path))
        mentions = [a for a in ctx.conflicts.accesses.get(task.id, []) if a.key == key]
        if mentions and all(a.reference.span.start >= end for a in mentions):
            found.append(task)
    return found


def _dependents(plan: Plan) -> dict[TaskId, list[Task]]:
    """Plan -> the plans whose `depends_on` names it."""
    found: dict[TaskId, list[Task]] = defaultdict(list)
    for task in plan.tasks():
        for dependency in task.dependencies:
            found[dependency.target].append(task)
    return found


def _move_fix(
    plan: Plan, ordered: list[Task], dependents: dict[TaskId, list[Task]], waves: dict[TaskId, int]
) -> Fix | None:
    """Move the k-th later plan k waves on, when every `depends_on` still points backwards
    (linear in the moved plans' dependencies and dependents)."""
    wave = ordered[0].lane or 0
    moved = {task.id: wave + k for k, task in enumerate(ordered) if k}

    def wave_of(task_id: TaskId) -> int:
        return moved.get(task_id, waves.get(task_id, 0))

    for task_id, new in moved.items():
        task = plan.task(task_id)
        if task is None or task.id_span.end <= task.id_span.start:
            return None  # no `wave:` line to edit
        if any(wave_of(d.target) >= new for d in task.dependencies):
            return None
        if any(wave_of(other.id) <= new for other in dependents.get(task_id, [])):
            return None
    edits = []
    for task_id, new in moved.items():
        task = plan.task(task_id)
        assert task is not None
        edits.append(Edit(task.id_span, str(new)))
    title = ", ".join(f"{task_id} to wave {new}" for task_id, new in moved.items())
    return Fix(f"move {title}", tuple(edits))
