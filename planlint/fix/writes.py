"""Writing files: atomically, under the orchestrator's lock for status.json, and never over
what another process changed meanwhile (DESIGN.md §5, "Writes")."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planlint.errors import InputError
from planlint.fix.lock import locked
from planlint.io import encode_like, file_kind, os_error_reason, read_source, set_blocking
from planlint.text import SourceText

if TYPE_CHECKING:
    from planlint.fix.loop import FixOutcome

# A temporary file this old belongs to no running write (the lock's staleness, too): it is what
# a killed run left behind, and the next write of the same file removes it.
STALE_TEMPORARY_SECONDS = 60


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
        what = "no longer exists" if info is None else f"is a {file_kind(info.st_mode)}, not a regular file"
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
    """Write a document planlint produced (`emit -o`) to path (see `write_streamed`)."""
    write_streamed(path, lambda out: out.write(text), root=root)


def write_streamed(path: Path, produce: Callable[[TextSink], object], *, root: Path | None = None) -> None:
    """Write what `produce` writes to a text sink to path, never holding the whole text: the JSON
    of `emit -o` on a plan of n tasks that all touch one file lists n^2 pairs.

    A regular file (or a new one) is replaced atomically, through a symlink when its target lies
    inside root, and left untouched when it already holds those bytes; a FIFO or character
    device (/dev/stdout, /dev/null, a pipe) is written in place, and one with no reader is an
    error rather than a hang; anything else is refused."""
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None
    if info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        _write_in_place(path, produce)
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(f"is a {file_kind(info.st_mode)}; planlint writes regular files", path)
    target = _write_target(path, root)
    mode = None
    if info is not None:
        _refuse_read_only(target, info, path)
        mode = stat.S_IMODE(info.st_mode)
    _replace(target, produce, path, mode=mode, keep_same=info is not None)


class TextSink:
    """A text stream over a file descriptor: each write is encoded (UTF-8; what cannot be, as a
    backslash escape) and written whole, so nothing waits in a buffer of its own."""

    def __init__(self, handle: int) -> None:
        self.handle = handle

    def write(self, text: str) -> int:
        self.write_bytes(text.encode("utf-8", "backslashreplace"))
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.handle, view) :]


def _write_in_place(path: Path, produce: Callable[[TextSink], object]) -> None:
    try:
        handle = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError("no process is reading this FIFO; not written", path) from None
        raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None
    try:
        set_blocking(handle)
        produce(TextSink(handle))
    except BrokenPipeError:
        pass  # the reader went away (`emit -o /dev/stdout | head`): as with stdout, not an error
    except OSError as exc:
        raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None
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
        raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None
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
        raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None


def _refuse_read_only(target: Path, info: os.stat_result, path: Path) -> None:
    """A file without write permission is refused, not replaced (a rename would ignore its mode;
    root's access() says yes to everything, so the mode bits are asked too)."""
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise InputError("is read-only (no write permission); not written", path)


def _read_back(target: Path, path: Path) -> bytes:
    try:
        return target.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read it back before writing: {os_error_reason(exc)}", path) from None


def rewrite_locked(path: Path, transform: Callable[[SourceText], str], *, root: Path | None = None) -> bool:
    """Under the orchestrator's lock: read path, transform its text, write it back atomically.

    Reading inside the lock matters: a status.json read before the lock may already be stale
    when we write, and writing it back would lose the orchestrator's update. The lock is checked
    to be still ours just before the rename.
    """
    with locked(path) as lock:
        source = read_source(path)
        return atomic_write(path, transform(source), source, root=root, before_replace=lambda: lock.ensure_held(path))


def _replace(
    target: Path,
    produce: Callable[[TextSink], object] | bytes,
    path: Path,
    *,
    mode: int | None,
    last_checks: Callable[[], None] | None = None,
    keep_same: bool = False,
) -> None:
    """Write a temporary file beside target (the bytes, or what `produce` writes), then rename it
    over target; with `keep_same`, a target that already holds those bytes is left as it is.
    Errors name path, the file the user gave."""
    import tempfile

    if mode is None:
        mode = 0o666 & ~_umask()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".planlint-tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None
    try:
        try:
            sink = TextSink(handle)
            sink.write_bytes(produce) if isinstance(produce, bytes) else produce(sink)
            if keep_same and _same_contents(temporary, target):
                os.unlink(temporary)
                return
            os.fsync(handle)
        finally:
            os.close(handle)
        os.chmod(temporary, mode)
        if last_checks is not None:
            last_checks()
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {os_error_reason(exc)}", path) from None
        raise
    _sweep_leftovers(target)


def _same_contents(temporary: str, target: Path) -> bool:
    import filecmp

    try:
        return filecmp.cmp(temporary, target, shallow=False)
    except OSError:
        return False


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


def write_outcome(outcome: FixOutcome, root: Path | None = None) -> list[Path]:
    """Write the fixed texts (DESIGN.md §5, "Writes"): plans atomically, status files under the
    orchestrator's lock; each only if it still holds what the fix started from (an edit made
    meanwhile is kept and reported as an InputError), never a read-only file, and through a
    symlink only to a file inside root. Returns the paths written."""
    written = []
    for path, (original, text) in outcome.changed().items():
        if path.suffix.lower() == ".json":

            def transform(current: SourceText, original: SourceText = original, text: str = text) -> str:
                if current.text != original.text:
                    raise InputError(
                        "changed by another process while planlint was fixing it; left as it is (run fix again)",
                        current.path,
                    )
                return text

            changed = rewrite_locked(path, transform, root=root)
        else:
            changed = atomic_write(path, text, original, root=root)
        if changed:
            written.append(path)
    return written
