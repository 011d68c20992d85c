"""What a file reference means on disk (planlint/analysis/files.py, DESIGN.md §2 and PL301).

Existence is the filesystem's to say under the plan's root: a file on disk exists even when git
ignores it, a file deleted from disk does not even while git's index lists it, a path keeps its
exact case and never leads out of the root. The repository's listing (`git ls-files`, or a walk
outside git) is made only when a bare name or a partial path must be looked for, once per run.
Where the index and the filesystem disagree, planlint used to follow the index; the tests named
`*_behaviour_changed` pin the new reading (the corpus output does not change: test_pinned.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planlint.analysis.files import FileIndex, Resolved, file_index, resolve
from planlint.analysis.references import Reference, RefKind
from planlint.analysis.symbols import clear_memory
from planlint.config import Config
from planlint.engine import lint_plan
from planlint.parse.plan import parse_plan
from planlint.text import SourceText, Span
from tests.conftest import write

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and a shell-script git need POSIX")


def ref(text: str, kind: RefKind = RefKind.FILE, *, backticked: bool = True) -> Reference:
    return Reference(text, kind, Span(Path("plan.md"), 0, len(text)), backticked=backticked)


def git_repo(root: Path, files: dict[str, str]) -> Path:
    """A real git repository holding files, all committed."""
    for name, text in files.items():
        write(root, name, text)
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "files"], cwd=root, check=True)
    return root


def findings(root: Path, plan_text: str, select: str) -> list[str]:
    """One fresh run's messages for the selected rule."""
    file_index.cache_clear()
    clear_memory()
    plan = parse_plan(SourceText.from_text(plan_text, root / "plan.md"))
    config = Config(root=root).with_overrides(select=[select])
    return [d.message for d in lint_plan(plan, config, root)]


def plan(*bullets: str) -> str:
    return "# Plan\n\n## Phase 1: Work\n\n" + "".join(f"- [ ] 1.{n} {b}\n" for n, b in enumerate(bullets, 1))


# -- the filesystem answers, no listing ------------------------------------------------------


def test_paths_are_checked_on_disk_without_listing_the_repository(tmp_path: Path) -> None:
    write(tmp_path, "src/app.py", "x = 1\n")
    (tmp_path / "empty").mkdir()
    index = FileIndex(tmp_path)
    assert resolve(ref("src/app.py"), index) == Resolved("src/app.py", RefKind.FILE, True)
    assert resolve(ref("./src/../src/app.py"), index) == Resolved("src/app.py", RefKind.FILE, True)
    assert resolve(ref("src"), index) == Resolved("src/", RefKind.DIRECTORY, True)
    assert resolve(ref("empty/", RefKind.DIRECTORY), index) == Resolved("empty/", RefKind.DIRECTORY, True)
    assert resolve(ref("src/gone.py"), index) == Resolved("src/gone.py", RefKind.FILE, False)
    assert index._files is None  # nothing needed the listing


@pytest.mark.parametrize(
    "text",
    ["../outside.txt", "src/../../outside.txt", "SRC/app.py", "src/App.py", "src/app.py\0.txt", "a" * 5000,
     "src/app.py/x", "..", "/etc/passwd"],
)  # fmt: skip
def test_hostile_and_miscased_paths_name_no_file_of_the_root(tmp_path: Path, text: str) -> None:
    root = tmp_path / "root"
    write(root, "src/app.py", "x = 1\n")
    write(tmp_path, "outside.txt", "secret\n")
    index = FileIndex(root, files=("src/app.py",))
    found = resolve(ref(text), index)
    assert found is not None and not found.exists


@posix_only
def test_a_symlink_counts_only_while_it_stays_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root, "src/app.py", "x = 1\n")
    write(tmp_path, "outside/secret.py", "TOKEN = 1\n")
    (root / "inside.py").symlink_to(root / "src/app.py")
    (root / "out.py").symlink_to(tmp_path / "outside/secret.py")
    (root / "outdir").symlink_to(tmp_path / "outside")
    (root / "srclink").symlink_to(root / "src")
    (root / "dangling.py").symlink_to(root / "nothing.py")
    index = FileIndex(root)
    assert "inside.py" in index and "srclink/app.py" in index and index.is_directory("srclink")
    assert "out.py" not in index and "outdir/secret.py" not in index and not index.is_directory("outdir")
    assert "dangling.py" not in index


def test_a_bare_name_resolves_to_the_one_listed_file_of_that_name(tmp_path: Path) -> None:
    for name in ("scripts/status-cli.js", "a/util.js", "b/util.js", "scripts/lib/plan-status.js"):
        write(tmp_path, name, "//\n")
    listing = ("a/util.js", "b/util.js", "gone/old.js", "scripts/lib/plan-status.js", "scripts/status-cli.js")
    index = FileIndex(tmp_path, files=listing)
    assert resolve(ref("status-cli.js"), index) == Resolved("scripts/status-cli.js", RefKind.FILE, True)
    assert resolve(ref("lib/plan-status.js"), index) == Resolved("scripts/lib/plan-status.js", RefKind.FILE, True)
    assert resolve(ref("util.js"), index) == Resolved("util.js", RefKind.FILE, False)  # two files: no guess
    assert resolve(ref("old.js"), index) == Resolved("old.js", RefKind.FILE, False)  # listed, gone from disk
    assert resolve(ref("util.js", backticked=False), index) is None  # a bare word in prose matches nothing


def test_a_missing_path_from_an_existing_root_folder_is_not_a_tail_behaviour_changed(tmp_path: Path) -> None:
    """`src/x.py` when `src/` exists is a file to come, not `pkg/src/x.py` (before: it resolved
    to the one file it was a tail of, which needed the listing)."""
    write(tmp_path, "src/app.py", "x = 1\n")
    write(tmp_path, "pkg/src/x.py", "y = 2\n")
    index = FileIndex(tmp_path, files=("pkg/src/x.py", "src/app.py"))
    assert resolve(ref("src/x.py"), index) == Resolved("src/x.py", RefKind.FILE, False)
    assert resolve(ref("other/src/x.py"), index) == Resolved("other/src/x.py", RefKind.FILE, False)
    assert resolve(ref("lib/x.py"), FileIndex(tmp_path, files=("pkg/lib/x.py",))) == Resolved(
        "lib/x.py", RefKind.FILE, False
    )  # listed but not on disk


# -- a real git repository: where its index and the disk disagree ---------------------------


@pytest.mark.slow
@needs_git
def test_an_ignored_file_on_disk_exists_behaviour_changed(tmp_path: Path) -> None:
    """Before: not listed by `git ls-files --exclude-standard`, so PL302 skipped its line ranges."""
    root = git_repo(tmp_path, {".gitignore": "generated/\n", "src/app.py": "x = 1\n"})
    write(root, "generated/report.txt", "one\ntwo\n")
    assert "generated/report.txt" in FileIndex(root)
    assert findings(root, plan("Update `generated/report.txt`"), "PL301") == []
    assert findings(root, plan("Update `generated/report.txt:5-9`"), "PL302") == [
        "line range 5-9 of `generated/report.txt` is out of bounds: the file has 2 lines"
    ]


@pytest.mark.slow
@needs_git
def test_a_file_deleted_from_disk_but_still_indexed_is_missing_behaviour_changed(tmp_path: Path) -> None:
    """Before: git's index still listed it, so it existed and PL301 said nothing; a bare name
    resolved to it."""
    root = git_repo(tmp_path, {"src/old_module.py": "x = 1\n", "src/app.py": "y = 2\n"})
    (root / "src/old_module.py").unlink()
    assert findings(root, plan("Update `src/old_module.py`"), "PL301") == [
        "task 1.1 modifies `src/old_module.py`, which does not exist and no earlier task creates"
    ]
    assert resolve(ref("old_module.py"), file_index(root)) == Resolved("old_module.py", RefKind.FILE, False)


@pytest.mark.slow
@needs_git
def test_an_untracked_new_file_exists_and_resolves_a_bare_name(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"src/app.py": "x = 1\n"})
    write(root, "src/fresh_helper.py", "y = 2\n")  # not added: `git ls-files --others` lists it
    file_index.cache_clear()
    index = file_index(root)
    assert resolve(ref("fresh_helper.py"), index) == Resolved("src/fresh_helper.py", RefKind.FILE, True)
    assert findings(root, plan("Update `src/fresh_helper.py`"), "PL301") == []


@pytest.mark.slow
@needs_git
def test_a_directory_reference_is_a_folder_on_disk_behaviour_changed(tmp_path: Path) -> None:
    """Before: a folder existed only when git listed a file under it (not an empty folder, nor
    one that holds only ignored files)."""
    root = git_repo(tmp_path, {".gitignore": "*.log\n", "docs/guide.md": "# Guide\n"})
    (root / "empty").mkdir()
    write(root, "logs/run.log", "ok\n")
    file_index.cache_clear()
    index = file_index(root)
    for text in ("docs/", "empty/", "logs/"):
        assert resolve(ref(text, RefKind.DIRECTORY), index) == Resolved(text, RefKind.DIRECTORY, True)
    assert resolve(ref("logs"), index) == Resolved("logs/", RefKind.DIRECTORY, True)


@pytest.mark.slow
@needs_git
@posix_only
def test_a_symlink_out_of_the_root_is_no_file_of_it_behaviour_changed(tmp_path: Path) -> None:
    """Before: git lists a symlink as a file, wherever it points, and PL301 said nothing."""
    write(tmp_path, "elsewhere/secret.py", "TOKEN = 1\n")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "config.py").symlink_to(tmp_path / "elsewhere/secret.py")
    git_repo(root, {"src/app.py": "x = 1\n"})
    assert findings(root, plan("Update `config.py`"), "PL301") == [
        "task 1.1 modifies `config.py`, which does not exist and no earlier task creates"
    ]
    assert findings(root, plan("Update `config.py:1-40`"), "PL302") == []  # never read


@pytest.mark.slow
@needs_git
def test_a_bare_name_matching_one_file_or_two(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"scripts/status-cli.js": "//\n", "a/util.js": "//\n", "b/util.js": "//\n"})
    file_index.cache_clear()
    index = file_index(root)
    assert resolve(ref("status-cli.js"), index) == Resolved("scripts/status-cli.js", RefKind.FILE, True)
    assert resolve(ref("util.js"), index) == Resolved("util.js", RefKind.FILE, False)


# -- how often git runs ----------------------------------------------------------------------


@pytest.fixture
def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `git` first on the PATH that records each call in the returned log, then runs the real one."""
    real = shutil.which("git")
    if real is None or sys.platform == "win32":
        pytest.skip("needs git and a POSIX shell")
    folder = tmp_path / "fake-bin"
    log = tmp_path / "git-calls.log"
    script = write(folder, "git", f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    log.write_text("", encoding="utf-8")
    return log


@pytest.mark.slow
def test_no_git_process_for_a_plan_that_names_only_paths(tmp_path: Path, git_calls: Path) -> None:
    root = git_repo(tmp_path / "repo", {"src/app.py": "def run():\n    pass\n", "docs/guide.md": "# G\n"})
    git_calls.write_text("", encoding="utf-8")  # the set-up's own git calls went through the fake too
    text = plan(
        "Update `src/app.py:1-2` and `docs/guide.md`",
        "Create `src/new_module.py`",
        "Read `docs/` and [the guide](docs/guide.md)",
    )
    for select in ("PL101", "PL301", "PL302", "PL303", "PL304"):
        findings(root, text, select)
    assert git_calls.read_text(encoding="utf-8") == ""


@pytest.mark.slow
@pytest.mark.parametrize("bullet", ["Update `app.py`", "Fix `run()`", "Update `lib/app.py`"])
def test_one_git_process_when_a_name_must_be_looked_for(tmp_path: Path, git_calls: Path, bullet: str) -> None:
    root = git_repo(tmp_path / "repo", {"src/lib/app.py": "def run():\n    pass\n"})
    git_calls.write_text("", encoding="utf-8")
    findings(root, plan(bullet, "Read `app.py` and `other.py`", "Check `run()`"), "PL101")
    assert git_calls.read_text(encoding="utf-8").splitlines() == ["ls-files -z --cached --others --exclude-standard"]


def test_a_link_beside_the_plan_counts_only_inside_the_root(tmp_path: Path) -> None:
    """A link is relative to the plan's folder; one that climbs out of the root names no file of
    it even when a file is there (before: any file on disk, wherever the link led)."""
    root = tmp_path / "repo"
    write(root, "docs/spec.md", "# Spec\n")
    write(root, "src/app.py", "x = 1\n")
    write(tmp_path, "outside.md", "# Not ours\n")
    text = plan("Update `src/app.py`", "Update [the spec](../spec.md)", "Update [notes](../../../outside.md)")
    file_index.cache_clear()
    found = lint_plan(
        parse_plan(SourceText.from_text(text, root / "docs/plans/plan.md")),
        Config(root=root).with_overrides(select=["PL301"]),
        root,
    )
    assert [d.message for d in found] == [
        "task 1.3 modifies `../../../outside.md`, which does not exist and no earlier task creates"
    ]
