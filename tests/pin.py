"""Pinned outputs on ../shared/corpus: regenerate with `python tests/pin.py --update`.

Run it from the repository root after a change that is meant to change planlint's output (and
read the diff of tests/data/pinned/ before committing it). Without `--update` it prints the
differences and exits 1 if there are any; tests/project/test_pinned.py runs the same comparison.

What is pinned, on a writable copy of the corpus that is its own project root (an empty
.planlint.toml), run in-process through the real click commands from that root:

- check.json: `planlint check --format json --exit-zero docs` (the default rules);
- check-all-rules.json: the same with `--extend-select PL` (every opt-in rule too);
- emit.json: `planlint emit PLAN -o -` for every Markdown file under docs/plans;
- fix.json: `planlint fix --show-fixes docs`, then the bytes of every file it changed.

The raw outputs are large, so each file holds sha256 digests (of the whole output, per plan, per
fixed file) beside counts that a reader can diff: findings per code and per file, fixes per code.
They exist so that refactors (issue 17) prove they change no byte of what users see.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: import this checkout's planlint and tests
    sys.path.insert(0, str(REPO))

from click.testing import CliRunner  # noqa: E402

from planlint.cli import cli  # noqa: E402
from tests.conftest import CORPUS, writable_copy  # noqa: E402

PINNED = REPO / "tests" / "data" / "pinned"
CACHE_DIR = ".planlint_cache"  # planlint's own symbol cache in the copy: tool state, not output


def digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """Run a planlint command in-process from root, as `planlint ARGS` typed there."""
    here = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    named = {p.relative_to(root).as_posix(): p for p in files}
    return {name: path.read_bytes() for name, path in named.items() if not name.startswith(f"{CACHE_DIR}/")}


def check(root: Path, *options: str) -> dict[str, Any]:
    code, out, err = run(root, "check", "--format", "json", "--exit-zero", *options, "docs")
    assert code == 0, err
    findings = json.loads(out)
    per_file: dict[str, list[Any]] = {}
    for finding in sorted(findings, key=lambda f: f["path"]):  # stable: keeps the order within a file
        per_file.setdefault(finding["path"], []).append(finding)
    return {
        "findings": len(findings),
        "sha256": digest(out),
        "codes": dict(sorted(Counter(f["code"] for f in findings).items())),
        "files": {path: _file_line(found) for path, found in per_file.items()},
    }


def _file_line(findings: list[Any]) -> str:
    """`PL101 x2, PL122 x3; <digest>`: which codes a file has, and a digest of its findings."""
    codes = ", ".join(f"{code} x{n}" for code, n in sorted(Counter(f["code"] for f in findings).items()))
    return f"{codes}; {digest(json.dumps(findings, sort_keys=True))[:16]}"


def emit(root: Path) -> dict[str, Any]:
    documents = {}
    for plan in sorted((root / "docs" / "plans").rglob("*.md")):
        name = plan.relative_to(root).as_posix()
        code, out, err = run(root, "emit", name, "-o", "-")
        documents[name] = {"exit": code, "sha256": digest(out), "stderr": err}
    return documents


def fix(root: Path) -> dict[str, Any]:
    before = snapshot(root)
    code, _, err = run(root, "fix", "--show-fixes", "docs")
    after = snapshot(root)
    assert set(after) == set(before), "fix created or removed files"
    fixes: Counter[str] = Counter()
    summary = []
    for line in err.splitlines():
        if ": fixed PL" in line:  # `path: fixed PL123 (title)`, then ` (N times)` if more than once
            times = line.rsplit("(", 1)[1].removesuffix(" times)") if line.endswith(" times)") else "1"
            fixes[line.split(": fixed ", 1)[1].split(" ", 1)[0]] += int(times)
        else:
            summary.append(line)
    return {
        "exit": code,
        "summary": summary,
        "fixes": dict(sorted(fixes.items())),
        "files": {path: digest(data) for path, data in sorted(after.items()) if before[path] != data},
    }


def outputs() -> dict[str, str]:
    """File name -> its pinned text, computed now."""
    with tempfile.TemporaryDirectory() as folder:
        root = writable_copy(CORPUS, Path(folder) / "corpus", symlinks=True)
        (root / ".planlint.toml").write_text("", encoding="utf-8")
        environment = {"PLANLINT_CACHE_DIR": "", "NO_COLOR": "1"}
        with _environment(environment):
            found = {
                "check.json": check(root),
                "check-all-rules.json": check(root, "--extend-select", "PL"),
                "emit.json": emit(root),
                "fix.json": fix(root),  # last: it changes the copy
            }
    return {name: json.dumps(data, indent=1, ensure_ascii=False) + "\n" for name, data in found.items()}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def differences(current: dict[str, str]) -> list[str]:
    """A unified diff per pinned file that differs from what planlint gives now."""
    found = []
    for name, text in current.items():
        path = PINNED / name
        pinned = path.read_text(encoding="utf-8") if path.is_file() else ""
        if pinned != text:
            diff = difflib.unified_diff(pinned.splitlines(), text.splitlines(), f"pinned/{name}", "now", lineterm="")
            found.append("\n".join(list(diff)[:60]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/data/pinned/ from today's outputs")
    options = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"pin: {CORPUS} is not present", file=sys.stderr)
        return 2
    current = outputs()
    if options.update:
        PINNED.mkdir(parents=True, exist_ok=True)
        for name, text in current.items():
            (PINNED / name).write_text(text, encoding="utf-8")
        print(f"pin: wrote {', '.join(sorted(current))} to {PINNED.relative_to(REPO)}")
        return 0
    found = differences(current)
    print("\n\n".join(found) if found else "pin: no differences")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
