"""Lock interoperability with the orchestrator's real proper-lockfile (issue 6, item 6).

The orchestrator guards status.json with the npm package proper-lockfile (DESIGN.md §5, "The
lock"). These tests install the real package with npm into a temporary folder and run it in node
beside planlint: node holds the lock while `planlint emit --into-status` waits, planlint holds it
while node waits, a lock one side left behind in a crash is stale for the other after 60 s, a lock
held past the retry window makes planlint give up cleanly, and twenty writers of both kinds
increment one counter without losing an update while a reader never sees a half-written file. A
symlinked status.json is locked where the orchestrator locks it (once a mismatch). They are
skipped when node or npm is missing or the install fails; CI has both and the npm registry, so
there they run.

The node side is tests/data/js/status_lock.js; every process reports JSON lines stamped with
the wall clock in milliseconds (Date.now() in node, time.time() * 1000 in Python), which is how
the tests check the order of events across processes.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from planlint.fix.lock import lock_path
from tests.conftest import DATA, run_cli

pytestmark = pytest.mark.slow

JS = DATA / "js" / "status_lock.js"

# The orchestrator's own options, copied from LOCK_OPTIONS in
# ../shared/corpus/scripts/lib/plan-output-utils.js (note realpath: false).
ORCHESTRATOR: dict[str, Any] = {
    "stale": 60000,
    "retries": {"retries": 10, "factor": 1.5, "minTimeout": 100, "maxTimeout": 2000, "randomize": True},
    "realpath": False,
}
# proper-lockfile's defaults (realpath: true) with the 60 s stale time of DESIGN.md §5.
DEFAULTS: dict[str, Any] = {"stale": 60000}
OPTION_SETS = [
    pytest.param(ORCHESTRATOR, id="orchestrator-options"),
    pytest.param(DEFAULTS, id="default-options"),
]

HOLD_MS = 1500

PLAN = """# Implementation Plan: Tokens

## Phase 1: Tokens

- [ ] 1.1 Add `create_token()` to `src/tokens.py`
- [ ] 1.2 Add expiry checks to `src/tokens.py`
"""


def status_text(**extra: Any) -> str:
    def task(task_id: str, description: str) -> dict[str, str]:
        return {"id": task_id, "phase": "Phase 1: Tokens", "description": description, "status": "pending"}

    data = {
        "planPath": "docs/plans/tokens.md",
        "planName": "Tokens",
        "createdAt": "2026-01-01T00:00:00Z",
        "tasks": [
            task("1.1", "Add `create_token()` to `src/tokens.py`"),
            task("1.2", "Add expiry checks to `src/tokens.py`"),
        ],
        **extra,
    }
    return json.dumps(data, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Fixtures and process plumbing


@pytest.fixture(scope="session")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A node_modules folder holding the real proper-lockfile, installed once per session."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("lock interop needs node and npm on PATH to run the real proper-lockfile")
    prefix = tmp_path_factory.mktemp("proper-lockfile")
    command = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), "proper-lockfile"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"`npm install proper-lockfile` failed: {exc}")
    modules = prefix / "node_modules"
    if result.returncode != 0 or not (modules / "proper-lockfile" / "package.json").is_file():
        lines = result.stderr.strip().splitlines() or ["no output"]
        first_error = next((line for line in lines if line.startswith(("npm error", "npm ERR!"))), lines[-1])
        pytest.skip(f"`npm install proper-lockfile` failed (exit {result.returncode}): {first_error}")
    return modules


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """docs/plans/tokens.md and its docs/plan-outputs/tokens/status.json (1.1 and 1.2 conflict)."""
    plan = tmp_path / "docs/plans/tokens.md"
    status = tmp_path / "docs/plan-outputs/tokens/status.json"
    plan.parent.mkdir(parents=True)
    status.parent.mkdir(parents=True)
    plan.write_text(PLAN)
    status.write_text(status_text())
    return plan, status


class Proc:
    """A child process that reports JSON lines on stdout (stderr merged in), read by a thread."""

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 stdin: bool = False) -> None:  # fmt: skip
        self.popen = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        self.lines: list[str] = []
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue  # a warning or a traceback: kept in self.lines for the failure message
            if isinstance(event, dict):
                self.events.put(event)
        self.events.put({"event": "exit"})

    def output(self) -> str:
        return "".join(self.lines)

    def expect(self, name: str, timeout: float = 30) -> dict[str, Any]:
        """The next event called name; anything that means failure on the way raises."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                message = f"no {name!r} event within {timeout:g} s; output so far:\n{self.output()}"
                raise AssertionError(message) from None
            if event.get("event") == name:
                return event
            if event.get("event") in {"error", "compromised", "exit"}:
                raise AssertionError(f"waiting for {name!r}, got {event}; output:\n{self.output()}")

    def close_stdin(self) -> None:
        if self.popen.stdin is not None and not self.popen.stdin.closed:
            self.popen.stdin.close()

    def finish(self, timeout: float = 30) -> int:
        self.close_stdin()
        code = self.popen.wait(timeout=timeout)
        self.reader.join(timeout=timeout)
        return code

    def kill(self) -> None:
        self.close_stdin()
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()


@pytest.fixture
def spawn() -> Iterator[Callable[..., Proc]]:
    """Start child processes; any still running when the test ends is killed (by its own handle)."""
    started: list[Proc] = []

    def start(argv: list[str], **kwargs: Any) -> Proc:
        proc = Proc(argv, **kwargs)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()


@pytest.fixture
def spawn_node(node_modules: Path, spawn: Callable[..., Proc]) -> Callable[..., Proc]:
    """Start tests/data/js/status_lock.js with the installed proper-lockfile on NODE_PATH."""

    def start(*args: str, stdin: bool = False) -> Proc:
        return spawn(["node", str(JS), *args], env={"NODE_PATH": str(node_modules)}, stdin=stdin)

    return start


def now_ms() -> float:
    return time.time() * 1000


def emit_into_status(plan: Path, status: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "emit", str(plan.relative_to(cwd)), "--status", str(status.relative_to(cwd)), "--into-status", cwd=cwd
    )


def assert_constraints_written(data: dict[str, Any]) -> None:
    by_id = {task["id"]: task for task in data["tasks"]}
    assert by_id["1.1"]["executionConstraints"]["conflictsWith"] == ["1.2"]
    assert by_id["1.2"]["executionConstraints"]["conflictsWith"] == ["1.1"]
    assert data["sequentialGroups"] == []


# Python processes on planlint's side of the lock.

PY_HOLDER = """
import json, sys, time
from pathlib import Path
from planlint.fix.writes import atomic_write
from planlint.io import read_source
from planlint.fix.lock import locked

path, hold = Path(sys.argv[1]), float(sys.argv[2])

def event(name):
    print(json.dumps({"event": name, "t": time.time() * 1000}), flush=True)

with locked(path):
    event("locked")
    time.sleep(hold)
    source = read_source(path)
    data = json.loads(source.text)
    data["planlintMarker"] = "held"
    atomic_write(path, json.dumps(data, indent=2) + "\\n", source)
    event("releasing")
event("released")
"""

PY_WRITER = """
import json, sys, time
from pathlib import Path
from planlint.errors import InputError
from planlint.fix.writes import rewrite_locked

path, count, key, go = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])

def bump(source):
    data = json.loads(source.text)
    data[key] = data.get(key, 0) + 1
    return json.dumps(data, indent=2) + "\\n"

print(json.dumps({"event": "ready"}), flush=True)
while not go.exists():
    time.sleep(0.002)
made, errors, timeouts, longest = 0, [], 0, 0.0
for _ in range(count):
    for attempt in range(3):
        asked = time.monotonic()

        def timed(source):
            global longest
            longest = max(longest, time.monotonic() - asked)
            return bump(source)

        try:
            rewrite_locked(path, timed)
        except InputError as exc:
            if "locked by another process" not in str(exc):
                errors.append(str(exc))
                break
            timeouts += 1  # the retry window ran out under contention: liveness, try again
        else:
            made += 1
            break
    else:
        errors.append("no lock after 3 attempts")
print(json.dumps({"event": "done", "made": made, "errors": errors, "timeouts": timeouts,
                  "longestWait": round(longest * 1000)}), flush=True)
"""

PY_READER = """
import json, os, sys

path, key, stop = sys.argv[1], sys.argv[2], sys.argv[3]
reads, bad, backwards, last = 0, [], [], -1
print(json.dumps({"event": "ready"}), flush=True)
while True:
    stopping = os.path.exists(stop)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        value = json.loads(data).get(key, 0)
    except (OSError, ValueError) as exc:
        bad.append(f"{type(exc).__name__}: {exc}")
    else:
        reads += 1
        if value < last:
            backwards.append([last, value])
        last = max(last, value)
    if stopping:
        break
print(json.dumps({"event": "done", "reads": reads, "bad": len(bad), "badSamples": bad[:5],
                  "backwards": backwards[:5], "last": last}), flush=True)
"""


# ---------------------------------------------------------------------------------------------
# Node holds, planlint waits


@pytest.mark.parametrize("options", OPTION_SETS)
def test_planlint_waits_while_node_holds_the_lock(
    spawn_node: Callable[..., Proc], repo: tuple[Path, Path], options: dict[str, Any]
) -> None:
    plan, status = repo
    root = status.parents[3]
    holder = spawn_node("hold", str(status), json.dumps(options), str(HOLD_MS))
    holder.expect("locked")
    assert lock_path(status).is_dir(), "proper-lockfile's lock is not where planlint looks for it"

    result = emit_into_status(plan, status, root)
    finished = now_ms()

    releasing = holder.expect("releasing")
    holder.expect("released")
    assert holder.finish() == 0, holder.output()
    assert result.returncode == 0, result.stderr
    assert "planlint: updated" in result.stderr
    # node re-read status.json before its last write and found exactly what it had written:
    # planlint did not write while node held the lock ...
    assert releasing["intact"], "planlint wrote status.json while node held the lock"
    # ... and planlint finished only after node let go.
    assert finished >= releasing["t"]
    # Nothing lost: node's marker and its last write (made from the copy it read when it took the
    # lock) are there, and so are planlint's constraints, written after node's last write.
    data = json.loads(status.read_text())
    assert data["nodeMarker"] == "held"
    assert data["nodeFinal"] == "released"
    assert_constraints_written(data)
    assert not lock_path(status).exists()


# ---------------------------------------------------------------------------------------------
# planlint holds, node waits


@pytest.mark.parametrize("options", OPTION_SETS)
def test_node_waits_while_planlint_holds_the_lock(
    spawn_node: Callable[..., Proc],
    repo: tuple[Path, Path],
    spawn: Callable[..., Proc],
    options: dict[str, Any],
) -> None:
    _, status = repo
    holder = spawn([sys.executable, "-c", PY_HOLDER, str(status), str(HOLD_MS / 1000)])
    locked = holder.expect("locked")

    waiting = {**options, "retries": {"retries": 20, "minTimeout": 100, "maxTimeout": 250}}
    waiter = spawn_node("acquire", str(status), json.dumps(waiting))
    acquired = waiter.expect("locked")
    waiter.expect("released")
    assert waiter.finish() == 0, waiter.output()
    releasing = holder.expect("releasing")
    holder.expect("released")
    assert holder.finish() == 0, holder.output()

    # node got the lock only after planlint's last write, and saw that write.
    assert acquired["t"] >= int(releasing["t"]) - 1
    assert acquired["t"] - locked["t"] >= HOLD_MS - 50
    assert acquired["waited"] >= 500, "node's lock() did not find the lock taken"
    assert json.loads(acquired["content"])["planlintMarker"] == "held"
    assert not lock_path(status).exists()


def test_a_long_hold_is_refreshed_so_node_does_not_take_it_over(
    spawn_node: Callable[..., Proc], repo: tuple[Path, Path], spawn: Callable[..., Proc]
) -> None:
    """Issue 20, 3a: planlint holds the lock longer than node's stale time. Before, it never
    refreshed the lock's mtime, so node (proper-lockfile's rule: stale when the mtime is older
    than `stale`) took the lock over mid-hold and planlint then overwrote node's update. Now
    planlint refreshes it every REFRESH_SECONDS, as proper-lockfile's `update` does, and node
    waits until planlint lets go."""
    from planlint.fix.lock import REFRESH_SECONDS

    _, status = repo
    stale_ms = int(REFRESH_SECONDS * 2000)  # twice planlint's refresh period (proper-lockfile's floor is 2 s)
    hold = 2.5 * stale_ms / 1000
    holder = spawn([sys.executable, "-c", PY_HOLDER, str(status), str(hold)])
    locked = holder.expect("locked")
    waiting = {"stale": stale_ms, "realpath": False, "retries": {"retries": 100, "minTimeout": 100, "maxTimeout": 200}}
    waiter = spawn_node("acquire", str(status), json.dumps(waiting))
    acquired = waiter.expect("locked", timeout=60)
    waiter.expect("released")
    assert waiter.finish() == 0, waiter.output()
    releasing = holder.expect("releasing")
    holder.expect("released")
    assert holder.finish() == 0, holder.output()
    assert acquired["t"] - locked["t"] >= hold * 1000 - 50, "node judged planlint's held lock stale"
    assert acquired["t"] >= int(releasing["t"]) - 1
    assert json.loads(acquired["content"])["planlintMarker"] == "held"
    assert not lock_path(status).exists()


# ---------------------------------------------------------------------------------------------
# A lock left behind by a crash is stale after 60 s by its mtime, on both sides


def backdate(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_stale_lock_left_by_node_is_taken_over_by_planlint(
    spawn_node: Callable[..., Proc], repo: tuple[Path, Path]
) -> None:
    plan, status = repo
    root = status.parents[3]
    holder = spawn_node("hold", str(status), json.dumps(ORCHESTRATOR), "-1", stdin=True)
    holder.expect("locked")
    holder.popen.kill()  # SIGKILL: no exit handler, the lock directory stays behind
    holder.popen.wait()
    assert lock_path(status).is_dir()
    backdate(lock_path(status), 120)

    start = time.monotonic()
    result = emit_into_status(plan, status, root)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - start < 8, "planlint waited on a stale lock instead of taking it over"
    data = json.loads(status.read_text())
    assert data["nodeMarker"] == "held"
    assert_constraints_written(data)
    assert not lock_path(status).exists()


@pytest.mark.parametrize("options", OPTION_SETS)
def test_a_stale_lock_left_by_planlint_is_taken_over_by_node(
    spawn_node: Callable[..., Proc],
    repo: tuple[Path, Path],
    spawn: Callable[..., Proc],
    options: dict[str, Any],
) -> None:
    _, status = repo
    crash = "import os, sys; from pathlib import Path; from planlint.fix.lock import locked\n"
    crash += "with locked(Path(sys.argv[1])):\n    os._exit(0)\n"
    assert spawn([sys.executable, "-c", crash, str(status)]).finish() == 0
    assert lock_path(status).is_dir()
    backdate(lock_path(status), 120)

    waiter = spawn_node("acquire", str(status), json.dumps({**options, "retries": 0}))
    acquired = waiter.expect("locked")
    waiter.expect("released")
    assert waiter.finish() == 0, waiter.output()
    assert acquired["waited"] < 1000
    assert not lock_path(status).exists()


# ---------------------------------------------------------------------------------------------
# Bad input: locked for longer than the retry window


def test_a_lock_held_past_the_retry_window_is_one_line_exit_2_nothing_written(
    spawn_node: Callable[..., Proc], repo: tuple[Path, Path]
) -> None:
    # planlint's window is the orchestrator's (~10 s, DESIGN.md §5) and the CLI offers no way to
    # shorten it, so this test waits it out once.
    plan, status = repo
    root = status.parents[3]
    holder = spawn_node("hold", str(status), json.dumps(ORCHESTRATOR), "-1", stdin=True)
    holder.expect("locked")
    before = status.read_bytes()
    listing = sorted(os.listdir(status.parent))

    start = time.monotonic()
    result = emit_into_status(plan, status, root)
    elapsed = time.monotonic() - start

    assert status.read_bytes() == before
    assert sorted(os.listdir(status.parent)) == listing  # no temporary file left behind either
    assert lock_path(status).is_dir(), "planlint removed a lock it did not hold"
    holder.close_stdin()
    releasing = holder.expect("releasing")
    assert holder.finish() == 0, holder.output()
    assert releasing["intact"]

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    relative = status.relative_to(root).as_posix()
    assert lines[0].startswith(f"{relative}: error: "), lines[0]
    assert "locked" in lines[0]
    assert "Traceback" not in result.stderr
    assert 9.0 <= elapsed < 30, f"gave up after {elapsed:.1f} s; the retry window is about 10 s"


# ---------------------------------------------------------------------------------------------
# Stress: twenty writers of both kinds, one counter, a reader looking all the time


def test_twenty_writers_lose_no_update_and_a_reader_never_sees_broken_json(
    spawn_node: Callable[..., Proc], repo: tuple[Path, Path], spawn: Callable[..., Proc], tmp_path: Path
) -> None:
    plan, status = repo
    root = status.parents[3]
    status.write_text(status_text(counter=0))
    key, per_writer, python_writers, node_writers = "counter", 5, 10, 10
    go, stop = tmp_path / "go", tmp_path / "stop"

    reader = spawn([sys.executable, "-c", PY_READER, str(status), key, str(stop)])
    reader.expect("ready")
    writers = [
        spawn([sys.executable, "-c", PY_WRITER, str(status), str(per_writer), key, str(go)])
        for _ in range(python_writers)
    ] + [
        spawn_node("increment", str(status), json.dumps(ORCHESTRATOR), str(per_writer), key, str(go))
        for _ in range(node_writers)
    ]
    for writer in writers:
        writer.expect("ready")
    start = time.monotonic()
    go.touch()
    # Two real `planlint emit --into-status` runs join the fray: their constraints must survive.
    emit_argv = [sys.executable, "-m", "planlint", "emit", str(plan.relative_to(root)), "--status",
                 str(status.relative_to(root)), "--into-status"]  # fmt: skip
    emitters = [spawn(emit_argv, cwd=root) for _ in range(2)]

    done = [writer.expect("done", timeout=50) for writer in writers]
    emitter_timeouts = 0
    for emitter in emitters:
        if emitter.finish(timeout=50) == 2 and "locked by another process" in emitter.output():
            emitter_timeouts += 1  # starved in the pile-up (liveness): run it again, alone
            emitter = spawn(emit_argv, cwd=root)
        assert emitter.finish(timeout=50) == 0, emitter.output()
    elapsed = time.monotonic() - start
    stop.touch()
    seen = reader.expect("done")
    for proc in [*writers, reader]:
        assert proc.finish() == 0, proc.output()

    errors = [error for report in done for error in report["errors"]]
    assert errors == []
    timeouts = sum(report["timeouts"] for report in done) + emitter_timeouts
    if timeouts:
        # Not a lost update (a timed-out writer wrote nothing and tried again), but worth seeing:
        # planlint's un-jittered backoff can starve under a pile-up of writers started together.
        longest = sorted(report["longestWait"] for report in done)
        warnings.warn(
            f"{timeouts} lock acquisition(s) ran out of retries under contention; longest waits (ms): {longest}",
            stacklevel=1,
        )
    made = sum(report["made"] for report in done)
    assert made == (python_writers + node_writers) * per_writer
    data = json.loads(status.read_text())
    assert data[key] == made, f"lost {made - data[key]} of {made} updates"
    assert_constraints_written(data)
    assert seen["bad"] == 0, seen["badSamples"]
    assert seen["backwards"] == [], "the counter went backwards: an update was lost and then seen"
    assert seen["reads"] > 0 and seen["last"] == made
    assert not lock_path(status).exists()
    assert sorted(p.name for p in status.parent.iterdir()) == ["status.json"]  # no temporary files
    assert elapsed < 50


# ---------------------------------------------------------------------------------------------
# Known mismatch: a status.json that is itself a symlink


def test_a_symlinked_status_json_is_locked_where_the_orchestrator_locks_it(
    spawn_node: Callable[..., Proc], repo: tuple[Path, Path]
) -> None:
    # The orchestrator reaches status.json through a symlink, locks it and reads it; it writes
    # (replacing the symlink by a regular file, as its writeFileAtomic does) only at the end.
    plan, status = repo
    root = status.parents[3]
    link = root / "status-link.json"
    link.symlink_to(status)
    holder = spawn_node("hold", str(link), json.dumps(ORCHESTRATOR), str(HOLD_MS), "late")
    holder.expect("locked")

    result = emit_into_status(plan, link, root)
    finished = now_ms()
    releasing = holder.expect("releasing")
    assert holder.finish() == 0, holder.output()
    assert result.returncode == 0, result.stderr
    assert releasing["intact"], "planlint wrote status.json while the orchestrator held the lock"
    assert finished >= releasing["t"]
    data = json.loads(link.read_text())
    assert data["nodeFinal"] == "released"
    assert_constraints_written(data)
