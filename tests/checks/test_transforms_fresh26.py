"""MLN301 on classes read on earlier untouched sets (acc-transforms-26): one-call wrappers of a
project step, one pandas call beside a log line, a pipeline that starts from a copy, thin
fit/transform wrappers and conversions, and code an MLflow run store keeps a copy of."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mlnudge_testing import write_tree

from mlnudge.config import build_config
from mlnudge.runner import run


def _warnings(root: Path, files: dict[str, str]) -> set[str]:
    """The functions (``Cls.method``) with an MLN301 warning, the path of each as ``@path``,
    and those with an information finding as ``info:name``."""
    write_tree(root, {rel: textwrap.dedent(text).lstrip() for rel, text in files.items()})
    report = run(root, build_config({"transforms": {}}), families=["transforms"], use_cache=False)
    found = set()
    for f in report.findings:
        if f.rule == "MLN301" and f.severity.name.lower() == "info":
            found.add("info:" + f.message.split("`", 2)[1].removesuffix("()"))
        if f.rule == "MLN301" and f.severity.name.lower() == "warning":
            found.add(f.message.split("`", 2)[1].removesuffix("()"))
            found.add("@" + str(f.path))
    return found


def _indent(body: str) -> str:
    """A body written at one level, set at the level of the template's function body."""
    return body.replace("\n    ", "\n        ")


_STEPS = """
import pandas as pd


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df[df["price"] > 0].copy()
    df["log_price"] = df["price"].apply(lambda v: v ** 0.5)
    return df


def encode(df: pd.DataFrame) -> pd.DataFrame:
    return pd.get_dummies(df, columns=["city"])


def combine(df: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    return df.merge(extra, on="id", how="left").fillna(0)


def load_extra(path: str) -> pd.DataFrame:
    return pd.read_csv(path)
"""

_TRAIN = """
from sklearn.linear_model import LinearRegression

from pipeline.nodes import node


def main(df, params):
    data = node(df, params)
    return LinearRegression().fit(data.drop(columns=["y"]), data["y"])
"""

#: (the body of ``node(df, params)`` in a pipeline module, whether it is a warning of its own)
_WRAPPERS = [
    # one step of the project's, handed the data and given back: the step is the finding
    ("return clean(df)", False),
    ("out = clean(df)\n    logger.info('rows: %d', len(out))\n    return out", False),
    # two steps chained: a pipeline, tested as one
    ("df = clean(df)\n    return encode(df)", True),
    # the same step for two inputs, or a table it loads itself beside the one it is handed
    ("return encode(df), encode(params['valid'])", True),
    ("extra = load_extra(params['path'])\n    return combine(df, extra)", True),
    # a copy first, then the steps: still a pipeline
    ("out = df.copy()\n    out = clean(out)\n    out = encode(out)\n    return out", True),
]


@pytest.mark.parametrize(("body", "reported"), _WRAPPERS)
def test_a_one_call_wrapper_of_a_project_step_is_no_step_of_its_own(
    tmp_path: Path, body: str, reported: bool
) -> None:
    nodes = f"""
    import logging

    import pandas as pd

    from features.steps import clean, combine, encode, load_extra

    logger = logging.getLogger(__name__)


    def node(df: pd.DataFrame, params: dict) -> pd.DataFrame:
        {_indent(body)}
    """
    found = _warnings(
        tmp_path,
        {
            "features/__init__.py": "",
            "features/steps.py": _STEPS,
            "pipeline/__init__.py": "",
            "pipeline/nodes.py": nodes,
            "train.py": _TRAIN,
        },
    )
    assert "clean" in found
    assert ("node" in found) is reported
    # the wrapper stays visible as information: it hands its data to `clean()`
    assert ("info:node" in found) is not reported


#: (the body of a data-processing node, whether it is a warning)
_ONE_CALL = [
    # one pandas call on what it is handed, a log line of the shape beside it
    (
        "data = data.drop(columns=params['cols'])\n    logger.info(data.shape)\n    return data",
        False,
    ),
    ("data = data.rename(columns=params['names'])\n    print(data.shape)\n    return data", False),
    # rows with a missing value dropped: which rows go is a choice of the project's
    ("data = data.dropna()\n    logger.info(f'{data.shape}')\n    return data", True),
    # a step of its own next to it
    ("data = data.dropna()\n    data['ratio'] = data['a'] / data['b']\n    return data", True),
]


@pytest.mark.parametrize(("body", "reported"), _ONE_CALL)
def test_one_pandas_call_beside_a_log_line_is_no_transformation(
    tmp_path: Path, body: str, reported: bool
) -> None:
    nodes = f'''
    import logging

    import pandas as pd

    logger = logging.getLogger(__name__)


    def node(data: pd.DataFrame, params: dict) -> pd.DataFrame:
        """Prepare the data."""
        {_indent(body)}
    '''
    found = _warnings(
        tmp_path,
        {"pipeline/__init__.py": "", "pipeline/nodes.py": nodes, "train.py": _TRAIN},
    )
    assert ("node" in found) is reported


_TRANSFORMERS = """
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

SCALER = None


class Dense(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X, y=None):
        return X.toarray()


class Log(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X, y=None):
        return np.log1p(X)


def fit_transform(*args, **kwargs):
    return SCALER.fit_transform(*args, **kwargs)


def apply(data, transformer):
    return transformer.transform(data)
"""


def test_thin_transformer_wrappers_and_conversions_are_no_transformation(tmp_path: Path) -> None:
    found = _warnings(
        tmp_path,
        {
            "features/__init__.py": "",
            "features/transformers.py": _TRANSFORMERS,
            "train.py": "from features.transformers import Dense, Log, apply, fit_transform\n",
        },
    )
    assert "Log.transform" in found
    assert not {"Dense.transform", "fit_transform", "apply"} & found
    # the conversion is no finding; the wrappers stay visible as information
    assert "info:Dense.transform" not in found
    assert {"info:fit_transform", "info:apply"} <= found


def test_a_run_store_copy_of_the_code_is_not_the_projects_code(tmp_path: Path) -> None:
    found = _warnings(
        tmp_path,
        {
            "features/__init__.py": "",
            "features/steps.py": _STEPS,
            "mlruns/0/3f2a/artifacts/steps.py": _STEPS,
            "mlruns/0/3f2a/meta.yaml": "artifact_uri: ./mlruns/0/3f2a/artifacts\n",
            "train.py": "from features.steps import clean, encode\n",
        },
    )
    assert "@features/steps.py" in found
    assert not any(f.startswith("@mlruns/") for f in found)
