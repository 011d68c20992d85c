"""Standard input (`planlint check -`, `planlint fix -`): how an editor lints or fixes a buffer
before it is saved. Run through the real CLI with bytes in and bytes out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.parse.test_status import PLAN, repo, status_for, task

REVERSED = (
    "# Implementation Plan: Export\n\n## Phase 1: Export\n\n"
    "**Execution Note:** Tasks 1.2-1.1 are [SEQUENTIAL] - both modify `src/export.py`\n\n"
    "- [ ] 1.1 Add a CSV writer to `src/export.py`\n"
    "- [ ] 1.2 Add filtering to `src/export.py`\n"
)
FIXED = REVERSED.replace("Tasks 1.2-1.1", "Tasks 1.1-1.2")


def planlint(*args: str, stdin: bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PLANLINT_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "planlint", *args], input=stdin, cwd=cwd, env=env, capture_output=True, timeout=120
    )


def lines(output: bytes) -> list[str]:
    return output.decode("utf-8").splitlines()


def test_check_reads_a_plan_from_stdin(tmp_path: Path) -> None:
    result = planlint("check", "-", stdin=REVERSED.encode(), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout) == ["-:5:1: PL104 task range `1.2-1.1` is reversed; write `1.1-1.2` [*]"]
    assert "Found 1 problem" in result.stderr.decode()


def test_stdin_filename_names_the_plan_and_per_file_ignores_apply(tmp_path: Path) -> None:
    named = planlint("check", "-", "--stdin-filename", "docs/plans/export.md", stdin=REVERSED.encode(), cwd=tmp_path)
    assert lines(named.stdout)[0].startswith("docs/plans/export.md:5:1: PL104 ")
    (tmp_path / ".planlint.toml").write_text('[per-file-ignores]\n"docs/plans/*.md" = ["PL104"]\n')
    ignored = planlint("check", "--stdin-filename", "docs/plans/export.md", stdin=REVERSED.encode(), cwd=tmp_path)
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    assert ignored.stdout == b""


def test_stdin_filename_pairs_the_plan_with_its_status_on_disk(tmp_path: Path) -> None:
    repo(tmp_path, status_for([task("1.1", "a"), task("1.2", "b"), task("1.3", "Gone")]))
    result = planlint("check", "-", "--stdin-filename", "docs/plans/tokens.md", stdin=PLAN.encode(), cwd=tmp_path)
    assert b"PL204" in result.stdout, result.stdout + result.stderr
    unnamed = planlint("check", "-", stdin=PLAN.encode(), cwd=tmp_path)
    assert b"PL204" not in unnamed.stdout  # without a name there is nothing to pair by


def test_stdin_and_files_are_checked_together(tmp_path: Path) -> None:
    (tmp_path / "clean.md").write_text(FIXED)
    result = planlint("check", "clean.md", "-", stdin=REVERSED.encode(), cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in lines(result.stdout)] == ["-"]
    assert "Found 1 problem" in result.stderr.decode()


def test_invalid_utf8_on_stdin_is_one_line_naming_the_input(tmp_path: Path) -> None:
    result = planlint("check", "-", "--stdin-filename", "plan.md", stdin=b"## Phase 1: A\n\xff\n", cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in lines(result.stderr) if "error:" in line]
    assert errors == ["plan.md:2: error: not valid UTF-8 (byte 0xff at line 2); planlint reads UTF-8 text only"]
    assert b"Traceback" not in result.stderr
    assert "could not be checked" in result.stderr.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--stdin-filename", "a.md", "b.md"], "add `-` to the paths"),
        (["check", "-", "-"], "only once"),
        (["check", "-", "--stdin-filename", "status.json"], "read as a plan"),
        (["fix", "-", "other.md"], "standard input alone"),
    ],
    ids=["filename-without-dash", "dash-twice", "status-on-stdin", "fix-with-files"],
)
def test_stdin_usage_errors_are_one_line_and_exit_two(tmp_path: Path, args: list[str], message: str) -> None:
    result = planlint(*args, stdin=REVERSED.encode(), cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in lines(result.stderr) if "error:" in line]
    assert len(errors) == 1 and message in errors[0], result.stderr


@pytest.mark.parametrize(
    ("variant", "remaining"),
    [
        (lambda t: t, None),
        # The orchestrator reads no line of a CRLF plan (PL122); converting line endings is an
        # unsafe fix, so a safe fix keeps them and the finding remains.
        (lambda t: t.replace("\n", "\r\n"), "PL122"),
        (lambda t: "\ufeff" + t, None),
        (lambda t: t.rstrip("\n"), None),
    ],
    ids=["lf", "crlf", "bom", "no-final-newline"],
)
def test_fix_writes_the_fixed_plan_to_stdout_byte_for_byte(tmp_path: Path, variant, remaining: str | None) -> None:
    before, after = variant(REVERSED).encode(), variant(FIXED).encode()
    result = planlint("fix", "-", stdin=before, cwd=tmp_path)
    assert result.stdout == after
    if remaining is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1 and f" {remaining} " in result.stderr.decode(), result.stderr
    assert "Fixed 1 problem" in result.stderr.decode()
    again = planlint("fix", "-", stdin=result.stdout, cwd=tmp_path)
    assert again.stdout == after  # idempotent
    assert "Fixed 0 problems" in again.stderr.decode()


def test_fix_from_stdin_writes_no_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(REVERSED)
    result = planlint("fix", "--stdin-filename", "plan.md", stdin=REVERSED.encode(), cwd=tmp_path)
    assert result.stdout == FIXED.encode()
    assert plan.read_text() == REVERSED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]


def test_fix_diff_and_check_on_stdin_print_no_plan(tmp_path: Path) -> None:
    diff = planlint("fix", "-", "--diff", stdin=REVERSED.encode(), cwd=tmp_path)
    assert diff.returncode == 1
    assert "-**Execution Note:** Tasks 1.2-1.1" in diff.stdout.decode()
    assert "+**Execution Note:** Tasks 1.1-1.2" in diff.stdout.decode()
    check = planlint("fix", "-", "--check", stdin=FIXED.encode(), cwd=tmp_path)
    assert check.returncode == 0
    assert check.stdout == b""


def test_fix_passes_an_unfixable_plan_through_unchanged(tmp_path: Path) -> None:
    broken = "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 a (depends: 1.9)\n"
    result = planlint("fix", "-", stdin=broken.encode(), cwd=tmp_path)
    assert result.stdout == broken.encode()
    assert result.returncode == 1
    assert b"PL111" in result.stderr
