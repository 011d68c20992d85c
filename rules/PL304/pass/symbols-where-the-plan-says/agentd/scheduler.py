"""Runs the tasks of a plan, a batch at a time."""

from __future__ import annotations

import subprocess

from agentd.settings_file import load_settings


class Orchestrator:
    def __init__(self, settings_path: str) -> None:
        self.settings = load_settings(settings_path)

    def get_next_tasks(self, count: int) -> list[str]:
        return []

    def run(self) -> None:
        for task in self.get_next_tasks(int(self.settings.get("batch", "4"))):
            subprocess.run(["agent", task], check=True)
