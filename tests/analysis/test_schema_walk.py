"""The shipped status schema checked without jsonschema when a document is valid (issue 18 item 2).

`planlint.analysis.schema` walks a document over the keywords of the shipped schema and hands
jsonschema only the values that fail their own keywords. The property: for any document, the
findings are exactly those of jsonschema validating the whole document (same pointers, same
words, same order). The documents are drawn from the schema itself, each value either valid or,
now and then, any JSON value at all (wrong types, empty strings, bad IDs, negative counts,
floats that are integers, booleans that are not).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.analysis import schema
from planlint.analysis.schema import load_schema, violations

SHIPPED = load_schema(None)
assert isinstance(SHIPPED, dict)

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, -1.5, 2.5]) | st.text(max_size=4)
    | st.sampled_from(["", "1.1", "V2", "1.2.3", "x1.1", "pending", "done", "2026-01-01T00:00:00Z"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "a", "status"]), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def valid(sub: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of sub's type, at and across its bounds, whose parts are drawn from their own subschemas."""
    kind = sub.get("type")
    if "enum" in sub:
        return st.sampled_from([*sub["enum"], "done"])
    if kind == "object":
        properties = sub.get("properties", {})
        required = set(sub.get("required", ()))
        return st.fixed_dictionaries(
            {k: value(s) for k, s in properties.items() if k in required},
            optional={k: value(s) for k, s in properties.items() if k not in required},
        )
    if kind == "array":
        return st.lists(value(sub.get("items", {})), max_size=4)
    if kind == "string":
        if "pattern" in sub:
            return st.sampled_from(["1.1", "2.10", "3.1.4", "V1", "12.3", "x1.1", "1.1.1.1", ""])
        return st.text(min_size=sub.get("minLength", 0), max_size=5)
    if kind == "integer":
        return st.integers(sub.get("minimum", 0) - 2, 50) | st.sampled_from([1.0, 2.5])
    if kind == "number":
        return st.integers(0, 9) | st.floats(0, 9)
    if kind == "boolean":
        return st.booleans()
    return junk


def value(sub: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Valid for sub 15 times in 16, else any JSON value."""
    return st.deferred(lambda: st.integers(0, 15).flatmap(lambda n: junk if n == 0 else valid(sub)))


documents = st.integers(0, 9).flatmap(lambda n: junk if n == 0 else valid(SHIPPED))


def by_jsonschema_alone(data: Any) -> list[schema.Violation]:
    with mock.patch.object(schema, "_shipped_walkable", return_value=False):
        return list(violations(data))


@pytest.mark.slow  # hypothesis, about 10 s
@settings(max_examples=300, deadline=None, derandomize=True)
@given(documents)
def test_the_walk_finds_what_jsonschema_finds(data: Any) -> None:
    assert list(violations(data)) == by_jsonschema_alone(data)


def test_each_failing_value_is_worded_by_jsonschema() -> None:
    tasks = [{"id": f"1.{n}", "description": "d", "status": "done"} for n in range(5)]
    tasks.append({"id": "1.9", "status": "pending"})
    tasks.append({"id": "x", "description": "", "status": "pending", "duration": True})
    data = {"planPath": "p.md", "planName": "P", "createdAt": "now", "tasks": tasks, "summary": {"failed": -1}}
    found = list(violations(data))
    assert found == by_jsonschema_alone(data)
    assert [v.message for v in found] == [  # by position
        "/summary/failed: -1 is less than the minimum of 0",
        *(f"/tasks/{n}/status: 'done' is not one of ['pending', 'in_progress', 'completed', 'failed', 'skipped']"
          for n in range(5)),
        "/tasks/5: 'description' is a required property",
        "/tasks/6/description: '' should be non-empty",
        "/tasks/6/duration: True is not of type 'number'",
        "/tasks/6/id: 'x' does not match '^(\\\\d+\\\\.\\\\d+(\\\\.\\\\d+)?|V\\\\d+)$'",
    ]  # fmt: skip


def test_a_schema_the_walk_does_not_model_goes_to_jsonschema_whole() -> None:
    assert schema._walkable(SHIPPED)
    assert not schema._walkable({**SHIPPED, "additionalProperties": False})
    assert not schema._walkable({**SHIPPED, "$schema": "https://json-schema.org/draft/2020-12/schema"})
    nested = json.loads(json.dumps(SHIPPED))
    nested["properties"]["tasks"]["items"]["properties"]["id"]["anyOf"] = [{"type": "string"}]
    assert not schema._walkable(nested)


def loaded_after_check(root: Path) -> set[str]:
    code = (
        "import sys\nfrom planlint.cli import main\n"
        "try:\n"
        "    main(['check', 'docs/plans/p.md', '--quiet'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_a_valid_status_file_is_checked_without_importing_jsonschema(tmp_path: Path) -> None:
    (tmp_path / "docs/plans").mkdir(parents=True)
    (tmp_path / "docs/plans/p.md").write_text("# Plan: P\n\n## Phase 1: A\n\n- [ ] 1.1 Add `b`\n", encoding="utf-8")
    folder = tmp_path / "docs/plan-outputs/p"
    folder.mkdir(parents=True)
    entry = {"id": "1.1", "phase": "Phase 1: A", "description": "Add `b`", "status": "pending"}
    document = {"planPath": "docs/plans/p.md", "planName": "P", "createdAt": "2026-01-01T00:00:00Z", "tasks": [entry]}
    (folder / "status.json").write_text(json.dumps(document), encoding="utf-8")
    modules = loaded_after_check(tmp_path)
    assert "planlint.analysis.schema" in modules  # the status file was checked
    assert "jsonschema" not in modules
    entry["status"] = "done"
    (folder / "status.json").write_text(json.dumps(document), encoding="utf-8")
    assert "jsonschema" in loaded_after_check(tmp_path)  # a violation is worded by jsonschema
