"""Generate planlint's reference docs from the code and the rule book, so they cannot drift.

    python docs/_generate.py                 regenerate the pages in place
    python docs/_generate.py --check         exit 1 when a committed page differs (CI, tests)
    python docs/_generate.py --output DIR    write the pages under DIR instead

Generated whole: `rules/<CODE>.md` and `rules/index.md` (from each rule's module docstring,
metadata and Options dataclass, and its first examples in `rules/<CODE>/`), `usage.md` (from the
click commands), `output-formats.md` (by running `planlint check` on a small plan in every
format), and `python-api.md` (from the docstrings of `planlint.api`).

Generated in part: `index.md` and `configuration.md` keep their hand-written prose; only the text
between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` is replaced.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import inspect
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
RULES_DIR = REPO / "rules"
sys.path.insert(0, str(REPO))  # the checkout's planlint, even when it is not installed

import click  # noqa: E402 - after the sys.path line above

from planlint.rule import Rule  # noqa: E402
from planlint.rules import REGISTRY, all_codes, load  # noqa: E402

DO_NOT_EDIT = "do not edit; run `python docs/_generate.py`"
MARKER = re.compile(r"\s*<!--\s*expect:[^>]*-->")
BLOCK = re.compile(
    r"(?P<open><!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)"
    r"(?P<close><!-- end generated: (?P=name) -->)",
    re.DOTALL,
)
# Where the example project of index.md and output-formats.md lives on "your" machine: the
# temporary folder it really ran in is replaced by this, so the pages do not change per run.
SHOWN_ROOT = "/home/you/project"


# -- rule pages ------------------------------------------------------------------------------


@dataclass
class Example:
    """One case of a rule's examples: a single plan file or a folder (plan.md, status.json)."""

    code: str
    kind: str  # "pass" or "fail"
    path: Path  # the .md file, or the folder

    @property
    def name(self) -> str:
        return self.path.stem if self.path.is_file() else self.path.name

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()

    def files(self) -> list[Path]:
        """The inputs, as a reader should see them: plan first, then status.json."""
        if not self.is_folder:
            return [self.path]
        return [self.path / n for n in ("plan.md", "status.json") if (self.path / n).is_file()]

    def fixed(self) -> list[tuple[Path, Path]]:
        """(input, its expected content after `planlint fix`) pairs."""
        if not self.is_folder:
            after = self.path.with_name(self.path.stem + ".fixed.md")
            return [(self.path, after)] if after.is_file() else []
        pairs = [("plan.md", "plan.fixed.md"), ("status.json", "status.fixed.json")]
        return [(self.path / a, self.path / b) for a, b in pairs if (self.path / b).is_file()]


def examples(code: str, kind: str) -> list[Example]:
    """A rule's cases of one kind, sorted by name (the order the test suite runs them in)."""
    folder = RULES_DIR / code / kind
    if not folder.is_dir():
        return []
    found = [Example(code, kind, path) for path in folder.iterdir() if _is_case(path)]
    return sorted(found, key=lambda e: e.name)


def _is_case(path: Path) -> bool:
    """A plan file (not its `.fixed.md`), or a folder case (not a `.todo` one, nor a source
    tree that examples refer to), as tests/test_rule_examples.py collects them."""
    if path.is_file():
        return path.suffix == ".md" and not path.name.endswith(".fixed.md")
    has_input = (path / "plan.md").is_file() or (path / "status.json").is_file()
    return path.is_dir() and not path.name.endswith(".todo") and has_input


def read_example(path: Path) -> str:
    """An example file as a reader should see it: `<!-- expect: ... -->` markers removed."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return MARKER.sub("", text)


def fenced(text: str, language: str) -> str:
    """A code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text.rstrip("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def language_of(path: Path) -> str:
    return "json" if path.suffix == ".json" else "markdown"


def repo_link(path: Path, text: str | None = None) -> str:
    """A Markdown link from a page in docs/rules/ to a file of the repository."""
    relative = path.relative_to(REPO).as_posix()
    return f"[`{text or relative}`](../../{relative})"


def findings(example: Example) -> list[str]:
    """What `planlint check --select CODE` reports for an example, in the text format."""
    from planlint.config import Config

    code = example.code
    lines = []
    if example.is_folder:
        # As tests/test_rule_examples.py runs it: a copy of the folder is the repository root.
        from planlint.api import check_paths

        with tempfile.TemporaryDirectory(prefix="planlint-docs-") as folder:
            root = Path(folder).resolve()
            shutil.copytree(example.path, root, dirs_exist_ok=True)
            config = Config(root=root).with_overrides(select=[code])
            target = root / example.files()[0].name
            for result in check_paths([target], config):
                for d in result.diagnostics:
                    if d.code == code:
                        line, column, _, _ = result.locate(d.span)
                        where = Path(d.span.path).resolve().relative_to(root).as_posix()
                        text = _finding_line(where, line, column, d)
                        lines.append(text.replace(f"{root}{os.sep}", ""))  # as run in the folder
        return lines
    from planlint.engine import lint_plan
    from planlint.io import decode_source
    from planlint.parse.plan import parse_plan

    config = Config(root=example.path.parent).with_overrides(select=[code])
    source = decode_source(example.path.read_bytes(), example.path)
    for d in lint_plan(parse_plan(source), config):
        if d.code == code and d.span.path == example.path:
            line, column = source.position(d.span.start)
            lines.append(_finding_line(example.path.name, line, column, d))
    return lines


def _finding_line(name: str, line: int, column: int, diagnostic: Any) -> str:
    mark = " [*]" if diagnostic.fix is not None else ""
    message = " ".join(diagnostic.message.splitlines())
    return f"{name}:{line}:{column}: {diagnostic.code} {message}{mark}"


def show_example(example: Example) -> list[str]:
    """The example's files as fenced blocks, each introduced by a link to it."""
    out = []
    for path in example.files():
        text = read_example(path)
        if not text.strip():
            out += [f"{repo_link(path)} is empty.", ""]
        else:
            out += [f"{repo_link(path)}:", "", fenced(text, language_of(path)), ""]
    if example.is_folder:
        tree = [p for p in sorted(example.path.rglob("*")) if p.is_file() and _is_source(example, p)]
        if tree:
            links = [repo_link(p, p.relative_to(example.path).as_posix()) for p in tree]
            out += [wrap(f"The repository it describes holds {_and(links)}."), ""]
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _is_source(example: Example, path: Path) -> bool:
    """A file of a folder case's source tree: not an input, expectation or fixed output."""
    top = path.relative_to(example.path).parts
    if len(top) == 1 and (path in example.files() or path.name == "expected.txt"):
        return False
    return ".fixed." not in path.name and ".planlint_cache" not in top


def option_rows(rule: type[Rule]) -> list[tuple[str, str, str, str]]:
    """(config name, type, default as TOML, description) for each field of the Options dataclass."""
    options = rule.Options
    if options is None:
        return []
    defaults = options()
    comments = _field_comments(options)
    rows = []
    for item in dataclasses.fields(options):
        description = item.metadata.get("help") or comments.get(item.name, "")
        rows.append(
            (
                item.name.replace("_", "-"),
                _type_name(item.type),
                toml_value(getattr(defaults, item.name)),
                description,
            )
        )
    return rows


def _field_comments(options: type) -> dict[str, str]:
    """Trailing `# comments` on the fields of a dataclass, by field name."""
    try:
        source = inspect.getsource(options)
    except (OSError, TypeError):
        return {}
    found = {}
    for match in re.finditer(r"^\s+(\w+)\s*:[^#\n]*#\s*(.+)$", source, re.MULTILINE):
        found[match.group(1)] = match.group(2).strip()
    return found


def _type_name(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else _annotation(annotation)
    names = {"str": "string", "int": "integer", "bool": "boolean", "float": "number"}
    if text.startswith(("tuple[str", "list[str")):
        return "list of strings"
    return names.get(text, text)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def wrap(text: str) -> str:
    """A paragraph wrapped at 100 columns, as the hand-written pages are."""
    return textwrap.fill(" ".join(text.split()), 100, break_long_words=False, break_on_hyphens=False)


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def default_on(rule: type[Rule]) -> bool:
    from planlint.config import Config

    return Config().is_enabled(rule.code, opt_in=rule.opt_in)


def _standards_for(code: str) -> list[str]:
    from planlint.config import STANDARD_RULES

    return [name for name, codes in STANDARD_RULES.items() if code in codes]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def render_rule(code: str) -> str:
    rule = load(code)
    module = REGISTRY[code].split(":")[0]
    on = default_on(rule)
    out = [
        f"<!-- Generated from planlint/rules/{module}.py and rules/{code}/ — {DO_NOT_EDIT} -->",
        "",
        f"# {code}: {rule.name}",
        "",
        "| Severity | Fixable | Default |",
        "| --- | --- | --- |",
        f"| {rule.severity.label} | {_yes(rule.fixable)} | {'on' if on else 'opt-in'} |",
        "",
    ]
    if not on:
        ways = [
            f'`extend-select = ["{code}"]` in the [configuration](../configuration.md#extend-select)',
            f"`--extend-select {code}` on the command line",
        ]
        ways += [f'`standard = "{s}"`' for s in _standards_for(code)]
        how = ", ".join(ways[:-1]) + " or " + ways[-1]  # there are always two or more
        out += [wrap(f"Turn it on with {how}."), ""]
    out += ["## Summary", "", rule.summary(), "", "## Why it matters", "", rule.rationale(), ""]

    out += ["## Example that fails", ""]
    failing = examples(code, "fail")
    if failing:
        first = failing[0]
        out += show_example(first)
        reported = findings(first)
        if reported:
            out += [
                f"`planlint check --select {code}` reports:",
                "",
                fenced("\n".join(reported), "text"),
                "",
            ]
    else:
        out += [f"No example yet (add one under `rules/{code}/fail/`).", ""]
    out += ["## Example that passes", ""]
    passing = examples(code, "pass")
    if passing:
        out += show_example(passing[0])
    else:
        out += [f"No example yet (add one under `rules/{code}/pass/`).", ""]

    if rule.fixable:
        out += ["## Fix", ""]
        with_fix = next((e for e in failing if e.fixed()), None)
        if with_fix is not None:
            out += _render_fix(with_fix)
        else:
            out += ["This rule is fixable, but none of its examples shows a fix yet.", ""]

    out += ["## Options", ""]
    rows = option_rows(rule)
    if not rows:
        out += ["This rule has no options.", ""]
    else:
        out += [
            wrap(
                f"Set them in a `[tool.planlint.rules.{code}]` table (`[rules.{code}]` in"
                " `.planlint.toml`); see [Configuration](../configuration.md#rules)."
            ),
            "",
            "| Option | Type | Default | Description |",
            "| --- | --- | --- | --- |",
        ]
        out += [f"| `{n}` | {t} | `{cell(d)}` | {cell(h)} |" for n, t, d, h in rows]
        out += ["", "With every option at its default:", ""]
        table = [f"[tool.planlint.rules.{code}]"] + [f"{n} = {d}" for n, _, d, _ in rows]
        out += [fenced("\n".join(table), "toml"), ""]
    out += ["[All rules](index.md)"]
    return "\n".join(out) + "\n"


def _render_fix(example: Example) -> list[str]:
    names = ", ".join(f"`{before.name}`" for before, _ in example.fixed())
    where = f"the example {repo_link(example.path)}" if example.is_folder else repo_link(example.path)
    out = [
        wrap(f"`planlint fix` applies the safe fixes. On {where} it changes {names} like this:"),
        "",
    ]
    for before, after in example.fixed():
        old, new = read_example(before), read_example(after)
        diff = difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{before.name}",
            tofile=f"b/{before.name}",
        )
        out += [fenced("".join(diff), "diff"), ""]
    for before, after in example.fixed():
        intro = f"{before.name} after the fix ({repo_link(after)}):"
        out += [intro, "", fenced(read_example(after), language_of(after)), ""]
    return out


def render_rule_index() -> str:
    out = [
        f"<!-- Generated from planlint/rules/ — {DO_NOT_EDIT} -->",
        "",
        "# Rules",
        "",
        wrap(
            f"planlint has {len(REGISTRY)} rules. Default rules run unless `ignore` drops them."
            " Opt-in rules run when a `select` or `extend-select` that you write names them, by"
            " code or prefix (`PL4`, `ALL`), or when a `standard` turns them on. Fixable rules offer"
            " fixes that `planlint fix` applies. See [Configuration](../configuration.md) for"
            " choosing rules and setting their options."
        ),
        "",
        "| Code | Name | Severity | Fixable | Default | Summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for code in all_codes():
        rule = load(code)
        on = "on" if default_on(rule) else "opt-in"
        fixable = "yes" if rule.fixable else ""
        cells = [f"[{code}]({code}.md)", rule.name, rule.severity.label, fixable, on]
        out.append(f"| {' | '.join(cells)} | {cell(rule.summary())} |")
    return "\n".join(out) + "\n"


# -- usage -----------------------------------------------------------------------------------

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
            out.append(f"| `{name}` | {_param_value(arg)} | {_param_default(arg)} | {_yes(arg.required)} |")
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


# -- running the real CLI on an example project ----------------------------------------------

CHECKOUT_PLAN = """\
# Implementation Plan: Checkout retries

## Phase 1: Retry logic

- [ ] 1.1 Add a retry policy to `src/checkout/payment.py`
- [ ] 1.2 Log each retry attempt in `src/checkout/payment.py`
- [ ] 1.3 Document the retry settings in `docs/checkout.md`

## Phase 2: Rollout

- [ ] 2.1 Enable retries for card payments in `src/checkout/config.py` (depends: 1.4)
"""
INDEX_PLAN = CHECKOUT_PLAN.split("\n## Phase 2", 1)[0] + "\n"
PLAN_PATH = "docs/plans/checkout-retries.md"


class Project:
    """A project folder holding one plan, where the real CLI runs (see `project`)."""

    def __init__(self, root: Path, plan: str) -> None:
        self.root = root
        (root / ".git").mkdir()  # config lookup stops here, as in a real repository
        self.plan = root / PLAN_PATH
        self.plan.parent.mkdir(parents=True)
        self.plan.write_text(plan, encoding="utf-8")
        for cited in re.findall(r"`([\w./-]+\.\w+)`", plan):  # the files the plan modifies exist
            (root / cited).parent.mkdir(parents=True, exist_ok=True)
            (root / cited).touch()

    def run(self, command: str) -> tuple[str, str]:
        """(stdout, stderr) of a `planlint ...` command line, with the folder's path replaced."""
        hidden = ("GITHUB_ACTIONS", "PLANLINT_DEBUG", "NO_COLOR")
        env = {k: v for k, v in os.environ.items() if k not in hidden}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        args = shlex.split(command)
        assert args[0] == "planlint", command
        done = subprocess.run(
            [sys.executable, "-m", "planlint", *args[1:]],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,  # exit 1 (findings) is what the examples show
        )
        if done.returncode not in (0, 1) or "internal error" in done.stderr:
            # A page must never show a crash as if it were planlint's output.
            raise SystemExit(f"docs/_generate.py: `{command}` failed:\n{done.stderr}")
        return self._portable(done.stdout), self._portable(done.stderr)

    def _portable(self, text: str) -> str:
        text = text.replace(self.root.as_uri(), Path(SHOWN_ROOT).as_uri())
        return text.replace(str(self.root), SHOWN_ROOT)


@contextmanager
def project(plan: str) -> Iterator[Project]:
    with tempfile.TemporaryDirectory(prefix="planlint-docs-") as folder:
        yield Project(Path(folder).resolve(), plan)


def console(command: str, stdout: str, stderr: str = "") -> str:
    return fenced(f"$ {command}\n{stdout}{stderr}".rstrip("\n"), "console")


def render_index_example() -> str:
    check, fix = f"planlint check {PLAN_PATH}", f"planlint fix {PLAN_PATH}"
    with project(INDEX_PLAN) as example:
        checked = example.run(check)
        fixed = example.run(fix)
        after = example.plan.read_text(encoding="utf-8")
    text = [
        f"A plan, `{PLAN_PATH}`, whose tasks 1.1 and 1.2 both edit `payment.py`:",
        fenced(INDEX_PLAN, "markdown"),
        wrap(
            "An orchestrator would hand 1.1 and 1.2 to two agents at once, and one would overwrite"
            " the other's work. planlint says so ([PL101](rules/PL101.md)):"
        ),
        console(check, *checked),
        "`planlint fix` writes the Execution Note that makes the orchestrator run them in order:",
        console(fix, *fixed),
        fenced(after, "markdown"),
    ]
    return "\n\n".join(text)


# (section, text, command): the examples of output-formats.md, in order.
FORMATS = [
    (
        "text",
        (
            "The default outside GitHub Actions: one line per finding, `path:line:column: CODE"
            " message`, with ` [*]` when `planlint fix` can fix it. The summary goes to stderr, so"
            " stdout stays parseable. In a terminal the output is coloured unless `NO_COLOR` is set."
        ),
        "planlint check {plan}",
    ),
    (
        "text",
        "`--show-source` adds the line of each finding, its span underlined with `^`.",
        "planlint check --show-source {plan}",
    ),
    (
        "json",
        (
            "A list of diagnostic objects, sorted by path, line and column. The keys are a stable"
            " contract: `code`, `name`, `severity`, `message`, `path`, `line`, `column`,"
            " `end_line`, `end_column` and `fix` (`null`, or its applicability and text edits)."
        ),
        "planlint check --format json {plan}",
    ),
    (
        "sarif",
        (
            "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: the rules that fired with"
            " their help and a link to their page here, each result with its location, related"
            " locations (the other tasks of a conflict), its fix, and a fingerprint that survives"
            " edits above the finding. Upload it as shown in [GitHub Actions](github-actions.md)."
        ),
        "planlint check --format sarif {plan}",
    ),
    (
        "github",
        (
            "Workflow commands that GitHub Actions turns into annotations on the pull request."
            " `--format auto` (the default) picks this format when `GITHUB_ACTIONS` is set."
        ),
        "planlint check --format github {plan}",
    ),
    (
        "gitlab",
        (
            "GitLab Code Quality JSON: publish it as the `codequality` report of a job"
            " (`artifacts: reports: codequality: planlint.json`)."
        ),
        "planlint check --format gitlab {plan}",
    ),
    (
        "junit",
        (
            "JUnit XML, which most CI systems show as test results: one test suite per file, one"
            " failing test case per finding."
        ),
        "planlint check --format junit {plan}",
    ),
    (
        "statistics",
        (
            "`--statistics` prints counts per code instead of each finding (as JSON with `--format"
            " json`; the document formats still write their document and print the counts to"
            " stderr)."
        ),
        "planlint check --statistics {plan}",
    ),
]


def render_output_formats() -> str:
    out = [
        f"<!-- Generated by running planlint (docs/_generate.py) — {DO_NOT_EDIT} -->",
        "",
        "# Output formats",
        "",
        wrap(
            "`planlint check --format NAME` chooses how findings are written; `--output-file FILE`"
            " writes them to a file instead of stdout. Every example below is real output of this"
            f" version of planlint, run on `{PLAN_PATH}`:"
        ),
        "",
        fenced(CHECKOUT_PLAN, "markdown"),
        "",
        f"(Absolute paths are shown as `{SHOWN_ROOT}`.)",
        "",
    ]
    with project(CHECKOUT_PLAN) as example:
        seen: set[str] = set()
        for name, text, command in FORMATS:
            if name not in seen:
                out += [f"## {name}", ""]
                seen.add(name)
            command = command.format(plan=PLAN_PATH)
            stdout, stderr = example.run(command)
            shown_err = stderr if name in ("text", "statistics") else ""
            out += [wrap(text), "", console(command, stdout, shown_err), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- Python API ------------------------------------------------------------------------------


def _signature(function: Callable[..., Any]) -> str:
    """A signature with the annotations as written (they are strings under PEP 563)."""
    signature = inspect.signature(function)
    parts = []
    seen_keyword_only = False
    for param in signature.parameters.values():
        if param.kind is param.KEYWORD_ONLY and not seen_keyword_only:
            parts.append("*")
            seen_keyword_only = True
        prefix = {param.VAR_POSITIONAL: "*", param.VAR_KEYWORD: "**"}.get(param.kind, "")
        if param.kind is param.VAR_POSITIONAL:
            seen_keyword_only = True
        text = prefix + param.name
        if param.annotation is not param.empty:
            text += f": {_annotation(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {param.default!r}" if param.annotation is not param.empty else f"={param.default!r}"
        parts.append(text)
    returns = ""
    if signature.return_annotation is not signature.empty:
        returns = f" -> {_annotation(signature.return_annotation)}"
    flat = f"({', '.join(parts)}){returns}"
    if len(flat) + len(function.__name__) + 4 <= 88 or not parts:
        return flat
    return "(\n" + "".join(f"    {part},\n" for part in parts) + f"){returns}"


def _annotation(annotation: Any) -> str:
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def _api_members() -> list[tuple[str, Any]]:
    from planlint import api

    members = [
        (name, value)
        for name, value in vars(api).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == api.__name__
    ]
    return sorted(members, key=lambda item: inspect.getsourcelines(item[1])[1])


def _render_member(name: str, value: Any, qualifier: str) -> list[str]:
    doc = inspect.getdoc(value) or ""
    if inspect.isclass(value):
        out = [f"### `{qualifier}{name}`", "", fenced(f"class {name}", "python"), ""]
        out += [doc, ""] if doc else []
        if dataclasses.is_dataclass(value):
            out += ["| Field | Type |", "| --- | --- |"]
            out += [f"| `{f.name}` | `{cell(_annotation(f.type))}` |" for f in dataclasses.fields(value)]
            out.append("")
        for method_name, method in vars(value).items():
            if method_name.startswith("_") or not inspect.isfunction(method):
                continue
            out += [f"- `{method_name}{_signature(method)}`: {cell(inspect.getdoc(method) or '')}"]
        return [*out, ""]
    out = [f"### `{qualifier}{name}`", "", fenced(f"def {name}{_signature(value)}", "python"), ""]
    return out + ([doc, ""] if doc else [])


API_MODULES = "planlint/__init__.py and planlint/api.py"


def render_python_api() -> str:
    import planlint

    stable = [n for n in getattr(planlint, "__all__", []) if not n.startswith("_")]
    members = _api_members()
    out = [
        f"<!-- Generated from the docstrings of {API_MODULES} — {DO_NOT_EDIT} -->",
        "",
        "# Python API",
        "",
    ]
    package_doc = inspect.getdoc(planlint) or ""
    intro = package_doc.split("\n", 1)[1].strip() if "\n" in package_doc else ""
    if intro:
        # An indented block in the docstring is an example: show it as Python.
        paragraphs = []
        for block in intro.split("\n\n"):
            lines = block.splitlines()
            if lines and all(line.startswith("    ") or not line.strip() for line in lines):
                paragraphs.append(fenced(inspect.cleandoc(block), "python"))
            else:
                paragraphs.append(block)
        out += ["\n\n".join(paragraphs), ""]
    by_name = dict(members)
    if stable:
        out += [
            "## The stable API",
            "",
            "Import these from `planlint` itself (`planlint.check_paths(...)`).",
            "",
        ]
        for name in stable:
            if name in by_name:
                out += _render_member(name, by_name[name], "planlint.")
    rest = [(n, v) for n, v in members if n not in stable]
    if rest:
        heading = "## More of `planlint.api`" if stable else "## `planlint.api`"
        out += [heading, ""]
        if stable:
            out += [
                "Also public, but not re-exported by `planlint`; import them from `planlint.api`.",
                "",
            ]
        for name, value in rest:
            out += _render_member(name, value, "planlint.api.")
    return "\n".join(out).rstrip("\n") + "\n"


# -- configuration ---------------------------------------------------------------------------


def render_config_defaults() -> str:
    """The table of every config key with its default, computed from planlint.config."""
    from planlint import config as cfg

    defaults = cfg.Config()

    def code(value: Any) -> str:
        return f"`{toml_value(value)}`"

    shown = {
        "plans": code(defaults.plans),
        "status": code(defaults.status),
        "exclude": code(defaults.exclude),
        "select": code(defaults.select),
        "extend-select": code([]),
        "ignore": code(defaults.ignore),
        "per-file-ignores": "`{}`",
        "severity": "`{}`: each rule's own",
        "fail-on": code(defaults.fail_on.label),
        "schema": "the shipped schema (`planlint schema status`)",
        "src": code(defaults.src),
        "access": "`{}`: the built-in verb lists",
        "standard": "none",
        "rules": "`{}`: each rule's option defaults",
        "dialects": "`{}`: each file's format as its content shows",
    }
    missing = sorted(set(cfg._KEYS) - set(shown))
    if missing:
        raise SystemExit(f"docs/_generate.py: no default written for config keys {missing}")
    out = ["| Key | Default |", "| --- | --- |"]
    out += [f"| [`{key}`](#{key}) | {value} |" for key, value in shown.items() if key in cfg._KEYS]
    return "\n".join(out)


def render_rule_options() -> str:
    """Every rule with options, and its options, as tables."""
    out = []
    for code in all_codes():
        rule = load(code)
        rows = option_rows(rule)
        if not rows:
            continue
        out += [
            f"[{code}](rules/{code}.md) ({rule.name}):",
            "",
            "| Option | Type | Default | Description |",
            "| --- | --- | --- | --- |",
        ]
        out += [f"| `{n}` | {t} | `{cell(d)}` | {cell(h)} |" for n, t, d, h in rows]
        out.append("")
    return "\n".join(out).rstrip("\n")


# -- assembling ------------------------------------------------------------------------------

PARTIAL_PAGES: dict[str, dict[str, Callable[[], str]]] = {
    "index.md": {"before-after": render_index_example},
    "configuration.md": {"defaults": render_config_defaults, "rule-options": render_rule_options},
}


def fill_blocks(page: str, text: str, renderers: dict[str, Callable[[], str]]) -> str:
    """Replace the body of each generated block of a hand-written page."""
    found = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in renderers:
            raise SystemExit(f"docs/{page}: unknown generated block {name!r}")
        found.add(name)
        return match.group("open") + renderers[name]().rstrip("\n") + "\n" + match.group("close")

    result = BLOCK.sub(replace, text)
    missing = sorted(set(renderers) - found)
    if missing:
        raise SystemExit(f"docs/{page}: missing generated blocks {missing}")
    return result


def generate(source: Path = DOCS) -> dict[str, str]:
    """Every generated page by its path under docs/; hand-written parts are read from `source`."""
    pages = {f"rules/{code}.md": render_rule(code) for code in all_codes()}
    pages["rules/index.md"] = render_rule_index()
    pages["usage.md"] = render_usage()
    pages["output-formats.md"] = render_output_formats()
    pages["python-api.md"] = render_python_api()
    for page, renderers in PARTIAL_PAGES.items():
        pages[page] = fill_blocks(page, (source / page).read_text(encoding="utf-8"), renderers)
    return pages


def stale_rule_pages(pages: dict[str, str], docs: Path) -> list[str]:
    """Rule pages in docs/rules/ for codes that no longer exist."""
    folder = docs / "rules"
    if not folder.is_dir():
        return []
    return sorted(f"rules/{p.name}" for p in folder.glob("PL*.md") if f"rules/{p.name}" not in pages)


def differences(pages: dict[str, str], docs: Path) -> list[str]:
    """Pages under `docs` that differ from the generated ones, missing, or left over."""
    changed = []
    for name, text in sorted(pages.items()):
        path = docs / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(name)
    return changed + stale_rule_pages(pages, docs)


def write(pages: dict[str, str], out: Path) -> list[str]:
    """Write the pages under `out` (only those that changed) and delete left-over rule pages."""
    written = []
    for name in stale_rule_pages(pages, out):
        (out / name).unlink()
        written.append(name)
    for name, text in sorted(pages.items()):
        path = out / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed page is stale")
    parser.add_argument("--output", type=Path, help="write the pages under this folder instead of docs/")
    parser.add_argument("--docs", type=Path, default=DOCS, help=argparse.SUPPRESS)  # for tests
    args = parser.parse_args(argv)
    pages = generate(args.docs)
    if args.check:
        stale = differences(pages, args.docs)
        for name in stale:
            print(f"docs/{name} is stale", file=sys.stderr)
        if stale:
            print("run `python docs/_generate.py` and commit the result", file=sys.stderr)
            return 1
        print(f"{len(pages)} generated pages are up to date")
        return 0
    target = args.output or args.docs
    for name in write(pages, target):
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
