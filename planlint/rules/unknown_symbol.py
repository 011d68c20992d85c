"""A symbol said to be in a Python file is not defined there.

"Update `get_next_task()` in `scripts/orchestrator.py`" when the file defines `get_next_tasks`:
the agent will search, guess, or add a second function. The finding suggests the closest name the
file does define, or the file that defines the symbol now. A symbol that some task of the plan
adds ("Add `retry()` to ..."), a name the file imports, and symbols of tasks already checked off
are not checked. A Python file that libcst cannot parse is reported once, as information, at the
first reference that needed it; its symbols are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.citations import Citation, introduced_names, python_file
from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span
from planlint.parse.python import FileSymbols, ParseProblem, module_name
from planlint.rule import Context, Rule


class UnknownSymbol(Rule):
    code = "PL304"
    name = "unknown-symbol"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        found = ctx.citations
        introduced = introduced_names(found)
        unparsable: set[str] = set()
        ctx.symbols.prefetch(c.name for c in found if c.path is None and not c.task.checked)
        for citation in found:
            if citation.task.checked:
                continue
            if citation.path is None:
                for path, problem in ctx.symbols.unparsable(citation.name):
                    if path not in unparsable:
                        unparsable.add(path)
                        yield self._unparsable(citation.symbol.span, path, problem)
                continue
            if citation.introduced or citation.name in introduced:
                continue
            key = python_file(citation.path, ctx.symbols.files)
            symbols = ctx.symbols.symbols(key) if key is not None else None
            if key is None or symbols is None:
                continue
            if symbols.problem is not None:
                if key not in unparsable:
                    unparsable.add(key)
                    yield self._unparsable(citation.symbol.span, key, symbols.problem)
                continue
            if symbols.find(citation.name, module_name(key)) or citation.name.split(".", 1)[0] in symbols.imports:
                continue  # defined here, or imported into the file (`subprocess.run()`)
            elsewhere = [p for p in ctx.symbols.defining(citation.name) if p != key]
            if citation.path.lines is not None and len(elsewhere) == 1:
                continue  # PL303 points the line reference at the new file
            yield self.diagnostic(
                citation.symbol.span,
                f"`{citation.symbol.text}` is not defined in `{key}`{_hint(citation, symbols, elsewhere)}",
            )

    def _unparsable(self, span: Span, path: str, problem: ParseProblem) -> Diagnostic:
        message = (
            f"`{path}` cannot be parsed (line {problem.line}, column {problem.column}: {problem.message}), "
            "so the symbols cited from it are not checked"
        )
        return self.diagnostic(span, message)._replace(severity=Severity.INFO)


def _hint(citation: Citation, symbols: FileSymbols, elsewhere: list[str]) -> str:
    import difflib  # here: only a symbol that is not found needs a suggestion

    if elsewhere:
        return f"; it is defined in {', '.join(f'`{p}`' for p in elsewhere[:3])}"
    owner, _, last = citation.name.rpartition(".")
    prefix = f"{owner}." if owner else ""
    pool = {d.name: d.qualname for d in symbols.definitions if d.qualname.startswith(prefix) or not owner}
    close = difflib.get_close_matches(last, sorted(pool), n=1, cutoff=0.7)
    return f"; did you mean `{prefix}{close[0]}`?" if close else ""
