"""The parsed plan: immutable value objects that every rule, fix and emit reads.

Built once by `planlint.parse.plan`; rules never see markdown-it tokens. Every node carries a
Span into the original text, so any finding can point at the exact place.

Value objects across planlint are `typing.NamedTuple`s rather than frozen slots dataclasses (the
STYLE.md default): on Python 3.11 such a dataclass costs about 0.3 ms to define, because it
compiles a dozen methods, and a NamedTuple a fifth of that; `planlint check` defines about forty
before it reads a plan, and its startup has a target (benchmarks/README.md); a NamedTuple is also
twice as fast to create. They are tuples underneath: never iterate, index or compare one with a
plain tuple. Classes that need a cached property or mutable state (`Plan`) stay dataclasses;
internal classes that need neither equality nor a repr are plain classes.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from planlint.text import Span as Span  # its home is text.py, below diagnostic.py

if TYPE_CHECKING:
    from planlint.diagnostic import Diagnostic
    from planlint.text import SourceText


# The plan formats planlint reads (DESIGN.md §7); `planlint.parse.dialects` reads each.
DIALECTS: tuple[str, ...] = ("phased", "spec-kit", "kiro", "files-block", "gsd")


_TASK_ID = re.compile(r"\d+(?:\.\d+){1,2}")


class TaskId(NamedTuple):
    """A task ID in numeric order: `3.2` < `3.10` (DESIGN.md §2, range semantics).

    `label` is the author's spelling when it is not the dotted numbers (spec-kit's `T001`, a
    Kiro major task `1.`): every message and output prints it. Phased IDs leave it empty, so
    their IDs stay one-field tuples to build, hash and compare.
    """

    parts: tuple[int, ...]
    label: str = ""

    @classmethod
    def parse(cls, text: str) -> TaskId | None:
        """`3.2` or `3.2.1`; None for anything else (`1.2.3.4`, `1.a`)."""
        if not _TASK_ID.fullmatch(text):
            return None
        return cls(tuple(map(int, text.split("."))))

    @property
    def phase(self) -> int:
        return self.parts[0]

    @property
    def depth(self) -> int:
        return len(self.parts)

    def extends(self, other: TaskId) -> bool:
        """True when this ID is a child of `other` (`1.2.1` extends `1.2`)."""
        return len(self.parts) > len(other.parts) and self.parts[: len(other.parts)] == other.parts

    def __str__(self) -> str:
        return self.label or ".".join(map(str, self.parts))


class Dependency(NamedTuple):
    """A task ID named in `(depends: 1.1)`, `(depends on 1.1)` or `Depends on: 1.1`."""

    target: TaskId
    span: Span


class Block(NamedTuple):
    """A piece of a task's own body: prose (`text`) or a fenced code block (`code`)."""

    kind: str  # "text" | "code"
    span: Span
    info: str = ""  # a code fence's info string (`bash`, `json`)


class Task(NamedTuple):
    """A list item whose text starts with a task ID (DESIGN.md §2).

    A task nested inside another task is a *step* (`parent` is set): the orchestrator schedules
    only top-level tasks, and a step's file references count as its task's.
    """

    id: TaskId
    id_text: str
    phase: int  # number of the enclosing phase
    checked: bool | None  # None: a plain or bold-ID item without a checkbox
    text: str  # first line's inline text after the ID, HTML comments removed
    span: Span  # the whole list item
    id_span: Span
    line: int
    parent: TaskId | None = None
    group: TaskId | None = None  # a `### 1.2 Title` heading this task sits under
    verify: bool = False  # listed under a `**VERIFY Phase N:**` block
    dependencies: tuple[Dependency, ...] = ()
    blocks: tuple[Block, ...] = ()  # own body, excluding nested tasks
    # Dialects other than `phased` (DESIGN.md §7): the key of the set of consecutive tasks that
    # may run at the same time (None: the task's phase), and the parallel marker (`[P]`, `(P)`)
    # that put the task in it, which PL101's fix drops.
    lane: int | None = None
    parallel_marker: Span | None = None

    @property
    def is_step(self) -> bool:
        return self.parent is not None


class TaskGroup(NamedTuple):
    """A `### 1.2 Title` heading inside a phase; the tasks under it are its members."""

    id: TaskId
    title: str
    phase: int
    span: Span
    id_span: Span
    line: int


class Marker(enum.Enum):
    SEQUENTIAL = "SEQUENTIAL"
    PARALLEL = "PARALLEL"


class NoteItem(NamedTuple):
    """One thing a note names: a single ID (`3.1`) or a range (`3.1-3.4`)."""

    first: str
    last: str | None
    span: Span

    @property
    def is_range(self) -> bool:
        return self.last is not None

    def __str__(self) -> str:
        return self.first if self.last is None else f"{self.first}-{self.last}"


class ExecutionNote(NamedTuple):
    """A `**Execution Note:**` paragraph (DESIGN.md §2).

    `scope` is "tasks" or "phases" (what the items number), or None when the note names neither.
    `groups` splits the items into the groups the note declares: `Tasks 2.1-2.3 and 2.5-2.6 are
    [SEQUENTIAL]` holds two groups; a list of single IDs is one group.
    """

    span: Span
    line: int
    text: str
    marker: Marker | None
    marker_span: Span | None
    scope: str | None
    groups: tuple[tuple[NoteItem, ...], ...]
    reason: str
    phase: int | None  # the phase the note stands in
    prose_parallel: bool = False  # says "in parallel" in words, without a marker

    @property
    def items(self) -> tuple[NoteItem, ...]:
        return tuple(item for group in self.groups for item in group)


class PipelineTrigger(NamedTuple):
    """`pipeline-start: when 1.3 completes`: the phase may start once that task is done."""

    task: TaskId
    span: Span


class VerifyBlock(NamedTuple):
    """`**VERIFY Phase N:**` (or `**VERIFY N:**`, or a `- [ ] **VERIFY N**` checkpoint)."""

    phase: int | None  # the number written after VERIFY, if any
    span: Span
    line: int
    non_blocking: bool = False
    bold: bool = True
    checkpoint: bool = False  # the `- [ ] **VERIFY 1**: text` checkbox form


class Phase(NamedTuple):
    """A `Phase N` heading and everything up to the next phase heading of its level or higher."""

    number: int
    title: str
    level: int
    heading: Span  # the heading line
    number_span: Span
    line: int
    end_line: int
    note: str = ""  # a heading suffix like `(Depends on Phase 1)`
    tasks: tuple[Task, ...] = ()  # every task item, steps included, in document order
    groups: tuple[TaskGroup, ...] = ()
    notes: tuple[ExecutionNote, ...] = ()
    verify: tuple[VerifyBlock, ...] = ()
    pipeline_start: PipelineTrigger | None = None

    @property
    def top_level_tasks(self) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if t.parent is None)

    @property
    def non_blocking_verify(self) -> bool:
        return any(v.non_blocking for v in self.verify)


class Heading(NamedTuple):
    """Any heading, kept for the structure rules (sections, levels)."""

    level: int
    text: str
    span: Span
    line: int


class Comment(NamedTuple):
    """An HTML comment outside code: suppression directives live here."""

    text: str
    line: int
    end_line: int
    path: Path | None = None  # its file, when the plan spans several (a GSD folder); None: the plan's


class Checkbox(NamedTuple):
    """An ID-less checkbox inside a phase (acceptance criteria): not a task (DESIGN.md §2)."""

    phase: int
    text: str
    line: int
    checked: bool


class MalformedId(NamedTuple):
    """An item in a phase that starts like a task ID but is not N.M or N.M.K (PL004)."""

    text: str
    span: Span
    phase: int


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything planlint knows about one plan file."""

    source: SourceText
    title: str | None
    phases: tuple[Phase, ...]
    headings: tuple[Heading, ...] = ()
    notes: tuple[ExecutionNote, ...] = ()  # every note, inside phases or not
    comments: tuple[Comment, ...] = ()
    malformed_ids: tuple[MalformedId, ...] = ()
    checkboxes: tuple[Checkbox, ...] = ()  # ID-less checkboxes inside phases
    problems: tuple[Diagnostic, ...] = ()  # what the parser could not understand
    looks_like_plan: bool = True
    dialect: str = "phased"  # the format it was read as (DESIGN.md §7, `planlint.parse.dialects`)
    # Every file the plan was read from when it spans several (a GSD phase folder), `source`
    # among them; empty for a plan of one file.
    sources: tuple[SourceText, ...] = ()

    @property
    def path(self) -> Path:
        return self.source.path

    def text_of(self, path: Path) -> str:
        """The text of the file a span points into (the plan's own, or a sibling's)."""
        if path == self.source.path or not self.sources:
            return self.source.text
        return self._texts.get(path, self.source.text)

    @cached_property
    def _texts(self) -> dict[Path, str]:
        return {source.path: source.text for source in self.sources}

    def tasks(self) -> Iterator[Task]:
        """Every task in document order, steps included."""
        for phase in self.phases:
            yield from phase.tasks

    @cached_property
    def task_index(self) -> dict[TaskId, Task]:
        """First occurrence of each ID (duplicates are PL002's business)."""
        index: dict[TaskId, Task] = {}
        for task in self.tasks():
            index.setdefault(task.id, task)
        return index

    @cached_property
    def group_index(self) -> dict[TaskId, TaskGroup]:
        return {g.id: g for phase in self.phases for g in phase.groups}

    def task(self, task_id: TaskId) -> Task | None:
        return self.task_index.get(task_id)

    @cached_property
    def phase_index(self) -> dict[int, Phase]:
        """First phase of each number (a number used twice is PL006's business)."""
        index: dict[int, Phase] = {}
        for phase in self.phases:
            index.setdefault(phase.number, phase)
        return index

    def phase(self, number: int) -> Phase | None:
        return self.phase_index.get(number)

    def unit_of(self, task: Task) -> Task:
        """The top-level task that the orchestrator schedules for this task or step."""
        while task.parent is not None:
            parent = self.task_index.get(task.parent)
            if parent is None:
                break
            task = parent
        return task
