"""Fixes are text edits on the original text (STYLE.md "The shape of a fix")."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from planlint.model import Span


class Applicability(enum.Enum):
    SAFE = "safe"  # applied by `planlint fix`
    UNSAFE = "unsafe"  # only with `--unsafe-fixes`


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace span with new_text; start == end inserts. new_text uses "\\n" line endings."""

    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
