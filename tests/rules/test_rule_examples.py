"""One generated test per rule example in rules/<CODE>/{pass,fail}/ and per text variant.

A fail example marks each line where a diagnostic must start with `<!-- expect: CODE -->`;
the set of (line, code) planlint finds for that code must equal the set of markers, on LF, CRLF,
UTF-8-BOM and no-final-newline variants of the same file (STYLE.md §2.9). An example with a
`<stem>.toml` beside it (in `.planlint.toml` form, e.g. `standard = "plan-standards"`) runs with
that configuration.

A multi-file case is a folder (`plan.md`, `status.json`, `expected.txt`): expected.txt lists one
`file:line CODE` per expected diagnostic (lines starting with `#` are comments), because a JSON
file cannot carry markers. planlint checks `plan.md`, which pairs with the `status.json` beside it.
A GSD case is a phase folder of `NN-MM-PLAN.md` files (checked together, DESIGN.md §7), each
with an optional `NN-MM-PLAN.fixed.md`.
Sub-folders of a case (`src/app.py`) are the source tree the plan cites: the case folder is the
repository root, and its source files are copied as they are (only the plan and status files
get the text variants).
"""

from __future__ import annotations

import codecs
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from planlint.config import Config, load_config
from planlint.engine import lint_plan
from planlint.io import decode_source
from planlint.parse.plan import parse_plan
from tests.conftest import REPO

RULES_DIR = REPO / "rules"
MARKER = re.compile(r"<!--\s*expect:\s*(?P<codes>[A-Z0-9, ]+?)\s*-->")
VARIANTS = ("lf", "crlf", "bom", "no-final-newline")


def example_files() -> list[Path]:
    return sorted(p for p in RULES_DIR.glob("PL*/*/*.md") if not p.name.endswith(".fixed.md"))


def example_cases() -> Iterator[object]:
    for case in example_files():
        code, kind = case.parts[-3], case.parts[-2]
        for variant in VARIANTS:
            yield pytest.param(code, kind, case, variant, id=f"{code}/{kind}/{case.stem}/{variant}")


def folder_cases() -> list[Path]:
    """Folders holding a plan.md or status.json (other folders are source trees for examples)."""
    return sorted(
        p
        for p in RULES_DIR.glob("PL*/*/*")
        if p.is_dir()
        and not p.name.endswith(".todo")
        and ((p / "plan.md").exists() or (p / "status.json").exists() or gsd_plans(p))
    )


def gsd_plans(case: Path) -> list[Path]:
    """A GSD phase folder's plan files (DESIGN.md §7), in name order."""
    return sorted(case.glob("*-PLAN.md"))


def folder_params() -> Iterator[object]:
    for case in folder_cases():
        code, kind = case.parts[-3], case.parts[-2]
        for variant in VARIANTS:
            yield pytest.param(code, kind, case, variant, id=f"{code}/{kind}/{case.name}/{variant}")


def variant_bytes(text: str, variant: str) -> bytes:
    text = text.replace("\r\n", "\n")
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "no-final-newline":
        text = text.rstrip("\n")
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if variant == "bom" else data


def expected_markers(text: str, code: str) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for match in MARKER.finditer(line):
            for found in re.split(r"[,\s]+", match.group("codes").strip()):
                if found == code:
                    expected.add((number, found))
    return expected


def example_config(path: Path, code: str) -> Config:
    """The configuration an example runs with: its `<stem>.toml` if it has one."""
    settings = path.with_suffix(".toml")
    base = load_config(settings) if settings.is_file() else Config(root=path.parent)
    return base.with_overrides(select=[code])


def found_diagnostics(data: bytes, path: Path, code: str) -> set[tuple[int, str]]:
    source = decode_source(data, path)
    config = example_config(path, code)
    plan = parse_plan(source)
    return {
        (source.position(d.span.start)[0], d.code)
        for d in lint_plan(plan, config)
        if d.code == code and d.span.path == path
    }


# PL122 reports a whole CRLF file once, at line 1 (DESIGN.md §3a): in the CRLF variant that is
# one more finding, its fix (to LF) is unsafe, and `fix --unsafe-fixes` leaves no carriage return.
WHOLE_FILE_CRLF = "PL122"


def crlf_as_a_whole(code: str, variant: str) -> bool:
    return code == WHOLE_FILE_CRLF and variant == "crlf"


@pytest.mark.parametrize(("code", "kind", "case", "variant"), list(example_cases()))
def test_rule_example(code: str, kind: str, case: Path, variant: str) -> None:
    text = case.read_text(encoding="utf-8")
    expected = expected_markers(text, code)
    if kind == "pass":
        assert not expected, "a pass example must not carry expect markers"
    else:
        assert expected, "a fail example needs at least one <!-- expect: CODE --> marker"
    if crlf_as_a_whole(code, variant):
        expected = expected | {(1, code)}
    found = found_diagnostics(variant_bytes(text, variant), case, code)
    assert sorted(found) == sorted(expected)


def fixed_bytes(data: bytes, path: Path, code: str, *, unsafe: bool = False) -> bytes:
    """The bytes `planlint fix --select CODE` would write for this file (safe fixes only)."""
    from planlint.fix.loop import fix_pair
    from planlint.io import encode_like

    source = decode_source(data, path)
    outcome = fix_pair(source, None, example_config(path, code), unsafe=unsafe)
    assert outcome.refused is None, outcome.refused
    return encode_like(outcome.texts[path], source)


@pytest.mark.parametrize(("code", "kind", "case", "variant"), list(example_cases()))
def test_rule_example_fix(code: str, kind: str, case: Path, variant: str) -> None:
    """fix(before) == fixed byte for byte, fix(fixed) == fixed, and no fixed file, no fix."""
    before = variant_bytes(case.read_text(encoding="utf-8"), variant)
    fixed_file = case.with_name(case.stem + ".fixed.md")
    after = fixed_bytes(before, case, code)
    if crlf_as_a_whole(code, variant):
        converted = fixed_bytes(before, case, code, unsafe=True)
        assert b"\r" not in converted, "the unsafe fix converts the line endings"
        assert fixed_bytes(converted, case, code) == converted
        if fixed_file.exists():
            expected = variant_bytes(fixed_file.read_text(encoding="utf-8"), variant)
            assert after == expected
        else:
            assert after == before
        return
    if not fixed_file.exists():
        assert after == before, "the rule fixed this case but it has no .fixed.md"
        return
    expected = variant_bytes(fixed_file.read_text(encoding="utf-8"), variant)
    assert after == expected
    assert fixed_bytes(expected, case, code) == expected, "a second fix changed the file again"
    assert not found_diagnostics(expected, case, code), "the fixed file still has findings"


def expected_in_folder(case: Path, code: str) -> set[tuple[str, int, str]]:
    expected = set()
    listing = case / "expected.txt"
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            where, found = line.split()
            name, number = where.rsplit(":", 1)
            if found == code:
                expected.add((name, int(number), found))
    for file in (f for f in case.glob("*.md") if not f.name.endswith(".fixed.md")):
        expected |= {(file.name, n, c) for n, c in expected_markers(file.read_text(encoding="utf-8"), code)}
    return expected


def copy_source_tree(case: Path, root: Path) -> None:
    """A case's sub-folders, byte for byte: the code its plan cites."""
    for folder in case.iterdir():
        if folder.is_dir():
            shutil.copytree(folder, root / folder.name)


@pytest.mark.parametrize(("code", "kind", "case", "variant"), list(folder_params()))
def test_rule_folder_example(code: str, kind: str, case: Path, variant: str, tmp_path: Path) -> None:
    from planlint.api import check_paths

    copy_source_tree(case, tmp_path)
    for file in case.iterdir():
        if file.is_file() and file.name != "expected.txt":
            (tmp_path / file.name).write_bytes(variant_bytes(file.read_text(encoding="utf-8"), variant))
    expected = expected_in_folder(case, code)
    if kind == "pass":
        assert not expected, "a pass example must not expect diagnostics"
    else:
        assert expected, "a fail example needs expected.txt lines or <!-- expect: CODE --> markers"
    if crlf_as_a_whole(code, variant) and (tmp_path / "plan.md").exists():
        expected = expected | {("plan.md", 1, code)}
    config = Config(root=tmp_path).with_overrides(select=[code])
    target = tmp_path / "plan.md" if (tmp_path / "plan.md").exists() else tmp_path / "status.json"
    targets = gsd_plans(tmp_path) or [target]
    results = check_paths(targets, config)
    assert len(results) == len(targets)
    assert all(result.error is None for result in results), [result.error for result in results]
    found = {
        (d.span.path.name, result.locate(d.span)[0], d.code)
        for result in results
        for d in result.diagnostics
        if d.code == code
    }
    assert sorted(found) == sorted(expected)


def test_examples_exist() -> None:
    assert example_files(), "rules/ holds no examples"


@pytest.mark.parametrize(("code", "kind", "case", "variant"), list(folder_params()))
def test_rule_folder_fix(code: str, kind: str, case: Path, variant: str, tmp_path: Path) -> None:
    """Folder cases: `plan.fixed.md` / `status.fixed.json` hold the exact files after the fix."""
    from planlint.fix.loop import fix_pair
    from planlint.io import encode_like

    def run(plan_bytes: bytes, status_bytes: bytes | None) -> dict[str, bytes]:
        plan = decode_source(plan_bytes, tmp_path / "plan.md")
        status = decode_source(status_bytes, tmp_path / "status.json") if status_bytes is not None else None
        config = Config(root=tmp_path).with_overrides(select=[code])
        outcome = fix_pair(plan, status, config, root=tmp_path)
        assert outcome.refused is None, outcome.refused
        sources = {plan.path: plan, **({status.path: status} if status else {})}
        return {path.name: encode_like(outcome.texts[path], source) for path, source in sources.items()}

    if gsd_plans(case):
        gsd_folder_fix(code, case, variant, tmp_path)
        return
    if not (case / "plan.md").exists():
        pytest.skip("a status-only case has no plan to fix against")
    copy_source_tree(case, tmp_path)
    plan_bytes = variant_bytes((case / "plan.md").read_text(encoding="utf-8"), variant)
    status_file = case / "status.json"
    status_bytes = variant_bytes(status_file.read_text(encoding="utf-8"), variant) if status_file.exists() else None
    before = {"plan.md": plan_bytes, **({"status.json": status_bytes} if status_bytes is not None else {})}
    expected = dict(before)
    for name, fixed_name in (("plan.md", "plan.fixed.md"), ("status.json", "status.fixed.json")):
        if (case / fixed_name).exists():
            expected[name] = variant_bytes((case / fixed_name).read_text(encoding="utf-8"), variant)
    after = run(plan_bytes, status_bytes)
    assert after == expected
    assert run(after["plan.md"], after.get("status.json")) == after, "a second fix changed a file again"


def gsd_folder_fix(code: str, case: Path, variant: str, tmp_path: Path) -> None:
    """A GSD phase folder is fixed as one plan: each `NN-MM-PLAN.fixed.md` is that file after."""
    from planlint.fix.loop import fix_pair
    from planlint.io import encode_like

    plans = gsd_plans(case)
    before = {p.name: variant_bytes(p.read_text(encoding="utf-8"), variant) for p in plans}
    expected = dict(before)
    for plan in plans:
        fixed = plan.with_name(plan.stem + ".fixed.md")
        if fixed.exists():
            expected[plan.name] = variant_bytes(fixed.read_text(encoding="utf-8"), variant)

    def run(files: dict[str, bytes]) -> dict[str, bytes]:
        sources = [decode_source(data, tmp_path / name) for name, data in sorted(files.items())]
        config = Config(root=tmp_path).with_overrides(select=[code])
        outcome = fix_pair(sources[0], None, config, root=tmp_path, siblings=tuple(sources[1:]))
        assert outcome.refused is None, outcome.refused
        return {source.path.name: encode_like(outcome.texts[source.path], source) for source in sources}

    after = run(before)
    assert after == expected
    assert run(after) == after, "a second fix changed a file again"
