"""The fix loop: lint, apply non-overlapping fixes bottom-up, repeat, then verify before writing.

A plan and its status.json are fixed together in memory. Each pass applies the fixes whose edits
do not overlap an edit already accepted in that pass (the rest wait for the next pass). After at
most MAX_PASSES passes the result is checked as mdformat does: the plan must still parse to the
same outline (phases, task IDs, checkbox states, file references), the status must still be
JSON, every fixed finding must be gone and no code may have more findings than before. If any
check fails nothing is written and the outcome says why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from planlint.config import Config
from planlint.diagnostic import Applicability, Diagnostic, Edit, Fix, apply_edits, overlaps
from planlint.engine import dialect_of, lint_plan
from planlint.model import Plan
from planlint.parse.plan import parse_plan
from planlint.parse.status import Status, parse_status
from planlint.text import SourceText

MAX_PASSES = 10


@dataclass
class FixOutcome:
    """What `fix` did to one plan (and its status.json), before anything is written."""

    originals: dict[Path, SourceText]
    texts: dict[Path, str]
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    refused: str | None = None  # why the fixes were thrown away
    fixable: int = 0  # findings with an applicable fix before fixing: what `check` counts as fixable

    def originals_after(self) -> dict[Path, SourceText]:
        """SourceTexts of the fixed texts, to locate the remaining diagnostics."""
        return {
            path: SourceText.from_text(text, path, bom=self.originals[path].bom) for path, text in self.texts.items()
        }

    def changed(self) -> dict[Path, tuple[SourceText, str]]:
        return {
            path: (self.originals[path], text) for path, text in self.texts.items() if text != self.originals[path].text
        }


def fix_pair(
    plan_source: SourceText,
    status_source: SourceText | None,
    config: Config,
    *,
    unsafe: bool = False,
    root: Path | None = None,
    siblings: tuple[SourceText, ...] = (),
) -> FixOutcome:
    """Fix a plan and its status.json together; `siblings` are the other plan files of a GSD
    phase folder, read (and fixed) with it as one plan (DESIGN.md §7)."""
    originals = {plan_source.path: plan_source}
    if status_source is not None:
        originals[status_source.path] = status_source
    for sibling in siblings:
        originals[sibling.path] = sibling
    texts = {path: source.text for path, source in originals.items()}
    outcome = FixOutcome(originals, dict(texts))

    dialect = dialect_of(config, plan_source.path)

    def lint(current: dict[Path, str]) -> tuple[Plan, Status | None, list[Diagnostic]]:
        plan = _parse(plan_source, siblings, current, dialect)
        status = None
        if status_source is not None:
            status = parse_status(_with_text(status_source, current[status_source.path]))
        return plan, status, lint_plan(plan, config, root, status)

    before_plan, _, before = lint(texts)
    outcome.fixable = sum(
        1 for d in before if d.fix is not None and (unsafe or d.fix.applicability is Applicability.SAFE)
    )
    applied: list[Diagnostic] = []
    newlines = {path: source.newline for path, source in originals.items()}
    for _ in range(MAX_PASSES):
        _, _, found = lint(texts)
        accepted = _accept(found, unsafe)
        if not accepted:
            break
        for path in texts:
            edits = [e for fix in accepted for e in fix.edits if e.span.path == path]
            # a line-ending conversion (PL122) sets the newline that later inserted text uses
            newlines[path] = next(
                (f.newline for f in accepted if f.newline and f.edits[0].span.path == path), newlines[path]
            )
            if edits:
                texts[path] = apply_edits(texts[path], edits, newlines[path])
        applied.extend(d for d in found if d.fix is not None and any(d.fix == f for f in accepted))
    after_plan, after_status, after = lint(texts)
    outcome.applied = applied
    outcome.remaining = after
    problem = _verify(before_plan, after_plan, after_status, before, after, applied)
    if problem is not None:
        outcome.refused = problem
        outcome.texts = {path: source.text for path, source in originals.items()}
        outcome.remaining = before
        outcome.applied = []
    else:
        outcome.texts = texts
    return outcome


def _parse(
    plan_source: SourceText, siblings: tuple[SourceText, ...], current: dict[Path, str], dialect: str | None
) -> Plan:
    """The plan as the texts stand, with its GSD siblings when it has them."""
    plan = parse_plan(_with_text(plan_source, current[plan_source.path]), dialect)
    if not siblings:
        return plan
    from planlint.parse.dialects.gsd import parse_folder

    folder = [plan.source, *(_with_text(s, current[s.path]) for s in siblings)]
    return parse_folder(plan.source, sorted(folder, key=lambda s: s.path.name))


def _with_text(source: SourceText, text: str) -> SourceText:
    return source if text == source.text else SourceText.from_text(text, source.path, bom=source.bom)


def _accept(found: list[Diagnostic], unsafe: bool) -> list[Fix]:
    """Fixes of this pass: applicable, deduplicated, and not overlapping one already taken."""
    accepted: list[Fix] = []
    taken: list[Edit] = []
    for diagnostic in found:
        fix = diagnostic.fix
        if fix is None or (fix.applicability is Applicability.UNSAFE and not unsafe) or fix in accepted:
            continue
        if any(overlaps(edit, other) for edit in fix.edits for other in taken):
            continue  # deferred to the next pass
        accepted.append(fix)
        taken.extend(fix.edits)
    return accepted


def outline(plan: Plan, *, references: bool = True) -> tuple[object, ...]:
    """What a fix must not change: phases, task IDs, checkbox states, file references (unless
    an applied fix means to rewrite a reference)."""
    from planlint.analysis.references import references_in

    tasks = []
    for task in plan.tasks():
        named = sorted(ref.text for block in task.blocks for ref in references_in(plan, block)) if references else []
        tasks.append((str(task.id), bool(task.checked), tuple(named)))  # adding `[ ]` keeps the state
    if plan.dialect == "gsd":  # a GSD fix moves plans between waves: the waves are its to change
        return ((), tuple(sorted(tasks)))
    return (tuple(p.number for p in plan.phases), tuple(tasks))


def _verify(
    before_plan: Plan,
    after_plan: Plan,
    after_status: Status | None,
    before: list[Diagnostic],
    after: list[Diagnostic],
    applied: list[Diagnostic],
) -> str | None:
    if not applied:
        return None
    with_references = not any(d.fix is not None and d.fix.rewrites_references for d in applied)
    if outline(before_plan, references=with_references) != outline(after_plan, references=with_references):
        return "the fix would change the plan's phases, task IDs, checkboxes or file references"
    if after_status is not None and after_status.error is not None:
        return "the fix would leave status.json unreadable"
    fixed_codes = {d.code for d in applied}
    left = {(d.code, d.message) for d in after}
    still = [d for d in applied if (d.code, d.message) in left]
    if still:
        return f"{still[0].code} is still reported after its fix"
    counts_before, counts_after = Counter(d.code for d in before), Counter(d.code for d in after)
    worse = sorted(
        code for code in counts_after if code not in fixed_codes and counts_after[code] > counts_before[code]
    )
    if worse:
        return f"the fix would introduce new {', '.join(worse)} findings"
    return None
