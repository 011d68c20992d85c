"""The parity comparison grows linearly with the plan: doubling the phases (and so the
[SEQUENTIAL] groups both readers find) at most about doubles the work. Measured in function calls
under cProfile, which count generator steps too, so a scan of every group per pair of tasks shows
up as a square, and no clock is involved."""

from __future__ import annotations

import cProfile
import pstats

from planlint.analysis.notes import analyse_notes
from planlint.analysis.parity import compare
from planlint.parse.plan import parse_plan
from planlint.text import SourceText


def _plan(phases: int) -> str:
    """Phases of ten tasks: a [SEQUENTIAL] note over the first four (one shared file), and the
    rest on files of their own."""
    lines = ["# Plan", ""]
    for p in range(1, phases + 1):
        lines += [
            f"## Phase {p}: Part {p}",
            "",
            f"**Execution Note:** Tasks {p}.1-{p}.4 are [SEQUENTIAL] - all modify `src/m{p}.py`",
            "",
        ]
        lines += [f"- [ ] {p}.{t} Update `src/m{p}.py`" for t in range(1, 5)]
        lines += [f"- [ ] {p}.{t} Update `src/m{p}_{t}.py`" for t in range(5, 11)]
        lines.append("")
    return "\n".join(lines)


def _calls(phases: int) -> int:
    plan = parse_plan(SourceText.from_text(_plan(phases), "plan.md"))
    notes = analyse_notes(plan)
    assert len(notes.sequential) == phases  # every note is read, so every group is compared
    profile = cProfile.Profile()
    profile.enable()
    compare(plan, notes)
    profile.disable()
    return sum(calls for calls, *_ in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


def test_parity_work_grows_linearly_with_the_groups() -> None:
    small, large = _calls(100), _calls(400)
    assert large <= 4.4 * small, (small, large)
