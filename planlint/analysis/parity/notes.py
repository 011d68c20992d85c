"""PL123 and PL125: Execution Notes the orchestrator misreads, and paragraphs or markers that are
almost a note, with their fixes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from itertools import pairwise

from planlint.analysis.depends_clause import contiguous, depends_edit, sort_ids, unit_dependencies
from planlint.analysis.parity.comparison import Comparison, count_word, occurrences
from planlint.analysis.parity.findings import Divergence, NearMiss
from planlint.analysis.reader import NOTE_LABEL, OrchestratorReading
from planlint.diagnostic import Edit
from planlint.model import ExecutionNote, Span, TaskId
from planlint.parse import grammar
from planlint.text import and_list

_LABEL_LIKE = re.compile(
    r"[ \t>]*(?:[-*+][ \t]+)?(?P<label>(?:\*{1,2}|_{1,2})?[ \t]*Execution[ \t]+Notes?[ \t]*"
    r"(?:(?:\*{1,2}|_{1,2})[ \t]*:?|:[ \t]*(?:\*{1,2}|_{1,2})?))",
    re.IGNORECASE,
)
_NOTE_SUBJECT = re.compile(r"\d+\.\d|\btasks?\b|\bphases?\b|\[", re.IGNORECASE)
_BRACKETED = re.compile(r"[\[(]\s*(?P<word>[A-Za-z]{3,14})\s*[\])]")
_BARE_SEQUENTIAL = re.compile(r"(?<![\[\w])sequential(?:ly)?\b(?!\])", re.IGNORECASE)
CANONICAL_LABEL = "**Execution Note:**"
_REASON_ITEMS = re.compile(
    r"^(?:tasks?\b|(?=\d+\.\d))[\s\d.,;&+\-–—]*(?:\b(?:and|to|through|are|is)\b[\s\d.,;&+\-–—]*)*", re.IGNORECASE
)


class NoteChecks(Comparison):
    def label_near_miss(self, note: ExecutionNote) -> bool:
        label = _LABEL_LIKE.match(self.source.text, note.span.start)
        if label is None:
            return False
        written = label.group("label").strip()
        return written.lower() not in {CANONICAL_LABEL.lower(), "**execution note**:"}

    def note_divergence(self, note: ExecutionNote, groups: list[list[str]], reading: OrchestratorReading) -> None:
        read = [g for g in reading.groups if note.span.start <= g.offset < note.span.end]
        ours = "; ".join(and_list(g) for g in groups)
        if not read:
            why = self.note_problem(note)
            message = f"the orchestrator does not read this note ({why}): tasks {ours} are not ordered"
        elif all(len(g.task_ids(limit=2)) <= 1 for g in read):
            labels = ", ".join(g.label for g in read)
            count = count_word(len(read))
            message = f"the orchestrator reads `Tasks {labels}` as {count} groups of one task: nothing orders {ours}"
        else:
            labels = "; ".join(f"`{g.label}`" for g in read)
            message = f"the orchestrator reads this note as the groups {labels}: tasks {ours} are not all ordered"
        self.add("PL123", note.span, message, **self.note_fix(note, groups))

    def note_problem(self, note: ExecutionNote) -> str:
        raw = self.source.text[note.span.start : note.span.end]
        head = raw.split("[", 1)[0] if note.marker_span else raw
        if not NOTE_LABEL.match(raw):
            return "it reads only the label `**Execution Note:**`"
        if note.marker_span is not None and note.marker_span.start < (note.items[0].span.start if note.items else 0):
            return "the marker stands before the tasks"
        if re.search(r"\band\b", head, re.IGNORECASE):
            return "`and` between task ranges"
        if re.search(r"\b(?:to|through)\b|\.\.", head, re.IGNORECASE):
            return "`to` in a range; it reads `A-B`"
        if re.search(r"\d\s*[-–—]?\s*\n\s*[-–—]?\s*\d", head):
            return "the note is broken over lines inside its task list"
        if re.search(r"[–—]", head):
            return "a dash other than `-` in a range"
        if re.search(r"\d\s+-|-\s+\d", head):
            return "spaces around the dash of a range"
        if re.search(r"\d+\.\d+\.\d+", head):
            return "it does not expand three-part IDs"
        if not re.search(r"\btasks?\b", head, re.IGNORECASE):
            return "it reads `Tasks A-B are [SEQUENTIAL]` only"
        if not re.search(r"\b(?:are|is)\s+\[", raw, re.IGNORECASE):
            return "it reads `are [SEQUENTIAL]` or `is [SEQUENTIAL]` only"
        return "it reads `Tasks A-B are [SEQUENTIAL] - reason` only"

    def note_fix(self, note: ExecutionNote, groups: list[list[str]]) -> dict[str, object]:
        """One `Tasks A-B` note per contiguous group; other groups become `(depends: …)` chains."""
        phase = self.plan.phase(note.phase) if note.phase is not None else None
        if phase is None:
            return {}
        siblings = sorted({t.id for t in phase.top_level_tasks} | {g.id for g in phase.groups})
        reason = _REASON_ITEMS.sub("", note.reason) or "run one at a time"
        lines: list[str] = []
        chains: dict[TaskId, set[str]] = {}
        all_groups = [
            sort_ids(str(t) for t in g.tasks)
            for g in self.notes.sequential
            if g.note.line == note.line and len(g.tasks) > 1
        ]
        for group in all_groups:
            ids = [TaskId.parse(i) for i in group]
            task_ids = [i for i in ids if i is not None]
            if contiguous(task_ids, siblings):
                lines.append(f"{CANONICAL_LABEL} Tasks {task_ids[0]}-{task_ids[-1]} are [SEQUENTIAL] - {reason}")
            else:
                for before, after in pairwise(task_ids):
                    chains.setdefault(after, set()).add(str(before))
        edits: list[Edit] = []
        for task_id, extra in sorted(chains.items()):
            task = self.plan.task(task_id)
            if task is None:
                return {}
            edit = depends_edit(self.plan, task, unit_dependencies(self.plan, task, self.steps) | extra)
            if edit is not None:
                edits.append(edit)
        new = "\n\n".join(lines)
        start, end = note.span.start, note.span.end
        if not lines:
            # nothing left for a note to say: remove the paragraph and the blank line after it
            following = self.source.text[end : end + 2]
            end += len(following) - len(following.lstrip("\n"))
        edits.append(Edit(Span(self.path, start, end), new))
        title = "rewrite the note as the orchestrator reads it"
        return {"edits": tuple(edits), "unsafe": bool(chains), "title": title}

    def near_miss_notes(self) -> None:
        seen: set[int] = set()
        code_lines = getattr(self, "code_lines", None)
        if code_lines is None:
            code_lines = self.code_lines = self.fenced_lines()
        notes_by_line = {n.line: n for n in self.plan.notes}
        grouped = {t for group in self.notes.sequential for t in group.tasks}
        for number in self.label_lines():
            if number in code_lines:
                continue
            start, end = self.source.line_bounds(number)
            label = _LABEL_LIKE.match(self.source.text, start, end)
            if label is None:
                continue
            note = notes_by_line.get(number)
            para_end = note.span.end if note is not None else end
            rest = self.source.text[label.end() : para_end]
            if not _NOTE_SUBJECT.search(rest):
                continue
            written = label.group("label").strip()
            lead = label.start("label") + (len(label.group("label")) - len(label.group("label").lstrip()))
            what, edits, has_marker = self.corrections(label, written, lead, rest)
            if not what or number in seen:
                continue
            seen.add(number)
            if written.lower() == "**execution note**:" and not edits[:-1] and len(what) == 1 and has_marker:
                continue
            item_text = rest.split("[", 1)[0]
            named = tuple(
                (m.first, m.last) for g in grammar.parse_note("Tasks " + _ids_only(item_text)).groups for m in g
            )
            divergence = Divergence(
                "PL125",
                Span(self.path, lead, para_end),
                "; ".join(what)
                + (
                    ": the orchestrator does not read it"
                    if note is not None and note.marker
                    else ": neither planlint nor the orchestrator reads it"
                ),
                edits=tuple(edits),
                title="correct the note's "
                + ("label and marker" if len(edits) > 1 else "label" if "label" in what[0] else "marker"),
            )
            phase = self.phase_at(number)
            near = NearMiss(number, phase, named, divergence)
            if not (note is not None and note.marker) and (
                any(near.names(t) for t in grouped) or not self.resolvable(named, phase)
            ):
                # corrected, it would name an unknown task or put one in a second group: left to a person
                near = near._replace(divergence=divergence._replace(edits=()))
                divergence = near.divergence
            self.near.append(near)
            self.out.append(divergence)

    def corrections(
        self, label: re.Match[str], written: str, lead: int, rest: str
    ) -> tuple[list[str], list[Edit], bool]:
        """What is off about a near-miss note's label and marker, the edits that correct them, and
        whether it has a marker as written."""
        edits: list[Edit] = []
        what: list[str] = []
        if written.lower() not in {CANONICAL_LABEL.lower(), "**execution note**:"}:
            what.append(f"`{written}` looks like the label `{CANONICAL_LABEL}`")
            edits.append(Edit(Span(self.path, lead, lead + len(written)), CANONICAL_LABEL))
        has_marker = re.search(r"\[(?:SEQUENTIAL|PARALLEL)\]", rest, re.IGNORECASE) is not None
        if not has_marker:
            marker = self.near_marker(rest, label.end())
            if marker is not None:
                what.append(marker[0])
                edits.append(marker[1])
        return what, edits, has_marker

    def resolvable(self, named: tuple[tuple[str, str | None], ...], phase: int | None) -> bool:
        """Every item names a task or task group of the note's phase, ranges in order."""
        if not named or phase is None:
            return False
        for first, last in named:
            ends = [TaskId.parse(first), TaskId.parse(last) if last else None]
            for end in ends[: 2 if last else 1]:
                if end is None:
                    return False
                task = self.plan.task(end)
                group = self.plan.group_index.get(end)
                if (task.phase if task else group.phase if group else None) != phase:
                    return False
            if last and ends[1] is not None and ends[0] is not None and not ends[0] < ends[1]:
                return False
        return True

    def near_marker(self, rest: str, base: int) -> tuple[str, Edit] | None:
        for match in _BRACKETED.finditer(rest):
            word = match.group("word").upper()
            target = _near_marker_word(word)
            if target is not None:
                span = Span(self.path, base + match.start(), base + match.end())
                return f"`{match.group()}` looks like the marker `[{target}]`", Edit(span, f"[{target}]")
        bare = _BARE_SEQUENTIAL.search(rest)
        if bare is not None:
            span = Span(self.path, base + bare.start(), base + bare.end())
            return f"`{bare.group()}` without brackets looks like the marker `[SEQUENTIAL]`", Edit(span, "[SEQUENTIAL]")
        return None

    def label_lines(self) -> Iterable[int]:
        """The lines `_LABEL_LIKE` can match, in order: those holding `xecut` in any case. Those
        letters fold to ASCII only, so they are found in the text's UTF-8 bytes, lower-cased,
        rather than line by line (in a file with a CR, every line is tried)."""
        text = self.source.text
        if "\r" in text:
            return range(1, self.source.line_count + 1)
        data = text.encode("utf-8", "surrogatepass").lower()
        numbers: dict[int, None] = {}
        line, counted = 1, 0
        for found in occurrences(data, b"xecut"):
            line += data.count(b"\n", counted, found)
            counted = found
            numbers[line] = None
        return numbers

    def phase_at(self, line: int) -> int | None:
        """The number of the phase whose lines hold `line` (the last one, in a folder of plans)."""
        return self.phase_of_line.get(line)

    @cached_property
    def phase_of_line(self) -> dict[int, int]:
        result: dict[int, int] = {}
        for phase in self.plan.phases:
            for number in range(phase.line, phase.end_line + 1):
                result[number] = phase.number
        return result


def _ids_only(text: str) -> str:
    return " ".join(re.findall(r"\d+(?:\.\d+)+(?:\s*[-–—]\s*\d+(?:\.\d+)+)?", text))


def _near_marker_word(word: str) -> str | None:
    """SEQUENTIAL or PARALLEL when `word` is a misspelling or abbreviation of it."""
    if word in {"SEQUENTIAL", "PARALLEL"}:
        return None
    for target in ("SEQUENTIAL", "PARALLEL"):
        if len(word) >= 3 and target.startswith(word):
            return target
        if _distance(word, target) <= 2:
            return target
    return None


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
