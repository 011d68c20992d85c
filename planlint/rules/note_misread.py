"""An Execution Note the orchestrator's own parser reads differently from planlint.

The orchestrator reads one form: `**Execution Note:** Tasks A-B are [SEQUENTIAL] - reason`, on
one line. Each comma-separated item is its own group, so `Tasks 1.1, 1.3 are [SEQUENTIAL]` is
two groups of one task that order nothing; `and`, `to`, an en or em dash or spaces inside a
range, three-part IDs, `**Execution Note**:`, the marker before the tasks, or a range broken
over two lines make it skip the whole note, and the tasks run in parallel. The message says
what the orchestrator does instead. A `[SEQUENTIAL]` group it reads that planlint does not (a
note inside a code block) is reported too.

The safe fix rewrites the note as one `Tasks A-B are [SEQUENTIAL] - reason` paragraph per group
of contiguous tasks. A group whose tasks are not contiguous (another task lies between them, or
they have three-part IDs) cannot be written as a note the orchestrator reads: it becomes
`(depends: …)` on each task's line naming the one before it, in ID order, which is an unsafe
fix because it edits task lines.
"""

from __future__ import annotations

from planlint.diagnostic import Severity
from planlint.rule import ParityRule


class NoteMisread(ParityRule):
    code = "PL123"
    name = "note-misread"
    severity = Severity.WARNING
