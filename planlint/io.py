"""Reading sources: every way a file can fail to be a text becomes an InputError."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from planlint.errors import InputError
from planlint.text import SourceText

# A plan or status file larger than this is not something a person wrote; refuse it politely.
MAX_BYTES = 64 * 1024 * 1024
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
                raise InputError(f"is a {file_kind(os.stat(path).st_mode)}, expected a file", path) from None
        raise InputError(os_error_reason(exc), path) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory, expected a file", path)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
            raise InputError(f"is a {file_kind(info.st_mode)}, expected a file", path)
        if info.st_size > max_bytes:
            raise InputError(f"file is {info.st_size:,} bytes, more than the {max_bytes:,} planlint reads", path)
        set_blocking(handle)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    except PermissionError:
        raise InputError("permission denied", path) from None
    except OSError as exc:
        raise InputError(os_error_reason(exc), path) from None
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
            return os_error_reason(exc)
    return "no such file or directory"


def set_blocking(handle: int) -> None:
    """Clear O_NONBLOCK: it was only there so that opening a FIFO does not wait for a writer."""
    with contextlib.suppress(AttributeError, OSError):
        os.set_blocking(handle, True)


def os_error_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    return exc.strerror or str(exc)


def file_kind(mode: int) -> str:
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


def is_hidden_or_vendored(name: str) -> bool:
    """Folders a plan search never enters."""
    return name.startswith(".") or name in {"node_modules", "__pycache__", "venv", "build", "dist"}


def walk_files(root: Path, suffix: str, enter: frozenset[str] = frozenset()) -> list[Path]:
    """Regular files under root with the suffix, sorted, skipping hidden and vendored folders
    except those named in `enter` (`.kiro`, `.planning`: where some dialects keep their plans)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d in enter or not is_hidden_or_vendored(d))
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith(suffix) and _is_regular(Path(folder, f)))
    return found


def _is_regular(path: Path) -> bool:
    """A folder walk takes regular files (and symlinks to them) only: a FIFO would block the
    read, and a dangling link or a symlink loop is nothing to check."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
