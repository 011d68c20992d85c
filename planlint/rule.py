"""The Rule base class and the Context a rule reads (STYLE.md §2.3)."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from planlint.diagnostic import Applicability, Diagnostic, Fix, Related, Severity
from planlint.model import Plan, Span

if TYPE_CHECKING:
    from planlint.analysis.access import Vocabulary
    from planlint.analysis.citations import Citation
    from planlint.analysis.conflicts import ConflictModel
    from planlint.analysis.dependencies import DependencyGraph
    from planlint.analysis.drift import StatusPairing
    from planlint.analysis.notes import NoteAnalysis
    from planlint.analysis.parity import ParityReport
    from planlint.analysis.references import PlanReferences
    from planlint.analysis.symbols import SymbolIndex
    from planlint.config import Config
    from planlint.parse.status import Status


_PHASED_FAMILIES = ("PL00", "PL01", "PL12", "PL2")


class Context:
    """What rules read; derived views are built on first use and shared by all rules.

    A plain class rather than a dataclass: defining one costs a check's startup about 0.3 ms.
    """

    def __init__(
        self,
        plan: Plan,
        config: Config,
        root: Path | None = None,
        status: Status | None = None,
        plan_found: bool = True,
    ) -> None:
        self.plan = plan
        self.config = config
        self.root = root if root is not None else Path.cwd()
        self.status = status  # the paired status.json, when one was found
        self.plan_found = plan_found  # False when a status.json is checked without its plan

    @cached_property
    def notes(self) -> NoteAnalysis:
        from planlint.analysis.notes import analyse_notes

        return analyse_notes(self.plan)

    @cached_property
    def dependencies(self) -> DependencyGraph:
        from planlint.analysis.dependencies import DependencyGraph

        return DependencyGraph.from_plan(self.plan)

    @cached_property
    def pairing(self) -> StatusPairing:
        from planlint.analysis.drift import StatusPairing, pair_status

        return pair_status(self.plan, self.status) if self.status and self.plan_found else StatusPairing()

    @cached_property
    def references(self) -> PlanReferences:
        """The file and symbol references of each block, extracted once for the check."""
        from planlint.analysis.references import PlanReferences

        return PlanReferences(self.plan)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The access-mode verbs with the config's `[tool.planlint.access]` lists: the one reading
        of write and read that PL101, PL301 and the conflict model share."""
        from planlint.analysis.access import Vocabulary

        return Vocabulary.from_config(self.config.access)

    @cached_property
    def conflicts(self) -> ConflictModel:
        from planlint.analysis.conflicts import conflicts_for

        return conflicts_for(self.references, self.notes, self.root, self.vocabulary, self.symbols)

    @cached_property
    def citations(self) -> tuple[Citation, ...]:
        """The plan's symbol references, each with the file it is said to live in (PL302-PL304)."""
        from planlint.analysis.citations import citations

        return citations(self.references)

    @cached_property
    def parity(self) -> ParityReport:
        """Where the orchestrator's own parser reads the plan differently (PL121-PL125)."""
        from planlint.analysis.parity import compare

        return compare(self.plan, self.notes)

    @cached_property
    def symbols(self) -> SymbolIndex:
        """The source tree seen from the plan: line counts, and the libcst index (parsed lazily)."""
        from planlint.analysis.symbols import SymbolIndex

        return SymbolIndex(self.root, self.config.src, cache=self.config.cache)


class Rule:
    """A rule finds problems; the engine adds file, severity, suppression and order.

    Subclasses set the class attributes and implement `check` as a generator. The class
    attributes are the one place a rule's metadata lives: planlint/catalogue.py, which the
    engine and the config read before importing a rule, is generated from them. The rule
    module's docstring is the user-facing explanation: its first line is the summary, the rest
    the rationale that `planlint rule CODE` prints.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    fixable: ClassVar[bool] = False
    opt_in: ClassVar[bool] = False  # off unless selected explicitly (DESIGN.md §4)
    needs_status: ClassVar[bool] = False  # runs only when a status.json is paired
    Options: ClassVar[type | None] = None  # a frozen dataclass of defaults, set by configurable rules
    # The dialects (DESIGN.md §7) whose plans it checks; None: by its family (`applies_to`).
    dialects: ClassVar[frozenset[str] | None] = None

    def __init__(self, severity: Severity | None = None, options: dict[str, Any] | None = None) -> None:
        self.level = severity if severity is not None else type(self).severity
        option_type = type(self).Options
        self.options: Any = option_type(**(options or {})) if option_type is not None else None

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        raise NotImplementedError

    @classmethod
    def applies_to(cls, dialect: str) -> bool:
        """Whether it checks plans of `dialect`: the format-specific families (PL00x-PL011
        numbering and structure, PL12x reader parity, PL2xx status.json) describe the phased
        format only, unless the rule says otherwise in `dialects`."""
        if cls.dialects is not None:
            return dialect in cls.dialects
        return dialect == "phased" or not cls.code.startswith(_PHASED_FAMILIES)

    def diagnostic(
        self,
        span: Span,
        message: str,
        *,
        related: Iterable[Related] = (),
        fix: Fix | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            message=message,
            span=span,
            severity=self.level,
            fix=fix,
            related=tuple(related),
        )

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0].strip().rstrip(".")

    @classmethod
    def rationale(cls) -> str:
        parts = cls.doc().split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    @classmethod
    def doc(cls) -> str:
        module = sys.modules.get(cls.__module__)
        return inspect.cleandoc((module.__doc__ if module else None) or cls.code)


class StatusRule(Rule):
    """A rule over the paired status.json: the engine runs it only when one was found, and it
    reads that file as `status` (with `needs_plan`, only when the plan it names was found too)."""

    needs_status = True
    needs_plan: ClassVar[bool] = False
    fold_after: ClassVar[int] = 10  # beyond this many like findings, one says it all (a screen per status file)

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.status is None or (self.needs_plan and not ctx.plan_found):
            return iter(())
        return self.check_status(ctx, ctx.status)

    def check_status(self, ctx: Context, status: Status) -> Iterator[Diagnostic]:
        raise NotImplementedError


class ParityRule(Rule):
    """A rule that reports where the orchestrator's own parser reads the plan differently
    (PL121-PL125): the divergences of its code that `Context.parity` found, with their fixes."""

    fixable = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for found in ctx.parity.of(self.code):
            fix = None
            if found.edits:
                applicability = Applicability.UNSAFE if found.unsafe else Applicability.SAFE
                fix = Fix(found.title, found.edits, applicability, newline=found.newline)
            yield self.diagnostic(found.span, found.message, fix=fix)
