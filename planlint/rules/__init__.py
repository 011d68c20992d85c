"""The rule registry: each code's rule class, imported only when the rule is used.

What must be known about a rule before its module is imported (where it lives, whether it is
opt-in or needs a status.json, its options) is `planlint.catalogue`, generated from the rule
classes by `planlint.rules.catalogue_file` (`python docs/_generate.py` writes it;
tests/rules/test_catalogue.py fails when it is stale). The classes are the one source; a check
imports only the rules it runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from planlint.catalogue import CATALOGUE

if TYPE_CHECKING:
    from planlint.rule import Rule

# What the engine asks before it imports a rule, read from the catalogue.
OPT_IN: frozenset[str] = frozenset(code for code, entry in CATALOGUE.items() if entry.opt_in)
NEEDS_STATUS: frozenset[str] = frozenset(code for code, entry in CATALOGUE.items() if entry.needs_status)


def all_codes() -> list[str]:
    return sorted(CATALOGUE)


def load(code: str) -> type[Rule]:
    """The rule class registered under code (KeyError for an unknown code)."""
    entry = CATALOGUE[code]
    rule: type[Rule] = getattr(import_module(f"{__name__}.{entry.module}"), entry.cls)
    return rule
