"""`planlint next`: the next conflict-free batch an orchestrator runs, as `status-cli.js next N`
asks for it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from planlint.cli import PATH, guarded
from planlint.commands.preflight import check_soundness, load_pair
from planlint.errors import UsageError
from planlint.report import EXIT_OK


@click.command(name="next")
@click.argument("plan", type=PATH, required=False)
@click.argument("n", type=click.IntRange(min=1), required=False)
@click.option(
    "--plan", "plan_option", metavar="PLAN", help="The plan, as status-cli.js's --plan (its status.json too)."
)
@click.option("--status", "status_path", type=PATH, help="The plan's status.json (default: found by pairing).")
@click.option(
    "--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True,
    help="json: the drop-in for status-cli.js next; text: for people.",
)  # fmt: skip
@click.option("--cross-phase", is_flag=True, help="The orchestrator's DAG mode: only dependencies order tasks.")
@click.option("--force", is_flag=True, help="Answer even when the plan has errors that make a schedule unsound.")
@click.option("--config", "config_path", type=PATH, help="Use this config file.")
@guarded
def next_command(
    plan: Path | None,
    n: int | None,
    plan_option: str | None,
    status_path: Path | None,
    output_format: str,
    cross_phase: bool,
    force: bool,
    config_path: Path | None,
) -> None:
    """Print the next conflict-free batch of at most N tasks (default 3).

    With no PLAN (`planlint next 5`), the active plan and its status.json are found as the
    orchestrator's `status-cli.js next 5` finds them: --plan, else $CLAUDE_WORKTREE/.claude-context/,
    .claude-context/ or .claude/current-plan.txt; the status file is
    docs/plan-outputs/<plan name>/status.json. A lone number is N, not a plan.
    """
    import json

    from planlint.config import load_config
    from planlint.emit.next import select_batch
    from planlint.emit.scheduling import plan_scheduling

    if plan is not None and n is None and plan.as_posix().isascii() and plan.as_posix().isdigit():
        n = _count(plan.as_posix())  # `next 5`, as status-cli.js is called
        plan = None
    config = load_config(config_path, start=plan)
    loaded, status = _load_next_pair(plan, plan_option, status_path, config)
    _check_status_shape(status)
    check_soundness(loaded, status, config, force)
    count = n if n is not None else 3  # status-cli.js's default
    batch = select_batch(plan_scheduling(loaded, status, config), count, cross_phase=cross_phase)
    if output_format == "text":
        from planlint.emit.views import batch_text

        click.echo(batch_text(batch, count), nl=False)
    else:
        click.echo(json.dumps(batch, indent=2, ensure_ascii=False))
    sys.exit(EXIT_OK)


def _load_next_pair(plan_path: Path | None, plan_option: str | None, status_path: Path | None,
                    config: Any) -> tuple[Any, Any]:  # fmt: skip
    """PLAN with its status.json found by pairing, or the active plan with status-cli.js's status.json."""
    if plan_path is not None:
        if plan_option is not None:
            raise UsageError("give the plan once: PLAN or --plan")
        return load_pair(plan_path, status_path, config)
    from planlint.api import load_plan, load_status
    from planlint.emit.active_plan import find_active_plan

    active = find_active_plan(plan_option)
    if status_path is None and active.status.is_file():
        status_path = active.status
    return load_plan(active.plan, config), load_status(status_path) if status_path is not None else None


def _check_status_shape(status: Any) -> None:
    """A status file next cannot read task states from is an error, not a plan with nothing done."""
    if status is None or status.document is None:
        return
    data = status.data
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(data), "a number")
        raise UsageError(f"status file is {kind}, not a JSON object with a `tasks` list", status.path)
    if not isinstance(data.get("tasks"), list):
        raise UsageError("status file has no `tasks` list", status.path)


def _count(text: str) -> int:
    """N given first, as `status-cli.js next N` takes it: checked as click checks N given second."""
    if int(text) < 1:
        raise click.BadParameter(f"{int(text)} is not in the range x>=1.", param_hint="'[N]'")
    return int(text)
