"""`planlint fix` on files and folders: each plan fixed with its status.json, then written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from planlint.api import run_configs
from planlint.config import Config, Configs
from planlint.discovery import discover, is_index_file, is_status_file, real_path, relative_to_cwd
from planlint.engine import dialect_of
from planlint.errors import PlanlintError
from planlint.fix.loop import FixOutcome, fix_pair
from planlint.fix.writes import write_outcome
from planlint.io import read_source
from planlint.pairing import Pairer
from planlint.parse.plan import parse_plan
from planlint.text import SourceText


@dataclass
class FixResult:
    """What `fix` did for one plan (and its status.json)."""

    path: Path
    outcome: FixOutcome | None = None
    error: PlanlintError | None = None
    written: list[Path] = field(default_factory=list)
    config: Config | None = None  # the config of the file's root


def fix_paths(
    paths: Iterable[Path | str], config: Config | Configs | None = None, *, unsafe: bool = False, write: bool = True
) -> list[FixResult]:
    """Fix plans (and their status.json files); with `write`, save what changed atomically.

    The files looked at are those `check_paths` looks at (index files skipped, named or found);
    a status file stands for its plan."""
    configs = run_configs(config)
    targets, errors = discover([Path(p) for p in paths], configs)
    results = [FixResult(error.path or Path("."), error=error) for error in errors]
    pairers: dict[Config, Pairer] = {}  # one per root: each finds its pairs once
    done: set[Path] = set()
    for target in targets:
        path, config_ = target.path, target.config
        if config_ not in pairers:
            pairers[config_] = Pairer(config_)
        pairer = pairers[config_]
        if is_status_file(path):
            plan_path = pairer.plan_for(path)
            if plan_path is None:
                continue  # nothing to fix a lone status file against
            path = relative_to_cwd(plan_path)
        if real_path(path) in done:
            continue
        done.add(real_path(path))
        try:
            source = read_source(path)
            plan = parse_plan(source, dialect_of(config_, path))
            if is_index_file(plan):
                continue
            status_source = _paired_status_source(pairer, path)
            siblings = _gsd_siblings(path, done) if plan.dialect == "gsd" else ()
        except PlanlintError as error:
            results.append(FixResult(path, error=error))
            continue
        outcome = fix_pair(source, status_source, config_, unsafe=unsafe, siblings=siblings)
        result = FixResult(path, outcome, config=config_)
        if write and outcome.refused is None:
            try:
                result.written = write_outcome(outcome, config_.root)
            except PlanlintError as error:
                result.error = error
        results.append(result)
    return results


def fix_source(source: SourceText, config: Config | None = None, *, unsafe: bool = False) -> FixResult:
    """Fix a plan held in memory (`planlint fix -`) and write nothing: the fixed plan is
    `outcome.texts[source.path]`. Only the plan is fixed; its status.json is not read, so the
    status rules and their fixes do not run (`planlint fix PLAN` fixes the pair)."""
    config = config or Config()
    return FixResult(source.path, fix_pair(source, None, config, unsafe=unsafe), config=config)


def _gsd_siblings(path: Path, done: set[Path]) -> tuple[SourceText, ...]:
    """The other plans of a GSD plan's phase folder, fixed with it (and not again on their own)."""
    from planlint.parse.dialects.gsd import PLAN_GLOB

    siblings = []
    for sibling in sorted(path.parent.glob(PLAN_GLOB)):
        if real_path(sibling) != real_path(path):
            done.add(real_path(sibling))
            siblings.append(read_source(sibling))
    return tuple(siblings)


def _paired_status_source(pairer: Pairer, plan_path: Path) -> SourceText | None:
    status_path = pairer.status_for(plan_path)
    return read_source(relative_to_cwd(status_path)) if status_path else None
