"""Where the blocks of `planlint.parse.blocks` lie in the source text, as offsets and Spans.

markdown-it gives each block only its lines (and normalises line endings), so a block's offsets
come from the source's own line table: it starts after the indentation, `>` and list marker of
its first line and ends with the text of its last non-blank line. The plan builders ask this for
every paragraph and list item, so it reads the table directly rather than through SourceText.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from planlint.text import SourceText, Span

if TYPE_CHECKING:
    from planlint.parse.blocks import BlockNode

# Indentation, blockquote markers and a list marker before a line's content.
_LINE_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))?[ \t]*")
_BLOCK_PREFIX = re.compile(r"[ \t>]*")
_INDENT = frozenset(" \t>")


class BlockPositions:
    """Offsets and Spans of one source's blocks; the plan builders' base."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.path = source.path
        self.text = source.text
        self.line_starts = source.line_starts
        self.line_ends = source.line_ends
        self.item_line, self.item_start = -1, 0  # the list item line content_start read last

    def span(self, start: int, end: int) -> Span:
        return Span(self.path, start, end)

    def content_start(self, line0: int, *, list_item: bool) -> int:
        """Offset where a block's text starts on 0-based line `line0` (after markers)."""
        if list_item and line0 == self.item_line:  # an item's head: read for its task, then its text
            return self.item_start
        if line0 >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line0]
        if not list_item:
            if self.text[start : start + 1] not in _INDENT:
                return start  # most top-level paragraphs: no indentation to skip
            return _BLOCK_PREFIX.match(self.text, start, self.line_ends[line0]).end()  # type: ignore[union-attr]
        self.item_line = line0
        self.item_start = _LINE_PREFIX.match(self.text, start, self.line_ends[line0]).end()  # type: ignore[union-attr]
        return self.item_start

    def block_end(self, node: BlockNode) -> int:
        """Offset just past a block's last line of text (before its line break)."""
        first, last = node.map or (0, 0)
        text, starts, ends = self.text, self.line_starts, self.line_ends
        count = len(starts)
        while last - 1 > first:  # list items' maps include trailing blank lines
            if last <= count and text[starts[last - 1] : ends[last - 1]].strip():
                break
            last -= 1
        index = last - 1 if last > 1 else 0
        return ends[index] if index < count else len(text)

    def block_span(self, node: BlockNode, *, list_item: bool = False) -> Span:
        first = node.map[0] if node.map else 0
        return Span(self.path, self.content_start(first, list_item=list_item), self.block_end(node))
