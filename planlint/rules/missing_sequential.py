"""Tasks of one phase touch the same file, at least one writing it, with nothing ordering them.

The orchestrator runs a phase's tasks in parallel batches, so two agents editing one file
clobber each other's work unless something makes them run in order: a `[SEQUENTIAL]` Execution
Note that names both, a dependency between them, or a task-level `[PARALLEL]` note that records
the overlap as deliberate. Two tasks that only read a file never conflict; a task and its own
steps never conflict (one agent runs them). One finding per file and phase, at the first task,
naming every task involved.

The fix writes one Execution Note per phase, after the phase's introduction and before its
first task: `**Execution Note:** Tasks 3.1-3.4 are [SEQUENTIAL] - all modify `src/auth.py``
(a list such as `3.1, 3.4` when the tasks are not contiguous; two notes when two interleaved
sets of tasks conflict over different files, so that each names exactly its conflicting tasks).
No fix is offered when a conflicting task already belongs to another note's group: extending
that note would change its meaning, which is a decision for a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from planlint.analysis.conflicts import Conflict
from planlint.diagnostic import Diagnostic, Related, Severity
from planlint.fix import Edit, Fix
from planlint.model import Phase, Span
from planlint.rule import Context, Rule


class MissingSequential(Rule):
    code = "PL101"
    name = "missing-sequential"
    severity = Severity.WARNING
    fixable = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        by_phase: dict[int, list[Conflict]] = defaultdict(list)
        for conflict in ctx.conflicts.conflicts:
            if not conflict.cross_phase:
                by_phase[conflict.phases[0]].append(conflict)
        for number, conflicts in by_phase.items():
            phase = plan.phase(number)
            fix = _note_fix(ctx, phase, conflicts) if phase is not None else None
            for conflict in conflicts:
                first = plan.task(conflict.tasks[0])
                if first is None:
                    continue
                names = ", ".join(map(str, conflict.tasks))
                yield self.diagnostic(
                    first.id_span,
                    f"tasks {names} all {conflict.verb} `{conflict.key}` but no [SEQUENTIAL] note, "
                    f"dependency or [PARALLEL] note orders them",
                    related=[Related(span, text) for span, text in conflict.task_spans()],
                    fix=fix,
                )


def _note_fix(ctx: Context, phase: Phase, conflicts: list[Conflict]) -> Fix | None:
    # Imported here: a plan without conflicts (the common case) never words a note.
    from planlint.task_constraints import conflict_sets, phase_siblings, task_list_label

    grouped = {t for group in ctx.notes.sequential for t in group.tasks}
    sets = conflict_sets(conflicts)
    if any(task in grouped for found in sets for task in found.tasks):
        return None  # extending another note would change its meaning: left to a person
    siblings = phase_siblings(phase)
    labels = [task_list_label(found.tasks, siblings) for found in sets]
    if len(sets) == 1:
        notes = [f"Tasks {labels[0]} are [SEQUENTIAL] - {sets[0].reason()}"]
    elif all("-" in label for label in labels):
        # several ranges share one note (`3.1-3.2 and 3.4-3.5`), each its own group
        reason = "; ".join(f"{label} {found.reason(every_task=False)}" for label, found in zip(labels, sets))
        notes = [f"Tasks {' and '.join(labels)} are [SEQUENTIAL] - {reason}"]
    else:
        # interleaved lists cannot share a note without merging their groups: one note each
        notes = [f"Tasks {label} are [SEQUENTIAL] - {found.reason()}" for label, found in zip(labels, sets)]
    where = _insertion_point(ctx, phase)
    if where is None:
        return None
    offset, prefix = where
    text = "".join(f"**Execution Note:** {note}\n\n" for note in notes)
    edit = Edit(Span(phase.heading.path, offset, offset), prefix + text)
    return Fix(f"insert [SEQUENTIAL] note for tasks {' and '.join(labels)}", (edit,))


def _insertion_point(ctx: Context, phase: Phase) -> tuple[int, str] | None:
    """Before the first task's block (and the label paragraph glued to it, like `**Tasks:**`).

    Returns the offset and what must precede the note there (a blank line when the block
    follows the heading directly).
    """
    source = ctx.plan.source
    tasks = phase.top_level_tasks
    if not tasks:
        return None
    line = tasks[0].line
    first_group = next((g for g in phase.groups if g.id == tasks[0].group), None)
    if first_group is not None:
        line = first_group.line
    heading_end = source.position(phase.heading.end)[0]  # a setext heading's underline is part of it
    while line - 1 > heading_end and source.line_text(line - 1).strip():
        line -= 1
    return source.offset(line), "\n" if line - 1 == heading_end else ""
