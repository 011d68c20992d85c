"""Pure: (plan, config) -> sorted diagnostics. Selection, severity, suppression and order live here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from planlint.config import Config
from planlint.diagnostic import Diagnostic
from planlint.model import Plan
from planlint.rule import Context, Rule
from planlint.rules import NEEDS_STATUS, OPT_IN, all_codes, load
from planlint.suppression import PlanSuppressions

if TYPE_CHECKING:
    from planlint.parse.status import Status


@lru_cache(maxsize=64)
def selected_rules(config: Config, *, with_status: bool = True) -> tuple[Rule, ...]:
    """Instances of the rules the config turns on, in code order; without `with_status`, only
    those that need no status.json. A rule that will not run is not even imported."""
    rules = []
    for code in all_codes():
        if not with_status and code in NEEDS_STATUS:
            continue
        if config.is_enabled(code, opt_in=code in OPT_IN):
            rule_class = load(code)
            rules.append(rule_class(config.severity_of(code), config.options_for(code)))
    return tuple(rules)


def lint_plan(
    plan: Plan,
    config: Config,
    root: Path | None = None,
    status: Status | None = None,
    *,
    plan_found: bool = True,
) -> list[Diagnostic]:
    """Run the selected rules on one plan (and its status.json) and return the diagnostics
    that survive, sorted."""
    context = Context(plan, config, root or config.root, status, plan_found)
    return finalise(findings(context), plan, config, context.root)


def findings(context: Context) -> list[Diagnostic]:
    """The parse findings the config enables and every selected rule's, before suppression."""
    config = context.config
    found = [d for d in context.plan.problems if config.is_enabled(d.code)]
    dialect = context.plan.dialect
    for rule in selected_rules(config, with_status=context.status is not None):
        if dialect == "phased" or rule.applies_to(dialect):
            found.extend(rule.check(context))
    return found


def strict_findings(
    plan: Plan, config: Config, codes: frozenset[str], status: Status | None = None
) -> list[Diagnostic]:
    """The findings of these codes whatever the rule selection, severities, per-file-ignores and
    suppression comments say (what emit and next refuse a plan for), unique and sorted."""
    strict = replace(config, select=tuple(sorted(codes)), explicit=(), ignore=(), per_file_ignores=())
    found = findings(Context(plan, strict, strict.root, status, True))
    return _unique_sorted(d for d in found if d.code in codes)


def dialect_of(config: Config, path: Path) -> str | None:
    """The dialect the config's `[dialects]` globs set for a plan file (None: detect it)."""
    return config.dialect_for(_relative(path, config.root)) if config.dialects else None


def finalise(found: list[Diagnostic], plan: Plan, config: Config, root: Path) -> list[Diagnostic]:
    """Drop suppressed and per-file-ignored diagnostics, remove duplicates, sort."""
    suppressions = PlanSuppressions(plan)
    kept: list[Diagnostic] = []
    ignored = _ignored_codes(config, {d.span.path for d in found}, plan.path, root)
    for diagnostic in found:
        path = diagnostic.span.path
        if suppressions.suppresses(diagnostic):
            continue
        if any(diagnostic.code.startswith(code) for code in ignored[path]):
            continue
        kept.append(diagnostic)
    return _unique_sorted(kept)


def _ignored_codes(config: Config, paths: set[Path], plan_path: Path, root: Path) -> dict[Path, tuple[str, ...]]:
    """The codes per-file-ignores switches off in each file with findings (resolving each path
    once, not once per finding)."""
    if not config.per_file_ignores:
        return dict.fromkeys(paths, ())
    ignored = {}
    for path in paths:
        # A status file's findings match its own path and its paired plan's.
        names = (_relative(path, root),) if path == plan_path else (_relative(path, root), _relative(plan_path, root))
        ignored[path] = config.ignored_for(*names)
    return ignored


def _unique_sorted(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One of each (code, span, message), in position order."""
    unique: dict[tuple[object, ...], Diagnostic] = {}
    for diagnostic in found:
        unique.setdefault((diagnostic.code, diagnostic.span, diagnostic.message), diagnostic)
    return sorted(unique.values(), key=lambda d: d.sort_key)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
