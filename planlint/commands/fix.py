"""`planlint fix`: apply the safe (and with --unsafe-fixes, the unsafe) fixes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from planlint.cli import PATH, codes_option, guarded, selected_config


@click.command()
@click.argument("paths", nargs=-1, type=PATH)
@click.option("--config", "config_path", type=PATH, help="Use this config file.")
@codes_option("--select", "Fix only these codes or prefixes.")
@codes_option("--extend-select", "Also fix these codes or prefixes.")
@codes_option("--ignore", "Do not fix these codes or prefixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (ones that may change meaning).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if anything would be fixed.")
@click.option("--show-fixes", is_flag=True, help="List each fix applied.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity of remaining findings that makes the exit code 1 (default: warning).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print remaining diagnostics only, no summary.")
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
) -> None:
    """Apply safe fixes to plans and their status.json files (atomic writes, nothing else changes)."""
    from planlint.api import configured_plans, fix_paths
    from planlint.fixing_report import report_fixes

    config = selected_config(config_path, select, extend_select, ignore, fail_on)
    targets: Sequence[Path] = paths or configured_plans(config)
    dry = show_diff or check_only
    results = fix_paths(targets, config, unsafe=unsafe_fixes, write=not dry)
    code = report_fixes(
        results, config, out=sys.stdout, err=sys.stderr, diff=show_diff, check=check_only,
        show_fixes=show_fixes, quiet=quiet,
    )  # fmt: skip
    sys.exit(code)
