"""A synthetic but realistic ML repository for benchmarks: packages, scripts, tests, notebooks."""

from __future__ import annotations

import json
import random
from pathlib import Path

TRAIN = '''\
"""Training entry point {i}."""

import joblib
import pandas as pd
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
    print(f"flagged {{len(flagged)}} rows of {{len(X_test)}}")
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


def generate(root: Path, modules: int = 200, seed: int = 0) -> Path:
    """Write a repository with ``modules`` feature modules, as many training scripts and tests."""
    rng = random.Random(seed)
    pkg = "shopml"
    (root / "src" / pkg).mkdir(parents=True, exist_ok=True)
    (root / "src" / pkg / "__init__.py").write_text('"""Shop ML."""\n')
    (root / "scripts").mkdir(exist_ok=True)
    (root / "tests").mkdir(exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    for i in range(modules):
        (root / "src" / pkg / f"features_{i}.py").write_text(FEATURES.format(i=i))
        (root / "scripts" / f"train_{i}.py").write_text(
            TRAIN.format(i=i, pkg=pkg, n=rng.choice([100, 200, 300, 500]))
        )
        if i % 2 == 0:
            (root / "tests" / f"test_features_{i}.py").write_text(TEST.format(i=i, pkg=pkg))
    for i in range(max(1, modules // 20)):
        cells = [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": [
                    "import pandas as pd\n",
                    f"df = pd.read_csv('data/raw/table_{i}.csv')\n",
                ],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": ["%matplotlib inline\n", "df.describe()\n"],
            },
        ]
        nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (root / "notebooks" / f"eda_{i}.ipynb").write_text(json.dumps(nb))
    (root / "requirements.txt").write_text(
        "pandas==2.1.4\nnumpy>=1.24\nscikit-learn\njoblib>=1.3\n"
    )
    (root / "params.yaml").write_text("train:\n  n_estimators: 300\n  learning_rate: 0.05\n")
    (root / "README.md").write_text("# shopml\n")
    return root
