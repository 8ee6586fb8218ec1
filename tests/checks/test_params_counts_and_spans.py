"""MLN201 on the data-set size a step count is computed from (``steps_per_epoch=150 // bs``)
and on the span a chronological split trains on (``split_date = start + timedelta(days=8 * 7)``);
MLN204 on a row count under its name (``stats["total_rows"] < 100``).
Fixtures written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings

_FIT = (
    "import math\n"
    "\n"
    "from keras.models import Sequential\n"
    "\n"
    "\n"
    "def train(flow, val_flow, batch_size, epochs):\n"
    "    net = Sequential()\n"
    "    net.compile(loss='mse', optimizer='sgd')\n"
    "    net.fit(\n"
    "        flow,\n"
    "        epochs=epochs,\n"
    "        steps_per_epoch=2400 // batch_size,\n"
    "        validation_data=val_flow,\n"
    "        validation_steps=math.ceil(300 / batch_size),\n"
    "    )\n"
    "\n"
    "\n"
    "def tune(flow, samples, batch_size):\n"
    "    net = Sequential()\n"
    "    net.fit(flow, steps_per_epoch=len(samples) // batch_size, validation_steps=1)\n"
    "    net.fit(flow, steps_per_epoch=samples // 8)\n"
)


def test_a_data_set_size_written_into_a_step_count_is_a_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"train.py": _FIT})
    # the literal sizes of the training and validation sets go stale when the data changes;
    # a size counted from the data (``len(samples)``) and a literal divisor are not it
    assert found == [
        ("train.py", 12, "MLN201", "2400"),
        ("train.py", 14, "MLN201", "300"),
    ]


_WINDOW = (
    "from datetime import timedelta\n"
    "\n"
    "\n"
    "def split(frame, today):\n"
    "    split_day = frame['day'].min() + timedelta(days=6 * 7)\n"
    "    recent = today - timedelta(days=30)\n"
    "    next_split_day = split_day + timedelta(days=1)\n"
    "    train = frame[frame['day'] <= split_day]\n"
    "    return train, frame[frame['day'] > split_day], recent, next_split_day\n"
)


def test_the_span_a_chronological_split_trains_on_is_a_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"split.py": _WINDOW})
    # the literal span before a split's cut date is how much history the model sees; a
    # date not named for a split and a one-day step are not
    assert found == [("split.py", 5, "MLN201", "6 * 7")]


_ALERTS = (
    "def alerts(stats, batch):\n"
    "    found = []\n"
    "    if stats['total_rows'] < 500:\n"
    "        found.append('too little data')\n"
    "    if batch.n_samples >= 20:\n"
    "        found.append('enough')\n"
    "    if stats['total_rows'] < 5:\n"
    "        found.append('tiny')\n"
    "    if stats['n_columns'] > 300:\n"
    "        found.append('wide')\n"
    "    return found\n"
)


def test_a_row_count_under_its_name_is_a_size_check(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"monitor.py": _ALERTS})
    # a count of rows compared with a literal decides as ``len(df) < 500`` does; a count
    # under ten is a guard, and a count of columns is the data's shape
    assert found == [("monitor.py", 3, "MLN204", "500"), ("monitor.py", 5, "MLN204", "20")]
