"""Params classes of round 13 (acc-params-16): a table of configurations tried one after
another, Sacred's ``@ex.config``, Adam's own betas restated, and a script named for figures
that draws nothing. Fixtures written here
from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings

_HEADER = (
    "from sklearn.ensemble import GradientBoostingRegressor\n"
    "\n"
    "\n"
    "def score_setting(rows, target, label, **settings):\n"
    "    model = GradientBoostingRegressor(**settings)\n"
    "    model.fit(rows, target)\n"
    "    return label, model.score(rows, target)\n"
    "\n"
    "\n"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # three distinct configurations, one after another: one MLN209 per candidate
        (
            "def compare(rows, target):\n"
            "    results = []\n"
            "    results.append(score_setting(rows, target, 'base', max_depth=4,\n"
            "                                 learning_rate=0.1))\n"
            "    results.append(score_setting(rows, target, 'shallow', max_depth=2,\n"
            "                                 learning_rate=0.1))\n"
            "    results.append(score_setting(rows, target, 'slow', max_depth=4,\n"
            "                                 learning_rate=0.02, subsample=0.7))\n"
            "    return results\n",
            [("run.py", 12, "MLN209"), ("run.py", 14, "MLN209"), ("run.py", 16, "MLN209")],
        ),
        # two calls are no table: each value is its own setting
        (
            "def compare(rows, target):\n"
            "    a = score_setting(rows, target, 'a', max_depth=4)\n"
            "    b = score_setting(rows, target, 'b', max_depth=2)\n"
            "    return a, b\n",
            [("run.py", 11, "MLN201"), ("run.py", 12, "MLN201")],
        ),
        # the same settings on other data is one setting repeated, not candidates compared
        (
            "def compare(rows, other, third, target):\n"
            "    a = score_setting(rows, target, 'a', max_depth=4)\n"
            "    b = score_setting(other, target, 'b', max_depth=4)\n"
            "    c = score_setting(third, target, 'c', max_depth=4)\n"
            "    return a, b, c\n",
            [("run.py", 11, "MLN201"), ("run.py", 12, "MLN201"), ("run.py", 13, "MLN201")],
        ),
    ],
)
def test_a_table_of_tried_configurations_is_one_space_per_candidate(
    tmp_path: Path, body: str, expected: list[tuple[str, int, str]]
) -> None:
    found = params_findings(tmp_path, {"run.py": _HEADER + body})
    assert [(path, line, rule) for path, line, rule, _ in found] == expected


_SACRED = (
    "from sacred import Experiment\n"
    "import torch\n"
    "\n"
    "ex = Experiment('toy')\n"
    "\n"
    "\n"
    "@ex.config\n"
    "def settings():\n"
    "    learning_rate = 3e-4\n"
    "    train_fraction = 0.75\n"
    "    hidden = 128\n"
    "\n"
    "\n"
    "@ex.automain\n"
    "def main(learning_rate, hidden):\n"
    "    net = torch.nn.Linear(4, hidden)\n"
    "    optimizer = torch.optim.AdamW(net.parameters(), lr=learning_rate,\n"
    "                                  betas=(0.9, 0.999))\n"
    "    other = torch.optim.Adam(net.parameters(), lr=learning_rate, betas=(0.5, 0.99))\n"
    "    return optimizer, other\n"
)


def test_sacred_config_is_configuration_and_adam_default_betas_are_no_choice(
    tmp_path: Path,
) -> None:
    found = params_findings(tmp_path, {"train.py": _SACRED})
    # the config function's locals are overridable from the command line; AdamW's betas are
    # its own defaults restated; GAN-style betas (0.5, 0.99) are a choice
    assert [(line, rule) for _, line, rule, _ in found] == [(19, "MLN201")]


_FIGURE_SCRIPT = (
    "import torch\n"
    "\n"
    "\n"
    "def fit_for_figure(rows):\n"
    "    net = torch.nn.Linear(3, 1)\n"
    "    opt = torch.optim.SGD(net.parameters(), lr=0.05)\n"
    "    return net, opt, rows\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    fit_for_figure([])\n"
)


@pytest.mark.parametrize(
    ("path", "draws", "reported"),
    [
        ("produce_figure_data.py", False, True),  # a script that computes what a figure shows
        ("produce_figure_data.py", True, False),  # it draws: presentation
        ("plots/produce_data.py", False, False),  # a plotting folder keeps its scope
    ],
)
def test_a_script_named_for_figures_that_draws_nothing_is_checked(
    tmp_path: Path, path: str, draws: bool, reported: bool
) -> None:
    source = ("import matplotlib.pyplot as plt\n" if draws else "") + _FIGURE_SCRIPT
    found = params_findings(tmp_path, {path: source})
    assert any(rule == "MLN201" for _, _, rule, _ in found) is reported
