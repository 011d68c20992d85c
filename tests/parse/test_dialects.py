"""Dialects (DESIGN.md §7): spec-kit and Kiro/cc-sdd plans are detected from their content (or
set per glob in the config), read into the same model, checked for same-file conflicts in their
own concurrency semantics, fixed in their own words, and scheduled by emit and next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.api import check_paths
from planlint.config import Config
from planlint.emit.document import constraints
from planlint.emit.next import next_batch
from planlint.engine import lint_plan
from planlint.errors import ConfigError
from planlint.model import TaskId
from planlint.parse.dialects import detect
from planlint.parse.plan import parse_plan
from planlint.text import SourceText
from tests.conftest import run_cli

SPEC_KIT = """\
# Tasks: Team Invitations

## Phase 1: Setup

- [ ] T001 Create the invitations package in src/invitations/__init__.py
- [ ] T002 [P] Add the mailer dependency to pyproject.toml
- [ ] T003 [P] Configure the invitation settings in src/invitations/settings.py

## Phase 2: User Story 1 - Invite a teammate (Priority: P1)

- [ ] T004 [P] [US1] Create the Invitation model in src/invitations/models.py
- [ ] T005 [P] [US1] Create the InvitationToken helper in src/invitations/tokens.py
- [ ] T006 [P] [US1] Add the expiry field to the Invitation model in src/invitations/models.py
- [ ] T007 [US1] Implement InvitationService in src/invitations/service.py (depends on T004, T005)
- [ ] T008 [US1] Add the POST /invitations endpoint in src/invitations/service.py
"""

KIRO = """\
# Implementation Plan

- [ ] 1. Set up the notification foundation
- [ ] 1.1 (P) Create the channel registry in `src/notify/registry.ts`
  - _Requirements: 1.1, 1.2_
  - _Boundary: ChannelRegistry_
- [ ] 1.2 (P) Add the template renderer in `src/notify/templates.ts`
  - _Requirements: 1.3_
- [ ] 1.3 (P) Add an SMS channel to `src/notify/registry.ts`
  - _Requirements: 2.5_

- [ ] 2. Deliver notifications
  - [ ] 2.1 Implement the delivery queue in `src/notify/queue.ts`
    - _Requirements: 3.1_
  - [ ] 2.2 Retry failed deliveries in `src/notify/queue.ts`
    - _Depends: 2.1_
    - _Requirements: 3.2_

- [ ] 3. Wire the notifier into `src/app.ts`
  - _Requirements: 4.1_
"""

PHASED = """\
# Implementation Plan: Auth

## Phase 1: Tokens

- [ ] 1.1 Add token parsing to `src/auth.py`
- [ ] 1.2 Add token expiry to `src/auth.py`
"""


def parse(text: str, name: str = "tasks.md", dialect: str | None = None):  # type: ignore[no-untyped-def]
    return parse_plan(SourceText.from_text(text, name), dialect)


# The plans name files of no repository: leave the file checks (PL3xx) out.
NO_FILES = Config().with_overrides(ignore=["PL3"])


def codes(text: str) -> list[tuple[int, str]]:
    plan = parse(text)
    return [(plan.source.position(d.span.start)[0], d.code) for d in lint_plan(plan, NO_FILES)]


# -- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        (SPEC_KIT, "spec-kit"),
        ("## Phase 3.3: Core\n\n### T014: Album model\n**Path**: `src/a.py`\n", "spec-kit"),
        ("- [x] **T001** [P] Create `a.py`\n", "spec-kit"),
        (KIRO, "kiro"),
        ("# Plan\n\n- [ ] 1. Build it\n  - [ ] 1.1 Build `a.py`\n- [ ] 2. Ship it\n", "kiro"),
        ("# Plan\n\n- [ ] 1.1 Build `a.py`\n  - _Requirements: 1.1_\n", "kiro"),
        ("# Setup\n\n- [ ] 1. Install the tools\n- [ ] 2. Run them\n", "phased"),  # a checklist, not a plan
        ("## Phase 1: A\n\n- [ ] 1. Intro\n- [ ] 1.1 Do `a.py`\n", "phased"),
        (PHASED, "phased"),
        ("# Notes\n\nNothing to do.\n", "phased"),
        ("## Phase 1: A\n\n- [ ] 1. Numbered item under a phase\n", "phased"),
    ],
)
def test_the_dialect_is_detected_from_the_content(text: str, dialect: str) -> None:
    assert detect(text) == dialect
    assert parse(text).dialect == dialect


def test_a_config_glob_overrides_what_the_content_shows(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.planlint]\nplans = ["**/*.md"]\n[tool.planlint.dialects]\n"specs/**/tasks.md" = "kiro"\n'
    )
    (tmp_path / "specs" / "a").mkdir(parents=True)
    (tmp_path / "specs" / "a" / "tasks.md").write_text("## Phase 1: x\n\n- [ ] 1. A `a.py`\n- [ ] 2. B `a.py`\n")
    (tmp_path / "other.md").write_text("## Phase 1: x\n\n- [ ] 1. A `a.py`\n- [ ] 2. B `a.py`\n")
    results = {r.path.name: r for r in check_paths([tmp_path])}
    assert results["tasks.md"].dialect == "kiro"
    assert results["other.md"].dialect == "phased"
    assert not [d.code for d in results["tasks.md"].diagnostics]  # sequential Kiro tasks: nothing


def test_an_unknown_dialect_in_the_config_is_a_one_line_error(tmp_path: Path) -> None:
    from planlint.config import load_config

    config = tmp_path / ".planlint.toml"
    config.write_text('[dialects]\n"specs/**" = "speckit"\n')
    with pytest.raises(ConfigError, match="unknown dialect 'speckit'"):
        load_config(config)
    result = run_cli("check", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "unknown dialect" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_of_mixed_formats_reads_each_file_in_its_own(tmp_path: Path) -> None:
    (tmp_path / ".planlint.toml").write_text('plans = ["**/*.md"]\n')
    (tmp_path / "speckit.md").write_text(SPEC_KIT)
    (tmp_path / "kiro.md").write_text(KIRO)
    (tmp_path / "phased.md").write_text(PHASED)
    result = run_cli("check", "--format", "json", "--exit-zero", ".", cwd=tmp_path)
    found = {(d["path"], d["code"], d.get("dialect")) for d in json.loads(result.stdout)}
    assert found == {
        ("speckit.md", "PL101", "spec-kit"),
        ("kiro.md", "PL101", "kiro"),
        ("phased.md", "PL101", None),  # JSON of a phased plan is unchanged
    }
    sarif = json.loads(run_cli("check", "--format", "sarif", "--exit-zero", ".", cwd=tmp_path).stdout)
    dialects = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["properties"]["dialect"]
        for r in sarif["runs"][0]["results"]
    }
    assert dialects == {"speckit.md": "spec-kit", "kiro.md": "kiro", "phased.md": "phased"}


# -- reading --------------------------------------------------------------------------------------


def test_spec_kit_tasks_keep_their_ids_markers_and_dependencies() -> None:
    plan = parse(SPEC_KIT)
    tasks = {str(t.id): t for t in plan.tasks()}
    assert list(tasks) == [f"T00{n}" for n in range(1, 9)]
    assert [p.number for p in plan.phases] == [1, 2]
    assert tasks["T006"].phase == 2 and tasks["T006"].text.startswith("Add the expiry field")
    assert [str(d.target) for d in tasks["T007"].dependencies] == ["T004", "T005"]
    marker = tasks["T004"].parallel_marker
    assert marker is not None and plan.source.text[marker.start : marker.end] == "[P] "
    assert tasks["T007"].parallel_marker is None
    # lanes: T001 | T002 T003 | T004 T005 T006 | T007 | T008
    lanes = [tasks[f"T00{n}"].lane for n in range(1, 9)]
    assert lanes == [1, 2, 2, 3, 3, 3, 4, 5]


def test_spec_kit_older_heading_tasks_own_their_path_lines() -> None:
    text = (
        "## Phase 3.1: Setup\n\n- [ ] T001 Create `src/app.py`\n\n## Phase 3.3: Core\n\n"
        "### T014: Album model\n**Path**: `src/models/album.py`\n**Dependencies**: T001\n\nCreate it.\n\n"
        "### T015 [P]: Photo model\n**Path**: `src/models/photo.py`\n"
    )
    plan = parse(text)
    assert [(p.number, p.title) for p in plan.phases] == [(1, "Setup"), (2, "Core")]
    album = plan.task(TaskId((14,), "T014"))
    assert album is not None and album.text == "Album model" and album.line == 7
    assert plan.source.text[album.span.start : album.span.end].endswith("Create it.")
    assert [str(d.target) for d in album.dependencies] == ["T001"]
    photo = plan.task(TaskId((15,), "T015"))
    assert photo is not None and photo.text == "Photo model" and photo.parallel_marker is not None


def test_kiro_major_tasks_with_sub_tasks_are_groups_and_requirements_are_no_dependencies() -> None:
    plan = parse(KIRO)
    units = [str(t.id) for p in plan.phases for t in p.top_level_tasks]
    assert units == ["1.1", "1.2", "1.3", "2.1", "2.2", "3"]
    assert [str(g.id) for p in plan.phases for g in p.groups] == ["1", "2"]
    tasks = {str(t.id): t for t in plan.tasks()}
    assert [str(d.target) for d in tasks["2.2"].dependencies] == ["2.1"]
    assert not any(t.dependencies for t in plan.tasks() if str(t.id) != "2.2")  # _Requirements_ is not one
    assert [tasks[i].lane for i in ("1.1", "1.2", "1.3", "2.1", "2.2", "3")] == [1, 1, 1, 2, 3, 4]


# -- conflicts and fixes --------------------------------------------------------------------------


def test_spec_kit_conflict_is_reported_in_its_words_and_fixed_by_dropping_p() -> None:
    plan = parse(SPEC_KIT)
    found = lint_plan(plan, NO_FILES)
    assert [(d.code, d.message) for d in found] == [
        (
            "PL101",
            "tasks T004 and T006 are both marked [P] and both write `src/invitations/models.py`: "
            "[P] tasks must not share a file",
        )
    ]
    fix = found[0].fix
    assert fix is not None and fix.applicability.value == "safe"
    from planlint.fix.loop import fix_pair

    outcome = fix_pair(plan.source, None, NO_FILES)
    fixed = outcome.texts[plan.path]
    assert "- [ ] T006 [US1] Add the expiry field" in fixed
    assert fixed.replace("- [ ] T006 [US1]", "- [ ] T006 [P] [US1]") == SPEC_KIT
    assert codes(fixed) == []


def test_spec_kit_sequential_tasks_sharing_a_file_and_many_parallel_tasks_report_nothing() -> None:
    lines = ["## Phase 1: Models", ""]
    lines += [f"- [ ] T{n:03d} [P] Create model {n} in src/models/m{n}.py" for n in range(1, 60)]
    lines += ["- [ ] T060 Update src/models/m1.py", "- [ ] T061 Update src/models/m1.py again"]
    assert codes("\n".join(lines) + "\n") == []


def test_no_phased_numbering_or_reader_parity_findings_on_other_dialects() -> None:
    for text in (SPEC_KIT, KIRO):
        found = {code for _, code in codes(text)}
        assert not {c for c in found if c.startswith(("PL00", "PL01", "PL12", "PL2"))}, found


def test_kiro_conflict_only_between_parallel_peers_and_fixed_by_dropping_p() -> None:
    plan = parse(KIRO)
    found = lint_plan(plan, NO_FILES)
    assert [(plan.source.position(d.span.start)[0], d.code) for d in found] == [(4, "PL101")]
    assert "tasks 1.1 and 1.3 are both marked (P)" in found[0].message
    from planlint.fix.loop import fix_pair

    fixed = fix_pair(plan.source, None, NO_FILES).texts[plan.path]
    assert "- [ ] 1.3 Add an SMS channel" in fixed and codes(fixed) == []


def test_kiro_parallel_tasks_under_different_parents_do_not_run_together() -> None:
    text = (
        "- [ ] 1. A\n  - [ ] 1.1 (P) Edit `a.py`\n- [ ] 2. B\n  - [ ] 2.1 (P) Edit `a.py`\n"
        "- [ ] 3. (P) Edit `b.py`\n- [ ] 4. (P) Edit `b.py`\n"
    )
    assert parse(text).dialect == "kiro"
    assert codes(text) == [(5, "PL101")]  # majors 3 and 4 are peers under the file's root


def test_spec_kit_dependency_on_a_missing_task_is_reported() -> None:
    assert codes("## Phase 1: A\n\n- [ ] T001 Create `a.py` (depends on T009)\n") == [(3, "PL111")]


# -- emit and next --------------------------------------------------------------------------------


def test_emit_carries_the_dialect_and_waves_follow_the_parallel_runs() -> None:
    from tests.emit.test_emit import VALIDATOR, assert_sound_schedule

    document = constraints(parse(SPEC_KIT))
    VALIDATOR.validate(document)
    assert_sound_schedule(document)
    assert document["dialect"] == "spec-kit"
    assert document["waves"] == [["T001"], ["T002", "T003"], ["T004", "T005"], ["T006"], ["T007"], ["T008"]]
    kiro = constraints(parse(KIRO))
    VALIDATOR.validate(kiro)
    assert kiro["dialect"] == "kiro"
    assert kiro["waves"] == [["1.1", "1.2"], ["1.3"], ["2.1"], ["2.2"], ["3"]]
    assert "dialect" not in constraints(parse(PHASED, "plan.md"))


def test_next_hands_out_one_parallel_run_at_a_time() -> None:
    plan = parse(SPEC_KIT.replace("- [ ] T001", "- [x] T001"))
    batch = next_batch(plan, None, 5)
    assert [t["id"] for t in batch["tasks"]] == ["T002", "T003"]
    held = {h["id"]: h["reason"] for h in batch["heldBack"]}
    assert held["T004"] == "waits for tasks T002-T003 to complete (T002 is pending)"
    done = SPEC_KIT.replace("- [ ] T00", "- [x] T00").replace("- [x] T004", "- [ ] T004")
    done = done.replace("- [x] T005", "- [ ] T005").replace("- [x] T006", "- [ ] T006")
    done = done.replace("- [x] T007", "- [ ] T007").replace("- [x] T008", "- [ ] T008")
    batch = next_batch(parse(done), None, 5)
    assert [t["id"] for t in batch["tasks"]] == ["T004", "T005"]  # T006 shares models.py with T004
    assert {h["id"]: h["reason"] for h in batch["heldBack"]}["T006"].startswith("shares")


def test_next_and_emit_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "tasks.md").write_text(KIRO)
    result = run_cli("next", "tasks.md", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [t["id"] for t in json.loads(result.stdout)["tasks"]] == ["1.1", "1.2"]
    result = run_cli("emit", "tasks.md", cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["dialect"] == "kiro"


def test_a_dependency_on_a_task_listed_later_is_reported_in_lane_dialects() -> None:
    text = "- [ ] 1. A\n- [ ] 1.1 Create `a.py`\n  - _Depends: 1.2_\n- [ ] 1.2 Create `b.py`\n"
    assert codes(text) == [(3, "PL113")]
    text = "## Phase 1: A\n\n- [ ] T001 [P] Create `a.py` (depends on T002)\n- [ ] T002 [P] Create `b.py`\n"
    assert codes(text) == []  # one parallel run: the dependency orders them (no later lane)


# -- files-block ----------------------------------------------------------------------------------

FILES_BLOCK = """\
# Payments Implementation Plan

## Phase 1: Models

### Task 1: Invoice model

**Files:**
- Create: `src/payments/invoice.py`
- Test: `tests/payments/test_invoice.py`

**Step 1: Write the failing test**

Run: `pytest tests/payments/test_invoice.py -v`

### Task 2: Refund model

**Files:**
- Modify: `src/payments/invoice.py:10-30`
- Create: `src/payments/refund.py`

### Task 3: Invoice tests for refunds

**Files:**
- Test: `tests/payments/test_invoice.py`

## Phase 2: API

### Task 4: Invoice endpoint

**Dependencies:** Task 1, Task 2

**Files:**
- Create: `src/api/invoices.py`
- Read: `src/payments/invoice.py`
"""


def test_files_block_tasks_are_headings_with_explicit_modes_and_dependency_lines() -> None:
    from planlint.rule import Context

    plan = parse(FILES_BLOCK)
    assert plan.dialect == "files-block" and detect(FILES_BLOCK) == "files-block"
    tasks = {str(t.id): t for t in plan.tasks()}
    assert list(tasks) == ["1", "2", "3", "4"] and tasks["2"].text == "Refund model"
    assert [str(d.target) for d in tasks["4"].dependencies] == ["1", "2"]
    assert [tasks[i].lane for i in "1234"] == [1, 1, 1, 2]  # one phase, one lane
    accesses = Context(plan, NO_FILES).conflicts.accesses
    modes = {(str(u), a.key): a.mode.value for u, found in accesses.items() for a in found}
    assert modes[("3", "tests/payments/test_invoice.py")] == "write"  # `Test:` writes the test file
    assert modes[("4", "src/payments/invoice.py")] == "read"
    assert modes[("1", "src/payments/invoice.py")] == "create"


def test_files_block_conflicts_in_a_phase_are_fixed_with_a_dependency_line() -> None:
    from planlint.fix.loop import fix_pair

    plan = parse(FILES_BLOCK)
    found = lint_plan(plan, NO_FILES)
    assert [(plan.source.position(d.span.start)[0], d.code) for d in found] == [(5, "PL101"), (5, "PL101")]
    assert {d.message.split(" both ")[0] for d in found} == {"Task 1 and Task 2", "Task 1 and Task 3"}
    fixed = fix_pair(plan.source, None, NO_FILES).texts[plan.path]
    assert "### Task 2: Refund model\n**Dependencies:** Task 1\n" in fixed
    assert "### Task 3: Invoice tests for refunds\n**Dependencies:** Task 1\n" in fixed
    assert codes(fixed) == []


def test_files_block_tasks_outside_phases_run_in_order() -> None:
    text = FILES_BLOCK.replace("## Phase 1: Models\n\n", "").replace("## Phase 2: API\n\n", "")
    plan = parse(text)
    assert [t.lane for t in plan.tasks()] == [1, 2, 3, 4]
    assert codes(text) == []
    document = constraints(plan)
    assert document["dialect"] == "files-block"
    assert document["waves"] == [["1"], ["2"], ["3"], ["4"]]
    batch = next_batch(plan, None, 3)
    assert [t["id"] for t in batch["tasks"]] == ["1"]


def test_no_marker_fix_when_splitting_the_run_would_send_a_dependency_backwards() -> None:
    text = (
        "- [ ] 1. Group\n- [ ] 1.1 (P) Review `a.py`\n- [ ] 1.2 (P) Create `a.py`\n  - _Depends: 1.3_\n"
        "- [ ] 1.3 (P) Review `a.py`\n"
    )
    found = [d for d in lint_plan(parse(text), NO_FILES) if d.code == "PL101"]
    assert len(found) == 1 and found[0].fix is None  # dropping (P) from 1.2 would put 1.3 after it


def test_no_dependency_line_fix_when_the_chain_would_close_a_cycle() -> None:
    text = FILES_BLOCK.replace("### Task 1: Invoice model\n", "### Task 1: Invoice model\n\n**Dependencies:** Task 2\n")
    found = [d for d in lint_plan(parse(text), NO_FILES) if d.code == "PL101"]
    assert found and all(d.fix is None for d in found if "Task 2" in d.message)


def test_kiro_major_tasks_written_as_headings_are_the_parents_of_their_sub_tasks() -> None:
    text = (
        "# Implementation Plan\n\n## 1. Remove the old storage\n\n"
        "- [x] 1.1 (P) Remove the storage code from `src/lib/store.ts`\n  - _Requirements: 7.1_\n\n"
        "## 2. Card state\n\n- [ ] 2.1 (P) Create the card state module in `src/lib/store.ts`\n"
        "- [ ] 2.2 (P) Add the pin toggle to `src/lib/pins.ts`\n"
        "- [ ] 2.3 (P) Add the exclude toggle to `src/lib/pins.ts`\n  _Requirements: 1.2_\n  _Depends: 2.1_\n"
    )
    plan = parse(text)
    assert plan.dialect == "kiro"
    assert [(p.number, p.title) for p in plan.phases] == [(1, "Remove the old storage"), (2, "Card state")]
    assert [t.lane for t in plan.tasks()] == [1, 2, 2, 2]  # 1.1 and 2.1 have different parents
    assert codes(text) == [(11, "PL101")]  # 2.2 and 2.3 only; 2.3's lazy _Depends: line is read
    assert [str(d.target) for d in plan.task(TaskId((2, 3))).dependencies] == ["2.1"]  # type: ignore[union-attr]


def test_kiro_phase_heading_above_a_major_task_is_not_an_empty_section() -> None:
    text = (
        "# Implementation Plan\n\n### Phase 1: Core\n\n- [ ] 1. Result types\n"
        "- [x] 1.1 (P) Define the error types in `src/core/errors.ts`\n  - _Requirements: 5.5_\n"
    )
    plan = parse(text)
    assert [(p.number, p.title, len(p.tasks)) for p in plan.phases] == [(1, "Result types", 1)]


def test_spec_kit_dependencies_section_orders_tasks() -> None:
    text = (
        "## Phase 1: Models\n\n- [ ] T001 [P] Create the User model in src/models/user.py\n"
        "- [ ] T002 [P] Add the email field to src/models/user.py\n"
        "- [ ] T003 [P] Add the name field to src/models/user.py\n\n"
        "## Dependencies & Execution Order\n\n### Within Phase 1\n\n- Setup (Phase 1) before everything else\n"
        "- Models before services\n- T001 → T002\n- T003 depends on T002\n- T009 blocks T001\n"
    )
    plan = parse(text)
    deps = {str(t.id): [str(d.target) for d in t.dependencies] for t in plan.tasks()}
    assert deps == {"T001": ["T009"], "T002": ["T001"], "T003": ["T002"]}
    assert codes(text) == [(15, "PL111")]  # the section's T009 names no task; the chain covers the file
