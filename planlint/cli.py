"""The command line: wires click to the API. The only place that prints errors and exits."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, Iterator, TextIO, TypeVar

import click

from planlint import __version__
from planlint.errors import PlanlintError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json")  # kept in step with planlint.reporters.REPORTERS (tested)


def _codes_option(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="planlint")
def cli() -> None:
    """planlint: lint Markdown implementation plans and their status.json files."""


def _guarded(command: F) -> F:
    """Turn planlint's own errors into one line and exit 2, and never show a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PlanlintError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@_codes_option("--select", "Check only these codes or prefixes (replaces the configured selection).")
@_codes_option("--extend-select", "Check these codes or prefixes too (turns on opt-in rules).")
@_codes_option("--ignore", "Do not check these codes or prefixes.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output-file", type=click.Path(path_type=Path), help="Write the report here instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1 (default: warning).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when diagnostics are found.")
@click.option("--statistics", is_flag=True, help="Show counts per code instead of each diagnostic.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@_guarded
def check(
    paths: tuple[Path, ...],
    config_path: Path | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
) -> None:
    """Check plans (files or folders; default: the configured `plans` globs)."""
    from planlint.api import check_paths, configured_plans
    from planlint.config import load_config

    config = load_config(config_path).with_overrides(
        select=select or None, extend_select=extend_select, ignore=ignore, fail_on=fail_on
    )
    targets: Sequence[Path] = paths or configured_plans(config)
    if not targets:
        if not quiet:
            click.echo(f"planlint: no plans found (plans = {list(config.plans)})", err=True)
        sys.exit(EXIT_OK)
    results = check_paths(targets, config)
    with _output(output_file) as out:
        if statistics:
            _write_statistics(results, output_format, out)
        else:
            from planlint.reporters import REPORTERS

            REPORTERS[output_format]().write(results, out)
    errors = [r.error for r in results if r.error is not None]
    for error in errors:
        click.echo(str(error), err=True)
    diagnostics = [d for r in results for d in r.diagnostics]
    if not quiet:
        click.echo(_summary(diagnostics, len(results) - len(errors)), err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    failing = any(d.severity >= config.fail_on for d in diagnostics)
    sys.exit(EXIT_FOUND if failing and not exit_zero else EXIT_OK)


def _summary(diagnostics: Sequence[Any], files: int) -> str:
    if not diagnostics:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} checked)."
    by_severity = Counter(d.severity.label for d in diagnostics)
    parts = [f"{by_severity[k]} {k}{'s' if by_severity[k] != 1 and k != 'info' else ''}"
             for k in ("error", "warning", "info") if by_severity[k]]  # fmt: skip
    fixable = sum(1 for d in diagnostics if d.fix is not None)
    total = len(diagnostics)
    text = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})"
    if fixable:
        text += f"; {fixable} fixable with `planlint fix`"
    return text + "."


def _write_statistics(results: Sequence[Any], output_format: str, out: TextIO) -> None:
    counts = Counter((d.code, d.name) for r in results for d in r.diagnostics)
    fixable = Counter(d.code for r in results for d in r.diagnostics if d.fix is not None)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if output_format == "json":
        data = [{"code": code, "name": name, "count": n, "fixable": fixable[code]} for (code, name), n in rows]
        out.write(json.dumps(data, indent=2) + "\n")
        return
    for (code, name), count in rows:
        out.write(f"{count:>6}  {code}  {'[*]' if fixable[code] else '   '} {name}\n")


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        with path.open("w", encoding="utf-8") as out:
            yield out
    except OSError as exc:
        raise UsageError(f"cannot write output file: {exc.strerror or exc}", path) from None


@cli.command()
@click.argument("code", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guarded
def rule(code: str | None, output_format: str) -> None:
    """Explain a rule, or list every rule when no CODE is given."""
    from planlint.rules import REGISTRY, all_codes, load

    if code is not None and code.upper() not in REGISTRY:
        raise UsageError(f"unknown rule code '{code}' (see `planlint rule` for the list)")
    codes = [code.upper()] if code else all_codes()
    rules = [load(c) for c in codes]
    if output_format == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "fixable": r.fixable,
             "opt_in": r.opt_in, "summary": r.summary(), "explanation": r.rationale()}
            for r in rules
        ]  # fmt: skip
        click.echo(json.dumps(data[0] if code else data, indent=2))
        return
    if code:
        r = rules[0]
        flags = [r.severity.label] + (["fixable"] if r.fixable else []) + (["opt-in"] if r.opt_in else [])
        click.echo(f"# {r.code} {r.name} ({', '.join(flags)})\n\n{r.summary()}\n\n{r.rationale()}")
        return
    for r in rules:
        marks = ("[*]" if r.fixable else "   ") + (" opt-in" if r.opt_in else "")
        click.echo(f"{r.code}  {r.severity.label[0].upper()}  {r.name:<28} {r.summary()} {marks}".rstrip())


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `planlint` script: click, plus a last line of defence."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="planlint")
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except SystemExit:
        raise
    except Exception as exc:  # a bug in planlint: one line, not a traceback
        if os.environ.get("PLANLINT_DEBUG"):
            raise
        click.echo(f"planlint: internal error: {exc!r} (set PLANLINT_DEBUG=1 for a traceback)", err=True)
        sys.exit(EXIT_ERROR)
