"""A line range such as `path:600-640` runs past the end of the file, or is written backwards.

An agent sent to lines that do not exist either stops or guesses. A range past the end means the
file shrank (or the numbers were mistyped) since the plan was written; a reversed range
(`path:40-12`) is a typo. Works for any text file: the check counts lines, it does not parse.
Tasks already checked off are history and are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.citations import extent
from planlint.analysis.references import RefKind
from planlint.diagnostic import Diagnostic, Severity
from planlint.rule import Context, Rule


class LineRangeOutOfBounds(Rule):
    code = "PL302"
    name = "line-range-out-of-bounds"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        text = ctx.plan.source.text
        for unit_accesses in ctx.conflicts.accesses.values():
            for access in unit_accesses:
                reference = access.reference
                if reference.lines is None or access.kind is not RefKind.FILE:
                    continue
                task = ctx.plan.task(access.task)
                if task is not None and task.checked:
                    continue
                first, last = reference.lines
                written = f"{first}-{last}" if first != last else str(first)
                if first > last:
                    yield self.diagnostic(
                        extent(text, reference),
                        f"line range {written} of `{access.key}` is reversed; write {last}-{first}",
                    )
                    continue
                if not access.exists:
                    continue
                count = ctx.symbols.line_count(access.key)
                if count is not None and (first < 1 or last > count):
                    where = "line 0 does not exist" if first < 1 else f"the file has {count} lines"
                    yield self.diagnostic(
                        extent(text, reference),
                        f"line range {written} of `{access.key}` is out of bounds: {where}",
                    )
