"""Baselines: findings recorded once and not reported again, so a team can adopt planlint on plans
that already have findings and still fail on new ones.

A finding is identified by what it is about, not where it is: its code, its file, the task IDs
its message names and the backticked or quoted names (files, ranges, malformed IDs) in the
message. Line numbers are left out, so editing a plan above a finding keeps it baselined. The
same key also gives SARIF and GitLab reports their stable fingerprints.

The file is JSON, UTF-8, with keys in a fixed order, entries sorted and a final newline, so it
diffs cleanly in review:

    {
      "version": 1,
      "findings": [
        {"code": "PL101", "path": "docs/plans/auth.md", "tasks": ["3.1", "3.2"],
         "names": ["src/auth.py"], "count": 1}
      ]
    }

- `path`: the file of the finding, relative to the folder that holds the baseline, with `/`.
- `tasks`: the task IDs the message names, in ID order; `names`: its backticked and quoted
  names, sorted.
- `message`: present only when a message names neither, as the message with line numbers removed
  (`Phase 3 appears twice`), so such findings are told apart too.
- `count`: how many findings share the key. Checking suppresses at most that many; one more
  finding with the same key is reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from planlint.errors import InputError

if TYPE_CHECKING:
    from planlint.api import FileResult
    from planlint.diagnostic import Diagnostic

VERSION = 1

# A task ID not glued to other word characters: `3.1.A` and `1.2.3.4` are names, not IDs.
_TASK_ID = re.compile(r"(?<![\w.])\d+(?:\.\d+){1,2}(?!\.?\w)")
_NAME = re.compile(r"`([^`]+)`|(?<!\w)'([^'\s][^']*)'(?!\w)")
# Where a message points at a line of the plan: "(first at line 12)", "at line 12", "lines 3-5".
_LINE_REF = re.compile(
    r"\s*\((?:[^()]*\s)?lines? \d+(?:\s*-\s*\d+)?\)"  # "(first at line 12)"
    r"|\s*\b(?:at |on )?lines? \d+(?:\s*-\s*\d+)?"  # "at line 12", "lines 3-5"
)


class FindingKey(NamedTuple):
    """What a finding is about, without line numbers."""

    code: str
    path: str
    tasks: tuple[str, ...]
    names: tuple[str, ...]
    message: str = ""

    def as_dict(self, count: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "path": self.path,
            "tasks": list(self.tasks),
            "names": list(self.names),
        }
        if self.message:
            data["message"] = self.message
        data["count"] = count
        return data


def finding_key(diagnostic: Diagnostic, path: str) -> FindingKey:
    """The key of a diagnostic whose file is shown as path."""
    message = diagnostic.message
    names = sorted({a or b for a, b in _NAME.findall(message)})
    unlined = _LINE_REF.sub("", message)
    tasks = sorted(set(_TASK_ID.findall(unlined)), key=lambda t: tuple(int(p) for p in t.split(".")))
    rest = "" if tasks or names else " ".join(unlined.split())
    return FindingKey(diagnostic.code, path, tuple(tasks), tuple(names), rest)


def fingerprint(key: FindingKey, occurrence: int = 0) -> str:
    """A stable hex digest of a key; occurrence tells apart findings that share one."""
    data = json.dumps([key.code, key.path, key.tasks, key.names, key.message, occurrence])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def fingerprints(keys: Iterable[FindingKey]) -> Iterator[str]:
    """One fingerprint per key, in order, unique even when keys repeat."""
    seen: Counter[FindingKey] = Counter()
    for key in keys:
        yield fingerprint(key, seen[key])
        seen[key] += 1


class Baseline:
    """Recorded findings, counted per key, with paths relative to the baseline's folder."""

    def __init__(self, root: Path, counts: Counter[FindingKey] | None = None) -> None:
        self.root = root
        self.counts: Counter[FindingKey] = counts if counts is not None else Counter()

    @classmethod
    def from_results(cls, results: Sequence[FileResult], baseline_file: Path) -> Baseline:
        baseline = cls(baseline_file.parent)
        for result in results:
            for diagnostic in result.diagnostics:
                baseline.counts[baseline.key(diagnostic)] += 1
        return baseline

    @classmethod
    def load(cls, baseline_file: Path) -> Baseline:
        """Read a baseline file (InputError when it is missing or not a baseline)."""
        try:
            data = json.loads(baseline_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("baseline file not found", baseline_file) from None
        except OSError as exc:
            raise InputError(f"cannot read baseline file: {exc.strerror or exc}", baseline_file) from None
        except UnicodeDecodeError:
            raise InputError("baseline file is not UTF-8 text", baseline_file) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"baseline file is not JSON: {exc.msg}", baseline_file, exc.lineno) from None
        baseline = cls(baseline_file.parent)
        try:
            if data["version"] != VERSION:
                raise InputError(f"baseline version {data['version']!r} is not {VERSION}", baseline_file)
            for entry in data["findings"]:
                key = FindingKey(
                    str(entry["code"]),
                    str(entry["path"]),
                    tuple(map(str, entry["tasks"])),
                    tuple(map(str, entry["names"])),
                    str(entry.get("message", "")),
                )
                baseline.counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            raise InputError(f"not a planlint baseline file ({problem})", baseline_file) from None
        return baseline

    def key(self, diagnostic: Diagnostic) -> FindingKey:
        return finding_key(diagnostic, self._relative(diagnostic.span.path))

    def dumps(self) -> str:
        entries = [key.as_dict(count) for key, count in sorted(self.counts.items()) if count > 0]
        return json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"

    def write(self, baseline_file: Path) -> None:
        try:
            baseline_file.write_text(self.dumps(), encoding="utf-8", errors="backslashreplace", newline="\n")
        except OSError as exc:
            raise InputError(f"cannot write baseline file: {exc.strerror or exc}", baseline_file) from None

    def filter(self, results: Sequence[FileResult]) -> tuple[list[FileResult], int]:
        """The results without the baselined findings, and how many were left out."""
        remaining = Counter(self.counts)
        kept_results = []
        hidden = 0
        for result in results:
            kept = []
            for diagnostic in result.diagnostics:
                key = self.key(diagnostic)
                if remaining[key] > 0:
                    remaining[key] -= 1
                    hidden += 1
                else:
                    kept.append(diagnostic)
            kept_results.append(replace(result, diagnostics=kept))
        return kept_results, hidden

    def _relative(self, path: Path) -> str:
        try:
            return Path(os.path.relpath(path.resolve(), self.root.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            return path.resolve().as_posix()
