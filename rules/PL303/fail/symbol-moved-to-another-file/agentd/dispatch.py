"""Runs the tasks of a plan, a batch at a time."""

from __future__ import annotations

import subprocess

from agentd.prompting import render_task


class Orchestrator:
    def __init__(self, batch: int = 4) -> None:
        self.batch = batch

    def run(self, tasks: list[str]) -> None:
        for start in range(0, len(tasks), self.batch):
            for task in tasks[start : start + self.batch]:
                subprocess.run(["agent", render_task(task)], check=True)
