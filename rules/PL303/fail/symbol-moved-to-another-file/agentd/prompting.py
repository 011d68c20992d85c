"""The prompt an agent receives for one task."""

from __future__ import annotations

HEADER = "You are one of several agents working on this plan."


def format_constraints(constraints: list[str]) -> str:
    return "\n".join(f"- {c}" for c in constraints)


def render_task(task: str) -> str:
    lines = [HEADER, f"Task: {task}"]
    lines.append("Follow the plan's execution constraints.")
    return "\n".join(lines)
