"""spec-kit forms seen in real plans (tests/data/dialects/FINDINGS.md) that the template does not
show: tasks inserted with a letter suffix, the template's `## Phase N:` heading left unfilled,
the bold-ID list form without a checkbox, and the older heading form's `[P]` after the title and
ID ranges in its Dependencies lines."""

from __future__ import annotations

from planlint.config import Config
from planlint.engine import lint_plan
from planlint.parse.plan import parse_plan
from planlint.text import SourceText

NO_FILES = Config().with_overrides(ignore=["PL3"])


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_plan(SourceText.from_text(text, "tasks.md"), None)


def pl101(text: str) -> list[str]:
    return [d.message for d in lint_plan(parse(text), NO_FILES) if d.code == "PL101"]


def test_inserted_tasks_with_a_letter_suffix_are_tasks_of_their_own() -> None:
    plan = parse(
        "## Phase 1: Setup\n\n"
        "- [ ] T007 Create the queue in src/queue.py\n"
        "- [ ] T007a [P] Add the retry policy to src/jobs/retry.py\n"
        "- [ ] T007b [P] Add a backoff cap to src/jobs/retry.py (depends on T007a)\n"
        "- [ ] T008 Wire the queue into src/app.py (depends on T007b)\n"
    )
    tasks = list(plan.tasks())
    assert [str(t.id) for t in tasks] == ["T007", "T007a", "T007b", "T008"]
    assert [str(d.target) for t in tasks for d in t.dependencies] == ["T007a", "T007b"]
    assert tasks[1].lane == tasks[2].lane != tasks[0].lane
    assert [t.parallel_marker is not None for t in tasks] == [False, True, True, False]


def test_the_templates_unfilled_phase_n_heading_is_the_next_phase() -> None:
    """`## Phase N: Polish` is spec-kit's template left as written: a phase after the last one,
    so its [P] tasks do not join the run that ends the phase before it."""
    text = (
        "## Phase 1: Setup\n\n"
        "- [ ] T001 [P] Add the API in src/api.py\n"
        "- [ ] T002 [P] Write the guide in docs/guide.md\n\n"
        "## Phase N: Polish & Cross-Cutting Concerns\n\n"
        "- [ ] T003 [P] Add the changelog entry to docs/guide.md\n"
        "- [ ] T004 [P] Add type hints to src/api.py\n"
    )
    plan = parse(text)
    assert [(p.number, p.title, len(p.tasks)) for p in plan.phases] == [
        (1, "Setup", 2),
        (2, "Polish & Cross-Cutting Concerns", 2),
    ]
    assert pl101(text) == []


BOLD_IDS = """\
# Task Breakdown: Hooks

## Phase 1: Setup

- **T001** [P]: Create the directory structure `hooks/` with subdirectories
  - File: `hooks/` (new directory structure)

- **T002** [P]: Create the shared library
  - File: `hooks/lib/common.sh` (new)

- **T003**: Add OS detection
  - File: `hooks/lib/common.sh` (update)

## Parallel Execution Opportunities

### Phase 1 (Setup) - All tasks parallelizable
```bash
T001 & T002
```
"""


def test_bold_ids_without_a_checkbox_are_spec_kit_tasks_and_summary_headings_no_phases() -> None:
    plan = parse(BOLD_IDS)
    assert plan.dialect == "spec-kit"
    assert [(p.number, p.title) for p in plan.phases] == [(1, "Setup")]  # `### Phase 1 (Setup)` repeats it
    tasks = list(plan.tasks())
    assert [(str(t.id), t.checked, t.parallel_marker is not None) for t in tasks] == [
        ("T001", None, True),
        ("T002", None, True),
        ("T003", None, False),
    ]
    assert tasks[0].text.startswith("Create the directory structure")  # the `:` after `[P]` is no text
    # `(new directory structure)`: T001 creates the folder and writes none of the files in it
    assert pl101(BOLD_IDS) == []


def test_a_repeated_phase_number_with_tasks_stays_a_phase() -> None:
    plan = parse("## Phase 1: A\n\n- [ ] T001 Do src/a.py\n\n## Phase 1: B\n\n- [ ] T002 Do src/b.py\n")
    assert [len(p.tasks) for p in plan.phases] == [1, 1]


OLDER_FORM = """\
# Implementation Tasks

## Core

### T001: Create the Token Type [X]
**Path**: `src/tokens/types.py`

### T002: Add Bearer Token Parsing [P] [X]
**Path**: `src/tokens/parse.py`
**Dependencies**: T001

### T003: Add Basic Credential Parsing [P] [SKIP - not needed yet]
**Path**: `src/tokens/parse.py`
**Dependencies**: T001

### T004: Token Tests
**Path**: `tests/test_tokens.py`
**Dependencies**: T001-T003
"""


def test_the_older_forms_p_after_the_title_is_a_marker_and_its_ranges_name_every_task() -> None:
    plan = parse(OLDER_FORM)
    tasks = {str(t.id): t for t in plan.tasks()}
    assert [i for i, t in tasks.items() if t.parallel_marker is not None] == ["T002", "T003"]
    assert [str(d.target) for d in tasks["T004"].dependencies] == ["T001", "T002", "T003"]
    marker = tasks["T003"].parallel_marker
    assert marker is not None and plan.source.text[marker.start : marker.end] == " [P]"
    assert len(pl101(OLDER_FORM)) == 1  # T002 and T003 both write src/tokens/parse.py


def test_a_range_too_long_to_be_a_plans_is_read_as_its_two_ends() -> None:
    plan = parse("## Phase 1: A\n\n- [ ] T001 Do src/a.py\n- [ ] T002 Do src/b.py (depends on T001-T900)\n")
    assert [str(d.target) for t in plan.tasks() for d in t.dependencies] == ["T001", "T900"]
