"""The reader-parity comparison finds the few lines it looks at (fences, labels like an Execution
Note's, the orchestrator's phase and task lines) by scanning the text for what those lines must
hold, not by matching every line: each scan finds exactly the lines a match on every line finds."""

from __future__ import annotations

import pytest

from planlint.analysis.notes import analyse_notes
from planlint.analysis.parity import _PlanComparison
from planlint.analysis.parity.comparison import FENCE, occurrences
from planlint.analysis.parity.notes import _LABEL_LIKE
from planlint.analysis.reader import PHASE_LINE, TASK_LINE, read_as_orchestrator
from planlint.parse.plan import parse_plan
from planlint.text import SourceText

TEXTS = [
    "## Phase 1: A\n\n- [ ] 1.1 Do `a.py` (depends: 1.2)\n- [x] 1.2 Do b\n",
    "```md\n## Phase 9: Example\n- [ ] 9.1 x\n```\n## Phase 1: A\n-\t[ ]\u00a01.1 y\n",
    "~~~~\n```\n~~~\n~~~~~ closes\n> ```\n> **Execution Note:** Tasks 1.1-1.2 are [SEQ]\n",
    "````\nunclosed\n**Execution Notes:** tasks 1.1, 1.2 sequential\n",
    "**Executıon Note:** Tasks 1.1-1.2 are [SEQUENTAIL] - r\n- **EXECUTION NOTE** Tasks 2.1 to 2.3\n",
    "## Phase 1: A\r\n```\r\n- [ ] 1.1 x\r\n```\r\n**execution note:** tasks 1.1-1.3\r\n",
    "## Phase 1: A\rx```\r```\r- [ ] 1.1 y\r\n\u2028```\n",
    "\ufeff## Phase 1: A\n- [ ] 1.1 x\n### Phase 3: C\n##Phase 2: B\n## Phase 2:\n -  [ ] 1.2 y\n-[ ] 1.3\n",
    "é😀 xecut İ\n````````\n``` ``` ```\n~~~ inline\n",
    "",
]


def every_line(source: SourceText) -> list[tuple[int, str]]:
    return [(n, source.line_text(n)) for n in range(1, source.line_count + 1)]


def comparison(text: str) -> _PlanComparison:
    plan = parse_plan(SourceText.from_text(text, "plan.md"))
    return _PlanComparison(plan, analyse_notes(plan))


@pytest.mark.parametrize("text", TEXTS)
def test_fence_and_label_scans_find_the_lines_a_match_on_every_line_finds(text: str) -> None:
    found = comparison(text)
    lines = every_line(found.source)
    fences = [(n, m.group("fence")) for n, m in found.fence_lines()]
    assert fences == [(n, m.group("fence")) for n, line in lines if (m := FENCE.match(line))]
    labels = [n for n in found.label_lines() if _LABEL_LIKE.match(found.source.text, *found.source.line_bounds(n))]
    assert labels == [n for n, line in lines if _LABEL_LIKE.match(line)]


@pytest.mark.parametrize("text", TEXTS)
def test_fenced_lines_run_from_an_opening_fence_to_its_closing_one(text: str) -> None:
    expected: set[int] = set()
    fence: str | None = None
    for number, line in every_line(comparison(text).source):
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group("fence")
                expected.add(number)
            continue
        expected.add(number)
        if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
            fence = None
    assert comparison(text).fenced_lines() == expected


def test_a_fence_closes_on_a_fence_of_its_character_at_least_as_long() -> None:
    assert comparison("```\na\n~~~\n````\nb\n~~~~\nc\n").fenced_lines() == {1, 2, 3, 4, 6, 7}


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_the_reader_reads_the_lines_a_match_on_every_line_reads(text: str, bom: bool) -> None:
    source = SourceText.from_text(text, "plan.md", bom=bom)
    reading = read_as_orchestrator(source)
    starts, start = [], 0
    for line in text.split("\n"):
        starts.append((start, line))
        start += len(line) + 1
    phases = [s for s, line in starts if PHASE_LINE.fullmatch(line) and not (bom and s == 0)]
    tasks = [s for s, line in starts if TASK_LINE.fullmatch(line) and not (bom and s == 0)]
    assert list(reading.phase_lines) == phases
    assert list(reading.task_lines) == tasks


def test_occurrences_counts_a_run_once_per_needle_length() -> None:
    assert list(occurrences("a ``` b ``````` c", "```")) == [2, 8, 11]
    assert list(occurrences(b"xecut XECUT", b"xecut")) == [0]
    assert list(occurrences("", "~~~")) == []
