"""What `planlint fix` prints: diffs, the fixes applied, refusals, what remains, and the exit code."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TextIO

from planlint.api import FileResult, FixResult
from planlint.config import Config
from planlint.reporters.text import TextReporter

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def report_fixes(
    results: Sequence[FixResult],
    config: Config,
    *,
    out: TextIO,
    err: TextIO,
    diff: bool,
    check: bool,
    show_fixes: bool,
    quiet: bool,
) -> int:
    """Print the outcome of a fix run and return the exit code (DESIGN.md §5)."""
    fixed = would_change = refused = 0
    remaining = []
    errors = [r for r in results if r.error is not None]
    for result in results:
        outcome = result.outcome
        if outcome is None or result.error is not None:
            continue  # not written (read-only, edited meanwhile, ...): its error line says why
        if outcome.refused:
            refused += 1
            err.write(f"{result.path}: could not safely fix: {outcome.refused} (planlint bug; nothing was written)\n")
        changes = outcome.changed()
        if changes:
            would_change += len(changes)  # a plan and its status.json are two files
            fixed += len(outcome.applied)
        if diff:
            for path, (original, text) in sorted(changes.items()):
                out.writelines(
                    difflib.unified_diff(
                        original.text.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        fromfile=f"a/{path.as_posix().lstrip('/')}",
                        tofile=f"b/{path.as_posix().lstrip('/')}",
                    )
                )
        elif check and changes:
            out.write(f"Would fix {len(outcome.applied)} problem(s) in {result.path}\n")
        if show_fixes:
            for diagnostic in outcome.applied:
                title = diagnostic.fix.title if diagnostic.fix else ""
                err.write(f"{diagnostic.span.path}: fixed {diagnostic.code} ({title})\n")
        if not diff and not check:
            remaining.append(
                FileResult(result.path, diagnostics=outcome.remaining, sources=dict(outcome.originals_after()))
            )
    if remaining:
        TextReporter().write(remaining, out)
    for result in errors:
        err.write(f"{result.error}\n")
    left = [d for r in remaining for d in r.diagnostics]
    if not quiet and not diff:
        verb = "Would fix" if check else "Fixed"
        err.write(
            f"{verb} {fixed} problem{'s' if fixed != 1 else ''} in {would_change} file(s); {len(left)} remaining.\n"
        )
    if errors:
        return EXIT_ERROR
    if (diff or check) and (would_change or refused):
        return EXIT_FOUND
    if refused or any(d.severity >= config.fail_on for d in left):
        return EXIT_FOUND
    return EXIT_OK
