"""Fixing: apply the rules' text edits bottom-up, re-parse and re-check (`loop`), then write
what changed (`writes`, atomically; status.json under the orchestrator's `lock`). `paths` is the
entry point for files and folders, as `planlint fix` runs it."""
