"""MLN301/MLN303 on how modules are put together: constructors that split, demonstration blocks."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from mlnudge.config import build_config
from mlnudge.finding import Finding
from mlnudge.runner import run


def findings(root: Path, files: Mapping[str, str]) -> list[Finding]:
    """The transforms family's findings on a small repository written from ``files``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    config = build_config({"transforms": {}})
    return run(root, config, families=["transforms"], use_cache=False).findings


def untested(root: Path, files: Mapping[str, str]) -> set[str]:
    """The functions MLN301 reports, by qualified name."""
    return {
        f.message.split("`", 2)[1].removesuffix("()")
        for f in findings(root, files)
        if f.rule == "MLN301"
    }


_SPLITTING = """
    import torch


    class Frames(torch.utils.data.Dataset):
        def __init__(self, items, transform=None):
            self.items = items
            self.transform = transform


    class FramesModule:
        def __init__(self, dataset, train_tf, eval_tf, batch_size=8):
            n_train = int(len(dataset) * 0.8)
            sizes = [n_train, len(dataset) - n_train]
            self.train_set, self.val_set = torch.utils.data.random_split(dataset, sizes)
            self.train_set.dataset.transform = train_tf
            self.val_set.dataset.transform = eval_tf
            self.batch_size = batch_size
"""

_STORING = """
    import numpy as np


    class Window:
        def __init__(self, series, width=4):
            self.series = np.asarray(series, dtype=float)
            self.width = width
"""


@pytest.mark.parametrize(
    ("source", "reported"),
    [(_SPLITTING, {"FramesModule.__init__"}), (_STORING, set())],
    ids=["splits-and-keeps-the-parts", "stores-its-arguments"],
)
def test_a_constructor_splitting_the_data_it_is_handed_is_a_transformation(
    tmp_path: Path, source: str, reported: set[str]
) -> None:
    """A data module whose constructor cuts the dataset it is handed into parts
    (``random_split`` with sizes it computes) and keeps them on the object does the work a
    ``setup`` method would: which rows go where, which transform each part gets. A constructor
    that only stores its arguments (an array made of one) stays a constructor."""
    assert untested(tmp_path, {"frames/data.py": source}) == reported


_HELPERS = """
    import pandas as pd

    SAVE = False


    def fill_gaps(frame, column):
        frame[column] = frame[column].fillna(frame[column].median())
        return frame


    def add_ratio(frame):
        frame["ratio"] = frame["a"] / frame["b"]
        return frame


    if __name__ == "__main__":
        demo = pd.read_csv("sample.csv")
        demo.columns = demo.columns.str.lower()
        demo = demo.dropna(subset=["a"])
        print(add_ratio(fill_gaps(demo, "b")).head())
        if SAVE:
            demo.to_csv("demo.csv")
"""

_USER = """
    from helpers.cleaning import add_ratio, fill_gaps


    def prepare(frame):
        return add_ratio(fill_gaps(frame, "b"))
"""


@pytest.mark.parametrize(
    ("files", "reported"),
    [
        ({"helpers/__init__.py": "", "helpers/cleaning.py": _HELPERS, "run.py": _USER}, False),
        ({"helpers/__init__.py": "", "helpers/cleaning.py": _HELPERS}, True),
        (
            {
                "helpers/__init__.py": "",
                "helpers/cleaning.py": _HELPERS.replace(
                    'if __name__ == "__main__":\n    ', "if True:\n    "
                ),
                "run.py": _USER,
            },
            True,
        ),
        (
            {
                "helpers/__init__.py": "",
                "helpers/cleaning.py": _HELPERS.replace(
                    'print(add_ratio(fill_gaps(demo, "b")).head())',
                    'add_ratio(fill_gaps(demo, "b")).to_csv("clean.csv")',
                ),
                "run.py": _USER,
            },
            True,
        ),
    ],
    ids=[
        "imported-module-demo",
        "stand-alone-script",
        "imported-but-runs-on-import",
        "imported-but-its-main-writes-the-data",
    ],
)
def test_the_main_block_of_a_module_the_project_imports_is_a_demonstration(
    tmp_path: Path, files: dict[str, str], reported: bool
) -> None:
    """A module other files import whose data operations all sit under
    ``if __name__ == "__main__":`` shows how its functions are used; the functions are what the
    project runs (and what MLN301 asks to test), so the block is no script to break up
    (MLN303). The same block in a module nobody imports is the script's top-level work, and
    operations that run on import are reported whoever imports the module; so is a block that
    always writes what it computed (a pipeline step run as ``python -m``): a write under a flag
    (``if save_output:``) is optional."""
    found = findings(tmp_path, files)
    assert any(f.rule == "MLN303" and f.path == "helpers/cleaning.py" for f in found) is reported
