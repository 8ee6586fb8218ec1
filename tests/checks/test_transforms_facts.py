"""The transforms family on the per-file facts layer: a warm run reads and parses no Python
file, a hook run only the files it was given, and every way of running reports the same."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from mlnudge_testing import ROOT, FileAccess, load_script, write_tree

from mlnudge.config import build_config
from mlnudge.report.model import Report
from mlnudge.runner import run

FAMILY = ["transforms"]

FIXTURE = {
    "shop/__init__.py": "",
    "shop/features/__init__.py": "from .calendar import add_holiday_flags\n",
    "shop/features/calendar.py": (
        "import pandas as pd\n\n"
        "HOLIDAYS = ['2024-12-25']\n\n\n"
        "def add_holiday_flags(df: pd.DataFrame) -> pd.DataFrame:\n"
        "    return df.assign(is_holiday=df['date'].isin(HOLIDAYS))\n\n\n"
        "def add_weekday(df: pd.DataFrame) -> pd.DataFrame:\n"
        "    out = df.copy()\n"
        "    out['weekday'] = pd.to_datetime(out['date']).dt.weekday\n"
        "    return out\n"
    ),
    "shop/features/cleaning.py": (
        "import pandas as pd\n\n"
        "from ..registry import STEPS\n\n\n"
        "def clean_prices(df: pd.DataFrame, *, floor: float) -> pd.DataFrame:\n"
        "    df = df.dropna(subset=['price'])\n"
        "    return df.assign(price=df['price'].clip(lower=floor))\n\n\n"
        "def normalise_names(rows: list[dict]) -> list[dict]:\n"
        "    return [{**row, 'name': row['name'].strip().lower()} for row in rows]\n\n\n"
        "class Scaler:\n"
        "    def __init__(self, columns, factor=1.0):\n"
        "        self.columns = columns\n\n"
        "    def fit(self, df: pd.DataFrame):\n"
        "        self.means = df[self.columns].mean()\n"
        "        return self\n\n"
        "    def transform(self, df: pd.DataFrame) -> pd.DataFrame:\n"
        "        return df.assign(**{c: df[c] - self.means[c] for c in self.columns})\n"
    ),
    "shop/registry.py": "from shop.features.calendar import add_weekday\n\nSTEPS = [add_weekday]\n",
    "shop/pipeline.py": (
        "from kedro.pipeline import node\n\n"
        "from shop.features.cleaning import normalise_names\n\n\n"
        "def build():\n"
        "    return [node(normalise_names, 'raw', 'clean')]\n"
    ),
    "scripts/prepare.py": (
        "import pandas as pd\n\n"
        "df = pd.read_csv('raw.csv')\n"
        "df = df.dropna()\n"
        "df['total'] = df['price'] * df['qty']\n"
        "df.to_csv('clean.csv')\n"
    ),
    "broken.py": "def oops(:\n",
    "tests/__init__.py": "",
    "tests/conftest.py": (
        "from unittest import mock\n\nimport pytest\n\n"
        "from shop.features.cleaning import Scaler\n\n\n"
        "@pytest.fixture\n"
        "def scaler():\n"
        "    return Scaler(['price'])\n\n\n"
        "@pytest.fixture\n"
        "def fake_frame():\n"
        "    return mock.MagicMock()\n"
    ),
    "tests/test_calendar.py": (
        "import pandas as pd\n\n"
        "from shop.features import add_holiday_flags\n\n\n"
        "def test_add_holiday_flags():\n"
        "    df = pd.DataFrame({'date': ['2024-12-25']})\n"
        "    assert add_holiday_flags(df)['is_holiday'].tolist() == [True]\n"
    ),
    "tests/test_cleaning.py": (
        "import pandas as pd\n\n"
        "from shop.features import cleaning\n\n\n"
        "def test_clean_prices():\n"
        "    df = pd.DataFrame({'price': [1.0, None]})\n"
        "    assert len(cleaning.clean_prices(df, floor=0.0)) == 1\n\n\n"
        "def test_scaler(scaler):\n"
        "    df = pd.DataFrame({'price': [1.0, 3.0]})\n"
        "    assert scaler.fit(df).transform(df)['price'].tolist() == [-1.0, 1.0]\n\n\n"
        "def test_weekday_with_a_mock(fake_frame):\n"
        "    from shop.features.calendar import add_weekday\n\n"
        "    add_weekday(fake_frame)\n"
    ),
}


def _age(root: Path) -> None:
    """Files written a few seconds ago: the stat index trusts only files older than the store
    (a file written in the same instant could still change), as a real tree's would be."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file() and ".mlnudge_cache" not in path.parts:
            os.utime(path, (past, past))


def _python(paths: list[str]) -> set[str]:
    return {p for p in paths if p.endswith(".py")}


def _run(root: Path, targets: list[str] | None = None, *, cache: bool = True) -> Report:
    return run(root, build_config({}), families=FAMILY, targets=targets, use_cache=cache)


def _items(report: Report) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    findings = {
        (f.rule, f.path, f.line, f.anchor, f.message, f.fix, tuple(sorted(f.details.items())))
        for f in report.findings
    }
    errors = {(e.path, e.kind, e.message, e.line) for e in report.errors}
    return findings, errors


def _assert_same(cold: Report, other: Report, targets: list[str] | None = None) -> None:
    cold_findings, cold_errors = _items(cold)
    findings, errors = _items(other)
    if targets is None:
        assert findings == cold_findings
        assert errors == cold_errors
        return
    wanted = set(targets)
    assert {f for f in findings if f[1] in wanted} == {f for f in cold_findings if f[1] in wanted}
    assert findings <= cold_findings  # elsewhere only what a full run reports too
    assert {e for e in errors if e[0] in wanted} == {e for e in cold_errors if e[0] in wanted}


def _three_ways(root: Path) -> Report:
    """Cold without cache = cold filling the cache = warm, and the warm run reads no Python."""
    _age(root)
    plain = _run(root, cache=False)
    assert any(f.rule == "MLN301" for f in plain.findings), "nothing to compare"
    _assert_same(plain, _run(root))
    with FileAccess() as warm_access:
        warm = _run(root)
    _assert_same(plain, warm)
    # the family reads and parses nothing; the runner reads the files of findings for
    # suppression comments, and its syntax check parses notebooks (the family reads none)
    assert _python(warm_access.parsed) == set()
    assert _python(warm_access.read) <= {f.path for f in warm.findings}
    return plain


def _hook(root: Path, edits: dict[str, str]) -> None:
    """After ``edits`` a hook run on the edited files reads and parses only them, and
    reports on them what a run without cache reports."""
    for rel, text in edits.items():
        (root / rel).write_text(text)
    targets = sorted(edits)
    with FileAccess() as access:
        hook = _run(root, targets)
    assert _python(access.parsed) <= set(targets)
    # (and the runner reads the files of findings for suppression comments)
    assert _python(access.read) <= set(targets) | {f.path for f in hook.findings}
    _assert_same(_run(root, cache=False), hook, targets)


def test_warm_run_reads_no_python_file_and_reports_the_same(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FIXTURE)
    plain = _three_ways(root)
    untested = {f.anchor for f in plain.findings if f.rule == "MLN301"}
    # the mock-only test does not test add_weekday; the Kedro node and the rows are judged
    assert "def:shop.features.calendar.add_weekday" in untested
    assert "def:shop.features.calendar.add_holiday_flags" not in untested
    assert any(e.path == "broken.py" for e in plain.errors)  # replayed from the cache too


def test_hook_run_after_editing_a_test_and_a_module_parses_only_those(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FIXTURE)
    before = _three_ways(root)
    assert "def:shop.features.cleaning.Scaler.transform" not in {f.anchor for f in before.findings}
    # the test stops using the Scaler fixture (Scaler.transform, in an unchanged file, is no
    # longer tested: its example test comes from cached facts), and calendar.py gains a function
    test = (root / "tests/test_cleaning.py").read_text()
    calendar = (root / "shop/features/calendar.py").read_text()
    _hook(
        root,
        {
            "tests/test_cleaning.py": test.replace(
                "def test_scaler(scaler)", "def _scaler(scaler)"
            ),
            "shop/features/calendar.py": calendar
            + "\n\ndef add_month(df: pd.DataFrame) -> pd.DataFrame:\n"
            "    return df.assign(month=pd.to_datetime(df['date']).dt.month)\n",
        },
    )
    _age(root)
    with FileAccess() as access:
        after = _run(root)
    assert _python(access.parsed) == set()  # the hook run stored the edited files' facts
    anchors = {f.anchor for f in after.findings}
    assert "def:shop.features.cleaning.Scaler.transform" in anchors
    assert "def:shop.features.calendar.add_month" in anchors
    _assert_same(_run(root, cache=False), after)


def _corpus() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "corpus.py", "bench_corpus")


def test_generated_repository_warm_and_hook_runs_use_facts_only(tmp_path: Path) -> None:
    corpus = _corpus()
    root = tmp_path / "gen"
    corpus.generate(root, files=60)
    _three_ways(root)
    # feature module 1 gets a test (reach changes: its functions become tested) and feature
    # module 0's test is emptied (they become untested, in a file the hook run does not parse)
    _hook(
        root,
        {
            "tests/test_features_1.py": corpus.TEST.format(i=1, pkg=corpus.PKG),
            "tests/test_features_0.py": "def test_nothing() -> None:\n    assert True\n",
        },
    )
    _age(root)
    with FileAccess() as access:
        after = _run(root)
    assert _python(access.parsed) == set()
    plain = _run(root, cache=False)
    _assert_same(plain, after)
    untested = {f.anchor for f in plain.findings if f.rule == "MLN301"}
    assert "def:shopml.features_0.clean_table_0" in untested
    assert "def:shopml.features_1.clean_table_1" not in untested


def test_facts_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """String hashing changes from one process to the next (``PYTHONHASHSEED``): facts built
    by walking sets of names must come out in one order, or a cold run (facts from worker
    processes) and a warm run (facts read back) name different parameters in a message."""
    import subprocess

    source = (
        "import torch\n\n\n"
        "def project(X, Y, Z, fx, fy, cx, cy):\n"
        "    r = torch.sqrt(X * X + Y * Y + Z * Z)\n"
        "    u = fx * X / (Z + r) + cx\n"
        "    v = fy * Y / (Z + r) + cy\n"
        "    return torch.stack([u, v], dim=-1)\n"
    )
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "camera.py").write_text(source)
    script = (
        "import json, sys\n"
        "from mlnudge.config import build_config\n"
        "from mlnudge.facts.repo import Repo\n"
        "from mlnudge.checks.transforms.evidence import module_facts\n"
        "repo = Repo.discover(__import__('pathlib').Path(sys.argv[1]), build_config({}))\n"
        "mod = repo.python('features/camera.py')\n"
        "print(json.dumps(module_facts(mod.tree, mod.path)))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1, outputs
