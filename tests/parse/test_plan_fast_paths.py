"""The plan builder's fast paths skip work only where the full path could find nothing."""

from __future__ import annotations

import re

from planlint.parse import grammar, plan


def test_every_character_a_task_checkbox_or_checkpoint_can_start_with_passes_the_quick_test() -> None:
    """The builder skips items that `grammar.may_head_item` turns away before matching them: for
    every character of the Basic Multilingual Plane, an item that starts with it and that any of
    the patterns matches must pass the quick test (Unicode digits included, which `\\d` matches)."""
    for code in range(0x10000):
        first = chr(code)
        for rest in (".1 Task", "1.1 Task", " ] 1.1 Task", "*VERIFY Phase 1**", "*1.1** Task", "**1.1 Task", ""):
            text = first + rest
            if grammar.CHECKBOX.match(text) or grammar.VERIFY_CHECKPOINT.match(text) or grammar.TASK_HEAD.match(text):
                assert grammar.may_head_item(text, 0), repr(text)
    assert grammar.may_head_item("٣.٢ Task", 0)  # an Arabic-Indic digit is a digit to `\\d`
    assert not grammar.may_head_item("See the notes", 0) and not grammar.may_head_item("", 0)
    assert grammar.may_head_item("**٣.٢** Task", 0) and not grammar.may_head_item("**Note:** a bold bullet", 0)


def test_every_paragraph_a_label_can_open_starts_with_a_label_character() -> None:
    """The builder reads labels (`**Execution Note:**`, `**VERIFY ...**`, `pipeline-start`) only in
    paragraphs that start with one of `_LABEL_FIRST`: no other first character lets a label match."""
    rests = ("*Execution Note:** x", "ERIFY Phase 1:", "*VERIFY 1:**", "ipeline-start: when 1.1 completes")
    for code in range(0x10000):
        for rest in rests:
            text = chr(code) + rest
            if grammar.NOTE_PREFIX.match(text) or grammar.VERIFY_HEAD.match(text) or grammar.PIPELINE_START.match(text):
                assert text[0] in plan._LABEL_FIRST, repr(text)


def test_every_spelling_the_dependency_patterns_match_passes_the_quick_test() -> None:
    """`find_dependencies` looks for "depend" in the lowered text before running its patterns:
    every character the case-insensitive patterns take for a letter of it lowers to that letter."""
    for index, letter in enumerate("depends"):
        same = re.compile(letter, re.IGNORECASE)
        for code in range(0x10000):
            if same.fullmatch(chr(code)):
                word = "depends"[:index] + chr(code) + "depends"[index + 1 :]
                for text in (f"({word}: 1.1)", f"{word} on: 1.1"):
                    assert [dep[0] for dep in grammar.find_dependencies(text)] == ["1.1"], text
    assert grammar.find_dependencies("a (see 1.1)") == []
