"""Bad input that used to end in "planlint: internal error" (issue 20, item 7), through the CLI.

Integers longer than Python converts (4,300 digits) anywhere in a plan or status.json are
refused where the file is read, with one line naming the file and line; a lone surrogate in
status.json (`"pending\\ud800"`) is printed as its escape; a user schema that is not a JSON
Schema (`{"type": 5}`) or has a `$ref` that resolves nowhere is one line naming the schema.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

LIMIT = sys.get_int_max_str_digits() or 4300
HUGE = "9" * (LIMIT + 1)
PLAN = "# Plan\n\n## Phase 1: One\n\n- [ ] 1.1 Update `src/a.py`\n- [ ] 1.2 Update `src/b.py` (depends on 1.1)\n"

# Every place a digit run from a plan became an int (each raised ValueError before).
HUGE_PLANS = {
    "task-id": PLAN + f"- [ ] 1.{HUGE} Update `src/c.py`\n",
    "phase": PLAN + f"\n## Phase {HUGE}: Two\n\n- [ ] 2.1 Update `src/c.py`\n",
    "line-range": PLAN + f"- [ ] 1.3 Edit `src/a.py:1-{HUGE}`\n",
    "line": PLAN + f"- [ ] 1.3 Edit `src/a.py:{HUGE}`\n",
    "note-range": PLAN.replace("- [ ] 1.1", f"**Execution Note:** Tasks 1.1-1.{HUGE} are [SEQUENTIAL]\n\n- [ ] 1.1"),
    "dependency": PLAN + f"- [ ] 1.3 Update `src/c.py` (depends on 1.{HUGE})\n",
    "labelled": f"# Plan\n\n## Phase {HUGE}\n\n### Task {HUGE}.1: Do it\n\n**Files:** `src/a.py`\n",
    "verify": PLAN + f"- [ ] VERIFY {HUGE}: run the tests\n",
    "arabic-indic": PLAN + f"- [ ] 1.{'٣' * (LIMIT + 1)} Update `src/c.py`\n",
}


def status(**changes: object) -> dict[str, object]:
    return {
        "planPath": "docs/plans/p.md",
        "planName": "P",
        "createdAt": "2026-01-01T00:00:00Z",
        "tasks": [
            {"id": "1.1", "phase": "Phase 1: One", "description": "Update `src/a.py`", "status": "pending"},
            {"id": "1.2", "phase": "Phase 1: One", "description": "Update `src/b.py`", "status": "pending"},
        ],
        **changes,
    }


def project(tmp_path: Path, plan: str, status_text: str | None = None) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs/plans").mkdir(parents=True)
    (tmp_path / "docs/plans/p.md").write_text(plan, encoding="utf-8")
    if status_text is not None:
        (tmp_path / "docs/plan-outputs/p").mkdir(parents=True)
        (tmp_path / "docs/plan-outputs/p/status.json").write_text(status_text, encoding="utf-8")
    return tmp_path


def assert_one_line(result: object, path: str, words: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "internal error" not in stderr and "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(path) and words in errors[0], stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HUGE_PLANS))
def test_a_huge_integer_in_a_plan_is_one_line(tmp_path: Path, name: str) -> None:
    root = project(tmp_path, HUGE_PLANS[name])
    line = next(i for i, text in enumerate(HUGE_PLANS[name].splitlines(), 1) if len(text) > LIMIT)
    for command in ("check", "fix", "emit", "next"):
        result = run_cli(command, "docs/plans/p.md", cwd=root)
        assert_one_line(result, f"docs/plans/p.md:{line}: error: ", f"more than {LIMIT:,} digits")
    assert (root / "docs/plans/p.md").read_text(encoding="utf-8") == HUGE_PLANS[name]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(status(attempts=0)).replace('"attempts": 0', f'"attempts": {HUGE}'),
        json.dumps(status(summary={"totalTasks": 0})).replace('"totalTasks": 0', f'"totalTasks": -{HUGE}'),
        json.dumps(status()).replace("Phase 1: One", f"Phase {HUGE}: One", 1),
        json.dumps(status()).replace('"1.1"', f'"1.{HUGE}"', 1),
        json.dumps(status()).replace('"1.1"', '"' + "\\u0661" * (LIMIT + 1) + '"', 1),  # found by the fuzz
    ],
    ids=["number", "summary-count", "phase-string", "task-id", "escaped-digits"],
)
def test_a_huge_integer_in_status_json_is_one_line(tmp_path: Path, text: str) -> None:
    root = project(tmp_path, PLAN, text)
    result = run_cli("check", "docs/plan-outputs/p/status.json", cwd=root)
    assert_one_line(result, "docs/plan-outputs/p/status.json:1: error: ", "digits")
    for args in (["next", "docs/plans/p.md"], ["emit", "docs/plans/p.md", "--into-status"]):
        result = run_cli(*args, cwd=root)  # the paired status is named by its absolute path
        assert_one_line(result, str(root / "docs/plan-outputs/p/status.json:1: error: "), "digits")
    assert (root / "docs/plan-outputs/p/status.json").read_text() == text


def test_a_lone_surrogate_in_a_status_is_printed_as_its_escape(tmp_path: Path) -> None:
    text = json.dumps(status()).replace('"status": "pending"', '"status": "pending\\ud800"', 1)
    root = project(tmp_path, PLAN, text)
    result = run_cli("next", "docs/plans/p.md", cwd=root)
    assert result.returncode == 0, result.stderr
    held = json.loads(result.stdout)["heldBack"]
    assert held == [{"id": "1.2", "reason": "waits for 1.1 (pending\ud800)"}]  # the same JSON string
    for args in (
        ["check", "docs"],
        ["check", "--format", "json", "docs"],
        ["emit", "docs/plans/p.md", "--into-status"],
    ):
        result = run_cli(*args, cwd=root)
        assert result.returncode in (0, 1), result.stderr
        assert "internal error" not in result.stderr


def test_a_lone_surrogate_in_a_report_file_or_baseline_is_written_as_its_escape(tmp_path: Path) -> None:
    text = json.dumps(status()).replace('"id": "1.1"', '"id": "1.1\\ud800"', 1)
    root = project(tmp_path, PLAN, text)
    result = run_cli("check", "docs", "--format", "json", "--output-file", "report.json", cwd=root)
    assert result.returncode == 1, result.stderr
    messages = [d["message"] for d in json.loads((root / "report.json").read_text())]
    assert "status task 1.1\ud800 is not a task of docs/plans/p.md" in messages
    result = run_cli("check", "docs", "--write-baseline", "baseline.json", cwd=root)
    assert result.returncode == 0, result.stderr
    result = run_cli("check", "docs", "--baseline", "baseline.json", cwd=root)
    assert result.returncode == 0 and "baselined" in result.stdout + result.stderr, result.stderr


def test_an_undecodable_file_name_is_printed_as_its_escape(tmp_path: Path) -> None:
    result = run_cli("check", "\udcff.md", cwd=tmp_path)  # the name given as the byte 0xff
    assert_one_line(result, "\\udcff.md: error: ", "no such file")


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        ({"type": 5}, "not a valid JSON Schema: /type: 5 is not valid"),
        ({"type": "object", "required": 5}, "/required: 5 is not of type 'array'"),
        ({"properties": {"tasks": 5}}, "/properties/tasks: 5 is not of type"),
        ({"properties": {"planName": {"pattern": "(["}}}, "is not a 'regex'"),
        ([1], "a schema is an object or a boolean, not list"),
        ({"$ref": "#/definitions/nowhere"}, "a $ref that cannot be resolved: /definitions/nowhere"),
        ({"properties": {"tasks": {"$ref": "other.json"}}}, "a $ref that cannot be resolved: other.json"),
        ({"$ref": "https://example.invalid/s.json"}, "cannot be resolved: https://example.invalid/s.json"),
        ({"$ref": "#"}, "refers to itself without end"),
    ],
)
def test_a_broken_user_schema_is_one_line(tmp_path: Path, schema: object, words: str) -> None:
    root = project(tmp_path, PLAN, json.dumps(status()))
    (root / "schema.json").write_text(json.dumps(schema))
    (root / ".planlint.toml").write_text('schema = "schema.json"\n')
    result = run_cli("check", "docs", cwd=root)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "schema.json: error: " in lines[0] and words in lines[0], result.stderr
