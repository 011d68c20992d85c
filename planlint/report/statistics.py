"""`--statistics`: how many findings each code has, most frequent first, as a table or JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from planlint.api import FileResult


def write_statistics(results: Sequence[FileResult], out: TextIO, *, as_json: bool = False) -> None:
    import json

    counts = Counter((d.code, d.name) for r in results for d in r.diagnostics)
    from planlint.diagnostic import Applicability

    # What `planlint fix` mends (an unsafe fix needs --unsafe-fixes), as the summary counts it.
    safe = Applicability.SAFE
    fixable = Counter(d.code for r in results for d in r.diagnostics if d.fix and d.fix.applicability is safe)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if as_json:
        data = [{"code": code, "name": name, "count": n, "fixable": fixable[code]} for (code, name), n in rows]
        out.write(json.dumps(data, indent=2) + "\n")
        return
    for (code, name), count in rows:
        out.write(f"{count:>6}  {code}  {'[*]' if fixable[code] else '   '} {name}\n")
