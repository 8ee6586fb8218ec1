"""The configuration of a run, validated against the registry's families and rules.

The parsing and validation live in :mod:`mlnudge.settings`, which knows no family; this module
hands it the registry's :data:`~mlnudge.checks.CATALOG`. Entry points (the CLI, the GitHub
command, tests) load configuration from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mlnudge import settings
from mlnudge.checks import CATALOG
from mlnudge.finding import Family
from mlnudge.settings import (
    MODES,
    TOP_LEVEL,
    Config,
    ConfigError,
    Option,
    Options,
    load_table,
    parse_date,
    path_matches,
)

__all__ = [
    "MODES",
    "TOP_LEVEL",
    "Config",
    "ConfigError",
    "Option",
    "Options",
    "build_config",
    "family_options",
    "json_schema",
    "load_config",
    "load_table",
    "parse_date",
    "path_matches",
]


def load_config(
    root: Path,
    config_path: Path | None = None,
    cli: Mapping[str, Any] | None = None,
) -> Config:
    """Build the configuration for ``root``: defaults < config file < ``cli`` values."""
    return settings.load_config(root, config_path, cli, catalog=CATALOG)


def build_config(
    table: Mapping[str, Any],
    *,
    where: str = "configuration",
    prefix: str = "",
    cli: Mapping[str, Any] | None = None,
) -> Config:
    """A configuration from a ``[tool.mlnudge]`` table (see :func:`settings.build_config`)."""
    return settings.build_config(table, where=where, prefix=prefix, cli=cli, catalog=CATALOG)


def family_options() -> dict[Family, tuple[Option, ...]]:
    return dict(CATALOG.options)


def json_schema() -> dict[str, Any]:
    """The JSON schema of ``[tool.mlnudge]``, generated from the option tables."""
    return settings.json_schema(CATALOG)
