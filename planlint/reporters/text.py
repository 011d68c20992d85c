"""`path:line:col: CODE message`, one line per diagnostic; ` [*]` marks a fixable one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from planlint.api import FileResult


class TextReporter:
    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        for result in results:
            for diagnostic in result.diagnostics:
                line, column, _, _ = result.locate(diagnostic.span)
                mark = " [*]" if diagnostic.fix is not None else ""
                out.write(f"{diagnostic.span.path}:{line}:{column}: {diagnostic.code} {diagnostic.message}{mark}\n")

