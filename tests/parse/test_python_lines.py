"""The symbol records' line numbers are libcst's PositionProvider's, counted without resolving it.

`planlint.parse.python` counts lines through the code of the statements it walks; the oracle
here is the collector as it was, reading `PositionProvider` for every node. The records must be
identical on every Python file of planlint itself and of the shared corpus, and on the odd
layouts below (CRLF and CR newlines, comments closing blocks, backslash continuations).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from planlint.parse.python import Definition, extract_symbols
from tests.conftest import CORPUS, REPO


def oracle(data: bytes) -> list[Definition]:
    """The definitions the PositionProvider-based collector recorded."""
    module = cst.parse_module(data)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found: list[Definition] = []

    def block(statements: Sequence[Any], prefix: str, in_class: bool) -> None:
        for node in statements:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                where = positions[node]
                start = min([where.start.line] + [positions[d].start.line for d in node.decorators])
                name = prefix + node.name.value
                kind = "class" if isinstance(node, cst.ClassDef) else "method" if in_class else "function"
                found.append(Definition(name, kind, start, where.start.line, where.end.line))
                if isinstance(node, cst.ClassDef):
                    block(suite(node.body), name + ".", True)
            elif isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                first, last = positions[node].start.line, positions[node].end.line
                for small in node.body:
                    for bound in names(small):
                        found.append(
                            Definition(prefix + bound, "attribute" if in_class else "variable", first, first, last)
                        )
            else:
                for body in suites(node):
                    block(suite(body), prefix, in_class)

    def suites(node: Any) -> list[Any]:
        result = []
        if isinstance(node, (cst.If, cst.With, cst.For, cst.While, cst.Try, cst.TryStar)):
            result.append(node.body)
            result.extend(handler.body for handler in getattr(node, "handlers", ()))
            orelse = getattr(node, "orelse", None)
            if isinstance(orelse, cst.If):
                result.extend(suites(orelse))
            elif orelse is not None:
                result.append(orelse.body)
            final = getattr(node, "finalbody", None)
            if final is not None:
                result.append(final.body)
        return result

    def suite(body: Any) -> Sequence[Any]:
        return body.body if isinstance(body, cst.IndentedBlock) else (body,)

    def names(small: Any) -> list[str]:
        if isinstance(small, cst.Assign):
            return [n for target in small.targets for n in target_names(target.target)]
        if isinstance(small, cst.AnnAssign):
            return target_names(small.target)
        if isinstance(small, cst.TypeAlias):
            return [small.name.value]
        return []

    def target_names(target: Any) -> list[str]:
        if isinstance(target, cst.Name):
            return [target.value]
        if isinstance(target, (cst.Tuple, cst.List)):
            return [n for element in target.elements for n in target_names(element.value)]
        return []

    block(module.body, "", False)
    return found


def python_files() -> list[Path]:
    found = sorted((REPO / "planlint").rglob("*.py")) + sorted((REPO / "tests").rglob("*.py"))
    if CORPUS.is_dir():
        found += sorted(CORPUS.rglob("*.py"))
    return found


ODD_LAYOUTS = {
    "crlf": b"import os\r\n\r\n@dec(\r\n    1)\r\ndef f():\r\n    return 1\r\n\r\nX = 1\r\n",
    "cr": b"class A:\r    x = 1\r\r    def m(self):\r        pass\r",
    "footer comments": b"class A:\n    def m(self):\n        pass\n        # trailing\n    # closing\n\n# end\nY = 2\n",
    "continuations": b"X = \\\n    1\nif True: Y = 2; Z = (\n    3)\ndef f(): return 1  # c\n",
    "compound": (
        b"try:\n    import a\nexcept ImportError:\n    a = None\nelse:\n    B = 1\nfinally:\n    C = 2\n"
        b"if x:\n    D = 1\nelif y:\n    E = 2\nelse:\n    F = 3\nfor i in []:\n    G = 1\nelse:\n    H = 2\n"
        b"while False:\n    pass\nwith open(p) as f, \\\n        open(q) as g:\n    I = '''\nmulti\n'''\n"
        b"match p:\n    case 1:\n        J = 1\n    # after\nK = [\n    1,\n]\n"
    ),
    "nested classes": (
        b"@a\n\n@b\nclass A(\n    Base,\n    metaclass=M,\n):\n    class B:\n        x: int = 1\n"
        b"        (y, [z, *w]) = 1, [2, 3]\n    q = r = 1\n"
    ),
    "no final newline": b"def f():\n    return 1",
    "header comments": b"#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n\nX = 1\n",
    "empty": b"",
}


@pytest.mark.parametrize("data", list(ODD_LAYOUTS.values()), ids=list(ODD_LAYOUTS))
def test_counted_lines_match_the_position_provider_on_odd_layouts(data: bytes) -> None:
    symbols = extract_symbols(data)
    assert symbols.problem is None
    assert list(symbols.definitions) == oracle(data)


@pytest.mark.slow  # parses every Python file of planlint, its tests and the corpus twice
def test_counted_lines_match_the_position_provider_on_real_files() -> None:
    checked = 0
    for path in python_files():
        data = path.read_bytes()
        symbols = extract_symbols(data)
        if symbols.problem is None:
            assert list(symbols.definitions) == oracle(data), path
            checked += 1
    assert checked > 150
