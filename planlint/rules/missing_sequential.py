"""Tasks of one phase touch the same file, at least one writing it, with nothing ordering them.

The orchestrator runs a phase's tasks in parallel batches, so two agents editing one file
clobber each other's work unless something makes them run in order: a `[SEQUENTIAL]` Execution
Note that names both, a dependency between them, or a task-level `[PARALLEL]` note that records
the overlap as deliberate. Two tasks that only read a file never conflict; a task and its own
steps never conflict (one agent runs them). One finding per file and phase, at the first task,
naming every task involved.

The fix writes only what the orchestrator's own line-by-line parser reads: for each set of
tasks that conflict, one `**Execution Note:** Tasks 3.1-3.4 are [SEQUENTIAL] - all modify
`src/auth.py`` paragraph when no other task lies between them, placed after the phase's
introduction and before its first task; when they are not contiguous, a `(depends: X)` on each
task's line naming the one before it, in ID order (a list note such as `Tasks 3.1, 3.4` is read
by the orchestrator as two groups of one task, which orders nothing). A note that is almost one
(`[SEQUENTAIL]`, `Execution Note:` not bold: PL125) is corrected rather than joined by a second
note. No fix is offered when a conflicting task already belongs to another note's group:
extending that note would change its meaning, which is a decision for a person.

Other plan formats (docs/dialects) say in their own way which tasks may run together, and the
finding and its fix use their words: in spec-kit and Kiro plans, consecutive tasks marked `[P]`
or `(P)`, and the safe fix drops the marker from the later tasks (unless that would make a task
wait for one that now runs after it); in `### Task N` plans with a `**Files:**` block, tasks of
one phase, and the safe fix writes a `**Dependencies:** Task X` line under each later task; in
a GSD phase folder, plans of one wave, and the safe fix moves the later plans to later waves
(docs/dialects/gsd.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from planlint.analysis.conflicts import Conflict
from planlint.diagnostic import Diagnostic, Edit, Fix, Related, Severity
from planlint.model import Phase, Span, TaskId
from planlint.rule import Context, Rule

if TYPE_CHECKING:
    from planlint.analysis.lane_order import LaneOrder


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
        if plan.dialect == "gsd":
            from planlint.rules.missing_sequential_gsd import check_gsd

            yield from check_gsd(self, ctx, [c for cs in by_phase.values() for c in cs])
            return
        if plan.dialect != "phased" and by_phase:
            from planlint.analysis.lane_order import LaneOrder

            lanes = LaneOrder(plan, ctx.conflicts.precedence.edges)  # once per check: linear
            found = [c for cs in by_phase.values() for c in cs]
            if plan.dialect == "files-block":
                yield from self.check_files_block(ctx, found, lanes)
            else:
                yield from self.check_marked(ctx, found, lanes)
            return
        if plan.dialect != "phased":
            return
        for number, conflicts in by_phase.items():
            phase = plan.phase(number)
            fix = _note_fix(ctx, phase, conflicts) if phase is not None else None
            for conflict in conflicts:
                first = plan.task(conflict.tasks[0])
                if first is None:
                    continue
                names = [str(t) for t in conflict.tasks]
                both = "both" if len(names) == 2 else "all"
                listed = f"{', '.join(names[:-1])} and {names[-1]}"
                yield self.diagnostic(
                    first.id_span,
                    f"tasks {listed} {both} {conflict.verb} `{conflict.key}` but no [SEQUENTIAL] note, "
                    f"dependency or [PARALLEL] note orders them",
                    related=[Related(span, text) for span, text in conflict.task_spans()],
                    fix=fix,
                )

    def check_marked(self, ctx: Context, conflicts: list[Conflict], lanes: LaneOrder) -> Iterator[Diagnostic]:
        """PL101 in the words of a dialect whose tasks run together because a parallel marker
        (`[P]`, `(P)`) says so (DESIGN.md §7): the safe fix drops the marker from the later
        tasks, so that each runs after the one before it."""
        plan = ctx.plan
        text = plan.source.text
        for conflict in sorted(conflicts, key=lambda c: (c.tasks[0], c.key)):
            tasks = [plan.task(t) for t in conflict.tasks]
            if any(task is None for task in tasks):
                continue
            ordered = sorted(tasks, key=lambda task: task.span.start)  # type: ignore[union-attr]
            marks = [task.parallel_marker for task in ordered]  # type: ignore[union-attr]
            word = next((text[m.start : m.end].strip() for m in marks if m is not None), "[P]")
            names = [str(t) for t in conflict.tasks]
            both = "both" if len(names) == 2 else "all"
            listed = f"{', '.join(names[:-1])} and {names[-1]}"
            later = ordered[1:]
            fix = None
            keeps = not lanes.split_sends_backwards(ordered[0].lane, (t.id for t in later))  # type: ignore[union-attr,arg-type]
            if all(m is not None for m in marks[1:]) and keeps:
                edits = tuple(Edit(m, "") for m in marks[1:] if m is not None)
                dropped = ", ".join(str(task.id) for task in later)  # type: ignore[union-attr]
                fix = Fix(f"drop {word} from {dropped}", edits)
            yield self.diagnostic(
                ordered[0].id_span,  # type: ignore[union-attr]
                f"tasks {listed} are {both} marked {word} and {both} {conflict.verb} `{conflict.key}`: "
                f"{word} tasks must not share a file",
                related=[Related(span, note) for span, note in conflict.task_spans()],
                fix=fix,
            )

    def check_files_block(self, ctx: Context, conflicts: list[Conflict], lanes: LaneOrder) -> Iterator[Diagnostic]:
        """PL101 for `### Task N` plans whose `## Phase N` tasks may run together (DESIGN.md §7):
        the safe fix writes a `**Dependencies:** Task X` line under each later task's heading,
        naming the task before it, so that they run in listed order."""
        plan = ctx.plan
        counts = Counter(t.id for t in plan.tasks())
        for conflict in sorted(conflicts, key=lambda c: (c.tasks[0], c.key)):
            tasks = [plan.task(t) for t in conflict.tasks]
            if any(task is None for task in tasks):
                continue
            ordered = sorted(tasks, key=lambda task: task.span.start)  # type: ignore[union-attr]
            names = [f"Task {t}" for t in conflict.tasks]
            both = "both" if len(names) == 2 else "all"
            fix = None
            backwards = lanes.ordering_closes_a_cycle([t.id for t in ordered])  # type: ignore[union-attr]
            if all(counts[t.id] == 1 for t in ordered) and not backwards:  # type: ignore[union-attr]
                edits = []
                for before, after in pairwise(ordered):
                    line_end = plan.source.line_bounds(after.line)[1]  # type: ignore[union-attr]
                    edits.append(Edit(Span(plan.path, line_end, line_end), f"\n**Dependencies:** Task {before.id}"))  # type: ignore[union-attr]
                fix = Fix(f"make {', '.join(names[1:])} depend on the task before", tuple(edits))
            yield self.diagnostic(
                ordered[0].id_span,  # type: ignore[union-attr]
                f"{', '.join(names[:-1])} and {names[-1]} {both} {conflict.verb} `{conflict.key}` and may run "
                "at the same time (one phase), but no **Dependencies:** line orders them",
                related=[Related(span, note) for span, note in conflict.task_spans()],
                fix=fix,
            )


def _note_fix(ctx: Context, phase: Phase, conflicts: list[Conflict]) -> Fix | None:
    # Imported here: a plan without conflicts (the common case) never words a note.
    from planlint.analysis.depends_clause import contiguous, depends_edit, steps_by_unit, unit_dependencies
    from planlint.analysis.task_constraints import conflict_sets, phase_siblings

    grouped = {t for group in ctx.notes.sequential for t in group.tasks}
    sets = conflict_sets(conflicts)
    if any(task in grouped for found in sets for task in found.tasks):
        return None  # extending another note would change its meaning: left to a person
    near = [
        n for n in ctx.parity.near_misses
        if n.phase == phase.number and all(n.names(t) for found in sets for t in found.tasks)
    ]  # fmt: skip
    if near:
        found_near = near[0].divergence
        return Fix(found_near.title, found_near.edits)
    siblings = phase_siblings(phase)
    notes: list[str] = []
    labels: list[str] = []
    chains: dict[TaskId, set[str]] = {}
    for found in sets:
        tasks = list(found.tasks)
        if contiguous(tasks, siblings):
            label = f"{tasks[0]}-{tasks[-1]}"
            notes.append(f"Tasks {label} are [SEQUENTIAL] - {found.reason()}")
        else:
            label = ", then ".join(map(str, tasks))
            for before, after in pairwise(tasks):
                chains.setdefault(after, set()).add(str(before))
        labels.append(label)
    edits: list[Edit] = []
    steps = steps_by_unit(ctx.plan) if chains else {}
    counts = Counter(str(t.id) for t in ctx.plan.tasks()) if chains else Counter()
    for task_id, extra in sorted(chains.items()):
        task = ctx.plan.task(task_id)
        if task is None:
            return None
        written = unit_dependencies(ctx.plan, task, steps) | extra
        if any(counts[name] != 1 for name in {*written, str(task_id)}):
            return None  # a `(depends: X)` naming a task that is missing or used twice names no one task
        edit = depends_edit(ctx.plan, task, written)
        if edit is not None:
            edits.append(edit)
    if notes:
        where = _insertion_point(ctx, phase)
        if where is None:
            return None
        offset, prefix = where
        text = "".join(f"**Execution Note:** {note}\n\n" for note in notes)
        edits.append(Edit(Span(phase.heading.path, offset, offset), prefix + text))
    if not edits:
        return None
    what = "insert [SEQUENTIAL] note" if not chains else "order" if not notes else "insert notes and order"
    return Fix(f"{what} for tasks {' and '.join(labels)}", tuple(edits))


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
