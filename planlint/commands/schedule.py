"""`planlint emit` and `planlint next`: the constraint metadata and the next batch an
orchestrator consumes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from planlint.cli import EXIT_FOUND, EXIT_OK, PATH, guarded
from planlint.errors import UsageError


def _load_pair(plan_path: Path, status_path: Path | None, config: Any) -> tuple[Any, Any]:
    """The plan and its status.json (given, or found by the pairing conventions; may be None)."""
    from planlint.api import load_plan, load_status
    from planlint.pairing import Pairer

    plan = load_plan(plan_path)
    if status_path is None:
        status_path = Pairer(config).status_for(plan_path)
    status = load_status(status_path) if status_path is not None else None
    return plan, status


def _check_soundness(plan: Any, status: Any, config: Any, force: bool) -> bool:
    """Print the findings that make a schedule unsound and exit 1 unless --force; returns
    whether the plan is sound (an unsound forced document says `"valid": false`)."""
    from planlint.api import FileResult
    from planlint.emit import blocking_findings
    from planlint.reporters.text import TextReporter

    if status is not None and status.error is not None:
        raise UsageError(f"status file is not valid JSON: {status.error.message}", status.path)
    if status is not None and not isinstance(status.data, dict):
        raise UsageError('status file is not a JSON object (expected {"tasks": [...], ...})', status.path)
    found = blocking_findings(plan, config, status)
    if not found:
        return True
    TextReporter().write([FileResult(plan.path, plan.source, found, sources={plan.path: plan.source})], sys.stderr)
    if not force:
        click.echo(
            f"planlint: refusing: {len(found)} finding(s) make a schedule unsound (--force emits anyway)", err=True
        )
        sys.exit(EXIT_FOUND)
    click.echo('planlint: --force: the schedule may be unsound; the document says "valid": false', err=True)
    return False


@click.command()
@click.argument("plan_path", metavar="PLAN", type=PATH)
@click.option("--status", "status_path", type=PATH, help="The plan's status.json (default: found by pairing).")
@click.option("-o", "--output", "output_file", type=PATH, help="Write here (atomically) instead of stdout.")
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
    from planlint.api import analyse_plan
    from planlint.config import load_config
    from planlint.emit import constraints_document, dumps
    from planlint.emit_formats import mermaid, prompt_block

    config = load_config(config_path, start=plan_path)
    plan, status = _load_pair(plan_path, status_path, config)
    sound = _check_soundness(plan, status, config, force)
    analysis = analyse_plan(plan, status, config)
    document = constraints_document(analysis, plan_path=plan_path.as_posix(), valid=sound)
    if into_status:
        from planlint.into_status import write_into_status

        if status is None:
            raise UsageError("no status.json found for this plan (give one with --status)", plan_path)
        changed = write_into_status(analysis, status.path)
        click.echo(f"planlint: {'updated' if changed else 'unchanged'} {status.path}", err=True)
        if output_file is None and output_format == "json":
            sys.exit(EXIT_OK)
    if output_format == "prompt":
        tasks = [t.strip() for t in task_list.split(",")] if task_list else None
        text = prompt_block(document, tasks)
    elif output_format == "mermaid":
        text = mermaid(document)
    else:
        text = dumps(document)
    _write_output(text, output_file)
    sys.exit(EXIT_OK)


def _write_output(text: str, output_file: Path | None) -> None:
    if output_file is None:
        click.echo(text, nl=False)
        return
    from planlint.io import atomic_write
    from planlint.text import SourceText

    existing = SourceText.from_text("", output_file)
    atomic_write(output_file, text, existing)


@click.command(name="next")
@click.argument("plan_path", metavar="PLAN", type=PATH)
@click.argument("count", type=click.IntRange(min=1), default=3, required=False)
@click.option("--status", "status_path", type=PATH, help="The plan's status.json (default: found by pairing).")
@click.option("--cross-phase", is_flag=True, help="The orchestrator's DAG mode: only dependencies order tasks.")
@click.option("--force", is_flag=True, help="Answer even when the plan has errors that make a schedule unsound.")
@click.option("--config", "config_path", type=PATH, help="Use this config file.")
@guarded
def next_command(
    plan_path: Path, count: int, status_path: Path | None, cross_phase: bool, force: bool, config_path: Path | None
) -> None:
    """Print the next conflict-free batch of at most COUNT tasks (JSON)."""
    import json

    from planlint.api import analyse_plan
    from planlint.batch import next_batch
    from planlint.config import load_config

    config = load_config(config_path, start=plan_path)
    plan, status = _load_pair(plan_path, status_path, config)
    _check_soundness(plan, status, config, force)
    batch = next_batch(analyse_plan(plan, status, config), status, count, cross_phase=cross_phase)
    click.echo(json.dumps(batch, indent=2, ensure_ascii=False))
    sys.exit(EXIT_OK)
