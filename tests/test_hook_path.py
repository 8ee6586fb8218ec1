"""The pre-commit hook path imports nothing heavy: it runs on every commit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mlnudge_testing import git_repo

HEAVY = ("github", "yaml", "packaging", "coverage", "jsonschema", "requests", "urllib3", "tomlkit")

PROBE = """
import json, sys
from mlnudge.cli import main
code = main(sys.argv[1:])
roots = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "modules": roots}))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--hook", "--family", "params", "--format", "json", "train.py"],
        ["check", "--hook", "--family", "transforms", "--format", "json", "train.py"],
        ["check", "--hook", "--family", "structure", "--format", "json"],
    ],
)
def test_hook_path_imports_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    git_repo(tmp_path, {"train.py": "m = Model(n_estimators=3)\n", "src/pkg/__init__.py": ""})
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    loaded = set(result["modules"]) & set(HEAVY)
    assert not loaded, f"heavy modules on the hook path: {sorted(loaded)}"
