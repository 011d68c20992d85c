"""Verbs and the access mode each gives: `Mode`, the config's `Vocabulary`, and the memoised
look-ups of a word's base form that every reading of `planlint.analysis.access` shares."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from planlint.analysis.access_words import (
    CREATE_VERBS,
    DELETING_VERBS,
    IMPERATIVE_AFTER,
    MENTION_VERBS,
    OTHER_VERBS,
    OUTPUT_VERBS,
    PRODUCING_VERBS,
    READ_VERBS,
    RUNTIME_VERBS,
    WRITE_VERBS,
)


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


def verb_base(word: str, verbs: frozenset[str]) -> str | None:
    """The base form of word (or of the verb it inflects: adds, added, creating) in verbs."""
    return next((base for base in bases(word.lower()) if base in verbs), None)


def produces(verb: str) -> bool:
    """A verb that writes new content, so the file it writes need not exist yet."""
    return verb in PRODUCING_VERBS


def deletes(verb: str) -> bool:
    return verb in DELETING_VERBS


def base_in(word: str, verbs: frozenset[str]) -> bool:
    return any(base in verbs for base in bases(word.lower()))


def imperative(words: list[str], index: int) -> bool:
    """A verb in command position: first in its clause, or after `to`, `and`, a comma, ..."""
    if index == 0:
        return True
    previous = words[index - 1].lower()
    return previous in IMPERATIVE_AFTER or previous in ",("


@lru_cache(maxsize=8192)
def verb_mode(word: str, vocabulary: Vocabulary) -> Mode | None:
    """The mode a verb gives (any inflection), memoised: plans reuse a small vocabulary."""
    word = word.lower()
    for base in bases(word):
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
def known_verb(word: str, vocabulary: Vocabulary) -> str | None:
    """The base form of a verb any reading knows (the vocabulary's, run-time, output, mention, and
    the verbs that create, delete or move files), memoised like `verb_mode`."""
    for base in bases(word.lower()):
        if base in vocabulary.write or base in vocabulary.read or base in OTHER_VERBS:
            return base
    return None


def bases(word: str) -> list[str]:
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
