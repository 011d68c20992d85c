"""Reading sources: every way a file can fail to be a text becomes an InputError."""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from planlint.errors import InputError
from planlint.text import SourceText

# A plan or status file larger than this is not something a person wrote; refuse it politely.
MAX_BYTES = 64 * 1024 * 1024
# A temporary file this old belongs to no running write (the lock's staleness, too): it is what
# a killed run left behind, and the next write of the same file removes it.
STALE_TEMPORARY_SECONDS = 60
_BINARY_SNIFF = 8192


def read_source(path: Path | str, *, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read and decode one UTF-8 file (with or without BOM), or raise InputError."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError("is a directory, expected a file", path)
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes, more than the {max_bytes:,} planlint reads", path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path) from None
    return decode_source(data, path)


STDIN = Path("-")


def read_stdin(name: Path | None = None, *, stream: BinaryIO | None = None, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read and decode the plan piped to planlint (`planlint check -`), named after the file it
    stands for (`--stdin-filename`), which is how an editor checks a buffer before it is saved."""
    path = name or STDIN
    stream = stream or getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("no standard input to read", path)
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read standard input: {exc.strerror or exc}", path) from None
    if len(data) > max_bytes:
        raise InputError(f"standard input is more than the {max_bytes:,} bytes planlint reads", path)
    return decode_source(data, path)


def decode_source(data: bytes, path: Path | str = "<bytes>") -> SourceText:
    """Decode bytes as UTF-8 text; binary data or another encoding is an InputError."""
    path = Path(path)
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError("binary file (contains NUL bytes), expected UTF-8 text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); planlint reads UTF-8 text only",
            path,
            line,
        ) from None
    return SourceText.from_text(text, path, bom=bom)


def encode_like(text: str, source: SourceText) -> bytes:
    """The bytes of text with the original file's BOM (its newlines are already in text)."""
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if source.bom else data


def atomic_write(path: Path, text: str, source: SourceText) -> bool:
    """Write text over path atomically, keeping BOM and file mode; False when nothing changed.

    A temporary file in the same folder is written, flushed to disk and renamed over the
    original, so a crash at any point leaves either the old file or the new one, never a mix.
    """
    data = encode_like(text, source)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    _replace(path, data)
    return True


def rewrite_locked(path: Path, transform: Callable[[SourceText], str]) -> bool:
    """Under the orchestrator's lock: read path, transform its text, write it back atomically.

    Reading inside the lock matters: a status.json read before the lock may already be stale
    when we write, and writing it back would lose the orchestrator's update.
    """
    from planlint.lock import locked

    with locked(path):
        source = read_source(path)
        return atomic_write(path, transform(source), source)


def _replace(path: Path, data: bytes) -> None:
    import tempfile

    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".planlint-tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
    _sweep_leftovers(path)


def _sweep_leftovers(path: Path) -> None:
    """Remove the temporary files that killed runs left beside path (`.<name>.*.planlint-tmp`),
    once they are too old to belong to a write in progress."""
    import glob
    import time

    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.planlint-tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: it stays harmless


def is_hidden_or_vendored(name: str) -> bool:
    """Folders a plan search never enters."""
    return name.startswith(".") or name in {"node_modules", "__pycache__", "venv", "build", "dist"}


def walk_files(root: Path, suffix: str) -> list[Path]:
    """Files under root with the suffix, sorted, skipping hidden and vendored folders."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not is_hidden_or_vendored(d))
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith(suffix))
    return found
