"""parse/blocks.py skips markdown-it's reference, html_block and lheading rules, and its fence
and indented code rules, only on text where none of them can match: the block tree must be the
full CommonMark parser's."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlint.parse.blocks import BlockNode, _code_rules, _lean, _markdown, _tree, parse_blocks

RULES = Path(__file__).resolve().parents[2] / "rules"


def shape(nodes: list[BlockNode]) -> list[object]:
    return [(n.type, n.tag, n.map, n.info, n.content, shape(n.children)) for n in nodes]


def same_tree(text: str) -> bool:
    full = shape(_tree(_markdown(False).parse(text)))
    return shape(_tree(_markdown(True).parse(text))) == full and shape(parse_blocks(text)) == full


@pytest.mark.parametrize(
    "text",
    [
        "[foo]: /url\n\n- [ ] 1.1 task\n",
        "para\n[a\nb]: /url\n",
        "<div>\nx\n</div>\n",
        "- <!-- note -->\n",
        "> 1. <details>\n",
        "Title\n=====\n",
        "- item\n  text\n  ---\n",
        "> quote\n> ---\n",
        "para\n\t-\n",
        "para\r\n---\r\n",
        "- [ ] 1.1 a\x00b\n",
    ],
)
def test_text_a_rare_rule_could_match_takes_the_full_parser(text: str) -> None:
    assert not _lean(text)


@pytest.mark.parametrize(
    "text",
    [
        "# Plan\n\n---\n\n## Phase 1: Setup\n\n- [ ] 1.1 Write `a.py` (depends: 1.0)\n",
        "Use `Array<T>` and x < y; see [link](http://x) and [ref][x].\n",
        "- [x] **1.2** done\n\n    ---\n\n===\n",
        "",
    ],
)
def test_text_no_rare_rule_can_match_is_lean_and_parses_alike(text: str) -> None:
    assert _lean(text)
    assert same_tree(text)


@pytest.mark.parametrize(
    ("text", "fences", "indented"),
    [
        ("- [ ] 1.1 task\n  - step\n", False, False),
        ("```bash\nls\n```\n", True, False),
        ("~~~\ncode\n~~~\n", True, False),
        ("para\n\n    code\n", False, True),
        ("-     code after a marker\n", False, True),
        (">     quoted code\n", False, True),
        ("- a\n\n\tb\n", False, True),
        ("`inline` and ``double`` only\n", False, False),
    ],
)
def test_code_rules_run_only_where_a_fence_or_indented_code_can_open(text: str, fences: bool, indented: bool) -> None:
    assert _code_rules(text) == (fences, indented)
    assert same_tree(text)


@pytest.mark.parametrize(
    "text",
    [
        "```\nx\n```\n",
        "- a\n\n      code\n",
        "> x\n>\n>      code\n",
        "1. a\n\n        b\n",
        "\tcode\n",
        "~~~~\n~~~~\n",
    ],
)
def test_text_with_code_keeps_the_rules_that_read_it(text: str) -> None:
    assert any(kind in {"fence", "code_block"} for kind in kinds(parse_blocks(text)))
    assert same_tree(text)


def kinds(nodes: list[BlockNode]) -> list[str]:
    return [kind for node in nodes for kind in (node.type, *kinds(node.children))]


def plans(root: Path) -> list[Path]:
    return sorted(root.rglob("*.md"))


def test_rule_examples_parse_alike_either_way() -> None:
    examples = plans(RULES)
    assert examples
    for path in examples:
        text = path.read_text(encoding="utf-8")
        if _lean(text):
            assert same_tree(text), path


def test_corpus_plans_parse_alike_either_way(corpus: Path) -> None:
    lean = 0
    for path in plans(corpus / "docs"):
        text = path.read_text(encoding="utf-8")
        if _lean(text):
            lean += 1
            assert same_tree(text), path
    assert lean > 0
