"""A folder check finds plans where each dialect keeps them by default (docs/dialects/), hidden
folders included when a `plans` glob names them, and still skips other hidden folders."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write

SPEC_KIT = """# Tasks: Books

## Phase 1: Setup

- [ ] T001 [P] Create `src/models/book.py`
- [ ] T002 [P] Add the title field to `src/models/book.py`
"""

KIRO = """# Implementation Plan

- [ ] 1. Books
- [ ] 1.1 (P) Create `src/books/model.ts`
  - _Requirements: 1.1_
- [ ] 1.2 (P) Add validation to `src/books/model.ts`
  - _Requirements: 1.2_
"""


def gsd(plan: str) -> str:
    return (
        f"---\nphase: 03-books\nplan: {plan}\ntype: execute\nwave: 1\ndepends_on: []\n"
        f"files_modified:\n  - src/shared/types.ts\n---\n\n<objective>\nPlan {plan}\n</objective>\n"
    )


def checked_files(folder: Path) -> set[str]:
    result = run_cli("check", ".", "--format", "json", "--select", "PL101", cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    return {Path(d["path"]).as_posix() for d in json.loads(result.stdout)}


def test_each_dialects_default_place_is_checked_hidden_folders_too(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a repository root
    write(tmp_path / "specs" / "001-books", "tasks.md", SPEC_KIT)
    write(tmp_path / ".kiro" / "specs" / "books", "tasks.md", KIRO)
    phase = tmp_path / ".planning" / "phases" / "03-books"
    write(phase, "03-01-PLAN.md", gsd("01"))
    write(phase, "03-02-PLAN.md", gsd("02"))
    assert checked_files(tmp_path) == {
        "specs/001-books/tasks.md",
        ".kiro/specs/books/tasks.md",
        ".planning/phases/03-books/03-01-PLAN.md",
    }


def test_other_hidden_folders_are_still_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".venv" / "specs" / "001-books", "tasks.md", SPEC_KIT)  # not a plans glob's folder
    write(tmp_path / ".kiro" / "cache" / "docs" / "plans", "p.md", SPEC_KIT)  # .kiro, but no glob reaches it
    assert checked_files(tmp_path) == set()
