"""The disk cache of what Python files define: `.planlint_cache/` under the root.

Entries are keyed by the SHA-256 of a file's bytes and written to a temporary file that is
renamed into place, so two concurrent runs never read half an entry; a damaged entry is a cache
miss; the folder tells git to ignore it and may be deleted at any time. A folder that cannot be
written (a read-only checkout) turns the cache off for the run, and so does a symlink anywhere on
the way from the root to an entry (a committed `.planlint_cache` link must not make planlint
read or write wherever it points): the cache lives inside the root or nowhere.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from planlint.parse.python import Definition, FileSymbols, Outline, ParseProblem

LOG = logging.getLogger(__name__)

CACHE_DIR = ".planlint_cache"
FORMAT = "symbols-v1"  # bump when an entry's content changes: older entries are then never read
OUTLINE_FORMAT = "outline-v1"  # the names a file defines, without lines (`parse.python.outline`)


class SymbolCache:
    """Entries under `<root>/.planlint_cache/symbols-v1/`, one JSON file per content hash (and,
    for files an outline showed need no parsing, under `outline-v1/`)."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        self.enabled = True
        self._ready = False
        self._safe: set[Path] = set()  # folders checked to be real folders inside the root

    def get(self, digest: str) -> FileSymbols | None:
        """The entry for this content; None when missing or damaged (parse again, overwrite it)."""
        raw = self._read(self._entry(digest))
        try:
            return None if raw is None else _from_json(raw, digest)
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def get_outline(self, digest: str) -> Outline | None:
        """The outline kept for this content; None when missing or damaged."""
        raw = self._read(self._entry(digest, OUTLINE_FORMAT))
        try:
            if raw is None or raw["format"] != OUTLINE_FORMAT or raw["sha256"] != digest:
                return None
            return tuple((str(qualname), str(kind)) for qualname, kind in raw["definitions"])
        except (ValueError, KeyError, TypeError):
            return None

    def put_outline(self, digest: str, found: Outline) -> None:
        entry = {"format": OUTLINE_FORMAT, "sha256": digest, "definitions": [list(d) for d in found]}
        self._write(self._entry(digest, OUTLINE_FORMAT), entry)

    def _read(self, entry: Path) -> Any:
        try:
            if not self._inside(entry.parent) or entry.is_symlink():
                return None
            return json.loads(entry.read_bytes())
        except (OSError, ValueError):
            return None

    def _inside(self, folder: Path) -> bool:
        """True when no folder from the cache folder down to this one is a symlink (a missing
        one is fine: planlint makes it). A symlink turns the cache off for the run."""
        if folder in self._safe:
            return True
        current = folder
        while True:
            if current.is_symlink():
                LOG.debug("symbol cache disabled: %s is a symlink", current)
                self.enabled = False
                return False
            if current == self.folder or current.parent == current:
                break
            current = current.parent
        if folder.is_dir():
            self._safe.add(folder)
        return True

    def put(self, digest: str, symbols: FileSymbols) -> None:
        self._write(self._entry(digest), _to_json(symbols, digest))

    def _write(self, entry: Path, content: dict[str, Any]) -> None:
        if not self.enabled:
            return
        try:
            if not self._inside(entry.parent):
                return
            if not self._ready:
                _prepare(self.folder)
                self._ready = True
            entry.parent.mkdir(parents=True, exist_ok=True)
            if not self._inside(entry.parent):  # made by another process as a symlink meanwhile
                return
            _atomic_write(entry, json.dumps(content, separators=(",", ":")))
        except OSError as exc:  # a read-only checkout: run without the cache
            LOG.debug("symbol cache disabled under %s: %s", self.folder, exc)
            self.enabled = False

    def _entry(self, digest: str, kind: str = FORMAT) -> Path:
        return self.folder / kind / digest[:2] / f"{digest}.json"


def _prepare(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tag = "Signature: 8a477f597d28d172789f06886806bc55\n# planlint cache: safe to delete\n"
    for name, text in ((".gitignore", "# created by planlint\n*\n"), ("CACHEDIR.TAG", tag)):
        if not (cache_dir / name).exists():
            _atomic_write(cache_dir / name, text)


def _atomic_write(path: Path, text: str) -> None:
    """Write a temporary file beside path and rename it over path (atomic on POSIX and Windows)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a cache entry is not a secret
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _to_json(symbols: FileSymbols, digest: str) -> dict[str, Any]:
    problem = symbols.problem
    return {
        "format": FORMAT,
        "sha256": digest,
        "lines": symbols.line_count,
        "definitions": [[d.qualname, d.kind, d.start, d.line, d.end] for d in symbols.definitions],
        "imports": sorted(symbols.imports),
        "problem": None if problem is None else [problem.line, problem.column, problem.message],
    }


def _from_json(raw: dict[str, Any], digest: str) -> FileSymbols:
    if raw["format"] != FORMAT or raw["sha256"] != digest:
        raise ValueError("not an entry for this content")
    problem = raw["problem"]
    return FileSymbols(
        tuple(Definition(str(q), str(k), int(s), int(n), int(e)) for q, k, s, n, e in raw["definitions"]),
        frozenset(str(i) for i in raw["imports"]),
        int(raw["lines"]),
        None if problem is None else ParseProblem(int(problem[0]), int(problem[1]), str(problem[2])),
    )
