"""status.json: positions, pairing with its plan, the shipped schema, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.api import check_paths
from planlint.config import Config
from planlint.pairing import Pairer
from planlint.parse.jsondoc import JsonDocument, JsonSyntaxError
from tests.conftest import CORPUS, run_cli

PLAN = """# Implementation Plan: Tokens

## Phase 1: Tokens

- [ ] 1.1 Add `create_token()` to `src/tokens.py`
- [ ] 1.2 Add expiry checks to `src/expiry.py`
"""


def status_for(tasks: list[dict], plan_path: str = "docs/plans/tokens.md", **extra) -> str:
    data = {"planPath": plan_path, "planName": "Tokens", "createdAt": "2026-01-01T00:00:00Z", "tasks": tasks, **extra}
    return json.dumps(data, indent=2) + "\n"


def task(task_id: str, description: str, status: str = "pending") -> dict:
    return {"id": task_id, "phase": "Phase 1: Tokens", "description": description, "status": status}


GOOD_TASKS = [
    task("1.1", "Add `create_token()` to `src/tokens.py`"),
    task("1.2", "Add expiry checks to `src/expiry.py`"),
]


def repo(tmp_path: Path, status_text: str, *, archived: bool = False) -> tuple[Path, Path]:
    """A repository with the corpus layout: docs/plans/<stem>.md and docs/plan-outputs/<stem>/status.json."""
    sub = "archive/" if archived else ""
    plan = tmp_path / f"docs/plans/{sub}tokens.md"
    status = tmp_path / f"docs/plan-outputs/{sub}tokens/status.json"
    plan.parent.mkdir(parents=True)
    status.parent.mkdir(parents=True)
    plan.write_text(PLAN)
    status.write_text(status_text)
    return plan, status


def codes(results) -> list[tuple[str, str, int]]:
    return sorted((d.span.path.name, d.code, r.locate(d.span)[0]) for r in results for d in r.diagnostics)


def test_positions_of_keys_and_values() -> None:
    text = '{\n  "tasks": [\n    {"id": "1.1"},\n    {"id": "1.2", "status": "done"}\n  ]\n}'
    document = JsonDocument.parse(text)
    where = document.locate("/tasks/1/status")
    assert where is not None and text[where.start : where.end] == '"done"'
    assert text[where.key_start : where.key_end] == '"status"'
    assert document.locate("/tasks/7") is None


@pytest.mark.parametrize(
    ("text", "offset"),
    [('{"a": 1,}', 7), ("[1,\n]", 2), ("", 0), ('{"tasks": [', 11), ("[" * 5000 + "]" * 5000, 900)],
)
def test_syntax_errors_carry_their_offset(text: str, offset: int) -> None:
    with pytest.raises(JsonSyntaxError) as info:
        JsonDocument.parse(text)
    assert info.value.offset == offset


def test_duplicate_keys_are_found_and_located() -> None:
    text = '{"tasks": [{"id": "1.1", "id": "1.2"}]}'
    document = JsonDocument.parse(text)
    assert document.duplicate_keys() == [("/tasks/0", "id")]
    where = document.locate_duplicate("/tasks/0", "id")
    assert where is not None and where.key_start == text.rindex('"id"')


def test_pairing_by_folder_convention_in_both_directions(tmp_path: Path) -> None:
    plan, status = repo(tmp_path, status_for(GOOD_TASKS), archived=True)
    pairer = Pairer(Config(root=tmp_path))
    assert pairer.status_for(plan) == status.resolve()
    assert pairer.plan_for(status) == plan.resolve()


def test_pairing_prefers_the_same_archive_side(tmp_path: Path) -> None:
    plan, status = repo(tmp_path, status_for(GOOD_TASKS))
    other = tmp_path / "docs/plan-outputs/archive/tokens/status.json"
    other.parent.mkdir(parents=True)
    other.write_text(status_for(GOOD_TASKS))
    assert Pairer(Config(root=tmp_path)).status_for(plan) == status.resolve()


def test_pairing_by_plan_path_when_the_folder_does_not_match(tmp_path: Path) -> None:
    plan, _ = repo(tmp_path, status_for(GOOD_TASKS))
    moved = tmp_path / "docs/plan-outputs/renamed/status.json"
    moved.parent.mkdir(parents=True)
    (tmp_path / "docs/plan-outputs/tokens/status.json").rename(moved)
    assert Pairer(Config(root=tmp_path)).status_for(plan) == moved.resolve()


def test_a_plan_without_a_status_file_parses_only_status_files_that_could_name_it(tmp_path: Path) -> None:
    from planlint import pairing

    plan, _ = repo(tmp_path, status_for(GOOD_TASKS))
    (tmp_path / "docs/plan-outputs/tokens/status.json").unlink()
    for n in range(5):  # other plans' status files
        other = tmp_path / f"docs/plan-outputs/other{n}/status.json"
        other.parent.mkdir(parents=True)
        other.write_text(status_for(GOOD_TASKS, plan_path=f"docs/plans/other{n}.md"))
    escaped = tmp_path / "docs/plan-outputs/escaped/status.json"  # `\/` and `\u006b`: still read
    escaped.parent.mkdir(parents=True)
    escaped.write_text(status_for(GOOD_TASKS).replace('"docs/plans/tokens.md"', '"docs\\/plans\\/to\\u006bens.md"'))
    parsed: list[bytes] = []
    real = pairing._plan_path_in

    def counting(data: bytes) -> str | None:
        parsed.append(data)
        return real(data)

    pairing._plan_path_in = counting  # type: ignore[assignment]
    try:
        pairer = Pairer(Config(root=tmp_path))
        assert pairer.status_for(plan) == escaped.resolve()
        assert len(parsed) == 1
        assert pairer.status_for(tmp_path / "docs/plans/missing.md") is None
        assert len(parsed) == 1  # read once per run
    finally:
        pairing._plan_path_in = real  # type: ignore[assignment]


def test_plans_without_a_status_file_read_each_status_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, _ = repo(tmp_path, status_for(GOOD_TASKS))
    (tmp_path / "docs/plan-outputs/tokens/status.json").unlink()
    # the plan's name in a task and in a nested planPath, the top-level planPath another plan's
    nested = status_for([{**GOOD_TASKS[0], "planPath": "docs/plans/tokens.md"}], plan_path="docs/plans/other.md")
    for n in range(4):
        other = tmp_path / f"docs/plan-outputs/other{n}/status.json"
        other.parent.mkdir(parents=True)
        other.write_text(
            nested if n == 0 else status_for([task("1.1", "see tokens.md")], plan_path=f"docs/plans/o{n}.md")
        )
    named = tmp_path / "docs/plan-outputs/renamed/status.json"
    named.parent.mkdir(parents=True)
    named.write_text(status_for(GOOD_TASKS).replace('"planPath": ', '"planPath"  :\n  '))
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    pairer = Pairer(Config(root=tmp_path))
    assert pairer.status_for(plan) == named.resolve()
    for n in range(3):
        assert pairer.status_for(tmp_path / f"docs/plans/gone{n}.md") is None
    assert pairer.status_for(tmp_path / "docs/plans/other.md") == tmp_path / "docs/plan-outputs/other0/status.json"
    # each file read once for its planPath spellings; the two that spell the name, once more to parse
    assert sorted(map(str, reads)) == sorted(
        map(str, [*pairer.status_files, named, tmp_path / "docs/plan-outputs/other0/status.json"])
    )


def test_config_glob_with_stem_placeholder_wins(tmp_path: Path) -> None:
    plan, _ = repo(tmp_path, status_for(GOOD_TASKS))
    custom = tmp_path / "progress/tokens.json"
    custom.parent.mkdir()
    custom.write_text(status_for(GOOD_TASKS))
    config = Config(root=tmp_path, status=("progress/{stem}.json",))
    assert Pairer(config).status_for(plan) == custom


def test_clean_pair_has_no_findings(tmp_path: Path) -> None:
    plan, _ = repo(tmp_path, status_for(GOOD_TASKS))
    assert codes(check_paths([plan], Config(root=tmp_path))) == []


def test_stale_plan_path_after_archiving_is_pl209_only(tmp_path: Path) -> None:
    plan, _ = repo(tmp_path, status_for(GOOD_TASKS), archived=True)
    results = check_paths([plan], Config(root=tmp_path))
    (diagnostic,) = results[0].diagnostics
    assert diagnostic.code == "PL209"
    assert "planPath is 'docs/plans/tokens.md' but the plan is at 'docs/plans/archive/tokens.md'" in diagnostic.message


def test_checking_only_the_status_file_still_checks_the_pair(tmp_path: Path) -> None:
    tasks = [task("1.1", "Add `create_token()` to `src/tokens.py`")]  # 1.2 missing
    _, status = repo(tmp_path, status_for(tasks))
    results = check_paths([status], Config(root=tmp_path))
    assert codes(results) == [("tokens.md", "PL203", 6)]


def test_status_checked_once_when_plan_and_status_are_both_given(tmp_path: Path) -> None:
    plan, status = repo(tmp_path, status_for([*GOOD_TASKS, task("1.3", "Gone")]))
    results = check_paths([status, plan], Config(root=tmp_path))
    assert [d.code for r in results for d in r.diagnostics] == ["PL204"]


def test_status_without_a_plan_is_reported_once(tmp_path: Path) -> None:
    status = tmp_path / "docs/plan-outputs/orphan/status.json"
    status.parent.mkdir(parents=True)
    status.write_text(status_for(GOOD_TASKS, plan_path="docs/plans/orphan.md"))
    results = check_paths([status], Config(root=tmp_path))
    assert [(d.code, d.message) for d in results[0].diagnostics] == [
        ("PL209", "no plan found for this status file (planPath: docs/plans/orphan.md)")
    ]


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("", "PL201", 1),
        ('{\n  "planPath": "x",\n}\n', "PL201", 2),
        ("[1, 2, 3]\n", "PL202", 1),
        ("[" * 3000 + "]" * 3000, "PL201", 1),
    ],
)
def test_bad_status_files_are_one_diagnostic(tmp_path: Path, content: str, code: str, line: int) -> None:
    status = tmp_path / "status.json"
    status.write_text(content)
    results = check_paths([status], Config(root=tmp_path))
    found = [(d.code, results[0].locate(d.span)[0]) for d in results[0].diagnostics if d.code != "PL209"]
    assert found == [(code, line)]


def test_non_utf8_status_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "status.json").write_bytes(b'{"planName": "Caf\xe9"}')
    result = run_cli("check", "status.json", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "status.json:1: error: not valid UTF-8" in result.stderr


@pytest.mark.slow  # a status.json of thousands of tasks
def test_large_status_file_is_checked(tmp_path: Path) -> None:
    tasks = [task(f"1.{i}", f"Task number {i}", "completed") for i in range(1, 20001)]
    text = status_for(tasks, summary={"totalTasks": 20000, "completed": 19999})
    (tmp_path / "status.json").write_text(text)
    assert len(text) > 2_000_000
    results = check_paths([tmp_path / "status.json"], Config(root=tmp_path).with_overrides(select=["PL207", "PL202"]))
    assert [(d.code, d.message) for d in results[0].diagnostics] == [
        ("PL207", "summary.completed says 19999 but the tasks give 20000")
    ]


def test_did_you_mean_for_a_typo_key(tmp_path: Path) -> None:
    tasks = [dict(GOOD_TASKS[0], depends_on=["1.2"]), GOOD_TASKS[1]]
    plan, _ = repo(tmp_path, status_for(tasks))
    (diagnostic,) = check_paths([plan], Config(root=tmp_path))[0].diagnostics
    assert diagnostic.code == "PL202"
    assert diagnostic.message == "/tasks/0/depends_on: unknown key 'depends_on'; did you mean 'dependencies'?"


@pytest.mark.slow  # validates every status file of the corpus
def test_shipped_schema_is_backward_compatible_with_the_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    from jsonschema import Draft7Validator

    from planlint.analysis.schema import load_schema

    original = Draft7Validator(json.loads((CORPUS / "scripts/lib/schemas/plan-status.json").read_text()))
    ours = Draft7Validator(load_schema(None))
    files = sorted((CORPUS / "docs/plan-outputs").rglob("status.json"))
    assert len(files) == 43
    for path in files:
        data = json.loads(path.read_text())
        if original.is_valid(data):
            assert ours.is_valid(data), path


def test_schema_command_prints_the_shipped_schema() -> None:
    result = run_cli("schema", "status")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    constraints = schema["properties"]["tasks"]["items"]["properties"]["executionConstraints"]["properties"]
    assert set(constraints) == {"sequential", "sequentialGroup", "reason", "conflictsWith", "dependsOn"}
    assert "sequentialGroups" in schema["properties"]
