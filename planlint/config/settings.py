"""The settings of one run (`Config`): which rules are on, with what severity and options, and
which files are plans, status files or excluded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planlint.config.codes import rule_selectors
from planlint.config.globs import glob_matches, glob_problem
from planlint.diagnostic import Severity

# Where each dialect keeps its plans (docs/dialects/): the team's docs/plans (and superpowers'),
# spec-kit's specs/<feature>/tasks.md, Kiro's .kiro/specs/<feature>/tasks.md, GSD's phase folders.
DEFAULT_PLANS = ("docs/plans/**/*.md", "specs/**/tasks.md", ".kiro/specs/**/tasks.md", ".planning/phases/**/*-PLAN.md")
DEFAULT_STATUS = ("docs/plan-outputs/**/status.json",)
DEFAULT_SELECT = ("PL0", "PL1", "PL2", "PL3")


@dataclass(frozen=True)
class Config:
    """Settings for one run; CLI options are merged in with `with_overrides`."""

    path: Path | None = None  # the file it came from
    root: Path = field(default_factory=Path.cwd)
    plans: tuple[str, ...] = DEFAULT_PLANS
    status: tuple[str, ...] = DEFAULT_STATUS
    exclude: tuple[str, ...] = ()  # globs of files and folders no search enters or checks
    select: tuple[str, ...] = DEFAULT_SELECT
    explicit: tuple[str, ...] = ()  # prefixes the user selected by name (enable opt-in rules)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.WARNING
    schema: str | None = None
    src: tuple[str, ...] = (".",)
    access: tuple[tuple[str, tuple[str, ...]], ...] = ()
    standard: str | None = None
    rule_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()  # [rules.CODE] tables
    cache: bool = True  # the symbol cache under <root>/.planlint_cache (`--no-cache` turns it off)
    dialects: tuple[tuple[str, str], ...] = ()  # [dialects] glob = format (planlint.config.dialects)

    def is_enabled(self, code: str, *, opt_in: bool = False) -> bool:
        """The longest matching prefix among what the user selected and ignored decides (flake8's
        DecisionEngine; a tie goes to ignore); a code none of them matches falls back to the
        default selection, so `ignore = ["ALL"]` turns off every rule not selected by name."""
        best = -1
        decision = False
        for prefix in self.explicit:
            if _matches(code, prefix) and len(_norm(prefix)) > best:
                best, decision = len(_norm(prefix)), True
        for prefix in self.ignore:
            if _matches(code, prefix) and len(_norm(prefix)) >= best:
                best, decision = len(_norm(prefix)), False
        if best < 0:
            decision = any(_matches(code, prefix) for prefix in self.select)
        if decision and opt_in:
            return any(_matches(code, p) for p in self.explicit)
        return decision

    def severity_of(self, code: str) -> Severity | None:
        return dict(self.severity).get(code)

    def options_for(self, code: str) -> dict[str, Any]:
        return dict(dict(self.rule_options).get(code, ()))

    def ignored_for(self, *relative_paths: str) -> tuple[str, ...]:
        """Codes that per-file-ignores switches off for paths relative to root (a status file's
        findings are matched by its own path and by its paired plan's)."""
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            if any(glob_matches(path, pattern) for path in relative_paths):
                codes.extend(ignored)
        return tuple(codes)

    def dialect_for(self, relative_path: str) -> str | None:
        """The dialect `[dialects]` sets for this file, or None (read as its content shows)."""
        return next((name for glob, name in self.dialects if glob_matches(relative_path, glob)), None)

    def is_excluded(self, relative_path: str) -> bool:
        """True when an `exclude` glob matches the path (relative to root) or a folder above it."""
        if not self.exclude:
            return False
        parts = relative_path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(glob_matches(prefix, pattern) for pattern in self.exclude for prefix in prefixes)

    def is_plan(self, relative_path: str) -> bool:
        """True when a `plans` glob matches the path (relative to root)."""
        return any(glob_matches(relative_path, pattern, name_anywhere=False) for pattern in self.plans)

    def is_status(self, relative_path: str) -> bool:
        """True when a `status` glob matches the path (`{stem}` standing for any plan stem)."""
        return any(
            glob_matches(relative_path, pattern.replace("{stem}", "*"), name_anywhere=False) for pattern in self.status
        )

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        fail_on: str | None = None,
        exclude: Iterable[str] = (),
        cache: bool = True,
    ) -> Config:
        changes: dict[str, Any] = {}
        extra_exclude = tuple(exclude)
        for pattern in extra_exclude:
            problem = glob_problem(pattern)
            if problem:
                from planlint.errors import UsageError

                raise UsageError(f"--exclude {pattern!r}: {problem}")
        if extra_exclude:
            changes["exclude"] = self.exclude + extra_exclude
        if not cache:
            changes["cache"] = False
        if select is not None:
            chosen = rule_selectors(list(select), "--select", None)
            changes["select"] = chosen
            changes["explicit"] = chosen
        extra = rule_selectors(list(extend_select), "--extend-select", None)
        if extra:
            changes["select"] = changes.get("select", self.select) + extra
            changes["explicit"] = changes.get("explicit", self.explicit) + extra
        dropped = rule_selectors(list(ignore), "--ignore", None)
        if dropped:
            changes["ignore"] = self.ignore + dropped
        if fail_on is not None:
            changes["fail_on"] = Severity.parse(fail_on)
        return replace(self, **changes)


def _norm(prefix: str) -> str:
    return "" if prefix == "ALL" else prefix


def _matches(code: str, prefix: str) -> bool:
    return code.startswith(_norm(prefix))
