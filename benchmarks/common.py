"""Helpers the benchmark scripts share: a profile summary, the target verdict and the results file."""

from __future__ import annotations

import cProfile
import io
import pstats
from collections.abc import Callable
from pathlib import Path
from typing import Any


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


def write_results(path: str | None, results: dict[str, Any], **machine: Any) -> None:
    """With `--json PATH`: the results as JSON, after what they were measured with (planlint's
    version, Python, the platform, the CPUs, the time, and any `machine` figures such as the GC
    thresholds), so that two files can be compared knowingly."""
    if not path:
        return
    import json
    import os
    import platform
    import time

    import planlint

    document = {
        "planlint": planlint.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        **machine,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **results,
    }
    Path(path).write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {path}")
