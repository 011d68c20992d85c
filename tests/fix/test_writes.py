"""Writes you can trust (issue 20, items 4, 5 and the write errors of 7; DESIGN.md §5 "Writes").

Through the real CLI: a symlinked plan or status.json is written through to its target when that
lies inside the root and refused otherwise; only regular files are replaced by rename, `-o -` is
standard output, a FIFO or character device given to `-o` is written in place (no hang when
nobody reads), a FIFO among the plans never blocks `check`; a read-only file and a plan edited
while `fix` ran are left as they are with one line and exit 2; a missing or unwritable folder is
one line, never an internal error.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planlint.config import Config
from planlint.errors import InputError
from planlint.fix.paths import fix_paths
from planlint.fix.writes import atomic_write, write_output
from planlint.io import read_source
from tests.conftest import run_cli
from tests.fix.test_fix import CONFLICT, FIXED

STATUS = {
    "planPath": "docs/plans/auth.md",
    "planName": "Auth",
    "tasks": [
        {"id": "1.1", "phase": "Phase 1: Auth", "description": "Update `src/auth.py` to check tokens",
         "status": "pending"},
        {"id": "1.2", "phase": "Phase 1: Auth", "description": "Update `src/auth.py` to log failures",
         "status": "pending"},
        {"id": "1.3", "phase": "Phase 1: Auth", "description": "Write `docs/auth.md`", "status": "pending"},
    ],
}  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git-rooted folder (the root) with docs/plans/auth.md, whose PL101 `fix` can fix."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "docs/plans").mkdir(parents=True)
    (root / "docs/plans/auth.md").write_text(CONFLICT)
    (root / "src").mkdir()
    (root / "src/auth.py").write_text("")  # the file the plan updates (else PL301 in a repository)
    return root


def one_error_line(result: subprocess.CompletedProcess[str], path: str, words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"{path}: error: ") and words in errors[0], errors[0]


# ---------------------------------------------------------------------------------------------
# Symlinks


def test_fix_writes_through_a_symlink_inside_the_root(repo: Path) -> None:
    link = repo / "docs/plans/current.md"
    link.symlink_to("auth.md")
    result = run_cli("fix", "docs/plans/current.md", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "auth.md"  # the link stays a link
    assert (repo / "docs/plans/auth.md").read_text() == FIXED  # and its target is fixed


def test_fix_refuses_a_symlink_to_a_file_outside_the_root(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "victim.md"
    outside.parent.mkdir()
    outside.write_text(CONFLICT)
    link = repo / "docs/plans/victim.md"
    link.symlink_to(outside)
    result = run_cli("fix", "docs/plans/victim.md", cwd=repo)
    one_error_line(result, "docs/plans/victim.md", "outside the root")
    assert outside.read_text() == CONFLICT and link.is_symlink()


def test_emit_into_status_writes_through_a_symlinked_status(repo: Path) -> None:
    status = repo / "docs/plan-outputs/auth/real-status.json"
    status.parent.mkdir(parents=True)
    status.write_text(json.dumps(STATUS, indent=2))
    link = status.with_name("status.json")
    link.symlink_to("real-status.json")
    result = run_cli("emit", "docs/plans/auth.md", "--into-status", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    data = json.loads(status.read_text())
    assert data["tasks"][0]["executionConstraints"]["conflictsWith"] == ["1.2"]
    assert sorted(p.name for p in status.parent.iterdir()) == ["real-status.json", "status.json"]


def test_a_symlink_loop_is_one_line_everywhere(repo: Path) -> None:
    plans = repo / "docs/plans"
    (plans / "a.md").symlink_to("b.md")
    (plans / "b.md").symlink_to("a.md")
    for args in (["check", "docs/plans/a.md"], ["emit", "docs/plans/a.md"], ["next", "docs/plans/a.md"]):
        one_error_line(run_cli(*args, cwd=repo), "docs/plans/a.md", "symlink loop")
    result = run_cli("emit", "docs/plans/auth.md", "-o", "docs/plans/a.md", cwd=repo)
    one_error_line(result, "docs/plans/a.md", "symlink loop")
    for args in (["check", "docs/plans"], ["fix", "docs/plans"]):  # a folder walk passes the loop by
        result = run_cli(*args, cwd=repo)
        assert result.returncode in (0, 1), result.stderr
        assert "internal error" not in result.stderr and "a.md" not in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# Special files and -o


def test_into_status_refuses_a_status_that_is_not_a_regular_file(repo: Path) -> None:
    for target in ("/dev/null", "docs"):
        result = run_cli("emit", "docs/plans/auth.md", "--status", target, "--into-status", cwd=repo)
        one_error_line(result, target, "not a regular file")
        assert not Path(target + ".lock").exists() and not (repo / (target + ".lock")).exists()


def test_output_dash_is_stdout(repo: Path) -> None:
    result = run_cli("emit", "docs/plans/auth.md", "-o", "-", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["version"] == 1
    assert not (repo / "-").exists()


def test_output_to_dev_stdout_through_a_pipe_does_not_hang(repo: Path) -> None:
    command = f"{sys.executable} -m planlint emit docs/plans/auth.md -o /dev/stdout | cat"
    result = subprocess.run(command, shell=True, cwd=repo, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["plan"] == "docs/plans/auth.md"


def test_output_to_a_character_device_is_written_in_place(repo: Path) -> None:
    device = repo / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    except (PermissionError, AttributeError):
        pytest.skip("making a character device needs root")
    result = run_cli("emit", "docs/plans/auth.md", "-o", "null", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode), "the device was replaced by a plain file"
    assert sorted(p.name for p in repo.iterdir()) == [".git", "docs", "null", "src"]


def test_output_to_a_fifo(repo: Path) -> None:
    fifo = repo / "out.fifo"
    os.mkfifo(fifo)
    # Nobody reads: one line, not a hang.
    one_error_line(run_cli("emit", "docs/plans/auth.md", "-o", "out.fifo", cwd=repo), "out.fifo", "no process")
    # Someone reads: they get the document, and the FIFO stays a FIFO.
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        for _ in range(100):  # wait until the reader has the FIFO open
            result = run_cli("emit", "docs/plans/auth.md", "-o", "out.fifo", cwd=repo)
            if result.returncode == 0:
                break
            time.sleep(0.05)
    finally:
        if reader.is_alive():
            with open(fifo, "wb"):  # unblock the reader whatever happened
                pass
        reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(received[0])["version"] == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_into_a_missing_folder_is_one_line(repo: Path) -> None:
    result = run_cli("emit", "docs/plans/auth.md", "-o", "/nonexistent/x.json", cwd=repo)
    one_error_line(result, "/nonexistent/x.json", "No such file or directory")


def test_output_refuses_a_directory_and_a_symlink_leaving_the_root(repo: Path, tmp_path: Path) -> None:
    one_error_line(run_cli("emit", "docs/plans/auth.md", "-o", "docs", cwd=repo), "docs", "directory")
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    (repo / "out.json").symlink_to(outside)
    result = run_cli("emit", "docs/plans/auth.md", "-o", "out.json", cwd=repo)
    one_error_line(result, "out.json", "outside the root")
    assert outside.read_text() == "{}"


def test_output_through_a_symlink_inside_the_root_keeps_the_link(repo: Path) -> None:
    (repo / "build").mkdir()
    (repo / "out.json").symlink_to("build/constraints.json")  # dangling until written
    result = run_cli("emit", "docs/plans/auth.md", "-o", "out.json", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "out.json").is_symlink()
    assert json.loads((repo / "build/constraints.json").read_text())["version"] == 1
    mode = stat.S_IMODE((repo / "build/constraints.json").stat().st_mode)
    assert mode == 0o666 & ~_umask()  # a new file gets the usual mode, not a temporary file's 0600


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_fifo_among_the_plans_does_not_block_check(repo: Path) -> None:
    os.mkfifo(repo / "docs/plans/pipe.md")
    result = run_cli("check", "docs/plans", cwd=repo)  # run_cli's timeout would fail a hang
    assert result.returncode == 1, result.stderr  # auth.md's PL101, and nothing about the FIFO
    assert "pipe.md" not in result.stdout + result.stderr
    named = run_cli("check", "docs/plans/pipe.md", cwd=repo)  # named, with no writer: read as empty
    assert named.returncode in (0, 1, 2) and "internal error" not in named.stderr


def test_read_source_refuses_a_socket(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "plan.md"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(InputError, match="socket"):
            read_source(path)


# ---------------------------------------------------------------------------------------------
# Read-only files, unwritable folders, edits made while fix runs


def test_fix_refuses_a_read_only_plan(repo: Path) -> None:
    plan = repo / "docs/plans/auth.md"
    plan.chmod(0o444)
    result = run_cli("fix", "docs/plans/auth.md", cwd=repo)
    one_error_line(result, "docs/plans/auth.md", "read-only")
    assert plan.read_text() == CONFLICT and stat.S_IMODE(plan.stat().st_mode) == 0o444
    assert "Fixed 0 problems" in result.stderr  # nothing claimed as fixed


def test_fix_in_an_unwritable_folder_is_one_line(repo: Path) -> None:
    folder = repo / "docs/plans"
    if os.geteuid() == 0:  # root writes into any folder, except an immutable one
        lock, unlock = ["chattr", "+i", str(folder)], ["chattr", "-i", str(folder)]
        if subprocess.run(lock, capture_output=True).returncode != 0:
            pytest.skip("as root, an unwritable folder needs chattr +i, which is not available here")
    else:
        folder.chmod(0o555)
        unlock = ["chmod", "755", str(folder)]
    try:
        result = run_cli("fix", "docs/plans/auth.md", cwd=repo)
    finally:
        subprocess.run(unlock, check=True)
    one_error_line(result, "docs/plans/auth.md", "cannot write")
    assert (folder / "auth.md").read_text() == CONFLICT
    assert sorted(p.name for p in folder.iterdir()) == ["auth.md"]


def test_a_temporary_file_that_cannot_be_made_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    plan = tmp_path / "plan.md"
    plan.write_text(CONFLICT)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError, match="cannot write: Permission denied"):
        atomic_write(plan, FIXED, read_source(plan))
    with pytest.raises(InputError, match="cannot write: Permission denied"):
        write_output(tmp_path / "out.json", "{}")
    assert plan.read_text() == CONFLICT


def test_a_plan_edited_while_fix_runs_is_left_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20, item 5: the edit lands after `fix` read the plan and before it writes."""
    import planlint.fix.paths

    plan = tmp_path / "plan.md"
    plan.write_text(CONFLICT)
    real_fix_pair = planlint.fix.paths.fix_pair

    def fix_pair_then_edit(*args: object, **kwargs: object) -> object:
        outcome = real_fix_pair(*args, **kwargs)  # type: ignore[arg-type]
        with open(plan, "a") as handle:
            handle.write("- [ ] 1.4 Added by a person meanwhile\n")
        return outcome

    monkeypatch.setattr(planlint.fix.paths, "fix_pair", fix_pair_then_edit)
    (result,) = fix_paths([plan], Config(root=tmp_path))
    assert isinstance(result.error, InputError) and "changed on disk" in str(result.error)
    assert result.written == []
    assert plan.read_text() == CONFLICT + "- [ ] 1.4 Added by a person meanwhile\n"


@pytest.mark.slow
def test_a_line_appended_while_fix_runs_on_a_big_plan_is_never_lost(tmp_path: Path) -> None:
    """Through the real CLI: a line appended to a 4,000-task plan while `fix` works on it is kept,
    whether the edit came before fix read the plan (fixed with it) or after (one line, exit 2)."""
    (tmp_path / ".git").mkdir()
    phases = []
    for number in range(1, 41):
        tasks = "".join(f"- [ ] {number}.{task} Update `src/m{number}.py` step {task}\n" for task in range(1, 101))
        phases.append(f"## Phase {number}: Part {number}\n\n{tasks}")
    plan = tmp_path / "plan.md"
    plan.write_text("# Implementation Plan: Big\n\n" + "\n".join(phases))
    added = "- [ ] 40.101 Added by a person while fix ran\n"
    process = subprocess.Popen(
        [sys.executable, "-m", "planlint", "fix", "plan.md"], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.0)
    with open(plan, "a") as handle:
        handle.write(added)
    _out, err = process.communicate(timeout=120)
    assert "internal error" not in err
    assert plan.read_text().endswith(added), "the line appended while fix ran was lost"
    if process.returncode == 2:
        assert "changed on disk" in err


def test_output_that_holds_the_same_bytes_is_left_as_it_is(repo: Path) -> None:
    """`emit -o` streams into a temporary file; one that equals the file already there is dropped,
    so the file keeps its inode and mtime (a build that watches it does not rerun)."""
    assert run_cli("emit", "docs/plans/auth.md", "-o", "out.json", cwd=repo).returncode == 0
    out = repo / "out.json"
    before = out.stat()
    os.utime(out, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))
    aged = out.stat()
    assert run_cli("emit", "docs/plans/auth.md", "-o", "out.json", cwd=repo).returncode == 0
    after = out.stat()
    assert (after.st_ino, after.st_mtime_ns) == (aged.st_ino, aged.st_mtime_ns)
    assert sorted(p.name for p in repo.iterdir() if p.name.endswith(".planlint-tmp")) == []
    out.write_text("{}\n")
    assert run_cli("emit", "docs/plans/auth.md", "-o", "out.json", cwd=repo).returncode == 0
    assert json.loads(out.read_text())["version"] == 1


def test_streamed_output_is_the_bytes_stdout_gets(tmp_path: Path) -> None:
    """A plan whose 60 tasks all write one file (1,770 pairs, each listed twice), with a title
    outside ASCII: `-o FILE` writes exactly what stdout gets."""
    tasks = "".join(f"- [ ] 1.{n} Update `src/one.py` — étape {n}\n" for n in range(1, 61))
    (tmp_path / "plan.md").write_text(f"# Plan\n\n## Phase 1: Überall\n\n{tasks}", encoding="utf-8")
    to_stdout = run_cli("emit", "plan.md", "--force", cwd=tmp_path)
    to_file = run_cli("emit", "plan.md", "--force", "-o", "out.json", cwd=tmp_path)
    assert to_stdout.returncode == 0 and to_file.returncode == 0, to_file.stderr
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == to_stdout.stdout
    assert len(json.loads(to_stdout.stdout)["tasks"]["1.60"]["conflictsWith"]) == 59
