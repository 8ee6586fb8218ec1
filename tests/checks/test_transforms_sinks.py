"""MLN301 on where a function's result goes: only shown (a report) or on as data."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from mlnudge.config import build_config
from mlnudge.runner import run

_DRIFT = """
    import pandas as pd


    def share_shift(before: pd.Series, after: pd.Series) -> pd.DataFrame:
        left = before.value_counts(normalize=True)
        right = after.value_counts(normalize=True)
        table = pd.concat([left, right], axis=1).fillna(0)
        table["shift"] = (table.iloc[:, 0] - table.iloc[:, 1]).abs()
        return table.sort_values("shift", ascending=False)
"""

#: callers of ``share_shift``: (caller module text, whether the function stays reported)
_CALLERS = [
    # printed, shown on a dashboard, plotted, logged: the table is a report
    (
        "from drift import share_shift\nimport pandas as pd\n\n"
        "def main(a, b):\n    print('shift:', share_shift(a, b))\n",
        False,
    ),
    # ... but a value printed alone is a program's output (a filter writing to stdout), and
    # its size looked at is a glance, not a use
    (
        "from drift import share_shift\n\ndef main(a, b):\n    print(share_shift(a, b))\n",
        True,
    ),
    (
        "from drift import share_shift\n\ndef main(a, b):\n    print(share_shift(a, b).shape)\n",
        True,
    ),
    (
        "import streamlit as st\nfrom drift import share_shift\n\n"
        "def page(a, b):\n    shift = share_shift(a, b)\n    st.dataframe(shift)\n"
        "    st.write(f'largest: {shift.iloc[0]}')\n",
        False,
    ),
    (
        "import matplotlib.pyplot as plt\nfrom drift import share_shift\n\n"
        "def figure(a, b):\n    shift = share_shift(a, b)\n    shift.plot(kind='bar')\n"
        "    plt.savefig('shift.png')\n",
        False,
    ),
    (
        "import logging\nfrom drift import share_shift\nlogger = logging.getLogger(__name__)\n\n"
        "def watch(a, b):\n    logger.info('shift %s', share_shift(a, b))\n",
        False,
    ),
    # a decision on it (an alert when the largest shift passes a threshold)
    (
        "from drift import share_shift\n\n"
        "def alert(a, b):\n    shift = share_shift(a, b)\n    if shift['shift'].max() > 0.2:\n"
        "        raise SystemExit(1)\n",
        False,
    ),
    # post-processing before a metric is still post-processing
    (
        "from sklearn.metrics import f1_score\nfrom drift import share_shift\n\n"
        "def score(a, b, y):\n    return f1_score(y, share_shift(a, b))\n",
        True,
    ),
    # a demonstration (the ``__main__`` block) shows what it would hand on
    (
        "from drift import share_shift\n\nif __name__ == '__main__':\n"
        "    print(share_shift([1], [2]))\n",
        True,
    ),
    # ... and so does a script's loose top level
    ("from drift import share_shift\n\nprint(share_shift([1], [2]))\n", True),
    # handed by reference to something that runs it (a pipeline node, ``apply``)
    (
        "from drift import share_shift\n\n"
        "def steps():\n    print(share_shift([1], [2]))\n    return [share_shift]\n",
        True,
    ),
    # handed on as data (returned, written, given to a model): a transformation
    ("from drift import share_shift\n\ndef build(a, b):\n    return share_shift(a, b)\n", True),
    (
        "from drift import share_shift\n\n"
        "def export(a, b, out):\n    share_shift(a, b).to_csv(out)\n",
        True,
    ),
    (
        "from drift import share_shift\n\n"
        "def train(a, b, model):\n    X = share_shift(a, b)\n    model.fit(X, b)\n"
        "    print(X.shape)\n",
        True,
    ),
]


def _write(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def _reported(root: Path) -> set[str]:
    config = build_config({"transforms": {}})
    return {
        f.message.split("`", 2)[1].removesuffix("()")
        for f in run(root, config, families=["transforms"], use_cache=False).findings
        if f.rule == "MLN301"
    }


@pytest.mark.parametrize(("caller", "kept"), _CALLERS)
def test_a_function_whose_result_is_only_shown_makes_a_report(
    tmp_path: Path, caller: str, kept: bool
) -> None:
    _write(tmp_path, {"drift.py": _DRIFT, "app.py": caller})
    assert ("share_shift" in _reported(tmp_path)) is kept


def test_one_call_site_handing_the_result_on_keeps_the_transformation(tmp_path: Path) -> None:
    shown = "from drift import share_shift\n\ndef show(a, b):\n    print('s', share_shift(a, b))\n"
    kept = "from drift import share_shift\n\ndef build(a, b):\n    return share_shift(a, b)\n"
    _write(tmp_path, {"drift.py": _DRIFT, "show.py": shown, "build.py": kept})
    assert "share_shift" in _reported(tmp_path)


def test_a_function_nobody_calls_is_judged_by_its_body(tmp_path: Path) -> None:
    _write(tmp_path, {"drift.py": _DRIFT})
    assert "share_shift" in _reported(tmp_path)
