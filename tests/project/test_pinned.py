"""Corpus check output, emit documents and fix results are byte-identical to tests/data/pinned/.

Refactors (issue 17) must change nothing a user sees; a change that is meant to change output
regenerates the pins with `python tests/pin.py --update` and commits the diff with it. Skipped
when ../shared/corpus is absent.
"""

from __future__ import annotations

import pytest

from tests import pin

pytestmark = pytest.mark.slow  # checks, fixes and emits the whole corpus


@pytest.fixture(scope="module")
def current() -> dict[str, str]:
    if not pin.CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return pin.outputs()


def test_pinned_files_are_committed(current: dict[str, str]) -> None:
    assert sorted(p.name for p in pin.PINNED.iterdir()) == sorted(current)


@pytest.mark.parametrize("name", ["check.json", "check-all-rules.json", "emit.json", "fix.json"])
def test_output_is_unchanged(current: dict[str, str], name: str) -> None:
    pinned = (pin.PINNED / name).read_text(encoding="utf-8")
    assert current[name] == pinned, "output changed; if meant, run `python tests/pin.py --update`:\n\n" + "\n".join(
        pin.differences({name: current[name]})
    )


def test_pins_cover_what_they_name(current: dict[str, str]) -> None:
    import json

    check, everything = json.loads(current["check.json"]), json.loads(current["check-all-rules.json"])
    emit, fix = json.loads(current["emit.json"]), json.loads(current["fix.json"])
    assert check["findings"] == sum(check["codes"].values()) > 0
    assert everything["findings"] > check["findings"]  # the opt-in rules found something more
    assert set(everything["codes"]) > set(check["codes"])
    assert sum(1 for d in emit.values() if d["exit"] == 0) > 10  # real plans emit documents
    assert fix["files"] and sum(fix["fixes"].values()) > 0
