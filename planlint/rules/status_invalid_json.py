"""status.json is not valid JSON.

The orchestrator cannot read a broken status file, so it cannot tell which tasks are done and
either stops or starts over. The finding points at the line and column where the JSON stops
being valid.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusInvalidJson(StatusRule):
    code = "PL201"
    name = "status-invalid-json"
    severity = Severity.ERROR

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if status.error is None:
            return
        offset = min(status.error.offset, len(status.source.text))
        what = "empty file" if not status.source.text.strip() else status.error.message
        yield self.diagnostic(Span(status.path, offset, offset), f"status.json is not valid JSON: {what}")
