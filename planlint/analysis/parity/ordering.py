"""PL124 and PL123: dependencies and parallel or sequential groups that the orchestrator orders
differently from planlint, with the `(depends: …)` chains that fix them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from itertools import pairwise

from planlint.analysis.depends_clause import depends_edit, sort_ids, unit_dependencies
from planlint.analysis.parity.notes import NoteChecks
from planlint.analysis.reader import OrchestratorReading, ReadGroup, dependencies_in
from planlint.model import Task, TaskId


class OrderChecks(NoteChecks):
    def dependencies(self, reading: OrchestratorReading, matched: dict[TaskId, str]) -> None:
        """PL124 for each task whose dependencies the orchestrator reads differently from its task
        line: as it will once it reads the line (an unread task or phase is PL121/PL122's), so
        that fixing a task line never uncovers a new finding."""
        self.unit_deps: list[tuple[Task, set[str]]] = []  # each top-level task's, for `groups`
        for _, units in self.units:
            for task in units:
                start, end = self.source.line_bounds(task.line)
                read = reading.task_lines.get(start)
                # a line the orchestrator reads as a task ends at its line feed, as ours does: what
                # it read there is what it reads on the line
                found, span = (
                    (read.dependencies, read.depends_span) if read else dependencies_in(self.view_text, start, end)
                )
                ours = unit_dependencies(self.plan, task, self.steps)
                self.unit_deps.append((task, ours))
                if ours != set(found):
                    self.dependency_divergence(task, ours, set(found), span)

    def dependency_divergence(
        self, task: Task, ours: set[str], theirs: set[str], read_span: tuple[int, int] | None
    ) -> None:
        unread = None
        for member in [task, *self.steps.get(task.id, ())]:
            for dep in member.dependencies:
                if read_span is None or not (read_span[0] <= dep.span.start < read_span[1]):
                    unread = dep
                    break
            if unread is not None:
                break
        missing = sort_ids(ours - theirs)
        extra = sort_ids(theirs - ours)
        parts = []
        if missing:
            parts.append(f"it will not wait for {', '.join(missing)}")
        if extra:
            parts.append(f"it waits for {', '.join(extra)}, which planlint does not read as a dependency")
        how = (
            self.dependency_form(unread)
            if unread is not None
            else "it reads only the first `(depends: …)` of the task line"
        )
        span = unread.span if unread is not None else task.id_span
        unknown = [d for d in ours if (parsed := TaskId.parse(d)) is None or self.plan.task(parsed) is None]
        edit = depends_edit(self.plan, task, ours) if not unknown else None  # PL111 first
        fix: dict[str, object] = {}
        if edit is not None and ours:
            fix = {"edits": (edit,), "title": f"write `(depends: {', '.join(sort_ids(ours))})` on the task line"}
        self.add(
            "PL124",
            span,
            f"the orchestrator reads task {task.id}'s dependencies differently ({how}): {'; '.join(parts)}",
            **fix,
        )

    def dependency_form(self, dep: object) -> str:
        span = dep.span  # type: ignore[attr-defined]
        line = self.line_of(span.start)
        text = self.source.line_text(line)
        lowered = text.lower()
        if line not in self.top_level_lines:
            return "it reads `(depends: …)` on the task's own line only"
        if "depends on" in lowered:
            return "it reads `(depends: …)`, not `depends on`"
        if re.search(r"\(depends:[^)]*\band\b", lowered):
            return "it reads a comma-separated list, not `and`"
        return "it reads only the first `(depends: …)` of the task line, with IDs separated by commas"

    def groups(self, reading: OrchestratorReading, matched: dict[TaskId, str]) -> None:
        if not reading.groups and not self.notes.sequential:
            return  # neither side orders a group
        read_ids = set(matched.values())
        label_of, origin = self.read_groups(reading, read_ids)
        near_lines = {n.line for n in self.near}
        our_groups, flagged = self.notes_they_do_not_order(reading, read_ids, label_of)
        self.groups_we_do_not_order(label_of, origin, our_groups, flagged | near_lines)

    @cached_property
    def read_deps(self) -> dict[str, tuple[str, ...]]:
        """The dependencies the orchestrator reads for each task ID, for the searches that need them."""
        return {t.id: t.dependencies for t in self.reading.task_lines.values()}

    def read_groups(
        self, reading: OrchestratorReading, read_ids: set[str]
    ) -> tuple[dict[str, str], dict[str, ReadGroup]]:
        """The orchestrator's group label of each task both sides read, and each label's first group."""
        by_phase: dict[int, list[str]] = {}  # read IDs by their first number (a range's phase)
        for task in reading.task_lines.values() if reading.groups else ():
            if task.id in read_ids:
                by_phase.setdefault(int(task.id.split(".", 1)[0]), []).append(task.id)
        label_of: dict[str, str] = {}
        origin: dict[str, ReadGroup] = {}
        for group in reading.groups:
            for task_id in self.members(group, read_ids, by_phase):
                label_of[task_id] = group.label
            origin.setdefault(group.label, group)
        return label_of, origin

    def notes_they_do_not_order(
        self, reading: OrchestratorReading, read_ids: set[str], label_of: dict[str, str]
    ) -> tuple[list[set[str]], set[int]]:
        """PL123 for planlint's sequential groups that the orchestrator does not order (by a group of
        its own or a chain of dependencies); returns every such group of planlint's and the lines
        of the notes flagged."""

        def ordered_by_them(a: str, b: str) -> bool:
            return (
                (label_of.get(a) is not None and label_of.get(a) == label_of.get(b))
                or self.reaches(self.read_deps, a, b)
                or self.reaches(self.read_deps, b, a)
            )

        ours_by_note: dict[int, list[list[str]]] = {}
        our_groups: list[set[str]] = []
        for resolved in self.notes.sequential:
            ids = [name for name in map(str, resolved.tasks) if name in read_ids]
            our_groups.append(set(ids))
            if len(ids) < 2:
                continue
            ordered = sort_ids(ids)
            if all(ordered_by_them(a, b) for a, b in pairwise(ordered)):
                continue
            ours_by_note.setdefault(resolved.note.line, []).append(ordered)
        notes_by_line = {n.line: n for n in self.plan.notes}
        for line, groups in ours_by_note.items():
            note = notes_by_line[line]
            if self.label_near_miss(note):
                continue  # PL125 reports the label; once it is corrected, this comparison runs again
            self.note_divergence(note, groups, reading)
        return our_groups, set(ours_by_note)

    def groups_we_do_not_order(
        self, label_of: dict[str, str], origin: dict[str, ReadGroup], our_groups: list[set[str]], skip: set[int]
    ) -> None:
        """PL123 for the groups the orchestrator reads that planlint does not order; `skip` holds the
        lines already reported."""
        members_of: dict[str, set[str]] = {}
        for task_id, label in label_of.items():
            members_of.setdefault(label, set()).add(task_id)
        groups_of: dict[str, set[int]] = {}  # the indexes of planlint's groups that hold each task
        for index, group in enumerate(our_groups if members_of else ()):
            for task_id in group:
                groups_of.setdefault(task_id, set()).add(index)
        our_deps: dict[str, set[str]] = {}  # filled when a pair is first looked for in the dependencies

        def ordered_by_us(a: str, b: str) -> bool:
            if not groups_of.get(a, set()).isdisjoint(groups_of.get(b, ())):
                return True
            if not our_deps:
                our_deps.update((str(task.id), deps) for task, deps in self.unit_deps)
            return self.reaches(our_deps, a, b) or self.reaches(our_deps, b, a)

        flagged = set(skip)
        for label, members in members_of.items():
            if len(members) < 2:
                continue
            ordered = sort_ids(members)
            if all(ordered_by_us(a, b) for a, b in pairwise(ordered)):
                continue
            line = self.line_of(origin[label].offset)
            if line in flagged:
                continue
            flagged.add(line)
            self.add(
                "PL123",
                self.line_span(line),
                f"the orchestrator reads `{label}` here as a [SEQUENTIAL] group of tasks {', '.join(ordered)}"
                f"{self.where(line)}, which planlint does not: it runs them one at a time",
                **self.chain_fix(ordered, "write the order the orchestrator follows as dependencies"),
            )

    def chain_fix(self, ordered: list[str], title: str) -> dict[str, object]:
        """`(depends: …)` on each task of `ordered` naming the one before it (unsafe: task lines)."""
        edits = []
        for before, after in pairwise(ordered):
            parsed = TaskId.parse(after)
            task = self.plan.task(parsed) if parsed is not None else None
            if task is None:
                return {}
            edit = depends_edit(self.plan, task, unit_dependencies(self.plan, task, self.steps) | {before})
            if edit is not None:
                edits.append(edit)
        return {"edits": tuple(edits), "unsafe": True, "title": title} if edits else {}

    def members(self, group: ReadGroup, read_ids: set[str], by_phase: dict[int, list[str]]) -> list[str]:
        if group.span is None:
            return [i for i in group.ids if i in read_ids]
        phase, first, last = group.span
        if last - first < len(by_phase.get(phase, ())):
            return [i for i in group.task_ids() if i in read_ids]
        return [i for i in by_phase.get(phase, ()) if group.contains(i)]

    @staticmethod
    def reaches(edges: Mapping[str, Iterable[str]], start: str, goal: str) -> bool:
        seen = {start}
        stack = [start]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False
