"""Per-file orchestration: read -> parse -> engine -> FileResult. Prints nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planlint.config import Config, Configs
from planlint.diagnostic import Diagnostic
from planlint.discovery import (
    Target,
    discover,
    is_index_file,
    is_status_file,
    real_path,
    relative_to_cwd,
)
from planlint.engine import dialect_of, lint_plan
from planlint.errors import PlanlintError
from planlint.io import STDIN, read_source, read_stdin
from planlint.model import Plan, Span
from planlint.pairing import Pairer
from planlint.parse.plan import parse_plan
from planlint.text import SourceText

if TYPE_CHECKING:
    from planlint.parse.status import Status


@dataclass
class FileResult:
    """The outcome for one input: diagnostics, or the error that stopped planlint reading it."""

    path: Path
    source: SourceText | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: PlanlintError | None = None
    sources: dict[Path, SourceText] = field(default_factory=dict)
    config: Config | None = None  # the config of the file's root (its fail-on decides the exit code)
    dialect: str = "phased"  # the format the plan was read as (DESIGN.md §7)

    def locate(self, span: Span) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of a span, all counted from 1."""
        source = self.sources.get(span.path) or self.source
        if source is None:
            return 1, 1, 1, 1
        line, column = source.position(span.start)
        end_line, end_column = source.position(span.end)
        return line, column, end_line, end_column


def load_plan(path: Path | str, config: Config | None = None) -> Plan:
    """Read and parse one plan file (InputError when it cannot be read as UTF-8 text), in the
    dialect the config's `[dialects]` sets for it, else the one its content shows."""
    source = read_source(path)
    plan = parse_plan(source, dialect_of(config, Path(path)) if config is not None else None)
    if plan.dialect == "gsd":  # a GSD plan is read with its phase folder's other plans
        plan, _ = _read_gsd_folder(source)
    return plan


def _read_gsd_folder(source: SourceText) -> tuple[Plan, list[FileResult]]:
    """A GSD plan with the other `*-PLAN.md` files of its folder, as one Plan whose source is
    `source` (DESIGN.md §7); a sibling that cannot be read is an error result, never a traceback."""
    from planlint.parse.dialects import gsd

    sources, errors = [source], []
    own = real_path(source.path)
    for sibling in sorted(source.path.parent.glob(gsd.PLAN_GLOB)):
        if real_path(sibling) != own:
            try:
                sources.append(read_source(sibling))
            except PlanlintError as error:
                errors.append(FileResult(sibling, error=error))
    return gsd.parse_folder(source, sorted(sources, key=lambda s: s.path.name)), errors


def check_text(text: str, path: Path | str = "<text>", config: Config | None = None) -> list[Diagnostic]:
    """Lint plan text held in memory."""
    source = SourceText.from_text(text, path)
    return lint_plan(parse_plan(source), config or Config())


def check_file(path: Path, config: Config, *, explicit: bool = True) -> FileResult | None:
    """Check one plan or status.json, with its pair (see `check_paths`)."""
    results = _Run([path]).check(Target(path, explicit, config))
    return results[0] if results else None


def run_configs(config: Config | Configs | None) -> Configs:
    """A run's configs: one Config governs every path; None finds each path's own (see
    `planlint.config.Configs`)."""
    if isinstance(config, Configs):
        return config
    if config is None:
        return Configs()
    fixed = config
    return Configs(overrides=lambda _found: fixed)


def check_paths(
    paths: Iterable[Path | str], config: Config | Configs | None = None, *, stdin: Path | None = None
) -> list[FileResult]:
    """Check files and folders: errors first, then plans (each with its status.json), then
    status files whose plan was not among them (either file checks the pair).

    `config` is one Config for every path, or a `Configs` that finds each path's root and
    config (None: each path's own, as the command line does).

    With `stdin`, a plan is also read from standard input and checked as a file of that name
    (`io.STDIN` for none), paired with that name's status.json on disk."""
    configs = run_configs(config)
    targets, errors = discover([Path(p) for p in paths], configs)
    results = [FileResult(error.path or Path("."), error=error) for error in errors]
    run = _Run(target.path for target in targets)
    if stdin is not None:
        stdin_config = configs.for_path(stdin if stdin != STDIN else Path.cwd())
        try:
            source = read_stdin(stdin if stdin != STDIN else None)
            results.extend(run.check_plan_source(source, Target(stdin, True, stdin_config)))
        except PlanlintError as error:
            results.append(FileResult(stdin, error=error))
    for target in targets:
        results.extend(run.check(target))
    return results


class _Run:
    """One check run: finds pairs once per root and checks each status file once."""

    def __init__(self, targets: Iterable[Path] = ()) -> None:
        self.pairers: dict[Config, Pairer] = {}
        self.paired_status: set[Path] = set()
        self.targets = {real_path(path) for path in targets}  # the files this run checks
        self.folders: dict[Path, tuple[Plan, list[Diagnostic]]] = {}  # a GSD folder, its findings left

    def pairer(self, config: Config) -> Pairer:
        found = self.pairers.get(config)
        if found is None:
            found = self.pairers[config] = Pairer(config)
        return found

    def check(self, target: Target) -> list[FileResult]:
        if is_status_file(target.path):
            return self.check_status(target)
        try:
            source = read_source(target.path)
        except PlanlintError as error:
            return [FileResult(target.path, error=error)]
        return self.check_plan_source(source, target)

    def check_plan_source(self, source: SourceText, target: Target) -> list[FileResult]:
        path, config = source.path, target.config
        plan = parse_plan(source, dialect_of(config, path))
        if plan.dialect == "gsd" and path != STDIN:
            return self.check_gsd_folder(source, target)
        if is_index_file(plan):
            return []  # a README beside the plans is not a plan (PL001 is for plan-like files)
        sources = {source.path: source}
        results = []
        status = None
        # A plan piped in without --stdin-filename has no name to pair by.
        status_path = self.pairer(config).status_for(path) if plan.phases and path != STDIN else None
        if status_path is not None:
            shown = relative_to_cwd(status_path)
            self.paired_status.add(real_path(shown))
            try:
                status = load_status(shown)
            except PlanlintError as error:  # an unreadable pair is an error, never a silent skip
                results.append(FileResult(shown, error=error))
        if status is not None:
            sources[status.path] = status.source
        diagnostics = lint_plan(plan, config, status=status)
        return [FileResult(path, source, diagnostics, sources=sources, config=config, dialect=plan.dialect), *results]

    def check_gsd_folder(self, source: SourceText, target: Target) -> list[FileResult]:
        """A GSD plan is checked with its phase folder's other plans (DESIGN.md §7). The folder
        is read and linted once per run; each finding goes to the result of the file it points
        into, or, when that file is not checked in this run, to the first of the folder's files
        that is (so that no finding is lost or repeated)."""
        path, config = source.path, target.config
        folder = real_path(path).parent
        errors: list[FileResult] = []
        if folder not in self.folders:  # read and lint once: a folder of N plans costs N reads
            plan, errors = _read_gsd_folder(source)
            errors = [e for e in errors if real_path(e.path) not in self.targets]
            self.folders[folder] = (plan, lint_plan(plan, config))
        plan, pending = self.folders[folder]
        own = real_path(path)
        mine = [d for d in pending if real_path(d.span.path) == own or real_path(d.span.path) not in self.targets]
        taken = {id(d) for d in mine}
        self.folders[folder] = (plan, [d for d in pending if id(d) not in taken])
        shown = {s.path: s for s in plan.sources}
        shown[path] = source
        return [FileResult(path, source, mine, sources=shown, config=config, dialect=plan.dialect), *errors]

    def check_status(self, target: Target) -> list[FileResult]:
        path, config = target.path, target.config
        if real_path(path) in self.paired_status:
            return []
        self.paired_status.add(real_path(path))
        try:
            status = load_status(path)
        except PlanlintError as error:
            return [FileResult(path, error=error)]
        plan_path = self.pairer(config).plan_for(path)
        plan, found = None, False
        if plan_path is not None:
            try:
                plan, found = load_plan(relative_to_cwd(plan_path), config), True
            except PlanlintError:  # an unreadable plan: the status file is checked alone
                plan = None
        if plan is None:
            plan = parse_plan(SourceText.from_text("", path.with_name("(no plan)")))
        diagnostics = [
            d
            for d in lint_plan(plan, config, status=status, plan_found=found)
            if d.span.path == status.path or (found and d.code.startswith("PL2"))
        ]
        sources = {status.path: status.source, plan.path: plan.source}
        return [FileResult(path, status.source, diagnostics, sources=sources, config=config)]


def load_status(path: Path | str) -> Status:
    """Read and parse a status.json (InputError when it is not UTF-8 text; invalid JSON is kept
    as `Status.error` for PL201 rather than raised)."""
    from planlint.parse.status import parse_status  # a plan without a status.json never needs it

    return parse_status(read_source(path))


def check(paths: Iterable[Path | str], config: Config | Configs | None = None) -> list[Diagnostic]:
    """Every diagnostic for these files and folders, sorted; unreadable inputs raise InputError."""
    results = check_paths(paths, config)
    for result in results:
        if result.error is not None:
            raise result.error
    return sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
