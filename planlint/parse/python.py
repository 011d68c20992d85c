"""What a Python file defines, read with libcst: the records behind PL303, PL304 and symbol conflicts.

For one file's bytes, the qualified names it defines (functions, classes, methods, class
attributes, module-level assignments) with their line ranges, from libcst's PositionProvider, and
the names its imports bind. libcst is imported only when a file must really be parsed, and a file
it cannot parse is a `ParseProblem`, never an exception. Which files to parse, and the cache of
what was parsed, live in `planlint.analysis.symbols`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

PYTHON_SUFFIXES = (".py", ".pyi")


class Definition(NamedTuple):
    """A name a file defines, with its lines (1-based, inclusive)."""

    qualname: str  # `Orchestrator.run`; module-level names have no prefix
    kind: str  # function, method, class, attribute (in a class body) or variable (module level)
    start: int  # first line, decorators included
    line: int  # the `def` or `class` line; the statement's first line for an assignment
    end: int

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


class ParseProblem(NamedTuple):
    line: int
    column: int
    message: str


class FileSymbols(NamedTuple):
    """What one Python file defines, or why it could not be parsed."""

    definitions: tuple[Definition, ...]
    imports: frozenset[str]  # names that module-level imports bind (`os`, `Path`, `np`)
    line_count: int
    problem: ParseProblem | None = None

    def find(self, name: str, module: str = "", *, attributes: bool = True) -> list[Definition]:
        """Definitions a cited name means: `run` or `Orchestrator.run` or `app.Orchestrator.run`."""
        return [
            d for d in self.definitions
            if _matches(d.qualname, name, module) and (attributes or d.kind != "attribute")
        ]  # fmt: skip


def symbol_name(text: str) -> str:
    """The name a symbol reference cites: `_build_prompt()` -> `_build_prompt`, `self.run` -> `run`."""
    name = text.split("(", 1)[0].strip()
    for prefix in ("self.", "cls."):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def module_name(path: str) -> str:
    """`scripts/lib/app.py` -> `scripts.lib.app`; a package's `__init__.py` is the package."""
    parts = path.rsplit(".", 1)[0].split("/")
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _matches(qualname: str, name: str, module: str) -> bool:
    if qualname == name or qualname.endswith("." + name):
        return True
    if module and "." in name:
        full = f"{module}.{qualname}"
        return full == name or full.endswith("." + name)
    return False


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


# -- extraction with libcst ----------------------------------------------------------------


def extract_symbols(data: bytes) -> FileSymbols:
    """Parse one file's bytes with libcst: its definitions, or the problem that stopped it."""
    # libcst is heavy to import: only here, when a file really has to be parsed (STYLE.md §2.11)
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    lines = count_lines(data)
    try:
        module = cst.parse_module(data)
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        collector = _Collector(cst, positions)
        collector.block(module.body, "", in_class=False)
    except cst.ParserSyntaxError as exc:
        message = re.sub(r"^(?:parser error: )?(?:error at \d+:\d+: )?", "", exc.message.splitlines()[0])
        message = "invalid syntax" if message.startswith("expected one of") else message  # a long token list
        return FileSymbols((), frozenset(), lines, ParseProblem(exc.editor_line, exc.editor_column, message))
    except Exception as exc:
        return FileSymbols((), frozenset(), lines, ParseProblem(1, 1, f"{type(exc).__name__}: {exc}"))
    return FileSymbols(tuple(collector.found), frozenset(collector.imports), lines)


class _Collector:
    """Module- and class-level definitions, through `if`/`try`/`with`/loops but not into functions."""

    def __init__(self, cst: Any, positions: Any) -> None:
        self.cst = cst
        self.positions = positions
        self.found: list[Definition] = []
        self.imports: set[str] = set()

    def block(self, statements: Sequence[Any], prefix: str, *, in_class: bool) -> None:
        for statement in statements:
            self.statement(statement, prefix, in_class)

    def statement(self, node: Any, prefix: str, in_class: bool) -> None:
        cst = self.cst
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            where = self.positions[node]
            start = min([where.start.line] + [self.positions[d].start.line for d in node.decorators])
            name = prefix + node.name.value
            kind = "class" if isinstance(node, cst.ClassDef) else "method" if in_class else "function"
            self.found.append(Definition(name, kind, start, where.start.line, where.end.line))
            if isinstance(node, cst.ClassDef):
                self.block(self.suite(node.body), name + ".", in_class=True)
        elif isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            first, last = self.positions[node].start.line, self.positions[node].end.line
            kind = "attribute" if in_class else "variable"
            for small in node.body:
                for name in self.bound_names(small, top=not prefix):
                    self.found.append(Definition(prefix + name, kind, first, first, last))
        else:
            for suite in self.suites(node):
                self.block(self.suite(suite), prefix, in_class=in_class)

    def suites(self, node: Any) -> list[Any]:
        """The bodies of a compound statement other than a def or class."""
        cst = self.cst
        found = []
        if isinstance(node, (cst.If, cst.With, cst.For, cst.While, cst.Try, cst.TryStar)):
            found.append(node.body)
            found.extend(handler.body for handler in getattr(node, "handlers", ()))
            orelse = getattr(node, "orelse", None)
            if isinstance(orelse, cst.If):
                found.extend(self.suites(orelse))
            elif orelse is not None:
                found.append(orelse.body)
            final = getattr(node, "finalbody", None)
            if final is not None:
                found.append(final.body)
        return found

    def suite(self, suite: Any) -> Sequence[Any]:
        return suite.body if isinstance(suite, self.cst.IndentedBlock) else (suite,)

    def bound_names(self, small: Any, *, top: bool) -> list[str]:
        cst = self.cst
        if isinstance(small, cst.Assign):
            return [n for target in small.targets for n in self.target_names(target.target)]
        if isinstance(small, cst.AnnAssign):
            return self.target_names(small.target)
        if isinstance(small, cst.TypeAlias):
            return [small.name.value]
        imports = isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar)
        if top and imports:
            for alias in small.names:
                bound = alias.asname.name if alias.asname else alias.name
                while isinstance(bound, cst.Attribute):  # `import a.b` binds `a`
                    bound = bound.value
                if isinstance(bound, cst.Name):
                    self.imports.add(bound.value)
        return []

    def target_names(self, target: Any) -> list[str]:
        cst = self.cst
        if isinstance(target, cst.Name):
            return [target.value]
        if isinstance(target, (cst.Tuple, cst.List)):
            return [n for element in target.elements for n in self.target_names(element.value)]
        return []
