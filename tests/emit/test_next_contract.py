"""`planlint next` against its contract (DESIGN.md section 5, "Next batch").

The real CLI's output on fixture plans is validated against tests/data/next.schema.json, the
documented superset of the orchestrator's `status-cli.js next N` shape, and checked for the
guarantees: only pending tasks, dependencies completed, no two returned tasks conflicting and none
conflicting with a task in progress, at most one task per [SEQUENTIAL] group (the first not done),
every pending task left out listed in heldBack with a reason, a decision consistent with the rest.
Conflicts and dependencies come from the emit document (`planlint.constraints`) of the same
plan and status, and from the files each task touches (so cross-phase conflicts count too).
Where node and the corpus's status-cli.js are present, status-cli's own output on the same files
is checked against the status-cli part of the schema, and planlint's answer is shown to carry
every field it prints. Known violations of the guarantees are kept at the end as minimal plans
(kept as regression tests now that they hold).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import planlint
from tests.conftest import CORPUS, REPO, run_cli

SCHEMA = json.loads((REPO / "tests" / "data" / "next.schema.json").read_text(encoding="utf-8"))
STATUS_CLI_SCHEMA = {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": "#/$defs/statusCliNext"}
DONE = {"completed", "skipped"}

PLAN = """# Implementation Plan: Contract

## Overview

A plan with the features `next` must respect.

## Phase 1: Foundation

**Tasks:**
- [ ] 1.1 Update `src/auth.py` to add the token check
- [ ] 1.2 Update `src/auth.py` with the session store
- [ ] 1.3 Update `src/db.py` with the schema (depends: 1.1)
- [ ] 1.4 Review `src/db.py` for missing indexes
- [ ] 1.5 Update `src/cli.py` with the new options
- [ ] 1.6 Update `src/api.py` with the routes

**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - both modify `src/auth.py`

**VERIFY Phase 1:** (non-blocking)
- [ ] 1.7 Review `src/auth.py` against the tests (depends: 1.2)

**pipeline-start:** when 1.5 completes

## Phase 2: Service

**Tasks:**
- [ ] 2.1 Update `src/service.py` with the service layer
- [ ] 2.2 Update `src/views.py` to render the routes (depends: 1.6)
- [ ] 2.3 Update `src/cli.py` help text (depends: 1.5)

## Phase 3: Documentation

**Tasks:**
- [ ] 3.1 Update `docs/guide.md` with the new commands
- [ ] 3.2 Review `src/service.py` for the guide

**Execution Note:** Phases 3-4 are [PARALLEL] - docs and packaging are independent

## Phase 4: Packaging

**Tasks:**
- [ ] 4.1 Update `pyproject.toml` with the entry point
- [ ] 4.2 Update `docs/guide.md` with the install section
"""

ALL = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2"]
TITLES = {1: "Phase 1: Foundation", 2: "Phase 2: Service", 3: "Phase 3: Documentation", 4: "Phase 4: Packaging"}

SMALL = """# Implementation Plan: Small

## Phase 1: Build

- [ ] 1.1 Update `src/a.py` with the parser
- [ ] 1.2 Update `src/b.py` with the printer (depends: 1.1)
- [ ] 1.3 Update `src/c.py` with the cache

## Phase 2: Ship

- [ ] 2.1 Update `src/d.py` with the release script
"""


def status_document(plan: str, states: dict[str, str]) -> dict[str, Any]:
    """status.json in the orchestrator's shape: id, phase "Phase N: Title", description, status."""
    tasks = []
    for line in plan.splitlines():
        if line.startswith("- [") and line[6:7].isdigit():
            task_id, description = line[6:].split(" ", 1)
            phase = int(task_id.split(".")[0])
            title = next(h[3:] for h in plan.splitlines() if h.startswith(f"## Phase {phase}:"))
            tasks.append({"id": task_id, "phase": title, "description": description,
                          "status": states.get(task_id, "pending")})  # fmt: skip
    return {"planPath": "docs/plans/contract.md", "planName": "Contract", "tasks": tasks}


def write_pair(folder: Path, plan: str, states: dict[str, str] | None,
               stem: str = "contract") -> tuple[Path, Path | None]:  # fmt: skip
    """The corpus layout: docs/plans/<stem>.md and docs/plan-outputs/<stem>/status.json."""
    plan_path = folder / "docs" / "plans" / f"{stem}.md"
    plan_path.parent.mkdir(parents=True, exist_ok=True)
    plan_path.write_text(plan, encoding="utf-8")
    if states is None:
        return plan_path, None
    status_path = folder / "docs" / "plan-outputs" / stem / "status.json"
    status_path.parent.mkdir(parents=True, exist_ok=True)
    document = status_document(plan, states)
    document["planPath"] = f"docs/plans/{stem}.md"
    status_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return plan_path, status_path


def run_json(folder: Path, *args: str) -> dict[str, Any]:
    result = run_cli(*args, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def next_and_emit(folder: Path, plan_path: Path, status_path: Path | None, n: int, *extra: str,
                  explicit_status: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    status_args = ["--status", str(status_path.relative_to(folder))] if status_path and explicit_status else []
    plan_arg = str(plan_path.relative_to(folder))
    batch = run_json(folder, "next", plan_arg, str(n), *status_args, *extra)
    plan = planlint.load_plan(plan_path)
    status = planlint.load_status(status_path) if status_path else None
    document = planlint.constraints(plan, status, root=folder)
    return batch, document


def check_contract(batch: dict[str, Any], document: dict[str, Any], states: dict[str, str], n: int, *,
                   cross_phase: bool = False) -> None:  # fmt: skip
    """The schema and the guarantees of DESIGN.md section 5 on one answer."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(batch, SCHEMA, cls=jsonschema.Draft202012Validator)
    tasks = document["tasks"]
    state = {t: states.get(t, "pending") for t in tasks}
    returned = [t["id"] for t in batch["tasks"]]
    assert batch["count"] == len(returned) <= n
    assert len(set(returned)) == len(returned)
    assert returned == sorted(returned, key=_key), "tasks are listed in ID order"
    running = [t for t, s in state.items() if s == "in_progress"]
    pending = {t for t, s in state.items() if s == "pending"}

    def conflict(a: str, b: str) -> bool:
        fa, fb = tasks[a]["files"], tasks[b]["files"]
        shared = set(fa["writes"]) & (set(fb["writes"]) | set(fb["reads"])) | set(fb["writes"]) & set(fa["reads"])
        return b in tasks[a]["conflictsWith"] or a in tasks[b]["conflictsWith"] or bool(shared)

    for item in batch["tasks"]:
        task_id = item["id"]
        emitted = tasks[task_id]
        assert state[task_id] == "pending", f"{task_id} is {state[task_id]}"
        assert item["status"] == "pending"
        assert item["phase"] == emitted["phase"] == int(task_id.split(".")[0])
        assert item["dependencies"] == emitted["dependsOn"]
        assert item["conflictsWith"] == emitted["conflictsWith"]
        assert item["files"] == emitted["files"]
        assert item["sequential"] == emitted["sequential"]
        assert item["sequentialGroup"] == emitted["sequentialGroup"]
        assert item["dependents"] == sorted((t for t, c in tasks.items() if task_id in c["dependsOn"]), key=_key)
        for dependency in emitted["dependsOn"]:
            assert state[dependency] in DONE, f"{task_id} returned before its dependency {dependency} completed"
        for other in returned + running:
            if other != task_id:
                assert not conflict(task_id, other), f"{task_id} conflicts with {other} ({state[other]})"
    for group in document["groups"]:
        if group["kind"] != "sequential" or group["source"] != "annotation":
            continue
        members = [t for t in returned if t in group["tasks"]]
        assert len(members) <= 1, f"two members of [SEQUENTIAL] group {group['id']}: {members}"
        first_open = next((t for t in group["tasks"] if state[t] not in DONE), None)
        assert members in ([], [first_open]), f"{members} returned but {first_open} is the group's first not done"
    held = {h["id"]: h["reason"] for h in batch["heldBack"]}
    assert len(held) == len(batch["heldBack"])
    assert set(held) == pending - set(returned), "every pending task left out is held back, and only those"
    assert all(reason.strip() for reason in held.values())
    expected = "ready" if returned else "blocked" if running else "deadlock" if pending else "done"
    assert batch["decision"] == expected
    if batch["decision"] == "deadlock":
        for task_id, reason in held.items():
            named = [t for t in tasks if t in reason.replace("(", " ").replace(")", " ").split()]
            assert named and all(state[t] not in DONE for t in named), f"{task_id}: {reason!r} names no blocker"


def _key(task_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in task_id.split("."))


# -- the cases ---------------------------------------------------------------------------------------


def test_schema_is_valid_and_rejects_the_bare_status_cli_shape() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    bare = {"count": 1, "tasks": [{"id": "1.1", "description": "d", "phase": 1, "status": "pending",
                                   "reason": "pending - ready to implement", "dependencies": [], "dependents": [],
                                   "sequential": False}]}  # fmt: skip
    jsonschema.validate(bare, STATUS_CLI_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bare, SCHEMA)  # the superset adds heldBack, decision, conflictsWith, files


def test_without_status_json(tmp_path: Path) -> None:
    plan_path, _ = write_pair(tmp_path, PLAN, None)
    batch, document = next_and_emit(tmp_path, plan_path, None, 10)
    check_contract(batch, document, {}, 10)
    assert [t["id"] for t in batch["tasks"]] == ["1.1", "1.4", "1.5", "1.6"]
    held = {h["id"]: h["reason"] for h in batch["heldBack"]}
    assert "1.1" in held["1.2"] and "1.1" in held["1.3"] and "1.2" in held["1.7"]
    assert "1.5" in held["2.1"] and "1.5" in held["2.3"], held  # pipeline-start of Phase 2
    assert "1.5" in held["2.2"] or "1.6" in held["2.2"], held
    assert batch["decision"] == "ready"


def test_checked_boxes_count_as_done_without_status(tmp_path: Path) -> None:
    plan = PLAN.replace("- [ ] 1.1 ", "- [x] 1.1 ").replace("- [ ] 1.5 ", "- [x] 1.5 ")
    plan_path, _ = write_pair(tmp_path, plan, None)
    batch, document = next_and_emit(tmp_path, plan_path, None, 10)
    check_contract(batch, document, {"1.1": "completed", "1.5": "completed"}, 10)
    returned = [t["id"] for t in batch["tasks"]]
    assert len({"1.3", "1.4"} & set(returned)) == 1, returned  # 1.3 writes what 1.4 reads
    assert set(returned) - {"1.3", "1.4"} == {"1.2", "1.6", "2.1", "2.3"}, returned


def test_a_full_batch_says_so(tmp_path: Path) -> None:
    plan_path, _ = write_pair(tmp_path, PLAN, None)
    batch, document = next_and_emit(tmp_path, plan_path, None, 2)
    check_contract(batch, document, {}, 2)
    assert batch["count"] == 2
    assert any("full" in h["reason"] for h in batch["heldBack"]), batch["heldBack"]


@pytest.mark.parametrize("explicit", [True, False], ids=["--status", "paired"])
def test_with_tasks_in_progress(tmp_path: Path, explicit: bool) -> None:
    states = {"1.1": "completed", "1.5": "completed", "1.2": "in_progress", "1.4": "in_progress"}
    plan_path, status_path = write_pair(tmp_path, PLAN, states)
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 10, explicit_status=explicit)
    check_contract(batch, document, states, 10)
    assert [t["id"] for t in batch["tasks"]] == ["1.6", "2.1", "2.3"]
    held = {h["id"]: h["reason"] for h in batch["heldBack"]}
    assert "src/db.py" in held["1.3"] and "1.4" in held["1.3"], held["1.3"]  # in progress, reads what 1.3 writes
    assert "3.1" in held and "4.1" in held


def test_everything_running_is_blocked(tmp_path: Path) -> None:
    states = dict.fromkeys(ALL, "completed") | {"4.2": "in_progress", "3.1": "pending"}
    plan_path, status_path = write_pair(tmp_path, PLAN, states)
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 3)
    check_contract(batch, document, states, 3)
    assert batch["decision"] == "blocked" and batch["count"] == 0
    assert "4.2" in batch["heldBack"][0]["reason"]  # 3.1 and 4.2 both write docs/guide.md


@pytest.mark.parametrize("how", ["status", "checkboxes", "skipped"])
def test_finished_plan_is_done(tmp_path: Path, how: str) -> None:
    if how == "checkboxes":
        plan_path, status_path = write_pair(tmp_path, PLAN.replace("- [ ] ", "- [x] "), None)
        states = dict.fromkeys(ALL, "completed")
    else:
        states = dict.fromkeys(ALL, "completed") | ({"1.4": "skipped", "2.2": "skipped"} if how == "skipped" else {})
        plan_path, status_path = write_pair(tmp_path, PLAN, states)
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 5)
    check_contract(batch, document, states, 5)
    assert batch == {"count": 0, "tasks": [], "heldBack": [], "decision": "done"}


def test_remaining_tasks_waiting_on_a_failed_task_deadlock(tmp_path: Path) -> None:
    states = {"1.1": "failed", "1.3": "completed"}
    plan_path, status_path = write_pair(tmp_path, SMALL, states, stem="small")
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 3)
    check_contract(batch, document, states, 3)
    assert batch["decision"] == "deadlock" and batch["count"] == 0
    held = {h["id"]: h["reason"] for h in batch["heldBack"]}
    assert set(held) == {"1.2", "2.1"}
    assert all("1.1" in reason for reason in held.values()), held  # the failed task is named as the blocker
    assert "failed" in held["1.2"]


def test_deadlock_in_a_sequential_group_names_the_failed_member(tmp_path: Path) -> None:
    states = dict.fromkeys(ALL, "completed") | {"1.1": "failed", "1.2": "pending", "1.3": "pending",
                                                "1.7": "pending"}  # fmt: skip
    plan_path, status_path = write_pair(tmp_path, PLAN, states)
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 3)
    check_contract(batch, document, states, 3)
    assert batch["decision"] == "deadlock"
    held = {h["id"]: h["reason"] for h in batch["heldBack"]}
    assert "1.1" in held["1.2"] and "1.1" in held["1.3"] and "1.2" in held["1.7"]


def test_cross_phase(tmp_path: Path) -> None:
    plan_path, status_path = write_pair(tmp_path, PLAN, {})
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 20, "--cross-phase")
    check_contract(batch, document, {}, 20, cross_phase=True)
    returned = [t["id"] for t in batch["tasks"]]
    assert {"2.1", "4.1"} <= set(returned), returned  # later phases start once their dependencies are done
    assert not {"2.2", "2.3", "1.2", "1.3", "1.7"} & set(returned)  # declared dependencies and group order hold
    assert len({"3.1", "4.2"} & set(returned)) == 1  # both write docs/guide.md
    assert len({"2.1", "3.2"} & set(returned)) == 1  # 2.1 writes what 3.2 reads: counted across phases
    assert {"1.1", "1.4", "1.5", "1.6"} <= set(returned)


def test_cross_phase_with_progress(tmp_path: Path) -> None:
    states = {"1.1": "completed", "1.6": "completed", "2.1": "in_progress", "1.5": "in_progress"}
    plan_path, status_path = write_pair(tmp_path, PLAN, states)
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 20, "--cross-phase")
    check_contract(batch, document, states, 20, cross_phase=True)
    returned = {t["id"] for t in batch["tasks"]}
    assert "3.2" not in returned and "2.3" not in returned  # 2.1 (in progress) writes src/service.py; 2.3 waits 1.5
    assert {"1.2", "2.2", "4.1"} <= returned


# -- status-cli itself -------------------------------------------------------------------------------

STATUS_CLI = CORPUS / "scripts" / "status-cli.js"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None or not STATUS_CLI.is_file(), reason="node or status-cli.js missing")
@pytest.mark.parametrize("states", [{}, {"1.1": "completed", "1.5": "completed"}], ids=["fresh", "progress"])
def test_planlint_carries_every_field_status_cli_prints(tmp_path: Path, states: dict[str, str]) -> None:
    plan_path, status_path = write_pair(tmp_path, PLAN, states)
    plan_arg = str(plan_path.relative_to(tmp_path))
    result = subprocess.run(["node", str(STATUS_CLI), "--plan", plan_arg, "next", "5"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    jsonschema.validate(theirs, STATUS_CLI_SCHEMA)
    ours, document = next_and_emit(tmp_path, plan_path, status_path, 5)
    check_contract(ours, document, states, 5)
    core = {"count", "tasks"}
    assert core <= set(theirs) and core <= set(ours)
    ours_by_id = {t["id"]: t for t in ours["tasks"]}
    both = [t for t in theirs["tasks"] if t["id"] in ours_by_id]
    assert both, "the two agree on at least one ready task"
    for task in both:
        mine = ours_by_id[task["id"]]
        for key in ("id", "description", "phase", "status", "reason", "dependencies", "dependents", "sequential",
                    "sequentialGroup", "sequentialReason"):  # fmt: skip
            if key in task:
                assert key in mine and type(mine[key]) is type(task[key]), (key, task[key], mine[key])


# -- the calling conventions of `status-cli.js next N` --------------------------------------------
#
# `planlint next N` without a plan finds the plan and its status.json as status-cli.js does. Each
# case lays out pointer files, $CLAUDE_WORKTREE and --plan; the plan found is told by the task
# description returned, and the status file read by which task is left (1.1 is completed in the
# status file status-cli reads, 1.2 in any other). Where node is present, status-cli.js itself
# must find the same plan and status.

POINTER_PLANS = {"alpha": "docs/plans/alpha.md", "beta": "docs/plans/beta.md", "gamma": "docs/plans/gamma.md",
                 "delta": "docs/plans/archive/delta.md"}  # fmt: skip
MAIN, CONTEXT, WORKTREE = (
    ".claude/current-plan.txt",
    ".claude-context/current-plan.txt",
    "wt/.claude-context/current-plan.txt",
)
POINTER_CASES: dict[str, tuple[dict[str, str], str | None, list[str], str]] = {
    # name: (pointer files, $CLAUDE_WORKTREE, extra arguments, the plan found)
    "main pointer": ({MAIN: "docs/plans/alpha.md\n"}, None, [], "alpha"),
    "worktree context over main": ({CONTEXT: "docs/plans/beta.md", MAIN: "docs/plans/alpha.md"}, None, [], "beta"),
    "CLAUDE_WORKTREE first": (
        {WORKTREE: "docs/plans/gamma.md", CONTEXT: "docs/plans/beta.md", MAIN: "docs/plans/alpha.md"},
        "wt",
        [],
        "gamma",
    ),
    "CLAUDE_WORKTREE naming no folder": ({CONTEXT: "docs/plans/beta.md"}, "no-such-folder", [], "beta"),
    "CLAUDE_WORKTREE without a pointer": ({MAIN: "docs/plans/alpha.md", "wt/readme.txt": "x"}, "wt", [], "alpha"),
    "blank pointer skipped": ({CONTEXT: " \n\t\n", MAIN: "docs/plans/alpha.md"}, None, [], "alpha"),
    "pointer trimmed as JavaScript trims": ({MAIN: "\ufeff  docs/plans/alpha.md \r\n\n"}, None, [], "alpha"),
    "--plan over every pointer": ({MAIN: "docs/plans/alpha.md"}, None, ["--plan", "docs/plans/beta.md"], "beta"),
    "--plan=": ({MAIN: "docs/plans/alpha.md"}, None, ["--plan=docs/plans/gamma.md"], "gamma"),
    "status file by name, not by pairing": ({MAIN: "docs/plans/archive/delta.md"}, None, [], "delta"),
}
POINTER_FAILURES: dict[str, tuple[dict[str, str], str | None, list[str], str]] = {
    "no pointer": ({}, None, [], "no active plan"),
    "only blank pointers": ({MAIN: "\n", CONTEXT: "  "}, None, [], "no active plan"),
    "--plan names no file": (
        {MAIN: "docs/plans/alpha.md"},
        None,
        ["--plan", "docs/plans/nope.md"],
        "plan file not found: docs/plans/nope.md",
    ),
}


def pointer_layout(folder: Path, pointers: dict[str, str]) -> None:
    """Four plans; each status file where status-cli keeps it has 1.1 completed. delta is archived,
    and pairing would prefer docs/plan-outputs/archive/delta/status.json, which has 1.2 completed."""
    for name, plan_path in POINTER_PLANS.items():
        title = name.capitalize()
        text = (f"# Implementation Plan: {title}\n\n## Phase 1: Work\n\n"
                f"- [ ] 1.1 {title} first task\n- [ ] 1.2 {title} second task\n")  # fmt: skip
        (folder / plan_path).parent.mkdir(parents=True, exist_ok=True)
        (folder / plan_path).write_text(text, encoding="utf-8")
        for where, done in ((f"docs/plan-outputs/{name}", "1.1"), (f"docs/plan-outputs/archive/{name}", "1.2")):
            if where.startswith("docs/plan-outputs/archive") and name != "delta":
                continue
            document = status_document(text, {done: "completed"})
            document["planPath"] = f"docs/plans/{name}.md"
            (folder / where).mkdir(parents=True, exist_ok=True)
            (folder / where / "status.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    for relative, content in pointers.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content, encoding="utf-8")


def run_next_in(folder: Path, worktree: str | None, *args: str, node: bool = False) -> subprocess.CompletedProcess[str]:
    """`planlint next ...` (or `node status-cli.js next ...`) in folder, with only the given $CLAUDE_WORKTREE."""
    env = {k: v for k, v in os.environ.items() if k != "CLAUDE_WORKTREE"}
    env.pop("PLANLINT_DEBUG", None)
    if worktree is not None:
        env["CLAUDE_WORKTREE"] = worktree
    command = ["node", str(STATUS_CLI)] if node else [sys.executable, "-m", "planlint"]
    return subprocess.run([*command, "next", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=60)


def found(result: subprocess.CompletedProcess[str]) -> tuple[str, list[str]]:
    """The plan a `next` answer came from (by its task descriptions) and the tasks it returned."""
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout)["tasks"]
    names = {t["description"].split()[0].lower() for t in tasks}
    assert len(names) == 1, tasks
    return names.pop(), [t["id"] for t in tasks]


@pytest.mark.parametrize("case", list(POINTER_CASES))
def test_next_without_a_plan_finds_the_active_plan_as_status_cli_does(tmp_path: Path, case: str) -> None:
    pointers, worktree, args, expected = POINTER_CASES[case]
    pointer_layout(tmp_path, pointers)
    ours = run_next_in(tmp_path, worktree, "5", *args)
    assert found(ours) == (expected, ["1.2"]), "the plan named, with the status file status-cli reads"
    if shutil.which("node") and STATUS_CLI.is_file():
        assert found(run_next_in(tmp_path, worktree, "5", *args, node=True)) == (expected, ["1.2"])


@pytest.mark.parametrize("case", list(POINTER_FAILURES))
def test_next_without_an_active_plan_says_so_in_one_line(tmp_path: Path, case: str) -> None:
    pointers, worktree, args, message = POINTER_FAILURES[case]
    pointer_layout(tmp_path, pointers)
    ours = run_next_in(tmp_path, worktree, "5", *args)
    assert ours.returncode == 2 and ours.stdout == ""
    assert ours.stderr.count("\n") == 1 and message in ours.stderr, ours.stderr
    if shutil.which("node") and STATUS_CLI.is_file():
        assert run_next_in(tmp_path, worktree, "5", *args, node=True).returncode != 0


def test_a_named_plan_still_pairs_its_status_file(tmp_path: Path) -> None:
    """`planlint next PLAN N` keeps DESIGN.md's pairing: the archived plan's own status file."""
    pointer_layout(tmp_path, {MAIN: "docs/plans/alpha.md"})
    assert found(run_next_in(tmp_path, None, "docs/plans/archive/delta.md", "5")) == ("delta", ["1.1"])
    assert found(run_next_in(tmp_path, None, "docs/plans/alpha.md")) == ("alpha", ["1.2"])
    explicit = ["--status", "docs/plan-outputs/archive/delta/status.json"]
    assert found(run_next_in(tmp_path, None, "5", "--plan", "docs/plans/archive/delta.md", *explicit)) == (
        "delta", ["1.1"])  # fmt: skip


def test_pointer_naming_a_missing_plan_is_one_line(tmp_path: Path) -> None:
    pointer_layout(tmp_path, {MAIN: "docs/plans/gone.md"})
    result = run_next_in(tmp_path, None, "3")
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr
        == "error: the active plan docs/plans/gone.md does not exist (named by .claude/current-plan.txt)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [(["0"], "invalid value for '[n]': 0 is not in the range x>=1."),
     (["docs/plans/alpha.md", "0"], "invalid value for '[n]': 0 is not in the range x>=1."),
     (["docs/plans/alpha.md", "x"], "invalid value for '[n]': 'x' is not a valid integer range"),
     (["docs/plans/alpha.md", "--plan", "docs/plans/beta.md"], "give the plan once"),
     (["1", "2", "3"], "unexpected extra argument")],
)  # fmt: skip
def test_bad_calls_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    pointer_layout(tmp_path, {MAIN: "docs/plans/alpha.md"})
    result = run_next_in(tmp_path, None, *args)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert message in result.stderr.lower(), result.stderr


def test_count_defaults_to_three_as_status_cli(tmp_path: Path) -> None:
    plan = "# Plan\n\n## Phase 1: Work\n\n" + "".join(f"- [ ] 1.{i} Task {i}\n" for i in range(1, 6))
    write_pair(tmp_path, plan, {}, stem="five")
    (tmp_path / ".claude").mkdir()
    (tmp_path / MAIN).write_text("docs/plans/five.md\n", encoding="utf-8")
    assert [t["id"] for t in run_json(tmp_path, "next")["tasks"]] == ["1.1", "1.2", "1.3"]
    assert [t["id"] for t in run_json(tmp_path, "next", "4")["tasks"]] == ["1.1", "1.2", "1.3", "1.4"]


# -- `--format text` ---------------------------------------------------------------------------------


def test_text_format_for_people(tmp_path: Path) -> None:
    states = {"1.5": "completed", "1.2": "in_progress"}
    plan_path, _ = write_pair(tmp_path, PLAN, states)
    args = ["next", str(plan_path.relative_to(tmp_path)), "2"]
    batch = run_json(tmp_path, *args)
    result = run_cli(*args, "--format", "text", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == TEXT_EXPECTED
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines if line.startswith("  ") and line[2].isdigit()] == [
        *(t["id"] for t in batch["tasks"]), *(h["id"] for h in batch["heldBack"])]  # fmt: skip


TEXT_EXPECTED = """\
Ready: 2 tasks may start now (at most 2 asked).
  1.4  Review `src/db.py` for missing indexes
       reads `src/db.py`; never with 1.3
  1.6  Update `src/api.py` with the routes
       writes `src/api.py`; then 2.2
Held back: 10 tasks.
  1.1  waits for 1.2 (in_progress; [SEQUENTIAL] group 1.1-1.2)
  1.3  waits for 1.1 (pending)
  1.7  waits for 1.2 (in_progress)
  2.1  batch is full (2 tasks)
  2.2  waits for 1.6 (pending)
  2.3  batch is full (2 tasks)
  3.1  waits for Phase 1 to complete (1.1 is pending)
  3.2  waits for Phase 1 to complete (1.1 is pending)
  4.1  waits for Phase 1 to complete (1.1 is pending)
  4.2  waits for Phase 1 to complete (1.1 is pending)
"""


@pytest.mark.parametrize(
    ("states", "headline"),
    [(dict.fromkeys(ALL, "completed"), "Done: every task is completed or skipped."),
     (dict.fromkeys(ALL, "completed") | {"4.2": "in_progress", "3.1": "pending"},
      "Blocked: nothing may start until a task in progress completes."),
     (dict.fromkeys(ALL, "completed") | {"1.1": "failed", "1.2": "pending"},
      "Deadlock: no pending task can ever start.")],
    ids=["done", "blocked", "deadlock"],
)  # fmt: skip
def test_text_format_headlines(tmp_path: Path, states: dict[str, str], headline: str) -> None:
    plan_path, _ = write_pair(tmp_path, PLAN, states)
    result = run_cli("next", str(plan_path.relative_to(tmp_path)), "--format", "text", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == headline


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1, 2]", "status file is an array, not a JSON object with a `tasks` list"),
     ('"done"', "status file is a string, not a JSON object with a `tasks` list"),
     ("null", "status file is null, not a JSON object with a `tasks` list"),
     ("{}", "status file has no `tasks` list"), ('{"tasks": {"1.1": "completed"}}', "status file has no `tasks` list")],
)  # fmt: skip
def test_a_status_file_without_task_states_is_an_error(tmp_path: Path, content: str, message: str) -> None:
    """Read as "nothing done", it would hand out completed tasks again (issue 19)."""
    _, status_path = write_pair(tmp_path, SMALL, {}, stem="small")
    assert status_path is not None
    status_path.write_text(content + "\n", encoding="utf-8")
    for args in (["docs/plans/small.md"], ["docs/plans/small.md", "--status", "docs/plan-outputs/small/status.json"]):
        result = run_cli("next", *args, cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.endswith(f"small/status.json: error: {message}\n"), result.stderr


# -- the constraints block for the orchestrator's prompt ----------------------------------------------


@pytest.mark.parametrize("ids", [["1.1", "1.5"], ["2.2"], [], None], ids=["two", "one", "empty batch", "all"])
def test_prompt_block_from_the_cli_and_from_python_are_one(tmp_path: Path, ids: list[str] | None) -> None:
    """What docs/orchestrator.md offers the orchestrator's _build_prompt, both ways."""
    plan_path, _ = write_pair(tmp_path, PLAN, None)
    tasks = ["--tasks", ",".join(ids)] if ids is not None else []
    result = run_cli("emit", "docs/plans/contract.md", "--format", "prompt", *tasks, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == planlint.constraints_prompt(planlint.load_plan(plan_path), ids, root=tmp_path)
    assert result.stdout.startswith("## Execution Constraints\n\n") and result.stdout.endswith(".\n")
    shown = [line.split()[2].rstrip(":") for line in result.stdout.splitlines() if line.startswith("### Task ")]
    assert shown == (ids if ids is not None else ALL)
    if ids == []:  # a session with no task gets no task's constraints, not every task's
        assert result.stdout == "## Execution Constraints\n\nNo tasks selected.\n"


@pytest.mark.parametrize(
    ("stem", "states"),
    [("steps", {}), ("steps", {"1.2": "completed"}), ("contract", {}), ("contract", {"1.1": "completed"}),
     ("contract", {"1.1": "completed", "1.2": "completed", "1.5": "completed"})],
)  # fmt: skip
def test_the_prompt_of_a_batch_never_asks_to_wait_for_what_is_not_done(tmp_path: Path, stem: str,
                                                                       states: dict[str, str]) -> None:  # fmt: skip
    """Each batch next returns, with its prompt block: any order the block states (a [SEQUENTIAL]
    predecessor, a dependency) is already done. A group planlint only inferred from shared files
    orders nothing, so its tasks are not told to wait for one another."""
    plan_path, _ = write_pair(tmp_path, STEPS if stem == "steps" else PLAN, states, stem=stem)
    batch = run_json(tmp_path, "next", str(plan_path.relative_to(tmp_path)), "10")
    ids = [t["id"] for t in batch["tasks"]]
    assert ids
    block = planlint.constraints_prompt(planlint.load_plan(plan_path), ids, root=tmp_path)
    waited = re.findall(r"start only after (.+?) ha(?:s|ve) completed|Depends on: (.+?) \(must", block)
    named = {t for pair in waited for group in pair if group for t in re.split(r", | and ", group)}
    assert all(states.get(t) in DONE for t in named), (named, states, block)
    assert "Scheduled in wave" not in block


STEPS = """# Implementation Plan: Steps

## Phase 1: Build

- [ ] 1.1 Build the parser
  - [ ] 1.1.1 Update `src/a.py` with the lexer
  - [ ] 1.1.2 Review `src/b.py`
- [ ] 1.2 Update `src/a.py` with the printer

### 1.3 Storage

- [ ] 1.3.1 Update `src/b.py` with the store
- [ ] 1.3.2 Update `src/c.py` with the cache
- [ ] 1.3.3 Review `src/c.py` for the index

**Execution Note:** Tasks 1.3.1-1.3.2 are [SEQUENTIAL] - the cache needs the store
"""


def test_steps_and_task_groups(tmp_path: Path) -> None:
    """Three-part IDs (a task group's members) are scheduled; steps count as their task's."""
    states = {"1.2": "in_progress"}
    plan_path, status_path = write_pair(tmp_path, STEPS, states, stem="steps")
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 5)
    check_contract(batch, document, states, 5)
    returned = [t["id"] for t in batch["tasks"]]
    assert "1.1" not in returned  # its step 1.1.1 writes src/a.py, which 1.2 (in progress) writes
    assert "1.3.1" in returned and "1.3.2" not in returned


# -- violations once found with statuses updated out of order, reduced to minimal plans -----------

ONE_FILE_TWO_PHASES = """# Implementation Plan: Two phases

## Phase 1: A

- [ ] 1.1 Update `src/a.py`

## Phase 2: B

- [ ] 2.1 Update `src/a.py`
"""

PARALLEL_CHAIN = """# Implementation Plan: Parallel chain

## Phase 1: A

- [ ] 1.1 Update `src/a.py`

**Execution Note:** Phases 1-2 are [PARALLEL] - independent

## Phase 2: B

- [ ] 2.1 Update `src/b.py` (depends: 1.1)
- [ ] 2.2 Update `src/a.py` (depends: 2.1)
"""

GROUP_OF_THREE = """# Implementation Plan: Group

## Phase 1: A

- [ ] 1.1 Update `src/a.py`
- [ ] 1.2 Update `src/b.py`
- [ ] 1.3 Update `src/c.py`

**Execution Note:** Tasks 1.1-1.3 are [SEQUENTIAL] - each builds on the last
"""

FORMER_VIOLATIONS = {
    # A task of a later phase is in progress (started by the orchestrator's DAG mode, or by hand):
    # next (phase order) returns 1.1, which writes the file 2.1 is writing. Conflicts are looked up
    # only among tasks the plan lets run together, not among the tasks actually running.
    "in_progress_other_phase": (ONE_FILE_TWO_PHASES, {"2.1": "in_progress"}, ["1.1"]),
    # 2.1 was completed before its dependency 1.1 (a retry, a status written by status-cli): 1.1 and
    # 2.2 are both returned and both write src/a.py. The plan orders 2.2 after 1.1 (through 2.1),
    # so they are never counted as conflicting, but readiness only looks at direct dependencies.
    "out_of_order_across_parallel_phases": (PARALLEL_CHAIN, {"2.1": "completed"}, ["1.1", "2.2"]),
    # 1.2 done before 1.1: 1.1 and 1.3 are both returned (group order is kept only between
    # neighbours), though DESIGN allows one member, "the first one not yet done".
    "sequential_middle_member_done": (GROUP_OF_THREE, {"1.2": "completed"}, ["1.1", "1.3"]),
    "sequential_middle_member_skipped": (GROUP_OF_THREE, {"1.2": "skipped"}, ["1.1", "1.3"]),
    # 1.1 in progress, 1.2 done: 1.3 is returned while 1.1, an earlier member, still runs.
    "sequential_earlier_member_running": (GROUP_OF_THREE, {"1.1": "in_progress", "1.2": "completed"}, ["1.3"]),
}


@pytest.mark.parametrize("case", sorted(FORMER_VIOLATIONS))
def test_former_violation_now_holds(tmp_path: Path, case: str) -> None:
    """Each case broke a guarantee until `next` waited for everything a task waits for,
    directly or not, and checked running tasks for shared files whatever their phase."""
    plan, states, _returned_before_the_fix = FORMER_VIOLATIONS[case]
    plan_path, status_path = write_pair(tmp_path, plan, states, stem="known")
    batch, document = next_and_emit(tmp_path, plan_path, status_path, 5)
    check_contract(batch, document, states, 5)
