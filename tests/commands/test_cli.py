"""The real CLI in a subprocess: exit codes 0/1/2, one-line errors, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli, write

CLEAN = """# Implementation Plan: Clean

## Phase 1: Work

- [ ] 1.1 Add `src/a.py`
- [ ] 1.2 Add `src/b.py`
"""
REVERSED = """# Implementation Plan: Reversed

## Phase 1: Work

**Execution Note:** Tasks 1.2-1.1 are [SEQUENTIAL] - both modify `src/a.py`

- [ ] 1.1 Update `src/a.py`
- [ ] 1.2 Update `src/a.py`
"""


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--format auto` (the default) means github annotations under GitHub Actions; these tests
    check the text format."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def assert_one_line_error(result, fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]


def test_clean_plan_exits_zero(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", CLEAN)
    result = run_cli("check", "plan.md", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "All checks passed" in result.stderr


def test_findings_exit_one_with_text_lines(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    result = run_cli("check", "plan.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["plan.md:5:1: PL104 task range `1.2-1.1` is reversed; write `1.1-1.2` [*]"]
    assert "Found 1 problem" in result.stderr


def test_json_format_has_the_design_keys(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    result = run_cli("check", "plan.md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    (item,) = json.loads(result.stdout)
    assert set(item) == {"code", "name", "severity", "message", "path", "line", "column",
                         "end_line", "end_column", "fix"}  # fmt: skip
    assert (item["code"], item["name"], item["severity"], item["line"], item["column"]) == (
        "PL104",
        "range-reversed",
        "error",
        5,
        1,
    )
    assert item["path"] == "plan.md"
    assert item["fix"] == {
        "applicability": "safe",
        "edits": [{"line": 5, "column": 27, "end_line": 5, "end_column": 34, "content": "1.1-1.2"}],
    }


def test_select_ignore_and_exit_zero(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    assert run_cli("check", "plan.md", "--ignore", "PL104", cwd=tmp_path).returncode == 0
    assert run_cli("check", "plan.md", "--select", "PL002", cwd=tmp_path).returncode == 0
    assert run_cli("check", "plan.md", "--select", "PL1", cwd=tmp_path).returncode == 1
    assert run_cli("check", "plan.md", "--exit-zero", cwd=tmp_path).returncode == 0


def test_info_findings_alone_exit_zero_unless_fail_on_info(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", CLEAN.replace("1.2 Add", "1.3 Add"))  # PL007 is info
    assert run_cli("check", "plan.md", cwd=tmp_path).returncode == 0
    assert run_cli("check", "plan.md", "--fail-on", "info", cwd=tmp_path).returncode == 1


def test_statistics_and_output_file(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    result = run_cli("check", "plan.md", "--statistics", "--output-file", "out.txt", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert (tmp_path / "out.txt").read_text().split() == ["1", "PL104", "[*]", "range-reversed"]


def test_quiet_prints_no_summary(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", CLEAN)
    result = run_cli("check", "plan.md", "--quiet", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""


def test_folder_search_skips_files_without_phases(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/README.md", "# Plans\n\nSee the plans here.\n")
    write(tmp_path, "docs/plans/a.md", REVERSED)
    write(tmp_path, "docs/plans/sub/b.md", CLEAN)
    result = run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)
    assert {item["path"] for item in json.loads(result.stdout)} == {"docs/plans/a.md"}
    assert result.returncode == 1 and "no file checked" not in result.stderr


def test_default_paths_come_from_the_configured_globs(tmp_path: Path) -> None:
    write(tmp_path, ".planlint.toml", 'plans = ["work/*.md"]\n')
    write(tmp_path, "work/plan.md", REVERSED)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(str(Path("work/plan.md")))


@pytest.mark.parametrize(
    ("title", "is_plan"),
    [
        ("Implementation Plan: Password reset", True),
        ("Password Reset Plan", True),
        ("Plan for password reset", True),
        ("Plan - password reset", True),
        ("Plan Execution Order", False),  # the corpus keeps these beside its plans
        ("Unified Plan Standards Specification", False),
        ("Planning notes", False),
    ],
)
def test_a_file_named_explicitly_is_pl001_only_when_its_title_names_a_plan(
    tmp_path: Path, title: str, is_plan: bool
) -> None:
    """pre-commit names every matching file, so documents about plans (no phase heading, no task
    line) must pass untouched; a title that names a plan makes the file a plan."""
    write(tmp_path, "docs/plans/doc.md", f"# {title}\n\n## Step 1: Tokens\n\n- [ ] Add `src/a.py`\n")
    result = run_cli("check", "docs/plans/doc.md", "--format", "json", cwd=tmp_path)
    codes = [item["code"] for item in json.loads(result.stdout)]
    assert (result.returncode, codes) == ((1, ["PL001"]) if is_plan else (0, []))


def test_empty_file_named_explicitly_is_pl001(tmp_path: Path) -> None:
    write(tmp_path, "empty.md", "")
    result = run_cli("check", "empty.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["empty.md:1:1: PL001 no phase headings found (expected `## Phase N: Title`)"]


def test_malformed_plan_gives_diagnostics_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path, "bad.md", "## Phase x\n- [ ] 1.a.b.c\n```\nunclosed fence\n- [ ] 1.1 in fence\n")
    result = run_cli("check", "bad.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "PL001" in result.stdout


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.md: error: binary file"),
        ("latin1.md", "# Plan\n\n## Phase 1: Caf\xe9\n".encode("latin-1"), "latin1.md:3: error: not valid UTF-8"),
    ],
)
def test_unreadable_inputs_are_one_line_errors(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    write(tmp_path, name, content)
    assert_one_line_error(run_cli("check", name, cwd=tmp_path), fragment)


def test_missing_path_is_an_error_and_other_files_are_still_checked(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    result = run_cli("check", "missing.md", "plan.md", cwd=tmp_path)
    assert_one_line_error(result, "missing.md: error: no such file or directory")
    assert "PL104" in result.stdout
    assert "Found 1 problem" in result.stderr and "1 file could not be checked." in result.stderr


def test_summary_never_says_all_passed_when_a_file_could_not_be_read(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", CLEAN)
    result = run_cli("check", "missing.md", "plan.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "All checks passed" not in result.stderr
    assert "No problems found in 1 file checked. 1 file could not be checked." in result.stderr


def test_directory_where_a_file_is_needed(tmp_path: Path) -> None:
    (tmp_path / "dir.md").mkdir()
    result = run_cli("check", "--config", "dir.md", "x.md", cwd=tmp_path)
    assert_one_line_error(result, "dir.md: error: config file not found")


def test_unknown_config_key_names_file_line_and_key(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.planlint]\nselect = ["PL1"]\nselekt = ["PL2"]\n')
    write(tmp_path, "plan.md", CLEAN)
    result = run_cli("check", "plan.md", cwd=tmp_path)
    assert_one_line_error(result, "pyproject.toml:6: error: unknown key 'selekt'")


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, ".planlint.toml", "select = [\n")
    write(tmp_path, "plan.md", CLEAN)
    assert_one_line_error(run_cli("check", "plan.md", cwd=tmp_path), ".planlint.toml")


def test_bad_code_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", CLEAN)
    assert_one_line_error(run_cli("check", "plan.md", "--select", "E501", cwd=tmp_path), "not a rule code")


def test_unknown_option_exits_two(tmp_path: Path) -> None:
    result = run_cli("check", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_rule_command_explains_and_lists() -> None:
    one = run_cli("rule", "PL104")
    assert one.returncode == 0
    assert one.stdout.startswith("# PL104 range-reversed (error, fixable)")
    listing = run_cli("rule")
    assert "PL104  E  range-reversed" in listing.stdout
    data = json.loads(run_cli("rule", "--format", "json").stdout)
    assert {"PL001", "PL104", "PL112"} <= {item["code"] for item in data}
    assert run_cli("rule", "PL999").returncode == 2


def test_examples_in_the_readme_quick_start_behave() -> None:
    clean = run_cli("check", "examples/clean-plan.md", cwd=REPO)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    findings = run_cli("check", "examples/", cwd=REPO)
    assert findings.returncode == 1 and findings.stdout.strip()


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("planlint, version")
