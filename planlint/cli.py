"""The command line: wires click to the API. The only place that prints errors and exits.

Each command lives in its own module under `planlint.commands` and is imported only when it
runs (click's lazy-loading recipe), so `planlint check` builds no option of `emit` or `next`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from planlint.errors import PlanlintError
from planlint.report import EXIT_ERROR, EXIT_OK
from planlint.version import __version__

if TYPE_CHECKING:
    from planlint.config import Configs

F = TypeVar("F", bound=Callable[..., Any])

# One parameter type for every path: click types are stateless, and each click.Path() built
# would call gettext (a dozen file lookups) at import.
PATH = click.Path(path_type=Path)

# command name -> "module:function" under planlint.commands
COMMANDS = {
    "check": "check:check",
    "emit": "emit:emit",
    "fix": "fix:fix",
    "next": "next:next_command",
    "rule": "info:rule",
    "schema": "info:schema",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they are looked up (for a run, for --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        return command(cmd_name)


def command(name: str) -> click.Command:
    """The click command registered under name."""
    module, _, function = COMMANDS[name].partition(":")
    found: click.Command = getattr(import_module(f"planlint.commands.{module}"), function)
    return found


def codes_option(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


def stacked(*options: Callable[[F], F]) -> Callable[[F], F]:
    """One decorator for several options, listed in --help in the order given."""

    def apply(function: F) -> F:
        for option in reversed(options):  # as stacked decorators apply: the last first
            function = option(function)
        return function

    return apply


def selection_options(select: str, extend_select: str, ignore: str) -> Callable[[F], F]:
    """--config, then --select, --extend-select and --ignore with the command's own help."""
    return stacked(
        click.option(
            "--config",
            "config_path",
            type=PATH,
            help="Use this config file for every path (default: the nearest above each path).",
        ),
        codes_option("--select", select),
        codes_option("--extend-select", extend_select),
        codes_option("--ignore", ignore),
    )


def fail_on_option(help_text: str) -> Callable[[F], F]:
    return click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), help=help_text)


def show_source_option(help_text: str) -> Callable[[F], F]:
    return click.option("--show-source/--no-show-source", default=None, help=help_text)


def stdin_name(paths: tuple[Path, ...], stdin_filename: Path | None) -> tuple[tuple[Path, ...], Path | None]:
    """The paths without `-`, and the name standard input goes by when it is to be read: `-` is
    among the paths, or only --stdin-filename was given (as ruff does)."""
    from planlint.errors import UsageError
    from planlint.io import STDIN

    rest = tuple(p for p in paths if p != STDIN)
    dashes = len(paths) - len(rest)
    if dashes == 0 and not (stdin_filename is not None and not paths):
        if stdin_filename is not None:
            raise UsageError("--stdin-filename names standard input: add `-` to the paths")
        return paths, None
    if dashes > 1:
        raise UsageError("`-` (standard input) can be given only once")
    if stdin_filename is not None and stdin_filename.suffix.lower() == ".json":
        raise UsageError("standard input is read as a plan; check a status.json from its file", stdin_filename)
    return rest, stdin_filename or STDIN


def configured_targets(configs: Configs) -> list[Path]:
    """The files the configured `plans` globs match, for a run given no paths; when there are
    none, a warning and exit 0 (nothing to check is not an error, but never a silent pass)."""
    from planlint.discovery import configured_plans

    targets = configured_plans(configs.current())
    if not targets:
        plans = list(configs.current().plans)
        click.echo(f"planlint: warning: no file checked: no plans found (plans = {plans})", err=True)
        sys.exit(EXIT_OK)
    return targets


def selected_config(
    config_path: Path | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    exclude: tuple[str, ...] = (),
    cache: bool = True,
) -> Configs:
    """The configs of the run, found from each checked path upward (or the one `--config`
    names), with the command line's rule selection over each. The options are checked here,
    before any file is read."""
    from planlint.config import Config, Configs

    def overrides(config: Config) -> Config:
        return config.with_overrides(
            select=select or None, extend_select=extend_select, ignore=ignore, fail_on=fail_on,
            exclude=exclude, cache=cache,
        )  # fmt: skip

    overrides(Config())  # a bad code or glob on the command line is a usage error even for an empty run
    return Configs(config_path, overrides)


colour_option = click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report; auto colours a terminal, honouring NO_COLOR and FORCE_COLOR.",
)

# What picks the files a run reads, shared by check and fix: --exclude, --no-cache, --stdin-filename.
input_options = stacked(
    click.option(
        "--exclude",
        multiple=True,
        metavar="GLOB",
        help="Skip files and folders matching this glob (relative to the root; repeatable), on top of "
        "the configured `exclude`.",
    ),
    click.option(
        "--no-cache",
        is_flag=True,
        help="Do not read or write the cache in <root>/.planlint_cache (symbols, status schema verdicts).",
    ),
    click.option(
        "--stdin-filename",
        type=PATH,
        metavar="PATH",
        help="The file that standard input stands for (`-` among the paths, or no paths): its name is "
        "reported, matched by per-file-ignores and paired with a status.json.",
    ),
)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
# The message is click's default, given literally to spare a gettext look-up at import.
@click.version_option(__version__, "--version", prog_name="planlint", message="%(prog)s, version %(version)s")
def cli() -> None:
    """planlint: lint Markdown implementation plans and their status.json files."""


def guarded(function: F) -> F:
    """Turn planlint's own errors into one line and exit 2, and never show a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except PlanlintError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `planlint` script: click, plus a last line of defence."""
    tune_gc()
    for stream in (sys.stdout, sys.stderr):
        # A lone surrogate (from a JSON "\ud800" or an undecodable file name) is printed as its
        # escape, not a crash; in JSON output that escape is the same JSON string.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
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
    finally:
        # The process ends here: spare the interpreter a last collection over everything the
        # run built (about 8 ms of a 90 ms check). Frozen objects are still freed at exit.
        gc.freeze()


def tune_gc() -> None:
    """Collect cyclic garbage less often, as mypy does: a plan run builds many small objects and
    few cycles. With the default thresholds a short run spends a tenth of its time collecting,
    and a 100k-task plan a third (full collections over millions of live objects). The
    `planlint` process sets this; the library leaves the interpreter's settings alone."""
    gc.set_threshold(100_000, 50, 100)
