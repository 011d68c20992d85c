"""What `planlint fix` prints: diffs, the fixes applied, refusals, what remains, and the exit code."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from planlint.api import FileResult
from planlint.config import Config
from planlint.diagnostic import Diagnostic
from planlint.fix.paths import FixResult
from planlint.report.text import TextReporter

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def report_fixes(
    results: Sequence[FixResult],
    config: Config | Callable[[], Config],
    *,
    out: TextIO,
    err: TextIO,
    diff: bool,
    check: bool,
    show_fixes: bool,
    quiet: bool,
    colour: str = "auto",
    show_source: bool | None = False,
) -> int:
    """Print the outcome of a fix run and return the exit code (0 clean, 1 findings remain or
    something would change, 2 an error). `config` is the run's default config (or what makes
    it); each result's own root config decides its fail-on."""
    default = config if isinstance(config, Config) else None
    fixed = would_change = refused = caused = 0
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
            # What `check` counted as fixable, and apart from it what the fixes themselves caused
            # and fixed too (PL208 once a PL101 note is inserted).
            fixed += min(len(outcome.applied), outcome.fixable)
            caused += max(0, len(outcome.applied) - outcome.fixable)
        if diff:
            for path, (original, text) in sorted(changes.items()):
                out.writelines(unified_diff(original.text, text, path))
        elif check and changes:
            count = len(outcome.applied)
            out.write(f"Would fix {count} problem{'s' if count != 1 else ''} in {result.path}\n")
        if show_fixes:
            err.writelines(_fix_lines(outcome.applied, verb="would fix" if diff or check else "fixed"))
        if not diff and not check:
            remaining.append(
                FileResult(
                    result.path,
                    diagnostics=outcome.remaining,
                    sources=dict(outcome.originals_after()),
                    config=result.config,
                )
            )
    if remaining:
        TextReporter(colour=colour, show_source=show_source).write(remaining, out)
    for result in errors:
        err.write(f"{result.error}\n")
    left = [d for r in remaining for d in r.diagnostics]
    if not results:  # never a silent pass: the paths held nothing to fix
        err.write("planlint: warning: no file checked: the paths hold no plan that the configured globs match\n")
    if not quiet and not diff:
        verb = "Would fix" if check else "Fixed"
        files = f"{would_change} file{'s' if would_change != 1 else ''}"
        also = f" (and {caused} that the fixes caused)" if caused else ""
        err.write(f"{verb} {fixed} problem{'s' if fixed != 1 else ''}{also} in {files}; {len(left)} remaining.\n")
    if errors:
        return EXIT_ERROR
    if (diff or check) and (would_change or refused):
        return EXIT_FOUND

    def fail_on(result: FileResult) -> Config:
        return result.config or default or (config() if callable(config) else config)

    if refused or any(d.severity >= fail_on(r).fail_on for r in remaining for d in r.diagnostics):
        return EXIT_FOUND
    return EXIT_OK


def unified_diff(before: str, after: str, path: Path) -> Iterator[str]:
    """A unified diff that `git apply` and `patch` accept: lines split at LF only (a CR stays
    part of its line), and a last line without a newline marked `\\ No newline at end of file`."""
    name = path.as_posix().lstrip("/")
    for line in difflib.unified_diff(_lines(before), _lines(after), fromfile=f"a/{name}", tofile=f"b/{name}"):
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


def _fix_lines(applied: Sequence[Diagnostic], *, verb: str) -> list[str]:
    """One line per kind of fix in a file, with how many times it applied."""
    counts = Counter((d.span.path.as_posix(), d.code, d.fix.title if d.fix else "") for d in applied)
    lines = []
    for (path, code, title), count in sorted(counts.items()):
        times = f" ({count} times)" if count > 1 else ""
        lines.append(f"{path}: {verb} {code}{f' ({title})' if title else ''}{times}\n")
    return lines
