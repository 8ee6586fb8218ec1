"""Which mlnudge computed a cached entry (mlnudge.selfcode): a source tree is named by its code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mlnudge_testing import FileAccess, git_repo

from mlnudge import runner, selfcode
from mlnudge.config import build_config
from mlnudge.runner import run


def _package(root: Path, files: dict[str, str]) -> str:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(root)


def _identity(package: str) -> str:
    selfcode.code_identity.cache_clear()
    return selfcode.code_identity(package)


def test_a_source_tree_is_named_by_the_contents_of_its_modules(tmp_path: Path) -> None:
    package = _package(tmp_path / "mlnudge", {"__init__.py": "", "checks/rule.py": "LIMIT = 3\n"})
    first = _identity(package)
    assert first
    (tmp_path / "mlnudge/checks/rule.py").write_text("LIMIT = 4\n")
    edited = _identity(package)
    assert edited != first
    # a touched file with the same contents (a fresh checkout of the same commit) keeps the name
    os.utime(tmp_path / "mlnudge/checks/rule.py", ns=(1, 1))
    assert _identity(package) == edited


@pytest.mark.parametrize(
    ("change", "renamed"),
    [
        ({"checks/tables.json": "{}"}, True),  # bundled tables are behaviour too
        ({"checks/new_rule.py": ""}, True),  # so is a new module, even an empty one
        ({"__pycache__/rule.cpython-311.pyc": "x"}, False),  # compiled copies are not
        ({"README.txt": "notes"}, False),
    ],
)
def test_what_counts_as_code(tmp_path: Path, change: dict[str, str], renamed: bool) -> None:
    package = _package(tmp_path / "mlnudge", {"__init__.py": "", "checks/rule.py": "A = 1\n"})
    before = _identity(package)
    _package(tmp_path / "mlnudge", change)
    assert (_identity(package) != before) is renamed


@pytest.mark.parametrize("site", ["site-packages", "dist-packages"])
def test_an_installed_release_is_named_by_its_version_alone(tmp_path: Path, site: str) -> None:
    package = _package(tmp_path / "lib" / site / "mlnudge", {"__init__.py": "", "rule.py": ""})
    assert _identity(package) == ""


def test_an_edited_checkout_does_not_reuse_what_its_older_self_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_repo(tmp_path / "r", {"train.py": "from sklearn.svm import SVC\n\nm = SVC(C=0.5)\n"})
    monkeypatch.setattr(runner, "code_identity", lambda package: "before")
    first = run(root, build_config({}))
    store = json.loads((root / ".mlnudge_cache/v2/store.json").read_text())
    assert store["version"].endswith("+codebefore")
    with FileAccess() as access:
        run(root, build_config({}))
    assert not access.parsed  # the same code: every fact came from the cache
    monkeypatch.setattr(runner, "code_identity", lambda package: "after")
    with FileAccess() as access:
        second = run(root, build_config({}))
    assert "train.py" in access.parsed  # the edited code computed its facts again
    assert second.findings == first.findings
