"""The generated blocks of docs/configuration.md: the defaults and each rule's options."""

from __future__ import annotations

from typing import Any

from _pages.common import cell
from _pages.rule_pages import option_rows, toml_value
from planlint.rules import all_codes, load


def render_config_defaults() -> str:
    """The table of every config key with its default, computed from planlint.config."""
    from planlint import config as cfg

    defaults = cfg.Config()

    def code(value: Any) -> str:
        return f"`{toml_value(value)}`"

    shown = {
        "plans": code(defaults.plans),
        "status": code(defaults.status),
        "exclude": code(defaults.exclude),
        "select": code(defaults.select),
        "extend-select": code([]),
        "ignore": code(defaults.ignore),
        "per-file-ignores": "`{}`",
        "severity": "`{}`: each rule's own",
        "fail-on": code(defaults.fail_on.label),
        "schema": "the shipped schema (`planlint schema status`)",
        "src": code(defaults.src),
        "access": "`{}`: the built-in verb lists",
        "standard": "none",
        "rules": "`{}`: each rule's option defaults",
        "dialects": "`{}`: each file's format as its content shows",
    }
    missing = sorted(set(cfg.KEYS) - set(shown))
    if missing:
        raise SystemExit(f"docs/_generate.py: no default written for config keys {missing}")
    out = ["| Key | Default |", "| --- | --- |"]
    out += [f"| [`{key}`](#{key}) | {value} |" for key, value in shown.items() if key in cfg.KEYS]
    return "\n".join(out)


def render_rule_options() -> str:
    """Every rule with options, and its options, as tables."""
    out = []
    for code in all_codes():
        rule = load(code)
        rows = option_rows(rule)
        if not rows:
            continue
        out += [
            f"[{code}](rules/{code}.md) ({rule.name}):",
            "",
            "| Option | Type | Default | Description |",
            "| --- | --- | --- | --- |",
        ]
        out += [f"| `{n}` | {t} | `{cell(d)}` | {cell(h)} |" for n, t, d, h in rows]
        out.append("")
    return "\n".join(out).rstrip("\n")
