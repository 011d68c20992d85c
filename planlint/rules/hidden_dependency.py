"""A task's text says it needs another task ("output from 1.1", "after task 1.3") but nothing
records the dependency.

The orchestrator reads `(depends: 1.1)` and `[SEQUENTIAL]` notes, not prose. A task that uses
"the schema created in 1.2" may be handed to an agent in the same batch as 1.2 and start before
the schema exists. Write the dependency down: `(depends: 1.2)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span, TaskId
from planlint.rule import Context, Rule

_ID = r"(?P<id>\d+\.\d+(?:\.\d+)?)(?![\d.]*\d)"
_HINTS = re.compile(
    rf"\b(?:(?:output|outputs|result|results|findings|artifacts?)\s+(?:of|from)"
    rf"|same\s+file\s+as"
    rf"|(?:after|once|when)(?=\s+(?:task\s+)?\d)"
    rf"|(?:created|produced|generated|written|defined|added)\s+(?:in|by)"
    rf"|(?:requires|needs|uses|builds\s+on|depends\s+on\s+the\s+\w+\s+(?:of|from)))"
    rf"\s+(?:tasks?\s+)?{_ID}",
    re.IGNORECASE,
)


class HiddenDependency(Rule):
    code = "PL114"
    name = "hidden-dependency"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        text = plan.source.text
        for task in plan.tasks():
            unit = plan.unit_of(task)
            for block in task.blocks:
                if block.kind != "text":
                    continue
                raw = text[block.span.start : block.span.end]
                for match in _HINTS.finditer(raw):
                    target_id = TaskId.parse(match.group("id"))
                    target = plan.task(target_id) if target_id else None
                    if target is None or target.phase != unit.phase:
                        continue  # unknown IDs are PL111's; earlier phases finish first anyway
                    other = plan.unit_of(target)
                    if other.id == unit.id or ctx.conflicts.covered(unit.id, other.id):
                        continue
                    start = block.span.start + match.start("id")
                    yield self.diagnostic(
                        Span(block.span.path, start, start + len(match.group("id"))),
                        f"task {task.id} says it needs {target.id} (\"{' '.join(match.group().split())}\") "
                        f"but declares no dependency; add `(depends: {target.id})`",
                    )
