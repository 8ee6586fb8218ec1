"""MLN209/MLN204 classes of acc-params-13: search spaces written in forms the family did not
read, and quality gates on metrics under their own names. Fixtures written here from scratch,
never copied from a corpus repository."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from mlnudge_testing import library_pyproject, write_tree

from mlnudge.checks.params import analyse
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule
from mlnudge.runner import run


def _found(source: str, path: str = "src/tune.py") -> list[tuple[str, int, int | None]]:
    module = PyModule(path, source, ast.parse(source))
    findings = analyse(module, build_config({}).section("params"))
    return [(f.rule, f.line or 0, f.end_line) for f in findings]


# -- a dimension written as a dict of its bounds ----------------------------------------------

_BOUND_SPACE = (
    "def tune(cfg, trial):\n"
    '    space = cfg.get("space", {})\n'
    "    if not space:\n"
    "        space = {\n"
    '            "window": {"type": "int", "low": 5, "high": 60},\n'
    '            "decay": {"type": "float", "low": 0.01, "high": 0.3},\n'
    "        }\n"
    "    return space\n"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the arguments of ``suggest_int`` written down: one space
        (_BOUND_SPACE, [("MLN209", 4, 7)]),
        # ``min``/``max`` spell the same bounds
        (
            'param_space = {"depth": {"min": 2, "max": 9}, "rate": {"min": 0.1, "max": 0.5}}\n',
            [("MLN209", 1, 1)],
        ),
        # not where a space goes: a table of valid ranges for a check is no search
        ('LIMITS = {"age": {"low": 0, "high": 120}, "bmi": {"low": 10, "high": 70}}\n', []),
    ],
)
def test_a_dimension_written_as_its_bounds_is_searched(
    source: str, expected: list[tuple[str, int, int | None]]
) -> None:
    assert [f for f in _found(source) if f[0] == "MLN209"] == expected


# -- one function choosing between the spaces of several models -------------------------------

_PER_MODEL = (
    "def suggest(trial, kind):\n"
    '    if kind == "forest":\n'
    "        return {\n"
    '            "n_estimators": trial.suggest_int("n_estimators", 100, 900),\n'
    '            "max_depth": trial.suggest_int("max_depth", 3, 20),\n'
    "        }\n"
    '    if kind == "boosting":\n'
    "        return {\n"
    '            "learning_rate": trial.suggest_float("learning_rate", 1e-3, 0.3, log=True),\n'
    '            "num_leaves": trial.suggest_int("num_leaves", 15, 255),\n'
    "        }\n"
    "    raise ValueError(kind)\n"
)

_CONDITIONAL = (
    "def objective(trial):\n"
    "    params = {\n"
    '        "booster": trial.suggest_categorical("booster", ["gbtree", "dart"]),\n'
    '        "eta": trial.suggest_float("eta", 1e-3, 0.3),\n'
    "    }\n"
    '    if params["booster"] == "dart":\n'
    '        params["rate_drop"] = trial.suggest_float("rate_drop", 0.0, 0.5)\n'
    "    return score(params)\n"
)


def test_each_models_space_is_its_own_decision() -> None:
    assert _found(_PER_MODEL) == [("MLN209", 3, 6), ("MLN209", 8, 11)]


def test_a_conditional_dimension_stays_part_of_one_space() -> None:
    assert _found(_CONDITIONAL) == [("MLN209", 2, 7)]


# -- a library's Optuna objective --------------------------------------------------------------


def test_a_librarys_optuna_objective_is_its_users_space(tmp_path: Path) -> None:
    """No caller can hand a library's objective another space; its model-zoo numbers, its
    helpers' defaults and a grid a caller may replace stay silent, as before."""
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": library_pyproject("tunekit"),
            "src/tunekit/__init__.py": "",
            "src/tunekit/search.py": (
                "def objective(trial, X, y):\n"
                '    depth = trial.suggest_int("max_depth", 2, 12)\n'
                '    rate = trial.suggest_float("learning_rate", 1e-3, 0.3, log=True)\n'
                "    return fit(X, y, depth, rate)\n"
                "\n"
                "\n"
                "def grid_search(model, X, y, param_grid=None):\n"
                '    param_grid = param_grid or {"C": [0.1, 1.0, 10.0], "gamma": [0.01, 0.1]}\n'
                "    return GridSearchCV(model, param_grid).fit(X, y)\n"
            ),
            "src/tunekit/zoo.py": "def small():\n    return nn.Dropout(0.3)\n",
        },
    )
    report = run(root, build_config({"profile": "library"}), families=["params"], use_cache=False)
    assert [(f.path, f.rule, f.line) for f in report.findings] == [
        ("src/tunekit/search.py", "MLN209", 2)
    ]


# -- a quality gate on a metric under its own name ----------------------------------------------


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("if fbeta_diff > 0.15:\n    alert()\n", True),
        ("if val_rmse > 0.35:\n    raise_alarm()\n", True),
        ("ok = mcc >= 0.4\n", True),
        # a guard against dividing by zero decides nothing
        ("if rmse > 1e-9:\n    ratio = err / rmse\n", False),
        # a difference of two metrics is a tolerance
        ("if abs(mae - ref_mae) < 0.05:\n    stop()\n", False),
    ],
)
def test_a_metric_compared_with_a_float_is_a_gate(source: str, found: bool) -> None:
    assert any(rule == "MLN204" for rule, _, _ in _found(source)) is found
