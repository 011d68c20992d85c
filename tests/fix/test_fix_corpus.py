"""`planlint fix` on a copy of ../shared/corpus (skipped when absent): real plans by another team.

The fix must change only what planlint reports as fixable, and nothing else:

- every file it changed is one it names in `--show-fixes`, and no file appears or disappears;
- in a plan, every changed line lies at a fix edit that `check` reported before the fix, and every
  line it adds is a line of the text those edits produce;
- in a status.json, the document differs only under the keys the applied fixes name, and every
  byte outside those keys' values is unchanged;
- a second run changes no byte; `check` afterwards reports no finding with a safe fix and no code
  more often than before.

The corpus's status files have few fixable findings of their own, so the copy gets one: a wrong
`summary.completed` in the first status.json that has one, which the status checks must see fixed.
The counts are not pinned here (tests/project/test_pinned.py pins the unseeded corpus's outputs).
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from planlint.parse.status import parse_status
from planlint.text import SourceText
from tests.conftest import CORPUS, run_cli, writable_copy

pytestmark = pytest.mark.slow  # runs `planlint fix` on a copy of the whole corpus

CACHE_DIR = ".planlint_cache"  # planlint's symbol cache: tool state, not a fix
# `--show-fixes` lists each kind of fix once per file, with how many times it applied.
APPLIED = re.compile(r"^(?P<path>\S.*?): fixed (?P<code>PL\d+) \((?P<title>.*?)\)(?: \((?P<times>\d+) times\))?$", re.M)


@dataclass
class CorpusFix:
    root: Path
    before: dict[str, bytes]
    after: dict[str, bytes]
    again: dict[str, bytes]
    findings_before: list[dict[str, Any]]
    findings_after: list[dict[str, Any]]
    applied: list[tuple[str, str, str]]  # (path, code, fix title), one per fixed finding
    seeded: str  # the status.json given a wrong summary count
    fix_run: CompletedProcess[str]
    second_run: CompletedProcess[str]

    def changed(self) -> list[str]:
        return sorted(p for p in self.before if self.before[p] != self.after.get(p))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, except planlint's own cache (like .ruff_cache, deletable at any time)."""
    files = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {name: path.read_bytes() for name, path in files.items() if not name.startswith(f"{CACHE_DIR}/")}


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


def seed_wrong_summary(root: Path) -> str:
    """Make the first status.json with a `summary.completed` count it 7 too high; its path."""
    for path in sorted((root / "docs" / "plan-outputs").rglob("status.json")):
        data = path.read_bytes()
        if match := re.search(rb'("summary"\s*:\s*\{[^{}]*?"completed"\s*:\s*)(\d+)', data):
            path.write_bytes(data[: match.start(2)] + str(int(match[2]) + 7).encode() + data[match.end(2) :])
            return path.relative_to(root).as_posix()
    raise AssertionError("no status.json in the corpus has a summary.completed count")


def check_json(root: Path) -> list[dict[str, Any]]:
    done = run_cli("check", "--format", "json", "--exit-zero", "docs", cwd=root)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def corpus_fix(tmp_path_factory: pytest.TempPathFactory) -> CorpusFix:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    root = tmp_path_factory.mktemp("corpus-fix") / "corpus"
    writable_copy(CORPUS, root, symlinks=True)
    (root / ".planlint.toml").write_text("")  # the copy is the project root, wherever tmp lies
    seeded = seed_wrong_summary(root)
    before = snapshot(root)
    findings_before = check_json(root)
    fix_run = run_cli("fix", "--show-fixes", "docs", cwd=root)
    assert fix_run.returncode in (0, 1), fix_run.stderr  # 1: findings remain that no fix mends
    assert "could not safely fix" not in fix_run.stderr, fix_run.stderr
    after = snapshot(root)
    second_run = run_cli("fix", "docs", cwd=root)
    again = snapshot(root)
    applied = [
        (m["path"], m["code"], m["title"])
        for m in APPLIED.finditer(fix_run.stderr)
        for _ in range(int(m["times"] or 1))
    ]
    findings_after = check_json(root)
    return CorpusFix(root, before, after, again, findings_before, findings_after, applied, seeded, fix_run, second_run)


def test_fix_changes_only_the_files_it_names(corpus_fix: CorpusFix) -> None:
    assert set(corpus_fix.after) == set(corpus_fix.before), "fix created or removed files"
    changed = corpus_fix.changed()
    assert changed, "the corpus has fixable findings; the fix changed nothing"
    assert set(changed) == {path for path, _, _ in corpus_fix.applied}
    count = re.search(r"^Fixed (\d+) problems?(?: \(and (\d+) that the fixes caused\))? in (\d+) file",
                      corpus_fix.fix_run.stderr, re.M)  # fmt: skip
    assert count and int(count[1]) + int(count[2] or 0) == len(corpus_fix.applied)
    fixable = sum(1 for f in corpus_fix.findings_before if f["fix"] and f["fix"]["applicability"] == "safe")
    assert int(count[1]) == fixable  # what `check` counted as fixable is what `fix` says it fixed


def _safe_edits(findings: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    return [
        edit
        for finding in findings
        if finding["path"] == path and finding["fix"] and finding["fix"]["applicability"] == "safe"
        for edit in finding["fix"]["edits"]
    ]


def _apply(source: SourceText, edits: list[dict[str, Any]]) -> str:
    """The text the reported edits produce: applied bottom-up, duplicates once, overlaps skipped."""
    spans = []
    for edit in edits:
        start = source.offset(edit["line"], edit["column"])
        end = source.offset(edit["end_line"], edit["end_column"])
        spans.append((start, end, edit["content"].replace("\n", source.newline)))
    text, last_start = source.text, len(source.text) + 1
    for start, end, content in sorted(set(spans), key=lambda s: (s[0], s[1]), reverse=True):
        if end > last_start:
            continue
        text = text[:start] + content + text[end:]
        last_start = start
    return text


def _lines(text: str) -> list[str]:
    """Lines as planlint counts them (the reported line numbers), without their breaks."""
    starts = [*SourceText.from_text(text).line_starts, len(text)]
    return [text[a:b].rstrip("\r\n") for a, b in itertools.pairwise(starts)]


def test_plan_changes_lie_at_the_fixes_check_reported(corpus_fix: CorpusFix) -> None:
    plans = [p for p in corpus_fix.changed() if p.endswith(".md")]
    assert plans
    fixable_codes = {(f["path"], f["code"]) for f in corpus_fix.findings_before if f["fix"]}
    for path in plans:
        assert {(p, code) for p, code, _ in corpus_fix.applied if p == path} <= fixable_codes
        old = SourceText.from_text(corpus_fix.before[path].decode("utf-8-sig"), path)
        new_text = corpus_fix.after[path].decode("utf-8-sig")
        edits = _safe_edits(corpus_fix.findings_before, path)
        assert edits, f"{path} changed but check reported no safe fix there"
        # Lines (0-based) at or beside an edit; beside, because difflib may align an inserted
        # block that starts or ends with a blank line one line up or down.
        near = {i for e in edits for i in range(e["line"] - 2, e["end_line"] + 1)}
        produced = set(_lines(_apply(old, edits)))
        old_lines, new_lines = _lines(old.text), _lines(new_text)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            where = [i1] if i1 == i2 else range(i1, i2)
            assert all(i in near for i in where), f"{path}:{i1 + 1}: changed away from any reported fix"
            for line in new_lines[j1:j2]:
                assert not line.strip() or line in produced, f"{path}: {line!r} is no reported fix's text"


def _named_pointer(title: str, data: Any) -> str:
    """The JSON pointer a status fix's title names (`set summary.completed to 2`, ...)."""
    if match := re.search(r"\bsummary\.(\w+)", title):
        return f"/summary/{match[1]}"
    if "sequentialGroups" in title:
        return "/sequentialGroups"
    if match := re.search(r"executionConstraints of (\S+)", title):
        (index,) = [i for i, task in enumerate(data["tasks"]) if str(task.get("id")) == match[1]]
        return f"/tasks/{index}/executionConstraints"
    raise AssertionError(f"the test does not know which key the fix {title!r} names; teach _named_pointer")


def _differences(old: Any, new: Any, pointer: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = {*old, *new}
        return [d for k in keys for d in _differences(old.get(k, ...), new.get(k, ...), f"{pointer}/{k}")]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True)) for d in _differences(a, b, f"{pointer}/{i}")]
    return [] if old == new else [pointer]


def _under(pointer: str, named: set[str]) -> bool:
    return any(pointer == n or pointer.startswith(n + "/") for n in named)


def _outside(source: SourceText, regions: list[str]) -> list[str]:
    """The text between the values at the given pointers."""
    status = parse_status(source)
    spans = sorted((status.span(p).start, status.span(p).end) for p in regions)
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(source.text[at:start])
        at = end
    return [*pieces, source.text[at:]]


def test_status_changes_are_only_the_keys_the_fixes_name(corpus_fix: CorpusFix) -> None:
    statuses = [p for p in corpus_fix.changed() if p.endswith(".json")]
    assert corpus_fix.seeded in statuses, "the wrong summary count seeded into the copy was not fixed"
    seeded_data = json.loads(corpus_fix.after[corpus_fix.seeded].decode("utf-8-sig"))
    assert seeded_data["summary"]["completed"] == sum(t.get("status") == "completed" for t in seeded_data["tasks"])
    for path in statuses:
        old_text = corpus_fix.before[path].decode("utf-8-sig")
        new_text = corpus_fix.after[path].decode("utf-8-sig")
        old, new = json.loads(old_text), json.loads(new_text)
        titles = [title for p, _, title in corpus_fix.applied if p == path]
        named = {_named_pointer(title, old) for title in titles}
        assert all(_under(d, named) for d in _differences(old, new)), (path, _differences(old, new), named)
        # Byte for byte outside the named values (a key added to an object: outside that object).
        old_status = parse_status(SourceText.from_text(old_text, path))
        new_status = parse_status(SourceText.from_text(new_text, path))
        regions = set()
        for pointer in named:
            exists = old_status.document.locate(pointer) and new_status.document.locate(pointer)
            regions.add(pointer if exists else pointer.rsplit("/", 1)[0])
        regions = {r for r in regions if not _under(r, regions - {r})}
        kept = _outside(old_status.source, sorted(regions))
        assert _outside(new_status.source, sorted(regions)) == kept, path
        bom = b"\xef\xbb\xbf"
        assert corpus_fix.before[path].startswith(bom) == corpus_fix.after[path].startswith(bom), path


def test_a_second_fix_changes_no_byte(corpus_fix: CorpusFix) -> None:
    assert corpus_fix.second_run.returncode in (0, 1), corpus_fix.second_run.stderr
    assert digests(corpus_fix.again) == digests(corpus_fix.after)
    assert "Fixed 0 problems in 0 files" in corpus_fix.second_run.stderr


def test_no_fixable_finding_remains_and_none_is_new(corpus_fix: CorpusFix) -> None:
    safe = [f for f in corpus_fix.findings_after if f["fix"] and f["fix"]["applicability"] == "safe"]
    assert safe == []
    before = Counter(f["code"] for f in corpus_fix.findings_before)
    after = Counter(f["code"] for f in corpus_fix.findings_after)
    assert {code: n for code, n in after.items() if n > before[code]} == {}
