"""`planlint check`: lint plans and their status.json files, and report."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from planlint.cli import (
    PATH,
    colour_option,
    command,
    configured_targets,
    fail_on_option,
    guarded,
    input_options,
    selected_config,
    selection_options,
    show_source_option,
    stdin_name,
)
from planlint.diagnostic import Applicability
from planlint.errors import UsageError
from planlint.report import DOCUMENT_FORMATS, EXIT_ERROR, EXIT_FOUND, EXIT_OK, REPORTERS, reporter_class

if TYPE_CHECKING:
    from planlint.api import FileResult
    from planlint.config import Configs
    from planlint.report.baseline import Baseline


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@selection_options(
    select="Check only these codes or prefixes (replaces the configured selection).",
    extend_select="Check these codes or prefixes too (turns on opt-in rules).",
    ignore="Do not check these codes or prefixes.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", *REPORTERS]),
    default="auto",
    show_default=True,
    help="Report format; auto is github when GITHUB_ACTIONS is set, else text.",
)
@click.option("--output-file", type=PATH, help="Write the report here instead of stdout.")
@show_source_option("Show the source line under each diagnostic (text format; default: on when writing to a terminal).")
@colour_option
@fail_on_option("Lowest severity that makes the exit code 1 (default: warning).")
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
@input_options
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
    if unsafe_fixes and not apply_fixes:
        raise UsageError("--unsafe-fixes only applies with --fix (or use `planlint fix --unsafe-fixes`)")
    if apply_fixes:
        _refuse_with_fix(
            output_format=output_format, output_file=output_file, exit_zero=exit_zero, statistics=statistics,
            baseline_path=baseline_path, write_baseline=write_baseline,
        )  # fmt: skip
        click.get_current_context().invoke(
            command("fix"), paths=paths, config_path=config_path, select=select, extend_select=extend_select,
            ignore=ignore, unsafe_fixes=unsafe_fixes, fail_on=fail_on, quiet=quiet, stdin_filename=stdin_filename,
            exclude=exclude, no_cache=no_cache, colour=colour, show_source=show_source,
        )  # fmt: skip
        return
    if baseline_path is not None and write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    configs = selected_config(config_path, select, extend_select, ignore, fail_on, exclude, not no_cache)
    baseline = _load_baseline(baseline_path)
    results = _check(paths, stdin_filename, configs)
    if write_baseline is not None:
        sys.exit(_record_baseline(results, write_baseline, quiet=quiet))
    hidden = 0
    if baseline is not None:
        results, hidden = baseline.filter(results)
    name = _resolve_format(output_format)
    _report(results, name, output_file, show_source=show_source, statistics=statistics, colour=colour)
    _tell(results, name, hidden, quiet=quiet, statistics=statistics)
    sys.exit(_exit_code(results, configs, exit_zero=exit_zero))


def _refuse_with_fix(**given: Any) -> None:
    """`planlint fix` reports in text and has no baseline: say so rather than ignore an option."""
    unsupported = [
        name
        for name, used in (
            ("--format", given["output_format"] not in ("auto", "text")),
            ("--output-file", given["output_file"] is not None),
            ("--exit-zero", given["exit_zero"]),
            ("--statistics", given["statistics"]),
            ("--baseline", given["baseline_path"] is not None),
            ("--write-baseline", given["write_baseline"] is not None),
        )
        if used
    ]
    if unsupported:
        raise UsageError(f"--fix cannot be combined with {', '.join(unsupported)}")


def _load_baseline(path: Path | None) -> Baseline | None:
    if path is None:
        return None
    from planlint.report.baseline import Baseline

    return Baseline.load(path)


def _check(paths: tuple[Path, ...], stdin_filename: Path | None, configs: Configs) -> list[FileResult]:
    """The results of the paths (or the configured plans), in path order; exits 0 with a
    warning when there is nothing to check."""
    from planlint.api import check_paths

    paths, stdin = stdin_name(paths, stdin_filename)
    targets: Sequence[Path] = paths if paths or stdin else configured_targets(configs)
    # Reporters receive results in path order (STYLE.md §2.7); diagnostics come sorted.
    return sorted(check_paths(targets, configs, stdin=stdin), key=lambda r: r.path.as_posix())


def _record_baseline(results: list[FileResult], path: Path, *, quiet: bool) -> int:
    """`--write-baseline`: record the findings in path; the exit code."""
    from planlint.report.baseline import Baseline

    recorded = Baseline.from_results(results, path)
    recorded.write(path)
    errors = [r.error for r in results if r.error is not None]
    for error in errors:
        click.echo(str(error), err=True)
    if not quiet:
        total = sum(recorded.counts.values())
        plural = "s" if total != 1 else ""
        click.echo(f"Recorded {total} finding{plural} in {path}.", err=True)
    return EXIT_ERROR if errors else EXIT_OK


def _tell(results: list[FileResult], name: str, hidden: int, *, quiet: bool, statistics: bool) -> None:
    """On stderr: the files that could not be read, then the summary and the rule hints."""
    errors = [r.error for r in results if r.error is not None]
    for error in errors:
        click.echo(str(error), err=True)
    checked = len(results) - len(errors)
    diagnostics = [d for r in results for d in r.diagnostics]
    if not checked and not errors:
        # Never a silent pass: say that the paths held nothing to check (index files, globs).
        click.echo("planlint: warning: no file checked: the paths hold no plan or status file that the "
                   "configured globs match", err=True)  # fmt: skip
    if not quiet:
        click.echo(_summary(diagnostics, checked, hidden, unreadable=len(errors)), err=True)
        if name == "text" and diagnostics and not statistics:
            click.echo(_rule_hints(diagnostics), err=True, nl=False)


def _exit_code(results: list[FileResult], configs: Configs, *, exit_zero: bool) -> int:
    """2 when a file could not be read; 1 for a finding at its root's fail-on (unless --exit-zero)."""
    if any(r.error is not None for r in results):
        return EXIT_ERROR
    failing = any(d.severity >= (r.config or configs.current()).fail_on for r in results for d in r.diagnostics)
    return EXIT_FOUND if failing and not exit_zero else EXIT_OK


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
