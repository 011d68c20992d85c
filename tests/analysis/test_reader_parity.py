"""Reader parity against the orchestrator's real parser (DESIGN.md §3a, PL121-PL125).

`tests/data/js/orchestrator_reading.js` runs the team's own `scripts/lib/plan-status.js` under
node (one process for every plan) and prints what it reads: phases, tasks, `[SEQUENTIAL]` groups
and dependencies. On every corpus plan and on mutated copies of plans (every form of §3a and
more), the test asserts that:

- planlint's model of that parser (`planlint.analysis.reader`) reads exactly what node reads;
- every plan where the orchestrator's reading and planlint's differ gets a PL12x finding, and no
  plan where they agree gets a PL121-PL124 one (near misses, which both readers read alike as
  nothing, are PL125 and the PL121 of a heading like `## Phase 2 Logic`; `**Execution Notes:**`,
  which only planlint reads, is PL125 too);
- after `planlint fix --unsafe-fixes`, the orchestrator reads every phase, task, group and
  dependency as planlint does.

Skips when node or ../shared/corpus is absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from planlint.analysis.depends_clause import steps_by_unit, unit_dependencies
from planlint.analysis.notes import analyse_notes
from planlint.analysis.parity.ordering import OrderChecks
from planlint.analysis.reader import read_as_orchestrator
from planlint.config import Config
from planlint.engine import lint_plan
from planlint.fix.loop import fix_pair
from planlint.io import decode_source, read_source
from planlint.model import Plan, TaskId
from planlint.parse.plan import parse_plan
from tests.conftest import CORPUS, REPO

PLAN_STATUS = CORPUS / "scripts" / "lib" / "plan-status.js"
DRIVER = REPO / "tests" / "data" / "js" / "orchestrator_reading.js"
PARITY = ("PL121", "PL122", "PL123", "PL124")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("node") is None or not PLAN_STATUS.is_file(), reason="node or plan-status.js is missing"
    ),
]

BASE = """\
# Payment Retry Plan

## Phase 1: Foundations

- [ ] 1.1 Create `src/retry/policy.py` with the backoff policy
- [ ] 1.2 Create `src/retry/clock.py` with a fake clock for tests

## Phase 2: Logic

**Execution Note:** Tasks 2.1-2.3 are [SEQUENTIAL] - all modify `src/retry/engine.py`

- [ ] 2.1 Add the retry loop to `src/retry/engine.py` (depends: 1.1)
- [ ] 2.2 Add jitter to `src/retry/engine.py`
- [ ] 2.3 Add a circuit breaker to `src/retry/engine.py`
- [ ] 2.4 Write `docs/retry.md` (depends: 1.2)

## Phase 3: Wiring

- [ ] 3.1 Update `src/payments/client.py` to call the retry engine (depends: 2.1)
- [ ] 3.2 Update `src/payments/refunds.py` to call the retry engine
"""

# (name, old, new): each mutation replaces the first occurrence of old in BASE.
MUTATIONS = [
    ("phase-dash", "## Phase 2: Logic", "## Phase 2 - Logic"),
    ("phase-no-colon", "## Phase 2: Logic", "## Phase 2 Logic"),
    ("phase-level-3", "## Phase 2: Logic", "### Phase 2: Logic"),
    ("phase-lower-case", "## Phase 2: Logic", "## phase 2: Logic"),
    ("phase-no-title", "## Phase 2: Logic", "## Phase 2:"),
    ("phase-bold", "## Phase 2: Logic", "## **Phase 2:** Logic"),
    ("phase-indented", "## Phase 2: Logic", " ## Phase 2: Logic"),
    ("phase-setext", "## Phase 2: Logic\n", "Phase 2: Logic\n--------------\n"),
    ("phase-in-fence", "## Phase 3: Wiring\n", "```markdown\n## Phase 9: Example\n```\n\n## Phase 3: Wiring\n"),
    ("task-star", "- [ ] 2.2 ", "* [ ] 2.2 "),
    ("task-plus", "- [ ] 2.2 ", "+ [ ] 2.2 "),
    ("task-capital-x", "- [ ] 2.2 ", "- [X] 2.2 "),
    ("task-colon", "- [ ] 2.2 ", "- [ ] 2.2: "),
    ("task-period", "- [ ] 2.2 ", "- [ ] 2.2. "),
    ("task-bold", "- [ ] 2.2 ", "- [ ] **2.2** "),
    ("task-no-checkbox", "- [ ] 2.2 ", "- 2.2 "),
    ("task-numbered", "- [ ] 3.2 ", "1. [ ] 3.2 "),
    ("task-indented", "- [ ] 2.4 ", "- Docs:\n  - [ ] 2.4 "),
    ("task-leading-zero", "- [ ] 3.2 ", "- [ ] 03.2 "),
    ("task-arabic-digits", "- [ ] 3.2 ", "- [ ] ٣.٢ "),
    ("task-split-line", "- [ ] 2.4 Write", "- [ ] 2.4\n  Write"),
    ("task-after-section", "- [ ] 3.2 Update", "- [ ] 3.2 Update X\n\n## Notes\n\n- [ ] 3.3 Update"),
    ("task-in-fence", "- [ ] 3.2 ", "```\n- [ ] 3.9 An example task\n```\n\n- [ ] 3.2 "),
    ("note-list", "Tasks 2.1-2.3 are", "Tasks 2.1, 2.3 are"),
    ("note-contiguous-list", "Tasks 2.1-2.3 are", "Tasks 2.1, 2.2, 2.3 are"),
    ("note-to", "Tasks 2.1-2.3 are", "Tasks 2.1 to 2.3 are"),
    ("note-en-dash", "Tasks 2.1-2.3 are", "Tasks 2.1–2.3 are"),
    ("note-spaced-dash", "Tasks 2.1-2.3 are", "Tasks 2.1 - 2.3 are"),
    ("note-and", "Tasks 2.1-2.3 are", "Tasks 2.1-2.2 and 2.3-2.4 are"),
    ("note-and-singles", "Tasks 2.1-2.3 are", "Tasks 2.1 and 2.3 are"),
    ("note-colon-outside", "**Execution Note:**", "**Execution Note**:"),
    ("note-marker-first", "Tasks 2.1-2.3 are [SEQUENTIAL] -", "[SEQUENTIAL] Tasks 2.1-2.3 -"),
    ("note-broken-label", "**Execution Note:** Tasks", "**Execution\nNote:** Tasks"),
    ("note-broken-list", "Tasks 2.1-2.3 are", "Tasks 2.1-2.3\nare"),
    ("note-misspelled-marker", "[SEQUENTIAL]", "[SEQUENTAIL]"),
    ("note-short-marker", "[SEQUENTIAL]", "[SEQ]"),
    ("note-bare-marker", "[SEQUENTIAL]", "SEQUENTIAL"),
    ("note-not-bold", "**Execution Note:**", "Execution Note:"),
    ("note-plural", "**Execution Note:**", "**Execution Notes:**"),
    ("note-lower-case", "**Execution Note:** Tasks", "**execution note:** tasks"),
    (
        "note-in-fence",
        "## Phase 3: Wiring\n",
        "## Phase 3: Wiring\n\n```\n**Execution Note:** Tasks 3.1-3.2 are [SEQUENTIAL] - x\n```\n",
    ),
    ("note-no-reason", " - all modify `src/retry/engine.py`", ""),
    ("depends-on", "(depends: 1.1)", "(depends on 1.1)"),
    ("depends-on-colon", " (depends: 1.2)", "\n  Depends on: 1.2"),
    ("depends-and", "(depends: 2.1)", "(depends: 2.1 and 1.1)"),
    ("depends-nested", " (depends: 2.1)", "\n  - Wire it in (depends: 2.1)"),
    ("depends-twice", "(depends: 2.1)", "(depends: 2.1) (depends: 1.2)"),
    ("depends-capital", "(depends: 1.1)", "(Depends: 1.1)"),
    (
        "depends-quoted",
        "to call the retry engine (depends: 2.1)",
        "to call the retry engine\n  - Syntax: `(depends: 1.1)`",
    ),
    ("depends-quoted-on-task-line", "(depends: 1.1)", "`(depends: 1.1)`"),
    ("depends-three-part", "(depends: 1.1)", "(depends: 1.1.1)"),
    ("note-reversed-range", "Tasks 2.1-2.3 are", "Tasks 2.3-2.1 are"),
    ("note-cross-phase-range", "Tasks 2.1-2.3 are", "Tasks 2.3-3.1 are"),
    ("note-single-task", "Tasks 2.1-2.3 are", "Task 2.2 is"),
    ("note-no-break-space", "Tasks 2.1-2.3 are", "Tasks\u00a02.1-2.3 are"),
    (
        "note-second-in-reason",
        "engine.py`\n\n- [ ] 2.1",
        "engine.py` **Execution Note:** Tasks 2.3-2.4 are [SEQUENTIAL] - x\n\n- [ ] 2.1",
    ),
    ("note-reason-on-next-line", " - all modify `src/retry/engine.py`", "\nall modify `src/retry/engine.py`"),
    ("phase-trailing-hashes", "## Phase 2: Logic", "## Phase 2: Logic ##"),
    ("phase-carriage-return", "## Phase 2: Logic\n", "## Phase 2: Logic\r\n"),
    ("task-tabs", "- [ ] 2.2 ", "-\t[ ]\t2.2\t"),
    ("task-line-separator", "- [ ] 2.2 Add jitter", "- [ ] 2.2 Add\u2028jitter"),
    ("task-carriage-return", "`src/retry/engine.py`\n- [ ] 2.3", "`src/retry/engine.py`\r\n- [ ] 2.3"),
]
PASSING = [
    "unchanged",
    "note-lower-case",
    "phase-trailing-hashes",
    "task-tabs",
    "note-no-break-space",
]  # mutations both readers read alike


def mutant_texts() -> dict[str, str]:
    texts = {"unchanged": BASE, "crlf": BASE.replace("\n", "\r\n"), "cr": BASE.replace("\n", "\r")}
    for name, old, new in MUTATIONS:
        assert old in BASE, name
        texts[name] = BASE.replace(old, new, 1)
    return texts


def node_readings(paths: list[Path]) -> dict[str, dict[str, object]]:
    result = subprocess.run(
        ["node", str(DRIVER), str(PLAN_STATUS)],
        input=json.dumps([str(p) for p in paths]),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {item["path"]: item for item in json.loads(result.stdout)}


def python_reading(path: Path) -> dict[str, object]:
    """planlint's model of the orchestrator's parser, in the driver's shape."""
    reading = read_as_orchestrator(read_source(path))
    deps: dict[str, list[str]] = {}
    for task in reading.tasks:
        deps[task.id] = list(task.dependencies)
    return {
        "path": str(path),
        "phases": [{"id": p.number, "name": p.name} for p in reading.phases],
        "tasks": [{"id": t.id, "phase": t.phase, "title": t.title} for t in reading.tasks],
        "groups": [{"taskRange": g.label, "taskIds": g.task_ids(), "reason": g.reason} for g in reading.groups],
        "deps": deps,
    }


def differences(plan: Plan, node: dict[str, object]) -> list[str]:
    """How the orchestrator's reading (from node) differs from planlint's."""
    found: list[str] = []
    ours_phases = [p.number for p in plan.phases]
    theirs_phases = [p["id"] for p in node["phases"]]  # type: ignore[index]
    if ours_phases != theirs_phases:
        found.append(f"phases {ours_phases} != {theirs_phases}")
    ours_tasks = [(str(t.id), p.number) for p in plan.phases for t in p.top_level_tasks]
    theirs_tasks = [(t["id"], t["phase"]) for t in node["tasks"]]  # type: ignore[index]
    if ours_tasks != theirs_tasks:
        found.append(f"tasks {sorted(set(ours_tasks) ^ set(theirs_tasks))}")
    read = {t["id"] for t in node["tasks"]}  # type: ignore[index]
    their_deps: dict[str, list[str]] = node["deps"]  # type: ignore[assignment]
    steps = steps_by_unit(plan)
    our_deps = {str(t.id): unit_dependencies(plan, t, steps) for p in plan.phases for t in p.top_level_tasks}
    for task_id, deps in our_deps.items():
        if task_id in read and set(their_deps.get(task_id, [])) != deps:
            found.append(f"dependencies of {task_id}: {sorted(deps)} != {their_deps.get(task_id)}")
    label_of: dict[str, str] = {}
    for group in node["groups"]:  # type: ignore[attr-defined]
        for task_id in group["taskIds"]:
            if task_id in read:
                label_of[task_id] = group["taskRange"]

    reaches = OrderChecks.reaches  # a walk of the dependency graph, not what this test checks

    def theirs_order(a: str, b: str) -> bool:
        same = label_of.get(a) is not None and label_of.get(a) == label_of.get(b)
        return same or reaches(their_deps, a, b) or reaches(their_deps, b, a)

    our_groups = [sorted((str(t) for t in g.tasks if str(t) in read), key=_key) for g in analyse_notes(plan).sequential]
    for group in our_groups:
        if not all(theirs_order(a, b) for a, b in pairwise(group)):
            found.append(f"group {group} is not ordered by the orchestrator")
    members: dict[str, list[str]] = {}
    for task_id, label in label_of.items():
        members.setdefault(label, []).append(task_id)

    def ours_order(a: str, b: str) -> bool:
        same = any(a in g and b in g for g in our_groups)
        return same or reaches(our_deps, a, b) or reaches(our_deps, b, a)

    for label, ids in members.items():
        ordered = sorted(ids, key=_key)
        if not all(ours_order(a, b) for a, b in pairwise(ordered)):
            found.append(f"the orchestrator's group {label} is not ordered by planlint")
    return found


def _key(text: str) -> tuple[int, ...]:
    parsed = TaskId.parse(text)
    return parsed.parts if parsed else ()


def parity_codes(path: Path) -> set[str]:
    """The PL12x codes found; a near miss that neither reader reads (PL125, and PL121 on a heading
    like `## Phase 2 Logic`) counts as PL125."""
    source = read_source(path)
    plan = parse_plan(source)
    found = set()
    for diagnostic in lint_plan(plan, Config(root=path.parent)):
        if diagnostic.code.startswith("PL12"):
            near = diagnostic.message.startswith("neither planlint nor the orchestrator")
            found.add("PL125" if near else diagnostic.code)
    return found


def write_cases(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "plans"
    folder.mkdir()
    paths = []
    for name, text in mutant_texts().items():
        path = folder / f"{name}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    # corpus plans, and a mutated copy of each: CRLF, and every note written as a list
    for plan in sorted((CORPUS / "docs" / "plans").rglob("*.md")):
        paths.append(plan)
        text = plan.read_text(encoding="utf-8")
        if "## Phase" in text:
            crlf = folder / f"corpus-crlf-{plan.stem}.md"
            crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
            paths.append(crlf)
            mutated = text.replace("(depends: ", "(depends on ").replace("## Phase 1:", "## Phase 1 -")
            mutated = mutated.replace("- [ ] 1.2 ", "* [ ] 1.2 ").replace("- [ ] 2.1 ", "- [ ] 2.1: ")
            if mutated != text:
                copy = folder / f"corpus-mutated-{plan.stem}.md"
                copy.write_bytes(mutated.encode("utf-8"))
                paths.append(copy)
    return paths


def test_reader_parity(tmp_path: Path) -> None:
    paths = write_cases(tmp_path)
    node = node_readings(paths)
    # 1. planlint's model of the parser reads exactly what the parser reads
    for path in paths:
        assert python_reading(path) == node[str(path)], path.name
    # 2. a PL121-PL124 finding exactly where the two readings differ
    divergent, flagged, false_alarms = [], [], []
    for path in paths:
        plan = parse_plan(read_source(path))
        differs = differences(plan, node[str(path)])
        codes = parity_codes(path)
        if differs:
            divergent.append(path)
            if codes:
                flagged.append(path)
        elif codes & set(PARITY):
            false_alarms.append((path.name, sorted(codes)))
    missed = [(p.name, differences(parse_plan(read_source(p)), node[str(p)])) for p in divergent if p not in flagged]
    assert not missed, missed
    assert not false_alarms, false_alarms
    for name in PASSING:
        assert tmp_path / "plans" / f"{name}.md" not in divergent, name
    # 3. after `planlint fix --unsafe-fixes`, both read the same
    fixed_folder = tmp_path / "fixed"
    fixed_folder.mkdir()
    fixed_paths = []
    for path in divergent:
        source = read_source(path)
        outcome = fix_pair(source, None, Config(root=path.parent), unsafe=True, root=path.parent)
        assert outcome.refused is None, (path.name, outcome.refused)
        target = fixed_folder / path.name
        text = outcome.texts[source.path]
        target.write_bytes(text.encode("utf-8"))
        fixed_paths.append(target)
    after = node_readings(fixed_paths)
    still = {p.name: differences(parse_plan(read_source(p)), after[str(p)]) for p in fixed_paths}
    structure = sorted(name for name, found in still.items() if found)
    still = {
        name: [f for f in found if f.startswith(("dependencies", "group", "the orchestrator's group"))]
        for name, found in still.items()
    }
    still = {name: found for name, found in still.items() if found}
    assert not still, still
    print(
        f"\nreader parity: divergent plans flagged {len(flagged)}/{len(divergent)}, false alarms "
        f"{len(false_alarms)}, divergent after fix {len(still)} (of {len(paths)} plans); phases or tasks "
        f"still read differently after the fix: {structure}"
    )


def test_bom_first_line_phase_is_unread(tmp_path: Path) -> None:
    """Node keeps a BOM, so a phase heading on the first line is not read; neither is ours."""
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf## Phase 1: Start\n\n- [ ] 1.1 Do `a.py`\n")
    node = node_readings([path])
    assert python_reading(path) == node[str(path)]
    assert node[str(path)]["phases"] == []
    assert "PL121" in parity_codes(path)


def test_decoded_reading_matches_for_text(tmp_path: Path) -> None:
    """The reader works from decoded text: the same bytes read through decode_source agree."""
    path = tmp_path / "plan.md"
    path.write_text(BASE, encoding="utf-8")
    reading = read_as_orchestrator(decode_source(path.read_bytes(), path))
    assert [t.id for t in reading.tasks] == ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2"]
    assert [g.label for g in reading.groups] == ["2.1-2.3"]
