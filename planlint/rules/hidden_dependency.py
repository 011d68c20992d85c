"""A task says it needs another ("output from 1.1", "after task 1.3") but records no dependency.

The orchestrator reads `(depends: 1.1)` and `[SEQUENTIAL]` notes, not prose. A task that uses
"the schema created in 1.2" may be handed to an agent in the same batch as 1.2 and start before
the schema exists. Write the dependency down: `(depends: 1.2)`. A task-level `[PARALLEL]` note
orders nothing, so it settles only "same file as 1.2", and a `[SEQUENTIAL]` group helps only when
it runs the other task first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span, TaskId
from planlint.rule import Context, Rule

# A number followed by a unit is a quantity, not a task: "retry after 1.5 seconds".
_UNIT = (
    r"\s*(?:%|x\b|(?:ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?"
    r"|[kmgt]i?b|px|em|rem)\b)"
)
# A task ID after white space; the words before it say whether the task needs that task. The
# pattern opens with a digit and looks back from it: a scan for digits, not a look-behind tried
# at every character of the prose.
_ID = re.compile(rf"(?P<id>\d(?<=\s\d)\d*\.\d+(?:\.\d+)?)(?![\d.]*\d)(?!{_UNIT})", re.IGNORECASE)
_HINT_BEFORE = re.compile(
    r"\b(?:(?:output|outputs|result|results|findings|artifacts?)\s+(?:of|from)"
    r"|(?P<same>same\s+file\s+as)"
    r"|(?:after|once|when)"
    r"|(?:created|produced|generated|written|defined|added)\s+(?:in|by)"
    r"|(?:requires|needs|uses|builds\s+on|depends\s+on\s+the\s+\w+\s+(?:of|from)))"
    r"\s+(?:tasks?\s+)?\Z",
    re.IGNORECASE,
)
_HINT_REACH = 120  # the longest hint, with room for long white space and a long word


def _hints(raw: str) -> Iterator[tuple[re.Match[str], re.Match[str]]]:
    """(hint, id) pairs: "output from 1.1", "after task 1.3". IDs are rare in prose, so they are
    found first and only the words just before each are matched against the hints."""
    for found in _ID.finditer(raw):
        start = found.start("id")
        hint = _HINT_BEFORE.search(raw, max(0, start - _HINT_REACH), start)
        if hint is not None:
            yield hint, found


class HiddenDependency(Rule):
    code = "PL114"
    name = "hidden-dependency"
    severity = Severity.WARNING
    dialects = frozenset({"phased"})  # reads `N.M` IDs in prose and advises `(depends: X)`

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        text = plan.source.text
        for task in plan.tasks():
            unit = plan.unit_of(task)
            for block in task.blocks:
                if block.kind != "text":
                    continue
                raw = text[block.span.start : block.span.end]
                for hint_match, match in _hints(raw):
                    target_id = TaskId.parse(match.group("id"))
                    target = plan.task(target_id) if target_id else None
                    if target is None or _later_phase(ctx, target.phase, unit.phase):
                        continue  # unknown IDs are PL111's; a later phase's task is another problem
                    other = plan.unit_of(target)
                    same_file = hint_match.group("same") is not None
                    if other.id == unit.id or _satisfied(ctx, unit.id, other.id, same_file):
                        continue
                    start = block.span.start + match.start("id")
                    hint = " ".join(raw[hint_match.start() : match.end()].split())
                    if ctx.conflicts.depends(other.id, unit.id):
                        problem = f"but {other.id} depends on {unit.id}"
                    elif _same_sequential_group(ctx, unit.id, other.id):
                        problem = f"but its [SEQUENTIAL] group runs {unit.id} before {other.id}"
                    else:
                        problem = f"but declares no dependency; add `(depends: {target.id})`"
                    yield self.diagnostic(
                        Span(block.span.path, start, start + len(match.group("id"))),
                        f'task {task.id} says it needs {target.id} ("{hint}") {problem}',
                    )


def _satisfied(ctx: Context, unit: TaskId, other: TaskId, same_file: bool) -> bool:
    """Whether the plan already keeps unit from running before (or, for "same file as", with) other.

    "Same file as 3.1" asks only that the two never run at once, which any coverage gives,
    including a task-level [PARALLEL] acknowledgement. "Output from 3.1" and "after 3.1" ask
    for an order: a dependency of unit on other, or a [SEQUENTIAL] group that runs other first
    (groups run in ID order).
    """
    if same_file:
        return ctx.conflicts.covered(unit, other)
    if ctx.conflicts.depends(unit, other):
        return True
    return other < unit and _same_sequential_group(ctx, unit, other)


def _later_phase(ctx: Context, phase: int, than: int) -> bool:
    index = ctx.conflicts.precedence.index
    return index.get(phase, 0) > index.get(than, 0)


def _same_sequential_group(ctx: Context, a: TaskId, b: TaskId) -> bool:
    return any(a in group.tasks and b in group.tasks for group in ctx.notes.sequential)
