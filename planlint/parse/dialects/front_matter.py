"""A small, strict reader of the YAML front matter GSD plans open with (DESIGN.md §7).

GSD writes a subset of YAML: `key: scalar`, `key: [a, "b"]` and `key:` followed by `- item`
lines, plus nested mappings (`must_haves:`) that planlint does not need. This reader keeps the
top-level scalars and lists with the span of every value, skips indented blocks it does not
read, and refuses anything else with the line it stopped at, so that a typo is one clear finding
rather than a guess (PyYAML would be a new dependency for this subset).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_KEY = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_ITEM = re.compile(r"[ \t]+-[ \t]+(?P<value>.*?)[ \t]*$|[ \t]*-[ \t]+(?P<flush>.*?)[ \t]*$")
_FENCE = re.compile(r"---[ \t]*$")


class Value(NamedTuple):
    """A scalar as written (quotes removed) and its [start, end) offsets in the file."""

    text: str
    start: int
    end: int
    line: int


class FrontMatter(NamedTuple):
    """The top-level keys read, and where the front matter ends (after its closing `---`)."""

    scalars: dict[str, Value]
    lists: dict[str, list[Value]]
    end: int


class FrontMatterError(Exception):
    """The front matter does not follow the subset; `line` counts from 1."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def has_front_matter(text: str) -> bool:
    return text.startswith("---") and _FENCE.match(text.split("\n", 1)[0].rstrip("\r")) is not None


def read(text: str) -> FrontMatter:
    """The front matter at the top of `text`; FrontMatterError when it is unclosed or outside
    the subset."""
    lines = _lines(text)
    if not lines or not _FENCE.match(lines[0][1]):
        raise FrontMatterError("no front matter (expected `---` on the first line)", 1)
    scalars: dict[str, Value] = {}
    lists: dict[str, list[Value]] = {}
    open_list: list[Value] | None = None
    skipping = False
    for number, (start, line) in enumerate(lines[1:], start=2):
        if _FENCE.match(line):
            return FrontMatter(scalars, lists, start + len(line))
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise FrontMatterError("a tab in the indentation (YAML indents with spaces)", number)
        item = _ITEM.fullmatch(line)
        if item is not None and open_list is not None:
            value = item.group("value") if item.group("value") is not None else item.group("flush")
            offset = start + (item.start("value") if item.group("value") is not None else item.start("flush"))
            open_list.append(_scalar(value, offset, number))
            continue
        if line[0] in " \t":
            if skipping:
                continue
            raise FrontMatterError(f"unexpected indented line {stripped!r}", number)
        key = _KEY.fullmatch(line)
        if key is None:
            raise FrontMatterError(f"expected `key: value`, found {stripped!r}", number)
        name, value = key.group("key"), key.group("value")
        open_list, skipping = None, False
        if value is None or value == "":
            open_list = lists.setdefault(name, [])  # a block list follows, or a mapping we skip
            skipping = True
        elif value.startswith("["):
            lists[name] = _flow_list(value, start + key.start("value"), number)
        else:
            scalars[name] = _scalar(value, start + key.start("value"), number)
    raise FrontMatterError("the front matter is not closed (no second `---` line)", 1)


def _lines(text: str) -> list[tuple[int, str]]:
    found, position = [], 0
    for raw in text.splitlines(keepends=True):
        found.append((position, raw.rstrip("\r\n")))
        position += len(raw)
    return found


def _scalar(value: str, offset: int, line: int) -> Value:
    """A plain or quoted scalar; a trailing ` # comment` is not part of a plain one."""
    if value[:1] in "\"'":
        quote = value[0]
        close = value.find(quote, 1)
        if close < 0:
            raise FrontMatterError(f"unclosed quote in {value!r}", line)
        return Value(value[1:close], offset + 1, offset + close, line)
    comment = value.find(" #")
    if comment >= 0:
        value = value[:comment].rstrip()
    return Value(value, offset, offset + len(value), line)


def _flow_list(value: str, offset: int, line: int) -> list[Value]:
    """`[a, "b", c]` on one line."""
    if not value.rstrip().endswith("]"):
        raise FrontMatterError(f"unclosed list {value!r} (lists in [] must close on their line)", line)
    inner_end = value.rstrip().rfind("]")
    items: list[Value] = []
    position = 1
    for piece in value[1:inner_end].split(","):
        stripped = piece.strip()
        if stripped:
            items.append(_scalar(stripped, offset + position + piece.index(stripped), line))
        position += len(piece) + 1
    return items
