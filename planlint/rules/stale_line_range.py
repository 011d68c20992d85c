"""A symbol cited at `path:L1-L2` is no longer at those lines.

"Fix `_build_prompt()` at `scripts/orchestrator.py:601-638`": between planning and execution the
code moves, and an agent sent to lines 601-638 edits whatever is there now. The lines are stale
when they neither hold the symbol's `def`/`class` line nor lie inside its definition. The fix
rewrites the numbers to where the symbol is now (safe: the reference still names the same file
and symbol). When the symbol has moved to another file, the fix rewrites the path as well; that
one is unsafe (`--unsafe-fixes`), because the task may have meant the old file. A symbol that is
gone altogether is PL304's finding. Tasks already checked off are history and are not checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from planlint.analysis.citations import Citation, extent, introduced_names, line_numbers, python_file
from planlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from planlint.parse.python import Definition, module_name
from planlint.rule import Context, Rule


class StaleLineRange(Rule):
    code = "PL303"
    name = "stale-line-range"
    severity = Severity.WARNING
    fixable = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        introduced = introduced_names(ctx.citations)
        cited_by = Counter(c.path.span for c in ctx.citations if c.path is not None)
        for citation in ctx.citations:
            cited = citation.path
            if cited is None or cited.lines is None or citation.task.checked or citation.name in introduced:
                continue
            if cited_by[cited.span] > 1:
                continue  # `load()` and `save()` at `store.py:10-40`: whose lines they are is unclear
            first, last = cited.lines
            key = python_file(cited, ctx.symbols.files)
            symbols = ctx.symbols.symbols(key) if key is not None and first <= last else None
            if key is None or symbols is None or symbols.problem is not None:
                continue  # reversed ranges are PL302's, unparsable files PL304's
            definitions = symbols.find(citation.name, module_name(key))
            if any(_holds(d, first, last) for d in definitions):
                continue
            if definitions:
                yield self._moved_within(ctx, citation, key, definitions)
            else:  # cited lines mean the definition, even when the file now imports the name
                elsewhere = [p for p in ctx.symbols.defining(citation.name) if p != key]
                if len(elsewhere) == 1:
                    yield self._moved_away(ctx, citation, key, elsewhere[0])

    def _moved_within(self, ctx: Context, citation: Citation, key: str,
                      definitions: list[Definition]) -> Diagnostic:  # fmt: skip
        assert citation.path is not None and citation.path.lines is not None
        text = ctx.plan.source.text
        old = _written(*citation.path.lines)
        now = ", ".join(_numbers(d, citation.path.lines) for d in definitions)
        fix = None
        numbers = line_numbers(text, citation.path)
        if len(definitions) == 1 and numbers is not None:
            fix = Fix(f"rewrite the line numbers to {now}", (Edit(numbers, now),))
        return self.diagnostic(
            extent(text, citation.path),
            f"`{citation.symbol.text}` is at {_lines(now)} of `{key}` now, not {old}",
            fix=fix,
        )

    def _moved_away(self, ctx: Context, citation: Citation, key: str, other: str) -> Diagnostic:
        assert citation.path is not None and citation.path.lines is not None
        text = ctx.plan.source.text
        symbols = ctx.symbols.symbols(other)
        found = symbols.find(citation.name, module_name(other)) if symbols is not None else []
        fix = None
        where = f"`{other}`"
        if len(found) == 1:
            new = f"{other}:{_numbers(found[0], citation.path.lines)}"
            where = f"`{new}`"
            fix = Fix(
                f"point to {new}",
                (Edit(extent(text, citation.path), new),),
                Applicability.UNSAFE,
                rewrites_references=True,
            )
        return self.diagnostic(
            extent(text, citation.path),
            f"`{citation.symbol.text}` is no longer in `{key}`; it is defined at {where}",
            fix=fix,
        )


def _holds(definition: Definition, first: int, last: int) -> bool:
    """The cited lines still point at the definition: they hold its first line, or lie inside it."""
    inside = definition.start <= first and last <= definition.end
    return inside or first <= definition.line <= last


def _numbers(definition: Definition, cited: tuple[int, int]) -> str:
    """The definition's lines, written as the plan wrote the old ones (a line, or a range)."""
    if cited[0] == cited[1]:
        return str(definition.line)
    return _written(definition.line, definition.end)


def _lines(numbers: str) -> str:
    return f"line {numbers}" if numbers.isdigit() else f"lines {numbers}"


def _written(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
