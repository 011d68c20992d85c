"""Finding the config and the root that govern a path (`find_root`, `Configs`), and reading the
file (`load_config`)."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planlint.config.settings import Config
from planlint.config.table import from_table, key_line
from planlint.errors import ConfigError

CONFIG_FILES = (".planlint.toml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above start, stopping at a git root or the filesystem root."""
    return find_root(start)[0]


def find_root(start: Path) -> tuple[Path | None, Path]:
    """(config file, root) for a path: the nearest folder at or above it with a planlint config
    (that file, that folder), else the nearest folder with `.git` (no file, that folder), else
    the folder that holds the path's `docs/plans` or `docs/plan-outputs` (the default layout),
    else the path's own folder (a file's folder). Never the current folder as such: a run from
    `/` must not index the whole disk."""
    folder = folder_of(start)
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
                return path, candidate
        if (candidate / ".git").exists():
            return None, candidate
    return None, _layout_root(folder)


def folder_of(path: Path) -> Path:
    """The folder a path's root is looked for from: a file's own folder, not its symlink target's
    (a link inside the repository to a file outside it belongs to the repository, whose root then
    refuses the write)."""
    absolute = Path(os.path.abspath(path))
    folder = absolute if absolute.is_dir() or (not absolute.suffix and not absolute.exists()) else absolute.parent
    with contextlib.suppress(OSError, RuntimeError):  # a symlink loop: the path as written
        folder = folder.resolve()
    return folder


# The folders the default `plans` and `status` globs name (DESIGN.md §7): a path inside one of
# them belongs to the project that holds its first folder.
_LAYOUTS = {"docs": ("plans", "plan-outputs"), ".kiro": ("specs",), ".planning": ("phases",)}


def _layout_root(folder: Path) -> Path:
    """The project a folder outside any repository belongs to, by the default layouts: the folder
    that holds `docs/plans`, `docs/plan-outputs`, `.kiro/specs` or `.planning/phases` above it (or
    is it), or `specs/` when the folder is a spec-kit feature folder with a `tasks.md`."""
    parts = folder.parts
    for index in range(len(parts) - 2, 0, -1):
        if parts[index + 1] in _LAYOUTS.get(parts[index], ()):
            return Path(*parts[:index])
    if parts[-1] in _LAYOUTS and any((folder / name).is_dir() for name in _LAYOUTS[parts[-1]]):
        return folder.parent
    if len(parts) > 2 and parts[-2] == "specs" and (folder / "tasks.md").is_file():
        return Path(*parts[:-2])
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
            raise ConfigError("'tool' must be a table ([tool.planlint])", path, key_line(text, "tool"))
        if path.name == "pyproject.toml" or "planlint" in tool:
            table = tool.get("planlint", {})
            if not isinstance(table, dict):
                raise ConfigError("'tool.planlint' must be a table", path, key_line(text, "planlint"))
            if path.name != "pyproject.toml" and len(data) > 1:
                other = next(k for k in data if k != "tool")
                raise ConfigError(f"unknown key '{other}' beside [tool.planlint]", path, key_line(text, other))
    return from_table(table, path, text)


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
        folder = folder_of(path)
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
