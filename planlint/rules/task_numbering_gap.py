"""Task IDs in a phase skip a number or run out of order.

`3.1, 3.2, 3.4` usually means a task was deleted or renumbered by hand, and ranges in Execution
Notes (`3.1-3.4`) may now cover a different set of tasks than their author meant. A task group
heading (`### 3.2 Title`) takes its number in the run like a task does.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span, TaskId
from planlint.rule import Context, Rule

# (line, "task" | "group", id, span of the ID) in document order.
_Entry = tuple[int, str, TaskId, Span]


class TaskNumberingGap(Rule):
    code = "PL007"
    name = "task-numbering-gap"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        entries: list[_Entry] = [(t.line, "task", t.id, t.id_span) for t in ctx.plan.tasks()]
        entries += [(g.line, "group", g.id, g.id_span) for p in ctx.plan.phases for g in p.groups]
        entries.sort(key=lambda entry: entry[0])
        siblings: dict[tuple[int, ...], list[_Entry]] = {}
        for entry in entries:
            siblings.setdefault(entry[2].parts[:-1], []).append(entry)
        for run in siblings.values():
            yield from self._check_run(run)

    def _check_run(self, run: list[_Entry]) -> Iterator[Diagnostic]:
        previous: TaskId | None = None
        for _line, kind, task_id, span in run:
            number = task_id.parts[-1]
            what = "task" if kind == "task" else "task group"
            if previous is None:
                if number > 1:
                    first = ".".join(map(str, (*task_id.parts[:-1], 1)))
                    yield self.diagnostic(span, f"{what} {task_id} is the first of its run; {first} is missing")
            elif task_id == previous:
                continue  # a repeated ID is PL002's finding
            elif task_id < previous:
                yield self.diagnostic(span, f"{what} {task_id} comes after {previous}; IDs run out of order")
            elif number > previous.parts[-1] + 1:
                missing = ".".join(map(str, (*task_id.parts[:-1], previous.parts[-1] + 1)))
                yield self.diagnostic(span, f"{what} {task_id} follows {previous}; {missing} is missing")
            if previous is None or task_id > previous:
                previous = task_id
