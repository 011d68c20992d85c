"""What the reader-parity comparison finds: each difference between the two readings
(`Divergence`), the near-miss notes PL101's fix corrects (`NearMiss`), and the report of both."""

from __future__ import annotations

from typing import NamedTuple

from planlint.diagnostic import Edit
from planlint.model import Span, TaskId


class Divergence(NamedTuple):
    """One difference between the two readings, for the rule that owns `code`."""

    code: str
    span: Span
    message: str
    edits: tuple[Edit, ...] = ()
    unsafe: bool = False  # the fix is unsafe (level change, line endings, task lines edited)
    title: str = ""  # the fix's title
    newline: str | None = None  # a fix that converts the file's line endings


class NearMiss(NamedTuple):
    """A paragraph that is almost an Execution Note (PL125), and the tasks it names."""

    line: int
    phase: int | None
    named: tuple[tuple[str, str | None], ...]  # (first, last) items it names
    divergence: Divergence

    def names(self, task: TaskId) -> bool:
        for first, last in self.named:
            low, high = TaskId.parse(first), TaskId.parse(last) if last else None
            if low is None:
                continue
            if high is None and low == task:
                return True
            if high is not None and low.depth == task.depth and low <= task <= high:
                return True
        return False


class ParityReport:
    """Every divergence of one plan, computed once per check (Context.parity)."""

    def __init__(self, divergences: list[Divergence], near_misses: list[NearMiss]) -> None:
        self.divergences = divergences
        self.near_misses = near_misses

    def of(self, code: str) -> list[Divergence]:
        return [d for d in self.divergences if d.code == code]
