"""The repository's files, and resolving what a plan writes to the file it means.

The index is built once per root and only when a rule asks: `git ls-files` inside a git
repository, else a walk that skips hidden and vendored folders. Resolution (DESIGN.md §2):
`./` and `..` are normalised; a bare file name that matches exactly one file resolves to it
(`status-cli.js` = `scripts/status-cli.js`), and so does a partial path that is the tail of
exactly one file (`lib/plan-status.js`); anything else stays as written and matches only itself.
"""

from __future__ import annotations

import os
import posixpath
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from planlint.analysis.references import Reference, RefKind
from planlint.io import is_hidden_or_vendored

_MAX_WALK_FILES = 200_000


class FileIndex:
    """The files under a root, as sorted POSIX paths relative to it."""

    __slots__ = ("_by_name", "files", "root")

    def __init__(self, root: Path, files: tuple[str, ...]) -> None:
        self.root = root
        self.files = files
        self._by_name: dict[str, list[str]] = {}
        for path in files:
            self._by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        index = bisect_left(self.files, path)
        return index < len(self.files) and self.files[index] == path

    def is_directory(self, path: str) -> bool:
        prefix = path.rstrip("/") + "/"
        index = bisect_left(self.files, prefix)
        return index < len(self.files) and self.files[index].startswith(prefix)

    def named(self, name: str) -> list[str]:
        return self._by_name.get(name, [])

    def under(self, directory: str) -> list[str]:
        prefix = directory.rstrip("/") + "/"
        start = bisect_left(self.files, prefix)
        found = []
        for path in self.files[start:]:
            if not path.startswith(prefix):
                break
            found.append(path)
        return found


@lru_cache(maxsize=8)
def file_index(root: Path) -> FileIndex:
    """The index of root, built once per run (and per root)."""
    files = _git_files(root)
    if files is None:
        files = _walk_files(root)
    return FileIndex(root, tuple(sorted(files)))


@lru_cache(maxsize=64)
def in_repository(root: Path) -> bool:
    """True when the root is a git repository or lies inside one."""
    folder = root.resolve()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def _git_files(root: Path) -> list[str] | None:
    if not any((folder / ".git").exists() for folder in (root, *root.parents)):
        return None
    import subprocess  # here: outside a git checkout the walk needs no child process

    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root, capture_output=True, timeout=60, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return [p for p in result.stdout.decode("utf-8", "replace").split("\0") if p]


def _walk_files(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not is_hidden_or_vendored(d) or d in (".claude", ".github")]
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in files)
        if len(found) > _MAX_WALK_FILES:
            break
    return found


class Resolved(NamedTuple):
    """What a reference resolves to: a key that equal files share, and how sure we are."""

    key: str  # a repository path, a directory ending in "/", a glob, or the text as written
    kind: RefKind
    exists: bool  # the file (or directory) is in the index


def normalise(text: str) -> str:
    text = text.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    trailing = "/" if text.endswith("/") else ""
    text = text.lstrip("/")
    normal = posixpath.normpath(text) if text else text
    return normal + trailing if normal not in (".", "") else ""


def resolve(reference: Reference, index: FileIndex | None) -> Resolved | None:
    """The file a reference names, or None when it should not count as a file reference.

    A bare name in prose that no file matches (`Node.js`) is not a reference; backticked
    names always are.
    """
    if reference.kind is RefKind.SYMBOL:
        return None
    key = normalise(reference.text)
    if not key:
        return None
    if reference.kind is RefKind.DIRECTORY:
        exists = index is not None and index.is_directory(key)
        return Resolved(key, RefKind.DIRECTORY, exists)
    if reference.kind is RefKind.GLOB:
        return Resolved(key, RefKind.GLOB, False)
    if index is None:
        if "/" not in key and not reference.backticked:
            return None
        return Resolved(key, RefKind.FILE, False)
    if key in index:
        return Resolved(key, RefKind.FILE, True)
    if index.is_directory(key):
        return Resolved(key + "/", RefKind.DIRECTORY, True)
    name = key.rsplit("/", 1)[-1]
    candidates = [p for p in index.named(name) if p == key or p.endswith("/" + key)]
    if len(candidates) == 1:
        return Resolved(candidates[0], RefKind.FILE, True)
    if "/" not in key and not reference.backticked and not reference.command_write:
        return None
    return Resolved(key, RefKind.FILE, False)
