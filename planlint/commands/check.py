"""`planlint check`: lint plans and their status.json files, and report."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from planlint.cli import (
    EXIT_ERROR,
    EXIT_FOUND,
    EXIT_OK,
    PATH,
    codes_option,
    colour_option,
    command,
    exclude_option,
    guarded,
    no_cache_option,
    selected_config,
    stdin_filename_option,
    stdin_name,
)
from planlint.diagnostic import Applicability
from planlint.errors import UsageError
from planlint.report import DOCUMENT_FORMATS, REPORTERS, reporter_class


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@click.option(
    "--config",
    "config_path",
    type=PATH,
    help="Use this config file for every path (default: the nearest above each path).",
)
@codes_option("--select", "Check only these codes or prefixes (replaces the configured selection).")
@codes_option("--extend-select", "Check these codes or prefixes too (turns on opt-in rules).")
@codes_option("--ignore", "Do not check these codes or prefixes.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", *REPORTERS]),
    default="auto",
    show_default=True,
    help="Report format; auto is github when GITHUB_ACTIONS is set, else text.",
)
@click.option("--output-file", type=PATH, help="Write the report here instead of stdout.")
@click.option(
    "--show-source/--no-show-source",
    default=None,
    help="Show the source line under each diagnostic (text format; default: on when writing to a terminal).",
)
@colour_option
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1 (default: warning).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when diagnostics are found.")
@click.option(
    "--statistics",
    is_flag=True,
    help="Show counts per code instead of each diagnostic (sarif, gitlab and junit still write "
    "their document; the counts then go to stderr).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=PATH,
    metavar="FILE",
    help="Do not report the findings recorded in FILE (see --write-baseline).",
)
@click.option(
    "--write-baseline",
    type=PATH,
    metavar="FILE",
    help="Record today's findings in FILE and exit 0, to adopt planlint on existing plans.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option(
    "--fix",
    "apply_fixes",
    is_flag=True,
    help="Apply the safe fixes, as `planlint fix` does (same selection, same report, same exit code).",
)
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: apply unsafe fixes too.")
@exclude_option
@no_cache_option
@stdin_filename_option
@guarded
def check(
    paths: tuple[Path, ...],
    config_path: Path | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    show_source: bool | None,
    colour: str,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    quiet: bool,
    apply_fixes: bool,
    unsafe_fixes: bool,
    exclude: tuple[str, ...],
    no_cache: bool,
    stdin_filename: Path | None,
) -> None:
    """Check plans (files or folders; default: the configured `plans` globs).

    With --fix, run `planlint fix` instead (the alias ruff users reach for).
    """
    from planlint.api import check_paths
    from planlint.discovery import configured_plans

    if unsafe_fixes and not apply_fixes:
        raise UsageError("--unsafe-fixes only applies with --fix (or use `planlint fix --unsafe-fixes`)")
    if apply_fixes:
        # `planlint fix` reports in text and has no baseline; say so rather than ignore an option.
        unsupported = [
            name
            for name, given in (
                ("--format", output_format not in ("auto", "text")),
                ("--output-file", output_file is not None),
                ("--exit-zero", exit_zero),
                ("--statistics", statistics),
                ("--baseline", baseline_path is not None),
                ("--write-baseline", write_baseline is not None),
            )
            if given
        ]
        if unsupported:
            raise UsageError(f"--fix cannot be combined with {', '.join(unsupported)}")
        click.get_current_context().invoke(
            command("fix"), paths=paths, config_path=config_path, select=select, extend_select=extend_select,
            ignore=ignore, unsafe_fixes=unsafe_fixes, fail_on=fail_on, quiet=quiet, stdin_filename=stdin_filename,
            exclude=exclude, no_cache=no_cache, colour=colour, show_source=show_source,
        )  # fmt: skip
        return
    if baseline_path is not None and write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    configs = selected_config(config_path, select, extend_select, ignore, fail_on, exclude, not no_cache)
    baseline = None
    if baseline_path is not None:
        from planlint.report.baseline import Baseline

        baseline = Baseline.load(baseline_path)
    paths, stdin = stdin_name(paths, stdin_filename)
    targets: Sequence[Path] = paths if paths or stdin else configured_plans(configs.current())
    if not targets and stdin is None:
        plans = list(configs.current().plans)
        click.echo(f"planlint: warning: no file checked: no plans found (plans = {plans})", err=True)
        sys.exit(EXIT_OK)
    # Reporters receive results in path order (STYLE.md §2.7); diagnostics come sorted.
    results = sorted(check_paths(targets, configs, stdin=stdin), key=lambda r: r.path.as_posix())
    errors = [r.error for r in results if r.error is not None]
    checked = len(results) - len(errors)
    if write_baseline is not None:
        from planlint.report.baseline import Baseline

        recorded = Baseline.from_results(results, write_baseline)
        recorded.write(write_baseline)
        for error in errors:
            click.echo(str(error), err=True)
        if not quiet:
            total = sum(recorded.counts.values())
            plural = "s" if total != 1 else ""
            click.echo(f"Recorded {total} finding{plural} in {write_baseline}.", err=True)
        sys.exit(EXIT_ERROR if errors else EXIT_OK)
    hidden = 0
    if baseline is not None:
        results, hidden = baseline.filter(results)
    name = _resolve_format(output_format)
    _report(results, name, output_file, show_source=show_source, statistics=statistics, colour=colour)
    for error in errors:
        click.echo(str(error), err=True)
    diagnostics = [d for r in results for d in r.diagnostics]
    if not checked and not errors:
        # Never a silent pass: say that the paths held nothing to check (index files, globs).
        click.echo("planlint: warning: no file checked: the paths hold no plan or status file that the "
                   "configured globs match", err=True)  # fmt: skip
    if not quiet:
        click.echo(_summary(diagnostics, checked, hidden, unreadable=len(errors)), err=True)
        if name == "text" and diagnostics and not statistics:
            click.echo(_rule_hints(diagnostics), err=True, nl=False)
    if errors:
        sys.exit(EXIT_ERROR)
    failing = any(d.severity >= (r.config or configs.current()).fail_on for r in results for d in r.diagnostics)
    sys.exit(EXIT_FOUND if failing and not exit_zero else EXIT_OK)


def _resolve_format(name: str) -> str:
    """`auto`: GitHub annotations inside GitHub Actions, text elsewhere (as yamllint does)."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") else "text"


def _report(results: Sequence[Any], name: str, output_file: Path | None, *, show_source: bool | None,
            statistics: bool, colour: str) -> None:  # fmt: skip
    from planlint.report.text import TextReporter

    with _output(output_file) as out:
        text = name == "text"
        reporter: Any = TextReporter(show_source=show_source, colour=colour) if text else reporter_class(name)()
        if not statistics:
            reporter.write(results, out)
            return
        from planlint.report.statistics import write_statistics

        if name in DOCUMENT_FORMATS:  # a SARIF or JUnit consumer needs the whole document
            reporter.write(results, out)
            write_statistics(results, sys.stderr)
        else:
            write_statistics(results, out, as_json=name == "json")


def _rule_hints(diagnostics: Sequence[Any]) -> str:
    """One line per code found: its name, how many, and how to read its explanation."""
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    width = max(len(str(n)) for n in counts.values())
    return "".join(
        f"  {counts[code]:>{width}} {code} {names[code]}: see `planlint rule {code}`\n" for code in sorted(counts)
    )


def _summary(diagnostics: Sequence[Any], files: int, hidden: int = 0, *, unreadable: int = 0) -> str:
    baselined = f" {hidden} baselined finding{'s' if hidden != 1 else ''} not shown." if hidden else ""
    if unreadable:  # never "All checks passed" for a run that could not read everything
        baselined += f" {unreadable} file{'s' if unreadable != 1 else ''} could not be checked."
        if not diagnostics:
            return f"No problems found in {files} file{'s' if files != 1 else ''} checked.{baselined}"
    if not diagnostics:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} checked).{baselined}"
    by_severity = Counter(d.severity.label for d in diagnostics)
    parts = [f"{by_severity[k]} {k}{'s' if by_severity[k] != 1 and k != 'info' else ''}"
             for k in ("error", "warning", "info") if by_severity[k]]  # fmt: skip
    fixable = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability is Applicability.SAFE)
    unsafe = sum(1 for d in diagnostics if d.fix is not None) - fixable
    total = len(diagnostics)
    text = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})"
    if fixable:
        text += f"; {fixable} fixable with `planlint fix`"
    if unsafe:
        text += f"; {unsafe} more with `planlint fix --unsafe-fixes`"
    return text + "." + baselined


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        with path.open("w", encoding="utf-8", errors="backslashreplace") as out:  # a lone surrogate: its escape
            yield out
    except OSError as exc:
        raise UsageError(f"cannot write output file: {exc.strerror or exc}", path) from None
