"""Configuration: `[tool.planlint]` in pyproject.toml or `.planlint.toml`, and the root it governs.

The root and its config are found from each checked path upward, as ruff does: the nearest folder
with a planlint config, else the nearest `.git` (`Configs`). The nearest file wins, without
merging (mdformat, flake8). Unknown keys, unknown rule selectors, ill-typed values and TOML
syntax errors are a ConfigError naming the file, the line and the key: a typo never turns a
check off silently.
"""

from __future__ import annotations

from planlint.config.files import CONFIG_FILES, Configs, find_config, find_root, load_config
from planlint.config.globs import glob_matches, glob_problem
from planlint.config.settings import DEFAULT_PLANS, DEFAULT_SELECT, DEFAULT_STATUS, Config
from planlint.config.table import KEYS, STANDARD_RULES

__all__ = [
    "CONFIG_FILES", "DEFAULT_PLANS", "DEFAULT_SELECT", "DEFAULT_STATUS", "KEYS", "STANDARD_RULES", "Config", "Configs",
    "find_config", "find_root", "glob_matches", "glob_problem", "load_config",
]  # fmt: skip
