"""Shared fixtures: running the real CLI, and where the shared corpus lives (if anywhere).

Also the fast default run: tests marked `slow` (real git, node, pre-commit, lock races, corpus-wide
runs, hypothesis fuzzing) are deselected unless `--all` is given (CI and the README's Quick start
run `python -m pytest --all`), a `-m` expression chooses, or the test is named by its node ID.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The fuzz properties draw the same examples on every run (CI's included), so a red run is
# reproducible and a green one stays green; `--hypothesis-profile=explore` draws fresh ones.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
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


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """A file under folder (parents made), as text in UTF-8 or as the bytes given."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--all", action="store_true", help="also run the tests marked slow: the whole suite, as CI does")


def pytest_report_header(config: pytest.Config) -> str | None:
    fast = not config.getoption("--all") and not config.getoption("markexpr")
    return "fast run: tests marked slow are deselected (`--all` runs the whole suite)" if fast else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--all") or config.getoption("markexpr"):
        return
    named = [_node_id(config, arg) for arg in config.args if "::" in arg]  # a test asked for by name runs
    keep, slow = [], []
    for item in items:
        chosen = any(item.nodeid == n or item.nodeid.startswith((n + "[", n + "::")) for n in named)
        (slow if item.get_closest_marker("slow") and not chosen else keep).append(item)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = keep


def _node_id(config: pytest.Config, arg: str) -> str:
    """A command-line test ID as pytest writes node IDs: its path relative to the rootdir."""
    path, _, rest = arg.partition("::")
    with contextlib.suppress(ValueError):  # outside the rootdir: leave it as given
        path = Path(path).resolve().relative_to(config.rootpath).as_posix()
    return f"{path}::{rest}"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
