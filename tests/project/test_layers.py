"""Imports point down the layers of DESIGN.md section 6, and no module imports itself in a circle.

The graph comes from the code's own import statements (read with `ast`, nothing is run): every
`import` and `from ... import` anywhere in a module counts, at the top, inside a function (lazy)
or under `if TYPE_CHECKING:` (a type is a dependency too). A module may import one in its own
layer or a lower one: commands -> emit / fix / report -> engine -> rules -> analysis -> parse ->
model.

Since issue 17 there is no back-arrow and no cycle. The lists below stay as a ratchet should an
exception ever be needed: each entry says why it runs that way; a new arrow or cycle fails the
test, and one that is gone fails it too until its line is deleted, so the lists only shrink.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "planlint"

# Layers, bottom first; a module may import its own layer or one below.
MODEL, PARSE, ANALYSIS, RULES, ENGINE, WRITE, COMMANDS = range(7)
LAYER_NAMES = ["model", "parse", "analysis", "rules", "engine", "emit/fix/report", "commands"]

# Each module (or package, meaning all of it) and its layer. The choices that are not obvious:
# - diagnostic.py holds the Diagnostic and the Edit and Fix values it carries, which every rule
#   builds: model. What applies them (fix/) is the fix layer.
# - config.py, text.py, errors.py, catalogue.py, version.py are read by every layer: model.
# - io.py reads sources into text, so parse; writing is fix/writes.py.
# - api.py runs read -> parse -> engine per file and defines the FileResult that reporters format:
#   engine.
# - pairing.py derives from paths only: analysis.
# - the `planlint` package itself is the public facade over api.py, emit/ and fix/: commands.
LAYERS: dict[str, int] = {
    "planlint": COMMANDS,
    "planlint.__main__": COMMANDS,
    "planlint.cli": COMMANDS,
    "planlint.commands": COMMANDS,
    "planlint.emit": WRITE,
    "planlint.fix": WRITE,
    "planlint.report": WRITE,
    # engine
    "planlint.engine": ENGINE,
    "planlint.suppression": ENGINE,
    "planlint.api": ENGINE,
    "planlint.discovery": ENGINE,
    # rules
    "planlint.rules": RULES,
    "planlint.rule": RULES,
    # analysis
    "planlint.analysis": ANALYSIS,
    "planlint.pairing": ANALYSIS,
    # parse
    "planlint.parse": PARSE,
    "planlint.io": PARSE,
    # model
    "planlint.model": MODEL,
    "planlint.diagnostic": MODEL,
    "planlint.text": MODEL,
    "planlint.errors": MODEL,
    "planlint.config": MODEL,
    "planlint.catalogue": MODEL,
    "planlint.version": MODEL,
    "planlint.schemas": MODEL,
}

# Known back-arrows (importer -> imported): each should go; none may be added.
KNOWN_BACK_ARROWS: dict[tuple[str, str], str] = {}

# Known cycles (strongly connected groups of modules): each should go; none may grow or be added.
KNOWN_CYCLES: dict[frozenset[str], str] = {}


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(module: str, path: Path) -> Iterator[str]:
    """Every name the module imports, absolute, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield from (f"{base}.{alias.name}" for alias in node.names)


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Module -> the planlint modules it imports (`from a import b` is module a.b if that exists)."""
    known = modules()

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        targets = {owner(name) for name in imported_names(module, path) if name.split(".")[0] == "planlint"}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def layer(module: str) -> int | None:
    """The layer of the longest LAYERS entry that is the module or a subpackage holding it.

    The bare `planlint` entry is the package's own __init__ only, not a default for the rest.
    """
    if module == "planlint":
        return LAYERS[module]
    name = module
    while "." in name:
        if name in LAYERS:
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


def back_arrows(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {
        (source, target)
        for source, targets in graph.items()
        for target in targets
        if (layer(target) or 0) > (layer(source) or 0)
    }


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
    return groups


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in modules() if layer(m) is None)
    assert not unplaced, f"add these modules to LAYERS in {__file__}: {unplaced}"


def test_no_new_back_arrow() -> None:
    found = back_arrows(import_graph())
    new = sorted(found - set(KNOWN_BACK_ARROWS))
    describe = [f"{s} ({LAYER_NAMES[layer(s) or 0]}) -> {t} ({LAYER_NAMES[layer(t) or 0]})" for s, t in new]
    assert not new, "imports that run up the layers of DESIGN.md section 6:\n" + "\n".join(describe)


def test_known_back_arrows_are_still_there() -> None:
    gone = sorted(set(KNOWN_BACK_ARROWS) - back_arrows(import_graph()))
    assert not gone, f"these back-arrows are gone; delete them from KNOWN_BACK_ARROWS: {gone}"


def test_no_new_import_cycle() -> None:
    found = cycles(import_graph())
    new = [sorted(g) for g in found if not any(g <= known for known in KNOWN_CYCLES)]
    assert not new, f"new import cycles (or known ones that grew): {new}"


def test_known_cycles_are_still_there() -> None:
    found = cycles(import_graph())
    gone = [sorted(known) for known in KNOWN_CYCLES if not any(known & g for g in found)]
    assert not gone, f"these import cycles are gone; delete them from KNOWN_CYCLES: {gone}"


def test_the_graph_sees_lazy_relative_and_type_only_imports(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from ..parse import grammar\n"
        "if TYPE_CHECKING:\n"
        "    from planlint.model import Plan\n"
        "def later():\n"
        "    import planlint.engine\n"
        "    from .rules import load\n",
        encoding="utf-8",
    )
    names = set(imported_names("planlint.analysis.module", source))
    assert names == {"typing.TYPE_CHECKING", "planlint.analysis.sibling", "planlint.parse.grammar",
                     "planlint.model.Plan", "planlint.engine", "planlint.analysis.rules.load"}  # fmt: skip
    graph = import_graph()
    assert "planlint.rule" in graph["planlint.rules"]  # the registry's import of the base class
    assert graph["planlint.__main__"] == {"planlint.cli"}


def test_layers_place_modules_by_their_longest_entry() -> None:
    assert layer("planlint.rules.status_summary") == RULES
    assert layer("planlint.emit.document") == layer("planlint.emit") == WRITE
    assert layer("planlint.fix.writes") == layer("planlint.report.sarif") == WRITE
    assert layer("planlint.parse.jsonedit") == PARSE and layer("planlint.analysis.task_constraints") == ANALYSIS
    assert layer("planlint.no_such_module") is None  # the package's own entry is no catch-all
    graph = {"planlint.model": {"planlint.engine"}, "planlint.engine": {"planlint.model", "planlint.rules.no_tasks"}}
    assert back_arrows(graph) == {("planlint.model", "planlint.engine")}


def test_cycles_are_strongly_connected_groups() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(map(sorted, cycles(graph))) == [["a", "b", "c"], ["d", "e"]]
