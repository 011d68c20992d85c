"""What the orchestrator's own parser reads from a plan (DESIGN.md §3a), without running node.

The orchestrator builds status.json with `scripts/lib/plan-status.js`: `parsePhases` matches
each `\\n`-separated line against two regular expressions, `parseExecutionNotes` runs one
regular expression over the whole text, and `parseDependencies` reads the first `(depends: …)`
of a task line. This module reproduces those expressions with JavaScript's semantics (`\\s` is
JavaScript's whitespace, `\\d` is ASCII, `.` stops at `\\r`, `\\u2028` and `\\u2029`, case folding
is ASCII only), so planlint can compare the two readings line by line (`planlint.analysis.parity`).

Linear in the text: one scan finds the lines that start as a phase or a task line does, each of
those is matched once, and an Execution Note's task list is scanned once rather than by the
backtracking the regular expression would do on a long run of digits.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from planlint.text import SourceText

# JavaScript's `\s` and the characters its `.` does not match.
JS_SPACE = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
JS_LINE_END = "\n\r\u2028\u2029"
_JS_SPACE_SET = frozenset("\t\n\x0b\x0c\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
_JS_SPACE_CHARS = "".join(sorted(_JS_SPACE_SET))

# `/^##\s+Phase\s+(\d+):\s*(.+)$/` and `/^-\s+\[([ x])\]\s+(\d+\.\d+(?:\.\d+)?)\s+(.+)$/`.
PHASE_LINE = re.compile(rf"##[{JS_SPACE}]+Phase[{JS_SPACE}]+([0-9]+):[{JS_SPACE}]*([^{JS_LINE_END}]+)")
TASK_LINE = re.compile(
    rf"-[{JS_SPACE}]+\[([ x])\][{JS_SPACE}]+([0-9]+\.[0-9]+(?:\.[0-9]+)?)[{JS_SPACE}]+([^{JS_LINE_END}]+)"
)
# The label that starts `parseExecutionNotes`' sequential pattern (flag `i`: ASCII case folding).
NOTE_LABEL = re.compile(r"\*\*Execution Note:\*\*", re.IGNORECASE | re.ASCII)
_TASKS_WORD = re.compile(rf"[{JS_SPACE}]*tasks?", re.IGNORECASE | re.ASCII)
_LIST_CHARS = frozenset("0123456789.,-") | _JS_SPACE_SET
_VERB = re.compile(rf"(?:are|is)[{JS_SPACE}]+\[SEQUENTIAL\]", re.IGNORECASE | re.ASCII)
# `\s*[-\u2013\u2014]?\s*(.+?)(?:\n|$)`: an optional dash, then the reason up to the first line feed.
_REASON = re.compile(rf"[{JS_SPACE}]*[-–—]?[{JS_SPACE}]*([^{JS_LINE_END}]+?)(?:\n|\Z)")
_ITEM_SPLIT = re.compile(rf",[{JS_SPACE}]*(?=[0-9])")
_RANGE = re.compile(r"([0-9]+)\.([0-9]+)-([0-9]+)\.([0-9]+)")
_SINGLE = re.compile(r"[0-9]+\.[0-9]+")
# `/\(depends:\s*([\d.,\s]+)\)/i` and the IDs it keeps.
DEPENDS = re.compile(rf"\(depends:[{JS_SPACE}]*([0-9.,{JS_SPACE}]+)\)", re.IGNORECASE | re.ASCII)
_DEP_ID = re.compile(r"[0-9]+\.[0-9]+(?:\.[0-9]+)?")
# A line feed before a line that starts as PHASE_LINE or TASK_LINE does (their common prefixes).
_CANDIDATE = re.compile(rf"\n(?=##[{JS_SPACE}]+Phase[{JS_SPACE}]+[0-9]+:|-[{JS_SPACE}]+\[[ x]\][{JS_SPACE}]+[0-9])")


def js_trim(text: str) -> str:
    """`String.prototype.trim`: JavaScript's whitespace and line terminators."""
    return text.strip(_JS_SPACE_CHARS)


class ReadPhase(NamedTuple):
    number: int
    name: str
    offset: int  # start of its line in the decoded text


class ReadTask(NamedTuple):
    id: str  # as written (`01.03` stays `01.03`)
    phase: int
    title: str
    offset: int
    dependencies: tuple[str, ...]
    depends_span: tuple[int, int] | None  # the `(depends: …)` it read, as offsets


class ReadGroup(NamedTuple):
    """One `[SEQUENTIAL]` group: one comma-separated item of a note the pattern matched."""

    label: str  # the orchestrator's `taskRange`
    ids: tuple[str, ...]  # explicit IDs (a range's are implied by `span`)
    span: tuple[int, int, int] | None  # (phase, first, last) of a same-phase range
    reason: str
    offset: int  # where the note's label starts
    end: int  # where the pattern's match ends

    def contains(self, task_id: str) -> bool:
        if task_id in self.ids:
            return True
        if self.span is None:
            return False
        phase, first, last = self.span
        head, _, tail = task_id.partition(".")
        if not (head.isascii() and head.isdigit() and tail.isascii() and tail.isdigit()):
            return False
        return int(head) == phase and first <= int(tail) <= last and task_id == f"{phase}.{int(tail)}"

    def task_ids(self, limit: int = 10_000) -> list[str]:
        """Every ID the orchestrator lists for this group (a range up to `limit` long)."""
        if self.span is None:
            return list(self.ids)
        phase, first, last = self.span
        return [f"{phase}.{i}" for i in range(first, min(last, first + limit - 1) + 1)]


class OrchestratorReading(NamedTuple):
    phases: tuple[ReadPhase, ...]
    tasks: tuple[ReadTask, ...]
    groups: tuple[ReadGroup, ...]
    task_lines: dict[int, ReadTask]  # offset of a line that matches the task pattern -> what it reads
    phase_lines: dict[int, ReadPhase]


def read_as_orchestrator(source: SourceText) -> OrchestratorReading:
    """What `parsePhases`, `parseExecutionNotes` and `parseDependencies` read from the file."""
    text = source.text
    phases: list[ReadPhase] = []
    tasks: list[ReadTask] = []
    task_lines: dict[int, ReadTask] = {}
    phase_lines: dict[int, ReadPhase] = {}
    current: ReadPhase | None = None
    for start in _candidate_lines(text, source.bom):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        if text.startswith("##", start):
            match = PHASE_LINE.fullmatch(text, start, end)
            if match:
                current = ReadPhase(int(match.group(1)), js_trim(match.group(2)), start)
                phases.append(current)
                phase_lines[start] = current
            continue
        task = TASK_LINE.fullmatch(text, start, end)
        if task:
            title = js_trim(task.group(3))
            deps, depends_span = dependencies_in(text, task.start(3), task.end(3))
            read = ReadTask(task.group(2), current.number if current else -1, title, start, deps, depends_span)
            task_lines[start] = read
            if current is not None:
                tasks.append(read)
    return OrchestratorReading(tuple(phases), tuple(tasks), tuple(_sequential_groups(source)), task_lines, phase_lines)


def _candidate_lines(text: str, bom: bool) -> list[int]:
    """The start of every `\\n`-separated line that begins as a phase or a task line, the only
    lines either pattern can match (found by one scan of the text, not a step per line). Node keeps
    a BOM as U+FEFF at the start of the first line, where neither `^##` nor `^-` can match it."""
    starts = [match.start() + 1 for match in _CANDIDATE.finditer(text)]
    if not bom and text.startswith(("##", "-")):
        starts.insert(0, 0)
    return starts


def dependencies_in(text: str, start: int, end: int) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    """`parseDependencies`: the IDs of the first `(depends: …)` in text[start:end], and its span."""
    match = DEPENDS.search(text, start, end)
    if match is None:
        return (), None
    found = (js_trim(part) for part in js_trim(match.group(1)).split(","))
    return tuple(dep for dep in found if _DEP_ID.fullmatch(dep)), (match.start(), match.end())


def _sequential_groups(source: SourceText) -> list[ReadGroup]:
    """`parseExecutionNotes`' sequential groups, in the order it finds them."""
    text = source.text
    groups: list[ReadGroup] = []
    resume = 0
    for label in NOTE_LABEL.finditer(text):
        if label.start() < resume:
            continue  # inside the reason of the note matched before (`.+?` ran over it)
        found = _match_note(text, label.end())
        if found is None:
            continue
        items, reason, end = found
        resume = end
        for item in _ITEM_SPLIT.split(items):
            clean = js_trim(item)
            if clean:
                group = _expand(clean, reason, label.start(), end)
                if group is not None:
                    groups.append(group)
    return groups


def _match_note(text: str, pos: int) -> tuple[str, str, int] | None:
    """`\\s*Tasks?\\s+([\\d.,\\s-]+)\\s+(?:are|is)\\s+\\[SEQUENTIAL\\]`, then the reason, at pos.

    The task list is the maximal run of list characters after `Tasks`: the pattern's leading and
    trailing `\\s+` take a whitespace character at each end of it, and the list takes the rest.
    """
    word = _TASKS_WORD.match(text, pos)
    if word is None:
        return None
    run_start = run_end = word.end()
    while run_end < len(text) and text[run_end] in _LIST_CHARS:
        run_end += 1
    if run_end - run_start < 3 or text[run_start] not in _JS_SPACE_SET or text[run_end - 1] not in _JS_SPACE_SET:
        return None
    verb = _VERB.match(text, run_end)
    if verb is None:
        return None
    reason = _REASON.match(text, verb.end())
    if reason is None:
        return None
    return js_trim(text[run_start + 1 : run_end - 1]), js_trim(reason.group(1)), reason.end()


def _expand(item: str, reason: str, offset: int, end: int) -> ReadGroup | None:
    """`expandTaskRange`: a comma list, a same-phase `A.B-A.C` range, or one two-part ID."""
    if "," in item:
        ids = tuple(part for part in (js_trim(p) for p in item.split(",")) if part)
        return ReadGroup(item, ids, None, reason, offset, end) if ids else None
    match = _RANGE.fullmatch(item)
    if match:
        start_phase, start_task, end_phase, end_task = match.groups()
        first, last = int(start_task), int(end_task)
        if start_phase == end_phase and first <= last:
            return ReadGroup(item, (), (int(start_phase), first, last), reason, offset, end)
        return ReadGroup(item, (f"{start_phase}.{start_task}", f"{end_phase}.{end_task}"), None, reason, offset, end)
    if _SINGLE.fullmatch(item):
        return ReadGroup(item, (item,), None, reason, offset, end)
    return None
