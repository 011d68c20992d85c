"""Other views of the constraint document: a prompt block for agents and a Mermaid flowchart."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any


def prompt_block(document: dict[str, Any], tasks: Iterable[str] | None = None) -> str:
    """The `## Execution Constraints` block an orchestrator pastes into an agent's prompt."""
    chosen = list(tasks) if tasks is not None else list(document["tasks"])
    lines = ["## Execution Constraints", ""]
    if not chosen:
        return "\n".join([*lines, "No tasks selected.", ""])
    for task_id in chosen:
        task = document["tasks"].get(task_id)
        if task is None:
            lines += [f"### Task {task_id}", "", "- Not a task of this plan.", ""]
            continue
        bullets = _task_bullets(document, task_id, task)
        lines += [f"### Task {task_id}: {task['description']}", "", *bullets, ""]
    return "\n".join(lines)


def _task_bullets(document: dict[str, Any], task_id: str, task: dict[str, Any]) -> list[str]:
    bullets = []
    files = task["files"]
    if files["writes"]:
        bullets.append("- Modifies: " + ", ".join(f"`{f}`" for f in files["writes"]))
    if files["reads"]:
        bullets.append("- Reads only: " + ", ".join(f"`{f}`" for f in files["reads"]))
    for group in document["groups"]:
        if group["kind"] != "sequential" or task_id not in group["tasks"]:
            continue
        position = group["tasks"].index(task_id)
        before, after = group["tasks"][:position], group["tasks"][position + 1 :]
        label = "[SEQUENTIAL]" if group["source"] == "annotation" else "sequential (inferred from shared files)"
        order = []
        if before:
            order.append(f"start only after {_names(before)} {'has' if len(before) == 1 else 'have'} completed")
        if after:
            order.append(f"{_names(after)} {'waits' if len(after) == 1 else 'wait'} for this task")
        bullets.append(f"- {label} group {group['id']} ({group['reason']}): {'; '.join(order) or 'run it alone'}.")
    if task["dependsOn"]:
        bullets.append(f"- Depends on: {_names(task['dependsOn'])} (must be completed first).")
    if task["conflictsWith"]:
        bullets.append(f"- Never run at the same time as {_names(task['conflictsWith'])}: they touch the same files.")
    if len(bullets) == sum(1 for b in bullets if b.startswith(("- Modifies", "- Reads"))):
        bullets.append("- No ordering constraints: may run in parallel with the rest of its phase.")
    wave = next((n for n, tasks in enumerate(document["waves"], start=1) if task_id in tasks), None)
    if wave is not None:
        bullets.append(f"- Scheduled in wave {wave} of {document['waveCount']}.")
    return bullets


def _names(ids: list[str]) -> str:
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else ids[0]


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
