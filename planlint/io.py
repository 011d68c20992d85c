"""Reading sources: every way a file can fail to be a text becomes an InputError."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
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
    """Read and decode one UTF-8 file (with or without BOM), or raise InputError.

    A FIFO or character device named on the command line (`<(cat plan.md)`, /dev/stdin) is read
    as `cat` would, except that one nobody writes to reads as empty instead of blocking: it is
    opened without waiting for a writer. Sockets and block devices are refused."""
    path = Path(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
            with contextlib.suppress(OSError):
                raise InputError(f"is a {_kind(os.stat(path).st_mode)}, expected a file", path) from None
        raise InputError(_reason(exc), path) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory, expected a file", path)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
            raise InputError(f"is a {_kind(info.st_mode)}, expected a file", path)
        if info.st_size > max_bytes:
            raise InputError(f"file is {info.st_size:,} bytes, more than the {max_bytes:,} planlint reads", path)
        _set_blocking(handle)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    except PermissionError:
        raise InputError("permission denied", path) from None
    except OSError as exc:
        raise InputError(_reason(exc), path) from None
    finally:
        os.close(handle)
    if len(data) > max_bytes:
        raise InputError(f"file is more than the {max_bytes:,} bytes planlint reads", path)
    return decode_source(data, path)


def missing_reason(path: Path) -> str:
    """Why a path that does not exist as far as `Path.exists` can tell cannot be read."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"dangling symlink (to {os.readlink(path)})"
        if exc.errno != errno.ENOENT:
            return _reason(exc)
    return "no such file or directory"


def _set_blocking(handle: int) -> None:
    """Clear O_NONBLOCK: it was only there so that opening a FIFO does not wait for a writer."""
    with contextlib.suppress(AttributeError, OSError):
        os.set_blocking(handle, True)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    return exc.strerror or str(exc)


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


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
    where = long_number(data, text)
    if where is not None:
        limit = sys.get_int_max_str_digits()
        line = text.count("\n", 0, where) + 1
        message = f"a number of more than {limit:,} digits; planlint reads numbers of up to {limit:,}"
        raise InputError(message, path, line)
    return SourceText.from_text(text, path, bom=bom)


# Bytes that can be part of a run of decimal digits: ASCII digits; every non-ASCII byte (a digit
# of another script, such as Arabic-Indic, is two to four of them in UTF-8); and what a JSON
# escape of such a digit is made of (`\u0661`).
_DIGITISH = bytes(0x30 if chr(b) in "0123456789abcdefABCDEFu\\" or b >= 0x80 else 0x20 for b in range(256))


def long_number(data: bytes, text: str) -> int | None:
    """The offset in text of a run of more decimal digits than Python converts to an int
    (`sys.get_int_max_str_digits()`, 4,300 by default), written out or as JSON escapes, or None.

    Every place a plan or status number becomes an int (task IDs, phase numbers, line ranges,
    JSON numbers) would raise on such a run, and converting it would cost quadratic time anyway,
    so files holding one are refused where they are read. A byte-level scan (1 ms per MB) rules
    out almost every file; only a long stretch of non-ASCII or hex-like text is searched exactly."""
    limit = sys.get_int_max_str_digits()
    if limit == 0 or len(data) <= limit:
        return None
    if b"0" * (limit + 1) not in data.translate(_DIGITISH):
        return None
    inside_escape = "".join(rf"(?<!\\u[0-9a-fA-F]{{{n}}})" for n in range(4))  # not from the middle of `\u0661`
    run = re.compile(rf"(?<!\d){inside_escape}(?:\d|\\u[0-9a-fA-F]{{4}}){{{limit + 1},}}")
    for match in run.finditer(text):
        decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda escape: chr(int(escape.group(1), 16)), match.group())
        digits = re.search(rf"\d{{{limit + 1}}}", decoded)
        if digits is not None:
            return match.start()
    return None


def encode_like(text: str, source: SourceText) -> bytes:
    """The bytes of text with the original file's BOM (its newlines are already in text)."""
    data = text.encode("utf-8", "backslashreplace")  # a lone surrogate (a JSON "\\ud800") as its escape
    return codecs.BOM_UTF8 + data if source.bom else data


def atomic_write(
    path: Path,
    text: str,
    source: SourceText,
    *,
    root: Path | None = None,
    before_replace: Callable[[], None] | None = None,
) -> bool:
    """Write text over the file source was read from, atomically; False when nothing changed.

    DESIGN.md §5, "Writes": a symlink is written through to its target (refused when that lies
    outside root), only a regular file is replaced, a read-only file is refused, and a file that
    no longer holds what planlint read (edited meanwhile) is left as it is: each an InputError.
    A temporary file in the target's folder is written, flushed to disk and renamed over it, so
    a crash at any point leaves either the old file or the new one, never a mix; the file's BOM
    and mode are kept. `before_replace` runs just before the rename (the lock's last check).
    """
    data = encode_like(text, source)
    target = _write_target(path, root)
    info = _stat_target(target, path)
    if info is None or not stat.S_ISREG(info.st_mode):
        what = "no longer exists" if info is None else f"is a {_kind(info.st_mode)}, not a regular file"
        raise InputError(f"{what}; not written", path)
    _refuse_read_only(target, info, path)
    original = encode_like(source.text, source)
    current = _read_back(target, path)
    if current == data:
        return False
    if current != original:
        raise InputError(_CHANGED, path)

    def last_checks() -> None:
        if _read_back(target, path) != original:
            raise InputError(_CHANGED, path)
        if before_replace is not None:
            before_replace()

    _replace(target, data, path, mode=stat.S_IMODE(info.st_mode), last_checks=last_checks)
    return True


_CHANGED = "changed on disk while planlint was working on it; left as it is (run planlint again)"


def write_output(path: Path, text: str, *, root: Path | None = None) -> None:
    """Write a document planlint produced (`emit -o`) to path.

    A regular file (or a new one) is replaced atomically, through a symlink when its target lies
    inside root; a FIFO or character device (/dev/stdout, /dev/null, a pipe) is written in place,
    and one with no reader is an error rather than a hang; anything else is refused."""
    data = text.encode("utf-8", "backslashreplace")
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path) from None
    if info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        _write_in_place(path, data)
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(f"is a {_kind(info.st_mode)}; planlint writes regular files", path)
    target = _write_target(path, root)
    mode = None
    if info is not None:
        _refuse_read_only(target, info, path)
        mode = stat.S_IMODE(info.st_mode)
        with contextlib.suppress(OSError):
            if target.read_bytes() == data:
                return
    _replace(target, data, path, mode=mode)


def _write_in_place(path: Path, data: bytes) -> None:
    try:
        handle = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError("no process is reading this FIFO; not written", path) from None
        raise InputError(f"cannot write: {_reason(exc)}", path) from None
    try:
        _set_blocking(handle)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    except BrokenPipeError:
        pass  # the reader went away (`emit -o /dev/stdout | head`): as with stdout, not an error
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path) from None
    finally:
        os.close(handle)


def _write_target(path: Path, root: Path | None) -> Path:
    """The file a write to path lands in: path itself, or the end of its symlink chain when that
    lies inside root (a symlink to a file outside root, or a loop, is refused). Replacing the
    link itself would leave its target stale and the link a copy."""
    try:
        real = Path(os.path.realpath(path, strict=False))
        if os.path.islink(path):
            os.path.realpath(path, strict=True)  # a loop raises here
    except FileNotFoundError:
        pass  # a link to a file not yet written (`-o`): written where it points
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path) from None
    if root is not None and os.path.islink(path):
        real_root = Path(os.path.realpath(root))
        if real != real_root and real_root not in real.parents:
            raise InputError(f"is a symlink to {real}, outside the root {real_root}; not written", path)
    return real if os.path.islink(path) else path


def _stat_target(target: Path, path: Path) -> os.stat_result | None:
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path) from None


def _refuse_read_only(target: Path, info: os.stat_result, path: Path) -> None:
    """A file without write permission is refused, not replaced (a rename would ignore its mode;
    root's access() says yes to everything, so the mode bits are asked too)."""
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise InputError("is read-only (no write permission); not written", path)


def _read_back(target: Path, path: Path) -> bytes:
    try:
        return target.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read it back before writing: {_reason(exc)}", path) from None


def rewrite_locked(path: Path, transform: Callable[[SourceText], str], *, root: Path | None = None) -> bool:
    """Under the orchestrator's lock: read path, transform its text, write it back atomically.

    Reading inside the lock matters: a status.json read before the lock may already be stale
    when we write, and writing it back would lose the orchestrator's update. The lock is checked
    to be still ours just before the rename.
    """
    from planlint.lock import locked

    with locked(path) as lock:
        source = read_source(path)
        return atomic_write(path, transform(source), source, root=root, before_replace=lambda: lock.ensure_held(path))


def _replace(
    target: Path,
    data: bytes,
    path: Path,
    *,
    mode: int | None,
    last_checks: Callable[[], None] | None = None,
) -> None:
    """Write data to a temporary file beside target, then rename it over target (errors name
    path, the file the user gave)."""
    import tempfile

    if mode is None:
        mode = 0o666 & ~_umask()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".planlint-tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        if last_checks is not None:
            last_checks()
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {_reason(exc)}", path) from None
        raise
    _sweep_leftovers(target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
    """Regular files under root with the suffix, sorted, skipping hidden and vendored folders."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not is_hidden_or_vendored(d))
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith(suffix) and _is_regular(Path(folder, f)))
    return found


def _is_regular(path: Path) -> bool:
    """A folder walk takes regular files (and symlinks to them) only: a FIFO would block the
    read, and a dangling link or a symlink loop is nothing to check."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
