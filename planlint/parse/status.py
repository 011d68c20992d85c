"""status.json -> Status: the orchestrator's progress file, with a JSON pointer -> Span index.

Invalid JSON is not an exception here: the Status carries the syntax error (PL201 reports it)
and no tasks. Pairing entries with plan tasks is `planlint.analysis.drift`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from planlint.model import Span
from planlint.parse.jsondoc import JsonDocument, JsonSyntaxError
from planlint.text import SourceText

_DESCRIPTION_ID = re.compile(r"^\**(?P<id>\d+(?:\.\d+){1,2})\**[:.]?\s")
_VERIFY_ID = re.compile(r"^V(?P<phase>\d+)$")


class StatusTask(NamedTuple):
    """One entry of `tasks`, with the plan task ID it stands for (a tuple: a status file of 100k
    entries builds 100k of them)."""

    index: int  # type: ignore[assignment]  # the entry's place in `tasks` (shadows tuple.index)
    id: str  # as written
    description: str
    phase: str
    status: str
    data: dict[str, Any]
    verify_phase: int | None = None  # `V2`: the VERIFY checkpoint of Phase 2

    @property
    def pointer(self) -> str:
        return f"/tasks/{self.index}"


@dataclass(eq=False)
class Status:
    source: SourceText
    document: JsonDocument | None
    error: JsonSyntaxError | None = None
    tasks: list[StatusTask] = field(default_factory=list)

    @property
    def path(self) -> Any:
        return self.source.path

    @property
    def data(self) -> Any:
        return self.document.value if self.document is not None else None

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The span of the value (or its key) at a JSON pointer; the file start if unknown."""
        location = self.document.locate(pointer) if self.document is not None else None
        if location is None:
            return Span(self.source.path, 0, 0)
        if key and location.key_start is not None and location.key_end is not None:
            return Span(self.source.path, location.key_start, location.key_end)
        return Span(self.source.path, location.start, location.end)


def parse_status(source: SourceText) -> Status:
    try:
        document = JsonDocument.parse(source.text)
    except JsonSyntaxError as error:
        return Status(source, None, error)
    status = Status(source, document)
    data = document.value
    raw_tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(raw_tasks, list):
        return status
    append = status.tasks.append
    for index, entry in enumerate(raw_tasks):  # one pass, no per-field generator: 100k entries are normal
        if not isinstance(entry, dict):
            entry = {}
        raw_id = entry.get("id")
        task_id_text = raw_id if isinstance(raw_id, str) else str(raw_id) if isinstance(raw_id, (int, float)) else ""
        description = entry.get("description", "")
        phase = entry.get("phase", "")
        state = entry.get("status", "")
        verify = _VERIFY_ID.match(task_id_text) if task_id_text[:1] == "V" else None
        append(
            StatusTask(
                index=index,
                id=task_id_text,
                description=description if isinstance(description, str) else "",
                phase=phase if isinstance(phase, str) else "",
                status=state if isinstance(state, str) else "",
                data=entry,
                verify_phase=int(verify.group("phase")) if verify else None,
            )
        )
    return status


def description_id(description: str) -> str | None:
    """The task ID a description starts with (`3.1.2 Implement ...` -> `3.1.2`), if any."""
    match = _DESCRIPTION_ID.match(description)
    return match.group("id") if match else None
