"""The orchestrator's lock on status.json (DESIGN.md §5), compatible with proper-lockfile.

proper-lockfile makes a directory `<file>.lock` with mkdir (atomic on every filesystem), treats
a lock whose mtime is older than `stale` seconds as abandoned, and retries acquisition with
backoff. planlint follows the same protocol, so it and the orchestrator never write status.json
at the same time.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planlint.errors import InputError

STALE_SECONDS = 60.0
RETRY_SECONDS = 10.0


def lock_path(path: Path) -> Path:
    """`<path>.lock` beside the path as given, as the orchestrator's proper-lockfile does with
    `realpath: false` (so a symlinked status.json is locked where the orchestrator locks it)."""
    return Path(os.path.abspath(path) + ".lock")


def _retry_window() -> float:
    """RETRY_SECONDS, or PLANLINT_LOCK_RETRY_SECONDS when set (tests and impatient users)."""
    try:
        return float(os.environ.get("PLANLINT_LOCK_RETRY_SECONDS", RETRY_SECONDS))
    except ValueError:
        return RETRY_SECONDS


@contextmanager
def locked(path: Path, *, stale: float = STALE_SECONDS, retry_for: float | None = None) -> Iterator[None]:
    """Hold the lock on path for the duration of the block, or raise InputError after retry_for.

    Retries back off with random jitter (as proper-lockfile's do), so processes that start
    together do not retry in step and starve each other.
    """
    lock = lock_path(path)
    window = _retry_window() if retry_for is None else retry_for
    deadline = time.monotonic() + window
    delay = 0.05
    while True:
        try:
            os.mkdir(lock)
            owned = _identity(lock)
            break
        except FileExistsError:
            if _is_stale(lock, stale):
                _remove_stale(lock)
                continue
            if time.monotonic() >= deadline:
                raise InputError(
                    f"status file is locked by another process: could not take {lock.name} within {window:g} s",
                    path,
                ) from None
            time.sleep(min(delay * random.uniform(0.5, 1.5), max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.4)
        except OSError as exc:
            raise InputError(f"cannot lock: {exc.strerror or exc}", path) from None
    try:
        yield
    finally:
        try:
            if _identity(lock) == owned:  # another process may have judged ours stale and retaken it
                os.rmdir(lock)
        except OSError:
            pass  # already gone: nothing of ours to release


def _identity(lock: Path) -> tuple[int, int]:
    """What tells our lock directory from one made after it (inode numbers get reused)."""
    info = os.stat(lock)
    return info.st_ino, info.st_ctime_ns


def _is_stale(lock: Path, stale: float) -> bool:
    try:
        return time.time() - lock.stat().st_mtime > stale
    except FileNotFoundError:
        return False  # released between mkdir and stat: just retry


def _remove_stale(lock: Path) -> None:
    # Another process may have removed or re-taken it; the next mkdir decides.
    with contextlib.suppress(OSError):
        os.rmdir(lock)
