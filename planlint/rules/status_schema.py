"""status.json violates the status schema.

planlint checks status files against the orchestrator's schema, extended with the optional
constraint fields that `planlint emit` writes (`planlint schema status` prints it; `schema` in
the config replaces it). One finding per violation, at the offending key or value, with its
JSON path; a key that looks like a typo of a known one gets a "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planlint.analysis.schema import Violation, violations
from planlint.diagnostic import Diagnostic, Severity
from planlint.parse.status import Status
from planlint.rule import Context, StatusRule

_INDEX = re.compile(r"/\d+(?=/|:)")  # /tasks/3/status -> /tasks/*/status, to fold repeats


class StatusSchema(StatusRule):
    code = "PL202"
    name = "status-schema"
    severity = Severity.ERROR

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        if status.document is None:
            return
        schema = (ctx.config.root / ctx.config.schema) if ctx.config.schema else None
        alike: dict[str, list[Violation]] = {}
        found = violations(status.data, schema) if schema is not None or not ctx.config.cache else _shipped(ctx, status)
        for violation in found:
            alike.setdefault(_INDEX.sub("/*", violation.message), []).append(violation)
        for group in alike.values():
            first = group[0]
            message = first.message
            if len(group) > self.fold_after:
                message += f" (and {len(group) - 1} more like it: {group[1].pointer}, {group[2].pointer}, ...)"
                group = [first]
            for violation in group:
                text = message if violation is first else violation.message
                yield self.diagnostic(status.span(violation.pointer, key=violation.at_key), text)
        for pointer, key in status.document.duplicate_keys():
            location = status.document.locate_duplicate(pointer, key)
            if location is not None and location.key_start is not None and location.key_end is not None:
                from planlint.model import Span

                yield self.diagnostic(
                    Span(status.path, location.key_start, location.key_end),
                    f"{pointer or '/'}: key '{key}' appears twice; JSON readers keep only the last one",
                )


def _shipped(ctx: Context, status: Status) -> list[Violation]:
    """The shipped schema's violations, from the verdict cache when this content was seen before
    (no jsonschema import), else found and kept."""
    from planlint.analysis.schema_cache import VerdictCache, verdict_key

    cache = VerdictCache(ctx.root)
    key = verdict_key(status.source.text)
    found = cache.get_verdict(key)
    if found is None:
        found = list(violations(status.data))
        cache.put_verdict(key, found)
    return found
