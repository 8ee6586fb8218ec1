"""MLN301 warnings need a pipeline role: where a transformation's result goes in the project
(a model, a data set, a written file, a response, a pipeline step), its module, its name or
its protocol; without one it is information."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from mlnudge.checks.transforms.roles import (
    candidate_role,
    data_location,
    pipeline_roles,
    role_facts,
    without_paths,
)
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule
from mlnudge.finding import Severity
from mlnudge.runner import run


def _roles(source: str, path: str = "m.py") -> dict[str, list[str]]:
    text = textwrap.dedent(source)
    module = PyModule(path=path, source=text, tree=ast.parse(text))
    return role_facts(module)["roles"]


#: (code, callee, a role it must have) - each line a general rule of where data goes
_FLOWS = [
    # handed to a fit through an assignment
    ("X = clean(df)\nmodel.fit(X, y)", "clean", "sink:handed to `model.fit()`"),
    # through a split: the parts hold the cleaned rows
    (
        "X = clean(df)\nX_tr, X_te = train_test_split(X)\nclf.fit(X_tr)",
        "clean",
        "sink:handed to `clf.fit()`",
    ),
    # changed in place, then trained on
    ("add_features(df)\nxgb.train(params, xgb.DMatrix(df))", "add_features", "sink:"),
    # a model called on it
    ("def step(self, b):\n    x = norm(b)\n    return self.net(x)", "norm", "sink:handed to"),
    # written to a data set file
    ("out = encode(df)\nout.to_parquet('features.parquet')", "encode", "sink:written by"),
    ("np.save('x.npy', scale(a))", "scale", "sink:written by `np.save()`"),
    # a loader
    ("ds = TensorDataset(to_tensor(a))", "to_tensor", "sink:handed to `TensorDataset()`"),
    # another function, by name, and the enclosing function's result
    ("def make(df):\n    x = tidy(df)\n    return x", "tidy", "returns:make"),
    ("y = tidy(df)\nsummarise(y)", "tidy", "hands:summarise"),
    # a route's response
    (
        "@app.post('/p')\ndef p(req):\n    return shape_output(req)",
        "shape_output",
        "sink:served by `p()`",
    ),
    # a pipeline step's output
    ("@asset\ndef scored(raw):\n    return prep(raw)", "prep", "sink:the output of"),
    # a data set's sample preparation
    (
        "class D(Dataset):\n    def __getitem__(self, i):\n        return crop(self.x[i])",
        "crop",
        "dataset:D",
    ),
]


@pytest.mark.parametrize(("code", "callee", "role"), _FLOWS)
def test_role_facts_follow_the_result(code: str, callee: str, role: str) -> None:
    found = _roles(code).get(callee, [])
    assert any(r.startswith(role) for r in found), found


#: (code, callee): results that only reach a print, a plot, a comparison: no sink
_NO_SINKS = [
    ("t = errors_by_bin(df)\nprint(t)", "errors_by_bin"),
    ("plt.plot(smooth(a))", "smooth"),
    ("if drift_score(a, b) > 0.2:\n    alert()", "drift_score"),
]


@pytest.mark.parametrize(("code", "callee"), _NO_SINKS)
def test_role_facts_reports_are_no_sink(code: str, callee: str) -> None:
    assert not [r for r in _roles(code).get(callee, []) if r.startswith(("sink:", "dataset:"))]


def test_pipeline_roles_follow_two_steps_through_project_functions() -> None:
    facts = [
        ("a.py", {"roles": {"clean": ["returns:prepare"], "prepare": ["hands:build"]}}),
        ("b.py", {"roles": {"build": ["sink:handed to `model.fit()`"], "print": ["sink:x"]}}),
        ("c.py", {"roles": {"report": ["hands:print"], "far": ["returns:clean"]}}),
    ]
    defined = {"clean", "prepare", "build", "report", "far"}
    roles = pipeline_roles(facts, defined)
    assert roles["build"] == "its result is handed to `model.fit()` in b.py"
    assert roles["prepare"].startswith("its result goes to `build()` in a.py")
    assert roles["clean"].startswith("its result is returned by `prepare()` in a.py")
    # three steps away, and through a builtin the project does not define: no role
    assert "far" not in roles
    assert "report" not in roles


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/data/make_dataset.py", True),
        ("pkg/features.py", True),
        ("pkg/data_processing/steps.py", True),
        ("pkg/preprocess.py", True),
        ("src/proj/pipelines/data_engineering/nodes.py", True),
        ("src/proj/pipelines/data_science/nodes.py", False),
        ("src/monitoring/dashboard.py", False),
        ("scripts/analyze_errors.py", False),
    ],
)
def test_data_location(path: str, expected: bool) -> None:
    assert data_location(path) is expected


@pytest.mark.parametrize(
    ("path", "qualname", "signals", "bases", "roles", "decorators", "expected"),
    [
        ("a.py", "f", ["kedro-node"], [], {}, [], "Kedro pipeline"),
        ("a.py", "Enc.transform", [], ["BaseEstimator", "TransformerMixin"], {}, [], "transformer"),
        ("a.py", "D.__getitem__", [], ["Dataset"], {}, [], "a data set"),
        ("a.py", "f", [], [], {"f": "its result is handed to `m.fit()`"}, [], "m.fit()"),
        ("a.py", "f", [], [], {}, ["dagster.asset"], "orchestrated pipeline"),
        ("features/x.py", "f", [], [], {}, [], "data-preparation module"),
        ("a.py", "impute_age", [], [], {}, [], "its name"),
        ("monitoring/drift.py", "psi_table", [], [], {}, [], ""),
        ("a.py", "Page.__call__", [], ["object"], {}, [], ""),
    ],
)
def test_candidate_role(  # noqa: PLR0917
    path: str,
    qualname: str,
    signals: list[str],
    bases: list[str],
    roles: dict[str, str],
    decorators: list[str],
    expected: str,
) -> None:
    found = candidate_role(path, qualname, signals, bases, roles, decorators=decorators)
    assert (expected in found) if expected else found == ""


def _write(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


_REPORT = """
    import pandas as pd

    def worst_rows(df: pd.DataFrame, n: int) -> pd.DataFrame:
        out = df.assign(err=(df["y"] - df["p"]).abs())
        return out.sort_values("err").tail(n)
"""


@pytest.mark.parametrize(
    ("caller", "severity", "said"),
    [
        # the report's frame is only ever printed: information
        (
            "from analysis.errors import worst_rows\n"
            "import pandas as pd\n"
            "t = worst_rows(pd.read_csv('p.csv'), 5)\nprint(t)\n",
            Severity.INFO,
            "Information only",
        ),
        # the same body feeding a model's training is a pipeline step: a warning that says so
        (
            "from analysis.errors import worst_rows\n"
            "import pandas as pd\n"
            "from sklearn.linear_model import Ridge\n"
            "X = worst_rows(pd.read_csv('p.csv'), 5)\nRidge().fit(X[['p']], X['y'])\n",
            Severity.WARNING,
            "its result is handed to `.fit()`.",
        ),
    ],
)
def test_warning_needs_a_pipeline_role(
    tmp_path: Path, caller: str, severity: Severity, said: str
) -> None:
    _write(tmp_path, {"analysis/__init__.py": "", "analysis/errors.py": _REPORT, "run.py": caller})
    config = build_config({"transforms": {}})
    found = [
        f
        for f in run(tmp_path, config, families=["transforms"], use_cache=False).findings
        if f.rule == "MLN301"
    ]
    assert [f.severity for f in found] == [severity]
    assert said in found[0].message


@pytest.mark.parametrize(
    ("code", "callee", "has"),
    [
        # post-processing a model's output
        ("p = model.predict(X)\nout = round_preds(p)\nsave(out)", "round_preds", True),
        ("labels = decode(self.net(x))", "decode", True),
        # ... a helper that loads training runs gives no model output
        ("runs = load_training_runs()\nsummary(runs)", "summary", False),
        # a report written to a file named for one is no data set
        ("t = worst(df)\nt.to_csv('reports/errors.csv')", "worst", False),
        ("t = tidy(df)\nt.to_csv(out_path)", "tidy", True),
    ],
)
def test_role_facts_outputs_and_reports(code: str, callee: str, has: bool) -> None:
    found = [r for r in _roles(code).get(callee, []) if r.startswith("sink:")]
    assert bool(found) is has, found


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (
            "its result is handed to `model.fit()` in src/train.py",
            "its result is handed to `model.fit()`",
        ),
        (
            "its result goes to `g()` in a.py, and its result is written by `np.save()` in b.ipynb",
            "its result goes to `g()`, and its result is written by `np.save()`",
        ),
        (
            "it sits in a data-preparation module in src/features/x.py",
            "it sits in a data-preparation module",
        ),
    ],
)
def test_message_names_no_file(role: str, shown: str) -> None:
    # a pull request's findings are matched on the message: moving a file changes none
    assert without_paths(role) == shown
