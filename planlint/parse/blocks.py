"""Markdown text -> a tree of block nodes. The only module that touches markdown-it tokens.

planlint reads block structure only (headings, paragraphs, lists, fences, blockquotes) and takes
inline content as raw text, so the inline parse is switched off and the flat token stream is
nested into a light tree of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

LISTS = frozenset({"bullet_list", "ordered_list"})
CODE = frozenset({"fence", "code_block"})
CONTAINERS = frozenset({"blockquote"})


class BlockNode:
    """A block of the token stream with its children: the little of markdown-it's
    SyntaxTreeNode that the parser needs, at a fraction of its cost.

    `map` is markdown-it's 0-based, end-exclusive line range; take line numbers only from it
    (markdown-it normalises CRLF, so its offsets are not the file's).
    """

    __slots__ = ("children", "content", "info", "map", "tag", "type")

    def __init__(self, token: Token) -> None:
        self.type = token.type[:-5] if token.nesting == 1 else token.type  # "paragraph_open" -> "paragraph"
        self.tag = token.tag
        self.map = token.map
        self.info = token.info
        self.content = token.content
        self.children: list[BlockNode] = []

    @property
    def inline_text(self) -> str:
        """The inline content of a heading or paragraph, stripped."""
        inline = self.children[0] if self.children else None
        return (inline.content if inline is not None else "").strip()


# A line whose first character after container marks (`>`, list markers, indentation) is `<`:
# only such a line can open an HTML block. A run of `=` or `-` alone on a line (after `>` and
# indentation): only such a line can underline a setext heading.
HTML_START = re.compile(r"^[ \t>*+\-0-9.)]*<", re.MULTILINE)
UNDERLINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)
# Rules that only fire on text the checks above and in `_lean` find; about 10% of the parse.
# `normalize` (a core rule) only rewrites `\r` and NUL, which a lean text holds neither of.
RARE_RULES = ("reference", "html_block", "lheading", "normalize")


def parse_blocks(text: str) -> list[BlockNode]:
    """The top-level blocks of a Markdown text (CommonMark)."""
    return _tree(_markdown(_lean(text)).parse(text))


def _lean(text: str) -> bool:
    """Whether `text` has nothing the rare rules could match, so they can be skipped unchanged.

    Conservative: a link reference definition needs `]:`; an HTML block a line starting `<`
    (HTML_START); a setext heading an UNDERLINE right after a non-blank line. A `\r` (which
    markdown-it would turn into a line break first) or a NUL (which it would replace) sends the
    text to the full parser, so the lean one can also skip that normalisation. When a rule cannot
    match, skipping it changes nothing: each returns False without side effects, except
    lheading's `parentType`, which every reader (the silent list rule) sees set by its caller
    first.
    """
    if "\r" in text or "\x00" in text or "]:" in text or ("<" in text and HTML_START.search(text)):
        return False
    for match in UNDERLINE.finditer(text):
        start = match.start()
        if start and text[text.rfind("\n", 0, start - 1) + 1 : start - 1].strip():
            return False
    return True


@lru_cache(maxsize=2)
def _markdown(lean: bool) -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only block structure matters: skip the inline parse (about half of markdown-it's time).
    md = MarkdownIt("commonmark").disable(["inline", "text_join"])
    return md.disable(list(RARE_RULES)) if lean else md


def _tree(tokens: list[Token]) -> list[BlockNode]:
    """Nest the flat token stream: each *_open token opens a node its *_close token closes."""
    root: list[BlockNode] = []
    stack: list[list[BlockNode]] = [root]
    for token in tokens:
        if token.nesting == -1:
            stack.pop()
            continue
        node = BlockNode(token)
        stack[-1].append(node)
        if token.nesting == 1:
            stack.append(node.children)
    return root
