"""MLN2xx classes of the round-10 preparation (issue 10): settings whose callers decide them.
Fixtures written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings


def _findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int | None, str, str]]:
    return params_findings(tmp_path, files)


# -- a static method called through its class is a function under the class's name ----------

_TRAINERS = (
    "from sklearn.model_selection import train_test_split\n"
    "\n"
    "\n"
    "class Trainers:\n"
    "    @staticmethod\n"
    "    def ridge(frame, alpha_value=None, holdout=0.25, random_state=7):\n"
    "        return train_test_split(frame, test_size=holdout, random_state=random_state)\n"
    "\n"
    "    @classmethod\n"
    "    def forest(cls, frame, n_estimators=None, test_size=0.3, seed=5):\n"
    "        return frame, n_estimators, test_size, seed\n"
    "\n"
    "    @staticmethod\n"
    "    def unused(frame, test_size=0.15, random_state=3):\n"
    "        return frame\n"
    "\n"
    "    def bound(self, frame, test_size=0.1, random_state=9):\n"
    "        return frame\n"
)

_RUNNER = (
    "from trainers import Trainers\n"
    "\n"
    "\n"
    "def main(frame):\n"
    "    for alpha in (0.1, 1.0):\n"
    "        Trainers.ridge(frame, alpha_value=alpha)\n"
    "    Trainers.forest(frame, n_estimators=200, seed=11)\n"
    "    Trainers().bound(frame)\n"
)


def test_static_and_class_method_defaults_no_call_overrides(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"trainers.py": _TRAINERS, "runner.py": _RUNNER})
    relied = [f for f in found if f[0] == "trainers.py"]
    # `ridge`'s holdout share and seed, `forest`'s test share (its call passes the seed);
    # a static method nobody calls and an instance method (`bound`: the call goes through an
    # instance, not the class's name) stay silent
    assert relied == [
        ("trainers.py", 6, "MLN201", "0.25"),
        ("trainers.py", 6, "MLN203", "7"),
        ("trainers.py", 10, "MLN201", "0.3"),
    ]


# -- a bound on a column that makes the label is a cut-off ---------------------------------

_LABELS = (
    "import numpy as np\n"
    "import pandas as pd\n"
    "\n"
    "\n"
    "def prepare(path):\n"
    "    frame = pd.read_csv(path)\n"
    "    frame['target'] = (frame['stars'] >= 4).astype(int)\n"
    "    labels = np.where(frame.rating > 3, 1, 0)\n"
    "    frame['is_long'] = frame['length'] > 200\n"
    "    frame['label'] = (frame['votes'] > 0).astype(int)\n"
    "    return frame, labels\n"
)


def test_a_bound_that_makes_the_label_is_a_cut_off(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"src/prepare.py": _LABELS})
    # the two label cut-offs; a bound that makes a feature (`is_long`) and a sign test
    # (`votes > 0`) stay silent
    assert found == [
        ("src/prepare.py", 7, "MLN204", "4"),
        ("src/prepare.py", 8, "MLN204", "3"),
    ]


# -- how far back the data reaches is a setting of the data --------------------------------

_INGEST = (
    "import pandas as pd\n"
    "\n"
    "LOOKBACK_HOURS = 72\n"
    "\n"
    "\n"
    "def fetch(symbol, days_back=30):\n"
    "    return pd.DataFrame({'symbol': [symbol]}), days_back\n"
    "\n"
    "\n"
    "def build(symbol):\n"
    "    frame, _ = fetch(symbol, days_back=45)\n"
    "    frame['smooth'] = frame['price'].rolling(window=20).mean()\n"
    "    return frame\n"
)


def test_a_history_window_is_a_setting_of_the_data(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"src/ingest.py": _INGEST})
    # the window constant and the window the build passes; the default some call overrides
    # and a feature's smoothing window stay silent
    assert found == [
        ("src/ingest.py", 3, "MLN201", "72"),
        ("src/ingest.py", 11, "MLN201", "45"),
    ]


# -- a partitioned layout is a data location ------------------------------------------------

_UPLOAD = (
    "import logging\n"
    "\n"
    "\n"
    "def upload(client, bucket, day, hour, body):\n"
    "    key = f'scores/day={day}/hour={hour}/part.parquet'\n"
    "    client.put_object(Bucket=bucket, Key=key, Body=body)\n"
    "    uri = f's3://{bucket}/audit/day={day}/log.json'\n"
    "    logging.info(f'uploaded day={day} to {uri}')\n"
    "    query = f'select * from scores where day={day}'\n"
    "    link = f'https://example.org/api/day={day}'\n"
    "    return uri, query, link, f'{bucket}/{day}={hour}'\n"
)


def test_a_partitioned_layout_is_a_data_location(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"src/upload.py": _UPLOAD})
    # the two partitioned keys (also under a bucket from a name); a message, a query, a web
    # address and a key without a literal folder stay silent
    assert [(f[1], f[2]) for f in found] == [(5, "MLN202"), (7, "MLN202")]


# -- a dict handed whole to a listed optimiser holds its settings ---------------------------

_SWARM = (
    "import pyswarms as ps\n"
    "\n"
    "\n"
    "def search(cost, dims):\n"
    "    options = {'c1': 0.7, 'c2': 0.4, 'w': 0.8, 'n_jobs': 4}\n"
    "    labels = {'low': 3, 'high': 9}\n"
    "    swarm = ps.single.GlobalBestPSO(\n"
    "        n_particles=30, dimensions=dims, options=options, ftol=1e-4, ftol_iter=12\n"
    "    )\n"
    "    return swarm.optimize(cost, iters=100), labels\n"
)


def test_a_dict_handed_whole_to_an_optimiser_holds_its_settings(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"src/search.py": _SWARM})
    # the swarm's three coefficients, its particle count and patience; the worker count, the
    # tolerance and a dict no listed call receives stay silent
    assert sorted((f[1], f[3]) for f in found) == [
        (5, "0.4"),
        (5, "0.7"),
        (5, "0.8"),
        (8, "12"),
        (8, "30"),
    ]


# -- a method named so no library shares it is tied to its calls by name ---------------------

_PROCESSOR = (
    "class Processor:\n"
    "    def prepare_split(self, frame, test_size=0.25, random_state=13):\n"
    "        return frame, test_size, random_state\n"
    "\n"
    "    def tune_model(self, frame, n_estimators=80, learning_rate=0.3):\n"
    "        return frame, n_estimators, learning_rate\n"
    "\n"
    "    def train(self, frame, epochs=40):\n"
    "        return self.tune_model(frame, learning_rate=0.1), epochs\n"
    "\n"
    "    def never_called(self, frame, test_size=0.35):\n"
    "        return frame\n"
)

_FLOW = (
    "from processor import Processor\n"
    "\n"
    "\n"
    "def flow(frame, model):\n"
    "    processor = Processor()\n"
    "    parts = processor.prepare_split(frame, random_state=5)\n"
    "    model.train()\n"
    "    return parts, processor.train(frame, 12)\n"
)


def test_a_method_with_a_distinct_name_is_tied_to_its_calls(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"processor.py": _PROCESSOR, "flow.py": _FLOW})
    relied = [f[1:] for f in found if f[0] == "processor.py"]
    # the split share and the tree count no call passes (the learning rate its call passes is
    # reported there); `train` is a name libraries share (`model.train()` of torch), so its
    # default stays silent; a method nobody calls too
    assert relied == [(2, "MLN201", "0.25"), (5, "MLN201", "80"), (9, "MLN201", "0.1")]


# -- a module's own entry point runs its functions as it calls them --------------------------

_CLEAN = (
    "import pandas as pd\n"
    "\n"
    "\n"
    "class Net:\n"
    "    def __init__(self, dropout=0.3):\n"
    "        self.dropout = dropout\n"
    "\n"
    "\n"
    "def clean(src='data/raw/rows.csv', dst='data/interim/rows.csv', test_size=0.2):\n"
    "    pd.read_csv(src).to_csv(dst)\n"
    "    return test_size\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    clean(test_size=0.3)\n"
    "    Net()\n"
)

_EXPLORE = (
    "from clean import Net, clean\n"
    "\n"
    "clean(src='../data/raw/rows.csv', dst='../data/interim/rows.csv')\n"
    "net = Net(dropout=0.1)\n"
)


def test_a_modules_own_entry_point_runs_its_defaults(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"src/clean.py": _CLEAN, "src/explore.py": _EXPLORE})
    relied = [f[1:] for f in found if f[0] == "src/clean.py"]
    # `python clean.py` reads and writes the default folders, whatever another caller passes;
    # a class built in the entry point (a smoke test as often) keeps the other callers' rule
    assert [(line, rule) for line, rule, _ in relied] == [
        (9, "MLN202"),
        (9, "MLN202"),
        (15, "MLN201"),
    ]
