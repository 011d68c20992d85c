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
    command,
    guarded,
    selected_config,
    stdin_filename_option,
    stdin_name,
)
from planlint.errors import UsageError
from planlint.reporters import DOCUMENT_FORMATS, REPORTERS, reporter_class


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@click.option("--config", "config_path", type=PATH, help="Use this config file.")
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
@click.option("--show-source", is_flag=True, help="Show the source line under each diagnostic (text format).")
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
    show_source: bool,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    quiet: bool,
    apply_fixes: bool,
    unsafe_fixes: bool,
    stdin_filename: Path | None,
) -> None:
    """Check plans (files or folders; default: the configured `plans` globs).

    With --fix, run `planlint fix` instead (the alias ruff users reach for).
    """
    from planlint.api import check_paths, configured_plans

    if unsafe_fixes and not apply_fixes:
        raise UsageError("--unsafe-fixes only applies with --fix (or use `planlint fix --unsafe-fixes`)")
    if apply_fixes:
        # `planlint fix` reports in text and has no baseline; say so rather than ignore an option.
        unsupported = [
            name
            for name, given in (
                ("--format", output_format not in ("auto", "text")),
                ("--output-file", output_file is not None),
                ("--show-source", show_source),
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
        )  # fmt: skip
        return
    if baseline_path is not None and write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    config = selected_config(config_path, select, extend_select, ignore, fail_on)
    baseline = None
    if baseline_path is not None:
        from planlint.baseline import Baseline

        baseline = Baseline.load(baseline_path)
    paths, stdin = stdin_name(paths, stdin_filename)
    targets: Sequence[Path] = paths if paths or stdin else configured_plans(config)
    if not targets and stdin is None:
        if not quiet:
            click.echo(f"planlint: no plans found (plans = {list(config.plans)})", err=True)
        sys.exit(EXIT_OK)
    # Reporters receive results in path order (STYLE.md §2.7); diagnostics come sorted.
    results = sorted(check_paths(targets, config, stdin=stdin), key=lambda r: r.path.as_posix())
    errors = [r.error for r in results if r.error is not None]
    if write_baseline is not None:
        from planlint.baseline import Baseline

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
    _report(results, name, output_file, show_source=show_source, statistics=statistics)
    for error in errors:
        click.echo(str(error), err=True)
    diagnostics = [d for r in results for d in r.diagnostics]
    if not quiet:
        click.echo(_summary(diagnostics, len(results) - len(errors), hidden, unreadable=len(errors)), err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    failing = any(d.severity >= config.fail_on for d in diagnostics)
    sys.exit(EXIT_FOUND if failing and not exit_zero else EXIT_OK)


def _resolve_format(name: str) -> str:
    """`auto`: GitHub annotations inside GitHub Actions, text elsewhere (as yamllint does)."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") else "text"


def _report(results: Sequence[Any], name: str, output_file: Path | None, *, show_source: bool,
            statistics: bool) -> None:  # fmt: skip
    from planlint.reporters.text import TextReporter

    reporter = TextReporter(show_source=show_source) if name == "text" else reporter_class(name)()
    with _output(output_file) as out:
        if not statistics:
            reporter.write(results, out)
            return
        from planlint.reporters.statistics import write_statistics

        if name in DOCUMENT_FORMATS:  # a SARIF or JUnit consumer needs the whole document
            reporter.write(results, out)
            write_statistics(results, sys.stderr)
        else:
            write_statistics(results, out, as_json=name == "json")


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
    fixable = sum(1 for d in diagnostics if d.fix is not None)
    total = len(diagnostics)
    text = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})"
    if fixable:
        text += f"; {fixable} fixable with `planlint fix`"
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
