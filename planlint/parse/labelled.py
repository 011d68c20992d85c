"""Labelled paragraphs -> model nodes: `**Execution Note:**`, `**VERIFY Phase N:**` blocks and
VERIFY checkpoint items, read with the grammar in `planlint.parse.grammar`.

Pure functions of the text and a span, so the plan builder only decides where they apply.
"""

from __future__ import annotations

import re

from planlint.model import ExecutionNote, Marker, NoteItem, Span, VerifyBlock
from planlint.parse import grammar
from planlint.text import SourceText

_LAZY_VERIFY = re.compile(r"[\r\n][ \t]*(?P<label>\*\*VERIFY\b)")


def execution_note(raw: str, span: Span, line: int, phase: int | None) -> ExecutionNote | None:
    """The Execution Note a paragraph holds, None when it does not start with the note's label."""
    prefix = grammar.NOTE_PREFIX.match(raw)
    if prefix is None:
        return None
    base = span.start + prefix.end()
    found = grammar.parse_note(raw[prefix.end() :])
    groups = tuple(
        tuple(NoteItem(item.first, item.last, Span(span.path, base + item.start, base + item.end)) for item in group)
        for group in found.groups
    )
    return ExecutionNote(
        span=span,
        line=line,
        text=" ".join(raw.split()),
        marker=Marker(found.marker) if found.marker else None,
        marker_span=Span(span.path, base + found.marker_start, base + found.marker_end) if found.marker else None,
        scope=found.scope,
        groups=groups,
        reason=found.reason,
        phase=phase,
        prose_parallel=found.prose_parallel,
    )


def verify_block(match: re.Match[str], raw: str, span: Span, line: int) -> VerifyBlock:
    """A `VERIFY Phase N:` paragraph matched by `grammar.VERIFY_HEAD`."""
    number = match.group("phase")
    return VerifyBlock(
        phase=int(number) if number else None,
        span=span,
        line=line,
        non_blocking=bool(grammar.NON_BLOCKING.search(raw.split("\n", 1)[0])),
        bold=bool(match.group("bold")),
    )


def checkpoint_block(raw: str, span: Span, line: int) -> VerifyBlock | None:
    """A list item such as `- [ ] **VERIFY Phase 2** (non-blocking)`, a checkpoint rather than a task."""
    match = grammar.VERIFY_CHECKPOINT.match(raw)
    if match is None:
        return None
    number = match.group("phase")
    return VerifyBlock(
        phase=int(number) if number else None,
        span=span,
        line=line,
        non_blocking=bool(grammar.NON_BLOCKING.search(raw)),
        checkpoint=True,
    )


def without_lazy_verify(text: str, span: Span) -> Span:
    """A paragraph without a `**VERIFY Phase N:**` line glued to its end.

    A VERIFY label written right under a list item (no blank line) is a lazy continuation of that
    item's paragraph to markdown-it; to a reader (and to the orchestrator) it opens the phase's
    VERIFY block.
    """
    if text.find("**VERIFY", span.start, span.end) < 0:
        return span  # most paragraphs: a literal find, cheaper than the pattern's scan
    match = _LAZY_VERIFY.search(text, span.start, span.end)
    if match is None:
        return span
    end = match.start()
    while end > span.start and text[end - 1] in " \t\r\n":
        end -= 1
    return Span(span.path, span.start, end)


def lazy_verify_block(source: SourceText, start: int, end: int) -> VerifyBlock | None:
    """The VERIFY block glued to a paragraph, in the text between start and end that
    `without_lazy_verify` cut off."""
    found = _LAZY_VERIFY.search(source.text, start, end)
    if found is None:
        return None
    raw = source.text[found.start("label") : end]
    match = grammar.VERIFY_HEAD.match(raw)
    if match is None:
        return None
    line, _ = source.position(found.start("label"))
    return verify_block(match, raw, Span(source.path, found.start("label"), end), line)
