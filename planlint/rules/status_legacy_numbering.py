"""status.json numbers tasks by position, as an older orchestrator did.

Older orchestrators recorded every checkbox line in order (task `3.2` described as "3.1.2 ...",
acceptance criteria counted as tasks). Such a file cannot be paired with the plan by ID, so
planlint reports it once, pairs the entries by the ID at the start of each description (or by
text), and leaves the other status checks to work from that pairing. Re-create the status file
with the current orchestrator to get rid of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusLegacyNumbering(StatusRule):
    code = "PL211"
    name = "status-legacy-numbering"
    severity = Severity.ERROR

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        pairing = ctx.pairing
        if not pairing.legacy:
            return
        parts = [pairing.legacy_example]
        if pairing.acceptance:
            parts.append(f"{len(pairing.acceptance)} entries are not tasks (acceptance criteria, VERIFY lines)")
        if pairing.missing:
            parts.append(f"{len(pairing.missing)} plan tasks have no entry")
        yield self.diagnostic(
            status.span("/tasks", key=True),
            "status.json numbers tasks by position, as an older orchestrator did: " + "; ".join(parts),
        )
