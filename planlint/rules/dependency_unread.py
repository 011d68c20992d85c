"""A dependency the orchestrator's own parser does not read (or reads differently).

The orchestrator reads dependencies only from the first `(depends: 1.1, 1.2)` on a task's own
line, with IDs separated by commas. `(depends on 1.1)`, a `Depends on: 1.1` line, `(depends: 1.1
and 1.2)`, a dependency written on a step's or a continuation line, or a second `(depends: …)`
on the task line are dependencies to planlint, but the orchestrator starts the task without
waiting for them. (`(depends: 1.1)` quoted as code on another line is an example, and read by
neither.)

The safe fix writes `(depends: …)` with every dependency planlint reads, on the task line: in
place of the first `(depends: …)` or `(depends on …)` there, else at the end of the line.
"""

from __future__ import annotations

from planlint.diagnostic import Severity
from planlint.rule import ParityRule


class DependencyUnread(ParityRule):
    code = "PL124"
    name = "dependency-unread"
    severity = Severity.ERROR
