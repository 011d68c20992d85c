"""The summary counts in status.json disagree with the task statuses.

Dashboards and the orchestrator's "is this plan done?" check read `summary`; counts that do not
match the tasks make a finished plan look unfinished, or the reverse. The fix (with
`planlint fix`) rewrites the counts from the tasks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from planlint.diagnostic import Diagnostic, Edit, Fix, Severity
from planlint.parse.jsonedit import set_member
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule

STATUS_KEYS = ("completed", "pending", "in_progress", "failed", "skipped")


def expected_summary(tasks: list[Any]) -> dict[str, int]:
    """The counts a summary should hold for these task entries."""
    counts = Counter(t.get("status") for t in tasks if isinstance(t, dict))
    return {"totalTasks": len(tasks), **{key: counts.get(key, 0) for key in STATUS_KEYS}}


class StatusSummary(StatusRule):
    code = "PL207"
    name = "status-summary"
    severity = Severity.ERROR
    fixable = True

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if not isinstance(status.data, dict):
            return
        summary, tasks = status.data.get("summary"), status.data.get("tasks")
        if not isinstance(summary, dict) or not isinstance(tasks, list):
            return
        for key, expected in expected_summary(tasks).items():
            written = summary.get(key)
            if key not in summary and expected == 0:
                continue
            if written == expected and type(written) is int:
                continue
            fix: Fix | None
            if key in summary:
                where = status.span(f"/summary/{key}")
                fix = Fix(f"set summary.{key} to {expected}", (Edit(where, str(expected)),))
                message = f"summary.{key} says {written} but the tasks give {expected}"
            else:
                where = status.span("/summary", key=True)
                fix = _insert_member(status, summary, key, expected)
                message = f"summary.{key} is missing but the tasks give {expected}"
            yield self.diagnostic(where, message, fix=fix)


def _insert_member(status: Status, summary: dict[str, Any], key: str, value: int) -> Fix | None:
    """Add `"key": value` after the summary's last member, indented like it."""
    edit = set_member(status.document, status.path, "/summary", key, value) if status.document else None
    return Fix(f"add summary.{key} = {value}", (edit,)) if edit is not None else None
