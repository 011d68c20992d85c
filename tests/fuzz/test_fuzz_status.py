"""Property-based fuzzing of the status.json fixes (PL207 summary counts, PL208 stale
executionConstraints) with the documents an orchestrator and a person editing by hand produce:
any subset of the plan's tasks plus unknown ones, every status, summaries right, wrong, partial
or absent, constraints stale, foreign or absent, extra keys, any key order, 2- or 4-space or tab
indentation, LF or CRLF, with or without a final newline, escaped or raw Unicode.

The properties are the standard every write keeps ("nothing is lost"): the fixer accepts its own
fixes; the result is JSON with every member outside `summary` and `executionConstraints` equal to
what it was, in the same order; the newline style stays; and a second fix changes nothing.
`PLANLINT_FUZZ_EXAMPLES` sets the number of examples, as in tests/fuzz/test_fuzz.py.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.config import Config
from planlint.fix.loop import FixOutcome, fix_pair
from planlint.text import SourceText
from tests.fuzz.test_fuzz import FUZZ

pytestmark = pytest.mark.slow  # hypothesis fuzzing of status fixes and --into-status

ROOT = Path("/nonexistent-planlint-fuzz-root")  # no files: reference rules find nothing to read
PLAN_PATH = ROOT / "docs/plans/export.md"
STATUS_PATH = ROOT / "docs/plan-outputs/export/status.json"
PLAN = """# Implementation Plan: Export

## Phase 1: Writers

**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - both modify `src/export.py`

- [ ] 1.1 Add a CSV writer to `src/export.py`
- [ ] 1.2 Add a JSON writer to `src/export.py`
- [ ] 1.3 Document the formats in `docs/export.md` (depends: 1.1)

## Phase 2: Command

- [ ] 2.1 Add the `export` command to `src/cli.py`
- [ ] 2.2 Test the command in `tests/test_cli.py` (depends: 2.1)
"""
PHASES = {"1": "Phase 1: Writers", "2": "Phase 2: Command"}
STATUSES = ("pending", "in_progress", "completed", "failed", "skipped")
COUNTS = ("totalTasks", *STATUSES)
FIXED_KEYS = ("summary",)  # top-level members a fix may change; in task entries: executionConstraints


@lru_cache(maxsize=1)
def all_rules() -> Config:
    return Config(root=ROOT).with_overrides(select=["ALL"])


small_ints = st.integers(0, 12)
json_scalars = st.none() | st.booleans() | small_ints | st.text(max_size=8)
foreign = st.dictionaries(st.sampled_from(["notes", "owner", "runs", "x-custom", "é"]), json_scalars, max_size=3)
constraints = (
    st.none()
    | foreign
    | st.fixed_dictionaries(
        {"sequential": st.booleans(), "dependsOn": st.lists(st.sampled_from(["1.1", "2.1", "9.9"]), max_size=2)}
    )
)


@st.composite
def task_entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(st.sampled_from(["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1"]), unique=True, max_size=7))
    entries = []
    for task_id in ids:
        entry: dict[str, Any] = {
            "id": task_id,
            "phase": PHASES.get(task_id[0], "Phase 3: Gone"),
            "description": draw(st.sampled_from(["Add a CSV writer to `src/export.py`", "Something else", ""])),
            "status": draw(st.sampled_from((*STATUSES, "blocked"))),
        }
        recorded = draw(constraints)
        if recorded is not None:
            entry["executionConstraints"] = recorded
        entry.update(draw(foreign))
        order = draw(st.permutations(list(entry)))
        entries.append({key: entry[key] for key in order})
    return entries


@st.composite
def status_texts(draw: st.DrawFn) -> str:
    tasks = draw(task_entries())
    document: dict[str, Any] = {
        "planPath": "docs/plans/export.md",
        "planName": "Implementation Plan: Export",
        "createdAt": "2026-01-01T00:00:00Z",
        "tasks": tasks,
    }
    summary_kind = draw(st.sampled_from(["right", "wrong", "partial", "absent", "not-an-object"]))
    if summary_kind != "absent":
        right = {key: sum(1 for t in tasks if t["status"] == key) for key in STATUSES}
        right = {"totalTasks": len(tasks), **right}
        if summary_kind == "wrong":
            right = {key: draw(small_ints) for key in right}
        elif summary_kind == "partial":
            right = {key: value for key, value in right.items() if draw(st.booleans())}
        document["summary"] = right if summary_kind != "not-an-object" else draw(json_scalars)
    document.update(draw(foreign))
    order = draw(st.permutations(list(document)))
    ordered = {key: document[key] for key in order}
    indent = draw(st.sampled_from([2, 4, "\t"]))
    text = json.dumps(ordered, indent=indent, ensure_ascii=draw(st.booleans()))
    text += "\n" if draw(st.booleans()) else ""
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


def fixed(status_text: str) -> tuple[str, FixOutcome]:
    plan = SourceText.from_text(PLAN, PLAN_PATH)
    status = SourceText.from_text(status_text, STATUS_PATH)
    outcome = fix_pair(plan, status, all_rules(), unsafe=True, root=ROOT)
    assert outcome.texts[PLAN_PATH] == PLAN, "a status fix changed the plan"
    return outcome.texts[STATUS_PATH], outcome


def without_fixable(value: Any) -> Any:
    """The document with what the status fixes may change taken out."""
    if isinstance(value, dict):
        return {k: without_fixable(v) for k, v in value.items() if k not in ("summary", "executionConstraints")}
    if isinstance(value, list):
        return [without_fixable(item) for item in value]
    return value


@FUZZ
@given(status_texts())
def test_status_fixes_keep_everything_else_and_are_idempotent(text: str) -> None:
    once, outcome = fixed(text)
    assert outcome.refused is None, outcome.refused
    before, after = json.loads(text), json.loads(once)
    kept_before, kept_after = without_fixable(before), without_fixable(after)
    assert kept_after == kept_before
    assert json.dumps(kept_after) == json.dumps(kept_before), "member order changed"
    if "\r\n" in text:
        assert "\n" not in once.replace("\r\n", ""), "a bare LF in a CRLF file"
    else:
        assert "\r" not in once
    assert once.endswith("\n") == text.endswith("\n")
    twice, _ = fixed(once)
    assert twice == once, "a second fix changed the status again"


def into_status(status_text: str) -> str:
    from planlint.emit.into_status import updated_status_text
    from planlint.emit.scheduling import plan_scheduling
    from planlint.parse.plan import parse_plan

    analysis = plan_scheduling(parse_plan(SourceText.from_text(PLAN, PLAN_PATH)), config=all_rules(), root=ROOT)
    return updated_status_text(analysis, SourceText.from_text(status_text, STATUS_PATH))


@FUZZ
@given(status_texts())
def test_emit_into_status_keeps_everything_else_and_is_idempotent(text: str) -> None:
    """`emit --into-status` adds executionConstraints and sequentialGroups and nothing else; after
    it, PL208 finds nothing stale; a second run changes nothing."""
    once = into_status(text)
    before, after = json.loads(text), json.loads(once)
    ignored = ("summary", "executionConstraints", "sequentialGroups")

    def kept(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: kept(v) for k, v in value.items() if k not in ignored}
        if isinstance(value, list):
            return [kept(item) for item in value]
        return value

    assert json.dumps(kept(after)) == json.dumps(kept(before))
    assert after.get("summary") == before.get("summary")
    assert "\r" not in once if "\r\n" not in text else "\n" not in once.replace("\r\n", "")
    assert into_status(once) == once
    _, outcome = fixed(once)
    assert not [d for d in outcome.applied if d.code == "PL208"], "emit wrote constraints PL208 calls stale"
