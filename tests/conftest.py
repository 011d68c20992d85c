"""Shared fixtures: running the real CLI, and where the shared corpus lives (if anywhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DESIGN = SHARED / "DESIGN.md"


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            input: bytes | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run `python -m planlint` in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PLANLINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "planlint", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        input=input.decode() if input is not None else None,
        timeout=120,
    )


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
