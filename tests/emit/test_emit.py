"""`planlint emit`: the constraint document, its schema, the schedule, and --into-status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

import planlint
from planlint.analysis.schema import shipped_schema_text
from planlint.model import Plan
from tests.conftest import CORPUS, run_cli

VALIDATOR = Draft7Validator(json.loads(shipped_schema_text("constraints.schema.json")))

PLAN = """# Implementation Plan: Tokens

## Phase 1: Tokens

**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - both modify `src/tokens.py`

- [ ] 1.1 Add `create_token()` to `src/tokens.py`
- [ ] 1.2 Add expiry checks to `src/tokens.py`
- [ ] 1.3 Update `src/config.py` with the token lifetime
- [ ] 1.4 Update `src/config.py` with the signing key (depends: 1.3)
- [ ] 1.5 Write `docs/tokens.md`

## Phase 2: API

- [ ] 2.1 Add the `/token` route to `src/api.py`
- [ ] 2.2 Add the `/refresh` route to `src/api.py`
- [ ] 2.3 Review `src/tokens.py` for timing leaks
"""


def document(text: str = PLAN, tmp_path: Path | None = None) -> dict:
    source = planlint.api.SourceText.from_text(text, "plan.md")
    from planlint.parse.plan import parse_plan

    return planlint.constraints(parse_plan(source))


def sound_document(plan: Plan) -> dict | None:
    """emit's document for any plan (it must build and serialise), checked against the shipped
    schema and for a sound schedule when nothing makes the plan unsound; None when something
    does (what `planlint emit` refuses without --force)."""
    from planlint.config import Config
    from planlint.emit.document import constraints
    from planlint.emit.scheduling import blocking_findings

    document = constraints(plan)
    json.dumps(document)
    if blocking_findings(plan, Config()):
        return None
    VALIDATOR.validate(document)
    assert_sound_schedule(document)
    return document


def assert_sound_schedule(doc: dict) -> None:
    """Every task once; no conflicting pair in a wave; dependencies, groups and phases in order."""
    waves = doc["waves"]
    position = {task: number for number, wave in enumerate(waves) for task in wave}
    assert sorted(position) == sorted(doc["tasks"]) and sum(map(len, waves)) == len(doc["tasks"])
    for wave in waves:
        for task in wave:
            assert not set(doc["tasks"][task]["conflictsWith"]) & set(wave), (task, wave)
    for task, data in doc["tasks"].items():
        for dependency in data["dependsOn"]:
            assert position[dependency] < position[task]
    for group in doc["groups"]:
        if group["kind"] == "sequential" and group["source"] == "annotation":
            order = [position[t] for t in group["tasks"]]
            assert order == sorted(order) and len(set(order)) == len(order)
    overlap = {p["number"]: set(p["parallelWith"]) for p in doc["phases"]}
    rank: dict[int, int] = {}  # phases run in plan order (PL006 reports numbers out of order)
    for number, phase in enumerate(doc["phases"]):
        rank.setdefault(phase["number"], number)
    for task, data in doc["tasks"].items():
        for other, other_data in doc["tasks"].items():
            earlier = rank[other_data["phase"]] < rank[data["phase"]]
            if earlier and other_data["phase"] not in overlap[data["phase"]]:
                assert position[other] < position[task], (other, task)
    assert doc["waveCount"] == len(waves) >= doc["criticalPath"]


def test_document_validates_and_schedules_soundly() -> None:
    doc = document()
    VALIDATOR.validate(doc)
    assert_sound_schedule(doc)
    assert doc["waves"] == [["1.1", "1.3", "1.5"], ["1.2", "1.4"], ["2.1", "2.3"], ["2.2"]]
    assert doc["criticalPath"] == 3  # 1.1 -> 1.2 -> phase 2; the 2.1/2.2 conflict costs a wave, not a wait
    tasks = doc["tasks"]
    assert tasks["1.2"]["sequential"] and tasks["1.2"]["sequentialGroup"] == "1.1-1.2"
    assert tasks["1.4"]["dependsOn"] == ["1.3"] and tasks["1.4"]["conflictsWith"] == ["1.3"]
    assert tasks["2.3"]["files"] == {"writes": [], "reads": ["src/tokens.py"]}
    assert [(g["id"], g["source"]) for g in doc["groups"]] == [("1.1-1.2", "annotation"), ("2.1-2.2", "inferred")]


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(PLAN)
    first = run_cli("emit", "plan.md", cwd=tmp_path)
    second = run_cli("emit", "plan.md", "-o", "out.json", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0
    assert first.stdout == (tmp_path / "out.json").read_text()
    assert json.loads(first.stdout)["plan"] == "plan.md"


def test_errors_refuse_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(PLAN.replace("(depends: 1.3)", "(depends: 1.4)"))
    refused = run_cli("emit", "plan.md", cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "PL112 dependency cycle: 1.4 -> 1.4" in refused.stderr
    forced = run_cli("emit", "plan.md", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    doc = json.loads(forced.stdout)
    assert doc["valid"] is False
    VALIDATOR.validate(doc)


@pytest.mark.parametrize(
    ("options", "plan_text"),
    [
        (["--config", "quiet.toml"], PLAN.replace("(depends: 1.3)", "(depends: 1.4)")),
        ([], PLAN.replace("(depends: 1.3)", "(depends: 1.4) <!-- planlint-disable-line PL112 -->")),
    ],
    ids=["ignored-by-config", "suppressed-in-the-plan"],
)
def test_emit_refuses_an_unsound_plan_whatever_the_lint_settings(tmp_path: Path, options, plan_text) -> None:
    """--ignore and suppression comments silence a lint finding, not the cycle a schedule inherits."""
    (tmp_path / "quiet.toml").write_text('ignore = ["PL112"]\n')
    (tmp_path / "plan.md").write_text(plan_text)
    assert "PL112" not in run_cli("check", "plan.md", *options, cwd=tmp_path).stdout  # lint is silenced
    refused = run_cli("emit", "plan.md", *options, cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "PL112 dependency cycle: 1.4 -> 1.4" in refused.stderr


def test_a_phase_without_tasks_keeps_the_phases_around_it_in_order() -> None:
    plan = "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 x\n\n## Phase 2: B\n\nLater.\n\n## Phase 3: C\n\n- [ ] 3.1 y\n"
    doc = document(plan)
    assert doc["waves"] == [["1.1"], ["3.1"]]
    assert doc["criticalPath"] == 2
    assert_sound_schedule(doc)


def test_dependencies_hold_after_leading_phases_without_tasks() -> None:
    plan = "# Plan\n\n## Phase 1: A\n\n## Phase 2: B\n\n## Phase 3: C\n\n- [ ] 3.1 x\n- [ ] 3.2 y (depends: 3.1)\n"
    doc = document(plan)
    assert doc["waves"] == [["3.1"], ["3.2"]]
    assert_sound_schedule(doc)


def test_prompt_and_mermaid_views(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(PLAN)
    prompt = run_cli("emit", "plan.md", "--format", "prompt", "--tasks", "1.2,1.4", cwd=tmp_path).stdout
    assert prompt.startswith("## Execution Constraints\n")
    assert "### Task 1.2: Add expiry checks to `src/tokens.py`" in prompt
    assert "[SEQUENTIAL] group 1.1-1.2 (both modify `src/tokens.py`): start only after 1.1 has completed." in prompt
    assert "- Depends on: 1.3 (must be completed first)." in prompt
    assert "### Task 1.1" not in prompt
    chart = run_cli("emit", "plan.md", "--format", "mermaid", cwd=tmp_path).stdout
    assert chart.startswith("```mermaid\nflowchart TD\n") and chart.endswith("```\n")
    assert "t1_3 -->|depends| t1_4" in chart and "t1_1 -.->|sequential| t1_2" in chart


STATUS = {
    "planPath": "docs/plans/tokens.md",
    "planName": "Tokens",
    "createdAt": "2026-01-01T00:00:00Z",
    "tasks": [
        {"id": t, "phase": "Phase 1: Tokens", "description": "x", "status": "pending"}
        for t in ("1.1", "1.2", "1.3", "1.4", "1.5")
    ]
    + [{"id": t, "phase": "Phase 2: API", "description": "x", "status": "pending"} for t in ("2.1", "2.2", "2.3")],
    "summary": {"totalTasks": 8, "pending": 8},
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_into_status_keeps_everything_else_and_is_idempotent(tmp_path: Path, newline: str) -> None:
    plan = tmp_path / "docs/plans/tokens.md"
    status = tmp_path / "docs/plan-outputs/tokens/status.json"
    plan.parent.mkdir(parents=True)
    status.parent.mkdir(parents=True)
    plan.write_text(PLAN)
    text = json.dumps(STATUS, indent=4).replace("\n", newline) + newline
    status.write_bytes(text.encode())
    result = run_cli("emit", "docs/plans/tokens.md", "--into-status", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = status.read_bytes().decode()
    data = json.loads(written)
    assert list(data) == [*STATUS, "sequentialGroups"]  # key order kept, new key appended
    assert data["summary"] == STATUS["summary"]
    assert data["tasks"][1]["executionConstraints"] == {
        "sequential": True, "sequentialGroup": "1.1-1.2", "reason": "both modify `src/tokens.py`",
        "conflictsWith": ["1.1"], "dependsOn": [],
    }  # fmt: skip
    assert data["tasks"][4]["executionConstraints"] == {"sequential": False, "conflictsWith": [], "dependsOn": []}
    assert data["sequentialGroups"] == [
        {"taskRange": "1.1-1.2", "taskIds": ["1.1", "1.2"], "reason": "both modify `src/tokens.py`"}
    ]
    assert "\n" not in written.replace("\r\n", "") if newline == "\r\n" else "\r" not in written
    assert '\n            "id": "1.1"' in written.replace("\r\n", "\n")  # four-space indent kept
    again = run_cli("emit", "docs/plans/tokens.md", "--into-status", cwd=tmp_path)
    assert again.returncode == 0 and "unchanged" in again.stderr
    assert status.read_bytes().decode() == written
    check = run_cli("check", "docs/plans/tokens.md", "--select", "PL208", cwd=tmp_path)
    assert check.returncode == 0, check.stdout


def test_into_status_without_a_status_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(PLAN)
    result = run_cli("emit", "plan.md", "--into-status", cwd=tmp_path)
    assert result.returncode == 2 and "no status.json found" in result.stderr


def corpus_plans() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    from planlint.api import load_plan

    return [p for p in sorted((CORPUS / "docs/plans").rglob("*.md")) if load_plan(p).phases]


@pytest.mark.slow  # emits every plan of the corpus
@pytest.mark.parametrize("path", corpus_plans(), ids=lambda p: p.stem)
def test_every_corpus_plan_emits_a_valid_sound_document(path: Path) -> None:
    from planlint.config import Config

    plan = planlint.load_plan(path)
    doc = planlint.constraints(plan, config=Config(root=CORPUS), root=CORPUS)
    VALIDATOR.validate(doc)
    assert_sound_schedule(doc)


def test_the_documented_example_is_what_emit_prints(tmp_path: Path) -> None:
    """docs/emit.md shows a plan and its document: they must stay true."""
    import re

    from tests.conftest import REPO

    page = (REPO / "docs" / "emit.md").read_text(encoding="utf-8")
    plan_text = re.search(r"```markdown\n(.*?)```", page, re.S).group(1)
    shown_emit, shown_next = re.findall(r"```json\n(.*?)```", page, re.S)
    (tmp_path / "plan.md").write_text(plan_text)
    emitted = run_cli("emit", "plan.md", cwd=tmp_path)
    assert json.loads(emitted.stdout) == json.loads(shown_emit)
    VALIDATOR.validate(json.loads(shown_emit))
    batch = run_cli("next", "plan.md", "3", cwd=tmp_path)
    assert json.loads(batch.stdout) == json.loads(shown_next)


def test_waves_through_file_occupants_equal_the_pairwise_waves(tmp_path: Path) -> None:
    """The linear wave builder (each file remembers what the wave touches and writes) gives
    the waves that asking every pair gives: on the fixture, a plan of one shared file, and
    every corpus plan."""
    from planlint.config import Config
    from planlint.emit.schedule import build_schedule
    from planlint.rule import Context

    shared = "# Implementation Plan: Shared\n\n## Phase 1: One file\n\n" + "".join(
        f"- [ ] 1.{n} Update `src/app.py`{' (depends: 1.1)' if n % 3 == 0 else ''}\n" for n in range(1, 12)
    )
    (tmp_path / "plan.md").write_text(PLAN)
    (tmp_path / "shared.md").write_text(shared + "\n## Phase 2: Readers\n\n- [ ] 2.1 Read `src/app.py`\n")
    plans = [(planlint.load_plan(tmp_path / name), tmp_path) for name in ("plan.md", "shared.md")]
    plans += [(planlint.load_plan(p), CORPUS) for p in corpus_plans()]
    for plan, root in plans:
        conflicts = Context(plan, Config(root=root), root, None, False).conflicts
        linear = build_schedule(conflicts.precedence, conflicts)
        pairwise = build_schedule(conflicts.precedence, conflicts, pairwise=True)
        assert linear.waves == pairwise.waves, plan.path
        assert [u for wave in linear.waves for u in wave]
