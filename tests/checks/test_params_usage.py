"""MLN2xx decided by how the code uses a value: defaults every call relies on, CLI defaults the
pipeline never passes, scripts the runners run, the rows a cleaning step keeps, dict entries
read into hyperparameters, files an MLflow run uploads. Fixtures written here (round 8
preparation, issue 10), never copied from a corpus repository."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from mlnudge_testing import params_findings

from mlnudge.checks.params import analyse
from mlnudge.checks.params.runs import command_facts, resolve
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule


def _module(source: str) -> list[tuple[int | None, str, str]]:
    module = PyModule("src/pipeline/steps.py", source, ast.parse(source))
    found = analyse(module, build_config({}).section("params"))
    return [(f.line, f.rule, str(f.details.get("value", ""))) for f in found]


def _findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int | None, str, str]]:
    return params_findings(tmp_path, files)


# -- a default every call relies on is the value the pipeline runs with ------------------------

_SPLITS = (
    "import numpy as np\n"
    "\n"
    "\n"
    "def make_splits(frame, train=0.75, seed=11, batch_size=16, out_dir='data/splits'):\n"
    "    rng = np.random.default_rng(seed)\n"
    "    return frame, rng, train, batch_size, out_dir\n"
    "\n"
    "\n"
    "def never_called(frame, learning_rate=0.2):\n"
    "    return frame\n"
    "\n"
    "\n"
    "def always_given(frame, n_estimators=250):\n"
    "    return frame\n"
    "\n"
    "\n"
    "def three_way(frame, split_shares=(0.7, 0.2), model_dir='artifacts', name='x.csv'):\n"
    "    return frame\n"
)

_PIPELINE = (
    "from splits import always_given, make_splits\n"
    "\n"
    "\n"
    "class Head:\n"
    "    def __init__(self, width, dropout=0.35, lr=0.02):\n"
    "        self.width = width\n"
    "\n"
    "\n"
    "def run(frame):\n"
    "    parts = make_splits(frame, batch_size=48)\n"
    "    given = always_given(frame, 400)\n"
    "    three_way(frame)\n"
    "    head = Head(8, lr=0.05)\n"
    "    return parts, given, head\n"
)


def test_defaults_no_call_overrides_are_the_runs_settings(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"splits.py": _SPLITS, "pipeline.py": _PIPELINE})
    # the split share, the seed and the output folder of `make_splits` (its only call passes
    # batch_size alone), the head's dropout (its call passes lr); a function nobody calls and
    # a default a call replaces stay the signature's
    assert [f for f in found if f[0] == "splits.py"] == [
        ("splits.py", 4, "MLN201", "0.75"),
        ("splits.py", 4, "MLN202", "data/splits"),
        ("splits.py", 4, "MLN203", "11"),
        # each share of a split, and a folder a path-named parameter holds (not a file name)
        ("splits.py", 17, "MLN201", "0.2"),
        ("splits.py", 17, "MLN201", "0.7"),
        ("splits.py", 17, "MLN202", "artifacts"),
    ]
    assert ("pipeline.py", 5, "MLN201", "0.35") in found
    assert not [f for f in found if f[0] == "pipeline.py" and f[1] == 5 and f[3] == "0.02"]


def test_a_default_some_call_passes_or_a_function_handed_on_stays_silent(tmp_path: Path) -> None:
    other = (
        "from splits import make_splits\n\n"
        "def later(frame):\n"
        "    three_way(frame, (0.5, 0.5), 'models')\n"
        "    return make_splits(frame, 0.6, 3, out_dir='data/other')\n"
    )
    found = _findings(tmp_path, {"splits.py": _SPLITS, "pipeline.py": _PIPELINE, "other.py": other})
    assert not [f for f in found if f[0] == "splits.py"]
    # handed to a pipeline framework (a Kedro node, a scheduler): its callers are unknown
    kedro = "from splits import make_splits\n\nNODES = [node(func=make_splits, inputs='raw')]\n"
    (tmp_path / "other.py").unlink()
    found = _findings(tmp_path, {"nodes.py": kedro})
    assert not [f for f in found if f[0] == "splits.py" and f[1] == 4]


def test_an_estimators_constructor_is_its_hyperparameter_api(tmp_path: Path) -> None:
    estimator = (
        "class Stumps:\n"
        "    def __init__(self, n_estimators=40, random_state=3):\n"
        "        self.n_estimators = n_estimators\n\n"
        "    def fit(self, xs, ys):\n"
        "        return self\n\n"
        "    def predict(self, xs):\n"
        "        return xs\n"
    )
    caller = "from stumps import Stumps\n\nmodel = Stumps().fit(xs, ys)\n"
    assert _findings(tmp_path, {"stumps.py": estimator, "fit_stumps.py": caller}) == []


def test_naming_a_class_in_super_or_isinstance_hands_nothing_on(tmp_path: Path) -> None:
    # the Python 2 spelling of super (common in PyTorch modules) and a type check name the
    # class without calling it or handing it to a framework: the one call still decides
    model = (
        "import torch\n\n\n"
        "class Tagger(torch.nn.Module):\n"
        "    def __init__(self, vocab, hidden=96, dropout=0.15):\n"
        "        super(Tagger, self).__init__()\n"
        "        self.rnn = torch.nn.GRU(vocab, hidden)\n"
        "        self.drop = torch.nn.Dropout(dropout)\n\n"
        "    def merge(self, other):\n"
        "        if not isinstance(other, Tagger):\n"
        "            raise TypeError(other)\n"
        "        return other\n"
    )
    caller = "from tagger import Tagger\n\nnet = Tagger(5000, hidden=128)\n"
    found = _findings(tmp_path, {"tagger.py": model, "train_tagger.py": caller})
    assert ("tagger.py", 5, "MLN201", "0.15") in found
    assert not [f for f in found if f[0] == "tagger.py" and f[3] == "96"]
    # handed on for real (a registry of models a framework builds): callers unknown again
    registry = "from tagger import Tagger\n\nMODELS = {'tagger': Tagger}\n"
    found = _findings(tmp_path, {"registry.py": registry})
    assert not [f for f in found if f[0] == "tagger.py"]


def test_tests_are_no_callers(tmp_path: Path) -> None:
    test = "from splits import make_splits\n\ndef test_split():\n    make_splits([1, 2])\n"
    found = _findings(tmp_path, {"splits.py": _SPLITS, "tests/test_splits.py": test})
    assert found == []


def test_a_librarys_defaults_stay_silent(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "tinysplit"\nversion = "1.0"\nlicense = "MIT"\n'
        'description = "Splits"\nreadme = "README.md"\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
        '[project.urls]\nHomepage = "https://example.org"\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "README.md": "# tinysplit\n",
        "src/tinysplit/__init__.py": "",
        "src/tinysplit/py.typed": "",
        "src/tinysplit/splits.py": _SPLITS,
        "src/tinysplit/api.py": "from .splits import make_splits\n\n"
        "def split(frame):\n    return make_splits(frame)\n",
    }
    assert _findings(tmp_path, files) == []


# -- a CLI default the pipeline never passes is fixed in code ----------------------------------

_PREPARE = (
    "import click\n"
    "\n"
    "\n"
    "@click.command()\n"
    '@click.option("--rows", default=50000, type=int)\n'
    '@click.option("--valid-size", default=0.1, type=float)\n'
    '@click.option("--seed", default=7, type=int)\n'
    '@click.option("--raw-file", default="data/raw/readings.csv")\n'
    '@click.option("--max-depth", default=6, type=int)\n'
    "def main(rows, valid_size, seed, raw_file, max_depth):\n"
    "    return rows, valid_size, seed, raw_file, max_depth\n"
)


def test_cli_defaults_of_a_script_the_pipeline_runs_without_the_flag(tmp_path: Path) -> None:
    makefile = "data:\n\t$(PYTHON_INTERPRETER) jobs/prepare.py --max-depth 4\n"
    readme = "# readings\n\nRun `make data`; try `--rows 1000` for a quick run.\n"
    found = _findings(
        tmp_path, {"Makefile": makefile, "README.md": readme, "jobs/prepare.py": _PREPARE}
    )
    # --max-depth is passed by the Makefile, --rows shown in the README: people pass them
    assert found == [
        ("jobs/prepare.py", 6, "MLN201", "0.1"),
        ("jobs/prepare.py", 7, "MLN203", "7"),
        ("jobs/prepare.py", 8, "MLN202", "data/raw/readings.csv"),
    ]


def test_cli_defaults_of_a_script_no_runner_runs_are_its_interface(tmp_path: Path) -> None:
    runner = "#!/bin/sh\npython jobs/other.py\n"
    found = _findings(tmp_path, {"run.sh": runner, "jobs/prepare.py": _PREPARE})
    assert found == []


def test_command_facts_read_shell_yaml_and_docker_commands() -> None:
    yaml = 'command: "python jobs/fit.py\n  --epochs {epochs}\n  --seed {seed}"\n'
    assert command_facts(yaml)["runs"] == [["jobs/fit.py", ["epochs", "seed"]]]
    docker = 'CMD ["python", "-m", "app.serve", "--port", "80"]\n'
    assert command_facts(docker)["runs"] == [["-m app.serve", ["port"]]]
    shell = "python3 train.py --lr 0.1 \\\n  --batch_size 8 && python eval.py\n"
    assert command_facts(shell)["runs"] == [
        ["train.py", ["batch-size", "lr"]],
        ["eval.py", []],
    ]
    forwarded = 'python train.py --epochs 3 "$@"\n$(PYTHON) src/fit.py $(ARGS)\n'
    assert [flags for _, flags in command_facts(forwarded)["runs"]] == [["*"], ["*"]]
    given = "python train.py --data $(DATA_DIR)\n"
    assert command_facts(given)["runs"] == [["train.py", ["data"]]]
    code = 'parser.add_argument(\n    "--seed", default=1)\nrun(["python", "x.py", "--lr", "3"])\n'
    facts = command_facts(code)
    assert facts["defined"] == ["seed"] and facts["flags"] == ["lr"]
    files = {"jobs/fit.py", "app/serve.py", "scripts/eval.py"}
    assert resolve("jobs/fit.py", "Makefile", files) == "jobs/fit.py"
    assert resolve("eval.py", "scripts/run.sh", files) == "scripts/eval.py"
    assert resolve("../jobs/fit.py", "scripts/run.sh", files) == "jobs/fit.py"
    assert resolve("-m app.serve", "Dockerfile", files) == "app/serve.py"
    assert resolve("missing.py", "Makefile", files) is None


def test_a_script_the_runners_run_is_no_test_whatever_its_folder(tmp_path: Path) -> None:
    evaluate = (
        "import torch\n\n"
        "def test_images(batch):\n"
        "    return batch\n\n"
        "model = torch.load('../data/segmenter.pth')\n"
    )
    files = {"testing/test_segmenter.py": evaluate}
    # in a tests folder with a `test_` function: a test, not looked at
    assert _findings(tmp_path, files) == []
    # the folder's shell script runs it with `python`: pytest never runs a file that way, so
    # it is the evaluation entry point it looks like
    found = _findings(tmp_path, {"testing/run.sh": "python test_segmenter.py\n"})
    assert found == [("testing/test_segmenter.py", 6, "MLN202", "../data/segmenter.pth")]
    # a module the script imports from its folder is part of it; one nobody imports stays a
    # test folder's file
    helper = "def split_ids(ids, val_share=0.15, seed=4):\n    return ids\n"
    user = "from split_ids import split_ids\n\ndef test_images(batch):\n    split_ids(batch)\n"
    files = {
        "testing/split_ids.py": helper,
        "testing/test_segmenter.py": evaluate + user,
        "testing/other.py": helper.replace("split_ids", "other_ids"),
    }
    found = _findings(tmp_path, files)
    assert [f for f in found if f[0] != "testing/test_segmenter.py"] == [
        ("testing/split_ids.py", 1, "MLN201", "0.15"),
        ("testing/split_ids.py", 1, "MLN203", "4"),
    ]


def test_a_class_a_hydra_config_builds_and_bare_file_names_stay_silent(tmp_path: Path) -> None:
    module = (
        "class ReadingsData:\n"
        "    def __init__(self, data_dir='data/readings', batch_size=24, seed=5,\n"
        "                 file_name='rows.npy'):\n"
        "        self.data_dir = data_dir\n"
        "\n"
        "\n"
        "if __name__ == '__main__':\n"
        "    ReadingsData()\n"
    )
    config = "_target_: src.readings.ReadingsData\ndata_dir: data/readings\nbatch_size: 32\n"
    files = {"src/__init__.py": "", "src/readings.py": module, "configs/data/readings.yaml": config}
    # the Hydra config passes the arguments: the defaults are the signature's
    assert _findings(tmp_path, files) == []
    (tmp_path / "configs/data/readings.yaml").unlink()
    # without the config, the module's own call relies on them (the file name alone is the
    # caller's folder's business)
    found = _findings(tmp_path, {})
    assert [(f[1], f[2], f[3]) for f in found] == [
        (2, "MLN201", "24"),
        (2, "MLN202", "data/readings"),
        (2, "MLN203", "5"),
    ]


def test_a_hydra_target_feeds_the_class_of_the_module_it_names(tmp_path: Path) -> None:
    """Two modules define a data module of one name; the config instantiates the one it
    names, and the other is the variant its `_target_` is switched to. Neither default is a
    finding: the config's keys feed whichever the target picks (and the other's is no
    contradiction of that config: MLN205 is an error, it must be certain)."""
    module = (
        "class ScansData:\n"
        "    def __init__(self, batch_size=4):\n"
        "        self.batch_size = batch_size\n"
        "\n"
        "\n"
        "if __name__ == '__main__':\n"
        "    ScansData()\n"
    )
    config = "_target_: src.data.scans_2d.ScansData\nbatch_size: 32\n"
    files = {
        "src/__init__.py": "",
        "src/data/__init__.py": "",
        "src/data/scans.py": module,
        "src/data/scans_2d.py": module,
        "configs/data/scans.yaml": config,
    }
    assert _findings(tmp_path, files) == []
    (tmp_path / "configs/data/scans.yaml").write_text(config.replace("scans_2d", "scans"))
    assert _findings(tmp_path, {}) == []


# -- the rows a cleaning step keeps are a tuned data decision ---------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "homes = homes.drop(homes[(homes['LotArea'] > 90000) & (homes.Price < 1e4)].index)",
            [(1, "MLN204", "90000"), (1, "MLN204", "1e4")],
        ),
        ("trips = trips[trips.minutes <= 180]", [(1, "MLN204", "180")]),
        ("kept = trips.loc[trips['km'] < 250, 'km']", [(1, "MLN204", "250")]),
        ("trips = trips[~(trips['speed'] > 130)]", [(1, "MLN204", "130")]),
        # an equality keeps a category; 0 and 1 guard a count; another frame's column, a
        # positional slice and an assignment through .loc build features, they drop no rows
        ("trips = trips[trips.vendor != 2]", []),
        # a bound on a time index picks a period (a time split), the data's layout
        ("recent = sales[sales.month_index > 20]", []),
        ("train = sales[sales['date_block'] < 33]", []),
        ("trips = trips[trips.passengers > 0]", []),
        ("trips = trips[other.minutes > 30]", []),
        ("points = points[points[:, 0] > 30]", []),
        ("trips.loc[trips.minutes > 60, 'long'] = 1", []),
    ],
)
def test_row_filters_of_a_cleaning_step(source: str, expected: list[tuple[int, str, str]]) -> None:
    assert _module(source) == expected


# -- a dict entry handed to a hyperparameter keyword is that hyperparameter -------------------


def test_dict_entries_read_into_hyperparameter_keywords() -> None:
    source = (
        "def fit_net(net, xs, ys):\n"
        "    opts = {'optimizer': 'sgd', 'rows_per_step': 256, 'eval_rows': 512, 'passes': 12}\n"
        "    net.fit(xs, ys, batch_size=opts['rows_per_step'], epochs=opts['passes'])\n"
        "    return net.predict(xs, batch_size=opts['eval_rows'])\n"
    )
    # the evaluation call's batch size changes no result: its entry stays silent
    assert _module(source) == [(2, "MLN201", "256"), (2, "MLN201", "12")]


# -- the local file an MLflow run uploads is read from the project's folders ------------------


def test_the_local_path_of_an_mlflow_artifact_is_a_location() -> None:
    source = (
        "import mlflow\n"
        "mlflow.log_artifact('artifacts/encoder.bin', artifact_path='encoder')\n"
        "mlflow.log_artifact(local_path='reports/summary.csv')\n"
        "mlflow.log_artifact('chart.png')\n"
        "mlflow.log_artifact('encoder.pickle', artifact_path='enc')\n"
        "mlflow.log_artifact(str(target), artifact_path='outputs/run')\n"
    )
    assert _module(source) == [
        (2, "MLN202", "artifacts/encoder.bin"),
        (3, "MLN202", "reports/summary.csv"),
    ]


def test_a_trainer_that_never_trains_has_no_training_settings() -> None:
    evaluate = (
        "args = TrainingArguments(output_dir='runs/scored', learning_rate=4e-5,\n"
        "                         per_device_train_batch_size=12)\n"
        "metrics = Trainer(model=net, args=args).evaluate()\n"
    )
    assert _module(evaluate) == [(1, "MLN202", "runs/scored")]
    trains = evaluate.replace(".evaluate()", ".train()")
    assert [rule for _, rule, _ in _module(trains)] == ["MLN202", "MLN201", "MLN201"]


def test_a_call_binds_to_the_function_its_own_module_defines(tmp_path: Path) -> None:
    # `fit.py` has its own `make_splits` and passes everything to it: that says nothing about
    # `splits.make_splits`, which `pipeline.py` calls relying on its defaults
    own = (
        "def make_splits(frame, train=0.5, seed=1, batch_size=2, out_dir='data/x'):\n"
        "    return frame\n\n"
        "make_splits([], 0.9, 9, 9, 'data/y')\n"
    )
    found = _findings(tmp_path, {"splits.py": _SPLITS, "pipeline.py": _PIPELINE, "fit.py": own})
    assert [f[2] for f in found if f[0] == "splits.py" and f[1] == 4] == [
        "MLN201",
        "MLN202",
        "MLN203",
    ]
    assert not [f for f in found if f[0] == "fit.py" and f[1] == 1]


def test_a_script_beside_the_exploration_notebooks_is_exploration(tmp_path: Path) -> None:
    explore = "import pandas as pd\n\nframe = pd.read_csv('../data/raw/rows.csv')\nSEED = 3\n"
    files = {"notebooks/eda/explore.py": explore, "jobs/fit.py": explore}
    # the job is production code; the script among the notebooks only ever gave info findings
    assert [f[0] for f in _findings(tmp_path, files)] == ["jobs/fit.py", "jobs/fit.py"]
    # a credential is reported everywhere
    secret = "MLFLOW_TRACKING_PASSWORD = 'w7Qx-83kd-LLm2'\n"
    found = _findings(tmp_path, {"notebooks/eda/explore.py": explore + secret})
    assert ("notebooks/eda/explore.py", 5, "MLN208", "") in found


def test_an_evaluation_scripts_batch_size_default_changes_no_result(tmp_path: Path) -> None:
    script = (
        "import argparse\n\n"
        "parser = argparse.ArgumentParser()\n"
        'parser.add_argument("--batch-size", type=int, default=256)\n'
        'parser.add_argument("--seed", type=int, default=5)\n'
    )
    runner = "score:\n\tpython jobs/predict.py\nfit:\n\tpython jobs/train.py\n"
    files = {"Makefile": runner, "jobs/predict.py": script, "jobs/train.py": script}
    assert _findings(tmp_path, files) == [
        ("jobs/predict.py", 5, "MLN203", "5"),
        ("jobs/train.py", 4, "MLN201", "256"),
        ("jobs/train.py", 5, "MLN203", "5"),
    ]


def test_a_helper_that_opens_what_it_is_given_holds_no_folder() -> None:
    source = (
        "import os\n"
        "import pandas as pd\n\n"
        "def read_table(name):\n"
        "    return pd.read_parquet(name)\n\n"
        "def read_stored(name):\n"
        "    return pd.read_parquet(os.path.join(STORE, name))\n\n"
        "orders = read_table('orders.parquet')\n"
        "stock = read_stored('stock.parquet')\n"
    )
    # the first helper reads the bare name from the working directory: a location; the
    # second puts it into its folder, which is the location
    assert _module(source) == [(10, "MLN202", "orders.parquet")]


def test_a_predicate_handed_to_the_projects_row_step_is_a_cut_off() -> None:
    source = (
        "def drop_rows(frame, column, condition):\n"
        "    return frame.drop(frame[frame[column].apply(condition)].index)\n\n"
        "def clean(players):\n"
        "    players = drop_rows(players, 'Age', lambda x: x >= 41)\n"
        "    players = drop_rows(players, 'Pace', lambda x: x < 12.5)\n"
        "    players = drop_rows(players, 'Year', lambda x: x < 2015)\n"
        "    players = drop_rows(players, 'Club', lambda x: x == 7)\n"
        "    flags = players.apply(lambda x: x > 3)\n"
        "    return players, flags\n"
    )
    # not a period bound, not an equality, not a predicate with no frame rewritten
    assert _module(source) == [(5, "MLN204", "41"), (6, "MLN204", "12.5")]
