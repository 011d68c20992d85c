"""planlint.patterns: cached programs give the same patterns as re.compile; deferred ones
compile on first use; a missing, damaged or unwritable cache only costs time."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planlint import patterns

needs_cache = pytest.mark.skipif(not patterns._ENABLED, reason="program cache is CPython 3.10-3.13 only")

SAMPLES = [
    (r"^\W{0,3}Phase\s+(?P<number>\d+)(?P<decimal>\.\d+)?\**\s*(?::\s*(?P<title>.*))?$", re.IGNORECASE),
    (r"(?<![\w./@:`-])(?P<path>(?:\.{1,2}/)?[\w.-]+(?:/[\w.-]+)*\.[A-Za-z0-9]+)", 0),
    (r"<!--.*?-->", re.DOTALL),
    (r"\b(?:not|never|can't)\b(?:\W+\w+){0,3}\W*$", re.IGNORECASE),
    (r"[.;!?](?=\s|$)|[\r\n]|:\s|—|–| - ", 0),
]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> patterns._ProgramCache:
    fresh = patterns._ProgramCache(str(tmp_path / "cache" / "regex-test.bin"))
    monkeypatch.setattr(patterns, "_CACHE", fresh)
    return fresh


@needs_cache
@pytest.mark.parametrize(("regex", "flags"), SAMPLES)
def test_a_pattern_rebuilt_from_its_program_is_the_compiled_pattern(cache, regex, flags) -> None:
    first = patterns.compile(regex, flags)  # compiled, program stored
    assert (regex, int(flags)) in cache.programs
    rebuilt = patterns.compile(regex, flags)  # from the program
    assert rebuilt == first == re.compile(regex, flags)  # Pattern equality compares the program
    assert rebuilt.groupindex == first.groupindex and rebuilt.flags == first.flags
    text = "Phase 2: src/app.py <!-- x --> can't run in parallel. done"
    assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in first.finditer(text)]


@needs_cache
def test_programs_survive_the_process(cache, monkeypatch) -> None:
    for regex, flags in SAMPLES:
        patterns.compile(regex, flags)
    cache.save()
    reread = patterns._ProgramCache(cache.path)
    monkeypatch.setattr(patterns, "_CACHE", reread)

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled although the program was cached")

    monkeypatch.setattr(re, "compile", no_compiling)
    for regex, flags in SAMPLES:
        assert patterns.compile(regex, flags).pattern == regex


@needs_cache
@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal data", marshal.dumps(("other header", {})), marshal.dumps([1, 2, 3])],
    ids=["empty", "garbage", "other-interpreter", "wrong-shape"],
)
def test_a_damaged_or_foreign_cache_file_is_ignored(cache, content) -> None:
    Path(cache.path).parent.mkdir(parents=True)
    Path(cache.path).write_bytes(content)
    regex, flags = SAMPLES[0]
    assert patterns.compile(regex, flags) == re.compile(regex, flags)
    cache.save()
    assert marshal.loads(Path(cache.path).read_bytes())[0] == patterns._header()


@needs_cache
def test_a_damaged_entry_is_compiled_as_usual(cache) -> None:
    regex = r"(?P<id>\d+\.\d+)"
    cache.get((regex, 0))
    cache.programs[(regex, 0)] = (0, [999999], 0, {}, ())  # not a program the engine accepts
    assert patterns.compile(regex).match("3.2").group("id") == "3.2"


@needs_cache
def test_an_unwritable_folder_only_skips_the_write(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    cache = patterns._ProgramCache(str(blocker / "cache" / "regex-test.bin"))
    monkeypatch.setattr(patterns, "_CACHE", cache)
    patterns.compile(r"\d+")
    cache.save()  # no exception
    assert blocker.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["file-not-folder"]  # no temporary left


def test_the_cache_lives_in_the_user_cache_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("PLANLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "platform", "linux")
    path = patterns._cache_path()
    if not patterns._ENABLED:
        assert path is None
        return
    assert path is not None and Path(path).parent == tmp_path / "xdg" / "planlint"
    assert sys.implementation.cache_tag in Path(path).name
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert Path(patterns._cache_path()).parent == tmp_path / "mine"
    monkeypatch.setenv("PLANLINT_CACHE_DIR", "")
    assert patterns._cache_path() is None  # empty: no cache


@needs_cache
def test_a_check_writes_the_cache_and_the_next_one_uses_it(tmp_path) -> None:
    """Through the real CLI: the first run writes the programs, the second reads them."""
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Phase 1: Setup\n\n- [ ] 1.1 Update `src/app.py`\n", encoding="utf-8")
    env = {**os.environ, "PLANLINT_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "planlint", "check", str(plan)]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = list((tmp_path / "cache").iterdir())
    assert len(written) == 1
    header, programs = marshal.loads(written[0].read_bytes())
    assert header == patterns._header() and len(programs) > 20
    before = written[0].stat().st_mtime_ns
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert written[0].stat().st_mtime_ns == before  # nothing new to write


def test_deferred_compiles_only_when_first_used(monkeypatch) -> None:
    compiled: list[str] = []
    real_compile = patterns.compile

    def counting_compile(regex, flags=0):
        compiled.append(regex)
        return real_compile(regex, flags)

    monkeypatch.setattr(patterns, "compile", counting_compile)
    pattern = patterns.deferred(r"\bplan\b", re.IGNORECASE)
    assert compiled == []
    assert pattern.search("An Implementation PLAN") is not None
    assert pattern.match("plan") is not None and pattern.search("no match here") is None
    assert compiled == [r"\bplan\b"]  # compiled once, each method kept after its first use


def test_deferred_behaves_like_the_compiled_pattern() -> None:
    text = "Tasks 3.1-3.4 and 3.6, 3.8"
    lazy, eager = patterns.deferred(r"(?P<id>\d+\.\d+)"), re.compile(r"(?P<id>\d+\.\d+)")
    assert [m.group("id") for m in lazy.finditer(text)] == [m.group("id") for m in eager.finditer(text)]
    assert lazy.match(text, 6).span() == eager.match(text, 6).span()
    assert lazy.sub("N", text) == eager.sub("N", text)
    assert lazy.findall(text, 0, 12) == eager.findall(text, 0, 12)
    assert lazy.fullmatch("3.10") is not None
    assert lazy.pattern == eager.pattern and lazy.groupindex == eager.groupindex
