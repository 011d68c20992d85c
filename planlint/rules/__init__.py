"""The rule registry: code -> "module:Class", imported only when a rule is used."""

from __future__ import annotations

from importlib import import_module

from planlint.rule import Rule

REGISTRY: dict[str, str] = {
    "PL001": "no_tasks:NoTasks",
    "PL002": "duplicate_task_id:DuplicateTaskId",
    "PL003": "task_outside_phase:TaskOutsidePhase",
    "PL004": "malformed_task_id:MalformedTaskId",
    "PL005": "subtask_id_mismatch:SubtaskIdMismatch",
    "PL006": "phase_numbering:PhaseNumbering",
    "PL007": "task_numbering_gap:TaskNumberingGap",
    "PL008": "missing_verify:MissingVerify",
    "PL009": "required_sections:RequiredSections",
    "PL010": "required_fields:RequiredFields",
    "PL011": "heading_style:HeadingStyle",
    "PL101": "missing_sequential:MissingSequential",
    "PL102": "range_unknown_task:RangeUnknownTask",
    "PL103": "range_crosses_phase:RangeCrossesPhase",
    "PL104": "range_reversed:RangeReversed",
    "PL105": "overlapping_groups:OverlappingGroups",
    "PL106": "unparseable_note:UnparseableNote",
    "PL107": "prose_parallel_note:ProseParallelNote",
    "PL108": "note_misplaced:NoteMisplaced",
    "PL109": "parallel_phase_conflict:ParallelPhaseConflict",
    "PL111": "dependency_unknown:DependencyUnknown",
    "PL112": "dependency_cycle:DependencyCycle",
    "PL113": "dependency_later_phase:DependencyLaterPhase",
    "PL114": "hidden_dependency:HiddenDependency",
    "PL121": "phase_unread:PhaseUnread",
    "PL122": "task_unread:TaskUnread",
    "PL123": "note_misread:NoteMisread",
    "PL124": "dependency_unread:DependencyUnread",
    "PL125": "marker_near_miss:MarkerNearMiss",
    "PL201": "status_invalid_json:StatusInvalidJson",
    "PL202": "status_schema:StatusSchema",
    "PL203": "status_missing_task:StatusMissingTask",
    "PL204": "status_unknown_task:StatusUnknownTask",
    "PL205": "status_description_drift:StatusDescriptionDrift",
    "PL206": "status_phase_drift:StatusPhaseDrift",
    "PL207": "status_summary:StatusSummary",
    "PL208": "status_constraints_stale:StatusConstraintsStale",
    "PL209": "status_plan_path:StatusPlanPath",
    "PL210": "status_timestamps:StatusTimestamps",
    "PL211": "status_legacy_numbering:StatusLegacyNumbering",
    "PL301": "missing_file:MissingFile",
    "PL302": "line_range_out_of_bounds:LineRangeOutOfBounds",
    "PL303": "stale_line_range:StaleLineRange",
    "PL304": "unknown_symbol:UnknownSymbol",
    "PL401": "no_file_reference:NoFileReference",
    "PL402": "vague_task:VagueTask",
}


# What the engine must know before it imports a rule, so that a check imports only the rules it
# runs. The classes say the same (`opt_in`, `needs_status`); tests/test_catalogue.py keeps the two
# in step.
OPT_IN: frozenset[str] = frozenset({"PL008", "PL009", "PL010", "PL401", "PL402"})
NEEDS_STATUS: frozenset[str] = frozenset(
    {"PL201", "PL202", "PL203", "PL204", "PL205", "PL206", "PL207", "PL208", "PL209", "PL210", "PL211"}
)


def all_codes() -> list[str]:
    return sorted(REGISTRY)


def load(code: str) -> type[Rule]:
    """The rule class registered under code (KeyError for an unknown code)."""
    module_name, class_name = REGISTRY[code].split(":")
    module = import_module(f"{__name__}.{module_name}")
    rule: type[Rule] = getattr(module, class_name)
    return rule
