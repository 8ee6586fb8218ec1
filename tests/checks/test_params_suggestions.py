"""Where params suggestions send a value, on layouts met in repositories nobody here wrote."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import write_tree

from mlnudge.config import build_config
from mlnudge.runner import run


def test_a_kedro_project_in_a_folder_gets_its_own_parameters_file(tmp_path: Path) -> None:
    """The Kedro project lives in ``risk/`` beside a root ``environment.yml``: values go to
    ``risk/conf/base/parameters.yml`` (even when the values sit in per-pipeline files), and a
    location is a dataset of ``risk/conf/base/catalog.yml``, never the catalog for a value."""
    root = write_tree(
        tmp_path / "repo",
        {
            "environment.yml": "dependencies:\n  - kedro>=0.19\n",
            "risk/pyproject.toml": '[tool.kedro]\npackage_name = "risk"\n',
            "risk/conf/base/catalog.yml": (
                "loans:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/loans.csv\n"
            ),
            "risk/conf/base/parameters.yml": "",
            "risk/conf/base/parameters_training.yml": "training:\n  n_estimators: 300\n",
            "risk/src/risk/__init__.py": "",
            "risk/src/risk/pipelines/split/nodes.py": (
                "from sklearn.model_selection import StratifiedKFold\n"
                "import pandas as pd\n\n"
                "def folds(df):\n    return StratifiedKFold(n_splits=5).split(df)\n\n"
                "def load():\n    return pd.read_csv('data/01_raw/extra.csv')\n"
            ),
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    assert report.errors == ()
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["MLN201"].details["config_file"] == "risk/conf/base/parameters.yml"
    assert "catalog" not in by_rule["MLN201"].message
    assert by_rule["MLN202"].details["config_file"] == "risk/conf/base/catalog.yml"


def test_a_results_folder_is_suggested_as_an_output(tmp_path: Path) -> None:
    """``results/``, ``predictions/``, ``reports/``: folders a run writes, so their key lives
    under ``output.``, never ``data.`` (where the inputs are)."""
    root = write_tree(
        tmp_path / "repo",
        {
            "params.yaml": "train:\n  epochs: 3\n",
            "evaluate.py": (
                "import json\n\n\n"
                "def main(scores):\n"
                '    save_path = "results/"\n'
                '    with open(save_path + "scores.json", "w") as handle:\n'
                "        json.dump(scores, handle)\n"
                '    inputs = "data/holdout/"\n'
                "    return inputs\n"
            ),
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    keys = sorted(str(f.details.get("key")) for f in report.findings if f.rule == "MLN202")
    assert keys == ["data.holdout", "output.results"]
