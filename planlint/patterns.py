"""planlint's regular expressions: compiled once per interpreter, not once per run.

CPython compiles a pattern in Python code, 40-250 us each, and a check uses about sixty: some
5 ms of a run that should feel instant in a pre-commit hook. Two remedies, for module-level
patterns:

- `compile(regex, flags)` is `re.compile`, except that the compiled *program* (the opcodes
  CPython's regex engine runs) is kept in a cache file and reused by later runs, as Python keeps
  bytecode: reading the file and rebuilding every pattern from its program takes 0.1 ms. The
  file lives in the user's cache folder (`~/.cache/planlint`, or `PLANLINT_CACHE_DIR`; set that
  empty to turn the cache off), one per planlint version and interpreter, and is written at
  exit when a run compiled something new. A program is stored only after the pattern built
  from it compared equal to `re.compile`'s (a Pattern's equality compares its program), and a
  file is read only by the exact interpreter version, with the same regex engine MAGIC number,
  that wrote it. The cache is used on CPython 3.10-3.13, whose private `_sre.compile` takes a
  program; elsewhere, and whenever the file is missing, damaged or unwritable, patterns are
  simply compiled.
- `deferred(regex, flags)` compiles on first use, for patterns only some plans need (symbol
  citations, notes without a marker, suppression comments), so a plan that never needs one
  never pays for it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import sys
from typing import Any, cast

try:
    import _sre  # type: ignore[import-not-found]  # the engine `re` runs on; it has no stubs
except ImportError:  # pragma: no cover - an interpreter without CPython's engine
    _sre = None

FORMAT = 1  # bump when the stored tuple changes
_ENABLED = _sre is not None and sys.implementation.name == "cpython" and (3, 10) <= sys.version_info < (3, 14)

Program = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


class _ProgramCache:
    """(regex, flags) -> program, loaded from the cache file on first use."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.programs: dict[tuple[str, int], Program] | None = None
        self.added = False

    def get(self, key: tuple[str, int]) -> Program | None:
        if self.programs is None:
            self.programs = self._load()
        return self.programs.get(key)

    def put(self, key: tuple[str, int], program: Program) -> None:
        if self.programs is None:
            self.programs = self._load()
        self.programs[key] = program
        self.added = True

    def _load(self) -> dict[tuple[str, int], Program]:
        if self.path is None:
            return {}
        import marshal

        try:
            with open(self.path, "rb") as file:
                data = file.read()  # marshal.load(file) reads piece by piece: ten times slower
            header, programs = marshal.loads(data)
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return programs if header == _header() and isinstance(programs, dict) else {}

    def save(self) -> None:
        """Write every program known to this run when it added one (temp file + rename: a
        reader never sees half a file)."""
        if self.path is None or not self.added or not self.programs:
            return
        import marshal

        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as file:
                marshal.dump((_header(), self.programs), file)
            os.replace(temporary, self.path)
        except OSError:  # a read-only install: the next run compiles again
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _header() -> tuple[Any, ...]:
    """What a cache file must match to be read: the interpreter build that wrote it."""
    return (FORMAT, sys.version, _sre.MAGIC)


def _cache_path() -> str | None:
    """The cache file of this planlint version and interpreter (None: no cache)."""
    if not _ENABLED:
        return None
    folder = os.environ.get("PLANLINT_CACHE_DIR")
    if folder is None:
        folder = os.path.join(_user_cache_folder(), "planlint")
    if not folder:
        return None
    from planlint import __version__

    name = f"regex-{__version__}-{sys.implementation.cache_tag}-{sys.hexversion:x}.bin"
    return os.path.join(folder, name)


def _user_cache_folder() -> str:
    """Where the platform keeps a user's caches (what platformdirs' user_cache_dir says)."""
    if sys.platform == "win32":
        return os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches")
    return os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")


_CACHE = _ProgramCache(_cache_path())


@atexit.register
def _save_at_exit() -> None:
    _CACHE.save()


def compile(regex: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(regex, flags)`, rebuilt from a cached program when one is known."""
    if not _ENABLED:
        return re.compile(regex, flags)
    key = (regex, int(flags))
    program = _CACHE.get(key)
    if program is not None:
        try:
            return _from_program(regex, program)
        except Exception:
            pass
    compiled = re.compile(regex, flags)
    try:
        program = _program(regex, int(flags))
        if _from_program(regex, program) == compiled:
            _CACHE.put(key, program)
    except Exception:
        pass
    return compiled


def _program(regex: str, flags: int) -> Program:
    """What `re._compiler.compile` hands to `_sre.compile` (CPython 3.10-3.13)."""
    if sys.version_info >= (3, 11):
        from re import _compiler, _parser
    else:  # pragma: no cover - Python 3.10
        import sre_compile as _compiler
        import sre_parse as _parser

    parsed = _parser.parse(regex, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # type: ignore[attr-defined]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    final_flags = int(flags | parsed.state.flags)
    return (final_flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _from_program(regex: str, program: Program) -> re.Pattern[str]:
    final_flags, code, groups, groupindex, indexgroup = program
    pattern = _sre.compile(regex, final_flags, code, groups, groupindex, indexgroup)
    return cast("re.Pattern[str]", pattern)


class _Deferred:
    """Stands in for a compiled pattern; compiles it when an attribute is first asked for and
    then keeps each attribute in its own dict, so later look-ups cost what they would on the
    pattern itself."""

    def __init__(self, regex: str, flags: int) -> None:
        self._source = (regex, flags)

    def __getattr__(self, name: str) -> Any:  # only called for attributes not yet copied
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = compile(*self._source)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"deferred({self._source[0]!r})"


def deferred(regex: str, flags: int = 0) -> re.Pattern[str]:
    """`compile(regex, flags)`, done when the pattern is first used. Use its methods (`.search`,
    `.sub`, ...); do not pass it to `re.search` and friends."""
    return cast("re.Pattern[str]", _Deferred(regex, flags))
