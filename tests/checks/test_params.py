"""MLN2xx: hard-coded hyperparameters, paths, seeds and thresholds."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlnudge.checks.params import analyse
from mlnudge.checks.params_config import ConfigFacts, Leaf
from mlnudge.config import build_config
from mlnudge.repo import PyModule
from mlnudge.runner import run

ROOT = Path(__file__).resolve().parents[2]


def codes(source: str, facts: ConfigFacts | None = None, **options: object) -> list[str]:
    module = PyModule("src/pkg/train.py", source, ast.parse(source))
    return [
        f.rule for f in analyse(module, build_config({"params": options}).section("params"), facts)
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # hyperparameters: listed calls, well-known names, dicts, grids
        ("RandomForestClassifier(n_estimators=300, n_jobs=-1)", ["MLN201"]),
        ("XGBClassifier(max_depth=6, subsample=0.8, verbosity=0)", ["MLN201", "MLN201"]),
        ("torch.optim.Adam(model.parameters(), 3e-4)", ["MLN201"]),
        ("keras.optimizers.Adam(1e-3)", ["MLN201"]),
        ("nn.Dropout(0.5)", ["MLN201"]),
        ("StepLR(opt, step_size=10, gamma=0.1)", ["MLN201", "MLN201"]),
        ("DataLoader(ds, batch_size=64, num_workers=8, pin_memory=True)", ["MLN201"]),
        ("model.fit(X, y, epochs=20, verbose=2)", ["MLN201"]),
        ("train_test_split(X, y, test_size=0.25)", ["MLN201"]),
        ("SARIMAX(y, order=(1, 1, 2))", ["MLN201"]),
        (
            'params = {"learning_rate": 0.05, "num_leaves": 31, "objective": "binary"}',
            ["MLN201"] * 2,
        ),
        ('grid = {"max_depth": [3, 5, None], "n_estimators": [100, 300]}', ["MLN209"]),
        ('def objective(trial):\n    trial.suggest_float("lr", 1e-5, 1e-1, log=True)', ["MLN209"]),
        ("LEARNING_RATE = 0.05", ["MLN201"]),
        ("XGB_MAX_DEPTH = 7", ["MLN201"]),
        # seeds
        ("np.random.seed(1234)", ["MLN203"]),
        ("torch.manual_seed(0)", ["MLN203"]),
        ("train_test_split(X, y, random_state=42)", ["MLN203"]),
        ("SEED = 7", ["MLN203"]),
        # paths
        ('pd.read_csv("/home/anna/data/churn.csv")', ["MLN202"]),
        ('joblib.dump(model, "models/model.joblib")', ["MLN202"]),
        ('df.to_parquet("s3://bucket/features.parquet")', ["MLN202"]),
        ('pd.read_csv(r"C:\\Users\\anna\\churn.csv")', ["MLN202"]),
        ('torch.save(state, Path("checkpoints") / "best.pt")', ["MLN202"]),
        ('pd.read_csv("https://raw.githubusercontent.com/x/y/main/iris.csv")', ["MLN202"]),
        ('DATA_DIR = "/mnt/shared/churn"', ["MLN202"]),
        # thresholds
        ("preds = (proba > 0.35).astype(int)", ["MLN204"]),
        ("keep = df.columns[df.isna().mean() < 0.4]", ["MLN204"]),
        ('cap = df["amount"].quantile(0.99)', ["MLN204"]),
        ("THRESHOLD = 0.35", ["MLN204"]),
        ("VarianceThreshold(threshold=0.01)", ["MLN204"]),
    ],
)
def test_finds(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "x = df.mean(axis=1)",
        "t = torch.cat([a, b], dim=1)",
        "x = x.reshape(-1, 28, 28)",
        "first = rows[0:10]",
        "for epoch in range(100): pass",
        'plt.plot(x, y, alpha=0.5, color="red")',
        "fig, ax = plt.subplots(figsize=(10, 6), dpi=150)",
        "df.plot.hist(bins=50, alpha=0.3)",
        'logger.info("lr=%s", 0.01)',
        'print("learning_rate", 0.01)',
        'pattern = re.compile(r"data/\\d+\\.csv")',
        'params = yaml.safe_load(open("params.yaml"))',
        'cfg = OmegaConf.load("configs/train.yaml")',
        'lr = cfg.get("lr", 0.001)',
        'path = os.environ.get("DATA", "data/raw.csv")',
        "if resp.status_code == 200: pass",
        "seconds = minutes * 60",
        'model = RandomForestClassifier(n_estimators=params["train"]["n_estimators"])',
        "nn.Linear(512, 10)",
        "layers.Dense(64, activation='relu')",
        "if abs(score - previous) < 1e-4: pass",
        "if loss < best_loss: pass",
        'df = df.rename(columns={"lr": "learning_rate"})',
        'raise ValueError("data/train.csv is missing")',
        'os.makedirs(os.path.join(OUT_DIR, "plots"), exist_ok=True)',
        "random.seed()",
        "np.random.seed(args.seed)",
        "max_depth = None",
        "epochs = 1",
        "@dataclass\nclass TrainConfig:\n    lr: float = 1e-3\n    epochs: int = 10",
        'def load(path="data/raw.csv"): ...',
        'parser.add_argument("--data", default="data/raw.csv")',
        # CLI and function defaults are an entry point's signature (MLN206 is gone)
        'parser.add_argument("--lr", type=float, default=3e-4)',
        "def fit(X, y, n_estimators=200, seed=0): ...",
        '@click.option("--epochs", default=10)\ndef main(epochs): ...',
        'q1, q3 = df["x"].quantile([0.25, 0.75])',
        'if __name__ == "__main__": main()',
    ],
)
def test_traps(source: str) -> None:
    assert codes(source) == []


def test_extended_from_configuration() -> None:
    source = "enc = target_encode(df, smoothing=20)\nm = fit_ranker(X, k=50)"
    assert codes(source) == []
    assert codes(source, hyperparameters=["smoothing"], calls=["fit_ranker"]) == ["MLN201"] * 2


FACTS = ConfigFacts(
    files=(("params.yaml", "YAML"),),
    leaves=(
        Leaf("params.yaml", "train.n_estimators", 300),
        Leaf("params.yaml", "seed", 42),
        Leaf("params.yaml", "data.raw", "data/raw/churn.csv"),
    ),
)


def test_literal_against_config() -> None:
    module_source = (
        "m = RandomForestClassifier(n_estimators=400, random_state=42)\n"
        'df = pd.read_csv("data/raw/churn.csv")\n'
    )
    module = PyModule("src/train.py", module_source, ast.parse(module_source))
    found = analyse(module, build_config({}).section("params"), FACTS)
    by_rule = {f.rule: f for f in found}
    # nothing says `train.n_estimators` feeds this call: a warning, never an error
    assert sorted(by_rule) == ["MLN201", "MLN202", "MLN203"]
    assert by_rule["MLN201"].message == (
        "`n_estimators=400` is hard-coded in `RandomForestClassifier()`; params.yaml has "
        "`train.n_estimators: 300`, which this code ignores: read it from there (or give this "
        "setting a key of its own if it is a different one)."
    )
    assert "already has `seed: 42`" in by_rule["MLN203"].message
    assert by_rule["MLN202"].details["key"] == "data.raw"


def test_contradiction_only_when_the_key_feeds_the_call() -> None:
    """MLN205 is an error: the config key must be the setting of this very call."""
    source = "m = RandomForestClassifier(n_estimators=400)\n"
    module = PyModule("src/train.py", source, ast.parse(source))
    fed = ConfigFacts(
        files=(("params.yaml", "YAML"),),
        leaves=(Leaf("params.yaml", "train.n_estimators", 300),),
        stages=(("src/train.py", "params.yaml", "train"),),
    )
    [finding] = analyse(module, build_config({}).section("params"), fed)
    assert finding.rule == "MLN205"
    assert "params.yaml has `train.n_estimators: 300` for this same setting" in finding.message
    # the same call reading its other settings from the section makes it certain too
    reading = (
        'args = TrainingArguments(learning_rate=3e-5, num_train_epochs=cfg["train"]["epochs"])\n'
    )
    facts = ConfigFacts(leaves=(Leaf("params.yaml", "train.learning_rate", 2e-5),))
    assert codes(reading, facts) == ["MLN205"]
    # a section named after the call: `xgb.max_depth` feeds `xgb.train`, not a forest
    named = ConfigFacts(leaves=(Leaf("params.yaml", "xgb.max_depth", 6),))
    assert codes('b = xgb.train({"max_depth": 5}, dtrain)', named) == ["MLN205"]
    assert codes("m = RandomForestClassifier(max_depth=5)", named) == ["MLN201"]
    # two unrelated seeds differ: not a contradiction
    seeds = ConfigFacts(leaves=(Leaf("params.yaml", "seed", 42),))
    assert codes("np.random.seed(0)", seeds) == ["MLN203"]
    # a Hydra config group instantiating the callee
    hydra = ConfigFacts(
        leaves=(Leaf("conf/trainer/default.yaml", "max_epochs", 40),),
        target_files=(("conf/trainer/default.yaml", "", "lightning.Trainer"),),
    )
    assert codes("t = L.Trainer(max_epochs=50)", hydra) == ["MLN205"]
    assert codes("t = L.Trainer(max_epochs=40)", hydra) == ["MLN201"]


def test_details_group_and_stable_anchor() -> None:
    source = "def build():\n    return XGBClassifier(max_depth=6, eta=0.1)\n"
    shifted = "import os\n\n\n" + source
    first = analyse(PyModule("a.py", source, ast.parse(source)), build_config({}).section("params"))
    second = analyse(
        PyModule("a.py", shifted, ast.parse(shifted)), build_config({}).section("params")
    )
    assert [f.anchor for f in first] == [f.anchor for f in second]
    assert first[0].anchor == "hp:build:XGBClassifier.max_depth"
    assert {f.details["group"] for f in first} == {"a.py:2:XGBClassifier"}
    assert first[0].details["key"] == "train.max_depth"
    assert first[0].suggestion is None


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_run_reads_params_yaml_and_skips_tests_and_config_module(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "params.yaml": "train:\n  max_depth: 8\n",
            "src/app/train.py": "m = XGBClassifier(max_depth=6)\n",
            "src/app/config.py": "MAX_DEPTH = 6\n",
            "tests/test_train.py": "m = XGBClassifier(max_depth=6)\n",
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    assert [(f.path, f.rule) for f in report.findings] == [("src/app/train.py", "MLN201")]
    assert "params.yaml has `train.max_depth: 8`, which this code ignores" in (
        report.findings[0].message
    )


def test_cache_key_follows_the_configuration(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {"params.yaml": "train:\n  max_depth: 6\n", "train.py": "m = XGBClassifier(max_depth=6)\n"},
    )
    first = run(root, build_config({}), families=["params"])
    (root / "params.yaml").write_text("train:\n  max_depth: 9\n", encoding="utf-8")
    second = run(root, build_config({}), families=["params"])
    assert [f.rule for f in first.findings] == ["MLN201"]
    assert "already has `train.max_depth: 6`" in first.findings[0].message
    assert [f.rule for f in second.findings] == ["MLN201"]
    assert "has `train.max_depth: 9`, which this code ignores" in second.findings[0].message


def test_formats_spread(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "params.yaml": "train:\n  lr: 0.1\n  epochs: 3\n",
            "configs/model.json": json.dumps({"max_depth": 4}),
            "configs/labels.json": json.dumps({"0": "cat", "1": "dog"}),
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    assert [(f.path, f.rule, f.details["keep"]) for f in report.findings] == [
        ("configs/model.json", "MLN207", "YAML")
    ]


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# explore\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["import numpy as np\n", "np.random.seed(3)\n"],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.mark.parametrize(("include", "expected"), [(False, []), (True, [("MLN203", 1, 2)])])
def test_notebooks_only_when_enabled(
    tmp_path: Path, include: bool, expected: list[tuple[str, int, int]]
) -> None:
    root = _tree(tmp_path, {"notebooks/eda.ipynb": json.dumps(NOTEBOOK)})
    config = build_config({"params": {"include-notebooks": include}})
    report = run(root, config, families=["params"], use_cache=False)
    assert [(f.rule, f.cell, f.line) for f in report.findings] == expected


def test_targets_in_a_git_repo(tmp_path: Path) -> None:
    root = _tree(
        tmp_path, {"a.py": "SEED = 1\n", "b.py": "np.random.seed(2)\n", ".gitignore": "x\n"}
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    report = run(root, build_config({}), targets=["b.py"], families=["params"], use_cache=False)
    assert [(f.path, f.rule) for f in report.findings] == [("b.py", "MLN203")]


def _corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "params_corpus", ROOT / "benchmarks" / "params_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["params_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_corpus_precision_and_recall() -> None:
    corpus = _corpus()
    score = corpus.evaluate()
    report = corpus.render(score)
    assert score.files >= 25, report
    assert score.labelled_lines >= 150, report
    assert score.traps >= 100, report
    assert score.precision() >= corpus.PRECISION_TARGET, report
    assert score.recall() >= corpus.RECALL_TARGET, report
    for code in ("MLN201", "MLN202", "MLN203", "MLN204", "MLN205", "MLN207", "MLN208", "MLN209"):
        assert score.tp(code) > 0, f"{code} has no true positive in the corpus\n{report}"
