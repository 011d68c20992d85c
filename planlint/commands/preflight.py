"""What `emit` and `next` do before they schedule a plan: load it with its status.json, and
refuse one whose findings make a schedule unsound (unless --force)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from planlint.errors import UsageError
from planlint.report import EXIT_FOUND


def load_pair(plan_path: Path, status_path: Path | None, config: Any) -> tuple[Any, Any]:
    """The plan and its status.json (given, or found by the pairing conventions; may be None)."""
    from planlint.api import load_plan, load_status
    from planlint.pairing import Pairer

    plan = load_plan(plan_path, config)
    if status_path is None:
        status_path = Pairer(config).status_for(plan_path)
    status = load_status(status_path) if status_path is not None else None
    return plan, status


def check_soundness(plan: Any, status: Any, config: Any, force: bool) -> bool:
    """Print the findings that make a schedule unsound and exit 1 unless --force; returns
    whether the plan is sound (an unsound forced document says `"valid": false`)."""
    from planlint.api import FileResult
    from planlint.emit.scheduling import blocking_findings
    from planlint.report.text import TextReporter

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
