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

import enum
import re
from collections.abc import Container, Iterable
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
    mark replace annotate comment enable disable backfill sync seed refresh regenerate rebuild toggle
    sort prune rotate archive purge reformat format""".split()
)
READ_VERBS = frozenset(
    """read review check verify grep test analyze analyse compare see inspect audit examine study
    consult use call invoke import run execute parse scan search validate
    understand investigate identify list query inventory explore trace confirm ensure measure
    benchmark profile count lint mirror follow reuse copy map catalog catalogue""".split()
)
CREATE_VERBS = frozenset("create scaffold initialize initialise new touch mkdir".split())
# Verbs that only a program does: their object is opened when the built code runs, not by the task.
RUNTIME_VERBS = frozenset("load reload fetch poll watch deserialize deserialise unmarshal subscribe".split())
# What a task builds that then acts on files itself: "a tool to update `x`", "a hook that writes `x`".
_PROGRAM_NOUNS = frozenset(
    """tool script command subcommand cli utility helper function method hook job cron daemon service
    worker migration generator watcher handler endpoint route middleware action linter validator loader dag macro
    parser reader writer wrapper module class component plugin workflow pipeline program binary step stage
    check installer""".split()
)
_NOUN_PHRASE = 6  # words between a build verb and its program noun: "Create a settings upgrade tool"
_RELATIVE_LINKS = frozenset({"to", "that", "which"})  # "a tool to update x", "a hook that updates x"
_MODALS = frozenset({"will", "can", "should", "would", "must", "may"})
_CLAUSE_LINKS = _RELATIVE_LINKS | _MODALS
_LOCATIONS = frozenset({"in", "inside", "within", "under"})  # where code goes: "a helper in `y.py`"
# After "to" or "that", words that start no verb phrase: "a tool to the `x`", "a hook that the ...".
_NOT_VERBS = frozenset(
    "the a an this that these those each every all any its their our your his her it them which".split()
)
_CODE_EXTENSIONS = (
    ".py",
    ".pyi",
    ".js",
    ".mjs",
    ".cjs",
    ".jsx",
    ".ts",
    ".tsx",
    ".rs",
    ".go",
    ".rb",
    ".java",
    ".kt",
    ".swift",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".hpp",
    ".cs",
    ".php",
    ".sh",
    ".bash",
    ".zsh",
    ".ps1",
    ".lua",
    ".ex",
    ".exs",
    ".scala",
    ".sql",
    ".tf",
    ".vue",
    ".svelte",
)
# What a verb does to whether the file exists (PL301): these bring new content into being, so the
# file they write need not exist yet; these take it away; these put it somewhere else ("Move `a`
# to `b`": b is created).
INTRODUCING_VERBS = frozenset("add create implement introduce define write generate scaffold build new declare".split())
PRODUCING_VERBS = INTRODUCING_VERBS | frozenset(
    "document design draft record produce output save export store log emit persist initialize touch mkdir".split()
)
DELETING_VERBS = frozenset("delete remove drop rm rmdir deprecate archive".split())
RENAMING_VERBS = frozenset("rename move extract split convert refactor migrate port copy mv cp".split())
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
# "tools installed by `x`": the file does the installing; the task changes something else.
_DONE_BY = frozenset(
    """installed created generated written produced stored used called imported loaded read owned managed
    provided exported defined declared emitted returned""".split()
)
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
_OTHER_VERBS = (
    RUNTIME_VERBS | OUTPUT_VERBS | MENTION_VERBS | CREATE_VERBS | PRODUCING_VERBS | DELETING_VERBS | RENAMING_VERBS
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
    RUNTIME = "runtime"  # opened by the built code when it runs: "a tool to update x", "Load x"
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
    clause_start = _clause_start(text, window, position)
    clause = text[clause_start:position].lower()
    if any(marker in clause for marker in _EXAMPLE_MARKERS) or _quoted(clause):
        return Mode.MENTION  # an example, or words a program will print: 'a "run `x`" hint'
    found = list(_WORD.finditer(text, clause_start, position))
    words = [match.group() for match in found]
    target = re.match(r"`?([^`\s]*)", text[position:])
    name = target.group(1).lower().rstrip(".,:;)") if target else ""
    mode = _scan_back(words, vocabulary, name.endswith(_CODE_EXTENSIONS), _PathPieces(text, found))
    if (
        mode in (Mode.WRITE, Mode.CREATE)
        and _governing_verb(words, vocabulary) in DOC_VERBS
        and not name.endswith(_DOC_EXTENSIONS)
    ):
        mode = Mode.READ  # "Document the locking in `status-cli.js`": findings go elsewhere
    if mode is None and text[max(0, clause_start - 2) : clause_start].startswith(":"):
        # "Verify: `x` loads": the label before the colon is the verb
        label = list(_WORD.finditer(text, max(0, clause_start - 2 - _WINDOW), clause_start - 2))
        if label:
            mode = _verb_mode(label[-1].group(), vocabulary)
    return mode


def governing_verb(text: str, position: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> str | None:
    """The base form of the verb in command position nearest before the reference in its clause
    ("Update the parser in `x.py`" -> "update"), or "create" for the target of a move or copy
    ("Move `a.py` to `b.py`"); None when the reference has no verb of its own (a mention, or a path
    under a `Files:` label). Reads the clause as `governing_mode` does, with the same vocabulary:
    a verb the config lists counts."""
    start = _clause_start(text, max(0, position - _WINDOW), position)
    words = _WORD.findall(text, start, position)
    for index in range(len(words) - 1, -1, -1):
        base = _verb_base(words[index], vocabulary)
        if base is not None and _imperative(words, index):
            if base in RENAMING_VERBS and any(w.lower() in ("to", "into", "as") for w in words[index + 1 :]):
                return "create"
            return base
    return None


def clause_words(text: str, position: int, floor: int = 0) -> list[str]:
    """The words of the reference's clause before it (from `floor` at most), split as every
    reading of this module splits them: code spans whole, clause breaks outside code spans."""
    start = _clause_start(text, max(floor, position - _WINDOW), position)
    return _WORD.findall(text, start, position)


def verb_base(word: str, verbs: frozenset[str]) -> str | None:
    """The base form of word (or of the verb it inflects: adds, added, creating) in verbs."""
    return next((base for base in _bases(word.lower()) if base in verbs), None)


def produces(verb: str) -> bool:
    """A verb that writes new content, so the file it writes need not exist yet."""
    return verb in PRODUCING_VERBS


def deletes(verb: str) -> bool:
    return verb in DELETING_VERBS


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
    for match in _CLAUSE_BREAK.finditer(text, window, position):
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

    def __init__(self, text: str, found: list[re.Match[str]]) -> None:
        self.text, self.found = text, found

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int) or not 0 <= index < len(self.found):
            return False
        match, text = self.found[index], self.text
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 2]
        return before in ("/", ".") or after[:1] == "/" or (after[:1] == "." and after[1:2].isalnum())


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


def _scan_back(words: list[str], vocabulary: Vocabulary, code_file: bool = False,
               pieces: Container[int] = ()) -> Mode | None:  # fmt: skip
    """Walk from the reference back to the verb that governs it.

    A preposition governs only its own object: in "Move x from `a.py` to `b.py`", "from" makes
    a.py the source while b.py is the target of "to". Crossing a target preposition (to, into,
    in, ...) therefore switches off the read-prepositions further left.

    A verb that says what a program will do when it runs ("a tool to update", "Load") makes the
    reference a run-time target when it is that verb's own object: not a code file it is put
    "in", not the object of a preposition past another file ("Add a macro that reads `a.csv` to
    `b.sql`"), not a reference inside a phrase with a verb of its own ("drafts stored by `x`").
    `code_file`: the reference is source code; `pieces`: indices of words of bare paths.
    """
    crossed = False  # the reference is the object of a target preposition
    location = False  # ... of one that can say where code goes ("in `y.py`")
    attached = True  # no other file reference between that preposition and the verb
    inner_verb = False  # a participle was passed ("stored by `x`")
    source_of = False  # the reference is the object of "from": the verb decides (remove from x)
    for index in range(len(words) - 1, -1, -1):
        word = words[index].lower()
        if word.startswith("`"):
            attached = attached and not (crossed and not source_of)  # "from" stays with its verb
            continue
        if word in ",(":
            continue
        previous = words[index - 1].lower() if index else ""
        if word in _READ_CONTEXT or (word == "on" and previous == "based"):
            return Mode.READ  # "following the pattern in x", "based on x": x is a model
        if (word, previous) in (("after", "modeled"), ("after", "modelled"), ("to", "similar")):
            return Mode.READ
        if word == "by" and not crossed and previous in _DONE_BY:
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
            location = location or (not crossed and word in _LOCATIONS)
            crossed = True
            continue
        if (
            word == "new"
            and index + 1 < len(words)
            and words[index + 1].lower() in ("file", "files", "module", "script")
        ):
            return Mode.CREATE
        mode = _verb_mode(word, vocabulary)
        if mode is Mode.RUNTIME or (previous in _CLAUSE_LINKS and _program_clause(words, index, vocabulary, pieces)):
            placed = location and code_file  # "Load the registry in `y.py`": the code goes in y.py
            if attached and not inner_verb and not placed:
                return Mode.RUNTIME
            if mode is Mode.RUNTIME and placed and _imperative(words, index):
                return Mode.WRITE
            continue  # the verb further back decides
        if mode is None:
            continue
        if not _imperative(words, index):
            inner_verb = inner_verb or word.endswith(("ed", "ing"))  # "drafts stored by `x`"
            continue
        if previous in _NEGATIONS:
            return Mode.READ  # "do not modify x"
        if source_of:
            return Mode.WRITE if _base_in(word, _FROM_WRITES) else Mode.READ
        if crossed and mode is Mode.READ and _base_in(word, _TRANSFER_VERBS):
            return Mode.WRITE  # "copy a to `b`", "import x into `b`": b changes
        return mode
    return Mode.READ if source_of else None


def _program_clause(words: list[str], index: int, vocabulary: Vocabulary, pieces: Container[int]) -> bool:
    """Whether the word at index is a verb saying what a program the task builds or changes will
    do: `<build verb> a tool to update`, `... a hook that (will) update`, `... a helper in `y.py`
    to update` (the verb itself may be one planlint does not know: "a command to backfill")."""
    at = index - 1
    if at >= 0 and words[at].lower() in _MODALS:
        at -= 1
    if at < 1 or words[at].lower() not in _RELATIVE_LINKS or words[index].lower() in _NOT_VERBS:
        return False
    if index in pieces:
        return False
    at -= 1
    if at >= 2 and words[at].startswith("`") and words[at - 1].lower() in _TARGET_PREPOSITIONS:
        at -= 2  # "a helper in `y.py` to update x"
    elif at >= 1 and words[at].startswith("`") and _base_in(words[at - 1], _PROGRAM_NOUNS):
        at -= 1  # "the CI workflow `train.yml` to run x"
    if at in pieces or not _base_in(words[at], _PROGRAM_NOUNS):
        return False
    for verb in range(at - 1, max(-1, at - 1 - _NOUN_PHRASE), -1):
        mode = _verb_mode(words[verb], vocabulary)
        if mode is not None and _imperative(words, verb):
            return mode.writes  # built or changed by the task ("Use the tool to update x" runs it)
    return at <= _NOUN_PHRASE  # a task that names its deliverable: "Evaluation script that writes x"


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
        if base in RUNTIME_VERBS and base not in vocabulary.write and base not in vocabulary.read:
            return Mode.RUNTIME  # unless the config lists it: RUNTIME_VERBS and READ_VERBS share none
        if base in vocabulary.write:
            return Mode.CREATE if base in CREATE_VERBS else Mode.WRITE
        if base in vocabulary.read:
            return Mode.READ
    return None


@lru_cache(maxsize=8192)
def _verb_base(word: str, vocabulary: Vocabulary) -> str | None:
    """The base form of a verb any reading knows (the vocabulary's, run-time, output, mention, and
    the verbs that create, delete or move files), memoised like `_verb_mode`."""
    for base in _bases(word.lower()):
        if base in vocabulary.write or base in vocabulary.read or base in _OTHER_VERBS:
            return base
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
