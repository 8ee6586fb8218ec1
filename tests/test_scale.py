"""Scale: a generated repository of 20,000 files and a notebook of 5,000 cells are checked
within generous budgets (slow tests; the numbers measured are in docs/reliability.md).

The budgets are what a user can wait for, not what the code reaches today: a full check of a
large repository within two minutes, a pre-commit run on one changed file within 30 seconds
(on a shared CI machine),
a huge notebook within a minute, all under 1 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mlnudge_testing import ROOT, git, notebook

pytestmark = pytest.mark.slow

FILES = 20_000
CELLS = 5_000
FULL_BUDGET_S = 120
HOOK_BUDGET_S = 30
NOTEBOOK_BUDGET_S = 60
MEMORY_BUDGET_MB = 1024

MODULE = (
    "import pandas as pd\n\n\n"
    "def clean_{i}(df):\n    df = df.dropna()\n    return df[df['x'] > {k}]\n\n\n"
    "def model_{i}(M):\n    return M(n_estimators={n}, learning_rate=0.1)\n"
)


def _generate(root: Path) -> None:
    """2,000 modules in 20 packages, 500 tests, the rest small data files: 20,000 in all."""
    count = 0

    def write(rel: str, text: str) -> None:
        nonlocal count
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        count += 1

    write(
        "pyproject.toml", '[project]\nname = "pkg"\nversion = "1"\ndependencies = ["pandas>=2"]\n'
    )
    write(".gitignore", "*.tmp\n/output/\n")
    write("src/pkg/__init__.py", "")
    for i in range(2000):
        if i % 100 == 0:
            write(f"src/pkg/m{i // 100}/__init__.py", "")
        write(f"src/pkg/m{i // 100}/features_{i}.py", MODULE.format(i=i, k=i % 7, n=100 + i))
    for i in range(500):
        write(
            f"tests/test_{i}.py",
            f"from pkg.m{i // 100}.features_{i} import clean_{i}\n\n\n"
            f"def test_{i}():\n    assert clean_{i} is not None\n",
        )
    k = 0
    while count < FILES:
        write(f"data/part{k // 500}/row_{k}.csv", "a,b\n1,2\n")
        k += 1


def _timed(*args: str, cwd: Path) -> tuple[float, int, dict[str, object]]:
    script = (
        "import resource, sys\n"
        "from mlnudge.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "sys.stderr.write(f'maxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}')\n"
        "raise SystemExit(code)\n"
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script, *args, "--format", "json", "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=FULL_BUDGET_S * 3,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    rss_mb = int(proc.stderr.rsplit("maxrss_kb=", 1)[1]) // 1024
    return elapsed, rss_mb, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "big"
    _generate(root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated")
    return root


def test_a_repository_of_20000_files_within_budget(big_repo: Path) -> None:
    elapsed, rss_mb, report = _timed("check", ".", cwd=big_repo)
    assert report["summary"]["files_scanned"] == FILES
    assert report["errors"] == []
    # n_estimators and learning_rate in each of the 2,000 modules
    assert sum(1 for f in report["findings"] if f["rule"] == "MLN201") == 4000
    assert elapsed < FULL_BUDGET_S, f"{elapsed:.1f}s"
    assert rss_mb < MEMORY_BUDGET_MB, rss_mb


def test_a_hook_run_on_one_file_of_20000_within_budget(big_repo: Path) -> None:
    changed = "src/pkg/m3/features_321.py"
    elapsed, _, report = _timed("check", "--hook", changed, cwd=big_repo)
    params = {f["path"] for f in report["findings"] if f["check"] == "params"}
    assert params == {changed}
    assert elapsed < HOOK_BUDGET_S, f"{elapsed:.1f}s"


def test_a_notebook_of_5000_cells_within_budget(tmp_path: Path) -> None:
    cells, kinds = [], []
    for i in range(CELLS):
        if i % 5 == 4:
            cells.append(f"## Step {i}\nSome prose.")
            kinds.append("markdown")
        else:
            cells.append(
                f"%matplotlib inline\ndf_{i} = df.dropna()\nm_{i} = M(n_estimators={100 + i})"
            )
            kinds.append("code")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "analysis.ipynb").write_text(notebook(*cells, kinds=tuple(kinds)))
    (tmp_path / "pyproject.toml").write_text("[tool.mlnudge.params]\ninclude-notebooks = true\n")
    elapsed, rss_mb, report = _timed("check", ".", cwd=tmp_path)
    hits = [f for f in report["findings"] if f["rule"] == "MLN201"]
    assert len(hits) == CELLS - CELLS // 5  # one per code cell, each mapped to its cell
    assert {f["cell"] for f in hits} == {i + 1 for i in range(CELLS) if i % 5 != 4}
    assert elapsed < NOTEBOOK_BUDGET_S, f"{elapsed:.1f}s"
    assert rss_mb < MEMORY_BUDGET_MB, rss_mb
