"""MLN209 (round-12 preparation, after round 11 moved to dev): *a list of candidates handed to
the project's own tuning function is a search space written in the caller*. Fixtures written
here from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings

_SMOOTHER = (
    "import numpy as np\n"
    "\n"
    "\n"
    "def kernel_fit(x, y, width, shrink):\n"
    "    return np.exp(-x / width) * shrink, y\n"
    "\n"
    "\n"
    "class Study:\n"
    "    def __init__(self, frame, widths=(0.5,), shrinks=(1.0,), target=None):\n"
    "        self.frame = frame\n"
    "        self.widths = widths\n"
    "        self.shrinks = shrinks\n"
    "        self.target = target\n"
    "\n"
    "    def search_settings(self):\n"
    "        scores = {}\n"
    "        for width in self.widths:\n"
    "            for shrink in self.shrinks:\n"
    "                scores[(width, shrink)] = kernel_fit(self.frame, self.target, width, shrink)\n"
    "        return max(scores, key=scores.get)\n"
    "\n"
    "    def report(self, columns):\n"
    "        return [c for c in columns]\n"
    "\n"
    "\n"
    "def tune_bandwidth(frame, bandwidths):\n"
    "    return min(bandwidths, key=lambda b: kernel_fit(frame, None, b, 1.0)[0].sum())\n"
    "\n"
    "\n"
    "def summarise(frame, levels):\n"
    "    return [frame.mean() * level for level in levels]\n"
)

_RUN = (
    "import pandas as pd\n"
    "\n"
    "from smoother import Study, summarise, tune_bandwidth\n"
    "\n"
    "\n"
    "def main(source):\n"
    "    frame = pd.read_csv(source)\n"
    "    study = Study(\n"
    "        frame,\n"
    "        widths=[0.1, 0.3, 0.9],\n"
    "        shrinks=[0.5],\n"
    "        target='price',\n"
    "    )\n"
    "    best = study.search_settings()\n"
    "    study.report(['a', 'b'])\n"
    "    return best, summarise(frame, [2, 4, 8])\n"
    "\n"
    "\n"
    "def bandwidth(source):\n"
    "    frame = pd.read_csv(source)\n"
    "    for b in [0.2, 0.4]:\n"
    "        print(b)\n"
    "    return tune_bandwidth(frame, (0.05, 0.2, 0.8))\n"
)


def test_candidates_a_tuning_method_tries_are_one_space_in_the_caller(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"smoother.py": _SMOOTHER, "run.py": _RUN})
    spaces = [f for f in found if f[2] == "MLN209"]
    # `Study(...)`'s widths and shrinks are looped over by `search_settings` (a method named
    # for searching): one space at the first candidate list. `tune_bandwidth` hands its
    # parameter to `min` and loops over it in no `for` or comprehension: silent. `summarise`
    # loops over its levels but tunes nothing, a loop in the caller over values it only
    # prints is no search, and the unpassed defaults `(0.5,)` are not reported.
    assert spaces == [("run.py", 10, "MLN209", "")]
    assert [f for f in found if f[0] == "run.py" and f[2] != "MLN209"] == []


_LOOPING_TUNER = (
    "def tune_depth(rows, depths):\n"
    "    best = None\n"
    "    for depth in depths:\n"
    "        best = (depth, len(rows)) if best is None else best\n"
    "    return best\n"
)

_CALLER = (
    "from tuner import tune_depth\n"
    "\n"
    "\n"
    "def main(rows, fixed):\n"
    "    tune_depth(rows, fixed)\n"
    "    return tune_depth(rows, range(2, 12, 2))\n"
)


def test_a_tuning_function_looping_over_its_parameter_is_handed_a_space(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"tuner.py": _LOOPING_TUNER, "main.py": _CALLER})
    # the range of literals is the space; a name handed on (`fixed`) is the caller's caller's
    assert [f for f in found if f[0] == "main.py"] == [("main.py", 6, "MLN209", "")]
