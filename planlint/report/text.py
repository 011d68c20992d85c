"""`path:line:col: CODE message`, one line per diagnostic; ` [*]` marks a fixable one.

Colour with `--color always`, never with `--color never`; with `auto` (the default), none when
NO_COLOR is set (https://no-color.org), always when FORCE_COLOR is (https://force-color.org),
else when the stream is a terminal. With `show_source` (by default, on a terminal) the line of
the finding follows, its span underlined with `^`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from planlint.api import FileResult
    from planlint.diagnostic import Diagnostic

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOUR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;34m"}
_FIXABLE = "\x1b[36m"

_Painter = Callable[[str, str], str]


COLOUR_MODES = ("auto", "always", "never")


def use_colour(out: TextIO, mode: str | bool | None = "auto") -> bool:
    """Whether to colour what goes to `out` (see the module docstring)."""
    if isinstance(mode, bool):
        return mode
    if mode in ("always", "never"):
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(out)


def is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


class TextReporter:
    def __init__(self, *, show_source: bool | None = False, colour: str | bool | None = None) -> None:
        self.show_source = show_source  # None: on when writing to a terminal
        self.colour = colour  # None or "auto": decide from the stream and the environment

    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        colour = use_colour(out, "auto" if self.colour is None else self.colour)
        paint = _paint if colour else _plain
        show_source = is_terminal(out) if self.show_source is None else self.show_source
        for result in results:
            for diagnostic in result.diagnostics:
                line, column, _, _ = result.locate(diagnostic.span)
                where = paint(f"{diagnostic.span.path}:{line}:{column}:", _BOLD)
                code = paint(diagnostic.code, _SEVERITY_COLOUR.get(diagnostic.severity.label, _BOLD))
                mark = " " + paint("[*]", _FIXABLE) if _safe_fix(diagnostic) else ""
                message = " ".join(diagnostic.message.splitlines())  # one line per diagnostic
                out.write(f"{where} {code} {message}{mark}\n")
                if show_source:
                    out.writelines(_excerpt(result, diagnostic, paint))


def _excerpt(result: FileResult, diagnostic: Diagnostic, paint: _Painter) -> list[str]:
    """The finding's first line with a gutter, and `^` under the span (to the line's end when
    the span runs on), as ruff and rustc show it."""
    source = result.sources.get(diagnostic.span.path) or result.source
    if source is None or not source.text:
        return []
    line, column, end_line, end_column = result.locate(diagnostic.span)
    text = source.line_text(line)
    start = min(column - 1, len(text))
    stop = end_column - 1 if end_line == line else len(text)
    width = max(1, min(stop, len(text)) - start)
    # Keep tabs in the padding so the carets line up with the text above them.
    padding = "".join(c if c == "\t" else " " for c in text[:start])
    gutter = " " * len(str(line))
    colour = _SEVERITY_COLOUR.get(diagnostic.severity.label, _BOLD)
    return [
        paint(f"{gutter} |", _DIM) + "\n",
        paint(f"{line} |", _DIM) + f" {text}\n",
        paint(f"{gutter} |", _DIM) + f" {padding}{paint('^' * width, colour)}\n",
        "\n",
    ]


def _paint(text: str, style: str) -> str:
    return f"{style}{text}{_RESET}"


def _plain(text: str, style: str) -> str:
    return text


def _safe_fix(diagnostic: Diagnostic) -> bool:
    """`[*]` marks what `planlint fix` applies (an unsafe fix needs `--unsafe-fixes`), as in ruff."""
    from planlint.diagnostic import Applicability

    return diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.SAFE
