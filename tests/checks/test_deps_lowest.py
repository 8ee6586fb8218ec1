"""``mlnudge deps lowest``: the suite run with every dependency at its lowest allowed version.

The fixtures depend on ``six`` (tiny, pure Python, on PyPI): ``six.ensure_str`` first appeared
in 1.12.0, so ``six>=1.12`` is a true lower bound and ``six>=1.10`` a false one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mlnudge.cli import main as cli_main
from mlnudge.deps_cli import main, plan

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "deps"


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def test_plan_reads_lower_bounds_and_adds_pytest(tmp_path: Path) -> None:
    runtime, test_reqs = plan(copy("lowest-false", tmp_path))
    assert [(p.name, p.requirement, p.lower) for p in runtime] == [("six", "six>=1.10", "1.10")]
    assert test_reqs == ["pytest"]


def test_plan_of_a_library_fixture_skips_exclusive_bounds(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["a>1", "b==2.0", "c", "d~=1.4"]\n'
        '[project.optional-dependencies]\ntest = ["pytest>=8", "hypothesis"]\n'
    )
    runtime, test_reqs = plan(root)
    assert {p.name: p.lower for p in runtime} == {"a": None, "b": "2.0", "c": None, "d": "1.4"}
    assert test_reqs == ["pytest>=8", "hypothesis"]


@pytest.mark.parametrize(
    "argv",
    [["lowest", "/nonexistent/dir"], ["frobnicate"], ["lowest", "--installer", "conda"]],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_list_prints_declarations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["deps", "list", str(copy("poetry", tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "pyproject.toml:11\tpandas\t==2.2.1\tmetadata" in out
    assert "poetry.lock\t(poetry lock: 4 packages)" in out


@pytest.mark.slow
def test_true_lower_bound_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy("lowest-true", tmp_path)
    assert cli_main(["deps", "lowest", str(root), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["passed"] is True
    assert result["at_lower_bound"] == {"six": "1.12.0"}
    assert result["false_lower_bounds"] == []


@pytest.mark.slow
def test_false_lower_bound_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy("lowest-false", tmp_path)
    assert main(["lowest", str(root), "--bisect"]) == 1
    out = capsys.readouterr().out
    assert "Tests FAIL with the lowest allowed versions." in out
    assert "At their lower bound: six==1.10.0" in out
    assert "False lower bounds: six" in out
    assert "has no attribute 'ensure_str'" in out


@pytest.mark.slow
def test_uninstallable_lower_bound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy("lowest-true", tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("six>=1.12", "six>=0.0.1"))
    assert main(["lowest", str(root)]) == 1
    out = capsys.readouterr().out
    assert "cannot be installed" in out and "six" in out
