"""Reality check on ../shared/corpus (skipped when absent): real plans written by another team.

Every plan must parse and lint without an exception, and the task IDs planlint finds must agree
with the status.json that the team's own orchestrator wrote for the plan, except for the known
differences pinned below, each of which has a cause that is not a planlint parser bug.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planlint.api import load_plan
from planlint.config import Config
from planlint.engine import lint_plan
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # lints every plan of ../shared/corpus

ALL_RULES = Config().with_overrides(select=["ALL"])
_DESCRIPTION_ID = re.compile(r"^\**(\d+(?:\.\d+){1,2})\**[:.]?\s")

# stem -> (IDs only planlint finds, IDs only status.json has, why they differ)
KNOWN_DIFFERENCES: dict[str, tuple[int, int, str]] = {
    # The plan was rewritten after its status.json was made: the status lists the tasks of an
    # older version (more, smaller tasks). Real drift, which the status rules report.
    "git-workflow-phase1-core-branching": (0, 13, "plan rewritten after status.json"),
    "git-workflow-phase2-completion": (0, 23, "plan rewritten after status.json"),
    "git-workflow-phase4-advanced": (0, 50, "plan rewritten after status.json"),
    "git-workflow-phase5-worktrees": (0, 72, "plan rewritten after status.json"),
    # An older orchestrator numbered every checkbox by position, acceptance criteria included,
    # and never recorded the plan's own `N.M.K` IDs; nothing pairs by ID.
    "implement-fix-command": (94, 106, "legacy position numbering"),
    "implement-migrate-command": (95, 108, "legacy position numbering"),
    "implement-template-command": (132, 136, "legacy position numbering"),
    # An older parser took the `### 1.1 Title` group headings as tasks and ignored the plain
    # `- 1.1.1` items under them.
    "fix-implementation-plan-inconsistencies": (177, 37, "group headings taken as tasks"),
    # Legacy numbering (IDs recovered from descriptions); two tasks were added to the plan later.
    "implement-architect-command": (2, 0, "tasks added after status.json"),
}


def corpus_plans() -> list[Path]:
    return sorted((CORPUS / "docs" / "plans").rglob("*.md")) if CORPUS.is_dir() else []


def status_files() -> list[Path]:
    return sorted((CORPUS / "docs" / "plan-outputs").rglob("status.json")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", corpus_plans(), ids=lambda p: p.stem)
def test_corpus_plan_parses_and_lints(path: Path) -> None:
    plan = load_plan(path)
    diagnostics = lint_plan(plan, ALL_RULES)
    text_length = len(plan.source.text)
    assert all(0 <= d.span.start <= d.span.end <= text_length for d in diagnostics)


def status_task_ids(status: dict, plan_phases: dict[int, bool]) -> set[str]:
    """The plan task IDs a status file names: its IDs, or for the legacy format (the
    description starts with the task's ID) the description's IDs. `VN` pairs with a VERIFY
    checkpoint of Phase N (DESIGN.md §2)."""
    tasks = status["tasks"]
    legacy = any(_DESCRIPTION_ID.match(t.get("description", "")) for t in tasks)
    ids = set()
    for task in tasks:
        if legacy:
            match = _DESCRIPTION_ID.match(task.get("description", ""))
            if match:
                ids.add(match.group(1))
        elif re.fullmatch(r"V\d+", task["id"]) and plan_phases.get(int(task["id"][1:])):
            continue  # the phase's VERIFY checkpoint
        else:
            ids.add(task["id"])
    return ids


def test_corpus_task_ids_agree_with_status_files(corpus: Path) -> None:
    differences = {}
    for status_path in status_files():
        stem = status_path.parent.name
        plan = load_plan(CORPUS / "docs" / "plans" / "archive" / f"{stem}.md")
        ours = {str(t.id) for t in plan.tasks() if not t.is_step}
        checkpoints = {p.number: any(v.checkpoint for v in p.verify) for p in plan.phases}
        theirs = status_task_ids(json.loads(status_path.read_text(encoding="utf-8")), checkpoints)
        if ours != theirs:
            differences[stem] = (len(ours - theirs), len(theirs - ours))
    expected = {stem: counts[:2] for stem, counts in KNOWN_DIFFERENCES.items()}
    assert differences == expected


def test_corpus_has_plans_and_status_files(corpus: Path) -> None:
    assert len(corpus_plans()) >= 50
    assert len(status_files()) == 43
