"""The status.json lock, as proper-lockfile does it: mkdir `<file>.lock`, stale after 60 s."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest

from planlint.errors import InputError
from planlint.io import rewrite_locked
from planlint.lock import lock_path, locked


def test_lock_is_a_directory_beside_the_path_as_given(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(status)
    # proper-lockfile with realpath: false (the orchestrator's setting) locks the link's path
    assert lock_path(link) == Path(str(link.absolute()) + ".lock")
    with locked(status):
        assert lock_path(status).is_dir()
    assert not lock_path(status).exists()


def test_a_held_lock_makes_us_wait_then_fail_with_one_line(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    os.mkdir(lock_path(status))
    start = time.monotonic()
    expected = re.escape("locked by another process: could not take status.json.lock")
    with pytest.raises(InputError, match=expected), locked(status, retry_for=0.4):
        pass
    assert 0.35 <= time.monotonic() - start < 3
    assert lock_path(status).is_dir()  # someone else's lock is left alone


def test_a_stale_lock_is_taken_over(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    os.mkdir(lock_path(status))
    old = time.time() - 120
    os.utime(lock_path(status), (old, old))
    with locked(status, retry_for=0.2):
        assert lock_path(status).is_dir()
    assert not lock_path(status).exists()


def test_waits_for_a_lock_released_in_time(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    os.mkdir(lock_path(status))
    releaser = threading.Timer(0.3, os.rmdir, args=[lock_path(status)])
    releaser.start()
    try:
        assert rewrite_locked(status, lambda source: '{"a": 1}') is True
    finally:
        releaser.join()
    assert status.read_text() == '{"a": 1}'


def test_lock_released_when_the_write_fails(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")

    def explode(source):
        raise InputError("boom", status)

    with pytest.raises(InputError):
        rewrite_locked(status, explode)
    assert not lock_path(status).exists()


def test_a_lock_taken_over_by_another_process_is_not_released_by_us(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    with locked(status):
        os.rmdir(lock_path(status))  # judged stale by someone else, who takes it over
        time.sleep(0.01)
        os.mkdir(lock_path(status))
    assert lock_path(status).is_dir()  # their lock survives our release
    os.rmdir(lock_path(status))


def test_the_retry_window_can_be_shortened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    os.mkdir(lock_path(status))
    monkeypatch.setenv("PLANLINT_LOCK_RETRY_SECONDS", "0.2")
    start = time.monotonic()
    with pytest.raises(InputError, match=r"within 0\.2 s"), locked(status):
        pass
    assert time.monotonic() - start < 2
