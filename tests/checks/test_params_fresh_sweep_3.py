"""MLN2xx classes of acc-params-23, seen on eight repositories nobody here had read (labelled
before mlnudge ran on them). Each fixture is written here from scratch, never copied from a
corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings, params_values


def _found(source: str, path: str = "train.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


def _lines(source: str, rule: str, path: str = "train.py") -> list[int]:
    return [line for found, line, _ in _found(source, path) if found == rule]


# -- a class the project defines is its own, whatever library class shares its name --------


def test_the_projects_own_class_is_not_a_library_model_of_the_same_name() -> None:
    source = (
        "import torch.nn as nn\n\n"
        "class UNet(nn.Module):\n"
        "    def __init__(self, n_channels, n_classes):\n"
        "        super().__init__()\n"
        "        self.first = nn.Conv2d(n_channels, 64, kernel_size=3)\n"
        "        self.last = nn.Conv2d(64, n_classes, kernel_size=1)\n\n"
        "net = UNet(n_channels=12, n_classes=1)\n"
    )
    assert _lines(source, "MLN201") == []


def test_the_library_model_imported_by_its_name_keeps_its_table() -> None:
    source = (
        "from monai.networks.nets import UNet\n\n"
        "net = UNet(spatial_dims=3, in_channels=1, out_channels=2, channels=(16, 32, 64),\n"
        "           strides=(2, 2), dropout=0.2)\n"
    )
    assert ("MLN201", 4, "0.2") in _found(source)


# -- a cut-off inside a function that only draws picks what the picture shows -------------


def test_a_cutoff_in_a_drawing_function_is_silent_and_stays_in_scoring() -> None:
    source = (
        "import matplotlib.pyplot as plt\n\n"
        "def show_masks(net, batch, out='figs'):\n"
        "    fig, axes = plt.subplots(2, 2)\n"
        "    probs = net(batch).sigmoid()\n"
        "    axes[0, 0].imshow(probs[0] > 0.6)\n"
        "    plt.savefig(f'{out}/masks.png')\n\n"
        "def score_masks(net, batch):\n"
        "    probs = net(batch).sigmoid()\n"
        "    return (probs > 0.6).float()\n"
    )
    assert _lines(source, "MLN204") == [11]


# -- the least size of a step: asked of two samples it is one; a history cap is none -------


def test_one_least_size_asked_of_two_samples_is_one_finding() -> None:
    source = (
        "def compare(reference, current):\n"
        "    if len(reference) < 30 or len(current) < 30:\n"
        "        return None\n"
        "    if len(reference) > 50 and len(current) > 80:\n"
        "        return 'big'\n"
        "    return 'small'\n"
    )
    assert [(line, value) for rule, line, value in _found(source) if rule == "MLN204"] == [
        (2, "30"),
        (4, "50"),
        (4, "80"),
    ]


def test_trimming_a_history_to_its_last_items_is_no_size_gate() -> None:
    source = (
        "def remember(state, run):\n"
        "    state.history.append(run)\n"
        "    if len(state.history) > 25:\n"
        "        state.history = state.history[-25:]\n"
    )
    assert _lines(source, "MLN204") == []


# -- a comparison that only picks the words of a message decides nothing ------------------


def test_a_chain_that_only_words_a_printed_status_is_silent() -> None:
    source = (
        "def summary(share, p):\n"
        "    if share > 0.6:\n"
        "        status = 'many columns drifted'\n"
        "    elif share > 0.3:\n"
        "        status = f'some drift ({share:.0%})'\n"
        "    else:\n"
        "        status = 'stable'\n"
        "    print(f'verdict: {status}')\n"
        "    if p < 0.001:\n"
        "        shown = '<0.001'\n"
        "    else:\n"
        "        shown = f'{p:.4f}'.rstrip('0')\n"
        "    return {'text': 'p=' + str(shown)}\n"
    )
    assert _lines(source, "MLN204") == []


@pytest.mark.parametrize(
    "use",
    [
        "    return kind\n",
        "    if kind == 'spam':\n        quarantine()\n",
        "    rows['label'] = kind\n",
    ],
)
def test_a_chosen_label_that_is_used_stays_a_decision(use: str) -> None:
    source = (
        "def triage(prob, rows):\n"
        "    if prob > 0.7:\n"
        "        kind = 'spam'\n"
        "    else:\n"
        "        kind = 'ham'\n" + use
    )
    assert _lines(source, "MLN204") == [2]


# -- a count weighted into a running total is no split ----------------------------------------


def test_a_count_weighted_into_a_total_is_no_split_share() -> None:
    source = (
        "def quality(frame, problems):\n"
        "    score = 1.0\n"
        "    score -= len(problems) * 0.15\n"
        "    n_fit = int(len(frame) * 0.85)\n"
        "    return score, frame[:n_fit]\n"
    )
    assert [(line, value) for rule, line, value in _found(source) if rule == "MLN201"] == [
        (4, "0.85")
    ]


# -- a bare file name handed to the project's own object holds no folder --------------------


def test_bare_names_handed_to_a_project_objects_methods_are_names(tmp_path: Path) -> None:
    files = {
        "src/__init__.py": "",
        "src/store.py": "class Store:\n    def read(self, kind, name):\n        ...\n",
        "src/jobs/__init__.py": "",
        "src/jobs/run.py": (
            "from pathlib import Path\n"
            "import pandas as pd\n\n"
            "def job(cfg):\n"
            "    from src.store import Store\n"
            "    store = Store(cfg)\n"
            "    frame = store.read('raw', 'clients.csv')\n"
            "    other = store.read('raw', Path('orders.csv'))\n"
            "    target = 'scores.csv'\n"
            "    store.write(frame, 'scored', target)\n"
            "    frame.to_csv('dump.csv')\n"
            "    return other\n"
        ),
        "app/main.py": (
            "try:\n    from src.store import Store\nexcept ImportError:\n    Store = None\n\n"
            "def page(cfg):\n"
            "    store = Store(cfg)\n"
            "    return store.read('features', 'latest.parquet')\n"
        ),
    }
    found = [
        (p, line, v) for p, line, rule, v in params_findings(tmp_path, files) if rule == "MLN202"
    ]
    assert found == [("src/jobs/run.py", 11, "dump.csv")]


def test_dotted_project_imports_are_helpers_by_the_listing() -> None:
    from mlnudge.checks.params.imports import flat_imports, own_helpers

    text = "from src.utils.io import Table, load_table\nfrom sklearn.base import clone\n"
    rows = flat_imports(text)
    assert rows == [["src.utils.io", ["Table", "load_table"]], ["sklearn.base", ["clone"]]]
    # a class of a dotted project module holds its folders; its functions stay as they were
    assert own_helpers("app/run.py", rows, {"src/utils/io.py"}) == ("Table",)


def test_a_wrapper_named_as_the_library_class_it_imports_keeps_the_library_table() -> None:
    source = (
        "from sklearn.svm import SVC\n\n"
        "class SVC(Base):\n"
        "    def fit(self, x, y):\n"
        "        return SVC(C=3.0, kernel='poly').fit(x, y)\n"
    )
    assert [rule for rule, _, _ in _found(source)] == ["MLN201", "MLN201"]


# -- patterns, folder names, single joins, directories, object keys, zoo weights ------------


@pytest.mark.parametrize(
    ("line", "reported"),
    [
        ("files = sorted(Path(root).glob('scores_*.csv'))\n", False),
        ("files = glob.glob('data/raw/*.csv')\n", True),
        ("pipe.save_pretrained('./sd-2.1-base')\n", True),
        ("dataset_path = os.path.join('./dataset')\n", True),
        ("images_directory = '/srv/team/images'\n", True),
        ("s3.upload_file(local, bucket, 'checkpoints_v2/net.pt')\n", True),
        ("s3.put_object(Bucket=bucket, Key='reports/daily.json', Body=b'')\n", True),
        ("detector = YOLO('yolov8n.pt')\n", False),
        ("detector = YOLO('runs/detect/exp/weights/best.pt')\n", True),
    ],
)
def test_where_the_code_reads_or_writes(line: str, reported: bool) -> None:
    source = "import glob\nimport os\nfrom pathlib import Path\nfrom ultralytics import YOLO\n\n"
    source += "def run(pipe, s3, bucket, local, root):\n    " + line + "    return None\n"
    assert bool(_lines(source, "MLN202", "pipeline.py")) is reported


# -- cut-offs under other shapes -------------------------------------------------------------


def test_a_row_filter_on_a_multiindex_column_is_a_cutoff() -> None:
    source = "def clean(df):\n    return df[df[('Flat', 'Area')] < 350]\n"
    assert _found(source, "clean.py") == [("MLN204", 2, "350")]


def test_a_threshold_key_holding_a_floor_reports_the_floor() -> None:
    source = (
        "def alerts(best):\n"
        "    return {\n"
        "        'auc_threshold': max(0.8, best['auc'] * 0.9),\n"
        "        'loss_threshold': min(0.4, best['loss'] * 1.2),\n"
        "        'name': 'alerts',\n"
        "    }\n"
    )
    assert [(line, value) for rule, line, value in _found(source) if rule == "MLN204"] == [
        (3, "0.8"),
        (4, "0.4"),
    ]


def test_a_constant_compared_with_a_p_value_is_that_cutoff() -> None:
    source = (
        "from scipy import stats\n\n"
        "SIGNIFICANCE = 0.01\n"
        "TINY = 1e-12\n\n"
        "def drifted(a, b):\n"
        "    _, ks_p_value = stats.ks_2samp(a, b)\n"
        "    if ks_p_value < SIGNIFICANCE:\n"
        "        return True\n"
        "    return ks_p_value < SIGNIFICANCE or a.std() < TINY\n"
    )
    assert [(line, value) for rule, line, value in _found(source) if rule == "MLN204"] == [
        (3, "0.01")
    ]


def test_a_rate_in_percent_compared_with_an_integer_is_a_cutoff() -> None:
    source = (
        "def checks(df):\n"
        "    missing_pct = df.isnull().mean().max() * 100\n"
        "    duplicate_percentage = df.duplicated().mean() * 100\n"
        "    progress_percent = 50\n"
        "    return {\n"
        "        'missing_ok': missing_pct < 15,\n"
        "        'dupes_ok': duplicate_percentage <= 2,\n"
        "        'half_way': progress_percent > 40,\n"
        "    }\n"
    )
    assert [(line, value) for rule, line, value in _found(source) if rule == "MLN204"] == [
        (6, "15"),
        (7, "2"),
    ]


# -- parameter files: a tracked run's record is none; a Hydra primary config is the one ----


def test_a_tracked_runs_config_is_no_parameter_file(tmp_path: Path) -> None:
    from mlnudge.checks.params.config import is_config_file

    assert not is_config_file("wandb/run-20240101_120000-abc/files/config.yaml")
    assert not is_config_file("mlruns/0/abc/params/config.yaml")
    assert is_config_file("configs/train.yaml")
    files = {
        "wandb/run-20240101_120000-abc/files/config.yaml": "lr:\n  value: 0.1\n",
        "train.py": "import torch\n\nopt = torch.optim.SGD(params, lr=0.05)\n",
    }
    report = params_findings(tmp_path, files)
    assert [rule for _, _, rule, _ in report] == ["MLN201"]


def test_a_hydra_projects_primary_config_is_proposed(tmp_path: Path) -> None:
    from mlnudge.config import build_config
    from mlnudge.runner import run

    files = {
        "configs/callbacks/default.yaml": "early_stopping:\n  patience: 3\n",
        "configs/model/net.yaml": "lr: 0.001\n",
        "configs/train.yaml": "defaults:\n  - model: net\nseed: 7\n",
        "src/split.py": "import random\n\nshare = int(len(files) * 0.75)\n",
    }
    from mlnudge_testing import write_tree

    write_tree(tmp_path, files)
    report = run(tmp_path, build_config({}), families=["params"], use_cache=False)
    proposed = {f.details.get("config_file") for f in report.findings if f.rule == "MLN201"}
    assert proposed == {"configs/train.yaml"}
