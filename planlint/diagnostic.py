"""Diagnostics: immutable findings that sort by position. Lines and columns are derived."""

from __future__ import annotations

import enum

from planlint.fix import Fix
from planlint.model import Span
from planlint.value import NamedTuple


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
