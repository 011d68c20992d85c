"""Generate planlint's reference docs from the code and the rule book, so they cannot drift.

    python docs/_generate.py                 regenerate the pages in place
    python docs/_generate.py --check         exit 1 when a committed page differs (CI, tests)
    python docs/_generate.py --output DIR    write the pages under DIR instead

Generated whole: `rules/<CODE>.md` and `rules/index.md` (from each rule's module docstring,
metadata and Options dataclass, and its first examples in `rules/<CODE>/`), `usage.md` (from the
click commands), `output-formats.md` (by running `planlint check` on a small plan in every
format), and `python-api.md` (from the docstrings of `planlint.api`).

Generated in part: `index.md` and `configuration.md` keep their hand-written prose; only the text
between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` is replaced.

Each page has its generator in `docs/_pages/` (this file assembles, checks and writes them), and
`planlint/catalogue.py` is written here too, from the rule classes (`planlint.rules.catalogue_file`).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout's planlint, even when it is not installed
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the page generators in docs/_pages/

from _pages.common import BLOCK, CATALOGUE_FILE, DOCS
from _pages.configuration_page import render_config_defaults, render_rule_options
from _pages.index_page import render_index_example
from _pages.output_formats_page import render_output_formats
from _pages.python_api_page import render_python_api
from _pages.rule_pages import render_rule, render_rule_index
from _pages.usage_page import render_usage

from planlint.rules import all_codes
from planlint.rules.catalogue_file import render_catalogue

PARTIAL_PAGES: dict[str, dict[str, Callable[[], str]]] = {
    "index.md": {"before-after": render_index_example},
    "configuration.md": {"defaults": render_config_defaults, "rule-options": render_rule_options},
}


def fill_blocks(page: str, text: str, renderers: dict[str, Callable[[], str]]) -> str:
    """Replace the body of each generated block of a hand-written page."""
    found = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in renderers:
            raise SystemExit(f"docs/{page}: unknown generated block {name!r}")
        found.add(name)
        return match.group("open") + renderers[name]().rstrip("\n") + "\n" + match.group("close")

    result = BLOCK.sub(replace, text)
    missing = sorted(set(renderers) - found)
    if missing:
        raise SystemExit(f"docs/{page}: missing generated blocks {missing}")
    return result


def generate(source: Path = DOCS) -> dict[str, str]:
    """Every generated page by its path under docs/; hand-written parts are read from `source`."""
    pages = {f"rules/{code}.md": render_rule(code) for code in all_codes()}
    pages["rules/index.md"] = render_rule_index()
    pages["usage.md"] = render_usage()
    pages["output-formats.md"] = render_output_formats()
    pages["python-api.md"] = render_python_api()
    for page, renderers in PARTIAL_PAGES.items():
        pages[page] = fill_blocks(page, (source / page).read_text(encoding="utf-8"), renderers)
    return pages


def stale_rule_pages(pages: dict[str, str], docs: Path) -> list[str]:
    """Rule pages in docs/rules/ for codes that no longer exist."""
    folder = docs / "rules"
    if not folder.is_dir():
        return []
    return sorted(f"rules/{p.name}" for p in folder.glob("PL*.md") if f"rules/{p.name}" not in pages)


def differences(pages: dict[str, str], docs: Path) -> list[str]:
    """Pages under `docs` that differ from the generated ones, missing, or left over."""
    changed = []
    for name, text in sorted(pages.items()):
        path = docs / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(name)
    return changed + stale_rule_pages(pages, docs)


def write(pages: dict[str, str], out: Path) -> list[str]:
    """Write the pages under `out` (only those that changed) and delete left-over rule pages."""
    written = []
    for name in stale_rule_pages(pages, out):
        (out / name).unlink()
        written.append(name)
    for name, text in sorted(pages.items()):
        path = out / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed page is stale")
    parser.add_argument("--output", type=Path, help="write the pages under this folder instead of docs/")
    parser.add_argument("--docs", type=Path, default=DOCS, help=argparse.SUPPRESS)  # for tests
    args = parser.parse_args(argv)
    pages = generate(args.docs)
    catalogue = render_catalogue()
    catalogue_stale = CATALOGUE_FILE.read_text(encoding="utf-8") != catalogue
    if args.check:
        stale = differences(pages, args.docs)
        if catalogue_stale:
            stale.append("../planlint/catalogue.py")
        for name in stale:
            print(f"docs/{name} is stale", file=sys.stderr)
        if stale:
            print("run `python docs/_generate.py` and commit the result", file=sys.stderr)
            return 1
        print(f"{len(pages)} generated pages are up to date")
        return 0
    if catalogue_stale and args.output is None:
        CATALOGUE_FILE.write_text(catalogue, encoding="utf-8", newline="\n")
        print(f"wrote {CATALOGUE_FILE}")
    target = args.output or args.docs
    for name in write(pages, target):
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
