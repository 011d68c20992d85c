"""docs/usage.md: from the click commands, with examples the docs test runs."""

from __future__ import annotations

import inspect
from typing import Any

import click

from _pages.common import DO_NOT_EDIT, cell, fenced
from _pages.rule_pages import yes_no

USAGE_INTRO = """\
# Usage

```text
planlint COMMAND [OPTIONS] [ARGS]...
```

Every command takes `-h`/`--help`. Each path is checked with the config and root found from
it upward (see [Configuration](configuration.md)), so a run gives the same findings from any
folder; paths are printed relative to the current folder when they lie under it.

The text report shows each finding on one line, `path:line:column: CODE message`, with `[*]` on
the ones `planlint fix` mends. On a terminal, the source line follows each finding, its span
underlined (`--no-show-source` turns that off, `--show-source` turns it on elsewhere), and the
summary names each code found with the command that explains it (`planlint rule CODE`).

Rule selection (`--select`, `--extend-select`, `--ignore`)
takes codes or code prefixes (`PL101`, `PL1`, `ALL`), repeated or comma-separated; the longest
matching prefix decides. Options given on the command line add to (or, for `--select`, replace)
what the [configuration](configuration.md) says.

## Standard input (editors)

`planlint check -` reads a plan from standard input, and `--stdin-filename PATH` says which file
it stands for: that name is reported, matched by `per-file-ignores` and paired with the
status.json on disk, so an editor can lint a buffer before it is saved. `planlint fix -` writes
the whole plan to standard output, fixed when the fixes hold and unchanged otherwise, and its
report to standard error; it fixes the plan only (status.json is not read) and writes no file.
Input that is not UTF-8 text is the same one-line error as for a file, named after
`--stdin-filename` (or `-`).

## Reading and writing files

A file planlint cannot read is one line on stderr and exit 2, the other files still checked: not
UTF-8 text, larger than 64 MiB, holding a number of more than 4,300 digits (Python's limit for
turning digits into an integer), a folder, a socket, a symlink loop. A FIFO or device named on
the command line is read as `cat` would (one nobody writes to reads as empty); a folder walk takes
regular files only.

`fix` and `emit --into-status` write a file only if it still holds what planlint read (an edit
made meanwhile is kept: one line, exit 2), never a read-only file, and through a symlink only to
a file inside the root; the link stays a link. A write replaces the file by renaming a finished
temporary file over it, keeping its mode and BOM. status.json is read and written under the
orchestrator's lock (`status.json.lock`, made with mkdir as proper-lockfile does): planlint
waits up to 10 s for it (`PLANLINT_LOCK_RETRY_SECONDS`), takes over one left for more than 60 s,
and refreshes it every 2 s while it holds it. `emit -o -` writes to standard output; a FIFO or
character device given to `-o` (`/dev/stdout`) is written in place.

## Exit codes

| Code | `check` and `fix` | `emit` and `next` |
| --- | --- | --- |
| 0 | nothing at or above the failing severity (`--fail-on`, default `warning`) | the document was written (warnings in the plan do not stop it) |
| 1 | diagnostics at or above the failing severity | refused: the plan has errors that make a schedule unsound (`--force` overrides) |
| 2 | usage, configuration or I/O error (one line on stderr) | usage, configuration or I/O error |

## Environment variables

| Variable | Effect |
| --- | --- |
| `GITHUB_ACTIONS` | set: `--format auto` (the default) writes GitHub annotations |
| `NO_COLOR` | set and not empty: no colour in the text report (`--color always` still colours) |
| `FORCE_COLOR` | set and not empty: colour in the text report even when it does not go to a terminal (`NO_COLOR` and `--color never` win) |
| `PLANLINT_LOCK_RETRY_SECONDS` | how long a write to status.json waits for the orchestrator's lock (default 10) |
| `PLANLINT_DEBUG` | set: an internal error shows its traceback |
"""

# Examples shown under a command; the docs test parses each one with the real CLI.
USAGE_EXAMPLES = {
    "check": [
        "planlint check                              # the plans the config's `plans` globs find",
        "planlint check docs/plans/ --select PL1     # one folder, conflict and note rules only",
        "planlint check --format sarif --output-file planlint.sarif",
        "planlint check --write-baseline .planlint-baseline.json",
        "planlint check --baseline .planlint-baseline.json",
        "planlint check --stdin-filename docs/plans/auth.md < buffer.md   # an editor's unsaved buffer",
    ],
    "fix": [
        "planlint fix --diff docs/plans/auth.md      # show what would change, write nothing",
        "planlint fix --select PL104,PL107           # only these fixes",
        "planlint fix - < draft.md > fixed.md        # stdin to stdout (the plan only; the report on stderr)",
    ],
    "emit": [
        "planlint emit docs/plans/auth.md -o constraints.json",
        "planlint emit docs/plans/auth.md --into-status   # executionConstraints into status.json",
        "planlint emit docs/plans/auth.md --format prompt --tasks 3.1,3.2",
    ],
    "next": [
        "planlint next docs/plans/auth.md 4                  # up to 4 tasks that may run now",
        "planlint next docs/plans/auth.md --cross-phase",
    ],
    "rule": ["planlint rule", "planlint rule PL101", "planlint rule PL101 --format json"],
    "schema": ["planlint schema status > status.schema.json"],
}


def _unset(value: Any) -> bool:
    return value is None or value == () or repr(value) == "Sentinel.UNSET" or callable(value)


def _param_value(param: click.Parameter) -> str:
    if isinstance(param, click.Option) and param.is_flag:
        return "flag"
    if isinstance(param.type, click.Choice):
        return ", ".join(f"`{c}`" for c in param.type.choices)
    name = param.metavar or param.type.name.upper()
    if isinstance(param.type, click.IntRange):
        name = "INTEGER"
        if param.type.min is not None:
            name += f" ≥ {param.type.min}"
    text = f"`{name}`"
    if getattr(param, "multiple", False):
        text += ", repeatable"
    return text


def _param_default(param: click.Parameter) -> str:
    if isinstance(param, click.Option) and param.is_flag:
        return "off"
    default = param.default
    return "" if _unset(default) else f"`{default}`"


def _command_help(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or "")
    text = text.split("\f", 1)[0]
    return "\n".join(line for line in text.splitlines() if line.strip() != "\b").strip()


def _render_command(command: click.Command, parent: click.Context, path: str, level: int) -> list[str]:
    ctx = click.Context(command, info_name=path.split()[-1], parent=parent)
    pieces = _usage_pieces(command)
    out = [
        f"{'#' * level} `{path}`",
        "",
        fenced(f"{path} {pieces}", "text"),
        "",
        _command_help(command),
        "",
    ]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    if arguments:
        out += ["| Argument | Value | Default | Required |", "| --- | --- | --- | --- |"]
        for arg in arguments:
            name = (arg.metavar or arg.name or "").upper()
            if arg.nargs == -1:
                name += "..."
            out.append(f"| `{name}` | {_param_value(arg)} | {_param_default(arg)} | {yes_no(arg.required)} |")
        out.append("")
    if options:
        out += ["| Option | Value | Default | Description |", "| --- | --- | --- | --- |"]
        for opt in options:
            names = ", ".join(f"`{n}`" for n in [*opt.opts, *opt.secondary_opts])
            out.append(f"| {names} | {_param_value(opt)} | {_param_default(opt)} | {cell(opt.help or '')} |")
        out.append("")
    name = path.split(" ", 1)[1]
    if name in USAGE_EXAMPLES:
        out += ["Examples:", "", fenced("\n".join(USAGE_EXAMPLES[name]), "sh"), ""]
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                out += _render_command(sub, ctx, f"{path} {sub_name}", level + 1)
    return out


def _usage_pieces(command: click.Command) -> str:
    """The usage line's pieces, written here rather than by click, whose rendering of optional
    arguments changes between releases (8.4 and 8.5 differ), so the page is the same
    whichever click is installed."""
    pieces = ["[OPTIONS]"] if any(isinstance(p, click.Option) and not p.hidden for p in command.params) else []
    for param in command.params:
        if not isinstance(param, click.Argument):
            continue
        if isinstance(param.type, click.Choice):
            name = "|".join(map(str, param.type.choices))
        else:
            name = (param.metavar or param.name or "").upper()
        if param.nargs == -1:
            name += "..."
        pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, click.Group):
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def render_usage() -> str:
    from planlint.cli import cli

    ctx = click.Context(cli, info_name="planlint")
    out = [f"<!-- Generated from planlint/cli.py and planlint/commands/ — {DO_NOT_EDIT} -->", "", USAGE_INTRO]
    out += ["## Global options", "", "| Option | Description |", "| --- | --- |"]
    for opt in cli.params:
        if isinstance(opt, click.Option) and not opt.hidden:
            names = ", ".join(f"`{n}`" for n in [*opt.opts, *opt.secondary_opts])
            out.append(f"| {names} | {cell(opt.help or '')} |")
    out += [
        "| `-h`, `--help` | Show the help of planlint or of a command. |",
        "",
        "## Commands",
        "",
    ]
    commands = [cli.get_command(ctx, n) for n in cli.list_commands(ctx)]
    for c in commands:
        if c is not None and not c.hidden:
            first = _command_help(c).split("\n\n", 1)[0]
            out.append(f"- [`planlint {c.name}`](#planlint-{c.name}): {cell(first)}")
    out.append("")
    for command in commands:
        if command is not None and not command.hidden:
            out += _render_command(command, ctx, f"planlint {command.name}", 3)
    return "\n".join(out).rstrip("\n") + "\n"
