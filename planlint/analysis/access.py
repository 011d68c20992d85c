"""Whether a task writes or only reads a file it names (DESIGN.md §2, "Access mode").

The one reader of access: the conflict model (PL101, emit, next), PL301 and the citations of
PL302-PL304 all ask this module, with the config's `[tool.planlint.access]` lists (`Vocabulary`),
for a reference's mode, its governing verb and the words of its clause.

The governing verb is the nearest verb *in imperative position* to the left of the reference in
its clause: the clause's first word, or a word after `to`, `and`, `then`, `or` or a comma. A
verb-looking word elsewhere is a noun (`Remove duplicate summary check in x`: "check" is a
noun, "Remove" governs). Prepositions can decide first: `from x`, `based on x`, `callers of x`
read x. Explicit hints win: `(reads: x)`, `(writes: x)`, and `Files:` / `New:` lines. When
nothing governs, a nested bullet inherits its task's first verb, and anything still unknown is a
write (the safe default for conflict detection).

What the code a task builds will do when it runs is not what the task does: "Create a migration
tool to update `x`", "Add a hook that regenerates `x`" and "Load registry from `x`" leave x as it
is while the task runs (Mode.RUNTIME), though the file the code goes in ("a helper in `y.py`",
"Load the registry in `y.py`") is written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from planlint.analysis.access_clause import scan_back
from planlint.analysis.access_words import (
    CLAUSE_BREAK,
    CODE_EXTENSIONS,
    DOC_EXTENSIONS,
    DOC_VERBS,
    EXAMPLE_MARKERS,
    HINT,
    LABEL,
    RENAMING_VERBS,
    RESULT_WORDS,
    WINDOW,
    WORD,
)
from planlint.analysis.verbs import (
    DEFAULT_VOCABULARY,
    Mode,
    Vocabulary,
    bases,
    deletes,
    imperative,
    known_verb,
    produces,
    verb_base,
    verb_mode,
)

__all__ = [
    "DEFAULT_VOCABULARY", "Mode", "Vocabulary", "clause_words", "deletes", "governing_mode", "governing_verb",
    "head_mode", "produces", "verb_base",
]  # fmt: skip


def governing_mode(text: str, position: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Mode | None:
    """The mode the text gives a reference starting at `position`, or None when nothing governs."""
    past = _skip_spaces(text, _after_reference(text, position))
    after = WORD.match(text, past)
    if after is not None and after.group().lower() in RESULT_WORDS:
        return Mode.READ  # "scripts/tests/x.py failures": where a problem shows, not what changes
    if _NEW_NOTE.match(text, past):
        return Mode.CREATE  # "File: `x/` (new directory structure)": the file does not exist yet
    # Only the text just before the reference is read: a verb further back than WINDOW governs
    # nothing in real prose, and reading from the block's start made a line of thousands of
    # references quadratic.
    window = _window_start(text, position)
    hint = _explicit_hint(text, position, window)
    if hint is not None:
        return hint
    clause_start, found = _clause(text, position)
    clause = text[clause_start:position].lower()
    if _example(clause) or _quoted(clause):
        return Mode.MENTION  # an example, or words a program will print: 'a "run `x`" hint'
    words = [match.group() for match in found]
    target = _TARGET.match(text, position)
    name = target.group(1).lower().rstrip(".,:;)") if target else ""
    mode = scan_back(words, vocabulary, name.endswith(CODE_EXTENSIONS), _PathPieces(text, found))
    if (
        mode in (Mode.WRITE, Mode.CREATE)
        and not name.endswith(DOC_EXTENSIONS)
        and _governing_verb(words, vocabulary) in DOC_VERBS
    ):
        mode = Mode.READ  # "Document the locking in `status-cli.js`": findings go elsewhere
    if mode is None and text[max(0, clause_start - 2) : clause_start].startswith(":"):
        # "Verify: `x` loads": the label before the colon is the verb
        label = list(WORD.finditer(text, _window_start(text, clause_start - 2), clause_start - 2))
        if label:
            mode = verb_mode(label[-1].group(), vocabulary)
    return mode


def governing_verb(text: str, position: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> str | None:
    """The base form of the verb in command position nearest before the reference in its clause
    ("Update the parser in `x.py`" -> "update"), or "create" for the target of a move or copy
    ("Move `a.py` to `b.py`"); None when the reference has no verb of its own (a mention, or a path
    under a `Files:` label). Reads the clause as `governing_mode` does, with the same vocabulary:
    a verb the config lists counts."""
    words = [match.group() for match in _clause(text, position)[1]]
    for index in range(len(words) - 1, -1, -1):
        base = known_verb(words[index], vocabulary)
        if base is not None and imperative(words, index):
            if base in RENAMING_VERBS and any(w.lower() in ("to", "into", "as") for w in words[index + 1 :]):
                return "create"
            return base
    return None


def clause_words(text: str, position: int, floor: int = 0) -> list[str]:
    """The words of the reference's clause before it (from `floor` at most), split as every
    reading of this module splits them: code spans whole, clause breaks outside code spans."""
    start = _clause_start(text, _window_start(text, position, floor), position)
    return WORD.findall(text, start, position)


@lru_cache(maxsize=2)  # the conflict model asks governing_mode and governing_verb in turn
def _clause(text: str, position: int) -> tuple[int, tuple[re.Match[str], ...]]:
    """Where the clause of the reference at `position` starts, and its words up to the reference."""
    start = _clause_start(text, _window_start(text, position), position)
    return start, tuple(WORD.finditer(text, start, position))


def _window_start(text: str, position: int, floor: int = 0) -> int:
    """Where reading back from `position` stops: WINDOW characters back (not before `floor`),
    moved past the end of a code span that point would cut. Read from inside a span, each
    closing backtick would pair with the next opening one, and the paths in between would be
    read as words (a line of long paths would cost a word look-up per path piece, and a path
    `src/update/x.py` would hold a verb)."""
    window = max(floor, position - WINDOW)
    if window == 0 or window == floor:
        return window
    starts, ends = _code_spans(text)
    index = bisect_right(starts, window) - 1  # the last span opening at or before the window
    return min(ends[index], position) if index >= 0 and window < ends[index] else window


@lru_cache(maxsize=1)  # a pure function of an immutable text: the block whose references are read
def _code_spans(text: str) -> tuple[list[int], list[int]]:
    """The [start, end) of each code span, pairing backticks line by line as `_clause_start`
    counts them (an unpaired backtick at a line's end opens nothing)."""
    starts: list[int] = []
    ends: list[int] = []
    opening = -1
    for match in _TICK_OR_BREAK.finditer(text):
        if match.group() != "`":
            opening = -1
        elif opening < 0:
            opening = match.start()
        else:
            starts.append(opening)
            ends.append(match.end())
            opening = -1
    return starts, ends


_TICK_OR_BREAK = re.compile(r"[`\r\n]")
_WORD_AT = re.compile(r"\S+")
_TARGET = re.compile(r"`?([^`\s]*)")  # the reference's own text, matched where it starts


def _example(clause: str) -> bool:
    """Whether the clause gives examples ("e.g.", "such as"); each marker holds a `.`, "such as"
    or "for ", which most clauses lack."""
    if "." not in clause and "such as" not in clause and "for " not in clause:
        return False
    return any(marker in clause for marker in EXAMPLE_MARKERS)


def _quoted(clause: str) -> bool:
    """Whether the clause ends inside a quotation (code spans aside): 'print a "run `x`" hint'."""
    if '"' not in clause and "“" not in clause:
        return False
    outside = "".join(clause.split("`")[::2])
    return outside.count('"') % 2 == 1 or outside.count("“") > outside.count("”")


def _clause_start(text: str, window: int, position: int) -> int:
    """Where the reference's clause starts: after the last break before it that is not inside a
    code span (`f(x: str)` holds no clause break; a line break always is one)."""
    start = counted = window
    ticks = 0
    for match in CLAUSE_BREAK.finditer(text, window, position):
        ticks += text.count("`", counted, match.start())
        counted = match.start()
        if ticks % 2 == 0 or match.group() in ("\n", "\r"):
            start = match.end()
        if match.group() in ("\n", "\r"):
            ticks = 0
            counted = match.end()
    return start


class _PathPieces:
    """Which words are parts of a bare path (`scripts` in scripts/lib/x.py), asked per word: most
    references never ask."""

    __slots__ = ("found", "text")

    def __init__(self, text: str, found: Sequence[re.Match[str]]) -> None:
        self.text, self.found = text, found

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int) or not 0 <= index < len(self.found):
            return False
        match, text = self.found[index], self.text
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 2]
        return before in ("/", ".") or after[:1] == "/" or (after[:1] == "." and after[1:2].isalnum())


# `(new)`, `(new file)`, `(new directory structure)` right after a reference.
_NEW_NOTE = re.compile(r"\(new\b", re.IGNORECASE)


def _after_reference(text: str, position: int) -> int:
    """Offset just past the reference that starts at position (a backticked span or a word)."""
    if text[position : position + 1] == "`":
        close = text.find("`", position + 1)
        return close + 1 if close >= 0 else len(text)
    match = _WORD_AT.match(text, position)
    return match.end() if match else position


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _governing_verb(words: list[str], vocabulary: Vocabulary) -> str | None:
    for index in range(len(words) - 1, -1, -1):
        if verb_mode(words[index], vocabulary) is not None and imperative(words, index):
            return next((b for b in bases(words[index].lower()) if b in vocabulary.write or b in vocabulary.read), None)
    return None


def head_mode(text: str, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Mode | None:
    """The mode of the first imperative verb of a task's first line (for nested bullets)."""
    words = WORD.findall(text)
    for index, word in enumerate(words):
        mode = verb_mode(word, vocabulary)
        if mode is not None and imperative(words, index):
            return mode
    return None


def _explicit_hint(text: str, position: int, window: int = 0) -> Mode | None:
    if text.find(":", window, position) < 0:
        return None  # a hint and a label both end in a colon: most references have neither
    before = text[window:position]
    hint = None
    for match in HINT.finditer(before):
        if ")" not in before[match.end() :]:
            hint = match
    if hint is not None:
        word = hint.group("mode").lower()
        return Mode.READ if word.startswith("read") else Mode.CREATE if word.startswith("create") else Mode.WRITE
    label = None
    for match in LABEL.finditer(before):
        if "\n" not in before[match.end() :] and "\r" not in before[match.end() :]:
            label = match
    if label is not None:
        word = label.group("label").lower()
        if word.startswith("read"):
            return Mode.READ
        if word.endswith(("artifacts", "output", "outputs")):
            return Mode.OUTPUT
        return Mode.CREATE if word.startswith(("new", "create")) else Mode.WRITE
    return None
