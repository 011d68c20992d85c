"""Kiro and cc-sdd `tasks.md` (DESIGN.md §7): `- [ ] 1. Title` major tasks and `- [ ] 1.1 Title`
sub-tasks, numbered across the file, with `(P)`, `_Depends: 1.2_` and `_Boundary:_` annotations.

A major task with sub-tasks is a container (a task group): its sub-tasks are what an agent runs.
A major task without sub-tasks is run itself. Each major task is read as a section (a phase
numbered as the task), so sub-task `2.1` lies in section 2 as its ID says. Tasks run in listed
order, except that a `(P)` task may run with the `(P)` tasks just before it under the same
parent (cc-sdd: "(P)" only when "no conflicting files or shared mutable resources are touched").
`_Requirements: 2.5_` names requirements, never tasks: it is not a dependency.
"""

from __future__ import annotations

import re

from planlint.model import Block, Phase, Task, TaskGroup, TaskId
from planlint.parse import grammar
from planlint.parse.blocks import BlockNode
from planlint.parse.dialects import KIRO
from planlint.parse.dialects.base import SECTION_HEADING, DialectBuilder, assign_lanes
from planlint.parse.plan import _TaskDraft

# After the list marker: a checkbox (Kiro marks optional tasks `- [ ]*`), the ID, `(P)`.
_ITEM_HEAD = re.compile(
    r"\[(?P<mark>[ xX])\]\*?[ \t]+(?P<bold>\*\*)?(?P<id>\d+(?:\.\d+)*)(?P<dot>\.)?(?P=bold)?:?(?=[ \t]|$)"
)
_PARALLEL = re.compile(r"[ \t]*(?P<marker>\(P\))([ \t]+|$)")
# `_Depends: 1.2_`, `_Depends: 1.1, 2.3_`, `**Depends**: 2`.
_DEPENDS = re.compile(
    r"(?:_|\*\*)?Depends(?:\s+on)?\s*:?(?:_|\*\*)?\s*:?\s*(?P<list>\d+(?:\.\d+)*(?:\s*(?:,|&|\band\b)\s*\d+(?:\.\d+)*)*)",
    re.IGNORECASE,
)
_ID = re.compile(r"\d+(?:\.\d+)*")
# `## 2. Core: Domain layer`: a major task as a heading.
_MAJOR_HEADING = re.compile(r"\**(?P<number>\d+)\.\**\s+(?P<title>\S.*)$")


class Builder(DialectBuilder):
    dialect = KIRO

    def id_of(self, text: str) -> TaskId | None:
        return TaskId(tuple(int(part) for part in text.split(".")))

    def task_from_item(self, item: BlockNode, head: BlockNode, parent: _TaskDraft | None) -> _TaskDraft | None:
        bounds = self.item_head(head)
        if bounds is None:
            return None
        line0, start, end = bounds
        text = self.source.text
        match = _ITEM_HEAD.match(text, start, end)
        if match is None:
            self.record_checkbox(start, end, line0 + 1)
            return None
        id_text = match.group("id")
        task_id = self.id_of(id_text)
        assert task_id is not None
        pos, marker = match.end(), None
        parallel = _PARALLEL.match(text, pos, end)
        if parallel is not None:
            marker = self.span(parallel.start("marker"), parallel.end())
            if parallel.end() >= end or text[parallel.end() - 1] not in " \t":
                marker = self.span(parallel.start(), parallel.end("marker"))
            pos = parallel.end()
        title = " ".join(grammar.strip_comments(text[pos:end]).split())
        if task_id.depth == 1 and parent is None:
            self.open_major(task_id, title, start, end, line0 + 1)
        elif self.current is None:
            self.implicit_phase(line0 + 1)
        assert self.current is not None
        task = Task(
            id=task_id,
            id_text=id_text,
            phase=self.current.phase.number,
            checked=match.group("mark") != " ",
            text=title,
            span=self.block_span(item, list_item=True),
            id_span=self.span(match.start("id"), match.end("id")),
            line=line0 + 1,
            parent=parent.task.id if parent is not None else None,
            parallel_marker=marker,
        )
        draft = _TaskDraft(task, [Block("text", self.span(pos, end))])
        self.current.tasks.append(draft)
        return draft

    def open_major(self, task_id: TaskId, title: str, start: int, end: int, line: int) -> None:
        """A major task opens the section its sub-tasks fall in, numbered as the task; it takes
        the place of a section heading just above it that holds no task (`### Phase 1: Core`)."""
        if self.current is not None and not self.current.tasks and self.phases and self.phases[-1] is self.current:
            self.phases.pop()
            self.current = None
        match = SECTION_HEADING.match(f"Phase {task_id.parts[0]}: {title}")
        assert match is not None
        self.open_phase(match, 1, self.span(start, self.source.line_bounds(line)[1]), line)

    def on_heading(self, node: BlockNode) -> None:
        """`## 2. Core: Domain layer`: a major task written as a heading, its sub-tasks below."""
        match = _MAJOR_HEADING.match(node.inline_text)
        if match is None:
            super().on_heading(node)
            return
        level = int(node.tag[1:])
        line = (node.map or (0, 0))[0] + 1
        span = self.block_span(node)
        self.headings.append(self.heading_node(level, node.inline_text, span, line))
        self.verify_open = False
        self.open_major(TaskId((int(match.group("number")),)), match.group("title").strip(), span.start, span.end, line)

    def find_dependencies(self, raw: str, *, task_line: bool) -> list[tuple[TaskId, int, int]]:
        return self.dependencies_in(raw, _DEPENDS, _ID)

    def finish_phases(self, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        phases = tuple(_promote_sub_tasks(phase) for phase in phases)
        return assign_lanes(phases, _peers, per_phase=False)


def _peers(task: Task, previous: Task) -> bool:
    """A `(P)` task runs with the `(P)` task just before it under the same parent."""
    return bool(task.parallel_marker and previous.parallel_marker and _parent(task) == _parent(previous))


def _parent(task: Task) -> object:
    """A sub-task's major task (its group, or the section of a major written as a heading);
    the file itself for a major task run on its own."""
    if task.group is not None:
        return task.group
    return None if task.id.depth == 1 else ("section", task.phase)


def _promote_sub_tasks(phase: Phase) -> Phase:
    """A major task with sub-tasks becomes their group; the sub-tasks become the units."""
    majors = {t.id: t for t in phase.tasks if t.parent is None and t.id.depth == 1}
    containers = {
        major
        for task in phase.tasks
        for major in majors
        if task.id != major and task.id.extends(major) and (task.parent is None or task.parent == major)
    }
    if not containers:
        return phase
    groups = list(phase.groups)
    tasks = []
    for task in phase.tasks:
        if task.id in containers and task.parent is None:
            groups.append(TaskGroup(task.id, task.text, phase.number, task.span, task.id_span, task.line))
            continue
        if task.parent in containers or (task.parent is None and any(task.id.extends(m) for m in containers)):
            owner = task.parent or next(m for m in containers if task.id.extends(m))
            task = task._replace(parent=None, group=owner)
        tasks.append(task)
    return phase._replace(tasks=tuple(tasks), groups=tuple(groups))
