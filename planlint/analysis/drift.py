"""Pair the entries of a status.json with the plan's tasks, and recognise legacy files.

Current orchestrators key each entry by the task's ID and store the text after the ID as the
description. Older ones numbered checkbox lines by position: entry `3.2` described as
"3.1.2 Implement ...", or ID-less acceptance checkboxes recorded as tasks. Such a file is
*legacy* (PL211, reported once); its entries pair with plan tasks by the ID at the start of
the description or by their text, and entries that are acceptance checkboxes are set aside
instead of being reported one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from planlint.model import Plan, Task, TaskId
from planlint.parse.grammar import strip_comments
from planlint.parse.status import Status, StatusTask, description_id

# Emphasis markers at word edges (`**bold**`, `_it_`, not the `_` in `rate_limiter.py`),
# backticks, and the double quotes orchestrators drop.
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]+|[*_]+(?![\w*_])|[`\"]")
_PHASE_NUMBER = re.compile(r"(?:Phase|VERIFY)\s+(\d+)", re.IGNORECASE)
_VERIFY_LINE = re.compile(r"^\**VERIFY\b")  # upper case: "Verify the build" is a task
_LEADING_ID = re.compile(r"^\s*\**\d+(?:\.\d+){1,2}\**[:.]?\s+")
# A trailing `(depends: 1.1)`: PL101's and PL124's fixes write it on the task line (DESIGN.md §3a),
# PL124's in place of a `(depends on 1.1)` that status.json may still hold.
_TRAILING_DEPENDS = re.compile(r"\s*\(depends(?:\s+on)?\s*:?[^()]*\)\s*$", re.IGNORECASE)
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")


# The same texts come back for each status file a plan is paired with (two in three calls on
# the corpus are repeats).
@lru_cache(maxsize=8192)
def normalise_text(text: str) -> str:
    """Task text as PL205 compares it: no leading ID, trailing `(depends: …)`, emphasis,
    backticks, double quotes or extra whitespace."""
    # Each pattern runs only on the texts that hold what it removes: most texts have no
    # `(depends`, no leading ID and no `*` or `_`, and a scan of every position costs more than
    # the few `in` tests that rule it out.
    text = strip_comments(text).rstrip()
    if text.endswith(")"):
        text = _TRAILING_DEPENDS.sub("", text)
    leading = _LEADING_ID.match(text)
    if leading:
        text = text[leading.end() :]
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    elif "`" in text or '"' in text:
        text = text.replace("`", "").replace('"', "")
    text = text.strip()
    checkbox = _CHECKBOX.match(text)
    if checkbox:
        text = text[checkbox.end() :]
    return " ".join(text.split())


@dataclass
class StatusPairing:
    paired: dict[TaskId, StatusTask] = field(default_factory=dict)  # plan unit -> entry
    unknown: list[StatusTask] = field(default_factory=list)  # entries naming no plan task
    acceptance: list[StatusTask] = field(default_factory=list)  # legacy: checkboxes, VERIFY lines, group headings
    checkpoints: list[StatusTask] = field(default_factory=list)  # `VN` paired with a VERIFY checkpoint
    missing: list[Task] = field(default_factory=list)  # plan units without an entry
    duplicates: list[tuple[StatusTask, StatusTask]] = field(default_factory=list)  # (again, first)
    legacy: bool = False
    legacy_example: str = ""  # one entry that shows the legacy numbering


def pair_status(plan: Plan, status: Status) -> StatusPairing:
    result = StatusPairing()
    units = {t.id: t for p in plan.phases for t in p.top_level_tasks}
    checkpoints = {v.phase for p in plan.phases for v in p.verify if v.checkpoint and v.phase is not None}
    verify_phases = {p.number for p in plan.phases if p.verify}
    # read only when an entry's description has no ID
    acceptance_texts: set[str] | None = None
    group_titles: dict[str, str] = {}

    def not_a_task(entry: StatusTask) -> str | None:
        """Why a legacy entry is no task: an acceptance checkbox, a VERIFY line, a group heading."""
        nonlocal acceptance_texts
        if acceptance_texts is None:
            acceptance_texts = {normalise_text(c.text) for c in plan.checkboxes}
            group_titles.update((str(g.id), normalise_text(g.title)) for p in plan.phases for g in p.groups)
        text = normalise_text(entry.description)
        if text in acceptance_texts:
            return f"entry `{entry.id}` is the acceptance criterion '{_clip(entry.description)}'"
        verify = _VERIFY_LINE.match(entry.description.lstrip())
        if verify and _entry_phase(entry) in verify_phases:
            return f"entry `{entry.id}` is the VERIFY line '{_clip(entry.description)}'"
        if group_titles.get(entry.id) == text and text:
            return f"entry `{entry.id}` is the group heading '{_clip(entry.description)}'"
        return None

    for entry in status.tasks:
        if entry.verify_phase is not None:
            continue  # `V2` is how older orchestrators named a checkpoint, not position numbering
        if description_id(entry.description) is None:
            evidence = not_a_task(entry)
        elif _renumbered(entry, units):
            evidence = f"task `{entry.id}` is described as '{_clip(entry.description)}'"
        else:
            continue
        if evidence:  # one entry shows it: the file is legacy
            result.legacy, result.legacy_example = True, evidence
            break

    # only a legacy file's entries are matched by their text; the others by their ID, as written
    # when it is a plan task's (`1.2`), else as TaskId reads it (`01.2`)
    written = {str(t.id): t for t in units.values() if _canonical(t.id)} if not result.legacy else {}
    by_text = {normalise_text(t.text): t for t in units.values() if t.text} if result.legacy else {}
    for entry in status.tasks:
        if entry.verify_phase is not None and entry.verify_phase in checkpoints:
            result.checkpoints.append(entry)
            continue
        task = _match(entry, units, by_text) if result.legacy else _by_id(entry, units, written)
        if task is not None and task.id not in result.paired:
            result.paired[task.id] = entry
        elif task is not None:
            result.duplicates.append((entry, result.paired[task.id]))
        elif result.legacy and not_a_task(entry):
            result.acceptance.append(entry)
        else:
            result.unknown.append(entry)
    result.missing = [t for t in units.values() if t.id not in result.paired]
    return result


def _entry_phase(entry: StatusTask) -> int | None:
    for text in (entry.phase, entry.description):
        match = _PHASE_NUMBER.search(text)
        if match:
            return int(match.group(1))
    return None


def _renumbered(entry: StatusTask, units: dict[TaskId, Task]) -> bool:
    """Whether the description is the whole checkbox line of a plan task (`3.1.2 Implement ...`)
    whose ID is not the entry's: the entry was numbered by position. The texts are compared
    only when the IDs differ (most entries: the same ID, nothing to compare)."""
    written = description_id(entry.description)
    task_id = TaskId.parse(written) if written else None
    task = units.get(task_id) if task_id else None
    return (
        task is not None and str(task.id) != entry.id and normalise_text(entry.description) == normalise_text(task.text)
    )


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _canonical(task_id: TaskId) -> bool:
    """Whether `TaskId.parse(str(task_id)) == task_id`: dotted numbers, two or three of them."""
    return not task_id.label and 2 <= len(task_id.parts) <= 3


def _by_id(entry: StatusTask, units: dict[TaskId, Task], written: dict[str, Task]) -> Task | None:
    task = written.get(entry.id)
    if task is not None:
        return task
    task_id = TaskId.parse(entry.id)
    return units.get(task_id) if task_id else None


def _match(entry: StatusTask, units: dict[TaskId, Task], by_text: dict[str, Task]) -> Task | None:
    """The plan task a legacy entry stands for."""
    # The ID the description starts with names the task, whatever its text now says (the text
    # drifting is PL205's business, not a reason to call the entry unknown); a description that
    # is the task's whole line (`3.1.2 Implement ...`) is the same case.
    written = description_id(entry.description)
    written_id = TaskId.parse(written) if written else None
    if written_id is not None and written_id in units:
        return units[written_id]
    own = TaskId.parse(entry.id)
    if own is not None and own in units and normalise_text(units[own].text) == normalise_text(entry.description):
        return units[own]
    return by_text.get(normalise_text(entry.description))
