"""Config discovery, strict keys, and selection by longest code prefix."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlint.config import Config, find_config, load_config
from planlint.diagnostic import Severity
from planlint.errors import ConfigError, UsageError


def test_nearest_config_wins_and_pyproject_needs_a_planlint_table(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".planlint.toml").write_text('ignore = ["PL007"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.planlint]
    assert find_config(sub) == tmp_path / ".planlint.toml"
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.planlint]\nignore = ["PL1"]\n')
    assert find_config(sub) == tmp_path / "a" / "pyproject.toml"
    config = load_config(start=sub)
    assert config.ignore == ("PL1",) and config.root == (tmp_path / "a").resolve()


def test_search_stops_at_the_git_root(tmp_path: Path) -> None:
    (tmp_path / ".planlint.toml").write_text("")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo) is None


def test_longest_prefix_decides() -> None:
    config = Config().with_overrides(ignore=["PL1"], extend_select=["PL104"])
    assert config.is_enabled("PL104")
    assert not config.is_enabled("PL102")
    assert config.is_enabled("PL002")
    assert not config.is_enabled("PL401")  # PL4 is not in the default selection


def test_opt_in_rules_need_an_explicit_selection() -> None:
    assert not Config().is_enabled("PL008", opt_in=True)
    assert Config().with_overrides(extend_select=["PL008"]).is_enabled("PL008", opt_in=True)
    assert Config().with_overrides(select=["ALL"]).is_enabled("PL008", opt_in=True)


def test_standard_turns_on_the_plan_standards_rules(tmp_path: Path) -> None:
    path = tmp_path / ".planlint.toml"
    path.write_text('standard = "plan-standards"\n')
    config = load_config(path)
    assert config.is_enabled("PL008", opt_in=True) and config.is_enabled("PL101")


def test_values_are_type_checked_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / ".planlint.toml"
    path.write_text('plans = ["a"]\n\nselect = "PL1, XX9"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 3 and "XX9" in info.value.message


def test_unknown_access_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.planlint.access]\nread = ["inspect"]\nwrote = ["x"]\n')
    with pytest.raises(ConfigError, match="unknown key 'wrote'"):
        load_config(path)


def test_fail_on_severity_and_per_file_ignores(tmp_path: Path) -> None:
    path = tmp_path / ".planlint.toml"
    path.write_text(
        'fail-on = "error"\nseverity = { PL007 = "warning" }\n[per-file-ignores]\n"archive/*.md" = ["PL003"]\n'
    )
    config = load_config(path)
    assert config.fail_on is Severity.ERROR
    assert config.severity_of("PL007") is Severity.WARNING
    assert config.ignored_for("archive/old.md") == ("PL003",)
    assert config.ignored_for("new.md") == ()


def test_command_line_codes_are_validated() -> None:
    with pytest.raises(UsageError):
        Config().with_overrides(select=["nonsense"])


def test_rule_options_are_checked_against_the_rules_options(tmp_path: Path) -> None:
    from planlint.rules import load

    path = tmp_path / ".planlint.toml"
    path.write_text('[rules.PL010]\nfields = ["Goal"]\nsection = "Summary"\n[rules.PL011]\nphase-level = 2\n')
    config = load_config(path)
    assert config.options_for("PL010") == {"fields": ("Goal",), "section": "Summary"}
    instance = load("PL010")(None, config.options_for("PL010"))
    assert instance.options.fields == ("Goal",) and instance.options.section == "Summary"
    assert load("PL011")(None, config.options_for("PL011")).options.phase_level == 2
    path.write_text("[rules.PL011]\nphase-levle = 2\n")
    with pytest.raises(ConfigError, match=r"unknown option 'phase-levle' for PL011 \(options: phase-level\)"):
        load_config(path)
    path.write_text('[rules.PL011]\nphase-level = "2"\n')
    with pytest.raises(ConfigError, match="option 'phase-level' of PL011 must be a int"):
        load_config(path)
    path.write_text("[rules.PL010]\nfields = [1]\n")
    with pytest.raises(ConfigError, match="'fields' must be a list of strings"):
        load_config(path)
    path.write_text("[rules.PL101]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"unknown option 'x' for PL101 \(options: none\)"):
        load_config(path)
    path.write_text("[rules.PL999]\nx = 1\n")
    with pytest.raises(ConfigError, match="unknown rule code 'PL999'"):
        load_config(path)


def test_config_checks_codes_without_importing_a_rule(tmp_path: Path) -> None:
    """The catalogue is what the config reads: loading one imports no rule module."""
    import subprocess
    import sys

    (tmp_path / ".planlint.toml").write_text('select = ["PL1"]\n[rules.PL009]\nsections = ["Overview"]\n')
    script = (
        "import sys; from pathlib import Path; from planlint.config import load_config; "
        f"load_config(Path({str(tmp_path / '.planlint.toml')!r})); "
        "print(sorted(m for m in sys.modules if m.startswith('planlint.rule')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("path", "pattern", "anywhere", "strict"),
    [
        ("docs/plans/a.md", "docs/plans/**/*.md", True, True),  # `**/` matches zero folders
        ("docs/plans/x/y/a.md", "docs/plans/**/*.md", True, True),
        ("docs/plans/x/a.md", "docs/plans/*.md", False, False),  # `*` stays in one folder
        ("docs/plans/x/a-draft.md", "*-draft.md", True, False),  # a name anywhere, but not a plan glob
        ("a-draft.md", "*-draft.md", True, True),
        ("docs/plans/a.md", "docs/plans/[ab].md", True, True),
        ("docs/plans/c.md", "docs/plans/[!ab].md", True, True),
        ("docs/plans/a.md", "docs/plans/?.md", True, True),
        ("docs/plans/ab.md", "docs/plans/?.md", False, False),
    ],
)
def test_glob_matching(path: str, pattern: str, anywhere: bool, strict: bool) -> None:
    from planlint.config import glob_matches

    assert glob_matches(path, pattern) is anywhere
    assert glob_matches(path, pattern, name_anywhere=False) is strict


def test_configs_find_each_paths_root_once_per_folder(tmp_path: Path) -> None:
    from planlint.config import Configs

    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "b" / "docs" / "plans").mkdir(parents=True)
    (tmp_path / "b" / ".planlint.toml").write_text('ignore = ["PL007"]\n')
    configs = Configs(overrides=lambda c: c.with_overrides(ignore=["PL101"]))
    first = configs.for_path(tmp_path / "a" / "x.md")
    assert first.root == (tmp_path / "a").resolve() and first.path is None and first.ignore == ("PL101",)
    second = configs.for_path(tmp_path / "b" / "docs" / "plans")
    assert second.root == (tmp_path / "b").resolve() and second.ignore == ("PL007", "PL101")
    assert configs.for_path(tmp_path / "b" / "docs" / "plans" / "p.md") is second


@pytest.mark.parametrize(
    ("text", "is_config"),
    [
        ("[tool.planlint]\n", True),
        ("[tool.planlint\nselect = 1\n", True),  # broken, but planlint's: reported, not skipped
        ("[tool]\nplanlint = 5\n", True),
        ('tool.planlint.select = ["PL1"]\n', True),
        ('[project.scripts]\nplanlint = "planlint.cli:main"\n', False),
        ('[tool.poetry.dependencies]\nplanlint = "^1"\n', False),
        ("[tool.ruff]\nline-length = 100\n", False),
    ],
)
def test_a_pyproject_is_planlints_config_when_it_holds_tool_planlint(
    tmp_path: Path, text: str, is_config: bool
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(text)
    assert (find_config(tmp_path) is not None) is is_config
