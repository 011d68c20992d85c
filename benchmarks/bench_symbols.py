"""The libcst symbol index on a large tree: cold and warm build time, and memory (see benchmarks/README.md).

    python benchmarks/bench_symbols.py               # the Python standard library, copied to a temp folder
    python benchmarks/bench_symbols.py --files 300   # a quicker run on the first 300 files
    python benchmarks/bench_symbols.py --json        # also write benchmarks/results-symbols.json

What is measured, on a copy of the running interpreter's standard library (site-packages left out):

  cold    a new index with an empty `.planlint_cache/`: every file read, hashed and parsed with
          libcst (PositionProvider), every entry written to the cache
  warm    a new index over the same tree (nothing held in memory): every file read and hashed, its
          entry read from the cache, nothing parsed
  memory  what the index holds once every file is in it (tracemalloc: retained and peak), in a
          separate warm run because tracing slows the code

Both times are reported per 1,000 lines of Python. Target: warm at least 20x faster than cold.
The exit status is 0 when the target is met and 1 when it is missed.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import shutil
import sys
import sysconfig
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the checkout's planlint, even when it is not installed

WARM_TARGET = 20.0  # cold time / warm time, at least


def copy_stdlib(target: Path, limit: int | None) -> tuple[int, int]:
    """Copy the standard library's .py files under target; (files, lines)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sources = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts and p.is_file())
    files = lines = 0
    for source in sources[:limit]:
        relative = source.relative_to(stdlib)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        files += 1
        lines += source.read_bytes().count(b"\n")
    return files, lines


def build(root: Path) -> Any:
    """A new run's index with every Python file in it (nothing remembered in memory)."""
    from planlint.analysis.files import file_index
    from planlint.analysis.symbols import SymbolIndex, clear_memory

    clear_memory()
    file_index.cache_clear()
    index = SymbolIndex(root)
    for path in index.python_files():
        index.symbols(path)
    return index


def timed(root: Path) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    index = build(root)
    return time.perf_counter() - start, index


def measure(files_limit: int | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="planlint-symbols-") as folder:
        root = Path(folder)
        files, lines = copy_stdlib(root, files_limit)
        cold_s, cold = timed(root)
        warm_s, warm = timed(root)
        warm_again_s, _ = timed(root)
        assert warm.parsed == 0, f"a warm run parsed {warm.parsed} files"
        problems = sum(1 for p in cold.python_files() if cold.symbols(p).problem is not None)
        definitions = sum(len(cold.symbols(p).definitions) for p in cold.python_files())
        cache_bytes = sum(p.stat().st_size for p in (root / ".planlint_cache").rglob("*") if p.is_file())

        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        held = build(root)
        after = tracemalloc.take_snapshot()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        retained = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        del held

    warm_best = min(warm_s, warm_again_s)
    ratio = cold_s / warm_best
    per_k = 1000 / lines
    return {
        "files": files,
        "lines": lines,
        "definitions": definitions,
        "unparsable_files": problems,
        "cold_s": cold_s,
        "warm_s": warm_best,
        "cold_ms_per_1k_lines": cold_s * 1000 * per_k,
        "warm_ms_per_1k_lines": warm_best * 1000 * per_k,
        "ratio": ratio,
        "cache_bytes": cache_bytes,
        "memory_retained_bytes": retained,
        "memory_peak_bytes": peak,
        "memory_bytes_per_1k_lines": retained * per_k,
        "target": WARM_TARGET,
        "ok": ratio >= WARM_TARGET,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def report(result: dict[str, Any]) -> str:
    mb = 1024 * 1024
    rows = [
        f"tree              {result['files']:,} files, {result['lines']:,} lines of Python "
        f"({result['definitions']:,} definitions, {result['unparsable_files']} files libcst cannot parse)",
        f"cold (parse)      {result['cold_s']:.2f} s = {result['cold_ms_per_1k_lines']:.1f} ms per 1,000 lines",
        f"warm (cache hit)  {result['warm_s']:.3f} s = {result['warm_ms_per_1k_lines']:.2f} ms per 1,000 lines",
        f"cold / warm       {result['ratio']:.0f}x (target >= {result['target']:.0f}x): "
        f"{'ok' if result['ok'] else 'MISSED'}",
        f"index memory      {result['memory_retained_bytes'] / mb:.1f} MB retained "
        f"({result['memory_bytes_per_1k_lines'] / 1024:.1f} KB per 1,000 lines), "
        f"{result['memory_peak_bytes'] / mb:.1f} MB peak while building",
        f"cache on disk     {result['cache_bytes'] / mb:.1f} MB",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=None, help="use only the first N files of the library")
    parser.add_argument("--json", action="store_true", help="also write benchmarks/results-symbols.json")
    args = parser.parse_args(argv)
    result = measure(args.files)
    print(report(result))
    if args.json:
        (HERE / "results-symbols.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
