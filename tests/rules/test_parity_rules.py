"""PL121-PL125 and the fixes around them, through the real CLI and the fix loop (DESIGN.md §3a)."""

from __future__ import annotations

import json
from pathlib import Path

from planlint.analysis.drift import normalise_text
from planlint.config import Config
from planlint.engine import lint_plan
from planlint.fix.loop import fix_pair
from planlint.parse.plan import parse_plan
from planlint.text import SourceText
from tests.conftest import run_cli

PLAN = """\
# Implementation Plan: Exports

## Phase 1: Writers

- [ ] 1.1 Add the CSV writer to `export/writers.py`
- [ ] 1.2 Add the JSON writer to `export/writers.py`
- [ ] 1.3 Document the writers in `docs/export.md`
- [ ] 1.4 Add the XML writer to `export/writers.py`
"""


def lint(text: str, *codes: str) -> list[tuple[int, str, str]]:
    source = SourceText.from_text(text, Path("plan.md"))
    config = Config().with_overrides(select=list(codes)) if codes else Config()
    return [(source.position(d.span.start)[0], d.code, d.message) for d in lint_plan(parse_plan(source), config)]


def test_unsafe_fix_writes_lf_and_safe_fix_keeps_crlf(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    data = PLAN.replace("\n", "\r\n").encode()
    plan.write_bytes(data)
    done = run_cli("check", "--select", "PL122", "--format", "json", str(plan), cwd=tmp_path)
    found = json.loads(done.stdout)
    assert [(d["code"], d["line"], d["fix"]["applicability"]) for d in found] == [("PL122", 1, "unsafe")]
    assert "CRLF" in found[0]["message"]
    run_cli("fix", "--select", "PL122", str(plan), cwd=tmp_path)
    assert plan.read_bytes() == data  # a safe fix run leaves the line endings alone
    done = run_cli("fix", "--unsafe-fixes", "--select", "PL122", str(plan), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert plan.read_bytes() == PLAN.encode()
    assert run_cli("check", "--select", "PL12", str(plan), cwd=tmp_path).returncode == 0


def test_unsafe_fixes_after_the_conversion_write_lf_too(tmp_path: Path) -> None:
    """Text a later pass inserts (PL101's note) uses the converted newline, not the original."""
    plan = tmp_path / "plan.md"
    plan.write_bytes(PLAN.replace("- [ ] 1.3", "* [ ] 1.3").replace("\n", "\r\n").encode())
    done = run_cli("fix", "--unsafe-fixes", str(plan), cwd=tmp_path)
    assert b"\r" not in plan.read_bytes(), done.stdout + done.stderr
    text = plan.read_text(encoding="utf-8")
    assert "- [ ] 1.3 Document" in text
    assert "**Execution Note:** Tasks 1.1-1.2 are [SEQUENTIAL]" not in text  # 1.3 lies between
    assert "- [ ] 1.4 Add the XML writer to `export/writers.py` (depends: 1.2)" in text
    assert "- [ ] 1.2 Add the JSON writer to `export/writers.py` (depends: 1.1)" in text


def test_pl101_message_says_both_for_two_tasks_and_all_for_more() -> None:
    two = PLAN.replace("- [ ] 1.4 Add the XML writer to `export/writers.py`\n", "")
    (message,) = [m for _, code, m in lint(two, "PL101")]
    assert message.startswith("tasks 1.1 and 1.2 both write `export/writers.py`")
    (message,) = [m for _, code, m in lint(PLAN, "PL101")]
    assert message.startswith("tasks 1.1, 1.2 and 1.4 all write `export/writers.py`")


def test_pl101_fix_corrects_a_near_miss_note_instead_of_adding_one() -> None:
    text = PLAN.replace(
        "## Phase 1: Writers\n\n", "## Phase 1: Writers\n\nExecution Note: Tasks 1.1-1.4 are [SEQ] - one file\n\n"
    )
    source = SourceText.from_text(text, Path("plan.md"))
    outcome = fix_pair(source, None, Config().with_overrides(select=["PL101"]))
    assert outcome.refused is None
    fixed = outcome.texts[Path("plan.md")]
    assert fixed.count("Execution Note") == 1
    assert "**Execution Note:** Tasks 1.1-1.4 are [SEQUENTIAL] - one file" in fixed


def test_pl205_ignores_a_trailing_depends() -> None:
    assert normalise_text("Add the writer to `w.py` (depends: 1.1, 1.2)") == normalise_text("Add the writer to `w.py`")
    assert normalise_text("Add it (depends on 1.1)") == normalise_text("Add it")
    assert normalise_text("Add (depends: 1.1) in the middle") != normalise_text("Add in the middle")


def test_every_difference_once_at_its_cause() -> None:
    """An unread phase heading is one finding, not one per task filed under the phase before."""
    text = PLAN + "\n## Phase 2 - Readers\n\n" + "".join(f"- [ ] 2.{i} Read format {i}\n" for i in range(1, 6))
    found = [(line, code) for line, code, _ in lint(text, "PL12")]
    assert found == [(10, "PL121")]


def test_list_note_message_says_what_the_orchestrator_does() -> None:
    text = PLAN.replace(
        "## Phase 1: Writers\n\n",
        "## Phase 1: Writers\n\n**Execution Note:** Tasks 1.1, 1.2, 1.4 are [SEQUENTIAL] - one file\n\n",
    )
    (message,) = [m for _, code, m in lint(text, "PL123")]
    assert "reads `Tasks 1.1, 1.2, 1.4` as three groups of one task: nothing orders 1.1, 1.2 and 1.4" in message
