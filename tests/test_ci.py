"""CI runs the tests on every supported Python: the workflow's matrix, the package's
classifiers and requires-python agree, and the local test script runs and names the others."""

from __future__ import annotations

import re

import yaml
from mlnudge_testing import ROOT, tomllib

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
CI = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
TEST_SH = (ROOT / "scripts" / "test.sh").read_text()


def _classified() -> list[str]:
    pattern = re.compile(r"Programming Language :: Python :: (3\.\d+)")
    return [m.group(1) for c in PROJECT["classifiers"] if (m := pattern.fullmatch(c))]


def test_classifiers_start_at_requires_python_and_have_no_gaps() -> None:
    versions = _classified()
    assert versions, "list the supported versions as classifiers"
    lowest = re.fullmatch(r">=\s*(3\.\d+)", PROJECT["requires-python"])
    assert lowest is not None and versions[0] == lowest.group(1)
    minors = [int(v.split(".")[1]) for v in versions]
    assert minors == list(range(minors[0], minors[-1] + 1))
    assert versions[-1] == "3.13"


def test_the_ci_matrix_is_every_supported_version_through_setup_python() -> None:
    [job] = CI["jobs"].values()
    assert job["strategy"]["matrix"]["python-version"] == _classified()
    assert job["strategy"]["fail-fast"] is False
    setup = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert [s["with"]["python-version"] for s in setup] == ["${{ matrix.python-version }}"]
    [run] = [s for s in job["steps"] if s.get("run")]
    assert run["run"] == ".ci/run"
    assert run["env"]["MLNUDGE_OTHER_PYTHONS"] == "0"  # each version is its own job


def test_the_local_script_reads_the_same_list_and_says_what_ran() -> None:
    assert "Programming Language :: Python :: " in TEST_SH  # the classifiers, not a copy
    assert 'echo "== Python versions (supported: $SUPPORTED)"' in TEST_SH
    assert "trap report_versions EXIT" in TEST_SH  # said even when a stage fails
    assert "SKIPPED, no working python$minor" in TEST_SH
