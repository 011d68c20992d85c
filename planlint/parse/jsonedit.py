"""Serialising JSON values so they fit into an existing file: same indent unit, same nesting.

Used by fixes and by `emit --into-status`, which edit status.json in place and must leave every
unrelated byte as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from planlint.diagnostic import Edit
from planlint.model import Span
from planlint.parse.jsondoc import JsonDocument

_INDENTED_LINE = re.compile(r"^([ \t]+)\S", re.M)


def indent_unit(text: str) -> str:
    """The file's indentation step (two spaces when the file is flat or minified)."""
    match = _INDENTED_LINE.search(text)
    return match.group(1) if match else "  "


def line_indent(text: str, offset: int) -> str:
    """The leading whitespace of the line that holds offset."""
    start = text.rfind("\n", 0, offset) + 1
    line = text[start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]


def is_multiline(text: str) -> bool:
    return "\n" in text.strip()


def dump_like(value: Any, text: str, offset: int) -> str:
    """value as JSON for the position `offset` of text: multi-line and indented like the file
    (nested one step below the line at offset), or on one line when the file is minified."""
    if not is_multiline(text) or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    dumped = json.dumps(value, indent=indent_unit(text), ensure_ascii=False)
    return dumped.replace("\n", "\n" + line_indent(text, offset))


def set_member(document: JsonDocument, path: Path, pointer: str, key: str, value: Any) -> Edit | None:
    """The edit that makes `pointer` (an object) hold `key: value`, or None if it already does.

    An existing value is replaced in place; a new key goes after the object's last member,
    indented like it (or inside an empty object), so every other byte stays as it was.
    """
    container = document.locate(pointer)
    if container is None:
        return None
    obj = _value_at(document.value, pointer)
    if not isinstance(obj, dict):
        return None
    text = document.text
    child = f"{pointer}/{_escape(key)}"
    if key in obj:
        if obj[key] == value:
            return None
        where = document.locate(child)
        if where is None:
            return None
        return Edit(Span(path, where.start, where.end), dump_like(value, text, where.key_start or where.start))
    if obj:
        last_key = list(obj)[-1]
        last = document.locate(f"{pointer}/{_escape(last_key)}")
        if last is None or last.key_start is None:
            return None
        indent = line_indent(text, last.key_start)
        own_line = text.rfind("\n", 0, last.key_start) + 1 + len(indent) == last.key_start and "\n" in text
        separator = f",\n{indent}" if own_line else ", "
        new_value = dump_like(value, text, last.key_start)
        return Edit(Span(path, last.end, last.end), f"{separator}{json.dumps(key)}: {new_value}")
    inner = container.start + 1
    if is_multiline(text):
        indent = line_indent(text, container.start)
        unit = indent_unit(text)
        dumped = dump_like(value, text, container.start).replace("\n", "\n" + unit)
        return Edit(Span(path, inner, container.end - 1), f"\n{indent}{unit}{json.dumps(key)}: {dumped}\n{indent}")
    return Edit(Span(path, inner, container.end - 1), f"{json.dumps(key)}: {json.dumps(value)}")


def _value_at(value: Any, pointer: str) -> Any:
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            value = value[int(part)] if part.isdigit() and int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
