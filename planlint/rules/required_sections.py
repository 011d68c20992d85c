"""A section the team's plan standard requires is missing (opt-in; PLAN-STANDARDS).

The standard gives every plan the same outline, in this order: `## Overview`, `## Dependencies`
(with `### Upstream`, `### Downstream` and `### External Tools`), the phases, `## Success
Criteria` and `## Risks`. Readers and tools find things by these headings. A heading counts when
its text is the name or starts with it as whole words (`## Risks and Mitigations`); headings in
code blocks do not count. The finding points at the line where the section belongs. The entry
`Phase N` in `sections` only marks where the phases go (a plan without phases is PL001's
finding). Turned on by `standard = "plan-standards"` or `--extend-select PL009`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from planlint.analysis.sections import SECTION_LEVEL, find_section, names_heading, normalise, section_end
from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Heading, Plan, Span
from planlint.rule import Context, Rule

PHASES = "Phase N"  # the place of the phases in the `sections` list
DEPENDENCIES = "Dependencies"  # the section that holds `dependency_subsections`


@dataclass(frozen=True)
class RequiredSectionsOptions:
    sections: tuple[str, ...] = field(
        default=("Overview", "Dependencies", PHASES, "Success Criteria", "Risks"),
        metadata={"help": "The `##` sections a plan needs, in order; `Phase N` marks where the phases go"},
    )
    dependency_subsections: tuple[str, ...] = field(
        default=("Upstream", "Downstream", "External Tools"),
        metadata={"help": "The `###` subsections `## Dependencies` needs, in order"},
    )


class RequiredSections(Rule):
    code = "PL009"
    name = "required-sections"
    severity = Severity.WARNING
    opt_in = True
    Options = RequiredSectionsOptions

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        if not plan.looks_like_plan:
            return
        names = list(self.options.sections)
        extents = [_phase_extent(plan) if _is_phases(n) else _extent(plan, find_section(plan, n)) for n in names]
        title_end = _title_end(plan)
        for index, name in enumerate(names):
            if extents[index] is None and not _is_phases(name):
                line, where = _place(names, extents, index, "##", title_end, "after the title")
                yield self.diagnostic(
                    _anchor(plan, line),
                    f"required section `## {name}` is missing; it belongs {where}",
                )
        dependencies = find_section(plan, DEPENDENCIES)
        if dependencies is not None:
            yield from self._subsections(plan, dependencies)

    def _subsections(self, plan: Plan, section: Heading) -> Iterator[Diagnostic]:
        end = section_end(plan, section)
        inside = [h for h in plan.headings if section.line < h.line and (end is None or h.line < end)]
        names = list(self.options.dependency_subsections)
        extents = []
        for name in names:
            found = next((h for h in inside if h.level > section.level and names_heading(name, h.text)), None)
            extents.append(_extent(plan, found, end))
        for index, name in enumerate(names):
            if extents[index] is None:
                line, where = _place(names, extents, index, "###", end, "at the end of `## Dependencies`")
                yield self.diagnostic(
                    _anchor(plan, line),
                    f"`## Dependencies` has no `### {name}` subsection; it belongs {where}",
                )


Extent = tuple[int, int | None]  # (first line, line after the end or None for the end of file)


def _is_phases(name: str) -> bool:
    return normalise(name) == normalise(PHASES)


def _extent(plan: Plan, heading: Heading | None, limit: int | None = None) -> Extent | None:
    if heading is None:
        return None
    end = section_end(plan, heading)
    if limit is not None and (end is None or end > limit):
        end = limit  # a subsection ends with its section
    return heading.line, end


def _phase_extent(plan: Plan) -> Extent | None:
    """From the first phase heading to the end of the last phase's own text."""
    return (plan.phases[0].line, section_end(plan, plan.phases[-1])) if plan.phases else None


def _title_end(plan: Plan) -> int | None:
    """The line of the first heading after the title block (where a plan's sections start)."""
    return next((h.line for h in plan.headings if 1 < h.level <= SECTION_LEVEL), None)


def _place(
    names: Sequence[str], extents: Sequence[Extent | None], index: int, marks: str,
    fallback: int | None, fallback_text: str,
) -> tuple[int | None, str]:  # fmt: skip
    """Where entry `index` belongs: after the nearest earlier entry present, else before the
    nearest later one, else at `fallback` (None: the end of the file)."""
    for earlier in range(index - 1, -1, -1):
        extent = extents[earlier]
        if extent is not None:
            label = "the last phase" if _is_phases(names[earlier]) else f"`{marks} {names[earlier]}`"
            return extent[1], f"after {label}"
    for later in range(index + 1, len(names)):
        extent = extents[later]
        if extent is not None:
            label = "the first phase" if _is_phases(names[later]) else f"`{marks} {names[later]}`"
            return extent[0], f"before {label}"
    return fallback, fallback_text


def _anchor(plan: Plan, line: int | None) -> Span:
    """An empty span at the start of `line`, or at the end of the last non-blank line."""
    source = plan.source
    if line is not None:
        start = source.offset(line)
        return Span(plan.path, start, start)
    last = source.line_count
    while last > 1 and not source.line_text(last).strip():
        last -= 1
    end = source.line_bounds(last)[1]
    return Span(plan.path, end, end)
