"""The Overview lacks a field the team's plan standard requires (opt-in; PLAN-STANDARDS).

The standard opens every plan with an Overview that states its goal, its priority (P0, P1 or
P2), when it was written and where its outputs go, as bold labels: `- **Goal:** ...`,
`- **Priority:** P1`, `- **Created:** 2025-01-31`, `- **Output:** docs/plan-outputs/name/`.
The orchestrator and the plan index read these fields. A field named `A|B` is satisfied by
either label. A missing field is reported at the Overview heading; a Priority outside the
allowed values, or an Output outside the outputs folder, at the value. A plan without an Overview
is PL009's finding. Turned on by `standard = "plan-standards"` or `--extend-select PL010`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

from planlint.analysis.sections import find_section, normalise, section_end
from planlint.diagnostic import Diagnostic, Severity
from planlint.model import Heading, Plan, Span
from planlint.rule import Context, Rule

# `**Goal:** text` or `**Goal**: text`; the name may not hold `*` or span lines.
_LABEL = re.compile(r"\*\*(?P<inner>[^*\n]+?)[ \t]*:[ \t]*\*\*|\*\*(?P<outer>[^*\n]+?)\*\*[ \t]*:")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class RequiredFieldsOptions:
    section: str = field(default="Overview", metadata={"help": "The `##` section that holds the fields"})
    fields: tuple[str, ...] = field(
        default=("Goal|Objective", "Priority", "Created", "Output"),
        metadata={"help": "The `**Label:**` fields it needs; `A|B` is satisfied by either label"},
    )
    priorities: tuple[str, ...] = field(
        default=("P0", "P1", "P2"),
        metadata={"help": "Allowed Priority values; `[]` allows any"},
    )
    output_prefix: str = field(
        default="docs/plan-outputs/",
        metadata={"help": 'Where Output must point; `""` allows any'},
    )


@dataclass(frozen=True)
class _Field:
    value: str
    span: Span  # the value, or the label when the value is empty


class RequiredFields(Rule):
    code = "PL010"
    name = "required-fields"
    severity = Severity.WARNING
    opt_in = True
    Options = RequiredFieldsOptions

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        options = self.options
        overview = find_section(plan, options.section) if plan.looks_like_plan else None
        if overview is None:
            return
        found = _fields(plan, overview)
        for spec in options.fields:
            names = [n.strip() for n in spec.split("|") if n.strip()]
            if names and not any(normalise(n) in found for n in names):
                labels = " or ".join(f"`**{n}:**`" for n in names)
                yield self.diagnostic(overview.span, f"the {options.section} has no {labels} field")
        priority = found.get("priority")
        if priority is not None and options.priorities:
            allowed = "|".join(re.escape(p) for p in options.priorities)
            if not re.match(rf"(?:{allowed})\b", priority.value.strip("*` ")):
                yield self.diagnostic(
                    priority.span,
                    f"Priority `{priority.value}` is not one of {', '.join(options.priorities)}",
                )
        output = found.get("output")
        if output is not None and options.output_prefix:
            folder = output.value.strip("`'\" ")
            if not folder.startswith(options.output_prefix):
                yield self.diagnostic(output.span, f"Output `{folder}` is not under `{options.output_prefix}`")


def _fields(plan: Plan, section: Heading) -> dict[str, _Field]:
    """The section's `**Label:** value` fields by normalised label, first occurrence each."""
    source = plan.source
    end = section_end(plan, section) or source.line_count + 1
    found: dict[str, _Field] = {}
    fence: str | None = None
    for line in range(section.line + 1, end):
        text = source.line_text(line)
        opening = _FENCE.match(text)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        start = source.offset(line)
        labels = list(_LABEL.finditer(text))
        for label, following in zip_longest(labels, labels[1:]):
            name = normalise(label.group("inner") or label.group("outer"))
            rest = text[label.end() : following.start() if following else len(text)]
            rest = rest.split("<!--", 1)[0]  # a trailing comment is not part of the value
            value = rest.strip()
            if value:
                begin = start + label.end() + len(rest) - len(rest.lstrip())
                span = Span(plan.path, begin, begin + len(value))
            else:
                span = Span(plan.path, start + label.start(), start + label.end())
            found.setdefault(name, _Field(value, span))
    return found
