"""File-system routers name folders `[id]`, `[...slug]` and `[[...slug]]` (Next.js, SvelteKit,
Nuxt): a path through one is a file, in every dialect, and two tasks writing it conflict; a
bracket inside a name (`file[0-9].txt`, `*.[ch]`) is still a glob."""

from __future__ import annotations

import pytest

from planlint.analysis.references import RefKind, references_in
from planlint.config import Config
from planlint.engine import lint_plan
from planlint.parse.plan import parse_plan
from planlint.text import SourceText

NO_FILES = Config().with_overrides(ignore=["PL3"])


def references(text: str) -> list[tuple[str, RefKind]]:
    plan = parse_plan(SourceText.from_text(f"## Phase 1: A\n\n- [ ] 1.1 {text}\n", "plan.md"))
    task = next(iter(plan.tasks()))
    return [(ref.text, ref.kind) for block in task.blocks for ref in references_in(plan, block)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Add the handler to app/api/books/[id]/route.ts", [("app/api/books/[id]/route.ts", RefKind.FILE)]),
        ("Add the handler to `app/api/books/[id]/route.ts`", [("app/api/books/[id]/route.ts", RefKind.FILE)]),
        ("Render the page in pages/[...slug].tsx", [("pages/[...slug].tsx", RefKind.FILE)]),
        ("Render it in `app/[[...slug]]/page.tsx`", [("app/[[...slug]]/page.tsx", RefKind.FILE)]),
        ("Rebuild `src/*.[ch]`", [("src/*.[ch]", RefKind.GLOB)]),
        ("Rotate `logs/file[0-9].txt`", [("logs/file[0-9].txt", RefKind.GLOB)]),
    ],
)
def test_a_route_segment_is_part_of_a_file_path(text: str, found: list[tuple[str, RefKind]]) -> None:
    assert references(text) == found


@pytest.mark.parametrize(
    ("plan", "name"),
    [
        (
            "## Phase 1: Routes\n\n- [ ] 1.1 Add GET to `app/api/books/[id]/route.ts`\n"
            "- [ ] 1.2 Add DELETE to `app/api/books/[id]/route.ts`\n",
            "plan.md",
        ),
        (
            "## Phase 1: Routes\n\n- [ ] T001 [P] Add GET to app/api/books/[id]/route.ts\n"
            "- [ ] T002 [P] Add DELETE to app/api/books/[id]/route.ts\n",
            "tasks.md",
        ),
    ],
    ids=["phased", "spec-kit"],
)
def test_two_tasks_writing_one_route_file_conflict(plan: str, name: str) -> None:
    found = [d for d in lint_plan(parse_plan(SourceText.from_text(plan, name)), NO_FILES) if d.code == "PL101"]
    assert len(found) == 1 and "`app/api/books/[id]/route.ts`" in found[0].message
