"""What every page generator shares: where things are, the do-not-edit line, code fences."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
RULES_DIR = REPO / "rules"
CATALOGUE_FILE = REPO / "planlint" / "catalogue.py"  # the rule catalogue, generated from the rule classes too
DO_NOT_EDIT = "do not edit; run `python docs/_generate.py`"
MARKER = re.compile(r"\s*<!--\s*expect:[^>]*-->")
BLOCK = re.compile(
    r"(?P<open><!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)"
    r"(?P<close><!-- end generated: (?P=name) -->)",
    re.DOTALL,
)
# Where the example project of index.md and output-formats.md lives on "your" machine: the
# temporary folder it really ran in is replaced by this, so the pages do not change per run.
SHOWN_ROOT = "/home/you/project"


def fenced(text: str, language: str) -> str:
    """A code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text.rstrip("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def wrap(text: str) -> str:
    """A paragraph wrapped at 100 columns, as the hand-written pages are."""
    return textwrap.fill(" ".join(text.split()), 100, break_long_words=False, break_on_hyphens=False)
