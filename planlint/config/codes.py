"""Rule selectors (`PL101`, `PL1`, `ALL`), checked against the rule catalogue: a typo never turns
a check off silently."""

from __future__ import annotations

import re
from typing import Any

from planlint.catalogue import CATALOGUE

_CODE_PREFIX = re.compile(r"PL\d{0,3}|ALL")


def rule_selectors(codes: list[str], key: str, fail: Any) -> tuple[str, ...]:
    """The selectors of `key`, upper-cased and split at commas; one that selects no rule is
    `fail(key, message)` (a config file's key) or, without `fail`, a UsageError (the command line)."""
    from planlint.errors import UsageError

    cleaned: list[str] = []
    for code in codes:
        for part in code.split(","):
            part = part.strip().upper()
            if not part:
                continue
            if not _CODE_PREFIX.fullmatch(part) or not _selects_a_rule(part):
                message = f"'{part}' in {key} is not a rule code or prefix (PL101, PL1, ALL)"
                if _CODE_PREFIX.fullmatch(part):
                    message = f"'{part}' in {key} matches no rule (see `planlint rule`)"
                raise fail(key, message) if fail else UsageError(message)
            cleaned.append(part)
    return tuple(cleaned)


def _selects_a_rule(prefix: str) -> bool:
    return prefix == "ALL" or any(code.startswith(prefix) for code in CATALOGUE)
