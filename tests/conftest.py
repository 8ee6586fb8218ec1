"""Shared fixtures; helper functions live in ``mlnudge_testing`` (importable from tests)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from mlnudge_testing import SCHEMA, Tree, write_tree


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[Tree], Path]:
    def make(files: Tree) -> Path:
        return write_tree(tmp_path / "repo", files)

    return make


@pytest.fixture(scope="session")
def report_schema() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded
