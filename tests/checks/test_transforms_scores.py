"""MLN301: bodies that end in a score, a statistic or fitted weights are no transformations."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlnudge.config import build_config
from mlnudge.runner import run

HEADER = "import numpy as np\nimport pandas as pd\nimport torch\n\n\n"


def reported(root: Path, source: str) -> set[str]:
    """The functions MLN301 reports in ``features/build.py`` (a data location)."""
    path = root / "features" / "build.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + textwrap.dedent(source).lstrip(), encoding="utf-8")
    report = run(root, build_config({"transforms": {}}), families=["transforms"], use_cache=False)
    return {
        f.message.split("`", 2)[1].removesuffix("()") for f in report.findings if f.rule == "MLN301"
    }


#: counting where two arrays agree is an accuracy
AGREEMENT = [
    # how often two arrays agree, counted: an accuracy read from a predictions file
    (
        """
        def hit_rate(path):
            table = np.loadtxt(path, delimiter=",", skiprows=1)
            truth = table[:, 0]
            guess = table[:, 1]
            same = truth == guess
            return np.sum(same) / same.size
        """,
        False,
    ),
    # ... written in one line, per class
    (
        """
        def per_class(labels, guesses, classes):
            labels = np.asarray(labels).astype(int)
            return {c: np.mean(labels[labels == c] == guesses[labels == c]) for c in classes}
        """,
        False,
    ),
    # the mask of one class, counted to decide how to change the image: a transformation
    (
        """
        def brighten_region(image, mask, region: int = 2):
            inside = mask == region
            if inside.sum() > 10:
                image = image ** 0.5
            return np.clip(image, 0, 1)
        """,
        True,
    ),
    # rows of each group gathered into records: not two arrays compared
    (
        """
        def records_per_group(table, groups):
            out = {}
            for g in np.unique(groups):
                rows = groups == g
                out[g] = {"n": int(rows.sum()), "values": table[rows].astype(float)}
            return out
        """,
        True,
    ),
    # a filter on where two columns agree keeps rows: a transformation
    (
        """
        def consistent_rows(df):
            df = df.dropna()
            return df[df["left"] == df["right"]]
        """,
        True,
    ),
]


#: a body returning only reductions of its whole input computes a statistic
STATISTIC = [
    # a mean that skips missing values: one number (per axis handed through)
    (
        """
        def masked_average(v, *args, **kwargs):
            v = v.clone()
            missing = torch.isnan(v)
            v[missing] = 0
            return v.sum(*args, **kwargs) / (~missing).float().sum(*args, **kwargs)
        """,
        False,
    ),
    # a spread and a centre given back together
    (
        """
        def spread_and_centre(v, *args, **kwargs):
            v = v.clone()
            v[torch.isinf(v)] = 0
            centre = v.mean(*args, **kwargs)
            total = ((v - centre) ** 2).sum(*args, **kwargs)
            return torch.sqrt(total / (v.numel() - 1)), centre
        """,
        False,
    ),
    # standardising with those statistics gives back data: a transformation
    (
        """
        def standardise(x):
            x = x.copy()
            x[np.isnan(x)] = 0
            return (x - x.mean()) / x.std()
        """,
        True,
    ),
    # a mean per group is an aggregated table
    (
        """
        def spend_per_customer(df):
            df = df.dropna()
            return df.groupby("customer")["amount"].mean()
        """,
        True,
    ),
    # a mean along each row is one feature per row
    (
        """
        def row_average(df, cols):
            df = df.fillna(0)
            return df[cols].mean(axis=1)
        """,
        True,
    ),
]


#: solving a linear system for weights is a fit
SOLVE = [
    # blend weights solved by ridge least squares and handed back with the blend
    (
        """
        def blend(preds, target, lam=1e-3):
            X = np.stack(preds).T
            k = X.shape[1]
            w = np.linalg.pinv(X.T @ X + lam * np.eye(k)) @ X.T @ target
            return X @ w, w
        """,
        False,
    ),
    (
        """
        def linear_weights(X, y):
            X = np.column_stack([X, np.ones(len(X))])
            coef = np.linalg.lstsq(X, y, rcond=None)[0]
            return coef
        """,
        False,
    ),
    # data projected onto a basis it was handed, the basis kept to itself: a transformation
    (
        """
        def project(X, basis):
            X = X - X.mean(axis=0)
            return X @ basis
        """,
        True,
    ),
]


@pytest.mark.parametrize(("source", "expected"), [*AGREEMENT, *STATISTIC, *SOLVE])
def test_scores_statistics_and_fits_are_not_transformations(
    tmp_path: Path, source: str, expected: bool
) -> None:
    """Each case is reported (``True``) or not, as the comment above it says."""
    found = reported(tmp_path, source)
    assert bool(found) is expected, found
