"""Shared fixtures: running the real CLI, and where the shared corpus lives (if anywhere)."""

from __future__ import annotations

import os
import shutil
import stat
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


def writable_copy(source: Path, destination: Path, **copytree_options: object) -> Path:
    """Copy a tree (the shared corpus is read-only on disk) and make the copy writable by its owner.

    planlint refuses to rewrite a file without write permission, so a copy that keeps the corpus's
    r--r--r-- modes would make every fix a refusal.
    """
    shutil.copytree(source, destination, **copytree_options)  # type: ignore[arg-type]
    for path in [destination, *destination.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return destination


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
