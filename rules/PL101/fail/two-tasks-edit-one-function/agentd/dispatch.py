"""Runs the tasks of a plan, a batch at a time."""

from __future__ import annotations

import subprocess

DEFAULT_BATCH = 4


def load_settings(path: str) -> dict[str, str]:
    """Read `key = value` lines."""
    settings = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings


class Orchestrator:
    """Hands pending tasks to agents."""

    def __init__(self, batch: int = DEFAULT_BATCH) -> None:
        self.batch = batch

    def run(self, tasks: list[str]) -> None:
        for start in range(0, len(tasks), self.batch):
            for task in tasks[start : start + self.batch]:
                subprocess.run(["agent", self._build_prompt(task)], check=True)

    def _build_prompt(self, task: str) -> str:
        lines = [f"Task: {task}"]
        lines.append("Follow the plan's execution constraints.")
        return "\n".join(lines)
