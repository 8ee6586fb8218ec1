"""MLN201 (round-13 preparation, `acc-params-10`): what a model definition, a fold loop and a
drawing function show about their numbers. Fixtures written here from scratch, never copied
from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings, write_tree

from mlnudge.config import build_config
from mlnudge.runner import run

_NETS = (
    "import torch.nn as nn\n"
    "from tensorflow import keras\n"
    "\n"
    "\n"
    "def dense_net(shape):\n"
    "    return keras.Sequential([\n"
    "        keras.layers.Dense(48, input_shape=shape, activation='relu'),\n"
    "        keras.layers.Dense(units=24, activation='relu'),\n"
    "        keras.layers.Dense(3, activation='softmax'),\n"
    "    ])\n"
    "\n"
    "\n"
    "def conv_net(shape):\n"
    "    return keras.Sequential([\n"
    "        keras.layers.Conv2D(16, (3, 3), input_shape=shape),\n"
    "        keras.layers.Flatten(),\n"
    "        keras.layers.Dense(96, activation='relu'),\n"
    "        keras.layers.Dense(3),\n"
    "    ])\n"
    "\n"
    "\n"
    "class Head(nn.Module):\n"
    "    def __init__(self, n_in, n_out):\n"
    "        super().__init__()\n"
    "        self.hidden = nn.Linear(n_in, 320)\n"
    "        self.out = nn.Linear(320, 7)\n"
    "\n"
    "\n"
    "def single(n_in):\n"
    "    return nn.Linear(n_in, 5)\n"
)


def test_model_code_hidden_widths_of_a_dense_network(tmp_path: Path) -> None:
    """*The width of a small fully connected network is what people tune*: its hidden
    layers' widths are reported (a model module's as information, a training script's as a
    warning); the last layer of a stack is the output (fixed by the task), a convolutional
    network's shapes are its architecture, and the width a layer takes in repeats the one
    before it."""
    files = {"src/models/nets.py": _NETS, "src/train.py": _NETS}
    write_tree(tmp_path, files)
    report = run(tmp_path, build_config({}), families=["params"], use_cache=False)
    widths = sorted(
        (f.path, f.line, f.severity.name.lower(), str(f.details.get("value")))
        for f in report.findings
        if f.rule == "MLN201"
    )
    assert widths == [
        ("src/models/nets.py", 7, "info", "48"),
        ("src/models/nets.py", 8, "info", "24"),
        ("src/models/nets.py", 25, "info", "320"),
        ("src/train.py", 7, "warning", "48"),
        ("src/train.py", 8, "warning", "24"),
        ("src/train.py", 25, "warning", "320"),
    ]


def test_model_code_a_network_rebuilt_to_load_weights_keeps_its_widths(tmp_path: Path) -> None:
    """Serving code that rebuilds the trained network only to load its weights has no
    training settings (as its dropout already had none)."""
    serve = (
        "import torch\n"
        "import torch.nn as nn\n"
        "\n"
        "\n"
        "def load(path, n_in):\n"
        "    net = nn.Sequential(nn.Linear(n_in, 64), nn.ReLU(), nn.Linear(64, 2))\n"
        "    net.load_state_dict(torch.load(path))\n"
        "    net.eval()\n"
        "    return net\n"
    )
    assert params_findings(tmp_path, {"app/train_service.py": serve}) == []


_FOLDS = (
    "import pandas as pd\n"
    "\n"
    "\n"
    "def fit_fold(frame, fold):\n"
    "    return frame[frame.kfold != fold].mean()\n"
    "\n"
    "\n"
    "def main(source):\n"
    "    frame = pd.read_csv(source)\n"
    "    scores = [fit_fold(frame, fold) for fold in range(4)]\n"
    "    for fold_id in range(6):\n"
    "        scores.append(fit_fold(frame, fold_id))\n"
    "    for step in range(3):\n"
    "        scores.append(step)\n"
    "    for fold in range(1, 6):\n"
    "        scores.append(fold)\n"
    "    return scores\n"
)


def test_model_code_a_loop_over_folds_counts_them(tmp_path: Path) -> None:
    """*`for fold in range(6):` runs six folds, as `KFold(6)` would*: the literal count of a
    `for` loop whose variable names a fold is the fold count. Not a loop over anything
    else, not a range with a start (it names the folds, it does not count them), and not a
    comprehension (its counter is as often a repetition)."""
    found = params_findings(tmp_path, {"src/train.py": _FOLDS})
    assert found == [("src/train.py", 11, "MLN201", "6")]


_DRAWING = (
    "import matplotlib.pyplot as plt\n"
    "from lightgbm import LGBMClassifier\n"
    "from sklearn.manifold import TSNE\n"
    "from sklearn.model_selection import ShuffleSplit, learning_curve\n"
    "\n"
    "\n"
    "def show_clusters(x):\n"
    "    points = TSNE(n_components=2, perplexity=40, random_state=3).fit_transform(x)\n"
    "    fig, ax = plt.subplots()\n"
    "    ax.scatter(points[:, 0], points[:, 1])\n"
    "    return fig\n"
    "\n"
    "\n"
    "def plot_and_keep(x, y):\n"
    "    model = LGBMClassifier(n_estimators=400)\n"
    "    model.fit(x, y)\n"
    "    plt.bar(range(x.shape[1]), model.feature_importances_)\n"
    "    return model\n"
    "\n"
    "\n"
    "def plot_results(x, y):\n"
    "    return LGBMClassifier(num_leaves=12).fit(x, y)\n"
    "\n"
    "\n"
    "def report(x, y):\n"
    "    model = plot_results(x, y)\n"
    "    plt.plot(model.predict(x))\n"
    "\n"
    "\n"
    "def draw_curve(x, y, model):\n"
    "    splits = ShuffleSplit(n_splits=4, random_state=8)\n"
    "    sizes, train, test = learning_curve(model, x, y, cv=splits)\n"
    "    plt.plot(sizes, test.mean(axis=1))\n"
)


def test_model_code_a_function_that_only_draws_is_told_by_its_body(tmp_path: Path) -> None:
    """*Code that only draws carries no model settings*, decided by what the function does,
    not by its name: `show_clusters` draws and returns the figure (its t-SNE settings are
    the picture's, though its name says nothing of drawing); `plot_and_keep` and
    `plot_results` fit and return a model (their names say plot, their bodies train), and
    calling the project's `plot_results` is no drawing. A learning curve scores the model on
    the splits it draws: its splitter's folds and seed decide what is shown, and stay reported."""
    found = params_findings(tmp_path, {"src/train.py": _DRAWING})
    assert found == [
        ("src/train.py", 15, "MLN201", "400"),
        ("src/train.py", 22, "MLN201", "12"),
        ("src/train.py", 31, "MLN201", "4"),
        ("src/train.py", 31, "MLN203", "8"),
    ]


_TRIED = (
    "from sklearn.svm import SVC\n"
    "\n"
    "\n"
    "def fit_one(x, y, C, seed):\n"
    "    return SVC(C=C, random_state=seed).fit(x, y)\n"
    "\n"
    "\n"
    "def main(x, y):\n"
    "    strengths = [0.05, 0.5, 5.0]\n"
    "    seeds = [11, 12]\n"
    "    columns = [3, 4]\n"
    "    for seed in seeds:\n"
    "        for C in strengths:\n"
    "            fit_one(x, y, C=C, seed=seed)\n"
    "    for col in columns:\n"
    "        print(x[:, col].mean())\n"
)


def test_model_code_a_loop_over_a_named_list_of_candidates_is_a_space(tmp_path: Path) -> None:
    """*A loop over a list of candidates bound to a name is the loop over the list*:
    `strengths = [...]` then `for C in strengths: fit_one(C=C)`, where the project's
    `fit_one` hands `C` to `SVC(C=...)`, is one MLN209 at the list. A loop over seeds repeats
    a run, and a loop over columns tries no setting."""
    found = params_findings(tmp_path, {"src/train.py": _TRIED})
    assert [f for f in found if f[2] == "MLN209"] == [("src/train.py", 9, "MLN209", "")]
