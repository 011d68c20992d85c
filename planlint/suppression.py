"""Suppression comments (markdownlint and pymarkdown style), applied by the engine, never by rules.

`<!-- planlint-disable PL101 -->` ... `<!-- planlint-enable PL101 -->` switch codes off for a
region; `<!-- planlint-disable-next-line PL101 -->` and `<!-- planlint-disable-line PL101 -->`
for one line. No codes means every code. Codes may be prefixes (`PL1`). An `enable` closes
the region its codes opened; a bare `enable` closes them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from planlint.model import Comment

_DIRECTIVE = re.compile(
    r"^planlint-(?P<verb>disable-next-line|disable-line|disable|enable)\b(?P<codes>[\sA-Za-z0-9,]*)$"
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
