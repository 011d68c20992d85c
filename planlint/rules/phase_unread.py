"""A phase heading the orchestrator's own parser does not read as a phase.

The orchestrator builds status.json with `scripts/lib/plan-status.js`, which reads a phase only
from a line `## Phase N: Title`: two hashes at the start of the line, `Phase` with a capital P,
the number, a colon and a title. `## Phase 2 - Logic`, `### Phase 2: Logic`, `## phase 2: Logic`,
an underlined heading or `## Phase 2:` without a title are not phases to it: the tasks under
such a heading are filed under the phase before (run with it, out of order) or, before the first
phase it reads, dropped. A heading it reads that planlint does not (an example inside a code
block) is reported too, as is a heading neither reads (`## Phase 2 Logic`) that has tasks under it.

The safe fix rewrites a level-2 heading as `## Phase N: Title`; changing the heading's level (or
an underlined heading) is an unsafe fix, because it changes the document's outline, and so is
indenting an example line inside a code block so that the orchestrator no longer reads it.
"""

from __future__ import annotations

from planlint.diagnostic import Severity
from planlint.rule import ParityRule


class PhaseUnread(ParityRule):
    code = "PL121"
    name = "phase-unread"
    severity = Severity.ERROR
