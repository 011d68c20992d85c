"""planlint: a linter for Markdown implementation plans."""

from __future__ import annotations

__version__ = "0.1.0"
