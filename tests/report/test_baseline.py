"""`check --write-baseline` / `--baseline` through the real CLI: findings are keyed on code, file,
task IDs and names, never line numbers, so edits above a finding keep it baselined."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

PLAN = """# Implementation Plan: Baseline

## Phase 1: Work

- [ ] 1.1 Update `src/a.py`
- [ ] 1.2 Update `src/a.py`
- [ ] 1.2 Update `src/b.py`
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.md").write_text(PLAN, encoding="utf-8")
    return tmp_path


def check(project: Path, *args: str, cwd: Path | None = None):
    return run_cli("check", *args, cwd=cwd or project)


def codes(stdout: str) -> list[str]:
    return [line.split()[1] for line in stdout.splitlines()]


def test_write_baseline_records_findings_and_exits_zero(project: Path) -> None:
    before = check(project, "plans/plan.md")
    assert before.returncode == 1 and sorted(codes(before.stdout)) == ["PL002", "PL101"]
    written = check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "Recorded 2 findings in baseline.json" in written.stderr
    data = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert data == {
        "version": 1,
        "findings": [
            {"code": "PL002", "path": "plans/plan.md", "tasks": ["1.2"], "names": [], "count": 1},
            {"code": "PL101", "path": "plans/plan.md", "tasks": ["1.1", "1.2"], "names": ["src/a.py"], "count": 1},
        ],
    }


def test_baseline_file_is_stable(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "one.json")
    check(project, "plans/plan.md", "--write-baseline", "two.json")
    one = (project / "one.json").read_bytes()
    assert one == (project / "two.json").read_bytes()
    assert one.endswith(b"}\n") and b"\r" not in one


def test_baselined_findings_are_not_reported(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    result = check(project, "plans/plan.md", "--baseline", "baseline.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "2 baselined findings not shown" in result.stderr


def test_editing_above_a_finding_keeps_it_baselined(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    plan = project / "plans" / "plan.md"
    edited = PLAN.replace("## Phase 1: Work\n", "Some context.\n\nAnd more context.\n\n## Phase 1: Work\n")
    plan.write_text(edited, encoding="utf-8")
    moved = check(project, "plans/plan.md")
    assert sorted(codes(moved.stdout)) == ["PL002", "PL101"]
    assert "plans/plan.md:9:" in moved.stdout  # the findings did move down
    result = check(project, "plans/plan.md", "--baseline", "baseline.json")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_a_new_finding_is_reported(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    plan = project / "plans" / "plan.md"
    plan.write_text(PLAN + "- [ ] 1.3 Update `src/c.py`\n- [ ] 1.4 Update `src/c.py`\n", encoding="utf-8")
    result = check(project, "plans/plan.md", "--baseline", "baseline.json")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        line for line in check(project, "plans/plan.md").stdout.splitlines() if "src/c.py" in line
    ]
    assert codes(result.stdout) == ["PL101"]
    assert "2 baselined findings not shown" in result.stderr


def test_a_task_joining_a_baselined_conflict_is_reported(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    plan = project / "plans" / "plan.md"
    plan.write_text(PLAN + "- [ ] 1.3 Update `src/a.py`\n", encoding="utf-8")
    result = check(project, "plans/plan.md", "--baseline", "baseline.json")
    assert result.returncode == 1
    assert codes(result.stdout) == ["PL101"] and "1.3" in result.stdout


def test_count_limits_how_many_findings_one_entry_hides(project: Path) -> None:
    plan = project / "plans" / "plan.md"
    plan.write_text(PLAN + "- [ ] 1.a Oops\n", encoding="utf-8")
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    plan.write_text(PLAN + "- [ ] 1.a Oops\n- [ ] 1.a Oops again\n", encoding="utf-8")
    result = check(project, "plans/plan.md", "--baseline", "baseline.json")
    assert codes(result.stdout) == ["PL004"]


def test_paths_are_relative_to_the_baseline_file(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    result = check(project, "plan.md", "--baseline", "../baseline.json", cwd=project / "plans")
    assert result.returncode == 0 and result.stdout == ""


def test_baseline_works_with_other_formats(project: Path) -> None:
    check(project, "plans/plan.md", "--write-baseline", "baseline.json")
    result = check(project, "plans/plan.md", "--baseline", "baseline.json", "--format", "sarif")
    assert result.returncode == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []


def test_missing_baseline_is_a_one_line_error(project: Path) -> None:
    result = check(project, "plans/plan.md", "--baseline", "nope.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "nope.json: error: baseline file not found"


def test_invalid_baseline_is_a_one_line_error(project: Path) -> None:
    (project / "bad.json").write_text('{"version": 1,\n "findings": [}\n', encoding="utf-8")
    result = check(project, "plans/plan.md", "--baseline", "bad.json")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("bad.json:2: error: baseline file is not JSON")
    (project / "other.json").write_text('{"version": 1, "findings": [{"code": "PL101"}]}', encoding="utf-8")
    other = check(project, "plans/plan.md", "--baseline", "other.json")
    assert other.returncode == 2 and "not a planlint baseline file" in other.stderr


def test_baseline_and_write_baseline_together_are_a_usage_error(project: Path) -> None:
    result = check(project, "plans/plan.md", "--baseline", "a.json", "--write-baseline", "b.json")
    assert result.returncode == 2
    assert "cannot be used together" in result.stderr
