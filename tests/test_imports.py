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
