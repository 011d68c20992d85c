"""The rule catalogue: each code, where its rule lives, and what the engine and the config must
know before they import it. The CATALOGUE table is generated from the rule classes by
planlint.rules.catalogue_file: run `python docs/_generate.py` after changing a rule's code,
flags or options, and do not edit it; the text above it is kept as written.

It lies below config and the rules, so that the config checks codes and rule options without
importing a rule, and a check imports only the rule modules it runs.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    module: str  # under planlint/rules/
    cls: str  # the Rule subclass in it
    opt_in: bool = False  # off unless selected by name (DESIGN.md section 4)
    needs_status: bool = False  # runs only when a status.json is paired
    options: tuple[tuple[str, str], ...] = ()  # (field, type of its default) of its Options


CATALOGUE: dict[str, Entry] = {
    "PL001": Entry("no_tasks", "NoTasks"),
    "PL002": Entry("duplicate_task_id", "DuplicateTaskId"),
    "PL003": Entry("task_outside_phase", "TaskOutsidePhase"),
    "PL004": Entry("malformed_task_id", "MalformedTaskId"),
    "PL005": Entry("subtask_id_mismatch", "SubtaskIdMismatch"),
    "PL006": Entry("phase_numbering", "PhaseNumbering"),
    "PL007": Entry("task_numbering_gap", "TaskNumberingGap"),
    "PL008": Entry("missing_verify", "MissingVerify", opt_in=True),
    "PL009": Entry(
        "required_sections",
        "RequiredSections",
        opt_in=True,
        options=(("sections", "tuple"), ("dependency_subsections", "tuple")),
    ),
    "PL010": Entry(
        "required_fields",
        "RequiredFields",
        opt_in=True,
        options=(("section", "str"), ("fields", "tuple"), ("priorities", "tuple"), ("output_prefix", "str")),
    ),
    "PL011": Entry("heading_style", "HeadingStyle", options=(("phase_level", "int"),)),
    "PL101": Entry("missing_sequential", "MissingSequential"),
    "PL102": Entry("range_unknown_task", "RangeUnknownTask"),
    "PL103": Entry("range_crosses_phase", "RangeCrossesPhase"),
    "PL104": Entry("range_reversed", "RangeReversed"),
    "PL105": Entry("overlapping_groups", "OverlappingGroups"),
    "PL106": Entry("unparseable_note", "UnparseableNote"),
    "PL107": Entry("prose_parallel_note", "ProseParallelNote"),
    "PL108": Entry("note_misplaced", "NoteMisplaced"),
    "PL109": Entry("parallel_phase_conflict", "ParallelPhaseConflict"),
    "PL111": Entry("dependency_unknown", "DependencyUnknown"),
    "PL112": Entry("dependency_cycle", "DependencyCycle"),
    "PL113": Entry("dependency_later_phase", "DependencyLaterPhase"),
    "PL114": Entry("hidden_dependency", "HiddenDependency"),
    "PL121": Entry("phase_unread", "PhaseUnread"),
    "PL122": Entry("task_unread", "TaskUnread"),
    "PL123": Entry("note_misread", "NoteMisread"),
    "PL124": Entry("dependency_unread", "DependencyUnread"),
    "PL125": Entry("marker_near_miss", "MarkerNearMiss"),
    "PL201": Entry("status_invalid_json", "StatusInvalidJson", needs_status=True),
    "PL202": Entry("status_schema", "StatusSchema", needs_status=True),
    "PL203": Entry("status_missing_task", "StatusMissingTask", needs_status=True),
    "PL204": Entry("status_unknown_task", "StatusUnknownTask", needs_status=True),
    "PL205": Entry("status_description_drift", "StatusDescriptionDrift", needs_status=True),
    "PL206": Entry("status_phase_drift", "StatusPhaseDrift", needs_status=True),
    "PL207": Entry("status_summary", "StatusSummary", needs_status=True),
    "PL208": Entry("status_constraints_stale", "StatusConstraintsStale", needs_status=True),
    "PL209": Entry("status_plan_path", "StatusPlanPath", needs_status=True),
    "PL210": Entry("status_timestamps", "StatusTimestamps", needs_status=True),
    "PL211": Entry("status_legacy_numbering", "StatusLegacyNumbering", needs_status=True),
    "PL301": Entry("missing_file", "MissingFile"),
    "PL302": Entry("line_range_out_of_bounds", "LineRangeOutOfBounds"),
    "PL303": Entry("stale_line_range", "StaleLineRange"),
    "PL304": Entry("unknown_symbol", "UnknownSymbol"),
    "PL401": Entry("no_file_reference", "NoFileReference", opt_in=True),
    "PL402": Entry("vague_task", "VagueTask", opt_in=True),
}
