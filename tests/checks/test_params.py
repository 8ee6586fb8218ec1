"""MLN2xx: hard-coded hyperparameters, paths, seeds and thresholds."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest
from mlnudge_testing import library_pyproject, load_script

from mlnudge.checks.params import analyse
from mlnudge.checks.params.config import ConfigFacts, Leaf
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule
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


def test_bare_file_names_handed_to_the_projects_own_helpers_are_names() -> None:
    source = (
        "from src.utils import load_pkl, save_to_pkl\n"
        "from .io import write_frame\n\n\n"
        "def save_as_parquet(df, filename):\n    df.to_parquet(DATA_DIR / filename)\n\n\n"
        "def main():\n"
        "    X = load_pkl('X_train.pkl')\n"  # the helper holds the folder
        "    save_to_pkl(X, 'features.pkl')\n"
        "    save_as_parquet(X, 'train.parquet')\n"
        "    write_frame(X, 'data/clean/train.csv')\n"  # a folder named here: reported
        "    joblib.dump(X, 'model.pkl')\n"  # a library call: reported
        "    pred_s3_location = f's3://{BUCKET}/{RUN_ID}/predictions.parquet'\n"  # names only
    )
    got = [(f.rule, f.line) for f in findings(source, path="src/train.py")]
    assert got == [("MLN202", 13), ("MLN202", 14)]


def test_a_model_wrappers_params_attribute_is_reported_a_config_class_is_not() -> None:
    source = (
        "class BoostedCls(OutOfFoldBase):\n"
        "    fit_verbose = 20\n"
        "    initial_params = {'learning_rate': 0.05, 'n_estimators': 1000, 'n_jobs': -1}\n\n"
        "    def call(self, df):\n        return df\n\n\n"
        "class ForestCls(OutOfFoldBase):\n"
        "    initial_params = {'max_depth': 25, 'min_samples_leaf': 4}\n\n\n"
        "@dataclass\nclass TrainConfig:\n    params = {'learning_rate': 0.1}\n\n\n"
        "class Settings(BaseSettings):\n    lgb_params = {'num_leaves': 31}\n\n\n"
        "class Trainer:\n    max_depth = 6\n"
    )
    got = [(f.rule, f.line, f.message.split("`")[1]) for f in findings(source)]
    # the wrappers' settings are the model's hyperparameters, written in code; a config
    # class's fields and a lone class constant are not reported
    assert got == [
        ("MLN201", 3, "learning_rate=0.05"),
        ("MLN201", 3, "n_estimators=1000"),
        ("MLN201", 10, "max_depth=25"),
        ("MLN201", 10, "min_samples_leaf=4"),
    ]


def test_a_monitoring_config_is_never_where_a_value_goes(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitoring/config/grafana_dashboards.yaml": "providers: []\n",
            "drift/evidently_config.yaml": "metrics: []\n",
            "src/app/train.py": "m = XGBClassifier(max_depth=6)\n",
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    [finding] = report.findings
    assert "suggest `train.max_depth: 6` in params.yaml" in finding.message


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


# cell 2 as Jupyter counts it: the markdown cell before it counts too
@pytest.mark.parametrize(("include", "expected"), [(False, []), (True, [("MLN203", 2, 2)])])
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
    return load_script(ROOT / "benchmarks" / "params_corpus.py", "params_corpus")


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


# -- issue 10: classes seen on repositories nobody here wrote --------------------------------


def findings(source: str, facts: ConfigFacts | None = None, path: str = "src/pkg/train.py"):  # type: ignore[no-untyped-def]
    module = PyModule(path, source, ast.parse(source))
    return analyse(module, build_config({}).section("params"), facts)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # module-level path and file constants
        ('DATA_ROOT = "/mnt/shared/data"', ["MLN202"]),
        ('TRAIN_CSV = "../input/train.csv"', ["MLN202"]),
        ('RAW = "..\\\\raw\\\\loans.csv"', ["MLN202"]),
        ('data_dir = "../../data/interim/"', ["MLN202"]),
        # path building
        ('RAW_DIR = os.path.join("data", "raw")', ["MLN202"]),
        ('raw = Path("data") / "raw"', ["MLN202"]),
        ('df = pd.read_csv(f"data/raw/{day}.csv")', ["MLN202"]),
        ('dump_model(model, "artifacts")', ["MLN202"]),
        ('write_frame(df, "data/clean")', ["MLN202"]),
        # hyperparameters by item assignment, dict(), conditional expressions
        ('cfg["max_iter"] = 500', ["MLN201"]),
        ("sched_params = dict(gamma=0.9, step_size=3)", ["MLN201", "MLN201"]),
        ('sched_params = {"gamma": 0.9, "step_size": 3}', ["MLN201", "MLN201"]),
        ("n_folds = 7 if not quick else 2", ["MLN201"]),
        ("kf = KFold(n_splits=7 if not quick else 2)", ["MLN201"]),
        # a named threshold table: one decision per gate
        ('release_gates = {"auc": 0.85, "recall": 0.6}', ["MLN204", "MLN204"]),
        ('MIN_METRICS = {\n    "auc": 0.8,\n    "f1": 0.55,\n}', ["MLN204", "MLN204"]),
    ],
)
def test_issue10_misses(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_threshold_table_is_one_finding_per_gate() -> None:
    """Each gate of a table is tuned on its own: one finding at each value, all proposing
    the one table (``evaluate.gates``) in the parameter file."""
    found = findings('gates = {\n    "auc": 0.85,\n    "recall": 0.6,\n}\n')
    assert [(f.line, f.details["key"]) for f in found] == [
        (2, "evaluate.gates.auc"),
        (3, "evaluate.gates.recall"),
    ]
    assert all("`evaluate.gates: {auc: 0.85, recall: 0.6}`" in f.message for f in found)


@pytest.mark.parametrize(
    "source",
    [
        # config classes are the configuration, in every form
        "@dataclass\nclass Cfg:\n    optim: dict = field(default_factory=lambda: {'lr': 1e-3, 'weight_decay': 0.01})",
        "@dataclass\nclass Cfg:\n    root: Path = Path('data') / 'raw'\n    lr: float = field(default=3e-4)",
        "class Cfg(BaseModel):\n    lr: float = Field(1e-3, ge=0)\n    data_path: str = '/mnt/data/x.csv'",
        "@attr.s\nclass Cfg:\n    seed = attr.ib(default=42)\n    epochs = attr.ib(default=30)",
        "class Cfg(NamedTuple):\n    batch_size: int = 64\n    threshold: float = 0.4",
        # one parameter name, different meanings per call
        "sched = ReduceLROnPlateau(opt, mode='min', threshold=1e-4, eps=1e-8)",
        "val_loader = DataLoader(val_ds, batch_size=256)",
        "loader = DataLoader(test_set, batch_size=512, shuffle=False)",
        "preds = model.predict(X_test, batch_size=1024)",
        "val_tf = bert.prepare_tf_dataset(tokenized_val, shuffle=False, batch_size=8)",
        "test_tf = ds_test.to_tf_dataset(columns=cols, batch_size=32)",
        "emb = encoder.encode(sentences, batch_size=128)",
        "bn = nn.BatchNorm2d(64, momentum=0.01, eps=1e-3)",
        "np.set_printoptions(threshold=0.5, precision=3)",
        "y = F.softplus(x, beta=2.0, threshold=20.5)",
        "tree.plot_tree(clf, max_depth=3, fontsize=8)",
        "args = TrainingArguments(output_dir=OUT, per_device_eval_batch_size=64)",
        # not data locations
        'CKPT_PREFIX = "checkpoints/model_"',
        'MODEL_SUFFIX = "_model.pkl"',
        'files = [f for f in os.listdir(d) if f.endswith(".csv")]',
        'URL = "https://download.pytorch.org/models/resnet50-19c8e357.pth"',
        'path = hf_hub_download(repo_id="org/model", filename="model.pt")',
        'TOKEN_PATH = "~/.kaggle/kaggle.json"',
        'creds = load_credentials("secrets/token.json")',
        'sys.path.append("../input/timm-pytorch-image-models/pytorch-image-models-master")',
        # a function's own defaults and CLI defaults
        "def train(lr=0.01, epochs=30, seed=7): ...",
        "def objective(trial):\n    x = trial.suggest_int('depth', *space['depth'])",
        # a DataFrame column is not a setting; creating a folder is not saving to it
        'results["n_estimators"] = 300',
        'os.makedirs("outputs", exist_ok=True)',
        # results of a search are not a search space
        'search_results = {"auc": [0.81, 0.84], "f1": [0.6, 0.7]}',
        "ops = [Integer(3), Integer(5)]",
    ],
)
def test_issue10_false_alarms(source: str) -> None:
    assert codes(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)",
        "train_tf = bert.prepare_tf_dataset(tokenized_train, shuffle=True, batch_size=16)",
    ],
)
def test_training_loader_batch_size_is_still_a_hyperparameter(source: str) -> None:
    assert codes(source) == ["MLN201"]


def test_one_finding_per_quantity_compared_on_a_line() -> None:
    """A band on one quantity is one decision; another quantity's cut-off is another."""
    band, cut = findings("flag = (0.3 < proba) & (proba < 0.7) | (score > 0.9)\n")
    assert (band.rule, cut.rule) == ("MLN204", "MLN204")
    assert "0.3, 0.7" in band.message and "`proba`" in band.message
    assert "`0.9`" in cut.message and "`score`" in cut.message


@pytest.mark.parametrize(
    ("source", "secret"),
    [
        ('MLFLOW_TRACKING_PASSWORD = "hunter2-Tr4ck1ng"', "hunter2-Tr4ck1ng"),
        (
            'os.environ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFMI/K7MDNG/bPxRfiCYz12ab9"',
            "wJalrXUtnFMI/K7MDNG/bPxRfiCYz12ab9",
        ),
        ('os.environ.setdefault("WANDB_API_KEY", "0123456789abcdef0123")', "0123456789abcdef0123"),
        (
            'login(token="hf_abcdefghijklmnopqrstuvwxyzABCDEFGH")',
            "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
        ),
        (
            's3 = boto3.client("s3", aws_secret_access_key="Zx9/Qw8+Er7Ty6Ui5Op4")',
            "Zx9/Qw8+Er7Ty6Ui5Op4",
        ),
        ('mlflow.set_tracking_uri("https://anna:Pa55word99@mlflow.example.org")', "Pa55word99"),
        ("class Settings:\n    registry_password = 'Qw3rty-Registry'", "Qw3rty-Registry"),
        (
            'hf_token = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"',
            "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
        ),
        (
            'sources = {"train": "https://bob:Zz8-Qq7-Ww6@data.example.org/train.csv"}',
            "Zz8-Qq7-Ww6",
        ),
        ('pd.read_csv("https://bob:Zz8-Qq7-Ww6@data.example.org/train.csv")', "Zz8-Qq7-Ww6"),
        # an incoming webhook's URL is its token, whatever the variable is called
        (
            "webhook_url = 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/"
            "q8W2e4R6t8Y0u2I4o6P8a0S2'",
            "q8W2e4R6t8Y0u2I4o6P8a0S2",
        ),
        (
            'requests.post("https://discord.com/api/webhooks/112233445566778899/'
            'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2", json=payload)',
            "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2",
        ),
    ],
)
def test_credentials_are_errors_and_redacted_everywhere(source: str, secret: str) -> None:
    [finding] = findings(source)
    assert finding.rule == "MLN208"
    assert finding.severity.label == "error"
    fields = [finding.message, finding.suggestion or "", finding.fix or "", finding.anchor]
    fields += [str(v) for v in finding.details.values()]
    fields.append(finding.identity())
    for shown in fields:
        assert secret not in shown
        assert secret[:6] not in shown
    assert "environ" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        'password = os.environ["MLFLOW_TRACKING_PASSWORD"]',
        'PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD"',
        'api_key = "YOUR_API_KEY_HERE"',
        'tok = AutoTokenizer.from_pretrained("bert")\ntok.pad_token = "[PAD]"',
        'eos_token = "</s>"',
        'token_path = "secrets/hf_token.txt"',
        'secret_name = "prod/mlflow"',
        'prompt = getpass("Enter your password: ")',
        # well-known defaults of local development containers
        'engine = create_engine("postgresql://mlflow:mlflow@localhost:5432/mlflow")',
        'hf_token = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
        'os.environ["AWS_SECRET_ACCESS_KEY"] = "minioadmin"',
    ],
)
def test_credential_traps(source: str) -> None:
    assert codes(source) == []


def test_credentials_reported_in_config_modules_and_exploration_notebooks(tmp_path: Path) -> None:
    notebook = json.loads(json.dumps(NOTEBOOK))
    notebook["cells"][1]["source"] = ['WANDB_API_KEY = "0123456789abcdef0123"\n', "lr = 0.1\n"]
    root = _tree(
        tmp_path,
        {
            "src/app/config.py": 'MLFLOW_TRACKING_PASSWORD = "hunter2-Tr4ck1ng"\nLR = 0.1\n',
            "notebooks/eda.ipynb": json.dumps(notebook),
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    assert [(f.path, f.rule) for f in report.findings] == [
        ("notebooks/eda.ipynb", "MLN208"),
        ("src/app/config.py", "MLN208"),
    ]


OPTUNA = """\
def objective(trial):
    params = {
        "max_depth": trial.suggest_int("max_depth", 3, 10),
        "eta": trial.suggest_float("eta", 1e-3, 0.3, log=True),
        "n_estimators": 500,
    }
    gamma = trial.suggest_float("gamma", 0.0, 5.0)
    return score(params, gamma)
"""


def test_optuna_objective_is_one_search_space() -> None:
    [finding] = findings(OPTUNA)
    assert finding.rule == "MLN209"
    assert (finding.line, finding.end_line) == (2, 7)
    assert "`max_depth`, `eta`, `gamma`" in finding.message
    assert finding.anchor == "space:objective:objective"
    assert finding.details["key"] == "search.objective"


def test_conditional_value_suggests_the_main_value_not_the_expression() -> None:
    [finding] = findings("n_folds = 7 if not quick else 2\n")
    assert "suggest `train.n_folds: 7` in params.yaml" in finding.message
    assert "(2)" in finding.message


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        (
            "search = GridSearchCV(model, {'C': [0.1, 1, 10], 'penalty': ['l1', 'l2']}, cv=5)",
            (1, 1),
        ),
        (
            "grid = [\n    {'kernel': ['rbf'], 'C': [1, 10]},\n    {'kernel': ['linear'], 'C': [1, 10]},\n]",
            (1, 4),
        ),
        (
            "space = {\n    'lr': tune.loguniform(1e-4, 1e-1),\n    'bs': tune.choice([32, 64]),\n}",
            (1, 4),
        ),
        ("space = {'x': hp.uniform('x', 0, 1), 'depth': hp.choice('depth', [3, 5])}", (1, 1)),
        ("dims = [Real(1e-4, 1e-1, name='lr'), Integer(1, 5, name='depth')]", (1, 1)),
        ("p = {'max_depth': [3, 5, 7]}\nsearch = RandomizedSearchCV(m, p)", (1, 1)),
    ],
)
def test_search_spaces_are_grouped(source: str, lines: tuple[int, int]) -> None:
    found = findings(source)
    spaces = [f for f in found if f.rule == "MLN209"]
    assert [(f.line, f.end_line) for f in spaces] == [lines]
    assert [
        f.rule
        for f in found
        if f.line is not None
        and lines[0] <= f.line <= lines[1]
        and f.rule != "MLN209"
        and "cv=" not in f.message
    ] == []


def test_search_space_severity_is_configurable(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"tune.py": OPTUNA})
    config = build_config({"severity": {"MLN209": "info"}})
    report = run(root, config, families=["params"], use_cache=False)
    assert [(f.rule, f.severity.label) for f in report.findings] == [("MLN209", "info")]


def test_keys_never_collide_and_never_come_from_hashes_or_dots() -> None:
    source = (
        "rf = RandomForestClassifier(n_estimators=300)\n"
        "et = ExtraTreesClassifier(n_estimators=500)\n"
        "xgb = XGBClassifier(n_estimators=800)\n"
        "lgbm = LGBMClassifier(n_estimators=1000)\n"
        'df = pd.read_csv("data/train.csv")\n'
        'df.to_csv("output/train.csv")\n'
        'x = pd.read_parquet("data/3f2a9c1b77d04e55.parquet")\n'
        'y = pd.read_csv("data/train.v2.final.csv")\n'
        'z = glob.glob("data/images/*.jpg")\n'
    )
    keys = [f.details["key"] for f in findings(source)]
    assert len(set(keys)) == len(keys), keys
    assert keys[:4] == [
        "train.random_forest.n_estimators",
        "train.extra_trees.n_estimators",
        "train.xgb.n_estimators",
        "train.lgbm.n_estimators",
    ]
    assert keys[4].startswith("data.") and keys[5].startswith("output.")
    assert keys[4:] == [
        "data.train",
        "output.train",
        "data.data",
        "data.train_v2_final",
        "data.images",
    ]


def test_open_for_writing_is_an_output() -> None:
    source = (
        'with open("models/rf.pkl", "wb") as f:\n    pickle.dump(m, f)\nopen("data/x.pkl", "rb")\n'
    )
    assert [f.details["key"] for f in findings(source)] == ["output.rf", "data.x"]


def test_suggestion_never_proposes_a_key_held_with_another_value() -> None:
    facts = ConfigFacts(
        leaves=(
            Leaf("params.yaml", "train.max_iter", 100),
            Leaf("params.yaml", "data.train", "data/prepared/train.parquet"),
        )
    )
    found = findings(
        'model = LogisticRegression(max_iter=500)\ndf = pd.read_csv("data/raw/train.csv")\n',
        facts,
    )
    assert [f.rule for f in found] == ["MLN201", "MLN202"]
    for finding in found:
        assert "suggest" not in finding.message
        assert "which this code ignores" in finding.message


def test_kedro_keys_go_to_parameters_not_the_catalog(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.kedro]\npackage_name = "churn"\n',
            "conf/base/catalog.yml": "raw:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/x.csv\n",
            "src/churn/pipelines/train/nodes.py": (
                "def fit(X, y):\n    return RandomForestClassifier(max_depth=8).fit(X, y)\n"
                "def load():\n    return pd.read_csv('data/01_raw/extra.csv')\n"
            ),
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    hyper, path = report.findings
    assert hyper.details["config_file"] == "conf/base/parameters.yml"
    assert "conf/base/parameters.yml" in hyper.message and "catalog" not in hyper.message
    # a location is a dataset of the catalog
    assert path.details["config_file"] == "conf/base/catalog.yml"
    assert "dataset `extra`" in path.message


def test_hydra_keys_go_to_the_group_the_module_is_instantiated_from(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "conf/config.yaml": "defaults:\n  - model: mlp\nseed: 1\n",
            "conf/model/mlp.yaml": "_target_: lhp.model.TabularMLP\nhidden_size: 64\n",
            "src/lhp/__init__.py": "",
            "src/lhp/model.py": (
                "class TabularMLP:\n"
                "    def configure_optimizers(self):\n"
                "        return AdamW(self.parameters(), lr=self.lr, weight_decay=0.05)\n"
            ),
        },
    )
    report = run(
        root, build_config({"profile": "application"}), families=["params"], use_cache=False
    )
    [finding] = report.findings
    assert finding.details["config_file"] == "conf/model/mlp.yaml"
    assert finding.details["key"] == "weight_decay"


def test_library_looks_at_training_entry_points_only(tmp_path: Path) -> None:
    notebook = json.loads(json.dumps(NOTEBOOK))
    notebook["cells"][1]["source"] = ["model = RandomForestClassifier(n_estimators=300)\n"]
    root = _tree(
        tmp_path,
        {
            "pyproject.toml": library_pyproject("tabkit"),
            "src/tabkit/__init__.py": "",
            "src/tabkit/zoo.py": "def small():\n    return nn.Dropout(0.3)\n",
            "src/tabkit/trainer.py": "def fit(model):\n    opt = Adam(model.parameters(), lr=3e-4)\n",
            "scripts/train.py": (
                "def main():\n    opt = Adam(params, lr=3e-4)\n\n"
                'if __name__ == "__main__":\n    main()\n'
            ),
            "examples/quickstart.ipynb": json.dumps(notebook),
            "demo.ipynb": json.dumps(notebook),
        },
    )
    report = run(root, build_config({"profile": "library"}), families=["params"], use_cache=False)
    assert [(f.path, f.rule) for f in report.findings] == [("scripts/train.py", "MLN201")]


def test_dvc_stage_makes_the_contradiction_certain(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "params.yaml": "seed: 1\ntrain:\n  max_depth: 8\n",
            "dvc.yaml": (
                "stages:\n  train:\n    cmd: python src/train.py\n"
                "    deps: [src/train.py]\n    params: [train.max_depth]\n"
                "  split:\n    cmd: python -m src.split\n    params:\n      - params.yaml:\n          - seed\n"
            ),
            "src/train.py": "m = XGBClassifier(max_depth=6, random_state=3)\n",
            "src/split.py": "x = train_test_split(X, y, random_state=3)\n",
        },
    )
    report = run(root, build_config({}), families=["params"], use_cache=False)
    assert [(f.path, f.rule) for f in report.findings] == [
        ("src/split.py", "MLN205"),
        ("src/train.py", "MLN205"),
        ("src/train.py", "MLN203"),  # `seed` does not feed the train stage: a warning
    ]


# -- classes the external corpus showed (development part), each written here ----------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a job's scratch files are not the project's data locations
        ('df.to_csv("/tmp/prediction.csv")', []),
        # a machine's data root is, wherever it is mounted
        ('root = "/data1/team/data"\nload(root)', ["MLN202"]),
        # a figure written into the project's folders is an output location
        ('plt.savefig("reports/figures/output/loss.png")', ["MLN202"]),
        # the literal part of a joined path names the location ...
        ('df = pd.read_csv(project_dir / "data/raw/train.csv")', ["MLN202"]),
        ('frame.to_csv(project_path + "data/02_intermediate/klines.csv")', ["MLN202"]),
        # ... unless it is only a file name or a suffix under a named folder
        ('fc.to_csv(OUT / "forecast.csv")', []),
        ('data.to_parquet(tmp + "/credit_card.parquet")', []),
        # an MLflow artifact path lives inside the run, not in the project
        ('mlflow.keras.log_model(model, "models/model_dl")', []),
        # the tuning budget is a tuned setting; a timeout is not
        ("study.optimize(objective, n_trials=50, timeout=600)", ["MLN201"]),
        # tuned string choices of a model; the task it solves is not a choice
        ('SVC(kernel="rbf", gamma="scale")', ["MLN201", "MLN201"]),
        ('LGBMClassifier(objective="binary", criterion="gini")', []),
        # an output call writing a file into a folder names an output location
        ('report.save_html("static/drift.html")', ["MLN202"]),
        # a model file written to the working directory, as `joblib.dump(m, "model.pkl")`
        ('gbm.save_model("model.txt")', ["MLN202"]),
        ('pylab.savefig(f"./Result/t-SNE/{perplexity}.png")', ["MLN202"]),
        ('X = np.loadtxt("mnist2500_X.txt")', ["MLN202"]),
        ('os.makedirs("out/", exist_ok=True)', []),
        # folders joined into a path-named variable are a location
        ('train_path = os.path.join("Faces", "Training")', ["MLN202"]),
        ('model_name = os.path.join("bert", "base")', []),
        # a path that exists on one machine breaks everywhere else, even as a default
        ('def save(out="/home/jacob/saves"):\n    pass', ["MLN202"]),
        ('parser.add_argument("--images", default="/home/jacob/data/images")', ["MLN202"]),
        ('def save(out="saves"):\n    pass', []),
        # identifiers of remote things and paths inside a tracking run are not locations
        ('DATASET_KAGGLE_URL = "austinreese/craigslist-carstrucks-data"', []),
        ('MLFLOW_MODEL = "models/model.xgb"', []),
        ('client.download_artifacts(run_id, "models", dst)', []),
        ('mlflow.xgboost.log_model(model, artifact_path="models")', []),
        # a compiled library is code, not data
        ('lib_path = "native/sigmoid.dll"', []),
        # medical-imaging networks and patch sampling (MONAI)
        ("UNETR(in_channels=1, img_size=512, out_channels=4, feature_size=8)", ["MLN201"]),
        ('RandCropByPosNegLabeld(keys=["x"], pos=4, neg=1, num_samples=4)', ["MLN201"] * 2),
        # the share of the data a split keeps
        ("n_train = int(len(dataset) * 0.8)", ["MLN201"]),
        ("half = len(items) * 2", []),
    ],
)
def test_external_corpus_classes(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def _repo_findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    report = run(tmp_path, build_config({}), families=["params"], use_cache=False)
    return sorted((f.path, f.rule) for f in report.findings)


def _nb(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "outputs": [], "source": [c]} for c in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_notebooks_are_exploration_beside_training_scripts(tmp_path: Path) -> None:
    files = {
        "train.py": "from sklearn.svm import SVC\n\ndef fit(x, y):\n    return SVC(C=2.0).fit(x, y)\n",
        "titanic.ipynb": _nb("model = XGBClassifier(max_depth=6)"),
    }
    assert _repo_findings(tmp_path, files) == [("train.py", "MLN201")]


def test_notebooks_are_the_pipeline_when_no_script_trains(tmp_path: Path) -> None:
    """A notebook that trains and writes the submission is the pipeline of a competition
    repository whose scripts train nothing; one under notebooks/ stays exploration."""
    files = {
        "transform_data.py": "import pandas as pd\n",
        "lgbm_multiclass.ipynb": _nb(
            "model = LGBMClassifier(num_leaves=63).fit(X, y)",
            'sub["target"] = model.predict(X_test)\nsub.to_csv("submission_lgbm.csv")',
        ),
        "notebooks/eda.ipynb": _nb(
            "model = LGBMClassifier(num_leaves=15).fit(X, y)", 'sub.to_csv("submission.csv")'
        ),
    }
    found = _repo_findings(tmp_path, files)
    assert {path for path, _ in found} == {"lgbm_multiclass.ipynb"}
    assert ("lgbm_multiclass.ipynb", "MLN201") in found


@pytest.mark.parametrize("served", [True, False])
def test_a_notebook_that_trains_the_model_a_service_loads_is_the_pipeline(
    tmp_path: Path, served: bool
) -> None:
    """The training notebook writes the model file the service's code opens: it delivers that
    model, so it is the pipeline (a flow named ``*_pipeline.py`` that only scores trains
    nothing). A notebook whose saved model nothing loads is exploration."""
    loads = "models/booster.bin" if served else "models/other.bin"
    files = {
        "service/predict.py": f'import pickle\n\nwith open("{loads}", "rb") as f:\n    model = pickle.load(f)\n',
        "flows/score_batch_pipeline.py": "def score(model, df):\n    return model.predict(df)\n",
        "training/fare.ipynb": _nb(
            "booster = xgb.train(params, train, num_boost_round=400)",
            'with open("models/booster.bin", "wb") as f_out:\n    pickle.dump(booster, f_out)',
        ),
    }
    found = _repo_findings(tmp_path, files)
    assert (("training/fare.ipynb", "MLN201") in found) is served
    if not served:
        assert not [path for path, _ in found if path.endswith(".ipynb")]


def test_notebooks_that_compare_models_are_exploration_anywhere(tmp_path: Path) -> None:
    """Coursework and paper-figure notebooks train models to compare or plot them and hand
    nothing in: their explicit values are the point, wherever the notebook sits."""
    files = {
        "part_1.ipynb": _nb(
            'train = pd.read_csv("Data/wine_train.csv")',
            "clf = SVC(kernel='rbf', C=10).fit(X, y)\nprint(clf.score(X_val, y_val))",
        ),
        "Fig2.ipynb": _nb("learning_rate = 0.1\nnet.fit(X, y)", 'plt.savefig("fig2.pdf")'),
    }
    assert _repo_findings(tmp_path, files) == []


def test_a_package_modules_main_block_is_a_smoke_test(tmp_path: Path) -> None:
    smoke = 'import torch\n\nif __name__ == "__main__":\n    torch.manual_seed(1337)\n'
    files = {
        "vq/__init__.py": "",
        "vq/quantize.py": smoke,
        "vq/train.py": smoke,  # an entry point: its main block is the run
    }
    assert _repo_findings(tmp_path, files) == [("vq/train.py", "MLN203")]


def test_plotting_modules_keep_locations_not_hyperparameters(tmp_path: Path) -> None:
    code = (
        "from sklearn.manifold import TSNE\n\n"
        "def draw(x):\n"
        "    emb = TSNE(perplexity=30, random_state=42).fit_transform(x)\n"
        '    plt.savefig("visualizations/tsne/embedding.png")\n'
    )
    assert _repo_findings(tmp_path, {"src/visualization/tsne_plot.py": code}) == [
        ("src/visualization/tsne_plot.py", "MLN202")
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a path-named constant holding a bare data folder is where the pipeline reads or writes
        ('ARTIFACT_PATH = "artifacts"', ["MLN202"]),
        ('PRED_DIR = "predictions"', ["MLN202"]),
        ('SCORES_FOLDER = "results/"', ["MLN202"]),
        # ... and so is a folder beside the project's own (the author's machine layout)
        ('OUT_DIR = "../scores/"', ["MLN202"]),
        ('CACHE_DIR = "..\\\\cache"', ["MLN202"]),
        # a constant named for a data set whose value is a data file
        ('CLEAN_DATASET = "loans_clean.feather"', ["MLN202"]),
        ('HOLDOUT_SET_PQ = "holdout.pq"', ["MLN202"]),
        # not locations: other folders, names that are not paths, dotted or empty parents
        ('TEMPLATE_DIR = "templates"', []),
        ('BASE_DIR = "."', []),
        ('ROOT_DIR = "../"', []),
        ('STYLE_PATH = "../theme.css"', []),
        ('mode = "artifacts"', []),
        ('dataset = "imdb"', []),
        ('DATASET_NAME = "loans_clean.csv"', []),
        ('DATA_VERSION = "v2"', []),
    ],
)
def test_named_location_constants(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


_FALLBACK = (
    "def build(cfg):\n"
    "    return Ranker(**cfg.get('ranker_params', {'max_depth': 5, 'learning_rate': 0.1}))\n"
)


def test_config_read_fallback_dict_is_the_settings_when_no_file_has_the_section() -> None:
    assert codes(_FALLBACK) == ["MLN201", "MLN201"]
    assert codes("opts = settings.get('svm', dict(C=3.0, gamma=0.2))") == ["MLN201"] * 2
    # the configuration holds the section: the fallback never runs
    held = ConfigFacts(
        files=(("params.yaml", "YAML"),),
        leaves=(Leaf("params.yaml", "ranker_params.max_depth", 7),),
    )
    assert codes(_FALLBACK, held) == []
    # a scalar fallback, and a fallback read from something that is not the configuration
    assert codes("lr = cfg.get('lr', 0.01)") == []
    assert codes("opts = kwargs.get('tree', {'max_depth': 5, 'learning_rate': 0.1})") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a listed call imported under another name is still that call
        ("from lightgbm import early_stopping as stop_early\ncb = stop_early(50)", ["MLN201"]),
        ("from sklearn.decomposition import PCA as Reduce\nr = Reduce(12)", ["MLN201"]),
        ("from lightgbm import early_stopping as stop_early\ncb = stop_early(verbose=0)", []),
        # XGBoost's early-stopping callback takes its rounds first; Keras and Lightning a monitor
        ("cb = xgboost.callback.EarlyStopping(25)", ["MLN201"]),
        ('cb = EarlyStopping("val_auc")', []),
        # a loop or comprehension variable stands for the items it iterates
        ('tags = ["hi" if q > 0.65 else "lo" for q in blended_probs]', ["MLN204"]),
        ("for s in val_scores:\n    keep = s >= 0.8", ["MLN204"]),
        ("for w in widths:\n    big = w > 0.8", []),
        # a list of decision cut-offs is one threshold finding
        ("out = fit_rounder(oof, y, init_thresholds=[0.4, 1.6, 2.4])", ["MLN204"]),
        ("RISK_CUTOFFS = (0.2, 0.45)", ["MLN204"]),
        ("out = fit_rounder(oof, y, thresholds=[0, 1])", []),
        ("out = fit_rounder(oof, y, thresholds=cfg['cuts'])", []),
    ],
)
def test_aliases_loops_and_cut_off_lists(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a seed fixed inside a search space is a seed in code (the space stays one finding)
        (
            'space = {"depth": hp.quniform("depth", 2, 9, 1), "seed": 11}',
            ["MLN209", "MLN203"],
        ),
        (
            'grid = {"C": [0.5, 2.0], "gamma": [0.1, 0.3], "random_state": [3]}',
            ["MLN209", "MLN203"],
        ),
        (
            "def objective(trial):\n"
            '    p = {"depth": trial.suggest_int("depth", 2, 9), "random_state": 5}\n'
            "    return fit(p)",
            ["MLN209", "MLN203"],
        ),
        ('grid = {"C": [0.5, 2.0], "gamma": [0.1, 0.3], "random_state": [3, 4]}', ["MLN209"]),
        # a hyperopt distribution wrapped in a cast is still a distribution
        (
            'space = {"leaves": scope.int(hp.quniform("leaves", 8, 64, 8)), "x": cast(3)}',
            ["MLN209"],
        ),
        # a %-formatted or .format() path names its literal folder
        ('np.save("outputs/curve_%s.npy" % run, curve)', ["MLN202"]),
        ('frame = pd.read_csv("data/interim/{}.csv".format(day))', ["MLN202"]),
        ('print("saved to data/%s" % name)', []),
        ('key = "%s/%s" % (bucket, name)', []),
        # a data file with spaces in its name, inside a data folder
        ('RAW = "../data/Loan Book 2020.xlsx"', ["MLN202"]),
        ('note = "data/ holds the Loan Book 2020.xlsx file"', []),
        # fold counts under their plain names; listed calls of feature selection, metric
        # learning and text preprocessing
        ("folds = 4", ["MLN201"]),
        ("splits = 6", ["MLN201"]),
        ("sample_size = 20000", ["MLN201"]),
        ("selector = VarianceThreshold(0.02)", ["MLN201"]),
        ("miner = miners.TripletMarginMiner(margin=0.3)", ["MLN201"]),
        ('tok = Tokenizer(num_words=5000, oov_token="<unk>")', ["MLN201"]),
    ],
)
def test_seeds_in_spaces_templated_paths_and_more_calls(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_factory_returns_are_named_by_the_callers_that_unpack_them(tmp_path: Path) -> None:
    zoo = (
        "def tiny():\n"
        "    return make(4), 8, 128, 0.35\n\n\n"
        "def wide():\n"
        "    return make(64), 40, 32, 0.6\n\n\n"
        "def pair():\n"
        "    return 3, 7\n"
    )
    files = {
        "src/zoo.py": zoo,
        # a caller picks the factory by name: every function of the module is one
        "src/run.py": (
            "import sys\nimport zoo\n\n"
            "net, epochs, batch_size, threshold = getattr(zoo, sys.argv[1])()\n"
            "low, high = zoo.pair()\n"
        ),
    }
    found = _repo_findings(tmp_path, files)
    assert found == [("src/zoo.py", "MLN201")] * 4 + [("src/zoo.py", "MLN204")] * 2
    # without a caller that names them, returned numbers are just numbers
    (tmp_path / "src/run.py").write_text("import zoo\nzoo.tiny()\n", encoding="utf-8")
    assert _repo_findings(tmp_path, {}) == []
    # a caller of a function of the same name in another module does not name these
    (tmp_path / "src/run.py").write_text(
        "import other\nnet, epochs, batch_size, threshold = other.tiny()\n", encoding="utf-8"
    )
    assert _repo_findings(tmp_path, {}) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the project's own loader over validation data: its batch size changes no result
        ("val_gen = DataGenerator(ids_val, y_val, batch_size=24)", []),
        ("train_gen = DataGenerator(ids_train, y_train, batch_size=24)", ["MLN201"]),
        ("holdout_loader = make_loader(test_items, batch_size=24)", []),
        # one image or style file an app shows is an asset, not a data set
        ('BANNER_PATH = "assets/banner-wide.png"', []),
        ('STYLE_FILE = "static/app.css"', []),
        ('FRAMES_PATH = "captures/frames"', ["MLN202"]),
        # t-SNE's gradient-norm stop is a convergence tolerance
        ("emb = TSNE(perplexity=40, min_grad_norm=1e-6).fit_transform(x)", ["MLN201"]),
    ],
)
def test_validation_generators_assets_and_tolerances(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # each data file of a list constant is a location
        ('SOURCES = ["../input/custom/jan.csv", "../input/custom/feb.csv"]', ["MLN202"] * 2),
        ('FEATURES = ["age", "income"]', []),
        ('SUFFIXES = [".csv", ".parquet"]', []),
        # a grid of one point is still the search space (and its seed a seed)
        ('param_grid = {"num_leaves": [12], "max_depth": [5]}', ["MLN209"]),
        ('row = {"num_leaves": [12]}', []),
        # LightGBM/XGBoost names
        ('params = {"subsample_for_bin": 300, "min_split_gain": 0.1}', ["MLN201"] * 2),
        # a positional literal of the module's own function lands in a named parameter
        (
            "def fit(model, epochs, lr, seed):\n    pass\n\nfit(net, 15, 3e-4, 7)",
            ["MLN201", "MLN201", "MLN203"],
        ),
        ("def scale(img, factor):\n    pass\n\nscale(img, 0.5)", []),
        ("def fit(model, epochs):\n    pass\n\nfit(*args)", []),
    ],
)
def test_path_lists_one_point_grids_and_own_positional_arguments(
    source: str, expected: list[str]
) -> None:
    assert codes(source) == expected


def test_a_script_named_like_a_test_is_analysed_when_it_holds_no_tests(tmp_path: Path) -> None:
    files = {
        # scores the trained model on the test split: a script, not a test
        "src/models/test_model.py": (
            "import pandas as pd\n\n"
            'frame = pd.read_csv("data/processed/holdout.csv")\n'
            "loader = SalesDataModule(frame, batch_size=64)\n"
        ),
        # real tests, outside a tests folder or inside one, stay out of the family's view
        "src/models/test_features.py": (
            'import pandas as pd\n\ndef test_load():\n    pd.read_csv("data/raw/a.csv")\n'
        ),
        "tests/test_train.py": 'import pandas as pd\npd.read_csv("data/raw/b.csv")\n',
    }
    # the script's own name says evaluation: its loader's batch size changes no result
    assert _repo_findings(tmp_path, files) == [("src/models/test_model.py", "MLN202")]


def test_the_script_name_decides_a_loader_only_when_its_data_does_not() -> None:
    module = PyModule(
        "src/evaluate_best.py",
        "loader = SalesDataModule(frame, batch_size=64)\n"
        "fit_loader = SalesDataModule(train_frame, batch_size=64)\n",
        ast.parse(
            "loader = SalesDataModule(frame, batch_size=64)\n"
            "fit_loader = SalesDataModule(train_frame, batch_size=64)\n"
        ),
    )
    found = analyse(module, build_config({}).section("params"))
    assert [(f.rule, f.line) for f in found] == [("MLN201", 2)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a data folder appended to a root the code computes is still fixed in code
        ("frames['path'] = os.getcwd() + '/data/raw/scans/' + frames['name']", ["MLN202"]),
        ("scan_dir = project_root() + '/data/interim/'", ["MLN202"]),
        ("name = base + '/scan.png'", []),
        ("text = 'Reading ' + 'data/raw/x.csv'", []),
        # a local database file is where its folder says
        ('store = RDBStorage(url="sqlite:///runs/tuning/study.db")', ["MLN202"]),
        ('study = optuna.create_study(storage="sqlite:///study.db")', []),
        ('study = optuna.create_study(storage="sqlite:///:memory:")', []),
        # where a run's artifacts are downloaded to is a local location
        ('download_artifacts(artifact_uri=uri, dst_path="../exported")', ["MLN202"]),
        ('download_artifacts(run_id=rid, artifact_path="model")', []),
        # the configuration's folder is not data
        ('@hydra.main(config_path="../configs", config_name="train")\ndef main(cfg): ...', []),
        # a file written into a folder by open(..., "w") is an output location
        ('with open("metrics/scores.json", "w") as f:\n    json.dump(s, f)', ["MLN202"]),
        ('with open("metrics/scores.json") as f:\n    s = json.load(f)', []),
        ('with open("docs/index.md", "w") as f:\n    f.write(page)', []),
    ],
)
def test_rooted_folders_databases_downloads_and_written_files(
    source: str, expected: list[str]
) -> None:
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the folder a path-named variable's file goes into
        ('file_path = "models/" + blob_name', ["MLN202"]),
        # a lone top folder a call's path starts with may be under a root the reader chose;
        # a deeper or explicitly relative one is where the file is (test_params_literal_shapes)
        ('arr = np.load("data/" + stem + ".npy")', []),
        ('arr = np.load("data/raw/" + stem + ".npy")', ["MLN202"]),
        ('label = "models/" + blob_name', []),
        # CatBoost names; torch's random_split takes the split sizes second
        ('params = {"depth": 4, "rsm": 0.6, "random_strength": 0.3}', ["MLN201"] * 3),
        ("train, val = random_split(ds, [48000, 12000])", ["MLN201"]),
        ("train, val = random_split(ds, [n_train, n_val])", []),
    ],
)
def test_prefixed_folders_catboost_names_and_split_sizes(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


_MLPROJECT = (
    "name: churn\n"
    "entry_points:\n"
    "  fit:\n"
    "    parameters:\n"
    "      epochs: {type: int, default: 40}\n"
    "      learning_rate: {type: float, default: 0.003}\n"
    "      seed: {type: int, default: 7}\n"
    '    command: "python jobs/fit.py --epochs {epochs} --learning-rate {learning_rate}"\n'
)


def test_cli_default_contradicting_the_mlflow_entry_point_that_runs_the_script(
    tmp_path: Path,
) -> None:
    fit = (
        "import argparse\n\n"
        "parser = argparse.ArgumentParser()\n"
        'parser.add_argument("--epochs", type=int, default=12)\n'
        'parser.add_argument("--learning-rate", type=float, default=3e-3)\n'
        'parser.add_argument("--seed", type=int, default=99)\n'
        'parser.add_argument("--batch-size", type=int, default=64)\n'
    )
    files = {"MLproject": _MLPROJECT, "jobs/fit.py": fit, "jobs/other.py": fit}
    # only the script the entry point runs, only the flag it passes, only a differing value;
    # the flags the entry point never passes (--seed, --batch-size) are fixed in code for
    # every MLflow run (tests/checks/test_params_usage.py), the script no entry point runs
    # keeps its command line as its interface
    assert _repo_findings(tmp_path, files) == [
        ("jobs/fit.py", "MLN201"),
        ("jobs/fit.py", "MLN203"),
        ("jobs/fit.py", "MLN205"),
    ]
    report = run(tmp_path, build_config({}), families=["params"], use_cache=False)
    (finding,) = [f for f in report.findings if f.rule == "MLN205"]
    assert finding.line == 4 and finding.details["key"] == "fit.epochs"
    # the same default in both places is one value: nothing to say
    (tmp_path / "jobs/fit.py").write_text(fit.replace("default=12", "default=40"), "utf-8")
    assert [f for f in _repo_findings(tmp_path, {}) if f[1] == "MLN205"] == []


def test_paths_assembled_from_module_constants() -> None:
    source = (
        "import os\n"
        'BASE = "data"\n'
        'STAGE = "processed"\n'
        'FNAME = "loans.csv"\n'
        "INTERIM = os.path.join(BASE, 'interim')\n"
        "\n"
        "def load(BASE):\n"
        "    return pd.read_csv(os.path.join(BASE, FNAME))\n"
        "\n"
        "def main():\n"
        "    frame = pd.read_csv(os.path.join(BASE, STAGE, FNAME))\n"
        "    return os.path.join(INTERIM, 'x.parquet')\n"
    )
    module = PyModule("src/pkg/train.py", source, ast.parse(source))
    found = analyse(module, build_config({}).section("params"))
    # the constant built from constants is reported where it is built; the join of plain
    # constants where it is used; a parameter shadowing a constant is not the constant, and
    # a join on a reported location is not reported again
    assert [(f.rule, f.line, f.details["value"]) for f in found] == [
        ("MLN202", 5, "data/interim"),
        ("MLN202", 11, "data/processed/loans.csv"),
    ]


# -- accuracy round 7 preparation: classes seen on the dev corpus, fixtures written here -----


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a scratch or cache folder of the job is gone when the job ends: no location
        ('CACHE_DIR = "/tmp/jit_cache"', []),
        ('numba.config.CACHE_DIR = "/tmp/jit_cache"', []),
        ('SCRATCH_DIR = "/var/tmp/run/parts"', []),
        # a registry name under `type`/`kind` only looks like a path; its siblings are places
        ('step = {"type": "data/reader", "path": "data/raw/prices.csv"}', ["MLN202"]),
        ('block = {"kind": "models/linear", "order": 2}', []),
        # a figure a drawing helper saves goes into a folder, as with savefig
        ('plot_importance(clf, cols, save_path="reports/figures/importance.png")', ["MLN202"]),
        ("plot_importance(clf, cols, max_num_features=12)", []),
        # a literal data folder the code fills with names it computes
        ('out = os.path.join("results", "scale" + str(k))', ["MLN202"]),
        ('os.makedirs(os.path.join("outputs", run_name), exist_ok=True)', ["MLN202"]),
        ("out = os.path.join(OUT_ROOT, run_name)", []),
        ('out = os.path.join("results", "summary.csv")', ["MLN202"]),
        # a data folder written after a prefix from the environment is still fixed in code
        ('src = f"{prefix}shop_sales/data/{name}"', ["MLN202"]),
        ('src = f"{root}/sales.csv"', []),
        ('model = load_model(f"{run_dir}/models/net")', []),
        ('src = f"{root}/{name}.csv"', []),
        # the share of the data one part of a split keeps
        ("n_val = int(np.floor(0.1 * n))", ["MLN201"]),
        ("len_train = int(frame.shape[0] * 0.75)", ["MLN201"]),
        ("cut_idx_split = int(rows.height * 0.85)", ["MLN201"]),
        ("train_test_split = 0.8", ["MLN201"]),
        ("val_ratio = 0.15", ["MLN201"]),
        ("half = int(width * 0.5)", []),
        ("crop = int(height * 0.9)", []),
        ("val_loss = loss * 0.5", []),
        # a folder written relative to the working directory on purpose
        ('image_dir = "./img"', ["MLN202"]),
        ('mask_path_out = "./msk"', ["MLN202"]),
        ('loaders = make_loaders("./img", "./msk")', ["MLN202", "MLN202"]),
        ('os.chdir("./")', []),
        ('sys.path.append("./src")', []),
        ('tpl = Environment(loader=FileSystemLoader("./templates"))', []),
        ('label = "./img"', []),
        # a tool's own records and scratch are not the project's locations
        ('mlflow.set_tracking_uri("./mlruns")', []),
        ('shutil.rmtree("./lightning_logs")', []),
        ('args = TrainingArguments(output_dir="tmp")', []),
        # a parameter file's path is where the settings live, not data
        ('params_file = "conf/base/parameters/features.yml"', []),
        ('settings_path = "settings/run.toml"', []),
        # a tiny number compared with a score guards a division; a cut-off decides
        ("ok = np.std(scores) > 1e-10", []),
        ("keep = proba > 0.35", ["MLN204"]),
        # any patience is a patience; LightGBM's singular alias of early_stopping_rounds
        ("cb = EpochMetrics(run, early_stopping_patience=6)", ["MLN201"]),
        ('params = {"num_leaves": 15, "early_stopping_round": 20}', ["MLN201", "MLN201"]),
        # a threshold under a common abbreviation
        ("self.pred_cls_thres = 0.6", ["MLN204"]),
        # the bounds an outlier filter keeps, each bound one decision
        ('df = remove_outliers(df, {"delay_min": [-300, 1800]})', ["MLN204", "MLN204"]),
        ('df = clip_outliers(df, "price", z=3.5)', ["MLN204"]),
        ('df = remove_outliers(df, "price", method="iqr", n_jobs=4, random_state=3)', ["MLN203"]),
        # a tail quantile kept as a feature describes the data; one a filter uses is a cut-off
        ("p90.append(frame['amount'].quantile(0.9))", []),
        ("feats['amount_p95'] = frame['amount'].quantile(0.95)", []),
        ("cap = frame['amount'].quantile(0.99)", ["MLN204"]),
        ("frame = frame[frame['amount'] < frame['amount'].quantile(0.99)]", ["MLN204"]),
        # a tuning budget is a setting whatever receives it
        ("run_search(x, y, num_trials=30)", ["MLN201"]),
        ("tuner = BoostTuner(name='gbm', n_trials=120)", ["MLN201"]),
        ("rates = simulate_subjects(n_trials=120)", []),
        ("n_trials = 100", []),
        ("pruner = optuna.pruners.MedianPruner(n_warmup_steps=10)", []),
        ("best = fmin(fn, space, algo=tpe.suggest, max_evals=40)", ["MLN201"]),
        # a model folder on disk written as a relative path is a location; a hub id is not
        ('model = AutoModel.from_pretrained("../data/segformer")', ["MLN202"]),
        ('model = AutoModel.from_pretrained("nvidia/mit-b0")', []),
        ('proc = AutoImageProcessor.from_pretrained("./")', []),
    ],
)
def test_dev_corpus_location_and_split_classes(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_a_fallback_for_a_key_the_configuration_has_is_its_default() -> None:
    guarded = (
        'if "db_path" not in store_cfg:\n'
        '    store_cfg["db_path"] = "data/raw/ticks.duckdb"\n'
        "store = Store(**store_cfg)\n"
    )
    read = 'folder = cfg["model"].get("weights_dir", "models/blend")\n'
    held = ConfigFacts(
        files=(("conf/base/parameters.yml", "YAML"),),
        leaves=(
            Leaf("conf/base/parameters.yml", "store.db_path", "data/raw/ticks.duckdb"),
            Leaf("conf/base/parameters.yml", "model.weights_dir", "models/blend"),
        ),
    )
    # the configuration has the key: the literal runs only when it is missing
    assert codes(guarded, held) == []
    assert codes(read, held) == []
    # no parameter file has the key: the literal is the location every run uses
    assert codes(guarded) == ["MLN202"]
    assert codes(read) == ["MLN202"]
    # a scalar fallback stays silent either way
    assert codes('lr = cfg.get("lr", 0.01)') == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a module constant whose slash says folder; inside a function a sub-folder name
        ('RUNS_PATH = "saved_runs/"', ["MLN202"]),
        ('def pick(train):\n    sub_dir = "train/" if train else "test/"\n    return sub_dir', []),
        ('TEMPLATE_DIR = "templates/"', []),
        # a trainer's output folder, whatever its name; not where it logs or caches
        (
            'args = TrainingArguments(output_dir="segformer-run", learning_rate=3e-4)',
            ["MLN202", "MLN201"],
        ),
        ('args = TrainingArguments(logging_dir="tb-logs")', []),
        ('tok = AutoTokenizer.from_pretrained("bert-base", cache_dir="hf-cache")', []),
        # a setting fixed as a class attribute of a class with behaviour; a namespace of
        # settings (no base, no methods, or named like a configuration) is the configuration
        (
            "class TargetEncoder:\n    n_fold = 7\n\n    def fit(self, x):\n        return x\n",
            ["MLN201"],
        ),
        ("class CFG:\n    n_fold = 7\n    lr = 1e-3\n", []),
        ("class Defaults:\n    n_fold = 7\n", []),
        (
            "class Block(nn.Module):\n    expansion = 4\n\n    def forward(self, x):\n        return x\n",
            [],
        ),
    ],
)
def test_folder_constants_output_folders_and_class_settings(
    source: str, expected: list[str]
) -> None:
    assert sorted(codes(source)) == sorted(expected)


def test_a_bare_file_name_handed_to_a_helper_of_a_sibling_module_is_a_name(
    tmp_path: Path,
) -> None:
    script = (
        "from store_utils import keep_artifact\n"
        "from joblib import dump\n\n"
        "def main(model, encoder):\n"
        '    keep_artifact(encoder, "encoder.pickle")\n'
        '    dump(model, "model.joblib")\n'
        '    keep_artifact(model, "./exports")\n'
    )
    helper = 'import os\n\ndef keep_artifact(obj, name):\n    os.path.join("artifacts", name)\n'
    # the helper is the project's (store_utils.py beside the script): the name is a name,
    # and the helper's own folder is the location; a library's dump still writes a file
    # (a folder written as one, "./exports", is still a location)
    found = _repo_findings(tmp_path, {"fit.py": script, "store_utils.py": helper})
    assert found == [("fit.py", "MLN202"), ("fit.py", "MLN202"), ("store_utils.py", "MLN202")]
    # the same import with no such module in the repository is a library's function
    (tmp_path / "store_utils.py").unlink()
    assert _repo_findings(tmp_path, {}) == [("fit.py", "MLN202")] * 3


def test_flat_imports_are_read_as_text() -> None:
    from mlnudge.checks.params.imports import flat_imports, own_helpers

    text = (
        "from utils import save_artifact, load as read_back\n"
        "from pkg.sub import thing\n"
        "from . import sibling\n"
        "    from helpers import (\n        a,\n    )\n"
    )
    rows = flat_imports(text)
    assert rows == [["utils", ["save_artifact", "read_back"]], ["pkg.sub", ["thing"]]]
    assert own_helpers("jobs/run.py", rows, {"jobs/utils.py"}) == ("read_back", "save_artifact")
    assert own_helpers("jobs/run.py", rows, {"utils/__init__.py"}) == ("read_back", "save_artifact")
    assert own_helpers("jobs/run.py", rows, {"other/utils.py"}) == ()


# -- round-9 preparation (acc-params-2): each class one sentence, fixtures written here ---------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a data folder put on the working directory is the same as writing ``./features/``
        ('FEAT_DIR = os.path.join(os.getcwd(), "features")', ["MLN202"]),
        ('x = pd.read_parquet(Path.cwd() / "data" / "train.parquet")', ["MLN202"]),
        ('x = pd.read_csv(os.getcwd() + "/results" + "/oof.csv")', ["MLN202"]),
        (
            "import os\ncwd = os.getcwd()\n\ndef load():\n"
            '    return pd.read_csv(os.path.join(cwd, "input", "sales.csv"))\n',
            ["MLN202"],
        ),
        (
            'import os\ncwd = os.getcwd()\nhere = "/src/jobs"\n\ndef load():\n'
            '    return read_all(cwd.replace(here, "/features"))\n',
            ["MLN202"],
        ),
        # ... but code, notes or nothing on it are no data location
        ('sys_dir = os.path.join(os.getcwd(), "src")', []),
        ('print(os.getcwd() + "/notes")', []),
        ("root = os.getcwd()", []),
        ('import os\ncwd = os.getcwd()\nlib = cwd.replace("/src/jobs", "")\n', []),
    ],
)
def test_folders_on_the_working_directory(source: str, expected: list[str]) -> None:
    """*The working directory is no root the code chose*: a data folder put on it
    (``os.path.join(os.getcwd(), "features")``, ``Path.cwd() / "data"``) is fixed in code."""
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        # the folder the code itself sits in is an anchor to the code, not data
        ('this_folder = "/jobs/models"', "jobs/models/fit_gbm.py", []),
        ('HERE = "jobs/models/"', "jobs/models/fit_gbm.py", []),
        # a data folder of the same name elsewhere, or one folder deep, still is a location
        ('MODEL_DIR = "models/"', "jobs/models/fit_gbm.py", ["MLN202"]),
        ('this_folder = "/jobs/models"', "jobs/train.py", ["MLN202"]),
        ('DATA_DIR = "/data"', "jobs/data/app.py", ["MLN202"]),
    ],
)
def test_the_codes_own_folder_is_no_data_location(
    source: str, path: str, expected: list[str]
) -> None:
    assert [f.rule for f in findings(source, path=path)] == expected


def test_every_number_of_a_boosters_parameter_dict_is_a_setting() -> None:
    """*A booster's parameter dict holds nothing but the booster's settings*: a dict that names
    its booster (``objective``, ``boosting_type``, ``booster``, ``tree_method``) and two known
    settings makes its other numbers settings too; infrastructure keys stay silent."""
    source = (
        "def fit(x, y, loss):\n"
        "    opts = {\n"
        '        "boosting_type": "goss",\n'
        '        "metric": loss,\n'
        '        "learning_rate": 0.02,\n'
        '        "num_leaves": 31,\n'
        '        "top_rate": 0.35,\n'
        '        "other_rate": 0.15,\n'
        '        "gpu_device_id": 1,\n'
        '        "num_threads": 8,\n'
        '        "verbose": -1,\n'
        "    }\n"
        "    return lgb.train(opts, lgb.Dataset(x, y))\n"
    )
    found = findings(source, path="jobs/fit_gbm.py")
    # (line 3: the boosting type is a tuned string choice, as ``boosting_type=`` of a call is)
    assert [(f.rule, f.line) for f in found] == [("MLN201", n) for n in (3, 5, 6, 7, 8)]
    # without a booster's key, an unknown number in a dict is no setting we can name
    plain = 'def fit():\n    opts = {"learning_rate": 0.02, "num_leaves": 31, "top_rate": 0.35}\n'
    assert [f.line for f in findings(plain)] == [2, 2]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('df["spend"] = df["spend"].apply(lambda v: min(v, 0.75))', ["MLN204"]),
        ('df["spend"] = df["spend"].clip(lower=-40, upper=2500)', ["MLN204", "MLN204"]),
        ('df["visits"] = df["visits"].map(lambda n: max(n, 3))', ["MLN204"]),
        # a numerical guard, an array's or a tensor's range, arithmetic: no cut-off
        ('df["p"] = df["p"].clip(1e-15, 1 - 1e-15)', []),
        ("img = np.clip(img, 0, 255)", []),
        ("act = hidden.clip(0.0, 6.0)", []),
        ('df["visits"] = df["visits"].map(lambda n: n * 3)', []),
    ],
)
def test_a_cap_on_a_column_is_a_cut_off(source: str, expected: list[str]) -> None:
    """*The cap or floor a cleaning step puts on a column is a data decision someone tunes*."""
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a data folder put on the code's own place is fixed in code, as on the working directory
        (
            'def load():\n    src = Path(__file__).parent.parent / "data"\n    return src\n',
            ["MLN202"],
        ),
        (
            'RAW = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "raw")',
            ["MLN202"],
        ),
        (
            "HERE = Path(__file__).resolve().parents[2]\n\ndef fit():\n"
            '    return pd.read_parquet(HERE / "features" / "train.parquet")\n',
            ["MLN202"],
        ),
        # ... templates, code and the place itself are not data
        ('TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")', []),
        ('sys.path.append(os.path.join(os.path.dirname(__file__), "..", "src"))', []),
        ("here = os.path.dirname(os.path.abspath(__file__))", []),
    ],
)
def test_folders_on_the_codes_own_place(source: str, expected: list[str]) -> None:
    """*A root taken from the code's own file is the project, not a setting*: a data folder
    put on it (``Path(__file__).parent / "data"``) is fixed in code."""
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('uri = f"s3://{bucket}/data/loans.csv"', ["MLN202"]),
        ('uri = f"gs://{BUCKET}/results/{run}_scores.parquet"', ["MLN202"]),
        # the bucket and the key both in names: the names hold the location
        ('uri = f"s3://{BUCKET}/{key}"', []),
        ('uri = f"runs:/{run_id}/model"', []),
    ],
)
def test_a_key_written_after_the_bucket_is_a_location(source: str, expected: list[str]) -> None:
    """*The key inside a bucket is where the data is, whatever names the bucket*."""
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('sales.loc[sales["target"] < -25, "anomaly"] = 1', ["MLN204"]),
        ('sales.loc[sales.churn_label >= 0.7, "likely"] = True', ["MLN204"]),
        # a bound on a feature builds a feature; an equality picks a category
        ('sales.loc[sales.amount > 900, "big_ticket"] = 1', []),
        ('sales.loc[sales["target"] == 2, "kind"] = "b"', []),
    ],
)
def test_a_bound_on_the_target_that_marks_rows_defines_a_label(
    source: str, expected: list[str]
) -> None:
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def decay(opt, epoch):\n    return base_lr * (0.5 ** (epoch // 20))\n", ["MLN201"] * 2),
        ("rate = 0.97 ** (self.global_step // 500)", ["MLN201"] * 2),
        # a power of a count that is no training counter, or of an integer base: arithmetic
        ("width = 0.5 ** (depth // 2)", []),
        ("size = 2 ** (epoch // 3)", []),
    ],
)
def test_a_hand_written_step_schedule_has_two_settings(source: str, expected: list[str]) -> None:
    """*A hand-written schedule's factor and step are its settings, as ``StepLR``'s are*."""
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Lasso(alpha=0.02, tol=1e-4, max_iter=5000)", ["MLN201", "MLN201"]),
        ("LogisticRegression(C=0.3, tol=0.001)", ["MLN201"]),
    ],
)
def test_a_solvers_tolerance_is_numerics(source: str, expected: list[str]) -> None:
    """*A solver's convergence tolerance decides when the numerics stop, not the model*."""
    assert codes(source) == expected


_SERVE = (
    "import torch\nfrom torch import nn\n\n"
    "def restore(path, n_out):\n"
    "    net = nn.Sequential(nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, n_out))\n"
    "    net.load_state_dict(torch.load(path))\n"
    "    net.eval()\n"
    "    return net\n"
)


def test_a_network_rebuilt_to_load_weights_has_no_dropout_setting() -> None:
    """*A network rebuilt only to load trained weights and predict has no training settings*:
    its dropout is inactive; the same module that also trains it keeps the finding."""
    assert codes(_SERVE) == []
    trains = _SERVE + "\ndef tune(net, batch):\n    net(batch).sum().backward()\n"
    # the dropout and (acc-params-10) the hidden width of the network it trains
    assert codes(trains) == ["MLN201", "MLN201"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # ``*_folder=`` takes a location as ``*_dir=`` does
        ('ds = ImageSet(image_folder="data/processed/train")', ["MLN202"]),
        ('ds = ImageSet(data_folder=base / "data/processed", train=True)', ["MLN202"]),
        ('app = Flask(__name__, template_folder="templates")', []),
        # ``Path()`` is the working directory
        ('OUT = Path() / "results"', ["MLN202"]),
        ('SRC = Path(".") / "src"', []),
    ],
)
def test_folder_keywords_and_the_empty_path(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_a_space_filled_item_by_item_is_one_space() -> None:
    """*A search space filled item by item is one space, as the dict literal would be*."""
    source = (
        "def tune(x, y):\n"
        "    grid = dict()\n"
        '    grid["n_estimators"] = range(50, 400, 50)\n'
        '    grid["max_depth"] = [3, 5, 8]\n'
        "    return RandomizedSearchCV(forest, grid).fit(x, y)\n"
    )
    found = findings(source)
    assert [(f.rule, f.line, f.end_line) for f in found] == [("MLN209", 2, 4)]
    # a second space started under the same name in the same function is a second space
    again = source + '    grid = {}\n    grid["n_neighbors"] = range(3, 30)\n'
    assert [(f.line, f.end_line) for f in findings(again)] == [(2, 4), (6, 7)]
    # a dict of results under no space name, or a value from elsewhere, is no space
    assert codes('def f():\n    scores = {}\n    scores["n_estimators"] = [100, 200]\n') == []
    assert codes('def f(n):\n    grid = {}\n    grid["n_estimators"] = n\n') == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "def classify(out):\n    for j in range(len(out)):\n"
            "        if out[j] >= 0.62:\n            preds[j] = 1\n"
            "        else:\n            preds[j] = 0\n",
            ["MLN204"],
        ),
        # branches that write no prediction: the number is the code's business
        ("def grow(v):\n    if v > 0.62:\n        scale = 2\n", []),
    ],
)
def test_a_comparison_whose_branches_write_the_prediction_decides_it(
    source: str, expected: list[str]
) -> None:
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'ROOT = Path(__file__).resolve().parent\nFALLBACK = ROOT / "models" / "current"\n'
            'WEIGHTS = Path(os.getenv("WEIGHTS_DIR", FALLBACK))\n',
            [],
        ),
        ('FALLBACK = "models/current/"\nWEIGHTS = os.environ.get("WEIGHTS_DIR", FALLBACK)\n', []),
        # the same constant used directly is fixed in code
        ('FALLBACK = "models/current/"\nWEIGHTS = FALLBACK\n', ["MLN202"]),
    ],
)
def test_an_environment_variables_fallback_is_configurable(
    source: str, expected: list[str]
) -> None:
    """*A location that is an environment variable's fallback is configurable already*."""
    assert codes(source) == expected
