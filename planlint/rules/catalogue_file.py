"""The text of planlint/catalogue.py, its table rendered from the rule classes (imports every rule: for
`python docs/_generate.py` and the tests, never a check)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planlint.rule import Rule

# The types an option may default to (a tuple is a list of strings in TOML).
OPTION_KINDS = ("str", "int", "bool", "float", "tuple")


def discover() -> list[type[Rule]]:
    """Every rule class defined in a module of this package, by code (imports them all: for the
    generators and tests, never a check)."""
    import pkgutil

    from planlint.rule import Rule

    found: dict[str, type[Rule]] = {}
    import planlint.rules

    for module_info in pkgutil.iter_modules(planlint.rules.__path__):
        module = import_module(f"planlint.rules.{module_info.name}")
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
    return catalogue_head() + "\n".join(lines) + "\n}\n"


TABLE = "CATALOGUE: dict[str, Entry] = {\n"


def catalogue_head() -> str:
    """planlint/catalogue.py up to its table, as written there: only the table is generated."""
    from pathlib import Path

    import planlint.catalogue

    text = Path(planlint.catalogue.__file__).read_text(encoding="utf-8")
    return text[: text.index(TABLE) + len(TABLE)]
