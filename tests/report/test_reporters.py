"""Every output format, written to io.StringIO from hand-built results (so rule wording does not
move the goldens), plus a few runs of the real CLI.

SARIF is validated against the vendored OASIS schema, GitLab output against the documented shape
in tests/data/gitlab-codequality.schema.json. The text and github goldens in tests/data/golden/
are rewritten only on purpose: `PLANLINT_UPDATE_GOLDEN=1 pytest tests/report/test_reporters.py`, then
review the diff.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planlint.api import FileResult, check_paths
from planlint.config import Config
from planlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Related, Severity
from planlint.errors import InputError
from planlint.model import Span
from planlint.report import REPORTERS
from planlint.report.github import GithubReporter, escape_data, escape_property
from planlint.report.gitlab import GitlabReporter
from planlint.report.json import JsonReporter
from planlint.report.junit import JunitReporter
from planlint.report.sarif import SarifReporter, sarif_log
from planlint.report.text import TextReporter
from planlint.text import SourceText
from tests.conftest import CORPUS, DATA, run_cli

DATA = DATA
GOLDEN = DATA / "golden"
SARIF_SCHEMA = DATA / "sarif" / "sarif-schema-2.1.0.json"
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
GITLAB_SCHEMA = DATA / "gitlab-codequality.schema.json"

PLAN = """# Implementation Plan: Reporters

## Phase 1: Work

- [ ] 1.1 Update `src/a.py`
- [ ] 1.2 Update `src/a.py` and\t`src/b.py`
- [ ] 1.3 Café ✓ tidy `src/c.py`
  with a second line
"""
PLAN_PATH = Path("plans/demo.md")


def span_of(text: str, needle: str, nth: int = 0, path: Path = PLAN_PATH) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(path, start, start + len(needle))


def make_results(text: str = PLAN) -> list[FileResult]:
    """Three files: one with findings of every severity, one clean, one unreadable."""
    source = SourceText.from_text(text, PLAN_PATH)
    first_task = span_of(text, "- [ ] 1.1")
    note = "**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - both modify `src/a.py`\n\n"
    diagnostics = [
        Diagnostic(
            "PL101", "tasks 1.1, 1.2 all write `src/a.py` but no [SEQUENTIAL] note orders them",
            span_of(text, "1.1"), Severity.WARNING, "missing-sequential",
            fix=Fix("insert a [SEQUENTIAL] note for tasks 1.1-1.2",
                    (Edit(Span(PLAN_PATH, first_task.start, first_task.start), note),)),
            related=(Related(span_of(text, "`src/a.py`"), "task 1.1 writes `src/a.py`"),
                     Related(span_of(text, "`src/a.py`", 1), "task 1.2 writes `src/a.py`")),
        ),
        Diagnostic(
            "PL002", "task ID 1.2 is used twice (first at line 3)\r\n100% sure, really: yes",
            span_of(text, "`src/b.py`"), Severity.ERROR, "duplicate-task-id",
            fix=Fix("rename", (Edit(span_of(text, "b.py"), "d.py"),), Applicability.UNSAFE),
        ),
        Diagnostic("PL401", "task 1.3 names no file, so its conflicts cannot be checked",
                   span_of(text, "tidy `src/c.py`\n  with"), Severity.INFO, "no-file-reference"),
    ]  # fmt: skip
    clean_path = Path("plans/clean.md")
    clean = FileResult(clean_path, SourceText.from_text("## Phase 1: A\n", clean_path))
    broken = FileResult(Path("plans/latin1.md"), error=InputError("not valid UTF-8", "plans/latin1.md", 3))
    return [broken, clean, FileResult(PLAN_PATH, source, diagnostics, sources={PLAN_PATH: source})]


def render(reporter: object, results: list[FileResult] | None = None) -> str:
    out = io.StringIO()
    reporter.write(make_results() if results is None else results, out)  # type: ignore[attr-defined]
    return out.getvalue()


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PLANLINT_UPDATE_GOLDEN"):
        path.write_bytes(actual.encode("utf-8"))
        pytest.skip(f"rewrote {path}; review the diff")
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


def validate(instance: object, schema_path: Path) -> None:
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# --- the registry ------------------------------------------------------------------------------


def test_registry_feeds_the_cli_format_choice() -> None:
    from planlint.commands.check import check

    (option,) = [p for p in check.params if p.name == "output_format"]
    assert list(option.type.choices) == ["auto", *REPORTERS]
    assert option.default == "auto"
    assert {"text", "json", "sarif", "github", "gitlab", "junit"} <= set(REPORTERS)


# --- text -------------------------------------------------------------------------------------


def test_text_golden() -> None:
    assert_golden("text.txt", render(TextReporter(colour=False)))


def test_text_show_source_golden() -> None:
    assert_golden("text-show-source.txt", render(TextReporter(show_source=True, colour=False)))


def test_show_source_keeps_tabs_so_carets_line_up() -> None:
    lines = render(TextReporter(show_source=True, colour=False)).splitlines()
    at = lines.index(next(line for line in lines if "PL002" in line))
    text_line, caret_line = lines[at + 2], lines[at + 3]
    column = text_line.index("`src/b.py`")
    assert caret_line[:column].replace("^", "") == caret_line[:column]
    assert caret_line[column:] == "^" * len("`src/b.py`")
    assert "\t" in caret_line


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_is_coloured_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = FakeTerminal()
    TextReporter().write(make_results(), terminal)
    assert "\x1b[1;33mPL101\x1b[0m" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = FakeTerminal()
    TextReporter().write(make_results(), plain)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[" not in render(TextReporter())  # not a terminal


# --- github -----------------------------------------------------------------------------------


def test_github_golden() -> None:
    assert_golden("github.txt", render(GithubReporter()))


def test_github_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("dir,x/a:b%.md") == "dir%2Cx/a%3Ab%25.md"
    output = render(GithubReporter())
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in output.splitlines())
    assert "::notice file=plans/demo.md,line=7," in output
    assert "title=PL002::task ID 1.2 is used twice (first at line 3)%0D%0A100%25 sure, really: yes" in output


# --- json -------------------------------------------------------------------------------------


def test_json_keeps_the_design_shape() -> None:
    items = json.loads(render(JsonReporter()))
    assert [item["code"] for item in items] == ["PL101", "PL002", "PL401"]
    keys = {"code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column", "fix"}
    assert all(set(item) == keys for item in items)
    assert items[0]["fix"] == {
        "applicability": "safe",
        "edits": [{"line": 5, "column": 1, "end_line": 5, "end_column": 1,
                   "content": "**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL] - both modify `src/a.py`\n\n"}],
    }  # fmt: skip
    assert items[1]["fix"]["applicability"] == "unsafe"


# --- sarif ------------------------------------------------------------------------------------


def test_vendored_sarif_schema_is_unchanged() -> None:
    assert hashlib.sha256(SARIF_SCHEMA.read_bytes()).hexdigest() == SARIF_SCHEMA_SHA256


def test_sarif_validates_against_the_official_schema() -> None:
    log = json.loads(render(SarifReporter()))
    validate(log, SARIF_SCHEMA)
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert [r["ruleId"] for r in run["results"]] == ["PL101", "PL002", "PL401"]
    assert [r["level"] for r in run["results"]] == ["warning", "error", "note"]


def test_sarif_rules_have_help_and_docs_links() -> None:
    run = sarif_log(make_results())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["PL002", "PL101", "PL401"]
    for rule in rules:
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_locations_related_locations_and_fixes() -> None:
    run = sarif_log(make_results())["runs"][0]
    pl101, pl002, pl401 = run["results"]
    location = pl101["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "plans/demo.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 7, "endLine": 5, "endColumn": 10}
    assert [(r["id"], r["message"]["text"], r["physicalLocation"]["region"]["startLine"])
            for r in pl101["relatedLocations"]] == [
        (1, "task 1.1 writes `src/a.py`", 5), (2, "task 1.2 writes `src/a.py`", 6)
    ]  # fmt: skip
    (fix,) = pl101["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["deletedRegion"] == {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 1}
    assert replacement["insertedContent"]["text"].startswith("**Execution Note:** Tasks 1.1-1.2")
    assert pl002["fixes"][0]["properties"] == {"applicability": "unsafe"}
    # Columns count code points: `tidy` follows "Café ✓ " on line 7.
    assert pl401["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 18, "endLine": 8, "endColumn": 7}  # fmt: skip
    assert "fixes" not in pl401 and "relatedLocations" not in pl401


def test_sarif_lists_unreadable_files_as_notifications() -> None:
    (invocation,) = sarif_log(make_results())["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"] == "not valid UTF-8"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_sarif_fingerprints_survive_edits_above_the_finding(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    text = "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Update `src/a.py`\n- [ ] 1.1 Update `src/b.py` (depends: 1.7)\n"
    plan.write_text(text, encoding="utf-8")

    def fingerprints() -> list[tuple[int, str]]:
        run = sarif_log(check_paths([plan], Config()))["runs"][0]
        return [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
                 r["partialFingerprints"]["planlintFinding/v1"]) for r in run["results"]]  # fmt: skip

    before = fingerprints()
    plan.write_text(text.replace("## Phase 1: A\n", "Intro.\n\nMore intro.\n\n## Phase 1: A\n"), encoding="utf-8")
    after = fingerprints()
    assert before and len(before) == len(after)
    assert [line + 4 for line, _ in before] == [line for line, _ in after]
    assert [fp for _, fp in before] == [fp for _, fp in after]
    assert len({fp for _, fp in after}) == len(after)


def test_sarif_of_an_empty_run_validates() -> None:
    validate(sarif_log([]), SARIF_SCHEMA)


@pytest.mark.slow  # checks the whole corpus
def test_sarif_of_the_shared_corpus_validates(corpus: Path) -> None:
    plans = CORPUS / "docs" / "plans"
    result = run_cli("check", str(plans), "--select", "ALL", "--format", "sarif", "--quiet")
    assert result.returncode in (0, 1), result.stderr
    log = json.loads(result.stdout)
    assert log["runs"][0]["results"]
    validate(log, SARIF_SCHEMA)


# --- gitlab -----------------------------------------------------------------------------------


def test_gitlab_matches_the_documented_shape() -> None:
    issues = json.loads(render(GitlabReporter()))
    validate(issues, GITLAB_SCHEMA)
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("PL101", "minor", 5), ("PL002", "major", 6), ("PL401", "info", 7)
    ]  # fmt: skip
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_are_unique_when_findings_share_a_key() -> None:
    (result,) = [r for r in make_results() if r.diagnostics]
    twice = FileResult(result.path, result.source, result.diagnostics * 2, sources=result.sources)
    issues = json.loads(render(GitlabReporter(), [twice]))
    assert len({i["fingerprint"] for i in issues}) == 6


# --- junit ------------------------------------------------------------------------------------


def test_junit_has_a_failure_per_diagnostic() -> None:
    output = render(JunitReporter())
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(output.split("\n", 1)[1])
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "5", "3", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == ["plans/latin1.md", "plans/clean.md", "plans/demo.md"]
    assert suites["plans/latin1.md"].find("testcase/error") is not None
    (clean_case,) = suites["plans/clean.md"].iter("testcase")
    assert len(clean_case) == 0  # a passing test case
    failures = [case.find("failure") for case in suites["plans/demo.md"].iter("testcase")]
    assert [f.get("type") for f in failures] == ["PL101", "PL002", "PL401"]
    assert failures[0].text == (
        "plans/demo.md:5:7: warning: PL101 tasks 1.1, 1.2 all write `src/a.py` but no [SEQUENTIAL] note orders them"
    )
    assert failures[1].get("message").endswith("\r\n100% sure, really: yes")  # attributes escape newlines


# --- through the real CLI ---------------------------------------------------------------------

CONFLICT = """# Implementation Plan: Conflict

## Phase 1: Work

- [ ] 1.1 Update `src/a.py`
- [ ] 1.2 Update `src/a.py`
"""


@pytest.fixture
def conflict_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "plan.md").write_text(CONFLICT, encoding="utf-8")
    return tmp_path


def test_format_auto_is_github_inside_github_actions(conflict_plan: Path) -> None:
    inside = run_cli("check", "plan.md", cwd=conflict_plan, env={"GITHUB_ACTIONS": "true"})
    assert inside.returncode == 1
    assert inside.stdout.startswith("::warning file=plan.md,line=5,col=7,")
    outside = run_cli("check", "plan.md", cwd=conflict_plan)
    assert outside.stdout.startswith("plan.md:5:7: PL101 ")
    forced = run_cli("check", "plan.md", "--format", "text", cwd=conflict_plan, env={"GITHUB_ACTIONS": "true"})
    assert forced.stdout == outside.stdout


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_every_format_runs_through_the_cli(conflict_plan: Path, name: str) -> None:
    result = run_cli("check", "plan.md", "--format", name, cwd=conflict_plan)
    assert result.returncode == 1, result.stderr
    assert "PL101" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_statistics_works_with_every_format(conflict_plan: Path, name: str) -> None:
    result = run_cli("check", "plan.md", "--statistics", "--format", name, cwd=conflict_plan)
    assert result.returncode == 1, result.stderr
    if name == "json":
        (row,) = json.loads(result.stdout)
        assert (row["code"], row["name"], row["count"]) == ("PL101", "missing-sequential", 1)
        assert set(row) == {"code", "name", "count", "fixable"}
    elif name in ("sarif", "gitlab", "junit"):  # the document stays whole; the counts go to stderr
        assert "PL101" in result.stdout
        assert "1  PL101" in result.stderr
    else:
        assert [w for w in result.stdout.split() if w != "[*]"] == ["1", "PL101", "missing-sequential"]


def test_show_source_through_the_cli(conflict_plan: Path) -> None:
    result = run_cli("check", "plan.md", "--show-source", cwd=conflict_plan)
    assert result.stdout.splitlines()[1:4] == ["  |", "5 | - [ ] 1.1 Update `src/a.py`", "  |       ^^^"]
