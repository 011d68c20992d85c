"""Output formats, chosen by name; one module per format, each only lays results out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from planlint.api import FileResult
from planlint.reporters.json import JsonReporter
from planlint.reporters.text import TextReporter


class Reporter(Protocol):
    def write(self, results: Sequence[FileResult], out: TextIO) -> None: ...


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}
