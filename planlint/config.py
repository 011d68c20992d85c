"""Configuration: `[tool.planlint]` in pyproject.toml or `.planlint.toml`, found by walking up.

The nearest file wins, without merging (mdformat, flake8). Unknown keys and ill-typed values are
a ConfigError naming the file, the line and the key.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planlint import patterns
from planlint.diagnostic import Severity
from planlint.errors import ConfigError

CONFIG_FILES = (".planlint.toml", "pyproject.toml")
DEFAULT_PLANS = ("docs/plans/**/*.md",)
DEFAULT_STATUS = ("docs/plan-outputs/**/status.json",)
DEFAULT_SELECT = ("PL0", "PL1", "PL2", "PL3")
_CODE_PREFIX = patterns.deferred(r"PL\d{0,3}|ALL")


@dataclass(frozen=True)
class Config:
    """Settings for one run; CLI options are merged in with `with_overrides`."""

    path: Path | None = None  # the file it came from
    root: Path = field(default_factory=Path.cwd)
    plans: tuple[str, ...] = DEFAULT_PLANS
    status: tuple[str, ...] = DEFAULT_STATUS
    select: tuple[str, ...] = DEFAULT_SELECT
    explicit: tuple[str, ...] = ()  # prefixes the user selected by name (enable opt-in rules)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.WARNING
    schema: str | None = None
    src: tuple[str, ...] = (".",)
    access: tuple[tuple[str, tuple[str, ...]], ...] = ()
    standard: str | None = None
    rule_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()  # [rules.CODE] tables

    def is_enabled(self, code: str, *, opt_in: bool = False) -> bool:
        """Longest matching prefix of select/ignore decides (flake8's DecisionEngine)."""
        best = ""
        decision = False
        for prefix in self.select:
            if _matches(code, prefix) and len(_norm(prefix)) >= len(best):
                best, decision = _norm(prefix), True
        for prefix in self.ignore:
            if _matches(code, prefix) and len(_norm(prefix)) >= len(best):
                best, decision = _norm(prefix), False
        if decision and opt_in:
            return any(_matches(code, p) for p in self.explicit)
        return decision

    def severity_of(self, code: str) -> Severity | None:
        return dict(self.severity).get(code)

    def options_for(self, code: str) -> dict[str, Any]:
        return dict(dict(self.rule_options).get(code, ()))

    def ignored_for(self, relative_path: str) -> tuple[str, ...]:
        """Codes that per-file-ignores switches off for a path relative to root."""
        from fnmatch import fnmatch

        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            if fnmatch(relative_path, pattern) or fnmatch(Path(relative_path).name, pattern):
                codes.extend(ignored)
        return tuple(codes)

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        fail_on: str | None = None,
    ) -> Config:
        changes: dict[str, Any] = {}
        if select is not None:
            chosen = _codes(list(select), "--select", None)
            changes["select"] = chosen
            changes["explicit"] = chosen
        extra = _codes(list(extend_select), "--extend-select", None)
        if extra:
            changes["select"] = changes.get("select", self.select) + extra
            changes["explicit"] = changes.get("explicit", self.explicit) + extra
        dropped = _codes(list(ignore), "--ignore", None)
        if dropped:
            changes["ignore"] = self.ignore + dropped
        if fail_on is not None:
            changes["fail_on"] = Severity.parse(fail_on)
        return replace(self, **changes)


def _norm(prefix: str) -> str:
    return "" if prefix == "ALL" else prefix


def _matches(code: str, prefix: str) -> bool:
    return code.startswith(_norm(prefix))


# -- finding and loading -------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above start, stopping at a git root or the filesystem root."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
                return path
        if (candidate / ".git").exists():
            return None
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Load an explicit config file, or the one found above `start` (default: cwd)."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config(root=_git_root(start or Path.cwd()) or (start or Path.cwd()).resolve())
    elif not path.is_file():
        raise ConfigError("config file not found", path)
    text = _read(path)
    if sys.version_info >= (3, 11):  # imported here: a run with no config file never needs it
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at line')[0]}", path, line) from None
    table = data.get("tool", {}).get("planlint", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in data and "planlint" in data["tool"]:
        table = data["tool"]["planlint"]
    return _from_table(table, path, text)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", path) from None


def _has_tool_table(path: Path) -> bool:
    try:
        return re.search(r"^\[tool\.planlint[\].]", path.read_text(encoding="utf-8"), re.M) is not None
    except (OSError, UnicodeDecodeError):
        return False


def _git_root(start: Path) -> Path | None:
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


_KEYS = {
    "plans", "status", "select", "extend-select", "ignore", "per-file-ignores", "severity",
    "fail-on", "schema", "src", "access", "standard", "rules",
}  # fmt: skip
_ACCESS_KEYS = {"read", "write"}
STANDARD_RULES = {"plan-standards": ("PL008", "PL009", "PL010")}
_STANDARDS = set(STANDARD_RULES)


def _from_table(table: dict[str, Any], path: Path, text: str) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(message, path, _key_line(text, key))

    for key in table:
        if key not in _KEYS:
            raise fail(key, f"unknown key '{key}' in planlint config")
    values: dict[str, Any] = {"path": path, "root": path.parent.resolve()}
    for key in ("plans", "status", "src"):
        if key in table:
            values[key] = tuple(_strings(table[key], key, fail))
    if "select" in table:
        values["select"] = values["explicit"] = _codes(_strings(table["select"], "select", fail), "select", fail)
    if "extend-select" in table:
        extra = _codes(_strings(table["extend-select"], "extend-select", fail), "extend-select", fail)
        values["select"] = values.get("select", DEFAULT_SELECT) + extra
        values["explicit"] = values.get("explicit", ()) + extra
    if "ignore" in table:
        values["ignore"] = _codes(_strings(table["ignore"], "ignore", fail), "ignore", fail)
    if "per-file-ignores" in table:
        raw = table["per-file-ignores"]
        if not isinstance(raw, dict):
            raise fail("per-file-ignores", "'per-file-ignores' must be a table of glob = [codes]")
        values["per_file_ignores"] = tuple(
            (glob, _codes(_strings(codes, "per-file-ignores", fail), "per-file-ignores", fail))
            for glob, codes in raw.items()
        )
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
    if "standard" in table:
        if table["standard"] not in _STANDARDS:
            raise fail("standard", f"unknown standard {table['standard']!r} (known: plan-standards)")
        values["standard"] = table["standard"]
        standard_rules = STANDARD_RULES[table["standard"]]
        values["select"] = values.get("select", DEFAULT_SELECT) + standard_rules
        values["explicit"] = values.get("explicit", ()) + standard_rules
    return Config(**values)


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
    if match is None:
        match = re.search(rf"^[ \t]*\[[^\]\n]*\b{re.escape(key)}\]", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _strings(value: Any, key: str, fail: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, f"'{key}' must be a list of strings")
    return value


def _codes(codes: list[str], key: str, fail: Any) -> tuple[str, ...]:
    from planlint.errors import UsageError

    cleaned: list[str] = []
    for code in codes:
        for part in code.split(","):
            part = part.strip().upper()
            if not part:
                continue
            if not _CODE_PREFIX.fullmatch(part):
                message = f"'{part}' in {key} is not a rule code or prefix (PL101, PL1, ALL)"
                raise fail(key, message) if fail else UsageError(message)
            cleaned.append(part)
    return tuple(cleaned)


def _severity(value: Any, key: str, fail: Any) -> Severity:
    try:
        return Severity.parse(str(value))
    except KeyError:
        raise fail(key, f"'{key}' must be one of error, warning, info, not {value!r}") from None


def _severities(value: Any, fail: Any) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, dict):
        raise fail("severity", "'severity' must be a table of CODE = \"error|warning|info\"")
    return tuple((code.upper(), _severity(level, "severity", fail)) for code, level in value.items())


def _access(value: Any, fail: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise fail("access", "'access' must be a table with 'read' and 'write' verb lists")
    for key in value:
        if key not in _ACCESS_KEYS:
            raise fail(key, f"unknown key '{key}' in [tool.planlint.access] (read, write)")
    return tuple((key, tuple(_strings(verbs, key, fail))) for key, verbs in value.items())


def _rule_options(value: Any, fail: Any) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """`[tool.planlint.rules.PL009]` tables, checked against each rule's Options dataclass."""
    from dataclasses import fields

    from planlint.rules import REGISTRY, load

    if not isinstance(value, dict):
        raise fail("rules", "'rules' must hold one table per rule code, e.g. [tool.planlint.rules.PL009]")
    result = []
    for code, options in value.items():
        code = code.upper()
        if code not in REGISTRY:
            raise fail(code, f"unknown rule code '{code}' in [rules]")
        option_type = load(code).Options
        known = {f.name.replace("_", "-"): f for f in fields(option_type)} if option_type else {}
        if not isinstance(options, dict):
            raise fail(code, f"[rules.{code}] must be a table of options")
        checked = []
        for key, option in options.items():
            if key not in known or option_type is None:
                names = ", ".join(sorted(known)) or "none"
                raise fail(key, f"unknown option '{key}' for {code} (options: {names})")
            default = getattr(option_type(), known[key].name)
            if isinstance(default, tuple):
                option = tuple(_strings(option, key, fail))
            elif not isinstance(option, type(default)):
                raise fail(key, f"option '{key}' of {code} must be a {type(default).__name__}")
            checked.append((known[key].name, option))
        result.append((code, tuple(checked)))
    return tuple(result)
