"""The Plan model built from real Markdown: each grammar element of DESIGN.md §2."""

from __future__ import annotations

from planlint.model import Marker, TaskId
from planlint.parse.plan import parse_plan
from planlint.text import SourceText


def parse(text: str):
    return parse_plan(SourceText.from_text(text, "plan.md"))


def ids(plan, *, steps: bool = True) -> list[str]:
    return [str(t.id) for t in plan.tasks() if steps or not t.is_step]


def test_phase_headings_at_any_level_with_suffix_notes() -> None:
    plan = parse(
        "# Plan\n\n### Phase 0: Prerequisites\n\n- [ ] 0.1 a\n\n"
        "## Phase 1 - Build (Depends on Phase 0)\n\n- [x] 1.1 b\n"
    )
    assert [(p.number, p.title, p.level, p.note) for p in plan.phases] == [
        (0, "Prerequisites", 3, ""),
        (1, "Build", 2, "Depends on Phase 0"),
    ]
    assert [t.checked for t in plan.tasks()] == [False, True]


def test_a_decimal_phase_heading_is_not_a_phase() -> None:
    plan = parse("## Phase 1: A\n\n- [ ] 1.1 a\n\n## Phase 1.2: B\n\n- [ ] 1.2 b\n")
    assert [p.number for p in plan.phases] == [1]
    assert ids(plan) == ["1.1", "1.2"]


def test_checkbox_plain_and_bold_ids() -> None:
    plan = parse("## Phase 3: A\n\n- [ ] 3.1 box\n- 3.2 plain\n- **3.3** bold\n- **3.4:** bold colon\n")
    assert ids(plan) == ["3.1", "3.2", "3.3", "3.4"]
    assert [t.checked for t in plan.tasks()] == [False, None, None, None]
    assert [t.text for t in plan.tasks()] == ["box", "plain", "bold", "bold colon"]


def test_id_less_checkboxes_are_not_tasks() -> None:
    plan = parse("## Phase 1: A\n\n- [ ] 1.1 task\n\n**Acceptance:**\n- [ ] It works\n- [x] It is fast\n")
    assert ids(plan) == ["1.1"]


def test_nested_steps_link_to_their_task_and_count_as_its_unit() -> None:
    plan = parse("## Phase 3: A\n\n- [ ] 3.2 task\n  - [ ] 3.2.1 step\n    - [ ] 3.2.1.9 deep\n  - note\n")
    step = plan.task(TaskId.parse("3.2.1"))
    assert step is not None and step.parent == TaskId.parse("3.2")
    assert plan.unit_of(step).id == TaskId.parse("3.2")
    assert [m.text for m in plan.malformed_ids] == ["3.2.1.9"]


def test_group_headings_make_group_members() -> None:
    plan = parse("## Phase 1: A\n\n### 1.2 Logging\n\n- [ ] 1.2.1 a\n- [ ] 1.2.2 b\n\n### Notes\n\n- [ ] 1.3 c\n")
    assert [(str(t.id), str(t.group) if t.group else None) for t in plan.tasks()] == [
        ("1.2.1", "1.2"), ("1.2.2", "1.2"), ("1.3", None)
    ]  # fmt: skip
    assert [str(g.id) for g in plan.phases[0].groups] == ["1.2"]


def test_verify_block_items_are_tasks_and_checkpoints_are_not() -> None:
    plan = parse(
        "## Phase 1: A\n\n- [ ] 1.1 a\n\n**VERIFY Phase 1:** (non-blocking)\n- [ ] 1.2 run tests\n"
        "- [ ] **VERIFY 1**: all green\n"
    )
    assert [(str(t.id), t.verify) for t in plan.tasks()] == [("1.1", False), ("1.2", True)]
    verify = plan.phases[0].verify
    assert [(v.phase, v.non_blocking, v.checkpoint) for v in verify] == [(1, True, False), (1, False, True)]
    assert plan.phases[0].non_blocking_verify


def test_task_body_holds_nested_bullets_and_code_fences() -> None:
    text = "## Phase 1: A\n\n- [ ] 1.1 Update `a.py`\n  - also `b.py`\n  ```bash\n  touch c.py\n  ```\n- [ ] 1.2 next\n"
    plan = parse(text)
    task = plan.task(TaskId.parse("1.1"))
    assert task is not None
    kinds = [(b.kind, text[b.span.start : b.span.end]) for b in task.blocks]
    assert kinds == [("text", " Update `a.py`"), ("text", "also `b.py`"), ("code", "```bash\n  touch c.py\n  ```")]
    assert text[task.span.start : task.span.end].endswith("```")
    assert text[task.id_span.start : task.id_span.end] == "1.1"


def test_execution_notes_ranges_lists_and_several_groups() -> None:
    plan = parse(
        "## Phase 2: A\n\n**Execution Note:** Tasks 2.1-2.3 and 2.5-2.6 are [SEQUENTIAL] - all modify `x.py`\n\n"
        "**Execution Note:** Tasks 2.4, 2.7 and 2.8 are [PARALLEL] - different functions\n\n- [ ] 2.1 a\n"
    )
    first, second = plan.notes
    assert first.marker is Marker.SEQUENTIAL and first.scope == "tasks" and first.phase == 2
    assert [[str(i) for i in g] for g in first.groups] == [["2.1-2.3"], ["2.5-2.6"]]
    assert first.reason == "all modify `x.py`"
    assert second.marker is Marker.PARALLEL
    assert [[str(i) for i in g] for g in second.groups] == [["2.4", "2.7", "2.8"]]


def test_phase_level_parallel_note_and_pipeline_start_triggers() -> None:
    plan = parse(
        "**Execution Note:** Phases 2-3 are [PARALLEL] - independent\n\n## Phase 1: A\n\n- [ ] 1.3 a\n\n"
        "**pipeline-start:** when 1.3 completes\n\n## Phase 2: B\n\n- [ ] 2.1 b\n\n"
        "## Phase 3: C (pipeline-start: when 2.1 completes)\n\n- [ ] 3.1 c\n"
    )
    note = plan.notes[0]
    assert note.scope == "phases" and note.phase is None and str(note.items[0]) == "2-3"
    triggers = [(p.number, str(p.pipeline_start.task) if p.pipeline_start else None) for p in plan.phases]
    assert triggers == [(1, None), (2, "1.3"), (3, "2.1")]


def test_dependencies_in_three_spellings_with_spans() -> None:
    text = (
        "## Phase 1: A\n\n- [ ] 1.1 a\n- [ ] 1.2 b\n- [ ] 1.3 c (depends: 1.1, 1.2)\n"
        "- [ ] 1.4 d (depends on 1.3)\n- [ ] 1.5 e\n  - Depends on: 1.4\n"
    )
    plan = parse(text)
    deps = {str(t.id): [str(d.target) for d in t.dependencies] for t in plan.tasks()}
    assert deps == {"1.1": [], "1.2": [], "1.3": ["1.1", "1.2"], "1.4": ["1.3"], "1.5": ["1.4"]}
    span = plan.task(TaskId.parse("1.5")).dependencies[0].span
    assert text[span.start : span.end] == "1.4"


def test_phase_ends_at_a_higher_level_heading() -> None:
    plan = parse("# Plan\n\n### Phase 1: A\n\n- [ ] 1.1 a\n\n## Appendix\n\n- [ ] 1.2 not a task\n")
    assert ids(plan) == ["1.1"]
    assert plan.phases[0].end_line == 6


def test_tasks_inside_code_fences_are_ignored() -> None:
    plan = parse("## Phase 1: A\n\n```markdown\n- [ ] 1.1 example\n```\n\n- [ ] 1.2 real\n")
    assert ids(plan) == ["1.2"]


def test_crlf_text_gives_the_same_model_positions() -> None:
    text = "## Phase 1: A\n\n- [ ] 1.1 Update `a.py` (depends: 1.2)\n- [ ] 1.2 b\n"
    lf, crlf = parse(text), parse(text.replace("\n", "\r\n"))
    for a, b in zip(lf.tasks(), crlf.tasks(), strict=True):
        assert a.id == b.id and a.line == b.line
        assert lf.source.position(a.id_span.start) == crlf.source.position(b.id_span.start)


def test_html_comments_outside_code_are_collected() -> None:
    plan = parse(
        "## Phase 1: A\n\n<!-- planlint-disable PL101 -->\n- [ ] 1.1 a <!-- note -->\n```\n<!-- in code -->\n```\n"
    )
    assert [(c.text, c.line) for c in plan.comments] == [("planlint-disable PL101", 3), ("note", 4)]
    assert plan.task(TaskId.parse("1.1")).text == "a"
