"""The team's real orchestrator, `scripts/plan_orchestrator.py`, run headless with planlint in it.

In a temporary git copy of the corpus repository, plan_orchestrator.py runs plans written here
([SEQUENTIAL] notes, dependencies, and same-file tasks that no note orders, within and across
phases) with `claude` on PATH replaced by a fake agent: it records the batch each session is given
(the task IDs of the prompt's `/plan:implement` line) and the prompt, marks those tasks complete
through the repository's own status-cli.js, and exits. Each plan runs with the orchestrator as it
is (`status-cli.js next`: the baseline) and with the patches docs/orchestrator.md shows applied to
the copy, read from that page: `planlint next` in get_next_tasks (phase order, and --cross-phase)
and planlint's constraints block in _build_prompt (the CLI call, and the Python call), with the
active plan named in .claude/current-plan.txt (and, for one run, in a worktree's
.claude-context/current-plan.txt). The only
other change to the copy is the 2 s pause between sessions, set to 0; the corpus is never touched.

With planlint: no batch holds two tasks that write one file or two tasks of one [SEQUENTIAL]
group, every dependency and earlier group member completes in an earlier session, every task
completes, and every prompt carries its tasks' constraints block. What the plans mean is stated
here (the oracle: the file each task writes, its dependencies, the groups), and planlint's own
reading must agree with it. The baseline's conflicting batches are counted, and must exist: the
plans are built so that status-cli.js hands same-file tasks to one session.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pytest

import planlint
from tests.conftest import CORPUS, REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
    pytest.mark.skipif(not (CORPUS / "scripts" / "plan_orchestrator.py").is_file(), reason="../shared is absent"),
]

DOCS_PAGE = REPO / "docs" / "orchestrator.md"
ORCHESTRATOR = Path("scripts") / "plan_orchestrator.py"
PAUSE = ("STATUS_CHECK_INTERVAL = 2  #", "STATUS_CHECK_INTERVAL = 0  #")
BATCH_SIZE = 5


# -- the plans, and what they mean --------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    id: str
    writes: str  # the one file the task modifies
    what: str
    depends: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        depends = f" (depends: {', '.join(self.depends)})" if self.depends else ""
        return f"- [ ] {self.id} Update `{self.writes}` {self.what}{depends}"


@dataclass(frozen=True)
class Plan:
    stem: str
    title: str
    phases: tuple[tuple[str, tuple[Task, ...]], ...]
    groups: dict[str, tuple[str, ...]]  # [SEQUENTIAL] group range -> its tasks
    reasons: dict[str, str]

    @property
    def tasks(self) -> dict[str, Task]:
        return {t.id: t for _, tasks in self.phases for t in tasks}

    def markdown(self) -> str:
        out = [f"# Implementation Plan: {self.title}", "", "## Overview", "", "Written for the real-loop test.", ""]
        for number, (title, tasks) in enumerate(self.phases, start=1):
            out += [f"## Phase {number}: {title}", ""]
            for group, members in self.groups.items():
                if members[0].startswith(f"{number}."):
                    out += [f"**Execution Note:** Tasks {group} are [SEQUENTIAL] - {self.reasons[group]}", ""]
            out += [t.line for t in tasks] + [""]
        return "\n".join(out)


NOTES = Plan(
    stem="loop-notes",
    title="Loop notes",
    phases=(
        ("Core", (
            Task("1.1", "scripts/lib/tui.py", "with the header"),
            Task("1.2", "scripts/lib/tui.py", "with the footer"),
            Task("1.3", "scripts/lib/tui.py", "with the colours"),
            Task("1.4", "scripts/lib/event_bus.py", "with the retry event"),
            Task("1.5", "scripts/lib/event_bus.py", "with the drop event"),  # same file as 1.4, no note
            Task("1.6", "scripts/status-cli.js", "with the new command", ("1.4",)),
            Task("1.7", "scripts/lib/status_monitor.py", "with the poll interval"),
        )),
        ("Docs", (
            Task("2.1", "docs/standards/PLAN-STANDARDS.md", "with the loop"),
            Task("2.2", "docs/standards/PLAN-STANDARDS.md", "with the examples"),  # same file as 2.1, no note
            Task("2.3", "scripts/lib/event_bus.py", "docstrings", ("1.6",)),  # a file of phase 1
            Task("2.4", "scripts/lib/tui.py", "with the help screen"),  # the file of group 1.1-1.3
        )),
    ),
    groups={"1.1-1.3": ("1.1", "1.2", "1.3")},
    reasons={"1.1-1.3": "all modify `scripts/lib/tui.py`"},
)  # fmt: skip

CHAINS = Plan(
    stem="loop-chains",
    title="Loop chains",
    phases=(
        ("Parser", (
            Task("1.1", "scripts/lib/markdown-parser.js", "with the heading rule"),
            Task("1.2", "scripts/lib/markdown-parser.js", "with the task rule"),
            Task("1.3", "scripts/lib/plan-status.js", "with the parser call"),
            Task("1.4", "scripts/lib/plan-status.js", "with the cache"),  # same file as 1.3, no note
        )),
        ("Commands", (
            Task("2.1", "scripts/status-cli.js", "with the next flag", ("1.3",)),
            Task("2.2", "scripts/lib/file-utils.js", "with the reader"),
            Task("2.3", "scripts/lib/timestamp-utils.js", "with the clock"),
            Task("2.4", "scripts/lib/arg-parser.js", "with the flags"),
            Task("2.5", "scripts/status-cli.js", "with the help text"),  # same file as 2.1, no note
        )),
        ("Verify", (
            Task("3.1", "scripts/tests/test-lib-modules.js", "with parser tests", ("1.2",)),
            Task("3.2", "scripts/tests/test-lib-modules.js", "with command tests", ("2.1",)),  # same file as 3.1
            Task("3.3", "scripts/lib/plan-status.js", "docstrings"),
        )),
    ),
    groups={"1.1-1.2": ("1.1", "1.2"), "2.2-2.4": ("2.2", "2.3", "2.4")},
    reasons={"1.1-1.2": "both modify `scripts/lib/markdown-parser.js`", "2.2-2.4": "each reads what the last wrote"},
)  # fmt: skip

PLANS = (NOTES, CHAINS)


# -- the copy, the fake agent, the patches --------------------------------------------------------

FAKE_CLAUDE = """\
#!{python}
'''A fake `claude -p PROMPT`: records the batch, marks it complete with status-cli.js, exits.'''
import json, os, re, subprocess, sys

prompt = sys.argv[sys.argv.index("-p") + 1]
run = re.search(r"^Run: /plan:implement (.*?) --autonomous$", prompt, re.M)
ids = run.group(1).split() if run else []
with open(os.environ["FAKE_CLAUDE_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"tasks": ids, "prompt": prompt}}) + "\\n")
for task_id in ids:
    subprocess.run(["node", "scripts/status-cli.js", "mark-complete", task_id], check=True, capture_output=True)
"""

PLANLINT_SHIM = '#!/bin/sh\nexec "{python}" -m planlint "$@"\n'


def documented_patches() -> dict[str, tuple[str, str]]:
    """name -> (lines removed, lines added) of each `<!-- patch: NAME -->` diff on the docs page."""
    text = DOCS_PAGE.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"<!-- patch: ([\w-]+) -->\n```diff\n(.*?)^```", text, re.S | re.M):
        lines = match.group(2).splitlines()
        assert all(line[:1] in "-+" for line in lines), f"patch {match.group(1)}: a line that is not - or +"
        old = "\n".join(line[1:] for line in lines if line.startswith("-"))
        new = "\n".join(line[1:] for line in lines if line.startswith("+"))
        found[match.group(1)] = (old, new)
    return found


def patch(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, f"the orchestrator no longer has exactly one {old.strip()!r}"
    return source.replace(old, new)


VARIANTS = {
    "status-cli next (as it is)": (),
    "planlint next": ("next", "prompt"),
    "planlint next --cross-phase": ("next-cross-phase", "prompt-python"),
}


@dataclass
class Run:
    variant: str
    plan: Plan
    repo: Path  # the copy it ran in: the root planlint read the plan from
    sessions: list[tuple[list[str], str]]  # (task IDs, prompt) of each session, in order
    statuses: dict[str, str]
    output: str


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Run]:
    """Every plan under every variant, each variant in its own copy of the corpus repository."""
    assert importlib.util.find_spec("rich"), "plan_orchestrator.py imports rich: pip install -e '.[test]'"
    patches = documented_patches()
    assert set(patches) == {p for names in VARIANTS.values() for p in names}, sorted(patches)
    base = tmp_path_factory.mktemp("real-orchestrator")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    for name, text in (("claude", FAKE_CLAUDE), ("planlint", PLANLINT_SHIM)):
        (bin_dir / name).write_text(text.format(python=sys.executable), encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    results = {}
    for number, (variant, names) in enumerate(VARIANTS.items()):
        repo = base / f"repo{number}"
        copy_repository(repo)
        source = patch((repo / ORCHESTRATOR).read_text(encoding="utf-8"), *PAUSE)
        for name in names:
            source = patch(source, *patches[name])
        (repo / ORCHESTRATOR).write_text(source, encoding="utf-8")
        for plan in PLANS:
            results[(variant, plan.stem)] = run_orchestrator(repo, bin_dir, variant, plan)
    return results


def copy_repository(repo: Path) -> None:
    shutil.copytree(CORPUS, repo, ignore=shutil.ignore_patterns(".planlint_cache", "__pycache__"))
    (repo / "docs" / "plans").mkdir(parents=True, exist_ok=True)
    for plan in PLANS:
        (repo / "docs" / "plans" / f"{plan.stem}.md").write_text(plan.markdown(), encoding="utf-8")
    git = ["git", "-c", "user.name=planlint", "-c", "user.email=planlint@example.invalid", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
        subprocess.run([*git, *command], cwd=repo, check=True, capture_output=True, timeout=60)


def run_orchestrator(repo: Path, bin_dir: Path, variant: str, plan: Plan) -> Run:
    # the active plan: in the main repository's pointer, or (the DAG-mode run) in a worktree's, which
    # status-cli.js reads first and which makes the orchestrator treat the folder as a worktree
    pointer = Path(".claude-context" if "--cross-phase" in variant else ".claude") / "current-plan.txt"
    (repo / pointer).parent.mkdir(exist_ok=True)
    (repo / pointer).write_text(f"docs/plans/{plan.stem}.md\n", encoding="utf-8")
    log = repo.parent / f"{repo.name}-{plan.stem}.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("CLAUDE_WORKTREE", "PLANLINT_DEBUG")}
    env |= {"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "FAKE_CLAUDE_LOG": str(log),
            "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)}  # fmt: skip
    command = [sys.executable, str(ORCHESTRATOR), "--continue", "--no-tui", "--no-auto-complete",
               "--batch-size", str(BATCH_SIZE), "--max-iterations", "30"]  # fmt: skip
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{variant}, {plan.stem}: exit {result.returncode}\n{output[-3000:]}"
    assert "ORCHESTRATION COMPLETE" in output, output[-3000:]
    assert (f"Worktree: {repo.resolve()}" in output) == (pointer.parts[0] == ".claude-context"), output[:3000]
    sessions = [(entry["tasks"], entry["prompt"]) for entry in map(json.loads, log.read_text().splitlines())]
    status = json.loads((repo / "docs" / "plan-outputs" / plan.stem / "status.json").read_text(encoding="utf-8"))
    return Run(variant, plan, repo, sessions, {t["id"]: t["status"] for t in status["tasks"]}, output)


# -- what a run must show ----------------------------------------------------------------------


def conflicts(plan: Plan, batch: list[str]) -> list[str]:
    """Why a batch is unsafe for one session: two tasks write one file, or share a group."""
    found = []
    for a, b in combinations(batch, 2):
        if plan.tasks[a].writes == plan.tasks[b].writes:
            found.append(f"{a} and {b} both write {plan.tasks[a].writes}")
        for group, members in plan.groups.items():
            if a in members and b in members:
                found.append(f"{a} and {b} are both of [SEQUENTIAL] group {group}")
    return found


def session_of(run: Run) -> dict[str, int]:
    where: dict[str, int] = {}
    for number, (batch, _) in enumerate(run.sessions):
        for task_id in batch:
            assert task_id not in where, f"{task_id} was given to sessions {where[task_id]} and {number}"
            where[task_id] = number
    return where


def planlint_reads_the_plan_as_meant(plan: Plan, repo: Path) -> dict[str, Any]:
    """planlint's constraint document of the plan in the copy, which must say what the plan means."""
    document = planlint.constraints(planlint.load_plan(repo / "docs" / "plans" / f"{plan.stem}.md"), root=repo)
    assert set(document["tasks"]) == set(plan.tasks)
    for task_id, task in plan.tasks.items():
        assert document["tasks"][task_id]["files"]["writes"] == [task.writes], task_id
        assert document["tasks"][task_id]["dependsOn"] == list(task.depends), task_id
    annotated = {g["id"]: tuple(g["tasks"]) for g in document["groups"] if g["source"] == "annotation"}
    assert annotated == plan.groups
    return document


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_every_task_completes_under_every_variant(runs: dict[tuple[str, str], Run], plan: Plan) -> None:
    for variant in VARIANTS:
        run = runs[(variant, plan.stem)]
        assert run.statuses == dict.fromkeys(plan.tasks, "completed"), (variant, run.statuses)
        assert set(session_of(run)) == set(plan.tasks), variant


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.startswith("planlint")])
@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_with_planlint_no_session_gets_conflicting_tasks(runs: dict[tuple[str, str], Run], plan: Plan,
                                                          variant: str) -> None:  # fmt: skip
    run = runs[(variant, plan.stem)]
    document = planlint_reads_the_plan_as_meant(plan, run.repo)
    where = session_of(run)
    for number, (batch, _) in enumerate(run.sessions):
        assert batch, f"session {number} was given no task"
        assert not conflicts(plan, batch), f"session {number}: {conflicts(plan, batch)}"
        for a, b in combinations(batch, 2):
            assert b not in document["tasks"][a]["conflictsWith"], (
                f"session {number}: planlint says {a} conflicts with {b}"
            )
    for task_id, task in plan.tasks.items():
        for dependency in task.depends:
            assert where[dependency] < where[task_id], f"{task_id} ran with or before its dependency {dependency}"
    for members in plan.groups.values():
        assert [where[m] for m in members] == sorted({where[m] for m in members}), "group order"
    if "--cross-phase" not in variant:  # phases in order
        phase_sessions = [[where[t.id] for t in tasks] for _, tasks in plan.phases]
        for earlier, later in pairwise(phase_sessions):
            assert max(earlier) < min(later), "a later phase started before the earlier one completed"
    assert "held back (sequential with" not in run.output, "planlint never gives the orchestrator a task to hold back"


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.startswith("planlint")])
@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_with_planlint_every_prompt_carries_its_constraints(runs: dict[tuple[str, str], Run], plan: Plan,
                                                             variant: str) -> None:  # fmt: skip
    run = runs[(variant, plan.stem)]
    loaded = planlint.load_plan(run.repo / "docs" / "plans" / f"{plan.stem}.md")
    for batch, prompt in run.sessions:
        block = planlint.constraints_prompt(loaded, batch, root=run.repo)
        assert block.startswith("## Execution Constraints\n") and f"\n\n{block}\n## Rules\n" in prompt, prompt
        shown = re.findall(r"^### Task (\S+?):", prompt, re.M)
        assert shown == batch, (shown, batch)
        for task_id in batch:
            assert f"- Modifies: `{plan.tasks[task_id].writes}`" in block
            for dependency in plan.tasks[task_id].depends:
                assert dependency in block.split(f"### Task {task_id}:")[1].split("###")[0]


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_baseline_hands_conflicting_tasks_to_one_session(runs: dict[tuple[str, str], Run], plan: Plan) -> None:
    """The problem planlint solves, shown on the orchestrator as it is."""
    run = runs[("status-cli next (as it is)", plan.stem)]
    conflicting = [batch for batch, _ in run.sessions if conflicts(plan, batch)]
    assert conflicting, "the plan no longer shows status-cli.js handing conflicting tasks to one session"
    assert all("## Execution Constraints" not in prompt for _, prompt in run.sessions)


def test_figures(runs: dict[tuple[str, str], Run]) -> None:
    """Sessions (the makespan) and sessions given conflicting tasks, per variant: the table of
    docs/orchestrator.md, which must show what the runs show."""
    rows = []
    for variant in VARIANTS:
        sessions = [batch for plan in PLANS for batch, _ in runs[(variant, plan.stem)].sessions]
        bad = sum(1 for plan in PLANS for batch, _ in runs[(variant, plan.stem)].sessions if conflicts(plan, batch))
        rows.append((variant, len(sessions), bad))
        per_plan = {p.stem: [b for b, _ in runs[(variant, p.stem)].sessions] for p in PLANS}
        print(f"{variant}: {len(sessions)} sessions, {bad} conflicting; {per_plan}")  # shown with -rP or -s
    page = DOCS_PAGE.read_text(encoding="utf-8")
    for variant, sessions, bad in rows:
        name = "as it is (`status-cli.js next`)" if variant.startswith("status-cli") else f"`{variant}`"
        assert f"| {name} | {sessions} | {bad} |" in page, f"docs/orchestrator.md: {name}: {sessions} sessions, {bad}"
    assert f"two plans ({sum(len(p.tasks) for p in PLANS)} tasks)" in page


def test_the_prompt_example_on_the_docs_page_is_what_planlint_prints(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(NOTES.markdown(), encoding="utf-8")
    block = planlint.constraints_prompt(planlint.load_plan(tmp_path / "plan.md"), ["1.1", "1.5"], root=tmp_path)
    page = DOCS_PAGE.read_text(encoding="utf-8")
    assert f"Run: /plan:implement 1.1 1.5 --autonomous\n\n{block}\n## Rules\n" in page
