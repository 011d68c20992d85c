"""The orchestrator's lock on status.json (DESIGN.md §5), compatible with proper-lockfile.

proper-lockfile makes a directory `<file>.lock` with mkdir (atomic on every filesystem), treats
a lock whose mtime is older than `stale` seconds as abandoned, refreshes the mtime of a lock it
holds (its `update`) so a long hold is never judged stale, and retries acquisition with backoff.
planlint follows the same protocol, so it and the orchestrator never write status.json at the
same time, and adds two things proper-lockfile lacks:

- Taking over a stale lock is serialised among planlint processes: the check that the lock is
  still the stale one and its removal happen under an flock on the lock's folder (released by the
  kernel if the process dies), and the lock is moved aside by rename and removed only if it is
  the very directory judged stale. Without this, two processes that both saw the stale lock
  could each remove it, the second removing the first's fresh lock, and both write.
- Whatever the lock folder is (not empty, not a folder, its mtime in the future, in a folder we
  cannot write), acquisition ends when the retry window does, with one line.

While planlint holds the lock a background thread refreshes its mtime every REFRESH_SECONDS,
and notices when the lock stops being ours (removed, or taken over by a process that judged it
stale); `HeldLock.ensure_held` lets a writer refuse to write then.
"""

from __future__ import annotations

import contextlib
import os
import random
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planlint.errors import InputError

STALE_SECONDS = 60.0
RETRY_SECONDS = 10.0
# proper-lockfile refreshes every stale/2 (30 s); DESIGN.md §5 asks for at least every 10 s.
REFRESH_SECONDS = 2.0


def lock_path(path: Path) -> Path:
    """`<path>.lock` beside the path as given, as the orchestrator's proper-lockfile does with
    `realpath: false` (so a symlinked status.json is locked where the orchestrator locks it)."""
    return Path(os.path.abspath(path) + ".lock")


def _retry_window() -> float:
    """RETRY_SECONDS, or PLANLINT_LOCK_RETRY_SECONDS when set (tests and impatient users)."""
    try:
        window = float(os.environ.get("PLANLINT_LOCK_RETRY_SECONDS", RETRY_SECONDS))
    except ValueError:
        return RETRY_SECONDS
    return window if 0 <= window < float("inf") else RETRY_SECONDS


class HeldLock:
    """A lock this process holds: its identity (inode and the mtime we last gave it) and the
    thread that keeps it fresh."""

    def __init__(self, path: Path, refresh: float) -> None:
        self.path = path
        info = os.stat(path)
        self._identity = (info.st_ino, info.st_mtime_ns)
        self.lost: str | None = None  # why the lock stopped being ours
        self._mutex = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep_fresh, args=(refresh,), daemon=True, name="planlint-lock")
        self._thread.start()

    def _keep_fresh(self, refresh: float) -> None:
        while not self._stop.wait(refresh):
            with self._mutex:
                if not self._still_ours():
                    return
                now = time.time_ns()
                try:
                    os.utime(self.path, ns=(now, now))
                    info = os.stat(self.path)
                except OSError:
                    continue  # a failed refresh is retried; the stale check tells if it is too late
                self._identity = (info.st_ino, info.st_mtime_ns)

    def _still_ours(self) -> bool:
        if self.lost is not None:
            return False
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            self.lost = "removed by another process"
            return False
        except OSError:
            return True  # cannot tell: assume nothing changed
        if (info.st_ino, info.st_mtime_ns) != self._identity:
            self.lost = "taken over by another process that judged it stale"
            return False
        return True

    def ensure_held(self, target: Path | None = None) -> None:
        """Raise InputError unless the lock is still ours (call it just before writing)."""
        with self._mutex:
            if not self._still_ours():
                raise InputError(f"lost the lock {self.path.name} ({self.lost}); nothing written", target or self.path)

    def release(self) -> None:
        self._stop.set()
        self._thread.join()
        with self._mutex:
            if self._still_ours():
                with contextlib.suppress(OSError):
                    os.rmdir(self.path)


@contextmanager
def locked(
    path: Path,
    *,
    stale: float = STALE_SECONDS,
    retry_for: float | None = None,
    refresh: float = REFRESH_SECONDS,
) -> Iterator[HeldLock]:
    """Hold the lock on path for the duration of the block, or raise InputError after retry_for.

    Retries back off with random jitter (as proper-lockfile's do), so processes that start
    together do not retry in step and starve each other.
    """
    lock = lock_path(path)
    window = _retry_window() if retry_for is None else retry_for
    deadline = time.monotonic() + window
    delay = 0.05
    problem: str | None = None  # why a stale lock could not be taken over
    while True:
        try:
            os.mkdir(lock)
            held = HeldLock(lock, refresh)
            break
        except FileExistsError:
            info = _lstat(lock)
            if info is None:
                if time.monotonic() < deadline:
                    continue  # released between mkdir and stat: try again at once
            elif _is_stale(info, stale):
                problem = _take_over(lock, info, stale, deadline)
                if problem is None and time.monotonic() < deadline:
                    continue
        except OSError as exc:
            raise InputError(f"cannot lock: {exc.strerror or exc}", path) from None
        if time.monotonic() >= deadline:
            if problem is not None:
                message = f"cannot take over the stale lock {lock.name} within {window:g} s: {problem}"
            else:
                message = f"status file is locked by another process: could not take {lock.name} within {window:g} s"
            raise InputError(message, path)
        time.sleep(min(delay * random.uniform(0.5, 1.5), max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.4)
    try:
        yield held
    finally:
        held.release()


def _lstat(lock: Path) -> os.stat_result | None:
    try:
        return os.lstat(lock)
    except FileNotFoundError:
        return None


def _is_stale(info: os.stat_result, stale: float) -> bool:
    return time.time() - info.st_mtime > stale


def _take_over(lock: Path, judged: os.stat_result, stale: float, deadline: float) -> str | None:
    """Remove the stale lock judged so that the next mkdir may take it; None when it is gone (or
    is no longer the stale one: the caller's mkdir decides), else why it cannot be removed."""
    if not stat.S_ISDIR(judged.st_mode):
        return "it is not a directory (remove it by hand if no orchestrator is running)"
    with _takeover_guard(lock.parent, deadline) as guarded:
        if not guarded:
            return None  # another planlint is taking it over right now
        now = _lstat(lock)
        if now is None or (now.st_ino, now.st_mtime_ns) != (judged.st_ino, judged.st_mtime_ns):
            return None  # removed, refreshed or retaken since we looked
        try:
            if os.listdir(lock):
                return "it is not empty, so it is not proper-lockfile's (remove it by hand if no orchestrator runs)"
        except OSError as exc:
            return exc.strerror or str(exc)
        aside = lock.with_name(f"{lock.name}.stale-{os.getpid()}-{random.getrandbits(32):08x}")
        try:
            os.rename(lock, aside)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return exc.strerror or str(exc)
        moved = _lstat(aside)
        if moved is not None and (moved.st_ino, moved.st_mtime_ns) != (judged.st_ino, judged.st_mtime_ns):
            # A process outside the guard (proper-lockfile) replaced it meanwhile: give it back.
            with contextlib.suppress(OSError):
                os.rename(aside, lock)
            return None
        with contextlib.suppress(OSError):
            os.rmdir(aside)
        return None


@contextmanager
def _takeover_guard(folder: Path, deadline: float) -> Iterator[bool]:
    """An exclusive flock on the lock's folder while a stale lock is checked and removed (True),
    or False when another process holds it until the deadline. Where flock is unavailable
    (Windows, some network filesystems) the takeover runs unguarded, as proper-lockfile's does."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield True
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        yield True
        return
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.002)
            except OSError:
                yield True  # no flock here
                return
        yield True
    finally:
        os.close(handle)  # closing the descriptor releases the flock
