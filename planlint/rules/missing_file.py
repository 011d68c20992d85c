"""A task modifies a file that does not exist, and nothing in the plan creates it.

An agent told to "update `src/auth/session.py`" when there is no such file either invents one
in the wrong place or edits a different file with a similar name. Usually the plan is stale (the
file was renamed or moved since it was written) or the path has a typo. A file is fine when the
task, or an earlier task, creates it ("Create `x.py`", "Add `tests/test_x.py`", "a new file
`x.py`", `touch x.py`, the target of a move or copy), when the task deletes it, or when it
exists relative to the plan's own folder. Only paths that a verb of their own tells the task to
change are checked ("Update `x.py`", "Fix the parser in `x.py`"), not paths a sentence merely
mentions, and tasks already checked off are history. A plan inside a git repository is checked
against it even when it names no existing file; outside any repository, when nothing the plan
names exists under the root, the plan is being checked away from its files and nothing is
reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from planlint.analysis.access import Mode, deletes, produces
from planlint.analysis.citations import extent
from planlint.analysis.files import in_repository, normalise
from planlint.analysis.references import RefKind
from planlint.analysis.task_files import FileAccess
from planlint.diagnostic import Diagnostic, Severity
from planlint.model import TaskId
from planlint.rule import Context, Rule


class MissingFile(Rule):
    code = "PL301"
    name = "missing-file"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        text = ctx.plan.source.text
        if not in_repository(ctx.root) and not any(a.exists for u in ctx.conflicts.accesses.values() for a in u):
            return  # nothing the plan names is here: it is being checked away from its files
        by_task: dict[TaskId, list[FileAccess]] = {}
        for unit_accesses in ctx.conflicts.accesses.values():
            for access in unit_accesses:
                if access.kind is RefKind.FILE and access.reference.is_path:
                    by_task.setdefault(access.task, []).append(access)
        created: set[str] = set()
        for task in ctx.plan.tasks():
            accesses = by_task.pop(task.id, [])  # a duplicate ID's accesses go to its first task
            created.update(a.key for a in accesses if _creates(a))
            if task.checked:
                continue
            reported: set[str] = set()
            for access in accesses:
                verb = access.verb  # read with the conflict model's vocabulary, config included
                if verb is None or access.exists or access.key in created or access.key in reported:
                    continue  # without a verb of its own a path is a mention, not an instruction
                if not access.mode.writes or deletes(verb):
                    continue
                if _beside_plan(ctx, access.reference.text):
                    continue
                reported.add(access.key)
                yield self.diagnostic(
                    extent(text, access.reference),
                    f"task {task.id} modifies `{access.key}`, which does not exist and no earlier task creates",
                )


def _creates(access: FileAccess) -> bool:
    verb = access.verb
    if access.mode is Mode.CREATE:
        return True
    if access.reference.command_write:
        return verb is None or not deletes(verb)  # `touch`, `>`, `mv`/`cp` targets; not `rm`
    return access.mode.writes and verb is not None and produces(verb)


def _beside_plan(ctx: Context, written: str) -> bool:
    """A link like `[spec](../spec.md)` is relative to the plan, not to the repository (and,
    like every path, names a file only inside the root)."""
    try:
        beside = os.path.relpath(ctx.plan.path.parent.resolve() / written, ctx.symbols.root)
    except (OSError, ValueError):
        return False
    return normalise(beside) in ctx.symbols.files
