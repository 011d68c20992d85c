"""Other views: the constraint document as a prompt block for agents and as a Mermaid flowchart,
and the next batch as text for people (`planlint next --format text`)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from planlint.text import and_list

if TYPE_CHECKING:
    from pathlib import Path

    from planlint.config import Config
    from planlint.model import Plan
    from planlint.parse.status import Status


def prompt_block(document: dict[str, Any], tasks: Iterable[str] | None = None) -> str:
    """The `## Execution Constraints` block an orchestrator pastes into an agent's prompt.

    Every task of the document, each with the wave of planlint's schedule it falls in; or only the
    given tasks (a batch the orchestrator runs now), without waves: when to run them is decided.
    Only annotated groups and dependencies state an order: a group planlint inferred from shared
    files (what PL101 reports) orders nothing, `next` may start either task first, so its tasks
    are told only never to run at the same time.
    """
    chosen = list(tasks) if tasks is not None else list(document["tasks"])
    lines = ["## Execution Constraints", ""]
    if not chosen:
        return "\n".join([*lines, "No tasks selected.", ""])
    groups_of: dict[str, list[tuple[dict[str, Any], int]]] = {}
    for group in document["groups"]:
        if group["kind"] == "sequential" and group["source"] == "annotation":
            for position, member in enumerate(group["tasks"]):
                groups_of.setdefault(member, []).append((group, position))
    waves = {t: n for n, wave in enumerate(document["waves"], start=1) for t in wave} if tasks is None else {}
    for task_id in chosen:
        task = document["tasks"].get(task_id)
        if task is None:
            lines += [f"### Task {task_id}", "", "- Not a task of this plan.", ""]
            continue
        bullets = _task_bullets(task, groups_of.get(task_id, []))
        if task_id in waves:
            bullets.append(f"- Scheduled in wave {waves[task_id]} of {document['waveCount']}.")
        lines += [f"### Task {task_id}: {task['description']}", "", *bullets, ""]
    return "\n".join(lines)


def _task_bullets(task: dict[str, Any], groups: list[tuple[dict[str, Any], int]]) -> list[str]:
    bullets = []
    files = task["files"]
    if files["writes"]:
        bullets.append("- Modifies: " + ", ".join(f"`{f}`" for f in files["writes"]))
    if files["reads"]:
        bullets.append("- Reads only: " + ", ".join(f"`{f}`" for f in files["reads"]))
    for group, position in groups:
        before, after = group["tasks"][:position], group["tasks"][position + 1 :]
        order = []
        if before:
            order.append(f"start only after {and_list(before)} {'has' if len(before) == 1 else 'have'} completed")
        if after:
            order.append(f"{and_list(after)} {'waits' if len(after) == 1 else 'wait'} for this task")
        bullets.append(f"- [SEQUENTIAL] group {group['id']} ({group['reason']}): {'; '.join(order) or 'run it alone'}.")
    if task["dependsOn"]:
        bullets.append(f"- Depends on: {and_list(task['dependsOn'])} (must be completed first).")
    if task["conflictsWith"]:
        bullets.append(f"- Never run at the same time as {and_list(task['conflictsWith'])}: they touch the same files.")
    if len(bullets) == sum(1 for b in bullets if b.startswith(("- Modifies", "- Reads"))):
        bullets.append("- No ordering constraints: may run in parallel with the rest of its phase.")
    return bullets


def mermaid(document: dict[str, Any]) -> str:
    """A flowchart of the waves (grouped by phase), dependencies and sequential order."""
    lines = ["```mermaid", "flowchart TD"]
    phase_of = {task: data["phase"] for task, data in document["tasks"].items()}
    for number, wave in enumerate(document["waves"], start=1):
        phases = sorted({phase_of.get(t, 0) for t in wave})
        title = f"Wave {number} · Phase {', '.join(map(str, phases))}"
        lines.append(f'  subgraph W{number}["{title}"]')
        for task in wave:
            description = _label(document["tasks"][task]["description"]) if task in document["tasks"] else ""
            lines.append(f'    {_node(task)}["{task} {description}"]')
        lines.append("  end")
    for number in range(1, len(document["waves"])):
        lines.append(f"  W{number} --> W{number + 1}")
    for task, data in document["tasks"].items():
        for dependency in data["dependsOn"]:
            lines.append(f"  {_node(dependency)} -->|depends| {_node(task)}")
    for group in document["groups"]:
        if group["kind"] == "sequential":
            for before, after in pairwise(group["tasks"]):
                lines.append(f"  {_node(before)} -.->|sequential| {_node(after)}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _node(task: str) -> str:
    return "t" + task.replace(".", "_")


def _label(text: str, width: int = 40) -> str:
    text = text.replace('"', "'").replace("`", "").replace("[", "(").replace("]", ")")
    return text if len(text) <= width else text[: width - 1] + "…"


_HEADLINES = {
    "ready": "Ready: {count} {tasks} may start now (at most {n} asked).",
    "blocked": "Blocked: nothing may start until a task in progress completes.",
    "deadlock": "Deadlock: no pending task can ever start.",
    "done": "Done: every task is completed or skipped.",
}


def batch_text(batch: dict[str, Any], n: int) -> str:
    """`planlint next --format text`: the batch, then every task held back with its reason."""
    count = batch["count"]
    lines = [_HEADLINES[batch["decision"]].format(count=count, tasks="task" if count == 1 else "tasks", n=n)]
    width = max((len(item["id"]) for item in [*batch["tasks"], *batch["heldBack"]]), default=0)
    for task in batch["tasks"]:
        lines.append(f"  {task['id']:<{width}}  {task['description']}")
        details = _batch_details(task)
        if details:
            lines.append(f"  {'':<{width}}  {details}")
    if batch["heldBack"]:
        held = len(batch["heldBack"])
        lines.append(f"Held back: {held} {'task' if held == 1 else 'tasks'}.")
        lines += [f"  {item['id']:<{width}}  {item['reason']}" for item in batch["heldBack"]]
    return "\n".join(lines) + "\n"


def _batch_details(task: dict[str, Any]) -> str:
    parts = []
    if task["files"]["writes"]:
        parts.append("writes " + ", ".join(f"`{f}`" for f in task["files"]["writes"]))
    if task["files"]["reads"]:
        parts.append("reads " + ", ".join(f"`{f}`" for f in task["files"]["reads"]))
    if task["sequentialGroup"]:
        parts.append(f"[SEQUENTIAL] group {task['sequentialGroup']}")
    if task["conflictsWith"]:
        parts.append(f"never with {and_list(task['conflictsWith'])}")
    if task["dependents"]:
        parts.append(f"then {and_list(task['dependents'])}")
    return "; ".join(parts)


def constraints_prompt(plan: Plan, tasks: Iterable[str] | None = None, status: Status | None = None, *,
                       config: Config | None = None, root: Path | str | None = None) -> str:  # fmt: skip
    """The `## Execution Constraints` block of these task IDs (every task when None) for an agent's
    prompt: what `planlint emit PLAN --format prompt --tasks IDS` prints."""
    from planlint.emit.document import constraints

    return prompt_block(constraints(plan, status, config=config, root=root), tasks)
