"""The one error hierarchy: only the CLI catches it, prints one line and exits 2."""

from __future__ import annotations

from pathlib import Path


class PlanlintError(Exception):
    """Base class of the errors that planlint reports as `path[:line]: error: message`."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}error: {self.message}"


class UsageError(PlanlintError):
    """The command line asks for something impossible."""


class ConfigError(PlanlintError):
    """A configuration file is unreadable or has unknown or ill-typed keys."""


class InputError(PlanlintError):
    """An input file is missing, a folder, binary, undecodable or too large."""
