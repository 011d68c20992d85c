"""GitHub Actions workflow commands: one `::error file=…,line=…::message` line per diagnostic.

GitHub turns these lines into annotations on the pull request. `--format auto` picks this
format when GITHUB_ACTIONS is set. Escaping follows GitHub's runner (toolkit `command.ts`):
`%`, CR and LF in the message; those and `:` and `,` in property values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from planlint.api import FileResult

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        for result in results:
            for diagnostic in result.diagnostics:
                line, column, end_line, end_column = result.locate(diagnostic.span)
                properties = {
                    "file": diagnostic.span.path.as_posix(),
                    "line": line,
                    "col": column,
                    "endLine": end_line,
                    "endColumn": end_column,
                    "title": diagnostic.code,
                }
                props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
                command = _COMMAND.get(diagnostic.severity.label, "warning")
                out.write(f"::{command} {props}::{escape_data(diagnostic.message)}\n")
