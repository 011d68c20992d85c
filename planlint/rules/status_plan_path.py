"""`planPath` in status.json does not point at the plan it belongs to.

Tools that start from a status file follow `planPath` to the plan. When the plan moved (to
`archive/`, say) the path goes stale and those tools read nothing, or the wrong plan. planlint
pairs the files by its folder convention and says where the plan really is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Span
from planlint.pairing import names_plan
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusPlanPath(StatusRule):
    code = "PL209"
    name = "status-plan-path"
    severity = Severity.ERROR

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if not isinstance(status.data, dict):
            return
        value = status.data.get("planPath")
        where = status.span("/planPath") if "planPath" in status.data else Span(status.path, 0, 0)
        if not ctx.plan_found:
            named = f" (planPath: {value})" if isinstance(value, str) else ""
            if isinstance(value, str) and value and _outside(value, ctx.root):
                named = f" (planPath '{value}' points outside the root {ctx.root.as_posix()}: not followed)"
            yield self.diagnostic(where, f"no plan found for this status file{named}")
            return
        real_plan = ctx.plan.path.resolve()  # once, for the comparison and the message
        if isinstance(value, str) and names_plan(value, real_plan, ctx.root):
            return
        actual = _relative(real_plan, ctx.plan.path, ctx.root)
        if isinstance(value, str):
            yield self.diagnostic(where, f"planPath is '{value}' but the plan is at '{actual}'")
        else:
            yield self.diagnostic(where, f"status.json has no planPath; the plan is at '{actual}'")


def _relative(real: Path, path: Path, root: Path) -> str:
    """The plan's real path relative to the root's; as given when it lies outside."""
    try:
        return real.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _outside(value: str, root: Path) -> bool:
    try:
        target = (root / value).resolve()
        real_root = root.resolve()
    except (OSError, RuntimeError, ValueError):
        return True
    return target != real_root and real_root not in target.parents
