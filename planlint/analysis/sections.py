"""The plan's sections by name, as the plan standard's rules (PL009, PL010) read them.

A section is a `## ` heading and the lines up to the next heading at its level or above; names
match without emphasis, comments, a trailing colon or case.
"""

from __future__ import annotations

import re

from planlint.model import Heading, Phase, Plan
from planlint.parse.grammar import strip_comments

SECTION_LEVEL = 2  # `## Overview`, as the standard writes them

_EMPHASIS = re.compile(r"[*_`]")


def normalise(text: str) -> str:
    """Heading or label text without emphasis, comments, a trailing colon and case."""
    return " ".join(_EMPHASIS.sub("", strip_comments(text)).split()).rstrip(":").strip().casefold()


def names_heading(name: str, text: str) -> bool:
    """`Risks` names `Risks`, `Risks and Mitigations` and `Risks:`, but not `Risk Mitigation`."""
    wanted, found = normalise(name), normalise(text)
    return found == wanted or (found.startswith(wanted) and not found[len(wanted)].isalnum())


def find_section(plan: Plan, name: str) -> Heading | None:
    """The first `## name` heading of the plan."""
    return next((h for h in plan.headings if h.level == SECTION_LEVEL and names_heading(name, h.text)), None)


def section_end(plan: Plan, heading: Heading | Phase) -> int | None:
    """The line of the next heading at the same or a higher level; None: the end of the file."""
    return next((h.line for h in plan.headings if h.line > heading.line and h.level <= heading.level), None)
