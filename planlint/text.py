"""SourceText: the decoded text of one file, its newline style, and offset <-> line/column;
Span: a range of that text, which every plan node and diagnostic carries.

Offsets index the decoded text (BOM removed). Lines and columns count from 1; columns count
code points. markdown-it normalises line endings, so planlint keeps its own table of line starts
and only ever takes *line numbers* from token maps (NOTE: never offsets).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple


class Span(NamedTuple):
    """A file and a half-open [start, end) range of character offsets into its decoded text."""

    path: Path
    start: int
    end: int


# The same line breaks markdown-it recognises (str.splitlines also splits on \x0b, \x1c, ...).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_table(text: str) -> tuple[list[int], list[int]]:
    """Each line's start, and each line break's offset, for any of the three newlines."""
    starts, ends = [0], []
    for match in LINE_BREAK.finditer(text):
        ends.append(match.start())
        starts.append(match.end())
    return starts, ends


def _lf_line_table(text: str) -> tuple[list[int], list[int]]:
    """`_line_table` of a text with no `\r`, from the lengths of its lines (a tenth of the time)."""
    ends = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=-1))[1:-1]
    return [0, *(end + 1 for end in ends)], ends


def detect_newline(text: str) -> str:
    """The file's dominant newline: CRLF, CR or LF (LF when the text has none)."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf >= lf and crlf >= cr and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def and_list(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`: how messages and views name several things."""
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]


@dataclass(frozen=True, slots=True, eq=False)
class SourceText:
    """One file's text as planlint reads it, with what a write must restore."""

    path: Path
    text: str
    bom: bool = False
    newline: str = "\n"
    line_starts: tuple[int, ...] = field(default=(), repr=False)
    line_ends: tuple[int, ...] = field(default=(), repr=False)  # before each line's break

    @classmethod
    def from_text(cls, text: str, path: Path | str = "<text>", *, bom: bool = False) -> SourceText:
        starts, ends = _line_table(text) if "\r" in text else _lf_line_table(text)
        if len(starts) > 1 and starts[-1] == len(text):
            starts.pop()  # a final newline does not open a line of its own
        else:
            ends.append(len(text))
        return cls(Path(path), text, bom, detect_newline(text), tuple(starts), tuple(ends))

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    @property
    def ends_with_newline(self) -> bool:
        return self.text.endswith(("\n", "\r"))

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of an offset, both counted from 1."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Offset of a 1-based (line, column); lines past the end clamp to the end of text."""
        if line > self.line_count:
            return len(self.text)
        return min(self.line_starts[max(line, 1) - 1] + column - 1, len(self.text))

    def line_bounds(self, line: int) -> tuple[int, int]:
        """[start, end) of a 1-based line, without its line break."""
        index = line - 1 if line > 1 else 0
        if index >= len(self.line_starts):
            return len(self.text), len(self.text)
        return self.line_starts[index], self.line_ends[index]

    def line_text(self, line: int) -> str:
        start, end = self.line_bounds(line)
        return self.text[start:end]

    def lines_end(self, last_line: int) -> int:
        """Offset just past the text of `last_line` (before its line break)."""
        return self.line_bounds(last_line)[1]
