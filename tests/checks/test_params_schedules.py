"""MLN2xx: temporary files of a run, name matching, hand-written learning-rate schedules and
a search's early stop. Fixtures written here (round 12 preparation), never copied from a
corpus repository."""

from __future__ import annotations

import ast
from pathlib import Path

from mlnudge_testing import params_findings

from mlnudge.checks.params import analyse
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule


def _module(source: str, path: str = "src/pipeline/steps.py") -> list[tuple[int | None, str, str]]:
    module = PyModule(path, source, ast.parse(source))
    found = analyse(module, build_config({}).section("params"))
    return [(f.line, f.rule, str(f.details.get("value", ""))) for f in found]


# -- a file the module deletes itself is scratch, not a location ------------------------------

_SCRATCH = (
    "import os\n"
    "\n"
    "import mlflow\n"
    "import pandas as pd\n"
    "\n"
    "\n"
    "def keep_search_table(search):\n"
    "    table = pd.DataFrame(search.cv_results_)\n"
    '    table.to_csv("search_table.csv", index=False)\n'
    '    mlflow.log_artifact("search_table.csv", artifact_path="tuning")\n'
    '    os.remove("search_table.csv")\n'
    "\n"
    "\n"
    "def keep_predictions(frame):\n"
    '    frame.to_csv("outputs/predictions.csv")\n'
)


def test_a_file_written_logged_and_deleted_is_scratch() -> None:
    found = _module(_SCRATCH)
    assert [(line, rule) for line, rule, _ in found if rule == "MLN202"] == [(15, "MLN202")]


def test_a_deleted_file_name_is_scratch_even_unlogged() -> None:
    source = (
        "import os\n"
        "\n"
        "\n"
        "def plot(fig):\n"
        '    fig.savefig("curve_tmp.png")\n'
        '    upload("curve_tmp.png")\n'
        '    os.unlink("curve_tmp.png")\n'
    )
    assert [f for f in _module(source) if f[1] == "MLN202"] == []


def test_a_folder_path_written_and_deleted_is_still_a_location() -> None:
    source = (
        "import os\n"
        "\n"
        "\n"
        "def refresh(frame):\n"
        '    frame.to_csv("data/processed/features.csv")\n'
        '    os.remove("data/processed/old.csv")\n'
    )
    assert (5, "MLN202", "data/processed/features.csv") in _module(source)


# -- testing a name's ending is matching, not a path -----------------------------------------


def test_a_suffix_test_is_no_location() -> None:
    source = (
        "def has_model(files):\n"
        '    weights = any(f.endswith("models/net.pkl") for f in files)\n'
        '    scaler = any(f.startswith("data/raw/") for f in files)\n'
        "    return weights and scaler\n"
    )
    assert [f for f in _module(source) if f[1] == "MLN202"] == []


# -- a learning-rate schedule written by hand: its milestones and factors are settings --------

_SCHEDULE = (
    "from tensorflow.keras.callbacks import LearningRateScheduler\n"
    "\n"
    "\n"
    "def stepped(epoch, lr):\n"
    "    if epoch < 25:\n"
    "        return lr\n"
    "    elif epoch < 45:\n"
    "        return lr / 4\n"
    "    return lr * 0.05\n"
    "\n"
    "\n"
    "def warm(step, width):\n"
    "    if step < 500:\n"
    "        return width\n"
    "    return width / 2\n"
    "\n"
    "\n"
    "callback = LearningRateScheduler(lambda e: stepped(e, 0.002))\n"
)


def test_hand_written_schedule_milestones_and_factors() -> None:
    found = [(line, value) for line, rule, value in _module(_SCHEDULE) if rule == "MLN201"]
    assert (5, "25") in found
    assert (7, "45") in found
    assert (8, "4") in found
    assert (9, "0.05") in found
    assert not [f for f in found if f[0] in (13, 15)]  # no epoch, no learning rate


# -- a search's early stop: its patience is a setting ------------------------------------------


def test_hyperopt_early_stop_patience() -> None:
    source = (
        "from hyperopt import fmin, tpe\n"
        "from hyperopt.early_stop import no_progress_loss\n"
        "\n"
        "\n"
        "def search(objective, space, budget):\n"
        "    return fmin(\n"
        "        objective, space, algo=tpe.suggest, max_evals=budget,\n"
        "        early_stop_fn=no_progress_loss(12),\n"
        "    )\n"
    )
    assert (8, "MLN201", "12") in _module(source)


# -- an entry point's settings dict and its ablation grid ------------------------------------

_ENTRY = (
    "import copy\n"
    "\n"
    "BASE = {\n"
    '    "epochs": 12,\n'
    '    "grad_clip": 0.5,\n'
    '    "val_ratio": 0.2,\n'
    "}\n"
    "\n"
    "ABLATION_RUNS = {\n"
    '    "depth": [("shallow", {"layers": 2}), ("deep", {"layers": 6})],\n'
    '    "aug": [("flip", {"flip": True})],\n'
    "}\n"
    "\n"
    "RESULTS = {\n"
    '    "depth": [("shallow", {"score": 2}), ("deep", {"score": 6})],\n'
    "}\n"
    "\n"
    "\n"
    "def main(train):\n"
    "    for study, variants in ABLATION_RUNS.items():\n"
    "        for name, change in variants:\n"
    "            cfg = copy.deepcopy(BASE)\n"
    "            cfg.update(change)\n"
    "            train(cfg, name)\n"
)


def test_clipping_and_validation_share_in_a_settings_dict() -> None:
    found = {(line, value) for line, rule, value in _module(_ENTRY) if rule == "MLN201"}
    assert {(5, "0.5"), (6, "0.2")} <= found


def test_an_ablation_grid_is_one_search_space() -> None:
    found = [(line, rule) for line, rule, _ in _module(_ENTRY) if rule == "MLN209"]
    assert found == [(9, "MLN209")]  # not the results table beside it


# -- a keyword the configuration holds under the same name ------------------------------------

_TILES = {
    "conf/params.yaml": "data:\n  tiles: 36\n  workers: 4\n",
    "src/prepare.py": (
        "def tile_slide(path, tiles, workers):\n"
        "    return path, tiles, workers\n"
        "\n"
        "\n"
        "def main(paths):\n"
        "    return [tile_slide(p, tiles=25, workers=8) for p in paths]\n"
    ),
    "src/benchmark.py": (
        "from src.prepare import tile_slide\n"
        "\n"
        "\n"
        "def protocol(path):\n"
        "    return tile_slide(path, tiles=4), tile_slide(path, tiles=9)\n"
    ),
}


def test_a_configured_setting_fixed_for_one_call(tmp_path: Path) -> None:
    found = params_findings(tmp_path, _TILES)
    assert [f for f in found if f[0] == "src/prepare.py"] == [("src/prepare.py", 6, "MLN201", "25")]
    assert [f for f in found if f[0] == "src/benchmark.py"] == []  # cases, one value each


# -- the chance of a random branch -------------------------------------------------------------

_CHANCE = (
    "import random\n"
    "\n"
    "import numpy as np\n"
    "\n"
    "\n"
    "def augment_sample(image, label):\n"
    "    draw = np.random.rand()\n"
    "    if draw > 0.7:\n"
    "        image = image[::-1]\n"
    "    if random.random() < 0.25:\n"
    "        image = image * 2\n"
    "    if label > 0.5:\n"
    "        label = 1\n"
    "    return image, label\n"
    "\n"
    "\n"
    "def simulate(rows):\n"
    "    if random.random() < 0.1:\n"
    "        rows = rows + [999]\n"
    "    return rows\n"
)


def test_the_chance_of_a_random_branch_is_a_setting() -> None:
    found = [(line, value) for line, rule, value in _module(_CHANCE) if rule == "MLN201"]
    assert found == [(8, "0.7"), (10, "0.25")]  # not the simulator's outlier rate (line 18)


# -- a URL to upstream source code is a dependency, not data -----------------------------------


def test_a_source_file_url_is_no_location() -> None:
    source = (
        "from urllib import request\n"
        "\n"
        'HELPER_URL = "https://raw.githubusercontent.com/org/proj/main/lib/records_pb2.py"\n'
        'TABLE_URL = "https://raw.githubusercontent.com/org/proj/main/data/table.csv"\n'
        "\n"
        "\n"
        "def fetch():\n"
        '    request.urlretrieve(HELPER_URL, "records_pb2.py")\n'
        "    return TABLE_URL\n"
    )
    assert [(line, rule) for line, rule, _ in _module(source) if rule == "MLN202"] == [
        (4, "MLN202")
    ]
