"""One generated test per rule example in rules/<CODE>/{pass,fail}/ and per text variant.

A fail example marks each line where a diagnostic must start with `<!-- expect: CODE -->`;
the set of (line, code) planlint finds for that code must equal the set of markers, on LF, CRLF,
UTF-8-BOM and no-final-newline variants of the same file (STYLE.md §2.9).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from planlint.config import Config
from planlint.engine import lint_plan
from planlint.io import decode_source
from planlint.parse.plan import parse_plan

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
MARKER = re.compile(r"<!--\s*expect:\s*(?P<codes>[A-Z0-9, ]+?)\s*-->")
VARIANTS = ("lf", "crlf", "bom", "no-final-newline")


def example_files() -> list[Path]:
    return sorted(p for p in RULES_DIR.glob("PL*/*/*.md") if not p.name.endswith(".fixed.md"))


def example_cases() -> Iterator[object]:
    for case in example_files():
        code, kind = case.parts[-3], case.parts[-2]
        for variant in VARIANTS:
            yield pytest.param(code, kind, case, variant, id=f"{code}/{kind}/{case.stem}/{variant}")


def variant_bytes(text: str, variant: str) -> bytes:
    text = text.replace("\r\n", "\n")
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "no-final-newline":
        text = text.rstrip("\n")
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if variant == "bom" else data


def expected_markers(text: str, code: str) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for match in MARKER.finditer(line):
            for found in re.split(r"[,\s]+", match.group("codes").strip()):
                if found == code:
                    expected.add((number, found))
    return expected


def found_diagnostics(data: bytes, path: Path, code: str) -> set[tuple[int, str]]:
    source = decode_source(data, path)
    config = Config(root=path.parent).with_overrides(select=[code])
    plan = parse_plan(source)
    return {
        (source.position(d.span.start)[0], d.code)
        for d in lint_plan(plan, config)
        if d.code == code and d.span.path == path
    }


@pytest.mark.parametrize(("code", "kind", "case", "variant"), example_cases())
def test_rule_example(code: str, kind: str, case: Path, variant: str) -> None:
    text = case.read_text(encoding="utf-8")
    expected = expected_markers(text, code)
    if kind == "pass":
        assert not expected, "a pass example must not carry expect markers"
    else:
        assert expected, "a fail example needs at least one <!-- expect: CODE --> marker"
    found = found_diagnostics(variant_bytes(text, variant), case, code)
    assert sorted(found) == sorted(expected)


def test_examples_exist() -> None:
    assert example_files(), "rules/ holds no examples"
