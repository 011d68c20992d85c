"""The repository's files, and resolving what a plan writes to the file it means.

Whether a path exists is asked of the filesystem under the root (DESIGN.md §2, PL301): a file on
disk exists even when git ignores it, a file deleted from disk does not even while git's index
still lists it, and a path exists only with the exact case of every part and only when it stays
inside the root (`..`, and a symlink that leads out of the root, name no file of it). The list
of the repository's files (`git ls-files` inside a git repository, else a walk that skips hidden
and vendored folders) is made only when a name must be looked for, once per root and run: a
bare file name that matches exactly one file resolves to it (`status-cli.js` =
`scripts/status-cli.js`), and so does a partial path that is the tail of exactly one file
(`lib/plan-status.js`, when no `lib/` is at the root: `src/new.py` under an existing `src/` is a
file to come); anything else stays as written and matches only itself.
"""

from __future__ import annotations

import os
import posixpath
import stat
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from planlint.analysis.references import Reference, RefKind
from planlint.io import is_hidden_or_vendored

_MAX_WALK_FILES = 200_000
FILE = "file"
DIRECTORY = "directory"


class FileIndex:
    """The files under a root: existence from the filesystem, the listing on first need."""

    __slots__ = ("_by_name", "_files", "_kinds", "_names", "_real_root", "root")

    def __init__(self, root: Path, files: tuple[str, ...] | None = None) -> None:
        self.root = root
        self._real_root = os.path.realpath(root)
        self._files = files  # the listing: sorted POSIX paths relative to the root
        self._by_name: dict[str, list[str]] | None = None
        self._kinds: dict[str, str | None] = {}
        self._names: dict[str, frozenset[str]] = {}

    @property
    def files(self) -> tuple[str, ...]:
        """The repository's files (listed on first use: `git ls-files`, or a walk outside git)."""
        if self._files is None:
            listed = _git_files(self.root)
            self._files = tuple(sorted(_walk_files(self.root) if listed is None else listed))
        return self._files

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.kind(path) == FILE

    def is_directory(self, path: str) -> bool:
        return self.kind(path) == DIRECTORY

    def kind(self, path: str) -> str | None:
        """FILE or DIRECTORY when the relative POSIX path names one on disk under the root."""
        path = path.rstrip("/")
        if path not in self._kinds:
            self._kinds[path] = self._on_disk(path)
        return self._kinds[path]

    def ending_with(self, tail: str) -> str | None:
        """The one listed file on disk whose path is `tail` or ends with `/tail`; None when no
        file or several do (`status-cli.js`, `lib/plan-status.js`)."""
        if self._by_name is None:
            self._by_name = {}
            for path in self.files:
                self._by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
        found = None
        for path in self._by_name.get(tail.rsplit("/", 1)[-1], ()):
            if (path == tail or path.endswith("/" + tail)) and path in self:
                if found is not None:
                    return None
                found = path
        return found

    def under(self, directory: str) -> list[str]:
        """The listed files under a folder (whether each still exists is the reader's to find)."""
        files = self.files
        prefix = directory.rstrip("/") + "/"
        start = bisect_left(files, prefix)
        found = []
        for path in files[start:]:
            if not path.startswith(prefix):
                break
            found.append(path)
        return found

    def _on_disk(self, path: str) -> str | None:
        """Walk the path one part at a time from the real root: each part must be listed in its
        folder with this exact case (`Src/App.py` is not `src/app.py`, even on a filesystem that
        ignores case), and a symlink is followed only to a place inside the root."""
        parts = path.split("/")
        if not path or any(part in ("", ".", "..") for part in parts):
            return None
        folder = self._real_root
        for part in parts:
            if part not in self._names_in(folder):
                return None
            folder = os.path.join(folder, part)
            if os.path.islink(folder):
                folder = os.path.realpath(folder)
                if not _inside(folder, self._real_root):
                    return None
        try:
            mode = os.stat(folder).st_mode
        except (OSError, ValueError):
            return None
        return FILE if stat.S_ISREG(mode) else DIRECTORY if stat.S_ISDIR(mode) else None

    def _names_in(self, folder: str) -> frozenset[str]:
        names = self._names.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder))
            except (OSError, ValueError):
                names = frozenset()
            self._names[folder] = names
        return names


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@lru_cache(maxsize=8)
def file_index(root: Path) -> FileIndex:
    """The index of root, one per run (and per root): its listing is made at most once."""
    return FileIndex(root)


@lru_cache(maxsize=64)
def in_repository(root: Path) -> bool:
    """True when the root is a git repository or lies inside one."""
    folder = root.resolve()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def _git_files(root: Path) -> list[str] | None:
    if not any((folder / ".git").exists() for folder in (root, *root.parents)):
        return None
    import subprocess  # here: only a name to look for needs the listing

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
    exists: bool  # the file (or directory) is on disk under the root


def normalise(text: str) -> str:
    text = text.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    trailing = "/" if text.endswith("/") else ""
    text = text.lstrip("/")
    if text and not text.startswith(".") and "/." not in text and "//" not in text and not trailing:
        return text  # no `.`, `..` or empty part: normpath would return it as it is
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
    head = key.split("/", 1)[0]
    if "/" not in key or not index.is_directory(head):  # else a path from the root, not there yet
        found = index.ending_with(key)  # not on disk as written: the one file it can mean
        if found is not None:
            return Resolved(found, RefKind.FILE, True)
    if "/" not in key and not reference.backticked and not reference.command_write:
        return None
    return Resolved(key, RefKind.FILE, False)
