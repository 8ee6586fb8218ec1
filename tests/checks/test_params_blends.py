"""MLN201: the weights of a hand-written blend of predictions (acc-params-26). Fixtures written
here from scratch, never copied from a corpus repository."""

from __future__ import annotations

import ast

import pytest

from mlnudge.checks.params import analyse
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule


def _found(source: str) -> list[tuple[str, int, str]]:
    module = PyModule("blend_preds.py", source, ast.parse(source))
    findings = analyse(module, build_config({}).section("params"))
    return sorted((f.rule, f.line or 0, str(f.details.get("value"))) for f in findings)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # weights that share out a whole: one finding each
        (
            "import pandas as pd\n"
            "gbm = pd.read_csv('preds/gbm.csv')\n"
            "cnn = pd.read_csv('preds/cnn.csv')\n"
            "mix = gbm.values * 0.7 + cnn.values * 0.3\n",
            ["0.3", "0.7"],
        ),
        # a blend of blends: the inner weights and the outer ones
        (
            "def final(a, b, c):\n    return (a * 0.6 + b * 0.4) * 0.2 + 0.8 * c\n",
            ["0.2", "0.4", "0.6", "0.8"],
        ),
        # a mean inside a blend: only the outer weights were chosen
        (
            "def final(a, b, c):\n    return (a * 0.5 + b * 0.5) * 0.3 + 0.7 * c\n",
            ["0.3", "0.7"],
        ),
    ],
)
def test_the_weights_of_a_blend_are_hyperparameters(source: str, expected: list[str]) -> None:
    found = [f for f in _found(source) if f[0] == "MLN201"]
    assert sorted(v for _, _, v in found) == expected


@pytest.mark.parametrize(
    "source",
    [
        # weights that do not add up to one: a formula, not a share-out
        "def score(a, b):\n    return 0.3 * a + 0.3 * b\n",
        # a colour conversion
        "def grey(r, g, b):\n    return 0.299 * r + 0.587 * g + 0.114 * b\n",
        "def grey(img):\n    return img[..., 0] * 0.25 + img[..., 1] * 0.75\n",
        # a running average updates its own name
        "def smooth(avg, x):\n    avg = 0.9 * avg + 0.1 * x\n    return avg\n",
        # a model mixing two branches: its architecture
        "class Net:\n    def forward(self, x, y):\n        return 0.5 * x + 0.5 * y\n",
        # equal weights are a mean: the two views of a symmetric loss
        "def step(loss_one, loss_two):\n    loss = 0.5 * loss_one + 0.5 * loss_two\n    return loss\n",
        # a metric's definition weighs its parts by the competition's rule
        "def metric(mae, bias):\n    score = 0.5 * mae + 0.5 * bias\n    return score\n",
        "def total(mae, bias):\n    return 0.5 * mae + 0.5 * bias\n",
        # a difference is no blend
        "def gap(a, b):\n    return 0.6 * a - 0.4 * b\n",
    ],
)
def test_sums_that_are_no_blend_stay_silent(source: str) -> None:
    assert [f for f in _found(source) if f[0] == "MLN201"] == []
