"""MLN2xx classes of acc-params-22: a platform root tested for existence detects where the code
runs (no data location), one cut-off compared twice in an if/elif chain is one decision, and a
``visual/`` folder is plotting code. Fixtures written here from scratch, never copied from a
corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings, params_values


def _found(source: str, path: str = "fit.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


# -- an existence test of a platform root asks where the code runs --------------------------


@pytest.mark.parametrize(
    "probe",
    [
        "if os.path.exists('/kaggle/input'):\n    mode = 'kernel'\n",
        "if os.path.isdir('/kaggle/working/'):\n    mode = 'kernel'\n",
        "on_kernel = os.path.isdir('/kaggle/working')\n",
        "in_colab = Path('/content').exists()\n",
        "if Path('/content/drive').is_dir():\n    mode = 'colab'\n",
        "if not os.path.exists('/opt/ml'):\n    mode = 'local'\n",
    ],
)
def test_a_platform_root_tested_for_existence_is_no_location(probe: str) -> None:
    source = "import os\nfrom pathlib import Path\n\n" + probe
    assert [f for f in _found(source) if f[0] == "MLN202"] == []


def test_the_same_root_read_or_a_data_file_tested_stays_a_location() -> None:
    source = (
        "import os\nimport pandas as pd\n\n"
        "if os.path.exists('/kaggle/input'):\n"
        "    train = pd.read_csv('/kaggle/input/sales/train.csv')\n"
        "if os.path.exists('/kaggle/input/sales/test.csv'):\n"
        "    test = pd.read_csv('/kaggle/input/sales/test.csv')\n"
    )
    found = [(f[1], f[2]) for f in _found(source) if f[0] == "MLN202"]
    assert found == [
        (5, "/kaggle/input/sales/train.csv"),
        (6, "/kaggle/input/sales/test.csv"),
        (7, "/kaggle/input/sales/test.csv"),
    ]


# -- one cut-off compared twice in an if/elif chain ------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("prob > 0.5", "prob <= 0.5"),
        ("prob >= 0.7", "prob < 0.7"),
        ("0.5 < prob", "prob < 0.5"),
    ],
)
def test_one_cutoff_compared_twice_in_a_chain_is_one_finding(first: str, second: str) -> None:
    source = (
        "def decide(prob):\n"
        f"    if {first}:\n        label = 1\n"
        f"    elif {second}:\n        label = 0\n"
        "    return label\n"
    )
    assert [f[:2] for f in _found(source) if f[0] == "MLN204"] == [("MLN204", 2)]


def test_two_cutoffs_of_a_chain_stay_two_findings() -> None:
    source = (
        "def decide(prob):\n"
        "    if prob > 0.8:\n        label = 2\n"
        "    elif prob > 0.4:\n        label = 1\n"
        "    else:\n        label = 0\n"
        "    return label\n"
    )
    assert [f[:2] for f in _found(source) if f[0] == "MLN204"] == [("MLN204", 2), ("MLN204", 4)]


# -- a folder named ``visual/`` or ``viz/`` holds plotting code -----------------------------

_EMBEDDING = (
    "import numpy as np\nfrom sklearn.manifold import TSNE\n\n"
    "np.random.seed(7)\n"
    "points = TSNE(perplexity=30, random_state=3).fit_transform(np.zeros((10, 4)))\n"
    "np.save('out/points.npy', points)\n"
)


@pytest.mark.parametrize("folder", ["visual", "visuals", "viz", "visualisation"])
def test_a_plotting_folder_reports_locations_only(tmp_path: Path, folder: str) -> None:
    found = params_findings(tmp_path, {f"{folder}/embed.py": _EMBEDDING})
    assert [(f[2], f[3]) for f in found] == [("MLN202", "out/points.npy")]


@pytest.mark.parametrize("folder", ["src", "visual_encoder"])
def test_other_folders_keep_their_settings(tmp_path: Path, folder: str) -> None:
    found = params_findings(tmp_path, {f"{folder}/embed.py": _EMBEDDING})
    assert {f[2] for f in found} == {"MLN201", "MLN202", "MLN203"}
