"""Property-based fuzzing of the whole CLI with hostile numbers and text (issue 20, item 7).

Plans from tests/fuzz/test_fuzz.py's generator and status.json documents for them are spoiled the
ways the fault audit found: a digit run replaced by an integer longer than Python converts
(`sys.get_int_max_str_digits()`, 4,300 digits; ASCII or Arabic-Indic digits), or one just under
that limit (which converts, but whose neighbours may not), in task IDs, phase numbers, line
ranges, notes, dependencies and JSON numbers; lone surrogates (`"\\ud800"`) in status strings,
keys and task IDs; and the UTF-8 bytes of a surrogate in a plan. Each pair goes through `check`,
`fix`, `emit`, `emit --into-status`, `next`, and `check` writing a report file and a
baseline, in process through `planlint.cli.main` (the
entry point with the last line of defence), on real files.

The property: every run ends with exit 0, 1 or 2, never "internal error" or a traceback, and an
exit 2 prints `path[:line]: error: message` lines naming a file.

`PLANLINT_FUZZ_EXAMPLES` sets the number of examples (default 200, as in tests/fuzz/test_fuzz.py;
this property runs a fifth of them, as each example is eight CLI runs).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planlint.cli import main
from tests.fuzz.test_fuzz import EXAMPLES, FUZZ, lf_text

pytestmark = pytest.mark.slow  # hypothesis fuzzing of whole inputs through the CLI

LIMIT = sys.get_int_max_str_digits() or 4300
STATUSES = ("pending", "in_progress", "completed", "failed", "skipped")
TASK_ID = re.compile(r"^\s*[-*]\s+(?:\[[ xX]\]\s+)?\**(\d+(?:\.\d+)+)", re.MULTILINE)

digits = st.sampled_from(["0123456789", "٠١٢٣٤٥٦٧٨٩"])
huge_length = st.one_of(st.integers(LIMIT + 1, LIMIT + 700), st.integers(LIMIT - 300, LIMIT))
surrogate = st.sampled_from(["\\ud800", "\\udfff", "\\udc80", "\\ud83d"])


@st.composite
def huge_number(draw: st.DrawFn) -> str:
    alphabet = draw(digits)
    length = draw(huge_length)
    first = alphabet[draw(st.integers(1, 9))]
    return first + alphabet[draw(st.integers(0, 9))] * (length - 1)


@st.composite
def spoiled_plan(draw: st.DrawFn) -> str:
    """A generated plan with one or two digit runs made huge, or a huge construct added."""
    text = draw(lf_text())
    for _ in range(draw(st.integers(0, 2))):
        runs = [m.span() for m in re.finditer(r"\d+", text)]
        if runs and draw(st.booleans()):
            start, end = runs[draw(st.integers(0, len(runs) - 1))]
            text = text[:start] + draw(huge_number()) + text[end:]
        else:
            big = draw(huge_number())
            line = draw(
                st.sampled_from(
                    [
                        f"- [ ] 1.{big} Update `src/a.py`",
                        f"## Phase {big}: Huge",
                        f"- [ ] 1.9 Edit `src/a.py:1-{big}`",
                        f"- [ ] 1.9 Edit `src/a.py:{big}`",
                        f"**Execution Note:** Tasks 1.1-1.{big} are [SEQUENTIAL] - `src/a.py`",
                        f"- [ ] 1.9 Update `src/b.py` (depends on 1.{big})",
                        f"- [ ] VERIFY {big}: run the tests",
                    ]
                )
            )
            text += "\n" + line + "\n"
    return text


@st.composite
def spoiled_status(draw: st.DrawFn, plan: str) -> str:
    """A status.json for the plan's tasks with lone surrogates and huge numbers in it."""
    ids = TASK_ID.findall(plan)[:20] or ["1.1"]
    tasks: list[dict[str, Any]] = []
    for task_id in ids:
        entry: dict[str, Any] = {
            "id": task_id,
            "phase": f"Phase {task_id.split('.')[0]}: x",
            "description": "task",
            "status": draw(st.sampled_from(STATUSES)),
        }
        if draw(st.integers(0, 2)) == 0:
            key = draw(st.sampled_from(["status", "id", "phase", "description"]))
            entry[key] = f"{entry[key]}\x00SURROGATE\x00"  # replaced by an escape below
        if draw(st.integers(0, 3)) == 0:
            entry["dependencies"] = [draw(st.sampled_from(ids)) + "\x00SURROGATE\x00"]
        tasks.append(entry)
    document: dict[str, Any] = {"planPath": "docs/plans/p.md", "planName": "P", "tasks": tasks}
    if draw(st.booleans()):
        document["summary"] = {"totalTasks": len(tasks), "pending": "\x00HUGE\x00"}
    if draw(st.booleans()):
        document["x\x00SURROGATE\x00"] = 1
    text = json.dumps(document, indent=2)
    while "\x00SURROGATE\x00" in text or "\\u0000SURROGATE\\u0000" in text:
        text = text.replace("\\u0000SURROGATE\\u0000", draw(surrogate), 1)
    text = text.replace('"\\u0000HUGE\\u0000"', draw(huge_number()).translate(_ASCII_DIGITS))
    if draw(st.integers(0, 3)) == 0:
        runs = [m.span() for m in re.finditer(r"\d+", text)]
        if runs:
            start, end = runs[draw(st.integers(0, len(runs) - 1))]
            number = draw(huge_number()).translate(_ASCII_DIGITS)
            text = text[:start] + number + text[end:]  # maybe inside a string, maybe a number
    return text


_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@st.composite
def plan_and_status(draw: st.DrawFn) -> tuple[bytes, str]:
    plan = draw(spoiled_plan())
    data = plan.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # the UTF-8 form of a surrogate: not UTF-8 at all
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xed\xa0\x80" + data[at:]
    return data, draw(spoiled_status(plan))


COMMANDS = [
    ["check", "docs/plans/p.md"],
    ["check", "docs"],
    ["check", "docs", "--format", "json", "--output-file", "report.json"],
    ["check", "docs", "--write-baseline", "baseline.json"],
    ["fix", "docs/plans/p.md"],
    ["emit", "docs/plans/p.md"],
    ["emit", "docs/plans/p.md", "--into-status", "--force"],
    ["next", "docs/plans/p.md", "--force"],
]


def run_main(args: list[str]) -> tuple[int, str, str]:
    """`planlint ARGS` in this process, through the real entry point, with byte-level stdout and
    stderr (so an unencodable character fails as it would on a terminal or a pipe)."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    thresholds = gc.get_threshold()
    code: int | str | None = 0
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main(args)
            except SystemExit as exit:
                code = exit.code
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    stdout.flush()
    stderr.flush()
    assert isinstance(code, int), code
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


@pytest.mark.slow
@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(plan_and_status())
@example((f"## Phase 1: A\n\n- [ ] 1.{'9' * (LIMIT + 1)} Update `src/a.py`\n".encode(), "{}"))
@example((b"## Phase 1: A\n\n- [ ] 1.1 Update `src/a.py`\n", '{"tasks": [{"id": "1.1", "status": "pending\\ud800"}]}'))
@example((b"## Phase 1: A\n", '{"tasks": [{"id": "' + "\\u0661" * (LIMIT + 1) + '"}]}'))  # found: JSON-escaped digits
def test_no_input_makes_an_internal_error(case: tuple[bytes, str]) -> None:
    plan, status = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        (root / "docs/plans").mkdir(parents=True)
        (root / "docs/plan-outputs/p").mkdir(parents=True)
        (root / "docs/plans/p.md").write_bytes(plan)
        (root / "docs/plan-outputs/p/status.json").write_text(status, encoding="utf-8")
        previous = os.getcwd()
        os.chdir(root)
        try:
            for args in COMMANDS:
                code, _out, err = run_main(args)
                assert "internal error" not in err and "Traceback" not in err, (args, err)
                assert code in (0, 1, 2), (args, code, err)
                if code == 2:
                    errors = [line for line in err.splitlines() if ": error: " in line]
                    assert errors and all(line.startswith(("docs/", "/")) for line in errors), (args, err)
        finally:
            os.chdir(previous)
