"""Validating status.json against the shipped (or configured) JSON Schema.

jsonschema is imported here only, and only when a status file is checked; the validator is
built once per schema per run. `anyOf`/`oneOf` failures are reduced to their best match, and an
unknown key that is close to a known one gets a "did you mean".
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from planlint.errors import ConfigError
from planlint.value import NamedTuple


class Violation(NamedTuple):
    pointer: str  # where it is (JSON pointer)
    message: str
    at_key: bool = False  # point at the key rather than the value


def shipped_schema_text(name: str = "status.schema.json") -> str:
    return resources.files("planlint.schemas").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def load_schema(path: Path | None) -> dict[str, Any] | bool:
    """The shipped schema, or a user's own (a ConfigError when it cannot be read or is not a
    JSON Schema: an object or a boolean)."""
    if path is None:
        return json.loads(shipped_schema_text())
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read schema: {exc}", path) from None
    if not isinstance(schema, (dict, bool)):
        raise ConfigError(f"not a JSON Schema: a schema is an object or a boolean, not {type(schema).__name__}", path)
    return schema


@lru_cache(maxsize=4)
def _validator(path: Path | None) -> Any:
    """The validator of the schema's own draft, once the schema passed its meta-schema (a
    ConfigError names the first thing wrong with it: `{"type": 5}`, a bad regex)."""
    # NOTE: jsonschema is heavy; it is imported only on the path that validates status files.
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    schema = load_schema(path)
    cls = validator_for(schema)
    try:
        cls.check_schema(schema)
    except SchemaError as error:
        where = "".join(f"/{_escape(str(p))}" for p in error.absolute_path) or "/"
        raise ConfigError(f"not a valid JSON Schema: {where}: {_clip(error.message)}", path) from None
    except RecursionError:
        raise ConfigError("not a valid JSON Schema: nested too deeply", path) from None
    return cls(schema)


def violations(data: Any, schema_path: Path | None = None) -> Iterator[Violation]:
    from jsonschema.exceptions import best_match
    from referencing.exceptions import Unresolvable

    validator = _validator(schema_path)
    try:
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    except Unresolvable as exc:
        ref = getattr(exc, "ref", None) or getattr(getattr(exc, "_wrapped", None), "ref", None) or str(exc)
        raise ConfigError(f"schema has a $ref that cannot be resolved: {ref}", schema_path) from None
    except RecursionError:
        raise ConfigError("schema refers to itself without end ($ref loop)", schema_path) from None
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            error = best_match(error.context)
        pointer = "".join(f"/{_escape(str(p))}" for p in error.absolute_path)
        where = pointer or "/"
        message = _clip(error.message)
        yield Violation(pointer, f"{where}: {message}")
    yield from _near_misses(data, load_schema(schema_path))


def _near_misses(data: Any, schema: dict[str, Any] | bool, pointer: str = "") -> Iterator[Violation]:
    """Keys the schema does not know that look like typos of keys it does (`depends_on`)."""
    if not isinstance(data, dict) or not isinstance(schema, dict):
        return
    properties = schema.get("properties", {})
    known = list(properties)
    for key, value in data.items():
        child = f"{pointer}/{_escape(key)}"
        if key in properties:
            sub = properties[key]
            if not isinstance(sub, dict):
                continue
            if isinstance(value, dict):
                yield from _near_misses(value, sub, child)
            elif isinstance(value, list) and isinstance(sub.get("items"), dict):
                for index, item in enumerate(value):
                    yield from _near_misses(item, sub["items"], f"{child}/{index}")
            continue
        guess = _did_you_mean(key, known)
        if guess:
            yield Violation(child, f"{child}: unknown key '{key}'; did you mean '{guess}'?", at_key=True)


# Spellings whose closest string is the wrong key (`depends_on` is nearer to `dependents`).
_SYNONYMS = {"dependson": "dependencies", "depends": "dependencies", "deps": "dependencies",
             "requires": "dependencies", "blockedby": "dependencies", "desc": "description"}  # fmt: skip


def _did_you_mean(key: str, known: list[str]) -> str | None:
    def flat(name: str) -> str:
        return name.replace("_", "").replace("-", "").lower()

    flat_known = {flat(k): k for k in known}
    if flat(key) in flat_known:
        return flat_known[flat(key)]
    synonym = _SYNONYMS.get(flat(key))
    if synonym in known:
        return synonym
    close = difflib.get_close_matches(flat(key), list(flat_known), n=1, cutoff=0.75)
    if close:
        return flat_known[close[0]]
    prefix = [k for k in known if len(key) >= 5 and flat(k).startswith(flat(key)[:6])]
    return prefix[0] if len(prefix) == 1 else None


def _clip(message: str, width: int = 160) -> str:
    """jsonschema quotes the offending value; a whole document must not become the message."""
    return message if len(message) <= width else message[: width - 1] + "…"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
