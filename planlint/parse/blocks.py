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
    (markdown-it normalises CRLF, so its offsets are not the file's). `content` is a leaf's text
    (a fence's code) or a heading's or paragraph's inline text, which markdown-it keeps in an
    `inline` token of its own: the tree folds that token into its block rather than adding a node.
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
        return self.content.strip()


# A line whose first character after container marks (`>`, list markers, indentation) is `<`:
# only such a line can open an HTML block. A run of `=` or `-` alone on a line (after `>` and
# indentation): only such a line can underline a setext heading. Both start with the line break
# before the line and run on the text with a `\n` put in front, where a match starts at its line's
# offset in the text: a search then skips from one `\n` to the next, where `^` with re.MULTILINE
# would try every offset (three times the time).
HTML_START = re.compile(r"\n[ \t>*+\-0-9.)]*<")
UNDERLINE = re.compile(r"\n[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)
# Rules that only fire on text the checks above and in `_lean` find; about 10% of the parse.
# `normalize` (a core rule) only rewrites `\r` and NUL, which a lean text holds neither of.
RARE_RULES = ("reference", "html_block", "lheading", "normalize")


def parse_blocks(text: str) -> list[BlockNode]:
    """The top-level blocks of a Markdown text (CommonMark)."""
    return _tree(_markdown(_lean(text), *_code_rules(text)).parse(text))


def _code_rules(text: str) -> tuple[bool, bool]:
    """Whether markdown-it's `fence` and `code` (indented code) rules can match in `text`; the
    two are tried first at every block start, so skipping them where they cannot match saves a
    tenth of the parse. A fence opens with three backticks or tildes in a row. An indented code
    block needs the line's indentation, after any `>` and list markers, four columns past its
    container's: a run of four spaces or a tab (markdown-it counts no other character as
    indentation). Where the text has neither, the rule returns False, with no side effect, on
    every line, also as a terminator of paragraphs and lists; markdown-it's normalisation of `\r`
    and NUL creates neither.
    """
    return "```" in text or "~~~" in text, "    " in text or "\t" in text


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
    if "\r" in text or "\x00" in text or "]:" in text:
        return False
    lines = "\n" + text
    if "<" in text and HTML_START.search(lines):
        return False
    for match in UNDERLINE.finditer(lines):
        start = match.start()
        if start and text[text.rfind("\n", 0, start - 1) + 1 : start - 1].strip():
            return False
    return True


@lru_cache(maxsize=8)
def _markdown(lean: bool, fences: bool = True, indented: bool = True) -> MarkdownIt:
    """A CommonMark parser without the rules that cannot match (`_lean`, `_code_rules`)."""
    from markdown_it import MarkdownIt

    # Only block structure matters: skip the inline parse (about half of markdown-it's time).
    md = MarkdownIt("commonmark").disable(["inline", "text_join"])
    skipped = [*(RARE_RULES if lean else ()), *(() if fences else ("fence",)), *(() if indented else ("code",))]
    return md.disable(skipped) if skipped else md


def _tree(tokens: list[Token]) -> list[BlockNode]:
    """Nest the flat token stream: each *_open token opens a node its *_close token closes; an
    `inline` token gives its text to the heading or paragraph it follows."""
    root: list[BlockNode] = []
    stack: list[list[BlockNode]] = [root]
    node: BlockNode | None = None
    for token in tokens:
        nesting = token.nesting
        if nesting == -1:
            stack.pop()
            continue
        if nesting == 0 and node is not None and token.type == "inline":
            node.content = token.content  # right after its paragraph_open or heading_open
            continue
        node = BlockNode(token)
        stack[-1].append(node)
        if nesting == 1:
            stack.append(node.children)
    return root
