"""The rule registry: each code's rule class, imported only when the rule is used.

What must be known about a rule before its module is imported (where it lives, whether it is
opt-in or needs a status.json, its options) is `planlint.catalogue`, generated from the rule
classes by `render_catalogue` (`python docs/_generate.py` writes it; tests/test_catalogue.py fails
when it is stale). The classes are the one source; a check imports only the rules it runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from planlint.catalogue import CATALOGUE

if TYPE_CHECKING:
    from planlint.rule import Rule

REGISTRY = CATALOGUE
# What the engine asks before it imports a rule, read from the catalogue.
OPT_IN: frozenset[str] = frozenset(code for code, entry in CATALOGUE.items() if entry.opt_in)
NEEDS_STATUS: frozenset[str] = frozenset(code for code, entry in CATALOGUE.items() if entry.needs_status)


# The types an option may default to (a tuple is a list of strings in TOML).
OPTION_KINDS = ("str", "int", "bool", "float", "tuple")


def all_codes() -> list[str]:
    return sorted(CATALOGUE)


def load(code: str) -> type[Rule]:
    """The rule class registered under code (KeyError for an unknown code)."""
    entry = CATALOGUE[code]
    rule: type[Rule] = getattr(import_module(f"{__name__}.{entry.module}"), entry.cls)
    return rule


def discover() -> list[type[Rule]]:
    """Every rule class defined in a module of this package, by code (imports them all: for the
    generators and tests, never a check)."""
    import pkgutil

    from planlint.rule import Rule

    found: dict[str, type[Rule]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                if "code" not in vars(value):
                    continue  # a shared base, not a rule
                if value.code in found:
                    raise ValueError(f"{value.code} is defined twice: {found[value.code]} and {value}")
                found[value.code] = value
    return [found[code] for code in sorted(found)]


def render_catalogue() -> str:
    """The text of planlint/catalogue.py for the rule classes as they are."""
    from dataclasses import fields

    lines = []
    for rule in discover():
        args = [repr(rule.__module__.rpartition(".")[2]), repr(rule.__name__)]
        args += [f"{flag}=True" for flag in ("opt_in", "needs_status") if getattr(rule, flag)]
        if rule.Options is not None:
            defaults = rule.Options()
            kinds = [(f.name, type(getattr(defaults, f.name)).__name__) for f in fields(rule.Options)]
            for name, kind in kinds:
                if kind not in OPTION_KINDS:  # what planlint.config can check a TOML value against
                    raise ValueError(f"{rule.code} option {name!r} defaults to a {kind}, not one of {OPTION_KINDS}")
            args.append(f"options={tuple(kinds)!r}")
        line = f"    {rule.code!r}: Entry({', '.join(args)}),"
        if len(line) > 120:  # as ruff format writes it
            line = f"    {rule.code!r}: Entry(\n" + "".join(f"        {arg},\n" for arg in args) + "    ),"
        lines.append(line.replace("'", '"'))
    return CATALOGUE_HEAD + "\n".join(lines) + "\n}\n"


CATALOGUE_HEAD = '''\
"""The rule catalogue: each code, where its rule lives, and what the engine and the config must
know before they import it (generated from the rule classes by planlint.rules.render_catalogue;
run `python docs/_generate.py` after changing a rule's code, flags or options, do not edit).

It lies below config and the rules, so that the config checks codes and rule options without
importing a rule, and a check imports only the rule modules it runs.
"""

from __future__ import annotations

from planlint.value import NamedTuple


class Entry(NamedTuple):
    module: str  # under planlint/rules/
    cls: str  # the Rule subclass in it
    opt_in: bool = False  # off unless selected by name (DESIGN.md section 4)
    needs_status: bool = False  # runs only when a status.json is paired
    options: tuple[tuple[str, str], ...] = ()  # (field, type of its default) of its Options


CATALOGUE: dict[str, Entry] = {
'''
