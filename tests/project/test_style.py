"""The code passes ruff's lint and format checks under the settings in pyproject.toml, so the next
change starts from a clean tree and a review reads only what it changed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_code_passes_ruff(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", "."],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reads_every_python_module_of_the_package_and_tests() -> None:
    # the exclusion of the rule-example folder `rules/` once matched `planlint/rules/` and
    # `tests/rules/` too, and 29 findings there went unseen
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--show-files", "--no-cache", "planlint", "tests"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    shown = {line.strip() for line in result.stdout.splitlines()}
    expected = {
        str(path)
        for folder in ("planlint", "tests")
        for path in (REPO / folder).rglob("*.py")
        if "tests/data" not in path.as_posix()
    }
    assert expected - shown == set()
