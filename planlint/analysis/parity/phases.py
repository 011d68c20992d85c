"""PL121: phase headings that one reader takes and the other does not, and their fixes."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import cached_property

from planlint.analysis.parity.comparison import Comparison
from planlint.analysis.reader import OrchestratorReading
from planlint.diagnostic import Edit
from planlint.model import Phase, Span

_ATX = re.compile(r"(?P<indent>[ \t]*)(?P<hashes>#{1,6})(?:[ \t]+(?P<content>.*?))?(?:[ \t]+#+)?[ \t]*")
_PHASE_REST = re.compile(r"\W{0,3}phase\s+\d+\**\s*[:.\-–—]?\**\s*(?P<rest>.*)", re.IGNORECASE)


class PhaseChecks(Comparison):
    def phases(self, reading: OrchestratorReading) -> set[int]:
        """PL121 for each phase heading read by one side only; returns the flagged phase numbers."""
        flagged: set[int] = set()
        planlint_lines = {self.line_start(p.line): p for p in self.plan.phases}
        for offset, phase in planlint_lines.items():
            if offset in reading.phase_lines:
                continue
            flagged.add(phase.number)
            self.phase_unread(phase, reading)
        for offset, read in reading.phase_lines.items():
            if offset in planlint_lines:
                continue
            line = self.line_of(offset)
            self.add(
                "PL121",
                self.line_span(line),
                f"the orchestrator reads this line as the heading of Phase {read.number}{self.where(line)}, "
                f"which planlint does not: the tasks that follow are filed under Phase {read.number}",
                **self.indent_fix(line),
            )
        return flagged

    def phase_unread(self, phase: Phase, reading: OrchestratorReading) -> None:
        before = [p for p in reading.phases if p.offset < phase.heading.start]
        instead = f"files its tasks under Phase {before[-1].number}" if before else "drops its tasks"
        line_text = self.source.line_text(phase.line)
        atx = _ATX.fullmatch(line_text)
        stray = self.stray_break(phase.line)
        why = stray[0] if stray else self.heading_problem(phase, line_text, atx)
        message = f"the orchestrator does not read this heading as Phase {phase.number} ({why}): it {instead}"
        fix = stray[1] if stray else self.heading_fix(phase, line_text, atx)
        self.add("PL121", phase.heading, message, **fix)

    def heading_problem(self, phase: Phase, line: str, atx: re.Match[str] | None) -> str:
        if atx is None:
            return "it reads only `## Phase N: Title` headings, not underlined ones"
        if atx.group("indent"):
            return "the heading is indented"
        if len(atx.group("hashes")) != 2:
            return f"a level-{len(atx.group('hashes'))} heading; it reads `## Phase N: Title` only"
        content = atx.group("content") or ""
        if not content.startswith("Phase"):
            return "it reads `Phase` with a capital P and nothing before it"
        if not re.match(r"Phase\s+[0-9]+:", content):
            return "the number must be followed by a colon"
        return "a title must follow the colon"

    def heading_fix(self, phase: Phase, line: str, atx: re.Match[str] | None) -> dict[str, object]:
        title = self.kept_title(phase, line, atx)
        if not title:
            return {}  # no title to keep, or a duplicated phase number (PL006) that needs a person
        new = f"## Phase {phase.number}: {title}"
        unsafe = atx is None or len(atx.group("hashes")) != 2
        if unsafe and not (self.every_phase_reaches_level_two and self.level_change_keeps_outline(phase)):
            return {}
        if atx is None:  # a setext heading: its underline goes too
            span = phase.heading
            start = self.line_start(phase.line)
            span = Span(self.path, start, span.end)
        else:
            start, end = self.source.line_bounds(phase.line)
            span = Span(self.path, start, end)
        if self.source.text[span.start : span.end] == new:
            return {}
        return {"edits": (Edit(span, new),), "unsafe": unsafe, "title": f"write the heading as `{new}`"}

    def kept_title(self, phase: Phase, line: str, atx: re.Match[str] | None) -> str:
        """The title a rewritten heading keeps; empty when there is none to keep or the phase
        number is duplicated (PL006), so no fix is offered."""
        content = atx.group("content") or "" if atx else line.strip()
        rest = _PHASE_REST.match(content)
        title = rest.group("rest").strip().rstrip("*").strip() if rest else ""
        return "" if self.phase_number_counts[phase.number] > 1 else title

    @cached_property
    def phase_number_counts(self) -> Counter[int]:
        return Counter(p.number for p in self.plan.phases)

    @cached_property
    def every_phase_reaches_level_two(self) -> bool:
        """A heading's level changes only when every phase heading ends at level 2: one left at
        its level (no title to keep) beside moved ones would be PL011's mixed levels."""
        for phase in self.plan.phases:
            line = self.source.line_text(phase.line)
            atx = _ATX.fullmatch(line)
            at_two = atx is not None and len(atx.group("hashes")) == 2
            if not at_two and not (self.kept_title(phase, line, atx) and self.level_change_keeps_outline(phase)):
                return False
        return True

    def level_change_keeps_outline(self, phase: Phase) -> bool:
        """At level 2 the phase would still hold exactly what it holds: no heading inside it, and
        the heading that ends it (if any) ends a level-2 phase too (a phase or a level-1 heading)."""
        headings = self.plan.headings
        after = bisect_left(self.heading_lines, phase.line + 1)  # the headings below this one, in order
        if after < len(headings) and headings[after].line <= phase.end_line:
            return False  # a heading inside the phase would end it at level 2
        closing = headings[after] if after < len(headings) else None
        return closing is None or closing.level < 2 or closing.line in self.phase_heading_lines

    @cached_property
    def heading_lines(self) -> list[int]:
        return [h.line for h in self.plan.headings]

    @cached_property
    def phase_heading_lines(self) -> set[int]:
        return {p.line for p in self.plan.phases}
