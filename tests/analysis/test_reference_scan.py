"""The shortcuts of reference extraction and access collection find what a plain reading finds:
bare paths searched only around a `.` before a letter, and a task's head verb read only when a
later block's reference has no verb of its own."""

from __future__ import annotations

import pytest

from planlint.analysis.access import DEFAULT_VOCABULARY, Mode, governing_mode
from planlint.analysis.access_words import EXAMPLE_MARKERS
from planlint.analysis.references import PlanReferences, references_in
from planlint.analysis.task_files import collect_accesses
from planlint.model import Plan
from planlint.parse.plan import parse_plan
from planlint.text import SourceText


def _plan(body: str, newline: str = "\n") -> Plan:
    text = f"## Phase 1: A\n\n- [ ] 1.1 {body}\n".replace("\n", newline)
    return parse_plan(SourceText.from_text(text, "plan.md"))


def _bare(body: str, newline: str = "\n") -> list[str]:
    plan = _plan(body, newline)
    task = next(iter(plan.tasks()))
    return [ref.text for block in task.blocks for ref in references_in(plan, block)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Edit src/a.py and lib/b.js.", ["src/a.py", "lib/b.js"]),
        ("Edit src/a.py,lib/b.js\tand\tdocs/c.md", ["src/a.py", "lib/b.js", "docs/c.md"]),
        ("Done. Then edit src/a.py e.g. now", ["src/a.py"]),
        ("Edit x/a.py:12-40 then\n  also y/b.ts", ["x/a.py", "y/b.ts"]),
        ("Edit ../up/a.py and v1.2 and 3.5", ["../up/a.py"]),
        ("Nothing here. At all.", []),
        ("Call `cfg.load` then edit x/a.py", ["cfg.load", "x/a.py"]),
        ("See [the guide](docs/guide.md) and x/a.py <!-- not y/b.py --> z/c.py", ["docs/guide.md", "x/a.py", "z/c.py"]),
    ],
)
def test_bare_paths_are_found_around_their_dots(body: str, found: list[str], newline: str) -> None:
    assert _bare(body, newline) == found


def test_a_long_run_of_dots_and_paths_is_read_whole() -> None:
    run = ",".join(f"d/f{i}.py" for i in range(200))
    assert _bare(f"Edit {run} now.") == [f"d/f{i}.py" for i in range(200)]


def _modes(body: str) -> dict[str, Mode]:
    plan = _plan(body)
    accesses = collect_accesses(PlanReferences(plan), None, DEFAULT_VOCABULARY, None)
    return {a.key: a.mode for found in accesses.values() for a in found}


def test_a_bullet_without_a_verb_reads_what_its_head_writes_into_a_named_file() -> None:
    modes = _modes("Update `docs/x.md`:\n  - the section on `src/y.py`\n")
    assert modes == {"docs/x.md": Mode.WRITE, "src/y.py": Mode.READ}


def test_a_bullet_without_a_verb_takes_its_head_verb() -> None:
    assert _modes("Update the docs:\n  - the section `src/y.py`\n") == {"src/y.py": Mode.WRITE}
    assert _modes("Review the docs:\n  - the section `src/y.py`\n") == {"src/y.py": Mode.READ}


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Edit ``src/a`b.py`` and `c/d.py`", ["src/a`b.py", "c/d.py"]),
        ("Edit `a/b.py`` not closed` and `c/d.py`", ["c/d.py"]),
        ("Edit ```x/y.py``` then `z/w.py`", ["x/y.py", "z/w.py"]),
        ("Edit `src/<name>.py`, `docs/NAME.md`, `x/.../y.py`, `$HOME/a.py` and `ok/{a}.py`", []),
        ("Edit `docs/Guide.md` and `src/mod_1.py`", ["docs/Guide.md", "src/mod_1.py"]),
    ],
)
def test_code_spans_and_placeholders(body: str, found: list[str]) -> None:
    assert _bare(body) == found


@pytest.mark.parametrize("marker", EXAMPLE_MARKERS)
def test_every_example_marker_makes_a_mention(marker: str) -> None:
    text = f"Edit the paths ({marker}, `src/a.py`)"
    assert governing_mode(text, text.index("`")) is Mode.MENTION


def test_only_the_deciding_words_make_a_phrase() -> None:
    """`scan_back` passes over any other word that no verb or clause link governs: none of them
    may be one that `_phrase_mode` acts on."""
    from planlint.analysis import access_clause, access_words

    vocabulary = {w for value in vars(access_words).values() if isinstance(value, frozenset) for w in value}
    vocabulary |= {w for pair in access_words.MENTION_PREPOSITIONS for w in pair}
    vocabulary |= set("based modeled modelled similar on after to by of for from new the parser".split())
    others = sorted(vocabulary - access_clause._DECIDING_WORDS)
    for word in others:
        for previous in sorted(vocabulary):
            for crossed in (False, True):
                words = [previous, word]
                assert access_clause._phrase_mode(words, 1, word, previous, crossed) is None, (previous, word)
