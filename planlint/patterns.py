"""planlint's regular expressions: `compile` for patterns every run needs, `deferred` for the rest.

- `compile(regex, flags)` is `re.compile(regex, flags)`.
- `deferred(regex, flags)` compiles on first use, for patterns only some plans need (symbol
  citations, notes without a marker, suppression comments), so a plan that never needs one
  never pays for it.

There is deliberately no cache of compiled programs across runs: rebuilding a pattern from a
stored program means handing opcodes to CPython's private `_sre.compile`, which trusts them, so
a damaged or altered cache file could crash the process or silently change what a pattern
matches. Compiling costs a few milliseconds per run; correctness does not depend on a file.
"""

from __future__ import annotations

import re
from typing import Any, cast


def compile(regex: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(regex, flags)` (one name for all of planlint's patterns)."""
    return re.compile(regex, flags)


class _Deferred:
    """Stands in for a compiled pattern; compiles it when an attribute is first asked for and
    then keeps each attribute in its own dict, so later look-ups cost what they would on the
    pattern itself."""

    def __init__(self, regex: str, flags: int) -> None:
        self._source = (regex, flags)

    def __getattr__(self, name: str) -> Any:  # only called for attributes not yet copied
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = compile(*self._source)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"deferred({self._source[0]!r})"


def deferred(regex: str, flags: int = 0) -> re.Pattern[str]:
    """`compile(regex, flags)`, done when the pattern is first used. Use its methods (`.search`,
    `.sub`, ...); do not pass it to `re.search` and friends."""
    return cast("re.Pattern[str]", _Deferred(regex, flags))
