"""MLN1xx: repository structure — look-alikes, profiles, layouts, the team standard, and the
labelled set of realistic trees in ``tests/fixtures/structure``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import git_repo, notebook, write_tree

from mlnudge.checks.structure import RULES, structure_state
from mlnudge.checks.structure.layouts import detect_layouts
from mlnudge.config import ConfigError, build_config, load_config
from mlnudge.facts.repo import Repo
from mlnudge.finding import Finding, Severity
from mlnudge.project import detect
from mlnudge.runner import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "structure"
LABELLED = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").is_file())

NB = notebook("import pandas as pd\ndf = pd.read_csv('x.csv')")
TEST = "def test_it():\n    assert True\n"
PROJECT = '[project]\nname = "churn"\nversion = "0.1"\ndependencies = ["pandas>=2.1"]\n'
LIBRARY = PROJECT + 'classifiers = ["Programming Language :: Python :: 3"]\n'

#: a tidy application: every item present, so a test adds or removes exactly one thing
TIDY_APP: dict[str, str] = {
    "README.md": "# churn\n",
    "pyproject.toml": PROJECT,
    "uv.lock": "version = 1\n",
    "params.yaml": "train: {lr: 0.1}\n",
    "src/churn/__init__.py": "",
    "src/churn/train.py": "def main():\n    pass\n",
    "tests/test_train.py": TEST,
    "notebooks/eda.ipynb": NB,
    ".github/workflows/ci.yml": "on: push\n",
    ".pre-commit-config.yaml": "repos: []\n",
}
#: a tidy library
TIDY_LIB: dict[str, str] = {
    "README.md": "# geo\n",
    "pyproject.toml": LIBRARY,
    "src/geo/__init__.py": "",
    "src/geo/distance.py": "def haversine():\n    pass\n",
    "tests/test_distance.py": TEST,
    ".github/workflows/ci.yml": "on: push\n",
    ".pre-commit-config.yaml": "repos: []\n",
}


def _run(root: Path, table: Mapping[str, Any] | None = None, **kwargs: Any) -> tuple[Finding, ...]:
    return run(
        root, build_config(table or {}), families=["structure"], use_cache=False, **kwargs
    ).findings


def found(
    tmp_path: Path,
    files: Mapping[str, str | bytes],
    table: Mapping[str, Any] | None = None,
    *,
    drop: tuple[str, ...] = (),
) -> set[tuple[str, str]]:
    """``(rule, path)`` of the structure findings on ``files`` (minus ``drop``)."""
    tree = {k: v for k, v in files.items() if k not in drop}
    return {(f.rule, f.path) for f in _run(write_tree(tmp_path / "repo", tree), table)}


def test_tidy_trees_have_no_findings(tmp_path: Path) -> None:
    assert found(tmp_path / "a", TIDY_APP) == set()
    assert found(tmp_path / "b", TIDY_LIB) == set()


# -- the labelled set ----------------------------------------------------------------------------


def _materialise(name: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Copy a fixture tree out of this repository's git work tree (so discovery walks it) and
    create its large files, which are never committed."""
    meta: dict[str, Any] = json.loads((FIXTURES / name / "expected.json").read_text("utf-8"))
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    (root / "expected.json").unlink()
    for rel, size in meta.get("generate", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x" * size)
    return root, meta


def _labelled_findings(name: str, tmp_path: Path) -> tuple[set[tuple[str, str]], dict[str, Any]]:
    root, meta = _materialise(name, tmp_path)
    report = run(root, load_config(root), families=["structure"], use_cache=False)
    return {(f.rule, f.path) for f in report.findings}, meta


@pytest.mark.parametrize("name", LABELLED)
def test_labelled_tree_gives_exactly_the_expected_findings(name: str, tmp_path: Path) -> None:
    got, meta = _labelled_findings(name, tmp_path)
    assert got == {tuple(pair) for pair in meta["expected"]}, meta["description"]


@pytest.mark.parametrize("name", LABELLED)
def test_labelled_tree_profile_and_layout(name: str, tmp_path: Path) -> None:
    root, meta = _materialise(name, tmp_path)
    repo = Repo.discover(root, load_config(root))
    project = detect(repo)
    assert project.profile == meta["profile"], project.profile_reason
    assert detect_layouts(repo, project.packages)[0].name == meta["layout"]


def test_labelled_set_precision_and_recall(tmp_path: Path) -> None:
    """Over the labelled set: expected findings found (recall), false alarms (precision)."""
    counts = {"dev": [0, 0, 0, 0], "held-out": [0, 0, 0, 0]}  # trees, found, missed, false alarms
    for name in LABELLED:
        got, meta = _labelled_findings(name, tmp_path)
        expected = {tuple(pair) for pair in meta["expected"]}
        row = counts[meta.get("set", "dev")]
        row[0] += 1
        row[1] += len(got & expected)
        row[2] += len(expected - got)
        row[3] += len(got - expected)
    for label, (trees, hits, missed, alarms) in counts.items():
        print(
            f"\nstructure labelled set ({label}): {trees} trees, {hits + missed} expected "
            f"findings, {hits} found, {missed} missed, {alarms} false alarms"
        )
    true_pos, false_neg, false_pos = (sum(row[i] for row in counts.values()) for i in (1, 2, 3))
    precision = true_pos / ((true_pos + false_pos) or 1)
    recall = true_pos / ((true_pos + false_neg) or 1)
    print(f"structure labelled set (all): precision {precision:.2f}, recall {recall:.2f}")
    assert len(LABELLED) >= 12 and counts["held-out"][0] >= 5
    assert true_pos >= 40  # the set must hold enough expected findings to mean something
    assert precision >= 0.95
    assert recall >= 0.9


def test_known_layouts_are_all_in_the_labelled_set() -> None:
    layouts = {
        json.loads((FIXTURES / name / "expected.json").read_text("utf-8"))["layout"]
        for name in LABELLED
    }
    assert {
        "src",
        "flat",
        "cookiecutter-data-science",
        "kedro",
        "lightning-hydra",
        "dvc",
    } <= layouts


# -- tests (MLN101) ------------------------------------------------------------------------------

CODE = {"README.md": "# x\n", "src/churn/__init__.py": "", "src/churn/features.py": "x = 1\n"}


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        ({"tests/test_a.py": TEST}, False),
        ({"test/test_a.py": TEST}, False),
        ({"src/tests/test_run.py": TEST}, False),  # Kedro 0.18
        ({"src/churn/features_test.py": TEST}, False),
        ({"tests/test_a.py": "class TestA:\n    def test_x(self):\n        pass\n"}, False),
        (
            {
                "tests/test_a.py": "import unittest\n\nclass A(unittest.TestCase):\n"
                "    def test_x(self):\n        pass\n"
            },
            False,
        ),
        ({"tests/test_a.py": "async def test_x():\n    pass\n"}, False),
        ({"tests/test_broken.py": "def test_x(:\n"}, False),  # unparseable: benefit of the doubt
        # look-alikes
        ({"test_environment.py": "def main():\n    pass\n"}, True),  # cookiecutter version check
        ({"predict-test.py": "import requests\nrequests.post('http://x')\n"}, True),  # HTTP client
        ({"tests/__init__.py": "", "tests/helpers.py": "def make():\n    pass\n"}, True),
        ({"tests/test_a.py": "class TestA:\n    def helper(self):\n        pass\n"}, True),
        ({"tests/.gitkeep": ""}, True),
        ({"tests/check_a.py": TEST}, True),  # pytest's default python_files do not match
        ({".hidden/test_a.py": TEST}, True),  # pytest does not recurse into dot-folders
    ],
)
def test_test_suite_detection(tmp_path: Path, files: dict[str, str], missing: bool) -> None:
    got = found(tmp_path, {**CODE, **files}, {"select": ["MLN101"]})
    assert got == ({("MLN101", "tests/")} if missing else set())


def test_lookalike_test_file_is_named_in_the_message(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**CODE, "test_environment.py": "def main():\n    pass\n"})
    (finding,) = _run(root, {"select": ["MLN101"]})
    assert "`test_environment.py` is named like a test but defines no test pytest can run" in (
        finding.message
    )


@pytest.mark.parametrize(
    ("config_file", "content", "missing"),
    [
        ("pyproject.toml", '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', True),
        ("pyproject.toml", '[tool.pytest.ini_options]\ntestpaths = ["src"]\n', False),
        ("pyproject.toml", '[tool.pytest]\ntestpaths = ["tests"]\n', True),  # pytest 9 native
        ("pytest.ini", "[pytest]\ntestpaths = tests\n", True),
        ("tox.ini", "[pytest]\ntestpaths = tests other\n", True),
        ("tox.ini", "[flake8]\nmax-line-length = 99\n", False),  # not pytest's section
        ("setup.cfg", "[tool:pytest]\ntestpaths = tests\n", True),
        ("setup.cfg", "[tool:pytest]\npython_files = check_*.py\n", True),
    ],
)
def test_pytest_configuration_is_respected(
    tmp_path: Path, config_file: str, content: str, missing: bool
) -> None:
    """Tests live in ``src/churn/tests``; ``tests/`` exists but holds no test module."""
    files = {
        **CODE,
        "src/churn/tests/test_features.py": TEST,
        "tests/__init__.py": "",
        config_file: content,
    }
    got = found(tmp_path, files, {"select": ["MLN101"]})
    assert got == ({("MLN101", "tests/")} if missing else set())


def test_testpaths_matching_nothing_fall_back_to_the_root(tmp_path: Path) -> None:
    """pytest ignores testpaths that match nothing and collects from the root (nested ``tests``
    folders do not make ``testpaths = tests`` match)."""
    files = {
        **CODE,
        "src/churn/tests/test_f.py": TEST,
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    }
    assert found(tmp_path, files, {"select": ["MLN101"]}) == set()


def test_testpaths_message_says_where_pytest_looks(tmp_path: Path) -> None:
    files = {
        **CODE,
        "src/churn/tests/test_f.py": TEST,
        "tests/__init__.py": "",
        "pytest.ini": "[pytest]\ntestpaths = tests\n",
    }
    (finding,) = _run(write_tree(tmp_path, files), {"select": ["MLN101"]})
    assert "`src/churn/tests/test_f.py`" in finding.message and "`pytest.ini`" in finding.message


def test_custom_python_files_pattern_counts(tmp_path: Path) -> None:
    files = {
        **CODE,
        "tests/check_a.py": TEST,
        "pytest.ini": "[pytest]\npython_files = check_*.py\n",
    }
    assert found(tmp_path, files, {"select": ["MLN101"]}) == set()


def test_kedro_018_expects_tests_in_src(tmp_path: Path) -> None:
    files = {
        "src/setup.py": "from setuptools import setup\nsetup(name='iris')\n",
        "pyproject.toml": '[tool.kedro]\npackage_name = "iris"\n',
        "conf/base/parameters.yml": "a: 1\n",
        "src/iris/__init__.py": "",
        "src/iris/pipeline_registry.py": "",
    }
    assert ("MLN101", "src/tests/") in found(tmp_path, files)


# -- notebooks (MLN102) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notebooks", "table", "expected"),
    [
        (["notebooks/a.ipynb", "notebooks/sub/b.ipynb"], {}, set()),
        (["eda.ipynb", "analysis/m.ipynb"], {}, {"eda.ipynb", "analysis/m.ipynb"}),
        (["projects/a/notebooks/x.ipynb"], {}, set()),  # a sub-project's notebooks folder
        (["docs/tutorial.ipynb", "examples/demo.ipynb"], {}, set()),  # documentation
        (["analysis/a.ipynb"], {"notebooks-dir": "analysis"}, set()),
        (["notebooks/a.ipynb"], {"notebooks-dir": "analysis/"}, {"notebooks/a.ipynb"}),
        ([], {}, set()),  # no notebooks, no notebook nudge
    ],
)
def test_notebooks_kept_together(
    tmp_path: Path, notebooks: list[str], table: dict[str, str], expected: set[str]
) -> None:
    files = {k: v for k, v in TIDY_APP.items() if not k.endswith(".ipynb")}
    files |= dict.fromkeys(notebooks, NB)
    got = found(tmp_path, files, {**table, "select": ["MLN102"]})
    assert got == {("MLN102", nb) for nb in expected}


def test_notebook_checkpoints_never_count(tmp_path: Path) -> None:
    files = {**TIDY_APP, ".ipynb_checkpoints/eda-checkpoint.ipynb": NB}
    files["notebooks/.ipynb_checkpoints/eda-checkpoint.ipynb"] = NB
    root = git_repo(tmp_path, files)  # tracked by git on purpose
    assert {(f.rule, f.path) for f in _run(root)} == set()
    assert "notebooks-together" in structure_state(*_facts(root))


def test_a_library_is_not_asked_to_keep_notebooks_together(tmp_path: Path) -> None:
    files = {**TIDY_LIB, "scratch.ipynb": NB}
    repo = Repo.discover(write_tree(tmp_path, files), build_config({"profile": "library"}))
    assert detect(repo).profile == "library"
    assert _run(tmp_path, {"profile": "library"}) == ()


def test_notebook_fix_names_the_move(tmp_path: Path) -> None:
    (finding,) = _run(write_tree(tmp_path, {**TIDY_APP, "lab/eda.ipynb": NB}))
    assert finding.fix == "Move it: `git mv 'lab/eda.ipynb' 'notebooks/eda.ipynb'`."
    assert finding.anchor == "lab/eda.ipynb"


# -- parameter file (MLN103) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "missing"),
    [
        ({"params.yaml": "a: 1\n"}, False),
        ({"dvc.yaml": "stages: {}\n", "params.yaml": "a: 1\n"}, False),  # the DVC convention
        ({"conf/base/parameters.yml": "a: 1\n"}, False),  # Kedro
        ({"configs/train.yaml": "a: 1\n"}, False),  # Hydra
        ({"conf/config.yaml": "defaults: []\n"}, False),  # Hydra's conf/
        ({"config.toml": "[train]\nlr = 0.1\n"}, False),
        ({"train_config.json": "{}\n"}, False),
        ({"MLproject": "name: churn\n"}, False),
        # look-alikes: none of these is a parameter file
        ({"bentofile.yaml": "service: svc:Svc\n"}, True),
        ({"dvc.yaml": "stages: {}\n", "dvc.lock": "schema: '2.0'\n"}, True),
        ({".github/workflows/train.yml": "on: push\n"}, True),
        ({".gitlab-ci.yml": "test: {script: [pytest]}\n"}, True),
        ({"environment.yml": "dependencies: [pandas]\n"}, True),
        ({".pre-commit-config.yaml": "repos: []\n"}, True),
        ({"tests/fixtures/params.yaml": "a: 1\n"}, True),
        # a downloaded model's config.json beside its weights describes the artifact
        ({"model/config.json": "{}\n", "model/model.safetensors": "x"}, True),
        # what a run saved under models/ (a fine-tuned model's folder, its weights ignored by
        # git) and a renamed tracking folder's records are outputs, not inputs
        (
            {
                "models/bert_tuned/config.json": "{}\n",
                "models/bert_tuned/tokenizer_config.json": "{}",
            },
            True,
        ),
        ({"mlruns_xgb/1/ab12/artifacts/config.yaml": "a: 1\n"}, True),
        # unless a parameter folder says otherwise
        ({"models/configs/train.yaml": "a: 1\n"}, False),
    ],
)
def test_parameter_file_detection(tmp_path: Path, extra: dict[str, str], missing: bool) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k != "params.yaml"} | extra
    got = found(tmp_path, files, {"select": ["MLN103"]})
    assert got == ({("MLN103", "params.yaml")} if missing else set())


@pytest.mark.parametrize(
    "code",
    [
        {"src/churn/features.py": "x = 1\n"},  # no training code
        {"serve.py": "app = None\n", "src/churn/predict.py": "x = 1\n"},  # serving only
    ],
)
def test_no_parameter_file_asked_without_training_code(
    tmp_path: Path, code: dict[str, str]
) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k not in ("params.yaml", "src/churn/train.py")}
    assert found(tmp_path, files | code, {"select": ["MLN103"], "profile": "application"}) == set()


def test_config_module_makes_the_missing_parameter_file_a_grey_zone(tmp_path: Path) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k != "params.yaml"}
    files["src/churn/config.py"] = "LR = 0.1\n"
    (finding,) = _run(write_tree(tmp_path, files), {"select": ["MLN103"]})
    assert finding.severity is Severity.INFO and "`src/churn/config.py`" in finding.message


@pytest.mark.parametrize(
    ("layout_files", "expected_path"),
    [
        (
            {
                "configs/.gitkeep": "",
                "src/train.py": "",
                "src/__init__.py": "",
                ".project-root": "",
            },
            "configs/",
        ),
        (
            {"pyproject.toml": PROJECT + '[tool.kedro]\npackage_name = "churn"\n'},
            "conf/base/parameters.yml",
        ),
    ],
)
def test_missing_parameter_file_points_to_the_layouts_place(
    tmp_path: Path, layout_files: dict[str, str], expected_path: str
) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k != "params.yaml"} | layout_files
    assert found(tmp_path, files, {"select": ["MLN103"]}) == {("MLN103", expected_path)}


# -- package (MLN104, MLN112) and packaging metadata (MLN105) ------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"train.py": "x = 1\n", "features.py": "x = 1\n"}, {("MLN104", ".")}),
        ({"src/train.py": "x = 1\n", "src/prepare.py": "x = 1\n"}, {("MLN112", "src/")}),
        ({"src/churn/train.py": "x = 1\n"}, {("MLN112", "src/")}),  # no __init__, no metadata
        # loose modules in src/ and beside it: src/'s nudge, and the project has no package
        (
            {"src/features.py": "x = 1\n", "scripts/download.py": "x = 1\n"},
            {("MLN112", "src/"), ("MLN104", "src/")},
        ),
        ({"src/churn/__init__.py": "", "src/churn/train.py": "x = 1\n"}, set()),
        ({"churn/__init__.py": "", "churn/train.py": "x = 1\n"}, set()),  # flat package
        ({"src/__init__.py": "", "src/models/train_model.py": "x = 1\n"}, set()),  # ccds v1
        # a Kedro-style sub-project holds its own package
        ({"projects/iris/src/iris/__init__.py": "", "projects/iris/src/iris/nodes.py": ""}, set()),
        # jupytext pairs in notebooks/, docs' conf.py, setup.py: not loose scripts
        ({"notebooks/eda.py": "x = 1\n", "docs/conf.py": "", "setup.py": "setup()\n"}, set()),
    ],
)
def test_importable_package(
    tmp_path: Path, files: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    assert found(tmp_path, files, {"select": ["MLN104", "MLN112"]}) == expected


def test_namespace_package_with_metadata_is_importable(tmp_path: Path) -> None:
    files = {"pyproject.toml": PROJECT, "src/acme/metrics/auc.py": "x = 1\n"}
    assert found(tmp_path, files, {"select": ["MLN104", "MLN112"]}) == set()


# One or two top-level folders imported by their name without ``__init__.py`` (PEP 420
# namespace packages) are the project's package: what it lacks is install metadata (MLN105),
# not a package (MLN104, MLN112). Several such folders are code left at the root: MLN104.
NAMESPACE_SELECT = {"select": ["MLN104", "MLN105", "MLN112"]}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # `src/` imported as `src.<module>` from a root script and from its own modules
        (
            {
                "run.py": "from src.models.train import fit\n",
                "src/models/train.py": "from src.data.load import read\n",
                "src/data/load.py": "x = 1\n",
            },
            {("MLN105", "pyproject.toml")},
        ),
        # a package folder and a service folder beside it, both imported by name
        (
            {
                "api/main.py": "from src.predict import score\n",
                "src/predict.py": "x = 1\n",
                "tests/test_api.py": "from api.main import app\n",
            },
            {("MLN105", "pyproject.toml")},
        ),
        # `from framework import io`: the folder itself is imported
        (
            {"experiment.py": "from framework import io\n", "framework/io.py": "x = 1\n"},
            {("MLN105", "pyproject.toml")},
        ),
        # three folders imported from root scripts by their names: loose code, MLN104
        (
            {
                "train.py": "from utils.io import load\nfrom model.net import Net\n"
                "from dataset.items import Items\n",
                "utils/io.py": "x = 1\n",
                "model/net.py": "x = 1\n",
                "dataset/items.py": "x = 1\n",
            },
            {("MLN104", ".")},
        ),
        # the code is at the root, imported by bare name beside a small named folder
        (
            {
                "train.py": "from data_module import DM\nfrom ext.wrap import call\n",
                "data_module.py": "x = 1\n",
                "ext/wrap.py": "x = 1\n",
            },
            {("MLN104", ".")},
        ),
        # folders that share a well-known library's name are that library's imports
        (
            {
                "mlflow/api.py": "import mlflow\n",
                "airflow/dags/etl.py": "from airflow import DAG\n",
            },
            {("MLN104", ".")},
        ),
        # `src/` whose scripts nobody imports as `src.*`: loose scripts, as before
        (
            {"src/train.py": "import prepare\n", "src/prepare.py": "x = 1\n"},
            {("MLN112", "src/")},
        ),
        # a folder named for scripts whose modules are imported by their dotted name
        (
            {
                "scripts/main.py": "from scripts.helpers import run\n",
                "scripts/helpers.py": "def run():\n    pass\n",
                "scripts/data.py": "from scripts.helpers import run\n",
            },
            {("MLN105", "pyproject.toml")},
        ),
        # a Hydra project: `src/` is imported only by the configuration's targets
        (
            {
                "train.py": "import hydra\n\nhydra.utils.instantiate(cfg.module)\n",
                "src/module.py": "class Net:\n    pass\n",
                "src/datamodule.py": "class DM:\n    pass\n",
                "config/module/net.yaml": "_target_: src.module.Net\nlr: 0.001\n",
                "config/data/dm.yaml": "_target_: 'src.datamodule.DM'\n",
            },
            {("MLN105", "pyproject.toml")},
        ),
        # Lightning CLI's `class_path` names it the same way
        (
            {
                "main.py": "from lightning.pytorch.cli import LightningCLI\n",
                "src/net.py": "class Net:\n    pass\n",
                "configs/fit.yaml": "model:\n  class_path: src.net.Net\n",
            },
            {("MLN105", "pyproject.toml")},
        ),
        # a target in a library, or a module that does not exist, names no project folder
        (
            {
                "train.py": "import hydra\n",
                "src/module.py": "class Net:\n    pass\n",
                "src/datamodule.py": "import module\n",
                "config/opt.yaml": "_target_: torch.optim.Adam\nother: src.nothere.X\n",
            },
            # loose scripts in `src/` and beside it: both nudges, as without the YAML
            {("MLN112", "src/"), ("MLN104", "src/")},
        ),
        # an import tried with a fallback is not how the code runs: the modules import each
        # other by bare name, so `src/` is a folder of loose scripts
        (
            {
                "src/analysis.py": "import constants\n\ntry:\n    from src.constants import A\n"
                "except ImportError:\n    A = 1\n",
                "src/constants.py": "A = 1\n",
            },
            {("MLN112", "src/")},
        ),
    ],
)
def test_namespace_folders_imported_by_name(
    tmp_path: Path, files: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    assert found(tmp_path, files, NAMESPACE_SELECT) == expected


def test_namespace_package_message_names_the_folders_and_the_wheel(tmp_path: Path) -> None:
    files = {
        "api/main.py": "from src.predict import score\n",
        "src/predict.py": "x = 1\n",
        "tests/test_api.py": "from api.main import app\n",
    }
    (finding,) = _run(write_tree(tmp_path, files), {"select": ["MLN105"]})
    assert finding.message.startswith(
        "`api/` and `src/` are imported as packages (`api.<module>`) without `__init__.py`"
    )
    assert 'packages = ["api", "src"]' in (finding.fix or "")


def test_namespace_folder_with_init_elsewhere_is_a_regular_package(tmp_path: Path) -> None:
    # `src/__init__.py` makes `src` a regular package (cookiecutter-data-science v1): the
    # namespace rule does not apply, MLN105 speaks of the package as before
    files = {"src/__init__.py": "", "src/train.py": "x = 1\n", "run.py": "from src import train\n"}
    (finding,) = _run(write_tree(tmp_path, files), {"select": ["MLN105"]})
    assert "without `__init__.py`" not in finding.message


def test_single_module_project_declared_as_py_modules(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PROJECT + "[tool.setuptools]\npy-modules = ['churn']\n",
        "churn.py": "x = 1\n",
    }
    assert found(tmp_path, files, {"select": ["MLN104", "MLN112"]}) == set()


def test_loose_src_message_lists_the_scripts(tmp_path: Path) -> None:
    files = {f"src/{n}.py": "" for n in ("prepare", "train", "evaluate", "featurize")}
    (finding,) = _run(write_tree(tmp_path, files), {"select": ["MLN112"]})
    assert finding.message.startswith("`src/` holds 4 loose scripts (`src/evaluate.py`")
    assert "and 1 more" in finding.message


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        ({"pyproject.toml": PROJECT}, False),
        ({"pyproject.toml": '[tool.poetry]\nname = "churn"\n'}, False),
        ({"setup.py": "from setuptools import setup\nsetup(name='churn')\n"}, False),
        ({"setup.cfg": "[metadata]\nname = churn\n"}, False),
        ({"src/setup.py": "from setuptools import setup\nsetup(name='churn')\n"}, False),
        # look-alikes
        ({"pyproject.toml": "[tool.ruff]\nline-length = 99\n"}, True),
        ({"setup.cfg": "[flake8]\nmax-line-length = 99\n"}, True),
        ({"docs/pyproject.toml": PROJECT}, True),
        ({}, True),
    ],
)
def test_packaging_metadata(tmp_path: Path, files: dict[str, str], missing: bool) -> None:
    tree = {"src/churn/__init__.py": "", **files}
    got = found(tmp_path, tree, {"select": ["MLN105"]})
    assert got == ({("MLN105", "pyproject.toml")} if missing else set())


def test_packaging_is_not_asked_before_there_is_a_package(tmp_path: Path) -> None:
    got = found(tmp_path, {"train.py": "x = 1\n"}, {"select": ["MLN104", "MLN105"]})
    assert got == {("MLN104", ".")}


def test_tool_only_pyproject_message_names_the_tables(tmp_path: Path) -> None:
    files = {"src/churn/__init__.py": "", "pyproject.toml": "[tool.ruff]\n[tool.mypy]\n"}
    (finding,) = _run(write_tree(tmp_path, files), {"select": ["MLN105"]})
    assert "only holds tool settings ([tool.mypy], [tool.ruff])" in finding.message
    assert 'name = "churn"' in (finding.fix or "")


# -- README, CI, pre-commit (MLN106-108) ---------------------------------------------------------


@pytest.mark.parametrize("name", ["README.md", "readme.md", "Readme.rst", "README", "README.txt"])
def test_readme_in_any_case(tmp_path: Path, name: str) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k != "README.md"} | {name: "x\n"}
    assert found(tmp_path, files) == set()


def test_readme_must_be_at_the_root(tmp_path: Path) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k != "README.md"} | {"docs/README.md": "x\n"}
    assert found(tmp_path, files) == {("MLN106", "README.md")}


@pytest.mark.parametrize(
    ("ci", "missing"),
    [
        ({".github/workflows/test.yaml": "on: push\n"}, False),
        ({".gitlab-ci.yml": "test: {}\n"}, False),
        ({"azure-pipelines.yml": "steps: []\n"}, False),
        ({"Jenkinsfile": "pipeline {}\n"}, False),
        ({".circleci/config.yml": "version: 2.1\n"}, False),
        ({"bitbucket-pipelines.yml": "pipelines: {}\n"}, False),
        # look-alikes
        ({".github/dependabot.yml": "version: 2\n"}, True),
        ({".github/workflows/.gitkeep": ""}, True),
        ({".github/ISSUE_TEMPLATE/bug.yml": "name: bug\n"}, True),
    ],
)
def test_ci_detection(tmp_path: Path, ci: dict[str, str], missing: bool) -> None:
    files = {k: v for k, v in TIDY_APP.items() if not k.startswith(".github/")} | ci
    got = found(tmp_path, files, {"select": ["MLN107"]})
    assert got == ({("MLN107", ".github/workflows/ci.yml")} if missing else set())


def test_pre_commit_config(tmp_path: Path) -> None:
    assert found(tmp_path / "a", TIDY_APP, drop=(".pre-commit-config.yaml",)) == {
        ("MLN108", ".pre-commit-config.yaml")
    }
    yml = {**TIDY_APP, ".pre-commit-config.yml": "repos: []\n"}
    assert found(tmp_path / "b", yml, drop=(".pre-commit-config.yaml",)) == set()


def test_a_repository_without_code_is_only_asked_for_a_readme(tmp_path: Path) -> None:
    assert found(tmp_path, {"data/notes.md": "x\n"}) == {("MLN106", "README.md")}


# -- dependencies (MLN111) and lock (MLN109) -----------------------------------------------------

APP_NO_DEPS = {k: v for k, v in TIDY_APP.items() if k not in ("pyproject.toml", "uv.lock")}


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        ({"requirements.txt": "pandas>=2.1\n"}, False),
        ({"requirements/base.txt": "pandas>=2.1\n"}, False),
        ({"requirements-dev.in": "pytest\n"}, False),
        ({"src/requirements.txt": "pandas\n"}, False),  # Kedro 0.18
        ({"environment.yml": "dependencies: [pandas]\n"}, False),
        ({"envs/environment.yaml": "dependencies: [pandas]\n"}, False),
        ({"Pipfile": "[packages]\npandas = '*'\n"}, False),
        ({"setup.py": "from setuptools import setup\nsetup(install_requires=['pandas'])\n"}, False),
        ({"poetry.lock": "# lock\n"}, False),
        # look-alikes
        ({"docs/requirements.txt": "mkdocs\n"}, True),  # the docs' own
        ({"pyproject.toml": "[tool.black]\n"}, True),
        ({"tests/requirements.txt": "pytest\n"}, True),
    ],
)
def test_dependency_declaration(tmp_path: Path, files: dict[str, str], missing: bool) -> None:
    got = found(tmp_path, APP_NO_DEPS | files, {"select": ["MLN111"]})
    assert got == ({("MLN111", "requirements.txt")} if missing else set())


def test_a_library_is_asked_for_dependencies_in_pyproject(tmp_path: Path) -> None:
    files = {**TIDY_LIB, "setup.cfg": "[metadata]\nname = geo\n"}
    files = {k: v for k, v in files.items() if k != "pyproject.toml"}
    assert found(tmp_path, files, {"select": ["MLN111"], "profile": "library"}) == set()
    got = found(
        tmp_path / "b",
        {k: v for k, v in TIDY_LIB.items() if k != "pyproject.toml"},
        {"profile": "library"},
    )
    assert ("MLN111", "pyproject.toml") in got


COMPILED = "#\n# This file is autogenerated by pip-compile with Python 3.11\n#\npandas==2.2.2\n"


#: six pins from ``pip freeze`` and one unbounded line added later
FREEZE_PLUS_ONE = "".join(f"pkg{i}==1.{i}.0\n" for i in range(6)) + "sklearn\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pyproject.toml": PROJECT, "uv.lock": "v\n"}, None),
        ({"pyproject.toml": PROJECT, "pdm.lock": "v\n"}, None),
        ({"pyproject.toml": '[tool.poetry]\nname = "c"\n', "poetry.lock": "v\n"}, None),
        ({"Pipfile": "[packages]\n", "Pipfile.lock": "{}\n"}, None),
        ({"pixi.toml": "[project]\n", "pixi.lock": "v\n"}, None),
        ({"requirements.in": "pandas\n", "requirements.txt": COMPILED}, None),
        ({"requirements.txt": "pandas==2.2.2 \\\n    --hash=sha256:abc\n"}, None),
        ({"requirements.txt": "numpy==1.26.4\npandas==2.2.2  # via x\n"}, None),  # pip freeze
        ({"environment.yml": "dependencies: [pandas]\n", "conda-lock.yml": "v\n"}, None),
        ({"environment.yml": "dependencies:\n  - python=3.11.9\n  - pandas=2.2.2=py311h\n"}, None),
        ({"requirements.txt": "pandas\n", "requirements.lock": "pandas==2.2.2\n"}, None),
        # a freeze dump with one line appended by hand still records what the project ran with
        ({"requirements.txt": FREEZE_PLUS_ONE}, None),
        # a pinned conda environment by another common name
        ({"conda_env_gpu.yaml": "dependencies:\n  - python=3.11.9\n  - numpy=1.26.4\n"}, None),
        # no lock: the expected path follows the tool in use
        ({"pyproject.toml": PROJECT}, "uv.lock"),
        ({"pyproject.toml": '[tool.poetry]\nname = "c"\n'}, "poetry.lock"),
        ({"pyproject.toml": PROJECT + "[tool.pdm]\n"}, "pdm.lock"),
        ({"Pipfile": "[packages]\n"}, "Pipfile.lock"),
        ({"requirements.txt": "pandas>=2.1\n"}, "requirements.lock"),
        ({"requirements.txt": "pandas>=2.1\nnumpy==1.26.4\n"}, "requirements.lock"),
        ({"environment.yml": "dependencies:\n  - pandas>=2.1\n"}, "conda-lock.yml"),
        ({"serving/requirements.txt": "fastapi\n"}, "serving/requirements.lock"),  # beside it
        # look-alikes: a pipeline lock and a JavaScript lock are not dependency locks
        ({"requirements.txt": "pandas\n", "dvc.lock": "schema: '2.0'\n"}, "requirements.lock"),
        ({"requirements.txt": "pandas\n", "package-lock.json": "{}\n"}, "requirements.lock"),
    ],
)
def test_lock_file(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    got = found(tmp_path, APP_NO_DEPS | files, {"select": ["MLN109"]})
    assert got == (set() if expected is None else {("MLN109", expected)})


def test_lock_fix_gives_the_command(tmp_path: Path) -> None:
    (finding,) = _run(
        write_tree(tmp_path, APP_NO_DEPS | {"requirements.txt": "pandas\n"}), {"select": ["MLN109"]}
    )
    assert finding.fix == (
        "Run `uv pip compile requirements.txt -o requirements.lock` and commit "
        "`requirements.lock`; regenerate it when dependencies change."
    )
    assert "`requirements.txt` declares your dependencies (good)" in finding.message


def test_no_lock_asked_of_a_library_or_before_dependencies_are_declared(tmp_path: Path) -> None:
    assert found(tmp_path / "a", TIDY_LIB, {"select": ["MLN109"]}) == set()
    got = found(tmp_path / "b", APP_NO_DEPS, {"select": ["MLN109", "MLN111"]})
    assert got == {("MLN111", "requirements.txt")}


# -- large files (MLN110) ------------------------------------------------------------------------

MB = 1_000_000


@pytest.mark.parametrize(
    ("files", "sizes", "table", "expected"),
    [
        (
            {},
            {"data/train.csv": 3 * MB, "models/m.pkl": 2 * MB},
            {},
            {"data/train.csv", "models/m.pkl"},
        ),
        ({}, {"data/small.csv": 900_000, "assets/logo.png": 5 * MB}, {}, set()),
        ({}, {"assets/video.mp4": 11 * MB}, {}, {"assets/video.mp4"}),  # any file above 10x
        ({}, {"data/train.csv": 3 * MB}, {"large-file-size": 5 * MB}, set()),
        ({}, {"data/s.csv": 200_000}, {"large-file-size": 100_000}, {"data/s.csv"}),
        # LFS and DVC keep them out of git
        (
            {".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n"},
            {"models/m.pt": 5 * MB},
            {},
            set(),
        ),
        (
            {"models/.gitattributes": "m.onnx filter=lfs -text\n"},
            {"models/m.onnx": 5 * MB},
            {},
            set(),
        ),
        ({".gitattributes": "*.pt filter=lfs\n"}, {"models/m.onnx": 5 * MB}, {}, {"models/m.onnx"}),
        ({".gitattributes": "*.csv text\n"}, {"d/a.csv": 5 * MB}, {}, {"d/a.csv"}),  # no lfs filter
        (
            {"data/raw.csv.dvc": "outs:\n- path: raw.csv\n", "data/.gitignore": "/raw.csv\n"},
            {"data/raw.csv": 5 * MB},
            {},
            set(),
        ),
        (
            {"data.dvc": "outs:\n- path: data\n", ".gitignore": "/data\n"},
            {"data/a/b.parquet": 5 * MB},
            {},
            set(),
        ),
        (
            {
                "dvc.yaml": "stages:\n  train:\n    cmd: python t.py\n"
                "    outs:\n    - models/m.pkl\n"
            },
            {"models/m.pkl": 5 * MB},
            {},
            set(),
        ),
    ],
)
def test_large_files(
    tmp_path: Path,
    files: dict[str, str],
    sizes: dict[str, int],
    table: dict[str, int],
    expected: set[str],
) -> None:
    tree: dict[str, str | bytes] = {**TIDY_APP, **files}
    tree |= {rel: b"\0" * size for rel, size in sizes.items()}
    got = found(tmp_path, tree, {"select": ["MLN110"], "structure": table})
    assert got == {("MLN110", rel) for rel in expected}


def test_large_file_in_a_git_repository(tmp_path: Path) -> None:
    """Committed large files are found; LFS-tracked and git-ignored ones are not."""
    files: dict[str, str | bytes] = {
        **TIDY_APP,
        ".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n",
        ".gitignore": "/scratch/\n",
        "models/model.pkl": b"\0" * (2 * MB),
        "models/encoder.pt": b"\0" * (2 * MB),
        "scratch/dump.parquet": b"\0" * (2 * MB),
    }
    root = git_repo(tmp_path, files)
    findings = _run(root, {"select": ["MLN110"]})
    assert [(f.path, f.message) for f in findings] == [
        (
            "models/model.pkl",
            "Model file `models/model.pkl` (2.0 MB) is committed to git; version it with DVC "
            "or Git LFS instead.",
        )
    ]
    assert findings[0].fix == (
        "`dvc add models/model.pkl` (commits the small `models/model.pkl.dvc` pointer) or "
        "`git lfs track '*.pkl'`; then `git rm --cached models/model.pkl`."
    )


# -- the team's own standard (MLN120, MLN121) ----------------------------------------------------


def test_team_required_and_forbidden_paths(tmp_path: Path) -> None:
    table = {
        "structure": {
            "required": [
                {"path": "docs/", "message": "Document the API in docs/ (handbook §3)."},
                {"path": "/Makefile"},
                {"path": "README.md", "message": "present, so silent"},
            ],
            "forbidden": [
                {"path": "*.pkl", "message": "Models go to the registry."},
                {"path": "/scratch/", "message": "No scratch work in git."},
                {"path": "*.exe"},
            ],
        }
    }
    files = {
        **TIDY_APP,
        "models/a.pkl": "x",
        "src/churn/b.pkl": "x",
        "scratch/one.py": "",
        "scratch/two/three.txt": "",
        "sub/scratch/kept.txt": "",  # anchored: only the root's scratch/
    }
    findings = _run(write_tree(tmp_path, files), table)
    assert sorted((f.rule, f.path, f.message) for f in findings) == [
        ("MLN120", "Makefile", "`Makefile` is required by your team's structure standard."),
        ("MLN120", "docs/", "Document the API in docs/ (handbook §3)."),
        ("MLN121", "models/a.pkl", "Models go to the registry."),
        ("MLN121", "scratch/", "No scratch work in git."),
        ("MLN121", "src/churn/b.pkl", "Models go to the registry."),
    ]
    assert len({f.anchor for f in findings}) == len(findings)


@pytest.mark.parametrize(
    "bad",
    [
        {"required": "docs/"},
        {"required": [{"path": "docs/", "reason": "typo'd key"}]},
        {"forbidden": [{"path": 3}]},
        {"large-file-size": "1MB"},
    ],
)
def test_bad_structure_options_are_configuration_errors(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=r"structure\."):
        build_config({"structure": bad})


def test_team_paths_read_from_pyproject(tmp_path: Path) -> None:
    pyproject = (
        PROJECT + '[tool.mlnudge.structure]\nrequired = [{path = "docs/", message = "Docs!"}]\n'
    )
    root = write_tree(tmp_path, {**TIDY_APP, "pyproject.toml": pyproject})
    report = run(root, load_config(root), families=["structure"], use_cache=False)
    assert [(f.rule, f.path, f.message) for f in report.findings] == [("MLN120", "docs/", "Docs!")]


# -- state, targets, rule texts ------------------------------------------------------------------


def _facts(root: Path, table: Mapping[str, Any] | None = None) -> tuple[Repo, Any, Any]:
    config = build_config(table or {})
    repo = Repo.discover(root, config)
    return repo, detect(repo), config


def test_structure_state_of_a_tidy_application(tmp_path: Path) -> None:
    state = structure_state(*_facts(write_tree(tmp_path, TIDY_APP)))
    assert state == {
        "readme": True,
        "package": True,
        "tests": True,
        "packaging-metadata": True,
        "dependencies": True,
        "lock": True,
        "ci": True,
        "pre-commit": True,
        "parameter-file": True,
        "notebooks-together": True,
        "no-large-files": True,
    }


def test_structure_state_follows_facts_not_enabled_rules(tmp_path: Path) -> None:
    files = {k: v for k, v in TIDY_APP.items() if k not in ("tests/test_train.py", "uv.lock")}
    files["eda.ipynb"] = NB
    root = write_tree(tmp_path, files)
    state = structure_state(*_facts(root, {"ignore": ["MLN1"], "select": ["MLN2"]}))
    assert {k for k, present in state.items() if not present} == {
        "tests",
        "lock",
        "notebooks-together",
    }


def test_structure_state_of_a_library_leaves_out_application_items(tmp_path: Path) -> None:
    table = {"structure": {"forbidden": [{"path": "*.pkl"}], "required": [{"path": "docs/"}]}}
    state = structure_state(*_facts(write_tree(tmp_path, TIDY_LIB), table))
    assert not {"lock", "parameter-file", "notebooks-together"} & set(state)
    assert state["no-forbidden:*.pkl"] is True and state["required:docs/"] is False


def test_structure_runs_whole_repository_even_with_targets(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {k: v for k, v in TIDY_APP.items() if k != "README.md"})
    findings = _run(root, targets=["src/churn/train.py"])
    assert {(f.rule, f.path) for f in findings} == {("MLN106", "README.md")}


def test_findings_carry_stable_anchors_and_layout_details(tmp_path: Path) -> None:
    files = {"src/prepare.py": "", "dvc.yaml": "stages: {}\n", "a.ipynb": NB}
    findings = _run(write_tree(tmp_path, files))
    assert findings and all(f.anchor and f.line is None for f in findings)
    loose = next(f for f in findings if f.rule == "MLN112")
    assert loose.details["layout"] == "dvc"


def test_every_rule_has_its_words() -> None:
    codes = [rule.code for rule in RULES]
    assert len(set(codes)) == len(codes) == 14
    for rule in RULES:
        assert rule.code.startswith("MLN1") and rule.scope == "repo"
        assert all((rule.name, rule.summary, rule.why, rule.fix, rule.example, rule.use_instead))
    legacy = {
        r.code: r.name
        for r in RULES
        if r.code in ("MLN101", "MLN102", "MLN103", "MLN104", "MLN106")
    }
    assert legacy == {
        "MLN101": "missing-tests",
        "MLN102": "notebook-outside-notebooks-dir",
        "MLN103": "missing-parameter-file",
        "MLN104": "no-importable-package",
        "MLN106": "missing-readme",
    }


@pytest.mark.parametrize(
    "folder", ["notebook", "nbs", "research/notebooks", "Notebooks", "NoteBooks", "src/Notebook"]
)
def test_notebook_folders_by_other_common_names(tmp_path: Path, folder: str) -> None:
    """``notebook/`` and ``nbs/`` hold notebooks as ``notebooks/`` does (default setting only),
    in any case: a project's own ``Notebooks/`` folder is its notebooks folder (round 16)."""
    files = {"train.py": "x = 1\n", f"{folder}/eda.ipynb": notebook("x = 1")}
    report = run(write_tree(tmp_path, files), build_config({}), families=["structure"])
    assert [f.path for f in report.findings if f.rule == "MLN102"] == []


def test_a_configured_notebooks_dir_is_the_only_home(tmp_path: Path) -> None:
    files = {"train.py": "x = 1\n", "nbs/eda.ipynb": notebook("x = 1")}
    config = build_config({"notebooks-dir": "research"})
    report = run(write_tree(tmp_path, files), config, families=["structure"])
    assert [f.path for f in report.findings if f.rule == "MLN102"] == ["nbs/eda.ipynb"]


def test_counts_in_messages_are_singular_or_plural(tmp_path: Path) -> None:
    one = run(write_tree(tmp_path / "a", {"train.py": "x = 1\n"}), build_config({}))
    (package,) = [f for f in one.findings if f.rule == "MLN104"]
    assert package.message.startswith("1 Python file (`train.py`)")
    two = run(write_tree(tmp_path / "b", {"a.py": "x=1\n", "b.py": "x=1\n"}), build_config({}))
    (package,) = [f for f in two.findings if f.rule == "MLN104"]
    assert package.message.startswith("2 Python files (")
    assert package.path == "."  # no src/ in this project: the finding does not invent one


def test_training_code_found_by_what_it_calls_asks_for_a_parameter_file(tmp_path: Path) -> None:
    model = (
        "import lightgbm as lgb\n\ndef run(x, y):\n    return lgb.train({}, lgb.Dataset(x, y))\n"
    )
    got = found(tmp_path / "a", {"model.py": model, "README.md": "x\n"}, {"select": ["MLN103"]})
    assert got == {("MLN103", "params.yaml")}
    # a notebook in the notebooks folder is exploration: it does not ask for one
    nb = {"notebooks/eda.ipynb": notebook("model.fit(x, y)"), "utils.py": "x = 1\n"}
    assert found(tmp_path / "b", nb, {"select": ["MLN103"]}) == set()
    # coursework notebooks at the root fit models to compare them: still exploration
    course = {"part_1.ipynb": notebook("clf.fit(x, y)\nprint(clf.score(xv, yv))")}
    assert found(tmp_path / "c", course, {"select": ["MLN103"]}) == set()
    # a competition notebook that trains and writes the submission is the pipeline
    kaggle = {"lgbm.ipynb": notebook('m.fit(x, y)\nsub.to_csv("submission.csv", index=False)')}
    assert found(tmp_path / "d", kaggle, {"select": ["MLN103"]}) == {("MLN103", "params.yaml")}


@pytest.mark.parametrize(
    ("files", "suite"),
    [
        # an evaluation script named test_*.py: pytest errors ("fixture 'model' not found")
        (
            {"eval/test_model.py": "def test_model(model, loader):\n    return model(loader)\n"},
            False,
        ),
        # the fixture exists in a conftest.py, in the module, or pytest provides it
        (
            {
                "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef model():\n    return 1\n",
                "tests/test_model.py": "def test_model(model):\n    assert model\n",
            },
            True,
        ),
        (
            {
                "tests/test_io.py": (
                    "import pytest\n\n@pytest.fixture\ndef frame():\n    return []\n\n"
                    "def test_save(frame, tmp_path):\n    assert frame == []\n"
                )
            },
            True,
        ),
        # parametrize supplies the argument; a default needs no fixture
        (
            {
                "tests/test_clean.py": (
                    "import pytest\n\n@pytest.mark.parametrize('raw, out', [(1, 1)])\n"
                    "def test_clean(raw, out, scale=2):\n    assert raw == out\n"
                )
            },
            True,
        ),
        # a declared pytest plugin may provide what is asked for
        (
            {
                "requirements-dev.txt": "pytest>=8\npytest-lazy-fixtures>=1.0\n",
                "tests/test_api.py": "def test_api(api_client):\n    assert api_client\n",
            },
            True,
        ),
        # ...but one whose fixtures are known does not make a missing one exist: a project
        # template's test asking for a context fixture its conftest names differently
        (
            {
                "requirements.txt": "pytest-cov~=3.0\npytest-mock>=1.7,<2\npytest~=7.2\n",
                "tests/test_run.py": (
                    "import pytest\n\n@pytest.fixture\ndef project_context():\n    return 1\n\n"
                    "class TestContext:\n    def test_path(self, proj_context, mocker):\n"
                    "        assert proj_context\n"
                ),
            },
            False,
        ),
    ],
)
def test_tests_that_ask_for_missing_fixtures_are_no_suite(
    tmp_path: Path, files: dict[str, str], suite: bool
) -> None:
    base = {"model.py": "def clean(x):\n    return x\n"}
    got = found(tmp_path, base | files, {"select": ["MLN101"]})
    assert got == (set() if suite else {("MLN101", "tests/")})


def test_a_test_file_named_on_a_pytest_command_line_is_collected(tmp_path: Path) -> None:
    suite = "from model import clean\n\n\ndef test_clean():\n    assert clean([]) == []\n"
    files = {"model.py": "def clean(x):\n    return x\n", "unit_tests/checks.py": suite}
    # pytest does not collect `checks.py` by name...
    assert found(tmp_path / "a", files, {"select": ["MLN101"]}) == {("MLN101", "tests/")}
    # ...but it does when a Makefile or a CI step names it
    make = {**files, "Makefile": "test:\n\tpython -m pytest -q unit_tests/checks.py::test_clean\n"}
    assert found(tmp_path / "b", make, {"select": ["MLN101"]}) == set()
    ci = {
        **files,
        ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: pytest unit_tests/checks.py\n",
        "pytest.ini": "[pytest]\ntestpaths = tests\n",
    }
    assert found(tmp_path / "c", ci, {"select": ["MLN101"]}) == set()
    # a file named there that defines no test is still no suite
    empty = {**make, "unit_tests/checks.py": "x = 1\n"}
    assert found(tmp_path / "d", empty, {"select": ["MLN101"]}) == {("MLN101", "tests/")}


def test_a_singular_requirement_txt_declares_dependencies(tmp_path: Path) -> None:
    files = {"train.py": "import pandas\n", "requirement.txt": "pandas>=2.1\n"}
    assert found(tmp_path, files, {"select": ["MLN111"]}) == set()


def test_monitoring_and_orchestration_configs_are_not_parameter_files(tmp_path: Path) -> None:
    training = {"training/train.py": "import lightgbm\n\nlightgbm.train({}, None)\n"}
    infra = {
        "monitoring/config/grafana_dashboards.yaml": "providers: []\n",
        "monitoring/config/grafana_datasources.yaml": "datasources: []\n",
        "drift_service/evidently_config.yaml": "service: {}\n",
        "deployment/prometheus/config_map.k8.yaml": "kind: ConfigMap\n",
        "k8s/config.yaml": "kind: ConfigMap\n",
        # a tracking server's own settings
        "infrastructure/mlflow/server_config.ini": "[mlflow]\ndefault_permission = READ\n",
        "deploy/mlflow_auth_config.ini": "[mlflow]\ndefault_permission = READ\n",
    }
    got = found(tmp_path / "a", {**training, **infra}, {"select": ["MLN103"]})
    assert got == {("MLN103", "params.yaml")}
    # the training code's own configuration still counts
    ok = {**training, **infra, "training/config.yaml": "lr: 0.05\n"}
    assert found(tmp_path / "b", ok, {"select": ["MLN103"]}) == set()


@pytest.mark.parametrize(
    ("name", "parameter_file"),
    [
        ("SETTINGS.json", True),  # a Kaggle solution's paths and switches
        ("conf/run_settings.yaml", True),
        (".vscode/settings.json", False),  # an editor's
        (".idea/config.json", False),
    ],
)
def test_settings_files_hold_parameters_and_tool_folders_do_not(
    tmp_path: Path, name: str, parameter_file: bool
) -> None:
    files = {"train.py": "import lightgbm\n\nlightgbm.train({}, None)\n", name: "{}\n"}
    expected = set() if parameter_file else {("MLN103", "params.yaml")}
    assert found(tmp_path, files, {"select": ["MLN103"]}) == expected


def test_mlproject_in_any_case_is_a_parameter_file(tmp_path: Path) -> None:
    files = {"train.py": "x = 1\n", "MLProject": "entry_points:\n  main:\n    parameters: {}\n"}
    assert found(tmp_path, files, {"select": ["MLN103"]}) == set()


@pytest.mark.parametrize(
    ("name", "reported"),
    [
        ("model/model.xgb", True),
        ("mlflow/mlflow.db.old", True),
        ("notes.old", False),
        # scientific and medical volumes, parquet's short suffix, text matrices
        ("results/ct_volume.nii", True),
        ("scans/slice_001.dcm", True),
        ("service/datasets/reference.pq", True),
        ("embeddings_X.txt", True),
        # a generated report (profiling, drift) is reported like data
        ("reports/drift.html", True),
        # a figure or a notebook with its outputs is not
        ("docs/architecture.png", False),
        ("notebooks/eda.ipynb", False),
    ],
)
def test_model_formats_and_copies_of_data_files_count_as_large(
    tmp_path: Path, name: str, reported: bool
) -> None:
    got = found(tmp_path, {"train.py": "x = 1\n", name: b"\0" * 1_100_000}, {"select": ["MLN110"]})
    assert got == ({("MLN110", name)} if reported else set())


def test_a_notebook_exported_to_html_beside_it_is_the_notebook_not_a_report(
    tmp_path: Path,
) -> None:
    files = {
        "train.py": "x = 1\n",
        "notebooks/eda.ipynb": "{}",
        "notebooks/eda.html": b"<html>" + b" " * 1_100_000,
        "reports/drift.html": b"<html>" + b" " * 1_100_000,
    }
    assert found(tmp_path, files, {"select": ["MLN110"]}) == {("MLN110", "reports/drift.html")}


def test_a_conda_environment_pinned_but_for_tooling_is_a_lock(tmp_path: Path) -> None:
    env = "dependencies:\n  - python=3.10\n  - pip\n  - ipykernel\n  - numpy=1.22.4\n"
    files = {"train.py": "import numpy\n", "environment.yaml": env, "params.yaml": "a: 1\n"}
    assert found(tmp_path, files, {"select": ["MLN109"]}) == set()


def test_a_saved_models_requirements_are_not_the_projects_declaration(tmp_path: Path) -> None:
    files = {
        "train.py": "import sklearn\n",
        "requirements.txt": "scikit-learn>=1.4\n",
        "requirements.lock": "scikit-learn==1.4.2\n",
        "models/churn/MLmodel": "flavors: {}\n",
        "models/churn/requirements.txt": "scikit-learn>=1.4\n",
    }
    assert found(tmp_path, files, {"select": ["MLN109"]}) == set()
