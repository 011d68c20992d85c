"""GSD phase folders (DESIGN.md §7): one `NN-MM-PLAN.md` per plan, each opening with YAML front
matter (`phase`, `plan`, `wave`, `depends_on`, `files_modified`) and a body of `<task>` elements
whose `<files>` name what each task edits.

A folder's plans are read together into one Plan: each plan is one top-level task (`03-01`),
its lane is its wave (plans of one wave run at the same time, one section per wave in wave
order), its dependencies are `depends_on`, and its file references are `files_modified` plus the
body's `<files>` elements, all writes (explicit, as a Files-block line is). Spans point into the
file each plan comes from. The body's Markdown is not walked: GSD nests fences in fences, and
`<context>` `@`-references and `<output>` lines (STATE.md, SUMMARY.md) are reads or GSD's own
bookkeeping, never a plan's edits. Front matter outside the subset GSD writes is one PL001 finding
naming its line; that plan is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Block, Comment, Dependency, Phase, Plan, Span, Task, TaskId
from planlint.parse import grammar
from planlint.parse.dialects import GSD
from planlint.parse.dialects import front_matter as fm
from planlint.text import SourceText

# `03-01-PLAN.md`: the plan's ID as GSD names the file.
_FILE_ID = re.compile(r"(?P<phase>\d+(?:\.\d+)?)-(?P<plan>\d+)-PLAN\.md$", re.IGNORECASE)
_PLAN_ID = re.compile(r"(?:(?P<phase>\d+)-)?(?P<plan>\d+)")
_FILES = re.compile(r"<files>(?P<body>.*?)</files>", re.DOTALL)
_OBJECTIVE = re.compile(r"<objective>\s*(?P<first>[^\r\n<]*)")
PLAN_GLOB = "*-PLAN.md"


class _Read:
    """One plan file's front matter, as far as the plan needs it."""

    __slots__ = ("depends", "files", "id", "source", "wave", "wave_span")

    def __init__(self, source: SourceText, matter: fm.FrontMatter) -> None:
        self.source = source
        self.id = _plan_id(source.path, matter)
        wave = matter.scalars.get("wave")
        if wave is not None and not wave.text.isdigit():
            raise fm.FrontMatterError(f"wave must be a whole number, found {wave.text!r}", wave.line)
        self.wave = int(wave.text) if wave is not None else 1  # no wave: GSD's first
        self.wave_span = Span(source.path, wave.start, wave.end) if wave is not None else Span(source.path, 0, 0)
        self.depends = matter.lists.get("depends_on", [])
        self.files = matter.lists.get("files_modified", [])


class Builder:
    """The dialect's entry point for `parse_plan`: a single file read as a folder of one."""

    dialect = GSD

    def __init__(self, source: SourceText) -> None:
        self.source = source

    def walk(self, nodes: object) -> None:
        return None  # the body's Markdown is not read (see the module docstring)

    def build(self) -> Plan:
        return parse_folder(self.source, [self.source])


def parse_folder(primary: SourceText, sources: list[SourceText]) -> Plan:
    """The plans of one phase folder as one Plan whose source is `primary` (the file checked);
    `sources` holds every plan file of the folder, `primary` among them."""
    reads: list[_Read] = []
    problems: list[Diagnostic] = []
    for source in sources:
        try:
            read = _Read(source, fm.read(source.text))
        except fm.FrontMatterError as error:
            start, end = source.line_bounds(min(error.line, max(source.line_count, 1)))
            problems.append(
                Diagnostic(
                    "PL001",
                    f"GSD front matter cannot be read: line {error.line}: {error}; the plan is not checked",
                    Span(source.path, start, end),
                    Severity.ERROR,
                    "no-tasks",
                )
            )
            continue
        reads.append(read)
    ids = {read.id.parts: read.id for read in reads}
    waves: dict[int, list[Task]] = {}
    for read in sorted(reads, key=lambda r: (r.wave, r.id.parts)):
        waves.setdefault(read.wave, []).append(_task(read, ids))
    phases = tuple(
        Phase(wave, f"Wave {wave}", 2, tasks[0].span._replace(end=tasks[0].span.start), tasks[0].id_span,
              tasks[0].line, tasks[0].line, tasks=tuple(tasks))
        for wave, tasks in sorted(waves.items())
    )  # fmt: skip
    return Plan(
        source=primary,
        title=None,
        phases=phases,
        comments=tuple(comment for source in sources for comment in _comments(source)),
        problems=tuple(problems),
        dialect=GSD,
        sources=tuple(sources),
    )


def _comments(source: SourceText) -> list[Comment]:
    """Every HTML comment of one plan file, suppression directives among them. The body is not
    read as Markdown (see the module docstring), so a comment inside a code fence counts too."""
    found = []
    for start, end in grammar.html_comments(source.text):
        line, _ = source.position(start)
        end_line, _ = source.position(end)
        found.append(Comment(source.text[start + 4 : end - 3].strip(), line, end_line, source.path))
    return found


def _plan_id(path: Path, matter: fm.FrontMatter) -> TaskId:
    """`03-01` from the file name, else from the front matter's `phase` and `plan`."""
    named = _FILE_ID.search(path.name)
    if named is not None:
        phase, plan = named.group("phase"), named.group("plan")
    else:
        phase_value, plan_value = matter.scalars.get("phase"), matter.scalars.get("plan")
        number = re.match(r"\d+", phase_value.text) if phase_value is not None else None
        phase = number.group() if number is not None else "0"
        plan = plan_value.text if plan_value is not None and plan_value.text.isdigit() else "0"
    first = phase.split(".")[0]
    return TaskId((int(first), int(plan)), f"{phase}-{plan}")


def _target(text: str, read: _Read, ids: dict[tuple[int, ...], TaskId]) -> TaskId | None:
    """A `depends_on` entry (`03-01`, `"01"`) as the ID of the plan it names."""
    match = _PLAN_ID.fullmatch(text.strip())
    if match is None:
        return None
    phase = int(match.group("phase")) if match.group("phase") else read.id.parts[0]
    parts = (phase, int(match.group("plan")))
    return ids.get(parts) or TaskId(parts, text.strip())


def _task(read: _Read, ids: dict[tuple[int, ...], TaskId]) -> Task:
    source, path = read.source, read.source.path
    text = source.text
    plan_value = _value_span(read)
    line = source.position(plan_value.start)[0]
    dependencies = []
    for value in read.depends:
        target = _target(value.text, read, ids)
        if target is not None:
            dependencies.append(Dependency(target, Span(path, value.start, value.end)))
    blocks = [Block("text", Span(path, v.start, v.end), "mode:write") for v in read.files]
    for files in _FILES.finditer(text):
        blocks.append(Block("text", Span(path, files.start("body"), files.end("body")), "mode:write"))
    objective = _OBJECTIVE.search(text)
    return Task(
        id=read.id,
        id_text=str(read.id),
        phase=read.wave,
        checked=None,
        text=objective.group("first").strip() if objective else str(read.id),
        span=Span(path, 0, len(text)),
        id_span=plan_value,
        line=line,
        dependencies=tuple(dependencies),
        blocks=tuple(blocks),
        lane=read.wave,
    )


def _value_span(read: _Read) -> Span:
    """Where a finding about the plan points: its `wave:` value (the line a fix edits)."""
    return read.wave_span


def declared_end(text: str) -> int:
    """Where a plan's front matter ends: references before it are declared in `files_modified`."""
    try:
        return fm.read(text).end
    except fm.FrontMatterError:
        return 0
