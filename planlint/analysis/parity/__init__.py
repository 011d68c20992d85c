"""planlint's reading of a plan against the orchestrator's (DESIGN.md §3a): every difference once.

`planlint.analysis.reader` says what the orchestrator's line parser reads; this module compares
it with the Plan, the notes planlint resolved and the dependencies it found, and records each
difference as one Divergence at the line concerned, for PL121-PL125 to report. A difference
that follows from another (the tasks of an unread phase heading, every line of a CRLF file) is
reported once, at its cause. Near-miss notes and markers (PL125), which neither reader takes for
what they almost are, are found here too, because PL101's fix corrects them.

Everything is linear in the plan, except that a group the orchestrator does not order directly
is checked through its dependency edges (a search per consecutive pair of the group's tasks).
"""

from __future__ import annotations

from planlint.analysis.notes import NoteAnalysis
from planlint.analysis.parity.findings import Divergence, NearMiss, ParityReport
from planlint.analysis.parity.ordering import OrderChecks
from planlint.analysis.parity.phases import PhaseChecks
from planlint.analysis.parity.tasks import TaskChecks
from planlint.analysis.reader import read_as_orchestrator
from planlint.model import Plan
from planlint.text import SourceText

__all__ = ["Divergence", "NearMiss", "ParityReport", "compare"]


def compare(plan: Plan, notes: NoteAnalysis) -> ParityReport:
    return _PlanComparison(plan, notes).run()


class _PlanComparison(PhaseChecks, TaskChecks, OrderChecks):
    def run(self) -> ParityReport:
        if not self.plan.phases:  # no phase, so no task
            self.near_miss_notes()
            return ParityReport(self.out, self.near)
        view = self.source
        if self.source.newline != "\n":
            # One finding for the file; the rest is compared as the orchestrator will read the file
            # once its line endings are LF (a view of the same length, so offsets still hold).
            self.whole_file_line_endings()
            text = self.source.text.replace("\r\n", " \n").replace("\r", "\n")
            view = SourceText.from_text(text, self.path, bom=self.source.bom)
        self.code_lines = self.fenced_lines()
        self.view_text = view.text
        reading = read_as_orchestrator(view)
        self.reading = reading
        flagged_phases = self.phases(reading)
        matched = self.tasks(reading, flagged_phases)
        self.dependencies(reading, matched)
        self.groups(reading, matched)
        self.near_miss_notes()
        self.out.sort(key=lambda d: (d.span.start, d.code))
        return ParityReport(self.out, self.near)
