"""The `[tool.planlint]` table checked key by key into a `Config`: every error names the key
and its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from planlint.catalogue import CATALOGUE
from planlint.config.codes import rule_selectors
from planlint.config.dialects import read_dialects
from planlint.config.globs import glob_problem
from planlint.config.settings import DEFAULT_SELECT, Config
from planlint.diagnostic import Severity
from planlint.errors import ConfigError

KEYS = {
    "plans", "status", "exclude", "select", "extend-select", "ignore", "per-file-ignores", "severity",
    "fail-on", "schema", "src", "access", "standard", "rules", "dialects",
}  # fmt: skip
_ACCESS_KEYS = {"read", "write"}
STANDARD_RULES = {"plan-standards": ("PL008", "PL009", "PL010")}
_STANDARDS = set(STANDARD_RULES)
# The types of an Options field's default, by the name the catalogue gives (a tuple is a list of strings).
_OPTION_TYPES: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float}


def from_table(table: dict[str, Any], path: Path, text: str) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(message, path, key_line(text, key))

    for key in table:
        if key not in KEYS:
            raise fail(key, f"unknown key '{key}' in planlint config")
    values: dict[str, Any] = {"path": path, "root": path.parent.resolve()}
    for key in ("plans", "status", "exclude"):
        if key in table:
            values[key] = _globs(table[key], key, fail)
    if "src" in table:
        values["src"] = tuple(_strings(table["src"], "src", fail))
    if "select" in table:
        values["select"] = values["explicit"] = rule_selectors(
            _strings(table["select"], "select", fail), "select", fail
        )
    if "extend-select" in table:
        extra = rule_selectors(_strings(table["extend-select"], "extend-select", fail), "extend-select", fail)
        values["select"] = values.get("select", DEFAULT_SELECT) + extra
        values["explicit"] = values.get("explicit", ()) + extra
    if "ignore" in table:
        values["ignore"] = rule_selectors(_strings(table["ignore"], "ignore", fail), "ignore", fail)
    if "per-file-ignores" in table:
        raw = table["per-file-ignores"]
        if not isinstance(raw, dict):
            raise fail("per-file-ignores", "'per-file-ignores' must be a table of glob = [codes]")
        for glob in raw:
            problem = glob_problem(glob)
            if problem:
                raise fail(glob, f"per-file-ignores {glob!r}: {problem}")
        values["per_file_ignores"] = tuple(
            (glob, rule_selectors(_strings(codes, f"per-file-ignores.{glob}", fail, key_line=glob), "per-file-ignores",
                          lambda _key, message, glob=glob: fail(glob, message)))
            for glob, codes in raw.items()
        )  # fmt: skip
    if "severity" in table:
        values["severity"] = _severities(table["severity"], fail)
    if "fail-on" in table:
        values["fail_on"] = _severity(table["fail-on"], "fail-on", fail)
    if "schema" in table:
        if not isinstance(table["schema"], str):
            raise fail("schema", "'schema' must be a path string")
        values["schema"] = table["schema"]
    if "access" in table:
        values["access"] = _access(table["access"], fail)
    if "rules" in table:
        values["rule_options"] = _rule_options(table["rules"], fail)
    if "dialects" in table:
        values["dialects"] = read_dialects(table["dialects"], fail)
    if "standard" in table:
        if not isinstance(table["standard"], str) or table["standard"] not in _STANDARDS:
            raise fail("standard", f"unknown standard {table['standard']!r} (known: plan-standards)")
        values["standard"] = table["standard"]
        standard_rules = STANDARD_RULES[table["standard"]]
        values["select"] = values.get("select", DEFAULT_SELECT) + standard_rules
        values["explicit"] = values.get("explicit", ()) + standard_rules
    return Config(**values)


def key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
    if match is None:
        match = re.search(rf"^[ \t]*\[[^\]\n]*\b{re.escape(key)}\]", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _strings(value: Any, key: str, fail: Any, *, key_line: str | None = None) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key_line or key, f"'{key}' must be a list of strings")
    return value


def _globs(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    globs = _strings(value, key, fail)
    for glob in globs:
        problem = glob_problem(glob)
        if problem:
            raise fail(key, f"'{key}' glob {glob!r}: {problem}")
    return tuple(globs)


def _severity(value: Any, key: str, fail: Any) -> Severity:
    try:
        if not isinstance(value, str):
            raise KeyError(value)
        return Severity.parse(value)
    except KeyError:
        raise fail(key, f"'{key}' must be one of error, warning, info, not {value!r}") from None


def _severities(value: Any, fail: Any) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, dict):
        raise fail("severity", "'severity' must be a table of CODE = \"error|warning|info\"")
    for code in value:
        if code.upper() not in CATALOGUE:
            raise fail(code, f"unknown rule code '{code}' in [severity]")
    return tuple((code.upper(), _severity(level, "severity", fail)) for code, level in value.items())


def _access(value: Any, fail: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise fail("access", "'access' must be a table with 'read' and 'write' verb lists")
    for key in value:
        if key not in _ACCESS_KEYS:
            raise fail(key, f"unknown key '{key}' in [tool.planlint.access] (read, write)")
    return tuple((key, tuple(_strings(verbs, key, fail))) for key, verbs in value.items())


def _rule_options(value: Any, fail: Any) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """`[tool.planlint.rules.PL009]` tables, checked against each rule's Options dataclass (as the
    catalogue describes it: the rule itself is not imported)."""
    if not isinstance(value, dict):
        raise fail("rules", "'rules' must hold one table per rule code, e.g. [tool.planlint.rules.PL009]")
    result = []
    for code, options in value.items():
        code = code.upper()
        if code not in CATALOGUE:
            raise fail(code, f"unknown rule code '{code}' in [rules]")
        known = {name.replace("_", "-"): (name, kind) for name, kind in CATALOGUE[code].options}
        if not isinstance(options, dict):
            raise fail(code, f"[rules.{code}] must be a table of options")
        checked = []
        for key, option in options.items():
            if key not in known:
                names = ", ".join(sorted(known)) or "none"
                raise fail(key, f"unknown option '{key}' for {code} (options: {names})")
            name, kind = known[key]
            if kind == "tuple":
                option = tuple(_strings(option, key, fail))
            elif not isinstance(option, _OPTION_TYPES[kind]):
                raise fail(key, f"option '{key}' of {code} must be a {kind}")
            checked.append((name, option))
        result.append((code, tuple(checked)))
    return tuple(result)
