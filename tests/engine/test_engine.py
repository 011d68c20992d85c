"""The engine: selection, suppression comments, per-file-ignores, severity, order."""

from __future__ import annotations

from pathlib import Path

from planlint.api import check_text
from planlint.config import Config
from planlint.diagnostic import Severity

PLAN = """# Plan

## Phase 1: A

**Execution Note:** Tasks 1.2-1.1 are [SEQUENTIAL] - shared file

- [ ] 1.1 a
- [ ] 1.2 b
- [ ] 1.2 c
- [ ] 1.9 d (depends: 1.7)
"""


def codes(text: str, config: Config | None = None) -> list[tuple[str, int]]:
    from planlint.text import SourceText

    source = SourceText.from_text(text, "plan.md")
    return [(d.code, source.position(d.span.start)[0]) for d in check_text(text, "plan.md", config)]


def test_results_are_sorted_by_position() -> None:
    assert codes(PLAN) == [("PL104", 5), ("PL002", 9), ("PL007", 10), ("PL111", 10)]


def test_disable_next_line_and_disable_line() -> None:
    text = PLAN.replace("- [ ] 1.2 c", "<!-- planlint-disable-next-line PL002 -->\n- [ ] 1.2 c")
    text = text.replace("(depends: 1.7)", "(depends: 1.7) <!-- planlint-disable-line PL1 -->")
    assert codes(text) == [("PL104", 5), ("PL007", 11)]


def test_disable_enable_region_by_code_and_for_all() -> None:
    text = PLAN.replace("**Execution Note:**", "<!-- planlint-disable PL104 -->\n\n**Execution Note:**")
    text = text.replace("- [ ] 1.1 a", "<!-- planlint-enable PL104 -->\n\n- [ ] 1.1 a")
    assert [c for c, _ in codes(text)] == ["PL002", "PL007", "PL111"]
    everything = "<!-- planlint-disable -->\n" + PLAN
    assert codes(everything) == []


def test_disable_file_silences_its_codes_above_and_below_it() -> None:
    text = PLAN + "\n<!-- planlint-disable-file PL104, PL111 -->\n"
    assert codes(text) == [("PL002", 9), ("PL007", 10)]
    assert codes("<!-- planlint-disable-file -->\n" + PLAN) == []


def test_suppression_comments_in_a_gsd_folder_act_in_their_own_file(tmp_path: Path) -> None:
    """A GSD folder is one plan read from several files: each file's comments silence the
    findings that point into it (PL101 points at the first plan's `wave:` line)."""
    from tests.conftest import run_cli

    folder = tmp_path / ".planning" / "phases" / "05-billing"
    folder.mkdir(parents=True)
    for plan in ("01", "02"):
        (folder / f"05-{plan}-PLAN.md").write_text(
            f"---\nphase: 05-billing\nplan: {plan}\ntype: execute\nwave: 1\ndepends_on: []\n"
            f"files_modified:\n  - src/billing/types.ts\nautonomous: true\n---\n\n<objective>\nPlan {plan}.\n"
            "</objective>\n"
        )
    found = run_cli("check", ".planning", cwd=tmp_path)
    assert "05-01-PLAN.md:5:7: PL101" in found.stdout, found.stdout + found.stderr
    with (folder / "05-02-PLAN.md").open("a") as other:
        other.write("\n<!-- planlint-disable-file PL101 -->\n")  # not the file the finding is in
    assert "PL101" in run_cli("check", ".planning", cwd=tmp_path).stdout
    with (folder / "05-01-PLAN.md").open("a") as own:
        own.write("\n<!-- planlint-disable-file PL101 -->\n")
    silenced = run_cli("check", ".planning", cwd=tmp_path)
    assert silenced.returncode == 0, silenced.stdout + silenced.stderr


def test_suppression_inside_code_fence_is_ignored() -> None:
    text = PLAN.replace("- [ ] 1.2 c", "```\n<!-- planlint-disable -->\n```\n\n- [ ] 1.2 c")
    assert "PL002" in [c for c, _ in codes(text)]


def test_per_file_ignores_match_relative_paths() -> None:
    config = Config(root=Path.cwd(), per_file_ignores=(("plan.md", ("PL0",)),))
    assert [c for c, _ in codes(PLAN, config)] == ["PL104", "PL111"]


def test_severity_override() -> None:
    config = Config(severity=(("PL007", Severity.ERROR),))
    diagnostics = check_text(PLAN, "plan.md", config)
    assert {d.code: d.severity for d in diagnostics}["PL007"] is Severity.ERROR


def test_strict_findings_ignore_selection_ignores_and_suppression() -> None:
    """What emit and next refuse a plan for: the asked codes only, whatever silences lint."""
    from planlint.engine import strict_findings
    from planlint.parse.plan import parse_plan
    from planlint.text import SourceText

    text = PLAN.replace("- [ ] 1.2 c\n", "- [ ] 1.2 c <!-- planlint-disable-line PL002 -->\n")
    plan = parse_plan(SourceText.from_text(text, "plan.md"))
    silenced = Config(ignore=("PL002",))
    assert "PL002" not in [code for code, _ in codes(text, silenced)]
    found = strict_findings(plan, silenced, frozenset({"PL002"}))
    assert [(d.code, plan.source.position(d.span.start)[0]) for d in found] == [("PL002", 9)]
    assert strict_findings(plan, Config(), frozenset({"PL112"})) == []
