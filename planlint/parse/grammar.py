"""The plan grammar of DESIGN.md §2 as small pure functions over one line or paragraph of text.

Everything here works on raw source text and returns offsets relative to the string it was
given, so the caller can turn them into Spans in the original file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# `Phase 3: Title`, `Phase 3 - Title`, `**Phase 3:** Title`; `Phase 1.2` is a decimal phase (PL011).
# A separator (or nothing, or a parenthesised note) must follow the number, as the orchestrator
# requires: `### Phase 0 Guidelines` is prose about phases, not a phase.
PHASE_HEADING = re.compile(
    r"^\W{0,3}Phase\s+(?P<number>\d+)(?P<decimal>\.\d+)?\**\s*(?:[:.\-–—]\**\s*(?P<title>.*)|(?P<bare>\(.*)?)$",
    re.IGNORECASE,
)
PHASE_SUFFIX = re.compile(r"\s*\((?P<note>[^()]*)\)\s*$")
# `### 1.2 Title` / `### 1.2: Title`: a task group inside a phase.
GROUP_HEADING = re.compile(r"^(?P<id>\d+\.\d+)[:.]?\s+(?P<title>\S.*)$")
CHECKBOX = re.compile(r"\[(?P<mark>[ xX])\](?:\s+|$)")
# Patterns used with `match(text, pos)` carry no `^`: it would only match at offset 0.
# A task head: `3.2 text`, `3.2: text`, `**3.2** text`, `**3.2:** text`.
TASK_HEAD = re.compile(
    r"(?P<bold>\*\*)?(?P<id>\d+(?:\.(?:\d+|[A-Za-z]{1,2}))+)(?P=bold)?[:.)]?(?P<boldend>\*\*)?(?=\s|$)"
)


def may_head_item(text: str, pos: int) -> bool:
    """Whether a list item's text at pos can start with a checkbox, a task ID or a VERIFY
    checkpoint: `CHECKBOX` starts with `[`, `TASK_HEAD` with a digit (`\\d`, which `str.isdigit`
    covers) or `**` and a digit, `VERIFY_CHECKPOINT` with `**VERIFY`. The plan builder passes over
    other bullets (`- **Note:** ...` among them) unmatched."""
    first = text[pos : pos + 1]
    if first == "*":
        return text[pos + 2 : pos + 3].isdigit() or text.startswith("**VERIFY", pos)
    return first == "[" or first.isdigit()


VALID_ID = re.compile(r"\d+(?:\.\d+){1,2}")
VERIFY_CHECKPOINT = re.compile(r"\*\*VERIFY(?:\s+Phase)?\s*(?P<phase>\d+)?\s*:?\*\*")
VERIFY_HEAD = re.compile(
    r"^(?P<bold>\*\*)?VERIFY(?:\s+Phase)?\s*(?P<phase>\d+)?\s*(?:\((?P<inner>[^)]*)\))?\s*:?\s*(?P=bold)?",
)
NON_BLOCKING = re.compile(r"\(\s*non-blocking\s*\)", re.IGNORECASE)
# A match never starts just after `*` or `(`: one starting a character earlier would match too,
# so the leftmost match is the same, and a long run of `*` costs one scan, not one per position.
PIPELINE_START = re.compile(
    r"(?:\(\**|(?<![*(])\**)pipeline-start:?\**:?\s*when\s+(?P<id>\d+\.\d+(?:\.\d+)?)\s+completes?\)?",
    re.IGNORECASE,
)
NOTE_PREFIX = re.compile(r"\*\*Execution Notes?:?\*\*:?[ \t]*", re.IGNORECASE)

_MARKER = re.compile(r"\[(?P<marker>SEQUENTIAL|PARALLEL)\]", re.IGNORECASE)
_SCOPE = re.compile(r"\b(?P<scope>Tasks?|Phases?)\b", re.IGNORECASE)
_RANGE_DASH = r"\s*(?:-|–|—|\bto\b|\bthrough\b|\.\.)\s*"
_TASK_ITEM = re.compile(rf"(?P<first>\d+(?:\.[0-9A-Za-z]+)+)(?:{_RANGE_DASH}(?P<last>\d+(?:\.[0-9A-Za-z]+)+))?")
_PHASE_ITEM = re.compile(rf"(?P<first>\d+)(?:{_RANGE_DASH}(?P<last>\d+))?(?![.\d])")
_LEADING_IDS = re.compile(r"\s*\d+\.\d")
_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b|\+)?\s*", re.IGNORECASE)
_REASON_LEAD = re.compile(r"^\s*(?:[-–—:]+\s*)?")
_PROSE_PARALLEL = re.compile(r"\bparallel(?:i[sz]able)?\b|\bconcurrent(?:ly)?\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|cannot|can't|mustn't|shouldn't|no)\b(?:\W+\w+){0,3}\W*$", re.IGNORECASE)

# Dependencies, in their three spellings (DESIGN.md §2).
_DEPENDS_PAREN = re.compile(r"\(\s*depends(?:\s+on)?\s*:?\s*(?P<list>[^()]*)\)", re.IGNORECASE)
_DEPENDS_LINE = re.compile(
    r"(?:^|[\r\n])[ \t]*(?:[-*+][ \t]+)?\**Depends\s+on:?\**:?[ \t]*(?P<list>[^\r\n]*)", re.IGNORECASE
)
_ID_IN_LIST = re.compile(r"(?<![\d.])\d+\.\d+(?:\.\d+)?(?![\d.]*\d)")


class ItemMatch(NamedTuple):
    first: str
    last: str | None
    start: int
    end: int


class NoteMatch(NamedTuple):
    """What an Execution Note's text says; offsets are relative to the text given."""

    marker: str | None
    marker_start: int
    marker_end: int
    scope: str | None
    groups: tuple[tuple[ItemMatch, ...], ...]
    reason: str
    prose_parallel: bool


def parse_note(text: str) -> NoteMatch:
    """Parse the text after `**Execution Note:**` (offsets relative to `text`)."""
    marker = _MARKER.search(text)
    subject_end = marker.start() if marker else len(text)
    scope = _SCOPE.search(text, 0, subject_end)
    if scope is None and marker is not None:
        scope = _SCOPE.search(text, marker.end())
    items: list[ItemMatch] = []
    scope_name: str | None = None
    if scope is not None:
        scope_name = "phases" if scope.group("scope").lower().startswith("phase") else "tasks"
        items = _read_items(text, scope.end(), scope_name)
    elif _LEADING_IDS.match(text):  # `**Execution Note:** 2.2-2.3 are [SEQUENTIAL]`
        scope_name = "tasks"
        items = _read_items(text, 0, scope_name)
    if marker is not None:
        reason = _REASON_LEAD.sub("", text[marker.end() :], count=1)
    else:
        reason = text[items[-1].end :] if items else text
    reason = " ".join(reason.split()).strip("() ")
    return NoteMatch(
        marker=marker.group("marker").upper() if marker else None,
        marker_start=marker.start() if marker else -1,
        marker_end=marker.end() if marker else -1,
        scope=scope_name,
        groups=_split_groups(items),
        reason=reason,
        prose_parallel=marker is None and _says_parallel(text),
    )


def _says_parallel(text: str) -> bool:
    """ "can run in parallel" yes; "must not run in parallel" no."""
    return any(not _NEGATION.search(text, 0, match.start()) for match in _PROSE_PARALLEL.finditer(text))


def _read_items(text: str, pos: int, scope: str) -> list[ItemMatch]:
    """Read `3.1-3.4, 3.6 and 3.8` from pos until the list ends."""
    pattern = _TASK_ITEM if scope == "tasks" else _PHASE_ITEM
    items: list[ItemMatch] = []
    while True:
        separator = _SEPARATOR.match(text, pos)
        match = pattern.match(text, separator.end() if separator else pos)
        if match is None:
            return items
        items.append(ItemMatch(match.group("first"), match.group("last"), match.start(), match.end()))
        pos = match.end()


def _split_groups(items: list[ItemMatch]) -> tuple[tuple[ItemMatch, ...], ...]:
    """Adjacent ranges start new groups (`2.1-2.3 and 2.5-2.6`); single IDs join their group."""
    groups: list[list[ItemMatch]] = []
    for item in items:
        if groups and not (item.last is not None and groups[-1][-1].last is not None):
            groups[-1].append(item)
        else:
            groups.append([item])
    return tuple(tuple(g) for g in groups)


def find_dependencies(text: str, *, task_line: bool = False) -> list[tuple[str, int, int]]:
    """Task IDs a task's text depends on, as (id, start, end) offsets into text.

    `(depends: 1.1)` quoted as code is an example, not a dependency, except on the task's own
    line (`task_line`: text starts with it), where the orchestrator reads it all the same.
    """
    found: list[tuple[str, int, int]] = []
    if "depend" not in text.lower():
        return found  # both spellings say "depends", in any case (no other letter folds to these)
    # offsets before this lie on the task line, where a quoted dependency still counts
    quoted_counts_before = _line_end(text) if task_line else 0
    for pattern in (_DEPENDS_PAREN, _DEPENDS_LINE):
        for match in pattern.finditer(text):
            if match.start("list") >= quoted_counts_before and _in_code_span(text, match.start("list")):
                continue
            base = match.start("list")
            for dep in _ID_IN_LIST.finditer(match.group("list")):
                found.append((dep.group(), base + dep.start(), base + dep.end()))
    found.sort(key=lambda item: item[1])
    return found


def _line_end(text: str) -> int:
    ends = [i for i in (text.find("\n"), text.find("\r")) if i >= 0]
    return min(ends) if ends else len(text)


def _in_code_span(text: str, offset: int) -> bool:
    """True when an odd number of backticks precede offset on its line (inside inline code)."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return text.count("`", line_start, offset) % 2 == 1


def html_comments(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `<!-- ... -->` in text, in order.

    A scan with str.find rather than the regex `<!--.*?-->`: on text with many `<!--` and no
    `-->` that regex tries every opening against the rest of the text (quadratic); here an
    opening without a close ends the search.
    """
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            return
        yield start, close + 3
        position = close + 3


def strip_comments(text: str) -> str:
    """The text without its HTML comments."""
    if "<!--" not in text:
        return text
    pieces, position = [], 0
    for start, end in html_comments(text):
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
