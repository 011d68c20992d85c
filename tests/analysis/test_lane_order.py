"""LaneOrder answers the two questions PL101's lane fixes ask (would ordering these tasks, or
splitting their `[P]` run, make a task wait for one that runs after it) from one pass over the
plan, so a plan with many conflicts is not read once per conflict."""

from __future__ import annotations

from planlint.analysis.lane_order import LaneOrder
from planlint.model import TaskId
from planlint.parse.plan import parse_plan
from planlint.text import SourceText

PLAN = """\
## Phase 1: Core

- [ ] T001 [P] Add a to src/a.py (depends on T003)
- [ ] T002 [P] Add b to src/a.py
- [ ] T003 [P] Add c to src/c.py
- [ ] T004 [P] Add d to src/d.py
- [ ] T005 [P] Add e to src/d.py
"""


def lanes() -> tuple[LaneOrder, dict[str, TaskId]]:
    plan = parse_plan(SourceText.from_text(PLAN, "tasks.md"))
    ids = {str(t.id): t.id for t in plan.tasks()}
    edges = {t.id: [d.target for d in t.dependencies] for t in plan.tasks()}
    return LaneOrder(plan, edges), ids


def test_a_forward_dependency_blocks_ordering_and_splitting_only_across_its_span() -> None:
    order, ids = lanes()
    lane = order.lane[ids["T001"]]
    assert {order.lane[i] for i in ids.values()} == {lane}  # one [P] run
    # T001 waits for T003: ordering T001 before T002 (inside that span) may close a cycle
    assert order.ordering_closes_a_cycle([ids["T001"], ids["T002"]])
    assert not order.ordering_closes_a_cycle([ids["T004"], ids["T005"]])
    # dropping T002's marker puts T001 and T003 in different runs, T003 in the later one
    assert order.split_sends_backwards(lane, [ids["T002"]])
    assert not order.split_sends_backwards(lane, [ids["T005"]])
