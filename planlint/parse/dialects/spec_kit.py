"""GitHub spec-kit `tasks.md` (DESIGN.md §7): `- [ ] T001 [P] [US1] Description with path`
under `## Phase N:` sections, and the older `### T014: Title` headings with a `**Path**:` line.

Tasks run in listed order; a maximal run of consecutive `[P]` tasks inside one phase may run
together (spec-kit's template: "[P]: Can run in parallel (different files, no dependencies)").
That run is a task's lane. Dependencies are "depends on T012" in a task's text. The `[P]`
marker's span (with the space after it) is kept so that PL101's fix can drop it.
"""

from __future__ import annotations

import re

from planlint import patterns
from planlint.model import Phase, Span, Task, TaskId
from planlint.parse import grammar
from planlint.parse.blocks import BlockNode
from planlint.parse.dialects import SPEC_KIT
from planlint.parse.dialects.base import DialectBuilder, assign_lanes
from planlint.parse.plan import _TaskDraft

# After the list marker: a checkbox, then the ID, bold or not (`T001`, `**T001**`, `T001:`).
_ITEM_HEAD = patterns.compile(r"\[(?P<mark>[ xX])\][ \t]+(?P<bold>\*\*)?(?P<id>T\d+)(?P=bold)?:?(?=[ \t]|$)")
# `T014: Title` or `**T014**: Title` as a heading.
_HEADING_HEAD = patterns.compile(r"(?P<bold>\*\*)?(?P<id>T\d+)(?P=bold)?[:.]?(?:[ \t]+|$)")
# The bracketed labels after an ID: `[P]`, `[US1]`, `[Story]`, `[US1,US2]`.
_LABEL = patterns.compile(r"[ \t]*\[(?P<label>[^\]\[\s]{1,20})\]")
# "depends on T012", "(depends on T001, T002)", "Depends: T003 and T004", "**Dependencies**: T012".
_DEPENDS = patterns.compile(
    r"\b(?:depends?\s+on|depends|dependencies|blocked\s+by)\**\s*:?\**\s*(?P<list>T\d+(?:\s*(?:,|&|\band\b)\s*T\d+)*)",
    re.IGNORECASE,
)
_ID = patterns.compile(r"T\d+")
_AFTER_HEADING_ID = patterns.compile(r"\**[:.]?")


class Builder(DialectBuilder):
    dialect = SPEC_KIT

    def id_of(self, text: str) -> TaskId | None:
        return TaskId((int(text[1:]),), text)

    def task_from_item(self, item: BlockNode, head: BlockNode, parent: _TaskDraft | None) -> _TaskDraft | None:
        if head.map is None:
            return None
        line0 = head.map[0]
        start = self.content_start(line0, list_item=True)
        end = self.source.lines_end(head.map[1])
        text = self.source.text
        match = _ITEM_HEAD.match(text, start, end)
        if match is None:
            if self.current is not None:
                checkbox = grammar.CHECKBOX.match(text, start, end)
                if checkbox:
                    content = " ".join(grammar.strip_comments(text[checkbox.end() : end]).split())
                    self.checkboxes.append(self.checkbox(content, line0 + 1, checkbox.group("mark") != " "))
            return None
        if self.current is None:
            self.implicit_phase(line0 + 1)
        assert self.current is not None
        id_text = match.group("id")
        pos, marker = self.labels(match.end(), end)
        task = Task(
            id=self.id_of(id_text),  # type: ignore[arg-type]
            id_text=id_text,
            phase=self.current.phase.number,
            checked=match.group("mark") != " ",
            text=" ".join(grammar.strip_comments(text[pos:end]).split()),
            span=self.block_span(item, list_item=True),
            id_span=self.span(match.start("id"), match.end("id")),
            line=line0 + 1,
            parent=parent.task.id if parent is not None else None,
            parallel_marker=marker,
        )
        # the text after the labels: `[P] Create x.py` would hide the verb that governs the path
        draft = _TaskDraft(task, [self.block(self.span(pos, end))])
        self.current.tasks.append(draft)
        return draft

    def block(self, span: Span):  # type: ignore[no-untyped-def]
        from planlint.model import Block

        return Block("text", span)

    def checkbox(self, content: str, line: int, checked: bool):  # type: ignore[no-untyped-def]
        from planlint.model import Checkbox

        assert self.current is not None
        return Checkbox(self.current.phase.number, content, line, checked)

    def labels(self, pos: int, end: int) -> tuple[int, Span | None]:
        """Skip the `[P]` / `[US1]` labels after an ID; return where the description starts and
        the `[P]` label's span with the blank that follows it (or precedes it, at a line's end)."""
        text = self.source.text
        marker = None
        while (label := _LABEL.match(text, pos, end)) is not None:
            if label.group("label").upper() == "P" and marker is None:
                bracket = text.index("[", label.start(), label.end())
                after = label.end()
                if after < end and text[after] in " \t":
                    marker = self.span(bracket, after + 1)
                else:
                    marker = self.span(label.start(), after)
            pos = label.end()
        while pos < end and text[pos] in " \t":
            pos += 1
        return pos, marker

    def heading_task_from(self, node: BlockNode, level: int, line: int) -> _TaskDraft | None:
        text = node.inline_text
        match = _HEADING_HEAD.match(text)
        if match is None or level < 2:
            return None
        if self.current is None:
            self.implicit_phase(line)
        assert self.current is not None
        span = self.block_span(node)
        id_text = match.group("id")
        id_start = self.source.text.find(id_text, span.start, span.end)
        if id_start < 0:
            return None
        id_span = self.span(id_start, id_start + len(id_text))
        after = _AFTER_HEADING_ID.match(self.source.text, id_span.end, span.end)
        pos, marker = self.labels(after.end() if after else id_span.end, span.end)
        title = self.source.text[pos : span.end].lstrip(":. \t")
        task = Task(
            id=self.id_of(id_text),  # type: ignore[arg-type]
            id_text=id_text,
            phase=self.current.phase.number,
            checked=None,
            text=" ".join(grammar.strip_comments(title).strip("*").split()),
            span=span,
            id_span=id_span,
            line=line,
            parallel_marker=marker,
        )
        return self.open_heading_task(node, level, task, self.span(pos, span.end))

    def find_dependencies(self, raw: str, *, task_line: bool) -> list[tuple[TaskId, int, int]]:
        return self.dependencies_in(raw, _DEPENDS, _ID)

    def finish_phases(self, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        # a [P] task runs with the [P] tasks just before it in its phase; any other task alone
        return assign_lanes(phases, lambda task, previous: bool(task.parallel_marker and previous.parallel_marker))
