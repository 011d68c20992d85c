"""The pre-commit hooks (.pre-commit-hooks.yaml, STYLE.md §2.12), run with the real pre-commit.

How the hooks are installed: a `repo: local` config whose entries mirror .pre-commit-hooks.yaml
(same id, `files`, `types_or`, `require_serial` and arguments) with `language: system` and an
entry that runs this checkout's planlint with the interpreter running the tests. That works
offline: `language: python` (and `pre-commit try-repo`, which uses it) makes pre-commit build a
virtualenv and pip-install planlint and its dependencies from the repository, which needs an
index to download from and takes far longer than the rest of this test. What the local mirror
does not exercise, the manifest's `language: python` install, is checked by
`pre-commit validate-manifest` here and is the same install as `pip install .`.

The git repositories are isolated from the user's setup: no global or system git config (a
global `core.hooksPath` would stop `pre-commit install`), no GIT_* variables inherited from a
hook that may be running these tests, and PRE_COMMIT_HOME in the test's tmp folder.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planlint.config import DEFAULT_PLANS, DEFAULT_STATUS
from tests.conftest import REPO
from tests.fix.test_fix import CONFLICT, FIXED

yaml = pytest.importorskip("yaml", reason="PyYAML (installed with pre-commit) is not importable")

MANIFEST = REPO / ".pre-commit-hooks.yaml"
PLAN_PATHS = [
    "docs/plans/x.md",
    "docs/plans/archive/x.md",
    "docs/plan-outputs/x/status.json",
    "docs/plan-outputs/archive/x/status.json",
]
OTHER_PATHS = [
    "README.md",
    "src/x.py",
    "docs/README.md",
    "docs/plan-outputs/x/findings/report.md",
    "status.json",
]


def hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}


def test_the_manifest_defines_a_check_and_a_serial_fix_hook() -> None:
    found = hooks()
    assert set(found) == {"planlint", "planlint-fix"}
    assert found["planlint"]["entry"] == "planlint check"
    assert found["planlint-fix"]["entry"] == "planlint fix"
    assert found["planlint-fix"].get("require_serial") is True  # a plan and its status.json: one process


@pytest.mark.parametrize("hook_id", ["planlint", "planlint-fix"])
def test_files_regex_matches_the_default_layout(hook_id: str) -> None:
    files = re.compile(hooks()[hook_id]["files"])
    for path in PLAN_PATHS:
        assert files.search(path), f"{hook_id} would not run on {path}"
        assert files.search(f"service/{path}"), f"{hook_id} would not run on service/{path} (monorepo)"
    for path in OTHER_PATHS:
        assert not files.search(path), f"{hook_id} would run on {path}"


def test_files_regex_agrees_with_the_default_globs_on_the_corpus(corpus: Path) -> None:
    """On a real repository layout, the hook sees exactly the files the default globs find."""
    files = re.compile(hooks()["planlint"]["files"])
    patterns = (*DEFAULT_PLANS, *DEFAULT_STATUS)
    globbed = {p for pattern in patterns for p in corpus.glob(pattern) if p.is_file()}
    matched = {p for p in corpus.rglob("*") if p.is_file() and files.search(p.relative_to(corpus).as_posix())}
    assert globbed and matched == globbed


# --- the real pre-commit -------------------------------------------------------------------


def _pre_commit_command() -> list[str]:
    try:
        import pre_commit  # noqa: F401

        return [sys.executable, "-m", "pre_commit"]
    except ImportError:
        found = shutil.which("pre-commit")
        return [found] if found else []


class Repo:
    """A throwaway git repository with pre-commit installed from this checkout's hook definitions."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        self.pre_commit = _pre_commit_command()
        global_config = cache.parent / "gitconfig"
        global_config.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
        for name in ("PLANLINT_DEBUG", "SKIP"):  # SKIP=<hook ids> would make pre-commit skip ours
            env.pop(name, None)
        env.update(
            GIT_CONFIG_GLOBAL=str(global_config),
            GIT_CONFIG_NOSYSTEM="1",
            PRE_COMMIT_HOME=str(cache),
            PRE_COMMIT_COLOR="never",
        )
        self.env = env

    def run(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(args), cwd=self.root, env=self.env, capture_output=True, text=True, timeout=60)
        if check:
            assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        return done

    def git(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return self.run("git", *args, check=check)

    def hook(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(*self.pre_commit, *args)

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode())
        return target

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        return self.git("commit", "-m", message)

    def commits(self) -> int:
        done = self.git("rev-list", "--count", "HEAD")
        return int(done.stdout) if done.returncode == 0 else 0


def local_config(fix_stage: str | None = None) -> str:
    """A `repo: local` config mirroring .pre-commit-hooks.yaml, running this checkout's planlint."""
    entries = []
    for hook in hooks().values():
        program, _, arguments = hook["entry"].partition(" ")
        assert program == "planlint"
        keys = ("id", "name", "files", "types_or", "require_serial")
        entry = {key: hook[key] for key in keys if key in hook}
        entry["entry"] = f"{shlex.quote(sys.executable)} -m planlint {arguments}"
        entry["language"] = "system"
        if hook["id"] == "planlint-fix" and fix_stage:
            entry["stages"] = [fix_stage]
        entries.append(entry)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": entries}]}, sort_keys=False)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    made = Repo(tmp_path / "repo", tmp_path / "pre-commit-cache")
    made.root.mkdir()
    if not made.pre_commit or made.hook("--version").returncode != 0:
        pytest.skip("pre-commit cannot run")
    if made.git("init", "-q").returncode != 0:
        pytest.skip("git cannot run")
    for key, value in (("user.name", "planlint tests"), ("user.email", "tests@planlint.invalid"),
                       ("commit.gpgsign", "false"), ("core.autocrlf", "false")):  # fmt: skip
        made.git("config", "--local", key, value, check=True)
    # The fix hook runs on demand only (`--hook-stage manual`), so a commit shows the check alone.
    made.write(".pre-commit-config.yaml", local_config(fix_stage="manual"))
    assert made.hook("validate-config", ".pre-commit-config.yaml").returncode == 0
    installed = made.hook("install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    made.write("README.md", "# A project with plans\n")
    for module in ("auth", "config", "limiter", "middleware"):  # the files the plans below modify
        made.write(f"src/{module}.py", f'"""The {module} module."""\n')
    made.git("add", "-A", check=True)
    first = made.commit("start")
    assert first.returncode == 0, first.stdout + first.stderr
    return made


@pytest.mark.slow
def test_the_manifest_is_valid_for_pre_commit(repo: Repo) -> None:
    done = repo.hook("validate-manifest", str(MANIFEST))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_commit_fails_on_a_missing_note_then_passes_after_the_fix_hook(repo: Repo) -> None:
    plan = repo.write("docs/plans/auth.md", CONFLICT)
    repo.git("add", "docs/plans/auth.md", check=True)

    refused = repo.commit("add the auth plan")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "PL101" in output and "docs/plans/auth.md" in output
    assert "- hook id: planlint\n" in output
    assert repo.commits() == 1 and plan.read_text() == CONFLICT

    fixed = repo.hook("run", "planlint-fix", "--hook-stage", "manual", "--files", "docs/plans/auth.md")
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 1, output  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in output
    assert plan.read_text() == FIXED

    repo.git("add", "docs/plans/auth.md", check=True)
    passed = repo.commit("add the auth plan")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^planlint\.+Passed$", passed.stdout + passed.stderr, re.M)
    assert repo.commits() == 2
    shown = repo.git("show", "HEAD:docs/plans/auth.md", check=True)
    assert shown.stdout == FIXED


PLAN = """# Implementation Plan: Rate limiting for the API

## Phase 1: Groundwork

- [ ] 1.1 Add the `RateLimit` settings to `src/config.py`
- [ ] 1.2 Write the sliding-window counter in `src/limiter.py`

## Phase 2: Wiring

- [ ] 2.1 Call the limiter from `src/middleware.py`
"""
STATUS = """{
  "planPath": "docs/plans/rate-limit.md",
  "planName": "Implementation Plan: Rate limiting for the API",
  "createdAt": "2025-03-04T09:15:00.000Z",
  "lastUpdatedAt": "2025-03-04T10:20:00.000Z",
  "currentPhase": "Phase 1: Groundwork",
  "tasks": [
    {
      "id": "1.1",
      "phase": "Phase 1: Groundwork",
      "description": "Add the `RateLimit` settings to `src/config.py`",
      "status": "completed",
      "startedAt": "2025-03-04T10:00:00.000Z",
      "completedAt": "2025-03-04T10:20:00.000Z"
    },
    {
      "id": "1.2",
      "phase": "Phase 1: Groundwork",
      "description": "Write the sliding-window counter in `src/limiter.py`",
      "status": "pending"
    },
    {
      "id": "2.1",
      "phase": "Phase 2: Wiring",
      "description": "Call the limiter from `src/middleware.py`",
      "status": "pending"
    }
  ],
  "summary": {
    "totalTasks": 3,
    "completed": 1,
    "pending": 2,
    "in_progress": 0,
    "failed": 0,
    "skipped": 0
  }
}
"""


@pytest.mark.slow
def test_committing_only_a_drifted_status_json_checks_it_against_its_plan(repo: Repo) -> None:
    repo.write("docs/plans/rate-limit.md", PLAN)
    status = repo.write("docs/plan-outputs/rate-limit/status.json", STATUS)
    repo.git("add", "docs", check=True)
    clean = repo.commit("plan and status")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    commits = repo.commits()

    # The orchestrator's status still describes an older plan: drift, in the status file only.
    status.write_text(STATUS.replace("the sliding-window counter", "the token bucket"))
    repo.git("add", "docs/plan-outputs/rate-limit/status.json", check=True)
    staged = repo.git("diff", "--cached", "--name-only", check=True).stdout.split()
    assert staged == ["docs/plan-outputs/rate-limit/status.json"]

    refused = repo.commit("orchestrator update")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "docs/plan-outputs/rate-limit/status.json:" in output and "PL205" in output
    # The message quotes the plan, which the hook was not given: the pair was checked.
    assert "Write the sliding-window counter in `src/limiter.py`" in output
    assert repo.commits() == commits
