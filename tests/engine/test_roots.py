"""The same answer wherever you stand: the root and config come from each checked path, config
mistakes are one-line errors, and no file is skipped silently. Every test runs the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli, write

REVERSED = """# Implementation Plan: Reversed

## Phase 1: Work

**Execution Note:** Tasks 1.2-1.1 are [SEQUENTIAL] - both modify `src/a.py`

- [ ] 1.1 Update `src/a.py`
- [ ] 1.2 Update `src/a.py`
"""
GAP = REVERSED + "- [ ] 1.4 Update `src/c.py`\n"  # PL104 and PL007
CLEAN = """# Implementation Plan: Clean

## Phase 1: Work

- [ ] 1.1 Create `src/a.py`
- [ ] 1.2 Create `src/b.py`
"""


def git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


def codes(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return [(item["path"], item["code"]) for item in json.loads(result.stdout)]


def one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# -- root and config from each path ---------------------------------------------------------


@pytest.mark.slow
def test_a_run_from_another_folder_gives_the_findings_of_a_run_from_the_root(corpus: Path, tmp_path: Path) -> None:
    """A copy of a real repository layout with status files, as a git repository: from its root,
    from `/` and from an unrelated folder, the JSON findings are the same bytes once the root's
    prefix is taken off the paths."""
    root = tmp_path / "repo"
    shutil.copytree(corpus, root, ignore=shutil.ignore_patterns(".planlint_cache"))
    git_init(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home = run_cli("check", "docs/plans", "--format", "json", cwd=root)
    assert home.returncode == 1 and '"PL209"' in home.stdout and '"PL301"' in home.stdout
    runs = {
        "/": (Path("/"), str(root / "docs/plans"), root.relative_to("/").as_posix() + "/"),
        "elsewhere": (elsewhere, str(root / "docs/plans"), root.as_posix() + "/"),
    }
    for name, (cwd, argument, prefix) in runs.items():
        away = run_cli("check", argument, "--format", "json", cwd=cwd)
        assert away.returncode == home.returncode, (name, away.stderr)
        assert away.stdout.replace(prefix, "") == home.stdout, name
        assert _without_progress(away.stderr) == _without_progress(home.stderr), name
    assert not (elsewhere / ".planlint_cache").exists()


def _without_progress(stderr: str) -> str:
    """stderr without the progress line of a first run whose Python indexing took over a second
    (it depends on the machine's load, not on where planlint runs from)."""
    return "".join(line for line in stderr.splitlines(keepends=True) if "indexing Python definitions" not in line)


def test_each_path_uses_the_config_of_its_own_root(tmp_path: Path) -> None:
    """One run over two repositories: each file is checked with its own root's config."""
    for name, ignore in (("one", "PL104"), ("two", "PL007")):
        git_init(tmp_path / name)
        write(tmp_path / name, ".planlint.toml", f'ignore = ["{ignore}"]\n')
        write(tmp_path / name, "docs/plans/plan.md", REVERSED)
        write(tmp_path / name, "src/a.py", "")
    result = run_cli("check", "one/docs/plans", "two/docs/plans", "--format", "json", cwd=tmp_path)
    assert codes(result) == [("two/docs/plans/plan.md", "PL104")]


def test_paths_are_relative_to_the_current_folder_when_under_it(tmp_path: Path) -> None:
    git_init(tmp_path / "repo")
    write(tmp_path / "repo", "docs/plans/plan.md", REVERSED)
    write(tmp_path / "repo", "src/a.py", "")
    inside = run_cli("check", str(tmp_path / "repo/docs/plans"), "--format", "json", cwd=tmp_path / "repo")
    assert codes(inside) == [("docs/plans/plan.md", "PL104")]
    (tmp_path / "away").mkdir()
    outside = run_cli("check", "../repo/docs/plans", "--format", "json", cwd=tmp_path / "away")
    assert codes(outside) == [((tmp_path / "repo/docs/plans/plan.md").as_posix(), "PL104")]


PYTHON_PLAN = """# Implementation Plan: Symbols

## Phase 1: Work

- [ ] 1.1 Update `helper()` in `src/a.py`
"""


def python_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    git_init(root)
    write(root, "src/a.py", "def helper():\n    return 1\n")
    write(root, "docs/plans/plan.md", PYTHON_PLAN)
    return root


def test_the_cache_lives_in_the_root_and_no_cache_skips_it(tmp_path: Path) -> None:
    root = python_repo(tmp_path)
    assert run_cli("check", "docs/plans", "--no-cache", cwd=root).returncode == 0
    assert not (root / ".planlint_cache").exists()
    (tmp_path / "away").mkdir()
    assert run_cli("check", str(root / "docs/plans"), cwd=tmp_path / "away").returncode == 0
    assert (root / ".planlint_cache" / "symbols-v1").is_dir()
    assert not (tmp_path / "away" / ".planlint_cache").exists()


def test_without_config_or_git_the_root_is_the_paths_own_folder_not_the_current_one(tmp_path: Path) -> None:
    """From `/`, a plan with no repository around it must not make planlint index the disk."""
    write(tmp_path, "work/src/a.py", "def helper():\n    return 1\n")
    write(tmp_path, "work/plan.md", PYTHON_PLAN)
    had_cache = Path("/.planlint_cache").exists()
    result = run_cli("check", str(tmp_path / "work/plan.md"), cwd=Path("/"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert Path("/.planlint_cache").exists() == had_cache
    assert (tmp_path / "work/.planlint_cache").is_dir()


GSD_PLAN = (
    "---\nphase: 05-billing\nplan: {plan}\ntype: execute\nwave: 1\ndepends_on: []\n"
    "files_modified:\n  - src/billing/types.ts\nautonomous: true\n---\n\n<objective>\nPlan {plan}.\n</objective>\n"
)
SPEC_KIT_PLAN = "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 [P] Add `src/app.py`\n- [ ] T002 [P] Edit `src/app.py`\n"
KIRO_PLAN = "# Tasks\n\n- [ ] 1. Billing\n- [ ] 1.1 (P) Edit `src/app.py`\n- [ ] 1.2 (P) Edit `src/app.py`\n"


@pytest.mark.parametrize(
    ("files", "finding"),
    [
        ({f".planning/phases/05-billing/05-0{n}-PLAN.md": GSD_PLAN.format(plan=f"0{n}") for n in (1, 2)},
         ".planning/phases/05-billing/05-01-PLAN.md:5:7: PL101"),
        ({".kiro/specs/billing/tasks.md": KIRO_PLAN}, ".kiro/specs/billing/tasks.md:"),
        ({"specs/001-billing/tasks.md": SPEC_KIT_PLAN}, "specs/001-billing/tasks.md:"),
    ],
    ids=["gsd", "kiro", "spec-kit"],
)  # fmt: skip
def test_without_git_a_dialects_default_folder_belongs_to_the_project_around_it(
    tmp_path: Path, files: dict[str, str], finding: str
) -> None:
    """The default globs name `.planning/phases`, `.kiro/specs` and `specs/`: outside a
    repository, a walk of the project (or of that folder) finds the plans there, as it finds
    `docs/plans`, and names them from the project's root."""
    for name, text in files.items():
        write(tmp_path, name, text)
    folder = next(iter(files)).split("/")[0]
    for path in (".", folder):
        result = run_cli("check", path, cwd=tmp_path)
        assert result.returncode == 1 and finding in result.stdout, result.stdout + result.stderr
        assert "PL101" in result.stdout


def test_a_committed_cache_symlink_is_never_written_through(tmp_path: Path) -> None:
    root = python_repo(tmp_path)
    target = tmp_path / "target"
    target.mkdir()
    (root / ".planlint_cache").symlink_to(target)
    result = run_cli("check", "docs/plans", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(target.iterdir()) == []
    (root / ".planlint_cache").unlink()
    (root / ".planlint_cache").mkdir()
    (root / ".planlint_cache" / "symbols-v1").symlink_to(target)
    assert run_cli("check", "docs/plans", cwd=root).returncode == 0
    assert list(target.iterdir()) == []


# -- which files ----------------------------------------------------------------------------


def test_a_folder_reports_plans_that_parse_to_nothing_and_skips_index_files(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/README.md", "# Plans\n\n- [Auth](auth.md): the auth plan\n")
    write(tmp_path, "docs/plans/EXECUTION-ORDER.md", "# Plan Execution Order\n\n1. auth.md\n2. billing.md\n")
    write(tmp_path, "docs/plans/steps.md", "# Auth\n\n## Step 1: Tokens\n\n- [ ] 1.1 Add `src/a.py`\n")
    write(tmp_path, "docs/plans/phases.md", "# Billing\n\n## Phase 1 Setup\n\nSet things up.\n")
    result = run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert codes(result) == [("docs/plans/phases.md", "PL001"), ("docs/plans/steps.md", "PL001")]


@pytest.mark.slow  # eight CLI runs
def test_check_and_fix_agree_on_index_files_named_or_found(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/README.md", "# Plans\n\nSee the plans here.\n")
    write(tmp_path, "docs/plans/EXECUTION-ORDER.md", "# Plan Execution Order\n\n1. auth.md\n")
    write(tmp_path, "docs/plans/plan.md", CLEAN)
    for command in ("check", "fix"):
        named = run_cli(command, "docs/plans/README.md", "docs/plans/EXECUTION-ORDER.md", cwd=tmp_path)
        assert named.returncode == 0, (command, named.stdout, named.stderr)
        assert "PL001" not in named.stdout
        found = run_cli(command, "docs/plans", cwd=tmp_path)
        assert found.returncode == 0 and "PL001" not in found.stdout, (command, found.stdout)
    broken = write(tmp_path, "docs/plans/broken.md", "# Auth\n\n## Step 1: Tokens\n\n- [ ] 1.1 Add `src/a.py`\n")
    for command in ("check", "fix"):
        for argument in (str(broken.relative_to(tmp_path)), "docs/plans"):
            result = run_cli(command, argument, cwd=tmp_path)
            assert result.returncode == 1 and "docs/plans/broken.md:1:1: PL001" in result.stdout, (command, argument)


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_run_that_checks_no_file_says_so(tmp_path: Path, command: str) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli(command, "empty", cwd=tmp_path)
    assert result.returncode == 0
    assert "no file checked" in result.stderr
    write(tmp_path, "docs/plans/README.md", "# Plans\n\nSee the plans here.\n")
    result = run_cli(command, "docs/plans", cwd=tmp_path)
    assert result.returncode == 0 and "no file checked" in result.stderr, result.stderr
    write(tmp_path, "docs/plans/plan.md", CLEAN)
    assert "no file checked" not in run_cli(command, "docs/plans", cwd=tmp_path).stderr


def test_exclude_in_config_and_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, ".planlint.toml", 'exclude = ["docs/plans/archive"]\n')
    write(tmp_path, "docs/plans/a.md", REVERSED)
    write(tmp_path, "docs/plans/archive/old.md", REVERSED)
    write(tmp_path, "docs/plans/b-draft.md", REVERSED)
    assert codes(run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)) == [
        ("docs/plans/a.md", "PL104"),
        ("docs/plans/b-draft.md", "PL104"),
    ]
    result = run_cli("check", "docs/plans", "--exclude", "*-draft.md", "--format", "json", cwd=tmp_path)
    assert codes(result) == [("docs/plans/a.md", "PL104")]
    named = run_cli("check", "docs/plans/archive/old.md", cwd=tmp_path)
    assert named.returncode == 0 and "no file checked" in named.stderr
    fixed = run_cli("fix", "docs/plans", "--exclude", "*-draft.md", cwd=tmp_path)
    assert fixed.returncode == 0
    assert "1.2-1.1" in (tmp_path / "docs/plans/archive/old.md").read_text()
    assert "1.2-1.1" in (tmp_path / "docs/plans/b-draft.md").read_text()
    assert "1.1-1.2" in (tmp_path / "docs/plans/a.md").read_text()


# -- strict config ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "fragments"),
    [
        ("pyproject.toml", '[tool.planlint\nselect = ["PL1"]\n', ("pyproject.toml:1:", "invalid TOML")),
        ("pyproject.toml", "[tool]\nplanlint = 5\n", ("pyproject.toml:2:", "'tool.planlint' must be a table")),
        (".planlint.toml", "tool = 5\n", (".planlint.toml:1:", "'tool'")),
        (".planlint.toml", 'standard = ["plan-standards"]\n', (".planlint.toml:1:", "standard")),
        (".planlint.toml", 'status = [""]\n', (".planlint.toml:1:", "'status'", "empty glob")),
        (".planlint.toml", 'plans = ["/abs/*.md"]\n', (".planlint.toml:1:", "'plans'", "relative")),
        (".planlint.toml", 'select = ["PL999"]\n', (".planlint.toml:1:", "PL999", "select")),
        (".planlint.toml", 'ignore = ["PL9"]\n', (".planlint.toml:1:", "PL9", "ignore")),
        (".planlint.toml", "fail-on = 5\n", (".planlint.toml:1:", "fail-on")),
        (".planlint.toml", "exclude = 5\n", (".planlint.toml:1:", "exclude")),
        (".planlint.toml", '[per-file-ignores]\n"*.md" = ["PL999"]\n', (".planlint.toml:2:", "PL999")),
        (".planlint.toml", '[severity]\nPL999 = "error"\n', (".planlint.toml:2:", "PL999")),
        (".planlint.toml", "colour = true\n", (".planlint.toml:1:", "unknown key 'colour'")),
    ],
)
def test_config_mistakes_are_one_line_errors(tmp_path: Path, name: str, text: str, fragments: tuple[str, ...]) -> None:
    write(tmp_path, name, text)
    write(tmp_path, "docs/plans/plan.md", REVERSED)
    for command in ("check", "fix"):
        one_line_error(run_cli(command, "docs/plans/plan.md", cwd=tmp_path), *fragments)
    (tmp_path / "away").mkdir()
    one_line_error(run_cli("check", str(tmp_path / "docs/plans"), cwd=tmp_path / "away"), *fragments)


def test_an_unknown_selector_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    for option in ("--select", "--ignore", "--extend-select"):
        one_line_error(run_cli("check", "plan.md", option, "PL999", cwd=tmp_path), "PL999")
    one_line_error(run_cli("check", "plan.md", "--exclude", "/abs", cwd=tmp_path), "--exclude")


def test_ignore_all_turns_off_what_is_not_selected_by_name(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/plan.md", GAP)
    write(tmp_path, ".planlint.toml", 'ignore = ["ALL"]\n')
    assert codes(run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)) == []
    write(tmp_path, ".planlint.toml", 'ignore = ["ALL"]\nextend-select = ["PL104"]\n')
    result = run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)
    assert [code for _, code in codes(result)] == ["PL104"]
    write(tmp_path, ".planlint.toml", "")
    assert "PL104" not in run_cli("check", "docs/plans", "--ignore", "ALL", cwd=tmp_path).stdout


def test_double_star_slash_matches_zero_folders(tmp_path: Path) -> None:
    write(tmp_path, ".planlint.toml", '[per-file-ignores]\n"docs/plans/archive/**/*.md" = ["PL104"]\n')
    write(tmp_path, "docs/plans/archive/old.md", REVERSED)
    write(tmp_path, "docs/plans/archive/2025/older.md", REVERSED)
    write(tmp_path, "docs/plans/new.md", REVERSED)
    assert codes(run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)) == [("docs/plans/new.md", "PL104")]


def status_json(plan_path: str, tasks: list[tuple[str, str]], **extra: object) -> str:
    entries = [{"id": i, "phase": "Phase 1: Work", "description": d, "status": "pending"} for i, d in tasks]
    data = {"planPath": plan_path, "planName": "Work", "createdAt": "2026-01-01T00:00:00Z", "tasks": entries}
    return json.dumps({**data, **extra}, indent=2) + "\n"


def test_per_file_ignores_for_a_status_file_match_its_plans_path(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/archive/work.md", CLEAN)
    wrong = status_json("docs/plans/work.md", [("1.1", "Create `src/a.py`"), ("1.2", "Create `src/b.py`")])
    write(tmp_path, "docs/plan-outputs/archive/work/status.json", wrong)
    before = run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)
    assert ("docs/plan-outputs/archive/work/status.json", "PL209") in codes(before)
    write(tmp_path, ".planlint.toml", '[per-file-ignores]\n"docs/plans/archive/**/*.md" = ["PL2"]\n')
    after = run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path)
    assert codes(after) == []


# -- writes and reads stay inside the root ----------------------------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot"])
def test_a_plan_path_outside_the_root_is_reported_never_followed(tmp_path: Path, kind: str) -> None:
    outside = write(tmp_path, "outside/victim.md", REVERSED)
    root = tmp_path / "repo"
    git_init(root)
    plan_path = str(outside) if kind == "absolute" else "../outside/victim.md"
    write(root, "docs/plan-outputs/work/status.json", status_json(plan_path, [("1.1", "Update `src/a.py`")]))
    before = outside.read_bytes()
    for command in ("check", "fix"):
        result = run_cli(command, "docs/", cwd=root)
        assert outside.read_bytes() == before, command
        assert "victim" not in result.stdout.replace(f"planPath '{plan_path}'", ""), (command, result.stdout)
    result = run_cli("check", "docs/", cwd=root)
    assert "PL209" in result.stdout and "outside the root" in result.stdout, result.stdout
    for command in ("check", "fix"):
        run_cli(command, "docs/plan-outputs/work/status.json", cwd=root)
        assert outside.read_bytes() == before


def test_an_unreadable_paired_status_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/work.md", CLEAN)
    write(tmp_path, "docs/plan-outputs/work/status.json", b'{"tasks": "\xff\xfe"}\n')
    for command in ("check", "fix"):
        result = run_cli(command, "docs/plans/work.md", cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        errors = [line for line in result.stderr.splitlines() if "error:" in line]
        assert errors == [errors[0]] and errors[0].startswith("docs/plan-outputs/work/status.json"), result.stderr
        assert "All checks passed" not in result.stderr


# -- findings ---------------------------------------------------------------------------------

LEGACY_PLAN = """# Implementation Plan: Work

## Phase 1: Work

- [ ] 1.1 Create skill YAML with model (sonnet for standard)
- [ ] 1.2 Add the checks

**VERIFY Phase 1:**
- [ ] The command responds
"""


def test_a_drifted_legacy_entry_is_description_drift_not_an_unknown_task(tmp_path: Path) -> None:
    """A legacy status.json (PL211) whose entry starts with the task's ID but whose text changed
    since is that task (PL205), not a task absent from the plan (PL204)."""
    write(tmp_path, "docs/plans/work.md", LEGACY_PLAN)
    tasks = [
        ("1.1", "1.1 Create skill YAML with model (claude-sonnet-4-5 for standard)"),
        ("1.2", "1.2 Add the checks"),
        ("1.3", "**VERIFY 1:** The command responds"),
    ]
    write(tmp_path, "docs/plan-outputs/work/status.json", status_json("docs/plans/work.md", tasks))
    result = run_cli("check", "docs/plans", "--select", "PL2", "--format", "json", cwd=tmp_path)
    found = {item["code"]: item["message"] for item in json.loads(result.stdout)}
    assert set(found) == {"PL205", "PL211"}, found
    assert "task 1.1" in found["PL205"]
    assert "have no entry" not in found["PL211"]


def test_pl301_checks_a_plan_in_a_repository_even_when_nothing_it_names_exists(tmp_path: Path) -> None:
    plan = "# Implementation Plan: Work\n\n## Phase 1: Work\n\n- [ ] 1.1 Update `src/missing.py`\n"
    write(tmp_path, "outside/docs/plans/work.md", plan)
    assert codes(run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path / "outside")) == []
    git_init(tmp_path / "repo")
    write(tmp_path, "repo/docs/plans/work.md", plan)
    result = run_cli("check", "docs/plans", "--format", "json", cwd=tmp_path / "repo")
    assert codes(result) == [("docs/plans/work.md", "PL301")]


# -- output -----------------------------------------------------------------------------------


@pytest.mark.slow  # runs real git apply on the diff
def test_fix_diff_on_a_file_without_a_final_newline_is_a_valid_patch(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(tmp_path, "docs/plans/plan.md", REVERSED.rstrip("\n"))
    result = run_cli("fix", "--diff", "docs/plans/plan.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.endswith("\\ No newline at end of file\n")
    write(tmp_path, "fix.patch", result.stdout)
    applied = subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)
    assert (tmp_path / "docs/plans/plan.md").read_text() == REVERSED.rstrip("\n").replace("1.2-1.1", "1.1-1.2")


def test_show_fixes_lists_each_kind_of_fix_once(tmp_path: Path) -> None:
    twice = REVERSED + "\n**Execution Note:** Tasks 1.2-1.1 are [SEQUENTIAL] - again\n"
    write(tmp_path, "docs/plans/plan.md", twice)
    result = run_cli("fix", "--show-fixes", "docs/plans/plan.md", cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if "fixed PL104" in line]
    assert len(lines) == 1 and lines[0].endswith("(2 times)"), result.stderr
    assert "Fixed 2 problems in 1 file;" in result.stderr


def test_check_counts_the_fixable_findings_that_fix_then_fixes(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/plan.md", REVERSED + "\n**Execution Note:** Tasks 1.2-1.1 are [SEQUENTIAL] - again\n")
    checked = run_cli("check", "docs/plans", cwd=tmp_path)
    assert "2 fixable with `planlint fix`" in checked.stderr
    assert "Fixed 2 problems in 1 file;" in run_cli("fix", "docs/plans", cwd=tmp_path).stderr


def test_colour_option_and_environment(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    plain = {"NO_COLOR": "", "FORCE_COLOR": ""}
    assert "\x1b[" not in run_cli("check", "plan.md", cwd=tmp_path, env=plain).stdout
    assert "\x1b[" in run_cli("check", "plan.md", "--color", "always", cwd=tmp_path, env=plain).stdout
    assert "\x1b[" in run_cli("check", "plan.md", cwd=tmp_path, env={**plain, "FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_cli("check", "plan.md", cwd=tmp_path, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    forced = run_cli("check", "plan.md", "--color", "never", cwd=tmp_path, env={**plain, "FORCE_COLOR": "1"})
    assert "\x1b[" not in forced.stdout
    assert run_cli("check", "plan.md", "--color", "sometimes", cwd=tmp_path).returncode == 2


def run_on_a_terminal(*args: str, cwd: Path) -> str:
    """Run the CLI with its standard output on a pseudo-terminal, as a person at a shell does."""
    import os
    import pty
    import sys

    main, child = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    with subprocess.Popen([sys.executable, "-m", "planlint", *args], cwd=cwd, stdout=child,
                          stderr=subprocess.DEVNULL, env=env) as process:  # fmt: skip
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_source_excerpts_by_default_on_a_terminal_with_a_way_out(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", REVERSED)
    excerpt = "5 | **Execution Note:** Tasks 1.2-1.1"
    assert excerpt in run_on_a_terminal("check", "plan.md", cwd=tmp_path)
    assert excerpt not in run_on_a_terminal("check", "plan.md", "--no-show-source", cwd=tmp_path)
    assert excerpt not in run_cli("check", "plan.md", cwd=tmp_path).stdout  # a pipe: one line each
    assert excerpt in run_cli("check", "plan.md", "--show-source", cwd=tmp_path).stdout
    write(tmp_path, "dup.md", CLEAN.replace("1.2 Create", "1.1 Create"))  # PL002 remains after fix
    remaining = "6 | - [ ] 1.1 Create `src/b.py`"
    assert remaining in run_on_a_terminal("fix", "dup.md", cwd=tmp_path)
    assert remaining not in run_on_a_terminal("fix", "dup.md", "--no-show-source", cwd=tmp_path)
    assert remaining not in run_cli("fix", "dup.md", cwd=tmp_path).stdout


def test_the_text_summary_says_how_to_read_about_each_code_and_counts_files(tmp_path: Path) -> None:
    write(tmp_path, "plan.md", GAP)
    result = run_cli("check", "plan.md", cwd=tmp_path)
    assert "see `planlint rule PL104`" in result.stderr and "see `planlint rule PL007`" in result.stderr
    assert "planlint rule" not in run_cli("check", "plan.md", "--format", "json", cwd=tmp_path).stderr
    write(tmp_path, "clean.md", CLEAN)
    assert "All checks passed (1 file checked)." in run_cli("check", "clean.md", cwd=tmp_path).stderr
    assert "file(s)" not in run_cli("fix", "plan.md", cwd=tmp_path).stderr


def test_emit_and_next_pair_from_the_plans_root_wherever_they_run(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    write(root, "docs/plans/work.md", CLEAN)
    status = status_json("docs/plans/work.md", [("1.1", "Create `src/a.py`"), ("1.2", "Create `src/b.py`")])
    write(root, "docs/plan-outputs/work/status.json", status.replace('"pending"', '"completed"', 1))
    (tmp_path / "away").mkdir()
    for cwd in (root, tmp_path / "away"):
        batch = run_cli("next", str(root / "docs/plans/work.md"), cwd=cwd)
        assert batch.returncode == 0, batch.stderr
        assert [task["id"] for task in json.loads(batch.stdout)["tasks"]] == ["1.2"], cwd


def test_next_refuses_a_status_file_that_is_a_json_array(tmp_path: Path) -> None:
    write(tmp_path, "docs/plans/work.md", CLEAN)
    write(tmp_path, "docs/plan-outputs/work/status.json", "[1, 2]\n")
    for command in (["next", "docs/plans/work.md"], ["emit", "docs/plans/work.md"]):
        one_line_error(run_cli(*command, cwd=tmp_path), "status.json", "not a JSON object")


def test_help_and_docs_cite_no_file_outside_the_repository() -> None:
    from tests.conftest import REPO

    for command in ("check", "fix", "emit", "next", "rule", "schema"):
        assert "DESIGN.md" not in run_cli(command, "--help").stdout, command
    for schema in ("status", "constraints"):
        assert "DESIGN.md" not in run_cli("schema", schema).stdout, schema
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "DESIGN.md" not in text and "../shared" not in text, page
