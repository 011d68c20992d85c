"""Heavy modules are imported only on the paths that need them (STYLE.md §2.11)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("libcst", "jsonschema")


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_importing_the_cli_loads_neither_libcst_nor_jsonschema() -> None:
    modules = loaded_after("import planlint.cli")
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_checking_a_plan_loads_neither_libcst_nor_jsonschema(tmp_path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Update `src/a.py` (depends: 1.2)\n- [ ] 1.2 Add `b`\n")
    code = (
        "from planlint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(plan)!r}, '--quiet'])\n"
        "except SystemExit:\n"
        "    pass"
    )
    modules = loaded_after(code)
    assert "markdown_it" in modules  # the probe did run a check
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_checking_a_plan_imports_only_the_check_command(tmp_path) -> None:
    """Each command is imported when it runs: a check builds no option of fix, emit or next."""
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Update `src/a.py`\n", encoding="utf-8")
    code = (
        "from planlint.cli import main\n"
        f"try:\n    main(['check', {str(plan)!r}, '--quiet'])\nexcept SystemExit:\n    pass"
    )
    commands = {m for m in loaded_after(code) if m.startswith("planlint.commands.")}
    assert commands == {"planlint.commands.check"}


def check_in_subprocess(root, plan_text: str) -> set[str]:
    (root / "plan.md").write_text(plan_text, encoding="utf-8")
    probe = (
        "import os, sys\n"
        f"os.chdir({str(root)!r})\n"
        "from planlint.cli import main\n"
        "try:\n"
        "    main(['check', 'plan.md', '--quiet', '--select', 'ALL'])\n"
        "except SystemExit:\n"
        "    pass"
    )
    return loaded_after(probe)


def test_line_ranges_and_paths_in_python_files_do_not_load_libcst(tmp_path) -> None:
    """PL301 and PL302 read files and count lines; only a cited symbol needs libcst."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def main():\n    pass\n" * 20, encoding="utf-8")
    (tmp_path / "README.md").write_text("# App\n", encoding="utf-8")
    plan = (
        "# Plan\n\n## Phase 1: A\n\n"
        "- [ ] 1.1 Fix the loop in `src/app.py:12-30` and src/app.py:90\n"
        "- [ ] 1.2 Update README.md:1-3 and `src/missing.py`\n"
        "- [ ] 1.3 Set `max_retries` to 5 in the config\n"  # a name no Python file contains
    )
    modules = check_in_subprocess(tmp_path, plan)
    assert "planlint.rules.line_range_out_of_bounds" in modules  # the code-reference rules did run
    assert not {m for m in modules if m.split(".")[0] == "libcst"}


def test_a_symbol_in_a_python_file_loads_libcst(tmp_path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def main():\n    pass\n", encoding="utf-8")
    modules = check_in_subprocess(tmp_path, "# Plan\n\n## Phase 1: A\n\n- [ ] 1.1 Fix `main()` in `src/app.py`\n")
    assert "libcst" in modules
