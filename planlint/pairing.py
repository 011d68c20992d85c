"""Pairing a plan with its status.json, and a status.json with its plan.

Order of precedence: the config's `status`/`plans` globs (a `{stem}` in a
glob stands for the plan's file stem), the folder convention `<outputs>/<plan-stem>/status.json`
(the corpus layout, `archive/` included, preferring the candidate whose archive-ness matches),
a `status.json` beside the plan, and last a status.json whose `planPath` names the plan. planPath
alone is not trusted first: plans move (to `archive/`) and planPath goes stale, and a planPath
that leads outside the root (absolute, `../`, a symlink) is never followed.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from planlint.config import Config

STATUS_NAME = "status.json"


class Pairer:
    """Finds pairs for one run; the globbed file lists are read once per run."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root.resolve()
        self._plan_paths: dict[Path, str | None] = {}  # status file -> its planPath, once read

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
        candidates = [p for p in self.status_files if p.parent.name == stem]
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
                if (self.root / value).resolve() == target:
                    return candidate
            except OSError:
                continue
        return None  # a status file outside the root is never paired: it is not in status_files

    def _plan_path_naming(self, status_path: Path, name: str) -> str | None:
        """The planPath of a status file that may name a plan called name, read once per run.

        A file whose bytes hold neither the name nor a backslash (an escape could spell it) is not
        parsed: a plan with no status file of its own costs a read of each status file, not a
        parse. (A planPath that reaches the plan only through a symlink of another name is missed.)
        """
        if status_path in self._plan_paths:
            return self._plan_paths[status_path]
        try:
            data = status_path.read_bytes()
        except OSError:
            return None
        if name.encode("utf-8", "surrogateescape") not in data and b"\\" not in data:
            return None
        value = self._plan_paths[status_path] = _plan_path_in(data)
        return value

    def plan_for(self, status_path: Path) -> Path | None:
        """The plan a status.json belongs to, or None."""
        stem = status_path.parent.name
        plans = [p for p in self.plan_files if p.stem == stem]
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


def names_plan(value: str | None, plan_path: Path, root: Path) -> bool:
    """True when a planPath value names this plan (relative to the repository root)."""
    if not value:
        return False
    try:
        return (root / value).resolve() == plan_path.resolve()
    except OSError:
        return False


def _prefer_same_archive(candidates: list[Path], anchor: Path) -> Path:
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
