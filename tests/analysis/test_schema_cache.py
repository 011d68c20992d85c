"""The shipped schema's verdicts kept by content (issue 18 item 2): a status file seen before is
checked without importing jsonschema, with the same findings; a damaged entry, another text or
`--no-cache` validates again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planlint.analysis.schema import Violation
from planlint.analysis.schema_cache import FORMAT, VerdictCache, verdict_key
from planlint.api import check_paths
from planlint.config import Config

PLAN = "# Plan: P\n\n## Phase 1: A\n\n- [ ] 1.1 Add `b`\n"


def repo(root: Path, status: str = "done") -> Path:
    (root / "docs/plans").mkdir(parents=True, exist_ok=True)
    (root / "docs/plans/p.md").write_text(PLAN, encoding="utf-8")
    folder = root / "docs/plan-outputs/p"
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"id": "1.1", "phase": "Phase 1: A", "description": "Add `b`", "status": status, "notes": True}
    document = {"planPath": "docs/plans/p.md", "planName": "P", "createdAt": "2026-01-01T00:00:00Z", "tasks": [entry]}
    (folder / "status.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return folder / "status.json"


def check(root: Path, *args: str) -> tuple[str, bool]:
    """The check's output, and whether it imported jsonschema."""
    code = (
        "import sys\nfrom planlint.cli import main\n"
        "try:\n"
        f"    main(['check', 'docs/plans/p.md', *{list(args)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('jsonschema' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout, done.stderr.split()[-1] == "True"


def schema_findings(root: Path, *, cache: bool = True) -> list[tuple[int, str]]:
    results = check_paths([root / "docs/plans/p.md"], Config(root=root, cache=cache))
    return [(r.locate(d.span)[0], d.message) for r in results for d in r.diagnostics if d.code == "PL202"]


@pytest.mark.slow  # three whole processes
def test_a_status_file_seen_before_is_checked_without_importing_jsonschema(tmp_path: Path) -> None:
    repo(tmp_path)
    first, imported = check(tmp_path)
    assert imported and "PL202" in first  # jsonschema worded the failures
    again, imported = check(tmp_path)
    assert again == first
    assert not imported
    _, imported = check(tmp_path, "--no-cache")
    assert imported


def test_the_verdict_is_kept_by_content(tmp_path: Path) -> None:
    status = repo(tmp_path)
    first = schema_findings(tmp_path)
    assert [message for _, message in first] == [
        "/tasks/0/status: 'done' is not one of ['pending', 'in_progress', 'completed', 'failed', 'skipped']",
        "/tasks/0/notes: True is not of type 'string'",
    ]
    entries = list((tmp_path / ".planlint_cache" / FORMAT).rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_text("{damaged", encoding="utf-8")
    assert schema_findings(tmp_path) == first  # a damaged entry: validated again, and rewritten
    assert json.loads(entries[0].read_text(encoding="utf-8"))["format"] == FORMAT
    repo(tmp_path, status="pending")  # another text, another key
    assert [message for _, message in schema_findings(tmp_path)] == ["/tasks/0/notes: True is not of type 'string'"]
    assert len(list((tmp_path / ".planlint_cache" / FORMAT).rglob("*.json"))) == 2
    assert verdict_key(status.read_text(encoding="utf-8")) != verdict_key(status.read_text(encoding="utf-8") + " ")


def test_no_cache_writes_no_verdict(tmp_path: Path) -> None:
    repo(tmp_path)
    assert schema_findings(tmp_path, cache=False)
    assert not (tmp_path / ".planlint_cache").exists()


def test_an_entry_with_values_of_the_wrong_kind_is_a_miss(tmp_path: Path) -> None:
    cache = VerdictCache(tmp_path)
    found = [Violation("/a", "/a: words", True), Violation("/b", "/b: more")]
    cache.put_verdict("ab" * 32, found)
    assert cache.get_verdict("ab" * 32) == found
    entry = next((tmp_path / ".planlint_cache" / FORMAT).rglob("*.json"))
    for bad in ([["/a", "/a: words", "yes"]], [["/a", 5, False]], [["/a"]], "x"):
        entry.write_text(json.dumps({"format": FORMAT, "key": "ab" * 32, "violations": bad}), encoding="utf-8")
        assert cache.get_verdict("ab" * 32) is None
    assert cache.get_verdict("cd" * 32) is None
