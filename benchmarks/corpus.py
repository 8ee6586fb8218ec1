"""Synthetic ML repositories of any size, with planted findings, for the benchmark.

``generate(root, files=N)`` writes a repository of about ``N`` files shaped like a team's ML
project: a package of feature modules and helpers in sub-packages, training scripts, tests for
half of the feature modules, pipeline scripts, notebooks, YAML configs, a ``params.yaml`` and a
``requirements.txt``. It returns the *planted* findings: ``(rule, path)`` pairs the content was
written to contain (a literal hyper-parameter in a training call, a data path, a seed, an untested
transformation, a module-level transformation script, an unbounded or undeclared dependency).
The benchmark reports how many of them a run found, so a fast run that finds nothing shows up.

The same ``seed`` gives the same bytes; ``modules=`` is the older size knob (feature modules).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

PKG = "shopml"
SUBPACKAGES = ("ingest", "features", "models", "evaluation", "serving")

TRAIN = '''\
"""Training entry point {i}."""

import joblib
import pandas as pd
import xgboost_extra_{i} as xgx
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

from {pkg}.features_{i} import build_features_{i}


def main() -> None:
    df = pd.read_csv("data/raw/table_{i}.csv")
    df = build_features_{i}(df)
    X_train, X_test, y_train, y_test = train_test_split(
        df.drop(columns=["target"]), df["target"], test_size=0.25, random_state=7
    )
    model = GradientBoostingClassifier(n_estimators={n}, learning_rate=0.05, max_depth=4)
    model.fit(X_train, y_train)
    scores = model.predict_proba(X_test)[:, 1]
    flagged = X_test[scores > 0.4]
    print(f"flagged {{len(flagged)}} rows of {{len(X_test)}}; {{xgx.__name__}}")
    joblib.dump(model, "models/model_{i}.joblib")


if __name__ == "__main__":
    main()
'''

FEATURES = '''\
"""Feature engineering {i}."""

import numpy as np
import pandas as pd


def clean_table_{i}(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop_duplicates()
    return df.fillna({{"amount": 0.0}})


def add_ratios_{i}(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(ratio=df["amount"] / df["count"].replace(0, np.nan))


def encode_segments_{i}(df: pd.DataFrame) -> pd.DataFrame:
    return pd.get_dummies(df, columns=["segment"], prefix="seg")


def build_features_{i}(df: pd.DataFrame) -> pd.DataFrame:
    return encode_segments_{i}(add_ratios_{i}(clean_table_{i}(df)))


def describe_{i}(df: pd.DataFrame) -> str:
    return df.describe().to_string()
'''

TEST = """\
import pandas as pd

from {pkg}.features_{i} import clean_table_{i}


def test_clean_table_{i}() -> None:
    df = pd.DataFrame({{"amount": [1.0, None, 1.0]}})
    assert clean_table_{i}(df)["amount"].tolist() == [1.0, 0.0]
"""

PIPELINE = '''\
"""Nightly aggregation {i}: run as a script."""

import pandas as pd

orders = pd.read_parquet("data/interim/orders_{i}.parquet")
orders = orders[orders["amount"] > 0]
daily = orders.groupby("day").agg(total=("amount", "sum"), count=("amount", "size"))
daily["mean"] = daily["total"] / daily["count"]
daily.to_parquet("data/processed/daily_{i}.parquet")
'''

HELPER_HEAD = '''\
"""Helpers for {sub} ({i}): plain Python, no data transformations."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

log = logging.getLogger(__name__)

'''

HELPER_FUNCS = (
    '''

def merge_settings_{k}(
    base: Mapping[str, object], extra: Mapping[str, object]
) -> dict[str, object]:
    """Merge two settings mappings; ``extra`` wins."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_settings_{k}(merged[key], value)  # type: ignore[arg-type]
        else:
            merged[key] = value
    return merged
''',
    '''

def chunked_{k}(items: Iterable[str], size: int) -> list[list[str]]:
    """Split ``items`` into lists of ``size``."""
    out: list[list[str]] = []
    current: list[str] = []
    for item in items:
        current.append(item)
        if len(current) == size:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
''',
    '''

class Registry{k}:
    """A small name -> factory registry."""

    def __init__(self) -> None:
        self._items: dict[str, object] = {{}}

    def register(self, name: str, factory: object) -> None:
        if name in self._items:
            raise KeyError(f"{{name}} is already registered")
        self._items[name] = factory

    def get(self, name: str) -> object:
        try:
            return self._items[name]
        except KeyError:
            log.warning("unknown entry %s", name)
            raise
''',
    '''

def describe_run_{k}(name: str, tags: Iterable[str], *, verbose: bool = False) -> str:
    """A one-line description of a run for logs."""
    text = f"{{name}} [{{', '.join(sorted(tags))}}]"
    if verbose:
        text += f" ({{len(text)}} characters)"
    return text
''',
)

CONFIG_YAML = """\
# experiment {i}
experiment:
  name: exp_{i}
  data: data/raw/table_{i}.csv
  model:
    kind: gbm
    n_estimators: {n}
    learning_rate: 0.05
"""


def notebook(i: int) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [f"# Exploration {i}\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["import pandas as pd\n", f"df = pd.read_csv('data/raw/table_{i}.csv')\n"],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["%matplotlib inline\n", "df.describe()\n"],
        },
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@dataclass(frozen=True)
class Planted:
    """A finding the generated content was written to contain."""

    rule: str
    path: str


def generate(
    root: Path, modules: int | None = None, seed: int = 0, *, files: int | None = None
) -> list[Planted]:
    """Write a repository of about ``files`` files (or ``modules`` feature modules).

    Returns the planted findings. Per unit ``i``: a feature module, a training script, a
    helper module in a sub-package, a test for every other feature module, a pipeline script
    every tenth unit, a notebook and a YAML config every twentieth.
    """
    if files is None:
        units = modules if modules is not None else 200
    else:
        # 1 + 1 + 1 + 1/2 + 1/10 + 2/20 files per unit, plus about 10 fixed files
        units = max(1, round((files - 10) / 3.7))
    rng = random.Random(seed)
    planted: list[Planted] = []
    src = root / "src" / PKG
    for directory in (src, root / "scripts", root / "tests", root / "notebooks", root / "conf"):
        directory.mkdir(parents=True, exist_ok=True)
    (root / "pipelines").mkdir(exist_ok=True)
    (src / "__init__.py").write_text('"""Shop ML."""\n')
    for sub in SUBPACKAGES:
        (src / sub).mkdir(exist_ok=True)
        (src / sub / "__init__.py").write_text(f'"""{sub}."""\n')
    for i in range(units):
        (src / f"features_{i}.py").write_text(FEATURES.format(i=i))
        train = f"scripts/train_{i}.py"
        (root / train).write_text(TRAIN.format(i=i, pkg=PKG, n=rng.choice([100, 200, 300, 500])))
        planted += [
            Planted("MLN201", train),
            Planted("MLN202", train),
            Planted("MLN203", train),
            Planted("MLN410", train),
        ]
        if i % 2 == 0:
            (root / "tests" / f"test_features_{i}.py").write_text(TEST.format(i=i, pkg=PKG))
        else:
            planted.append(Planted("MLN301", f"src/{PKG}/features_{i}.py"))
        sub = SUBPACKAGES[i % len(SUBPACKAGES)]
        body = HELPER_HEAD.format(sub=sub, i=i) + "".join(
            rng.choice(HELPER_FUNCS).format(k=k) for k in range(rng.randint(3, 40))
        )
        (src / sub / f"helpers_{i}.py").write_text(body)
        if i % 10 == 0:
            script = f"pipelines/aggregate_{i}.py"
            (root / script).write_text(PIPELINE.format(i=i))
            planted.append(Planted("MLN303", script))
        if i % 20 == 0:
            (root / "notebooks" / f"eda_{i}.ipynb").write_text(notebook(i))
            (root / "conf" / f"experiment_{i}.yaml").write_text(
                CONFIG_YAML.format(i=i, n=rng.choice([100, 200, 300, 500]))
            )
    (root / "requirements.txt").write_text(
        "pandas>=2.1,<3\nnumpy>=1.24\nscikit-learn\njoblib>=1.3\npyarrow>=14\n"
    )
    planted.append(Planted("MLN401", "requirements.txt"))
    (root / "params.yaml").write_text("train:\n  n_estimators: 300\n  learning_rate: 0.05\n")
    (root / "README.md").write_text("# shopml\n\nA synthetic ML project for mlnudge's benchmark.\n")
    (root / ".gitignore").write_text(".venv/\n__pycache__/\n")
    return planted
