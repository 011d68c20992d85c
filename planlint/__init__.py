"""planlint: a linter for Markdown implementation plans.

The stable Python API (for orchestrators written in Python) is re-exported here and loaded on
first use, so `import planlint` stays cheap:

    plan = planlint.load_plan("docs/plans/auth.md")
    status = planlint.load_status("docs/plan-outputs/auth/status.json")
    document = planlint.constraints(plan, status)
    batch = planlint.next_batch(plan, status, 3)
    prompt = planlint.constraints_prompt(plan, [t["id"] for t in batch["tasks"]])
    diagnostics = planlint.check(["docs/plans"])
"""

from __future__ import annotations

from typing import Any

from planlint.version import __version__

__all__ = [
    "__version__",
    "check",
    "check_paths",
    "check_text",
    "constraints",
    "constraints_prompt",
    "fix_paths",
    "load_plan",
    "load_status",
    "next_batch",
]

# name -> the module that defines it, imported on first use
_API = {
    "check": "planlint.api",
    "check_paths": "planlint.api",
    "check_text": "planlint.api",
    "load_plan": "planlint.api",
    "load_status": "planlint.api",
    "constraints": "planlint.emit.document",
    "constraints_prompt": "planlint.emit.views",
    "next_batch": "planlint.emit.next",
    "fix_paths": "planlint.fix.paths",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        from importlib import import_module

        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'planlint' has no attribute {name!r}")
