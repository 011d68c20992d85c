"""Per-file orchestration: read -> parse -> engine -> FileResult. Prints nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planlint.config import Config
from planlint.diagnostic import Diagnostic
from planlint.engine import lint_plan
from planlint.errors import InputError, PlanlintError
from planlint.io import read_source, walk_files
from planlint.model import Plan, Span
from planlint.parse.plan import parse_plan
from planlint.text import SourceText


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
    """Check one file. A file found inside a folder (not explicit) is skipped (None) unless it
    has a phase heading, so READMEs and notes beside the plans are not linted as plans."""
    try:
        source = read_source(path)
    except PlanlintError as error:
        return FileResult(path, error=error)
    plan = parse_plan(source)
    if not explicit and not plan.phases:
        return None
    return FileResult(path, source, lint_plan(plan, config), sources={source.path: source})


def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, bool]], list[FileResult]]:
    """Expand folders to the Markdown files inside them, as (path, named explicitly) pairs;
    missing paths become error results."""
    files: list[tuple[Path, bool]] = []
    errors: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            files.extend((p, False) for p in walk_files(path, ".md"))
        elif path.exists():
            files.append((path, True))
        else:
            errors.append(FileResult(path, error=InputError("no such file or directory", path)))
    seen: set[Path] = set()
    unique = []
    for path, explicit in files:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((path, explicit))
    return unique, errors


def configured_plans(config: Config) -> list[Path]:
    """Files matching the config's `plans` globs under its root."""
    found: dict[Path, None] = {}
    for pattern in config.plans:
        found.update((_relative_to_cwd(p), None) for p in sorted(config.root.glob(pattern)) if p.is_file())
    return list(found)


def _relative_to_cwd(path: Path) -> Path:
    """Show paths the way a user would type them when they lie under the current folder."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def check_paths(paths: Iterable[Path | str], config: Config | None = None) -> list[FileResult]:
    """Check files and folders; errors first, then files in the order they were found."""
    config = config or Config()
    files, results = discover([Path(p) for p in paths])
    for path, explicit in files:
        result = check_file(path, config, explicit=explicit)
        if result is not None:
            results.append(result)
    return results
