"""Reading a reference's clause backwards, word by word, to what governs it (`scan_back`)."""

from __future__ import annotations

from collections.abc import Container

from planlint.analysis.access_words import (
    CLAUSE_LINKS,
    DONE_BY,
    FROM_WRITES,
    LOCATIONS,
    MENTION_PREPOSITIONS,
    MENTION_WORDS,
    MODALS,
    NEGATIONS,
    NOT_VERBS,
    NOUN_PHRASE,
    PROGRAM_NOUNS,
    READ_CONTEXT,
    READ_PREPOSITIONS,
    RELATIONAL_NOUNS,
    RELATIVE_LINKS,
    TARGET_PREPOSITIONS,
    TRANSFER_VERBS,
)
from planlint.analysis.verbs import Mode, Vocabulary, base_in, imperative, verb_mode


def scan_back(words: list[str], vocabulary: Vocabulary, code_file: bool = False,
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
        if word not in _DECIDING_WORDS and previous not in CLAUSE_LINKS and verb_mode(word, vocabulary) is None:
            continue  # a noun ("the parser in"): only a verb, a preposition or a phrase decides
        if not crossed and word == "from":  # no phrase that `_phrase_mode` knows ends in "from"
            source_of = crossed = True
            continue
        phrase = _phrase_mode(words, index, word, previous, crossed)
        if phrase is not None:
            return phrase
        if word in TARGET_PREPOSITIONS:
            location = location or (not crossed and word in LOCATIONS)
            crossed = True
            continue
        if (
            word == "new"
            and index + 1 < len(words)
            and words[index + 1].lower() in ("file", "files", "module", "script")
        ):
            return Mode.CREATE
        mode = verb_mode(word, vocabulary)
        if mode is Mode.RUNTIME or (previous in CLAUSE_LINKS and program_clause(words, index, vocabulary, pieces)):
            placed = location and code_file  # "Load the registry in `y.py`": the code goes in y.py
            if attached and not inner_verb and not placed:
                return Mode.RUNTIME
            if mode is Mode.RUNTIME and placed and imperative(words, index):
                return Mode.WRITE
            continue  # the verb further back decides
        if mode is None:
            continue
        if not imperative(words, index):
            inner_verb = inner_verb or word.endswith(("ed", "ing"))  # "drafts stored by `x`"
            continue
        return _command_mode(word, mode, previous, source_of, crossed)
    return Mode.READ if source_of else None


# Every word that `scan_back` or `_phrase_mode` acts on that is not a verb.
_DECIDING_WORDS = (
    READ_CONTEXT
    | MENTION_WORDS
    | READ_PREPOSITIONS
    | TARGET_PREPOSITIONS
    | {second for _, second in MENTION_PREPOSITIONS}
    | {"on", "after", "to", "by", "of", "for", "from", "new"}
)


def _command_mode(word: str, mode: Mode, previous: str, source_of: bool, crossed: bool) -> Mode:
    """The mode a verb in command position gives the reference it governs: `source_of`, the
    reference is the object of "from"; `crossed`, of a target preposition."""
    if previous in NEGATIONS:
        return Mode.READ  # "do not modify x"
    if source_of:
        return Mode.WRITE if base_in(word, FROM_WRITES) else Mode.READ
    if crossed and mode is Mode.READ and base_in(word, TRANSFER_VERBS):
        return Mode.WRITE  # "copy a to `b`", "import x into `b`": b changes
    return mode


def _phrase_mode(words: list[str], index: int, word: str, previous: str, crossed: bool) -> Mode | None:
    """The mode a phrase ending in `word` gives the reference after it by itself: a model to
    follow or a thing acted on ("based on x", "callers of x") reads it, an example or a pointer
    ("match `src/`", "link to x") only mentions it. `crossed`: a target preposition lies between."""
    if word in READ_CONTEXT or (word == "on" and previous == "based"):
        return Mode.READ  # "following the pattern in x", "based on x": x is a model
    if (word, previous) in (("after", "modeled"), ("after", "modelled"), ("to", "similar")):
        return Mode.READ
    if word == "by" and not crossed and previous in DONE_BY:
        return Mode.READ
    if word in MENTION_WORDS and imperative(words, index):
        return Mode.MENTION  # "Match `src/`, `tests/` paths": examples, not files
    if (previous, word) in MENTION_PREPOSITIONS and index > 0 and imperative(words, index - 1):
        return Mode.MENTION  # "link to `x`" (but "add the link to `x`" writes x)
    if not crossed and word in READ_PREPOSITIONS:
        return Mode.READ
    if not crossed and word in ("of", "for", "to") and previous in RELATIONAL_NOUNS:
        return Mode.READ  # "callers of x", "tests for x", "calls to x"
    return None


def program_clause(words: list[str], index: int, vocabulary: Vocabulary, pieces: Container[int]) -> bool:
    """Whether the word at index is a verb saying what a program the task builds or changes will
    do: `<build verb> a tool to update`, `... a hook that (will) update`, `... a helper in `y.py`
    to update` (the verb itself may be one planlint does not know: "a command to backfill")."""
    at = index - 1
    if at >= 0 and words[at].lower() in MODALS:
        at -= 1
    if at < 1 or words[at].lower() not in RELATIVE_LINKS or words[index].lower() in NOT_VERBS:
        return False
    if index in pieces:
        return False
    at -= 1
    if at >= 2 and words[at].startswith("`") and words[at - 1].lower() in TARGET_PREPOSITIONS:
        at -= 2  # "a helper in `y.py` to update x"
    elif at >= 1 and words[at].startswith("`") and base_in(words[at - 1], PROGRAM_NOUNS):
        at -= 1  # "the CI workflow `train.yml` to run x"
    if at in pieces or not base_in(words[at], PROGRAM_NOUNS):
        return False
    for verb in range(at - 1, max(-1, at - 1 - NOUN_PHRASE), -1):
        mode = verb_mode(words[verb], vocabulary)
        if mode is not None and imperative(words, verb):
            return mode.writes  # built or changed by the task ("Use the tool to update x" runs it)
    return at <= NOUN_PHRASE  # a task that names its deliverable: "Evaluation script that writes x"
