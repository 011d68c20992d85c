"""Files-block plans (DESIGN.md §7; superpowers' writing-plans, compound-engineering and
similar): tasks are headings `### Task N: Title` (or `Task N.M`) whose body holds a `**Files:**`
block of `- Create: path`, `- Modify: path:12-40`, `- Test: path` lines, then steps.

The block is explicit: its label gives the access mode whatever verbs the steps use (`Create`
creates, `Modify` and `Test` write, `Read` and `Reference` read); the parser marks each such line's
block with its mode (`Block.info` = `mode:<mode>`). Under `## Phase N` headings the tasks of one
phase may run at the same time, as in the phased format; elsewhere tasks run in listed order.
Dependencies are `**Dependencies:** Task 2, Task 3` lines.
"""

from __future__ import annotations

import re

from planlint.model import Block, Phase, Task, TaskId
from planlint.parse.blocks import BlockNode
from planlint.parse.dialects import FILES_BLOCK
from planlint.parse.dialects.base import DialectBuilder, assign_lanes
from planlint.parse.plan import _TaskDraft

_HEADING = re.compile(r"\**Task\s+(?P<id>\d+(?:\.\d+)?)\**\s*(?:[:.\-–—]\**\s*)?(?P<title>.*)$", re.IGNORECASE)
# `- Create: path` and friends: the label that sets a Files-block line's mode.
_FILE_LINE = re.compile(
    r"\s*(?:\*\*|`)?(?P<label>Create|Add|New|Modify|Update|Edit|Change|Delete|Remove|Test|Tests|Read|Reference)"
    r"(?:\*\*|`)?\s*:",
    re.IGNORECASE,
)
_MODES = {
    "create": "create", "add": "create", "new": "create", "test": "write", "tests": "write",
    "read": "read", "reference": "read",
}  # fmt: skip
_DEPENDS = re.compile(
    r"(?:^|[\r\n])[ \t]*(?:[-*+][ \t]+)?\**(?:Dependencies|Depends\s+on|Depends)\s*:?\**:?[ \t]*(?P<list>[^\r\n]*)",
    re.IGNORECASE,
)
_ID = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)")


class Builder(DialectBuilder):
    dialect = FILES_BLOCK

    def __init__(self, source: object) -> None:
        super().__init__(source)
        self.implicit: set[int] = set()  # sections opened for tasks under no `Phase N` heading

    def heading_task_from(self, node: BlockNode, level: int, line: int) -> _TaskDraft | None:
        match = _HEADING.match(node.inline_text)
        if match is None or level < 2:
            return None
        if self.current is None:
            self.implicit_phase(line)
            assert self.current is not None
            self.implicit.add(self.current.phase.number)
        span = self.block_span(node)
        id_text = match.group("id")
        id_span = self.id_span_in(span, id_text)
        if id_span is None:
            return None
        task = Task(
            id=TaskId(tuple(int(part) for part in id_text.split("."))),
            id_text=id_text,
            phase=self.current.phase.number,
            checked=None,
            text=" ".join(match.group("title").strip("* ").split()),
            span=span,
            id_span=id_span,
            line=line,
        )
        return self.open_heading_task(node, level, task, self.span(id_span.end, span.end))

    def task_from_item(self, item: BlockNode, head: BlockNode, parent: _TaskDraft | None) -> _TaskDraft | None:
        return None  # list items are a task's steps and files, never tasks of their own

    def on_paragraph(self, node: BlockNode, owner: _TaskDraft | None = None, *, list_item: bool = False) -> None:
        if owner is None:
            super().on_paragraph(node, owner, list_item=list_item)
            return
        span = self.block_span(node, list_item=list_item)
        label = _FILE_LINE.match(self.source.text, span.start, span.end)
        info = f"mode:{_MODES.get(label.group('label').lower(), 'write')}" if label else ""
        owner.blocks.append(Block("text", span, info))

    def find_dependencies(self, raw: str, *, task_line: bool) -> list[tuple[TaskId, int, int]]:
        return self.dependencies_in(raw, _DEPENDS, _ID)

    def id_of(self, text: str) -> TaskId | None:
        return TaskId(tuple(int(part) for part in text.split(".")))

    def finish_phases(self, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        # one lane per `Phase N` section; one per task elsewhere (they run in listed order)
        implicit = self.implicit
        return assign_lanes(phases, lambda task, previous: task.phase not in implicit)
