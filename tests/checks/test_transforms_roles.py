"""MLN301 warnings need a pipeline role: where a transformation's result goes in the project
(a model, a data set, a written file, a response, a pipeline step), its module, its name or
its protocol; without one it is information."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from mlnudge.checks.transforms.evidence import module_facts
from mlnudge.checks.transforms.roleof import (
    RoleIndex,
    candidate_role,
    data_location,
    function_role,
    pipeline_roles,
    without_paths,
)
from mlnudge.checks.transforms.roles import role_facts
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule
from mlnudge.finding import Severity
from mlnudge.runner import run


def _roles(source: str, path: str = "m.py") -> dict[str, list[str]]:
    text = textwrap.dedent(source)
    module = PyModule(path=path, source=text, tree=ast.parse(text))
    roles: dict[str, list[str]] = role_facts(module)["roles"]
    return roles


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
    ("out = encode(df)\nout.to_parquet('features.parquet')", "encode", "written:0:features"),
    ("np.save('x.npy', scale(a))", "scale", "written:0:x.npy:written by `np.save()`"),
    # collected in a list that becomes the written submission
    (
        "rles = []\nfor m in masks:\n    rles.append(mask2rle(m))\n"
        "sub['rle'] = rles\nsub.to_csv('submission.csv')",
        "mask2rle",
        "written:0:submission.csv",
    ),
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


#: (code, callee): results that only reach a print, a plot, a comparison, a report: no sink
_NO_SINKS = [
    ("t = errors_by_bin(df)\nprint(t)", "errors_by_bin"),
    ("plt.plot(smooth(a))", "smooth"),
    ("if drift_score(a, b) > 0.2:\n    alert()", "drift_score"),
    # a model named inside a metric's name is no model
    ("compute_model_metrics(tidy(df))", "tidy"),
    # a route named for a report serves a report
    ("@app.get('/metrics')\ndef metrics():\n    return summarise(load())", "summarise"),
]


@pytest.mark.parametrize(("code", "callee"), _NO_SINKS)
def test_role_facts_reports_are_no_sink(code: str, callee: str) -> None:
    found = _roles(code).get(callee, [])
    assert not [r for r in found if r.startswith(("sink:", "dataset:", "given:"))], found


@pytest.mark.parametrize(
    ("code", "callee", "report"),
    [
        # the file's name, the variable written, the writing function, the module
        ("t = worst(df)\nt.to_csv('reports/errors.csv')", "worst", True),
        ("summary_df = tidy(df)\nsummary_df.to_csv(path)", "tidy", True),
        ("def export_dashboard(df):\n    tidy(df).to_csv(path)", "tidy", True),
        ("t = tidy(df)\nt.to_csv(out_path)", "tidy", False),
        ("t = tidy(df)\nt.to_parquet('data/processed/train.parquet')", "tidy", False),
        ("t = tidy(df)\nt.to_csv('out/uplift_sensitivity.csv')", "tidy", True),
    ],
)
def test_written_reports(code: str, callee: str, report: bool) -> None:
    written = [r for r in _roles(code).get(callee, []) if r.startswith("written:")]
    assert written
    assert written[0].startswith(f"written:{int(report)}:")


def test_written_reports_by_module_name() -> None:
    found = _roles("t = tidy(df)\nt.to_csv(p)", "scripts/analyze_model_errors.py")["tidy"]
    assert any(r.startswith("written:1:") for r in found)


@pytest.mark.parametrize(
    ("code", "callee", "given"),
    [
        # post-processing a model's output
        ("p = model.predict(X)\nout = round_preds(p)\nsave(out)", "round_preds", True),
        ("labels = decode(self.net(x))", "decode", True),
        ("sub = to_submission(best_model(x))", "to_submission", True),
        ("z = unpack(self.encoder(x))", "unpack", True),
        # joined with the truth, or handed to a metric: evaluation
        ("t = align(model.predict(X), holdout)", "align", False),
        ("t = join_rows(model.predict(X), y_true=y)", "join_rows", False),
        ("a = binary_acc(p, clf.predict(X))", "binary_acc", False),
        # a helper doing something to a model, or one named like an encoder, gives no output
        ("t = show(select_model(runs))", "show", False),
        ("t = scale(label_encoder(df))", "scale", False),
        ("runs = load_training_runs()\nsummary(runs)", "summary", False),
    ],
)
def test_role_facts_model_outputs(code: str, callee: str, given: bool) -> None:
    found = [r for r in _roles(code).get(callee, []) if r.startswith("given:")]
    assert bool(found) is given, found


def _facts(source: str, path: str = "m.py") -> dict[str, Any]:
    text = textwrap.dedent(source)
    return role_facts(PyModule(path=path, source=text, tree=ast.parse(text)))


def test_function_steps_and_vision_data_sets() -> None:
    facts = _facts(
        """
        def kfold(df):
            for tr, va in folds:
                lgb.train(params, lgb.Dataset(df.iloc[tr]))
        def save(df):
            df.to_parquet("data/processed/train.parquet")
        def show(df):
            df.to_csv("reports/summary.csv")
        class Digits(_MNIST):
            def __getitem__(self, i):
                return to_float(super().__getitem__(i))
        """
    )
    assert facts["steps"] == {"kfold": ["trains"], "save": ["writes"]}
    assert "dataset:Digits" in facts["roles"]["to_float"]


def test_module_facts_reads_flags_and_trainers() -> None:
    facts = _facts(
        """
        import pandas as pd
        FEATURES = "data/features.parquet"
        def load():
            return pd.read_parquet(FEATURES)
        class Experiment:
            def run(self):
                self.model.fit(self.X, self.y)
        def write(df):
            df.to_csv("out/train_clean.csv")
        """
    )
    assert facts["reads"] == ["features.parquet"]
    assert facts["trainers"] == ["Experiment"]
    assert facts["module"] == ["trains", "writes"]


@pytest.mark.parametrize(
    ("node", "kind"),
    [
        (
            'node(func=importance, inputs="m", outputs="feature_importance_report")',
            "report:feature_importance_report",
        ),
        ('node(prep, "raw", "model_input", tags=["post_eda"])', "report:model_input"),
        ('node(func=prep, inputs="raw", outputs="model_input_table")', "data"),
    ],
)
def test_kedro_nodes_that_make_reports(node: str, kind: str) -> None:
    found = _roles(node)
    name = "importance" if "importance," in node else "prep"
    assert found[name] == [f"kedro:{kind}"]


def test_a_kedro_report_another_node_takes_is_data() -> None:
    made = 'node(func=merge_cols, inputs="clean", outputs="primary_analysis")'
    shown = 'node(func=plot_it, inputs="clean", outputs="eda_report")'
    taken = 'node(func=select, inputs=["primary_analysis", "params:x"], outputs="features")'
    facts = [("a.py", _facts(f"p = [{made}, {shown}]")), ("b.py", _facts(taken))]
    assert pipeline_roles(facts).kedro_reports == frozenset({"plot_it"})


def test_pipeline_roles_follow_two_steps_through_project_functions() -> None:
    facts = [
        ("a.py", {"roles": {"clean": ["returns:prepare"], "prepare": ["hands:build"]}}),
        ("b.py", {"roles": {"build": ["sink:handed to `model.fit()`"], "print": ["sink:x"]}}),
        ("c.py", {"roles": {"report": ["hands:print"], "far": ["returns:clean"]}}),
    ]
    defined = {n: ["a.py"] for n in ("clean", "prepare", "build", "report", "far")}
    roles = pipeline_roles(facts, defined).roles
    assert roles["build"] == "its result is handed to `model.fit()` in b.py"
    assert roles["prepare"].startswith("its result goes to `build()` in a.py")
    assert roles["clean"].startswith("its result is returned by `prepare()` in a.py")
    # three steps away, and through a builtin the project does not define: no role
    assert "far" not in roles
    assert "report" not in roles


@pytest.mark.parametrize(
    ("kinds", "reads", "expected"),
    [
        # a report written is no data set ... unless the project reads it again
        (["written:1:errors.csv:written by `t.to_csv()`"], [], None),
        (["written:1:errors.csv:written by `t.to_csv()`"], ["errors.csv"], "which the project"),
        (["written:0::written by `t.to_csv()`"], [], "written by `t.to_csv()` in a.py"),
        (["given:`model.predict()`"], [], "given the output of `model.predict()`"),
        # a class of the project that trains takes it, or a function that trains or writes
        (["hands:Experiment"], [], "`Experiment`, a class that trains"),
        (["hands:kfold_lgbm"], [], "`kfold_lgbm()`, which trains a model"),
        (["hands:save_split"], [], "`save_split()`, which writes a data set"),
        # ... not itself (another module's function of the same name)
        (["hands:f"], [], None),
        (["hands:Report"], [], None),
    ],
)
def test_pipeline_roles_direct_evidence(
    kinds: list[str], reads: list[str], expected: str | None
) -> None:
    steps = {"kfold_lgbm": ["trains"], "save_split": ["writes"], "f": ["writes"]}
    facts = [
        ("a.py", {"roles": {"f": kinds}, "reads": reads}),
        ("b.py", {"roles": {}, "trainers": ["Experiment"], "steps": steps}),
    ]
    role = pipeline_roles(facts).roles.get("f")
    assert (expected in role) if expected and role else role is expected


def test_pipeline_roles_module_flags_and_report_nodes() -> None:
    facts = [
        ("run.py", {"roles": {"Experiment": ["hands:Experiment"]}}),
        ("x.py", {"roles": {}, "trainers": ["Experiment"]}),
        ("nodes.py", {"roles": {"importance": ["kedro:report:imp"], "prep": ["kedro:data"]}}),
    ]
    index = pipeline_roles(facts)
    # a script handing its data to a class that trains trains through it
    assert "trains" in index.flags["run.py"]
    assert index.kedro_reports == frozenset({"importance"})


@pytest.mark.parametrize(
    ("kind", "to_model"),
    [
        ("sink:handed to `model.fit()`", True),
        ("sink:handed to `DataLoader()`", True),
        # a project function named like a training step, and one that trains by its body
        ("sink:handed to `train_model()`", False),
        ("sink:handed to `fit_pls()`", True),
        ("hands:fit_pls", True),
        ("hands:tidy", False),
    ],
)
def test_data_handed_to_a_model(kind: str, to_model: bool) -> None:
    facts = [("a.py", {"roles": {"f": [kind]}, "steps": {"fit_pls": ["trains"]}})]
    assert ("f" in pipeline_roles(facts).to_models) is to_model


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
        # turning predictions into a deliverable: only a whole name says so
        ("src/predict.py", True),
        ("pkg/inference/serve.py", True),
        ("tasks/bart/task_predict_bart.py", False),
        # the project's own package name says what it is about, not what a module does
        ("src/churn_prediction/models/train.py", False),
        ("fraud_data_pipeline/models/train.py", False),
        # a data word beside a word for something else
        ("scripts/export_dashboard_data.py", False),
        ("dataset_mean_std.py", False),
        ("src/monitoring/feature_drift.py", False),
    ],
)
def test_data_location(path: str, expected: bool) -> None:
    assert data_location(path) is expected


_FIT = "its result is handed to `m.fit()`"


@pytest.mark.parametrize(
    ("path", "qualname", "signals", "bases", "roles", "decorators", "expected"),
    [
        ("a.py", "f", ["kedro-node"], [], {}, [], "Kedro pipeline"),
        ("a.py", "Enc.transform", [], ["BaseEstimator", "TransformerMixin"], {}, [], "transformer"),
        ("a.py", "D.__getitem__", [], ["Dataset"], {}, [], "a data set"),
        ("a.py", "f", [], [], {"f": _FIT}, [], "m.fit()"),
        ("a.py", "f", [], [], {}, ["dagster.asset"], "orchestrated pipeline"),
        ("features/x.py", "f", [], [], {}, [], "data-preparation module"),
        # a name alone is no evidence; with a module that trains it is
        ("a.py", "impute_age", [], [], {}, [], ""),
        ("train.py", "impute_age", [], [], {}, [], "its module trains a model"),
        ("monitoring/drift.py", "psi_table", [], [], {}, [], ""),
        ("a.py", "Page.__call__", [], ["object"], {}, [], ""),
        # code that monitors, reports or shows: only data handed to a model counts
        ("src/monitoring/x.py", "prep", [], [], {"prep": "its result is written by"}, [], ""),
        ("src/monitoring/x.py", "clean", [], [], {"clean": _FIT}, [], "m.fit()"),
        (
            "src/monitoring/x.py",
            "tidy",
            [],
            [],
            {"tidy": "its result is handed to `fit_x()`"},
            [],
            "",
        ),
        ("app/pages/errors.py", "prepare_errors", [], [], {}, [], ""),
        ("scripts/compare_models.py", "clean", [], [], {}, [], ""),
        # ... unless a folder says it prepares data
        ("src/features/drift_detection.py", "clean", [], [], {}, [], "data-preparation"),
        # a Kedro node that makes a report
        ("a.py", "importance", ["kedro-node"], [], {}, [], ""),
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
    index = RoleIndex(
        roles,
        frozenset({"importance"}),
        {"train.py": frozenset({"trains"})},
        to_models=frozenset({"clean"}),
    )
    found = candidate_role(path, qualname, signals, bases, index, decorators=decorators)
    assert (expected in found.text) if expected else found.text == ""


@pytest.mark.parametrize(
    ("path", "qualname", "expected"),
    [
        # a library's public function is what its users call
        ("lib/card.py", "woe_card", True),
        # ... not a private one, a method, or model math
        ("lib/card.py", "_woe", False),
        ("lib/card.py", "Woe.step", False),
        ("lib/models/gmm.py", "e_step", False),
    ],
)
def test_library_public_functions(path: str, qualname: str, expected: bool) -> None:
    found = candidate_role(path, qualname, [], [], RoleIndex(), library=True)
    assert bool(found.text) is expected


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


_SHAPES = """
import pandas as pd
from datetime import datetime

def load_batch(path):
    df = pd.read_csv(path)
    df["store"] = df["store"].astype(int)
    return df.set_index("id")

def load_and_scale(path):
    df = pd.read_csv(path)
    df["sales"] = (df["sales"] - df["sales"].mean()) / df["sales"].std()
    return df

def floor_to_5min(ts: datetime) -> datetime:
    ts = ts.replace(second=0, microsecond=0)
    return ts.replace(minute=(ts.minute // 5) * 5)

def clean_title(text: str) -> str:
    return text.lower().strip()
"""


@pytest.mark.parametrize(
    ("name", "info"),
    [
        # reading a table and setting types or an index on it is I/O
        ("load_batch", "hands it on"),
        # ... computing on what it read is a transformation
        ("load_and_scale", None),
        # one value in, one value out: a helper on a value
        ("floor_to_5min", "single values"),
        # text in, text out is text cleaning
        ("clean_title", None),
    ],
)
def test_shapes_that_are_no_data_transformation(name: str, info: str | None) -> None:
    facts = module_facts(ast.parse(_SHAPES), "features/steps.py")
    fn = next(f for f in facts["functions"] if f["name"] == name)
    role = function_role("features/steps.py", name, fn, [], [], RoleIndex())
    if info is None:
        assert role.text
    else:
        assert not role.text
        assert info in role.info


@pytest.mark.parametrize(
    ("code", "callee", "sink"),
    [
        # a module calling itself runs its forward pass
        (
            "class M(LightningModule):\n    def step(self, b):\n        return self(mask(b))",
            "mask",
            True,
        ),
        # a pipeline is built from steps, not fed data
        ("p = pipeline([node(func=clean, inputs='a', outputs='b')])", "clean", False),
        # a data frame built from a dict is no data loader; a data set built from one is
        ("t = pd.DataFrame.from_dict(stats(x))", "stats", False),
        ("ds = Dataset.from_dict(encode(x))", "encode", True),
        # a model or a scaler dumped is no data set; a table dumped is
        ("joblib.dump(fit_scaler(X), 'scaler.pkl')", "fit_scaler", False),
        ("joblib.dump(make_folds(df), 'folds.pkl')", "make_folds", True),
    ],
)
def test_role_facts_sinks_that_are_models_or_not(code: str, callee: str, sink: bool) -> None:
    found = [r for r in _roles(code).get(callee, []) if r.startswith(("sink:", "written:"))]
    assert bool(found) is sink, found


@pytest.mark.parametrize(
    ("code", "callee", "sink"),
    [
        # a function applied to data by reference takes its place in the data ...
        ("X = df.pipe(clean)\nmodel.fit(X, y)", "clean", True),
        ("ds = raw.map(tokenize)\ntrainer.fit(model, ds)", "tokenize", True),
        # ... one handed to anything else is code (a model function handed to a helper)
        ("p = test_predict(net_fn, folder)\npd.DataFrame(p).to_csv('sub.csv')", "net_fn", False),
        # a composition of transforms applies them to the images of a data set
        (
            "t = transforms.Compose([rotate, ToTensor()])\nDataLoader(ImageFolder(d, t))",
            "rotate",
            True,
        ),
        # a splitter handed to a fit as its ``cv`` is a setting
        ("model.fit(X, y, cv=make_cv(df))", "make_cv", False),
    ],
)
def test_role_facts_functions_and_settings_handed_on(code: str, callee: str, sink: bool) -> None:
    found = [r for r in _roles(code).get(callee, []) if r.startswith(("sink:", "written:"))]
    assert bool(found) is sink, found


def test_role_facts_follow_a_long_chain_into_an_accumulator() -> None:
    code = (
        "def histogram(loader):\n"
        "    acc = torch.zeros(10)\n"
        "    for img, _ in loader:\n"
        "        px = to_hsv(img)\n"
        "        h, s, v = px.unbind(dim=-3)\n"
        "        h = h * 360\n"
        "        binned = torch.histc(h, bins=10)\n"
        "        acc.add_(binned)\n"
        "    return acc\n"
        "np.save('hist.npy', histogram(loader))\n"
    )
    found = _roles(code)
    assert "returns:histogram" in found["to_hsv"]
    assert any(r.startswith("written:0:hist.npy") for r in found["histogram"])


def test_a_model_output_holds_its_input_not_the_model() -> None:
    # the network's constructor is no step of the data written from its predictions
    found = _roles("net = build_net(cfg)\np = net.predict(x)\npd.DataFrame(p).to_csv('sub.csv')")
    assert not [r for r in found.get("build_net", []) if r.startswith("written:")]
