"""MLN201/204/209: dicts of training settings built in code, and quantile profiles.

Fixtures written here from scratch: a wrapper model configured by a ``params`` dict of its
training settings, a grid that really lists alternatives, and a summary of a signal by its
quantiles.
"""

from __future__ import annotations

import ast
from pathlib import Path

from mlnudge_testing import params_findings

from mlnudge.checks.params import analyse
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule


def findings(source: str, path: str = "src/pkg/train.py"):  # type: ignore[no-untyped-def]
    module = PyModule(path, source, ast.parse(source))
    return analyse(module, build_config({}).section("params"), None)


SETTINGS = (
    "def build(folder):\n"
    "    params = {\n"
    '        "window": 400,\n'
    '        "channels": (8, 16, 32),\n'
    '        "widths": (3, 3, 5),\n'
    '        "batch_size": 256,\n'
    '        "epochs": 300,\n'
    '        "patience_rounds": 20,\n'
    '        "shrink_factor": 0.7,\n'
    '        "val_batches": 12,\n'
    '        "num_workers": 4,\n'
    '        "optimizer": "SGD",\n'
    "    }\n"
    "    return SignalNet(params, folder)\n"
)


def test_a_dict_of_training_settings_is_not_a_search_space() -> None:
    """*A grid lists alternatives for its settings*: a dict whose numbers are mostly single
    values (``"batch_size": 256``) is one configuration, and its tuples are layer shapes."""
    found = findings(SETTINGS)
    assert "MLN209" not in [f.rule for f in found]


def test_every_number_of_a_training_settings_dict_is_a_setting() -> None:
    """*A ``params`` dict holding well-known training settings holds nothing but settings*:
    its other numbers (a window, a patience, a decay factor) and numeric tuples (layer widths)
    are settings too; evaluation and infrastructure keys stay silent."""
    found = findings(SETTINGS)
    assert sorted((f.rule, f.line) for f in found) == [("MLN201", n) for n in range(3, 10)]


def test_an_unnamed_local_dict_with_unknown_keys_stays_silent() -> None:
    """Without a parameter-like name nor a call it is handed to, unknown keys say nothing."""
    source = 'def f():\n    sizes = {"batch_size": 32, "epochs": 5, "window": 400}\n'
    assert sorted(f.line for f in findings(source)) == [2, 2]


def test_a_real_grid_is_still_a_search_space() -> None:
    source = (
        "params = {\n"
        '    "n_estimators": [100, 300, 500],\n'
        '    "max_depth": [3, 5, 8],\n'
        '    "learning_rate": 0.1,\n'
        "}\n"
    )
    assert [f.rule for f in findings(source)] == ["MLN209"]


def test_a_quantile_profile_is_features_not_a_cut_off() -> None:
    """*Several quantile levels including the middle of the distribution describe it*
    (features); one tail level, or a pair of tails, is a cut-off."""
    profile = "def stats(x):\n    return np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95], axis=-1)\n"
    assert findings(profile) == []
    tails = "def clip(x):\n    lo, hi = np.quantile(x, [0.01, 0.99])\n    return x[x < hi]\n"
    assert [f.rule for f in findings(tails)] == ["MLN204", "MLN204"]
    single = "def clip(x):\n    return x[x < np.quantile(x, 0.99)]\n"
    assert [f.rule for f in findings(single)] == ["MLN204"]


def test_the_settings_of_a_loss_are_hyperparameters() -> None:
    """*A loss's ``alpha``/``gamma`` shape the training objective*: ambiguous names count in
    a call named like a loss (``FocalLoss``, ``sigmoid_focal_loss``), not in any other call,
    and neither an index to ignore nor a reduction is a setting."""
    source = (
        "class Segmenter(LightningModule):\n"
        "    def __init__(self, net):\n"
        "        self.net = net\n"
        "        self.loss = TverskyFocalLoss(alpha=0.6, gamma=3, ignore_index=-100)\n"
        "        self.aux = sigmoid_focal_loss(alpha=0.3, gamma=1.5, reduction='sum')\n"
        "        self.ema = ExponentialAverage(alpha=0.3)\n"
    )
    found = findings(source, path="src/pkg/model.py")
    assert sorted((f.rule, f.line) for f in found) == [("MLN201", 4)] * 2 + [("MLN201", 5)] * 2


def test_gates_on_several_metrics_in_one_line_are_several_decisions() -> None:
    """*Each metric's floor is tuned on its own*: ``auc >= 0.8 and recall >= 0.7`` is two
    findings; a band on one quantity (``0.2 < score < 0.8``) stays one."""
    source = (
        "def promote(auc, recall, score):\n"
        "    ready = auc >= 0.8 and recall >= 0.7\n"
        "    unsure = 0.2 < score < 0.8\n"
        "    return ready, unsure\n"
    )
    found = findings(source, path="src/pkg/promote.py")
    assert [(f.rule, f.line) for f in found] == [("MLN204", 2), ("MLN204", 2), ("MLN204", 3)]


def test_a_file_name_logged_as_a_run_artifact_is_no_location() -> None:
    """*A bare file name written only to be logged to the tracking server is the run's file*;
    the same name in a data folder, or a name not logged, is still a location."""
    source = (
        "def report(table, run):\n"
        '    table_path = "residuals.csv"\n'
        "    table.to_csv(table_path)\n"
        "    mlflow.log_artifact(table_path)\n"
        '    kept_path = "outputs/residuals.csv"\n'
        "    table.to_csv(kept_path)\n"
        "    mlflow.log_artifact(kept_path)\n"
        '    other_path = "residuals_all.csv"\n'
        "    table.to_csv(other_path)\n"
    )
    found = findings(source, path="src/pkg/evaluate.py")
    assert sorted((f.rule, f.line) for f in found) == [("MLN202", 5), ("MLN202", 8)]


def test_a_file_written_into_a_logs_folder_is_a_record_not_a_location() -> None:
    """*A file in a folder of logs is the run's record (an audit trail)*, not data."""
    source = (
        "def record(entry):\n"
        '    with open("logs/promotions.jsonl", "a") as f:\n'
        "        f.write(entry)\n"
        '    with open("./log/run.txt", "w") as f:\n'
        "        f.write(entry)\n"
        '    with open("reports/promotions.json", "w") as f:\n'
        "        f.write(entry)\n"
    )
    found = findings(source, path="src/pkg/promote.py")
    assert [(f.rule, f.line) for f in found] == [("MLN202", 6)]


def test_a_gate_table_whose_verdict_is_only_printed_decides_nothing() -> None:
    """*A check whose verdict goes nowhere but the screen decides nothing*: a table in a
    function that returns no value, raises nothing and exits nowhere is a display."""
    shown = (
        "def show_readiness(metrics):\n"
        '    release_gates = {"auc": 0.8, "recall": 0.7}\n'
        "    for name, floor in release_gates.items():\n"
        '        print(name, "PASS" if metrics[name] >= floor else "FAIL")\n'
    )
    assert findings(shown, path="src/pkg/promote.py") == []
    decides = shown.replace("def show_readiness", "def ready").replace(
        '        print(name, "PASS" if metrics[name] >= floor else "FAIL")\n',
        "        if metrics[name] < floor:\n            return False\n    return True\n",
    )
    assert [f.line for f in findings(decides, path="src/pkg/promote.py")] == [2, 2]


def test_the_least_data_a_step_accepts_is_a_cut_off() -> None:
    """*The least data a step accepts is a cut-off someone chose*: ``len(rows) < 500`` before
    training or registering; not a command line's or a frame's width, not a small guard,
    not a check that only raises (input validation)."""
    source = (
        "import sys\n"
        "def retrain(rows, batch, errors):\n"
        "    if len(rows) < 500:\n"
        '        errors.append("not enough rows to retrain")\n'
        "    if len(batch) >= 64 and drifted(batch):\n"
        "        refresh(batch)\n"
        "    if len(sys.argv) > 12 or len(rows) > 1 or len(rows.columns) > 40:\n"
        "        return None\n"
        "    if len(batch) < 20:\n"
        '        raise ValueError("empty batch")\n'
        "    return fit(rows)\n"
    )
    found = findings(source)
    # (line 9: a check that only raises validates the input, it decides nothing)
    assert [(f.rule, f.line) for f in found] == [("MLN204", 3), ("MLN204", 5)]


def test_a_try_out_keeps_its_settings_but_not_its_authors_machine() -> None:
    """*A path only its author's machine has breaks the run everywhere else*: in a package
    module's ``__main__`` try-out the settings stay silent, a home-folder or drive path not."""
    source = (
        "class Windows:\n"
        "    def __init__(self, path):\n"
        "        self.path = path\n"
        "\n"
        'if __name__ == "__main__":\n'
        '    w = Windows("/home/maria/work/quakes/data/valid.pkl")\n'
        '    v = Windows(r"D:\\\\maria\\\\quakes\\\\train")\n'
        '    u = Windows("sample.pkl")\n'
        "    print(w.batch(128, 50))\n"
    )
    module = PyModule("src/pkg/windows.py", source, ast.parse(source))
    found = analyse(module, build_config({}).section("params"), None, skip_main=True)
    assert [(f.rule, f.line) for f in found] == [("MLN202", 6), ("MLN202", 7)]


_GRID_TABLE = (
    "from sklearn.model_selection import GridSearchCV\n"
    "from sklearn.neighbors import KNeighborsClassifier\n"
    "from sklearn.pipeline import Pipeline\n"
    "from sklearn.svm import SVC\n"
    "\n"
    "CANDIDATES = [SVC(), KNeighborsClassifier()]\n"
    "\n"
    "grid_table = {\n"
    "    'SVC': {'SVC__C': [0.5, 5.0, 50.0], 'SVC__kernel': ['rbf', 'poly']},\n"
    "    'KNeighborsClassifier': {\n"
    "        'KNeighborsClassifier__n_neighbors': [3, 5, 11],\n"
    "    },\n"
    "}\n"
    "per_model = {'SVC': {'C': 2.0}, 'KNeighborsClassifier': {'n_neighbors': 7}}\n"
    "\n"
    "\n"
    "def tune(features, target):\n"
    "    for model in CANDIDATES:\n"
    "        name = type(model).__name__\n"
    "        search = GridSearchCV(Pipeline([(name, model)]), grid_table[name])\n"
    "        yield search.fit(features, target)\n"
)


def test_a_table_of_grids_one_per_model_is_one_search_space(tmp_path: Path) -> None:
    """A dict of grids keyed by model, looked up by the model being searched, is one search
    decision (MLN209 over its lines), not silence; a table of single settings per model is
    no space (its values are settings)."""
    found = params_findings(tmp_path, {"params.yaml": "train: {}\n", "tune.py": _GRID_TABLE})
    spaces = [f for f in found if f[2] == "MLN209"]
    assert [f[:3] for f in spaces] == [("tune.py", 8, "MLN209")]
    assert ("tune.py", 14, "MLN201", "7") in found  # a neighbour count, not a grid
