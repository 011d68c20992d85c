"""GitHub spec-kit `tasks.md` (DESIGN.md §7): `- [ ] T001 [P] [US1] Description with path`
under `## Phase N:` sections, the bold-ID `- **T001** [P]: Description` items without a checkbox,
and the older `### T014: Title [P]` headings with a `**Path**:` line. IDs may carry a letter
(`T003a`, a task inserted later); a range `T001-T014` in a dependency list names every task in it.

Tasks run in listed order; a maximal run of consecutive `[P]` tasks inside one phase may run
together (spec-kit's template: "[P]: Can run in parallel (different files, no dependencies)").
That run is a task's lane. Dependencies are "depends on T012" in a task's text, and the lines
of a Dependencies section that name tasks (`T004 → T007`, `T015 depends on T014`). The `[P]`
marker's span (with the space after it) is kept so that PL101's fix can drop it.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple

from planlint.model import Dependency, Phase, Span, Task, TaskId
from planlint.parse import grammar
from planlint.parse.blocks import BlockNode
from planlint.parse.dialects import SPEC_KIT
from planlint.parse.dialects.base import DialectBuilder, assign_lanes
from planlint.parse.plan import _TaskDraft

# After the list marker: a checkbox, then the ID, bold or not (`T001`, `**T001**`, `T001:`).
_ITEM_HEAD = re.compile(r"\[(?P<mark>[ xX])\][ \t]+(?P<bold>\*\*)?(?P<id>T\d+[a-z]?)(?P=bold)?:?(?=[ \t]|$)")
# Without a checkbox the ID is bold: `- **T001** [P]: Description` (a plain `- T001` is a list).
_BOLD_ITEM_HEAD = re.compile(r"\*\*(?P<id>T\d+[a-z]?)\*\*:?(?=[ \t]|$)")
# `T014: Title` or `**T014**: Title` as a heading.
_HEADING_HEAD = re.compile(r"(?P<bold>\*\*)?(?P<id>T\d+[a-z]?)(?P=bold)?[:.]?(?:[ \t]+|$)")
# The bracketed labels after an ID: `[P]`, `[US1]`, `[Story]`, `[US1,US2]`.
_LABEL = re.compile(r"[ \t]*\[(?P<label>[^\]\[\s]{1,20})\]")
# "depends on T012", "(depends on T001, T002)", "Depends: T003 and T004", "**Dependencies**: T012".
_DEPENDS = re.compile(
    r"\b(?:depends?\s+on|depends|dependencies|blocked\s+by)\**\s*:?\**\s*(?P<list>T\d+[a-z]?(?:\s*(?:,|&|\band\b|[-–])\s*T\d+[a-z]?)*)",
    re.IGNORECASE,
)
# `T012`, and `T003a` / `T003b`: spec-kit plans insert tasks with a letter suffix.
_ID = re.compile(r"\bT\d+[a-z]?\b")
# The Dependencies section: `T004 → T007`, `T012, T013 -> T014`, `T015 depends on T014`.
_SECTION = re.compile(r"\bdependenc", re.IGNORECASE)
_ARROW = re.compile(r"\s*(?:→|⟶|->|=>|\bbefore\b|\bblocks\b)\s*", re.IGNORECASE)
_NEEDS = re.compile(
    r"(?P<who>T\d+[a-z]?)\**\s+(?:depends\s+on|requires|needs|after|blocked\s+by)\s*:?\s*"
    r"(?P<list>T\d+[a-z]?(?:\s*(?:,|&|\band\b|[-–])\s*T\d+[a-z]?)*)",
    re.IGNORECASE,
)
_AFTER_HEADING_ID = re.compile(r"\**[:.]?")
# `T001-T014`: every task from T001 to T014 (the template's "Tests (T004-T007) before
# implementation (T008-T014)"); a range longer than this is read as its two ends.
_RANGE_GAP = re.compile(r"\s*[-–]\s*")
_MAX_RANGE = 200
# `### T002: Title [P] [X]`: the older form's labels after the title, at the heading's end.
# A status may hold spaces (`[SKIP - model was removed]`).
_TRAILING_LABELS = re.compile(r"(?:[ \t]*\[[^\]\[]{1,60}\])+[ \t]*$")
_BRACKET = re.compile(r"[ \t]*\[(?P<label>[^\]\[]{1,60})\]")


class _Id(NamedTuple):
    """A task ID named in a dependency list: its text and where it stands there."""

    text: str
    start: int
    end: int


def ids_in(text: str) -> list[_Id]:
    """The task IDs `text` names, with a range `T001-T014` expanded to every ID in it (each
    inside task spelled with the range's zero padding, placed on the whole range)."""
    found: list[_Id] = []
    for match in _ID.finditer(text):
        last = found[-1] if found else None
        if last is not None and _RANGE_GAP.fullmatch(text, last.end, match.start()) and last.text[1:].isdigit():
            first, final = int(last.text[1:]), int(match.group()[1:].rstrip("abcdefghijklmnopqrstuvwxyz"))
            width = len(last.text) - 1
            if 0 < final - first <= _MAX_RANGE:
                found.extend(_Id(f"T{n:0{width}d}", last.start, match.end()) for n in range(first + 1, final))
        found.append(_Id(match.group(), match.start(), match.end()))
    return found


class Builder(DialectBuilder):
    dialect = SPEC_KIT

    def __init__(self, source: object) -> None:
        super().__init__(source)
        self.section_level = 0  # the level of the open Dependencies heading (0: none)
        self.stated: dict[TaskId, list[Dependency]] = {}  # what the Dependencies section says

    def on_heading(self, node: BlockNode) -> None:
        level = int(node.tag[1:])
        if self.section_level and level <= self.section_level:
            self.section_level = 0
        if not self.section_level and _SECTION.search(node.inline_text) and not _HEADING_HEAD.match(node.inline_text):
            self.section_level = level
        super().on_heading(node)

    def on_paragraph(self, node: BlockNode, owner: _TaskDraft | None = None, *, list_item: bool = False) -> None:
        if self.section_level and owner is None and self.heading_task is None:
            self.read_stated(self.block_span(node, list_item=list_item))
        super().on_paragraph(node, owner, list_item=list_item)

    def read_stated(self, span: Span) -> None:
        """`T004 → T007` and `T015 depends on T014` lines of the Dependencies section."""
        text = self.source.text
        position = span.start
        for line in text[span.start : span.end].splitlines(keepends=True):
            self.read_line(line, position)
            position += len(line)

    def read_line(self, line: str, base: int) -> None:
        for match in _NEEDS.finditer(line):
            waiting = self.id_of(match.group("who"))
            list_start = match.start("list")
            for target in ids_in(match.group("list")):
                self.state(waiting, target, base + list_start)
        pieces: list[tuple[int, str]] = []
        position = 0
        for arrow in _ARROW.finditer(line):
            pieces.append((position, line[position : arrow.start()]))
            position = arrow.end()
        if not pieces:
            return
        pieces.append((position, line[position:]))
        for (before_at, before), (_, after) in pairwise(pieces):  # each ID after an arrow waits for those before it
            targets = ids_in(before)
            for later in ids_in(after):
                for target in targets:
                    self.state(self.id_of(later.text), target, base + before_at)

    def state(self, who: TaskId | None, target: _Id, base: int) -> None:
        if who is None:
            return
        span = self.span(base + target.start, base + target.end)
        self.stated.setdefault(who, []).append(Dependency(self.id_of(target.text), span))  # type: ignore[arg-type]

    def id_of(self, text: str) -> TaskId | None:
        return TaskId((int(text[1:].rstrip("abcdefghijklmnopqrstuvwxyz")),), text)

    def task_from_item(self, item: BlockNode, head: BlockNode, parent: _TaskDraft | None) -> _TaskDraft | None:
        bounds = self.item_head(head)
        if bounds is None:
            return None
        line0, start, end = bounds
        text = self.source.text
        match = _ITEM_HEAD.match(text, start, end) or _BOLD_ITEM_HEAD.match(text, start, end)
        if match is None:
            self.record_checkbox(start, end, line0 + 1)
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
            checked=match.group("mark") != " " if "mark" in match.re.groupindex else None,
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
        while pos < end and text[pos] in " \t:":  # `**T001** [P]: Description`
            pos += 1
        return pos, marker

    def trailing_marker(self, pos: int, end: int) -> Span | None:
        """The `[P]` among the labels from `pos` to the heading's end, with the blank before it
        (the fix drops ` [P]` and leaves `Title [X]`)."""
        for label in _BRACKET.finditer(self.source.text, pos, end):
            if label.group("label").strip().upper() == "P":
                return self.span(label.start(), label.end())
        return None

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
        id_span = self.id_span_in(span, id_text)
        if id_span is None:
            return None
        after = _AFTER_HEADING_ID.match(self.source.text, id_span.end, span.end)
        pos, marker = self.labels(after.end() if after else id_span.end, span.end)
        if marker is None:  # `### T002: Title [P] [X]`
            trailing = _TRAILING_LABELS.search(self.source.text, pos, span.end)
            if trailing is not None:
                marker = self.trailing_marker(trailing.start(), span.end)
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

    def with_stated(self, task: Task) -> Task:
        """The task with what the Dependencies section says it waits for (its first task of
        that ID: a duplicate is PL002's)."""
        stated = self.stated.pop(task.id, None) if task.parent is None else None
        return task._replace(dependencies=task.dependencies + tuple(stated)) if stated else task

    def find_dependencies(self, raw: str, *, task_line: bool) -> list[tuple[TaskId, int, int]]:
        found = []
        for match in _DEPENDS.finditer(raw):
            if grammar._in_code_span(raw, match.start("list")):
                continue
            base = match.start("list")
            for dep in ids_in(match.group("list")):
                found.append((self.id_of(dep.text), base + dep.start, base + dep.end))
        found.sort(key=lambda item: item[1])
        return found  # type: ignore[return-value]

    def finish_phases(self, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        if self.stated:
            phases = tuple(
                phase._replace(tasks=tuple(self.with_stated(task) for task in phase.tasks)) for phase in phases
            )
        # a [P] task runs with the [P] tasks just before it in its phase; any other task alone
        return assign_lanes(phases, lambda task, previous: bool(task.parallel_marker and previous.parallel_marker))
