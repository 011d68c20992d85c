"""Helpers the benchmark scripts share: a profile summary and the target verdict."""

from __future__ import annotations

import cProfile
import io
import pstats
from collections.abc import Callable


def profile_top(fn: Callable[[], object], limit: int = 20) -> str:
    """cProfile's top functions by own time and by cumulative time for one call of fn."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(limit)
    out.write("\n-- by cumulative time --\n")
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def status(ok: bool) -> str:
    return "ok" if ok else "MISSED"
