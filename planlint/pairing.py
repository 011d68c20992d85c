"""Pairing a plan with its status.json, and a status.json with its plan.

Order of precedence: the config's `status`/`plans` globs (a `{stem}` in a
glob stands for the plan's file stem), the folder convention `<outputs>/<plan-stem>/status.json`
(the corpus layout, `archive/` included, preferring the candidate whose archive-ness matches),
a `status.json` beside the plan, and last a status.json whose `planPath` names the plan. planPath
alone is not trusted first: plans move (to `archive/`) and planPath goes stale, and a planPath
that leads outside the root (absolute, `../`, a symlink) is never followed.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from planlint.config import Config

STATUS_NAME = "status.json"
# The value of every `planPath` key of a file with no backslash (so no escapes: each string is
# spelled as it reads), at any depth: a superset of the one json.loads would keep.
_PLAN_PATH_LITERAL = re.compile(rb'"planPath"\s*:\s*"([^"]*)"')


class Pairer:
    """Finds pairs for one run; the globbed file lists are read once per run."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root.resolve()
        self._plan_paths: dict[Path, str | None] = {}  # status file -> its planPath, once parsed
        self._literals: dict[Path, tuple[bytes, ...]] = {}  # escape-free status file -> its planPath spellings
        self._targets: dict[str, Path | None] = {}  # planPath -> the file it names

    @cached_property
    def _status_by_folder(self) -> dict[str, list[Path]]:
        """The status files by the name of their folder (the plan stem they pair with)."""
        found: dict[str, list[Path]] = {}
        for path in self.status_files:
            found.setdefault(path.parent.name, []).append(path)
        return found

    @cached_property
    def _plans_by_stem(self) -> dict[str, list[Path]]:
        found: dict[str, list[Path]] = {}
        for path in self.plan_files:
            found.setdefault(path.stem, []).append(path)
        return found

    @cached_property
    def status_files(self) -> list[Path]:
        return _glob(self.root, [p for p in self.config.status if "{stem}" not in p])

    @cached_property
    def plan_files(self) -> list[Path]:
        return _glob(self.root, list(self.config.plans))

    def status_for(self, plan_path: Path) -> Path | None:
        """The status.json of a plan, or None."""
        stem = plan_path.stem
        for pattern in self.config.status:
            if "{stem}" in pattern:
                candidate = self.root / pattern.replace("{stem}", stem)
                if candidate.is_file():
                    return candidate
        candidates = self._status_by_folder.get(stem)
        if candidates:
            return _prefer_same_archive(candidates, plan_path)
        beside = plan_path.parent / STATUS_NAME
        if beside.is_file() and _only_plan_in_folder(plan_path):
            return beside
        target: Path | None = None  # the plan's real path, resolved once for all candidates
        for candidate in self.status_files:
            value = self._plan_path_naming(candidate, plan_path.name)
            if not value:
                continue
            try:
                target = target or plan_path.resolve()
            except OSError:
                continue
            if self._resolved(value) == target:
                return candidate
        return None  # a status file outside the root is never paired: it is not in status_files

    def _resolved(self, value: str) -> Path | None:
        """The real path a planPath names (None when it cannot be resolved), once per run: the
        plans with no status file of their own each compare it."""
        if value not in self._targets:
            try:
                self._targets[value] = (self.root / value).resolve()
            except OSError:
                self._targets[value] = None
        return self._targets[value]

    def _plan_path_naming(self, status_path: Path, name: str) -> str | None:
        """The planPath of a status file that may name a plan called name, read once per run.

        A file with a backslash (an escape could spell the name) is parsed once. Any other is read
        once for the spellings of its `planPath` keys, and parsed only when one holds the name:
        the plans with no status file of their own cost a read of each status file, not a parse,
        and not a read per plan. (A planPath that reaches the plan only through a symlink of
        another name is missed.)
        """
        if status_path in self._plan_paths:
            return self._plan_paths[status_path]
        literals = self._literals.get(status_path)
        if literals is None:
            try:
                data = status_path.read_bytes()
            except OSError:
                return None
            if b"\\" in data:
                value = self._plan_paths[status_path] = _plan_path_in(data)
                return value
            literals = self._literals[status_path] = tuple(_PLAN_PATH_LITERAL.findall(data))
        encoded = name.encode("utf-8", "surrogateescape")
        if not any(encoded in literal for literal in literals):
            return None
        self._plan_paths[status_path] = value = read_plan_path(status_path)
        return value

    def plan_for(self, status_path: Path) -> Path | None:
        """The plan a status.json belongs to, or None."""
        stem = status_path.parent.name
        plans = self._plans_by_stem.get(stem)
        if plans:
            return _prefer_same_archive(plans, status_path)
        beside = [p for p in status_path.parent.glob("*.md") if p.is_file()]
        if len(beside) == 1:
            return beside[0]
        named = self.inside_root(read_plan_path(status_path))
        return named if named is not None and named.is_file() else None

    def inside_root(self, value: str | None) -> Path | None:
        """The file a planPath names, when it lies inside the root (after `..` and symlinks);
        None otherwise: a planPath never makes a file outside the root a plan to read or fix."""
        if not value:
            return None
        try:
            target = (self.root / value).resolve()
        except (OSError, RuntimeError, ValueError):
            return None
        return target if target == self.root or self.root in target.parents else None


def read_plan_path(status_path: Path) -> str | None:
    """The `planPath` a status file records (None when unreadable or absent)."""
    try:
        return _plan_path_in(status_path.read_bytes())
    except OSError:
        return None


def _plan_path_in(data: bytes) -> str | None:
    import json  # here: most runs never read a status file this way

    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None
    value = value.get("planPath") if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def names_plan(value: str | None, real_plan: Path, root: Path) -> bool:
    """True when a planPath value names this plan (relative to the repository root); real_plan
    is the plan's resolved path."""
    if not value:
        return False
    try:
        return (root / value).resolve() == real_plan
    except OSError:
        return False


def _prefer_same_archive(candidates: list[Path], anchor: Path) -> Path:
    if len(candidates) == 1:
        return candidates[0]  # nothing to prefer: no path to resolve
    archived = "archive" in anchor.resolve().parts
    matching = [c for c in candidates if ("archive" in c.resolve().parts) == archived]
    return sorted(matching or candidates)[0]


def _only_plan_in_folder(plan_path: Path) -> bool:
    return [p.name for p in plan_path.parent.glob("*.md")] == [plan_path.name]


def _glob(root: Path, patterns: list[str]) -> list[Path]:
    found: dict[Path, None] = {}
    for pattern in patterns:
        found.update((p, None) for p in sorted(root.glob(pattern)) if p.is_file())
    return list(found)
