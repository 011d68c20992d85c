"""planlint with `standard = "plan-standards"` against the team's validate-plan-format.js.

Both run over the corpus's plans (../shared/corpus/docs/plans, the files `planlint check` picks
up there). The script reads `docs/plans/implement-*.md` beside itself, so it runs on a temporary
copy of the plans under names of that shape. Each finding of either tool is mapped to one check
of the script (`section Risks`, `verify`, ...) and the counts per check are pinned below;
docs/plan-standards.md explains every difference. Skipped without the corpus; the script's half
is skipped without node.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from planlint.api import check_paths
from planlint.config import load_config

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
PLANS = CORPUS / "docs" / "plans"
SCRIPT = CORPUS / "scripts" / "validate-plan-format.js"

# check -> (the team's script, planlint): the corpus's counts today (see docs/plan-standards.md).
EXPECTED: dict[str, tuple[int, int]] = {
    "section Overview": (0, 0),
    "section Dependencies": (10, 10),
    "section Success Criteria": (0, 0),
    "section Risks": (13, 11),
    "subsection Upstream": (1, 1),
    "subsection Downstream": (4, 4),
    "subsection External Tools": (3, 3),
    "field Goal": (1, 1),
    "field Priority": (10, 10),
    "field Created": (0, 0),
    "field Output": (3, 3),
    "output folder": (0, 0),
    "no phase": (0, 0),
    "phase level": (0, 0),
    "decimal phase": (0, 0),
    "verify missing": (126, 34),
    "verify style": (0, 5),
    "naming sub-command": (0, 0),
    "naming model id": (1, 0),
    "naming artifact type": (0, 0),
    "plan reference": (11, 0),
}

# Where the two disagree, plan by plan: (check, plan) -> (the team's script, planlint).
DIFFERENCES: dict[tuple[str, str], tuple[int, int]] = {
    # `## Risks and Mitigations` is the standard's risk table under a longer name.
    ("section Risks", "archive/orchestrator-dashboard-nextjs.md"): (1, 0),
    ("section Risks", "tui-workflow-expansion.md"): (1, 0),
    # The script accepts only `**VERIFY Phase N:**` and `**VERIFY N.M:**`; planlint also reads
    # `**VERIFY N:**` and the `- [ ] **VERIFY N**:` checkpoints (DESIGN.md §2), and does not ask
    # phases without tasks for one.
    ("verify missing", "archive/analyze-git-workflow.md"): (8, 0),
    ("verify missing", "archive/orchestrator-dashboard-nextjs.md"): (8, 0),
    ("verify missing", "archive/orchestrator-simplification.md"): (7, 1),
    ("verify missing", "archive/output-separation-implementation.md"): (6, 0),
    ("verify missing", "archive/plan-system-analysis.md"): (5, 0),
    ("verify missing", "archive/tui-command-integration-analysis.md"): (4, 0),
    ("verify missing", "archive/tui-dev-workflow-enhancement.md"): (4, 0),
    ("verify missing", "archive/tui-expansion-analysis.md"): (11, 0),
    ("verify missing", "cleanup-analysis.md"): (5, 0),
    ("verify missing", "cleanup-implementation.md"): (7, 0),
    ("verify missing", "fix-issues-analysis.md"): (6, 0),
    ("verify missing", "fix-issues-implementation.md"): (10, 0),
    ("verify missing", "missing-features-analysis.md"): (6, 0),
    ("verify missing", "tui-workflow-expansion.md"): (6, 0),
    # PL011 only: VERIFY labels of an earlier draft pasted into Phase 3 name phases 0-5.
    ("verify style", "archive/plan-system-analysis.md"): (0, 5),
    # No planlint counterpart (docs/plan-standards.md says why).
    ("naming model id", "archive/fix-implementation-plan-inconsistencies.md"): (1, 0),
    ("plan reference", "archive/fix-implementation-plan-inconsistencies.md"): (11, 0),
}

# The script's messages, mapped to check names.
_SCRIPT_CHECKS = (
    (re.compile(r"Missing required section: (?P<name>.+)"), "section {name}"),
    (re.compile(r"Missing Overview field: (?P<name>\w+)"), "field {name}"),
    (re.compile(r"Missing Dependencies subsection: (?P<name>.+)"), "subsection {name}"),
    (re.compile(r"No valid phase found"), "no phase"),
    (re.compile(r"Invalid phase format: Phase as H3"), "phase level"),
    (re.compile(r"Invalid phase format: Decimal"), "decimal phase"),
    (re.compile(r"Phase \d+ missing VERIFY section"), "verify missing"),
    (re.compile(r"Space-separated sub-commands"), "naming sub-command"),
    (re.compile(r"Full model IDs"), "naming model id"),
    (re.compile(r"Snake_case artifact types"), "naming artifact type"),
    (re.compile(r"Output directory doesn't follow convention"), "output folder"),
    (re.compile(r"Reference to non-existent plan"), "plan reference"),
)
_FILE_LINE = re.compile(r"^[⚠✗] (?P<file>\S+\.md)$")
_ITEM_LINE = re.compile(r"^   [-✗⚠] (?P<message>.+)$")


def _planlint_check(code: str, message: str) -> str:
    """The script's check that a planlint finding answers (its own name when there is none)."""
    if code == "PL009":
        kind = "subsection" if "subsection" in message else "section"
        found = re.search(r"`### (?P<name>[^`]+)`" if kind == "subsection" else r"`## (?P<name>[^`]+)`", message)
        assert found, message
        return f"{kind} {found.group('name')}"
    if code == "PL010":
        if message.startswith("Output `"):
            return "output folder"
        if message.startswith("Priority `"):
            return "field Priority"  # the script folds the value into the field check
        found = re.search(r"`\*\*(?P<name>\w+):\*\*`", message)
        assert found, message
        return f"field {found.group('name')}"
    if code == "PL011":
        if "heading is at level" in message:
            return "phase level"
        if "is not a phase number" in message:
            return "decimal phase"
        return "verify style"
    return {"PL001": "no phase", "PL008": "verify missing"}.get(code, code)


def planlint_findings(tmp_path: Path) -> dict[Path, Counter[str]]:
    """Per plan (relative to docs/plans), planlint's findings counted by check."""
    config_file = tmp_path / ".planlint.toml"
    config_file.write_text('standard = "plan-standards"\n', encoding="utf-8")
    config = load_config(config_file)
    found: dict[Path, Counter[str]] = {}
    for result in check_paths([PLANS], config):
        assert result.error is None, result.error
        found[result.path.relative_to(PLANS)] = Counter(
            _planlint_check(d.code, d.message)
            for d in result.diagnostics
            if d.code in ("PL001", "PL008", "PL009", "PL010", "PL011")
        )
    return found


def _script_name(relative: Path) -> str:
    """The name the script sees: plans already named `implement-*` keep their names, so its
    cross-reference check finds them as it did before they were archived."""
    return relative.name if relative.name.startswith("implement-") else f"implement-{relative.name}"


def script_findings(tmp_path: Path, plans: list[Path]) -> dict[Path, Counter[str]]:
    """Per plan, the script's findings counted by check (run with node in a copied tree)."""
    tree = tmp_path / "team"
    (tree / "scripts").mkdir(parents=True)
    (tree / "docs" / "plans").mkdir(parents=True)
    shutil.copy(SCRIPT, tree / "scripts" / SCRIPT.name)
    names: dict[str, Path] = {}
    for relative in plans:
        name = _script_name(relative)
        assert name not in names, f"two plans would both be copied as {name}"
        names[name] = relative
        shutil.copy(PLANS / relative, tree / "docs" / "plans" / name)
    run = subprocess.run(
        ["node", str(tree / "scripts" / SCRIPT.name)],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr
    found: dict[Path, Counter[str]] = {relative: Counter() for relative in plans}
    current: Path | None = None
    for line in run.stdout.splitlines():
        if line.startswith("─"):
            break  # the summary follows
        if header := _FILE_LINE.match(line):
            current = names[header.group("file")]
        elif (item := _ITEM_LINE.match(line)) and current is not None:
            found[current][_script_check(item.group("message"))] += 1
    return found


def _script_check(message: str) -> str:
    for pattern, check in _SCRIPT_CHECKS:
        match = pattern.match(message)
        if match:
            return check.format(**match.groupdict())
    raise AssertionError(f"unknown message from the team's script: {message}")


def totals(found: dict[Path, Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for counts in found.values():
        total.update(counts)
    return total


def differences(
    script: dict[Path, Counter[str]], planlint: dict[Path, Counter[str]]
) -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for plan in sorted(planlint):
        for check in sorted(set(script[plan]) | set(planlint[plan])):
            if script[plan][check] != planlint[plan][check]:
                found[(check, plan.as_posix())] = (script[plan][check], planlint[plan][check])
    return found


@pytest.fixture(scope="module")
def planlint_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Counter[str]]:
    if not PLANS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return planlint_findings(tmp_path_factory.mktemp("planlint"))


def test_planlint_counts_per_check(planlint_corpus: dict[Path, Counter[str]]) -> None:
    found = totals(planlint_corpus)
    assert set(found) <= set(EXPECTED), f"checks without a pinned count: {set(found) - set(EXPECTED)}"
    assert {check: found[check] for check in EXPECTED} == {c: n for c, (_, n) in EXPECTED.items()}


def test_team_script_counts_and_differences(planlint_corpus: dict[Path, Counter[str]], tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH")
    if not SCRIPT.is_file():
        pytest.skip("the corpus has no scripts/validate-plan-format.js")
    script = script_findings(tmp_path, sorted(planlint_corpus))
    found = totals(script)
    assert set(found) <= set(EXPECTED), f"checks without a pinned count: {set(found) - set(EXPECTED)}"
    assert {check: found[check] for check in EXPECTED} == {c: s for c, (s, _) in EXPECTED.items()}
    assert differences(script, planlint_corpus) == DIFFERENCES


def test_plan_standards_turns_on_the_standard_rules(tmp_path: Path) -> None:
    """Without the standard PL009 and PL010 stay quiet; PL011 runs either way."""
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Implementation Plan: X\n\n## Phase 1: A\n\n- [ ] 1.1 Edit `a.py`\n\nVERIFY Phase 1:\n",
        encoding="utf-8",
    )
    config = tmp_path / ".planlint.toml"

    def codes(settings: str) -> set[str]:
        config.write_text(settings, encoding="utf-8")
        results = check_paths([plan], load_config(config))
        return {d.code for result in results for d in result.diagnostics}

    default = codes("")
    assert "PL011" in default
    assert not {"PL009", "PL010"} & default
    assert {"PL009", "PL011"} <= codes('standard = "plan-standards"\n')
