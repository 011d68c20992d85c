"""Running the real CLI on a small example project in a temporary folder, shown as if it ran
in SHOWN_ROOT (for index.md and output-formats.md)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _pages.common import REPO, SHOWN_ROOT, fenced

CHECKOUT_PLAN = """\
# Implementation Plan: Checkout retries

## Phase 1: Retry logic

- [ ] 1.1 Add a retry policy to `src/checkout/payment.py`
- [ ] 1.2 Log each retry attempt in `src/checkout/payment.py`
- [ ] 1.3 Document the retry settings in `docs/checkout.md`

## Phase 2: Rollout

- [ ] 2.1 Enable retries for card payments in `src/checkout/config.py` (depends: 1.4)
"""
INDEX_PLAN = CHECKOUT_PLAN.split("\n## Phase 2", 1)[0] + "\n"
PLAN_PATH = "docs/plans/checkout-retries.md"


class Project:
    """A project folder holding one plan, where the real CLI runs (see `project`)."""

    def __init__(self, root: Path, plan: str) -> None:
        self.root = root
        (root / ".git").mkdir()  # config lookup stops here, as in a real repository
        self.plan = root / PLAN_PATH
        self.plan.parent.mkdir(parents=True)
        self.plan.write_text(plan, encoding="utf-8")
        for cited in re.findall(r"`([\w./-]+\.\w+)`", plan):  # the files the plan modifies exist
            (root / cited).parent.mkdir(parents=True, exist_ok=True)
            (root / cited).touch()

    def run(self, command: str) -> tuple[str, str]:
        """(stdout, stderr) of a `planlint ...` command line, with the folder's path replaced."""
        hidden = ("GITHUB_ACTIONS", "PLANLINT_DEBUG", "NO_COLOR")
        env = {k: v for k, v in os.environ.items() if k not in hidden}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        args = shlex.split(command)
        assert args[0] == "planlint", command
        done = subprocess.run(
            [sys.executable, "-m", "planlint", *args[1:]],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,  # exit 1 (findings) is what the examples show
        )
        if done.returncode not in (0, 1) or "internal error" in done.stderr:
            # A page must never show a crash as if it were planlint's output.
            raise SystemExit(f"docs/_generate.py: `{command}` failed:\n{done.stderr}")
        return self._portable(done.stdout), self._portable(done.stderr)

    def _portable(self, text: str) -> str:
        text = text.replace(self.root.as_uri(), Path(SHOWN_ROOT).as_uri())
        return text.replace(str(self.root), SHOWN_ROOT)


@contextmanager
def project(plan: str) -> Iterator[Project]:
    with tempfile.TemporaryDirectory(prefix="planlint-docs-") as folder:
        yield Project(Path(folder).resolve(), plan)


def console(command: str, stdout: str, stderr: str = "") -> str:
    return fenced(f"$ {command}\n{stdout}{stderr}".rstrip("\n"), "console")
