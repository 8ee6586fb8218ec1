"""MLN301/MLN303 on classes read in unseen repositories: device moves, the target set apart,
predicted probabilities beside the truth, application pages, project model base classes."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import transforms_findings

#: (function source in ``data/steps.py``, whether it is reported)
_BODIES = [
    # a batch moved to a device, in place: the same values elsewhere
    (
        """
        import torch

        def to_device(batch: dict[str, torch.Tensor], keys: list[str], device: str):
            for k, v in batch.items():
                if k in keys:
                    batch[k] = v.to(device)
        """,
        False,
    ),
    (
        """
        import torch

        def to_gpu(batch: dict[str, torch.Tensor]):
            for k in batch:
                batch[k] = batch[k].cuda(non_blocking=True)
        """,
        False,
    ),
    # ... a cast stored back is a change of values
    (
        """
        import torch

        def to_half(batch: dict[str, torch.Tensor]):
            for k in batch:
                batch[k] = batch[k].to(torch.float16) / 255
        """,
        True,
    ),
    # the target set apart from the features: the same column dropped and picked
    (
        """
        import pandas as pd

        TARGET = "price"

        def split_xy(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
            X = df.drop(columns=[TARGET])
            y = df[TARGET]
            return X, y
        """,
        False,
    ),
    (
        """
        import pandas as pd

        def features_and_target(df: pd.DataFrame, target: str):
            return df.drop(target, axis=1).values, df[target].values
        """,
        False,
    ),
    # ... another column picked than the one dropped, or a row choice, is work of its own
    (
        """
        import pandas as pd

        def split_xy(df: pd.DataFrame):
            X = df.drop(columns=["id"])
            y = df["price"]
            return X, y
        """,
        True,
    ),
    (
        """
        import pandas as pd

        def split_xy(df: pd.DataFrame, target: str):
            df = df.dropna()
            X = df.drop(columns=[target])
            y = df[target]
            return X, y
        """,
        True,
    ),
    # predicted probabilities beside the truth: a reliability curve is an evaluation
    (
        """
        import numpy as np

        def reliability(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10):
            edges = np.linspace(0, 1, n_bins + 1)
            rows = []
            for lo, hi in zip(edges[:-1], edges[1:]):
                inside = (y_prob > lo) & (y_prob <= hi)
                rows.append(y_true[inside].mean())
            return np.array(rows)
        """,
        False,
    ),
    # ... probabilities alone turned into classes are post-processing
    (
        """
        import numpy as np

        def to_labels(y_prob: np.ndarray, cut: float) -> np.ndarray:
            return np.clip(np.round(y_prob - cut + 0.5), 0, 1).astype(int)
        """,
        True,
    ),
]


@pytest.mark.parametrize(("body", "reported"), _BODIES)
def test_device_moves_target_split_and_probability_pairs(
    tmp_path: Path, body: str, reported: bool
) -> None:
    files = {"data/steps.py": body}
    assert bool(transforms_findings(tmp_path, files)) is reported


_PAGE = """
    {imports}
    import pandas as pd

    frame = pd.read_csv("predictions.csv")
    frame["error"] = (frame["pred"] - frame["target"]).abs()
    worst = frame.sort_values("error", ascending=False).dropna()
    {show}
"""


@pytest.mark.parametrize(
    ("imports", "show", "reported"),
    [
        # a Streamlit page: what its top level computes feeds the widgets
        ("import streamlit as st", "st.dataframe(worst.head(20))", False),
        ("from streamlit import dataframe", "dataframe(worst)", False),
        ("import gradio as gr", "gr.Dataframe(worst)", False),
        # ... a text for its download button is no file written
        ("import streamlit as st", "st.download_button('csv', worst.to_csv(index=False))", False),
        # ... but a page that writes a data set is a script
        ("import streamlit as st", "worst.to_csv('data/worst.csv')", True),
        # the same top level without a page is a script
        ("import json", "worst.to_csv('data/worst.csv')", True),
    ],
)
def test_an_application_pages_top_level_is_no_script(
    tmp_path: Path, imports: str, show: str, reported: bool
) -> None:
    files = {"app/page.py": _PAGE.format(imports=imports, show=show)}
    assert bool(transforms_findings(tmp_path, files, "MLN303")) is reported


_BASE = """
    import torch.nn as nn


    class BaseModule(nn.Module):
        def count(self):
            return sum(p.numel() for p in self.parameters())
"""

_HEAD = """
    import torch.nn as nn

    from models.base import BaseModule


    class Net(BaseModule):
        def __init__(self):
            super().__init__()
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.dropout = None
            self.fc = nn.Linear(8, 2)

        def logits(self, x):
            x = self.pool(x)
            if self.dropout is not None:
                x = self.dropout(x)
            x = x.view(x.size(0), -1)
            x = self.fc(x)
            return x

        def forward(self, x):
            return self.logits(x)
"""


def test_a_subclass_of_the_projects_model_base_is_model_code(tmp_path: Path) -> None:
    files = {"models/__init__.py": "", "models/base.py": _BASE, "models/net.py": _HEAD}
    assert "Net.logits" not in transforms_findings(tmp_path, files)


def test_a_subclass_of_a_plain_project_class_is_judged_by_its_body(tmp_path: Path) -> None:
    base = "class Step:\n    pass\n"
    step = """
        import pandas as pd
        from steps.base import Step


        class Scale(Step):
            def apply(self, df: pd.DataFrame) -> pd.DataFrame:
                out = df.copy()
                out["x"] = (out["x"] - out["x"].mean()) / out["x"].std()
                return out
    """
    files = {"steps/__init__.py": "", "steps/base.py": base, "steps/scale.py": step}
    assert "Scale.apply" in transforms_findings(tmp_path, files)


_TWINS = """
    import torch
    from torch import nn


    class Twins(nn.Module):
        def __init__(self, left, right):
            super().__init__()
            self.left = left
            self.right = right
            self.head = nn.Linear(8, 1)

        def _encode(self, encoder, ids: torch.LongTensor):
            hidden = encoder.forward(ids)[0]
            mask = ids.eq(2)
            return hidden[mask, :].view(hidden.size(0), -1, hidden.size(-1))[:, -1, :]

        def forward(self, a: torch.LongTensor, b: torch.LongTensor):
            x = torch.cat([self._encode(self.left, a), self._encode(self.right, b)], 1)
            return self.head(x)
"""


def test_a_helper_running_the_encoder_it_is_handed_is_model_code(tmp_path: Path) -> None:
    files = {"model/twins.py": _TWINS}
    assert "Twins._encode" not in transforms_findings(tmp_path, files)


def test_an_augmentation_built_on_the_projects_module_base_stays(tmp_path: Path) -> None:
    base = """
        import torch
        import torch.nn as nn


        class BaseAugmentation(nn.Module):
            def __init__(self, p: float = 1.0):
                super().__init__()
                self.p = p

            def forward(self, batch: dict, out: dict) -> None:
                if torch.rand(1).item() < self.p:
                    self.apply(batch, out)
    """
    mix = """
        import torch
        from torch import Tensor

        from augmentation.base import BaseAugmentation


        class Mix(BaseAugmentation):
            def apply(self, batch: dict[str, Tensor], out: dict[str, Tensor]) -> None:
                order = torch.randperm(batch["x"].shape[0])
                out["x"] = 0.5 * batch["x"] + 0.5 * batch["x"][order]
    """
    files = {
        "augmentation/__init__.py": "",
        "augmentation/base.py": base,
        "augmentation/mix.py": mix,
    }
    assert "Mix.apply" in transforms_findings(tmp_path, files)
