"""The globs of `plans`, `status`, `exclude` and `per-file-ignores`: matching a path relative to
the root, and why a glob can never match one."""

from __future__ import annotations

import re
from functools import lru_cache


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
