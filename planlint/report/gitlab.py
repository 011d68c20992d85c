"""GitLab Code Quality JSON: the subset of the Code Climate issue format that GitLab reads.

Each issue has `description`, `check_name`, `fingerprint` (unique per issue, stable across line
edits: see planlint.report.baseline), `severity` and `location.path` + `location.lines.begin`
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from planlint.report.baseline import finding_key, fingerprints

if TYPE_CHECKING:
    from planlint.api import FileResult

# GitLab's scale is info, minor, major, critical, blocker; planlint has three levels.
SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


class GitlabReporter:
    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        found = [(result, d) for result in results for d in result.diagnostics]
        paths = [_relative(d.span.path) for _, d in found]
        keys = [finding_key(d, path) for (_, d), path in zip(found, paths, strict=True)]
        issues: list[dict[str, Any]] = []
        for (result, diagnostic), path, fingerprint in zip(found, paths, fingerprints(keys), strict=True):
            line = result.locate(diagnostic.span)[0]
            issues.append(
                {
                    "description": f"{diagnostic.code} {diagnostic.message}",
                    "check_name": diagnostic.code,
                    "fingerprint": fingerprint,
                    "severity": SEVERITY.get(diagnostic.severity.label, "minor"),
                    "location": {"path": path, "lines": {"begin": line}},
                }
            )
        json.dump(issues, out, indent=2, ensure_ascii=False)
        out.write("\n")


def _relative(path: Path) -> str:
    """GitLab wants paths relative to the repository, which is where CI runs planlint."""
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            path = path.relative_to(Path.cwd())
    return path.as_posix()
