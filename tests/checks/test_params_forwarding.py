"""MLN201/203 across modules (issue 10): a parameter of a project function handed untouched to
a library keyword means that keyword in every module that calls the function. Fixtures
written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings, write_tree

from mlnudge.config import build_config
from mlnudge.runner import run

_MODEL = (
    "from sklearn.ensemble import GradientBoostingRegressor\n"
    "from torch import optim\n"
    "\n"
    "\n"
    "def make_booster(depth, trees, rate, state):\n"
    "    return GradientBoostingRegressor(\n"
    "        max_depth=depth, n_estimators=trees, learning_rate=rate, random_state=state\n"
    "    )\n"
    "\n"
    "\n"
    "def make_optimiser(net, step):\n"
    "    return optim.SGD(net.parameters(), lr=step)\n"
    "\n"
    "\n"
    "class Forest:\n"
    "    def __init__(self, n_trees, label):\n"
    "        from sklearn.ensemble import RandomForestClassifier\n"
    "\n"
    "        self.model = RandomForestClassifier(n_estimators=n_trees)\n"
    "        self.label = label\n"
)

_TRAIN = (
    "import pandas as pd\n"
    "\n"
    "import model as m\n"
    "from model import Forest, make_booster\n"
    "\n"
    "\n"
    "def main(net):\n"
    "    frame = pd.read_csv(net)\n"
    "    booster = make_booster(depth=6, trees=400, rate=0.05, state=11)\n"
    "    sgd = m.make_optimiser(net, step=0.02)\n"
    "    forest = Forest(250, label='churn')\n"
    "    return frame, booster, sgd, forest\n"
)


def test_a_keyword_of_an_imported_project_function_means_what_it_feeds(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"model.py": _MODEL, "train.py": _TRAIN})
    # the values handed to `make_booster`, `m.make_optimiser` and `Forest` (positionally)
    # are the booster's, the optimiser's and the forest's settings; the label is no setting
    assert [f for f in found if f[0] == "train.py"] == [
        ("train.py", 9, "MLN201", "0.05"),
        ("train.py", 9, "MLN201", "400"),
        ("train.py", 9, "MLN201", "6"),
        ("train.py", 9, "MLN203", "11"),
        ("train.py", 10, "MLN201", "0.02"),
        ("train.py", 11, "MLN201", "250"),
    ]


_OTHER_MODEL = (
    "from sklearn.linear_model import Ridge\n"
    "\n"
    "\n"
    "def make_booster(width, trees, rate, state):\n"
    "    return Ridge(alpha=rate)\n"
)

_ELSEWHERE = (
    "from vendor.tools import make_booster\n"
    "\n"
    "\n"
    "def run():\n"
    "    return make_booster(depth=6, trees=400, rate=0.05, state=11)\n"
)


def test_a_name_two_modules_define_or_a_module_elsewhere_says_nothing(tmp_path: Path) -> None:
    # `make_booster` is defined twice: which one a call reaches is not certain
    twice = params_findings(
        tmp_path / "twice",
        {"model.py": _MODEL, "legacy/model.py": _OTHER_MODEL, "train.py": _TRAIN},
    )
    assert [f for f in twice if f[0] == "train.py" and f[1] == 9] == []
    # imported from a module that is not the defining one: another function of that name
    elsewhere = params_findings(tmp_path / "elsewhere", {"model.py": _MODEL, "run.py": _ELSEWHERE})
    assert [f for f in elsewhere if f[0] == "run.py"] == []


def _cached(root: Path, files: dict[str, str]) -> list[tuple[str, int | None, str, str]]:
    write_tree(root, files)
    report = run(root, build_config({}), families=["params"], use_cache=True)
    return sorted(
        (f.path, f.line, f.rule, str(f.details.get("value", ""))) for f in report.findings
    )


def test_an_edit_of_the_defining_module_reaches_the_callers_cached_findings(
    tmp_path: Path,
) -> None:
    files = {"model.py": _MODEL, "train.py": _TRAIN}
    assert ("train.py", 10, "MLN201", "0.02") in _cached(tmp_path, files)
    # `step` no longer reaches the optimiser: the unchanged caller's result changes too
    files["model.py"] = _MODEL.replace("optim.SGD(net.parameters(), lr=step)", "print(step)")
    assert ("train.py", 10, "MLN201", "0.02") not in _cached(tmp_path, files)


_REDUCE = (
    "from sklearn.decomposition import TruncatedSVD\n"
    "from sklearn.model_selection import KFold\n"
    "\n"
    "\n"
    "def shrink(frame, parts, note):\n"
    "    print(note)\n"
    "    return TruncatedSVD(n_components=parts).fit_transform(frame)\n"
    "\n"
    "\n"
    "def splits(frame, k):\n"
    "    return KFold(k).split(frame)\n"
)

_PIPELINE = (
    "from reduce import shrink, splits\n"
    "\n"
    "WIDTH = 120\n"
    "PARTS = 7\n"
    "BANNER = 3\n"
    "\n"
    "\n"
    "def main(frame):\n"
    "    small = shrink(frame, WIDTH, BANNER)\n"
    "    return list(splits(small, PARTS))\n"
)


def test_a_constant_handed_to_a_project_functions_setting_is_that_setting(
    tmp_path: Path,
) -> None:
    found = params_findings(tmp_path, {"reduce.py": _REDUCE, "pipeline.py": _PIPELINE})
    # `WIDTH` lands in `shrink`'s `parts`, which is TruncatedSVD's `n_components`; `PARTS` in
    # `splits`' `k`, KFold's first positional (`n_splits`); `BANNER` is only printed
    assert [f for f in found if f[0] == "pipeline.py"] == [
        ("pipeline.py", 3, "MLN201", "120"),
        ("pipeline.py", 4, "MLN201", "7"),
    ]


_WRAPPER = (
    "from dataclasses import dataclass\n"
    "\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from torch import optim\n"
    "\n"
    "\n"
    "@dataclass\n"
    "class Settings:\n"
    "    leaves = 31\n"
    "\n"
    "\n"
    "class Churn:\n"
    "    n_trees = 300\n"
    "    title = 4\n"
    "\n"
    "    def __init__(self, net):\n"
    "        self.net = net\n"
    "        self.step = 0.003\n"
    "        self.pages = 12\n"
    "\n"
    "    def fit(self, x, y, settings):\n"
    "        forest = RandomForestClassifier(\n"
    "            n_estimators=self.n_trees, max_leaf_nodes=settings.leaves\n"
    "        )\n"
    "        sgd = optim.SGD(self.net.parameters(), lr=self.step)\n"
    "        print(self.title, self.pages)\n"
    "        return forest.fit(x, y), sgd\n"
)


def test_an_attribute_bound_to_a_literal_and_handed_to_a_setting_is_that_setting(
    tmp_path: Path,
) -> None:
    found = params_findings(tmp_path, {"churn.py": _WRAPPER})
    # the class attribute read as the forest's size and the instance attribute read as the
    # optimiser's step; the config class's field stays configuration, printed ones say nothing
    assert found == [
        ("churn.py", 13, "MLN201", "300"),
        ("churn.py", 18, "MLN201", "0.003"),
    ]


_DICT_OF_NAMES = (
    "import xgboost as xgb\n"
    "\n"
    "TREES = 400\n"
    "DEPTH = 7\n"
    "NAME = 'run'\n"
    "WIDTH = 12\n"
    "\n"
    "\n"
    "def main(frame, target):\n"
    "    params = {'n_estimators': TREES, 'max_depth': DEPTH, 'tag': NAME}\n"
    "    print(WIDTH)\n"
    "    return xgb.XGBRegressor(**params).fit(frame, target)\n"
)


def test_a_constant_under_a_settings_key_is_that_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"boost.py": _DICT_OF_NAMES})
    # the constants put under the booster's keys, reported where they are bound
    assert found == [("boost.py", 3, "MLN201", "400"), ("boost.py", 4, "MLN201", "7")]


def test_a_function_a_package_re_exports_is_the_one_its_module_defines(tmp_path: Path) -> None:
    files = {
        "src/__init__.py": "",
        "src/models/__init__.py": "from .network import make_model\n",
        "src/models/network.py": (
            "from sklearn.ensemble import GradientBoostingClassifier\n"
            "\n"
            "\n"
            "def make_model(depth):\n"
            "    return GradientBoostingClassifier(max_depth=depth)\n"
        ),
        "src/train.py": (
            "from src.models import make_model\n"
            "\n"
            "\n"
            "def main(frame, target):\n"
            "    return make_model(depth=4).fit(frame, target)\n"
        ),
    }
    found = params_findings(tmp_path, files)
    assert [f for f in found if f[0] == "src/train.py"] == [("src/train.py", 5, "MLN201", "4")]


_WRAPPED = (
    "from xgboost import XGBClassifier\n"
    "\n"
    "\n"
    "class Booster:\n"
    "    def __init__(self, depth, trees, label):\n"
    "        self.depth = depth\n"
    "        self.trees = trees\n"
    "        self.label = label\n"
    "\n"
    "    def fit(self, frame):\n"
    "        model = XGBClassifier(max_depth=self.depth, n_estimators=self.trees)\n"
    "        return model.fit(frame.drop(columns=self.label), frame[self.label])\n"
)


def test_a_parameter_a_class_keeps_and_hands_to_a_setting_is_that_setting(
    tmp_path: Path,
) -> None:
    # in the defining module and in a module that imports the class
    here = (
        _WRAPPED
        + "\n\ndef main(frame):\n    return Booster(depth=5, trees=250, label=3).fit(frame)\n"
    )
    there = (
        "from booster import Booster\n"
        "\n"
        "\n"
        "def main(frame):\n"
        "    return Booster(8, 600, 2).fit(frame)\n"
    )
    found = params_findings(tmp_path, {"booster.py": here, "run.py": there})
    # `depth` and `trees` are kept as attributes that `fit` hands to the booster; `label`
    # only selects a column
    assert found == [
        ("booster.py", 16, "MLN201", "250"),
        ("booster.py", 16, "MLN201", "5"),
        ("run.py", 5, "MLN201", "600"),
        ("run.py", 5, "MLN201", "8"),
    ]


_SCRIPT_BUILDER = (
    "from sklearn.ensemble import RandomForestRegressor\n"
    "\n"
    "\n"
    "def build_forest(features, target, in_depth=None, in_trees=100):\n"
    "    forest = RandomForestRegressor(max_depth=in_depth, n_estimators=in_trees)\n"
    "    return forest.fit(features, target)\n"
)

_TWIN_NODE = (
    "from sklearn.ensemble import RandomForestRegressor\n"
    "\n"
    "\n"
    "def build_forest(features, target, options):\n"
    "    return RandomForestRegressor(**options).fit(features, target)\n"
)

_SCRIPT_RUN = (
    "import pandas as pd\n"
    "from modelling.builders import build_forest\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    frame = pd.read_csv(__file__)\n"
    "    forest = build_forest(frame, frame.pop('y'), in_depth=9, in_trees=320)\n"
)


def test_a_name_several_modules_define_is_the_one_the_import_names(tmp_path: Path) -> None:
    """A script pipeline beside its pipeline-framework twin defines `build_forest` twice; the
    script imports it from `modelling.builders`: that module's parameters are what the call's
    values mean (the twin's `options` says nothing about them)."""
    found = params_findings(
        tmp_path / "named",
        {
            "scripts/modelling/builders.py": _SCRIPT_BUILDER,
            "framework/src/flow/nodes.py": _TWIN_NODE,
            "scripts/run.py": _SCRIPT_RUN,
        },
    )
    assert [f for f in found if f[0] == "scripts/run.py"] == [
        ("scripts/run.py", 6, "MLN201", "320"),
        ("scripts/run.py", 6, "MLN201", "9"),
    ]
    # two modules of the same name and package: the import tells them apart no more
    same = params_findings(
        tmp_path / "same",
        {
            "a/modelling/builders.py": _SCRIPT_BUILDER,
            "b/modelling/builders.py": _SCRIPT_BUILDER.replace("max_depth", "min_samples_leaf"),
            "a/run.py": _SCRIPT_RUN,
        },
    )
    assert [f for f in same if f[0] == "a/run.py"] == []
