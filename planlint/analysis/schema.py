"""Validating status.json against the shipped (or configured) JSON Schema.

jsonschema is the validator of record: it words every failure, and a user's schema always goes
through it whole. It is imported here only, and only when it has something to say: for the
shipped schema, a walk of the document over the few draft-07 keywords that schema uses
(`_shallow`) finds the smallest values whose own keywords fail, and jsonschema validates just
those, each against its subschema (each distinct value once); a valid document never imports it
(41 ms, against 2-4 ms of validation). The walk may call a value failing that jsonschema then
accepts (an `enum` it does not model), never the reverse. The validator is built once per schema
per run. `anyOf`/`oneOf` failures are reduced to their best match, and an unknown key that is
close to a known one gets a "did you mean".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from planlint.errors import ConfigError


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
    """Every violation of the schema (the shipped one when schema_path is None), by position."""
    schema = load_schema(schema_path)
    if schema_path is None and _shipped_walkable():
        found = _shipped_errors(data)
    else:
        found = _errors(_validator(schema_path), data, schema_path)
    found.sort(key=lambda error: list(error[0]))  # stable: one value's errors keep jsonschema's order
    for _, path, message in found:
        pointer = _pointer(path)
        yield Violation(pointer, f"{pointer or '/'}: {message}")
    yield from _near_misses(data, schema)


# (where jsonschema reported it, where the best match of an anyOf/oneOf is, its words), paths
# relative to the validated value; the first path orders the findings
_Error = tuple[tuple[str | int, ...], tuple[str | int, ...], str]


def _errors(validator: Any, data: Any, schema_path: Path | None = None) -> list[_Error]:
    """jsonschema's violations of data, anyOf/oneOf reduced to their best match, messages clipped."""
    from jsonschema.exceptions import best_match
    from referencing.exceptions import Unresolvable

    found: list[_Error] = []
    try:
        for error in validator.iter_errors(data):
            reported = tuple(error.absolute_path)
            if error.validator in ("anyOf", "oneOf") and error.context:
                error = best_match(error.context)
            found.append((reported, tuple(error.absolute_path), _clip(error.message)))
    except Unresolvable as exc:
        ref = getattr(exc, "ref", None) or getattr(getattr(exc, "_wrapped", None), "ref", None) or str(exc)
        raise ConfigError(f"schema has a $ref that cannot be resolved: {ref}", schema_path) from None
    except RecursionError:
        raise ConfigError("schema refers to itself without end ($ref loop)", schema_path) from None
    return found


# -- the shipped schema without jsonschema, when the document is valid ----------------------------

# The keywords `_shallow` models (draft-07 semantics, no format checking: jsonschema asserts
# `format` only when given a format checker, and planlint gives none). A schema with any other
# keyword goes to jsonschema whole.
_WALKED = frozenset({"type", "required", "properties", "items", "enum", "pattern", "minLength", "minimum",
                     "format", "description", "title", "$schema", "$id"})  # fmt: skip
_DRAFT7 = "http://json-schema.org/draft-07/schema#"
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _walkable(schema: Any, top: bool = True) -> bool:
    """Whether `_shallow` models every keyword of schema (and of its subschemas)."""
    if not isinstance(schema, dict) or not schema.keys() <= _WALKED:
        return False
    if top and schema.get("$schema") != _DRAFT7:
        return False
    kinds = schema.get("type", "object")
    if not all(k in _TYPES for k in (kinds if isinstance(kinds, list) else [kinds])):
        return False
    enum = schema.get("enum", [])
    required = schema.get("required", [])
    if not (isinstance(enum, list) and all(isinstance(e, str) for e in enum)):
        return False
    if not (isinstance(required, list) and all(isinstance(r, str) for r in required)):
        return False
    if not isinstance(schema.get("pattern", ""), str) or isinstance(schema.get("minimum", 0), bool):
        return False
    if not isinstance(schema.get("minLength", 0), int) or not isinstance(schema.get("minimum", 0), (int, float)):
        return False
    properties = schema.get("properties", {})
    if not isinstance(properties, dict) or not all(_walkable(s, top=False) for s in properties.values()):
        return False
    return "items" not in schema or _walkable(schema["items"], top=False)


class _Node:
    """One subschema of the shipped schema, its own keywords read once for the walk."""

    __slots__ = ("enum", "items", "kinds", "min_length", "minimum", "pattern", "properties", "required", "schema")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        kinds = schema.get("type")
        names = [] if kinds is None else kinds if isinstance(kinds, list) else [kinds]
        self.kinds = tuple(_TYPES[k] for k in names) or None
        self.enum = frozenset(schema["enum"]) if "enum" in schema else None
        self.min_length = schema.get("minLength")
        self.pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        self.required = tuple(schema.get("required", ()))
        self.minimum = schema.get("minimum")
        self.properties = {k: _Node(v) for k, v in schema.get("properties", {}).items()}
        self.items = _Node(schema["items"]) if "items" in schema else None

    def passes(self, value: Any) -> bool:
        """Whether value passes this schema's own keywords (not those of its properties or items)."""
        if self.kinds is not None:
            for kind in self.kinds:  # a loop, not any(): this runs for every value of a status file
                if kind(value):
                    break
            else:
                return False
        if isinstance(value, str):
            return not (
                (self.enum is not None and value not in self.enum)
                or (self.min_length is not None and len(value) < self.min_length)
                or (self.pattern is not None and not self.pattern.search(value))
            )
        if self.enum is not None:  # a string enum: anything else fails it
            return False
        if isinstance(value, dict):
            return all(key in value for key in self.required)
        if self.minimum is not None and _TYPES["number"](value):
            return bool(value >= self.minimum)
        return True


@lru_cache(maxsize=1)
def _shipped_walkable() -> bool:
    """Whether `_shallow` models the shipped schema (a package file: asked once per process)."""
    schema = load_schema(None)
    return isinstance(schema, dict) and _walkable(schema)


@lru_cache(maxsize=1)
def _shipped_tree() -> _Node:
    schema = load_schema(None)
    assert isinstance(schema, dict)
    return _Node(schema)


def _shipped_errors(data: Any) -> list[_Error]:
    """The shipped schema's violations of data: jsonschema validates only the values whose own
    keywords fail, each against its subschema, and words what it finds (each distinct value once)."""
    found: list[_Error] = []
    worded: dict[tuple[int, Any], list[_Error]] = {}

    def word(path: tuple[str | int, ...], value: Any, node: _Node) -> None:
        key = (id(node), _identity(value))
        if key not in worded:
            worded[key] = _errors(_validator(None).evolve(schema=node.schema), value)
        found.extend((path + at, path + where, message) for at, where, message in worded[key])

    stack: list[tuple[tuple[str | int, ...], Any, _Node]] = [((), data, _shipped_tree())]
    while stack:
        path, value, node = stack.pop()
        if not node.passes(value):
            word(path, value, node)
        elif node.properties and isinstance(value, dict):
            for name, child in value.items():
                sub = node.properties.get(name)
                if sub is None:
                    continue
                if sub.properties or sub.items:
                    stack.append(((*path, name), child, sub))
                elif not sub.passes(child):  # a leaf: no path built for the values that pass
                    word((*path, name), child, sub)
        elif node.items is not None and isinstance(value, list):
            items = node.items
            stack.extend(((*path, index), item, items) for index, item in enumerate(value))
    return found


def _near_misses(data: Any, schema: dict[str, Any] | bool) -> list[Violation]:
    """Keys the schema does not know that look like typos of keys it does (`depends_on`)."""
    found: list[Violation] = []
    _near_misses_in(data, schema, (), found)
    return found


def _near_misses_in(data: Any, schema: Any, path: tuple[str | int, ...], found: list[Violation]) -> None:
    if not isinstance(data, dict) or not isinstance(schema, dict):
        return
    properties = schema.get("properties", {})
    for key, value in data.items():
        if key in properties:
            sub = properties[key]
            if not isinstance(sub, dict):
                continue
            if isinstance(value, dict):
                _near_misses_in(value, sub, (*path, key), found)
            elif isinstance(value, list) and isinstance(sub.get("items"), dict):
                items = sub["items"]
                known = items.get("properties", {})
                for index, item in enumerate(value):
                    # most entries: only known keys, none holding an object to look into
                    if isinstance(item, dict) and (not item.keys() <= known.keys() or any(
                        isinstance(v, (dict, list)) for v in item.values())):  # fmt: skip
                        _near_misses_in(item, items, (*path, key, index), found)
            continue
        guess = _did_you_mean(key, list(properties))
        if guess:
            child = _pointer((*path, key))
            found.append(Violation(child, f"{child}: unknown key '{key}'; did you mean '{guess}'?", at_key=True))


def _pointer(path: tuple[str | int, ...]) -> str:
    return "".join(f"/{p}" if type(p) is int else f"/{_escape(str(p))}" for p in path)


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
    import difflib  # here: only an unknown key needs it (1 ms of a check's start)

    close = difflib.get_close_matches(flat(key), list(flat_known), n=1, cutoff=0.75)
    if close:
        return flat_known[close[0]]
    prefix = [k for k in known if len(key) >= 5 and flat(k).startswith(flat(key)[:6])]
    return prefix[0] if len(prefix) == 1 else None


def _clip(message: str, width: int = 160) -> str:
    """jsonschema quotes the offending value; a whole document must not become the message."""
    return message if len(message) <= width else message[: width - 1] + "…"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1") if "~" in key or "/" in key else key


def _identity(value: Any) -> str | tuple[str, Any]:
    """A key equal for two values exactly when jsonschema would word them alike (1, 1.0 and True,
    0.0 and -0.0 differ; so do objects whose keys come in another order)."""
    if isinstance(value, str):
        return ("s", value)
    if value is None or isinstance(value, (bool, int)):
        return (type(value).__name__, value)
    if isinstance(value, float):
        return ("f", repr(value))
    return json.dumps(value)
