"""MLN301 on classes read in a fresh sweep judged before tuning (acc-transforms-24): container
conversions, loaders that set the target apart or keep what they read on the object, values
computed only for a log line, interactive selection windows, and modules named like tests
that hold the application's code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mlnudge_testing import write_tree

from mlnudge.config import build_config
from mlnudge.runner import run


def _severities(root: Path, files: dict[str, str]) -> dict[str, str]:
    """Function (``Cls.method``) -> severity of its MLN301 finding, for ``files`` under ``root``."""
    write_tree(root, {rel: textwrap.dedent(text).lstrip() for rel, text in files.items()})
    report = run(root, build_config({"transforms": {}}), families=["transforms"], use_cache=False)
    return {
        f.message.split("`", 2)[1].removesuffix("()"): f.severity.name.lower()
        for f in report.findings
        if f.rule == "MLN301"
    }


#: (function source in ``data/prepare.py``, its name, whether it is reported at all)
_CONVERSIONS = [
    # the one feature made a column for scikit-learn: every value kept, in order
    (
        """
        import numpy as np

        def as_column(x):
            x = np.asarray(x, dtype=np.float64)
            if x.ndim == 1:
                x = x.reshape(-1, 1)
            return x
        """,
        "as_column",
        False,
    ),
    # a sample's arrays wrapped as tensors
    (
        """
        import numpy as np
        import torch

        def to_tensors(image, mask):
            image = np.asarray(image, dtype=np.float32)
            mask = np.asarray(mask, dtype=np.float32)
            return torch.FloatTensor(image), torch.FloatTensor(mask)
        """,
        "to_tensors",
        False,
    ),
    # ... a reshape into windows moves values between rows: still a transformation
    (
        """
        import numpy as np

        def to_windows(x, width: int):
            x = np.asarray(x)
            n = len(x) // width
            return x[: n * width].reshape(n, width)
        """,
        "to_windows",
        True,
    ),
    # ... and a cast that changes values (a threshold) still counts
    (
        """
        import numpy as np
        import torch

        def binarise(mask):
            return torch.FloatTensor((np.asarray(mask) > 0.5).astype(np.float32))
        """,
        "binarise",
        True,
    ),
]


@pytest.mark.parametrize(("code", "name", "reported"), _CONVERSIONS)
def test_container_conversions_are_no_transformation(
    tmp_path: Path, code: str, name: str, reported: bool
) -> None:
    found = _severities(tmp_path, {"data/prepare.py": code})
    assert (name in found) is reported


#: (module source, function, expected severity or ``None`` for no finding at all); the module
#: sits in ``pipeline/train.py`` and hands each result to a model, so a transformation there is
#: a warning
_LOADERS = [
    # a CSV read, the target set apart and booleans typed: a loader (reading is I/O)
    (
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression

        def read_xy(path):
            df = pd.read_csv(path)
            X = df.drop(columns=["label"]).apply(
                lambda c: c.astype(int) if c.dtype == "bool" else c
            )
            y = df["label"].astype(int)
            return X, y

        def main():
            X, y = read_xy("data/train.csv")
            LogisticRegression().fit(X, y)
        """,
        "read_xy",
        None,
    ),
    # ... one that computes on what it read is a step of the pipeline
    (
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression

        def read_xy(path):
            df = pd.read_csv(path)
            X = df.drop(columns=["label"])
            X["ratio"] = X["a"] / X["b"]
            return X, df["label"]

        def main():
            X, y = read_xy("data/train.csv")
            LogisticRegression().fit(X, y)
        """,
        "read_xy",
        "warning",
    ),
]


@pytest.mark.parametrize(("code", "name", "severity"), _LOADERS)
def test_loaders_that_set_the_target_apart(
    tmp_path: Path, code: str, name: str, severity: str | None
) -> None:
    found = _severities(tmp_path, {"pipeline/train.py": code})
    assert found.get(name) == severity


#: the project's parser the steps below hand their records to
_PARSER = """
import numpy as np

def decode(records: list) -> dict:
    return {r["id"]: np.where(np.array(r["rle"]) > 0, 1, 0) for r in records}
"""

#: (function source in ``data/prepare.py``, its name, whether it is reported)
_SHOWN = [
    # what a log line computes (unique values, bounds of a sample) is shown, not done: the
    # function only hands its records to the parser
    (
        """
        import logging
        from typing import Dict, List

        import numpy as np

        from data.parser import decode

        logger = logging.getLogger(__name__)

        def prepare_masks(records: List[Dict]) -> Dict[str, np.ndarray]:
            masks = decode(records)
            sample = masks[list(masks.keys())[0]]
            logger.info(f"unique values: {np.unique(sample)}")
            logger.info(f"min/max: {sample.min()}, {sample.max()}")
            return masks
        """,
        "prepare_masks",
        False,
    ),
    # ... masks cropped for the result are data work, whatever the log line shows
    (
        """
        import logging
        from typing import Dict, List

        import numpy as np

        from data.parser import decode

        logger = logging.getLogger(__name__)

        def prepare_masks(records: List[Dict], h: int) -> Dict[str, np.ndarray]:
            masks = decode(records)
            logger.info(f"unique values: {np.unique(masks[list(masks)[0]])}")
            return {k: np.clip(m[:h], 0, 1) for k, m in masks.items()}
        """,
        "prepare_masks",
        True,
    ),
    # a window that waits for a key press: the user's choice comes back, not data
    (
        """
        from typing import Any, Callable, Dict

        import cv2
        import numpy as np
        import pandas as pd

        def pick_background(
            frames: Dict[str, Callable[[], Any]], roi: pd.DataFrame
        ) -> pd.DataFrame:
            keys = sorted(frames.keys())
            x, y, w, h = roi.iloc[0].values.astype(int)
            i = 0
            while True:
                image = np.array(frames[keys[i]]())[y : y + h, x : x + w]
                cv2.imshow("pick", np.vstack([np.zeros((10, w)), image]))
                current = keys[i]
                key = cv2.waitKey(0) & 0xFF
                if key == 13:
                    chosen = current
                    break
                i = (i + 1) % len(keys)
            return pd.DataFrame({"key": [str(chosen)]}, dtype=str)
        """,
        "pick_background",
        False,
    ),
    # ... a region drawn by hand
    (
        """
        import cv2
        import numpy as np
        import pandas as pd

        def pick_roi(frames: dict) -> pd.DataFrame:
            image = np.array(next(iter(frames.values()))())
            x, y, w, h = cv2.selectROI("roi", image)
            return pd.DataFrame({"x": [x], "y": [y], "w": [w], "h": [h]})
        """,
        "pick_roi",
        False,
    ),
]


@pytest.mark.parametrize(("code", "name", "reported"), _SHOWN)
def test_what_is_only_shown_or_chosen_by_the_user(
    tmp_path: Path, code: str, name: str, reported: bool
) -> None:
    found = _severities(tmp_path, {"data/prepare.py": code, "data/parser.py": _PARSER})
    assert (name in found) is reported


def test_a_data_set_item_only_converted_is_loading(tmp_path: Path) -> None:
    """A data set's ``__getitem__`` that takes its sample and only wraps it as float tensors
    is loading; one that thresholds the mask prepares the sample."""
    code = """
    import numpy as np
    import torch
    from torch.utils.data import Dataset

    class PairDataset(Dataset):
        def __init__(self, images, masks):
            self.images, self.masks = images, masks
            self.keys = sorted(images)

        def __len__(self):
            return len(self.keys)

        def __getitem__(self, idx):
            key = self.keys[idx]
            image = np.asarray(self.images[key], dtype=np.float32)
            mask = np.asarray(self.masks[key], dtype=np.float32)
            return torch.FloatTensor(image), torch.FloatTensor(mask)

    class BinaryDataset(Dataset):
        def __init__(self, images, masks):
            self.images, self.masks = images, masks
            self.keys = sorted(images)

        def __len__(self):
            return len(self.keys)

        def __getitem__(self, idx):
            key = self.keys[idx]
            image = np.asarray(self.images[key], dtype=np.float32) / 255.0
            mask = np.where(np.asarray(self.masks[key]) > 127, 1.0, 0.0)
            return torch.FloatTensor(image), torch.FloatTensor(mask)
    """
    found = _severities(tmp_path, {"data/datasets.py": code})
    assert "PairDataset.__getitem__" not in found
    assert "BinaryDataset.__getitem__" in found


_KEPT = """
import os

import pandas as pd
from sklearn.linear_model import Ridge


class Trainer:
    def __init__(self, settings):
        self.settings = settings
        self.train = None

    def read_data(self, name):
        path = os.path.join(os.path.realpath(self.settings.DATA_DIR), name)
        if os.path.isfile(path):
            self.train = pd.read_csv(path)
            self.train["time"] = pd.to_datetime(self.train["time"])
            return True
        return False

    def read_features(self, name):
        path = os.path.join(self.settings.DATA_DIR, name)
        self.train = pd.read_csv(path)
        self.train["lag"] = self.train.groupby("asset")["ret"].shift(1)

    def fit(self):
        return Ridge().fit(self.train[["lag"]], self.train["ret"])
"""


def test_a_method_keeping_the_table_it_read_is_a_loader(tmp_path: Path) -> None:
    """A method that reads a table onto its object and parses a date column is I/O
    (information at most); one that computes a lag feature on what it read is a step."""
    # (``train.py`` imports the module: a module nothing imports is information)
    found = _severities(
        tmp_path, {"prepare_data.py": _KEPT, "train.py": "from prepare_data import Trainer\n"}
    )
    assert found.get("Trainer.read_data") in (None, "info")
    assert found.get("Trainer.read_features") == "warning"


#: (function source in ``data/folds.py``, its name, whether it is reported)
_FOLDS = [
    # the folds a library splitter draws, handed out as they are
    (
        """
        import pandas as pd
        from sklearn.model_selection import KFold

        def kfold_splits(X: pd.DataFrame, y: pd.Series, n_splits: int = 5, seed: int = 42):
            kf = KFold(n_splits=n_splits, shuffle=True, random_state=seed)
            for train_idx, test_idx in kf.split(X):
                yield (X.iloc[train_idx], y.iloc[train_idx]), (X.iloc[test_idx], y.iloc[test_idx])
        """,
        "kfold_splits",
        False,
    ),
    (
        """
        import numpy as np
        from sklearn.model_selection import GroupKFold

        def group_splits(groups: np.ndarray, n_splits: int = 5):
            gkf = GroupKFold(n_splits=n_splits)
            return list(gkf.split(np.arange(len(groups)), groups=groups))
        """,
        "group_splits",
        False,
    ),
    # ... numbering the folds into a column of the table is data work
    (
        """
        import pandas as pd
        from sklearn.model_selection import StratifiedKFold

        def add_folds(df: pd.DataFrame, n_splits: int = 5) -> pd.DataFrame:
            df = df.copy()
            df["fold"] = -1
            skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0)
            for k, (_, va) in enumerate(skf.split(df, df["target"])):
                df.loc[va, "fold"] = k
            return df
        """,
        "add_folds",
        True,
    ),
]


@pytest.mark.parametrize(("code", "name", "reported"), _FOLDS)
def test_folds_a_library_splitter_draws(
    tmp_path: Path, code: str, name: str, reported: bool
) -> None:
    found = _severities(tmp_path, {"data/folds.py": code})
    assert (name in found) is reported


_NAMED_LIKE_TESTS = {
    # a scoring flow someone called ``*_test.py`` (it scores the test set), which the service
    # imports: the application's code
    "code/score_test.py": """
        import pandas as pd

        def encode(df: pd.DataFrame) -> pd.DataFrame:
            out = pd.get_dummies(df, columns=["city"])
            out["ratio"] = out["a"] / out["b"]
            return out
        """,
    "code/serve.py": """
        import pandas as pd
        from score_test import encode

        def predict(model, payload: dict):
            return model.predict(encode(pd.DataFrame([payload])))
        """,
    # ... a real test module: its helpers are test code
    "code/encode_test.py": """
        import pandas as pd
        from score_test import encode

        def scaled(df: pd.DataFrame) -> pd.DataFrame:
            return (df - df.mean()) / df.std()

        def test_encode():
            df = pd.DataFrame({"city": ["a"], "a": [1.0], "b": [2.0]})
            assert "ratio" in encode(scaled(df[["a", "b"]]).assign(city="a"))
        """,
    # ... and one nothing imports stays what its name says
    "code/scratch_test.py": """
        import pandas as pd

        def doubled(df: pd.DataFrame) -> pd.DataFrame:
            return df.assign(x=df["x"] * 2)
        """,
}


def test_modules_named_like_tests_that_the_application_imports(tmp_path: Path) -> None:
    found = _severities(tmp_path / "tested", _NAMED_LIKE_TESTS)
    assert "encode" not in found  # run by test_encode
    found = _severities(
        tmp_path / "untested",
        {k: v for k, v in _NAMED_LIKE_TESTS.items() if k != "code/encode_test.py"},
    )
    assert "encode" in found
    assert "doubled" not in found
    assert "scaled" not in found


#: (function source in ``pipelines/features/nodes.py``, its name, whether it is reported)
_ONE_CALL = [
    (
        """
        import pandas as pd

        def drop_columns(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
            \\"\\"\\"Drop columns in a dataframe.\\"\\"\\"
            return df.drop(columns=columns)
        """,
        "drop_columns",
        False,
    ),
    (
        """
        import pandas as pd

        def rename_columns(df: pd.DataFrame, mapping: dict) -> pd.DataFrame:
            return df.rename(columns=mapping)
        """,
        "rename_columns",
        False,
    ),
    # ... rows dropped by a mask are a filter
    (
        """
        import pandas as pd

        def drop_negative(df: pd.DataFrame) -> pd.DataFrame:
            return df.drop(df[df["price"] < 0].index)
        """,
        "drop_negative",
        True,
    ),
    # ... and a drop among other steps is part of a step
    (
        """
        import pandas as pd

        def prepare(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
            df = df.drop(columns=columns)
            df["age"] = 2024 - df["year_built"]
            return df
        """,
        "prepare",
        True,
    ),
]


@pytest.mark.parametrize(("code", "name", "reported"), _ONE_CALL)
def test_one_pandas_call_on_columns(tmp_path: Path, code: str, name: str, reported: bool) -> None:
    found = _severities(tmp_path, {"pipelines/features/nodes.py": code})
    assert (name in found) is reported
