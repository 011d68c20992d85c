"""The shipped status schema's verdicts on disk, by content: `.planlint_cache/schema-v1/`.

A status file that fails the schema needs jsonschema to word its failures, and importing
jsonschema costs more than checking a plan. What `schema.violations` found is kept under the
SHA-256 of everything that decides it (the document's text, the shipped schema, planlint's
version and the installed jsonschema), so a run that meets the same file again reads the words
back instead of importing jsonschema, and a valid file is not walked again. jsonschema stays the
validator of record: every message here is one it wrote; a user's schema is never cached. The
folder follows the symbol cache's rules (atomic writes, never through a symlink, off with
`--no-cache` or when it cannot be written).
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib.util import find_spec
from typing import Any

from planlint.analysis.schema import Violation, shipped_schema_text
from planlint.analysis.symbol_cache import SymbolCache
from planlint.version import __version__

FORMAT = "schema-v1"  # bump when an entry's content changes: older entries are then never read


class VerdictCache(SymbolCache):
    """Entries under `<root>/.planlint_cache/schema-v1/`, one JSON file per key."""

    def get_verdict(self, key: str) -> list[Violation] | None:
        """The violations kept for this key; None when missing or damaged (validate again)."""
        raw = self._read(self._entry(key, FORMAT))
        try:
            if raw is None or raw["format"] != FORMAT or raw["key"] != key:
                return None
            found = [Violation(pointer, message, at_key) for pointer, message, at_key in raw["violations"]]
        except (ValueError, KeyError, TypeError):
            return None
        if not all(
            isinstance(v.pointer, str) and isinstance(v.message, str) and isinstance(v.at_key, bool) for v in found
        ):
            return None
        return found

    def put_verdict(self, key: str, found: list[Violation]) -> None:
        entry = {"format": FORMAT, "key": key, "violations": [list(v) for v in found]}
        self._write(self._entry(key, FORMAT), entry)


def verdict_key(text: str) -> str:
    """The key of a status file's verdict under the shipped schema."""
    digest = _environment().copy()
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _environment() -> Any:
    """The hash of what every key shares: package data and the jsonschema this process would
    import (asked once per process, as `schema.load_schema` reads the schema once)."""
    digest = hashlib.sha256()
    for part in (FORMAT, __version__, _jsonschema_identity(), shipped_schema_text()):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest


def _jsonschema_identity() -> str:
    """Which jsonschema words the failures, found without importing it: where its package is and
    its `__init__.py`'s size and time (a new version or a reinstall changes them)."""
    spec = find_spec("jsonschema")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "none"
    try:
        info = os.stat(origin)
    except OSError:
        return origin
    return f"{origin}:{info.st_size}:{info.st_mtime_ns}"
