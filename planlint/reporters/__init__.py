"""Output formats, chosen by name; one module per format, each only lays results out.

Reporters receive results sorted by path, with diagnostics sorted by position, and write one
report to a stream. Modules here import nothing heavy at import time: the CLI builds its
`--format` choice from REPORTERS.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TextIO

from planlint.reporters.github import GithubReporter
from planlint.reporters.gitlab import GitlabReporter
from planlint.reporters.json import JsonReporter
from planlint.reporters.junit import JunitReporter
from planlint.reporters.sarif import SarifReporter
from planlint.reporters.text import TextReporter

if TYPE_CHECKING:
    from planlint.api import FileResult


class Reporter(Protocol):
    def write(self, results: Sequence[FileResult], out: TextIO) -> None: ...


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
    "gitlab": GitlabReporter,
    "junit": JunitReporter,
}

# Formats that are one document for a machine: `--statistics` leaves them whole (DESIGN.md §5).
DOCUMENT_FORMATS = frozenset({"sarif", "gitlab", "junit"})
