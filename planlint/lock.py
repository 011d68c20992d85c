"""The orchestrator's lock on status.json (DESIGN.md §5), compatible with proper-lockfile.

proper-lockfile makes a directory `<file>.lock` with mkdir (atomic on every filesystem), treats
a lock whose mtime is older than `stale` seconds as abandoned, and retries acquisition with
backoff. planlint follows the same protocol, so it and the orchestrator never write status.json
at the same time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planlint.errors import InputError

STALE_SECONDS = 60.0
RETRY_SECONDS = 10.0


def lock_path(path: Path) -> Path:
    """proper-lockfile locks the real path of the file: `<realpath>.lock`."""
    return Path(os.path.realpath(path) + ".lock")


@contextmanager
def locked(path: Path, *, stale: float = STALE_SECONDS, retry_for: float = RETRY_SECONDS) -> Iterator[None]:
    """Hold the lock on path for the duration of the block, or raise InputError after retry_for."""
    lock = lock_path(path)
    deadline = time.monotonic() + retry_for
    delay = 0.05
    while True:
        try:
            os.mkdir(lock)
            break
        except FileExistsError:
            if _is_stale(lock, stale):
                _remove_stale(lock)
                continue
            if time.monotonic() >= deadline:
                raise InputError(
                    f"status file is locked by another process ({lock.name} held for more than {retry_for:g} s)",
                    path,
                ) from None
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 1.0)
        except OSError as exc:
            raise InputError(f"cannot lock: {exc.strerror or exc}", path) from None
    try:
        yield
    finally:
        try:
            os.rmdir(lock)
        except OSError:
            pass  # someone judged it stale and took it over; nothing of ours to release


def _is_stale(lock: Path, stale: float) -> bool:
    try:
        return time.time() - lock.stat().st_mtime > stale
    except FileNotFoundError:
        return False  # released between mkdir and stat: just retry


def _remove_stale(lock: Path) -> None:
    try:
        os.rmdir(lock)
    except OSError:
        pass  # another process removed or re-took it; the next mkdir decides
