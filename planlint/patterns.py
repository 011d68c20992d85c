"""Regular expressions compiled on first use.

CPython compiles a pattern in Python code: 40-250 us each, so the sixty a check uses cost about
5 ms of its startup. Patterns that only some plans need (symbol citations, notes without a
marker, suppression comments, a title checked only when a file has no phases) are written with
`deferred` instead of `re.compile`, and a plan that never needs one never pays for it.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _Deferred:
    """Stands in for a compiled pattern; compiles it when an attribute is first asked for and
    then keeps each attribute in its own dict, so later look-ups cost what they would on the
    pattern itself."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only called for attributes not yet copied
        value = getattr(re.compile(*self._source), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"deferred({self._source[0]!r})"


def deferred(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used. Use its methods
    (`.search`, `.sub`, ...); do not pass it to `re.search` and friends."""
    return cast("re.Pattern[str]", _Deferred(pattern, flags))
