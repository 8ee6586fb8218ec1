"""MLN201/MLN202/MLN203 classes of acc-params-18: installable packages are no data, an offline
Kaggle kernel's mounts are fixed by the platform, and a class built from parsed flags or a
config gets its arguments from there. Fixtures written here from scratch, never copied from a
corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings, params_values


def _found(source: str, path: str = "kernels/predict.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


# -- a wheel or an egg is code to install, never a data location ------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "../input/offline-pkgs/tokenizers-0.10.3-cp37-cp37m-manylinux1_x86_64.whl",
        "wheels/lightgbm-3.2.1-py3-none-any.whl",
        "dist/mytool-0.1-py3.8.egg",
    ],
)
def test_an_installable_package_is_no_data(value: str) -> None:
    source = f'import subprocess\n\nPACKAGE_FILE = "{value}"\nsubprocess.run(["pip", "install", PACKAGE_FILE])\n'
    assert [f for f in _found(source) if f[0] == "MLN202"] == []


def test_a_data_archive_beside_a_wheel_is_still_data() -> None:
    source = 'import pandas as pd\n\nframe = pd.read_csv("data/raw/readings.csv.gz")\n'
    assert [f[0] for f in _found(source)] == ["MLN202"]


# -- an offline Kaggle kernel: its input mounts and submission name are the platform's ---------

_KERNEL = (
    "import subprocess\n"
    "import pandas as pd\n"
    "\n"
    'subprocess.call(["pip", "install", "../input/offline-wheels/timm-0.4.12-py3-none-any.whl"])\n'
    "\n"
    'test = pd.read_csv("../input/some-competition/test.csv")\n'
    'weights = "/kaggle/input/my-trained-models/fold0.pt"\n'
    "test['target'] = 0.5\n"
    'test.to_csv("submission.csv", index=False)\n'
    'test.to_csv("outputs/extra/preds.csv", index=False)\n'
)


def test_an_offline_kernels_mounts_are_fixed_by_the_platform() -> None:
    found = [f for f in _found(_KERNEL) if f[0] == "MLN202"]
    # the competition's input, the uploaded models and `submission.csv` stay silent; a folder
    # of the author's own choosing is still a location
    assert found == [("MLN202", 10, "outputs/extra/preds.csv")]


@pytest.mark.parametrize(
    "install",
    [
        "",  # no wheel installed from the mounts: an ordinary script laid out like a kernel
        'subprocess.call(["pip", "install", "textstat"])\n',  # installs from the internet
    ],
)
def test_input_paths_outside_an_offline_kernel_are_locations(install: str) -> None:
    source = (
        "import subprocess\nimport pandas as pd\n\n"
        + install
        + 'train = pd.read_csv("../input/some-competition/train.csv")\n'
    )
    assert [f[0] for f in _found(source, "src/train.py") if f[0] == "MLN202"] == ["MLN202"]


def test_a_notebook_shell_install_marks_a_kernel() -> None:
    source = (
        "import pandas as pd\n"
        "pass  # magic: !pip install ../input/wheels/pkg-1.0-py3-none-any.whl --no-deps\n"
        'test = pd.read_csv("../input/some-competition/test.csv")\n'
    )
    assert [f for f in _found(source) if f[0] == "MLN202"] == []


# -- a class built from parsed flags or a config gets its arguments from there ----------------

_LOADERS = (
    "class ReviewData:\n"
    "    def __init__(self, batch_size=64, seed=13, n_folds=4):\n"
    "        self.batch_size, self.seed, self.n_folds = batch_size, seed, n_folds\n"
)


@pytest.mark.parametrize(
    ("call", "silent"),
    [
        ("ReviewData.from_argparse_args(args)", True),
        ("ReviewData().from_argparse_args(args)", True),
        ("ReviewData.from_config(cfg)", True),
        ("ReviewData(**vars(args))", True),
        ("ReviewData()", False),  # every default is what runs
    ],
)
def test_a_class_built_from_settings_has_no_relied_defaults(
    tmp_path: Path, call: str, silent: bool
) -> None:
    runner = f"from loaders import ReviewData\n\n\ndef main(args, cfg):\n    return {call}\n"
    found = params_findings(tmp_path, {"loaders.py": _LOADERS, "run.py": runner})
    relied = [f for f in found if f[0] == "loaders.py"]
    assert (relied == []) is silent


# -- a path joined to where a tracking run keeps its artifacts is inside the run ---------------


@pytest.mark.parametrize(
    "expression",
    [
        'version.source.split("artifacts/model")[0] + "artifacts/encoders/vectorizer.pkl"',
        'run.info.artifact_uri + "/reports/metrics.json"',
        'mlflow.get_artifact_uri() + "/plots/curve.png"',
    ],
)
def test_a_path_inside_a_tracking_run_is_no_location(expression: str) -> None:
    source = (
        "import mlflow\n\n\n"
        "def fetch(version, run):\n"
        f"    remote_file = {expression}\n"
        '    return mlflow.artifacts.download_artifacts(artifact_uri=remote_file, dst_path=".")\n'
    )
    assert [f for f in _found(source, "serve/fetch.py") if f[0] == "MLN202"] == []


def test_a_data_folder_joined_to_a_project_root_is_still_a_location() -> None:
    source = 'import os\n\nroot = os.getcwd()\ntrain_file = root + "/data/raw/train.csv"\n'
    assert [f[0] for f in _found(source, "src/train.py")] == ["MLN202"]


# -- a hand-written schedule whose rate is spelled as a constant -------------------------------


@pytest.mark.parametrize(("epoch", "rate"), [("epoch", "LR"), ("EPOCH", "BASE_LR"), ("ep", "lr")])
def test_a_schedule_with_an_upper_case_rate_is_a_schedule(epoch: str, rate: str) -> None:
    source = (
        f"def decay({epoch}, {rate}):\n"
        f"    current = {rate}\n"
        f"    if {epoch} > 44:\n"
        f"        current = {rate} / 10\n"
        "    return current\n"
    )
    found = [(r, line, value) for r, line, value in _found(source, "src/train.py")]
    assert ("MLN201", 3, "44") in found
    assert ("MLN201", 4, "10") in found


# -- a placeholder folder is a location each user must edit in the code ------------------------


@pytest.mark.parametrize(
    ("value", "reported"),
    [
        ("/INSERT_PATH/", True),
        ("/path/to/your/images", True),
        ("/YOUR_DATA_DIR/", True),
        ("/usr/share/dict/", False),  # a system folder, the same on every machine
        ("/opt/insert/", False),
    ],
)
def test_a_placeholder_folder_is_a_location(value: str, reported: bool) -> None:
    source = f'import os\n\nfiles = os.listdir("{value}")\n'
    found = [f[0] for f in _found(source, "src/data.py") if f[0] == "MLN202"]
    assert (found == ["MLN202"]) is reported
