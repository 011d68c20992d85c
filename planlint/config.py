"""Configuration: `[tool.planlint]` in pyproject.toml or `.planlint.toml`, and the root it governs.

The root and its config are found from each checked path upward, as ruff does: the nearest folder
with a planlint config, else the nearest `.git` (`Configs`). The nearest file wins, without
merging (mdformat, flake8). Unknown keys, unknown rule selectors, ill-typed values and TOML
syntax errors are a ConfigError naming the file, the line and the key: a typo never turns a
check off silently.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from planlint import patterns
from planlint.diagnostic import Severity
from planlint.dialect_config import read_dialects
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
    exclude: tuple[str, ...] = ()  # globs of files and folders no search enters or checks
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
    cache: bool = True  # the symbol cache under <root>/.planlint_cache (`--no-cache` turns it off)
    dialects: tuple[tuple[str, str], ...] = ()  # [dialects] glob = format (planlint.dialect_config)

    def is_enabled(self, code: str, *, opt_in: bool = False) -> bool:
        """The longest matching prefix among what the user selected and ignored decides (flake8's
        DecisionEngine; a tie goes to ignore); a code none of them matches falls back to the
        default selection, so `ignore = ["ALL"]` turns off every rule not selected by name."""
        best = -1
        decision = False
        for prefix in self.explicit:
            if _matches(code, prefix) and len(_norm(prefix)) > best:
                best, decision = len(_norm(prefix)), True
        for prefix in self.ignore:
            if _matches(code, prefix) and len(_norm(prefix)) >= best:
                best, decision = len(_norm(prefix)), False
        if best < 0:
            decision = any(_matches(code, prefix) for prefix in self.select)
        if decision and opt_in:
            return any(_matches(code, p) for p in self.explicit)
        return decision

    def severity_of(self, code: str) -> Severity | None:
        return dict(self.severity).get(code)

    def options_for(self, code: str) -> dict[str, Any]:
        return dict(dict(self.rule_options).get(code, ()))

    def ignored_for(self, *relative_paths: str) -> tuple[str, ...]:
        """Codes that per-file-ignores switches off for paths relative to root (a status file's
        findings are matched by its own path and by its paired plan's)."""
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            if any(glob_matches(path, pattern) for path in relative_paths):
                codes.extend(ignored)
        return tuple(codes)

    def dialect_for(self, relative_path: str) -> str | None:
        """The dialect `[dialects]` sets for this file, or None (read as its content shows)."""
        return next((name for glob, name in self.dialects if glob_matches(relative_path, glob)), None)

    def is_excluded(self, relative_path: str) -> bool:
        """True when an `exclude` glob matches the path (relative to root) or a folder above it."""
        if not self.exclude:
            return False
        parts = relative_path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(glob_matches(prefix, pattern) for pattern in self.exclude for prefix in prefixes)

    def is_plan(self, relative_path: str) -> bool:
        """True when a `plans` glob matches the path (relative to root)."""
        return any(glob_matches(relative_path, pattern, name_anywhere=False) for pattern in self.plans)

    def is_status(self, relative_path: str) -> bool:
        """True when a `status` glob matches the path (`{stem}` standing for any plan stem)."""
        return any(
            glob_matches(relative_path, pattern.replace("{stem}", "*"), name_anywhere=False) for pattern in self.status
        )

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        fail_on: str | None = None,
        exclude: Iterable[str] = (),
        cache: bool = True,
    ) -> Config:
        changes: dict[str, Any] = {}
        extra_exclude = tuple(exclude)
        for pattern in extra_exclude:
            problem = glob_problem(pattern)
            if problem:
                from planlint.errors import UsageError

                raise UsageError(f"--exclude {pattern!r}: {problem}")
        if extra_exclude:
            changes["exclude"] = self.exclude + extra_exclude
        if not cache:
            changes["cache"] = False
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


# -- globs ---------------------------------------------------------------------------------


def glob_matches(relative_path: str, pattern: str, *, name_anywhere: bool = True) -> bool:
    """Match a POSIX path relative to the root against a glob: `*` and `?` stay inside one
    folder, `**/` stands for zero or more folders, and (with `name_anywhere`, as in `exclude`
    and `per-file-ignores`) a pattern without `/` matches the file name in any folder."""
    if name_anywhere and "/" not in pattern.rstrip("/"):
        return _glob_regex(pattern.rstrip("/")).fullmatch(relative_path.rsplit("/", 1)[-1]) is not None
    return _glob_regex(pattern.strip("/")).fullmatch(relative_path) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def glob_problem(pattern: str) -> str | None:
    """Why a glob can never match a path under the root, or None when it is usable."""
    if not pattern.strip():
        return "an empty glob matches nothing"
    if pattern.startswith("/") or re.match(r"[A-Za-z]:[\\/]", pattern):
        return "globs are relative to the root (the folder of the config file), not absolute"
    if any(part == ".." for part in pattern.replace("\\", "/").split("/")):
        return "globs stay inside the root: `..` is not allowed"
    try:
        _glob_regex(pattern)
    except re.error as exc:
        return f"not a valid glob ({exc})"
    return None


# -- finding and loading -------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above start, stopping at a git root or the filesystem root."""
    return find_root(start)[0]


def find_root(start: Path) -> tuple[Path | None, Path]:
    """(config file, root) for a path: the nearest folder at or above it with a planlint config
    (that file, that folder), else the nearest folder with `.git` (no file, that folder), else
    the folder that holds the path's `docs/plans` or `docs/plan-outputs` (the default layout),
    else the path's own folder (a file's folder). Never the current folder as such: a run from
    `/` must not index the whole disk."""
    folder = _folder_of(start)
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
                return path, candidate
        if (candidate / ".git").exists():
            return None, candidate
    return None, _layout_root(folder)


def _folder_of(path: Path) -> Path:
    """The folder a path's root is looked for from: a file's own folder, not its symlink target's
    (a link inside the repository to a file outside it belongs to the repository, whose root then
    refuses the write)."""
    absolute = Path(os.path.abspath(path))
    folder = absolute if absolute.is_dir() or (not absolute.suffix and not absolute.exists()) else absolute.parent
    with contextlib.suppress(OSError, RuntimeError):  # a symlink loop: the path as written
        folder = folder.resolve()
    return folder


def _layout_root(folder: Path) -> Path:
    parts = folder.parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == "docs" and parts[index + 1] in ("plans", "plan-outputs") and index > 0:
            return Path(*parts[:index])
    if parts[-1:] == ("docs",) and ((folder / "plans").is_dir() or (folder / "plan-outputs").is_dir()):
        return folder.parent
    return folder


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Load an explicit config file, or the one that governs `start` (default: the current
    folder): see `find_root`."""
    if path is None:
        path, root = find_root(start or Path.cwd())
        if path is None:
            return Config(root=root)
    elif not path.is_file():
        raise ConfigError("config file not found", path)
    text = _read(path)
    data = _parse_toml(text, path)
    table: Any = data
    if path.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError("'tool' must be a table ([tool.planlint])", path, _key_line(text, "tool"))
        if path.name == "pyproject.toml" or "planlint" in tool:
            table = tool.get("planlint", {})
            if not isinstance(table, dict):
                raise ConfigError("'tool.planlint' must be a table", path, _key_line(text, "planlint"))
            if path.name != "pyproject.toml" and len(data) > 1:
                other = next(k for k in data if k != "tool")
                raise ConfigError(f"unknown key '{other}' beside [tool.planlint]", path, _key_line(text, other))
    return _from_table(table, path, text)


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):  # imported here: a run with no config file never needs it
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at line')[0]}", path, line) from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", path) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", path) from None


def _has_tool_table(path: Path) -> bool:
    """A pyproject.toml that mentions planlint in a table header or key: it is planlint's config
    even when its TOML is broken (`[tool.planlint` without `]` is then reported, not skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    header = r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*\"?planlint\b"  # [tool.planlint], even unclosed
    dotted = r"^[ \t]*tool[ \t]*\.[ \t]*\"?planlint\b"  # tool.planlint.select = [...]
    if re.search(header, text, re.M) or re.search(dotted, text, re.M):
        return True
    # `[tool]` with a `planlint = ...` key under it (before the next table)
    return re.search(r"^[ \t]*\[[ \t]*tool[ \t]*\][^\[]*^[ \t]*\"?planlint\"?[ \t]*=", text, re.M) is not None


class Configs:
    """The config of each path a run touches, found from the path upward (`find_root`), with the
    command line's options over each; one run may span several roots. An explicit `--config`
    governs every path."""

    def __init__(self, explicit: Path | None = None, overrides: Callable[[Config], Config] | None = None) -> None:
        self.explicit = explicit
        self.overrides = overrides or (lambda config: config)
        self._by_file: dict[Path | None, Config] = {}
        self._by_folder: dict[Path, Config] = {}
        self._explicit: Config | None = None
        if explicit is not None:  # a broken --config is reported before any file is read
            self._explicit = self.overrides(load_config(explicit))

    def for_path(self, path: Path) -> Config:
        """The config that governs a file or folder (ConfigError when that config is broken)."""
        if self.explicit is not None:
            if self._explicit is None:
                self._explicit = self.overrides(load_config(self.explicit))
            return self._explicit
        folder = _folder_of(path)
        found = self._by_folder.get(folder)
        if found is None:
            config_path, root = find_root(folder)
            key = config_path or root
            found = self._by_file.get(key)
            if found is None:
                base = load_config(config_path) if config_path is not None else Config(root=root)
                found = self._by_file[key] = self.overrides(base)
            self._by_folder[folder] = found
        return found

    def current(self) -> Config:
        """The config of the current folder (a run with no path)."""
        return self.for_path(Path.cwd())


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


_KEYS = {
    "plans", "status", "exclude", "select", "extend-select", "ignore", "per-file-ignores", "severity",
    "fail-on", "schema", "src", "access", "standard", "rules", "dialects",
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
    for key in ("plans", "status", "exclude"):
        if key in table:
            values[key] = _globs(table[key], key, fail)
    if "src" in table:
        values["src"] = tuple(_strings(table["src"], "src", fail))
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
        for glob in raw:
            problem = glob_problem(glob)
            if problem:
                raise fail(glob, f"per-file-ignores {glob!r}: {problem}")
        values["per_file_ignores"] = tuple(
            (glob, _codes(_strings(codes, f"per-file-ignores.{glob}", fail, key_line=glob), "per-file-ignores",
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


def _key_line(text: str, key: str) -> int | None:
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


def _codes(codes: list[str], key: str, fail: Any) -> tuple[str, ...]:
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
    from planlint.rules import all_codes

    return prefix == "ALL" or any(code.startswith(prefix) for code in all_codes())


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
        if code.upper() not in _known_codes():
            raise fail(code, f"unknown rule code '{code}' in [severity]")
    return tuple((code.upper(), _severity(level, "severity", fail)) for code, level in value.items())


def _known_codes() -> set[str]:
    from planlint.rules import all_codes

    return set(all_codes())


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
