"""The active plan and its status file, found exactly as the orchestrator's `status-cli.js` finds them.

`node scripts/status-cli.js next N` names no plan, so `planlint next N` must find the same one for
the swap to be a one-line change (plan-status.js, getPlanPathFromArgs and getActivePlanPath):

1. `--plan P` (also `--plan=P`): P must exist, relative to the current folder.
2. else the first pointer file that exists and is not blank once trimmed:
   `$CLAUDE_WORKTREE/.claude-context/current-plan.txt` (when the variable names an existing path),
   `.claude-context/current-plan.txt`, `.claude/current-plan.txt` (both in the current folder).

The plan path a pointer holds is read relative to the current folder, whichever pointer held it,
and the status file is always `<current folder>/docs/plan-outputs/<plan file name less ".md">/status.json`
(getStatusPath): status-cli does not look beside the plan or in the worktree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from planlint.errors import UsageError

WORKTREE_VARIABLE = "CLAUDE_WORKTREE"
WORKTREE_POINTER = Path(".claude-context") / "current-plan.txt"
MAIN_POINTER = Path(".claude") / "current-plan.txt"
OUTPUT_BASE = Path("docs") / "plan-outputs"
# What JavaScript's String.prototype.trim removes beyond Python's str.strip(): the BOM.
_JS_SPACE = "\ufeff"


@dataclass(frozen=True)
class ActivePlan:
    plan: Path  # the plan file (a relative name is taken from the current folder)
    named: str  # the plan as --plan or the pointer names it
    status: Path  # where status-cli keeps its status.json
    source: str  # what named it: "--plan" or the pointer file, for messages


def find_active_plan(plan_option: str | None = None, *, cwd: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> ActivePlan:  # fmt: skip
    """The plan `status-cli.js [--plan P] next` would use, and its status file (UsageError when none)."""
    cwd = cwd if cwd is not None else Path()  # relative paths, for messages; the process's folder
    environ = environ if environ is not None else os.environ
    if plan_option is not None:
        if not plan_option or not _resolve(cwd, plan_option).exists():
            raise UsageError(f"--plan: plan file not found: {plan_option}")
        return ActivePlan(_resolve(cwd, plan_option), plan_option, status_path(plan_option, cwd), "--plan")
    for pointer, shown in _pointers(cwd, environ):
        if not pointer.is_file():
            continue
        named = _read_pointer(pointer, shown)
        if named:
            plan = _resolve(cwd, named)
            if not plan.is_file():
                raise UsageError(f"the active plan {named} does not exist (named by {shown})")
            return ActivePlan(plan, named, status_path(named, cwd), shown)
    raise UsageError(
        "no active plan: give PLAN or --plan, or name one in .claude/current-plan.txt"
        f" (also read: .claude-context/current-plan.txt, ${WORKTREE_VARIABLE}/.claude-context/current-plan.txt)"
    )


def status_path(plan: str, cwd: Path) -> Path:
    """`docs/plan-outputs/<name>/status.json` under cwd, as node's `path.basename(plan, '.md')` names it."""
    whole = (plan.replace("\\", "/") if os.name == "nt" else plan).rstrip("/")
    name = whole.rsplit("/", 1)[-1]
    if whole == ".md":  # node's basename returns "" when the whole path is the extension
        name = ""
    elif name.endswith(".md") and name != ".md":
        name = name[: -len(".md")]
    return cwd / OUTPUT_BASE / name / "status.json"


def _pointers(cwd: Path, environ: Mapping[str, str]) -> list[tuple[Path, str]]:
    found = []
    worktree = environ.get(WORKTREE_VARIABLE)
    if worktree and _resolve(cwd, worktree).exists():
        found.append(
            (_resolve(cwd, worktree) / WORKTREE_POINTER, f"${WORKTREE_VARIABLE}/{WORKTREE_POINTER.as_posix()}")
        )
    found.append((cwd / WORKTREE_POINTER, WORKTREE_POINTER.as_posix()))
    found.append((cwd / MAIN_POINTER, MAIN_POINTER.as_posix()))
    return found


def _read_pointer(pointer: Path, shown: str) -> str:
    try:
        text = pointer.read_bytes().decode("utf-8", errors="replace")  # as node's readFileSync(.., 'utf8')
    except OSError as error:
        raise UsageError(f"cannot read {shown}: {error.strerror or error}", pointer) from None
    return text.strip().strip(_JS_SPACE).strip()


def _resolve(cwd: Path, path: str) -> Path:
    return Path(path) if Path(path).is_absolute() else cwd / path
