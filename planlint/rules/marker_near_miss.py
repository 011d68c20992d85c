"""Text that is almost an Execution Note or its marker, which neither reader takes as one.

`[SEQUENTAIL]`, `[SEQ]`, `[Paralel]`, `(SEQUENTIAL)`, `SEQUENTIAL` or `sequentially` without
brackets, `Execution Note:` not in bold, `**Execution Notes:**`: the author meant a note, but
neither the orchestrator nor planlint (which accepts the plural label but warns here, since the
orchestrator does not) reads a marker or a note there, so the tasks it names run in parallel.
The message says what the text looks like.

The safe fix corrects the label and the marker in place. PL101's fix does the same when such a
note names the conflicting tasks, rather than adding a second note under it.
"""

from __future__ import annotations

from planlint.diagnostic import Severity
from planlint.rule import ParityRule


class MarkerNearMiss(ParityRule):
    code = "PL125"
    name = "marker-near-miss"
    severity = Severity.WARNING
