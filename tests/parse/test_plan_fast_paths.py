"""The plan builder's fast paths skip work only where the full path could find nothing."""

from __future__ import annotations

from planlint.parse import grammar


def test_every_character_a_task_checkbox_or_checkpoint_can_start_with_passes_the_quick_test() -> None:
    """The builder skips items that `grammar.may_head_item` turns away before matching them: for
    every character of the Basic Multilingual Plane, an item that starts with it and that any of
    the patterns matches must pass the quick test (Unicode digits included, which `\\d` matches)."""
    for code in range(0x10000):
        first = chr(code)
        for rest in (".1 Task", "1.1 Task", " ] 1.1 Task", "*VERIFY Phase 1**", "*1.1** Task", ""):
            text = first + rest
            if grammar.CHECKBOX.match(text) or grammar.VERIFY_CHECKPOINT.match(text) or grammar.TASK_HEAD.match(text):
                assert grammar.may_head_item(text, 0), repr(text)
    assert grammar.may_head_item("٣.٢ Task", 0)  # an Arabic-Indic digit is a digit to `\\d`
    assert not grammar.may_head_item("See the notes", 0) and not grammar.may_head_item("", 0)
