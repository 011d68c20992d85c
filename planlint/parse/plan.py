"""Source text -> Plan: a walk over the block tree of `planlint.parse.blocks`.

The walk follows DESIGN.md §2: phases are headings starting with `Phase N`; tasks are list items
starting with an ID; a task nested in a task is a step; `### 1.2 Title` opens a task group;
`**Execution Note:**` and `**VERIFY ...**` paragraphs become nodes through
`planlint.parse.labelled`, and `**pipeline-start:**` is read with `planlint.parse.grammar`. Odd
input never raises: it just yields fewer nodes, and the structure rules report what is missing.
"""

from __future__ import annotations

import re

from planlint.model import (
    Block,
    Checkbox,
    Comment,
    Dependency,
    ExecutionNote,
    Heading,
    MalformedId,
    Phase,
    PipelineTrigger,
    Plan,
    Span,
    Task,
    TaskGroup,
    TaskId,
    VerifyBlock,
)
from planlint.parse import grammar, labelled
from planlint.parse.blocks import CODE, CONTAINERS, LISTS, BlockNode, parse_blocks
from planlint.parse.positions import BlockPositions
from planlint.text import SourceText

# The characters a labelled paragraph can start with: `**Execution Note:**` (NOTE_PREFIX),
# `**VERIFY` or `VERIFY` (VERIFY_HEAD), `(pipeline-start`, `**pipeline-start` or `pipeline-start`
# in any case (PIPELINE_START). A paragraph that starts with anything else holds none of them.
_LABEL_FIRST = frozenset("*V(pP")
# "Implementation Plan: Auth", "Auth Migration Plan", "Plan for X": a plan as the head noun. Not
# "Plan Execution Order" or "Plan Standards": documents about plans that live beside them, which
# a pre-commit hook names explicitly and which must not fail PL001.
_PLAN_TITLE = re.compile(r"\bplan\b(?=\s*(?:$|[:(\-–—]|for\b|to\b))", re.IGNORECASE)


def parse_plan(source: SourceText, dialect: str | None = None) -> Plan:
    """Parse a plan's text into the Plan model, read as `dialect` (DESIGN.md §7; None: the one
    its content shows, `planlint.parse.dialects.detect`)."""
    from planlint.parse import dialects

    if dialect is None:
        dialect = dialects.detect(source.text)
    if dialect == dialects.PHASED:
        builder = PlanBuilder(source)
    else:
        from importlib import import_module

        module = import_module(f"planlint.parse.dialects.{dialect.replace('-', '_')}")
        builder = module.Builder(source)
    builder.walk(parse_blocks(source.text))
    return builder.build()


# The builder's scratch records are plain slotted classes: a dataclass costs a check's startup
# about 0.3 ms to define, and these need neither equality nor a repr.
class _TaskDraft:
    __slots__ = ("blocks", "task")

    def __init__(self, task: Task, blocks: list[Block]) -> None:
        self.task = task
        self.blocks = blocks


class _PhaseDraft:
    __slots__ = ("groups", "notes", "phase", "tasks", "verify")

    def __init__(self, phase: Phase) -> None:
        self.phase = phase
        self.tasks: list[_TaskDraft] = []
        self.groups: list[TaskGroup] = []
        self.notes: list[ExecutionNote] = []
        self.verify: list[VerifyBlock] = []


class PlanBuilder(BlockPositions):
    """The phased reader (DESIGN.md §2); a dialect's reader subclasses it and overrides the
    hooks where its format differs (`planlint.parse.dialects`)."""

    dialect = "phased"

    def __init__(self, source: SourceText) -> None:
        super().__init__(source)
        self.title: str | None = None
        self.phases: list[_PhaseDraft] = []
        self.current: _PhaseDraft | None = None
        self.group: TaskGroup | None = None
        self.group_level = 0
        self.verify_open = False
        self.pending_trigger: PipelineTrigger | None = None
        self.headings: list[Heading] = []
        self.notes: list[ExecutionNote] = []
        self.malformed: list[MalformedId] = []
        self.checkboxes: list[Checkbox] = []
        self.code_lines: set[int] = set()

    # -- walk ----------------------------------------------------------------------------

    def walk(self, nodes: list[BlockNode]) -> None:
        for node in nodes:
            if node.type == "heading":
                self.on_heading(node)
            elif node.type == "paragraph":
                self.on_paragraph(node)
            elif node.type in LISTS:
                self.on_list(node, parent=None)
            elif node.type in CONTAINERS:
                self.walk(node.children)
            elif node.type in CODE and node.map:
                self.code_lines.update(range(node.map[0] + 1, node.map[1] + 1))

    def on_heading(self, node: BlockNode) -> None:
        level = int(node.tag[1:])
        text = node.inline_text
        span = self.block_span(node)
        line = (node.map or (0, 0))[0] + 1
        self.headings.append(Heading(level, text, span, line))
        self.verify_open = False
        if self.title is None and level == 1:
            self.title = text
        phase_match = grammar.PHASE_HEADING.match(text)
        if phase_match and not phase_match.group("decimal"):
            self.open_phase(phase_match, level, span, line)
            return
        if self.current is not None and level < self.current.phase.level:
            self.close_phase(line - 1)
        if self.group is not None and level <= self.group_level:
            self.group = None
        group_match = grammar.GROUP_HEADING.match(text)
        if self.current is not None and group_match and level > self.current.phase.level:
            self.open_group(group_match, level, span, line)

    def open_phase(self, match: re.Match[str], level: int, span: Span, line: int) -> None:
        self.close_phase(line - 1)
        title = grammar.strip_comments(match.group("title") or match.group("bare") or "").strip().strip("*").strip()
        note = ""
        suffix = grammar.PHASE_SUFFIX.search(title)
        if suffix:
            note = suffix.group("note").strip()
            title = title[: suffix.start()].strip()
        trigger = self.pending_trigger
        heading_text = self.source.text[span.start : span.end]
        in_heading = grammar.PIPELINE_START.search(heading_text)
        if in_heading:
            trigger = self.trigger(in_heading, span.start)
        self.pending_trigger = None
        digits = re.search(r"\d+", heading_text)
        number_span = self.span(span.start + digits.start(), span.start + digits.end()) if digits else span
        phase = Phase(
            number=int(match.group("number")),
            title=title,
            level=level,
            heading=span,
            number_span=number_span,
            line=line,
            end_line=line,
            note=note,
            pipeline_start=trigger,
        )
        self.current = _PhaseDraft(phase)
        self.phases.append(self.current)
        self.group = None

    def close_phase(self, end_line: int) -> None:
        if self.current is not None:
            self.current.phase = self.current.phase._replace(end_line=max(end_line, self.current.phase.line))
        self.current = None
        self.group = None

    def open_group(self, match: re.Match[str], level: int, span: Span, line: int) -> None:
        assert self.current is not None
        group_id = TaskId.parse(match.group("id"))
        if group_id is None:
            return
        id_start = self.source.text.find(match.group("id"), span.start, span.end)
        id_span = self.span(id_start, id_start + len(match.group("id"))) if id_start >= 0 else span
        self.group = TaskGroup(group_id, match.group("title").strip(), self.current.phase.number, span, id_span, line)
        self.group_level = level
        self.current.groups.append(self.group)

    def trigger(self, match: re.Match[str], base: int) -> PipelineTrigger | None:
        task_id = TaskId.parse(match.group("id"))
        if task_id is None:
            return None
        return PipelineTrigger(task_id, self.span(base + match.start("id"), base + match.end("id")))

    def on_paragraph(self, node: BlockNode, owner: _TaskDraft | None = None, *, list_item: bool = False) -> None:
        text = self.text
        if owner is None:  # only a label to read: most paragraphs hold none, known by their start
            start = self.content_start(node.map[0] if node.map else 0, list_item=list_item)
            if text[start : start + 1] not in _LABEL_FIRST:
                return
        span = self.block_span(node, list_item=list_item)
        if owner is not None:
            body = labelled.without_lazy_verify(text, span)
            owner.blocks.append(Block("text", body))
            if body != span:
                self.open_lazy_verify(body.end, span.end)
        if span.start >= span.end or text[span.start] not in _LABEL_FIRST:
            return  # most paragraphs: no label to read
        raw = text[span.start : span.end]
        line = (node.map or (0, 0))[0] + 1
        note = labelled.execution_note(raw, span, line, self.current.phase.number if self.current else None)
        if note is not None:
            self.add_note(note)
            return
        if owner is not None:
            return  # a task's own text opens no VERIFY block and holds no phase's trigger
        verify = grammar.VERIFY_HEAD.match(raw)
        if verify and (verify.group("bold") or raw.startswith("VERIFY")):
            if self.current is not None:
                self.add_verify(labelled.verify_block(verify, raw, span, line))
            return
        trigger = grammar.PIPELINE_START.match(raw)
        if trigger:
            self.pending_trigger = self.trigger(trigger, span.start)

    def open_lazy_verify(self, start: int, end: int) -> None:
        block = labelled.lazy_verify_block(self.source, start, end)
        if block is not None:
            self.add_verify(block)

    def add_verify(self, block: VerifyBlock) -> None:
        if self.current is not None:
            self.current.verify.append(block)
            self.verify_open = True

    def add_note(self, note: ExecutionNote) -> None:
        self.notes.append(note)
        if self.current is not None:
            self.current.notes.append(note)

    # -- lists and tasks -----------------------------------------------------------------

    def on_list(self, node: BlockNode, parent: _TaskDraft | None) -> None:
        for item in node.children:
            self.on_item(item, parent)

    def on_item(self, item: BlockNode, parent: _TaskDraft | None) -> None:
        children = item.children
        head = children[0] if children and children[0].type == "paragraph" else None
        draft = self.task_from_item(item, head, parent) if head is not None else None
        owner = draft or parent
        for child in children[1:] if draft is not None else children:
            if child.type == "paragraph":
                self.on_paragraph(child, owner, list_item=child is head)
            elif child.type in LISTS:
                self.on_list(child, owner)
            elif child.type in CODE:
                if child.map:
                    self.code_lines.update(range(child.map[0] + 1, child.map[1] + 1))
                if owner is not None:
                    owner.blocks.append(Block("code", self.block_span(child), child.info.strip()))
            elif child.type in CONTAINERS:
                self.walk(child.children)
            elif owner is not None and child.map:
                owner.blocks.append(Block("text", self.block_span(child)))

    def task_from_item(self, item: BlockNode, head: BlockNode, parent: _TaskDraft | None) -> _TaskDraft | None:
        """A task draft when the item's first paragraph starts with a task ID, else None."""
        if self.current is None or head.map is None:
            return None
        line0 = head.map[0]
        start = self.content_start(line0, list_item=True)
        text = self.text
        if not grammar.may_head_item(text, start):  # a bullet of prose
            return None
        end = self.source.lines_end(head.map[1])
        pos = start
        checkbox = grammar.CHECKBOX.match(text, pos, end) if text[pos] == "[" else None
        checked: bool | None = None
        if checkbox:
            checked = checkbox.group("mark") != " "
            pos = checkbox.end()
        if text.startswith("**VERIFY", pos, end) and grammar.VERIFY_CHECKPOINT.match(text, pos, end):
            checkpoint = labelled.checkpoint_block(text[pos:end], self.block_span(item, list_item=True), line0 + 1)
            if checkpoint is not None:
                self.current.verify.append(checkpoint)
            return None
        head_match = grammar.TASK_HEAD.match(text, pos, end)
        if head_match is None:
            if checked is not None:
                content = " ".join(grammar.strip_comments(text[pos:end]).split())
                self.checkboxes.append(Checkbox(self.current.phase.number, content, line0 + 1, checked))
            return None
        id_text = head_match.group("id")
        id_span = self.span(head_match.start("id"), head_match.end("id"))
        task_id = TaskId.parse(id_text)
        if task_id is None:
            self.malformed.append(MalformedId(id_text, id_span, self.current.phase.number))
            return None
        group = None
        if parent is None and self.group is not None and task_id.extends(self.group.id):
            group = self.group.id
        first_block = self.span(head_match.end(), end)
        body = labelled.without_lazy_verify(text, first_block)
        task = Task(
            id=task_id,
            id_text=id_text,
            phase=self.current.phase.number,
            checked=checked,
            text=" ".join(grammar.strip_comments(head.inline_text[head_match.end() - start :]).split()),
            span=self.block_span(item, list_item=True),
            id_span=id_span,
            line=line0 + 1,
            parent=parent.task.id if parent is not None else None,
            group=group,
            verify=self.verify_open,
        )
        draft = _TaskDraft(task, [Block("text", body)])
        self.current.tasks.append(draft)
        if body != first_block:
            self.open_lazy_verify(body.end, first_block.end)
        return draft

    # -- result --------------------------------------------------------------------------

    def finish_task(self, draft: _TaskDraft) -> Task:
        deps: list[Dependency] = []
        for index, block in enumerate(draft.blocks):
            if block.kind != "text":
                continue
            raw = self.source.text[block.span.start : block.span.end]
            for target, start, end in self.find_dependencies(raw, task_line=index == 0):
                deps.append(Dependency(target, self.span(block.span.start + start, block.span.start + end)))
        return draft.task._replace(dependencies=tuple(deps), blocks=tuple(draft.blocks))

    def find_dependencies(self, raw: str, *, task_line: bool) -> list[tuple[TaskId, int, int]]:
        """The task IDs a block of a task's text depends on, with offsets into it (a dialect
        reads its own spelling of a dependency)."""
        found = []
        for dep_text, start, end in grammar.find_dependencies(raw, task_line=task_line):
            target = TaskId.parse(dep_text)
            if target is not None:
                found.append((target, start, end))
        return found

    def finish_phases(self, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        """The phases as a dialect reads them (its lanes of concurrent tasks); phased: as built."""
        return phases

    def comments(self) -> tuple[Comment, ...]:
        found = []
        text = self.source.text
        for start, end in grammar.html_comments(text):
            line, _ = self.source.position(start)
            if line in self.code_lines:
                continue
            end_line, _ = self.source.position(end)
            found.append(Comment(text[start + 4 : end - 3].strip(), line, end_line))
        return tuple(found)

    def build(self) -> Plan:
        self.close_phase(self.source.line_count)
        phases = tuple(
            draft.phase._replace(
                tasks=tuple(self.finish_task(t) for t in draft.tasks),
                groups=tuple(draft.groups),
                notes=tuple(draft.notes),
                verify=tuple(draft.verify),
            )
            for draft in self.phases
        )
        phases = self.finish_phases(phases)
        looks_like_plan = (
            bool(phases)
            or not self.source.text.strip()  # an empty file named as a plan is an empty plan
            or bool(self.title and _PLAN_TITLE.search(self.title))
            or any(re.match(r"\W*phase\b", h.text, re.IGNORECASE) for h in self.headings)
        )
        return Plan(
            source=self.source,
            title=self.title,
            phases=phases,
            headings=tuple(self.headings),
            notes=tuple(self.notes),
            comments=self.comments(),
            malformed_ids=tuple(self.malformed),
            checkboxes=tuple(self.checkboxes),
            looks_like_plan=looks_like_plan,
            dialect=self.dialect,
        )
