"""SARIF 2.1.0, built as plain dicts (an object-model package is not worth a dependency).

One run: the rules that fired, with help text and a link to their docs page; one result per
diagnostic with its location, the related locations (the other tasks of a conflict, each edge
of a cycle), its fix as a SARIF fix, and a partial fingerprint that survives edits above the
finding (see planlint.report.baseline). Files planlint could not read are tool notifications.
Columns count code points, and say so (`columnKind`). Tests validate the output against the
vendored OASIS schema.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from planlint.report.baseline import finding_key, fingerprints
from planlint.version import __version__

if TYPE_CHECKING:
    from planlint.api import FileResult
    from planlint.diagnostic import Fix
    from planlint.errors import PlanlintError
    from planlint.model import Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
PROJECT_URI = "https://github.com/planlint/planlint"
HELP_URI = PROJECT_URI + "/blob/main/docs/rules/{code}.md"
FINGERPRINT = "planlintFinding/v1"
SRCROOT = "%SRCROOT%"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


class SarifReporter:
    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        json.dump(sarif_log(results), out, indent=2, ensure_ascii=False)
        out.write("\n")


def sarif_log(results: Sequence[FileResult]) -> dict[str, Any]:
    found = [(result, d) for result in results for d in result.diagnostics]
    names = {d.code: d.name for _, d in found}
    codes = sorted(names)
    index = {code: i for i, code in enumerate(codes)}
    keys = [finding_key(d, d.span.path.as_posix()) for _, d in found]
    sarif_results = []
    for (result, diagnostic), fingerprint in zip(found, fingerprints(keys), strict=True):
        item: dict[str, Any] = {
            "ruleId": diagnostic.code,
            "ruleIndex": index[diagnostic.code],
            "level": LEVEL[diagnostic.severity.label],
            "message": {"text": diagnostic.message},
            "locations": [_location(result, diagnostic.span)],
            "partialFingerprints": {FINGERPRINT: fingerprint},
            "properties": {"dialect": result.dialect},
        }
        if diagnostic.related:
            item["relatedLocations"] = [
                {"id": n, **_location(result, related.span), "message": {"text": related.message}}
                for n, related in enumerate(diagnostic.related, 1)
            ]
        if diagnostic.fix is not None:
            item["fixes"] = [_fix(result, diagnostic.fix)]
        sarif_results.append(item)
    errors = [r.error for r in results if r.error is not None]
    run = {
        "tool": {
            "driver": {
                "name": "planlint",
                "version": __version__,
                "informationUri": PROJECT_URI,
                "rules": [_rule(code, names[code]) for code in codes],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [_notification(error) for error in errors],
            }
        ],
        "results": sarif_results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(code: str, name: str) -> dict[str, Any]:
    from planlint.catalogue import CATALOGUE
    from planlint.rules import load  # rule modules load only for codes that fired

    rule: dict[str, Any] = {"id": code, "name": name or code}
    if code not in CATALOGUE:
        return rule
    cls = load(code)
    summary, rationale = cls.summary(), cls.rationale()
    uri = HELP_URI.format(code=code)
    rule.update(
        {
            "name": cls.name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": rationale or summary},
            "help": {
                "text": f"{summary}\n\n{rationale}".strip(),
                "markdown": "\n\n".join(
                    part for part in (f"**{summary}**", rationale, f"[{code} documentation]({uri})") if part
                ),
            },
            "helpUri": uri,
            "defaultConfiguration": {"level": LEVEL[cls.severity.label]},
        }
    )
    return rule


def _artifact(path: Path) -> dict[str, str]:
    """A URI relative to the folder planlint ran in (%SRCROOT%) when the path lies under it."""
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": SRCROOT}


def _region(result: FileResult, span: Span) -> dict[str, int]:
    line, column, end_line, end_column = result.locate(span)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _location(result: FileResult, span: Span) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": _artifact(span.path), "region": _region(result, span)}}


def _fix(result: FileResult, fix: Fix) -> dict[str, Any]:
    """Edits grouped by file; an insertion is a zero-length deletedRegion."""
    changes: dict[Path, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        changes.setdefault(edit.span.path, []).append(
            {"deletedRegion": _region(result, edit.span), "insertedContent": {"text": edit.new_text}}
        )
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {"artifactLocation": _artifact(path), "replacements": replacements}
            for path, replacements in changes.items()
        ],
        "properties": {"applicability": fix.applicability.value},
    }


def _notification(error: PlanlintError) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    if error.path is not None:
        location: dict[str, Any] = {"artifactLocation": _artifact(error.path)}
        if error.line is not None:
            location["region"] = {"startLine": error.line}
        notification["locations"] = [{"physicalLocation": location}]
    return notification
