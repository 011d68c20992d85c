"""The Python API as an orchestrator written in Python calls it (planlint.__all__)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import planlint
from planlint.diagnostic import Diagnostic
from planlint.errors import InputError
from planlint.model import Plan

PLAN = """# Implementation Plan: Tokens

## Phase 1: Tokens

- [ ] 1.1 Add `create_token()` to `src/tokens.py`
- [ ] 1.2 Add expiry checks to `src/tokens.py`
- [ ] 1.3 Write `docs/tokens.md` (depends: 1.1)
"""


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.md"
    path.write_text(PLAN)
    return path


def test_all_names_resolve_to_the_documented_api_functions() -> None:
    from importlib import import_module

    modules = {
        "planlint.api",
        "planlint.emit.document",
        "planlint.emit.views",
        "planlint.emit.next",
        "planlint.fix.paths",
    }
    functions = [name for name in planlint.__all__ if name != "__version__"]
    assert functions, "planlint.__all__ names no function"
    for name in functions:
        exported = getattr(planlint, name)
        assert exported.__module__ in modules, f"planlint.{name} comes from {exported.__module__}"
        assert exported is getattr(import_module(exported.__module__), name), f"planlint.{name} is not its module's"
        assert callable(exported) and exported.__doc__, f"planlint.{name} is not a documented function"
    assert re.fullmatch(r"\d+\.\d+\.\d+", planlint.__version__)
    with pytest.raises(AttributeError, match="no attribute 'no_such_function'"):
        planlint.no_such_function  # noqa: B018


def test_importing_planlint_is_cheap() -> None:
    probe = "import planlint, sys; print(' '.join(sorted(sys.modules)))"
    modules = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert "planlint.api" not in modules and "markdown_it" not in modules


def test_load_plan_and_check(plan_file: Path) -> None:
    plan = planlint.load_plan(plan_file)
    assert isinstance(plan, Plan) and [str(t.id) for t in plan.tasks()] == ["1.1", "1.2", "1.3"]
    diagnostics = planlint.check([plan_file])
    assert [d.code for d in diagnostics] == ["PL101"] and isinstance(diagnostics[0], Diagnostic)
    with pytest.raises(InputError):
        planlint.check([plan_file.with_name("missing.md")])


def test_constraints_and_next_batch(plan_file: Path, tmp_path: Path) -> None:
    plan = planlint.load_plan(plan_file)
    document = planlint.constraints(plan)
    assert document["tasks"]["1.2"]["conflictsWith"] == ["1.1"]
    assert document["waves"] == [["1.1"], ["1.2", "1.3"]]
    status_path = tmp_path / "status.json"
    status_path.write_text(json.dumps({
        "planPath": "plan.md", "planName": "Tokens", "createdAt": "2026-01-01T00:00:00Z",
        "tasks": [
            {"id": "1.1", "description": "a", "status": "in_progress"},
            {"id": "1.2", "description": "b", "status": "pending"},
            {"id": "1.3", "description": "c", "status": "pending"},
        ],
    }))  # fmt: skip
    status = planlint.load_status(status_path)
    batch = planlint.next_batch(plan, status, 3)
    assert batch["decision"] == "blocked" and batch["count"] == 0
    assert batch["heldBack"] == [
        {"id": "1.2", "reason": "shares `src/tokens.py` with 1.1 (in progress)"},
        {"id": "1.3", "reason": "waits for 1.1 (in_progress)"},
    ]
