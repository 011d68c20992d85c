"""`[tool.planlint.dialects]`: which plan format the files a glob matches are written in.

`"specs/**/tasks.md" = "spec-kit"` reads those files as spec-kit whatever their content shows
(DESIGN.md §7); files no glob matches are read as their content shows. An unknown dialect or a
value that is not a table of strings is a one-line config error, like any other typo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planlint.errors import ConfigError
from planlint.model import DIALECTS


def read_dialects(value: Any, fail: Callable[[str, str], ConfigError]) -> tuple[tuple[str, str], ...]:
    """The (glob, dialect) pairs of the table, in the order written (the first match wins)."""
    if not isinstance(value, dict):
        raise fail("dialects", '\'dialects\' must be a table of glob = dialect, e.g. "specs/**/tasks.md" = "spec-kit"')
    pairs = []
    for glob, name in value.items():
        if not isinstance(name, str) or name not in DIALECTS:
            raise fail(glob, f"unknown dialect {name!r} for {glob!r} (known: {', '.join(DIALECTS)})")
        pairs.append((glob, name))
    return tuple(pairs)
