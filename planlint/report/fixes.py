"""What `planlint fix` prints: diffs, the fixes applied, refusals, what remains, and the exit code."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from planlint.api import FileResult
from planlint.config import Config
from planlint.diagnostic import Diagnostic
from planlint.fix.loop import FixOutcome
from planlint.fix.paths import FixResult
from planlint.report import EXIT_ERROR, EXIT_FOUND, EXIT_OK
from planlint.report.text import TextReporter


@dataclass
class _Tally:
    """What a fix run did, counted over its files."""

    fixed: int = 0  # what `check` counted as fixable and the fixes fixed
    caused: int = 0  # fixed too, apart from those: what the fixes themselves caused (PL208 once a PL101 note is in)
    would_change: int = 0  # files (a plan and its status.json are two)
    refused: int = 0  # plans whose fixes were thrown away


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
    tally = _Tally()
    remaining = []
    for result in results:
        if result.outcome is None or result.error is not None:
            continue  # not written (read-only, edited meanwhile, ...): its error line says why
        _report_outcome(
            result.path, result.outcome, tally, out=out, err=err, diff=diff, check=check, show_fixes=show_fixes
        )
        if not diff and not check:
            outcome = result.outcome
            sources = dict(outcome.originals_after())
            remaining.append(
                FileResult(result.path, diagnostics=outcome.remaining, sources=sources, config=result.config)
            )
    if remaining:
        TextReporter(colour=colour, show_source=show_source).write(remaining, out)
    errors = [r for r in results if r.error is not None]
    for result in errors:
        err.write(f"{result.error}\n")
    if not results:  # never a silent pass: the paths held nothing to fix
        err.write("planlint: warning: no file checked: the paths hold no plan that the configured globs match\n")
    if not quiet and not diff:
        left = sum(len(r.diagnostics) for r in remaining)
        err.write(_summary(tally, left, check=check))
    if errors:
        return EXIT_ERROR
    if (diff or check) and (tally.would_change or tally.refused):
        return EXIT_FOUND
    default = config if isinstance(config, Config) else None

    def fail_on(result: FileResult) -> Config:
        return result.config or default or (config() if callable(config) else config)

    if tally.refused or any(d.severity >= fail_on(r).fail_on for r in remaining for d in r.diagnostics):
        return EXIT_FOUND
    return EXIT_OK


def _report_outcome(
    plan: Path, outcome: FixOutcome, tally: _Tally, *, out: TextIO, err: TextIO, diff: bool, check: bool,
    show_fixes: bool,
) -> None:  # fmt: skip
    """One plan's refusal, diff or "would fix" line and fixes applied, counted into tally."""
    if outcome.refused:
        tally.refused += 1
        err.write(f"{plan}: could not safely fix: {outcome.refused} (planlint bug; nothing was written)\n")
    changes = outcome.changed()
    if changes:
        tally.would_change += len(changes)
        tally.fixed += min(len(outcome.applied), outcome.fixable)
        tally.caused += max(0, len(outcome.applied) - outcome.fixable)
    if diff:
        for path, (original, text) in sorted(changes.items()):
            out.writelines(unified_diff(original.text, text, path))
    elif check and changes:
        count = len(outcome.applied)
        out.write(f"Would fix {count} problem{'s' if count != 1 else ''} in {plan}\n")
    if show_fixes:
        err.writelines(_fix_lines(outcome.applied, verb="would fix" if diff or check else "fixed"))


def _summary(tally: _Tally, left: int, *, check: bool) -> str:
    verb = "Would fix" if check else "Fixed"
    files = f"{tally.would_change} file{'s' if tally.would_change != 1 else ''}"
    also = f" (and {tally.caused} that the fixes caused)" if tally.caused else ""
    fixed = tally.fixed
    return f"{verb} {fixed} problem{'s' if fixed != 1 else ''}{also} in {files}; {left} remaining.\n"


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
