"""MLN301 on classes read in a fresh sweep judged before tuning (acc-transforms-25): a split
that stratifies by the labels it sets apart."""

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


_TRAIN = """
from sklearn.linear_model import LogisticRegression

from features.split import make_holdout


def main(df):
    x_train, x_test, y_train, y_test = make_holdout(df)
    model = LogisticRegression().fit(x_train, y_train)
    return model.score(x_test, y_test)
"""

#: (the body of ``make_holdout(df)`` after its target is set apart, whether it is reported)
_SPLITS = [
    # the class shares kept in both parts: a sampling decision a test pins down
    ("return train_test_split(x, y, test_size=0.2, stratify=y, random_state=0)", True),
    # stratified by another column of the labelled table
    ("return train_test_split(x, y, stratify=df['segment'], random_state=0)", True),
    # a plain draw: the library decides everything, nothing of the project's to test
    ("return train_test_split(x, y, test_size=0.2, random_state=0)", False),
    # ``stratify=None`` is the plain draw spelled out
    ("return train_test_split(x, y, test_size=0.2, stratify=None)", False),
]


@pytest.mark.parametrize(("split", "reported"), _SPLITS)
def test_a_split_that_stratifies_by_the_labels_is_a_sampling_decision(
    tmp_path: Path, split: str, reported: bool
) -> None:
    module = f"""
    from sklearn.model_selection import train_test_split


    def make_holdout(df, target="churn"):
        x = df.drop(columns=[target])
        y = df[target]
        {split}
    """
    found = _severities(tmp_path, {"features/split.py": module, "train.py": _TRAIN})
    if reported:
        assert found.get("make_holdout") == "warning"
    else:
        assert "make_holdout" not in found


#: (a function of ``forecast/cv.py`` that hands series to a worker run in parallel, its name,
#: whether it is reported)
_WORKERS = [
    # evaluation through joblib: each series fitted and scored by the worker
    (
        """
        import pandas as pd
        from joblib import Parallel, delayed


        def _evaluate_one(series, config):
            return series


        def evaluate_config(config, by_id: dict, holidays: pd.DataFrame):
            parts = Parallel(n_jobs=2)(delayed(_evaluate_one)(by_id[k], config) for k in by_id)
            table = pd.concat(parts, ignore_index=True)
            table = table.merge(holidays, on=["id", "ds"], how="left")
            table["holiday"] = table["holiday"].fillna(False).astype(bool)
            return table
        """,
        "evaluate_config",
        False,
    ),
    # the final fits submitted to an executor
    (
        """
        import pandas as pd
        from concurrent.futures import ProcessPoolExecutor


        def _fit_final(series, config):
            return series


        def fit_all(frame: pd.DataFrame, config):
            grouped = {k: g.sort_values("ds") for k, g in frame.groupby("id")}
            with ProcessPoolExecutor() as executor:
                done = [executor.submit(_fit_final, g, config) for g in grouped.values()]
            return pd.DataFrame({"id": list(grouped), "ok": [d.result() for d in done]})
        """,
        "fit_all",
        False,
    ),
    # ... a feature worker run in parallel is still feature work
    (
        """
        import pandas as pd
        from joblib import Parallel, delayed


        def _lags(group):
            return group.assign(lag1=group["y"].shift(1))


        def add_lags(frame: pd.DataFrame) -> pd.DataFrame:
            parts = Parallel(n_jobs=2)(delayed(_lags)(g) for _, g in frame.groupby("id"))
            return pd.concat(parts).sort_index()
        """,
        "add_lags",
        True,
    ),
]


@pytest.mark.parametrize(("module", "name", "reported"), _WORKERS)
def test_a_worker_handed_to_run_in_parallel_is_called(
    tmp_path: Path, module: str, name: str, reported: bool
) -> None:
    found = _severities(tmp_path, {"forecast/cv.py": module})
    assert (name in found) is reported


#: (a function of ``data/feed.py`` building TensorFlow's input pipeline, whether it is reported)
_TF_PIPELINES = [
    # arrays sliced, shuffled, batched and prefetched as they are: plumbing, like a DataLoader
    (
        """
        import tensorflow as tf


        def make_dataset(x, y=None, training=False):
            ds = tf.data.Dataset.from_tensor_slices(x)
            if y is not None:
                ds = tf.data.Dataset.zip((ds, tf.data.Dataset.from_tensor_slices(y)))
            if training:
                ds = ds.shuffle(len(x)).repeat()
            return ds.batch(32).prefetch(tf.data.AUTOTUNE)
        """,
        False,
    ),
    # ... a parsing function mapped over it, with arithmetic on the values, is work of its own
    (
        """
        import tensorflow as tf


        def make_dataset(paths, labels):
            ds = tf.data.Dataset.from_tensor_slices((paths, labels))
            ds = ds.map(lambda p, y: (tf.io.decode_png(tf.io.read_file(p)) / 255, y))
            return ds.batch(32)
        """,
        True,
    ),
]


@pytest.mark.parametrize(("module", "reported"), _TF_PIPELINES)
def test_a_tf_data_pipeline_of_library_steps_feeds_data(
    tmp_path: Path, module: str, reported: bool
) -> None:
    found = _severities(tmp_path, {"data/feed.py": module})
    assert ("make_dataset" in found) is reported


_BINNING = """
import pandas as pd


def bin_age(df: pd.DataFrame) -> pd.DataFrame:
    df["age_bin"] = 0
    df.loc[df["age"] >= 36, "age_bin"] = 1
    df.loc[df["age"] >= 61, "age_bin"] = 2
    return df
"""

#: (the project's other files beside ``data/binning.py``, how ``bin_age`` is reported)
_IMPORTERS = [
    # nothing imports the module and it does not run by itself: code nothing runs
    ({"train.py": "import pandas as pd\n\nprint(pd.__version__)\n"}, "info"),
    # a module of the project imports it: the data folder's module is in use
    ({"train.py": "from data.binning import bin_age\n"}, "warning"),
    # ... also inside a function, or relatively from a package beside it
    ({"train.py": "def main(df):\n    from data import binning\n    return binning\n"}, "warning"),
    (
        {
            "data/__init__.py": "",
            "data/clean.py": "from .binning import *\n",
            "train.py": "from data.clean import bin_age\n",
        },
        "warning",
    ),
    # a notebook imports it, or a configuration names it
    (
        {
            "explore.ipynb": '{"cells": [{"cell_type": "code", "source": '
            '["from data.binning import bin_age"]}], "metadata": {}, '
            '"nbformat": 4, "nbformat_minor": 5}'
        },
        "warning",
    ),
    ({"conf/steps.yaml": "steps:\n  - data.binning.bin_age\n"}, "warning"),
    # the project imports modules by a computed name: any module may be the one
    (
        {"run.py": "import importlib\nimport sys\n\nmod = importlib.import_module(sys.argv[1])\n"},
        "warning",
    ),
    # ... unless the computed name can only end with another module's name (Kedro's ``cli``)
    (
        {
            "run.py": "import importlib\n\n\ndef main(pkg):\n"
            "    return importlib.import_module(f'{pkg}.cli')\n"
        },
        "info",
    ),
]


@pytest.mark.parametrize(("others", "severity"), _IMPORTERS)
def test_a_data_modules_place_needs_someone_to_import_it(
    tmp_path: Path, others: dict[str, str], severity: str
) -> None:
    found = _severities(tmp_path, {"data/binning.py": _BINNING, **others})
    assert found.get("bin_age") == severity


def test_a_module_that_runs_by_itself_is_in_use(tmp_path: Path) -> None:
    main = _BINNING + '\n\nif __name__ == "__main__":\n    print(bin_age(pd.read_csv("a.csv")))\n'
    assert _severities(tmp_path, {"data/binning.py": main}).get("bin_age") == "warning"


def test_a_script_run_from_a_runner_is_in_use(tmp_path: Path) -> None:
    """Top-level code that does something (``python train.py`` from ``run.sh``) runs the module,
    whatever hands the transformation on by reference."""
    script = _BINNING + '\n\nframe = pd.read_csv("a.csv").pipe(bin_age)\nprint(len(frame))\n'
    assert _severities(tmp_path, {"data/binning.py": script}).get("bin_age") == "warning"


def test_a_runner_naming_the_file_puts_it_in_use(tmp_path: Path) -> None:
    found = _severities(
        tmp_path, {"data/binning.py": _BINNING, "run.sh": "cd data && python binning.py\n"}
    )
    assert found.get("bin_age") == "warning"
