"""planlint.patterns.deferred: compiled on first use, then the same as re.compile."""

from __future__ import annotations

import re

from planlint.patterns import deferred


def test_compiles_only_when_first_used(monkeypatch) -> None:
    compiled: list[str] = []
    real_compile = re.compile

    def counting_compile(pattern, flags=0):
        compiled.append(pattern)
        return real_compile(pattern, flags)

    monkeypatch.setattr(re, "compile", counting_compile)
    pattern = deferred(r"\bplan\b", re.IGNORECASE)
    assert compiled == []
    assert pattern.search("An Implementation PLAN") is not None
    assert compiled == [r"\bplan\b"]
    assert pattern.search("no match here") is None
    assert pattern.search("plan") is not None
    assert compiled == [r"\bplan\b"]  # each method is kept after its first use


def test_behaves_like_the_compiled_pattern() -> None:
    text = "Tasks 3.1-3.4 and 3.6, 3.8"
    lazy, eager = deferred(r"(?P<id>\d+\.\d+)"), re.compile(r"(?P<id>\d+\.\d+)")
    assert [m.group("id") for m in lazy.finditer(text)] == [m.group("id") for m in eager.finditer(text)]
    assert lazy.match(text, 6).span() == eager.match(text, 6).span()
    assert lazy.sub("N", text) == eager.sub("N", text)
    assert lazy.findall(text, 0, 12) == eager.findall(text, 0, 12)
    assert lazy.fullmatch("3.10") is not None
    assert lazy.pattern == eager.pattern and lazy.groupindex == eager.groupindex
