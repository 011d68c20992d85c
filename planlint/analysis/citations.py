"""Which code a plan says lives where, and which names it brings into being (PL302-PL304).

A *citation* is a symbol reference, bound to the path reference that the text says it lives in:
"`_build_prompt()` at `scripts/plan_orchestrator.py:601-638`", "Update `get_next_tasks()` in
`scripts/app.py`", "`scripts/app.py` `_build_prompt()`", "File: `app.py` - `run()` function",
"`load()` and `save()` in `store.py`". The words between the two decide (`in`, `at`, `inside`,
`within`, `defined in`, a parenthesis, nothing, a colon or dash after the path); a symbol that a
verb calls or uses ("call `S` in `P`", "replace it with `S`") is not said to be defined there.

A reference is *introduced* when the verb that governs it brings it into being: "Add `retry()`",
"Implement `send()` method", "a new `helper()`", "Rename `a()` to `b()`". Whether a task writes or
creates a file is `planlint.analysis.access`'s to say (PL301 and the conflict model ask it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from planlint.analysis.access import clause_words, verb_base
from planlint.analysis.access_words import INTRODUCING_VERBS, RENAMING_VERBS
from planlint.analysis.files import FileIndex, resolve
from planlint.analysis.references import PlanReferences, Reference, RefKind
from planlint.model import Span, Task
from planlint.parse.python import PYTHON_SUFFIXES, symbol_name

_SKIP = frozenset(
    """, ( and or a an the its their function functions method methods class classes helper helpers
    file files module modules script scripts private public async static empty""".split()
)
_USING = frozenset("call use invoke import replace wrap pass mock patch with via through using".split())
_GAP_NOISE = re.compile(r"[`*]")  # code and emphasis marks around the references
_SYMBOL_THEN_PATH = re.compile(
    r"[ \t]*(?:(?:function|method|class|helper|constant|variable|attribute|property)[ \t]+)?"
    r"(?:(?:(?:is[ \t]+)?(?:defined|declared|located)[ \t]+)?(?:in|at|inside|within)[ \t]+"
    r"(?:the[ \t]+)?(?:file[ \t]+|module[ \t]+)?|\([ \t]*(?:(?:in|at|see)[ \t]+)?)",
    re.IGNORECASE,
)
_PATH_THEN_SYMBOL = re.compile(r"[ \t]*(?:['’]s|::|[-–—:>]|\()?[ \t]*")
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*(?:(?:and|or)[ \t]+)?|(?:and|or|&)[ \t]+|/)[ \t]*")
_MAYBE_SYMBOL = re.compile(r"`[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\([^()`]*\))?`")
_NUMBERS_END = re.compile(r":(\d+(?:-\d+)?)$")
_NUMBERS_AFTER = re.compile(r":(\d+(?:-\d+)?)")


class Citation(NamedTuple):
    """A symbol reference of a task, with the path reference it is said to live in (if any)."""

    task: Task
    symbol: Reference
    name: str  # `_build_prompt()` -> `_build_prompt`
    path: Reference | None
    introduced: bool  # the task brings the name into being ("Add `retry()`")


def citations(references: PlanReferences) -> tuple[Citation, ...]:
    """Every symbol reference of the plan, in document order (the rule `Context` keeps them for
    the check: `ctx.citations`)."""
    plan = references.plan
    items = []
    text_path, text = None, ""
    for task in plan.tasks():
        if task.span.path is not text_path:  # a GSD folder's plans come from several files
            text_path, text = task.span.path, plan.text_of(task.span.path)
        for block in task.blocks:
            if block.kind != "text" or not _MAYBE_SYMBOL.search(text, block.span.start, block.span.end):
                continue  # only backticked text shaped like a name can hold a symbol
            found = references.of(block)
            for number, reference in enumerate(found):
                if reference.kind is RefKind.SYMBOL:
                    path = _bound_path(text, found, number)
                    if path is not None and _used(text, reference):  # read back only when it matters
                        path = None
                    introduced = introduces(text, reference.span.start, block.span.start)
                    items.append(Citation(task, reference, symbol_name(reference.text), path, introduced))
    return tuple(items)


def introduced_names(found: Iterable[Citation]) -> frozenset[str]:
    """Names some task of the plan adds: they need not exist yet."""
    return frozenset(c.name for c in found if c.introduced)


def introduces(text: str, position: int, floor: int = 0) -> bool:
    """The reference at position is the object of a verb that brings it into being ("Add
    `retry()`", "a new `helper()`", "Rename `a()` to `b()`"); "Add retries to `fetch()`" is not."""
    words = clause_words(text, position, floor)
    for index in range(len(words) - 1, -1, -1):
        word = words[index].lower()
        if word.startswith("`") or word in _SKIP:
            continue
        if verb_base(word, INTRODUCING_VERBS):
            return True
        if word in ("to", "into", "as"):
            return any(verb_base(w, RENAMING_VERBS) for w in words[:index])
        return False
    return False


def python_file(reference: Reference, files: FileIndex) -> str | None:
    """The existing Python file a path reference names, as a repository path."""
    resolved = resolve(reference, files)
    if resolved is None or not resolved.exists or resolved.kind is not RefKind.FILE:
        return None
    return resolved.key if resolved.key.endswith(PYTHON_SUFFIXES) else None


def line_numbers(text: str, reference: Reference) -> Span | None:
    """The span of `601-638` in `path:601-638` (what PL303 rewrites)."""
    if reference.lines is None:
        return None
    span = reference.span
    match = _NUMBERS_END.search(text, span.start, span.end)
    if match is None:
        match = _NUMBERS_AFTER.match(text, span.end)
    return Span(span.path, match.start(1), match.end(1)) if match else None


def extent(text: str, reference: Reference) -> Span:
    """A path reference with its line suffix, when it has one."""
    numbers = line_numbers(text, reference)
    end = max(reference.span.end, numbers.end) if numbers else reference.span.end
    return Span(reference.span.path, reference.span.start, end)


def _bound_path(text: str, references: Sequence[Reference], number: int) -> Reference | None:
    """The file a symbol is said to be in: a path after it (`S in P`), else one before (`P S`)."""
    for step, pattern in ((1, _SYMBOL_THEN_PATH), (-1, _PATH_THEN_SYMBOL)):
        here = number
        while 0 <= here + step < len(references):
            other = references[here + step]
            left, right = (references[here], other) if step == 1 else (other, references[here])
            gap = _GAP_NOISE.sub("", text[extent(text, left).end : right.span.start])
            if other.kind is RefKind.SYMBOL and _LIST_GAP.fullmatch(gap):
                here += step  # `S1, S2 and S3 in P`
                continue
            if other.kind is RefKind.FILE and pattern.fullmatch(gap):
                return other
            break
    return None


def _used(text: str, reference: Reference) -> bool:
    word = _direct_word(text, reference.span.start, 0)
    return word is not None and verb_base(word, _USING) is not None


def _direct_word(text: str, position: int, floor: int) -> str | None:
    words = clause_words(text, position, floor)
    for word in reversed(words):
        lowered = word.lower()
        if not (lowered.startswith("`") or lowered in ("the", "a", "an", ",", "(")):
            return lowered
    return None
