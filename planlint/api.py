"""Per-file orchestration: read -> parse -> engine -> FileResult. Prints nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planlint.config import Config
from planlint.diagnostic import Diagnostic
from planlint.engine import lint_plan
from planlint.errors import InputError, PlanlintError
from planlint.io import STDIN, missing_reason, read_source, read_stdin, walk_files
from planlint.model import Plan, Span
from planlint.pairing import STATUS_NAME, Pairer
from planlint.parse.plan import parse_plan
from planlint.text import SourceText

if TYPE_CHECKING:
    from planlint.emit import Analysis
    from planlint.fixer import FixOutcome
    from planlint.parse.status import Status


@dataclass
class FileResult:
    """The outcome for one input: diagnostics, or the error that stopped planlint reading it."""

    path: Path
    source: SourceText | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: PlanlintError | None = None
    sources: dict[Path, SourceText] = field(default_factory=dict)

    def locate(self, span: Span) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of a span, all counted from 1."""
        source = self.sources.get(span.path) or self.source
        if source is None:
            return 1, 1, 1, 1
        line, column = source.position(span.start)
        end_line, end_column = source.position(span.end)
        return line, column, end_line, end_column


def load_plan(path: Path | str) -> Plan:
    """Read and parse one plan file (InputError when it cannot be read as UTF-8 text)."""
    return parse_plan(read_source(path))


def check_text(text: str, path: Path | str = "<text>", config: Config | None = None) -> list[Diagnostic]:
    """Lint plan text held in memory."""
    source = SourceText.from_text(text, path)
    return lint_plan(parse_plan(source), config or Config())


def check_file(path: Path, config: Config, *, explicit: bool = True) -> FileResult | None:
    """Check one plan or status.json, with its pair (see `check_paths`)."""
    return _Run(config).check(path, explicit)


def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, bool]], list[FileResult]]:
    """Expand folders to the plans and status files inside them, as (path, named explicitly)
    pairs, plans first; missing paths become error results."""
    files: list[tuple[Path, bool]] = []
    errors: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            files.extend((p, False) for p in walk_files(path, ".md"))
            files.extend((p, False) for p in walk_files(path, STATUS_NAME) if p.name == STATUS_NAME)
        elif path.exists():
            files.append((path, True))
        else:
            errors.append(FileResult(path, error=InputError(missing_reason(path), path)))
    seen: set[Path] = set()
    unique = []
    for path, explicit in sorted(files, key=lambda item: is_status_file(item[0])):
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((path, explicit))
    return unique, errors


def is_status_file(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def configured_plans(config: Config) -> list[Path]:
    """Files matching the config's `plans` globs under its root."""
    found: dict[Path, None] = {}
    for pattern in config.plans:
        found.update((_relative_to_cwd(p), None) for p in sorted(config.root.glob(pattern)) if p.is_file())
    return list(found)


def _relative_to_cwd(path: Path) -> Path:
    """Show paths the way a user would type them when they lie under the current folder."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def check_paths(
    paths: Iterable[Path | str], config: Config | None = None, *, stdin: Path | None = None
) -> list[FileResult]:
    """Check files and folders: errors first, then plans (each with its status.json), then
    status files whose plan was not among them (DESIGN.md §5: either file checks the pair).

    With `stdin`, a plan is also read from standard input and checked as a file of that name
    (`io.STDIN` for none), paired with that name's status.json on disk."""
    config = config or Config()
    files, results = discover([Path(p) for p in paths])
    run = _Run(config)
    if stdin is not None:
        try:
            result = run.check_plan_source(read_stdin(stdin if stdin != STDIN else None), explicit=True)
        except PlanlintError as error:
            result = FileResult(stdin, error=error)
        if result is not None:
            results.append(result)
    for path, explicit in files:
        result = run.check(path, explicit)
        if result is not None:
            results.append(result)
    return results


class _Run:
    """One check run: finds pairs once and checks each status file once."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.pairer = Pairer(config)
        self.paired_status: set[Path] = set()

    def check(self, path: Path, explicit: bool) -> FileResult | None:
        if is_status_file(path):
            return self.check_status(path)
        return self.check_plan(path, explicit)

    def check_plan(self, path: Path, explicit: bool) -> FileResult | None:
        try:
            source = read_source(path)
        except PlanlintError as error:
            return FileResult(path, error=error)
        return self.check_plan_source(source, explicit)

    def check_plan_source(self, source: SourceText, explicit: bool) -> FileResult | None:
        path = source.path
        plan = parse_plan(source)
        if not plan.phases and (not explicit or not plan.looks_like_plan):
            return None  # a README beside the plans is not a plan (PL001 is for plan-like files)
        sources = {source.path: source}
        status = None
        # A plan piped in without --stdin-filename has no name to pair by.
        status_path = self.pairer.status_for(path) if plan.phases and path != STDIN else None
        if status_path is not None:
            status = self._read_status(_relative_to_cwd(status_path))
        if status is not None:
            sources[status.path] = status.source
            self.paired_status.add(status.path.resolve())
        return FileResult(path, source, lint_plan(plan, self.config, status=status), sources=sources)

    def check_status(self, path: Path) -> FileResult | None:
        if path.resolve() in self.paired_status:
            return None
        try:
            status = load_status(path)
        except PlanlintError as error:
            return FileResult(path, error=error)
        plan_path = self.pairer.plan_for(path)
        if plan_path is not None:
            try:
                plan = load_plan(_relative_to_cwd(plan_path))
                found = True
            except PlanlintError:
                plan, found = None, False
        else:
            plan, found = None, False
        if plan is None:
            plan = parse_plan(SourceText.from_text("", path.with_name("(no plan)")))
        diagnostics = [
            d
            for d in lint_plan(plan, self.config, status=status, plan_found=found)
            if d.span.path == status.path or (found and d.code.startswith("PL2"))
        ]
        sources = {status.path: status.source, plan.path: plan.source}
        return FileResult(path, status.source, diagnostics, sources=sources)

    def _read_status(self, path: Path) -> Status | None:
        try:
            return load_status(path)
        except PlanlintError:
            return None  # reported when the status file itself is checked


@dataclass
class FixResult:
    """What `fix` did for one plan (and its status.json)."""

    path: Path
    outcome: FixOutcome | None = None
    error: PlanlintError | None = None
    written: list[Path] = field(default_factory=list)


def fix_paths(
    paths: Iterable[Path | str], config: Config | None = None, *, unsafe: bool = False, write: bool = True
) -> list[FixResult]:
    """Fix plans (and their status.json files); with `write`, save what changed atomically."""
    from planlint.fixer import fix_pair, write_outcome

    config = config or Config()
    files, errors = discover([Path(p) for p in paths])
    results = [FixResult(r.path, error=r.error) for r in errors]
    pairer = Pairer(config)
    done: set[Path] = set()
    for path, explicit in files:
        if is_status_file(path):
            plan_path = pairer.plan_for(path)
            if plan_path is None:
                continue  # nothing to fix a lone status file against
            path, explicit = _relative_to_cwd(plan_path), True
        if path.resolve() in done:
            continue
        done.add(path.resolve())
        try:
            source = read_source(path)
            if not explicit and not parse_plan(source).phases:
                continue
            status_source = _paired_status_source(pairer, path)
        except PlanlintError as error:
            results.append(FixResult(path, error=error))
            continue
        outcome = fix_pair(source, status_source, config, unsafe=unsafe)
        result = FixResult(path, outcome)
        if write and outcome.refused is None:
            try:
                result.written = write_outcome(outcome, config.root)
            except PlanlintError as error:
                result.error = error
        results.append(result)
    return results


def fix_source(source: SourceText, config: Config | None = None, *, unsafe: bool = False) -> FixResult:
    """Fix a plan held in memory (`planlint fix -`) and write nothing: the fixed plan is
    `outcome.texts[source.path]`. Only the plan is fixed; its status.json is not read, so the
    status rules and their fixes do not run (`planlint fix PLAN` fixes the pair)."""
    from planlint.fixer import fix_pair

    return FixResult(source.path, fix_pair(source, None, config or Config(), unsafe=unsafe))


def _paired_status_source(pairer: Pairer, plan_path: Path) -> SourceText | None:
    status_path = pairer.status_for(plan_path)
    return read_source(_relative_to_cwd(status_path)) if status_path else None


def load_status(path: Path | str) -> Status:
    """Read and parse a status.json (InputError when it is not UTF-8 text; invalid JSON is kept
    as `Status.error` for PL201 rather than raised)."""
    from planlint.parse.status import parse_status  # a plan without a status.json never needs it

    return parse_status(read_source(path))


def analyse_plan(plan: Plan, status: Status | None = None, config: Config | None = None,
                 root: Path | str | None = None) -> Analysis:  # fmt: skip
    """Conflicts, constraints and the schedule of a plan: what emit, next and the API share."""
    from planlint.emit import analyse
    from planlint.rule import Context

    config = config or Config()
    return analyse(Context(plan, config, Path(root) if root is not None else config.root, status, status is not None))


def constraints(plan: Plan, status: Status | None = None, *, config: Config | None = None,
                root: Path | str | None = None) -> dict[str, Any]:  # fmt: skip
    """The constraint metadata document of DESIGN.md §5 (what `planlint emit` prints)."""
    from planlint.emit import constraints_document

    return constraints_document(analyse_plan(plan, status, config, root), plan_path=plan.path.as_posix())


def constraints_prompt(plan: Plan, tasks: Iterable[str] | None = None, status: Status | None = None, *,
                       config: Config | None = None, root: Path | str | None = None) -> str:  # fmt: skip
    """The `## Execution Constraints` block of these task IDs (every task when None) for an agent's
    prompt: what `planlint emit PLAN --format prompt --tasks IDS` prints."""
    from planlint.emit_formats import prompt_block

    return prompt_block(constraints(plan, status, config=config, root=root), tasks)


def next_batch(plan: Plan, status: Status | None, n: int, *, cross_phase: bool = False,
               config: Config | None = None, root: Path | str | None = None) -> dict[str, Any]:  # fmt: skip
    """The next conflict-free batch of at most n tasks (what `planlint next` prints)."""
    from planlint.batch import next_batch as select

    return select(analyse_plan(plan, status, config, root), status, n, cross_phase=cross_phase)


def check(paths: Iterable[Path | str], config: Config | None = None) -> list[Diagnostic]:
    """Every diagnostic for these files and folders, sorted; unreadable inputs raise InputError."""
    results = check_paths(paths, config)
    for result in results:
        if result.error is not None:
            raise result.error
    return sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key)
