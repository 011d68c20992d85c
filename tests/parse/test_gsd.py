"""The GSD dialect (DESIGN.md §7): a phase folder's `NN-MM-PLAN.md` files are read together
(one plan per task, its wave its lane), same-wave overlap is PL101 in GSD's words, including a
file the body edits but `files_modified` hides, and the labelled folders of
tests/data/dialects/gsd give exactly the labelled findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planlint.api import check_paths, load_plan
from planlint.config import Config
from planlint.model import TaskId
from planlint.parse.dialects import GSD, detect
from planlint.parse.dialects import front_matter as fm
from tests.conftest import DATA, run_cli

GSD_DATA = DATA / "dialects" / "gsd"
NO_FILES = Config().with_overrides(ignore=["PL3"])

PLAN = """\
---
phase: 07-orders
plan: {plan}
type: execute
wave: {wave}
depends_on: {depends}
files_modified:
{files}
autonomous: true
must_haves:
  truths:
    - "a nested mapping planlint skips"
---

<objective>
Plan {plan}.
</objective>

<tasks>
<task type="auto">
  <name>Task 1</name>
  <files>{body}</files>
  <action>Edit the files.</action>
</task>
</tasks>
"""


def write_plan(folder: Path, plan: str, wave: int, files: list[str], depends: str = "[]", body: str = "") -> Path:
    path = folder / f"07-{plan}-PLAN.md"
    listed = "\n".join(f"  - {name}" for name in files)
    path.write_text(PLAN.format(plan=plan, wave=wave, depends=depends, files=listed, body=body or files[0]))
    return path


def findings(*paths: Path, config: Config = NO_FILES) -> list[tuple[str, str, str]]:
    return [(d.code, d.span.path.name, d.message) for result in check_paths(paths, config) for d in result.diagnostics]


def test_front_matter_reads_scalars_and_both_list_forms() -> None:
    text = '---\nwave: 2\ndepends_on: ["07-01", 07-02]\nfiles_modified:\n  - a.ts\n  - "b c.ts"\nx:\n  y: 1\n---\n'
    matter = fm.read(text)
    assert matter.scalars["wave"].text == "2"
    assert [v.text for v in matter.lists["depends_on"]] == ["07-01", "07-02"]
    assert [v.text for v in matter.lists["files_modified"]] == ["a.ts", "b c.ts"]
    value = matter.lists["files_modified"][1]
    assert text[value.start : value.end] == "b c.ts"
    assert text[matter.end - 3 : matter.end] == "---"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\nwave: 1\ndepends_on: [07-01\n---\n", 3, "unclosed list"),
        ("---\nwave: 1\nfiles_modified: a.ts\n  oops\n---\n", 4, "unexpected indented line"),
        ("---\nwave: 1\njust words\n---\n", 3, "expected `key: value`"),
        ("---\nwave: 1\n", 1, "not closed"),
        ('---\nwave: "1\n---\n', 2, "unclosed quote"),
    ],
)
def test_malformed_front_matter_names_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(fm.FrontMatterError) as raised:
        fm.read(text)
    assert raised.value.line == line
    assert words in str(raised.value)


def test_malformed_front_matter_is_one_finding_not_a_traceback(tmp_path: Path) -> None:
    write_plan(tmp_path, "01", 1, ["src/a.ts"])
    broken = tmp_path / "07-02-PLAN.md"
    broken.write_text("---\nwave: 1\ndepends_on: [07-01\nfiles_modified:\n  - src/a.ts\n---\n")
    found = findings(broken)
    assert found == [("PL001", "07-02-PLAN.md", "GSD front matter cannot be read: line 3: unclosed list "
                      "'[07-01' (lists in [] must close on their line); the plan is not checked")]  # fmt: skip
    result = run_cli("check", str(broken))
    assert result.returncode == 1
    assert "07-02-PLAN.md:3:1: PL001" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_wave_that_is_not_a_number_is_one_finding(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "01", 1, ["src/a.ts"])
    path.write_text(path.read_text().replace("wave: 1", "wave: first"))
    assert findings(path) == [
        ("PL001", "07-01-PLAN.md", "GSD front matter cannot be read: line 5: wave must be a whole number, "
         "found 'first'; the plan is not checked")
    ]  # fmt: skip


def test_detected_from_front_matter_and_not_from_any_front_matter() -> None:
    assert detect(PLAN.format(plan="01", wave=1, depends="[]", files="  - a.ts", body="a.ts")) == GSD
    assert detect("---\ntitle: Notes\ntags: [a]\n---\n\n# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Do `a.py`\n") != GSD


def test_a_folder_is_read_as_one_plan_with_waves_as_lanes() -> None:
    plan = load_plan(GSD_DATA / "synthetic-03-same-wave" / "03-05-PLAN.md")
    assert plan.dialect == GSD
    task = plan.task(TaskId((3, 5), "03-05"))
    assert task is not None and task.lane == 2
    assert [str(d.target) for d in task.dependencies] == ["03-01"]


def test_labelled_folders_give_the_labelled_conflicts() -> None:
    labels = json.loads((DATA / "dialects" / "labels.json").read_text())
    wanted = {
        (label["file"], tuple(label["tasks"]), label["path"])
        for label in labels["conflicts"]
        if label["dialect"] == GSD and not label.get("ambiguous")
    }
    folders = [entry["file"] for entry in labels["plans"] if entry["dialect"] == GSD]
    found = set()
    for folder in folders:
        for result in check_paths(sorted((DATA / "dialects" / folder).glob("*-PLAN.md")), NO_FILES):
            for d in result.diagnostics:
                assert d.code == "PL101", d
                plans = tuple(sorted({d.message.split(" ")[1], d.message.split(" ")[3]}))
                path = d.message.split("`")[1]
                found.add((folder, plans, path))
    assert found == wanted
    assert len(wanted) == 2


def test_each_finding_is_reported_once_by_the_file_of_the_first_plan() -> None:
    folder = GSD_DATA / "synthetic-03-same-wave"
    results = check_paths(sorted(folder.glob("*-PLAN.md")), NO_FILES)
    by_file = {r.path.name: [d.message.split(";")[0] for d in r.diagnostics] for r in results}
    assert by_file == {
        "03-01-PLAN.md": ["plans 03-01 and 03-02 are both in wave 1 and both modify `src/shared/types.ts`"],
        "03-02-PLAN.md": [],
        "03-03-PLAN.md": [
            "plans 03-03 and 03-04 are both in wave 1 and both modify `src/builds/SelectPopoverBody.tsx`"
        ],
        "03-04-PLAN.md": [],
        "03-05-PLAN.md": [],
    }


def test_checking_one_sibling_reports_the_folder_finding_located_in_its_file() -> None:
    folder = GSD_DATA / "synthetic-03-same-wave"
    (result,) = check_paths([folder / "03-02-PLAN.md"], NO_FILES)
    located = sorted((d.span.path.name, result.locate(d.span)[0]) for d in result.diagnostics)
    assert located == [("03-01-PLAN.md", 5), ("03-03-PLAN.md", 5)]


def test_a_file_only_the_body_edits_is_named_as_hidden(tmp_path: Path) -> None:
    write_plan(tmp_path, "01", 1, ["src/a.ts"], body="src/shared.ts")
    write_plan(tmp_path, "02", 1, ["src/shared.ts"])
    (message,) = [m for _, _, m in findings(tmp_path / "07-01-PLAN.md")]
    assert message == (
        "plans 07-01 and 07-02 are both in wave 1 and both modify `src/shared.ts`; 07-01 edits it in the "
        "body but does not list it in files_modified, which hides the conflict from GSD's own check"
    )


def test_different_waves_and_different_files_are_clean(tmp_path: Path) -> None:
    write_plan(tmp_path, "01", 1, ["src/a.ts"])
    write_plan(tmp_path, "02", 1, ["src/b.ts"])
    write_plan(tmp_path, "03", 2, ["src/a.ts", "src/b.ts"], depends="[07-01, 07-02]")
    assert findings(*sorted(tmp_path.glob("*.md"))) == []


def test_the_fix_moves_the_later_plan_to_the_next_wave(tmp_path: Path) -> None:
    write_plan(tmp_path, "01", 1, ["src/a.ts"])
    write_plan(tmp_path, "02", 1, ["src/a.ts"])
    write_plan(tmp_path, "03", 1, ["src/a.ts"])
    (result,) = check_paths([tmp_path / "07-01-PLAN.md"], NO_FILES)
    (finding,) = result.diagnostics
    assert finding.fix is not None and finding.fix.title == "move 07-02 to wave 2, 07-03 to wave 3"
    assert {(e.span.path.name, e.new_text) for e in finding.fix.edits} == {
        ("07-02-PLAN.md", "2"),
        ("07-03-PLAN.md", "3"),
    }


def test_no_fix_when_a_dependent_would_no_longer_come_later(tmp_path: Path) -> None:
    write_plan(tmp_path, "01", 1, ["src/a.ts"])
    write_plan(tmp_path, "02", 1, ["src/a.ts"])
    write_plan(tmp_path, "03", 2, ["src/c.ts"], depends="[07-02]")
    (result,) = check_paths([tmp_path / "07-01-PLAN.md"], NO_FILES)
    (finding,) = result.diagnostics
    assert finding.fix is None


def test_fix_command_moves_the_plan_in_its_own_file_and_rechecks(tmp_path: Path) -> None:

    folder = tmp_path / "03-same-wave"
    shutil.copytree(GSD_DATA / "synthetic-03-same-wave", folder)
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    result = run_cli("fix", str(folder / "03-01-PLAN.md"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    waves = {
        p.name: next(line for line in p.read_text().splitlines() if line.startswith("wave:"))
        for p in folder.glob("*.md")
    }
    # 03-02 and 03-04 move to wave 2; 03-05 (wave 2, types.ts) then overlaps 03-02 and moves on
    assert waves == {
        "03-01-PLAN.md": "wave: 1", "03-02-PLAN.md": "wave: 2", "03-03-PLAN.md": "wave: 1",
        "03-04-PLAN.md": "wave: 2", "03-05-PLAN.md": "wave: 3",
    }  # fmt: skip
    for name, data in before.items():  # nothing but the wave line changed
        old, new = data.decode().splitlines(), (folder / name).read_text().splitlines()
        assert [a for a, b in zip(old, new, strict=True) if a != b] in ([], ["wave: 1"], ["wave: 2"])
    assert findings(*sorted(folder.glob("*.md"))) == []


def test_emit_and_next_schedule_the_folder_by_waves_and_depends_on() -> None:
    from planlint.emit.document import constraints
    from planlint.emit.next import next_batch

    plan = load_plan(GSD_DATA / "synthetic-04-clean" / "04-03-PLAN.md")
    document = constraints(plan, config=NO_FILES)
    assert document["dialect"] == GSD
    assert document["waves"] == [["04-01", "04-02"], ["04-03"]]
    assert document["tasks"]["04-03"]["dependsOn"] == ["04-01", "04-02"]
    assert document["tasks"]["04-02"]["files"]["writes"] == ["src/auth/logout.ts", "tests/auth/logout.test.ts"]
    batch = next_batch(plan, None, 5, config=NO_FILES)
    assert [task["id"] for task in batch["tasks"]] == ["04-01", "04-02"]


def test_emit_keeps_same_wave_plans_that_share_a_file_apart() -> None:
    from planlint.emit.document import constraints

    plan = load_plan(GSD_DATA / "synthetic-03-same-wave" / "03-01-PLAN.md")
    waves = constraints(plan, config=NO_FILES)["waves"]
    wave_of = {task: number for number, wave in enumerate(waves) for task in wave}
    assert wave_of["03-01"] != wave_of["03-02"] and wave_of["03-03"] != wave_of["03-04"]
    assert wave_of["03-05"] > wave_of["03-01"]


def test_a_phase_folder_found_by_the_plans_glob_reports_each_finding_once(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".planlint.toml").write_text('plans = [".planning/phases/**/*-PLAN.md"]\nignore = ["PL3"]\n')
    shutil.copytree(GSD_DATA / "synthetic-03-same-wave", tmp_path / ".planning" / "phases" / "03-same-wave")
    result = run_cli("check", "--format", "json", ".planning", cwd=tmp_path)
    found = sorted((d["path"], d["line"], d["dialect"]) for d in json.loads(result.stdout))
    folder = ".planning/phases/03-same-wave"
    assert found == [(f"{folder}/03-01-PLAN.md", 5, GSD), (f"{folder}/03-03-PLAN.md", 5, GSD)]


def test_labelled_folders_give_the_labelled_plans_waves_and_dependencies() -> None:
    labels = json.loads((DATA / "dialects" / "labels.json").read_text())
    for entry in (e for e in labels["plans"] if e["dialect"] == GSD):
        first = sorted((DATA / "dialects" / entry["file"]).glob("*-PLAN.md"))[0]
        plan = load_plan(first)
        tasks = list(plan.tasks())
        assert len(tasks) == entry["counts"]["tasks"], entry["file"]
        assert sum(len(t.dependencies) for t in tasks) == entry["counts"]["dependency_edges"], entry["file"]
        waves = {str(p.number): [str(t.id) for t in p.tasks] for p in plan.phases}
        assert waves == entry["waves"], entry["file"]


def test_json_names_the_file_of_an_edit_in_a_sibling_plan(tmp_path: Path) -> None:
    folder = tmp_path / "03-same-wave"
    shutil.copytree(GSD_DATA / "synthetic-03-same-wave", folder)
    result = run_cli("check", "--format", "json", str(folder / "03-01-PLAN.md"), cwd=tmp_path)
    first = next(d for d in json.loads(result.stdout) if "03-01 and 03-02" in d["message"])
    assert first["path"].endswith("03-01-PLAN.md")
    (edit,) = first["fix"]["edits"]  # 03-02 moves to the next wave: its own file's `wave:` line
    assert edit["path"].endswith("03-02-PLAN.md") and edit["content"].strip() == "2"
