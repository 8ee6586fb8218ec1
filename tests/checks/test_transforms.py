"""MLN3xx: transformation functions are run by tests (static and coverage.py methods)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import write_tree

from mlnudge.checks import transforms
from mlnudge.checks.base import CheckContext
from mlnudge.cli import main
from mlnudge.config import build_config
from mlnudge.facts.repo import Repo
from mlnudge.finding import Finding
from mlnudge.project import detect
from mlnudge.runner import run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "transforms"


# -- helpers ------------------------------------------------------------------------------------


def write(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def check(
    root: Path, options: Mapping[str, Any] | None = None, targets: list[str] | None = None
) -> list[Finding]:
    config = build_config({"transforms": dict(options or {})})
    report = run(root, config, targets=targets, families=["transforms"], use_cache=False)
    return list(report.findings)


def analyse(
    root: Path, options: Mapping[str, Any] | None = None, targets: tuple[str, ...] | None = None
) -> tuple[list[transforms.Decision], list[str]]:
    config = build_config({"transforms": dict(options or {})})
    repo = Repo.discover(root, config)
    ctx = CheckContext(
        repo=repo,
        config=config,
        options=config.section("transforms"),
        family="transforms",
        project=detect(repo),
        targets=targets,
    )
    decisions, _ = transforms.analyse(ctx)
    return decisions, ctx.notes


def untested(findings: list[Finding]) -> set[str]:
    return {f.anchor.rsplit(".", 1)[-1] for f in findings if f.rule == "MLN301"}


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COV_CORE_", "COVERAGE_", "PYTEST_"))
    }


def run_coverage(root: Path) -> subprocess.CompletedProcess[str]:
    """The user's command: ``python -m pytest --cov --cov-context=test``."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--cov",
            "--cov-context=test",
            "--cov-report=",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=root,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (root / ".coverage").is_file()
    return proc


# -- which functions are transformations ----------------------------------------------------------

IDENTIFY = [
    pytest.param(
        "pkg/atoms.py",
        "import pandas as pd\n\n\nclass DateAtom(Atom):\n    def call(self, df_input, y=None):\n"
        "        out_df = pd.DataFrame()\n        date = pd.to_datetime(df_input['date'])\n"
        "        out_df['day_of_week'] = date.dt.dayofweek\n        out_df['day'] = date.dt.day\n"
        "        return out_df\n\n\n"
        "def summary(df):\n    stats = {}\n    stats['rows'] = len(df)\n    return stats\n",
        {"DateAtom.call"},
        id="a-frame-filled-column-by-column-from-the-input",
    ),
    pytest.param(
        "pkg/utils.py",
        "import torch\n\ndef create_dataloaders(X_train, y_train, batch_size):\n"
        "    ds = TorchDataset(X_train.astype(float), y_train)\n"
        "    loader = DataLoader(ds, batch_size=batch_size)\n    return loader\n",
        set(),
        id="loader-factories-feed-data",
    ),
    pytest.param(
        "pkg/features.py",
        "def validate_input(df):\n    df = df.dropna()\n    return df.astype(float)\n"
        "def check_columns(df):\n    return df[['a', 'b']].copy()\n",
        set(),
        id="validators-inspect-their-input",
    ),
    pytest.param(
        "pkg/features.py",
        "def add_ratio(df):\n    return df.assign(ratio=df.a / df.b)\n",
        {"add_ratio"},
        id="name-and-location",
    ),
    pytest.param(
        "pkg/util.py",
        "def tidy(df):\n    df = df.fillna(0).merge(df, on='id')\n"
        "    return df.groupby('id').sum()\n",
        {"tidy"},
        id="body-operations",
    ),
    pytest.param(
        "pkg/util.py",
        "def tidy(df: 'pd.DataFrame') -> 'pd.DataFrame':\n    return df\n",
        set(),
        id="identity-changes-nothing",
    ),
    pytest.param(
        "pkg/util.py",
        "import pandas as pd\n\ndef tidy(df: pd.DataFrame) -> pd.DataFrame:\n"
        "    return df.dropna()\n",
        {"tidy"},
        id="signature-and-one-operation",
    ),
    pytest.param(
        "pkg/model.py",
        "class Scaler:\n    def fit(self, X):\n        self.scale = 2\n        return self\n"
        "    def transform(self, X):\n        return X / self.scale\n",
        {"Scaler.transform"},
        id="sklearn-transform-method-not-fit",
    ),
    pytest.param(
        "pkg/util.py",
        "from pkg.marks import transformation\n\n@transformation\ndef whatever(x):\n    return x\n",
        {"whatever"},
        id="marker-decorator",
    ),
    pytest.param(
        "pkg/nodes.py",
        "def combine(a, b):\n    return a\n",
        set(),
        id="neutral-name-not-a-kedro-node",
    ),
    pytest.param(
        "pkg/data/io.py",
        "import pandas as pd\n\ndef load_sales(path):\n    return pd.read_csv(path).dropna()\n\n"
        "def save_features(df, path):\n    df.to_parquet(path)\n",
        set(),
        id="loaders-and-savers",
    ),
    pytest.param(
        "pkg/features/plots.py",
        "import matplotlib.pyplot as plt\n\ndef feature_histogram(df):\n"
        "    plt.hist(df['x'].fillna(0))\n    return plt.gcf()\n",
        set(),
        id="plotting",
    ),
    pytest.param(
        "pkg/preprocessing/cli.py",
        "import click\n\n@click.command()\ndef preprocess(path):\n    return path\n",
        set(),
        id="cli-entry-point",
    ),
    pytest.param(
        "pkg/data/net.py",
        "import torch\n\nclass Net(torch.nn.Module):\n"
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n        return x.clamp(0)\n",
        set(),
        id="model-forward",
    ),
    pytest.param(
        "pkg/data/client.py",
        "import requests\n\ndef featurize_remote(df):\n"
        "    return requests.post('http://x', json=df.to_dict()).json()\n",
        set(),
        id="http-client",
    ),
    pytest.param(
        "pkg/data/report.py",
        "def describe(df: 'pd.DataFrame') -> None:\n    print(df.head())\n",
        set(),
        id="sink-returns-nothing",
    ),
    pytest.param(
        "pkg/binning.py",
        "import numpy as np\n\nclass QuantileBinner:\n"
        "    def fit(self, X, y=None):\n        self.edges_ = np.quantile(X, [0.25, 0.5, 0.75])\n"
        "        return self\n\n"
        "    def transform(self, X):\n        return np.digitize(X, self.edges_)\n\n"
        "    def fit_transform(self, X, y=None):\n        self.fit(X, y)\n"
        "        return self.transform(X)\n",
        {"QuantileBinner.transform"},
        id="fit-transform-that-only-chains-fit-and-transform",
    ),
    pytest.param(
        "pkg/scoring.py",
        "import numpy as np\nfrom scipy import stats\n\n"
        "def label_entropy(labels, n_classes):\n    counts = np.zeros(n_classes)\n"
        "    for label in labels:\n        counts[label] += 1.0\n"
        "    return stats.entropy(counts / counts.sum())\n\n"
        "def blend_objective(weights, y_true, p1, p2):\n"
        "    blended = p1 * weights[0] + p2 * weights[1]\n"
        "    return -weighted_kappa(y_true, np.rint(blended))\n\n"
        "def blend(weights, p1, p2):\n    return np.clip(p1 * weights[0] + p2 * weights[1], 0, 1)\n\n"
        "def fold_average(fold_preds):\n    return np.mean(np.vstack(fold_preds), 0)\n",
        {"blend", "fold_average"},
        id="metrics-and-objectives-return-one-number",
    ),
    pytest.param(
        "pkg/metrics.py",
        "import numpy as np\n\nclass Median:\n    def __call__(self, df: 'pd.DataFrame'):\n"
        "        return df.median()\n\n"
        "class RMSLE:\n    def __call__(self, y_true, y_score):\n"
        "        y_score = np.clip(y_score, a_min=0, a_max=None)\n"
        "        return np.sqrt(mean_squared_log_error(y_true, y_score))\n\n"
        "class Metrics:\n    def __call__(self, y_true, y_pred):\n        logs = {}\n"
        "        for metric in self.metrics:\n"
        "            logs[metric.name] = np.mean([metric(y_true[:, i], y_pred[i]) for i in range(3)])\n"
        "        return logs\n",
        set(),
        id="metric-objects-called-like-functions",
    ),
    pytest.param(
        "pkg/monitoring.py",
        "import pandas as pd\nfrom evidently import ColumnMapping\n"
        "from evidently.report import Report\nfrom evidently.metric_preset import DataDriftPreset\n\n"
        "def drift_report(reference: pd.DataFrame, current: pd.DataFrame):\n"
        "    current['pred'] = current['pred'].astype(int)\n"
        "    report = Report(metrics=[DataDriftPreset()])\n"
        "    report.run(reference_data=reference, current_data=current,"
        " column_mapping=ColumnMapping(target='y'))\n"
        "    return report.as_dict()\n",
        set(),
        id="drift-and-quality-reports",
    ),
    pytest.param(
        "pkg/data/market.py",
        "import pandas as pd\n\ndef fetch_candles(symbol: str, interval: str) -> pd.DataFrame:\n"
        "    minutes = int(interval[:-1])\n"
        "    rows = client.get_klines(symbol=symbol, minutes=minutes)\n"
        "    frame = pd.DataFrame(rows)\n    frame['close'] = frame['close'].astype(float)\n"
        "    return frame\n",
        set(),
        id="api-client-loaders",
    ),
    pytest.param(
        "pkg/models/perceptron.py",
        "import numpy as np\n\nclass Perceptron:\n"
        "    def fit(self, X, y):\n        self.w_ = np.zeros(X.shape[1])\n        return self\n\n"
        "    def activation(self, X):\n        return np.dot(X, self.w_) + 0.5\n\n"
        "    def predict(self, X):\n        return np.where(self.activation(X) >= 0, 1, 0)\n\n"
        "    def preprocess(self, df):\n        return df.fillna(0).astype(float)\n",
        {"Perceptron.preprocess"},
        id="methods-of-a-model-class-with-fit-and-predict",
    ),
    pytest.param(
        "pkg/batches.py",
        "import numpy as np\n\nclass Runner:\n"
        "    def gather(self, outputs, targets):\n"
        "        return np.vstack(outputs), np.hstack(targets)\n\n"
        "    def gather_probs(self, outputs):\n        scores = np.vstack(outputs)\n"
        "        return scores / scores.sum(axis=1, keepdims=True)\n\n"
        "def side_by_side(left: 'pd.DataFrame', right: 'pd.DataFrame', cols: list):\n"
        "    return pd.concat([left[cols], right[cols]], axis=1)\n",
        {"Runner.gather_probs", "side_by_side"},
        id="stacking-inputs-as-they-are-is-plumbing",
    ),
    pytest.param(
        "pkg/loaders.py",
        "import numpy as np\nimport torch\n\ndef make_sampler(weights, y_train):\n"
        "    shuffle = False\n    if weights == 0:\n        return True, None\n"
        "    counts = np.bincount(y_train)\n    w = 1.0 / counts[y_train]\n"
        "    sampler = WeightedRandomSampler(torch.from_numpy(w), len(w))\n"
        "    return shuffle, sampler\n\n"
        "def make_loaders(X_train, y_train, eval_set, batch_size):\n"
        "    train = DataLoader(TorchDataset(X_train.astype(np.float32), y_train), batch_size)\n"
        "    valid = []\n    for X, y in eval_set:\n"
        "        valid.append(DataLoader(TorchDataset(X.astype(np.float32), y), batch_size))\n"
        "    return train, valid\n",
        set(),
        id="factories-returning-a-sampler-or-loaders-with-a-flag",
    ),
    pytest.param(
        "pkg/schedules.py",
        "import torch\n\ndef cosine_schedule(timesteps, s=0.008):\n"
        "    x = torch.linspace(0, timesteps, timesteps + 1)\n"
        "    f = torch.cos(((x / timesteps) + s) / (1 + s) * torch.pi * 0.5) ** 2\n"
        "    return torch.clip(1 - f[1:] / f[:-1], 0.0001, 0.9999)\n\n"
        "def column_stats(col):\n"
        "    return [pl.col(col).min().alias(f'{col}_min'), pl.col(col).max().alias(f'{col}_max')]\n",
        set(),
        id="sizes-and-column-names-are-not-data",
    ),
    pytest.param(
        "pkg/features/pipes.py",
        "from sklearn.compose import ColumnTransformer\nfrom sklearn.pipeline import Pipeline\n"
        "from sklearn.impute import SimpleImputer\n"
        "from sklearn.preprocessing import OneHotEncoder, StandardScaler\n\n"
        "def numeric_steps():\n"
        "    return Pipeline([('impute', SimpleImputer()), ('scale', StandardScaler())])\n\n"
        "def full_preprocessor(numeric, categorical):\n"
        "    columns = ColumnTransformer([('num', numeric_steps(), numeric),"
        " ('cat', OneHotEncoder(), categorical)])\n"
        "    return Pipeline([('columns', columns)])\n",
        {"full_preprocessor"},
        id="builders-are-context-only-when-they-map-columns",
    ),
    pytest.param(
        "pkg/pipelines/scoring/pipeline.py",
        "from kedro.pipeline import Pipeline, node\nfrom .nodes import score\n\n"
        "def create_pipeline(**kwargs):\n"
        "    return Pipeline([node(score, ['model', 'features'], 'scores')])\n",
        set(),
        id="kedro-pipelines-are-not-preprocessing-builders",
    ),
    pytest.param(
        "pkg/labels.py",
        "import numpy as np\n\nLEVELS = {'low': 0, 'mid': 1, 'high': 2}\n\n"
        "def encode_levels(y):\n    return [LEVELS[value] for value in y]\n\n"
        "def level_names(levels):\n    return [str(level) for level in levels]\n\n"
        "class Targets:\n    def to_index(self, y):\n"
        "        return np.vectorize(self.mapping.get)(y)\n",
        {"encode_levels", "Targets.to_index"},
        id="values-recoded-through-a-lookup-table",
    ),
    pytest.param(
        "pkg/reduce.py",
        "from sklearn.decomposition import PCA\n\ndef reduce(X_train, X_test):\n"
        "    pca = PCA(n_components=10)\n"
        "    return pca.fit_transform(X_train), pca.transform(X_test)\n",
        {"reduce"},
        id="what-a-preprocessing-object-is-handed-is-data",
    ),
    pytest.param(
        "pkg/steps.py",
        "import pandas as pd\nimport polars as pl\n\n"
        "def add_sizes(df: pd.DataFrame) -> pd.DataFrame:\n    widths = []\n"
        "    for _, row in df.iterrows():\n        widths.append(measure(row['path']))\n"
        "    df.insert(1, column='width', value=widths)\n    return df\n\n"
        "def assemble(df: pl.DataFrame, training: bool = False):\n"
        "    df = add_steps(df)\n    if training:\n        df = df.drop_nulls(subset=['y'])\n"
        "    return df\n\n"
        "def to_records(frame: pd.DataFrame, columns: list):\n"
        "    return frame[columns].to_dict(orient='records')\n\n"
        "def load_images(index: pd.DataFrame):\n"
        "    return [imread(row['path']) for _, row in index.iterrows()]\n",
        {"add_sizes", "assemble", "to_records"},
        id="row-loops-polars-and-records",
    ),
    pytest.param(
        "pkg/aug/dict_transforms.py",
        "import numpy as np\n\nclass RemapLabelsd:\n"
        "    def __init__(self, keys):\n        self.keys = keys\n\n"
        "    def __call__(self, data) -> dict:\n        d = dict(data)\n"
        "        for key in self.keys:\n            d[key] = np.where(d[key] > 3, 1, d[key])\n"
        "        return d\n\n"
        "class Pipeline3D:\n    def __init__(self, steps):\n        self.transform = steps\n\n"
        "    def __call__(self, data):\n        return self.transform(data)\n",
        {"RemapLabelsd.__call__"},
        id="dictionary-transforms-and-thin-delegating-wrappers",
    ),
    pytest.param(
        "pkg/signals.py",
        "import numpy as np\n\n\n"
        "def bell(t, centre, width):\n"
        "    return np.exp(-((t - centre) / width) ** 2) / np.sqrt(2 * np.pi * width)\n\n\n"
        "def squash(v):\n    return 1.0 / (1.0 + np.exp(-v))\n\n\n"
        "def wave(side=64, freq=2.5, angle=np.pi / 6, window=(5, 5)):\n"
        "    u, w = np.meshgrid(np.arange(side), np.arange(side))\n"
        "    return np.cos(freq * (u * np.sin(angle) + w * np.cos(angle)))\n\n\n"
        "def log_amounts(frame):\n"
        "    frame['amount'] = np.log1p(frame['amount'])\n    return frame\n",
        {"log_amounts"},
        id="elementwise-formulas-and-numeric-defaults-are-no-data",
    ),
    pytest.param(
        "pkg/grid.py",
        "import torch\n\n\n"
        "def centres(shape, flatten=True):\n"
        "    axes = [(torch.arange(n).float() + 0.5) / n for n in shape]\n"
        "    out = torch.stack(torch.meshgrid(*axes), dim=-1)\n"
        "    return out.view(-1, out.shape[-1]) if flatten else out\n",
        set(),
        id="a-grid-built-from-a-shape-takes-no-data",
    ),
    pytest.param(
        "scorer/metrics/overlap.py",
        "import numpy as np\n\n\n"
        "def soft_overlap(probs, masks, eps=1e-6):\n"
        "    flat_p = probs.reshape(probs.shape[0], -1)\n"
        "    flat_m = masks.reshape(masks.shape[0], -1)\n"
        "    inter = (flat_p * flat_m).sum(axis=1)\n"
        "    return 2 * inter / (flat_p.sum(axis=1) + flat_m.sum(axis=1) + eps)\n\n\n"
        "def normalise_scores(probs):\n"
        "    return (probs - probs.min(axis=0)) / np.ptp(probs, axis=0)\n",
        {"normalise_scores"},
        id="a-metrics-module-scores-a-model-unless-the-name-says-transformation",
    ),
    pytest.param(
        "pkg/optim/grads.py",
        "import numpy as np\n\n\n"
        "def squared_error_step(y: np.ndarray, tx: np.ndarray, w: np.ndarray) -> np.ndarray:\n"
        "    residual = y - tx @ w\n    return -(tx.T @ residual) / len(y)\n",
        set(),
        id="gradients-are-optimisation-math",
    ),
    pytest.param(
        "pkg/nodes.py",
        "import polars as pl\n\n\n"
        "def load_run(run_id: str, kind: str = 'daily'):\n"
        "    if not kind.startswith('run/'):\n        kind = f'run/{kind}'\n"
        "    settings = read_settings(run_id)\n    settings['kind'] = kind\n"
        "    return settings\n\n\n"
        "def keep_frame(frame: pl.DataFrame) -> pl.DataFrame:\n    return frame.clone()\n",
        set(),
        id="an-id-formatted-into-a-string-and-a-plain-copy-are-no-transformations",
    ),
    pytest.param(
        "pkg/features.py",
        "import pandas as pd\n\n\n"
        "def to_metres(col: pd.Series) -> pd.Series:\n"
        "    def one(value):\n"
        "        if isinstance(value, str):\n"
        "            return float(value.replace('ft', '').strip()) * 0.3048\n"
        "        return value\n"
        "    return col.apply(one)\n\n\n"
        "def passthrough(frame: pd.DataFrame) -> pd.DataFrame:\n    return frame.copy()\n",
        {"to_metres"},
        id="a-helper-nested-in-a-transformation-is-reported-with-it",
    ),
    pytest.param(
        "pkg/masks.py",
        "import numpy as np\n\n\n"
        "def runs_to_mask(runs: str, shape=(32, 48)):\n"
        "    s = runs.split()\n"
        "    starts, lengths = [np.asarray(v, dtype=int) for v in (s[0::2], s[1::2])]\n"
        "    mask = np.zeros(shape[0] * shape[1], dtype=np.uint8)\n"
        "    for lo, n in zip(starts - 1, lengths):\n        mask[lo : lo + n] = 1\n"
        "    return mask.reshape(shape)\n",
        {"runs_to_mask"},
        id="an-output-filled-at-positions-read-from-the-input-is-built-from-it",
    ),
    pytest.param(
        "pkg/data.py",
        "import pandas as pd\n\n\n"
        "def load_scaled(path):\n    raw = pd.read_csv(path)\n"
        "    pixels = raw.iloc[:, 1:].values / 255.0\n"
        "    return pixels.reshape(-1, 8, 8, 1), raw['label'].values\n\n\n"
        "def load_counted(path):\n    frame = pd.read_csv(path)\n"
        "    log(frame['label'].value_counts().to_dict())\n    return frame\n\n\n"
        "def load_without_ids(path):\n    frame = pd.read_csv(path)\n"
        "    frame.drop('row_id', axis=1, inplace=True)\n    return frame\n\n\n"
        "def pipeline():\n    def read():\n        return pd.read_csv('x.csv')\n\n"
        "    return read()\n",
        {"load_scaled"},
        id="a-loader-that-also-scales-what-it-reads-is-a-transformation",
    ),
    pytest.param(
        "pkg/datasets.py",
        "import torch\nfrom PIL import Image\nfrom torchvision import transforms\n\n\n"
        "class PairDataset(torch.utils.data.Dataset):\n"
        "    def __init__(self, frames, transform=None):\n"
        "        self.frames = frames\n        self.transform = transform\n\n"
        "    def __getitem__(self, idx):\n        clip = self.frames[idx]\n"
        "        if self.transform:\n            clip = self.transform(clip)\n"
        "        return transforms.Resize(16)(clip), clip\n\n\n"
        "class SequenceDataset(torch.utils.data.Dataset):\n"
        "    def __init__(self, seqs):\n        self.seqs = seqs\n\n"
        "    def __getitem__(self, idx):\n"
        "        inputs = self.seqs[idx][:5] / 255\n        targets = self.seqs[idx][5:] / 255\n"
        "        return inputs, targets\n\n\n"
        "class FileDataset(torch.utils.data.Dataset):\n"
        "    def __init__(self, files, transform):\n"
        "        self.files = files\n        self.transform = transform\n\n"
        "    def __getitem__(self, idx):\n"
        "        image = Image.open(self.files[idx]).convert('RGB')\n"
        "        if self.transform:\n            image = self.transform(image)\n"
        "        return image\n",
        {"PairDataset.__getitem__", "SequenceDataset.__getitem__"},
        id="a-dataset-item-that-resizes-or-splits-its-sample-is-a-transformation",
    ),
    pytest.param(
        "pkg/aug.py",
        "import cv2\n\n\n"
        "def cut_out(img, cx=0, cy=0, w=0, h=0):\n"
        "    return cv2.ellipse(img, (cx, cy), (w, h), 0, 0, 360, (0, 0, 0), -1)\n",
        {"cut_out"},
        id="opencv-functions-take-images",
    ),
    pytest.param(
        "pkg/reviews.py",
        "import re\n\nfrom bs4 import BeautifulSoup\n\n\n"
        "def clean_review(body: str) -> str:\n"
        "    text = BeautifulSoup(body, 'html.parser').get_text()\n"
        "    text = re.sub(r'[^a-z0-9 ]', ' ', text)\n"
        "    words = text.lower().split()\n"
        "    with open('stopwords.txt') as handle:\n"
        "        stop = set(handle.read().split(','))\n"
        "    return ' '.join(w for w in words if w not in stop)\n",
        {"clean_review"},
        id="a-text-cleaner-that-reads-its-stop-word-list-is-still-a-text-cleaner",
    ),
    pytest.param(
        "pkg/prep.py",
        "import pandas as pd\nimport matplotlib.pyplot as plt\n\n\n"
        "def encode_passengers(frame: pd.DataFrame) -> pd.DataFrame:\n"
        "    frame['sex'].replace({'m': 0, 'f': 1}, inplace=True)\n"
        "    frame['deck'] = frame['cabin'].str[0].fillna('U')\n"
        "    plt.hist(frame['age'])\n    return frame\n\n\n"
        "def show_ages(frame: pd.DataFrame):\n"
        "    ages = frame['age'].fillna(0)\n    plt.hist(ages)\n    plt.show()\n\n\n"
        "def age_chart(frame: pd.DataFrame, bins=20):\n"
        "    counts = frame.groupby('age').size().reset_index(name='n')\n"
        "    return alt.Chart(counts).mark_bar().encode(x='age', y='n')\n",
        {"encode_passengers"},
        id="a-histogram-drawn-along-the-way-does-not-make-a-transformation-a-plot",
    ),
    pytest.param(
        "pkg/folds.py",
        "import pandas as pd\nimport torch\nfrom sklearn.preprocessing import StandardScaler\n\n\n"
        "class FoldModel:\n"
        "    def __init__(self, data, fold):\n        self.data = data\n        self.fold = fold\n\n"
        "    def encode(self):\n"
        "        train = self.data[self.data.fold != self.fold]\n"
        "        self.x_train = pd.get_dummies(train[['colour', 'size']]).values\n\n"
        "    def describe(self):\n        self.cache = {}\n        self.cache['n'] = len(self.data)\n\n\n"
        "class Counts:\n"
        "    def features(self):\n        frame = self.frame\n"
        "        out = frame[['id']].copy()\n        out['title_len'] = frame['title'].str.len()\n"
        "        return out\n\n\n"
        "class TableModule(LightningDataModule):\n"
        "    def prepare_data(self):\n        raw = pd.read_csv(self.path)\n"
        "        x = StandardScaler().fit_transform(raw.drop(columns=['y']).values)\n"
        "        self.x = torch.tensor(x, dtype=torch.float32)\n\n"
        "    def setup(self, stage=None):\n"
        "        self.train_set = TensorDataset(self.x, self.y)\n",
        {"FoldModel.encode", "Counts.features", "TableModule.prepare_data"},
        id="a-method-that-transforms-its-objects-data-and-keeps-or-returns-the-result",
    ),
    pytest.param(
        "pkg/cleaning.py",
        "import numpy as np\n\n\n"
        "def drop_columns(x: np.ndarray, idx: list) -> np.ndarray:\n"
        "    return np.delete(x, idx, axis=1)\n\n\n"
        "def log_scale(x: np.ndarray) -> np.ndarray:\n"
        "    return np.where(x > 0, np.log1p(np.clip(x, 0, None)), 0.0)\n\n\n"
        "def clean(x: np.ndarray, idx: list, log: bool = True) -> np.ndarray:\n"
        "    x = drop_columns(x, idx)\n"
        "    if log:\n        x = log_scale(x)\n"
        "    return x\n\n\n"
        "def report(x: np.ndarray) -> str:\n"
        "    shown = summary(x)\n    return f'{shown}'\n",
        {"drop_columns", "log_scale", "clean"},
        id="a-cleaning-pipeline-of-the-modules-own-transformations-is-one",
    ),
    pytest.param(
        "pkg/nodes.py",
        "import pandas as pd\n\n\n"
        "def pick_best(metrics_by_model):\n"
        "    best = metrics_by_model.loc[metrics_by_model['f1'].idxmax()]\n"
        "    return pd.DataFrame([best])\n",
        set(),
        id="choosing-a-row-of-a-metrics-table-is-reporting",
    ),
    # -- issue 11, round 7 (fixtures written here) ------------------------------------------
    pytest.param(
        "pkg/make_table.py",
        "import pandas as pd\n\n\n"
        "def main(input_path, output_path):\n"
        "    frame = pd.read_csv(input_path)\n"
        "    frame['ratio'] = frame['a'] / frame['b']\n"
        "    frame.to_csv(output_path)\n\n\n"
        "def build_table(input_path, output_path):\n"
        "    frame = pd.read_csv(input_path)\n"
        "    frame['ratio'] = frame['a'] / frame['b']\n"
        "    frame.to_csv(output_path)\n",
        {"build_table"},
        id="a-programs-main-is-its-entry-point-and-what-a-step-writes-is-its-output",
    ),
    pytest.param(
        "pkg/steps.py",
        "from sklearn.base import BaseEstimator, TransformerMixin\n\n\n"
        "class Passthrough(BaseEstimator, TransformerMixin):\n"
        "    def fit(self, X, y=None):\n        return self\n\n"
        "    def transform(self, X, y=None):\n        return X\n\n\n"
        "class Doubler(BaseEstimator, TransformerMixin):\n"
        "    def fit(self, X, y=None):\n        return self\n\n"
        "    def transform(self, X, y=None):\n        return X * 2\n",
        {"Doubler.transform"},
        id="an-identity-transform-returns-its-input-as-it-is",
    ),
    pytest.param(
        "pkg/maths.py",
        "import numpy as np\n\n\n"
        "def relative_gap(u, v):\n"
        "    return np.linalg.norm(u - v) / np.linalg.norm(u)\n\n\n"
        "def unit_rows(u):\n"
        "    return u / np.linalg.norm(u, axis=1, keepdims=True)\n",
        {"unit_rows"},
        id="a-norm-without-an-axis-is-one-number",
    ),
    pytest.param(
        "pkg/assemble.py",
        "import json\n\nimport pandas as pd\n\n\n"
        "def read_records(name):\n"
        "    with open(name) as handle:\n"
        "        return [json.loads(line) for line in handle]\n\n\n"
        "def frame_for(split_name):\n"
        "    rows = []\n"
        "    for record in read_records(f'{split_name}.jsonl'):\n"
        "        rows.append(record['features'])\n"
        "    return pd.DataFrame.from_records(rows).set_index('id')\n",
        set(),
        id="a-name-formatted-into-a-file-name-is-no-container-of-data",
    ),
    pytest.param(
        "pkg/encode.py",
        "from tensorflow.keras.preprocessing.sequence import pad_sequences\n"
        "from tensorflow.keras.preprocessing.text import Tokenizer\n\n\n"
        "def encode(raw_x):\n"
        "    train_x, test_x = raw_x\n"
        "    tok = Tokenizer(char_level=True)\n"
        "    tok.fit_on_texts(train_x)\n"
        "    return (\n"
        "        pad_sequences(tok.texts_to_sequences(train_x), maxlen=50),\n"
        "        pad_sequences(tok.texts_to_sequences(test_x), maxlen=50),\n"
        "    )\n",
        {"encode"},
        id="a-parameter-unpacked-into-data-is-data",
    ),
    pytest.param(
        "pkg/words.py",
        "from nltk.stem import PorterStemmer\n\nSTEMMER = PorterStemmer()\n\n\n"
        "def clean_words(words):\n"
        "    words = [w for w in words if not w.isdigit()]\n"
        "    return [STEMMER.stem(w) for w in words]\n\n\n"
        "def content_words(text, stop_words):\n"
        "    words = split_words(text)\n"
        "    return [w for w in words if w.lower() not in stop_words]\n\n\n"
        "def kept_columns(columns, dropped):\n"
        "    return [c for c in columns if c not in dropped]\n",
        {"clean_words", "content_words"},
        id="a-list-of-words-cleaned-one-word-at-a-time-is-text-processing",
    ),
    pytest.param(
        "pkg/signals.py",
        "import numpy as np\n\n\n"
        "def smooth(x):\n"
        "    return (x[:, :-2] + x[:, 1:-1] + x[:, 2:]) / 3\n\n\n"
        "def slope(x, t):\n"
        "    return np.diff(x, axis=-1) / np.diff(t)[: x.shape[-1] - 1]\n\n\n"
        "def velocity(x, t, smoothed=True):\n"
        "    if smoothed:\n"
        "        x = smooth(x)\n"
        "    return slope(x, t)\n",
        {"smooth", "slope", "velocity"},
        id="a-parameter-that-goes-through-the-modules-transformations-is-data",
    ),
    pytest.param(
        "pkg/readout.py",
        "import numpy as np\n\n\n"
        "def smooth(x):\n"
        "    return (x[:, :-2] + x[:, 1:-1] + x[:, 2:]) / 3\n\n\n"
        "def readout(s, weights):\n"
        "    out = smooth(s)\n"
        "    return weights @ out\n\n\n"
        "def make_op(k):\n"
        "    def op(x):\n"
        "        return smooth(x)\n"
        "    return op\n\n\n"
        "def smoothed(x, seen=None):\n"
        '    """Public name of smooth."""\n'
        "    return smooth(x)\n",
        {"smooth"},
        id="own-math-on-what-a-transformation-gave-back-and-closures-are-judged-on-their-own",
    ),
    pytest.param(
        "pkg/plants.py",
        "import pandas as pd\n\n\n"
        "def read_plants(path):\n"
        "    return pd.read_csv(path)\n\n\n"
        "def make_plants(path, as_habitat=True):\n"
        "    plants = read_plants(path)\n"
        "    if as_habitat:\n"
        "        plants.loc[plants.kind == 'range', 'kind'] = 'habitat'\n"
        "    return plants\n",
        {"make_plants"},
        id="what-the-modules-own-loader-reads-is-data-read-in-the-body",
    ),
    pytest.param(
        "pkg/export.py",
        "import json\n\nimport pandas as pd\n\n\n"
        "def export_forecast(preds: pd.DataFrame, out_path):\n"
        "    frame = preds.clip(lower=0)\n"
        "    frame.to_parquet(out_path)\n\n\n"
        "def save_forecast(preds: pd.DataFrame, out_path):\n"
        "    preds.to_parquet(out_path)\n\n\n"
        "def write_submission(preds, name):\n"
        "    frame = pd.DataFrame({'prob': preds.values}, index=preds.index)\n"
        "    frame.to_csv('submissions/' + name + '.csv')\n\n\n"
        "def save_report(results, out_path):\n"
        "    report = {}\n"
        "    for key in results:\n"
        "        report[key] = results[key].tolist()\n"
        "    with open(out_path, 'w') as handle:\n"
        "        json.dump(report, handle)\n",
        {"export_forecast"},
        id="what-a-function-writes-is-its-output",
    ),
    pytest.param(
        "pkg/outliers.py",
        "import pandas as pd\n\n\n"
        "def keep_inliers(frame, labels):\n"
        "    return frame[labels == 1]\n\n\n"
        "def positive_rows(frame):\n"
        "    return frame.loc[frame.amount > 0]\n\n\n"
        "class Folds:\n"
        "    def split(self):\n"
        "        self.train = self.data[self.data.fold != self.k].reset_index(drop=True)\n"
        "        self.valid = self.data[self.data.fold == self.k].reset_index(drop=True)\n",
        {"keep_inliers", "positive_rows", "Folds.split"},
        id="rows-kept-by-a-mask-are-a-data-operation",
    ),
    pytest.param(
        "pkg/transforms.py",
        "import torch\n\n\n"
        "class RandomFlip(torch.nn.Module):\n"
        "    def __init__(self, p=0.5):\n        super().__init__()\n        self.p = p\n\n"
        "    def forward(self, img):\n"
        "        if torch.rand(1) < self.p:\n"
        "            return torch.flip(img, dims=[-1])\n"
        "        return img\n",
        {"RandomFlip.forward"},
        id="a-modules-forward-among-data-transformations-is-an-augmentation",
    ),
    pytest.param(
        "pkg/model.py",
        "import torch\n\n\n"
        "class Net(torch.nn.Module):\n"
        "    def forward(self, img):\n"
        "        return torch.flip(img, dims=[-1])\n",
        set(),
        id="a-modules-forward-elsewhere-is-model-code",
    ),
    pytest.param(
        "pkg/vision.py",
        "from transformers import AutoImageProcessor\n\n"
        "image_processor = AutoImageProcessor.from_pretrained('some/checkpoint')\n\n\n"
        "def batch_inputs(batch):\n"
        "    images = [img.convert('RGB') for img in batch['image']]\n"
        "    return image_processor(images, batch['label'])\n",
        {"batch_inputs"},
        id="a-batch-handed-to-a-preprocessing-object-is-preprocessed",
    ),
    pytest.param(
        "pkg/library.py",
        "import numpy as np\n\n\n"
        "def add_drag_term(library, diameter):\n"
        "    library['v^2'] = Term(lambda h, v: v ** 2 * diameter)\n"
        "    return library\n\n\n"
        "def add_speed_column(frame):\n"
        "    frame['speed'] = np.abs(frame['v'])\n"
        "    return frame\n",
        {"add_speed_column"},
        id="a-function-registered-under-a-key-is-no-data-stored",
    ),
    pytest.param(
        "pkg/load.py",
        "import pandas as pd\n\n\n"
        "def load_train(folder):\n"
        "    features = pd.read_csv(folder + '/features.csv', index_col='id')\n"
        "    labels = pd.read_csv(folder + '/labels.csv', index_col='id')\n"
        "    return pd.merge(labels[['won']], features, left_index=True, right_index=True)\n\n\n"
        "def load_filled(folder):\n"
        "    features = pd.read_csv(folder + '/features.csv', index_col='id')\n"
        "    labels = pd.read_csv(folder + '/labels.csv', index_col='id')\n"
        "    table = features.join(labels)\n"
        "    return table.fillna(0)\n\n\n"
        "def fill_submission(preds_by_id):\n"
        "    sample = pd.read_csv('sample_submission.csv')\n"
        "    preds = pd.DataFrame({'id': list(preds_by_id), 'prob': list(preds_by_id.values())})\n"
        "    sub = sample.drop(columns=['prob']).merge(preds, on='id', how='left')\n"
        "    return sub\n",
        {"load_filled", "fill_submission"},
        id="a-loader-that-joins-the-tables-it-read-stays-a-loader",
    ),
    pytest.param(
        "pkg/schema.py",
        "import pandas as pd\n\n\n"
        "def save_schema(frame, path):\n"
        "    schema = frame.dtypes.to_frame('dtype').reset_index().astype(str)\n"
        "    schema.to_csv(path)\n\n\n"
        "def feature_names(frame):\n"
        "    names = list(frame.columns)\n"
        "    return sorted(names)\n\n\n"
        "def save_cast(frame, path):\n"
        "    cast = frame.astype({'id': str}).reset_index()\n"
        "    cast.to_csv(path)\n",
        {"save_cast"},
        id="a-frames-dtypes-and-column-names-are-its-schema-not-its-data",
    ),
    pytest.param(
        "pkg/batches.py",
        "import numpy as np\n\n\n"
        "class Batches:\n"
        "    def __init__(self, ids, folder, size):\n"
        "        self.ids, self.folder, self.size = ids, folder, size\n\n"
        "    def __getitem__(self, i):\n"
        "        ids = self.ids[i * self.size : (i + 1) * self.size]\n"
        "        x = np.array([np.load(f'{self.folder}/{k}.npy') for k in ids]).astype(np.float32)\n"
        "        return np.expand_dims(x, 3)\n\n\n"
        "class Scaled(Batches):\n"
        "    def __getitem__(self, i):\n"
        "        ids = self.ids[i * self.size : (i + 1) * self.size]\n"
        "        x = np.array([np.load(f'{self.folder}/{k}.npy') for k in ids]).astype(np.float32)\n"
        "        return (x - x.mean()) / x.std()\n",
        {"Scaled.__getitem__"},
        id="reading-files-by-id-and-giving-them-a-dtype-and-an-axis-is-loading",
    ),
    # round 8: what the feature methods read with any table library is their input
    pytest.param(
        "pkg/make_tables.py",
        "import feather\nimport dask.dataframe as dd\nimport pandas as pd\n\n\n"
        "class Visits:\n"
        "    def build(self):\n"
        "        visits = feather.read_dataframe('visits.feather')\n"
        "        visits['weekday'] = pd.to_datetime(visits['at']).dt.weekday\n"
        "        self.table = visits.groupby('shop').agg({'weekday': 'mean'})\n\n\n"
        "class Orders:\n"
        "    def build(self):\n"
        "        orders = dd.read_parquet('orders.parquet')\n"
        "        orders['total'] = orders['qty'] * orders['price']\n"
        "        self.table = orders.fillna(0)\n\n\n"
        "def read_visits():\n"
        "    return feather.read_dataframe('visits.feather')\n",
        {"Visits.build", "Orders.build"},
        id="a-feature-method-that-reads-its-table-with-any-table-library",
    ),
    pytest.param(
        "pkg/eda.py",
        "import pandas as pd\n\n\n"
        "def describe_columns(frame):\n"
        "    info = pd.DataFrame(frame.dtypes, columns=['dtype'])\n"
        "    info['missing'] = frame.isna().sum().values\n"
        "    info['distinct'] = frame.nunique().values\n"
        "    info['example'] = frame.iloc[0].values\n"
        "    return info\n\n\n"
        "def add_missing_count(frame):\n"
        "    frame['n_missing'] = frame.isna().sum(axis=1)\n"
        "    return frame\n",
        {"add_missing_count"},
        id="a-table-whose-rows-are-the-inputs-columns-is-a-profile",
    ),
    pytest.param(
        "pkg/logreg.py",
        "import numpy as np\n\n\n"
        "def predict_labels(weights, bias, X):\n"
        "    scores = 1 / (1 + np.exp(-(np.dot(weights.T, X) + bias)))\n"
        "    return (scores > 0.5).astype(int)\n\n\n"
        "def gradient(theta, X, y):\n"
        "    residual = X @ theta - y\n"
        "    return X.T @ residual / X.shape[0]\n\n\n"
        "def project(X, components):\n"
        "    centred = X - X.mean(axis=0)\n"
        "    return centred @ components\n",
        {"project"},
        id="math-on-a-models-weights-and-the-data-is-a-model",
    ),
    pytest.param(
        "pkg/clusters.py",
        "import numpy as np\nfrom sklearn.cluster import KMeans\n"
        "from sklearn.linear_model import lasso_path\n\n\n"
        "def inertia(X, k):\n"
        "    return KMeans(n_clusters=k).fit(X).inertia_\n\n\n"
        "def best_k(X, top=8):\n"
        "    curve = np.array([inertia(X, k) for k in range(1, top + 1)])\n"
        "    return np.diff(curve, axis=0).argmin(axis=0) + 2\n\n\n"
        "def rank_by_lasso(X, y):\n"
        "    alphas, coefs, _ = lasso_path(X, y)\n"
        "    return np.argmax(coefs != 0, axis=1)\n\n\n"
        "def log_scale(X):\n"
        "    return np.log1p(np.clip(X, 0, None))\n",
        {"log_scale"},
        id="model-selection-over-fits-is-no-transformation",
    ),
    pytest.param(
        "pkg/arrays.py",
        "import numpy as np\n\n\n"
        "def features_and_target(table):\n"
        "    X = table[:, :-1]\n"
        "    y = table[:, -1]\n"
        "    return X, y\n\n\n"
        "def differences(series):\n"
        "    return series[1:] - series[:-1]\n",
        {"differences"},
        id="setting-the-target-column-apart-changes-no-value",
    ),
    pytest.param(
        "pkg/catalogue.py",
        "from lxml import etree\nimport pandas as pd\n\n\n"
        "def node_texts(doc, query):\n"
        "    texts = [node.text for node in doc.findall(query)]\n"
        "    return pd.DataFrame({'text': texts})\n\n\n"
        "def entries(location):\n"
        "    doc = etree.parse(location)\n"
        "    frame = pd.concat([node_texts(doc, '//title'), node_texts(doc, '//note')])\n"
        "    frame['length'] = frame['text'].str.len()\n"
        "    return frame\n",
        {"node_texts", "entries"},
        id="a-frame-built-from-a-parsed-xml-document",
    ),
    pytest.param(
        "pkg/flow.py",
        "import pandas as pd\nfrom prefect import task\nfrom pkg.prep import Preprocessor\n\n\n"
        "@task\n"
        "def clean_step(frame: pd.DataFrame):\n"
        "    step = Preprocessor(data=frame, target='label')\n"
        "    step.run()\n"
        "    return step\n\n\n"
        "@task\n"
        "def fill_step(frame: pd.DataFrame):\n"
        "    filled = frame.fillna(0)\n"
        "    return filled\n",
        {"fill_step"},
        id="a-task-that-returns-the-object-it-handed-the-data-to",
    ),
    pytest.param(
        "pkg/serve.py",
        "import pickle\n\n\n"
        "def request_features(ride: dict):\n"
        "    out = {}\n"
        "    out['route_dir'] = f\"{ride['route']}_{ride['direction']}\"\n"
        "    out['minute'] = int(ride['minute'])\n"
        "    return out\n\n\n"
        "def add_total(row):\n"
        "    row['total'] = row['net'] + row['tax']\n"
        "    return row\n\n\n"
        "def server_address(config: dict):\n"
        "    out = {}\n"
        "    out['url'] = f\"{config['host']}:{config['port']}\"\n"
        "    return out\n\n\n"
        "def summary(row):\n"
        "    out = {}\n"
        "    out['fields'] = len(row)\n"
        "    return out\n",
        {"request_features", "add_total"},
        id="a-record-whose-fields-are-combined-into-a-feature-row",
    ),
    pytest.param(
        "pkg/decompose.py",
        "from sklearn.decomposition import NMF\n\n\n"
        "def nmf_features(X, k=8):\n"
        "    model = NMF(n_components=k)\n"
        "    model.fit(X)\n"
        "    return model.transform(X)\n\n\n"
        "def fit_nmf(X, k=8):\n"
        "    model = NMF(n_components=k)\n"
        "    model.fit(X)\n"
        "    return model.components_\n",
        {"nmf_features"},
        id="a-transformer-fitted-and-applied-makes-features",
    ),
    pytest.param(
        "pkg/sensors.py",
        "import pandas as pd\n\n"
        "readings = pd.read_csv('readings.csv')\n"
        "readings = readings.iloc[1:]\n\n\n"
        "def standardise(column):\n"
        "    values = readings[column]\n"
        "    readings[column + '_z'] = (values - values.mean()) / values.std()\n\n\n"
        "def show(column):\n"
        "    print(readings[column].describe())\n\n\n"
        "def flag_local(column, limit):\n"
        "    readings = pd.DataFrame({column: [1, 2]})\n"
        "    readings['copy'] = readings[column]\n",
        {"standardise"},
        id="a-module-level-table-changed-in-place-by-a-function",
    ),
    pytest.param(
        "pkg/nodes.py",
        "import pandas as pd\n\n\n"
        "def unseen_rows(*args):\n"
        "    seen = args[0]\n"
        "    full = args[1]\n"
        "    rest = full.loc[full.index.difference(seen.index)]\n"
        "    return rest[rest['bought'] == 0]\n\n\n"
        "def log_all(*args):\n"
        "    first = args[0]\n"
        "    print(first)\n",
        {"unseen_rows"},
        id="the-positional-inputs-of-a-node-taking-star-args",
    ),
    pytest.param(
        "pkg/prep.py",
        "import pandas as pd\n\n\n"
        "def encode(frame, cols):\n"
        "    frame[cols] = frame[cols].astype(str)\n"
        "    return frame.to_dict(orient='records'), cols\n\n\n"
        "def prepare(train, valid):\n"
        "    X_train, cols = encode(train, ['a', 'b'])\n"
        "    X_valid, _ = encode(valid, cols)\n"
        "    return X_train, X_valid\n",
        {"encode", "prepare"},
        id="inputs-that-go-through-the-modules-transformations-into-a-tuple",
    ),
    pytest.param(
        "pkg/atoms.py",
        "import json\nimport pandas as pd\n\n\n"
        "class GenreFlags:\n"
        "    def __init__(self, frame):\n"
        "        self.frame = frame\n\n"
        "    def build(self):\n"
        "        genres = self.frame['genres'].map(json.loads)\n"
        "        names = sorted({g for row in genres for g in row})\n"
        "        return pd.DataFrame({n: [n in row for row in genres] for n in names})\n\n\n"
        "class Tags:\n"
        "    def __init__(self, frame):\n"
        "        self.frame = frame\n\n"
        "    def build(self):\n"
        "        tags = self.frame['tags']\n"
        "        counts = tags.map(len)\n"
        "        return pd.DataFrame({'n_tags': counts})\n\n\n"
        "class Settings:\n"
        "    def __init__(self, options):\n"
        "        self.options = options\n\n"
        "    def names(self):\n"
        "        return sorted(self.options)\n",
        {"GenreFlags.build", "Tags.build"},
        id="a-method-mapping-a-column-of-the-objects-table",
    ),
    pytest.param(
        "pkg/signals.py",
        "import numpy as np\n\n\n"
        "def agreement(curve, reference):\n"
        "    curve = curve / np.max(np.abs(curve))\n"
        "    smooth = np.convolve(reference, np.ones(3) / 3, mode='same')\n"
        "    value = np.corrcoef(smooth, curve)[0, 1]\n"
        "    return value\n\n\n"
        "def last_cell(grid):\n"
        "    return np.cumsum(grid, axis=0)[-1, -1]\n\n\n"
        "def detrend(curve):\n"
        "    base = np.convolve(curve, np.ones(5) / 5, mode='same')\n"
        "    out = curve - base\n"
        "    return out\n\n\n"
        "def blank_rows(titles):\n"
        "    keep = titles.str.strip().map(len) == 0\n"
        "    return keep\n",
        {"detrend", "blank_rows"},
        id="one-element-picked-by-constant-positions-is-a-score-not-data",
    ),
    pytest.param(
        "pkg/textprep.py",
        "import re\nfrom typing import Any, List\n\nimport pandas as pd\n\n"
        "STOP = {'the', 'and', 'of'}\n\n\n"
        "def words_of(review: Any) -> List[str]:\n"
        "    review = str(review).lower()\n"
        "    review = re.sub(r'[^a-z ]', ' ', review)\n"
        "    tokens = pd.Series(review.split())\n"
        "    return [t for t in tokens.tolist() if t not in STOP]\n\n\n"
        "def column_names(frame: pd.DataFrame) -> List[str]:\n"
        "    return [c for c in frame.columns if c != 'id']\n",
        {"words_of"},
        id="words-cleaned-out-of-text-by-a-regex-are-tokens-not-names",
    ),
    pytest.param(
        "pkg/utils/plotting.py",
        "import numpy as np\n\n\n"
        "def postprocess(images):\n"
        "    images = (images + 1) / 2\n"
        "    return (np.clip(images, 0, 1) * 255).astype(np.uint8)\n\n\n"
        "def mosaic(batch, cols):\n"
        "    n, h, w = batch.shape\n"
        "    rows = -(-n // cols)\n"
        "    padded = np.zeros((rows * cols, h, w), dtype=batch.dtype)\n"
        "    padded[:n] = batch\n"
        "    return padded.reshape(rows, cols, h, w).swapaxes(1, 2).reshape(rows * h, cols * w)\n",
        set(),
        id="a-plotting-module-shapes-arrays-for-a-picture",
    ),
    pytest.param(
        "pkg/signal_steps.py",
        "import numpy as np\n\n\n"
        "def band_energy(frames, filterbank):\n"
        "    filtered = filterbank.run(frames)\n"
        "    energy = filtered.mean(axis=-1)\n"
        "    return energy\n\n\n"
        "def total_energy(frames, filterbank):\n"
        "    filtered = filterbank.run(frames)\n"
        "    return filtered.mean()\n",
        {"band_energy"},
        id="what-is-reduced-along-an-axis-is-an-array-whatever-computed-it",
    ),
    pytest.param(
        "pkg/swarm.py",
        "import numpy as np\nfrom joblib import Parallel, delayed\n\n\n"
        "def score_particle(position, tracks):\n"
        "    return float(np.abs(position).sum())\n\n\n"
        "def objective(positions, tracks):\n"
        "    return Parallel(n_jobs=2)(\n"
        "        delayed(score_particle)(positions[i], tracks=tracks)\n"
        "        for i in range(positions.shape[0])\n"
        "    )\n\n\n"
        "def centred(positions):\n"
        "    return [positions[i] - positions.mean() for i in range(positions.shape[0])]\n",
        {"centred"},
        id="a-loop-that-only-hands-each-item-to-a-function-does-nothing-to-it",
    ),
    pytest.param(
        "pkg/similarity.py",
        "import numpy as np\n\n\n"
        "def row_agreement(left, right):\n"
        "    k = left.shape[1]\n"
        "    top = k * (left * right).sum(1) - left.sum(1) * right.sum(1)\n"
        "    return top / np.sqrt(k)\n\n\n"
        "def squared_gap(target, guess):\n"
        "    return np.mean((target - guess) ** 2, axis=0)\n\n\n"
        "def rescale(values, lo, hi):\n"
        "    return (values - lo) / (hi - lo) * values.shape[0]\n",
        {"rescale"},
        id="two-inputs-multiplied-or-subtracted-then-reduced-are-compared-a-score",
    ),
    pytest.param(
        "pkg/judge.py",
        "import numpy as np\n\n\n"
        "class HitEvaluation:\n"
        "    def __init__(self, found, truth):\n"
        "        self.f1 = 0.5\n\n\n"
        "def objective(curves, truths, cut):\n"
        "    found = [np.flatnonzero(c > cut) for c in curves]\n"
        "    result = HitEvaluation(found, truths)\n"
        "    return 1 - result.f1\n",
        set(),
        id="a-function-that-builds-an-evaluation-of-its-data-judges-it",
    ),
    pytest.param(
        "pkg/serve.py",
        "import pandas as pd\nimport pyarrow as pa\nimport pyarrow.parquet as pq\n\n\n"
        "def publish_hour(frame, hour: int, sink) -> int:\n"
        "    picked = frame.loc[frame['hour'] == hour]\n"
        "    picked = picked.fillna(0)\n"
        "    pq.write_table(pa.Table.from_pandas(picked), sink)\n"
        "    return len(picked)\n",
        {"publish_hour"},
        id="a-table-written-with-pyarrow-is-the-steps-output",
    ),
    pytest.param(
        "pkg/units.py",
        "import numpy as np\n\n\n"
        "class Neuron:\n"
        "    def _softplus(self, v, beta=None):\n"
        "        z = v * (beta or 2.0)\n"
        "        out = np.zeros(v.shape)\n"
        "        big = z > 20\n"
        "        out[big] = z[big]\n"
        "        out[~big] = np.log1p(np.exp(z[~big]))\n"
        "        return out / 2.0\n\n\n"
        "def smooth(series, alpha=0.3):\n"
        "    out = np.zeros(series.shape)\n"
        "    for t in range(1, series.shape[1]):\n"
        "        out[:, t] = out[:, t - 1] * alpha + series[:, t] * (1 - alpha)\n"
        "    return out\n",
        {"smooth"},
        id="a-shape-asked-to-allocate-an-output-is-a-size-not-data",
    ),
    pytest.param(
        "pkg/handmade.py",
        "import numpy as np\n\n\n"
        "def basis(samples, k):\n"
        "    centred = samples - samples.mean(axis=0)\n"
        "    vals, vecs = np.linalg.eigh(centred.T @ centred)\n"
        "    return vecs[:, np.argsort(vals)[::-1][:k]]\n\n\n"
        "def project(samples, k):\n"
        "    centred = samples - samples.mean(axis=0)\n"
        "    _, _, vt = np.linalg.svd(centred, full_matrices=False)\n"
        "    low = centred @ vt[:k].T\n"
        "    return low\n",
        {"project"},
        id="a-decomposition-of-the-data-is-fitted-the-data-projected-on-it-is-transformed",
    ),
    pytest.param(
        "pkg/tensors.py",
        "import torch\n\n\n"
        "def as_vector(t):\n"
        "    flat = torch.unsqueeze(t, 0).flatten()\n"
        "    return flat, t.shape\n\n\n"
        "def windows(t, k):\n"
        "    n = t.shape[0] // k\n"
        "    return t[: n * k].reshape(n, k)\n",
        {"windows"},
        id="adding-removing-or-flattening-axes-changes-no-value",
    ),
    pytest.param(
        "pkg/data/pairs.py",
        "import cv2\nimport numpy as np\nfrom torch.utils.data import Dataset\n\n\n"
        "class Pairs(Dataset):\n"
        "    def __getitem__(self, i) -> np.ndarray:\n"
        "        path = self.paths[i]\n"
        "        img = self.transform(cv2.imread(path))\n"
        "        if self.debug:\n"
        "            rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)\n"
        "            cv2.imshow('sample', rgb)\n"
        "        return img\n\n\n"
        "class Grey(Dataset):\n"
        "    def __getitem__(self, i) -> np.ndarray:\n"
        "        path = self.paths[i]\n"
        "        img = cv2.imread(path)\n"
        "        return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)\n",
        {"Grey.__getitem__"},
        id="code-behind-a-debug-flag-is-for-looking-not-output",
    ),
    pytest.param(
        "pkg/sensitivity.py",
        "import torch\n\n\n"
        "def spread(grads):\n"
        "    total = 0\n"
        "    for g in grads:\n"
        "        total += torch.dot(g, g)\n"
        "    mean = total / len(grads)\n"
        "    return mean\n\n\n"
        "def rescaled(grads):\n"
        "    total = 0\n"
        "    for g in grads:\n"
        "        total += torch.dot(g, g)\n"
        "    return grads / total\n",
        {"rescaled"},
        id="an-accumulator-that-only-adds-numbers-is-one-number",
    ),
    pytest.param(
        "pkg/scores.py",
        "import numpy as np\nimport pandas as pd\nfrom scipy.stats import poisson\n\n\n"
        "def impurity(labels):\n"
        "    counts = np.bincount(labels)\n"
        "    probs = counts / len(labels)\n"
        "    return -np.sum([p * np.log(p) for p in probs if p > 0])\n\n\n"
        "def hit_rate(pred, target):\n"
        "    hits = (pred == target).sum().item() / target.shape[0]\n"
        "    return hits\n\n\n"
        "def neg_log_lik(rate, counts):\n"
        "    return -poisson.logpmf(np.asarray(counts), rate).sum()\n\n\n"
        "def same_table(a, b):\n"
        "    left = np.nan_to_num(np.asarray(a, float), nan=-1.0)\n"
        "    return np.array_equal(left, np.nan_to_num(np.asarray(b, float), nan=-1.0))\n\n\n"
        "def centred(frame: pd.DataFrame) -> pd.DataFrame:\n"
        "    frame = frame.fillna(0)\n"
        "    return -(frame - frame.mean())\n",
        {"centred"},
        id="a-negated-sum-a-rate-over-rows-a-whole-comparison-are-one-value",
    ),
    pytest.param(
        "pkg/draws.py",
        "import numpy as np\n\n\n"
        "class Skewed:\n"
        "    def draw(self, k):\n"
        "        return np.array([self.dist.rvs() for _ in range(k)])\n\n"
        "    def jitter(self, points, k):\n"
        "        noisy = [points[:, :2] + np.random.normal(size=2) for _ in range(k)]\n"
        "        return np.array(noisy)\n\n"
        "    def shaken(self, points):\n"
        "        return points[:, :2] + np.random.normal(0, 0.1, size=points[:, :2].shape)\n\n\n"
        "def sample_counts(fitted, k):\n"
        "    a = np.squeeze(fitted.alpha)\n"
        "    draws = [np.random.binomial(int(fitted.n), np.random.beta(a, fitted.b)) for _ in range(k)]\n"
        "    return np.array(draws)\n",
        {"Skewed.jitter", "Skewed.shaken"},
        id="a-count-and-the-parameters-of-random-draws-are-not-data",
    ),
    pytest.param(
        "pkg/votes.py",
        "import numpy as np\n\n\n"
        "def majority(votes):\n"
        "    kept = votes[votes >= 0]\n"
        "    return np.bincount(kept).argmax() if len(kept) else -1\n\n\n"
        "def relabel(votes):\n"
        "    kept = votes[votes >= 0]\n"
        "    return np.where(kept > 2, 1, 0) if len(kept) else kept\n",
        {"relabel"},
        id="each-branch-of-a-conditional-return-is-judged-an-index-is-one-value",
    ),
    pytest.param(
        "pkg/stats_tests.py",
        "import numpy as np\n\n\n"
        "def shuffled_association(table, left, right, rounds=500):\n"
        "    pairs = table[[left, right]].dropna()\n"
        "    a = pairs[left].to_numpy()\n"
        "    b = pairs[right].to_numpy()\n"
        "    observed = np.corrcoef(a, b)[0, 1]\n"
        "    null = [np.corrcoef(np.random.permutation(a), b)[0, 1] for _ in range(rounds)]\n"
        "    p_value = np.mean(np.abs(np.array(null)) >= abs(observed))\n"
        "    return observed, p_value\n\n\n"
        "def halves(table, left):\n"
        "    pairs = table.dropna(subset=[left])\n"
        "    cut = len(pairs) // 2\n"
        "    return pairs.iloc[:cut], pairs.iloc[cut:]\n",
        {"halves"},
        id="a-tuple-of-numbers-a-statistic-and-its-p-value-is-no-data",
    ),
    pytest.param(
        "pkg/scoring.py",
        "import numpy as np\n\n\n"
        "def weighted_cross_entropy(targets, probs, weights):\n"
        "    clipped = np.clip(probs, 1e-9, 1.0)\n"
        "    per_row = -(targets * np.log(clipped)).sum(axis=1)\n"
        "    return np.average(per_row, weights=weights)\n\n\n"
        "def mean_of_column_means(frame):\n"
        "    return np.mean(frame.fillna(0).mean(axis=0))\n\n\n"
        "def row_entropy(probs):\n"
        "    clipped = np.clip(probs, 1e-9, 1.0)\n"
        "    return -(clipped * np.log(clipped)).sum(axis=1)\n",
        {"row_entropy"},
        id="a-reduction-without-an-axis-of-per-row-values-is-one-number",
    ),
    pytest.param(
        "pkg/rules.py",
        "import numpy as np\nimport torch\n\n\n"
        "class QuantileScore:\n"
        "    pass\n\n\n"
        "class GaussQuantileScore(QuantileScore):\n"
        "    def d_score(self, Y):\n"
        "        grad = np.zeros((len(Y), 2))\n"
        "        grad[:, 0] = (self.loc - Y[:, 0]) / self.var\n"
        "        return grad\n\n\n"
        "class Weighted(torch.nn.MSELoss):\n"
        "    def weigh(self, err):\n"
        "        return err[:, 1:] * self.w\n\n\n"
        "class Smoother:\n"
        "    def d_series(self, Y):\n"
        "        out = np.zeros((len(Y), 2))\n"
        "        out[:, 0] = (Y[:, 0] - self.loc) / self.var\n"
        "        return out\n",
        {"Smoother.d_series"},
        id="methods-of-a-loss-or-scoring-rule-class-score-predictions",
    ),
    pytest.param(
        "pkg/io.py",
        "from pathlib import Path\n\nimport numpy as np\nimport pandas as pd\n\n\n"
        "def read_all(folder):\n"
        "    tables = {}\n"
        "    for p in Path(folder).glob('*.csv'):\n"
        "        df = pd.read_csv(p)\n"
        "        df.drop('Unnamed: 0', axis=1, inplace=True, errors='ignore')\n"
        "        tables[p.stem] = df\n"
        "    return tables\n\n\n"
        "def read_scaled(folder):\n"
        "    tables = {}\n"
        "    for p in Path(folder).glob('*.csv'):\n"
        "        df = pd.read_csv(p)\n"
        "        df['amount'] = np.log1p(df['amount'])\n"
        "        tables[p.stem] = df\n"
        "    return tables\n",
        {"read_scaled"},
        id="tables-filed-by-name-in-a-returned-dict-are-collected-not-changed",
    ),
    pytest.param(
        "pkg/evaluation.py",
        "import numpy as np\n\n\n"
        "def coverage_curve(y, lower, upper, levels):\n"
        "    inside = (y[:, None] >= lower) & (y[:, None] <= upper)\n"
        "    observed = inside.mean(axis=0)\n"
        "    return np.stack([levels, observed], axis=1)\n\n\n"
        "def normalise_scores(scores):\n"
        "    return (scores - scores.min(axis=0)) / np.ptp(scores, axis=0)\n",
        {"normalise_scores"},
        id="a-module-named-for-evaluation-scores-models",
    ),
    pytest.param(
        "pkg/doubling.py",
        "import numpy as np\nfrom sklearn.base import BaseEstimator, TransformerMixin\n\n\n"
        "class Doubler(BaseEstimator, TransformerMixin):\n"
        "    def fit(self, X, y=None):\n"
        "        self.width_ = X.shape[1]\n"
        "        return self\n\n"
        "    def transform(self, X):\n"
        "        return np.hstack([X, X * 2])\n\n"
        "    def get_feature_names_out(self, input_features=None):\n"
        "        names = np.asarray(input_features)\n"
        "        return np.concatenate([names, np.char.add(names, '_x2')])\n",
        {"Doubler.transform"},
        id="scikit-learns-get-feature-names-out-describes-the-estimator",
    ),
    pytest.param(
        "pkg/scoring.py",
        "import pandas as pd\n\n"
        "def flag_outliers(detector, frame: pd.DataFrame):\n"
        "    labels = detector.predict(frame.values)\n"
        "    frame['outlier'] = [int(v < 0) for v in labels]\n"
        "    frame['score'] = -detector.score_samples(frame.values)\n"
        "    return frame\n\n"
        "def predict_labels(detector, frame: pd.DataFrame):\n"
        "    return detector.predict(frame.values)\n\n"
        "class Detector:\n"
        "    def predict(self, frame: pd.DataFrame):\n"
        "        frame['raw'] = self.net.predict(frame.values)\n"
        "        return frame\n",
        {"flag_outliers"},
        id="runs-a-model-then-adds-post-processed-columns-to-the-frame-it-returns",
    ),
]


@pytest.mark.parametrize(("path", "source", "expected"), IDENTIFY)
def test_identifies_transformations(
    tmp_path: Path, path: str, source: str, expected: set[str]
) -> None:
    write(tmp_path, {"pkg/__init__.py": "", path: source})
    decisions, _ = analyse(tmp_path)
    assert {d.candidate.qualname for d in decisions} == expected


def test_kedro_nodes_are_judged_by_their_body(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/nodes.py": (
                "def combine(a, b):\n    return a.merge(b, on='id')\n\n"
                "def fit(x, y):\n    model = Model()\n    model.fit(x, y)\n    return model\n"
            ),
            "pkg/pipeline_registry.py": (
                "from kedro.pipeline import node, pipeline\nfrom pkg.nodes import combine, fit\n\n"
                "def create():\n    return pipeline([node(combine, ['a', 'b'], 'c'),"
                " node(fit, ['c', 'y'], 'm')])\n"
            ),
        },
    )
    decisions, _ = analyse(tmp_path)
    # a node is a transformation only when its body is one: the training node is not
    assert [(d.candidate.qualname, d.candidate.signals) for d in decisions] == [
        ("combine", ("location", "kedro-node", "data-in-out", "body"))
    ]


def test_include_exclude_names_and_marker_options(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/custom.py": "def tidy(df: 'pd.DataFrame'):\n    return df.fillna(0)\n",
            "pkg/features.py": "def add_x(df):\n    return df.assign(x=1)\n",
            "pkg/misc.py": (
                "def reshuffle(df: 'pd.DataFrame') -> 'pd.DataFrame':\n"
                "    return df.sample(frac=1.0)\n\n"
                "def pick(rows):\n    return [r['a'] for r in rows]\n\n"
                "@mine\ndef other(x):\n    return x\n"
            ),
        },
    )
    default, _ = analyse(tmp_path)
    # `pick` reads records, but nothing around it says it handles data
    assert {d.candidate.qualname for d in default} == {"add_x", "tidy", "reshuffle"}
    tuned, _ = analyse(
        tmp_path,
        {"exclude": ["pkg/features.py"], "names": ["^reshuffle$"], "marker": "mine"},
    )
    # exclude and marker decide on their own; a name only adds weight to what the body shows
    by = {d.candidate.qualname: d.candidate.signals for d in tuned}
    assert by.keys() == {"tidy", "reshuffle", "other"}
    assert by["reshuffle"] == ("name", "data-in-out", "body")
    assert by["other"] == ("marker",)
    included, _ = analyse(tmp_path, {"include": ["pkg/misc.py"]})
    pick = next(d for d in included if d.candidate.qualname == "pick")
    assert pick.candidate.signals == ("include", "data-in-out", "body")


# -- static: which tests reach them ---------------------------------------------------------------

PACKAGE = {
    "pkg/__init__.py": "from pkg.features import add_ratio as ratio\n",
    "pkg/features.py": (
        "def add_ratio(df):\n    return df.assign(ratio=df.a / df.b)\n\n"
        "def add_total(df):\n    return df.assign(total=df.a + df.b)\n\n"
        "def add_diff(df):\n    return df.assign(diff=df.a - df.b)\n"
    ),
    "pkg/pipeline.py": (
        "from pkg import features as F\n\n"
        "def build(df):\n    return step1(df)\n\n"
        "def step1(df):\n    return step2(df)\n\n"
        "def step2(df):\n    return F.add_total(df)\n"
    ),
}

REACH = [
    pytest.param(
        "from pkg import ratio\n\ndef test_it():\n    assert ratio([1]) is not None\n",
        {"add_total", "add_diff"},
        id="re-export-with-alias",
    ),
    pytest.param(
        "import pkg.features\n\ndef test_it():\n    pkg.features.add_diff([1])\n",
        {"add_ratio", "add_total"},
        id="module-attribute",
    ),
    pytest.param(
        "from pkg.pipeline import build\n\ndef test_it():\n    build([1])\n",
        {"add_ratio", "add_diff"},
        id="through-pipeline-functions",
    ),
    pytest.param(
        "from unittest.mock import MagicMock\nfrom pkg.features import add_ratio\n\n"
        "def test_it():\n    df = MagicMock()\n    add_ratio(df)\n",
        {"add_ratio", "add_total", "add_diff"},
        id="mock-only-does-not-count",
    ),
    pytest.param(
        "import pytest\nfrom unittest import mock\nfrom pkg.features import add_ratio\n\n"
        "@pytest.fixture\ndef frame():\n    return mock.Mock()\n\n"
        "def test_it(frame):\n    add_ratio(frame)\n",
        {"add_ratio", "add_total", "add_diff"},
        id="mock-fixture-does-not-count",
    ),
    pytest.param(
        "from unittest.mock import patch\nfrom pkg.pipeline import build\n\n"
        "@patch('pkg.features.add_total')\ndef test_it(fake):\n    build([1])\n",
        {"add_ratio", "add_total", "add_diff"},
        id="patched-out-does-not-count",
    ),
    pytest.param(
        "import pytest\nfrom pkg.features import add_ratio, add_diff\n\n"
        "@pytest.mark.parametrize('fn', [add_ratio, add_diff])\ndef test_it(fn):\n    fn([1])\n",
        {"add_total"},
        id="parametrized-function-references",
    ),
    pytest.param(
        "def test_it():\n    from pkg.features import add_ratio as r\n    r([1])\n",
        {"add_total", "add_diff"},
        id="import-inside-the-test",
    ),
]


@pytest.mark.parametrize(("test", "expected"), REACH)
def test_static_reach(tmp_path: Path, test: str, expected: set[str]) -> None:
    write(tmp_path, {**PACKAGE, "tests/test_features.py": test})
    findings = check(tmp_path)
    assert untested(findings) == expected
    assert {f.details["decided_by"] for f in findings} == {"static"}


def test_a_kedro_pipeline_a_test_runs_reaches_its_nodes(tmp_path: Path) -> None:
    # the test wraps the module's pipeline and hands it to a runner with a catalog: every
    # node of that pipeline runs (the node of the pipeline nobody runs stays untested)
    nodes = (
        "import pandas as pd\n\n\n"
        "def add_fare_per_person(trips: pd.DataFrame) -> pd.DataFrame:\n"
        "    trips['fare_pp'] = trips['fare'] / trips['party'].clip(lower=1)\n"
        "    return trips\n\n\n"
        "def flag_night(trips: pd.DataFrame) -> pd.DataFrame:\n"
        "    trips['night'] = trips['hour'].isin([22, 23, 0, 1, 2])\n"
        "    return trips\n\n\n"
        "def bucket_distance(trips: pd.DataFrame) -> pd.DataFrame:\n"
        "    trips['dist_bin'] = pd.cut(trips['km'], [0, 2, 10, 100])\n"
        "    return trips\n"
    )
    pipeline = (
        "from kedro.pipeline import node, pipeline\n\n"
        "from .nodes import add_fare_per_person, bucket_distance, flag_night\n\n"
        "core = pipeline([\n"
        "    node(func=add_fare_per_person, inputs='trips', outputs='a'),\n"
        "    node(flag_night, 'a', 'b'),\n"
        "])\n"
        "wrapped = pipeline(pipe=core, namespace='train')\n"
        "extra = pipeline([node(bucket_distance, 'b', 'c')])\n"
    )
    test = (
        "from kedro.io import DataCatalog, MemoryDataset\n"
        "from kedro.pipeline import pipeline\n"
        "from kedro.runner import SequentialRunner\n\n"
        "from pkg.pipe.pipeline import wrapped\n\n\n"
        "def test_wrapped_pipeline():\n"
        "    catalog = DataCatalog({'train.trips': MemoryDataset(None)})\n"
        "    SequentialRunner().run(pipeline(pipe=wrapped), catalog)\n"
    )
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/pipe/__init__.py": "",
            "pkg/pipe/nodes.py": nodes,
            "pkg/pipe/pipeline.py": pipeline,
            "tests/test_pipe.py": test,
        },
    )
    assert untested(check(tmp_path)) == {"bucket_distance"}


def test_tests_of_a_sub_project_import_its_modules_by_their_bare_names(tmp_path: Path) -> None:
    scoring = (
        "import pandas as pd\n\n\ndef prepare_features(df: pd.DataFrame) -> pd.DataFrame:\n"
        "    df['duration'] = (df.ended - df.started).dt.total_seconds()\n    return df\n\n\n"
        "def save_results(df: pd.DataFrame, preds) -> pd.DataFrame:\n"
        "    df['prediction'] = preds\n    return df[['id', 'prediction']]\n"
    )
    write(
        tmp_path,
        {
            "__init__.py": "",
            "deployment/__init__.py": "",
            "deployment/scoring.py": scoring,
            "deployment/tests/__init__.py": "",
            # run from `deployment/` (or with it on the path): `scoring` is `deployment/scoring.py`
            "deployment/tests/test_batch.py": (
                "from scoring import prepare_features\n\n\ndef test_prepare():\n"
                "    assert prepare_features(make_frame()) is not None\n"
            ),
            # a module of the same name elsewhere is not what that test imports
            "training/scoring.py": scoring.replace("prepare_features", "prepare_training"),
        },
    )
    assert untested(check(tmp_path)) == {"save_results", "prepare_training"}


def test_max_depth_bounds_the_call_chain(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **PACKAGE,
            "tests/test_p.py": "from pkg.pipeline import build\n\ndef test_it():\n    build(1)\n",
        },
    )
    assert "add_total" not in untested(check(tmp_path, {"max-depth": 3}))
    assert "add_total" in untested(check(tmp_path, {"max-depth": 2}))


def test_transformer_methods_reached_through_inherited_fit_transform(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": (
                "class Mixin:\n    def fit_transform(self, X):\n"
                "        return self.fit(X).transform(X)\n"
            ),
            "pkg/prep.py": (
                "from pkg.base import Mixin\n\n"
                "class A(Mixin):\n    def fit(self, X):\n        return self\n"
                "    def transform(self, X):\n        return X * 2\n\n"
                "class B(Mixin):\n    def fit(self, X):\n        return self\n"
                "    def transform(self, X):\n        return X * 2\n"
            ),
            "tests/test_prep.py": (
                "from pkg.prep import A\n\ndef test_a():\n    A().fit_transform([1])\n"
            ),
        },
    )
    assert untested(check(tmp_path)) == {"transform"}
    (finding,) = (f for f in check(tmp_path) if f.rule == "MLN301")
    assert finding.anchor == "def:pkg.prep.B.transform"


def test_tests_next_to_modules_without_a_tests_directory(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "cleaning.py": (
                "def clean_a(df):\n    return df.dropna()\n\n"
                "def clean_b(df):\n    return df.drop_duplicates()\n"
            ),
            "cleaning_test.py": "import cleaning\n\ndef test_a():\n    cleaning.clean_a([1])\n",
        },
    )
    assert untested(check(tmp_path)) == {"clean_b"}


def test_modules_of_namespace_packages_are_reached_by_their_dotted_name(tmp_path: Path) -> None:
    """``service/app/handlers.py`` without ``__init__.py`` files imports as ``app.handlers``
    from ``service/`` (where the tests run): a test importing it that way reaches it."""
    write(
        tmp_path,
        {
            "service/app/handlers.py": (
                "import numpy as np\n\nclass Scorer:\n"
                "    def postprocess(self, scores: np.ndarray) -> list:\n"
                "        order = np.argsort(scores)[::-1]\n"
                "        return [(int(i), float(scores[i])) for i in order]\n\n"
                "    def clip_scores(self, scores: np.ndarray) -> np.ndarray:\n"
                "        return np.clip(scores, 0, 1)\n"
            ),
            "service/tests/__init__.py": "",
            "service/tests/handlers_test.py": (
                "import pytest\nfrom app.handlers import Scorer\n\n"
                "@pytest.fixture\ndef scorer():\n    return Scorer()\n\n"
                "def test_postprocess(scorer):\n    assert scorer.postprocess([0.2, 0.8])\n"
            ),
        },
    )
    assert untested(check(tmp_path)) == {"clip_scores"}


def test_a_bound_method_handed_to_apply_is_run_by_the_test_of_its_caller(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/text.py": (
                "import re\n\nimport pandas as pd\n\n\n"
                "class Cleaner:\n"
                "    def clean(self, text: str) -> str:\n"
                "        return re.sub(r'\\W+', ' ', text.lower()).strip()\n\n"
                "    def clean_all(self, frame: pd.DataFrame) -> pd.DataFrame:\n"
                "        frame['clean'] = frame['text'].apply(self.clean)\n"
                "        return frame\n\n"
                "    def shout(self, text: str) -> str:\n"
                "        return re.sub(r'!+', '!', text.upper())\n"
            ),
            "tests/test_text.py": (
                "import pandas as pd\nfrom pkg.text import Cleaner\n\n\n"
                "def test_clean_all():\n"
                "    out = Cleaner().clean_all(pd.DataFrame({'text': ['A, b!']}))\n"
                "    assert out['clean'].tolist() == ['a b']\n"
            ),
        },
    )
    decisions, _ = analyse(tmp_path)
    tested = {d.candidate.qualname: d.tested for d in decisions}
    assert tested == {"Cleaner.clean": True, "Cleaner.clean_all": True, "Cleaner.shout": False}


def test_steps_of_a_pipeline_built_by_a_helper_run_when_the_test_fits_it(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/steps.py": (
                "import numpy as np\nfrom sklearn.base import BaseEstimator, TransformerMixin\n"
                "from sklearn.pipeline import Pipeline\n\n\n"
                "class ToArray(BaseEstimator, TransformerMixin):\n"
                "    def fit(self, frame, y=None):\n        self.columns_ = list(frame)\n"
                "        return self\n\n"
                "    def transform(self, frame):\n        return np.asarray(frame.values, float)\n\n\n"
                "class Clip(BaseEstimator, TransformerMixin):\n"
                "    def fit(self, x, y=None):\n        return self\n\n"
                "    def transform(self, x):\n        return np.clip(x, 0, None)\n\n\n"
                "def frame_pipeline(steps):\n"
                "    return Pipeline([('steps', steps), ('array', ToArray())])\n"
            ),
            "tests/test_steps.py": (
                "import pandas as pd\nfrom pkg.steps import frame_pipeline\n\n\n"
                "def test_frame_pipeline():\n"
                "    pipe = frame_pipeline('passthrough')\n"
                "    out = pipe.fit(pd.DataFrame({'a': [1.0]})).transform(pd.DataFrame({'a': [2.0]}))\n"
                "    assert out.tolist() == [[2.0]]\n"
            ),
        },
    )
    decisions, _ = analyse(tmp_path)
    tested = {d.candidate.qualname: d.tested for d in decisions}
    assert tested == {"ToArray.transform": True, "Clip.transform": False}


def test_a_test_asking_for_fixtures_nobody_defines_runs_nothing(tmp_path: Path) -> None:
    # ``test_model(model, vectorizer)`` in an evaluation script named ``test_*.py``: pytest
    # collects it and fails at setup ("fixture 'model' not found"), so nothing it calls runs
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/text.py": (
                "import re\n\nimport pandas as pd\n\n\n"
                "def squeeze(text: str) -> str:\n    return re.sub(r'\\s+', ' ', text).strip()\n\n\n"
                "def strip_tags(text: str) -> str:\n    return re.sub(r'<[^>]+>', '', text)\n\n\n"
                "def lower_all(text: str) -> str:\n    return re.sub(r'[A-Z]', lambda m: m.group().lower(), text)\n\n\n"
                "def unquote(text: str) -> str:\n    return re.sub(r'[\"\\']', '', text)\n"
            ),
            # a fixture named by ``name=`` and a mock handed in by ``@patch``
            "tests/test_quotes.py": (
                "from unittest.mock import patch\n\nimport pytest\nfrom pkg.text import unquote\n\n\n"
                "@pytest.fixture(name='quoted')\ndef _quoted():\n    return '\"a\"'\n\n\n"
                "@patch('pkg.text.squeeze')\n"
                "def test_unquote(fake_squeeze, quoted):\n    assert unquote(quoted) == 'a'\n"
            ),
            "pkg/test_model.py": (
                "from pkg.text import squeeze\n\n\n"
                "def test_model(model, vectorizer):\n"
                "    return model.predict(vectorizer.transform([squeeze(' a  b ')]))\n"
            ),
            "tests/conftest.py": (
                "import pytest\n\n\n@pytest.fixture\ndef sample():\n    return '<b>x</b>'\n"
            ),
            "tests/test_text.py": (
                "import pytest\nfrom pkg.text import lower_all, strip_tags\n\n\n"
                "def test_strip(sample, tmp_path):\n    assert strip_tags(sample) == 'x'\n\n\n"
                "@pytest.mark.parametrize('text, want', [('AB', 'ab')])\n"
                "def test_lower(text, want):\n    assert lower_all(text) == want\n"
            ),
        },
    )
    decisions, _ = analyse(tmp_path)
    tested = {d.candidate.qualname: d.tested for d in decisions}
    assert tested == {"squeeze": False, "strip_tags": True, "lower_all": True, "unquote": True}
    # fixtures a star import may bring in are not known: then the test is taken as runnable
    (tmp_path / "tests" / "conftest.py").write_text(
        "import pytest\nfrom pkg.helpers import *\n\n\n"
        "@pytest.fixture\ndef sample():\n    return '<b>x</b>'\n",
        encoding="utf-8",
    )
    decisions, _ = analyse(tmp_path)
    assert {d.candidate.qualname: d.tested for d in decisions}["squeeze"] is True


def test_a_test_that_cannot_import_its_module_runs_nothing(tmp_path: Path) -> None:
    """``bins.py`` imports ``.constant``, which does not exist: pytest fails to collect
    ``tests/test_bins.py``, so ``cut_bins`` is untested. ``_version`` is written at install time,
    so a missing one breaks nothing."""
    write(
        tmp_path,
        {
            "cards/__init__.py": "from ._version import version\nfrom .bins import cut_bins\n",
            "cards/bins.py": (
                "import pandas as pd\nfrom .constant import EPS\n\n"
                "def cut_bins(df: pd.DataFrame) -> pd.DataFrame:\n"
                "    return df.assign(bin=pd.cut(df['x'] + EPS, 5))\n"
            ),
            "cards/scale.py": (
                "import pandas as pd\n\ndef minmax(df: pd.DataFrame) -> pd.DataFrame:\n"
                "    return (df - df.min()) / (df.max() - df.min())\n"
            ),
            "tests/test_bins.py": (
                "import pandas as pd\nfrom cards.bins import cut_bins\n\n"
                "def test_cut():\n    cut_bins(pd.DataFrame({'x': [1, 2]}))\n"
            ),
            "tests/test_scale.py": (
                "import pandas as pd\nfrom cards.scale import minmax\n\n"
                "def test_minmax():\n    minmax(pd.DataFrame({'x': [1, 2]}))\n"
            ),
        },
    )
    # the package's __init__ imports bins.py, so test_scale.py cannot import cards.scale either
    assert untested(check(tmp_path)) == {"cut_bins", "minmax"}
    (tmp_path / "cards" / "constant.py").write_text("EPS = 1e-6\n", encoding="utf-8")
    assert untested(check(tmp_path)) == set()


def test_finding_text_anchor_and_skeleton(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/features/__init__.py": "",
            "shop/features/calendar.py": (
                "def add_holiday_flags(df: 'pd.DataFrame', country: str, *, strict=False) "
                "-> 'pd.DataFrame':\n"
                "    df = df.copy()\n"
                "    df['is_holiday'] = df['date'].isin(HOLIDAYS[country]) & df.store_open\n"
                "    return df.groupby(['store_id']).sum()\n"
            ),
            # (the pipeline imports the module: a module nothing imports is information)
            "shop/pipeline.py": "from shop.features.calendar import add_holiday_flags\n",
        },
    )
    (finding,) = check(tmp_path)
    assert finding.rule == "MLN301"
    assert finding.message == (
        "`add_holiday_flags()` transforms data: returns data built from `df`; `df` is annotated "
        "`pd.DataFrame`; uses `isin`, `groupby`. No test that pytest "
        "collects calls it, directly or through other functions. It is part of the data "
        "pipeline: it sits in a data-preparation module."
    )
    assert finding.fix is not None
    assert finding.fix.startswith("Add a small test that calls `add_holiday_flags()`.")
    assert "Example test (it fails until you fill in the expected result):" in finding.fix
    assert (finding.path, finding.line) == ("shop/features/calendar.py", 1)
    assert finding.anchor == "def:shop.features.calendar.add_holiday_flags"
    assert finding.details["decided_by"] == "static"
    assert finding.fix is not None
    code = finding.fix.split("```python\n", 1)[1].split("```", 1)[0]
    ast.parse(code)
    assert "from shop.features.calendar import add_holiday_flags" in code
    assert "df = pd.DataFrame(" in code
    columns = [line.split(":")[0].strip() for line in code.splitlines() if ": [" in line]
    assert columns == ['"date"', '"store_open"', '"store_id"']  # in the order the body reads them
    assert '"is_holiday"' not in code  # written by the function, not read
    assert 'country = "TODO"' in code
    assert "pytest.fail(" in code


def test_anchor_survives_line_shifts(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/features.py": "def add_x(df):\n    return df.assign(x=1)\n",
    }
    before = check(write(tmp_path, files))
    write(tmp_path, {"pkg/features.py": "import os\n\n\n" + files["pkg/features.py"]})
    after = check(tmp_path)
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]
    assert before[0].line != after[0].line


def test_module_level_script(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "scripts/clean_raw.py": (
                "import pandas as pd\n\ndf = pd.read_csv('raw.csv')\n"
                "df = df.dropna(subset=['price'])\n"
                "df['price'] = df['price'].clip(lower=0)\n"
                "df.to_csv('clean.csv')\n"
            ),
            "scripts/download.py": "import urllib.request\nurllib.request.urlretrieve('u', 'f')\n",
        },
    )
    (finding,) = check(tmp_path)
    assert (finding.rule, finding.path, finding.line) == ("MLN303", "scripts/clean_raw.py", 4)
    assert finding.anchor == "module-level-script"  # renaming the file keeps its identity
    assert "def clean_raw(df" in (finding.fix or "")


SCRIPTS_THAT_ARE_NOT_TRANSFORMATIONS = {
    # a plotting module setting matplotlib's defaults: a module's settings, not a frame
    "plot_style.py": (
        "import matplotlib as mpl\nimport matplotlib.pyplot as plt\n\nplt.style.use('ggplot')\n"
        "mpl.rcParams['lines.linewidth'] = 2.0\nmpl.rcParams['legend.fontsize'] = 'x-large'\n"
    ),
    # a scoring entry point reading its run date from the command line, then calling a flow
    "score_run.py": (
        "import sys\nimport pandas as pd\n\n\ndef apply_model(run_date):\n    return run_date\n\n\n"
        "if __name__ == '__main__':\n    run_date = pd.to_datetime(sys.argv[1])\n"
        "    apply_model(run_date)\n"
    ),
    # rows sorted on load, key and target set apart, then a fit: plumbing of a training script
    "train_gbm.py": (
        "import pandas as pd\nimport lightgbm as lgb\n\nKEY, TARGET = 'id', 'label'\n"
        "train = pd.read_csv('train.csv').sort_values(by=KEY).reset_index(drop=True)\n"
        "X = train.drop(columns=[KEY, TARGET])\ny = train[TARGET]\n"
        "model = lgb.LGBMClassifier().fit(X, y)\n"
    ),
    # a plain holdout split before the fit sets rows apart
    "train_holdout.py": (
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\n"
        "df = pd.read_csv('train.csv')\nX, y = df.drop(columns=['label']), df['label']\n"
        "X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2)\n"
        "model = fit(X_tr, y_tr)\n"
    ),
    # a network built layer by layer and settings updated before a fit: no data is touched
    "train_nn.py": (
        "import numpy as np\nimport pandas as pd\n\n"
        "train = pd.read_csv('train.csv').sort_values(by='id')\n"
        "X, y = train.drop(columns=['id', 'label']), train['label']\n"
        "model = Sequential()\nmodel.add(Dense(64))\nmodel.add(Dense(1))\n"
        "params = search.best_params_\nparams['epochs'] = 5\n"
        "model.fit(X, y, **params)\nscores = model.predict(X).flatten()\n"
    ),
    # a search space written with numbers: np.log(0.005) holds no data
    "space.py": (
        "import numpy as np\nfrom hyperopt import hp\n\n"
        "SPACE = {'lr': hp.loguniform('lr', np.log(0.005), np.log(0.2)),\n"
        "         'depth': hp.choice('depth', np.arange(1, 25).astype(int))}\n"
    ),
    # a results record filled after training: a dict, not a table
    "compare.py": (
        "import torch\n\nresults = []\nfor name in ('a', 'b'):\n"
        "    row = {'model': name}\n    row['loss'] = train_one(name)\n"
        "    row['drift'] = (before(name) - after(name)).pow(2).mean().item()\n"
        "    results.append(row)\n"
    ),
    # metrics summarised after training: reductions are not transformations
    "report_cv.py": (
        "import numpy as np\n\nscores = []\nfor fold in range(5):\n"
        "    errors = run_fold(fold)\n"
        "    scores.append(np.sqrt(errors.mean()) / (errors.max() - errors.min()))\n"
        "print(np.mean(scores), np.std(scores))\n"
    ),
}


def test_scripts_that_only_split_order_or_summarise_are_not_transformation_scripts(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            **SCRIPTS_THAT_ARE_NOT_TRANSFORMATIONS,
            # the same training script scaling its features is one
            "train_scaled.py": (
                "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n\n"
                "train = pd.read_csv('train.csv')\nX = train.drop(columns=['label'])\n"
                "X = StandardScaler().fit_transform(X)\n"
            ),
            # dropping columns chosen from the data is feature selection
            "select.py": (
                "import pandas as pd\n\nranks = pd.read_csv('importance.csv')\n"
                "weak = ranks.iloc[50:, 0].tolist()\ntrain = pd.read_csv('train.csv')\n"
                "test = pd.read_csv('test.csv')\ntrain.drop(columns=weak, inplace=True)\n"
                "test.drop(columns=weak, inplace=True)\n"
            ),
            # averaging submissions cell by cell is blending
            "blend.py": (
                "import pandas as pd\n\nsubs = [pd.read_csv(f).sort_values(by='id') for f in FILES]\n"
                "out = subs[0].copy()\nfor i in range(len(out)):\n"
                "    out.iat[i, 1] = sum(s.iat[i, 1] for s in subs) / len(subs)\n"
            ),
            # stratified sampling of a subset, then stratified splits: sampling decisions
            "sample_eval.py": (
                "import numpy as np\nfrom sklearn.model_selection import train_test_split\n\n"
                "ids, y = np.load('ids.npy'), np.load('y.npy')\n"
                "_, ids, _, y = train_test_split(ids, y, test_size=0.1, stratify=y)\n"
                "ids_tr, ids_te, y_tr, y_te = train_test_split(ids, y, stratify=y)\n"
            ),
            # an array tutorial: every array is made from numbers written in the code
            "numpy_tour.py": (
                "import numpy as np\n\ngrid = np.arange(0, 12, 0.5)\nprint(grid)\n"
                "cube = np.random.randint(0, 9, (2, 3))\ncube = cube.reshape(3, 2)\n"
                "print(cube[cube > 4], cube.T)\n"
            ),
            # a function defined inside a ``with`` block runs only when it is called
            "train_shown.py": (
                "import numpy as np\nimport mlflow\n\n"
                "x, y = np.load('x.npy'), np.load('y.npy')\n"
                "with mlflow.start_run():\n    model.fit(x, y)\n\n"
                "    def show(i):\n        img = x[i].reshape(28, 28)\n"
                "        return img[img > 0].astype(float)\n"
            ),
            # Keras' one-hot encoding of the labels is a data operation
            "train_digits.py": (
                "import numpy as np\nfrom keras.utils import to_categorical\n\n"
                "x, y = np.load('x.npy'), np.load('y.npy')\n"
                "y = to_categorical(y, num_classes=10)\nmodel.fit(x, y)\n"
            ),
            # averaging fold predictions into the submission's target column is blending
            "submit.py": (
                "import numpy as np\nimport pandas as pd\n\nif __name__ == '__main__':\n"
                "    preds = [run_fold(k) for k in range(5)]\n"
                "    sub = pd.read_csv(config.SAMPLE)\n"
                "    sub[config.TARGET] = np.mean(np.array(preds), 0)\n"
            ),
        },
    )
    assert sorted((f.rule, f.path, f.line) for f in check(tmp_path)) == [
        ("MLN303", "blend.py", 3),
        ("MLN303", "sample_eval.py", 5),
        ("MLN303", "select.py", 7),
        ("MLN303", "submit.py", 7),
        ("MLN303", "train_digits.py", 5),
        ("MLN303", "train_scaled.py", 5),
    ]


# -- the hook path --------------------------------------------------------------------------------


def test_hook_checks_changed_functions_and_what_a_changed_test_exercises(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **PACKAGE,
            "pkg/other.py": "def clean_other(df):\n    return df.dropna()\n",
            "tests/test_f.py": (
                "from pkg.features import add_ratio, add_diff\n\ndef test_it():\n    add_ratio(1)\n"
            ),
        },
    )
    assert untested(check(tmp_path, targets=["pkg/other.py"])) == {"clean_other"}
    # the test changed: what it imports or runs is re-checked, nothing else
    assert untested(check(tmp_path, targets=["tests/test_f.py"])) == {"add_diff"}
    assert untested(check(tmp_path, targets=["README.md"])) == set()


def test_hook_path_does_not_import_coverage(tmp_path: Path) -> None:
    write(tmp_path, {**PACKAGE, "tests/test_f.py": "def test_it():\n    pass\n"})
    code = (
        "import sys\nfrom pathlib import Path\nfrom mlnudge.config import build_config\n"
        "from mlnudge.runner import run\n"
        f"run(Path({str(tmp_path)!r}), build_config({{}}), targets=['pkg/features.py'], "
        "families=['transforms'], use_cache=False)\n"
        "print('coverage' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=clean_env()
    )
    assert proc.stdout.strip() == "False"


# -- coverage.py: the dynamic method --------------------------------------------------------------

#: where the two methods rightly differ on the fixtures (see docs/transforms.md)
EXPECTED_DIFFERENCES = {
    # called by run_pipeline() only when holidays=True: static over-approximates, coverage is right
    # lowercase_keys is reached through the STEPS registry: both methods follow it
    "shop": {"add_holiday_flags": (True, False)},
    "flat": {},
}
EXPECTED_UNTESTED = {
    "shop": {"encode_regions", "OutlierClipper.transform", "scale_amounts", "add_holiday_flags"},
    "flat": {"strip_whitespace", "summarize_by_region"},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED_UNTESTED))
def test_static_and_coverage_agree_on_fixtures(tmp_path: Path, name: str) -> None:
    root = copy_fixture(name, tmp_path)
    run_coverage(root)
    static, static_notes = analyse(root, {"coverage-file": "no-such-file"})
    dynamic, notes = analyse(root)
    assert {d.decided_by for d in static} == {"static"}
    assert {d.decided_by for d in dynamic} == {"coverage"}, notes
    by_static = {d.candidate.qualname: d.tested for d in static}
    by_coverage = {d.candidate.qualname: d.tested for d in dynamic}
    assert by_static.keys() == by_coverage.keys()
    differ = {
        q: (by_static[q], by_coverage[q]) for q in by_static if by_static[q] != by_coverage[q]
    }
    assert differ == EXPECTED_DIFFERENCES[name]
    assert {q for q, tested in by_coverage.items() if not tested} == EXPECTED_UNTESTED[name]
    assert any("by running the tests" in n for n in notes)
    assert any("by reading the tests" in n for n in static_notes)


@pytest.mark.slow
def test_coverage_reports_partial_and_mock_only(tmp_path: Path) -> None:
    root = copy_fixture("shop", tmp_path)
    run_coverage(root)
    findings = {(f.rule, f.anchor): f for f in check(root)}
    partial = findings[("MLN302", "def:shop.preprocessing.impute_missing")]
    assert partial.severity.label == "info"
    assert partial.details["decided_by"] == "coverage"
    assert 0 < float(partial.details["covered_share"] or 0) < 0.5
    assert "lines 37-41" in (partial.fix or "")
    mocked = findings[("MLN301", "def:shop.preprocessing.scale_amounts")]
    assert mocked.details["mock_only_tests"] == 1
    assert "only tests that pass `Mock` objects ran its body" in mocked.message
    assert ("MLN302", "def:shop.preprocessing.impute_missing") not in {
        (f.rule, f.anchor) for f in check(root, {"min-covered-share": 0.3})
    }
    assert ("MLN303", "module-level-script") in findings


@pytest.mark.slow
def test_generated_skeleton_fails_until_filled_in(tmp_path: Path) -> None:
    root = copy_fixture("flat", tmp_path)
    finding = next(f for f in check(root) if f.anchor == "def:cleaning.strip_whitespace")
    code = (finding.fix or "").split("```python\n", 1)[1].split("```", 1)[0]
    assert 'rows = [{"city": ' in code  # the key the body reads from each row
    (root / "generated_test.py").write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "generated_test.py"],
        cwd=root,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout
    assert "1 failed" in proc.stdout
    assert "TODO: write the expected output of strip_whitespace()" in proc.stdout


@pytest.mark.slow
def test_run_tests_option_runs_pytest_under_coverage(tmp_path: Path) -> None:
    root = copy_fixture("flat", tmp_path)
    started = time.perf_counter()
    decisions, notes = analyse(root, {"run-tests": True})
    elapsed = time.perf_counter() - started
    assert {d.decided_by for d in decisions} == {"coverage"}
    assert any("ran the tests under coverage.py" in n and "3 passed" in n for n in notes), notes
    assert not (root / ".coverage").exists()  # the data went to a temporary file
    assert elapsed < 60


@pytest.mark.slow
def test_run_tests_flag_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_fixture("shop", tmp_path)
    for key in list(os.environ):
        if key.startswith(("COV_CORE_", "COVERAGE_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(root)
    assert (
        main(
            [
                "check",
                "--run-tests",
                "--family",
                "transforms",
                "--no-cache",
                "--format",
                "json",
                ".",
            ]
        )
        == 0
    )
    import json

    report = json.loads(capsys.readouterr().out)
    assert any("ran the tests under coverage.py" in n for n in report["notes"])
    decided = {
        f["details"]["decided_by"] for f in report["findings"] if f["rule"].startswith("MLN30")
    }
    assert decided == {"coverage", "static"}  # MLN303 is always static


def test_coverage_without_test_contexts_falls_back_to_static(tmp_path: Path) -> None:
    coverage = pytest.importorskip("coverage")
    write(tmp_path, {**PACKAGE, "tests/test_f.py": "def test_it():\n    pass\n"})
    data = coverage.CoverageData(basename=str(tmp_path / ".coverage"))
    data.add_lines({str(tmp_path / "pkg" / "features.py"): [1, 2]})
    data.write()
    decisions, notes = analyse(tmp_path)
    assert {d.decided_by for d in decisions} == {"static"}
    assert any("no per-test contexts" in n for n in notes)


def test_missing_coverage_package_is_a_note_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {**PACKAGE, ".coverage": "not a database"})
    monkeypatch.setitem(sys.modules, "coverage", None)
    decisions, notes = analyse(tmp_path)
    assert {d.decided_by for d in decisions} == {"static"}
    assert any("mlnudge[coverage]" in n for n in notes)


@pytest.mark.slow
def test_files_changed_after_the_coverage_run_are_decided_statically(tmp_path: Path) -> None:
    root = copy_fixture("flat", tmp_path)
    run_coverage(root)
    stamp = (root / ".coverage").stat().st_mtime
    os.utime(root / "cleaning.py", (stamp + 10, stamp + 10))
    decisions, notes = analyse(root)
    by = {d.candidate.qualname: d.decided_by for d in decisions}
    assert by["fill_missing_ages"] == "static" and by["join_orders_customers"] == "coverage"
    assert any("cleaning.py" in n and "decided statically" in n for n in notes)


def test_rules_are_complete() -> None:
    codes = [rule.code for rule in transforms.RULES]
    assert codes == ["MLN301", "MLN302", "MLN303"]
    for rule in transforms.RULES:
        assert rule.name and rule.summary and rule.why and rule.fix
        assert rule.example and rule.use_instead
        known = {o.name for o in transforms.OPTIONS}
        assert set(rule.options) <= known
    assert {
        "include",
        "exclude",
        "names",
        "marker",
        "coverage-file",
        "min-covered-share",
        "max-depth",
        "run-tests",
    } <= {o.name for o in transforms.OPTIONS}


# -- evidence: every class the corpus showed wrongly flagged or missed ----------------------------

#: tests/fixtures/transforms/evidence: (kind, tested) per function judged a transformation or a
#: builder; every other function of the fixture must be neither
EVIDENCE = {
    # missed before: text cleaning next to a flagged sibling (re.sub, compiled patterns, .str.)
    "remove_digits": ("transformation", True),
    "strip_links": ("transformation", False),  # only a script's main() calls it: not a test
    "drop_symbols": ("transformation", False),
    # missed before: serving-time code is exactly where train/serve skew hides
    "_serving_frame": ("transformation", False),
    # missed before: post-processing (decisions, blending, calibration, ranking)
    "to_decisions": ("transformation", False),  # a test-file helper nothing calls
    "blend": ("transformation", False),
    "calibrate": ("transformation", False),
    "top_items": ("transformation", False),  # a Kedro node, and a transformation by its body
    # missed before: sampling and splitting written by hand
    "negative_samples": ("transformation", False),
    "stratified_folds": ("transformation", False),
    # missed before: a collate function padding a batch of samples
    "collate": ("transformation", False),
    # tested through paths static reach now follows
    "minmax": ("transformation", True),  # registry looked up by name
    "zscore": ("transformation", True),  # (the same registry: any member may run)
    "Clip.__call__": ("transformation", True),  # classes listed in parametrize, called
    "Square.__call__": ("transformation", True),
    "Deduplicate.transform": ("transformation", True),  # a fixture builds the object
    "Step.run": ("transformation", True),  # base-class method calling the override
    "AddRatio.apply": ("transformation", True),  # a test class inheriting its tests
    "AddLogIncome.apply": ("transformation", False),
    "unit_range": ("transformation", True),  # its doctest, with --doctest-modules
    "fill_gaps": ("transformation", True),  # a task object's .fn
    # context, not an untested transformation
    "build_preprocessor": ("builder", False),
}
#: functions of the fixture that look like transformations by name or shape but are not
NOT_TRANSFORMATIONS = {
    "ChurnModule.training_step",  # Lightning step: forward + loss
    "ChurnModule.configure_optimizers",
    "fit_model",
    "train_folds",  # K-fold training loop
    "objective",  # tuning objective
    "search_depths",  # hyperparameter search
    "make_optimizer",
    "make_scheduler",
    "backprop_step",  # autograd
    "study",
    "mae",  # metric
    "weighted_error",  # metric by hand: a single value
    "error_report",  # metrics by hand: named single values
    "explain",  # SHAP
    "predict_batches",  # inference loop
    "predict_frame",  # prediction plus output column
    "sample_noise",  # takes no data
    "FeatureSet.feature_keys",  # property returning a constant list
    "FeatureSet.target_column",  # one-line accessor
    "Step.apply",  # abstract method
    "add_interactions",  # stubs: pass, ..., docstring only
    "add_lags",
    "add_calendar",
    "task",
    "_path_key",  # helpers in code that handles no data
    "parse_pairs",
    "create_pipeline",
    "main",
}


def test_evidence_decides_what_is_a_transformation() -> None:
    decisions, notes = analyse(FIXTURES / "evidence")
    found = {d.candidate.qualname: (d.candidate.kind, d.tested) for d in decisions}
    assert found == EVIDENCE
    assert not NOT_TRANSFORMATIONS & found.keys()
    assert any("decided 20 by reading the tests, 1 by doctests" in n for n in notes), notes


def test_every_finding_says_why_in_one_clause() -> None:
    findings = check(FIXTURES / "evidence")
    by = {f.anchor.removeprefix("def:shopml."): f for f in findings if f.rule == "MLN301"}
    assert by["features.drop_symbols"].message == (
        "`drop_symbols()` transforms data: returns data built from `titles`; `titles` is "
        "annotated `pd.Series`; uses `.str.replace`. No test that pytest collects calls "
        "it, directly or through other functions. It is part of the data pipeline: it sits "
        "in a data-preparation module."
    )
    assert "text (passed to `URL.sub()`)" in by["features.strip_links"].message
    builder = by["features.build_preprocessor"]
    assert builder.severity.label == "info"
    assert "builds an unfitted `ColumnTransformer`" in builder.message
    assert {f.severity.label for k, f in by.items() if k != "features.build_preprocessor"} == {
        "warning"
    }


def test_own_repository_helpers_are_not_transformations() -> None:
    root = Path(__file__).resolve().parents[2]
    decisions, _ = analyse(root)
    # only the bundled messy example project and the fuzzers' seed inputs have transformations
    samples = ("examples/", "benchmarks/fuzz/corpus/")
    assert [d.candidate.path for d in decisions if not d.candidate.path.startswith(samples)] == []


# -- the example test -----------------------------------------------------------------------------

EXAMPLES = [
    pytest.param(
        "def shape_rows(rows):\n"
        "    out = []\n"
        "    for row in rows:\n"
        + "".join(f"        x{i} = row['day_{i}']\n" for i in range(12))
        + "        out.append({**row, 'total': x0 + x11})\n"
        "    return out\n",
        id="records-with-twelve-date-like-keys",
    ),
    pytest.param(
        "import pandas as pd\n\ndef add_cols(df: pd.DataFrame) -> pd.DataFrame:\n"
        + "".join(f"    df['c{i}'] = df['label {i}\\\"'].astype(str)\n" for i in range(5))
        + "    return df\n",
        id="column-names-with-quotes-at-any-index",
    ),
    pytest.param(
        "import numpy as np\n\nclass Scale:\n    def __init__(self, a, b):\n        self.a = a\n"
        "    def fit(self, x):\n        return self\n"
        "    def transform(self, x: np.ndarray, *, k):\n        return np.clip(x, 0, k)\n",
        id="method-with-constructor-and-keyword-only",
    ),
]


@pytest.mark.parametrize("source", EXAMPLES)
def test_example_test_is_valid_python_for_any_input(tmp_path: Path, source: str) -> None:
    write(tmp_path, {"my-pkg/features.py": source})
    (finding,) = [f for f in check(tmp_path) if f.rule == "MLN301"]
    assert "Example test (it fails until you fill in the expected result):" in (finding.fix or "")
    code = (finding.fix or "").split("```python\n", 1)[1].split("```", 1)[0]
    ast.parse(code)  # valid Python, even for a module path no import statement can name
    assert "pytest.fail(" in code


def test_example_dates_stay_valid_past_the_ninth() -> None:
    assert [transforms._value("order_date", i) for i in (0, 9, 40)] == [
        '"2024-01-01"',
        '"2024-01-10"',
        '"2024-01-13"',
    ]


# -- one pass per file, cached ------------------------------------------------------------------


def test_facts_cache_gives_identical_results_and_skips_parsing(tmp_path: Path) -> None:
    root = copy_fixture("evidence", tmp_path)
    config = build_config({})
    cache_dir = tmp_path / "cache"

    def run_once(use_cache: bool) -> tuple[list[Finding], set[str]]:
        from mlnudge.facts.store import FileCache

        repo = Repo.discover(root, config)
        cache = FileCache(cache_dir, salt="test") if use_cache else None
        ctx = CheckContext(
            repo=repo,
            config=config,
            options=config.section("transforms"),
            family="transforms",
            project=detect(repo),
            cache=cache,
        )
        found = sorted(transforms.check(ctx), key=lambda f: (f.path, f.line or 0, f.rule))
        if cache is not None:
            cache.save(prune=True)
        return found, set(repo._python)

    plain, parsed_plain = run_once(False)
    cold, _ = run_once(True)
    warm, parsed = run_once(True)
    assert plain == cold == warm
    assert plain  # the fixture has findings to compare
    assert "shopml/features.py" in parsed_plain
    # the warm run judged every file and wrote every example test from its cached facts and
    # reach: it parses nothing, not even the file of a finding
    assert {f.path for f in warm if f.rule == "MLN301"} == {"shopml/features.py"}
    assert parsed == set()
    # one changed file: its facts and the reach are recomputed, the result is still identical
    features = root / "shopml" / "features.py"
    features.write_text(features.read_text() + "\n\ndef added(df):\n    return df.dropna()\n")
    changed, reparsed = run_once(True)
    assert {f.anchor for f in changed} - {f.anchor for f in plain} == {"def:shopml.features.added"}
    assert "shopml/paths.py" not in reparsed  # unchanged and reached by no test


def test_helper_nested_in_a_function_is_judged_and_asked_to_move(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "make_dataset.py": (
                "import pandas as pd\n\n\ndef main(path):\n"
                "    def _rename_target(df):\n"
                "        df = df.rename(columns={df.columns[-1]: 'target'})\n"
                "        return df.astype({'target': int})\n\n"
                "    return _rename_target(pd.read_csv(path))\n"
            )
        },
    )
    (finding,) = [f for f in check(tmp_path) if f.rule == "MLN301"]
    assert finding.anchor == "def:make_dataset.main._rename_target"
    assert (finding.fix or "").startswith("Move `_rename_target()` out of `main()` to module level")
    code = (finding.fix or "").split("```python\n", 1)[1].split("```", 1)[0]
    ast.parse(code)
    assert "from make_dataset import _rename_target" in code
    assert "result = _rename_target(df)" in code
    # the hook run on the file reports the nested helper too (it once judged only the
    # module's top-level functions and methods of a changed file)
    hook = [f.anchor for f in check(tmp_path, targets=["make_dataset.py"]) if f.rule == "MLN301"]
    assert hook == [finding.anchor]


def test_script_with_functions_points_at_its_first_data_operation(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "scripts/optimize.py": (
                "import pandas as pd\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                "df = pd.read_excel('train.xlsx')\n\n"
                "X = df.drop(columns=['y'])\n"
                "X_scaled = StandardScaler().fit_transform(X)\n\n\n"
                "def objective(trial):\n"
                "    return trial.suggest_int('depth', 2, 8)\n\n\n"
                "if __name__ == '__main__':\n"
                "    print(objective(None))\n"
            ),
            "scripts/report.py": "import json\n\nrows = json.load(open('x'))\nrows.sort()\n",
        },
    )
    (finding,) = check(tmp_path)
    assert (finding.rule, finding.path, finding.line) == ("MLN303", "scripts/optimize.py", 6)


def test_a_librarys_private_helpers_are_tested_through_its_public_api(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\n\n"
        "def woe_transform(df: pd.DataFrame) -> pd.DataFrame:\n"
        "    return _bins(df).assign(woe=lambda d: d['x'].map(len))\n\n"
        "def _bins(df: pd.DataFrame) -> pd.DataFrame:\n"
        "    return df.assign(bin=pd.cut(df['x'], 5))\n\n"
        "class Mixup:\n    def __call__(self, X: pd.DataFrame, y):\n"
        "        lam = 0.3\n        return lam * X + (1 - lam) * X.sample(frac=1.0), y\n"
    )
    published = '[project]\nname = "cards"\nclassifiers = ["Programming Language :: Python"]\n'
    root = write_tree(
        tmp_path, {"pyproject.toml": published, "cards/__init__.py": "", "cards/woe.py": code}
    )
    decisions, _ = analyse(root)
    # a special method is public: ``Mixup()(X, y)`` calls ``__call__``
    assert [d.candidate.qualname for d in decisions] == ["woe_transform", "Mixup.__call__"]


def test_columns_stored_into_a_table_the_script_built_are_data_operations(tmp_path: Path) -> None:
    """Blending submission files under ``__main__``: each file's predictions stored as a column
    of a frame the script built (``blend[model] = ...``, the key a variable), then averaged."""
    write(
        tmp_path,
        {
            "blend.py": (
                "import os\n\nimport pandas as pd\n\n"
                "if __name__ == '__main__':\n"
                "    test = pd.read_csv('test.csv')\n"
                "    blend = pd.DataFrame(index=test.index)\n"
                "    for name in os.listdir('subs'):\n"
                "        preds = pd.read_csv(os.path.join('subs', name))\n"
                "        blend[name] = preds['prob'].values\n"
                "    blend.mean(axis=1).to_csv('blend.csv')\n"
            ),
            # a dict filled under a variable key is a record, not a table
            "tally.py": (
                "import os\n\nimport pandas as pd\n\n"
                "sizes = {}\n"
                "for name in os.listdir('subs'):\n"
                "    sizes[name] = os.path.getsize(name)\n"
                "print(pd.Series(sizes).mean(axis=0))\n"
            ),
        },
    )
    found = [(f.rule, f.path, f.line) for f in check(tmp_path)]
    assert found == [("MLN303", "blend.py", 10)]


def test_a_stratified_split_is_a_sampling_decision_of_a_script(tmp_path: Path) -> None:
    """Only data can be stratified by its labels: a script that takes the label column and
    makes a stratified holdout split is a transformation script; a plain split is plumbing."""
    write(
        tmp_path,
        {
            "split_labels.py": (
                "import numpy as np\nfrom sklearn.model_selection import train_test_split\n\n"
                "ids = np.load('ids.npy')\n"
                "y = np.load('labels.npy')\n\n"
                "ids_train, ids_test, y_train, y_test = train_test_split(\n"
                "    ids, y, test_size=0.2, stratify=y\n)\n"
                "np.save('train_ids.npy', ids_train)\n"
            ),
            "plain_split.py": (
                "import numpy as np\nfrom sklearn.model_selection import train_test_split\n\n"
                "ids = np.load('ids.npy')\n"
                "y = np.load('labels.npy')\n\n"
                "ids_train, ids_test, y_train, y_test = train_test_split(ids, y, test_size=0.2)\n"
                "np.save('train_ids.npy', ids_train)\n"
            ),
        },
    )
    found = [(f.rule, f.path, f.line) for f in check(tmp_path)]
    assert found == [("MLN303", "split_labels.py", 7)]


def test_visualisation_and_path_setup_scripts_are_not_transformation_scripts(
    tmp_path: Path,
) -> None:
    """A script whose output is a figure (it plots, writes no table and fits nothing) is a
    visualisation script; string methods on the working directory set up locations, not data."""
    write(
        tmp_path,
        {
            "heatmap.py": (
                "import pandas as pd\nimport seaborn as sns\nimport matplotlib.pyplot as plt\n\n"
                "frame = pd.read_csv('table.csv')\n"
                "shown = frame.drop(columns=['id']).fillna(0)\n"
                "sns.heatmap(shown.corr())\nplt.show()\n"
            ),
            "heatmap_and_table.py": (
                "import pandas as pd\nimport seaborn as sns\n\n"
                "frame = pd.read_csv('table.csv')\n"
                "shown = frame.drop(columns=['id']).fillna(0)\n"
                "sns.heatmap(shown.corr())\nshown.to_csv('clean.csv')\n"
            ),
            "paths.py": (
                "import os\nimport sys\nimport pandas as pd\n\n"
                "here = os.getcwd()\n"
                "sys.path.append(here.replace('/jobs', ''))\n"
                "sys.path.append(here.replace('/jobs', '/lib'))\n"
            ),
        },
    )
    found = [(f.rule, f.path, f.line) for f in check(tmp_path)]
    assert found == [("MLN303", "heatmap_and_table.py", 5)]


def test_library_objects_and_model_inputs_are_no_data_operations_of_a_script(
    tmp_path: Path,
) -> None:
    """A method of an object a library hands over (``logger.add(...)``) is not an operation on
    data, and an array given a batch axis only a model reads (``np.expand_dims(x, axis=0)``
    then ``model.predict``) is inference plumbing: neither makes a script, and a script that
    transforms is pointed at its first transformation, not at its logging setup."""
    write(
        tmp_path,
        {
            "features/add_ratio.py": (
                "import numpy as np\nimport pandas as pd\nfrom loguru import logger\n\n"
                "if __name__ == '__main__':\n"
                "    logger.add('run.log', level='INFO')\n"
                "    table = pd.read_csv('in.csv')\n"
                "    for col in ['a', 'b']:\n"
                "        table[f'{col}_sqrt'] = np.sqrt(table[col])\n"
                "    table.to_csv('out.csv')\n"
            ),
            "serve/score.py": (
                "import pandas as pd\nfrom loguru import logger\n\n"
                "if __name__ == '__main__':\n"
                "    logger.add('score.log')\n"
                "    rows = pd.read_csv('new.csv')\n"
                "    rows['score'] = booster.predict(rows[COLUMNS])\n"
                "    rows.to_csv('scored.csv')\n"
            ),
            "serve/per_file.py": (
                "import os\nimport numpy as np\n\n"
                "if __name__ == '__main__':\n"
                "    net = load_net('weights.h5')\n"
                "    for name in os.listdir('inbox'):\n"
                "        signal = np.load(os.path.join('inbox', name))\n"
                "        batch = np.expand_dims(signal, axis=0)\n"
                "        out = net(batch)\n"
                "        vector = signal.reshape(1, -1)\n"
                "        print(name, out, regressor.predict(vector), net(signal.reshape(1, -1)))\n"
            ),
            "features/windows.py": (
                "import numpy as np\n\n"
                "signal = np.load('signal.npy')\n"
                "windows = np.expand_dims(signal, axis=0)\n"
                "np.save('windows.npy', windows)\n"
            ),
        },
    )
    found = sorted((f.rule, f.path, f.line) for f in check(tmp_path))
    # the batch axis saved to a file is the script's own output: still a transformation
    assert found == [("MLN303", "features/add_ratio.py", 9), ("MLN303", "features/windows.py", 4)]


def test_a_method_reading_a_file_under_the_objects_folder_is_a_loader(tmp_path: Path) -> None:
    """An attribute of the object that only names where a file is (``self.folder`` in the
    path) does not make what the file holds the object's data: a method that reads a table and
    sets its key column as the index is a loader; one that aggregates the object's own table
    is a transformation."""
    write(
        tmp_path,
        {
            "store.py": (
                "import os\nimport pandas as pd\n\nROOT = '/srv'\n\n\n"
                "class Store:\n"
                "    def __init__(self, folder, table):\n"
                "        self.folder = folder\n        self.table = table\n\n"
                "    def _read(self, name, kind):\n"
                "        if kind == 'h5':\n"
                "            return pd.read_hdf(os.path.join(ROOT, self.folder, name), name.split('.')[0])\n"
                "        return pd.read_csv(os.path.join(ROOT, self.folder, name)).set_index('key')\n\n"
                "    def totals(self):\n"
                "        return self.table.groupby('shop').sum()\n"
            ),
        },
    )
    found = [(f.rule, f.path, f.line) for f in check(tmp_path)]
    assert found == [("MLN301", "store.py", 17)]


def test_a_pipeline_through_a_model_fitting_loop_is_orchestration(tmp_path: Path) -> None:
    """A public entry point whose data goes through the module's loop over methods that fit,
    predict and score is orchestration, not a chain of transformations; an entry point whose
    data goes through the module's cleaning steps is a pipeline and is reported."""
    write(
        tmp_path,
        {
            "uq/bands.py": (
                "import numpy as np\nimport pandas as pd\n\n\n"
                "def _interval_fit(model, X, y, X_new, q):\n"
                "    model.fit(X, y)\n"
                "    centre = model.predict(X_new)\n"
                "    width = np.quantile(np.abs(y - model.predict(X)), q)\n"
                "    return centre - width, centre + width\n\n\n"
                "def _score_all(names, frame, q):\n"
                "    rows = []\n"
                "    X = frame.drop(columns=['y']).to_numpy()\n"
                "    y = frame['y'].to_numpy()\n"
                "    for name in names:\n"
                "        low, high = _interval_fit(make(name), X[:-50], y[:-50], X[-50:], q)\n"
                "        rows.append({'name': name, 'cover': np.mean((y[-50:] >= low) & (y[-50:] <= high))})\n"
                "    return pd.DataFrame(rows)\n\n\n"
                "def run_bands(frame, names):\n"
                "    report = _score_all(names, frame, 0.9)\n"
                "    return report\n"
            ),
            "uq/clean.py": (
                "import pandas as pd\n\n\n"
                "def drop_sparse(frame):\n"
                "    return frame.dropna(thresh=3).fillna(0)\n\n\n"
                "def clip_target(frame):\n"
                "    frame = frame.copy()\n"
                "    frame['y'] = frame['y'].clip(-5, 5).astype(float)\n"
                "    return frame\n\n\n"
                "def clean(frame):\n"
                "    frame = drop_sparse(frame)\n"
                "    frame = clip_target(frame)\n"
                "    return frame\n"
            ),
        },
    )
    found = sorted((f.rule, f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [
        ("MLN301", "uq/clean.py", 4),
        ("MLN301", "uq/clean.py", 8),
        ("MLN301", "uq/clean.py", 14),
    ]


def test_image_transforms_applied_at_top_level_make_an_augmentation_script(
    tmp_path: Path,
) -> None:
    """An image transform built from torchvision's or Albumentations' classes and applied to
    images in top-level code (offline augmentation written to disk) is a transformation script;
    building the transforms for a dataset, or showing augmented images, is not."""
    write(
        tmp_path,
        {
            "augment_offline.py": (
                "import os\nfrom PIL import Image\nimport torchvision.transforms as T\n\n"
                "flip = T.RandomHorizontalFlip(p=1.0)\n"
                "jitter = T.Compose([T.ColorJitter(brightness=0.3)])\n"
                "for name in os.listdir('images'):\n"
                "    picture = Image.open(os.path.join('images', name))\n"
                "    flipped = flip(picture)\n"
                "    jitter(flipped).save(os.path.join('augmented', name))\n"
            ),
            "loaders.py": (
                "from torchvision import datasets, transforms\n\n"
                "prep = transforms.Compose([transforms.Resize(64), transforms.ToTensor()])\n"
                "train = datasets.ImageFolder('images', transform=prep)\n"
            ),
            "show_augmented.py": (
                "import albumentations as A\nimport matplotlib.pyplot as plt\n"
                "import numpy as np\n\n"
                "blur = A.GaussianBlur(p=1.0)\n"
                "picture = np.load('sample.npy')\n"
                "plt.imshow(blur(image=picture)['image'])\nplt.show()\n"
            ),
        },
    )
    found = [(f.rule, f.path, f.line) for f in check(tmp_path)]
    assert found == [("MLN303", "augment_offline.py", 9)]


def test_a_training_script_that_formats_its_feature_list_is_plumbing(tmp_path: Path) -> None:
    """A method of a string written in the code (``", ".join(features)`` in a run's tags)
    formats text: a training script whose only data operation is a plain holdout split stays
    plumbing; the same script dropping rows with missing values is a transformation script."""
    body = (
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\n"
        "rows = pd.read_csv('train.csv')\n"
        "{extra}"
        "fit_rows, val_rows = train_test_split(rows, test_size=0.3)\n"
        "tags = {{'features': ', '.join(FEATURES), 'name': 'run-{{}}'.format(1)}}\n"
        "booster = train(fit_rows[FEATURES], val_rows[FEATURES], tags)\n"
        "booster.save('model.txt')\n"
    )
    write(
        tmp_path,
        {
            "train_plain.py": body.format(extra=""),
            "train_cleaning.py": body.format(extra="rows = rows.dropna()\n"),
        },
    )
    found = [(f.rule, f.path, f.line) for f in check(tmp_path)]
    assert found == [("MLN303", "train_cleaning.py", 5)]


def test_a_batch_sampler_through_its_classs_feature_methods_is_a_transformation(
    tmp_path: Path,
) -> None:
    """A method that takes no data parameter, gathers rows of the object's own data and
    returns them through the class's own feature methods gives back what those compute: it is
    a transformation (the sampling and the feature arrays are what a test pins down). A
    method returning what a class method computes that is no transformation (one number) is
    not, and neither is a generator that only hands batches on."""
    write(
        tmp_path,
        {
            "quake/batches.py": (
                "import numpy as np\n\n\n"
                "class WindowSampler:\n"
                "    def __init__(self, series):\n"
                "        self._series = series\n"
                "        self._keys = sorted(series)\n\n"
                "    def stream(self, size: int):\n"
                "        while True:\n"
                "            yield self.draw(size)\n\n"
                "    def draw(self, size: int, windows: int = 8):\n"
                "        picked = np.random.choice(self._keys, size=size)\n"
                "        rows = []\n"
                "        for key in picked:\n"
                "            rows.append(self._series[key])\n"
                "        batch = np.stack(rows)\n"
                "        batch = self._window_stats(batch, windows)\n"
                "        return batch\n\n"
                "    def spread(self, size: int):\n"
                "        picked = [self._series[k] for k in self._keys[:size]]\n"
                "        return self._total(np.stack(picked))\n\n"
                "    def _window_stats(self, data: np.ndarray, windows: int) -> np.ndarray:\n"
                "        data = data.reshape(data.shape[0], windows, -1)\n"
                "        return np.concatenate(\n"
                "            [data.min(axis=-1), data.max(axis=-1), data.std(axis=-1)], axis=-1\n"
                "        )\n\n"
                "    def _total(self, data: np.ndarray) -> float:\n"
                "        return float(np.sum(data))\n"
            ),
        },
    )
    found = {f.line: f for f in check(tmp_path) if f.rule == "MLN301"}
    assert sorted(found) == [13, 26]
    assert "through the class's own transformations (`_window_stats()`)" in found[13].message


def test_a_script_that_runs_its_own_transformations_at_top_level_is_a_script(
    tmp_path: Path,
) -> None:
    """A top-level loop over files that hands each one to the module's own transformation
    (``energy = band_energy(spec)``) transforms data when the module is imported, like a
    column stored at top level: one MLN303 at that call. The same loop under ``if __name__ ==
    "__main__":`` is the entry point's wiring, so is one call of the step outside a loop
    (the step is tested on its own), and a call of one of the module's functions that is no
    transformation (a loader, a metric) is not an operation on data."""
    functions = (
        "import os\nimport numpy as np\n\n\n"
        "def load(path):\n"
        "    return np.load(path)\n\n\n"
        "def band_energy(spec):\n"
        "    rise = spec[:, 1:] - spec[:, :-1]\n"
        "    return np.maximum(rise, 0).sum(axis=1)\n\n\n"
    )
    loop = (
        "for name in os.listdir('specs'):\n"
        "    spec = load(os.path.join('specs', name))\n"
        "    energy = band_energy(spec)\n"
        "    np.save(os.path.join('energy', name), energy)\n"
    )
    guarded = "if __name__ == '__main__':\n" + textwrap.indent(loop, "    ")
    loading = loop.replace("band_energy(spec)", "load(name + '.bak')")
    once = (
        "spec = load('specs/one.npy')\n"
        "energy = band_energy(spec)\n"
        "np.save('energy/one.npy', energy)\n"
    )
    write(
        tmp_path,
        {
            "energy_all.py": functions + loop,
            "energy_main.py": functions + guarded,
            "energy_loads.py": functions + loading,
            "energy_once.py": functions + once,
        },
    )
    found = sorted((f.rule, f.path, f.line) for f in check(tmp_path) if f.rule == "MLN303")
    assert found == [("MLN303", "energy_all.py", 16)]


def test_image_processing_libraries_take_images(tmp_path: Path) -> None:
    """SciPy's ``ndimage`` and scikit-image take images like OpenCV does: a dictionary
    transform that labels connected regions of a mask with ``ndi.label`` and drops the small
    ones, or a function that fills and opens a mask, transforms data. Building a structuring
    element from numbers (``ndi.generate_binary_structure(3, 3)``) takes no data."""
    write(
        tmp_path,
        {
            "seg/postprocess.py": (
                "import numpy as np\nfrom scipy import ndimage as ndi\n"
                "from skimage import morphology\n\n\n"
                "class DropSpecks:\n"
                "    def __init__(self, keys, min_voxels=5):\n"
                "        self.keys = keys\n"
                "        self.min_voxels = min_voxels\n\n"
                "    def __call__(self, sample):\n"
                "        out = dict(sample)\n"
                "        for key in self.keys:\n"
                "            regions, _ = ndi.label(out[key])\n"
                "            sizes = np.bincount(regions.ravel())\n"
                "            out[key] = np.isin(regions, np.nonzero(sizes >= self.min_voxels))\n"
                "        return out\n\n\n"
                "def smooth_mask(mask):\n"
                "    filled = ndi.binary_fill_holes(mask)\n"
                "    return morphology.binary_opening(filled, morphology.ball(2))\n\n\n"
                "def structure(rank):\n"
                "    element = ndi.generate_binary_structure(rank, rank)\n"
                "    return element\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("seg/postprocess.py", 11), ("seg/postprocess.py", 20)]


def test_a_conversion_helper_changes_no_value(tmp_path: Path) -> None:
    """Turning a container into an array or a tensor as it is (``np.asarray(x).ravel()``,
    ``torch.as_tensor(x)``) changes no value: nothing in it a test would pin down. The same
    conversion followed by a threshold and a dtype cast turns scores into decisions."""
    write(
        tmp_path,
        {
            "uq/arrays.py": (
                "import numpy as np\nimport torch\n\n\n"
                "def flat(values):\n"
                "    if hasattr(values, 'to_numpy'):\n"
                "        values = values.to_numpy()\n"
                "    return np.asarray(values).ravel()\n\n\n"
                "def as_batch(rows):\n"
                "    return torch.as_tensor(np.asarray(rows))\n\n\n"
                "def decide(scores, cut):\n"
                "    return (np.asarray(scores) > cut).astype(int)\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("uq/arrays.py", 15)]


def test_table_operations_on_what_a_modules_step_gave_back_shape_it(tmp_path: Path) -> None:
    """A function whose parameter shows no data use of its own but goes through one of the
    module's transformations (``runs = group_runs(results)``) and whose body then applies
    table operations to what came back (``runs.apply(...)``, ``pd.concat``) shapes that table:
    a transformation. Array math on what came back (a readout ``weights @ smooth(x)``) is the
    function's own computation, not a table shaped."""
    write(
        tmp_path,
        {
            "docs/blocks.py": (
                "import numpy as np\nimport pandas as pd\n\n\n"
                "def group_runs(results):\n"
                "    results = results.assign(block=(results['kind'] != results['kind'].shift()).cumsum())\n"
                "    return results.groupby('block')\n\n\n"
                "def merge_blocks(results):\n"
                "    runs = group_runs(results)\n"
                "    strings = runs['text'].apply(' '.join).reset_index(drop=True)\n"
                "    kinds = runs['kind'].first().reset_index(drop=True)\n"
                "    return pd.concat([strings, kinds], axis=1)\n\n\n"
                "def smooth(x):\n"
                "    return np.convolve(x[:, 0], np.ones(3) / 3, mode='same')\n\n\n"
                "def readout(weights, x):\n"
                "    filtered = smooth(x)\n"
                "    return weights @ filtered\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("docs/blocks.py", 5), ("docs/blocks.py", 10), ("docs/blocks.py", 17)]


def test_image_functions_imported_by_name_are_the_librarys(tmp_path: Path) -> None:
    """A function imported by name from an image library (``from
    torchvision.transforms.functional import hflip``, ``from scipy.ndimage import
    gaussian_filter``) is that library's: calling it on an image is an operation on data, like
    ``TF.hflip(img)``. Reading an image with one (``skimage.io.imread``) is I/O, and the same
    name defined in the module is the module's own function."""
    write(
        tmp_path,
        {
            "aug/flips.py": (
                "import torch\nfrom scipy.ndimage import gaussian_filter\n"
                "from skimage.io import imread\n"
                "from torchvision.transforms.functional import hflip, rotate\n\n\n"
                "def jitter(images, angle):\n"
                "    return [rotate(hflip(image), angle) for image in images]\n\n\n"
                "def soften(volume, sigma):\n"
                "    return torch.as_tensor(gaussian_filter(volume, sigma))\n\n\n"
                "def read(path):\n"
                "    image = imread(path)\n"
                "    return image\n"
            ),
            "aug/local.py": (
                "import torch\n\n\n"
                "def hflip(image):\n"
                "    return image\n\n\n"
                "def twice(images):\n"
                "    return [hflip(image) for image in images]\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("aug/flips.py", 7), ("aug/flips.py", 11)]
    # the syntax tree is shared with the other checks: it is left as it was
    tree = ast.parse((tmp_path / "aug/flips.py").read_text())
    before = ast.dump(tree, include_attributes=True)
    transforms.evidence.module_facts(tree, "aug/flips.py")
    assert ast.dump(tree, include_attributes=True) == before


def test_a_pipeline_through_steps_imported_from_the_project_is_a_pipeline(
    tmp_path: Path,
) -> None:
    """A function whose data goes through transformations it imports by name from the
    project's other modules (``from features.steps import add_lags``; ``frame =
    add_lags(frame)``; ``return frame``) is a pipeline, like one through its own module's
    steps. One whose data goes through an imported function that is no transformation (a
    loader, a fit) is not."""
    write(
        tmp_path,
        {
            "features/__init__.py": "",
            "features/steps.py": (
                "import pandas as pd\n\n\n"
                "def add_lags(frame: pd.DataFrame) -> pd.DataFrame:\n"
                "    frame = frame.copy()\n"
                "    frame['lag_1'] = frame['sales'].shift(1)\n"
                "    return frame\n\n\n"
                "def clip_outliers(frame: pd.DataFrame) -> pd.DataFrame:\n"
                "    return frame.assign(sales=frame['sales'].clip(0, 1000))\n\n\n"
                "def fit_trend(frame, model):\n"
                "    model.fit(frame[['t']], frame['sales'])\n"
                "    return model\n"
            ),
            "features/build.py": (
                "from features.steps import add_lags, clip_outliers, fit_trend\n\n\n"
                "def build(frame):\n"
                "    frame = clip_outliers(frame)\n"
                "    frame = add_lags(frame)\n"
                "    return frame\n\n\n"
                "def trend(frame, model):\n"
                "    fitted = fit_trend(frame, model)\n"
                "    return fitted\n"
            ),
        },
    )
    findings = [f for f in check(tmp_path) if f.rule == "MLN301"]
    assert sorted((f.path, f.line) for f in findings) == [
        ("features/build.py", 4),
        ("features/steps.py", 4),
        ("features/steps.py", 10),
    ]
    built = next(f for f in findings if f.path == "features/build.py")
    assert "through the project's transformations (`add_lags()`, `clip_outliers()`)" in (
        built.message
    )


def test_a_pipeline_through_steps_star_imported_from_the_project_is_a_pipeline(
    tmp_path: Path,
) -> None:
    """Steps found through ``from prep.columns import *`` count like steps imported by name:
    a per-dataset script whose ``tidy(data)`` chains the project's column encoders is a
    pipeline. One whose data goes through a star-imported fit is not."""
    write(
        tmp_path,
        {
            "prep/__init__.py": "",
            "prep/columns.py": (
                "import pandas as pd\n\n\n"
                "def expand_column(table, col):\n"
                "    dummies = pd.get_dummies(table[col], prefix=col)\n"
                "    return pd.concat([table.drop(columns=[col]), dummies], axis=1)\n\n\n"
                "def centre_column(table, col):\n"
                "    table[col] = (table[col] - table[col].mean()) / table[col].std()\n"
                "    return table\n\n\n"
                "def fit_line(table, model):\n"
                "    model.fit(table[['x']], table['y'])\n"
                "    return model\n"
            ),
            "run_wine.py": (
                "from prep.columns import *\n\n\n"
                "def tidy(data):\n"
                "    data = expand_column(data, 'colour')\n"
                "    data = centre_column(data, 'acidity')\n"
                "    return data\n\n\n"
                "def line(data, model):\n"
                "    fitted = fit_line(data, model)\n"
                "    return fitted\n"
            ),
        },
    )
    findings = [f for f in check(tmp_path) if f.rule == "MLN301"]
    assert sorted((f.path, f.line) for f in findings) == [
        ("prep/columns.py", 4),
        ("prep/columns.py", 9),
        ("run_wine.py", 4),
    ]
    tidy = next(f for f in findings if f.path == "run_wine.py")
    assert (
        "through the project's transformations (`centre_column()`, `expand_column()`)"
        in tidy.message
    )


def test_a_callable_named_for_the_work_that_folds_its_frame_through_steps_transforms(
    tmp_path: Path,
) -> None:
    """``ColumnImputer.__call__(self, frame)`` doing ``for step in self.chosen(): frame =
    step(frame)`` then ``return frame`` applies a chain of steps to the data: a transformation,
    whatever each step is (round 11). The same loop in a class named for nothing in particular
    (a generic ``Chain`` of callables) says nothing about data and stays unreported, as does a
    loop that calls each step for its side effect without passing the frame on."""
    write(
        tmp_path,
        {
            "tools/__init__.py": "",
            "tools/steps.py": (
                "import pandas as pd\n\n\n"
                "class ColumnImputer:\n"
                "    def __init__(self, table_of_steps):\n"
                "        self.table_of_steps = table_of_steps\n\n"
                "    def chosen(self, skip=()):\n"
                "        return [f for k, f in self.table_of_steps.items() if k not in skip]\n\n"
                "    def __call__(self, frame: pd.DataFrame, skip=()) -> pd.DataFrame:\n"
                "        for step in self.chosen(skip):\n"
                "            frame = step(frame)\n"
                "        return frame\n\n\n"
                "class Chain:\n"
                "    def __init__(self, links):\n"
                "        self.links = links\n\n"
                "    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:\n"
                "        for link in self.links:\n"
                "            frame = link(frame)\n"
                "        return frame\n\n\n"
                "class AuditImputer:\n"
                "    def __init__(self, checks):\n"
                "        self.checks = checks\n\n"
                "    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:\n"
                "        for check in self.checks:\n"
                "            check(frame)\n"
                "        return frame\n"
            ),
        },
    )
    findings = [f for f in check(tmp_path) if f.rule == "MLN301"]
    assert [(f.path, f.line) for f in findings] == [("tools/steps.py", 11)]
    assert "ColumnImputer.__call__" in findings[0].message


def test_a_score_of_two_samples_put_together_from_numbers_is_one_number(tmp_path: Path) -> None:
    """A distance or a loss of two samples (``2 * a - b - c`` with each bound to a mean,
    ``np.log(2) + 0.5 * np.mean(p)``, ``1 - corr``, ``np.sum(d) / n ** 2``, a sum of
    ``np.trace`` values) is one number, not data derived from the samples; a moving average
    that keeps one value per position still is."""
    write(
        tmp_path,
        {
            "gauge/distances.py": (
                "import numpy as np\nimport torch\n\n\n"
                "def spread(u, v):\n"
                "    u = np.reshape(u, (len(u), -1))\n"
                "    a = np.mean(np.abs(u - v))\n"
                "    b = np.mean(np.abs(u))\n"
                "    return 2 * a - b\n\n\n"
                "def divergence(p, q):\n"
                "    return np.log(2) + 0.5 * np.mean(np.log(p + 1e-3)) + 0.5 * np.mean(q)\n\n\n"
                "def cov_gap(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
                "    gap = np.sum((a.mean(axis=0) - b.mean(axis=0)) ** 2)\n"
                "    total = gap + np.trace(ca) - 2 * np.trace(cb)\n"
                "    return total\n\n\n"
                "def pair_energy(left, right):\n"
                "    n = left.shape[0]\n"
                "    d = np.abs(left[:, None] - right[None, :])\n"
                "    return np.sum(d) / n ** 2\n\n\n"
                "def rank_loss(target, guess):\n"
                "    vt = target - torch.mean(target)\n"
                "    vg = guess - torch.mean(guess)\n"
                "    corr = torch.sum(vt * vg) / (torch.sqrt(torch.sum(vt**2)) * torch.sqrt(torch.sum(vg**2)))\n"
                "    return 1 - corr\n\n\n"
                "def rolling(scores, k):\n"
                "    out = []\n"
                "    for i in range(len(scores)):\n"
                "        out.append(np.mean(scores[max(0, i - k) : i + 1], axis=0))\n"
                "    return np.array(out)\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("gauge/distances.py", 36)]


def test_inference_through_an_aliased_torch_or_a_fitted_model_attribute_runs_a_model(
    tmp_path: Path,
) -> None:
    """``with th.no_grad():`` (``import torch as th``) is the inference block that
    ``torch.no_grad`` is, and ``self.model_(batch)`` (scikit-learn's trailing underscore for a
    fitted attribute) calls the model: a method doing either runs inference, whatever it
    stacks around it. A method that only pads the feature matrix stays a transformation."""
    write(
        tmp_path,
        {
            "gnn/estimator.py": (
                "import numpy as np\nimport torch as th\n\n\n"
                "class GraphEstimator:\n"
                "    def fit(self, X, y):\n"
                "        return self\n\n"
                "    def _outputs(self, features):\n"
                "        batch = np.vstack(features)\n"
                "        return self.model_(th.Tensor(batch))\n\n"
                "    def _batched(self, X):\n"
                "        X = np.array(X, dtype=object)\n"
                "        parts = np.array_split(X, int(np.ceil(len(X) / 8)))\n"
                "        with th.no_grad():\n"
                "            return np.vstack([np.asarray(p) * 2 for p in parts])\n\n"
                "    @staticmethod\n"
                "    def _pad(x: np.ndarray):\n"
                "        row = np.zeros([1, x.shape[1]])\n"
                "        return np.vstack([x, row])\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("gnn/estimator.py", 20)]


def test_submitting_a_training_task_uploading_a_table_and_a_layers_math_are_no_transformations(
    tmp_path: Path,
) -> None:
    """A workflow task submitted to run (``train_one.submit(model, X, y)``, Prefect) is a call
    of that task: a function handing its data to it trains. A table written to a file exactly
    as it was handed in (``results.to_csv(path)`` before an upload) holds nothing the function
    computed. A network layer's function (``F.avg_pool2d`` in a GeM pooling helper) is a
    model's math. A step that writes a table it changed is still a transformation."""
    write(
        tmp_path,
        {
            "flow/steps.py": (
                "import json\nimport numpy as np\nimport pandas as pd\n"
                "import torch.nn.functional as F\n"
                "from flow.tasks import train_one, upload\n\n\n"
                "def train_many(X_train: pd.DataFrame, y_train: pd.Series) -> pd.DataFrame:\n"
                "    runs = [train_one.submit(m, X_train, y_train) for m in ('a', 'b')]\n"
                "    return pd.DataFrame([r.result() for r in runs])\n\n\n"
                "def publish(results, path):\n"
                "    best = results['r2'].idxmax()\n"
                "    results.to_csv(path, index=False)\n"
                "    upload(path)\n"
                "    ranks = results.sort_values('r2')[['name', 'r2']].to_dict('records')\n"
                "    with open('summary.json', 'w') as f:\n"
                "        json.dump({'best': int(best), 'ranks': ranks}, f)\n\n\n"
                "def pool(x, p=3, eps=1e-6):\n"
                "    return F.avg_pool2d(x.clamp(min=eps).pow(p), (x.size(-2), x.size(-1))).pow(1.0 / p)\n\n\n"
                "def clean_and_save(frame, path):\n"
                "    frame = frame.dropna().assign(ratio=frame['a'] / frame['b'])\n"
                "    frame.to_csv(path)\n"
            ),
            "flow/tasks.py": (
                "def train_one(name, X, y):\n    return {'name': name}\n\n\n"
                "def upload(path):\n    return path\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("flow/steps.py", 26)]


def test_classes_listed_for_parametrize_or_found_by_getmembers_are_built_by_the_test(
    tmp_path: Path,
) -> None:
    """``@pytest.mark.parametrize("model", detectors)`` with ``detectors`` a list of the
    project's classes, or ``[m[1] for m in getmembers(package, isclass)]``, hands the test
    each class: ``model().predict(x)`` runs every one's ``predict`` (inherited too) and the
    helpers it calls. A helper no detector calls stays untested."""
    write(
        tmp_path,
        {
            "shift/__init__.py": "",
            "shift/helpers.py": (
                "import numpy as np\nimport pandas as pd\n\n\n"
                "def lagged(x, periods=1):\n"
                "    cols = [pd.DataFrame(x).shift(periods=i, fill_value=0).values for i in range(periods)]\n"
                "    return np.hstack(cols)\n\n\n"
                "def smooth(scores, n):\n"
                "    out = [np.mean(scores[max(0, i - n) : i + 1], axis=0) for i in range(len(scores))]\n"
                "    return np.array(out)\n\n\n"
                "def windows(x, size):\n"
                "    return np.array([x[i - size : i] for i in range(size, len(x))])\n"
            ),
            "shift/detectors.py": (
                "import numpy as np\n"
                "from shift.helpers import lagged, smooth\n\n\n"
                "class Base:\n"
                "    def predict(self, x):\n"
                "        return self.score(lagged(x, 2))\n\n\n"
                "class Mean(Base):\n"
                "    def score(self, x):\n"
                "        return x.mean(axis=1)\n\n\n"
                "class Smooth(Base):\n"
                "    def score(self, x):\n"
                "        return smooth(x, 3)\n"
            ),
            "shift/online/__init__.py": "from shift.detectors import Smooth\n",
            "tests/test_listed.py": (
                "import numpy as np\nimport pytest\n"
                "from shift import detectors\n\n"
                "LISTED = [detectors.Mean]\n\n\n"
                '@pytest.mark.parametrize("model", LISTED)\n'
                "def test_listed(model):\n"
                "    assert model().predict(np.ones((5, 1))).shape == (5,)\n"
            ),
            "tests/test_found.py": (
                "from inspect import getmembers, isclass\n\n"
                "import numpy as np\nimport pytest\n"
                "from shift import online\n\n"
                "FOUND = [m[1] for m in getmembers(online, isclass)]\n\n\n"
                '@pytest.mark.parametrize("model", FOUND)\n'
                "def test_found(model):\n"
                "    assert len(model().predict(np.ones((5, 1)))) == 5\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("shift/helpers.py", 15)]


def test_a_method_that_calls_its_objects_inference_runs_the_model(tmp_path: Path) -> None:
    """A method that calls a method of its own object that runs a model (``out =
    self._outputs(batch)`` with ``_outputs`` calling ``self.model_(...)``), directly or
    through another such method, or in a subclass (``transform`` reading activations out of
    the network), runs the model: batched inference, not a transformation. The helper that
    pads the features it hands to the model stays one."""
    write(
        tmp_path,
        {
            "gnn/embed.py": (
                "import numpy as np\nimport torch\n\n\n"
                "class Embedder:\n"
                "    def fit(self, X, y=None):\n"
                "        return self\n\n"
                "    def _outputs(self, features):\n"
                "        return self.model_(torch.Tensor(np.vstack(features)))\n\n"
                "    def _batch(self, X):\n"
                "        out = self._outputs(self._pad(np.asarray(X)))\n"
                "        return np.transpose(out.detach().numpy())\n\n"
                "    def activations(self, X):\n"
                "        parts = np.array_split(np.asarray(X), 4)\n"
                "        return np.vstack([self._batch(p)[:, 1:] for p in parts])\n\n"
                "    def _pad(self, x: np.ndarray):\n"
                "        return np.vstack([x, np.zeros([1, x.shape[1]])])\n\n\n"
                "class Supervised(Embedder):\n"
                "    def transform(self, X):\n"
                "        return np.vstack(self.activations(X)[:, :-1])\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("gnn/embed.py", 20)]


def test_a_value_converted_and_scaled_is_no_score(tmp_path: Path) -> None:
    """``float(s[:-1]) * 1e6`` converts a cleaned string and scales it: nothing is reduced, so
    it stays data (a money parser), unlike a score combined from means."""
    write(
        tmp_path,
        {
            "fifa/clean.py": (
                "import re\n\nimport numpy as np\n\n\n"
                "def to_euros(s):\n"
                "    s = str(s).strip().replace('EUR', '').replace(' ', '')\n"
                "    if s.endswith('M'):\n"
                "        return float(s[:-1]) * 1e6\n"
                "    return float(re.sub(r'[^0-9.]', '', s))\n"
            ),
        },
    )
    found = sorted((f.path, f.line) for f in check(tmp_path) if f.rule == "MLN301")
    assert found == [("fifa/clean.py", 6)]


@pytest.mark.parametrize(
    ("profile", "path", "reported"),
    [
        # a library's example and figure scripts show it in use: their top-level code is the point
        ("library", "examples/regression.py", False),
        ("library", "docs/examples/regression.py", False),
        ("library", "figures/toy.py", False),
        # the same script elsewhere in a library, or anywhere in an application, is reported
        ("library", "scripts/regression.py", True),
        ("application", "examples/regression.py", True),
    ],
)
def test_a_librarys_usage_examples_are_no_transformation_scripts(
    tmp_path: Path, profile: str, path: str, reported: bool
) -> None:
    write(
        tmp_path,
        {
            path: (
                "import pandas as pd\n\nraw = pd.read_csv('housing.csv')\n"
                "raw = raw.dropna(subset=['price'])\n"
                "raw['price'] = raw['price'].clip(lower=0)\n"
                "raw.to_csv('clean.csv')\n"
            ),
        },
    )
    config = build_config({"profile": profile, "transforms": {}})
    report = run(tmp_path, config, families=["transforms"], use_cache=False)
    scripts = [f.path for f in report.findings if f.rule == "MLN303"]
    assert (scripts == [path]) is reported
