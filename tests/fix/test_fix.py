"""The fix engine and its writes: bottom-up edits, deferral, verification, atomicity, newlines."""

from __future__ import annotations

import codecs
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planlint.config import Config
from planlint.diagnostic import Edit, apply_edits, overlaps
from planlint.errors import InputError
from planlint.fix.loop import fix_pair
from planlint.fix.paths import fix_paths
from planlint.fix.writes import atomic_write
from planlint.io import decode_source, read_source
from planlint.model import Span
from planlint.text import SourceText
from tests.conftest import REPO, run_cli

P = Path("plan.md")
CONFLICT = """# Implementation Plan: Auth

## Phase 1: Auth

**Objective:** Harden login.

- [ ] 1.1 Update `src/auth.py` to check tokens
- [ ] 1.2 Update `src/auth.py` to log failures
- [ ] 1.3 Write `docs/auth.md`
"""
FIXED = CONFLICT.replace(
    "**Objective:** Harden login.\n\n",
    "**Objective:** Harden login.\n\n**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - all modify `src/auth.py`\n\n",
)


def test_edits_apply_bottom_up_with_the_files_newline() -> None:
    text = "a\r\nb\r\nc\r\n"
    edits = [Edit(Span(P, 0, 1), "A\nA"), Edit(Span(P, 6, 7), "C")]
    assert apply_edits(text, edits, "\r\n") == "A\r\nA\r\nb\r\nC\r\n"


def test_overlap_rules() -> None:
    assert overlaps(Edit(Span(P, 0, 5), ""), Edit(Span(P, 4, 6), ""))
    assert not overlaps(Edit(Span(P, 0, 5), ""), Edit(Span(P, 5, 6), ""))
    assert overlaps(Edit(Span(P, 3, 3), "x"), Edit(Span(P, 3, 3), "y"))
    assert not overlaps(Edit(Span(P, 0, 5), ""), Edit(Span(Path("other"), 0, 5), ""))


def fix_text(text: str, **kwargs) -> str:
    source = SourceText.from_text(text, P)
    outcome = fix_pair(source, None, Config().with_overrides(select=["PL101", "PL104"]), **kwargs)
    assert outcome.refused is None
    return outcome.texts[P]


def test_pl101_fix_inserts_one_note_and_is_idempotent() -> None:
    assert fix_text(CONFLICT) == FIXED
    assert fix_text(FIXED) == FIXED


def test_crlf_stays_crlf_in_inserted_lines() -> None:
    crlf = CONFLICT.replace("\n", "\r\n")
    assert fix_text(crlf) == FIXED.replace("\n", "\r\n")


def test_non_contiguous_tasks_get_a_dependency_not_a_list_note() -> None:
    """The orchestrator reads `Tasks 1.1, 1.3` as two groups of one task (DESIGN.md §3a)."""
    text = CONFLICT.replace("1.2 Update `src/auth.py` to log failures", "1.2 Write `docs/api.md`").replace(
        "1.3 Write `docs/auth.md`", "1.3 Update `src/auth.py` to log failures"
    )
    fixed = fix_text(text)
    assert "- [ ] 1.3 Update `src/auth.py` to log failures (depends: 1.1)\n" in fixed
    assert "Execution Note" not in fixed


def test_a_fix_that_would_change_the_outline_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import planlint.rules.missing_sequential as rule

    def bad_fix(ctx, phase, conflicts):
        from planlint.diagnostic import Fix

        task = phase.top_level_tasks[0]
        return Fix("renumber", (Edit(task.id_span, "1.9"),))

    monkeypatch.setattr(rule, "_note_fix", bad_fix)
    source = SourceText.from_text(CONFLICT, P)
    outcome = fix_pair(source, None, Config().with_overrides(select=["PL101"]))
    assert outcome.refused and "task IDs" in outcome.refused
    assert outcome.texts[P] == CONFLICT and outcome.applied == []


def test_interleaved_conflicts_get_one_exact_chain_each() -> None:
    text = """# Plan

## Phase 1: A

- [ ] 1.1 Update `a.py`
- [ ] 1.2 Update `b.py`
- [ ] 1.3 Update `a.py`
- [ ] 1.4 Update `b.py`
- [ ] 1.5 Read `c.py`
"""
    fixed = fix_text(text)
    assert "- [ ] 1.3 Update `a.py` (depends: 1.1)\n- [ ] 1.4 Update `b.py` (depends: 1.2)\n" in fixed
    assert "Execution Note" not in fixed


def test_overlapping_fixes_are_deferred_to_a_later_pass() -> None:
    text = (
        "# Plan\n\n## Phase 1: A\n\n**Execution Note:** Tasks 1.3-1.1 and 1.5-1.4 are [SEQUENTIAL] - x\n\n"
        + "".join(f"- [ ] 1.{i} Update `f{i}.py`\n" for i in range(1, 6))
    )
    fixed = fix_text(text)
    assert "Tasks 1.1-1.3 and 1.4-1.5 are [SEQUENTIAL]" in fixed


@pytest.mark.parametrize("bom", [False, True])
def test_write_keeps_bom_mode_and_final_newline_state(tmp_path: Path, bom: bool) -> None:
    path = tmp_path / "plan.md"
    data = CONFLICT.rstrip("\n").replace("\n", "\r\n").encode()
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    path.chmod(0o640)
    (result,) = fix_paths([path], Config(root=tmp_path).with_overrides(select=["PL101"]))
    assert result.written == [path]
    written = path.read_bytes()
    assert written.startswith(codecs.BOM_UTF8) == bom
    assert not written.endswith(b"\n") and b"\r\n**Execution Note:**" in written
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    before = path.read_bytes()
    (again,) = fix_paths([path], Config(root=tmp_path).with_overrides(select=["PL101"]))
    assert again.written == [] and path.read_bytes() == before


def test_unchanged_text_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(FIXED)
    source = read_source(path)
    mtime = path.stat().st_mtime_ns
    assert atomic_write(path, FIXED, source) is False
    assert path.stat().st_mtime_ns == mtime


def test_a_failed_rename_leaves_the_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.md"
    path.write_text(CONFLICT)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left on device"):
        atomic_write(path, FIXED, read_source(path))
    assert path.read_text() == CONFLICT
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]  # no temporary file left behind


def test_the_next_write_removes_old_leftovers_of_killed_runs(tmp_path: Path) -> None:
    from planlint.fix.writes import STALE_TEMPORARY_SECONDS

    path = tmp_path / "plan[1].md"  # glob characters in the name are taken literally
    path.write_text(CONFLICT)
    old = tmp_path / ".plan[1].md.k3x9q.planlint-tmp"
    fresh = tmp_path / ".plan[1].md.a8b2c.planlint-tmp"  # may belong to a write in progress
    other = tmp_path / ".other.md.z7y6w.planlint-tmp"  # another file's: not this write's business
    for leftover in (old, fresh, other):
        leftover.write_text(CONFLICT[:20])
    long_ago = time.time() - STALE_TEMPORARY_SECONDS - 5
    for leftover in (old, other):
        os.utime(leftover, (long_ago, long_ago))

    assert atomic_write(path, FIXED, read_source(path)) is True
    assert path.read_text() == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, fresh.name, other.name])


def test_fix_cli_diff_check_and_write(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(CONFLICT)
    diff = run_cli("fix", "plan.md", "--diff", cwd=tmp_path)
    assert diff.returncode == 1
    assert "+**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - all modify `src/auth.py`" in diff.stdout
    assert (tmp_path / "plan.md").read_text() == CONFLICT
    assert run_cli("fix", "plan.md", "--check", cwd=tmp_path).returncode == 1
    done = run_cli("fix", "plan.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan.md").read_text() == FIXED
    assert "Fixed 1 problem" in done.stderr
    assert run_cli("fix", "plan.md", "--check", cwd=tmp_path).returncode == 0


def test_decode_then_encode_round_trips_every_byte() -> None:
    from planlint.io import encode_like

    for data in (b"a\r\nb", codecs.BOM_UTF8 + b"x\n", b"\xc3\xa9\r"):
        assert encode_like(decode_source(data, P).text, decode_source(data, P)) == data


# `planlint check --fix`: the alias ruff users reach for runs `planlint fix`, options and all.


def auth_project(root: Path) -> Path:
    """A project with CONFLICT as docs/plans/auth.md and the file its tasks modify."""
    (root / "docs" / "plans").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "auth.py").write_text("def check_token(token):\n    return bool(token)\n")
    plan = root / "docs" / "plans" / "auth.md"
    plan.write_text(CONFLICT)
    return plan


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--select", "PL101"],
        ["--select", "PL104"],
        ["--ignore", "PL101"],
        ["--unsafe-fixes"],
        ["--fail-on", "error"],
        ["-q"],
    ],
    ids=lambda options: " ".join(options) or "defaults",
)
def test_check_fix_runs_fix_with_the_same_options(tmp_path: Path, options: list[str]) -> None:
    runs = {}
    for command in (["fix"], ["check", "--fix"]):
        folder = tmp_path / command[0]
        plan = auth_project(folder)
        done = run_cli(*command, *options, cwd=folder)
        text = plan.read_text()
        runs[command[0]] = (done.returncode, done.stdout, done.stderr, text)
    assert runs["check"] == runs["fix"]
    code, _, _, text = runs["check"]
    assert code == 0
    assert text == (CONFLICT if options in (["--ignore", "PL101"], ["--select", "PL104"]) else FIXED)


def test_check_fix_writes_and_exits_like_fix(tmp_path: Path) -> None:
    plan = auth_project(tmp_path)
    done = run_cli("check", "--fix", "docs/plans/auth.md", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert plan.read_text() == FIXED
    assert "Fixed 1 problem in 1 file; 0 remaining." in done.stderr
    duplicate = "- [ ] 1.3 Write `docs/other.md`\n"
    plan.write_text(CONFLICT + duplicate)
    remaining = run_cli("check", "--fix", "docs/plans/auth.md", cwd=tmp_path)
    assert remaining.returncode == 1  # what no fix can mend is reported and fails the run
    assert "PL002" in remaining.stdout and "1 remaining" in remaining.stderr
    assert plan.read_text() == FIXED + duplicate


@pytest.mark.parametrize(
    "options",
    [
        ["--unsafe-fixes"],
        ["--fix", "--format", "json"],
        ["--fix", "--statistics"],
        ["--fix", "--exit-zero"],
        ["--fix", "--output-file", "out.txt"],
        ["--fix", "--baseline", "b.json"],
    ],
    ids=lambda options: " ".join(options),
)
def test_check_fix_refuses_options_fix_cannot_honour(tmp_path: Path, options: list[str]) -> None:
    auth_project(tmp_path)
    files = sorted(tmp_path.rglob("*"))
    done = run_cli("check", *options, "docs/plans/auth.md", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "--" in done.stderr
    assert (tmp_path / "docs/plans/auth.md").read_text() == CONFLICT
    assert sorted(tmp_path.rglob("*")) == files  # nothing written: no fix, no report file


# A fix killed mid-write (SIGKILL: no cleanup runs) leaves the original intact. It can leave its
# temporary file behind: `.<name>.<random>.planlint-tmp` in the file's folder. That name is hidden
# and does not end in `.md` or `status.json`, so no plan glob, folder walk or later run picks it up;
# the next write of the same file removes it once it is a minute old. A run killed while writing a
# status.json also leaves the orchestrator's lock (`status.json.lock`, a directory): until it is 60
# s old, fixes of that status.json wait about 10 s and then stop with "locked by another process"
# (exit 2), as the orchestrator's own proper-lockfile does; `check` never takes the lock and is not
# affected.
KILLED_WRITER = r"""
import os, sys, time
from pathlib import Path

marker, point = Path(sys.argv[1]), sys.argv[2]


def stall():
    marker.write_text("stalled")
    time.sleep(120)


if point == "fsync":  # all bytes written to the temporary file, not yet synced or renamed
    os.fsync = lambda fd: stall()
else:  # half the bytes written: planlint writes the temporary file with os.write
    real_write = os.write

    def half_write(handle, data):
        real_write(handle, bytes(data[: len(data) // 2]))
        stall()

    os.write = half_write

from planlint.cli import main

main(["fix"])
"""


@pytest.mark.slow  # kills a real fix process mid-write
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("point", ["write", "fsync"])
def test_a_fix_killed_mid_write_leaves_the_original_intact(tmp_path: Path, point: str) -> None:
    project = tmp_path / "project"
    plan = auth_project(project)
    plans = plan.parent
    _run_killed_fix(project, tmp_path / "stalled", point)

    assert plan.read_text() == CONFLICT
    (leftover,) = [p for p in plans.iterdir() if p != plan]  # the killed run's temporary file
    assert leftover.name.startswith(".auth.md.") and leftover.name.endswith(".planlint-tmp")
    written = leftover.read_bytes()
    assert written and FIXED.encode().startswith(written)  # it was killed while writing FIXED
    assert point == "fsync" or written != FIXED.encode()
    assert sorted(plans.glob("*.md")) == sorted(plans.glob("**/*.md")) == [plan]
    assert sorted(project.glob("docs/plans/**/*.md")) == [plan]

    # Later runs neither see nor trip over it.
    checked = run_cli("check", "--format", "json", "--exit-zero", cwd=project)
    assert checked.returncode == 0
    assert {finding["path"] for finding in json.loads(checked.stdout)} == {"docs/plans/auth.md"}
    done = run_cli("fix", cwd=project)
    assert done.returncode == 0, done.stderr
    assert plan.read_text() == FIXED
    assert sorted(p.name for p in plans.iterdir()) == sorted(["auth.md", leftover.name])


def _run_killed_fix(project: Path, marker: Path, point: str) -> None:
    """Run `planlint fix` in project, stall it at point (see KILLED_WRITER) and SIGKILL it there."""
    env = {k: v for k, v in os.environ.items() if k != "PLANLINT_DEBUG"}
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(marker), point], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the fix never reached the write"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow  # kills a real fix process and waits for the lock to go stale
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_fix_killed_writing_status_json_leaves_it_intact_and_the_lock_goes_stale(tmp_path: Path) -> None:
    from planlint.fix.lock import lock_path

    example = REPO / "rules/PL207/fail/counts-not-updated-after-completion"
    project = tmp_path / "project"
    (project / "docs/plans").mkdir(parents=True)
    (project / "docs/plan-outputs/limits").mkdir(parents=True)
    (project / "docs/plans/limits.md").write_bytes((example / "plan.md").read_bytes())
    status = project / "docs/plan-outputs/limits/status.json"
    original = (example / "status.json").read_bytes().replace(b'"plan.md"', b'"docs/plans/limits.md"')
    status.write_bytes(original)

    _run_killed_fix(project, tmp_path / "stalled", "fsync")

    assert status.read_bytes() == original
    leftovers = [p.name for p in status.parent.iterdir() if p.name not in ("status.json", "status.json.lock")]
    (leftover,) = leftovers  # the killed run's temporary file
    assert leftover.startswith(".status.json.") and leftover.endswith(".planlint-tmp")
    assert lock_path(status).is_dir()
    assert sorted(project.glob("docs/plan-outputs/**/status.json")) == [status]
    checked = run_cli("check", "--format", "json", "--exit-zero", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert {f["code"] for f in json.loads(checked.stdout)} == {"PL207"}  # read as before, no lock needed

    stale = time.time() - 120  # as if the lock had been left a while ago
    os.utime(lock_path(status), (stale, stale))
    done = run_cli("fix", cwd=project)
    assert done.returncode == 0, done.stderr
    assert status.read_bytes() == (example / "status.fixed.json").read_bytes().replace(
        b'"plan.md"', b'"docs/plans/limits.md"'
    )
    assert not lock_path(status).exists()
