"""Whether a task writes or only reads a file it names (DESIGN.md §2, "Access mode").

The governing verb is the nearest verb *in imperative position* to the left of the reference in
its clause: the clause's first word, or a word after `to`, `and`, `then`, `or` or a comma. A
verb-looking word elsewhere is a noun (`Remove duplicate summary check in x`: "check" is a
noun, "Remove" governs). Prepositions can decide first: `from x`, `based on x`, `callers of x`
read x. Explicit hints win: `(reads: x)`, `(writes: x)`, and `Files:` / `New:` lines. When
nothing governs, a nested bullet inherits its task's first verb, and anything still unknown is a
write (the safe default for conflict detection).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from functools import lru_cache

from planlint import patterns
from planlint.value import NamedTuple

WRITE_VERBS = frozenset(
    """create add update modify edit delete remove rename move refactor fix implement write append
    document change replace extend insert patch rewrite migrate convert wire integrate register
    introduce define build generate scaffold initialize initialise set configure adjust rework
    restructure split merge extract consolidate deprecate drop clean cleanup enhance improve
    support handle apply port upgrade bump record store save log emit persist populate
    reorganize reorganise standardize standardise normalize normalise simplify harden expose
    mark replace annotate comment enable disable""".split()
)
READ_VERBS = frozenset(
    """read review check verify grep test analyze analyse compare see inspect audit examine study
    consult use call invoke import run execute load parse scan search validate
    understand investigate identify list query inventory explore trace confirm ensure measure
    benchmark profile count lint mirror follow reuse copy map catalog catalogue""".split()
)
CREATE_VERBS = frozenset("create scaffold initialize initialise new touch mkdir".split())
OUTPUT_VERBS = frozenset("generate produce output emit".split())
MENTION_VERBS = frozenset("reference link mention cite".split())  # "to reference `x`": x is only named
DOC_VERBS = frozenset("document describe explain".split())  # write only into documentation
_DOC_EXTENSIONS = (".md", ".mdx", ".rst", ".txt", ".adoc", ".html")
_MENTION_WORDS = frozenset({"match", "matches", "matching"})  # "Match `src/`, `tests/` paths": examples
_EXAMPLE_MARKERS = ("e.g.", "eg.", "such as", "for example", "for instance", "i.e.")
_MENTION_PREPOSITIONS = {("link", "to"), ("links", "to"), ("point", "to"), ("points", "to"), ("refer", "to"),
                         ("refers", "to"), ("reference", "to"), ("references", "to"), ("pointer", "to")}  # fmt: skip
_RESULT_WORDS = frozenset({"failure", "failures", "fails", "failing", "errors", "logs", "output"})
_READ_PREPOSITIONS = frozenset({"with", "via", "than", "like", "per"})
_READ_CONTEXT = frozenset({"following", "mirroring", "matching"})
_TARGET_PREPOSITIONS = frozenset({"to", "into", "onto", "in", "inside", "within", "under", "at"})
_FROM_WRITES = frozenset("remove delete drop strip extract move cut erase purge eliminate prune split migrate".split())
_TRANSFER_VERBS = frozenset("copy import port move migrate merge inline paste mirror reuse".split())
_NEGATIONS = frozenset({"not", "never", "don't", "dont", "without"})
_RELATIONAL_NOUNS = frozenset(
    """backup backups snapshot snapshots callers caller users user consumers consumer importers dependents clients
    invocations usages uses references imports exports readers output outputs contents content copy version tests test
    docs documentation examples fixtures mocks stubs calls links pointers""".split()
)
_IMPERATIVE_AFTER = frozenset(
    {"to", "and", "then", "or", "also", "first", "finally", "please", "must", "should", "not", "never", "don't"}
)
_CLAUSE_BREAK = patterns.compile(r"[.;!?](?=\s|$)|[\r\n]|:\s|—|–| - ")  # lines end in \n, \r\n or \r
_WORD = patterns.compile(r"`[^`]*`|[A-Za-z][A-Za-z'-]*|[,(]")
_HINT = patterns.compile(r"\((?P<mode>reads?|writes?|creates?)\s*:", re.IGNORECASE)
_LABEL = patterns.compile(
    r"(?:^|[\r\n])[ \t]*(?:[-*+][ \t]+)?\**"
    r"(?P<label>files|new files?|new|modifies|modified|writes|reads|read-only|creates|location|target|where"
    r"|(?:set )?(?:output )?artifacts|outputs?)\**:",
    re.IGNORECASE,
)


_WINDOW = 1000  # characters before a reference that may hold its verb, hint or label


class Mode(enum.Enum):
    READ = "read"
    WRITE = "write"
    CREATE = "create"  # a write that brings the file into being
    OUTPUT = "output"  # something the built program will produce at run time ("Generate report.md")
    MENTION = "mention"  # named, not touched: "link to x", "e.g. `src/`"

    @property
    def writes(self) -> bool:
        return self.value in _WRITING

    @property
    def touches(self) -> bool:
        """Whether the task opens the file at all (mentions and run-time outputs do not)."""
        return self.value in _TOUCHING


# plain strings: looking enum members up on the class is slow on hot paths
_WRITING = frozenset({"write", "create"})
_TOUCHING = frozenset({"read", "write", "create"})


class Vocabulary(NamedTuple):
    """The verb lists, with the config's additions (`[tool.planlint.access]`)."""

    write: frozenset[str] = WRITE_VERBS
    read: frozenset[str] = READ_VERBS

    @classmethod
    def from_config(cls, access: Iterable[tuple[str, Iterable[str]]]) -> Vocabulary:
        access = tuple(access)
        if not access:
            return DEFAULT_VOCABULARY  # one instance, so the memoised verb lookups hit by identity
        write, read = set(WRITE_VERBS), set(READ_VERBS)
        for key, verbs in access:
            words = {v.lower() for v in verbs}
            if key == "write":
                write |= words
                read -= words
            else:
                read |= words
                write -= words
        return cls(frozenset(write), frozenset(read))


DEFAULT_VOCABULARY = Vocabulary()


def governing_mode(text: str, position: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Mode | None:
    """The mode the text gives a reference starting at `position`, or None when nothing governs."""
    after = _WORD.match(text, _skip_spaces(text, _after_reference(text, position)))
    if after is not None and after.group().lower() in _RESULT_WORDS:
        return Mode.READ  # "scripts/tests/x.py failures": where a problem shows, not what changes
    # Only the text just before the reference is read: a verb further back than _WINDOW governs
    # nothing in real prose, and reading from the block's start made a line of thousands of
    # references quadratic.
    window = max(0, position - _WINDOW)
    hint = _explicit_hint(text, position, window)
    if hint is not None:
        return hint
    clause_start = window
    for match in _CLAUSE_BREAK.finditer(text, window, position):
        clause_start = match.end()
    clause = text[clause_start:position].lower()
    if any(marker in clause for marker in _EXAMPLE_MARKERS):
        return Mode.MENTION
    words = _WORD.findall(text, clause_start, position)
    mode = _scan_back(words, vocabulary)
    if mode in (Mode.WRITE, Mode.CREATE) and _governing_verb(words, vocabulary) in DOC_VERBS:
        target = re.match(r"`?([^`\s]*)", text[position:])
        if target is None or not target.group(1).lower().rstrip(".,:;)").endswith(_DOC_EXTENSIONS):
            mode = Mode.READ  # "Document the locking in `status-cli.js`": findings go elsewhere
    if mode is None and text[max(0, clause_start - 2) : clause_start].startswith(":"):
        # "Verify: `x` loads": the label before the colon is the verb
        label = list(_WORD.finditer(text, max(0, clause_start - 2 - _WINDOW), clause_start - 2))
        if label:
            mode = _verb_mode(label[-1].group(), vocabulary)
    return mode


def _after_reference(text: str, position: int) -> int:
    """Offset just past the reference that starts at position (a backticked span or a word)."""
    if text[position : position + 1] == "`":
        close = text.find("`", position + 1)
        return close + 1 if close >= 0 else len(text)
    match = re.compile(r"\S+").match(text, position)
    return match.end() if match else position


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _governing_verb(words: list[str], vocabulary: Vocabulary) -> str | None:
    for index in range(len(words) - 1, -1, -1):
        if _verb_mode(words[index], vocabulary) is not None and _imperative(words, index):
            return next(
                (b for b in _bases(words[index].lower()) if b in vocabulary.write or b in vocabulary.read), None
            )
    return None


def head_mode(text: str, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Mode | None:
    """The mode of the first imperative verb of a task's first line (for nested bullets)."""
    words = _WORD.findall(text)
    for index, word in enumerate(words):
        mode = _verb_mode(word, vocabulary)
        if mode is not None and _imperative(words, index):
            return mode
    return None


def _explicit_hint(text: str, position: int, window: int = 0) -> Mode | None:
    before = text[window:position]
    hint = None
    for match in _HINT.finditer(before):
        if ")" not in before[match.end() :]:
            hint = match
    if hint is not None:
        word = hint.group("mode").lower()
        return Mode.READ if word.startswith("read") else Mode.CREATE if word.startswith("create") else Mode.WRITE
    label = None
    for match in _LABEL.finditer(before):
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


def _scan_back(words: list[str], vocabulary: Vocabulary) -> Mode | None:
    """Walk from the reference back to the verb that governs it.

    A preposition governs only its own object: in "Move x from `a.py` to `b.py`", "from" makes
    a.py the source while b.py is the target of "to". Crossing a target preposition (to, into,
    in, ...) therefore switches off the read-prepositions further left.
    """
    crossed = False  # the reference is the object of a target preposition
    source_of = False  # the reference is the object of "from": the verb decides (remove from x)
    for index in range(len(words) - 1, -1, -1):
        word = words[index].lower()
        if word.startswith("`") or word in ",(":
            continue
        previous = words[index - 1].lower() if index else ""
        if word in _READ_CONTEXT or (word == "on" and previous == "based"):
            return Mode.READ  # "following the pattern in x", "based on x": x is a model
        if (word, previous) in (("after", "modeled"), ("after", "modelled"), ("to", "similar")):
            return Mode.READ
        if word in _MENTION_WORDS and _imperative(words, index):
            return Mode.MENTION  # "Match `src/`, `tests/` paths": examples, not files
        if (previous, word) in _MENTION_PREPOSITIONS and index > 0 and _imperative(words, index - 1):
            return Mode.MENTION  # "link to `x`" (but "add the link to `x`" writes x)
        if not crossed:
            if word == "from":
                source_of = crossed = True
                continue
            if word in _READ_PREPOSITIONS:
                return Mode.READ
            if word in ("of", "for", "to") and previous in _RELATIONAL_NOUNS:
                return Mode.READ  # "callers of x", "tests for x", "calls to x"
        if word in _TARGET_PREPOSITIONS:
            crossed = True
            continue
        if (
            word == "new"
            and index + 1 < len(words)
            and words[index + 1].lower() in ("file", "files", "module", "script")
        ):
            return Mode.CREATE
        mode = _verb_mode(word, vocabulary)
        if mode is None or not _imperative(words, index):
            continue
        if previous in _NEGATIONS:
            return Mode.READ  # "do not modify x"
        if source_of:
            return Mode.WRITE if _base_in(word, _FROM_WRITES) else Mode.READ
        if crossed and mode is Mode.READ and _base_in(word, _TRANSFER_VERBS):
            return Mode.WRITE  # "copy a to `b`", "import x into `b`": b changes
        return mode
    return Mode.READ if source_of else None


def _base_in(word: str, verbs: frozenset[str]) -> bool:
    return any(base in verbs for base in _bases(word.lower()))


def _imperative(words: list[str], index: int) -> bool:
    """A verb in command position: first in its clause, or after `to`, `and`, a comma, ..."""
    if index == 0:
        return True
    previous = words[index - 1].lower()
    return previous in _IMPERATIVE_AFTER or previous in ",("


@lru_cache(maxsize=8192)
def _verb_mode(word: str, vocabulary: Vocabulary) -> Mode | None:
    """The mode a verb gives (any inflection), memoised: plans reuse a small vocabulary."""
    word = word.lower()
    for base in _bases(word):
        if base in OUTPUT_VERBS and base not in vocabulary.read:
            return Mode.OUTPUT
        if base in MENTION_VERBS and base not in vocabulary.write:
            return Mode.MENTION
        if base in vocabulary.write:
            return Mode.CREATE if base in CREATE_VERBS else Mode.WRITE
        if base in vocabulary.read:
            return Mode.READ
    return None


def _bases(word: str) -> list[str]:
    """The word and the stems it may be an inflection of (creates, created, creating)."""
    bases = [word]
    if word.endswith("ies"):
        bases.append(word[:-3] + "y")
    if word.endswith("s"):
        bases.extend((word[:-1], word[:-2]))
    if word.endswith("ed"):
        bases.extend((word[:-1], word[:-2], word[:-3]))
    if word.endswith("ing"):
        bases.extend((word[:-3], word[:-3] + "e", word[:-4]))
    return bases
