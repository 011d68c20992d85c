"""Where Python symbols are defined: the libcst index behind PL303, PL304 and symbol conflicts.

For each Python file a plan needs, the qualified names it defines (functions, classes, methods,
class attributes, module-level assignments) with their line ranges, from libcst's
PositionProvider. Built lazily: only the files a plan cites, plus, to resolve a bare symbol such
as `_build_prompt()`, the Python files under the configured `src` roots whose text contains its
name. Results are cached in `.planlint_cache/` under the root, keyed by the SHA-256 of the file's
bytes, so a second run parses nothing that did not change. Entries are written to a temporary
file and renamed into place, so two concurrent runs never read half an entry; a damaged entry is a
cache miss; the folder tells git to ignore it and may be deleted at any time. libcst is imported
only when a file must really be parsed, and a file it cannot parse is a `ParseProblem`, never an
exception.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planlint.analysis.files import FileIndex
    from planlint.model import Plan

LOG = logging.getLogger(__name__)

CACHE_DIR = ".planlint_cache"
FORMAT = "symbols-v1"  # bump when an entry's content changes: older entries are then never read
PYTHON_SUFFIXES = (".py", ".pyi")
_MAX_BYTES = 16 * 1024 * 1024
_MEMO_SIZE = 8192  # parsed files kept in memory by content hash, across the plans of one process
_MEMO: OrderedDict[str, FileSymbols] = OrderedDict()
_BY_PLAN: weakref.WeakKeyDictionary[Plan, SymbolIndex] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Definition:
    """A name a file defines, with its lines (1-based, inclusive)."""

    qualname: str  # `Orchestrator.run`; module-level names have no prefix
    kind: str  # function, method, class, attribute (in a class body) or variable (module level)
    start: int  # first line, decorators included
    line: int  # the `def` or `class` line; the statement's first line for an assignment
    end: int

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class ParseProblem:
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class FileSymbols:
    """What one Python file defines, or why it could not be parsed."""

    definitions: tuple[Definition, ...]
    imports: frozenset[str]  # names that module-level imports bind (`os`, `Path`, `np`)
    line_count: int
    problem: ParseProblem | None = None

    def find(self, name: str, module: str = "", *, attributes: bool = True) -> list[Definition]:
        """Definitions a cited name means: `run` or `Orchestrator.run` or `app.Orchestrator.run`."""
        return [
            d for d in self.definitions
            if _matches(d.qualname, name, module) and (attributes or d.kind != "attribute")
        ]  # fmt: skip


def symbol_name(text: str) -> str:
    """The name a symbol reference cites: `_build_prompt()` -> `_build_prompt`, `self.run` -> `run`."""
    name = text.split("(", 1)[0].strip()
    for prefix in ("self.", "cls."):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def module_name(path: str) -> str:
    """`scripts/lib/app.py` -> `scripts.lib.app`; a package's `__init__.py` is the package."""
    parts = path.rsplit(".", 1)[0].split("/")
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _matches(qualname: str, name: str, module: str) -> bool:
    if qualname == name or qualname.endswith("." + name):
        return True
    if module and "." in name:
        full = f"{module}.{qualname}"
        return full == name or full.endswith("." + name)
    return False


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


class SymbolIndex:
    """One plan's view of the repository's Python definitions (see the module docstring)."""

    def __init__(self, root: Path, src: Sequence[str] = (".",), files: FileIndex | None = None,
                 *, cache: bool = True) -> None:  # fmt: skip
        self.root = root.resolve()
        self.src = tuple(src)
        self._files = files
        self._cache_dir: Path | None = self.root / CACHE_DIR if cache else None
        self._cache_ready = False
        self._symbols: dict[str, FileSymbols | None] = {}
        self._lines: dict[str, int | None] = {}
        self._definers: dict[str, tuple[str, ...]] = {}
        self._candidates: dict[str, tuple[str, ...]] = {}
        self._python: list[str] | None = None
        self.parsed = 0  # files this index parsed with libcst
        self.cached = 0  # files this index took from the cache (disk or memory)

    @property
    def files(self) -> FileIndex:
        if self._files is None:
            from planlint.analysis.files import file_index

            self._files = file_index(self.root)
        return self._files

    def exists(self, path: str) -> bool:
        """A file on disk, even one git ignores (the file index lists tracked and new files)."""
        return (self.root / path).is_file()

    def line_count(self, path: str) -> int | None:
        """Lines of any text file under the root (libcst not involved); None when unreadable."""
        known = self._symbols.get(path)
        if known is not None:
            return known.line_count
        if path not in self._lines:
            data = self._read(path)
            self._lines[path] = None if data is None else count_lines(data)
        return self._lines[path]

    def symbols(self, path: str) -> FileSymbols | None:
        """What a Python file under the root defines; None when it cannot be read."""
        if path not in self._symbols:
            data = self._read(path)
            self._symbols[path] = None if data is None else self._load(data)
        return self._symbols[path]

    def python_files(self) -> list[str]:
        """The Python files under the `src` roots, as repository paths."""
        if self._python is None:
            from planlint.analysis.files import normalise

            found: set[str] = set()
            for root in self.src:
                prefix = normalise(root)
                listed = self.files.under(prefix) if prefix else self.files.files
                found.update(p for p in listed if p.endswith(PYTHON_SUFFIXES))
            self._python = sorted(found)
        return self._python

    def prefetch(self, names: Iterable[str]) -> None:
        """Find the files that define each name, reading each source file once for all names.

        Only files whose text contains a name's last part can define it, so only those are parsed.
        """
        wanted = {n for n in names if n and n not in self._definers}
        if not wanted:
            return
        needles = {n: n.rsplit(".", 1)[-1].encode() for n in wanted}
        definers: dict[str, list[str]] = {n: [] for n in wanted}
        candidates: dict[str, list[str]] = {n: [] for n in wanted}
        for path in self.python_files():
            symbols = self._symbols.get(path)
            if symbols is None or symbols.problem is not None:
                data = self._read(path)
                hits = [n for n, needle in needles.items() if data is not None and needle in data]
                if data is None or not hits:
                    continue
                if symbols is None:
                    symbols = self._symbols[path] = self._load(data)
            else:
                hits = list(wanted)
            module = module_name(path)
            for name in hits:
                candidates[name].append(path)
                # a bare `in_progress` is a word, not a field of some model: class attributes
                # count only when the name is qualified (`Summary.in_progress`)
                if symbols.find(name, module, attributes="." in name):
                    definers[name].append(path)
        self._definers.update((n, tuple(p)) for n, p in definers.items())
        self._candidates.update((n, tuple(p)) for n, p in candidates.items())

    def defining(self, name: str) -> tuple[str, ...]:
        """The Python files under `src` that define name."""
        self.prefetch((name,))
        return self._definers[name]

    def resolve(self, name: str) -> str | None:
        """The one file that defines name; None when no file or several do (never a guess)."""
        found = self.defining(name)
        return found[0] if len(found) == 1 else None

    def unparsable(self, name: str) -> list[tuple[str, ParseProblem]]:
        """Files that might define name but could not be parsed."""
        self.prefetch((name,))
        found = []
        for path in self._candidates[name]:
            symbols = self._symbols.get(path)
            if symbols is not None and symbols.problem is not None:
                found.append((path, symbols.problem))
        return found

    # -- reading, parsing and the cache ------------------------------------------------------

    def _read(self, path: str) -> bytes | None:
        try:
            target = self.root / path
            if target.stat().st_size > _MAX_BYTES:
                return None
            return target.read_bytes()
        except (OSError, ValueError):
            return None

    def _load(self, data: bytes) -> FileSymbols:
        digest = hashlib.sha256(data).hexdigest()
        symbols = _MEMO.get(digest)
        if symbols is not None:
            _MEMO.move_to_end(digest)
            self.cached += 1
            return symbols
        symbols = self._read_entry(digest)
        if symbols is None:
            symbols = extract_symbols(data)
            self.parsed += 1
            self._write_entry(digest, symbols)
        else:
            self.cached += 1
        _MEMO[digest] = symbols
        if len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
        return symbols

    def _entry(self, digest: str) -> Path | None:
        return None if self._cache_dir is None else self._cache_dir / FORMAT / digest[:2] / f"{digest}.json"

    def _read_entry(self, digest: str) -> FileSymbols | None:
        entry = self._entry(digest)
        if entry is None:
            return None
        try:
            return _from_json(json.loads(entry.read_bytes()), digest)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # missing or damaged: parse again (and overwrite it)

    def _write_entry(self, digest: str, symbols: FileSymbols) -> None:
        entry = self._entry(digest)
        if entry is None or self._cache_dir is None:
            return
        try:
            if not self._cache_ready:
                _prepare(self._cache_dir)
                self._cache_ready = True
            entry.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(entry, json.dumps(_to_json(symbols, digest), separators=(",", ":")))
        except OSError as exc:  # a read-only checkout: run without the cache
            LOG.debug("symbol cache disabled under %s: %s", self._cache_dir, exc)
            self._cache_dir = None


def index_for(plan: Plan, root: Path, src: Sequence[str] | None = None) -> SymbolIndex:
    """The symbol index of one parsed plan, shared by its rules and its conflict model.

    `src` defaults to the roots of the config that governs `root` (the conflict model is not
    handed the config).
    """
    root = root.resolve()
    index = _BY_PLAN.get(plan)
    if index is None or index.root != root or (src is not None and index.src != tuple(src)):
        index = SymbolIndex(root, configured_src(root) if src is None else src)
        _BY_PLAN[plan] = index
    return index


def configured_src(root: Path) -> tuple[str, ...]:
    from planlint.config import load_config
    from planlint.errors import PlanlintError

    try:
        return load_config(start=root).src
    except PlanlintError:
        return (".",)


def clear_memory() -> None:
    """Forget parsed files held in memory (the disk cache stays): for benchmarks and tests."""
    _MEMO.clear()


def _prepare(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tag = "Signature: 8a477f597d28d172789f06886806bc55\n# planlint cache: safe to delete\n"
    for name, text in ((".gitignore", "# created by planlint\n*\n"), ("CACHEDIR.TAG", tag)):
        if not (cache_dir / name).exists():
            _atomic_write(cache_dir / name, text)


def _atomic_write(path: Path, text: str) -> None:
    """Write a temporary file beside path and rename it over path (atomic on POSIX and Windows)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a cache entry is not a secret
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _to_json(symbols: FileSymbols, digest: str) -> dict[str, Any]:
    problem = symbols.problem
    return {
        "format": FORMAT,
        "sha256": digest,
        "lines": symbols.line_count,
        "definitions": [[d.qualname, d.kind, d.start, d.line, d.end] for d in symbols.definitions],
        "imports": sorted(symbols.imports),
        "problem": None if problem is None else [problem.line, problem.column, problem.message],
    }


def _from_json(raw: dict[str, Any], digest: str) -> FileSymbols:
    if raw["format"] != FORMAT or raw["sha256"] != digest:
        raise ValueError("not an entry for this content")
    problem = raw["problem"]
    return FileSymbols(
        tuple(Definition(str(q), str(k), int(s), int(n), int(e)) for q, k, s, n, e in raw["definitions"]),
        frozenset(str(i) for i in raw["imports"]),
        int(raw["lines"]),
        None if problem is None else ParseProblem(int(problem[0]), int(problem[1]), str(problem[2])),
    )


# -- extraction with libcst ----------------------------------------------------------------


def extract_symbols(data: bytes) -> FileSymbols:
    """Parse one file's bytes with libcst: its definitions, or the problem that stopped it."""
    # libcst is heavy to import: only here, when a file really has to be parsed (STYLE.md §2.11)
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    lines = count_lines(data)
    try:
        module = cst.parse_module(data)
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        collector = _Collector(cst, positions)
        collector.block(module.body, "", in_class=False)
    except cst.ParserSyntaxError as exc:
        message = re.sub(r"^(?:parser error: )?(?:error at \d+:\d+: )?", "", exc.message.splitlines()[0])
        message = "invalid syntax" if message.startswith("expected one of") else message  # a long token list
        return FileSymbols((), frozenset(), lines, ParseProblem(exc.editor_line, exc.editor_column, message))
    except Exception as exc:  # noqa: BLE001 - encodings, recursion: any failure is a problem, not a crash
        return FileSymbols((), frozenset(), lines, ParseProblem(1, 1, f"{type(exc).__name__}: {exc}"))
    return FileSymbols(tuple(collector.found), frozenset(collector.imports), lines)


class _Collector:
    """Module- and class-level definitions, through `if`/`try`/`with`/loops but not into functions."""

    def __init__(self, cst: Any, positions: Any) -> None:
        self.cst = cst
        self.positions = positions
        self.found: list[Definition] = []
        self.imports: set[str] = set()

    def block(self, statements: Sequence[Any], prefix: str, *, in_class: bool) -> None:
        for statement in statements:
            self.statement(statement, prefix, in_class)

    def statement(self, node: Any, prefix: str, in_class: bool) -> None:
        cst = self.cst
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            where = self.positions[node]
            start = min([where.start.line] + [self.positions[d].start.line for d in node.decorators])
            name = prefix + node.name.value
            kind = "class" if isinstance(node, cst.ClassDef) else "method" if in_class else "function"
            self.found.append(Definition(name, kind, start, where.start.line, where.end.line))
            if isinstance(node, cst.ClassDef):
                self.block(self.suite(node.body), name + ".", in_class=True)
        elif isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            first, last = self.positions[node].start.line, self.positions[node].end.line
            kind = "attribute" if in_class else "variable"
            for small in node.body:
                for name in self.bound_names(small, top=not prefix):
                    self.found.append(Definition(prefix + name, kind, first, first, last))
        else:
            for suite in self.suites(node):
                self.block(self.suite(suite), prefix, in_class=in_class)

    def suites(self, node: Any) -> list[Any]:
        """The bodies of a compound statement other than a def or class."""
        cst = self.cst
        found = []
        if isinstance(node, (cst.If, cst.With, cst.For, cst.While, cst.Try, cst.TryStar)):
            found.append(node.body)
            found.extend(handler.body for handler in getattr(node, "handlers", ()))
            orelse = getattr(node, "orelse", None)
            if isinstance(orelse, cst.If):
                found.extend(self.suites(orelse))
            elif orelse is not None:
                found.append(orelse.body)
            final = getattr(node, "finalbody", None)
            if final is not None:
                found.append(final.body)
        return found

    def suite(self, suite: Any) -> Sequence[Any]:
        return suite.body if isinstance(suite, self.cst.IndentedBlock) else (suite,)

    def bound_names(self, small: Any, *, top: bool) -> list[str]:
        cst = self.cst
        if isinstance(small, cst.Assign):
            return [n for target in small.targets for n in self.target_names(target.target)]
        if isinstance(small, cst.AnnAssign):
            return self.target_names(small.target)
        if isinstance(small, cst.TypeAlias):
            return [small.name.value]
        imports = isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar)
        if top and imports:
            for alias in small.names:
                bound = alias.asname.name if alias.asname else alias.name
                while isinstance(bound, cst.Attribute):  # `import a.b` binds `a`
                    bound = bound.value
                if isinstance(bound, cst.Name):
                    self.imports.add(bound.value)
        return []

    def target_names(self, target: Any) -> list[str]:
        cst = self.cst
        if isinstance(target, cst.Name):
            return [target.value]
        if isinstance(target, (cst.Tuple, cst.List)):
            return [n for element in target.elements for n in self.target_names(element.value)]
        return []
