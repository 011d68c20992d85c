"""The fix engine and its writes: bottom-up edits, deferral, verification, atomicity, newlines."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

from planlint.api import fix_paths
from planlint.config import Config
from planlint.errors import InputError
from planlint.fix import Edit, apply_edits, overlaps
from planlint.fixer import fix_pair
from planlint.io import atomic_write, decode_source, read_source
from planlint.model import Span
from planlint.text import SourceText
from tests.conftest import run_cli

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


def test_non_contiguous_tasks_get_a_list() -> None:
    text = CONFLICT.replace("1.2 Update `src/auth.py` to log failures", "1.2 Write `docs/api.md`").replace(
        "1.3 Write `docs/auth.md`", "1.3 Update `src/auth.py` to log failures"
    )
    assert "**Execution Note:** Tasks 1.1, 1.3 are [SEQUENTIAL] - all modify `src/auth.py`" in fix_text(text)


def test_a_fix_that_would_change_the_outline_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import planlint.rules.missing_sequential as rule

    def bad_fix(ctx, phase, conflicts):
        from planlint.fix import Fix

        task = phase.top_level_tasks[0]
        return Fix("renumber", (Edit(task.id_span, "1.9"),))

    monkeypatch.setattr(rule, "_note_fix", bad_fix)
    source = SourceText.from_text(CONFLICT, P)
    outcome = fix_pair(source, None, Config().with_overrides(select=["PL101"]))
    assert outcome.refused and "task IDs" in outcome.refused
    assert outcome.texts[P] == CONFLICT and outcome.applied == []


def test_interleaved_conflicts_get_one_exact_note_each() -> None:
    text = """# Plan

## Phase 1: A

- [ ] 1.1 Update `a.py`
- [ ] 1.2 Update `b.py`
- [ ] 1.3 Update `a.py`
- [ ] 1.4 Update `b.py`
- [ ] 1.5 Read `c.py`
"""
    fixed = fix_text(text)
    assert (
        "**Execution Note:** Tasks 1.1, 1.3 are [SEQUENTIAL] - all modify `a.py`\n\n"
        "**Execution Note:** Tasks 1.2, 1.4 are [SEQUENTIAL] - all modify `b.py`\n\n- [ ] 1.1"
    ) in fixed


def test_overlapping_fixes_are_deferred_to_a_later_pass() -> None:
    text = "# Plan\n\n## Phase 1: A\n\n**Execution Note:** Tasks 1.3-1.1 and 1.5-1.4 are [SEQUENTIAL] - x\n\n" + "".join(
        f"- [ ] 1.{i} Update `f{i}.py`\n" for i in range(1, 6)
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


@pytest.mark.parametrize(
    "options",
    [[], ["--select", "PL101"], ["--select", "PL104"], ["--ignore", "PL101"], ["--unsafe-fixes"],
     ["--fail-on", "error"], ["-q"]],  # fmt: skip
    ids=lambda options: " ".join(options) or "defaults",
)
def test_check_fix_runs_fix_with_the_same_options(tmp_path: Path, options: list[str]) -> None:
    runs = {}
    for command in (["fix"], ["check", "--fix"]):
        folder = tmp_path / command[0]
        (folder / "docs" / "plans").mkdir(parents=True)
        (folder / "docs" / "plans" / "auth.md").write_text(CONFLICT)
        done = run_cli(*command, *options, cwd=folder)
        runs[command[0]] = (done.returncode, done.stdout, done.stderr, (folder / "docs/plans/auth.md").read_text())
    assert runs["check"] == runs["fix"]
    code, _, _, text = runs["check"]
    assert code == 0
    assert text == (CONFLICT if options in (["--ignore", "PL101"], ["--select", "PL104"]) else FIXED)


def test_check_fix_writes_and_exits_like_fix(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(CONFLICT)
    done = run_cli("check", "--fix", "plan.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan.md").read_text() == FIXED
    assert "Fixed 1 problem in 1 file(s); 0 remaining." in done.stderr
    duplicate = "- [ ] 1.3 Write `docs/other.md`\n"
    (tmp_path / "plan.md").write_text(CONFLICT + duplicate)
    remaining = run_cli("check", "--fix", "plan.md", cwd=tmp_path)
    assert remaining.returncode == 1  # what no fix can mend is reported and fails the run
    assert "PL002" in remaining.stdout and "1 remaining" in remaining.stderr
    assert (tmp_path / "plan.md").read_text() == FIXED + duplicate


@pytest.mark.parametrize(
    "options",
    [["--unsafe-fixes"], ["--fix", "--format", "json"], ["--fix", "--statistics"], ["--fix", "--exit-zero"],
     ["--fix", "--output-file", "out.txt"], ["--fix", "--baseline", "b.json"]],  # fmt: skip
    ids=lambda options: " ".join(options),
)
def test_check_fix_refuses_options_fix_cannot_honour(tmp_path: Path, options: list[str]) -> None:
    (tmp_path / "plan.md").write_text(CONFLICT)
    done = run_cli("check", *options, "plan.md", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "--" in done.stderr
    assert (tmp_path / "plan.md").read_text() == CONFLICT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]
