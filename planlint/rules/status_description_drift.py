"""A task's description in status.json differs from the task's text in the plan.

Agents are briefed from status.json; a description that no longer matches the plan sends them
to do the old task. The comparison ignores a leading task ID, a trailing `(depends: …)` (which
the fixes of PL101 and PL124 write on task lines), Markdown emphasis, backticks and whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlint.analysis.drift import normalise_text
from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule


class StatusDescriptionDrift(StatusRule):
    code = "PL205"
    name = "status-description-drift"
    severity = Severity.WARNING

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        drifted = []
        for task_id, entry in sorted(ctx.pairing.paired.items()):
            task = ctx.plan.task(task_id)
            if task is None or not entry.description:
                continue  # a missing description is PL202's finding
            if normalise_text(entry.description) != normalise_text(task.text):
                drifted.append((task, entry))
        if len(drifted) > self.fold_after:
            names = ", ".join(str(task.id) for task, _ in drifted[:5])
            yield self.diagnostic(
                status.span("/tasks", key=True),
                f"{len(drifted)} task descriptions ({names}, ...) differ from the plan's text",
            )
            return
        for task, entry in drifted:
            yield self.diagnostic(
                status.span(f"{entry.pointer}/description"),
                f"task {task.id}'s description differs from the plan: '{_clip(task.text)}'",
            )


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
