"""A task the orchestrator's own parser does not read, or reads with another ID.

The orchestrator reads a task only from an unindented line `- [ ] N.M text` (or `- [x]`): a `-`
bullet, a checkbox with a space or a lower-case `x`, an ASCII ID, a space and the task's text on
the same line. `* [ ] 2.1`, `+ [ ] 2.1`, `1. [ ] 2.1`, `[X]`, `- [ ] 2.1: text`, `2.1.`, `**2.1**`,
an item without a checkbox, an indented task, `٢.١` or `02.01`, or an ID whose text is on the
next line are tasks to planlint but never scheduled by the orchestrator (or scheduled under an
ID that no note or dependency names). A file with CRLF or CR line endings is one finding at
line 1: the orchestrator splits lines on `\n` only, so no line of the file matches and it
schedules nothing at all. A task line it reads that planlint does not (an example in a code
block, a task after the phase's section has ended) is reported too.

The safe fix rewrites the task's first line as `- [ ] N.M text` (keeping its checkbox state and
text, moving an indented task's item to the left margin); converting a file's line endings to
LF, and indenting an example line inside a code block, are unsafe fixes.
"""

from __future__ import annotations

from planlint.diagnostic import Severity
from planlint.rule import ParityRule


class TaskUnread(ParityRule):
    code = "PL122"
    name = "task-unread"
    severity = Severity.ERROR
