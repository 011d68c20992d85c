"""Property-based fuzzing of the GSD dialect (DESIGN.md §7): generated phase folders of
`NN-MM-PLAN.md` files with waves, `depends_on` (sometimes on missing or later plans),
`files_modified` as block or flow lists, `<files>` in the body (sometimes a file the front matter
does not declare), nested mappings, CRLF, and now and then broken front matter.

Properties, for every generated folder:

- every plan is read as `gsd`; parsing and linting never raise, and every span (findings,
  related locations, fix edits) lies in the file it names;
- the safe fixes are accepted, a second fix changes nothing, and no fixable PL101 is left after;
- emit on a folder it would not refuse follows the schema, its waves are sound, a wave never
  mixes two GSD waves, and GSD waves run in order.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.config import Config
from planlint.engine import lint_plan
from planlint.model import Plan
from planlint.parse.dialects import GSD
from planlint.parse.dialects.gsd import parse_folder
from planlint.text import SourceText
from tests.fuzz.test_fuzz import FUZZ, check_span

pytestmark = pytest.mark.slow  # hypothesis fuzzing of the GSD reader

FILES = ["src/a.ts", "src/b.ts", "src/c/d.ts", "docs/e.md"]


@st.composite
def plan_text(draw: st.DrawFn, number: int, count: int) -> str:
    wave = draw(st.integers(1, 3))
    depends = [f"04-{draw(st.integers(1, count + 1)):02d}" for _ in range(draw(st.integers(0, 2)))]
    written = draw(st.lists(st.sampled_from(FILES), min_size=0, max_size=3, unique=True))
    lines = ["---", "phase: 04-fuzz", f"plan: {number:02d}", "type: execute", f"wave: {wave}"]
    lines.append(draw(st.sampled_from([f"depends_on: [{', '.join(depends)}]", "depends_on: " + json.dumps(depends)])))
    if written and draw(st.booleans()):
        lines += ["files_modified:", *(f"  - {name}" for name in written)]
    else:
        lines.append(f"files_modified: [{', '.join(written)}]")
    if draw(st.booleans()):
        lines += ["must_haves:", "  truths:", '    - "it works"']
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from(["depends_on: [04-01", "not a key", "\tfiles_modified: []", 'x: "open'])))
    lines += ["---", "", "<objective>", f"Plan {number}.", "</objective>", "", "<tasks>"]
    for task in range(draw(st.integers(0, 2))):
        body = draw(st.sampled_from(FILES))
        lines += ['<task type="auto">', f"  <name>Task {task + 1}</name>", f"  <files>{body}</files>"]
        lines += ["  <action>", f"Edit `{body}`.", "  </action>", "</task>"]
    lines.append("</tasks>")
    return "\n".join(lines) + "\n"


@st.composite
def folder(draw: st.DrawFn) -> list[SourceText]:
    count = draw(st.integers(1, 5))
    crlf = draw(st.booleans())
    sources = []
    for number in range(1, count + 1):
        text = draw(plan_text(number, count))
        sources.append(SourceText.from_text(text.replace("\n", "\r\n") if crlf else text, f"04-{number:02d}-PLAN.md"))
    return sources


def all_rules() -> Config:
    return Config().with_overrides(select=["ALL"])


def read(sources: list[SourceText]) -> Plan:
    return parse_folder(sources[0], sources)


@FUZZ
@given(folder())
def test_gsd_folders_parse_and_lint_in_bounds(sources: list[SourceText]) -> None:
    plan = read(sources)
    assert plan.dialect == GSD
    by_path = {source.path: source for source in sources}
    for diagnostic in lint_plan(plan, all_rules()):
        spans = [diagnostic.span, *(r.span for r in diagnostic.related)]
        spans += [e.span for e in diagnostic.fix.edits] if diagnostic.fix else []
        for span in spans:
            check_span(span, by_path[span.path], diagnostic.code)


@FUZZ
@given(folder())
def test_gsd_fixes_are_accepted_idempotent_and_leave_no_fixable_conflict(sources: list[SourceText]) -> None:
    from planlint.fix.loop import fix_pair

    outcome = fix_pair(sources[0], None, all_rules(), siblings=tuple(sources[1:]))
    assert outcome.refused is None, outcome.refused
    fixed = [SourceText.from_text(outcome.texts[s.path], s.path) for s in sources]
    again = fix_pair(fixed[0], None, all_rules(), siblings=tuple(fixed[1:]))
    assert all(again.texts[s.path] == s.text for s in fixed)
    assert not [d for d in lint_plan(read(fixed), all_rules()) if d.code == "PL101" and d.fix is not None]


@FUZZ
@given(folder())
def test_gsd_emit_keeps_waves_apart_and_in_order(sources: list[SourceText]) -> None:
    from tests.emit.test_emit import sound_document

    plan = read(sources)
    document = sound_document(plan)
    if document is None:
        return
    lane = {str(t.id): t.lane for t in plan.tasks()}
    for wave in document["waves"]:
        assert len({lane[t] for t in wave}) == 1, wave
    order = [lane[t] for wave in document["waves"] for t in wave]
    assert order == sorted(order)
