"""One plan's view of the repository's Python definitions (PL301-PL304, symbol conflicts).

Built lazily: only the files a plan cites, plus, to resolve a bare symbol such as
`_build_prompt()`, the Python files under the configured `src` roots that define its name: a
search of each file's text rules most files out, and the `ast` outline of the rest decides which
libcst parses. What each file defines comes from `planlint.parse.python`, once per content: kept
in memory by SHA-256 across the plans of one process, and on disk in `.planlint_cache/`
(`planlint.analysis.symbol_cache`), so a second run parses nothing that did not change.
The rule `Context` builds one index per check, with the config's `src` roots: this module reads
no config.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING, TypeVar

from planlint.parse.python import (
    PYTHON_SUFFIXES,
    FileSymbols,
    Outline,
    ParseProblem,
    count_lines,
    extract_symbols,
    module_name,
    outline,
    outline_defines,
)

if TYPE_CHECKING:
    from planlint.analysis.files import FileIndex
    from planlint.analysis.symbol_cache import SymbolCache

_MAX_BYTES = 16 * 1024 * 1024
_MEMO_SIZE = 8192  # parsed files kept in memory by content hash, across the plans of one process
_MEMO: OrderedDict[str, FileSymbols] = OrderedDict()
_OUTLINES: OrderedDict[str, Outline] = OrderedDict()


class SymbolIndex:
    """One plan's view of the repository's Python definitions (see the module docstring)."""

    def __init__(self, root: Path, src: Sequence[str] = (".",), files: FileIndex | None = None,
                 *, cache: bool = True) -> None:  # fmt: skip
        self.root = root.resolve()
        self.src = tuple(src)
        self._files = files
        self._cache: SymbolCache | None = None
        self._use_cache = cache
        self._symbols: dict[str, FileSymbols | None] = {}
        self._lines: dict[str, int | None] = {}
        self._definers: dict[str, tuple[str, ...]] = {}
        self._candidates: dict[str, tuple[str, ...]] = {}
        self._python: list[str] | None = None
        self._digests: dict[str, str] = {}
        self.parsed = 0  # files this index parsed with libcst
        self.outlined = 0  # files this index read with `ast` to learn whether to parse them
        self.cached = 0  # files this index took from the cache (disk or memory)

    @property
    def files(self) -> FileIndex:
        if self._files is None:
            from planlint.analysis.files import file_index

            self._files = file_index(self.root)
        return self._files

    def line_count(self, path: str) -> int | None:
        """Lines of any text file under the root (libcst not involved); None when unreadable."""
        known = self._symbols.get(path)
        if known is not None:
            return known.line_count
        if path not in self._lines:
            data = self._read(path)
            self._lines[path] = None if data is None else count_lines(data)
        return self._lines[path]

    def symbols(self, path: str) -> FileSymbols | None:
        """What a Python file under the root defines; None when it cannot be read."""
        if path not in self._symbols:
            data = self._read(path)
            self._symbols[path] = None if data is None else self._load(path, data)
        return self._symbols[path]

    def python_files(self) -> list[str]:
        """The Python files under the `src` roots, as repository paths."""
        if self._python is None:
            from planlint.analysis.files import normalise

            found: set[str] = set()
            for root in self.src:
                prefix = normalise(root)
                listed = self.files.under(prefix) if prefix else self.files.files
                found.update(p for p in listed if p.endswith(PYTHON_SUFFIXES))
            self._python = sorted(found)
        return self._python

    def prefetch(self, names: Iterable[str]) -> None:
        """Find the files that define each name, reading each source file once for all names.

        Only files whose text can define a name's last part (`def x`, `class x`, `x =`, `x:`,
        `x,` ... : `could_define`) are looked at; of those, libcst parses only the files whose
        outline (`parse.python.outline`: the same definitions, read with `ast`) defines a name,
        and each of them once for all names. Outlines are kept by content like parsed files.
        """
        wanted = {n for n in names if n and n not in self._definers}
        if not wanted:
            return
        needles = {n: n.rsplit(".", 1)[-1] for n in wanted}
        definers: dict[str, list[str]] = {n: [] for n in wanted}
        candidates: dict[str, list[str]] = {n: [] for n in wanted}
        progress = _Progress(len(self.python_files()))
        for path in self.python_files():
            symbols = self._symbols.get(path)
            if symbols is None or symbols.problem is not None:
                data = self._read(path)
                hits = [n for n, needle in needles.items() if data is not None and could_define(data, needle)]
                if data is None or not hits:
                    continue
                symbols, hits = self._index(path, data, hits)
                if symbols is None:
                    continue
                progress.tick()
            else:
                hits = list(wanted)
            module = module_name(path)
            for name in hits:
                candidates[name].append(path)
                # a bare `in_progress` is a word, not a field of some model: class attributes
                # count only when the name is qualified (`Summary.in_progress`)
                if symbols.find(name, module, attributes="." in name):
                    definers[name].append(path)
        self._definers.update((n, tuple(p)) for n, p in definers.items())
        self._candidates.update((n, tuple(p)) for n, p in candidates.items())

    def _index(self, path: str, data: bytes, names: list[str]) -> tuple[FileSymbols | None, list[str]]:
        """The file's definitions and which of the names it may define: known by its content
        (memory or disk cache), else parsed once its outline shows one of the names (a file
        `ast` cannot read is parsed). (None, []) when the outline rules every name out."""
        digest = self._digest(path, data)
        symbols = self._known(digest)
        if symbols is None:
            found = self._outline(digest, data)
            if found is not None:
                module = module_name(path)
                names = [n for n in names if outline_defines(found, n, module, attributes="." in n)]
                if not names:
                    return None, names
            symbols = self._parse(digest, data)
        self._symbols[path] = symbols
        return symbols, names

    def defining(self, name: str) -> tuple[str, ...]:
        """The Python files under `src` that define name."""
        self.prefetch((name,))
        return self._definers[name]

    def resolve(self, name: str) -> str | None:
        """The one file that defines name; None when no file or several do (never a guess)."""
        found = self.defining(name)
        return found[0] if len(found) == 1 else None

    def unparsable(self, name: str) -> list[tuple[str, ParseProblem]]:
        """Files that might define name but could not be parsed."""
        self.prefetch((name,))
        found = []
        for path in self._candidates[name]:
            symbols = self._symbols.get(path)
            if symbols is not None and symbols.problem is not None:
                found.append((path, symbols.problem))
        return found

    # -- reading, parsing and the cache ------------------------------------------------------

    def _read(self, path: str) -> bytes | None:
        """The bytes of a file under the root; None when unreadable, too large, or a symlink
        that leads out of the root (git lists a link without following it)."""
        target = os.path.join(self.root, path)  # os, not pathlib: each plan reads every file under `src`
        try:
            info = os.lstat(target)
            if S_ISLNK(info.st_mode):
                if path not in self.files:
                    return None
                info = os.stat(target)
            if info.st_size > _MAX_BYTES:
                return None
            with open(target, "rb") as handle:
                return handle.read()
        except (OSError, ValueError):
            return None

    def _digest(self, path: str, data: bytes) -> str:
        digest = self._digests.get(path)
        if digest is None:
            import hashlib

            digest = self._digests[path] = hashlib.sha256(data).hexdigest()
        return digest

    def _load(self, path: str, data: bytes) -> FileSymbols:
        digest = self._digest(path, data)
        symbols = self._known(digest)
        return symbols if symbols is not None else self._parse(digest, data)

    def _known(self, digest: str) -> FileSymbols | None:
        """What a content is known to define, from memory or the disk cache; None if unknown."""
        symbols = _remembered(_MEMO, digest)
        if symbols is None and self.cache:
            symbols = self.cache.get(digest)
            if symbols is not None:
                _remember(_MEMO, digest, symbols)
        if symbols is not None:
            self.cached += 1
        return symbols

    def _parse(self, digest: str, data: bytes) -> FileSymbols:
        symbols = extract_symbols(data)
        self.parsed += 1
        if self.cache:
            self.cache.put(digest, symbols)
        _remember(_MEMO, digest, symbols)
        return symbols

    def _outline(self, digest: str, data: bytes) -> Outline | None:
        found = _remembered(_OUTLINES, digest)
        if found is None and self.cache:
            found = self.cache.get_outline(digest)
        if found is None:
            found = outline(data)
            self.outlined += 1
            if found is None:
                return None
            if self.cache:
                self.cache.put_outline(digest, found)
        _remember(_OUTLINES, digest, found)
        return found

    @property
    def cache(self) -> SymbolCache | None:
        """The disk cache under the root; None when turned off (or found unwritable)."""
        if self._use_cache and self._cache is None:
            from planlint.analysis.symbol_cache import SymbolCache

            self._cache = SymbolCache(self.root)
        return self._cache if self._cache is not None and self._cache.enabled else None


# what can follow an assignment target's name: `=` (not `==`), an annotation's `:`, the `,` `)`
# `]` of an unpacking, or a comment inside one; across spaces, lines and backslash-newlines
_AFTER_TARGET = re.compile(rb"(?:\s|\\\r?\n)*(?:=(?!=)|[:,)\]#])")
_SPACE = b" \t\r\n\\"


def could_define(data: bytes, name: str) -> bool:
    """Whether a file's text could define name (`parse.python` counts defs, classes and
    assignment targets, `type X = ...` included): the name as a whole word after `def`, `class`
    or `type`, or followed by what can follow a target, and not right after a `.` on its line
    (`self.x = 1` and `obj.x: int` set attributes, never a name the collector records: in code
    only an attribute's name follows a `.`). Looser than Python, never stricter: a file it passes
    over cannot define the name, and is not parsed. (A search of the name's occurrences: a
    pattern that starts with a look-behind is tried at every byte of the file.)"""
    needle = name.encode("utf-8", "surrogateescape")
    size = len(needle)
    at = data.find(needle)
    while at >= 0:
        end = at + size
        if not (at and _word(data[at - 1])) and not (end < len(data) and _word(data[end])) and not _commented(data, at):
            before = at
            while before and data[before - 1] in b" \t":
                before -= 1
            if not (before and data[before - 1] == 0x2E):  # `.`: an attribute
                if _AFTER_TARGET.match(data, end):
                    return True
                while before and data[before - 1] in _SPACE:
                    before -= 1
                if before < at and data.endswith((b"def", b"class", b"type"), 0, before):
                    return True
        at = data.find(needle, at + 1)
    return False


def _commented(data: bytes, at: int) -> bool:
    """Whether the occurrence at `at` follows a `#` on its line with no quote before it: a comment
    (a `#` inside a string needs a quote before it, and a string that opened on an earlier line and
    closes before the name needs one too)."""
    line = data[data.rfind(b"\n", 0, at) + 1 : at]
    hash_at = line.find(b"#")
    return hash_at >= 0 and b"'" not in line and b'"' not in line


def _word(byte: int) -> bool:
    return byte >= 0x80 or byte == 0x5F or 0x30 <= byte <= 0x39 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


class _Progress:
    """One line on stderr when parsing the files that can define a plan's symbols takes over a
    second (a first run in a large repository; later runs take them from the cache)."""

    def __init__(self, files: int, clock: Callable[[], float] | None = None) -> None:
        import time

        self.clock = clock or time.perf_counter
        self.started = self.clock()
        self.files = files
        self.parsed = 0
        self.said = False

    def tick(self) -> None:
        self.parsed += 1
        if not self.said and self.clock() - self.started > 1.0:
            import sys

            self.said = True
            print(f"planlint: indexing Python definitions ({self.parsed} files parsed so far; "
                  f"later runs take them from .planlint_cache)", file=sys.stderr)  # fmt: skip


_Value = TypeVar("_Value")


def _remembered(memo: OrderedDict[str, _Value], digest: str) -> _Value | None:
    found = memo.get(digest)
    if found is not None:
        memo.move_to_end(digest)
    return found


def _remember(memo: OrderedDict[str, _Value], digest: str, value: _Value) -> None:
    memo[digest] = value
    if len(memo) > _MEMO_SIZE:
        memo.popitem(last=False)


def clear_memory() -> None:
    """Forget parsed files and outlines held in memory (the disk cache stays): for benchmarks and tests."""
    _MEMO.clear()
    _OUTLINES.clear()
