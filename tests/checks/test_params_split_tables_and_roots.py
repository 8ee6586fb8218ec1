"""MLN201/MLN202 classes of acc-params-14, found by reading unseen application repositories:
split shares written as a table keyed by the split's parts, and data folders joined onto a
name bound to the code's own place inside a function or a script's main block. Fixtures
written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

import pytest
from mlnudge_testing import params_values


def _found(source: str, path: str = "scripts/prepare.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


# -- split shares written as a table keyed by the parts --------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # one share per part: each is a setting of the split
        (
            'PARTS = {"train": 0.75, "valid": 0.15, "test": 0.1}\n',
            [("MLN201", 1, "0.75"), ("MLN201", 1, "0.15"), ("MLN201", 1, "0.1")],
        ),
        # over lines, inside a function, whatever the variable is called
        (
            "def cut(files):\n"
            "    fractions = {\n"
            '        "training": 0.6,\n'
            '        "holdout": 0.4,\n'
            "    }\n"
            "    return fractions\n",
            [("MLN201", 3, "0.6"), ("MLN201", 4, "0.4")],
        ),
        # counts per part, not shares: the data's sizes
        ('SIZES = {"train": 800, "test": 200}\n', []),
        # shares adding up to more than one are no split (scores of each part)
        ('best = {"train": 0.93, "val": 0.88, "test": 0.86}\n', []),
        # a key that is no part of a split: a results row or a mix of settings
        ('row = {"train": 0.7, "auc": 0.2}\n', []),
        # one part alone says nothing of a split
        ('weights = {"train": 0.5}\n', []),
    ],
)
def test_split_shares_written_as_a_table_of_the_parts_are_settings(
    source: str, expected: list[tuple[str, int, str]]
) -> None:
    assert [f for f in _found(source) if f[0] == "MLN201"] == expected


# -- data folders joined onto the code's own place, bound locally -----------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a script's main block: the root is the code's own place, the folder is fixed in code
        (
            "import os\n"
            "from pathlib import Path\n"
            "if __name__ == '__main__':\n"
            "    base = Path(__file__).resolve().parents[1]\n"
            "    source = os.path.join(base, 'data', 'raw')\n"
            "    run(source)\n",
            [("MLN202", 5, "./data/raw")],
        ),
        # inside a function, with ``/``
        (
            "from pathlib import Path\n"
            "def build():\n"
            "    here = Path(__file__).parent\n"
            "    return load(here / 'models' / 'ranker.pkl')\n",
            [("MLN202", 4, "./models/ranker.pkl")],
        ),
        # an f-string on the same root
        (
            "import os\n"
            "def read():\n"
            "    here = os.path.dirname(__file__)\n"
            "    table = f'{here}/data/interim/table.csv'\n"
            "    return table\n",
            [("MLN202", 4, "./data/interim")],
        ),
        # code beside the code is no data location
        (
            "import os\n"
            "def templates():\n"
            "    here = os.path.dirname(__file__)\n"
            "    return os.path.join(here, 'templates', 'page.html')\n",
            [],
        ),
        # a root the caller hands in is the setting: what is put on it stays silent
        (
            "import os\ndef read(base):\n    return os.path.join(base, 'data', 'raw')\n",
            [],
        ),
    ],
)
def test_a_data_folder_on_a_locally_bound_code_root_is_fixed_in_code(
    source: str, expected: list[tuple[str, int, str]]
) -> None:
    assert [f for f in _found(source) if f[0] == "MLN202"] == expected
