"""`emit --into-status`: record the constraints in status.json, changing nothing else.

Each paired task entry gets an `executionConstraints` object (the status.json shape: null
fields are left out, as the schema has no nulls) and the top-level `sequentialGroups` lists the
plan's declared groups. The edits are computed on the text read *inside* the orchestrator's
lock, applied as text edits (key order, indentation and newline style stay), and written
atomically; a second run finds nothing to change and writes nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from planlint.analysis.drift import pair_status
from planlint.analysis.task_constraints import sequential_groups, status_constraints
from planlint.diagnostic import apply_edits
from planlint.emit.scheduling import Scheduling
from planlint.errors import InputError
from planlint.fix.lock import locked
from planlint.fix.writes import atomic_write, rewrite_locked
from planlint.io import read_source
from planlint.parse.jsonedit import set_member
from planlint.parse.status import Status, parse_status
from planlint.text import SourceText

T = TypeVar("T")


def updated_status_text(scheduling: Scheduling, source: SourceText) -> str:
    """The status text with every paired task's executionConstraints and the groups written."""
    status = parse_status(source)
    if status.document is None or not isinstance(status.data, dict):
        return source.text
    edits = []
    for task_id, entry in pair_status(scheduling.context.plan, status).paired.items():
        if task_id in scheduling.constraints:
            wanted = status_constraints(scheduling.constraints[task_id])
            edit = set_member(status.document, source.path, entry.pointer, "executionConstraints", wanted)
            if edit is not None:
                edits.append(edit)
    groups = [g.as_status() for g in sequential_groups(scheduling.context.notes)]
    edit = set_member(status.document, source.path, "", "sequentialGroups", groups)
    if edit is not None:
        edits.append(edit)
    return apply_edits(source.text, edits, source.newline)


def write_into_status(scheduling: Scheduling, path: Path, *, root: Path | None = None) -> bool:
    """Update status.json under the lock; True when it changed."""
    return rewrite_locked(path, lambda source: updated_status_text(scheduling, source), root=root)


def into_status_locked(
    path: Path, build: Callable[[Status], tuple[Scheduling, T]], *, root: Path | None = None
) -> tuple[bool, Scheduling, T]:
    """`emit --into-status` from start to end under the orchestrator's lock (DESIGN.md §5):
    status.json is read only once the lock is held, so a writer that rewrites it in place is
    never seen half-way; build checks and analyses the plan against that status; the
    constraints are written before the lock is let go. Returns (changed, scheduling, what build
    returned besides the scheduling)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        read_source(path)  # raises the one-line InputError of why it cannot be read
        raise
    if not stat.S_ISREG(mode):
        raise InputError("is not a regular file; planlint writes status.json files only", path)
    with locked(path) as lock:
        source = read_source(path)
        scheduling, extra = build(parse_status(source))
        text = updated_status_text(scheduling, source)
        changed = atomic_write(path, text, source, root=root, before_replace=lambda: lock.ensure_held(path))
    return changed, scheduling, extra
