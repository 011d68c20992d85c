"""What the readers of the non-phased dialects share: headings that open sections the phased
grammar would not (`Phase 3.1`, `Wave 2`), tasks written as headings (their body runs to the next
heading), dependencies written with the dialect's own IDs, and the lanes of tasks that may run at
the same time (DESIGN.md §7), which the conflict model reads instead of phases.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from planlint.model import Block, Checkbox, Phase, Span, Task, TaskId
from planlint.parse import grammar
from planlint.parse.blocks import CODE, CONTAINERS, LISTS, BlockNode
from planlint.parse.plan import PlanBuilder, _PhaseDraft, _TaskDraft

# `Phase 3: Title`, `Phase 3.1: Setup` (spec-kit's older template), `Wave 2 - Title`, and
# `Phase N: Polish`: spec-kit's template writes its last phase so, and plans keep it unfilled.
SECTION_HEADING = re.compile(
    r"^\W{0,3}(?:Phase|Wave|Stage)\s+(?P<number>\d+|N\b)(?P<decimal>\.\d+)?\**\s*"
    r"(?:[:.\-–—]\**\s*(?P<title>.*)|(?P<bare>\(.*)?)$",
    re.IGNORECASE,
)


class DialectBuilder(PlanBuilder):
    """A PlanBuilder whose sections are numbered in order of appearance and whose tasks may
    also be headings (`heading_task` decides which heading is one)."""

    def __init__(self, source: object) -> None:
        super().__init__(source)  # type: ignore[arg-type]
        self.heading_task: _TaskDraft | None = None
        self.heading_task_level = 0
        self.next_number = 1
        self.written: set[int] = set()  # the section numbers written so far
        self.repeats: list[_PhaseDraft] = []  # sections that repeat a written number (a summary's)

    # -- sections and heading tasks ------------------------------------------------------------

    def walk(self, nodes: list[BlockNode]) -> None:
        for node in nodes:
            if node.type in CODE and node.map and self.heading_task is not None:
                self.code_lines.update(range(node.map[0] + 1, node.map[1] + 1))
                self.heading_task.blocks.append(Block("code", self.block_span(node), node.info.strip()))
            elif node.type in LISTS and self.heading_task is not None:
                self.on_list(node, self.heading_task)
            elif node.type == "paragraph" and self.heading_task is not None:
                self.on_paragraph(node, self.heading_task)
            elif node.type in CONTAINERS and self.heading_task is not None and node.map:
                self.heading_task.blocks.append(Block("text", self.block_span(node)))
            else:
                super().walk([node])

    def on_heading(self, node: BlockNode) -> None:
        level = int(node.tag[1:])
        line = (node.map or (0, 0))[0] + 1
        if self.heading_task is not None and level <= self.heading_task_level:
            self.close_heading_task(line - 1)
        text = node.inline_text
        section = SECTION_HEADING.match(text)
        if section is not None and not section.group("number").isdigit():  # `Phase N`: the next one
            number = section.span("number")
            section = SECTION_HEADING.match(f"{text[: number[0]]}{self.next_number}{text[number[1] :]}")
        if section is not None:
            span = self.block_span(node)
            self.headings.append(self.heading_node(level, text, span, line))
            self.verify_open = False
            self.open_phase(section, level, span, line)
            self.renumber_current(section)
            self.note_repeat(section)
            return
        task = self.heading_task_from(node, level, line)
        if task is None:
            super().on_heading(node)

    def note_repeat(self, section: re.Match[str]) -> None:
        """A section that repeats a number written before (`### Phase 1 (Setup) - All tasks
        parallelizable` in a summary after the plan's phases) is a reference to that phase: it is
        dropped at the end if no task stands under it."""
        number = int(section.group("number"))
        if section.group("decimal") is None and number in self.written:
            self.repeats.append(self.current)  # type: ignore[arg-type]
        self.written.add(number)

    def heading_node(self, level: int, text: str, span: Span, line: int):  # type: ignore[no-untyped-def]
        from planlint.model import Heading

        if self.title is None and level == 1:
            self.title = text
        return Heading(level, text, span, line)

    def renumber_current(self, section: re.Match[str]) -> None:
        """Sections are numbered as written when they count up, else in order of appearance
        (`Phase 3.1`, `Phase 3.2` become consecutive phases)."""
        assert self.current is not None
        number = int(section.group("number"))
        if section.group("decimal") or number < self.next_number:
            number = self.next_number
        self.next_number = number + 1
        phase = self.current.phase
        if phase.number != number:
            self.current.phase = phase._replace(number=number)

    def implicit_phase(self, line: int, title: str = "Tasks") -> None:
        """A section for tasks that stand under no section heading."""
        match = SECTION_HEADING.match(f"Phase {self.next_number}: {title}")
        assert match is not None
        start, _ = self.source.line_bounds(line)
        span = self.span(start, start)
        self.open_phase(match, 1, span, line)
        self.renumber_current(match)

    def item_head(self, head: BlockNode) -> tuple[int, int, int] | None:
        """(first line, start, end) of a list item's first block, after its list marker: where
        a list-item task's ID and labels are read."""
        if head.map is None:
            return None
        line0 = head.map[0]
        return line0, self.content_start(line0, list_item=True), self.source.lines_end(head.map[1])

    def record_checkbox(self, start: int, end: int, line: int) -> None:
        """An ID-less checkbox item inside a section (acceptance criteria): kept, not a task."""
        text = self.source.text
        checkbox = grammar.CHECKBOX.match(text, start, end)
        if checkbox and self.current is not None:
            content = " ".join(grammar.strip_comments(text[checkbox.end() : end]).split())
            self.checkboxes.append(Checkbox(self.current.phase.number, content, line, checkbox.group("mark") != " "))

    def id_span_in(self, span: Span, id_text: str) -> Span | None:
        """Where the ID is written inside a task's block (None if it is not there as written)."""
        id_start = self.source.text.find(id_text, span.start, span.end)
        return None if id_start < 0 else self.span(id_start, id_start + len(id_text))

    def heading_task_from(self, node: BlockNode, level: int, line: int) -> _TaskDraft | None:
        """A task written as a heading; None when the heading is not one (the default)."""
        return None

    def open_heading_task(self, node: BlockNode, level: int, task: Task, title: Span) -> _TaskDraft:
        """A heading task whose first block is its `title` (the heading after ID and labels)."""
        assert self.current is not None
        span = self.block_span(node)
        self.headings.append(self.heading_node(level, node.inline_text, span, task.line))
        draft = _TaskDraft(task, [Block("text", title)])
        self.current.tasks.append(draft)
        self.heading_task, self.heading_task_level = draft, level
        return draft

    def close_heading_task(self, last_line: int) -> None:
        draft = self.heading_task
        if draft is None:
            return
        self.heading_task = None
        while last_line > draft.task.line and not self.source.line_text(last_line).strip():
            last_line -= 1
        end = self.source.lines_end(max(last_line, draft.task.line))
        draft.task = draft.task._replace(span=self.span(draft.task.span.start, end))

    def build(self):  # type: ignore[no-untyped-def]
        self.close_heading_task(self.source.line_count)
        self.close_phase(self.source.line_count)
        empty = {id(draft) for draft in self.repeats if not draft.tasks and not draft.groups}
        self.phases = [draft for draft in self.phases if id(draft) not in empty]
        return super().build()

    # -- dependencies and lanes ----------------------------------------------------------------

    def id_of(self, text: str) -> TaskId | None:
        """A task ID as the dialect writes it (in a dependency list)."""
        return TaskId.parse(text)

    def dependencies_in(
        self, raw: str, pattern: re.Pattern[str], ids: re.Pattern[str]
    ) -> list[tuple[TaskId, int, int]]:
        """IDs that `ids` finds inside each `list` group of `pattern`, outside inline code."""
        found = []
        for match in pattern.finditer(raw):
            if grammar._in_code_span(raw, match.start("list")):
                continue
            base = match.start("list")
            for dep in ids.finditer(match.group("list")):
                target = self.id_of(dep.group())
                if target is not None:
                    found.append((target, base + dep.start(), base + dep.end()))
        found.sort(key=lambda item: item[1])
        return found


def assign_lanes(
    phases: tuple[Phase, ...], joins: Callable[[Task, Task], bool], *, per_phase: bool = True
) -> tuple[Phase, ...]:
    """Number the top-level tasks' lanes in document order: a task shares the lane of the task
    before it (in its section, with `per_phase`) when `joins(task, previous)` says so, else
    opens the next lane. Steps keep no lane (they run with their task)."""
    lane = 0
    result = []
    previous: Task | None = None
    for phase in phases:
        if per_phase:
            previous = None
        tasks = []
        for task in phase.tasks:
            if task.parent is None:
                if previous is None or not joins(task, previous):
                    lane += 1
                task = task._replace(lane=lane)
                previous = task
            tasks.append(task)
        result.append(phase._replace(tasks=tuple(tasks)))
    return tuple(result)
