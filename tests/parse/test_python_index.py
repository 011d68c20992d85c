"""The libcst symbol index: what it extracts, its on-disk cache, and how it fails
(planlint/parse/python.py, planlint/analysis/symbols.py and planlint/analysis/symbol_cache.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planlint.analysis.symbol_cache import CACHE_DIR, FORMAT
from planlint.analysis.symbols import SymbolIndex, clear_memory
from planlint.config import Config, load_config
from planlint.diagnostic import Applicability
from planlint.engine import lint_plan
from planlint.parse.plan import parse_plan
from planlint.parse.python import extract_symbols
from planlint.rule import Context
from planlint.text import SourceText
from tests.conftest import REPO

ORCHESTRATOR = '''\
"""Runs plans."""

import subprocess
from pathlib import Path as P

DEFAULT_BATCH = 4


@decorate
@decorate_again(
    1,
)
def load(path):
    return P(path).read_text()


class Orchestrator:
    retries: int = 3

    def run(self):
        subprocess.run(["agent"])

    class Settings:
        pass


try:
    import tomllib
except ImportError:
    tomllib = None
'''


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def fresh_index(root: Path, src: tuple[str, ...] = (".",)) -> SymbolIndex:
    """A new run's index: nothing remembered in memory, only what the disk cache holds."""
    from planlint.analysis.files import file_index

    clear_memory()
    file_index.cache_clear()
    return SymbolIndex(root, src)


def lint(root: Path, plan_text: str, select: str) -> list:
    plan = parse_plan(SourceText.from_text(plan_text, root / "plan.md"))
    return lint_plan(plan, Config(root=root).with_overrides(select=[select]), root)


# -- what the index extracts ---------------------------------------------------------------


def test_definitions_and_their_lines() -> None:
    symbols = extract_symbols(ORCHESTRATOR.encode())
    found = {d.qualname: (d.kind, d.start, d.line, d.end) for d in symbols.definitions}
    assert found == {
        "DEFAULT_BATCH": ("variable", 6, 6, 6),
        "load": ("function", 9, 13, 14),  # decorators start it, the `def` line is 13
        "Orchestrator": ("class", 17, 17, 24),
        "Orchestrator.retries": ("attribute", 18, 18, 18),
        "Orchestrator.run": ("method", 20, 20, 21),
        "Orchestrator.Settings": ("class", 23, 23, 24),
        "tomllib": ("variable", 30, 30, 30),  # module level, inside `except`
    }
    assert symbols.imports == {"subprocess", "P", "tomllib"}
    assert symbols.line_count == 30 and symbols.problem is None


def test_cited_names_match_qualified_and_module_forms() -> None:
    symbols = extract_symbols(ORCHESTRATOR.encode())
    assert [d.qualname for d in symbols.find("run")] == ["Orchestrator.run"]
    assert [d.qualname for d in symbols.find("Orchestrator.run")] == ["Orchestrator.run"]
    assert [d.qualname for d in symbols.find("app.Orchestrator.run", "src.app")] == ["Orchestrator.run"]
    assert symbols.find("Other.run") == []
    assert symbols.find("retries", attributes=False) == []


def test_a_file_libcst_cannot_parse_is_a_problem_not_an_exception() -> None:
    symbols = extract_symbols(b"def broken(:\n    pass\n")
    assert symbols.definitions == () and symbols.problem is not None
    assert symbols.problem.line >= 1 and symbols.problem.message
    latin = extract_symbols(b"x = '\xff'\n")  # not UTF-8 and no coding cookie
    assert latin.problem is not None


def test_bare_symbols_resolve_only_when_one_file_defines_them(tmp_path: Path) -> None:
    write(tmp_path, {
        "src/a.py": "def shared():\n    pass\n\n\ndef only_in_a():\n    pass\n",
        "src/b.py": "def shared():\n    pass\n\n\nclass Model:\n    status = 1\n",
        "tests/test_a.py": "def only_in_a():\n    pass\n",
    })  # fmt: skip
    index = fresh_index(tmp_path)
    assert index.resolve("shared") is None  # two files: never a guess
    assert index.defining("shared") == ("src/a.py", "src/b.py")
    assert index.resolve("only_in_a") is None  # the test module defines it too
    assert index.resolve("status") is None  # a bare word is not a class attribute
    assert index.resolve("Model.status") == "src/b.py"
    assert fresh_index(tmp_path, ("src",)).resolve("only_in_a") == "src/a.py"


def test_src_roots_come_from_the_checks_config_through_the_context(tmp_path: Path) -> None:
    """The symbol index reads no config itself: the check's config reaches it through the rule
    Context, and the rules and the conflict model share the one index the Context built."""
    write(tmp_path, {
        ".planlint.toml": 'src = ["lib"]\n',
        "lib/jobs.py": "def schedule():\n    pass\n",
        "vendor/jobs.py": "def schedule():\n    pass\n",
    })  # fmt: skip
    plan = parse_plan(
        SourceText.from_text("# P\n\n## Phase 1: A\n\n- [ ] 1.1 Fix `schedule()`\n", tmp_path / "plan.md")
    )
    ctx = Context(plan, load_config(start=tmp_path), tmp_path)
    assert [a.key for found in ctx.conflicts.accesses.values() for a in found] == ["lib/jobs.py"]
    assert ctx.symbols.src == ("lib",)
    assert ctx.symbols.parsed + ctx.symbols.cached == 1  # the conflict model filled the rules' index
    assert ctx.symbols.resolve("schedule") == "lib/jobs.py"
    assert SymbolIndex(tmp_path).src == (".",)  # without a Context, no config is read from disk


def test_only_files_that_contain_a_cited_name_are_parsed(tmp_path: Path) -> None:
    write(tmp_path, {f"pkg/m{n}.py": f"def f{n}():\n    pass\n" for n in range(20)})
    index = fresh_index(tmp_path)
    index.prefetch(["f7", "f13"])
    assert index.parsed == 2
    assert index.resolve("f7") == "pkg/m7.py"


# -- the cache -------------------------------------------------------------------------------


def test_second_run_parses_nothing_and_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    write(tmp_path, {"src/app.py": ORCHESTRATOR, "src/other.py": "def helper():\n    pass\n"})
    cold = fresh_index(tmp_path)
    cold.prefetch(["run", "helper"])
    assert (cold.parsed, cold.cached) == (2, 0)

    warm = fresh_index(tmp_path)
    warm.prefetch(["run", "helper"])
    assert (warm.parsed, warm.cached) == (0, 2)
    assert warm.symbols("src/app.py") == cold.symbols("src/app.py")

    # the same size and name, different content: the content hash, not the file's stat, decides
    changed = ORCHESTRATOR.replace("def run(self):", "def ran(self):")
    assert len(changed) == len(ORCHESTRATOR)
    (tmp_path / "src/app.py").write_text(changed, encoding="utf-8")
    after = fresh_index(tmp_path)
    after.prefetch(["run", "ran", "helper"])
    assert after.parsed == 1 and after.cached == 1
    assert after.resolve("ran") == "src/app.py" and after.resolve("run") is None

    # and back: the old entry is still valid for the old content
    (tmp_path / "src/app.py").write_text(ORCHESTRATOR, encoding="utf-8")
    back = fresh_index(tmp_path)
    back.prefetch(["run"])
    assert back.parsed == 0 and back.resolve("run") == "src/app.py"


@pytest.mark.slow  # runs real git
def test_cache_is_keyed_by_content_and_ignored_by_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, {"app.py": "def main():\n    pass\n"})
    fresh_index(tmp_path).prefetch(["main"])
    entries = list((tmp_path / CACHE_DIR / FORMAT).rglob("*.json"))
    assert len(entries) == 1
    import hashlib

    assert entries[0].stem == hashlib.sha256((tmp_path / "app.py").read_bytes()).hexdigest()
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert CACHE_DIR not in status and "app.py" in status


def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "def main():\n    pass\n"})
    fresh_index(tmp_path).prefetch(["main"])
    (entry,) = (tmp_path / CACHE_DIR / FORMAT).rglob("*.json")
    entry.write_text('{"format": "symbols-v1", "sha2', encoding="utf-8")  # a torn write
    index = fresh_index(tmp_path)
    assert index.resolve("main") == "app.py" and index.parsed == 1
    assert json.loads(entry.read_text(encoding="utf-8"))["definitions"] == [["main", "function", 1, 1, 2]]


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    import shutil

    write(tmp_path, {"app.py": "def main():\n    pass\n"})
    fresh_index(tmp_path).prefetch(["main"])
    shutil.rmtree(tmp_path / CACHE_DIR)
    index = fresh_index(tmp_path)
    assert index.resolve("main") == "app.py" and index.parsed == 1


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "def main():\n    pass\n"})
    (tmp_path / CACHE_DIR).write_text("not a folder", encoding="utf-8")  # mkdir will fail
    index = fresh_index(tmp_path)
    assert index.resolve("main") == "app.py"
    assert (tmp_path / CACHE_DIR).is_file()


_BUILD = """
import json, sys
from pathlib import Path
from planlint.analysis.symbols import SymbolIndex
index = SymbolIndex(Path(sys.argv[1]))
names = [f"f{n}" for n in range(40)]
index.prefetch(names)
print(json.dumps({n: index.defining(n) for n in names}))
"""


@pytest.mark.slow  # races concurrent planlint processes
def test_concurrent_runs_share_the_cache_safely(tmp_path: Path) -> None:
    write(tmp_path, {f"pkg/m{n}.py": f"def f{n}():\n    pass\n\n\ndef f{n + 20}():\n    pass\n" for n in range(20)})
    runs = [subprocess.Popen([sys.executable, "-c", _BUILD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
            for _ in range(4)]  # fmt: skip
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    results = [json.loads(output) for output in outputs]
    assert all(result == results[0] for result in results)
    assert results[0]["f3"] == ["pkg/m3.py"] and results[0]["f23"] == ["pkg/m3.py"]
    cache = tmp_path / CACHE_DIR / FORMAT
    assert not list(cache.rglob(".tmp-*")), "a temporary file was left behind"
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 20
    assert all(json.loads(e.read_text(encoding="utf-8"))["format"] == FORMAT for e in entries)
    warm = fresh_index(tmp_path)
    warm.prefetch([f"f{n}" for n in range(40)])
    assert warm.parsed == 0


def test_cli_sees_a_change_between_runs(tmp_path: Path) -> None:
    """Three real runs: fresh, warm (cache hit), and after the function moved."""
    from tests.conftest import run_cli

    write(tmp_path, {"src/app.py": "def main():\n    pass\n\n\ndef helper():\n    pass\n"})
    (tmp_path / "plan.md").write_text(
        "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Speed up `helper()` at `src/app.py:5-6`\n", encoding="utf-8"
    )
    for _ in range(2):
        assert run_cli("check", "plan.md", "--select", "PL303", cwd=tmp_path).returncode == 0
    (tmp_path / "src/app.py").write_text("def helper():\n    pass\n\n\ndef main():\n    pass\n", encoding="utf-8")
    result = run_cli("check", "plan.md", "--select", "PL303", cwd=tmp_path)
    assert result.returncode == 1
    assert "`helper()` is at lines 1-2 of `src/app.py` now, not 5-6" in result.stdout


def test_a_warm_cache_does_not_even_import_libcst(tmp_path: Path) -> None:
    write(tmp_path, {"src/app.py": "def helper():\n    pass\n"})
    (tmp_path / "plan.md").write_text(
        "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Speed up `helper()` in `src/app.py`\n", encoding="utf-8"
    )
    probe = (
        "import sys\nfrom planlint.cli import main\n"
        "try:\n    main(['check', 'plan.md', '--quiet'])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules)"
    )
    run = [sys.executable, "-c", probe]
    cold = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()[-1]
    warm = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()[-1]
    assert (cold, warm) == ("True", "False")


# -- the rules on top of it --------------------------------------------------------------------


def test_an_unparsable_file_is_one_info_finding(tmp_path: Path) -> None:
    from planlint.diagnostic import Severity

    write(tmp_path, {"src/tokens.py": "def parse(text:\n    return text\n"})
    plan = (
        "# P\n\n## Phase 1: A\n\n"
        "- [ ] 1.1 Fix `parse()` in `src/tokens.py`\n- [ ] 1.2 Test `parse()` in `src/tokens.py`\n"
    )
    found = lint(tmp_path, plan, "PL304")
    assert [(d.code, d.severity) for d in found] == [("PL304", Severity.INFO)]
    assert "cannot be parsed" in found[0].message


def test_moved_to_another_file_offers_an_unsafe_fix_that_rewrites_the_path(tmp_path: Path) -> None:
    write(tmp_path, {
        "src/app.py": "import os\n\n\ndef main():\n    pass\n",
        "src/prompts.py": "\n\ndef render(task):\n    return task\n",
    })  # fmt: skip
    plan = "# P\n\n## Phase 1: A\n\n- [ ] 1.1 Shorten `render()` at src/app.py:4-5 for small models\n"
    (finding,) = lint(tmp_path, plan, "PL303")
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    (edit,) = finding.fix.edits
    assert plan[edit.span.start : edit.span.end] == "src/app.py:4-5"
    assert edit.new_text == "src/prompts.py:3-4"


def test_symbols_make_two_tasks_conflict_only_when_the_file_is_certain(tmp_path: Path) -> None:
    write(tmp_path, {"src/a.py": "def render():\n    pass\n", "src/b.py": "def shared():\n    pass\n",
                     "src/c.py": "def shared():\n    pass\n"})  # fmt: skip
    plan = textwrap.dedent("""\
        # P

        ## Phase 1: A

        - [ ] 1.1 Add colour to `render()`
        - [ ] 1.2 Add a border in `render()`
        - [ ] 1.3 Cache `shared()`
        - [ ] 1.4 Log calls to `shared()`
        """)
    found = lint(tmp_path, plan, "PL101")
    assert [d.message.split(" but ")[0] for d in found] == ["tasks 1.1 and 1.2 both write `src/a.py`"]


def test_symbol_conflicts_use_the_runs_config_not_the_one_found_at_the_root(tmp_path: Path) -> None:
    """`--config elsewhere.toml` with `src = ["lib"]`: the conflict model must place `schedule()`
    in lib/jobs.py even though the root's own config points at another folder."""
    write(tmp_path, {
        ".planlint.toml": 'src = ["vendor"]\n',
        "lib/jobs.py": "def schedule():\n    pass\n",
        "vendor/other.py": "def unrelated():\n    pass\n",
    })  # fmt: skip
    plan = "# P\n\n## Phase 1: A\n\n- [ ] 1.1 Add retries to `schedule()`\n- [ ] 1.2 Add logging to `schedule()`\n"
    parsed = parse_plan(SourceText.from_text(plan, tmp_path / "plan.md"))
    config = Config(root=tmp_path, src=("lib",)).with_overrides(select=["PL101"])
    clear_memory()
    found = lint_plan(parsed, config, tmp_path)
    assert [d.message.split(" but ")[0] for d in found] == ["tasks 1.1 and 1.2 both write `lib/jobs.py`"]


@pytest.mark.parametrize(
    "text", ["- [ ] 1.1 Update `helper()` in `app.js`", "- [ ] 1.1 Call `helper()` in `src/app.py`"]
)
def test_symbols_not_said_to_be_defined_in_a_python_file_are_not_checked(tmp_path: Path, text: str) -> None:
    write(tmp_path, {"src/app.py": "def main():\n    pass\n", "app.js": "function helper() {}\n"})
    assert lint(tmp_path, f"# P\n\n## Phase 1: A\n\n{text}\n", "PL304") == []


def test_the_unsafe_path_fix_is_applied_with_unsafe_fixes(tmp_path: Path) -> None:
    from planlint.config import Config
    from planlint.fix.loop import fix_pair
    from planlint.text import SourceText

    write(tmp_path, {
        "src/app.py": "import os\n\n\ndef main():\n    pass\n",
        "src/prompts.py": "\n\ndef render(task):\n    return task\n",
    })  # fmt: skip
    plan = "# P\n\n## Phase 1: A\n\n- [ ] 1.1 Shorten `render()` at src/app.py:4-5 for small models\n"
    source = SourceText.from_text(plan, tmp_path / "plan.md")
    config = Config(root=tmp_path).with_overrides(select=["PL303"])
    assert fix_pair(source, None, config, root=tmp_path).texts[source.path] == plan  # unsafe: not by default
    outcome = fix_pair(source, None, config, unsafe=True, root=tmp_path)
    assert outcome.refused is None
    assert outcome.texts[source.path] == plan.replace("src/app.py:4-5", "src/prompts.py:3-4")


DEFINES_IN_ODD_WAYS = """\
import os
from tests.conftest import REPO

type Alias = int
first, (second, third) = 1, (2, 3)
[fourth] = [4]
(
    fifth,
    sixth  # a comment
) = 5, 6
seventh \\
    = 7
eighth: int
ninth = tenth = 10


class Holder:
    eleventh: str = "x"

    @property
    def twelfth(self) -> int:
        return 12


async def thirteenth() -> None:
    fourteenth = 14  # local: not a definition
"""


@pytest.mark.parametrize("source", ["DEFINES_IN_ODD_WAYS", "ORCHESTRATOR", "planlint/parse/python.py"])
def test_the_text_filter_passes_every_file_that_defines_a_name(source: str) -> None:
    """A file is parsed for a bare name only when its text could define it: never skip a definer."""
    from planlint.analysis.symbols import could_define

    path = REPO / source
    data = path.read_bytes() if path.is_file() else globals()[source].encode()
    names = {d.name for d in extract_symbols(data).definitions}
    assert names
    assert [n for n in sorted(names) if not could_define(data, n)] == []
    # and it does filter: uses alone are not definitions
    assert not could_define(b"import os\nprint(os.getcwd())\nx = os.getcwd() + 'a'\n", "getcwd")
    assert not could_define(b"value = fourteenth + 1\nif fourteenth == 2: pass\nrefourteenth = 1\n", "fourteenth")
    assert could_define(b"x = 1\ndef \\\n  fourteenth(): pass\n", "fourteenth")
    assert not could_define(b"x = 1  # not fourteenth, (see fourteenth)\n# fourteenth = 2\n", "fourteenth")
    assert could_define(b"x = '#'; fourteenth = 2\n", "fourteenth")  # a quote: the # may be in a string
    assert could_define(b'"""a # b"""; fourteenth = 2\n', "fourteenth")


def test_a_bare_name_parses_only_the_files_that_could_define_it(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def shared_name():\n    return 1\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from a import shared_name\n\nprint(shared_name())\n", encoding="utf-8")
    clear_memory()
    index = SymbolIndex(tmp_path, cache=False)
    assert index.resolve("shared_name") == "a.py"
    assert index.parsed == 1  # b.py names it, and cannot define it


def test_slow_indexing_says_so_once_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    from planlint.analysis.symbols import _Progress

    now = [0.0]
    progress = _Progress(10, clock=lambda: now[0])
    progress.tick()
    assert capsys.readouterr().err == ""  # under a second: quiet
    now[0] = 1.5
    progress.tick()
    progress.tick()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("planlint: indexing Python definitions")
