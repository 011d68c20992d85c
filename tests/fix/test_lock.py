"""The status.json lock, as proper-lockfile does it: mkdir `<file>.lock`, stale after 60 s."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from planlint.errors import InputError
from planlint.fix.lock import REFRESH_SECONDS, lock_path, locked
from planlint.fix.writes import rewrite_locked
from planlint.io import read_source
from tests.conftest import run_cli


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


# ---------------------------------------------------------------------------------------------
# Issue 20, item 3: the lock loses nothing and never hangs


def _bump(path: str, go: Any, report: Any) -> None:
    """One writer of the takeover race (a forked process): wait for the start, add 1, report."""
    from planlint.fix.writes import rewrite_locked as rewrite

    go.wait()
    try:
        rewrite(Path(path), lambda source: json.dumps({"n": json.loads(source.text)["n"] + 1}))
    except Exception as exc:
        report.put(f"{type(exc).__name__}: {exc}")
    else:
        report.put("ok")


@pytest.mark.slow
def test_twenty_processes_on_an_abandoned_lock_lose_no_update(tmp_path: Path) -> None:
    """Issue 20, 3b: twenty processes find one stale lock at once. Each must take it in turn:
    before the takeover was serialised, two could each remove it (the second removing the
    first's fresh lock) and both write, losing an update in 6 of 10 trials."""
    context = multiprocessing.get_context("fork")
    writers, trials = 20, 20
    lost = 0
    for _trial in range(trials):
        status = tmp_path / "status.json"
        status.write_text(json.dumps({"n": 0}))
        os.mkdir(lock_path(status))
        old = time.time() - 120
        os.utime(lock_path(status), (old, old))  # abandoned by a process killed two minutes ago
        go, report = context.Event(), context.Queue()
        processes = [context.Process(target=_bump, args=(str(status), go, report)) for _ in range(writers)]
        for process in processes:
            process.start()
        go.set()
        outcomes = [report.get(timeout=60) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        assert outcomes == ["ok"] * writers, outcomes
        lost += writers - json.loads(status.read_text())["n"]
        assert not lock_path(status).exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["status.json"]  # nothing set aside left
    assert lost == 0, f"lost {lost} of {writers * trials} updates"


def _hold_and_write(path: str, seconds: float, events: Any) -> None:
    with locked(Path(path)):
        events.put(("locked", time.time()))
        time.sleep(seconds)
        source = read_source(Path(path))
        data = json.loads(source.text)
        data["holder"] = "wrote"
        Path(path).write_text(json.dumps(data))
        events.put(("releasing", time.time()))


def test_a_held_lock_is_refreshed(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    status.write_text("{}")
    with locked(status, refresh=0.05) as held:
        first = lock_path(status).stat().st_mtime_ns
        time.sleep(0.3)
        assert lock_path(status).stat().st_mtime_ns > first
        held.ensure_held()  # still ours after the refreshes
    assert not lock_path(status).exists()


@pytest.mark.slow
def test_a_long_hold_is_not_taken_over_by_a_writer_with_the_stale_rule(tmp_path: Path) -> None:
    """Issue 20, 3a: planlint holds the lock longer than another writer's stale time (here 3 s,
    proper-lockfile's rule: mtime older than `stale`). The refresh (every REFRESH_SECONDS) keeps
    the other writer waiting until planlint lets go, so neither write is lost."""
    assert REFRESH_SECONDS <= 10  # DESIGN.md §5: at least every 10 s
    status = tmp_path / "status.json"
    status.write_text("{}")
    context = multiprocessing.get_context("fork")
    events = context.Queue()
    holder = context.Process(target=_hold_and_write, args=(str(status), 3 * REFRESH_SECONDS, events))
    holder.start()
    assert events.get(timeout=30)[0] == "locked"
    stale = REFRESH_SECONDS * 1.5
    with locked(status, stale=stale, retry_for=30):
        taken = time.time()
        data = json.loads(status.read_text())
        data["other"] = "wrote"
        status.write_text(json.dumps(data))
    name, released = events.get(timeout=30)
    holder.join(timeout=30)
    assert name == "releasing"
    assert taken >= released, "the other writer took the lock while planlint still held it"
    assert json.loads(status.read_text()) == {"holder": "wrote", "other": "wrote"}


def test_a_lock_taken_over_meanwhile_stops_the_write(tmp_path: Path) -> None:
    """If planlint is held up past the stale time (suspended, say) and another process takes the
    lock over, planlint must not write over that process's update."""
    status = tmp_path / "status.json"
    status.write_text('{"a": 0}')

    def slow_transform(source: Any) -> str:
        os.rmdir(lock_path(status))  # judged stale and retaken by someone else, who is about to write
        os.mkdir(lock_path(status))
        return '{"a": 2}'

    with pytest.raises(InputError, match=r"lost the lock status.json.lock \(taken over"):
        rewrite_locked(status, slow_transform)
    assert status.read_text() == '{"a": 0}'
    assert lock_path(status).is_dir()  # theirs: left alone
    os.rmdir(lock_path(status))


@pytest.mark.parametrize("kind", ["not-empty", "a-file", "future-mtime"])
def test_a_lock_folder_that_cannot_be_taken_over_ends_within_the_window(tmp_path: Path, kind: str) -> None:
    """Issue 20, 3c: through the real CLI, a stale lock folder that cannot be removed (it holds a
    file, so it is not proper-lockfile's), a file in its place, or a lock dated in the future:
    `emit --into-status` gives up when the retry window ends, with one line and exit 2, and
    leaves the lock and status.json as they are."""
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN)
    status = tmp_path / "status.json"
    status.write_text(STATUS)
    lock = lock_path(status)
    when = time.time() - 120
    if kind == "not-empty":
        lock.mkdir()
        (lock / "owner").write_text("someone")
    elif kind == "a-file":
        lock.write_text("")
    else:
        lock.mkdir()
        when = time.time() + 3600
    os.utime(lock, (when, when))
    start = time.monotonic()
    result = run_cli(
        "emit", "plan.md", "--status", "status.json", "--into-status", cwd=tmp_path,
        env={"PLANLINT_LOCK_RETRY_SECONDS": "0.5"},
    )  # fmt: skip
    elapsed = time.monotonic() - start
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("status.json: error: "), result.stderr
    assert "status.json.lock within 0.5 s" in lines[0]
    if kind != "future-mtime":
        assert "cannot take over the stale lock" in lines[0]
    assert elapsed < 20  # the process start plus the 0.5 s window; it used to spin for ever
    assert status.read_text() == STATUS
    assert lock.exists() and (kind != "not-empty" or (lock / "owner").read_text() == "someone")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md", "status.json", "status.json.lock"]


def _rewrite_in_place(path: str, stop: Any) -> None:
    """An orchestrator-like writer that, under the lock, rewrites status.json in place (truncate,
    then write in two halves with a pause), as the corpus's file-utils.js writeFile does."""
    count = 0
    while not stop.is_set():
        with locked(Path(path)):
            data = json.loads(Path(path).read_text())
            count += 1
            data["inPlace"] = count
            text = json.dumps(data, indent=2)
            with open(path, "r+") as handle:
                handle.truncate(0)
                handle.write(text[: len(text) // 2])
                handle.flush()
                time.sleep(0.02)
                handle.write(text[len(text) // 2 :])
        time.sleep(0.03)  # the file is half-written 40% of the time


@pytest.mark.slow
def test_emit_into_status_reads_only_under_the_lock(tmp_path: Path) -> None:
    """Issue 20, 3d: against a writer that rewrites status.json in place under the lock, every
    `emit --into-status` sees whole JSON (it reads only once it holds the lock); before, 1 run in
    20 failed with "not valid JSON"."""
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN)
    status = tmp_path / "status.json"
    status.write_text(STATUS)
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    writer = context.Process(target=_rewrite_in_place, args=(str(status), stop))
    writer.start()
    try:
        failures = []
        for _ in range(20):
            result = run_cli("emit", "plan.md", "--status", "status.json", "--into-status", cwd=tmp_path)
            if result.returncode != 0:
                failures.append(result.stderr)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert failures == []
    data = json.loads(status.read_text())
    assert data["inPlace"] > 0
    assert all("executionConstraints" in task for task in data["tasks"])


PLAN = """# Implementation Plan: Tokens

## Phase 1: Tokens

- [ ] 1.1 Add `create_token()` to `src/tokens.py`
- [ ] 1.2 Add expiry checks to `src/tokens.py`
"""

STATUS = json.dumps(
    {
        "planPath": "plan.md",
        "planName": "Tokens",
        "tasks": [
            {"id": "1.1", "phase": "Phase 1: Tokens", "description": "Add `create_token()` to `src/tokens.py`",
             "status": "pending"},
            {"id": "1.2", "phase": "Phase 1: Tokens", "description": "Add expiry checks to `src/tokens.py`",
             "status": "pending"},
        ],
    },
    indent=2,
)  # fmt: skip
