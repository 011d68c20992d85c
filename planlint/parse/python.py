"""What a Python file defines, read with libcst: the records behind PL303, PL304 and symbol conflicts.

For one file's bytes, the qualified names it defines (functions, classes, methods, class
attributes, module-level assignments) with their line ranges (PositionProvider's, counted without
resolving it), and the names its imports bind. libcst is imported only when a file must really be parsed, and a file
it cannot parse is a `ParseProblem`, never an exception. Which files to parse, and the cache of
what was parsed, live in `planlint.analysis.symbols`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import ast

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


# -- the outline: which names a file defines, without libcst ----------------------------------

Outline = tuple[tuple[str, str], ...]  # (qualname, kind) of each definition, in file order


def outline(data: bytes) -> Outline | None:
    """What `extract_symbols` would record, without line numbers: read with the standard library's
    `ast` in a tenth of libcst's time, to decide whether a file must be parsed with libcst at all.
    None when `ast` cannot read it (syntax newer than the running Python): libcst decides then."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():  # `"\d"` and the like: not planlint's to report
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    found: list[tuple[str, str]] = []
    _outline_block(tree.body, "", False, found)
    return tuple(found)


def outline_defines(found: Outline, name: str, module: str = "", *, attributes: bool = True) -> bool:
    """`FileSymbols.find` on an outline: whether it defines what the cited name means."""
    return any(_matches(q, name, module) and (attributes or kind != "attribute") for q, kind in found)


def _outline_block(statements: list[ast.stmt], prefix: str, in_class: bool, found: list[tuple[str, str]]) -> None:
    """The `_Collector`'s walk over `ast` nodes: defs, classes and assignment targets at module and
    class level, through `if`/`try`/`with`/loops (`match` and function bodies are not entered)."""
    import ast

    type_alias: Any = getattr(ast, "TypeAlias", ())  # Python 3.12's `type X = ...`
    compound: Any = (ast.If, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.Try,
                     getattr(ast, "TryStar", ast.Try))  # fmt: skip
    kind = "attribute" if in_class else "variable"
    for node in statements:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append((prefix + node.name, "method" if in_class else "function"))
        elif isinstance(node, ast.ClassDef):
            found.append((prefix + node.name, "class"))
            _outline_block(node.body, f"{prefix}{node.name}.", True, found)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.extend((prefix + n, kind) for target in targets for n in _outline_targets(target))
        elif isinstance(node, type_alias):
            found.append((prefix + node.name.id, kind))
        elif isinstance(node, compound):
            handlers = [handler.body for handler in getattr(node, "handlers", ())]
            for body in (node.body, *handlers, getattr(node, "orelse", []), getattr(node, "finalbody", [])):
                _outline_block(body, prefix, in_class, found)


def _outline_targets(target: ast.expr) -> list[str]:
    import ast

    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _outline_targets(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _outline_targets(element)]
    return []


# -- extraction with libcst ----------------------------------------------------------------


def extract_symbols(data: bytes) -> FileSymbols:
    """Parse one file's bytes with libcst: its definitions, or the problem that stopped it."""
    # libcst is heavy to import: only here, when a file really has to be parsed (STYLE.md §2.11)
    import libcst as cst

    lines = count_lines(data)
    try:
        module = cst.parse_module(data)
        collector = _Collector(cst, module)
        collector.block(module.body, "", in_class=False, line=1 + sum(map(collector.lines, module.header)))
    except cst.ParserSyntaxError as exc:
        message = re.sub(r"^(?:parser error: )?(?:error at \d+:\d+: )?", "", exc.message.splitlines()[0])
        message = "invalid syntax" if message.startswith("expected one of") else message  # a long token list
        return FileSymbols((), frozenset(), lines, ParseProblem(exc.editor_line, exc.editor_column, message))
    except Exception as exc:
        return FileSymbols((), frozenset(), lines, ParseProblem(1, 1, f"{type(exc).__name__}: {exc}"))
    return FileSymbols(tuple(collector.found), frozenset(collector.imports), lines)


class _Collector:
    """Module- and class-level definitions, through `if`/`try`/`with`/loops but not into functions.

    Line numbers are those of libcst's PositionProvider (a definition starts at its first
    decorator, its line is the `def`/`class` line, it ends where its last statement ends), counted
    instead of resolved: each statement's code (`Module.code_for_node`) is generated once, and the
    walk carries the line its code starts on. Resolving positions for every node of the module
    costs about twice the parse; generating the code costs a fraction of it.
    """

    def __init__(self, cst: Any, module: Any) -> None:
        self.cst = cst
        self.module = module
        self.found: list[Definition] = []
        self.imports: set[str] = set()

    def lines(self, node: Any) -> int:
        """The line breaks in a node's code, as libcst counts them (`\\r\\n`, `\\r` or `\\n`)."""
        code: str = self.module.code_for_node(node)
        return code.count("\n") + code.count("\r") - code.count("\r\n")

    def block(self, statements: Sequence[Any], prefix: str, *, in_class: bool, line: int) -> int:
        """Record what the statements define; their code starts at `line`. The line after them."""
        for statement in statements:
            line = self.statement(statement, prefix, in_class, line)
        return line

    def statement(self, node: Any, prefix: str, in_class: bool, line: int) -> int:
        cst = self.cst
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            top = line + sum(map(self.lines, node.leading_lines))
            start = top + (sum(map(self.lines, node.decorators[0].leading_lines)) if node.decorators else 0)
            header = top + sum(map(self.lines, node.decorators)) + sum(map(self.lines, node.lines_after_decorators))
            name = prefix + node.name.value
            kind = "class" if isinstance(node, cst.ClassDef) else "method" if in_class else "function"
            at = len(self.found)
            self.found.append(Definition(name, kind, start, header, header))
            if isinstance(node, cst.ClassDef):
                after = self.compound(node, name + ".", True, line)
            else:
                after = line + self.lines(node)
            self.found[at] = self.found[at]._replace(end=after - self.trailing(node))
            return after
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            after = line + self.lines(node)
            kind = "attribute" if in_class else "variable"
            names = [name for small in node.body for name in self.bound_names(small, top=not prefix)]
            if names:
                before = node.leading_lines if isinstance(node, cst.SimpleStatementLine) else (node.leading_whitespace,)
                first, last = line + sum(map(self.lines, before)), after - self.trailing(node)
                self.found.extend(Definition(prefix + name, kind, first, first, last) for name in names)
            return after
        if isinstance(node, (cst.If, cst.With, cst.For, cst.While, cst.Try, cst.TryStar)):
            return self.compound(node, prefix, in_class, line)
        return line + self.lines(node)

    def compound(self, node: Any, prefix: str, in_class: bool, line: int) -> int:
        """Walk a compound statement's parts in source order, into its bodies (and `elif`,
        `else`, `except` and `finally` clauses). The line after it."""
        cst = self.cst
        for child in node.children:
            if isinstance(child, cst.IndentedBlock):
                line = self.block(child.body, prefix, in_class=in_class, line=line + self.lines(child.header))
                line += sum(map(self.lines, child.footer))
            elif isinstance(child, cst.SimpleStatementSuite):
                line = self.statement(child, prefix, in_class, line)
            elif isinstance(child, (cst.If, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally)):
                line = self.compound(child, prefix, in_class, line)
            else:
                line += self.lines(child)
        return line

    def trailing(self, node: Any) -> int:
        """The line breaks of a statement's code after its last token: the newline of its last
        simple statement, and the comment lines that close the blocks it ends with."""
        cst = self.cst
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return self.lines(node.trailing_whitespace)
        if isinstance(node, cst.IndentedBlock):
            return sum(map(self.lines, node.footer)) + (self.trailing(node.body[-1]) if node.body else 1)
        if isinstance(node, cst.Match):
            return sum(map(self.lines, node.footer)) + self.trailing(node.cases[-1])
        return self.trailing(node.children[-1])

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
