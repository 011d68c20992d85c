"""The executionConstraints in status.json disagree with the plan.

`planlint emit --into-status` records each task's ordering constraints in status.json for the
orchestrator. When the plan's notes or dependencies change afterwards, the recorded constraints
are stale and the orchestrator batches tasks by the old rules. Re-run emit (or `planlint fix`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planlint.analysis.task_constraints import execution_constraints, sequential_groups, status_constraints
from planlint.diagnostic import Diagnostic, Edit, Fix, Severity
from planlint.parse.jsonedit import dump_like
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusConstraintsStale(StatusRule):
    code = "PL208"
    name = "status-constraints-stale"
    severity = Severity.ERROR
    needs_plan = True
    fixable = True

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if status.document is None:
            return
        tracked = [
            (task_id, entry, recorded)
            for task_id, entry in sorted(ctx.pairing.paired.items())
            if isinstance(recorded := entry.data.get("executionConstraints"), dict)
        ]
        # what the plan gives, worked out only for a file that records constraints
        expected = execution_constraints(ctx.plan, ctx.notes, ctx.conflicts) if tracked else {}
        for task_id, entry, recorded in tracked:
            if task_id not in expected:
                continue
            wanted = refreshed(recorded, expected[task_id])
            if wanted == recorded:
                continue
            changed = sorted(
                set(recorded) ^ set(wanted) | {k for k in recorded if k in wanted and recorded[k] != wanted[k]}
            )
            fields = ", ".join(f"{k} (is {recorded.get(k)!r}, plan gives {wanted.get(k)!r})" for k in changed)
            value = status.span(f"{entry.pointer}/executionConstraints")
            yield self.diagnostic(
                status.span(f"{entry.pointer}/executionConstraints", key=True),
                f"task {task_id}'s executionConstraints are stale: {fields}",
                fix=Fix(
                    f"rewrite the executionConstraints of {task_id}",
                    (Edit(value, dump_like(wanted, status.source.text, value.start)),),
                ),
            )
        recorded_groups = status.data.get("sequentialGroups") if isinstance(status.data, dict) else None
        if isinstance(recorded_groups, list):
            groups = [g.as_status() for g in sequential_groups(ctx.notes)]
            if recorded_groups != groups:
                value = status.span("/sequentialGroups")
                names = "; ".join(g["taskRange"] for g in groups) or "none"
                yield self.diagnostic(
                    status.span("/sequentialGroups", key=True),
                    f"sequentialGroups disagrees with the plan's [SEQUENTIAL] notes (the plan gives: {names})",
                    fix=Fix(
                        "rewrite sequentialGroups from the plan's notes",
                        (Edit(value, dump_like(groups, status.source.text, value.start)),),
                    ),
                )


def refreshed(recorded: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The recorded constraints brought up to date, in the recorded key order.

    Only the fields the file already tracks are kept current, plus the group's name and reason
    when `sequential` is tracked (the orchestrator's shape); a field the plan no longer gives
    (a task that left its group) is dropped rather than written as null, which the schema
    forbids. `expected` is `execution_constraints`' entry, whose keys are in the contract's order.
    """
    order, present = list(expected), status_constraints(expected)
    keys = list(recorded)
    if "sequential" in recorded:
        for key in ("sequentialGroup", "reason"):
            if key not in keys:  # after its predecessor in the contract's order
                before = order[: order.index(key)]
                at = max((keys.index(k) + 1 for k in before if k in keys), default=len(keys))
                keys.insert(at, key)
    result: dict[str, Any] = {}
    for key in keys:
        if key not in expected:
            result[key] = recorded[key]  # not ours to judge
        elif key in present:
            result[key] = _same_order(recorded.get(key), present[key])
    return result


def _same_order(recorded: Any, expected: Any) -> Any:
    """Lists that differ only in order count as equal: keep the recorded order then."""
    if (
        isinstance(recorded, list)
        and isinstance(expected, list)
        and sorted(map(str, recorded)) == sorted(map(str, expected))
    ):
        return recorded
    return expected
