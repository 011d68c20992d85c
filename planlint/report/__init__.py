"""Reports: diagnostics and fix results as text, JSON, SARIF, GitHub, GitLab and JUnit, the
`fix` report (`fixes`), the baseline that hides recorded findings, and the exit codes.

Output formats are chosen by name; one module per format, each only lays results out.
Reporters receive results sorted by path, with diagnostics sorted by position, and write one
report to a stream. The CLI builds its `--format` choice from REPORTERS' names and imports a
reporter's module only when that format is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from planlint.api import FileResult


class Reporter(Protocol):
    def write(self, results: Sequence[FileResult], out: TextIO) -> None: ...


# The exit codes (DESIGN.md §5): nothing at the fail-on severity; findings at it (or, for
# `fix --check`, something to fix); an error that stopped planlint reading or writing a file.
EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2

# name -> "module:Class"; a reporter's module is imported only when its format is asked for
REPORTERS: dict[str, str] = {
    "text": "text:TextReporter",
    "json": "json:JsonReporter",
    "sarif": "sarif:SarifReporter",
    "github": "github:GithubReporter",
    "gitlab": "gitlab:GitlabReporter",
    "junit": "junit:JunitReporter",
}


def reporter_class(name: str) -> type[Reporter]:
    module, _, cls = REPORTERS[name].partition(":")
    found: type[Reporter] = getattr(import_module(f"{__name__}.{module}"), cls)
    return found


# Formats that are one document for a machine: `--statistics` leaves them whole (DESIGN.md §5).
DOCUMENT_FORMATS = frozenset({"sarif", "gitlab", "junit"})
