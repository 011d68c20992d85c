"""`planlint fix`: apply the safe (and with --unsafe-fixes, the unsafe) fixes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planlint.cli import (
    PATH,
    colour_option,
    configured_targets,
    fail_on_option,
    guarded,
    input_options,
    selected_config,
    selection_options,
    show_source_option,
    stdin_name,
)
from planlint.errors import UsageError

if TYPE_CHECKING:
    from planlint.fix.loop import FixOutcome
    from planlint.text import SourceText


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@selection_options(
    select="Fix only these codes or prefixes.",
    extend_select="Also fix these codes or prefixes.",
    ignore="Do not fix these codes or prefixes.",
)
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (ones that may change meaning).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if anything would be fixed.")
@click.option("--show-fixes", is_flag=True, help="List each fix applied.")
@fail_on_option("Lowest severity of remaining findings that makes the exit code 1 (default: warning).")
@click.option("-q", "--quiet", is_flag=True, help="Print remaining diagnostics only, no summary.")
@show_source_option("Show the source line under each remaining diagnostic (default: on when writing to a terminal).")
@colour_option
@input_options
@guarded
def fix(
    paths: tuple[Path, ...],
    config_path: Path | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    unsafe_fixes: bool,
    show_diff: bool,
    check_only: bool,
    show_fixes: bool,
    fail_on: str | None,
    quiet: bool,
    show_source: bool | None,
    colour: str,
    exclude: tuple[str, ...],
    no_cache: bool,
    stdin_filename: Path | None,
) -> None:
    """Apply safe fixes to plans and their status.json files (atomic writes, nothing else changes).

    With `-` the plan comes from standard input and the fixed plan goes to standard output (the
    report to standard error), as an editor's format-on-save wants; only the plan is fixed.
    """
    from planlint.fix.paths import fix_paths, fix_source
    from planlint.io import read_stdin
    from planlint.report.fixes import report_fixes

    configs = selected_config(config_path, select, extend_select, ignore, fail_on, exclude, not no_cache)
    dry = show_diff or check_only
    paths, name = stdin_name(paths, stdin_filename)
    report = sys.stdout
    if name is not None:
        if paths:
            raise UsageError("`planlint fix -` fixes standard input alone: give no other paths")
        stdin = read_stdin(name)
        config = configs.for_path(name if name.name != "-" else Path.cwd())
        results = [fix_source(stdin, config, unsafe=unsafe_fixes)]
        if not dry:
            _write_stdout(results[0].outcome, stdin)
            report = sys.stderr  # standard output holds the plan
    else:
        targets: Sequence[Path] = paths or configured_targets(configs)
        results = fix_paths(targets, configs, unsafe=unsafe_fixes, write=not dry)
    code = report_fixes(
        results, configs.current, out=report, err=sys.stderr, diff=show_diff, check=check_only,
        show_fixes=show_fixes, quiet=quiet, colour=colour, show_source=show_source,
    )  # fmt: skip
    sys.exit(code)


def _write_stdout(outcome: FixOutcome | None, source: SourceText) -> None:
    """The whole plan, fixed when the fixes held (else as it came: a buffer is never lost)."""
    from planlint.io import encode_like

    text = source.text
    if outcome is not None and outcome.refused is None:
        text = outcome.texts[source.path]
    sys.stdout.flush()
    sys.stdout.buffer.write(encode_like(text, source))
    sys.stdout.buffer.flush()
