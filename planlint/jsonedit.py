"""Serialising JSON values so they fit into an existing file: same indent unit, same nesting.

Used by fixes and by `emit --into-status`, which edit status.json in place and must leave every
unrelated byte as it was.
"""

from __future__ import annotations

import json
import re
from typing import Any

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
