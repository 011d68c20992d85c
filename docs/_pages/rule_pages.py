"""docs/rules/<CODE>.md and docs/rules/index.md: from each rule's module docstring, metadata,
Options dataclass and first examples in rules/<CODE>/."""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _pages.common import DO_NOT_EDIT, MARKER, REPO, RULES_DIR, cell, fenced, wrap
from _pages.python_api_page import annotation_text
from planlint.catalogue import CATALOGUE
from planlint.rule import Rule
from planlint.rules import all_codes, load


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
    tree that examples refer to), as tests/rules/test_rule_examples.py collects them."""
    if path.is_file():
        return path.suffix == ".md" and not path.name.endswith(".fixed.md")
    has_input = (path / "plan.md").is_file() or (path / "status.json").is_file()
    return path.is_dir() and not path.name.endswith(".todo") and has_input


def read_example(path: Path) -> str:
    """An example file as a reader should see it: `<!-- expect: ... -->` markers removed."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return MARKER.sub("", text)


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
        # As tests/rules/test_rule_examples.py runs it: a copy of the folder is the repository root.
        from planlint.api import check_paths

        with tempfile.TemporaryDirectory(prefix="planlint-docs-") as folder:
            root = Path(folder).resolve()
            shutil.copytree(example.path, root, dirs_exist_ok=True)
            config = Config(root=root).with_overrides(select=[code])
            target = root / example.files()[0].name
            before = Path.cwd()
            os.chdir(root)  # messages name other files relative to the working folder: as run in the folder
            try:
                for result in check_paths([target], config):
                    for d in result.diagnostics:
                        if d.code == code:
                            line, column, _, _ = result.locate(d.span)
                            where = Path(d.span.path).resolve().relative_to(root).as_posix()
                            lines.append(_finding_line(where, line, column, d).replace(f"{root}{os.sep}", ""))
            finally:
                os.chdir(before)
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
    text = annotation if isinstance(annotation, str) else annotation_text(annotation)
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


def default_on(rule: type[Rule]) -> bool:
    from planlint.config import Config

    return Config().is_enabled(rule.code, opt_in=rule.opt_in)


def _standards_for(code: str) -> list[str]:
    from planlint.config import STANDARD_RULES

    return [name for name, codes in STANDARD_RULES.items() if code in codes]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def render_rule(code: str) -> str:
    rule = load(code)
    out = _render_heading(rule)
    out += ["## Summary", "", rule.summary(), "", "## Why it matters", "", rule.rationale(), ""]
    failing = examples(code, "fail")
    out += _render_examples(code, failing, examples(code, "pass"))
    if rule.fixable:
        out += ["## Fix", ""]
        with_fix = next((e for e in failing if e.fixed()), None)
        if with_fix is not None:
            out += _render_fix(with_fix)
        else:
            out += ["This rule is fixable, but none of its examples shows a fix yet.", ""]
    out += ["## Options", "", *_render_options(rule)]
    out += ["[All rules](index.md)"]
    return "\n".join(out) + "\n"


def _render_heading(rule: type[Rule]) -> list[str]:
    """The page's first lines: the do-not-edit line, the title, the table of flags, and how to
    turn an opt-in rule on."""
    code = rule.code
    on = default_on(rule)
    out = [
        f"<!-- Generated from planlint/rules/{CATALOGUE[code].module}.py and rules/{code}/ — {DO_NOT_EDIT} -->",
        "",
        f"# {code}: {rule.name}",
        "",
        "| Severity | Fixable | Default |",
        "| --- | --- | --- |",
        f"| {rule.severity.label} | {yes_no(rule.fixable)} | {'on' if on else 'opt-in'} |",
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
    return out


def _render_examples(code: str, failing: list[Example], passing: list[Example]) -> list[str]:
    """The first failing example with what planlint reports, and the first passing one."""
    out = ["## Example that fails", ""]
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
    if passing:
        out += show_example(passing[0])
    else:
        out += [f"No example yet (add one under `rules/{code}/pass/`).", ""]
    return out


def _render_options(rule: type[Rule]) -> list[str]:
    code = rule.code
    rows = option_rows(rule)
    if not rows:
        return ["This rule has no options.", ""]
    out = [
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
    return out


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
            f"planlint has {len(CATALOGUE)} rules. Default rules run unless `ignore` drops them."
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
