"""Diagnostics: immutable findings that sort by position, and the fixes they carry.

Lines and columns are derived. A fix is text edits on the original text (STYLE.md "The shape
of a fix"): values every rule builds, applied by `planlint.fix`."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple

from planlint.text import Span


class Applicability(enum.Enum):
    SAFE = "safe"  # applied by `planlint fix`
    UNSAFE = "unsafe"  # only with `--unsafe-fixes`


class Edit(NamedTuple):
    """Replace span with new_text; start == end inserts. new_text uses "\\n" line endings."""

    span: Span
    new_text: str


class Fix(NamedTuple):
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    rewrites_references: bool = False  # the fix means to change a file reference (PL303's new path)
    newline: str | None = None  # the line ending the file has after the fix (a line-ending conversion)


def apply_edits(text: str, edits: Sequence[Edit], newline: str = "\n") -> str:
    """Apply non-overlapping edits from the end of the text backwards.

    Inserted text is written with the file's own newline, so CRLF files stay CRLF.
    """
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        new_text = edit.new_text.replace("\n", newline) if newline != "\n" else edit.new_text
        text = text[: edit.span.start] + new_text + text[edit.span.end :]
    return text


def overlaps(a: Edit, b: Edit) -> bool:
    """Two edits of one file touch the same text (two inserts at one point count as touching)."""
    if a.span.path != b.span.path:
        return False
    if a.span.start == a.span.end == b.span.start == b.span.end:
        return True
    return a.span.start < b.span.end and b.span.start < a.span.end


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """`error`, `warning`/`warn`, `info`, or a catalogue letter E/W/I."""
        key = text.strip().lower()
        aliases = {"e": "error", "w": "warning", "warn": "warning", "i": "info"}
        return cls[aliases.get(key, key).upper()]


class Related(NamedTuple):
    """Another place that explains a finding (the other task of a conflict)."""

    span: Span
    message: str


class Diagnostic(NamedTuple):
    code: str
    message: str
    span: Span
    severity: Severity
    name: str = ""
    fix: Fix | None = None
    related: tuple[Related, ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, str, int]:
        return (self.span.path.as_posix(), self.span.start, self.code, self.span.end)
