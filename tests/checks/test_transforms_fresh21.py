"""MLN301/MLN303 on classes read in round 15: hypothesis tests and p-values, batching helpers,
functions handed in, Keras and TF-1 layers, named folders and specifications, Python sets,
and values a script only prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import transforms_findings

#: (function source in ``data/steps.py``, whether it is reported)
_BODIES = [
    # a hypothesis test on a contingency table gives back statistics, not data
    (
        """
        import numpy as np
        import pandas as pd
        from scipy.stats import chi2_contingency

        def chi2_effect(table: pd.DataFrame):
            stat, p, dof, expected = chi2_contingency(table)
            n = table.values.sum()
            r, k = table.shape
            return stat, p, np.sqrt(stat / (n * (min(r, k) - 1)))
        """,
        False,
    ),
    (
        """
        import pandas as pd
        from scipy import stats

        def compare_groups(df: pd.DataFrame, col: str):
            d = df.dropna()
            rows = []
            for g, part in d.groupby("group"):
                t, p = stats.mannwhitneyu(part[col], d[col])
                rows.append({"group": g, "p": p})
            return pd.DataFrame(rows)
        """,
        False,
    ),
    # ... a test only printed on the side of a split does not make the split a statistic
    (
        """
        from scipy.stats import ks_2samp

        def split_by_year(df, year: int):
            train = df[df["year"] < year]
            test = df[df["year"] >= year]
            print(ks_2samp(train["y"], test["y"]))
            return train, test
        """,
        True,
    ),
    # ... p-values per window returned as the columns of a feature table are features
    (
        """
        import pandas as pd
        from scipy import stats

        def normality_features(prices: pd.DataFrame) -> pd.DataFrame:
            rows = []
            for i in prices.index[24:]:
                w = prices["close"][i - 24 : i].values
                rows.append([i, stats.shapiro((w - w.mean()) / w.std()).pvalue])
            return pd.DataFrame(rows, columns=["t", "p_normal"])
        """,
        True,
    ),
    # ... correcting p-values is statistics too
    (
        """
        import numpy as np

        def bh(pvals):
            pvals = np.asarray(pvals, dtype=float)
            order = np.argsort(pvals)
            q = pvals[order] * len(pvals) / np.arange(1, len(pvals) + 1)
            out = np.empty_like(q)
            out[order.argsort()] = np.minimum(q, 1.0)
            return out
        """,
        False,
    ),
    # ... a feature scaled is still data work, whatever else the module imports
    (
        """
        import numpy as np
        import pandas as pd

        def standardise(x: pd.Series) -> pd.Series:
            return (x - x.mean()) / x.std()
        """,
        True,
    ),
    # a sequence cut into consecutive batches: every value kept as it is
    (
        """
        import pandas as pd

        def chunked(seq: list[str], size: int):
            if size <= 0:
                raise ValueError("size")
            for i in range(0, len(seq), size):
                yield seq[i : i + size]
        """,
        False,
    ),
    # ... sliding windows (a step of one, overlapping) are features
    (
        """
        import numpy as np

        def windows(series, width: int):
            return np.stack([series[i : i + width] for i in range(len(series) - width)])
        """,
        True,
    ),
    # a function handed in makes the data; it is not the data
    (
        """
        from typing import Callable
        import pandas as pd

        def run_all(keys: list[str], fetch: Callable[[list[str]], pd.DataFrame]) -> pd.DataFrame:
            parts = [fetch([k]) for k in keys]
            return pd.concat(parts, ignore_index=True)
        """,
        False,
    ),
    # a network built from TF-1 or Keras layers is model code
    (
        """
        import tensorflow as tf

        def build_net(inputs, n_out=10):
            h = tf.layers.conv1d(inputs=inputs, filters=8, kernel_size=3, padding="SAME")
            h = tf.layers.max_pooling1d(inputs=h, pool_size=2, strides=2)
            h = tf.reshape(h, [-1, 8 * 28])
            return tf.layers.dense(h, n_out)
        """,
        False,
    ),
    (
        """
        from tensorflow import keras

        def build_model(dims):
            inputs = [keras.layers.Input(shape=(dims[k],), name=k) for k in dims]
            h = keras.layers.Concatenate()(inputs)
            out = keras.layers.Dense(1)(keras.layers.Dropout(0.3)(h))
            return keras.Model(inputs, out)
        """,
        False,
    ),
    # ... a Keras preprocessing layer applied to data transforms it
    (
        """
        import numpy as np
        from tensorflow import keras

        def augment(images: np.ndarray) -> np.ndarray:
            flip = keras.layers.RandomFlip("horizontal")
            return np.clip(np.asarray(flip(images)) * 1.2, 0, 255)
        """,
        True,
    ),
    # a folder named first is a location; a specification is a setting
    (
        """
        import numpy as np

        def load_embeddings(dir_embeddings, names):
            out = {}
            for d in sorted(dir_embeddings):
                if d.stem in names:
                    out[d.stem] = np.load(d / "emb.npy")[:100]
            return out
        """,
        False,
    ),
    (
        """
        import tensorflow as tf

        def init_spec(optimizer_spec):
            if isinstance(optimizer_spec["optimizer"], dict):
                optimizer_spec["optimizer"] = tf.keras.optimizers.deserialize(
                    optimizer_spec["optimizer"]
                )
            return optimizer_spec
        """,
        False,
    ),
    # a Python set noting what was seen is no data operation
    (
        """
        import pandas as pd

        def unique_in_order(items):
            seen = set()
            out = []
            for x in items:
                if x not in seen:
                    seen.add(x)
                    out.append(x)
            return out
        """,
        False,
    ),
]


@pytest.mark.parametrize(("body", "reported"), _BODIES)
def test_statistics_batches_layers_and_settings(tmp_path: Path, body: str, reported: bool) -> None:
    files = {"data/steps.py": body}
    assert bool(transforms_findings(tmp_path, files)) is reported


_SCRIPT = """
import pandas as pd
from model import pipe, score

df = pd.read_csv("valid.csv")
x = df["text"]
y = df["label"]
{body}
print(score(pipe, x, y))
"""


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        # what is printed or logged is a glance at the data
        ('print("classes:", y.value_counts())\nprint(df.groupby("label").size())', False),
        ('import logging\nlogging.info("%s", df.describe().round(2))', False),
        # ... what is kept is computed for a later step
        ('df = df.dropna()\ndf["n"] = df["text"].str.len()\ndf.to_csv("out.csv")', True),
    ],
)
def test_what_a_script_only_prints_is_no_data_operation(
    tmp_path: Path, body: str, reported: bool
) -> None:
    files = {"eval/validate.py": _SCRIPT.format(body=body)}
    assert bool(transforms_findings(tmp_path, files, "MLN303")) is reported
