"""planlint with `standard = "plan-standards"` against the team's validate-plan-format.js.

Both run over the corpus's plans (../shared/corpus/docs/plans, the files `planlint check` picks
up there). The script reads `docs/plans/implement-*.md` beside itself, so it runs on a temporary
copy of the plans under names of that shape. Each finding of either tool is mapped to one check
of the script (`section Risks`, `verify missing`, ...) and the counts per check are pinned below.
planlint makes every finding the script makes (for VERIFY: every phase it names, as PL008 or as
PL011 on a label in a form the script cannot read), except the few listed in SCRIPT_WRONG, where
the script is wrong; docs/plan-standards.md explains every difference. After `planlint fix`, the
script and PL008 name the same phases. Skipped without the corpus; the script's half is skipped
without node.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from planlint.api import check_paths
from planlint.config import load_config
from tests.conftest import REPO, writable_copy

SHARED = REPO.parent / "shared"
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
    "verify missing": (126, 126),
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
    # PL011 only: VERIFY labels of an earlier draft pasted into Phase 3 name phases 0-5.
    ("verify style", "archive/plan-system-analysis.md"): (0, 5),
    # No planlint counterpart (docs/plan-standards.md says why).
    ("naming model id", "archive/fix-implementation-plan-inconsistencies.md"): (1, 0),
    ("plan reference", "archive/fix-implementation-plan-inconsistencies.md"): (11, 0),
}

# The script's findings planlint does not make, because the script is wrong there or checks
# something outside a plan's structure (docs/plan-standards.md, "Where the script is wrong").
SCRIPT_WRONG = {
    ("section Risks", "archive/orchestrator-dashboard-nextjs.md"),
    ("section Risks", "tui-workflow-expansion.md"),
    ("naming model id", "archive/fix-implementation-plan-inconsistencies.md"),
    ("plan reference", "archive/fix-implementation-plan-inconsistencies.md"),
}

# The script's messages, mapped to check names.
_SCRIPT_CHECKS = (
    (re.compile(r"Missing required section: (?P<name>.+)"), "section {name}"),
    (re.compile(r"Missing Overview field: (?P<name>\w+)"), "field {name}"),
    (re.compile(r"Missing Dependencies subsection: (?P<name>.+)"), "subsection {name}"),
    (re.compile(r"No valid phase found"), "no phase"),
    (re.compile(r"Invalid phase format: Phase as H3"), "phase level"),
    (re.compile(r"Invalid phase format: Decimal"), "decimal phase"),
    (re.compile(r"Phase (?P<phase>\d+) missing VERIFY section"), "verify missing"),
    (re.compile(r"Space-separated sub-commands"), "naming sub-command"),
    (re.compile(r"Full model IDs"), "naming model id"),
    (re.compile(r"Snake_case artifact types"), "naming artifact type"),
    (re.compile(r"Output directory doesn't follow convention"), "output folder"),
    (re.compile(r"Reference to non-existent plan"), "plan reference"),
)
# The phase a planlint VERIFY finding is about: PL008's heading, or the label PL011 asks for.
_PLANLINT_VERIFY_PHASE = re.compile(r"^Phase (?P<phase>\d+) has no VERIFY|write `\*\*VERIFY (?:Phase )?(?P<label>\d+)")
_STANDARD_FORM = "is not a VERIFY form the standard allows"
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
        if _STANDARD_FORM in message:
            return "verify missing"  # the script cannot read this label, so it finds no VERIFY
        if "heading is at level" in message:
            return "phase level"
        if "is not a phase number" in message:
            return "decimal phase"
        return "verify style"
    return {"PL001": "no phase", "PL008": "verify missing"}.get(code, code)


class Findings(NamedTuple):
    """One tool's findings on the corpus: per plan (relative to docs/plans), counts per check,
    and the phases it reports for `verify missing` (one count per phase)."""

    counts: dict[Path, Counter[str]]
    verify: dict[Path, set[int]]


def planlint_findings(tmp_path: Path, plans: Path = PLANS) -> Findings:
    config_file = tmp_path / ".planlint.toml"
    config_file.write_text('standard = "plan-standards"\n', encoding="utf-8")
    config = load_config(config_file)
    found = Findings({}, {})
    for result in check_paths([plans], config):
        assert result.error is None, result.error
        plan = result.path.relative_to(plans)
        counts = found.counts[plan] = Counter()
        phases = found.verify[plan] = set()
        for d in result.diagnostics:
            if d.code not in ("PL001", "PL008", "PL009", "PL010", "PL011"):
                continue
            check = _planlint_check(d.code, d.message)
            if check == "verify missing":
                named = _PLANLINT_VERIFY_PHASE.search(d.message)
                assert named, d.message
                phases.add(int(named.group("phase") or named.group("label")))
            else:
                counts[check] += 1
        counts["verify missing"] = len(phases)
    return found


def _script_name(relative: Path) -> str:
    """The name the script sees: plans already named `implement-*` keep their names, so its
    cross-reference check finds them as it did before they were archived."""
    return relative.name if relative.name.startswith("implement-") else f"implement-{relative.name}"


def script_findings(tmp_path: Path, plans: list[Path], folder: Path = PLANS) -> Findings:
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
        shutil.copy(folder / relative, tree / "docs" / "plans" / name)
    run = subprocess.run(
        ["node", str(tree / "scripts" / SCRIPT.name)],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr
    found = Findings({relative: Counter() for relative in plans}, {relative: set() for relative in plans})
    current: Path | None = None
    for line in run.stdout.splitlines():
        if line.startswith("─"):
            break  # the summary follows
        if header := _FILE_LINE.match(line):
            current = names[header.group("file")]
        elif (item := _ITEM_LINE.match(line)) and current is not None:
            check, phase = _script_check(item.group("message"))
            found.counts[current][check] += 1
            if phase is not None:
                found.verify[current].add(phase)
    return found


def _script_check(message: str) -> tuple[str, int | None]:
    """The check a message of the script belongs to, and the phase it names for VERIFY."""
    for pattern, check in _SCRIPT_CHECKS:
        match = pattern.match(message)
        if match:
            phase = match.groupdict().pop("phase", None)
            names = {k: v for k, v in match.groupdict().items() if k != "phase"}
            return check.format(**names), int(phase) if phase is not None else None
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
def planlint_corpus(tmp_path_factory: pytest.TempPathFactory) -> Findings:
    if not PLANS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return planlint_findings(tmp_path_factory.mktemp("planlint"))


@pytest.fixture(scope="module")
def script_corpus(planlint_corpus: Findings, tmp_path_factory: pytest.TempPathFactory) -> Findings:
    _need_node()
    return script_findings(tmp_path_factory.mktemp("script"), sorted(planlint_corpus.counts))


def _need_node() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH")
    if not SCRIPT.is_file():
        pytest.skip("the corpus has no scripts/validate-plan-format.js")


@pytest.mark.slow  # checks the whole corpus
def test_planlint_counts_per_check(planlint_corpus: Findings) -> None:
    found = totals(planlint_corpus.counts)
    assert set(found) <= set(EXPECTED), f"checks without a pinned count: {set(found) - set(EXPECTED)}"
    assert {check: found[check] for check in EXPECTED} == {c: n for c, (_, n) in EXPECTED.items()}


@pytest.mark.slow  # runs the team's node script over the whole corpus
def test_team_script_counts_and_differences(planlint_corpus: Findings, script_corpus: Findings) -> None:
    found = totals(script_corpus.counts)
    assert set(found) <= set(EXPECTED), f"checks without a pinned count: {set(found) - set(EXPECTED)}"
    assert {check: found[check] for check in EXPECTED} == {c: s for c, (s, _) in EXPECTED.items()}
    assert differences(script_corpus.counts, planlint_corpus.counts) == DIFFERENCES


@pytest.mark.slow  # runs the team's node script over the whole corpus
def test_planlint_makes_every_finding_of_the_script(planlint_corpus: Findings, script_corpus: Findings) -> None:
    """Every script finding has a planlint finding of its check on the same plan (for VERIFY: on
    the same phase), unless SCRIPT_WRONG lists it."""
    missed = {
        (check, plan.as_posix()): (count, planlint_corpus.counts[plan][check])
        for plan, counts in script_corpus.counts.items()
        for check, count in counts.items()
        if count > planlint_corpus.counts[plan][check]
    }
    assert set(missed) == SCRIPT_WRONG, missed
    phases_missed = {
        plan.as_posix(): sorted(phases - planlint_corpus.verify[plan])
        for plan, phases in script_corpus.verify.items()
        if phases - planlint_corpus.verify[plan]
    }
    assert phases_missed == {}
    assert sum(len(p) for p in script_corpus.verify.values()) == EXPECTED["verify missing"][0]


@pytest.mark.slow
def test_after_fix_the_script_and_pl008_name_the_same_phases(planlint_corpus: Findings, tmp_path: Path) -> None:
    """PL011's fix writes labels the script reads: on the fixed plans, the phases the script
    reports without VERIFY are exactly PL008's."""
    _need_node()
    copy = tmp_path / "plans"
    writable_copy(PLANS, copy)
    (tmp_path / ".planlint.toml").write_text(
        'standard = "plan-standards"\nplans = ["plans/**/*.md"]\n', encoding="utf-8"
    )
    fixed = subprocess.run(
        [sys.executable, "-m", "planlint", "fix", str(copy), "--select", "PL011", "--config",
         str(tmp_path / ".planlint.toml")],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )  # fmt: skip
    assert fixed.returncode in (0, 1), fixed.stderr
    (tmp_path / "planlint").mkdir()
    after = planlint_findings(tmp_path / "planlint", copy)
    script = script_findings(tmp_path / "script", sorted(after.counts), copy)
    assert not any(_STANDARD_FORM in m for m in _messages(tmp_path, copy)), "PL011's fix left a label"
    pl008 = {plan: phases for plan, phases in after.verify.items() if phases}
    assert {plan: phases for plan, phases in script.verify.items() if phases} == pl008
    assert sum(len(p) for p in pl008.values()) == 38


def _messages(tmp_path: Path, plans: Path) -> list[str]:
    config = load_config(tmp_path / ".planlint.toml")
    return [d.message for result in check_paths([plans], config) for d in result.diagnostics if d.code == "PL011"]


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


def test_verify_form_is_checked_only_under_the_standard(tmp_path: Path) -> None:
    """`**VERIFY 1:**` and the checkpoint are DESIGN.md §2 forms: PL011 asks for the standard's
    form only when the standard is on, and its fix writes one the script reads."""
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Edit `a.py`\n\n**VERIFY 1:** a works\n\n"
        "## Phase 2: B\n\n- [ ] 2.1 Edit `b.py`\n- [ ] **VERIFY 2**: b works\n",
        encoding="utf-8",
    )
    config = tmp_path / ".planlint.toml"
    config.write_text("", encoding="utf-8")
    assert not [d for r in check_paths([plan], load_config(config)) for d in r.diagnostics if d.code == "PL011"]
    config.write_text('standard = "plan-standards"\n', encoding="utf-8")
    found = [d for r in check_paths([plan], load_config(config)) for d in r.diagnostics if d.code in ("PL008", "PL011")]
    assert [(d.code, d.span.start) for d in found] == [
        ("PL011", plan.read_text().index("**VERIFY 1:**")),
        ("PL011", plan.read_text().index("**VERIFY 2**")),
    ]
    assert all(d.fix is not None and d.fix.edits[0].new_text.startswith("**VERIFY Phase ") for d in found)
