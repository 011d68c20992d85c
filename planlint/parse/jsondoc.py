"""JSON values with positions: the stdlib parses, a small lazy scanner finds where things are.

`json.loads` (C speed, exact errors with line and column) gives the value. Positions are found
on demand: `locate("/tasks/3/status")` walks the text from the root, caching the child offsets
of every container it passes through, so a second look-up into `/tasks` jumps straight to its
element. Memory stays proportional to the containers actually visited, which keeps a 50 MB
status file affordable. Duplicate keys (which `json.loads` silently collapses) are recorded
while parsing and located afterwards.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# "unrolled": a run of plain characters is one repeat, not one alternation (and one backtracking
# entry) per character; the old `"(?:[^"\\]|\\.)*"` took 115 MB per MB of string
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


_DECODER = json.JSONDecoder()


class JsonSyntaxError(ValueError):
    """Not JSON: message, and the offset where the parser gave up."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _Keys(dict):
    """A dict that remembers keys that appeared more than once in its JSON object."""

    duplicates: tuple[str, ...] = ()


def _repeated(pairs: list[tuple[str, Any]]) -> tuple[str, ...]:
    seen: set[str] = set()
    return tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]


class Location(NamedTuple):
    """Offsets of a value, and of its key when its parent is an object."""

    start: int
    end: int
    key_start: int | None = None
    key_end: int | None = None


@dataclass(eq=False)
class JsonDocument:
    text: str
    value: Any
    _children: dict[str, list[tuple[str, int, int, int]]] = field(default_factory=dict, repr=False)
    # path -> child name -> its first occurrence: a look-up costs O(1), not a scan of the siblings
    _named: dict[str, dict[str, tuple[str, int, int, int]]] = field(default_factory=dict, repr=False)
    # path -> where the scan of a container stopped (offset, whether an object): it reads only
    # as far as the children asked for
    _scans: dict[str, tuple[int, bool]] = field(default_factory=dict, repr=False)
    _root: Location | None = field(default=None, repr=False)
    _has_duplicates: bool = field(default=True, repr=False)

    @classmethod
    def parse(cls, text: str) -> JsonDocument:
        """Parse text, or raise JsonSyntaxError at the offset where it stops being JSON."""
        duplicates = False

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            nonlocal duplicates
            result = _Keys(items)
            if len(result) != len(items):
                result.duplicates = _repeated(items)
                duplicates = True
            return result

        try:
            value = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            raise _explained(text, exc) from None
        except RecursionError:
            depth_at = _deepest_offset(text)
            raise JsonSyntaxError("nested too deeply to read", depth_at) from None
        return cls(text, value, _has_duplicates=duplicates)  # most documents have none to look for

    # -- locating ------------------------------------------------------------------------

    def locate(self, pointer: str) -> Location | None:
        """Where the value at a JSON pointer (`/tasks/3/id`) is; None if it does not exist."""
        parts = _split_pointer(pointer)
        if self._root is None:  # the root's extent is the whole document (valid JSON): no scan
            start = _skip_ws(self.text, 0)
            self._root = Location(start, len(self.text.rstrip(" \t\n\r")))
        location = self._root
        path = ""
        for part in parts:
            child = self._child(path, location.start, part)
            if child is None:
                return None
            _name, key_start, value_start, value_end = child
            key_end = None if key_start < 0 else _STRING.match(self.text, key_start).end()  # type: ignore[union-attr]
            location = Location(value_start, value_end, None if key_start < 0 else key_start, key_end)
            path = f"{path}/{part}"
        return location

    def _child(self, path: str, start: int, name: str) -> tuple[str, int, int, int] | None:
        """The first child called name of the container at path, its siblings scanned only as far
        as it (`/planPath` does not scan past the `tasks` that follow it)."""
        named = self._named.get(path)
        if named is None:
            named = self._named[path] = {}
            self._children[path] = []
            opener = self.text[start] if start < len(self.text) else ""
            if opener in ("[", "{"):
                self._scans[path] = (_skip_ws(self.text, start + 1), opener == "{")
        child = named.get(name)
        if child is None and path in self._scans:
            child = self._scan(path, until=name)
        return child

    def _scan(self, path: str, until: str | None = None) -> tuple[str, int, int, int] | None:
        """Read the next children of the container at path, up to the first one called until (or
        to its end), into `_children` and `_named`; the child called until, if found."""
        text = self.text
        position, is_object = self._scans.pop(path)
        children, named = self._children[path], self._named[path]
        while position < len(text) and text[position] not in "]}":
            key_start = -1
            name = str(len(children))
            if is_object:
                key = _STRING.match(text, position)
                if key is None:
                    break
                key_start = position
                raw = key.group()
                name = _escape_pointer(json.loads(raw) if "\\" in raw else raw[1:-1])  # no escape: as written
                position = _skip_ws(text, key.end())
                position = _skip_ws(text, position + 1)  # the colon
            value_end = _value_end(text, position)
            child = (name, key_start, position, value_end)
            children.append(child)
            named.setdefault(name, child)
            position = _skip_ws(text, value_end)
            if position < len(text) and text[position] == ",":
                position = _skip_ws(text, position + 1)
            if name == until:
                self._scans[path] = (position, is_object)
                return child
        return None

    def _children_of(self, path: str, start: int) -> list[tuple[str, int, int, int]]:
        """(name, key offset or -1, value start, value end) of all a container's children."""
        self._child(path, start, "")  # starts the scan ("" names no child until it is read)
        if path in self._scans:
            self._scan(path)
        return self._children[path]

    def duplicate_keys(self) -> list[tuple[str, str]]:
        """(pointer of the object, key) for every key that appears twice in one object."""
        if not self._has_duplicates:
            return []
        found: list[tuple[str, str]] = []
        stack: list[tuple[str, Any]] = [("", self.value)]
        while stack:
            pointer, value = stack.pop()
            if isinstance(value, dict):
                found.extend((pointer, key) for key in getattr(value, "duplicates", ()))
                stack.extend((f"{pointer}/{_escape_pointer(k)}", v) for k, v in value.items()
                             if isinstance(v, (dict, list)))  # fmt: skip
            elif isinstance(value, list):
                stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(value) if isinstance(v, (dict, list)))
        return sorted(found)

    def locate_duplicate(self, pointer: str, key: str) -> Location | None:
        """The second occurrence of a duplicated key in the object at pointer."""
        container = self.locate(pointer)
        if container is None:
            return None
        self._children_of(pointer, container.start)
        occurrences = [c for c in self._children[pointer] if c[0] == _escape_pointer(key)]
        if len(occurrences) < 2:
            return None
        _name, key_start, value_start, value_end = occurrences[1]
        key_end = _STRING.match(self.text, key_start).end()  # type: ignore[union-attr]
        return Location(value_start, value_end, key_start, key_end)


def _explained(text: str, error: json.JSONDecodeError) -> JsonSyntaxError:
    """The decoder's error, pointed at a trailing comma when that is the cause (Python before
    3.13 reports the bracket after it instead)."""
    if error.msg in ("Expecting value", "Expecting property name enclosed in double quotes"):
        before = text[: error.pos].rstrip()
        closing = text[error.pos : error.pos + 1]
        if before.endswith(",") and closing in ("]", "}"):
            return JsonSyntaxError("trailing comma", len(before) - 1)
    return JsonSyntaxError(error.msg, error.pos)


def _skip_ws(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _value_end(text: str, start: int) -> int:
    """Offset just past the JSON value that starts at `start` (the text is valid JSON)."""
    if start >= len(text):
        return start
    char = text[start]
    if char == '"':
        match = _STRING.match(text, start)
        return match.end() if match else start + 1
    if char not in "[{":
        match = _SCALAR.match(text, start)
        return match.end() if match else start + 1
    try:  # the C scanner: the text parsed, so the container is valid JSON
        return _DECODER.raw_decode(text, start)[1]
    except (ValueError, RecursionError):
        pass
    depth = 0
    for token in _STRUCTURE.finditer(text, start):
        symbol = token.group()
        if symbol in "[{":
            depth += 1
        elif symbol in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    return len(text)


def _deepest_offset(text: str) -> int:
    """Where nesting first exceeds what the parser could take (for the error position)."""
    depth = 0
    for token in _STRUCTURE.finditer(text):
        if token.group() in "[{":
            depth += 1
            if depth > 900:
                return token.start()
        elif token.group() in "]}":
            depth -= 1
    return 0


def _split_pointer(pointer: str) -> list[str]:
    return [] if pointer in ("", "/") else pointer.lstrip("/").split("/")


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
