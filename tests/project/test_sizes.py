"""No module over 400 lines and no function over 60, in planlint/ and the docs generators (issue 17).

Read from the code with `ast` (nothing is run): a module's size is its line count, a function's
(or method's, or nested function's) runs from its `def` line to its last line, decorators aside.
A ratchet: the exceptions known today are listed, each with why it is still long. A new one
fails the test, and so does a listed one that is gone, until its line is deleted.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from tests.conftest import REPO

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SOURCES = ("planlint", "docs")

# path -> why it is still over MAX_MODULE_LINES
KNOWN_LONG_MODULES: dict[str, str] = {}

# "path:qualified.name" -> why it is still over MAX_FUNCTION_LINES
KNOWN_LONG_FUNCTIONS: dict[str, str] = {}


def python_files() -> list[Path]:
    return sorted(path for folder in SOURCES for path in (REPO / folder).rglob("*.py"))


def functions(tree: ast.AST, prefix: str = "") -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function in the tree with its qualified name (`Class.method`, `outer.inner`)."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append((prefix + node.name, node))
            found += functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            found += functions(node, f"{prefix}{node.name}.")
        else:
            found += functions(node, prefix)
    return found


@functools.cache
def measured() -> tuple[dict[str, int], dict[str, int]]:
    """(long modules, long functions) of the tree as it is, with their line counts."""
    modules, long_functions = {}, {}
    for path in python_files():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(REPO).as_posix()
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            modules[name] = lines
        for qualified, node in functions(ast.parse(text, str(path))):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long_functions[f"{name}:{qualified}"] = length
    return modules, long_functions


def test_no_new_long_module() -> None:
    modules, _ = measured()
    new = {name: lines for name, lines in modules.items() if name not in KNOWN_LONG_MODULES}
    assert not new, f"modules over {MAX_MODULE_LINES} lines (split them by job): {new}"


def test_no_new_long_function() -> None:
    _, long_functions = measured()
    new = {name: lines for name, lines in long_functions.items() if name not in KNOWN_LONG_FUNCTIONS}
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines: {new}"


def test_known_long_ones_are_still_long() -> None:
    modules, long_functions = measured()
    gone = sorted(set(KNOWN_LONG_MODULES) - set(modules)) + sorted(set(KNOWN_LONG_FUNCTIONS) - set(long_functions))
    assert not gone, f"now within the limits: delete their lines from {__file__}: {gone}"


def test_functions_are_measured_with_their_qualified_names() -> None:
    source = "class A:\n    def f(self):\n        def g():\n            pass\n\n\ndef h():\n    return 1\n"
    found = {name: (node.end_lineno or 0) - node.lineno + 1 for name, node in functions(ast.parse(source))}
    assert found == {"A.f": 3, "A.f.g": 2, "h": 2}
