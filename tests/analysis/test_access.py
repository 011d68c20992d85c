"""Access modes: the verb that governs a path, with DESIGN.md §2's table and harder phrasings."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from planlint.analysis.access import Mode, Vocabulary, governing_mode
from planlint.api import check_paths
from planlint.config import load_config

CASES = [
    # DESIGN.md §2's table
    ("Create `implement-fix-command.md` from `findings/7-3-fix-command.md`", "findings/7-3", "read"),
    ("Update any other callers of `plan-runner.sh` to use node directly", "plan-runner", "read"),
    ("Update `plan_orchestrator.py` to call `status-cli.js` instead of `plan-orchestrator.js`", "status-cli", "read"),
    (
        "Update `plan_orchestrator.py` to call `status-cli.js` instead of `plan-orchestrator.js`",
        "plan-orchestrator.js",
        "read",
    ),
    ("Audit all exports from `status-manager.js`", "status-manager", "read"),
    ("Remove duplicate summary check in `plan-output-utils.js:395-401`", "plan-output", "write"),
    ("Implement Focus Mode in `scripts/lib/tui.py`", "scripts/lib", "write"),
    # more phrasings
    ("Create `implement-fix-command.md` from `findings/7-3-fix-command.md`", "implement-fix", "create"),
    ("Update `plan_orchestrator.py` to call `status-cli.js` instead of `plan-orchestrator.js`", "plan_orch", "write"),
    ("Create test file `scripts/tests/test-x.js`:", "scripts/tests", "create"),
    ("Read `.claude/commands/plan/set.md` completely", ".claude", "read"),
    ("Add `parseNotes(plan)` function to `scripts/lib/plan-status.js`:", "scripts/lib", "write"),
    ("Refactor auth (reads: `src/config.py`)", "src/config", "read"),
    ("Remove the `/v1/users` route from `api/routes.py`", "api/routes", "write"),
    ("Move the date helpers from `app/views.py` to `app/utils.py`", "app/utils", "write"),
    ("Move the date helpers from `app/views.py` to `app/utils.py`", "app/views", "write"),
    ("Copy `a.py` to `b.py`", "b.py", "write"),
    ("Copy `a.py` to `b.py`", "a.py", "read"),
    ("Import Foo from `lib/x.py` into `api/client.py`", "api/client", "write"),
    ("Import Foo from `lib/x.py` into `api/client.py`", "lib/x", "read"),
    ("Verify: `config/app.yaml` has the key", "config/app", "read"),
    ("Write unit tests for `src/auth.py` in `tests/unit/test_auth.py`", "src/auth", "read"),
    ("Write unit tests for `src/auth.py` in `tests/unit/test_auth.py`", "tests/unit", "write"),
    ("Replace calls to `lib/legacy_http.py` with `lib/http.py` in `services/orders.py`", "lib/legacy", "read"),
    ("Replace calls to `lib/legacy_http.py` with `lib/http.py` in `services/orders.py`", "lib/http.py", "read"),
    ("Replace calls to `lib/legacy_http.py` with `lib/http.py` in `services/orders.py`", "services", "write"),
    ("Implement XML export in `export/xml.py` following the pattern in `export/csv.py`", "export/csv", "read"),
    ("Implement XML export in `export/xml.py` following the pattern in `export/csv.py`", "export/xml", "write"),
    ("Add caching; do not modify `auth/session.py`", "auth/session", "read"),
    ("Location: `store/state.py:40-60`", "store", "write"),
    ("Files: `a.py`, `b.py`", "b.py", "write"),
]


@pytest.mark.parametrize(("text", "needle", "mode"), CASES)
def test_governing_mode(text: str, needle: str, mode: str) -> None:
    found = governing_mode(text, text.index(needle))
    assert found is not None and found.value == mode


def test_no_verb_means_unknown() -> None:
    assert governing_mode("See the notes: the big `a.py` thing", 0) is None


def test_configured_verbs_move_between_lists() -> None:
    vocabulary = Vocabulary.from_config([("read", ["deploy"]), ("write", ["polish"])])
    assert governing_mode("Deploy `a.py`", 7, vocabulary) is Mode.READ
    assert governing_mode("Polish `a.py`", 7, vocabulary) is Mode.WRITE


MORE = [
    ("Create backup of current `scripts/status-cli.js` before modifications", "scripts/status-cli", "read"),
    ("Map all plan-related files in `scripts/`", "scripts/", "read"),
    ("Document task dependency handling in `status-cli.js`", "status-cli", "read"),
    ("Document the flags in `docs/cli.md`", "docs/cli", "write"),
    ("Match `src/`, `tests/` paths", "tests/", "mention"),
    ("Accept prefixes such as `src/` and `lib/`", "lib/", "mention"),
    ("Update `TEMPLATE.md` to reference `PLAN-STANDARDS.md`", "PLAN-STANDARDS", "mention"),
    ("Add the unsubscribe link to `mail/welcome.html`", "mail/welcome", "write"),
    ("Generate `vulnerabilities.json` with severities", "vulnerabilities", "output"),
    ("Set output artifacts: `report.md`, `graph.json`", "graph.json", "output"),
    ("Location: `scripts/tests/test_e2e.py` failures", "scripts/tests", "read"),
]


@pytest.mark.parametrize(("text", "needle", "mode"), MORE)
def test_mentions_outputs_and_examples(text: str, needle: str, mode: str) -> None:
    found = governing_mode(text, text.index(needle))
    assert found is not None and found.value == mode


RUNTIME = [
    # What the code a task builds will open when it runs: not the task's own access.
    ("Create configuration migration tool to update existing `.claude/settings.json` files", ".claude", "runtime"),
    ("Write a management command to backfill `orders` from `fixtures/orders.json`", "fixtures/", "runtime"),
    ("Add a pre-commit hook that regenerates `docs/api.md`", "docs/api", "runtime"),
    ("Add a helper in `lib/cache.py` that will rotate `var/cache.db`", "var/cache", "runtime"),
    ("Add a helper in `lib/cache.py` that will rotate `var/cache.db`", "lib/cache", "write"),
    ("Create a script to sort keys in `i18n/en.json`", "i18n/en", "runtime"),
    ("Create a migration tool to generate `docs/schema.md`", "docs/schema", "runtime"),
    ("Add a GitHub workflow to plan changes under `infra/prod/`", "infra/prod", "runtime"),
    ("Load registry from `docs/.artifact-registry.json`", "docs/.artifact", "runtime"),
    ("Fetch the price list from `data/prices.csv` on startup", "data/prices", "runtime"),
    ("Create configuration file reader that loads .claude/settings.json", ".claude", "runtime"),
    ("Evaluation script that writes `results/eval.jsonl`", "results/", "runtime"),
    ("Add the `gen:api` script that writes `web/src/api/schema.d.ts`", "web/src", "runtime"),
    # ... but the file the code goes in is written, and a tool the task runs writes now.
    ("Add a function to parse dates in `lib/dates.py`", "lib/dates", "write"),
    ("Load the registry in `app/startup.py`", "app/startup", "write"),
    ("Add a macro that reads `seeds/rates.csv` to `macros/convert.sql`", "macros/convert", "write"),
    ("Add a macro that reads `seeds/rates.csv` to `macros/convert.sql`", "seeds/rates", "runtime"),
    ("Run the toggle script to update `config/prod.py`", "config/prod", "write"),
    ("Use the migration tool to update `.claude/settings.json`", ".claude", "write"),
    ("Write a migration to convert drafts stored by `storage/legacy.ts`", "storage/legacy", "read"),
    ("Update the deploy script in `bin/deploy.sh` to upload `dist/app.tar`", "bin/deploy", "write"),
    # the file that does something, and words a program will print, are not changed
    ("Add a check for each tool installed by `scripts/install-tools.sh`", "scripts/install", "read"),
    ('Print a "run `scripts/install-tools.sh`" hint on failure', "scripts/install", "mention"),
    ("Print a “see `docs/setup.md`” hint", "docs/setup", "mention"),
    ('Set `name = "x"` in `app/config.py`', "app/config", "write"),
    ("Fix the crash caused by `lib/parse.py`", "lib/parse", "write"),
    # a colon inside a code span ends no clause
    ("Create `toPath(id: string): string` helpers in `src/utils/paths.ts`", "src/utils", "create"),
    ("Fix `# TODO: parse phases` in `scripts/server.py:357`", "scripts/server", "write"),
]


@pytest.mark.parametrize(("text", "needle", "mode"), RUNTIME)
def test_what_built_code_does_at_run_time(text: str, needle: str, mode: str) -> None:
    found = governing_mode(text, text.index(needle))
    assert found is not None and found.value == mode, found


def test_run_time_targets_touch_nothing() -> None:
    assert not Mode.RUNTIME.touches and not Mode.RUNTIME.writes


def test_configured_verbs_override_run_time_verbs() -> None:
    assert governing_mode("Load `a.json`", 5) is Mode.RUNTIME
    assert governing_mode("Load `a.json`", 5, Vocabulary.from_config([("read", ["load"])])) is Mode.READ
    assert governing_mode("Load `a.json`", 5, Vocabulary.from_config([("write", ["load"])])) is Mode.WRITE


@pytest.mark.parametrize(("listed", "reported"), [("write", True), ("read", False)])
def test_the_config_vocabulary_decides_pl301_as_it_decides_pl101(tmp_path: Path, listed: str, reported: bool) -> None:
    """One reader: a verb planlint does not know, listed in `[tool.planlint.access]`, makes PL301
    (a written file that does not exist) and PL101 (two tasks that may run together and write one
    file) read the reference the same way."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # PL301 checks plans in a repository
    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.planlint.access]\n{listed} = ["polish"]\n', encoding="utf-8")
    plan = tmp_path / "docs" / "plans" / "polish.md"
    plan.parent.mkdir(parents=True)
    plan.write_text(
        "# Implementation Plan: Polish\n\n## Phase 1: Polish\n\n"
        "- [ ] 1.1 Polish `src/brush.py`\n- [ ] 1.2 Polish `src/brush.py` again\n",
        encoding="utf-8",
    )
    found = {d.code for result in check_paths([plan], load_config(config)) for d in result.diagnostics}
    assert ("PL101" in found) is reported
    assert ("PL301" in found) is reported


def test_a_checked_task_that_adds_a_file_creates_it_for_pl301(tmp_path: Path) -> None:
    """PL301 reads the verb where the conflict model does, in the task's text: the `[x]` of a
    checked task is not a word before "Add", so a later task may update the file it added."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Implementation Plan: Notes\n\n## Phase 1: Notes\n\n"
        "- [x] 1.1 Add `docs/notes.txt`\n- [ ] 1.2 Update `docs/notes.txt` (depends: 1.1)\n",
        encoding="utf-8",
    )
    found = [d.code for result in check_paths([plan], load_config(start=tmp_path)) for d in result.diagnostics]
    assert "PL301" not in found
