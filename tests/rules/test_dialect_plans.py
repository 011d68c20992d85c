"""Real public plans of every dialect against their hand labels (tests/data/dialects/labels.json).

planlint runs on copies of tests/data/dialects as a user runs it (`planlint check --format json`,
then `planlint fix`), and what it says is compared with what a careful reader found by hand
(tests/data/dialects/FINDINGS.md): the dialect, the tasks, markers and dependency edges the
reader must find, every labelled conflict as one PL101 naming exactly its tasks and file, and no
PL101 on the negatives and traps. Where planlint is wrong today the case is listed in a KNOWN
table with its cause: a KNOWN entry fails as soon as planlint gets it right, so the tables only
shrink (delete the entry then). GSD phase folders are checked against the same labels by
tests/parse/test_gsd.py, folder by folder.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from planlint.api import load_plan
from planlint.parse.dialects import detect
from tests.conftest import DATA, run_cli

DIALECT_PLANS = DATA / "dialects"
LABELS: dict[str, Any] = json.loads((DIALECT_PLANS / "labels.json").read_text(encoding="utf-8"))
READ = ("spec-kit", "kiro", "files-block")  # one file per plan; gsd folders: tests/parse/test_gsd.py
PLANS = [p for p in LABELS["plans"] if p["dialect"] in READ]
CONFLICTS = [c for c in LABELS["conflicts"] if c["dialect"] in READ]

Finding = tuple[str, tuple[str, ...], str]  # (plan file, task IDs sorted, path)

# Labelled conflicts planlint does not report as labelled, with the cause (for the dialect engineer).
KNOWN_MISSES: dict[Finding, str] = {
    ("spec-kit/aikit-003-generalize.md", ("T024", "T027", "T028", "T036"), "src/cli/commands/package.rs"):
        "ID T024 is used twice (PL002): the conflict model keys tasks by ID, so both T024s are one unit "
        "(in Phase 2's lane) and Phase 3's drops out. Left on purpose: a key other than the ID would "
        "run through precedence, notes and messages, and 'depends on T024' names no one task anyway",
}  # fmt: skip

# PL101 findings that match no label, with the cause.
KNOWN_FALSE_ALARMS: dict[Finding, str] = {
    ("spec-kit/aikit-003-generalize.md", ("T027", "T028", "T036"), "src/cli/commands/package.rs"):
        "the labelled T024/T027/T028/T036 conflict without Phase 3's T024 (see KNOWN_MISSES)",
    ("files-block/superpowers-opencode-support-implementation.md", ("16", "18"), ".codex/ultrapowers-codex"):
        "Task 18's summary bullet 'Files modified: `.codex/...`' is read as a write; Task 16 only runs it. "
        "Left: the bullet is the content of a summary the step creates; reading `Modified:` labels or "
        "paths outside a task's **Files:** block differently would change every dialect's reading",
}  # fmt: skip

# Traps (labels.json `not_conflicts`) that planlint falls into: (file, trap tasks) -> cause.
KNOWN_TRAPS: dict[tuple[str, tuple[str, ...]], str] = {
    ("files-block/superpowers-opencode-support-implementation.md", ("16",)):
        "the 16/18 false alarm above",
}  # fmt: skip

# Plans planlint reads in another dialect than the label's: file -> (dialect read, cause).
KNOWN_DETECTION: dict[str, tuple[str, str]] = {}

# Counts planlint gets wrong: file -> ({the counts that differ from the label}, cause).
KNOWN_COUNTS: dict[str, tuple[set[str], str]] = {}

# What the comparison gives today, per dialect: (labelled conflicts found exactly, labelled
# conflicts that are not ambiguous, PL101 findings that match no label).
FIGURES = {"spec-kit": (21, 22, 1), "kiro": (4, 4, 0), "files-block": (6, 6, 1)}

_LISTED = re.compile(r"^(?:tasks )?(?P<list>.+?) (?:are )?(?:both|all) ")
_PATH = re.compile(r"`([^`]+)`")


def tasks_named(message: str) -> tuple[str, ...]:
    """The task IDs a PL101 message names: `tasks T001, T002 and T003 are all marked [P] ...`,
    `Task 1, Task 2 and Task 3 all write ...` (files-block)."""
    match = _LISTED.match(message)
    assert match is not None, message
    return tuple(sorted(name.removeprefix("Task ") for name in re.split(r", | and ", match.group("list"))))


def pl101(findings: list[dict[str, Any]]) -> set[Finding]:
    found = set()
    for finding in findings:
        if finding["code"] == "PL101":
            path = _PATH.search(finding["message"])
            assert path is not None, finding["message"]
            found.add((finding["path"], tasks_named(finding["message"]), path.group(1)))
    return found


def check_json(folder: Path) -> list[dict[str, Any]]:
    result = run_cli("check", "--format", "json", *(p["file"] for p in PLANS), cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plans copied to a folder of their own (no repository around them, as a user's
    checkout of the plan alone)."""
    folder = tmp_path_factory.mktemp("dialect-plans")
    for dialect in READ:
        shutil.copytree(DIALECT_PLANS / dialect, folder / dialect)
    return folder


@pytest.fixture(scope="module")
def findings(copies: Path) -> list[dict[str, Any]]:
    return check_json(copies)


def labelled() -> set[Finding]:
    return {(c["file"], tuple(sorted(c["tasks"])), c["path"]) for c in CONFLICTS}


def test_the_labels_hold_what_this_test_reads() -> None:
    assert {p["file"] for p in PLANS} == {f"{d}/{f.name}" for d in READ for f in (DIALECT_PLANS / d).glob("*.md")}
    assert all(c["file"] in {p["file"] for p in PLANS} for c in CONFLICTS)
    assert len(labelled()) == len(CONFLICTS)  # one label per finding
    assert set(KNOWN_MISSES) <= labelled()
    assert not set(KNOWN_FALSE_ALARMS) & labelled()


@pytest.mark.parametrize("plan", PLANS, ids=[p["file"] for p in PLANS])
def test_dialect_and_counts(plan: dict[str, Any]) -> None:
    """The dialect each plan is read in, and what a reader must find in it. Kiro's major tasks
    that hold sub-tasks are read as groups (`TaskGroup`), so a task item is a task or a group."""
    path = DIALECT_PLANS / plan["file"]
    read = load_plan(path)
    want_dialect = KNOWN_DETECTION.get(plan["file"], (plan["dialect"], ""))[0]
    assert (detect(path.read_text(encoding="utf-8")), read.dialect) == (want_dialect, want_dialect)
    tasks = list(read.tasks())
    ids = {t.id for t in tasks}
    got = {
        "tasks": len(tasks) + sum(1 for g in read.group_index.values() if g.id not in ids),
        "parallel_marked": sum(t.parallel_marker is not None for t in tasks),
        "dependency_edges": sum(len(t.dependencies) for t in tasks),
    }
    wrong = {name for name, count in plan["counts"].items() if got[name] != count}
    assert wrong == KNOWN_COUNTS.get(plan["file"], (set(), ""))[0], (got, plan["counts"])


def test_every_labelled_conflict_is_one_pl101(findings: list[dict[str, Any]]) -> None:
    """Each labelled conflict is reported once, naming exactly its tasks and file; the KNOWN
    tables list where planlint is wrong today, and an entry fails once planlint is right."""
    found, labels = pl101(findings), labelled()
    ambiguous = {(c["file"], tuple(sorted(c["tasks"])), c["path"]) for c in CONFLICTS if c.get("ambiguous")}
    assert labels - found == set(KNOWN_MISSES)
    assert found - labels == set(KNOWN_FALSE_ALARMS)
    # the one ambiguous label (a [P] run across `###` subheadings) follows DESIGN 7's literal reading
    assert ambiguous <= found
    counted = Counter(
        (finding["path"], tasks_named(finding["message"])) for finding in findings if finding["code"] == "PL101"
    )
    assert max(counted.values()) == 1  # one finding per set of tasks and file
    figures = {}
    for dialect in READ:
        want = {f for f in labels - ambiguous if f[0].startswith(f"{dialect}/")}
        alarms = {f for f in found - labels if f[0].startswith(f"{dialect}/")}
        figures[dialect] = (len(want & found), len(want), len(alarms))
    assert figures == FIGURES


def test_no_pl101_on_negatives_or_traps(findings: list[dict[str, Any]]) -> None:
    """A negative (a plan with no labelled conflict) gets no PL101; a trap (`not_conflicts`:
    tasks that touch one file but may not run together, or only read it) is in no PL101 that
    names two of its tasks (on the trap's file, when the trap names one file), or, for a
    one-task trap, that names the task and the trap's file."""
    found = pl101(findings)
    fallen = set()
    for plan in PLANS:
        mine = [f for f in found if f[0] == plan["file"]]
        if plan["conflicts"] == 0 and plan["ambiguous_conflicts"] == 0:
            assert [f for f in mine if f not in KNOWN_FALSE_ALARMS] == [], plan["file"]
        for trap in plan.get("not_conflicts", []):
            tasks, one_file = set(trap["tasks"]), " " not in trap["path"]
            for _, named, path in mine:
                both = len(tasks & set(named)) >= 2 and (path == trap["path"] or not one_file)
                alone = len(tasks) == 1 and tasks <= set(named) and path in trap["path"]
                if both or alone:
                    fallen.add((plan["file"], tuple(sorted(tasks))))
    assert fallen == set(KNOWN_TRAPS)


@pytest.mark.slow
def test_fix_leaves_no_pl101_and_is_idempotent(tmp_path: Path) -> None:
    """`planlint fix` (safe fixes) resolves every PL101 in the dialect's own words, touches no
    plan without one, and a second run changes nothing."""
    for dialect in READ:
        shutil.copytree(DIALECT_PLANS / dialect, tmp_path / dialect)
    files = [p["file"] for p in PLANS]
    before = {name: (tmp_path / name).read_bytes() for name in files}
    flagged = {f[0] for f in pl101(check_json(tmp_path))}
    first = run_cli("fix", *files, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    after = {name: (tmp_path / name).read_bytes() for name in files}
    assert {name for name in files if after[name] != before[name]} == flagged
    assert pl101(check_json(tmp_path)) == set()
    for name in flagged:
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
        if name.startswith("files-block/"):  # a `**Dependencies:** Task X` line under a heading
            added = Counter(new) - Counter(old)
            assert Counter(old) - Counter(new) == Counter()
            assert all(line.startswith("**Dependencies:** Task ") for line in added), name
        else:  # the marker dropped, nothing else
            assert len(old) == len(new), name
            for was, now in zip(old, new, strict=True):
                assert now == was or now in (
                    was.replace("[P] ", "", 1),
                    was.replace(" [P]", "", 1),
                    was.replace("(P) ", "", 1),
                ), (was, now)
    second = run_cli("fix", *files, cwd=tmp_path)
    assert second.returncode in (0, 1), second.stderr
    assert {name: (tmp_path / name).read_bytes() for name in files} == after
