"""Params classes of round 14 (acc-params-17): a training budget handed to the project's own
training function, a grid keyed as one in a table of models, a float compared with a model's
output, and a table of cut-offs named as one. Fixtures written here from scratch, never
copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings

_TRAINER = (
    "import torch\n"
    "\n"
    "\n"
    "def fit_toy(rows, n_iter=300, rounds=4):\n"
    "    net = torch.nn.Linear(3, 1)\n"
    "    opt = torch.optim.SGD(net.parameters(), lr=0.05)\n"
    "    for _ in range(n_iter):\n"
    "        loss = net(rows).pow(2).mean()\n"
    "        opt.zero_grad()\n"
    "        loss.backward()\n"
    "        opt.step()\n"
    "    for r in range(rounds):\n"
    "        print(r)\n"
    "    return net\n"
)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # the loop that steps the optimiser is bounded by it: a training budget
        ("fit_toy(rows, n_iter=5000)", [("run.py", 7, "MLN201", "5000")]),
        # a count written as a cast float is that count
        ("fit_toy(rows, n_iter=int(2e4))", [("run.py", 7, "MLN201", "int(2e4)")]),
        # a loop that trains nothing bounds no budget
        ("fit_toy(rows, n_iter=int(1e3), rounds=12)", [("run.py", 7, "MLN201", "int(1e3)")]),
        # one step is a switch, not a budget
        ("fit_toy(rows, n_iter=1)", []),
    ],
)
def test_a_parameter_bounding_the_training_loop_is_the_training_budget(
    tmp_path: Path, call: str, expected: list[tuple[str, int, str, str]]
) -> None:
    body = (
        "from trainer import fit_toy\n"
        "\n"
        "\n"
        "def main(rows):\n"
        "    other = rows\n"
        "    first = other\n"
        f"    return {call}\n"
    )
    found = params_findings(tmp_path, {"trainer.py": _TRAINER, "run.py": body})
    assert [f for f in found if f[0] == "run.py"] == expected


def test_the_training_budget_suggests_the_number_a_cast_spells(tmp_path: Path) -> None:
    from mlnudge.config import build_config
    from mlnudge.runner import run

    body = "from trainer import fit_toy\n\n\ndef main(rows):\n    return fit_toy(rows, n_iter=int(1e4))\n"
    params_findings(tmp_path, {"trainer.py": _TRAINER, "run.py": body})
    report = run(tmp_path, build_config({}), families=["params"], use_cache=False)
    (finding,) = [f for f in report.findings if f.path == "run.py"]
    assert ": 10000`" in finding.message


_TABLE = (
    "from scipy.stats import randint\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from sklearn.svm import SVC\n"
    "\n"
    "\n"
    "def candidates():\n"
    "    return {\n"
    "        'forest': {\n"
    "            'estimator': RandomForestClassifier(),\n"
    "            'param_grid': {\n"
    "                'clf__n_estimators': [200, 400],\n"
    "                'clf__min_samples_leaf': randint(1, 12),\n"
    "            },\n"
    "        },\n"
    "        'svm': {\n"
    "            'estimator': SVC(),\n"
    "            'param_grid': {'clf__C': [0.5, 5, 50], 'clf__gamma': [0.01, 0.1]},\n"
    "        },\n"
    "        'plain': {'estimator': SVC(), 'param_grid': {}},\n"
    "        'layers': {'estimator': SVC(), 'shape': {'widths': [64, 32], 'depths': [2, 3]}},\n"
    "    }\n"
)


def test_a_grid_keyed_as_a_grid_in_a_table_of_models_is_a_search_space(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"grids.py": _TABLE})
    # a scipy distribution and ambiguous names (C, gamma) in an entry keyed ``param_grid``
    # are a space; an empty grid is none, and an entry keyed otherwise is not one by its key
    assert [(line, rule) for _, line, rule, _ in found] == [(10, "MLN209"), (17, "MLN209")]


_SERVE = (
    "import torch\n"
    "\n"
    "age_sex_model = torch.jit.load(MODEL)\n"
    "\n"
    "\n"
    "def label_face(face):\n"
    "    age, sex = age_sex_model(face)\n"
    "    sex = 'F' if sex.item() > {cut} else 'M'\n"
    "    return age, sex\n"
    "\n"
    "\n"
    "def score_batch(clf, rows):\n"
    "    out = clf.predict(rows)\n"
    "    return out >= {cut}\n"
    "\n"
    "\n"
    "def scale(frame):\n"
    "    size, width = frame.shape\n"
    "    return width > {cut}\n"
)


@pytest.mark.parametrize(("cut", "lines"), [("0.5", [8, 14]), ("0.35", [8, 14]), ("1", [])])
def test_a_float_compared_with_a_model_output_is_a_decision_threshold(
    tmp_path: Path, cut: str, lines: list[int]
) -> None:
    found = params_findings(tmp_path, {"serve.py": _SERVE.replace("{cut}", cut)})
    # the frame's shape is no model output; 1 is no cut-off
    assert [line for _, line, rule, _ in found if rule == "MLN204"] == lines


@pytest.mark.parametrize(
    ("assignment", "reported"),
    [
        ("thresh_dict = {'built_year': 1850}", True),  # a table of cut-offs: whole numbers too
        ("cutoffs = {'age': 70, 'income': 2e5}", True),
        ("min_rows = {'train': 500}", False),  # not named for cut-offs: a count
        ("release_gates = {'auc': 80}", False),  # a gate table holds fractions
    ],
)
def test_a_table_named_for_cut_offs_holds_cut_offs(
    tmp_path: Path, assignment: str, reported: bool
) -> None:
    body = f"def clean(frame):\n    {assignment}\n    return frame, {assignment.split(maxsplit=1)[0]}\n"
    found = params_findings(tmp_path, {"clean.py": body})
    assert any(rule == "MLN204" for _, _, rule, _ in found) is reported
