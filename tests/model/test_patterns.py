"""planlint.patterns: `compile` is `re.compile`, with no cache of programs between runs;
deferred patterns compile on first use."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from planlint import patterns


def test_compile_is_re_compile() -> None:
    regex = r"^\W{0,3}Phase\s+(?P<number>\d+)"
    assert patterns.compile(regex, re.IGNORECASE) == re.compile(regex, re.IGNORECASE)


def test_no_file_can_change_a_pattern(tmp_path: Path) -> None:
    """Through the real CLI: a run writes no regex cache anywhere, and a cache folder full of
    junk (what the old program cache read) changes nothing."""
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Phase 1: Setup\n\n- [ ] 1.1 Update `src/app.py`\n", encoding="utf-8")
    junk = tmp_path / "cache"
    junk.mkdir()
    (junk / "regex-0-cpython-311.bin").write_bytes(os.urandom(4096))
    cmd = [sys.executable, "-m", "planlint", "check", str(plan)]
    home = tmp_path / "home"
    env = {**os.environ, "PLANLINT_CACHE_DIR": str(junk), "XDG_CACHE_HOME": str(home), "HOME": str(home)}
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert not home.exists()  # nothing written to the user's cache folder
    assert sorted(p.name for p in junk.iterdir()) == ["regex-0-cpython-311.bin"]
    assert not hasattr(patterns, "_sre") and "marshal" not in Path(patterns.__file__).read_text()


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
