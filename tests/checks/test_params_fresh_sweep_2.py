"""MLN2xx classes of acc-params-20 (a second sweep of fresh repositories): a flat helper
module's ``__main__`` block is a smoke test, a search's starting value is no setting, a run's
dumped parameters are no parameter file, an environment variable's fallback is configurable
and a host folder mounted into a container is a machine's location. Fixtures written here
from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings, params_values

from mlnudge.checks.params.config import is_config_file
from mlnudge.checks.params.imports import flat_imports, imported_modules


def _found(source: str, path: str = "train_net.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


# -- a flat module the code imports: its ``__main__`` block tries it out ---------------------

_HELPER = (
    "import numpy as np\n\n\n"
    "def make_split(rows, seed):\n"
    "    rng = np.random.default_rng(seed)\n"
    "    return rng.permutation(rows)\n\n\n"
    "if __name__ == '__main__':\n"
    "    batch_size = 64\n"
    "    np.random.seed(123)\n"
    "    print(make_split(list(range(10)), 0)[:batch_size])\n"
)


@pytest.mark.parametrize(
    "importer",
    [
        "from splits import make_split\n\nrows = make_split(load(), seed=args.seed)\n",
        "import splits\n\nrows = splits.make_split(load(), seed=args.seed)\n",
        "import splits as sp\n\nrows = sp.make_split(load(), seed=args.seed)\n",
    ],
)
def test_an_imported_flat_modules_main_block_is_a_smoke_test(tmp_path: Path, importer: str) -> None:
    found = params_findings(tmp_path, {"src/splits.py": _HELPER, "src/fit.py": importer})
    assert [f for f in found if f[0] == "src/splits.py"] == []


def test_a_flat_module_nothing_imports_keeps_its_main_block(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/splits.py": _HELPER})
    assert [(f[2], f[3]) for f in found] == [("MLN201", "64"), ("MLN203", "123")]


def test_a_test_importing_the_module_makes_no_helper_of_it(tmp_path: Path) -> None:
    test = "from splits import make_split\n\n\ndef test_split():\n    assert make_split([1], 0)\n"
    found = params_findings(tmp_path, {"splits.py": _HELPER, "tests/test_splits.py": test})
    assert [f[2] for f in found if f[0] == "splits.py"] == ["MLN201", "MLN203"]


def test_a_helper_module_a_runner_runs_is_an_entry_point(tmp_path: Path) -> None:
    # ``python src/splits.py`` in a Makefile: the block is the run, imported elsewhere or not
    files = {
        "src/splits.py": _HELPER,
        "src/fit.py": "from splits import make_split\n",
        "Makefile": "split:\n\tpython src/splits.py\n",
    }
    found = params_findings(tmp_path, files)
    assert [f[2] for f in found if f[0] == "src/splits.py"] == ["MLN201", "MLN203"]


def test_a_training_module_imported_elsewhere_keeps_its_block(tmp_path: Path) -> None:
    # a module named for training is an entry point whoever imports it
    trainer = _HELPER.replace("make_split", "fit_model")
    files = {"train_model.py": trainer, "serve.py": "from train_model import fit_model\n"}
    found = params_findings(tmp_path, files)
    assert [f[2] for f in found if f[0] == "train_model.py"] == ["MLN201", "MLN203"]


def test_a_helper_block_that_only_runs_its_step_is_a_run(tmp_path: Path) -> None:
    # nothing looked at: the block runs the step with its settings (``clean(test_size=0.3)``)
    helper = _HELPER.replace("    print(make_split(list(range(10)), 0)[:batch_size])\n", "")
    helper += "    save(make_split(load(), 0), batch_size)\n"
    found = params_findings(tmp_path, {"src/splits.py": helper, "src/fit.py": "import splits\n"})
    assert {(f[2], f[3]) for f in found if f[0] == "src/splits.py"} >= {
        ("MLN201", "64"),
        ("MLN203", "123"),
    }


def test_plain_imports_are_read_as_module_rows() -> None:
    text = "import data\nimport utils as u  # helpers\nfrom model import Net\nimport os.path\n"
    assert flat_imports(text) == [["model", ["Net"]], ["data", []], ["utils", []]]
    rows = {"a/fit.py": flat_imports(text), "a/data.py": []}
    files = {"a/fit.py", "a/data.py", "utils.py", "a/model.py"}
    assert imported_modules(rows, rows.get, files) == {"a/data.py", "utils.py", "a/model.py"}


# -- the starting value of a search is no setting ----------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        # a running best threshold: the grid is the search, 0.5 where it starts
        "def tune(probs, y):\n"
        "    best_thresh = 0.5\n"
        "    best_f1 = 0\n"
        "    for thresh in np.arange(0.1, 0.9, 0.05):\n"
        "        f1 = f1_score(y, probs >= thresh)\n"
        "        if f1 > best_f1:\n"
        "            best_f1 = f1\n"
        "            best_thresh = thresh\n"
        "    return best_thresh\n",
        # the same at module level (a notebook cell), over a list of candidates
        "best_threshold = 0.5\n"
        "for i, threshold in enumerate(candidates):\n"
        "    if score(threshold) > best:\n"
        "        best_threshold = threshold\n",
    ],
)
def test_a_search_starting_value_is_no_setting(source: str) -> None:
    assert [f for f in _found(source) if f[0] == "MLN204"] == []


@pytest.mark.parametrize(
    "source",
    [
        # reassigned in a loop, but from no candidate: the starting value is the setting
        "def fit(probs):\n"
        "    threshold = 0.35\n"
        "    for epoch in range(3):\n"
        "        threshold = threshold * 0.9\n"
        "    return probs > threshold\n",
        # a search below that never touches this name
        "threshold = 0.35\nfor t in grid:\n    other = t\n",
    ],
)
def test_a_threshold_not_kept_by_a_search_is_a_setting(source: str) -> None:
    assert [(f[0], f[2]) for f in _found(source)] == [("MLN204", "0.35")]


# -- a run's dumped parameters are no parameter file -------------------------------------------


@pytest.mark.parametrize(
    ("path", "config"),
    [
        ("models/params.json", False),
        ("ml_project/models/params.json", False),
        ("artifacts/params.yaml", False),
        ("lightning_logs/hparams.yaml", False),
        ("params.json", True),
        ("configs/models/params.yaml", True),  # a Hydra group named for models
        ("conf/model/resnet.yaml", True),
        # a fine-tuned model's folder under models/, and a renamed tracking folder
        ("models/bert_tuned/config.json", False),
        ("models/bert_tuned/tokenizer_config.json", False),
        ("mlruns_xgb/1/ab12/artifacts/config.yaml", False),
    ],
)
def test_a_parameter_file_in_a_run_output_folder_is_a_record(path: str, config: bool) -> None:
    assert is_config_file(path) is config


# -- an environment variable's fallback is configurable already --------------------------------


def test_a_fallback_after_reading_the_environment_is_configurable(tmp_path: Path) -> None:
    source = (
        "import os\nimport joblib\n\n\n"
        "def load_model():\n"
        "    path = os.getenv('MODEL_PATH')\n"
        "    if path is None:\n"
        "        path = os.path.join('models', 'model.pkl')\n"
        "    return joblib.load(path)\n\n\n"
        "def load_encoder():\n"
        "    path = 'models/encoder.pkl'\n"
        "    return joblib.load(path)\n"
    )
    found = params_findings(tmp_path, {"serve.py": source})
    assert [(f[1], f[2], f[3]) for f in found] == [(13, "MLN202", "models/encoder.pkl")]


# -- a host folder mounted into a container is one machine's location --------------------------


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (
            "DockerOperator(task_id='t', volumes=['/home/ann/project/data:/data'])",
            "/home/ann/project/data",
        ),
        (
            "client.containers.run('img', volumes={'/mnt/raw/images': {'bind': '/data'}})",
            "/mnt/raw/images",
        ),
    ],
)
def test_a_mounted_host_folder_is_a_machines_location(call: str, value: str) -> None:
    assert [(f[0], f[2]) for f in _found(f"op = {call}\n", "dags/train_dag.py")] == [
        ("MLN202", value)
    ]


@pytest.mark.parametrize(
    "call",
    [
        "DockerOperator(task_id='t', volumes=['./data:/data'])",  # beside the project
        "DockerOperator(task_id='t', volumes=['model_store:/models'])",  # a named volume
        "DockerOperator(task_id='t', volumes=[f'{host_dir}:/data'])",
    ],
)
def test_a_relative_or_named_mount_is_silent(call: str) -> None:
    assert _found(f"op = {call}\n", "dags/train_dag.py") == []
