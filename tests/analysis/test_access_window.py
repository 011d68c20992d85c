"""The clause before a reference is read at most WINDOW characters back; where that point falls
inside a code span, reading starts after the span, so backticks still pair as written."""

from __future__ import annotations

import pytest

from planlint.analysis.access import Mode, clause_words, governing_mode, governing_verb
from planlint.analysis.access_words import WINDOW


def _long_line(shift: int, verb: str = "Update") -> tuple[str, int]:
    """A task line of 80 backticked paths, the last more than WINDOW characters from its verb."""
    refs = [f"`src/p{r}/f{r}.py`" for r in range(80)]
    text = f"{verb} {'x' * shift} " + ", ".join(refs)
    position = text.rindex("`src")
    assert position > WINDOW
    return text, position


@pytest.mark.parametrize("shift", range(20))
def test_a_window_that_cuts_a_code_span_reads_whole_spans(shift: int) -> None:
    text, position = _long_line(shift)
    words = clause_words(text, position)
    assert words  # the window still reads the references before it
    assert all((word.startswith("`") and word.endswith("`")) or word == "," for word in words), words


@pytest.mark.parametrize("shift", range(0, 20, 3))
def test_path_pieces_past_the_window_are_not_words(shift: int) -> None:
    # a cut `docs/update/1.py` would give the words "docs", "update" and "py"
    refs = [f"`docs/update/{r}.py`" for r in range(70)]
    text = f"Read {'x' * shift} " + ", ".join(refs) + ", `last.py`"
    words = clause_words(text, text.rindex("`last.py`"))
    assert "update" not in [w.lower() for w in words]


def test_within_the_window_nothing_changes() -> None:
    text = "Update `a.py`, `b.py` and `c.py`"
    assert governing_mode(text, text.index("`c.py`")) is Mode.WRITE
    assert governing_verb(text, text.index("`c.py`")) == "update"


def test_spans_pair_line_by_line() -> None:
    # an unpaired backtick on one line opens nothing on the next
    head = "odd ` tick\n"
    text = head + "Update " + "y" * WINDOW + " `a.py`, `b.py`"
    position = text.rindex("`b.py`")
    assert clause_words(text, position)[-2:] == ["`a.py`", ","]


def test_the_clause_read_for_one_text_is_not_reused_for_another() -> None:
    # governing_mode and governing_verb share the reading of a reference's clause (by text and position)
    update, delete = "Update `x.py`", "Delete `x.py`"
    position = update.index("`")
    assert position == delete.index("`")
    assert governing_verb(update, position) == "update"
    assert governing_verb(delete, position) == "delete"
    assert governing_mode(update, position) is Mode.WRITE
    assert governing_verb(update, position) == "update"
