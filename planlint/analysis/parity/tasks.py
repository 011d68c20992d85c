"""PL122: task lines that one reader takes and the other does not, and their fixes."""

from __future__ import annotations

import re
from bisect import bisect_left

from planlint.analysis.parity.comparison import FENCE, Comparison, count_word
from planlint.analysis.reader import OrchestratorReading
from planlint.diagnostic import Edit
from planlint.model import Span, Task, TaskId
from planlint.parse import grammar

_NEAR_PHASE = re.compile(r"\W{0,3}phase\s*\d+(?!\.\d)", re.IGNORECASE)
_ITEM_PREFIX = re.compile(r"(?P<indent>[ \t]*)(?P<bullet>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+)")
_AFTER_ID = re.compile(r"(?:\*\*)?[:.)]?(?:\*\*)?[ \t]*")
_LABEL_LINE = re.compile(r"[\W_]*[A-Za-z][\w ]{0,30}:")


class TaskChecks(Comparison):
    def tasks(self, reading: OrchestratorReading, flagged_phases: set[int]) -> dict[TaskId, str]:
        """PL122 for tasks read by one side only or with another ID; returns the tasks both read
        (planlint ID -> the orchestrator's ID string)."""
        matched: dict[TaskId, str] = {}
        planlint_lines: dict[int, Task] = {}
        for phase, units in self.units:
            for task in units:
                offset = self.line_start(task.line)
                planlint_lines[offset] = task
                read = reading.task_lines.get(offset)
                if read is None:
                    self.task_unread(task)
                elif read.id != str(task.id):
                    self.task_unread(task, read_id=read.id)
                elif read.phase == -1 and phase.number not in flagged_phases:
                    self.add(
                        "PL122",
                        task.id_span,
                        f"the orchestrator reads no phase heading before task {task.id}: it drops the task",
                    )
                else:
                    matched[task.id] = read.id
        near = self.near_phase_headings(reading, planlint_lines)
        covered = {line for lines in near.values() for line in lines}
        for read in reading.task_lines.values():
            if read.offset in planlint_lines:
                continue
            line = self.line_of(read.offset)
            if line in covered:
                continue
            if read.phase < 0 and not (self.plan.phases and self.plan.phases[0].heading.start < read.offset):
                continue  # before any phase both ignore it
            of_phase = f" of Phase {read.phase}" if read.phase >= 0 else ""
            self.add(
                "PL122",
                self.line_span(line),
                f"the orchestrator reads this line as task {read.id}{of_phase} and will schedule it"
                f"{self.where(line)}; planlint reads no task here",
                **self.indent_fix(line),
            )
        for heading, lines in near.items():
            before = [p for p in reading.phases if p.offset < self.line_start(heading)]
            where = f"in Phase {before[-1].number}" if before else "nowhere (it drops them)"
            self.add(
                "PL121",
                self.line_span(heading),
                f"neither planlint nor the orchestrator reads this heading as a phase (write `## Phase N: "
                f"Title`): the orchestrator files the {count_word(len(lines))} task{'s' if len(lines) > 1 else ''} "
                f"under it {where}",
            )
        return matched

    def near_phase_headings(
        self, reading: OrchestratorReading, planlint_lines: dict[int, Task]
    ) -> dict[int, list[int]]:
        """Headings like `## Phase 2 Logic` that neither side reads as a phase, with the task lines
        of their section (a heading without tasks under it is prose about phases)."""
        ours = {p.line for p in self.plan.phases}
        headings = [h for h in self.plan.headings if h.line not in self.code_lines]
        found: dict[int, list[int]] = {}
        position = 0
        task_lines: list[int] | None = None
        for index, heading in enumerate(headings):
            if heading.line in ours or not _NEAR_PHASE.match(heading.text):
                continue
            if self.line_start(heading.line) in reading.phase_lines or grammar.PHASE_HEADING.match(heading.text):
                continue
            if task_lines is None:  # every line either side reads as a task (a read line of ours is its task's)
                read = {self.line_of(o) for o in reading.task_lines if o not in planlint_lines}
                task_lines = sorted(read | {t.line for t in planlint_lines.values()})
            end = next((h.line for h in headings[index + 1 :] if h.level <= heading.level), self.source.line_count + 1)
            while position < len(task_lines) and task_lines[position] <= heading.line:
                position += 1
            lines = task_lines[position : bisect_left(task_lines, end, position)]
            if lines:
                found[heading.line] = lines
        return found

    def task_unread(self, task: Task, read_id: str | None = None) -> None:
        line = self.source.line_text(task.line)
        if read_id is not None:
            why = ""
            instead = f"reads this line as task `{read_id}`, not {task.id}: what names task {task.id} does not reach it"
        else:
            stray = self.stray_break(task.line)
            why = stray[0] if stray else self.task_problem(task, line)
            instead = f"does not read task {task.id} ({why}): it is never scheduled"
            why = ""
            if stray:
                self.add("PL122", task.id_span, f"the orchestrator {instead}", **stray[1])
                return
        message = f"the orchestrator {instead}" if not why else f"the orchestrator {instead} ({why})"
        self.add("PL122", task.id_span, message, **self.task_fix(task))

    def task_problem(self, task: Task, line: str) -> str:
        prefix = _ITEM_PREFIX.match(line)
        if prefix is None:
            return "it reads only unindented `- [ ] N.M text` lines"
        if prefix.group("indent"):
            return "the item is indented"
        if prefix.group("bullet") != "-":
            return f"`{prefix.group('bullet')}` instead of a `-` bullet"
        if task.checked is None:
            return "the item has no `[ ]` checkbox"
        if "[X]" in line[: task.id_span.start - self.line_start(task.line)]:
            return "a capital `[X]`"
        written = self.source.text[task.id_span.start : task.id_span.end]
        if written != str(task.id):
            return f"the ID `{written}` is not plain ASCII `N.M`"
        after = self.source.text[task.id_span.end : self.source.line_bounds(task.line)[1]]
        if after.startswith("**") or line[prefix.end() :].lstrip().startswith(("[ ] **", "[x] **", "**")):
            return "a bold ID"
        if after[:1] in {":", ".", ")"}:
            return f"`{written}{after[0]}`: a space must follow the ID"
        if not after.strip():
            return "the task's text is not on the ID's line"
        return "it reads only `- [ ] N.M text` lines"

    def task_fix(self, task: Task) -> dict[str, object]:
        if self.id_counts[task.id] > 1:
            return {}  # two tasks with one ID (PL002) need a person first
        source = self.source
        start, end = source.line_bounds(task.line)
        line = source.text[start:end]
        prefix = _ITEM_PREFIX.match(line)
        if prefix is None or "\r" in line:
            return {}
        after = _AFTER_ID.match(source.text, task.id_span.end, end)
        rest_start = after.end() if after else task.id_span.end
        rest = source.text[rest_start:end].strip()
        last_line = task.line
        if not rest:
            first_block = task.blocks[0].span if task.blocks else task.span
            if source.position(first_block.end)[0] <= task.line:
                return {}
            last_line = task.line + 1
            rest = source.line_text(last_line).strip()
            if not rest or _LABEL_LINE.match(rest):
                return {}  # `Depends on: 1.1` or `Files:` under the ID is not the task's text
        mark = "x" if task.checked else " "
        lines = [f"- [{mark}] {task.id} {rest}"]
        end_offset = source.line_bounds(last_line)[1]
        # `- ` puts the item's content at column 2: the rest of the item moves left with it
        if "\t" in prefix.group(0):
            return {}
        shift = prefix.end() - 2
        if shift > 0:
            span_end_line = source.position(task.span.end)[0]
            for number in range(last_line + 1, span_end_line + 1):
                text = source.line_text(number)
                spaces = len(text) - len(text.lstrip(" "))
                if spaces >= shift:
                    lines.append(text[shift:])
                elif _ITEM_PREFIX.match(text.lstrip(" ")) or FENCE.match(text):
                    return {}  # a nested block that would change its parent
                else:
                    lines.append(text)  # a lazy continuation line stays one
            end_offset = source.line_bounds(span_end_line)[1]
            following = next(
                (
                    source.line_text(n)
                    for n in range(span_end_line + 1, source.line_count + 1)
                    if source.line_text(n).strip()
                ),
                "",
            )
            if 2 <= len(following) - len(following.lstrip(" ")) < prefix.end():
                return {}  # the next block would become part of the item
        new = "\n".join(lines)
        if source.text[start:end_offset] == new:
            return {}
        return {
            "edits": (Edit(Span(self.path, start, end_offset), new),),
            "title": f"write task {task.id} as `- [ ] {task.id} text`",
        }
