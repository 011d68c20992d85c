"""`planlint emit`: the constraint metadata an orchestrator consumes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from planlint.cli import PATH, guarded
from planlint.commands.preflight import check_soundness, load_pair
from planlint.errors import UsageError
from planlint.report import EXIT_OK


@click.command()
@click.argument("plan_path", metavar="PLAN", type=PATH)
@click.option("--status", "status_path", type=PATH, help="The plan's status.json (default: found by pairing).")
@click.option(
    "-o", "--output", "output_file", type=PATH, help="Write here (atomically; - for stdout) instead of stdout."
)
@click.option(
    "--format", "output_format", type=click.Choice(["json", "prompt", "mermaid"]), default="json", show_default=True
)
@click.option("--tasks", "task_list", metavar="IDS", help="With --format prompt: only these tasks (3.1,3.2).")
@click.option("--into-status", is_flag=True, help="Write executionConstraints and sequentialGroups into status.json.")
@click.option("--force", is_flag=True, help="Emit even when the plan has errors that make a schedule unsound.")
@click.option("--config", "config_path", type=PATH, help="Use this config file.")
@guarded
def emit(
    plan_path: Path,
    status_path: Path | None,
    output_file: Path | None,
    output_format: str,
    task_list: str | None,
    into_status: bool,
    force: bool,
    config_path: Path | None,
) -> None:
    """Write the constraint metadata the orchestrator consumes."""
    from planlint.config import load_config
    from planlint.emit.document import constraints_document, write
    from planlint.emit.scheduling import plan_scheduling

    config = load_config(config_path, start=plan_path)
    if into_status:  # status.json is read only under the lock (DESIGN.md §5)
        scheduling, sound = _emit_into_status(plan_path, status_path, config, force)
        if output_file is None and output_format == "json":
            sys.exit(EXIT_OK)
    else:
        plan, status = load_pair(plan_path, status_path, config)
        sound = check_soundness(plan, status, config, force)
        scheduling = plan_scheduling(plan, status, config)
    destination = None if output_file == Path("-") else output_file  # None: stdout
    if output_format == "json":  # streamed: a plan of n tasks on one file lists n^2 pairs
        streamed = constraints_document(scheduling, plan_path=plan_path.as_posix(), valid=sound, streamed=True)
        if destination is None:
            write(streamed, sys.stdout)
            sys.stdout.flush()
        else:
            from planlint.fix.writes import write_streamed

            write_streamed(destination, lambda out: write(streamed, out), root=config.root)
        sys.exit(EXIT_OK)
    document = constraints_document(scheduling, plan_path=plan_path.as_posix(), valid=sound)
    text = _view(document, output_format, task_list)
    if destination is None:
        click.echo(text, nl=False)
    else:
        from planlint.fix.writes import write_output

        write_output(destination, text, root=config.root)
    sys.exit(EXIT_OK)


def _emit_into_status(plan_path: Path, status_path: Path | None, config: Any, force: bool) -> tuple[Any, bool]:
    """`--into-status`: check, schedule and record the constraints under the lock; the
    scheduling and whether the plan is sound."""
    from planlint.api import load_plan
    from planlint.emit.into_status import into_status_locked
    from planlint.emit.scheduling import plan_scheduling
    from planlint.pairing import Pairer

    plan = load_plan(plan_path, config)
    status_path = status_path or Pairer(config).status_for(plan_path)
    if status_path is None:
        raise UsageError("no status.json found for this plan (give one with --status)", plan_path)

    def build(status: Any) -> tuple[Any, bool]:
        sound = check_soundness(plan, status, config, force)
        return plan_scheduling(plan, status, config), sound

    changed, scheduling, sound = into_status_locked(status_path, build, root=config.root)
    click.echo(f"planlint: {'updated' if changed else 'unchanged'} {status_path}", err=True)
    return scheduling, sound


def _view(document: dict[str, Any], output_format: str, task_list: str | None) -> str:
    """The document as --format asks: the prompt block or the Mermaid chart (JSON is streamed)."""
    from planlint.emit.views import mermaid, prompt_block

    if output_format == "prompt":
        tasks = [t.strip() for t in task_list.split(",") if t.strip()] if task_list is not None else None
        return prompt_block(document, tasks)
    return mermaid(document)
