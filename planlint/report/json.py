"""The JSON list of DESIGN.md §5: its keys are a contract other tools read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from planlint.api import FileResult
    from planlint.diagnostic import Diagnostic


class JsonReporter:
    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        items = [as_dict(result, d) for result in results for d in result.diagnostics]
        items.sort(key=lambda item: (item["path"], item["line"], item["column"], item["code"]))
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")


def as_dict(result: FileResult, diagnostic: Diagnostic) -> dict[str, Any]:
    line, column, end_line, end_column = result.locate(diagnostic.span)
    fix = None
    if diagnostic.fix is not None:
        edits = []
        for edit in diagnostic.fix.edits:
            start_line, start_column, stop_line, stop_column = result.locate(edit.span)
            elsewhere = edit.span.path != diagnostic.span.path  # a GSD fix edits a sibling plan
            edits.append(
                {**({"path": edit.span.path.as_posix()} if elsewhere else {}),
                 "line": start_line, "column": start_column, "end_line": stop_line,
                 "end_column": stop_column, "content": edit.new_text}
            )  # fmt: skip
        fix = {"applicability": diagnostic.fix.applicability.value, "edits": edits}
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
        "path": diagnostic.span.path.as_posix(),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "fix": fix,
        **({"dialect": result.dialect} if result.dialect != "phased" else {}),  # absent: phased
    }
