"""Which Python files libcst parses to find a name: never fewer than can define it.

Two filters stand before libcst (planlint/analysis/symbols.py): `could_define`, a search of the
file's bytes, and the file's `outline` (planlint/parse/python.py: the collector's walk over the
standard library's `ast`). Both must be sound against the collector: whenever `extract_symbols`
records a definition of a name, `could_define` says True, and the outline lists exactly the
records' names and kinds. Checked on every Python file of planlint, its tests and the corpus, and
on generated sources that mix real definitions with the look-alikes the filters must see through
(attributes, parameters, keyword arguments, locals, strings, comments).
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.analysis.symbols import SymbolIndex, clear_memory, could_define
from planlint.parse.python import extract_symbols, outline, outline_defines
from tests.parse.test_python_lines import ODD_LAYOUTS, python_files

NAMES = ("run", "in_progress", "x", "_build", "Config")


def recorded(data: bytes) -> tuple[tuple[str, str], ...]:
    symbols = extract_symbols(data)
    assert symbols.problem is None
    return tuple((d.qualname, d.kind) for d in symbols.definitions)


def assert_sound(data: bytes) -> None:
    found = recorded(data)
    assert outline(data) in (found, None)  # None: syntax newer than this Python's `ast` reads
    for qualname, _ in found:
        assert could_define(data, qualname.rsplit(".", 1)[-1]), qualname


# -- could_define ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    ["self.x = 1\n", "obj.x: int = 0\n", "self . x = 1\n", "a.b.x, c.x = 1, 2\n", "print(self.\tx)\n"],
)
def test_an_attribute_after_a_dot_is_never_a_candidate(source: str) -> None:
    assert not could_define(source.encode(), "x")
    assert recorded(source.encode()) == ()


@pytest.mark.parametrize(
    "source",
    [
        "y = ...\nx = 1\n",  # a `.` ends the line before: not the same line
        "y = 1.\nx = 2\n",
        "# see the docs.\nx = 3\n",
        "type x = int\n",
        "def\\\n  x(): pass\n",
        "a, *x = 1, 2\n",
        "(a, [b, x]) = 1, (2, 3)\n",
        "a = x = 1\n",
        "if True: x = 1\n",
        "class A: x = 1\n",
        "x \\\n  = 1\n",
    ],
)
def test_real_definitions_stay_candidates(source: str) -> None:
    data = source.encode()
    assert any(q.rsplit(".", 1)[-1] == "x" for q, _ in recorded(data))
    assert could_define(data, "x")


def test_type_alias_with_parameters_is_a_candidate() -> None:
    """`type X[T] = ...` (Python 3.12): the name is followed by `[`, so only `type` before it tells
    (the search used to pass over it)."""
    data = b"type Pair[T] = tuple[T, T]\n"
    assert recorded(data) == (("Pair", "variable"),)
    assert could_define(data, "Pair")


# -- the outline ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", list(ODD_LAYOUTS.values()), ids=list(ODD_LAYOUTS))
def test_the_outline_and_the_search_are_sound_on_odd_layouts(data: bytes) -> None:
    assert_sound(data)


def test_an_outline_that_ast_cannot_read_is_none() -> None:
    assert outline(b"def broken(:\n") is None
    assert outline(b"x = 1\0\n") is None


def test_outline_defines_matches_like_find() -> None:
    found = outline(b"class Summary:\n    in_progress: int = 0\n    def run(self): pass\ndef helper(): pass\n")
    assert found is not None
    assert outline_defines(found, "Summary.in_progress") and outline_defines(found, "run")
    assert not outline_defines(found, "in_progress", attributes=False)
    assert outline_defines(found, "app.helper", "app") and not outline_defines(found, "other.helper", "app")


@pytest.mark.slow  # parses every Python file of planlint, its tests and the corpus with libcst and ast
def test_the_outline_and_the_search_are_sound_on_real_files() -> None:
    checked = 0
    for path in python_files():
        data = path.read_bytes()
        if extract_symbols(data).problem is None:
            assert_sound(data)
            checked += 1
    assert checked > 150


# -- generated sources ------------------------------------------------------------------------

names = st.sampled_from(NAMES)
SIMPLE = [
    "{a} = 1", "{a}: int = 1", "{a}: int", "{a}, *{b} = 1, 2", "({a}, [{b}, {c}]) = 1, (2, 3)", "{a} = {b} = 0",
    "self.{a} = 1", "obj . {a}: int = 0", "f({a}=1, {b}=2)", "{a} += 1", "import {a}", "from m import {a} as {b}",
    "print('{a} = 1')", "# {a} = 1", "x = 1; {a} = 2", "{a} \\\n    = 3", "print(({a} := 1))", "del {a}",
    "{a} = lambda {b}=1: {b}", "s = '''\n{a} = 1\n'''", "{a}[0] = 1", "for_ = [{a} for {a} in []]",
]  # fmt: skip
HEADERS = [
    "def {a}(self, {b}: int = 0, *, {c}=None):", "async def {a}():", "class {a}:", "class {a}({b}, metaclass={c}):",
    "@d({a}=1)\ndef {b}():", "@{a}\nclass {b}:", "if {a}:", "while {a}:", "for {a} in {b}:", "with {a} as {b}:",
    "with {a} as ({b}, {c}):", "try:", "match {a}:\n    case {b}:",
]  # fmt: skip
CLOSERS = {"if": ["elif {a}:", "else:"], "for": ["else:"], "while": ["else:"], "try": ["except E as {a}:", "finally:"]}


@st.composite
def statements(draw: st.DrawFn, depth: int = 0) -> str:
    """A block of Python statements at column 0 (the caller indents it), ending in `pass`."""
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        a, b, c = draw(st.lists(names, min_size=3, max_size=3, unique=True))  # distinct parameters
        if depth < 3 and draw(st.booleans()):
            header = draw(st.sampled_from(HEADERS)).format(a=a, b=b, c=c)
            body = textwrap.indent(draw(statements(depth + 1)), "        " if "case" in header else "    ")
            lines.append(f"{header}\n{body}")
            closers = CLOSERS.get(header.split()[0].rstrip(":"), [])
            chosen = draw(st.sets(st.sampled_from(closers))) if closers else set()
            if header == "try:" and not chosen:
                chosen = {"finally:"}
            for closer in (c for c in closers if c in chosen):  # in the order Python wants them
                lines.append(f"{closer.format(a=a)}\n{textwrap.indent(draw(statements(depth + 1)), '    ')}")
        else:
            lines.append(draw(st.sampled_from(SIMPLE)).format(a=a, b=b, c=c) + "\n")
    return "".join(lines) + "pass\n"


@pytest.mark.slow  # hypothesis: parses each generated source with libcst
@settings(
    max_examples=int(os.environ.get("PLANLINT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(statements())
def test_the_filters_are_never_stricter_than_the_collector(source: str) -> None:
    data = source.encode()
    found = recorded(data)
    assert outline(data) == found
    for qualname, _ in found:
        assert could_define(data, qualname.rsplit(".", 1)[-1]), (qualname, source)


# -- the index parses only what can define a name ----------------------------------------------

LOOK_ALIKES = {
    "src/model.py": "class Summary:\n    in_progress: int = 0\n",  # an attribute: a bare name is not a field
    "src/params.py": "def progress(done, in_progress: int = 0):\n    return done\n",
    "src/calls.py": "def show():\n    render(in_progress=1)\n",
    "src/local.py": "def count(summary):\n    in_progress = summary.get('inProgress')\n    return in_progress\n",
    "src/doc.py": 'def colours():\n    """green=done, yellow=in_progress, dim=pending"""\n',
    "src/attr.py": "class Plan:\n    def load(self):\n        self.in_progress = []\n",
    "src/real.py": "in_progress = 'in_progress'\n",
}


def test_only_files_that_define_a_name_are_parsed_cold_and_none_warm(tmp_path: Path) -> None:
    for name, text in LOOK_ALIKES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    from planlint.analysis.files import file_index

    file_index.cache_clear()
    clear_memory()
    cold = SymbolIndex(tmp_path)
    assert cold.resolve("in_progress") == "src/real.py"
    assert (cold.parsed, cold.outlined) == (1, 6)  # attr.py's `self.in_progress` is not even outlined
    clear_memory()
    warm = SymbolIndex(tmp_path)
    assert warm.resolve("in_progress") == "src/real.py"
    assert (warm.parsed, warm.outlined) == (0, 0)  # the parsed file and the outlines come from the cache


def test_a_file_libcst_cannot_parse_is_reported_only_when_its_outline_defines_the_name(tmp_path: Path) -> None:
    """libcst rejects `(x): int = 1`, which Python (and `ast`) accept. Such a file used to be
    reported as unparsable for every name its text could define; now only for a name its
    outline does define (a local `run` inside a function is not one)."""
    (tmp_path / "local.py").write_text("(x): int = 1\ndef main():\n    run = 1\n", encoding="utf-8")
    (tmp_path / "module.py").write_text("(y): int = 1\nrun = 2\n", encoding="utf-8")
    from planlint.analysis.files import file_index

    file_index.cache_clear()
    clear_memory()
    index = SymbolIndex(tmp_path, cache=False)
    assert [path for path, _ in index.unparsable("run")] == ["module.py"]
    assert index.resolve("run") is None and index.parsed == 1
