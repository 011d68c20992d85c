"""planlint's reading of a plan against the orchestrator's (DESIGN.md §3a): every difference once.

`planlint.analysis.reader` says what the orchestrator's line parser reads; this module compares
it with the Plan, the notes planlint resolved and the dependencies it found, and records each
difference as one Divergence at the line concerned, for PL121-PL125 to report. A difference
that follows from another (the tasks of an unread phase heading, every line of a CRLF file) is
reported once, at its cause. Near-miss notes and markers (PL125), which neither reader takes for
what they almost are, are found here too, because PL101's fix corrects them.

Everything is linear in the plan, except that a group the orchestrator does not order directly
is checked through its dependency edges (a search per consecutive pair of the group's tasks).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cached_property
from itertools import pairwise

from planlint import patterns
from planlint.analysis.notes import NoteAnalysis
from planlint.analysis.reader import (
    DEPENDS,
    NOTE_LABEL,
    OrchestratorReading,
    ReadGroup,
    dependencies_in,
    read_as_orchestrator,
)
from planlint.diagnostic import Edit
from planlint.model import ExecutionNote, Phase, Plan, Span, Task, TaskId
from planlint.parse import grammar
from planlint.text import SourceText
from planlint.value import NamedTuple

_FENCE = patterns.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})")
_ATX = patterns.compile(r"(?P<indent>[ \t]*)(?P<hashes>#{1,6})(?:[ \t]+(?P<content>.*?))?(?:[ \t]+#+)?[ \t]*")
_PHASE_REST = patterns.compile(r"\W{0,3}phase\s+\d+\**\s*[:.\-–—]?\**\s*(?P<rest>.*)", re.IGNORECASE)
_NEAR_PHASE = patterns.compile(r"\W{0,3}phase\s*\d+(?!\.\d)", re.IGNORECASE)
_ITEM_PREFIX = patterns.compile(r"(?P<indent>[ \t]*)(?P<bullet>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+)")
_AFTER_ID = patterns.compile(r"(?:\*\*)?[:.)]?(?:\*\*)?[ \t]*")
_LABEL_LIKE = patterns.compile(
    r"[ \t>]*(?:[-*+][ \t]+)?(?P<label>(?:\*{1,2}|_{1,2})?[ \t]*Execution[ \t]+Notes?[ \t]*"
    r"(?:(?:\*{1,2}|_{1,2})[ \t]*:?|:[ \t]*(?:\*{1,2}|_{1,2})?))",
    re.IGNORECASE,
)
_NOTE_SUBJECT = patterns.compile(r"\d+\.\d|\btasks?\b|\bphases?\b|\[", re.IGNORECASE)
_BRACKETED = patterns.compile(r"[\[(]\s*(?P<word>[A-Za-z]{3,14})\s*[\])]")
_BARE_SEQUENTIAL = patterns.compile(r"(?<![\[\w])sequential(?:ly)?\b(?!\])", re.IGNORECASE)
_LABEL_LINE = patterns.compile(r"[\W_]*[A-Za-z][\w ]{0,30}:")
CANONICAL_LABEL = "**Execution Note:**"
# The task list a marker-first note repeats at the start of its reason (`[SEQUENTIAL] Tasks 2.1-2.3 - why`).
_REASON_ITEMS = patterns.compile(
    r"^(?:tasks?\b|(?=\d+\.\d))[\s\d.,;&+\-–—]*(?:\b(?:and|to|through|are|is)\b[\s\d.,;&+\-–—]*)*", re.IGNORECASE
)


class Divergence(NamedTuple):
    """One difference between the two readings, for the rule that owns `code`."""

    code: str
    span: Span
    message: str
    edits: tuple[Edit, ...] = ()
    unsafe: bool = False  # the fix is unsafe (level change, line endings, task lines edited)
    title: str = ""  # the fix's title
    newline: str | None = None  # a fix that converts the file's line endings


class NearMiss(NamedTuple):
    """A paragraph that is almost an Execution Note (PL125), and the tasks it names."""

    line: int
    phase: int | None
    named: tuple[tuple[str, str | None], ...]  # (first, last) items it names
    divergence: Divergence

    def names(self, task: TaskId) -> bool:
        for first, last in self.named:
            low, high = TaskId.parse(first), TaskId.parse(last) if last else None
            if low is None:
                continue
            if high is None and low == task:
                return True
            if high is not None and low.depth == task.depth and low <= task <= high:
                return True
        return False


class ParityReport:
    """Every divergence of one plan, computed once per check (Context.parity)."""

    def __init__(self, divergences: list[Divergence], near_misses: list[NearMiss]) -> None:
        self.divergences = divergences
        self.near_misses = near_misses

    def of(self, code: str) -> list[Divergence]:
        return [d for d in self.divergences if d.code == code]


def compare(plan: Plan, notes: NoteAnalysis) -> ParityReport:
    return _Comparison(plan, notes).run()


def sort_ids(ids: Iterable[str]) -> list[str]:
    def key(text: str) -> tuple[int, tuple[int, ...], str]:
        parsed = TaskId.parse(text)
        return (0, parsed.parts, text) if parsed else (1, (), text)

    return sorted(set(ids), key=key)


def steps_by_unit(plan: Plan) -> dict[TaskId, list[Task]]:
    """Each top-level task's steps (nested tasks), found in one pass."""
    found: dict[TaskId, list[Task]] = {}
    for task in plan.tasks():
        if task.parent is not None:
            found.setdefault(plan.unit_of(task).id, []).append(task)
    return found


def unit_dependencies(plan: Plan, task: Task, steps: dict[TaskId, list[Task]] | None = None) -> set[str]:
    """The tasks a top-level task waits for, as planlint reads them (its steps' too). Pass
    `steps_by_unit(plan)` when asking for many tasks."""
    found: set[str] = set()
    steps = steps if steps is not None else steps_by_unit(plan)
    for member in [task, *steps.get(task.id, ())]:
        for dep in member.dependencies:
            target = plan.task(dep.target)
            unit = plan.unit_of(target).id if target is not None else dep.target
            if unit != task.id:
                found.add(str(unit))
    return found


def depends_edit(plan: Plan, task: Task, wanted: Iterable[str]) -> Edit | None:
    """Write `(depends: …)` with `wanted` on the task's own line, where the orchestrator reads it:
    in place of the first `(depends: …)` or `(depends on …)` there, else at the line's end."""
    ids = sort_ids(wanted)
    if not ids:
        return None
    source = plan.source
    start, end = source.line_bounds(task.line)
    text = f"(depends: {', '.join(ids)})"
    found = DEPENDS.search(source.text, start, end) or _DEPENDS_ANY.search(source.text, start, end)
    if found is not None:
        if source.text[found.start() : found.end()] == text:
            return None
        return Edit(Span(source.path, found.start(), found.end()), text)
    line = source.text[start:end]
    stripped = len(line.rstrip())
    return Edit(Span(source.path, start + stripped, start + stripped), f" {text}")


_DEPENDS_ANY = patterns.compile(r"\(\s*depends(?:\s+on)?\s*:?[^()\n]*\)", re.IGNORECASE)


def contiguous(tasks: list[TaskId], siblings: list[TaskId]) -> bool:
    """The orchestrator can read these tasks as one range `A-B`: two-part IDs, and no other task
    or group of the phase between the first and the last (it does not expand `1.2.1-1.2.3`)."""
    ordered = sorted(tasks)
    first, last = ordered[0], ordered[-1]
    if any(t.depth != 2 for t in ordered):
        return False
    between = [s for s in siblings if first <= s <= last and s.depth == first.depth]
    return between == ordered


class _Comparison:
    def __init__(self, plan: Plan, notes: NoteAnalysis) -> None:
        self.plan = plan
        self.notes = notes
        self.source = plan.source
        self.path = plan.source.path
        self.out: list[Divergence] = []
        self.near: list[NearMiss] = []
        self.steps = steps_by_unit(plan)
        self.top_level_lines = {t.line for t in plan.tasks() if t.parent is None}
        self.id_counts = Counter(t.id for t in plan.tasks())

    # -- helpers -------------------------------------------------------------------------

    def line_start(self, line: int) -> int:
        return self.source.line_bounds(line)[0]

    def line_span(self, line: int) -> Span:
        start, end = self.source.line_bounds(line)
        return Span(self.path, start, end)

    def line_of(self, offset: int) -> int:
        return self.source.position(offset)[0]

    def add(self, code: str, span: Span, message: str, **fix: object) -> None:
        self.out.append(Divergence(code, span, message, **fix))  # type: ignore[arg-type]

    # -- run -----------------------------------------------------------------------------

    def run(self) -> ParityReport:
        plan = self.plan
        tasks = [t for p in plan.phases for t in p.top_level_tasks]
        if not plan.phases and not tasks:
            self.near_miss_notes()
            return ParityReport(self.out, self.near)
        view = self.source
        if self.source.newline != "\n":
            # One finding for the file; the rest is compared as the orchestrator will read the file
            # once its line endings are LF (a view of the same length, so offsets still hold).
            self.whole_file_line_endings()
            text = self.source.text.replace("\r\n", " \n").replace("\r", "\n")
            view = SourceText.from_text(text, self.path, bom=self.source.bom)
        self.code_lines = self.fenced_lines()
        self.view_text = view.text
        reading = read_as_orchestrator(view)
        self.reading = reading
        flagged_phases = self.phases(reading)
        matched = self.tasks(reading, flagged_phases)
        self.dependencies(reading, matched)
        self.groups(reading, matched)
        self.near_miss_notes()
        self.out.sort(key=lambda d: (d.span.start, d.code))
        return ParityReport(self.out, self.near)

    def fenced_lines(self) -> set[int]:
        lines: set[int] = set()
        fence: str | None = None
        for number in range(1, self.source.line_count + 1):
            match = _FENCE.match(self.source.line_text(number))
            if fence is None:
                if match:
                    fence = match.group("fence")
                    lines.add(number)
                continue
            lines.add(number)
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
                fence = None
        return lines

    def where(self, line: int) -> str:
        return " (inside a code block)" if line in self.code_lines else ""

    # -- the whole file ------------------------------------------------------------------

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

    # -- phases --------------------------------------------------------------------------

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

    # -- tasks ---------------------------------------------------------------------------

    def tasks(self, reading: OrchestratorReading, flagged_phases: set[int]) -> dict[TaskId, str]:
        """PL122 for tasks read by one side only or with another ID; returns the tasks both read
        (planlint ID -> the orchestrator's ID string)."""
        matched: dict[TaskId, str] = {}
        planlint_lines: dict[int, Task] = {}
        for phase in self.plan.phases:
            for task in phase.top_level_tasks:
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
            line = self.line_of(read.offset)
            if read.offset in planlint_lines or line in covered:
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
                f"Title`): the orchestrator files the {_count(len(lines))} task{'s' if len(lines) > 1 else ''} "
                f"under it {where}",
            )
        return matched

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

    def near_phase_headings(
        self, reading: OrchestratorReading, planlint_lines: dict[int, Task]
    ) -> dict[int, list[int]]:
        """Headings like `## Phase 2 Logic` that neither side reads as a phase, with the task lines
        of their section (a heading without tasks under it is prose about phases)."""
        ours = {p.line for p in self.plan.phases}
        task_lines = sorted({self.line_of(o) for o in reading.task_lines} | {t.line for t in planlint_lines.values()})
        headings = [h for h in self.plan.headings if h.line not in self.code_lines]
        found: dict[int, list[int]] = {}
        position = 0
        for index, heading in enumerate(headings):
            if heading.line in ours or self.line_start(heading.line) in reading.phase_lines:
                continue
            if not _NEAR_PHASE.match(heading.text) or grammar.PHASE_HEADING.match(heading.text):
                continue
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
                elif _ITEM_PREFIX.match(text.lstrip(" ")) or _FENCE.match(text):
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

    # -- dependencies --------------------------------------------------------------------

    def dependencies(self, reading: OrchestratorReading, matched: dict[TaskId, str]) -> None:
        """PL124 for each task whose dependencies the orchestrator reads differently from its task
        line: as it will once it reads the line (an unread task or phase is PL121/PL122's), so
        that fixing a task line never uncovers a new finding."""
        for phase in self.plan.phases:
            for task in phase.top_level_tasks:
                start, end = self.source.line_bounds(task.line)
                found, span = dependencies_in(self.view_text, start, end)
                ours = unit_dependencies(self.plan, task, self.steps)
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

    # -- groups --------------------------------------------------------------------------

    def groups(self, reading: OrchestratorReading, matched: dict[TaskId, str]) -> None:
        read_ids = set(matched.values())
        by_phase: dict[int, list[str]] = {}  # read IDs by their first number (a range's phase)
        for task in reading.task_lines.values():
            if task.id in read_ids:
                by_phase.setdefault(int(task.id.split(".", 1)[0]), []).append(task.id)
        label_of: dict[str, str] = {}
        members_of: dict[str, set[str]] = {}
        origin: dict[str, ReadGroup] = {}
        for group in reading.groups:
            for task_id in self.members(group, read_ids, by_phase):
                label_of[task_id] = group.label
            origin.setdefault(group.label, group)
        for task_id, label in label_of.items():
            members_of.setdefault(label, set()).add(task_id)
        self.read_deps = {t.id: t.dependencies for t in reading.task_lines.values()}

        def ordered_by_them(a: str, b: str) -> bool:
            return (
                (label_of.get(a) is not None and label_of.get(a) == label_of.get(b))
                or self.reaches(self.read_deps, a, b)
                or self.reaches(self.read_deps, b, a)
            )

        near_lines = {n.line for n in self.near}
        ours_by_note: dict[int, list[list[str]]] = {}
        our_groups: list[set[str]] = []
        for resolved in self.notes.sequential:
            ids = [str(t) for t in resolved.tasks if str(t) in read_ids]
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
        # groups the orchestrator reads that planlint does not order
        our_deps = {
            str(t.id): unit_dependencies(self.plan, t, self.steps) for p in self.plan.phases for t in p.top_level_tasks
        }
        flagged = set(ours_by_note)
        for label, members in members_of.items():
            if len(members) < 2:
                continue
            ordered = sort_ids(members)

            def ordered_by_us(a: str, b: str) -> bool:
                return (
                    any(a in g and b in g for g in our_groups)
                    or self.reaches(our_deps, a, b)
                    or self.reaches(our_deps, b, a)
                )

            if all(ordered_by_us(a, b) for a, b in pairwise(ordered)):
                continue
            line = self.line_of(origin[label].offset)
            if line in flagged or line in near_lines:
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

    def label_near_miss(self, note: ExecutionNote) -> bool:
        label = _LABEL_LIKE.match(self.source.text, note.span.start)
        if label is None:
            return False
        written = label.group("label").strip()
        return written.lower() not in {CANONICAL_LABEL.lower(), "**execution note**:"}

    def note_divergence(self, note: ExecutionNote, groups: list[list[str]], reading: OrchestratorReading) -> None:
        read = [g for g in reading.groups if note.span.start <= g.offset < note.span.end]
        ours = "; ".join(_label(g) for g in groups)
        if not read:
            why = self.note_problem(note)
            message = f"the orchestrator does not read this note ({why}): tasks {ours} are not ordered"
        elif all(len(g.task_ids(limit=2)) <= 1 for g in read):
            labels = ", ".join(g.label for g in read)
            count = _count(len(read))
            message = f"the orchestrator reads `Tasks {labels}` as {count} groups of one task: nothing orders {ours}"
        else:
            labels = "; ".join(f"`{g.label}`" for g in read)
            message = f"the orchestrator reads this note as the groups {labels}: tasks {ours} are not all ordered"
        self.add("PL123", note.span, message, **self.note_fix(note, groups))

    def note_problem(self, note: ExecutionNote) -> str:
        raw = self.source.text[note.span.start : note.span.end]
        head = raw.split("[", 1)[0] if note.marker_span else raw
        if not NOTE_LABEL.match(raw):
            return "it reads only the label `**Execution Note:**`"
        if note.marker_span is not None and note.marker_span.start < (note.items[0].span.start if note.items else 0):
            return "the marker stands before the tasks"
        if re.search(r"\band\b", head, re.IGNORECASE):
            return "`and` between task ranges"
        if re.search(r"\b(?:to|through)\b|\.\.", head, re.IGNORECASE):
            return "`to` in a range; it reads `A-B`"
        if re.search(r"\d\s*[-–—]?\s*\n\s*[-–—]?\s*\d", head):
            return "the note is broken over lines inside its task list"
        if re.search(r"[–—]", head):
            return "a dash other than `-` in a range"
        if re.search(r"\d\s+-|-\s+\d", head):
            return "spaces around the dash of a range"
        if re.search(r"\d+\.\d+\.\d+", head):
            return "it does not expand three-part IDs"
        if not re.search(r"\btasks?\b", head, re.IGNORECASE):
            return "it reads `Tasks A-B are [SEQUENTIAL]` only"
        if not re.search(r"\b(?:are|is)\s+\[", raw, re.IGNORECASE):
            return "it reads `are [SEQUENTIAL]` or `is [SEQUENTIAL]` only"
        return "it reads `Tasks A-B are [SEQUENTIAL] - reason` only"

    def note_fix(self, note: ExecutionNote, groups: list[list[str]]) -> dict[str, object]:
        """One `Tasks A-B` note per contiguous group; other groups become `(depends: …)` chains."""
        phase = self.plan.phase(note.phase) if note.phase is not None else None
        if phase is None:
            return {}
        siblings = sorted({t.id for t in phase.top_level_tasks} | {g.id for g in phase.groups})
        reason = _REASON_ITEMS.sub("", note.reason) or "run one at a time"
        lines: list[str] = []
        chains: dict[TaskId, set[str]] = {}
        all_groups = [
            sort_ids(str(t) for t in g.tasks)
            for g in self.notes.sequential
            if g.note.line == note.line and len(g.tasks) > 1
        ]
        for group in all_groups:
            ids = [TaskId.parse(i) for i in group]
            task_ids = [i for i in ids if i is not None]
            if contiguous(task_ids, siblings):
                lines.append(f"{CANONICAL_LABEL} Tasks {task_ids[0]}-{task_ids[-1]} are [SEQUENTIAL] - {reason}")
            else:
                for before, after in pairwise(task_ids):
                    chains.setdefault(after, set()).add(str(before))
        edits: list[Edit] = []
        for task_id, extra in sorted(chains.items()):
            task = self.plan.task(task_id)
            if task is None:
                return {}
            edit = depends_edit(self.plan, task, unit_dependencies(self.plan, task, self.steps) | extra)
            if edit is not None:
                edits.append(edit)
        new = "\n\n".join(lines)
        start, end = note.span.start, note.span.end
        if not lines:
            # nothing left for a note to say: remove the paragraph and the blank line after it
            following = self.source.text[end : end + 2]
            end += len(following) - len(following.lstrip("\n"))
        edits.append(Edit(Span(self.path, start, end), new))
        title = "rewrite the note as the orchestrator reads it"
        return {"edits": tuple(edits), "unsafe": bool(chains), "title": title}

    # -- near misses (PL125) -------------------------------------------------------------

    def near_miss_notes(self) -> None:
        seen: set[int] = set()
        code_lines = getattr(self, "code_lines", None)
        if code_lines is None:
            code_lines = self.code_lines = self.fenced_lines()
        notes_by_line = {n.line: n for n in self.plan.notes}
        phase_of_line = self.phase_lines()
        grouped = {t for group in self.notes.sequential for t in group.tasks}
        for number in range(1, self.source.line_count + 1):
            if number in code_lines:
                continue
            start, end = self.source.line_bounds(number)
            label = _LABEL_LIKE.match(self.source.text, start, end)
            if label is None:
                continue
            note = notes_by_line.get(number)
            para_end = note.span.end if note is not None else end
            rest = self.source.text[label.end() : para_end]
            if not _NOTE_SUBJECT.search(rest):
                continue
            edits: list[Edit] = []
            what: list[str] = []
            written = label.group("label").strip()
            lead = label.start("label") + (len(label.group("label")) - len(label.group("label").lstrip()))
            if written.lower() not in {CANONICAL_LABEL.lower(), "**execution note**:"}:
                what.append(f"`{written}` looks like the label `{CANONICAL_LABEL}`")
                edits.append(Edit(Span(self.path, lead, lead + len(written)), CANONICAL_LABEL))
            has_marker = re.search(r"\[(?:SEQUENTIAL|PARALLEL)\]", rest, re.IGNORECASE) is not None
            if not has_marker:
                marker = self.near_marker(rest, label.end())
                if marker is not None:
                    what.append(marker[0])
                    edits.append(marker[1])
            if not what or number in seen:
                continue
            seen.add(number)
            if written.lower() == "**execution note**:" and not edits[:-1] and len(what) == 1 and has_marker:
                continue
            item_text = rest.split("[", 1)[0]
            named = tuple(
                (m.first, m.last) for g in grammar.parse_note("Tasks " + _ids_only(item_text)).groups for m in g
            )
            divergence = Divergence(
                "PL125",
                Span(self.path, lead, para_end),
                "; ".join(what)
                + (
                    ": the orchestrator does not read it"
                    if note is not None and note.marker
                    else ": neither planlint nor the orchestrator reads it"
                ),
                edits=tuple(edits),
                title="correct the note's "
                + ("label and marker" if len(edits) > 1 else "label" if "label" in what[0] else "marker"),
            )
            near = NearMiss(number, phase_of_line.get(number), named, divergence)
            if not (note is not None and note.marker) and (
                any(near.names(t) for t in grouped) or not self.resolvable(named, phase_of_line.get(number))
            ):
                # corrected, it would name an unknown task or put one in a second group: left to a person
                near = near._replace(divergence=divergence._replace(edits=()))
                divergence = near.divergence
            self.near.append(near)
            self.out.append(divergence)

    def resolvable(self, named: tuple[tuple[str, str | None], ...], phase: int | None) -> bool:
        """Every item names a task or task group of the note's phase, ranges in order."""
        if not named or phase is None:
            return False
        for first, last in named:
            ends = [TaskId.parse(first), TaskId.parse(last) if last else None]
            for end in ends[: 2 if last else 1]:
                if end is None:
                    return False
                task = self.plan.task(end)
                group = self.plan.group_index.get(end)
                if (task.phase if task else group.phase if group else None) != phase:
                    return False
            if last and ends[1] is not None and ends[0] is not None and not ends[0] < ends[1]:
                return False
        return True

    def near_marker(self, rest: str, base: int) -> tuple[str, Edit] | None:
        for match in _BRACKETED.finditer(rest):
            word = match.group("word").upper()
            target = _near_marker_word(word)
            if target is not None:
                span = Span(self.path, base + match.start(), base + match.end())
                return f"`{match.group()}` looks like the marker `[{target}]`", Edit(span, f"[{target}]")
        bare = _BARE_SEQUENTIAL.search(rest)
        if bare is not None:
            span = Span(self.path, base + bare.start(), base + bare.end())
            return f"`{bare.group()}` without brackets looks like the marker `[SEQUENTIAL]`", Edit(span, "[SEQUENTIAL]")
        return None

    def phase_lines(self) -> dict[int, int]:
        result: dict[int, int] = {}
        for phase in self.plan.phases:
            for number in range(phase.line, phase.end_line + 1):
                result[number] = phase.number
        return result


def _count(number: int) -> str:
    return {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(number, str(number))


def _ids_only(text: str) -> str:
    return " ".join(re.findall(r"\d+(?:\.\d+)+(?:\s*[-–—]\s*\d+(?:\.\d+)+)?", text))


def _label(ids: list[str]) -> str:
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else ids[0]


def _near_marker_word(word: str) -> str | None:
    """SEQUENTIAL or PARALLEL when `word` is a misspelling or abbreviation of it."""
    if word in {"SEQUENTIAL", "PARALLEL"}:
        return None
    for target in ("SEQUENTIAL", "PARALLEL"):
        if len(word) >= 3 and target.startswith(word):
            return target
        if _distance(word, target) <= 2:
            return target
    return None


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
