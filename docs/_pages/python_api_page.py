"""docs/python-api.md: from the docstrings of the `planlint` facade and the modules it re-exports."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable
from typing import Any

from _pages.common import DO_NOT_EDIT, cell, fenced


def _signature(function: Callable[..., Any]) -> str:
    """A signature with the annotations as written (they are strings under PEP 563)."""
    signature = inspect.signature(function)
    parts = []
    seen_keyword_only = False
    for param in signature.parameters.values():
        if param.kind is param.KEYWORD_ONLY and not seen_keyword_only:
            parts.append("*")
            seen_keyword_only = True
        prefix = {param.VAR_POSITIONAL: "*", param.VAR_KEYWORD: "**"}.get(param.kind, "")
        if param.kind is param.VAR_POSITIONAL:
            seen_keyword_only = True
        text = prefix + param.name
        if param.annotation is not param.empty:
            text += f": {annotation_text(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {param.default!r}" if param.annotation is not param.empty else f"={param.default!r}"
        parts.append(text)
    returns = ""
    if signature.return_annotation is not signature.empty:
        returns = f" -> {annotation_text(signature.return_annotation)}"
    flat = f"({', '.join(parts)}){returns}"
    if len(flat) + len(function.__name__) + 4 <= 88 or not parts:
        return flat
    return "(\n" + "".join(f"    {part},\n" for part in parts) + f"){returns}"


def annotation_text(annotation: Any) -> str:
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def _api_members(module_name: str) -> list[tuple[str, Any]]:
    """The public functions and classes a module defines, in source order."""
    module = importlib.import_module(module_name)
    members = [
        (name, value)
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == module.__name__
    ]
    return sorted(members, key=lambda item: inspect.getsourcelines(item[1])[1])


def _render_member(name: str, value: Any, qualifier: str) -> list[str]:
    doc = inspect.getdoc(value) or ""
    if inspect.isclass(value):
        out = [f"### `{qualifier}{name}`", "", fenced(f"class {name}", "python"), ""]
        out += [doc, ""] if doc else []
        if dataclasses.is_dataclass(value):
            out += ["| Field | Type |", "| --- | --- |"]
            out += [f"| `{f.name}` | `{cell(annotation_text(f.type))}` |" for f in dataclasses.fields(value)]
            out.append("")
        for method_name, method in vars(value).items():
            if method_name.startswith("_") or not inspect.isfunction(method):
                continue
            out += [f"- `{method_name}{_signature(method)}`: {cell(inspect.getdoc(method) or '')}"]
        return [*out, ""]
    out = [f"### `{qualifier}{name}`", "", fenced(f"def {name}{_signature(value)}", "python"), ""]
    return out + ([doc, ""] if doc else [])


MORE_API = ("planlint.api", "planlint.fix.paths")
API_MODULES = "planlint/__init__.py, " + " and ".join(f"{m.replace('.', '/')}.py" for m in MORE_API)


def render_python_api() -> str:
    import planlint

    stable = [n for n in getattr(planlint, "__all__", []) if not n.startswith("_")]
    out = [
        f"<!-- Generated from the docstrings of {API_MODULES} — {DO_NOT_EDIT} -->",
        "",
        "# Python API",
        "",
    ]
    package_doc = inspect.getdoc(planlint) or ""
    intro = package_doc.split("\n", 1)[1].strip() if "\n" in package_doc else ""
    if intro:
        # An indented block in the docstring is an example: show it as Python.
        paragraphs = []
        for block in intro.split("\n\n"):
            lines = block.splitlines()
            if lines and all(line.startswith("    ") or not line.strip() for line in lines):
                paragraphs.append(fenced(inspect.cleandoc(block), "python"))
            else:
                paragraphs.append(block)
        out += ["\n\n".join(paragraphs), ""]
    if stable:
        out += [
            "## The stable API",
            "",
            "Import these from `planlint` itself (`planlint.check_paths(...)`).",
            "",
        ]
        for name in stable:
            out += _render_member(name, getattr(planlint, name), "planlint.")
    for module in MORE_API:
        rest = [(n, v) for n, v in _api_members(module) if n not in stable]
        if rest:
            out += [f"## More of `{module}`", ""]
            out += [f"Also public, but not re-exported by `planlint`; import them from `{module}`.", ""]
            for name, value in rest:
                out += _render_member(name, value, f"{module}.")
    return "\n".join(out).rstrip("\n") + "\n"


# -- configuration ---------------------------------------------------------------------------
