"""Phase headings at mixed levels, decimal phases, or a VERIFY label not in the standard's form.

A phase is everything up to the next phase heading, so a `### Phase 3` among `## Phase N`
headings reads as part of Phase 2 to a human while planlint and the orchestrator treat it as a
phase of its own. `## Phase 1.2:` is not a phase at all: its tasks silently stay in Phase 1.
VERIFY labels are found by their form `**VERIFY Phase N:**`: a label without bold is easy to
miss, and one that names no phase, or another phase, is wrong as soon as phases move.

With `standard = "plan-standards"` a VERIFY label must also be in one of the standard's two
forms, `**VERIFY Phase N:**` or `**VERIFY N.M:**`: the team's validate-plan-format.js reads no
other, so it reports a phase whose VERIFY is `**VERIFY 2:**` or a `- [ ] **VERIFY 2**:`
checkpoint as having none. Without the standard those forms are fine (planlint reads them all).

Safe fixes: bolding a `VERIFY Phase N:` label (with the standard: writing it `**VERIFY Phase N:**`),
rewriting a VERIFY label of the phase it stands in to `**VERIFY Phase N:**`, and moving a phase
heading to the level that all the other phases (at least two) agree on, when no heading inside the
phase lies between the two levels (the move would change what the phase holds). With `phase-level`
set, every phase heading must be at that level (2 reproduces the team script's `## Phase N:` check).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from planlint.diagnostic import Diagnostic, Edit, Fix, Severity
from planlint.model import Phase, Plan, Span, VerifyBlock
from planlint.parse.grammar import PHASE_HEADING
from planlint.rule import Context, Rule

# A VERIFY label written without bold: `VERIFY Phase 2:`, `VERIFY 2 (non-blocking):`.
_PLAIN_VERIFY = re.compile(r"VERIFY(?:[ \t]+Phase)?[ \t]*\d*(?:\.\d+)*[ \t]*(?:\([^)\n]*\))?[ \t]*:")
# A bold VERIFY label as written, in any form the parser reads: `**VERIFY 2:**`, `**VERIFY 2**:`,
# `**VERIFY Phase 2 (non-blocking):**`.
_BOLD_VERIFY = re.compile(
    r"\*\*VERIFY(?:[ \t]+Phase)?[ \t]*\d*(?:\.\d+)*[ \t]*(?:\([^)\n]*\))?[ \t]*:?[ \t]*\*\*(?:[ \t]*:)?"
)
# The parts of a label the rewrite keeps: its number (`2`, `2.1`) and a parenthesis.
_LABEL_PARTS = re.compile(r"VERIFY(?:[ \t]+Phase)?[ \t]*(?P<number>\d*(?:\.\d+)*)[ \t]*(?:\((?P<inner>[^)\n]*)\))?")
# The two forms the team's standard allows (validate-plan-format.js reads no other).
_STANDARD_VERIFY = re.compile(r"\*\*VERIFY (?:Phase \d+|\d+\.\d+):\*\*")
_CHECKBOX = re.compile(r"\[[ xX]\][ \t]*")
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")


@dataclass(frozen=True)
class HeadingStyleOptions:
    phase_level: int = field(
        default=0,
        metadata={
            "help": "The heading level every phase heading must have; 0: any level, as long as"
            " every phase uses the same one"
        },
    )


class HeadingStyle(Rule):
    code = "PL011"
    name = "heading-style"
    severity = Severity.WARNING
    fixable = True
    Options = HeadingStyleOptions

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        yield from self._levels(plan)
        for heading in plan.headings:
            match = PHASE_HEADING.match(heading.text)
            if match and match.group("decimal"):
                number = match.group("number")
                yield self.diagnostic(
                    heading.span,
                    f"`Phase {number}{match.group('decimal')}` is not a phase number; number phases"
                    f" `Phase N` and make parts of Phase {number} task groups (`### {number}.1 Title`)",
                )
        standard = ctx.config.standard == "plan-standards"
        for phase in plan.phases:
            for block in phase.verify:
                yield from self._verify(plan, phase, block, standard=standard)

    def _levels(self, plan: Plan) -> Iterator[Diagnostic]:
        levels = [phase.level for phase in plan.phases]
        counts = Counter(levels)
        if self.options.phase_level:
            expected, reason = self.options.phase_level, "phase headings belong"
        elif len(counts) > 1:
            top = max(counts.values())
            expected = next(level for level in levels if counts[level] == top)
            reason = "the other phases are"
        else:
            return
        for phase in plan.phases:
            if phase.level == expected:
                continue
            others = counts[expected] == len(levels) - 1
            agreed = others and (self.options.phase_level or counts[expected] >= 2)
            yield self.diagnostic(
                phase.heading,
                f"Phase {phase.number} heading is at level {phase.level} (`{'#' * phase.level}`)"
                f" but {reason} at level {expected} (`{'#' * expected}`)",
                fix=_relevel(plan, phase, expected) if agreed else None,
            )

    def _verify(self, plan: Plan, phase: Phase, block: VerifyBlock, *, standard: bool) -> Iterator[Diagnostic]:
        text = plan.source.text
        own = block.phase == phase.number
        if not block.bold and not block.checkpoint:
            plain = _PLAIN_VERIFY.match(text, block.span.start)
            if plain is None:
                return  # a sentence that starts with the word VERIFY, not a label
            label = plain.group()
            span = Span(plan.path, plain.start(), plain.end())
            wanted = _standard_label(phase, label) if standard and own else f"**{label}**"
            yield self.diagnostic(
                span,
                f"`{label}` is not bold; write `{wanted}`",
                fix=Fix(f"write `{wanted}`", (Edit(span, wanted),)),
            )
        elif standard and own:
            yield from self._standard_form(plan, phase, block)
        if block.phase is None:
            yield self.diagnostic(
                _first_line(plan, block.span),
                f"VERIFY label does not name its phase; write `**VERIFY Phase {phase.number}:**`",
            )
        elif not own:
            yield self.diagnostic(
                _first_line(plan, block.span),
                f"VERIFY label names phase {block.phase} but stands in Phase {phase.number}",
            )

    def _standard_form(self, plan: Plan, phase: Phase, block: VerifyBlock) -> Iterator[Diagnostic]:
        """A bold label of this phase that is not `**VERIFY Phase N:**` or `**VERIFY N.M:**`."""
        text = plan.source.text
        start = block.span.start
        if block.checkpoint and (box := _CHECKBOX.match(text, start)):
            start = box.end()
        found = _BOLD_VERIFY.match(text, start)
        if found is None or _STANDARD_VERIFY.fullmatch(found.group()):
            return
        label = found.group()
        wanted = _standard_label(phase, label)
        span = Span(plan.path, found.start(), found.end())
        yield self.diagnostic(
            span,
            f"`{label}` is not a VERIFY form the standard allows; write `{wanted}`"
            " (the team's validate-plan-format.js reads no other)",
            fix=Fix(f"write `{wanted}`", (Edit(span, wanted),)),
        )


def _standard_label(phase: Phase, label: str) -> str:
    """The standard's form of a label of this phase: `**VERIFY Phase N:**`, or `**VERIFY N.M:**`
    for a task group's VERIFY; a parenthesis such as `(non-blocking)` moves after it, where the
    parser still reads it."""
    found = _LABEL_PARTS.search(label)
    number = found.group("number") if found else ""
    wanted = f"**VERIFY {number}:**" if number.count(".") == 1 else f"**VERIFY Phase {phase.number}:**"
    inner = found.group("inner") if found else None
    return f"{wanted} ({inner})" if inner else wanted


def _relevel(plan: Plan, phase: Phase, level: int) -> Fix | None:
    """Rewrite the heading's `#` run, unless that would change what the phase holds.

    A heading inside the phase at a level between the old and the new one would start or stop
    closing the phase, or being a task group of it; setext headings (`===`) get no fix either.
    """
    marks = _ATX.match(plan.source.text, phase.heading.start)
    following = [p.line for p in plan.phases if p.line > phase.line]
    end = following[0] if following else plan.source.line_count + 1
    low, high = sorted((phase.level, level))
    if marks is None or any(phase.line < h.line < end and low <= h.level <= high for h in plan.headings):
        return None
    span = Span(plan.path, marks.start(), marks.end())
    return Fix(f"make Phase {phase.number} a level-{level} heading", (Edit(span, "#" * level),))


def _first_line(plan: Plan, span: Span) -> Span:
    line, _ = plan.source.position(span.start)
    return Span(plan.path, span.start, max(span.start, plan.source.line_bounds(line)[1]))
