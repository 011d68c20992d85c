"""The docs tell the truth: generated pages are fresh, and every snippet a user may copy works.

docs/_generate.py renders the rule pages, usage, output formats and Python API pages from the
code (STYLE.md §2.10); these tests regenerate them into a temporary folder and compare. The
hand-written parts are checked against the code: every config key is documented and every TOML
example loads, every `planlint ...` command line in the docs parses with the real CLI, the
README's pre-commit snippet names hooks that .pre-commit-hooks.yaml defines, and its GitHub
Actions workflow runs.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from click.testing import CliRunner

from planlint import __version__
from planlint.catalogue import CATALOGUE
from planlint.cli import cli
from planlint.config import KEYS, Config, load_config
from planlint.report import REPORTERS
from planlint.rules import all_codes, load
from tests.conftest import REPO, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DOCS = REPO / "docs"
README = REPO / "README.md"
MANIFEST = REPO / ".pre-commit-hooks.yaml"
FENCE = re.compile(r"^(?P<fence>`{3,})(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=fence)$", re.MULTILINE | re.DOTALL)
QUICK_START = [
    "python -m pip install . && planlint check examples/",
    'python -m pip install -e ".[test]" && python -m pytest --all',
]
CONFLICT_PLAN = """\
# Implementation Plan: Auth

## Phase 1: Tokens

- [ ] 1.1 Add token parsing to `src/auth.py`
- [ ] 1.2 Add token expiry to `src/auth.py`
"""


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "_generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def regenerated(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs as `python docs/_generate.py --output DIR` writes them today."""
    out = tmp_path_factory.mktemp("docs")
    assert generator.main(["--output", str(out)]) == 0
    return out


def code_blocks(path: Path, *languages: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [m.group("body") for m in FENCE.finditer(text) if not languages or m.group("lang") in languages]


def section(text: str, heading: str) -> str:
    """The body of a `## heading` section, up to the next heading of level 2 or 1."""
    match = re.search(rf"^## {re.escape(heading)}\n(?P<body>.*?)(?=^#{{1,2}} |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no section '## {heading}'"
    return match.group("body").strip()


# -- generated pages -------------------------------------------------------------------------


@pytest.mark.slow  # regenerates every docs page
def test_committed_pages_match_the_generator(regenerated: Path) -> None:
    stale = []
    for page in sorted(p for p in regenerated.rglob("*.md")):
        name = page.relative_to(regenerated).as_posix()
        committed = DOCS / name
        fresh = page.read_text(encoding="utf-8")
        old = committed.read_text(encoding="utf-8") if committed.is_file() else ""
        if old != fresh:
            diff = difflib.unified_diff(old.splitlines(), fresh.splitlines(), f"docs/{name}", "generated", lineterm="")
            stale.append("\n".join(list(diff)[:30]))
    assert not stale, "stale docs; run `python docs/_generate.py`:\n\n" + "\n\n".join(stale)


@pytest.mark.slow  # regenerates every docs page
def test_pages_hold_no_path_of_the_machine_that_generated_them(regenerated: Path) -> None:
    for page in regenerated.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        for local in (str(REPO), tempfile.gettempdir() + "/", str(Path.home()) + "/"):
            assert local not in text, f"{page.name} shows the local path {local}"


def test_no_rule_page_without_a_rule() -> None:
    pages = {p.stem for p in (DOCS / "rules").glob("PL*.md")}
    assert pages == set(CATALOGUE)


@pytest.mark.slow  # regenerates every docs page
def test_check_flag_exits_1_on_a_stale_page(generator: ModuleType, regenerated: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    docs = tmp_path / "docs"
    shutil.copytree(regenerated, docs)
    pages = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    monkeypatch.setattr(generator, "generate", lambda source: pages)
    assert generator.main(["--check", "--docs", str(docs)]) == 0
    page = docs / "rules" / "PL101.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Why it matters", "## Why"), encoding="utf-8")
    assert generator.main(["--check", "--docs", str(docs)]) == 1
    (docs / "rules" / "PL999.md").write_text("a page for a rule that does not exist\n", encoding="utf-8")
    assert "rules/PL999.md" in generator.differences(pages, docs)


@pytest.mark.slow  # regenerates every docs page
def test_regenerating_in_place_writes_nothing_when_fresh(generator: ModuleType, regenerated: Path) -> None:
    pages = {p.relative_to(regenerated).as_posix(): p.read_text(encoding="utf-8") for p in regenerated.rglob("*.md")}
    assert generator.write(pages, regenerated) == []


@pytest.mark.parametrize("code", all_codes())
def test_rule_page_sections_follow_the_house_order(code: str) -> None:
    text = (DOCS / "rules" / f"{code}.md").read_text(encoding="utf-8")
    module = CATALOGUE[code].module
    assert text.startswith(f"<!-- Generated from planlint/rules/{module}.py and rules/{code}/ — do not edit")
    headings = re.findall(r"^## (.+)$", FENCE.sub("", text), re.MULTILINE)
    expected = ["Summary", "Why it matters", "Example that fails", "Example that passes"]
    expected += ["Fix"] if load(code).fixable else []
    assert headings == [*expected, "Options"]


@pytest.mark.parametrize("code", all_codes())
def test_rule_command_prints_the_page_summary_and_rationale(code: str) -> None:
    text = (DOCS / "rules" / f"{code}.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["rule", code])
    assert result.exit_code == 0, result.output
    summary, rationale = section(text, "Summary"), section(text, "Why it matters")
    assert result.output.split("\n\n", 1)[1].rstrip("\n") == f"{summary}\n\n{rationale}"


def test_rule_index_lists_every_rule() -> None:
    text = (DOCS / "rules" / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[(PL\d{3})\]\(\1\.md\) \|", text, re.MULTILINE)
    assert listed == all_codes()


def test_usage_documents_every_command() -> None:
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        assert f"### `planlint {name}`" in text


def test_output_formats_show_every_reporter() -> None:
    text = (DOCS / "output-formats.md").read_text(encoding="utf-8")
    for name in REPORTERS:
        assert re.search(rf"^## {name}\n", text, re.MULTILINE), f"output-formats.md has no example of {name}"
        assert f"$ planlint check --format {name} " in text or name == "text"


# -- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(KEYS))
def test_configuration_documents_every_key(key: str) -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert f"\n## `{key}`\n" in text, f"docs/configuration.md has no section for `{key}`"
    assert re.search(rf"^\| \[`{re.escape(key)}`\]", text, re.MULTILINE), f"`{key}` is missing from the defaults table"


def toml_examples() -> Iterator[Any]:
    for page in [README, *sorted(DOCS.glob("*.md")), *sorted((DOCS / "rules").glob("*.md"))]:
        for number, block in enumerate(code_blocks(page, "toml"), start=1):
            yield pytest.param(block, id=f"{page.relative_to(REPO).as_posix()}#{number}")


def loaded_values(config: Config, table: dict[str, Any]) -> dict[str, Any]:
    """What the config holds for each key the example sets, in the example's own shape."""
    pairs: dict[str, Any] = {
        "per-file-ignores": {k: list(v) for k, v in config.per_file_ignores},
        "severity": {k: v.name.lower() for k, v in config.severity},
        "fail-on": config.fail_on.name.lower(),
        "access": {k: list(v) for k, v in config.access},
        "dialects": dict(config.dialects),
        "extend-select": [code for code in table.get("extend-select", []) if code in config.select],
        "rules": {
            code: {k.replace("_", "-"): list(v) if isinstance(v, tuple) else v for k, v in options}
            for code, options in config.rule_options
            if code in table.get("rules", {})
        },
    }
    values = {}
    for key in table:
        value = pairs[key] if key in pairs else getattr(config, key.replace("-", "_"))
        values[key] = list(value) if isinstance(value, tuple) else value
    return values


@pytest.mark.parametrize("block", list(toml_examples()))
def test_toml_examples_are_valid_config(block: str, tmp_path: Path) -> None:
    planlint_table = "[tool.planlint" in block
    path = tmp_path / ("pyproject.toml" if planlint_table else ".planlint.toml")
    path.write_text(block, encoding="utf-8")
    config = load_config(path)  # raises ConfigError on an unknown key, option or ill-typed value
    table = tomllib.loads(block)
    table = table["tool"]["planlint"] if planlint_table else table
    assert table, "the example sets no planlint key"
    assert config.path == path
    assert loaded_values(config, table) == table, "the config does not hold what the example sets"


# -- command lines in the docs ---------------------------------------------------------------


def parse_invocation(args: list[str]) -> None:
    """Parse a command line with the real click definitions (raises click.ClickException)."""
    with cli.make_context("planlint", list(args)) as ctx:
        protected = ctx._protected_args if hasattr(ctx, "_protected_args") else ctx.protected_args
        rest = [*protected, *ctx.args]
        name, command, rest = cli.resolve_command(ctx, rest)
        assert command is not None
        command.make_context(name, rest, parent=ctx)


def command_lines() -> Iterator[Any]:
    """Every `planlint ...` line a reader may copy from README.md and docs/."""
    pages = [README, *sorted(DOCS.glob("*.md")), *sorted((DOCS / "rules").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        seen: set[str] = set()
        for match in FENCE.finditer(text):
            lang, body = match.group("lang"), match.group("body")
            for line in body.splitlines():
                line = line.strip()
                if lang == "console" and line.startswith("$ "):
                    line = line[2:]
                elif lang == "yaml" and line.startswith(("run: ", "- run: ")):
                    line = line.split("run: ", 1)[1]
                elif lang not in ("sh", "bash", "shell"):
                    continue
                for part in re.split(r"&&|\|\||;", line):
                    part = part.split(" #", 1)[0].strip()  # a shell comment is not part of it
                    if part.startswith("planlint ") and part not in seen:
                        seen.add(part)
                        yield pytest.param(part, id=f"{page.relative_to(REPO).as_posix()}: {part}")


@pytest.mark.parametrize("line", list(command_lines()))
def test_documented_command_lines_parse(line: str) -> None:
    args = shlex.split(line, comments=True)
    for operator in (">", ">>", "|", "2>", "<"):
        if operator in args:
            args = args[: args.index(operator)]
    parse_invocation(args[1:])


def test_the_command_line_parser_rejects_what_planlint_rejects() -> None:
    with pytest.raises(click.ClickException):
        parse_invocation(["check", "--format", "xml"])
    with pytest.raises(click.ClickException):
        parse_invocation(["check", "--no-such-option"])


# -- README ----------------------------------------------------------------------------------


def test_readme_quick_start_is_exactly_the_two_commands() -> None:
    quick_start = section(README.read_text(encoding="utf-8"), "Quick start")
    assert [b.strip() for b in re.findall(r"```sh\n(.*?)```", quick_start, re.DOTALL)] == QUICK_START


def test_ci_runs_the_quick_start_test_command_and_fails_when_no_test_ran() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    install, test = QUICK_START[1].split(" && ")
    lines = [line.strip() for line in script.splitlines()]
    assert any(line.startswith(install) for line in lines) and test in lines
    assert test.endswith(" --all"), "CI and the Quick start run the whole suite, slow tests included"
    assert '"$status" -eq 5' in script, "pytest's exit 5 (no tests ran) must fail CI"


def test_readme_links_the_docs() -> None:
    text = README.read_text(encoding="utf-8")
    for page in ("index.md", "usage.md", "configuration.md", "rules/index.md", "output-formats.md",
                 "pre-commit.md", "github-actions.md", "python-api.md"):  # fmt: skip
        assert f"(docs/{page})" in text, f"README.md does not link docs/{page}"


def relative_links(page: Path) -> Iterator[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            yield target.split("#", 1)[0]


def test_relative_links_resolve() -> None:
    broken = []
    for page in [README, *DOCS.glob("*.md"), *(DOCS / "rules").glob("*.md")]:
        for target in relative_links(page):
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken


# -- pre-commit and GitHub Actions snippets --------------------------------------------------


def load_yaml(text: str) -> Any:
    yaml = pytest.importorskip("yaml", reason="PyYAML (installed with pre-commit) is not importable")
    return yaml.safe_load(text)


def yaml_snippets(path: Path, top_key: str) -> list[dict[str, Any]]:
    found = []
    for block in code_blocks(path, "yaml", "yml"):
        data = load_yaml(block)
        if isinstance(data, dict) and top_key in data:
            found.append(data)
    return found


def manifest() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in load_yaml(MANIFEST.read_text(encoding="utf-8"))}


def manifest_ids() -> set[str]:
    return set(manifest())


@pytest.mark.slow  # runs the real pre-commit
@pytest.mark.parametrize("page", [README, DOCS / "pre-commit.md"], ids=lambda p: p.name)
def test_pre_commit_snippets_use_the_hooks_this_repo_defines(page: Path, tmp_path: Path) -> None:
    snippets = yaml_snippets(page, "repos")
    assert snippets, f"{page.name} has no .pre-commit-config.yaml snippet"
    for snippet in snippets:
        (repo,) = snippet["repos"]
        assert repo["rev"] == f"v{__version__}"
        ids = {hook["id"] for hook in repo["hooks"]}
        assert ids and ids <= manifest_ids(), f"hooks {ids - manifest_ids()} are not in .pre-commit-hooks.yaml"
        for hook in repo["hooks"]:  # pre-commit runs `entry args... files...`
            entry = manifest()[hook["id"]]["entry"]
            parse_invocation([*shlex.split(entry)[1:], *map(str, hook.get("args", []))])
    readme_ids = {h["id"] for s in yaml_snippets(README, "repos") for h in s["repos"][0]["hooks"]}
    assert readme_ids == manifest_ids(), "the README snippet should install both hooks"
    if shutil.which("pre-commit") is None and importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed")
    for number, snippet in enumerate(snippets):
        config = tmp_path / f"config-{number}.yaml"
        config.write_text(json.dumps(snippet), encoding="utf-8")  # JSON is YAML
        command = [sys.executable, "-m", "pre_commit", "validate-config", str(config)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def workflow_steps(page: Path) -> list[dict[str, Any]]:
    (workflow,) = yaml_snippets(page, "jobs")
    (job,) = workflow["jobs"].values()
    assert "security-events" in job["permissions"], "upload-sarif needs security-events: write"
    return job["steps"]


@pytest.mark.slow  # runs every planlint step of the workflow
@pytest.mark.parametrize("page", [README, DOCS / "github-actions.md"], ids=lambda p: p.name)
def test_github_actions_workflow_runs_and_uploads_sarif(page: Path, tmp_path: Path) -> None:
    steps = workflow_steps(page)
    planlint_runs = [s["run"] for s in steps if str(s.get("run", "")).startswith("planlint ")]
    sarif_runs = [r for r in planlint_runs if "--format sarif" in r]
    (sarif_run,) = sarif_runs
    assert sarif_run.startswith("planlint check --format sarif --output-file planlint.sarif")
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "planlint.sarif"
    assert upload.get("if") == "always()"
    annotate = [r for r in planlint_runs if "--format" not in r]
    assert annotate, "the workflow should also run `planlint check` with the default --format auto"

    # Run the steps on a repository with one plan that has a finding, as Actions would.
    (tmp_path / ".git").mkdir()
    plan = tmp_path / "docs" / "plans" / "auth.md"
    plan.parent.mkdir(parents=True)
    plan.write_text(CONFLICT_PLAN, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "auth.py").write_text("", encoding="utf-8")  # the file the tasks modify
    for command in planlint_runs:
        result = run_cli(*shlex.split(command)[1:], cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
        assert result.returncode in (0, 1), result.stderr
        if command in annotate:
            assert result.returncode == 1
            assert result.stdout.startswith("::warning file=docs/plans/auth.md,line=5"), result.stdout
    log = json.loads((tmp_path / "planlint.sarif").read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["PL101"]
