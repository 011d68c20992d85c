"""What rules share is computed once per check and reaches them through the rule `Context`
(DESIGN.md §6): no module of planlint keeps state keyed by a Plan, and analysis reads no config
from disk. Checked from the code itself, so it stays true."""

from __future__ import annotations

import ast

from tests.conftest import REPO

PACKAGE = REPO / "planlint"
_CACHES = {"lru_cache", "cache", "WeakKeyDictionary", "WeakValueDictionary"}


def _names(node: ast.AST | None) -> set[str]:
    return (
        {n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node) if isinstance(n, ast.Name | ast.Attribute)}
        if node
        else set()
    )


def plan_keyed_state(tree: ast.Module) -> list[str]:
    """Module-level mappings annotated or built to hold Plans, and memoised functions of a Plan."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            annotation = node.annotation if isinstance(node, ast.AnnAssign) else None
            value = node.value
            if "Plan" in _names(annotation) or ("WeakKeyDictionary" in _names(value)):
                found.append(f"line {node.lineno}")
        if isinstance(node, ast.FunctionDef):
            memoised = any(_names(d) & _CACHES for d in node.decorator_list)
            takes_plan = any("Plan" in _names(a.annotation) for a in node.args.args)
            if memoised and takes_plan:
                found.append(f"{node.name}()")
    return found


def test_no_module_keeps_state_keyed_by_a_plan() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := plan_keyed_state(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_probe_finds_a_plan_keyed_cache() -> None:
    sample = ast.parse(
        "import weakref\n"
        "_BY_PLAN: weakref.WeakKeyDictionary[Plan, int] = weakref.WeakKeyDictionary()\n"
        "@lru_cache(maxsize=4)\ndef f(plan: Plan) -> int:\n    return 1\n"
    )
    assert plan_keyed_state(sample) == ["line 2", "f()"]


def test_analysis_reads_no_config() -> None:
    """Config reaches analysis through the Context: no module under analysis/ imports it."""
    importers = []
    for path in sorted((PACKAGE / "analysis").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "planlint.config":
                importers.append(path.name)
    assert importers == []
