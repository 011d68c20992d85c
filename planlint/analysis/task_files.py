"""Which files each task touches, and how (DESIGN.md §2): file references resolved against the
repository, bare symbols placed in the one Python file that defines them, each with the mode its
governing verb gives (read, write, create; unknown defaults to write).

The conflict model (`planlint.analysis.conflicts`) and PL301 read these accesses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from planlint.analysis.access import Mode, Vocabulary, governing_mode, governing_verb, head_mode
from planlint.analysis.files import FileIndex, Resolved, resolve
from planlint.analysis.references import PlanReferences, Reference, RefKind
from planlint.model import Task, TaskId

if TYPE_CHECKING:
    from planlint.analysis.symbols import SymbolIndex


class FileAccess(NamedTuple):
    """One reference of a unit to a file, with its mode."""

    unit: TaskId
    task: TaskId  # the task or step whose text names it
    key: str
    kind: RefKind
    mode: Mode
    reference: Reference
    exists: bool
    verb: str | None = None  # the verb of its own that governs a path ("update"), None for a mention


def collect_accesses(
    references: PlanReferences, index: FileIndex | None, vocabulary: Vocabulary, symbol_index: SymbolIndex | None
) -> dict[TaskId, list[FileAccess]]:
    """Unit -> every file reference of its task and steps that resolves to a file, with its mode.
    `symbol_index` (the check's, under the config's `src` roots) places bare symbols in files."""
    plan = references.plan
    tasks = list(plan.tasks())
    found = [[references.of(block) for block in task.blocks] for task in tasks]
    symbols = [r for refs in found for block in refs for r in block if r.kind is RefKind.SYMBOL]
    symbol_files = _symbol_files(index, symbols, symbol_index)
    accesses: dict[TaskId, list[FileAccess]] = {}
    text_path, text = None, ""
    for task, task_references in zip(tasks, found, strict=True):
        if not any(task_references):
            continue  # most tasks name no file: their head verb is never asked for
        unit = plan.unit_of(task).id
        if task.span.path is not text_path:  # a GSD folder's plans come from several files
            text_path, text = task.span.path, plan.text_of(task.span.path)
        fallback = _Fallback(text, task, task_references, vocabulary)
        for number, (block, block_references) in enumerate(zip(task.blocks, task_references, strict=True)):
            if not block_references:
                continue
            block_text = text[block.span.start : block.span.end]
            # a Files-block line: its label is explicit (DESIGN.md §7)
            labelled = Mode(block.info[5:]) if block.info.startswith("mode:") else None
            for reference in block_references:
                is_path = reference.kind is not RefKind.SYMBOL
                resolved = resolve(reference, index) if is_path else symbol_files.get(reference.text)
                if resolved is None:
                    continue
                position = reference.span.start - block.span.start
                mode = _mode_of(reference, block_text, position, number, fallback, vocabulary)
                if labelled is not None and is_path:
                    mode = labelled
                verb = governing_verb(block_text, position, vocabulary) if is_path else None
                access = FileAccess(unit, task.id, resolved.key, resolved.kind, mode, reference, resolved.exists, verb)
                if unit in accesses:
                    accesses[unit].append(access)
                else:
                    accesses[unit] = [access]
    return accesses


class _Fallback:
    """The mode a reference of a task's later block takes when nothing in its clause governs it:
    that of the task's head verb, read on first need (most references have a verb of their own)."""

    __slots__ = ("_mode", "_read", "references", "task", "text", "vocabulary")

    def __init__(self, text: str, task: Task, references: list[tuple[Reference, ...]], vocabulary: Vocabulary) -> None:
        self.text, self.task, self.references, self.vocabulary = text, task, references, vocabulary
        self._mode: Mode | None = None
        self._read = False

    def mode(self) -> Mode | None:
        if not self._read:
            self._read = True
            mode = head_mode(_head_text(self.text, self.task), self.vocabulary)
            if mode is not None and mode.writes and any(r.is_path for r in self.references[0]):
                # "Update `docs/x.md`:" with bullets that mention other files: the bullets describe
                # what to write into x.md, so a file they mention without a verb of its own is read.
                mode = Mode.READ
            self._mode = mode
        return self._mode


def _symbol_files(
    index: FileIndex | None, symbols: list[Reference], symbol_index: SymbolIndex | None
) -> dict[str, Resolved]:
    """Symbol text -> the one Python file under `src` that defines it (`_build_prompt()` is
    `scripts/orchestrator.py`). A symbol defined in several files, or in none, stays unresolved
    (DESIGN.md §2). Files are parsed only when their text contains a name the plan cites."""
    if index is None or symbol_index is None or not symbols:
        return {}
    from planlint.parse.python import symbol_name

    names = {r.text: symbol_name(r.text) for r in symbols}
    symbol_index.prefetch(names.values())
    found = {text: symbol_index.resolve(name) for text, name in names.items()}
    return {text: Resolved(path, RefKind.FILE, True) for text, path in found.items() if path is not None}


def _head_text(text: str, task: Task) -> str:
    first = task.blocks[0].span if task.blocks else task.span
    return text[first.start : first.end]


def _mode_of(reference: Reference, block_text: str, position: int, block_number: int,
             fallback: _Fallback, vocabulary: Vocabulary) -> Mode:  # fmt: skip
    if reference.command_write:
        return Mode.CREATE if reference.kind is RefKind.DIRECTORY else Mode.WRITE
    mode = governing_mode(block_text, position, vocabulary)
    if mode is None and block_number > 0:
        mode = fallback.mode()
    if mode is Mode.OUTPUT and "/" in reference.text:
        return Mode.CREATE  # "Generate `docs/api.md`": a file of this repository after all
    return mode or Mode.WRITE  # DESIGN.md §2: unknown defaults to write
