"""Which files a run looks at, the same for `check` and `fix`.

A folder argument yields every `*.md` under it that a `plans` glob matches and every
`status.json` a `status` glob matches, each against its own root (one run may span several),
minus what `exclude` matches (a folder outside the root of a config given for every path, which
no glob can describe, yields all of them); a named file is taken as named unless excluded. Among plans, index
files (no phase heading and no task line: a README, an EXECUTION-ORDER.md) are skipped, named or
found; a file with a phase heading or a task line that parses to no phase or task is a plan
that PL001 reports, never a silent skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from planlint.config import Config, Configs
from planlint.errors import InputError
from planlint.io import missing_reason, walk_files
from planlint.model import Plan

STATUS_NAME = "status.json"


class Target(NamedTuple):
    """A file to check, whether the user named it, and the config of its root."""

    path: Path
    explicit: bool
    config: Config


def discover(paths: Sequence[Path], configs: Configs) -> tuple[list[Target], list[InputError]]:
    """Expand folders to the plans and status files inside them that the globs of their root
    match, plans first; named files as they are; missing paths become errors."""
    targets: list[Target] = []
    errors: list[InputError] = []
    for path in paths:
        if path.is_dir():
            config = configs.for_path(path)
            enter = hidden_folders_named(config)
            plans = walk_files(path, ".md", enter)
            for found in plans + [p for p in walk_files(path, STATUS_NAME, enter) if p.name == STATUS_NAME]:
                config = configs.for_path(found)
                relative = relative_to_root(found, config.root)
                if relative is None:  # outside the root of a config given for every path: no glob applies
                    wanted = True
                elif config.is_excluded(relative):
                    continue
                else:
                    wanted = config.is_status(relative) if is_status_file(found) else config.is_plan(relative)
                if wanted:
                    targets.append(Target(relative_to_cwd(found), False, config))
        elif path.exists():
            config = configs.for_path(path)
            relative = relative_to_root(path, config.root)
            if relative is None or not config.is_excluded(relative):
                targets.append(Target(relative_to_cwd(path), True, config))
        else:
            errors.append(InputError(missing_reason(path), path))
    seen: set[Path] = set()
    unique = []
    for target in sorted(targets, key=lambda item: is_status_file(item.path)):
        key = real_path(target.path)
        if key not in seen:
            seen.add(key)
            unique.append(target)
    return unique, errors


def hidden_folders_named(config: Config) -> frozenset[str]:
    """Hidden folders a `plans` or `status` glob names as they are (`.kiro`, `.planning`): a
    folder walk enters them, since the globs say plans live there; other hidden folders (`.git`,
    `.venv`) it skips."""
    return frozenset(
        part
        for pattern in (*config.plans, *config.status)
        for part in pattern.split("/")
        if part.startswith(".") and part not in {".", ".."} and not any(c in part for c in "*?[")
    )


def configured_plans(config: Config) -> list[Path]:
    """Files matching the config's `plans` globs under its root, minus `exclude`."""
    found: dict[Path, None] = {}
    root = config.root
    for pattern in config.plans:
        for path in sorted(root.glob(pattern)):
            relative = relative_to_root(path, root)
            if path.is_file() and relative is not None and not config.is_excluded(relative):
                found[relative_to_cwd(path)] = None
    return list(found)


def is_status_file(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def is_index_file(plan: Plan) -> bool:
    """No phase and nothing that makes the file a plan: no `Phase` heading, no task line, no
    title that names a plan ("Implementation Plan: Auth"), and some text (an empty file named
    or found among plans is an empty plan)."""
    return not plan.phases and not plan.looks_like_plan and not has_task_line(plan.source.text)


# A list item that starts with a task ID (`- [ ] 1.2 ...`, `1. **2.3** ...`), outside code fences.
_TASK_LINE = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?[*_`]*\d+\.\d+\b", re.M)
_FENCE = re.compile(r"^[ \t>]*(```|~~~)", re.M)


def has_task_line(text: str) -> bool:
    if _TASK_LINE.search(text) is None:
        return False
    inside = False
    for line in text.splitlines():
        if _FENCE.match(line):
            inside = not inside
        elif not inside and _TASK_LINE.match(line):
            return True
    return False


def relative_to_root(path: Path, root: Path) -> str | None:
    """The POSIX path of path under root, or None when it lies outside."""
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return real_path(path).relative_to(real_path(root)).as_posix()
    except ValueError:
        return None


def relative_to_cwd(path: Path) -> Path:
    """Paths under the current folder relative to it, as a user types them; others absolute."""
    absolute = Path(os.path.abspath(path))
    cwd = Path(os.getcwd())
    try:
        return absolute.relative_to(cwd)
    except ValueError:
        pass
    try:
        return real_path(absolute).relative_to(real_path(cwd))
    except ValueError:
        return absolute


def real_path(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))
