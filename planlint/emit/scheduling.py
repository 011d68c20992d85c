"""What emit and next compute from one plan (its schedule and per-task constraints), and the
findings that make a schedule unsound."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planlint.analysis.task_constraints import execution_constraints
from planlint.config import Config
from planlint.emit.schedule import Schedule, build_schedule
from planlint.engine import strict_findings
from planlint.rule import Context

if TYPE_CHECKING:
    from planlint.diagnostic import Diagnostic
    from planlint.model import Plan
    from planlint.parse.status import Status

# Findings that make a schedule unsound (DESIGN.md §5): emit and next refuse them without --force.
BLOCKING_CODES = frozenset({"PL002", "PL004", "PL102", "PL103", "PL104", "PL106", "PL111", "PL112", "PL113"})


def blocking_findings(plan: Plan, config: Config, status: Status | None = None) -> list[Diagnostic]:
    """The findings that make a schedule unsound, whatever the rule selection, severities,
    per-file-ignores and suppression comments say: those silence a lint finding, not the flaw
    a schedule would inherit (two tasks under one ID, a dependency cycle)."""
    return strict_findings(plan, config, BLOCKING_CODES, status)


class Scheduling:
    """Everything emit, next and the Python API compute from one plan. The schedule and the
    per-task constraints are computed on first use: `next` needs neither for every task, and
    on a plan whose tasks all share one file each is quadratic in the plan's size."""

    def __init__(self, context: Context) -> None:
        self.context = context

    @cached_property
    def schedule(self) -> Schedule:
        conflicts = self.context.conflicts
        return build_schedule(conflicts.precedence, conflicts)

    @cached_property
    def constraints(self) -> dict[Any, dict[str, Any]]:
        context = self.context
        return execution_constraints(context.plan, context.notes, context.conflicts)


def plan_scheduling(plan: Plan, status: Status | None = None, config: Config | None = None,
                    root: Path | str | None = None) -> Scheduling:  # fmt: skip
    """Conflicts, constraints and the schedule of a plan: what emit, next and the API share."""
    config = config or Config()
    return Scheduling(
        Context(plan, config, Path(root) if root is not None else config.root, status, status is not None)
    )
