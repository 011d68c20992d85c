"""Task timestamps in status.json contradict the task's status.

A completed task without `completedAt`, a `completedAt` before `startedAt`, a pending task that
records a completion: each makes durations, dashboards and resume logic wrong, and usually means
two writers raced on the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusTimestamps(StatusRule):
    code = "PL210"
    name = "status-timestamps"
    severity = Severity.WARNING

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if isinstance(status.data, dict):
            for key in ("createdAt", "lastUpdatedAt", "completedAt"):
                if key in status.data and _time(status.data[key]) is None:
                    yield self.diagnostic(status.span(f"/{key}"), f"{key} is not an ISO 8601 time")
        for entry in status.tasks:
            data, state, name = entry.data, entry.status, entry.id or f"#{entry.index}"
            started, completed = _time(data.get("startedAt")), _time(data.get("completedAt"))
            for key in ("startedAt", "completedAt"):
                if key in data and _time(data[key]) is None:
                    yield self.diagnostic(
                        status.span(f"{entry.pointer}/{key}"), f"task {name}: {key} is not an ISO 8601 time"
                    )
            if state == "completed" and "completedAt" not in data:
                yield self.diagnostic(
                    status.span(f"{entry.pointer}/status"), f"task {name} is completed but has no completedAt"
                )
            elif state == "pending" and "completedAt" in data:
                yield self.diagnostic(
                    status.span(f"{entry.pointer}/completedAt"), f"task {name} is pending but has a completedAt"
                )
            elif state == "in_progress" and "startedAt" not in data:
                yield self.diagnostic(
                    status.span(f"{entry.pointer}/status"), f"task {name} is in progress but has no startedAt"
                )
            if started and completed and _comparable(started, completed) and completed < started:
                yield self.diagnostic(
                    status.span(f"{entry.pointer}/completedAt"), f"task {name} completed before it started"
                )


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _comparable(a: datetime, b: datetime) -> bool:
    return (a.tzinfo is None) == (b.tzinfo is None)
