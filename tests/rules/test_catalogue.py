"""The registry, the rule book in rules/ and DESIGN.md's catalogue agree (flake8's completeness test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planlint.catalogue import CATALOGUE
from planlint.diagnostic import Severity
from planlint.rules import NEEDS_STATUS, OPT_IN, all_codes, load
from planlint.rules.catalogue_file import discover, render_catalogue
from tests.conftest import DESIGN, REPO

RULES_DIR = REPO / "rules"
CATALOGUE_FILE = REPO / "planlint" / "catalogue.py"


def test_every_registered_rule_loads_with_matching_metadata() -> None:
    for code in all_codes():
        rule = load(code)
        assert rule.code == code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert rule.summary() and not rule.summary().endswith(".")
        assert rule.rationale(), f"{code} has no rationale in its docstring"


def test_the_catalogue_is_generated_from_the_rule_classes() -> None:
    """The engine and the config act on the catalogue's word before importing a rule, so it must
    be what the classes say now."""
    assert CATALOGUE_FILE.read_text(encoding="utf-8") == render_catalogue(), (
        "planlint/catalogue.py is stale: run `python docs/_generate.py`"
    )


def test_every_rule_class_is_catalogued_with_its_flags() -> None:
    rules = discover()
    assert [rule.code for rule in rules] == all_codes()
    assert {rule.code for rule in rules if rule.opt_in} == OPT_IN
    assert {rule.code for rule in rules if rule.needs_status} == NEEDS_STATUS
    for rule in rules:
        assert load(rule.code) is rule


def test_rules_folders_match_the_registry() -> None:
    folders = {p.name for p in RULES_DIR.iterdir() if p.is_dir()}
    assert folders == set(CATALOGUE)


@pytest.mark.parametrize("code", all_codes())
def test_every_rule_has_pass_and_fail_examples(code: str) -> None:
    passes = list((RULES_DIR / code / "pass").glob("*.md")) + list((RULES_DIR / code / "pass").glob("*/plan.md"))
    assert passes, f"{code} has no pass example"
    fail = RULES_DIR / code / "fail"
    fails = [p for p in fail.glob("*.md") if not p.name.endswith(".fixed.md")]
    fails += list(fail.glob("*/expected.txt")) + list(fail.glob("*/plan.md"))  # markers in a folder's plan
    assert fails, f"{code} has no fail example"


@pytest.mark.parametrize("code", all_codes())
def test_fixable_iff_a_fixed_example_exists(code: str) -> None:
    fail = RULES_DIR / code / "fail"
    has_fixed = bool(list(fail.glob("*.fixed.md")) + list(fail.glob("*/*.fixed.*")))
    assert load(code).fixable == has_fixed


def design_catalogue() -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| (PL\d{3}) \| ([a-z-]+) \| ([EWI]) \|", DESIGN.read_text(encoding="utf-8"), re.M)
    return {code: (name, severity) for code, name, severity in rows}


def test_registry_agrees_with_design_catalogue() -> None:
    if not DESIGN.is_file():
        pytest.skip("../shared/DESIGN.md is not present")
    catalogue = design_catalogue()
    for code in all_codes():
        rule = load(code)
        assert code in catalogue, f"{code} is not in DESIGN.md"
        name, letter = catalogue[code]
        assert rule.name == name
        assert rule.severity == Severity.parse(letter)


def test_a_check_imports_only_the_rules_it_runs(tmp_path: Path) -> None:
    """The catalogue lets the engine skip a rule without importing it: a plan with no status.json
    and the default selection imports no status rule and no opt-in rule."""
    import subprocess
    import sys

    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Update `src/a.py`\n", encoding="utf-8")
    probe = (
        "import sys\nfrom planlint.cli import main\n"
        f"try:\n    main(['check', {str(plan)!r}, '--quiet'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('planlint.rules.'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path)
    imported = {name.rpartition(".")[2] for name in done.stdout.split()}
    expected = {e.module for e in CATALOGUE.values() if not e.opt_in and not e.needs_status}
    assert expected <= imported  # the probe did run the default rules
    assert not {e.module for e in CATALOGUE.values() if e.opt_in or e.needs_status} & imported
