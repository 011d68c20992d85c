"""Property-based fuzzing of the dialect readers (DESIGN.md §7) with generated spec-kit, Kiro and
files-block plans: parallel markers, story labels, heading tasks, nested and flat sub-tasks,
Files blocks, dependencies (sometimes on missing or later tasks), shared files, checked boxes,
CRLF.

Properties, for every generated plan:

- it is detected as its dialect; parsing and linting never raise, and every span lies in the text;
- the safe fixes are accepted, a second fix changes nothing, and no fixable PL101 is left after them;
- emit on a plan it would not refuse follows the schema, its waves are sound, and a wave never
  mixes two lanes (the runs of `[P]`/`(P)` tasks run one after the other);
- `next` returns pending tasks of one lane whose earlier lanes are done, none sharing a file
  one of them writes.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.config import Config
from planlint.engine import lint_plan
from planlint.model import Plan
from planlint.parse.plan import parse_plan
from planlint.text import SourceText
from tests.fuzz.test_fuzz import FUZZ, check_diagnostics

pytestmark = pytest.mark.slow  # hypothesis fuzzing of the dialect readers (about half a minute)

FILES = ["src/a.py", "src/b.py", "src/c/d.py", "docs/e.md"]
VERBS = ["Create", "Update", "Add logging to", "Review", "Test"]


@st.composite
def reference(draw: st.DrawFn) -> str:
    path = draw(st.sampled_from(FILES))
    return f"{draw(st.sampled_from(VERBS))} {draw(st.sampled_from([path, f'`{path}`']))}"


@st.composite
def spec_kit_text(draw: st.DrawFn) -> str:
    lines = ["# Tasks: Fuzz", ""]
    number = 0
    for phase in range(1, draw(st.integers(1, 3)) + 1):
        decimal = draw(st.booleans())
        lines += [f"## Phase {'3.' if decimal else ''}{phase}: Part {phase}", ""]
        for _ in range(draw(st.integers(0, 6))):
            number += draw(st.sampled_from([1, 1, 1, 0, 2]))  # sometimes a duplicate or a gap
            task_id = f"T{number:03d}"
            labels = ""
            if draw(st.booleans()):
                labels += " [P]"
            if draw(st.booleans()):
                labels += f" [US{draw(st.integers(1, 3))}]"
            depends = ""
            if draw(st.integers(0, 4)) == 0:
                depends = f" (depends on T{draw(st.integers(1, number + 2)):03d})"
            text = draw(reference()) + depends
            if draw(st.integers(0, 5)) == 0:  # the older heading form
                lines += [f"### {task_id}{labels}: {text}", f"**Path**: `{draw(st.sampled_from(FILES))}`", ""]
            else:
                box = draw(st.sampled_from([" ", " ", "x"]))
                lines.append(f"- [{box}] {task_id}{labels} {text}")
        lines.append("")
    if number and draw(st.booleans()):  # a Dependencies section naming tasks, some missing
        lines += ["## Dependencies & Execution Order", "", "- Models before services"]
        for _ in range(draw(st.integers(1, 3))):
            a, b = draw(st.integers(1, number + 1)), draw(st.integers(1, number + 1))
            form = draw(
                st.sampled_from(["- T{a:03d} → T{b:03d}", "- T{b:03d} depends on T{a:03d}", "T{a:03d} -> T{b:03d}"])
            )
            lines.append(form.format(a=a, b=b))
        lines.append("")
    return "\n".join(lines) + "\n"


@st.composite
def kiro_text(draw: st.DrawFn) -> str:
    lines = ["# Implementation Plan", ""]
    for major in range(1, draw(st.integers(1, 4)) + 1):
        parallel = " (P)" if draw(st.integers(0, 3)) == 0 else ""
        box = draw(st.sampled_from([" ", " ", "x"]))
        subs = draw(st.integers(0, 4))
        if subs and draw(st.integers(0, 3)) == 0:  # the major task as a heading
            lines += [f"## {major}. Group {major}", ""]
        else:
            lines.append(f"- [{box}] {major}.{parallel} {draw(reference()) if not subs else 'Group ' + str(major)}")
        nested = draw(st.booleans())
        indent = "  " if nested else ""
        for sub in range(1, subs + 1):
            parallel = " (P)" if draw(st.booleans()) else ""
            box = draw(st.sampled_from([" ", " ", "x"]))
            lines.append(f"{indent}- [{box}] {major}.{sub}{parallel} {draw(reference())}")
            if draw(st.booleans()):
                lines.append(f"{indent}  - {draw(reference())}")
            if draw(st.integers(0, 3)) == 0:
                lines.append(f"{indent}  - _Depends: {draw(st.integers(1, major))}.{draw(st.integers(1, 4))}_")
            lines.append(f"{indent}  - _Requirements: {major}.{sub}, {draw(st.integers(1, 9))}.1_")
        lines.append("")
    return "\n".join(lines) + "\n"


@st.composite
def files_block_text(draw: st.DrawFn) -> str:
    lines = ["# Feature Implementation Plan", "", "**Goal:** fuzz.", ""]
    number = 0
    phases = draw(st.integers(0, 3))
    for phase in range(1, max(phases, 1) + 1):
        if phases:
            lines += [f"## Phase {phase}: Part {phase}", ""]
        for _ in range(draw(st.integers(1, 4))):
            number += draw(st.sampled_from([1, 1, 1, 0]))
            minor = f".{draw(st.integers(1, 3))}" if draw(st.integers(0, 4)) == 0 else ""
            lines += [f"### Task {number}{minor}: Step {number}", ""]
            if draw(st.integers(0, 3)) == 0:
                lines += [f"**Dependencies:** Task {draw(st.integers(1, number + 1))}", ""]
            lines.append(draw(st.sampled_from(["**Files:**", "**File:**"])))
            for _ in range(draw(st.integers(1, 3))):
                label = draw(st.sampled_from(["Create", "Modify", "Test", "Read", "Reference"]))
                lines.append(f"- {label}: `{draw(st.sampled_from(FILES))}`")
            lines.append("")
            if draw(st.booleans()):
                lines += [f"**Step 1:** {draw(reference())}", "", "Run: `pytest -v`", ""]
    return "\n".join(lines) + "\n"


dialect_text = st.one_of(
    spec_kit_text().map(lambda t: ("spec-kit", t)),
    kiro_text().map(lambda t: ("kiro", t)),
    files_block_text().map(lambda t: ("files-block", t)),
)


def parse(text: str) -> Plan:
    return parse_plan(SourceText.from_text(text, "tasks.md"))


def all_rules() -> Config:
    return Config().with_overrides(select=["ALL"])


@FUZZ
@given(dialect_text, st.booleans())
def test_dialect_plans_are_detected_parse_and_lint_in_bounds(case: tuple[str, str], crlf: bool) -> None:
    dialect, text = case
    if crlf:
        text = text.replace("\n", "\r\n")
    plan = parse(text)
    if plan.phases and any(True for _ in plan.tasks()):
        assert plan.dialect == dialect
    check_diagnostics(lint_plan(plan, all_rules()), plan)


@FUZZ
@given(dialect_text)
def test_dialect_fixes_are_accepted_idempotent_and_leave_no_conflict(case: tuple[str, str]) -> None:
    from planlint.fix.loop import fix_pair

    _, text = case
    source = SourceText.from_text(text, "tasks.md")
    outcome = fix_pair(source, None, all_rules())
    ids = [str(t.id) for t in parse(text).tasks()]
    if outcome.refused is not None and len(ids) != len(set(ids)):
        assert outcome.texts[source.path] == text
        return
    assert outcome.refused is None, outcome.refused
    once = outcome.texts[source.path]
    again = fix_pair(SourceText.from_text(once, "tasks.md"), None, all_rules())
    assert again.texts[source.path] == once
    if len(ids) == len(set(ids)):  # a conflict left after the fixes is one no fix was offered for
        assert not [d for d in lint_plan(parse(once), all_rules()) if d.code == "PL101" and d.fix is not None]


def lanes_of(plan: Plan) -> dict[str, int]:
    return {str(t.id): t.lane for t in plan.tasks() if t.parent is None and t.lane is not None}


@FUZZ
@given(dialect_text)
def test_dialect_emit_keeps_lanes_apart_and_schedules_soundly(case: tuple[str, str]) -> None:
    from tests.emit.test_emit import sound_document

    _, text = case
    plan = parse(text)
    document = sound_document(plan)
    if document is None:
        return
    lane = lanes_of(plan)
    for wave in document["waves"]:
        assert len({lane[t] for t in wave}) == 1, wave
    order = [lane[t] for wave in document["waves"] for t in wave]
    assert order == sorted(order)


@FUZZ
@given(dialect_text, st.integers(1, 5))
def test_dialect_next_returns_one_open_lane_without_shared_files(case: tuple[str, str], count: int) -> None:
    from planlint.emit.document import constraints
    from planlint.emit.next import next_batch
    from planlint.emit.scheduling import blocking_findings

    _, text = case
    plan = parse(text)
    if blocking_findings(plan, Config()):
        return
    document = constraints(plan)
    tasks = document["tasks"]
    checked = {str(t.id) for t in plan.tasks() if t.parent is None and t.checked}
    batch = next_batch(plan, None, count)
    returned = [t["id"] for t in batch["tasks"]]
    assert len(set(returned)) == len(returned) <= count
    lane = lanes_of(plan)
    assert len({lane[t] for t in returned}) <= 1
    for task_id in returned:
        assert task_id not in checked
        assert all(other in checked for other in tasks if lane[other] < lane[task_id]), task_id
        writes = set(tasks[task_id]["files"]["writes"])
        for other in returned:
            if other != task_id:
                files = tasks[other]["files"]
                assert not writes & (set(files["writes"]) | set(files["reads"])), (task_id, other)
    assert {h["id"] for h in batch["heldBack"]} == set(tasks) - checked - set(returned)
