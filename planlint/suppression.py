"""Suppression comments (markdownlint and pymarkdown style), applied by the engine, never by rules.

`<!-- planlint-disable PL101 -->` ... `<!-- planlint-enable PL101 -->` switch codes off for a
region; `<!-- planlint-disable-next-line PL101 -->` and `<!-- planlint-disable-line PL101 -->`
for one line; `<!-- planlint-disable-file PL101 -->` (markdownlint's `disable-file`) for the
whole file it is in, wherever it stands: the only way to reach a finding in a GSD plan's front
matter, where no comment can go. No codes means every code. Codes may be prefixes (`PL1`). An
`enable` closes the region its codes opened; a bare `enable` closes them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from planlint.diagnostic import Diagnostic
from planlint.model import Comment, Plan
from planlint.text import SourceText

_DIRECTIVE = re.compile(
    r"^planlint-(?P<verb>disable-next-line|disable-line|disable-file|disable|enable)\b(?P<codes>[\sA-Za-z0-9,]*)$"
)
_ALL = ""


class Suppressions(NamedTuple):
    regions: tuple[tuple[str, int, int], ...]  # (code prefix, first line, last line)

    @classmethod
    def from_comments(cls, comments: Sequence[Comment], line_count: int) -> Suppressions:
        regions: list[tuple[str, int, int]] = []
        open_regions: dict[str, int] = {}
        for comment in comments:
            match = _DIRECTIVE.match(comment.text)
            if match is None:
                continue
            listed = match.group("codes").strip().upper()
            codes = re.split(r"[\s,]+", listed) if listed else [_ALL]
            verb = match.group("verb")
            for code in codes:
                if verb == "disable-next-line":
                    regions.append((code, comment.end_line + 1, comment.end_line + 1))
                elif verb == "disable-line":
                    regions.append((code, comment.line, comment.end_line))
                elif verb == "disable-file":
                    regions.append((code, 1, line_count))
                elif verb == "disable":
                    open_regions.setdefault(code, comment.line)
                elif code == _ALL:
                    regions.extend((c, start, comment.line) for c, start in open_regions.items())
                    open_regions.clear()
                elif code in open_regions:
                    regions.append((code, open_regions.pop(code), comment.line))
        regions.extend((code, start, line_count) for code, start in open_regions.items())
        return cls(tuple(regions))

    def suppresses(self, code: str, line: int) -> bool:
        return any(code.startswith(prefix) and start <= line <= end for prefix, start, end in self.regions)


class PlanSuppressions:
    """The suppression comments of every file a plan was read from: its own, or each plan file
    of a GSD folder, whose findings point into the file they concern."""

    def __init__(self, plan: Plan) -> None:
        self.sources: dict[Path, SourceText] = {source.path: source for source in plan.sources}
        self.sources[plan.path] = plan.source
        by_path: dict[Path, list[Comment]] = {}
        for comment in plan.comments:
            by_path.setdefault(comment.path or plan.path, []).append(comment)
        self.regions = {
            path: Suppressions.from_comments(comments, self.sources[path].line_count)
            for path, comments in by_path.items()
            if path in self.sources
        }

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        path = diagnostic.span.path
        regions = self.regions.get(path)
        if regions is None:
            return False
        line, _ = self.sources[path].position(diagnostic.span.start)
        return regions.suppresses(diagnostic.code, line)
