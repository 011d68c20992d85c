"""The plan builder's fast paths skip work only where the full path could find nothing."""

from __future__ import annotations

import pytest

from planlint.parse import grammar
from planlint.parse.plan import TASK_HEAD_FIRST


@pytest.mark.parametrize("first", sorted({chr(c) for c in range(32, 127)} - set("[*0123456789") | {"é", "\t", "\n"}))
def test_an_item_starting_with_another_character_is_no_task_checkbox_or_checkpoint(first: str) -> None:
    # the builder skips such items before matching (plan.TASK_HEAD_FIRST): none of the patterns can match
    assert first not in TASK_HEAD_FIRST
    for rest in ("1.1 Task", "[ ] 1.1 Task", "**VERIFY Phase 1**", "**1.1** Task"):
        text = first + rest
        assert not grammar.CHECKBOX.match(text)
        assert not grammar.VERIFY_CHECKPOINT.match(text)
        assert not grammar.TASK_HEAD.match(text)


def test_an_item_with_no_text_left_is_none_of_them() -> None:
    assert "" not in TASK_HEAD_FIRST
    assert not (grammar.CHECKBOX.match("") or grammar.VERIFY_CHECKPOINT.match("") or grammar.TASK_HEAD.match(""))
