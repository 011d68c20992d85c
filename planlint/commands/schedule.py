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

    plan = load_plan(plan_path, config)
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
    from planlint.api import analyse_plan
    from planlint.config import load_config
    from planlint.emit import constraints_document, dumps
    from planlint.emit_formats import mermaid, prompt_block

    config = load_config(config_path, start=plan_path)
    if into_status:  # status.json is read only under the lock (DESIGN.md §5)
        from planlint.api import load_plan
        from planlint.into_status import into_status_locked
        from planlint.pairing import Pairer

        plan = load_plan(plan_path, config)
        status_path = status_path or Pairer(config).status_for(plan_path)
        if status_path is None:
            raise UsageError("no status.json found for this plan (give one with --status)", plan_path)

        def build(status: Any) -> tuple[Any, bool]:
            sound = _check_soundness(plan, status, config, force)
            return analyse_plan(plan, status, config), sound

        changed, analysis, sound = into_status_locked(status_path, build, root=config.root)
        click.echo(f"planlint: {'updated' if changed else 'unchanged'} {status_path}", err=True)
        if output_file is None and output_format == "json":
            sys.exit(EXIT_OK)
    else:
        plan, status = _load_pair(plan_path, status_path, config)
        sound = _check_soundness(plan, status, config, force)
        analysis = analyse_plan(plan, status, config)
    to_stdout = output_file is None or output_file == Path("-")
    if output_format == "json" and to_stdout:  # streamed: a plan of n tasks on one file lists n^2 pairs
        from planlint.emit import write

        stream = sys.stdout
        write(constraints_document(analysis, plan_path=plan_path.as_posix(), valid=sound, streamed=True), stream)
        stream.flush()
        sys.exit(EXIT_OK)
    document = constraints_document(analysis, plan_path=plan_path.as_posix(), valid=sound)
    if output_format == "prompt":
        tasks = [t.strip() for t in task_list.split(",") if t.strip()] if task_list is not None else None
        text = prompt_block(document, tasks)
    elif output_format == "mermaid":
        text = mermaid(document)
    else:
        text = dumps(document)
    if output_file is None or output_file == Path("-"):
        click.echo(text, nl=False)
    else:
        from planlint.io import write_output

        write_output(output_file, text, root=config.root)
    sys.exit(EXIT_OK)


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

    from planlint.api import analyse_plan
    from planlint.batch import next_batch
    from planlint.config import load_config

    if plan is not None and n is None and plan.as_posix().isascii() and plan.as_posix().isdigit():
        n = _count(plan.as_posix())  # `next 5`, as status-cli.js is called
        plan = None
    config = load_config(config_path, start=plan)
    loaded, status = _load_next_pair(plan, plan_option, status_path, config)
    _check_status_shape(status)
    _check_soundness(loaded, status, config, force)
    count = n if n is not None else 3  # status-cli.js's default
    batch = next_batch(analyse_plan(loaded, status, config), status, count, cross_phase=cross_phase)
    if output_format == "text":
        from planlint.emit_formats import batch_text

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
        return _load_pair(plan_path, status_path, config)
    from planlint.active_plan import find_active_plan
    from planlint.api import load_plan, load_status

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
