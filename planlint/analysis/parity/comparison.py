"""The state and line helpers every part of the reader-parity comparison shares."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from typing import AnyStr

from planlint.analysis.depends_clause import steps_by_unit
from planlint.analysis.notes import NoteAnalysis
from planlint.analysis.parity.findings import Divergence, NearMiss
from planlint.analysis.reader import OrchestratorReading
from planlint.diagnostic import Edit
from planlint.model import Plan, Span, TaskId

FENCE = re.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})")


def occurrences(text: AnyStr, needle: AnyStr) -> Iterator[int]:
    """Where `needle` occurs in `text`, found by `str.find` (a run of it counts as one per
    `len(needle)` characters)."""
    found = text.find(needle)
    while found >= 0:
        yield found
        found = text.find(needle, found + len(needle))


def count_word(number: int) -> str:
    return {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(number, str(number))


class Comparison:
    """One plan's comparison: the plan, what was found so far, and the view the orchestrator reads
    (`code_lines`, `view_text` and `reading` are set when the comparison runs)."""

    code_lines: set[int]
    view_text: str
    reading: OrchestratorReading

    def __init__(self, plan: Plan, notes: NoteAnalysis) -> None:
        self.plan = plan
        self.notes = notes
        self.source = plan.source
        self.path = plan.source.path
        self.out: list[Divergence] = []
        self.near: list[NearMiss] = []
        self.steps = steps_by_unit(plan)
        # each phase's top-level tasks (the units the orchestrator schedules), listed once
        self.units = [(phase, phase.top_level_tasks) for phase in plan.phases]
        self.top_level_lines = {t.line for _, tasks in self.units for t in tasks}

    @cached_property
    def id_counts(self) -> Counter[TaskId]:
        return Counter(t.id for t in self.plan.tasks())

    def line_start(self, line: int) -> int:
        starts = self.source.line_starts
        return starts[line - 1] if 0 < line <= len(starts) else self.source.line_bounds(line)[0]

    def line_span(self, line: int) -> Span:
        start, end = self.source.line_bounds(line)
        return Span(self.path, start, end)

    def line_of(self, offset: int) -> int:
        if 0 <= offset <= len(self.source.text):
            return bisect_right(self.source.line_starts, offset)  # what `position` does, without the column
        return self.source.position(offset)[0]

    def add(self, code: str, span: Span, message: str, **fix: object) -> None:
        self.out.append(Divergence(code, span, message, **fix))  # type: ignore[arg-type]

    def fenced_lines(self) -> set[int]:
        """The lines of fenced code blocks, fences included (an unclosed fence runs to the end)."""
        lines: set[int] = set()
        fence: str | None = None
        opened = 0
        for number, match in self.fence_lines():
            if fence is None:
                fence, opened = match.group("fence"), number
            elif match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
                lines.update(range(opened, number + 1))
                fence = None
        if fence is not None:
            lines.update(range(opened, self.source.line_count + 1))
        return lines

    def fence_lines(self) -> list[tuple[int, re.Match[str]]]:
        """Each line that FENCE matches, with its match: the lines that open or close a block.
        Found from the fence characters in the text, not by matching every line."""
        source = self.source
        text = source.text
        found: list[tuple[int, re.Match[str]]] = []
        for number in sorted({self.line_of(at) for run in ("```", "~~~") for at in occurrences(text, run)}):
            start, end = source.line_bounds(number)
            match = FENCE.match(text, start, end)
            if match is not None:
                found.append((number, match))
        return found

    def where(self, line: int) -> str:
        return " (inside a code block)" if line in self.code_lines else ""

    def whole_file_line_endings(self) -> None:
        kind = "CRLF" if self.source.newline == "\r\n" else "CR"
        text = self.source.text
        converted = text.replace("\r\n", "\n").replace("\r", "\n")
        self.add(
            "PL122",
            self.line_span(1),
            f"the file has {kind} line endings: the orchestrator splits lines on `\\n` only, so it reads "
            "no phase and no task in this plan and schedules nothing",
            edits=(Edit(Span(self.path, 0, len(text)), converted),),
            unsafe=True,
            title="convert the line endings to LF",
            newline="\n",
        )

    def indent_fix(self, line: int) -> dict[str, object]:
        """Inside a code block, one space before the line hides it from the orchestrator (unsafe:
        it changes the block's text)."""
        if line not in self.code_lines:
            return {}
        start = self.line_start(line)
        return {
            "edits": (Edit(Span(self.path, start, start), " "),),
            "unsafe": True,
            "title": "indent the example line",
        }

    def stray_break(self, line: int) -> tuple[str, dict[str, object]] | None:
        """A line of an LF file that ends in CRLF or CR, or holds U+2028/U+2029: where the
        orchestrator's `.` stops, so the line does not match."""
        start, end = self.source.line_bounds(line)
        text = self.source.text
        if self.source.newline == "\n" and text.startswith("\r", end):
            width = 2 if text.startswith("\r\n", end) else 1
            edit = Edit(Span(self.path, end, end + width), "\n")
            fix = {"edits": (edit,), "unsafe": True, "title": "end the line with LF like the rest of the file"}
            return "the line ends with a carriage return", fix
        if self.source.newline == "\n" and start > 0 and text[start - 1] == "\r":
            edit = Edit(Span(self.path, start - 1, start), "\n")
            fix = {"edits": (edit,), "unsafe": True, "title": "end the line before with LF like the rest of the file"}
            return "the line before ends with a lone carriage return, so to the orchestrator both are one line", fix
        for separator in ("\u2028", "\u2029"):
            found = text.find(separator, start, end)
            if found >= 0:
                edit = Edit(Span(self.path, found, found + 1), " ")
                return "the line holds an invisible Unicode line separator", {
                    "edits": (edit,),
                    "title": "replace the line separator with a space",
                }
        return None
