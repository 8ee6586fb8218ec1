"""Which files params reads as production: the text form of a notebook (jupytext)."""

from __future__ import annotations

import json
from pathlib import Path

from mlnudge_testing import params_findings

HEADER = "# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:percent\n# ---\n\n"


def _notebook(source: str) -> str:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    return json.dumps(
        {"cells": [{**cell, "source": source}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    )


EXPLORE = "import pandas as pd\n\nraw = pd.read_csv('data/raw/houses.csv')\nraw.describe()\n"
TRAIN = (
    "import pandas as pd\nfrom sklearn.linear_model import Ridge\n\n"
    "df = pd.read_csv('data/raw/houses.csv')\nmodel = Ridge(alpha=0.3)\n"
    "model.fit(df[['rooms']], df['price'])\n"
)


def test_the_text_form_of_an_exploration_notebook_is_exploration(tmp_path: Path) -> None:
    """``explore.py`` written by jupytext beside ``explore.ipynb`` is that notebook; a plain
    script beside a demo notebook of the same name is still a script."""
    files = {
        "explore.ipynb": _notebook(EXPLORE),
        "explore.py": HEADER + "# %%\n" + EXPLORE,
        "train.ipynb": _notebook("from train import *\n"),
        "train.py": TRAIN,
    }
    found = params_findings(tmp_path, files)
    assert {path for path, *_ in found} == {"train.py"}


def test_a_twin_the_project_runs_is_production(tmp_path: Path) -> None:
    """The same pair, run by the image (``CMD python explore.py``), is the pipeline."""
    files = {
        "explore.ipynb": _notebook(TRAIN),
        "explore.py": HEADER + "# %%\n" + TRAIN,
        "Dockerfile": 'FROM python:3.11\nCOPY . .\nCMD ["python", "explore.py"]\n',
    }
    found = params_findings(tmp_path, files)
    assert ("explore.py", 11, "MLN202", "data/raw/houses.csv") in found
    assert {path for path, *_ in found} == {"explore.py"}


def test_a_pipeline_notebook_and_its_text_form_report_each_line_once(tmp_path: Path) -> None:
    """A notebook that trains and writes the submission is the pipeline; with a jupytext
    twin, the script reports its values and the notebook reports nothing."""
    body = TRAIN + "df[['rooms']].assign(p=model.predict(df[['rooms']])).to_csv('submission.csv')\n"
    files = {
        "pipeline.ipynb": _notebook(body),
        "pipeline.py": HEADER + "# %%\n" + body,
        "helpers.py": "import numpy as np\n",
    }
    found = params_findings(tmp_path, files)
    assert ("pipeline.py", 11, "MLN202", "data/raw/houses.csv") in found
    assert [f for f in found if f[0] == "pipeline.ipynb"] == []
    del files["pipeline.py"]
    (tmp_path / "pipeline.py").unlink()
    alone = params_findings(tmp_path, files)
    assert any(f[0] == "pipeline.ipynb" and f[2] == "MLN202" for f in alone)


def test_a_main_block_that_processes_the_projects_data_is_a_run(tmp_path: Path) -> None:
    """A package module's ``__main__`` block tries the module out (its values are its own),
    unless it reads or writes the project's data folders: then it runs the step."""
    module = (
        "from sklearn.model_selection import train_test_split\n\n\n"
        "def split(rows):\n    return rows\n\n\n"
        'if __name__ == "__main__":\n'
        "    SOURCE = {source!r}\n"
        "    train, valid = train_test_split(split([SOURCE]), test_size=0.1)\n"
    )
    files = {
        "quakes/__init__.py": "",
        "quakes/windows.py": module.format(source="example"),
    }
    assert params_findings(tmp_path / "tryout", files) == []
    files["quakes/windows.py"] = module.format(source="../../data/interim/train.hdf5")
    found = params_findings(tmp_path / "run", files)
    assert ("quakes/windows.py", 9, "MLN202", "../../data/interim/train.hdf5") in found
    assert ("quakes/windows.py", 10, "MLN201", "0.1") in found


def test_a_notebook_without_a_text_form_reads_no_missing_file(tmp_path: Path) -> None:
    """Asking whether ``pipeline.ipynb`` has a jupytext twin never reads a ``pipeline.py``
    that is not there: the report carries no "cannot read" for a file nobody wrote."""
    from mlnudge.config import build_config
    from mlnudge.runner import run

    body = TRAIN + "df.to_csv('submission.csv')\n"
    (tmp_path / "pipeline.ipynb").write_text(_notebook(body))
    report = run(tmp_path, build_config({}), families=["params"], use_cache=False)
    assert [(e.path, e.message) for e in report.errors] == []
    assert any(f.path == "pipeline.ipynb" for f in report.findings)


_DRAWN = (
    "import matplotlib.pyplot as plt\n"
    "from sklearn.cluster import KMeans\n"
    "from sklearn.decomposition import PCA\n"
    "from sklearn.manifold import TSNE\n"
    "\n"
    "\n"
    "def segments_plot(frame, labels, path):\n"
    "    flat = PCA(n_components=2).fit_transform(frame)\n"
    "    plt.scatter(flat[:, 0], flat[:, 1], c=labels)\n"
    "    plt.savefig(path)\n"
    "\n"
    "\n"
    "def visualizeEmbedding(frame):\n"
    "    points = TSNE(n_components=2, perplexity=25, random_state=3).fit_transform(frame)\n"
    "    plt.scatter(points[:, 0], points[:, 1])\n"
    "\n"
    "\n"
    "def fit_and_plot(frame):\n"
    "    model = KMeans(n_clusters=6, random_state=5).fit(frame)\n"
    "    plt.hist(model.labels_)\n"
    "    return model\n"
)


def test_a_function_that_only_draws_has_no_model_settings(tmp_path: Path) -> None:
    """A reduction to two components, a t-SNE perplexity and its seed inside a function that
    draws and hands back nothing but the picture are the picture's; a function that also fits
    keeps its settings. (acc-params-10: the function's body decides, not its name; see
    `test_params_model_code.py`.)"""
    found = params_findings(tmp_path, {"params.yaml": "train: {}\n", "report.py": _DRAWN})
    assert [(f[1], f[2], f[3]) for f in found if f[0] == "report.py"] == [
        (19, "MLN201", "6"),
        (19, "MLN203", "5"),
    ]
