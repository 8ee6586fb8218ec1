"""MLN201/MLN202/MLN208 classes of acc-params-21: a data folder reached by climbing from the
code's own folder, a credential set for a shell command in its text, a path handed to the
project's own function by keyword, the hold-out part under its other names, and a count capped
by ``len``. Fixtures written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

import ast

import pytest

from mlnudge.checks.params import analyse
from mlnudge.checks.params.secrets import shell_secret
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule


def _found(source: str, path: str = "jobs/fit_model.py") -> list[tuple[str, int, str]]:
    module = PyModule(path, source, ast.parse(source))
    findings = analyse(module, build_config({}).section("params"))
    return [(f.rule, f.line or 0, f.message) for f in findings]


# -- a data folder reached by climbing from the code's own folder ------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        'os.path.join(os.path.dirname(__file__), "../../data/raw/clicks.csv")',
        'os.path.join(HERE, "..//../data/raw/clicks.csv")',
        'os.path.join(HERE, "..", "..", "data", "raw", "clicks.csv")',
        'os.path.join(HERE, "../checkpoints/ranker.pkl")',
    ],
)
def test_a_data_folder_climbed_to_from_the_code_is_fixed(expression: str) -> None:
    source = (
        "import os\nimport pandas as pd\n\n"
        "HERE = os.path.dirname(os.path.abspath(__file__))\n"
        f"frame = pd.read_csv({expression})\n"
    )
    assert [f[:2] for f in _found(source)] == [("MLN202", 5)]


@pytest.mark.parametrize(
    "expression",
    [
        'os.path.join(HERE, "..", "..", "src")',  # code, not data
        'os.path.join(HERE, "..")',  # the root itself
        'os.path.join(HERE, "../templates/page.html")',
    ],
)
def test_a_climb_to_code_or_to_the_root_stays_silent(expression: str) -> None:
    source = (
        "import os\n\n"
        "HERE = os.path.dirname(os.path.abspath(__file__))\n"
        f"TARGET = {expression}\n"
        "print(TARGET)\n"
    )
    assert [f for f in _found(source) if f[0] == "MLN202"] == []


# -- a credential set for a shell command, in the command's text -------------------------------

_KEY = "".join(["3f9a", "c2d1", "77be", "04aa"])  # built here: no credential-shaped literal


@pytest.mark.parametrize(
    "command",
    [
        f"KAGGLE_USERNAME=someone KAGGLE_KEY={_KEY} kaggle competitions download -c x",
        f"export HF_TOKEN={_KEY} && python fetch.py",
        f"WANDB_API_KEY='{_KEY}' wandb login",
    ],
)
def test_a_credential_set_for_a_command_is_reported(command: str) -> None:
    source = f"import os\n\n\ndef fetch():\n    os.system({command!r})\n"
    found = [f for f in _found(source, "download/fetch.py") if f[0] == "MLN208"]
    assert [f[:2] for f in found] == [("MLN208", 5)]
    assert _KEY not in found[0][2]


@pytest.mark.parametrize(
    "command",
    [
        "KAGGLE_KEY=$KAGGLE_KEY kaggle competitions download -c x",  # from the environment
        "KAGGLE_KEY=your_key_here kaggle competitions download -c x",  # a placeholder
        "PYTHONPATH=src CUDA_VISIBLE_DEVICES=0 python train.py --token-file secrets.txt",
        "OUTPUT_KEY=predictions python score.py",  # not a credential's name
    ],
)
def test_a_command_without_a_literal_credential_is_silent(command: str) -> None:
    assert shell_secret(command) is None
    source = f"import subprocess\n\nsubprocess.run({command!r}, shell=True)\n"
    assert [f for f in _found(source, "download/fetch.py") if f[0] == "MLN208"] == []


# -- a path handed to the project's own function by keyword ------------------------------------

_SPLITTER = (
    "import pandas as pd\n\n\n"
    "def make_folds(source_locations, target_locations, dev_size):\n"
    "    frame = pd.read_csv(source_locations)\n"
    "    frame.sample(dev_size).to_csv(target_locations)\n\n\n"
    'if __name__ == "__main__":\n'
)


def test_a_path_given_by_keyword_to_an_own_function_is_a_location() -> None:
    source = _SPLITTER + (
        "    make_folds(\n"
        '        source_locations="/mnt/share/shops/train.csv",\n'
        '        target_locations="/mnt/share/shops/train_folds.csv",\n'
        "        dev_size=5000,\n"
        "    )\n"
    )
    found = [f[:2] for f in _found(source, "make_folds.py")]
    assert ("MLN202", 11) in found and ("MLN202", 12) in found
    assert ("MLN201", 13) in found  # the hold-out size under its other name


def test_a_name_given_by_keyword_to_an_own_function_is_no_location() -> None:
    source = _SPLITTER + (
        '    make_folds(source_locations="shops", target_locations="folds", dev_size=None)\n'
    )
    assert [f for f in _found(source, "make_folds.py") if f[0] == "MLN202"] == []


@pytest.mark.parametrize("name", ["dev_size", "holdout_ratio", "validation_size"])
def test_the_hold_out_part_under_its_other_names(name: str) -> None:
    value = "0.15" if "ratio" in name else "2000"
    source = (
        f"def carve(rows, {name}):\n    return rows[: int({name})]\n\n\n"
        f"part = carve(list(range(100)), {name}={value})\n"
    )
    assert [f[:2] for f in _found(source)] == [("MLN201", 5)]


# -- a count capped by the size of its data ----------------------------------------------------


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        ("NearestNeighbors(n_neighbors=min(30, len(vectors)))", "n_neighbors=30"),
        ("NearestNeighbors(n_neighbors=min(len(vectors), 25))", "n_neighbors=25"),
    ],
)
def test_a_count_capped_by_len_is_the_literal(call: str, shown: str) -> None:
    source = (
        "from sklearn.neighbors import NearestNeighbors\n\n"
        "def index(vectors):\n"
        f"    finder = {call}\n"
        "    return finder.fit(vectors)\n"
    )
    found = [f for f in _found(source) if f[0] == "MLN201"]
    assert [f[1] for f in found] == [4]
    assert shown in found[0][2]


@pytest.mark.parametrize(
    "call",
    [
        "NearestNeighbors(n_neighbors=min(1, len(vectors)))",  # trivial
        "NearestNeighbors(n_neighbors=min(k, len(vectors)))",  # the count is a parameter
        "NearestNeighbors(n_neighbors=max(30, len(vectors)))",  # not a cap
        "vectors.sample(n=min(500, len(vectors)), random_state=k)",  # rows to look at
    ],
)
def test_a_cap_without_a_literal_count_is_silent(call: str) -> None:
    source = (
        "from sklearn.neighbors import NearestNeighbors\n\n"
        "def index(vectors, k):\n"
        f"    finder = {call}\n"
        "    return finder.fit(vectors)\n"
    )
    assert [f for f in _found(source) if f[0] == "MLN201"] == []
