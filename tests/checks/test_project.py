"""Project facts: profile detection, packages, packaging metadata, locks, file-name kinds."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import notebook, write_tree

from mlnudge.config import build_config
from mlnudge.facts.repo import Repo
from mlnudge.project import (
    Project,
    dependency_locks,
    detect,
    find_packages,
    name_kind,
    packaging_files,
)

PROJECT = '[project]\nname = "x"\nversion = "0.1"\n'
NB = notebook("x = 1")


def project_of(tmp_path: Path, files: dict[str, str], profile: str = "auto") -> Project:
    root = write_tree(tmp_path, files)
    return detect(Repo.discover(root, build_config({"profile": profile})))


PUBLISHED = PROJECT + 'classifiers = ["Programming Language :: Python"]\n'
SETUP_PY = (
    "from setuptools import find_packages, setup\nsetup(name='x', packages=find_packages())\n"
)


@pytest.mark.parametrize(
    ("files", "profile", "reason"),
    [
        # application markers decide whatever else is there
        ({"dvc.yaml": "stages: {}\n", "src/x/__init__.py": ""}, "application", "found dvc.yaml"),
        ({"MLproject": "name: x\n"}, "application", "found MLproject"),
        ({"bentofile.yaml": "service: s\n"}, "application", "found bentofile.yaml"),
        (
            {"pyproject.toml": '[tool.kedro]\npackage_name = "x"\n', "src/x/__init__.py": ""},
            "application",
            "found pyproject.toml [tool.kedro]",
        ),
        # loose scripts and notebooks without install metadata: an application, never a library
        ({"x/__init__.py": "", "eda.ipynb": NB}, "application", "no install metadata"),
        ({"utils.py": "", "model.py": ""}, "application", "no install metadata"),
        ({"src/x/__init__.py": "", "src/x/py.typed": ""}, "application", "no install metadata"),
        # install metadata alone (a cookiecutter project's setup.py) does not make a library
        (
            {"setup.py": SETUP_PY, "src/__init__.py": "", "notebooks/eda.ipynb": NB},
            "application",
            "setup.py makes it installable, but nothing says it is published",
        ),
        (
            {"pyproject.toml": PROJECT, "src/x/__init__.py": ""},
            "application",
            "pyproject.toml makes it installable, but nothing says it is published",
        ),
        # installable and published: a library, even with notebooks at its root
        (
            {"pyproject.toml": PUBLISHED, "src/x/__init__.py": "", "tour.ipynb": NB},
            "library",
            "pyproject.toml [project] classifiers",
        ),
        (
            {
                "pyproject.toml": PROJECT,
                "src/x/__init__.py": "",
                "src/x/py.typed": "",
                "examples/train_demo.py": "fit()\n",
                "docs/tour.ipynb": NB,
            },
            "library",
            "src/x/py.typed",
        ),
        (
            {
                "pyproject.toml": '[tool.poetry]\nname = "x"\nrepository = "https://x.invalid"\n',
                "x/__init__.py": "",
                "x/trainer.py": "class Trainer: ...\n",
            },
            "library",
            "[tool.poetry] repository",
        ),
        (
            {
                "pyproject.toml": PROJECT,
                "src/x/__init__.py": "",
                ".github/workflows/release.yml": (
                    "steps:\n  - uses: pypa/gh-action-pypi-publish@v1\n"
                ),
            },
            "library",
            ".github/workflows/release.yml publishes to PyPI",
        ),
        # ... unless it has training entry points or data folders (an empty file is no code)
        (
            {"pyproject.toml": PUBLISHED, "src/x/__init__.py": "", "scripts/train.py": "fit()\n"},
            "application",
            "found scripts/train.py",
        ),
        (
            {"pyproject.toml": PUBLISHED, "src/x/__init__.py": "", "data/raw/loans.csv": "a\n1\n"},
            "application",
            "found data/",
        ),
        (
            {"pyproject.toml": PUBLISHED, "src/x/__init__.py": "", "train.py": ""},
            "library",
            "no training entry points",
        ),
        (
            {
                "pyproject.toml": PUBLISHED,
                "src/x/__init__.py": "",
                "src/x/models/train_model.py": "if __name__ == '__main__':\n    fit()\n",
            },
            "application",
            "found src/x/models/train_model.py",
        ),
        # ... or a make target that trains (the training module itself may live anywhere)
        (
            {
                "pyproject.toml": PUBLISHED,
                "src/x/__init__.py": "",
                "Makefile": "PY := .venv/bin/python\n\ntrain:\n\t$(PY) -m x.fit --config c.yaml\n",
            },
            "application",
            "found Makefile target `train`",
        ),
        # a library's Makefile builds, tests and publishes; a `train` alias of no Python is none
        (
            {
                "pyproject.toml": PUBLISHED,
                "src/x/__init__.py": "",
                "Makefile": "test:\n\tpython -m pytest\ntrain:\n\techo no\npublish:\n\ttwine upload\n",
            },
            "library",
            "no training entry points",
        ),
        # sample datasets only the examples read say nothing against publishing ...
        (
            {
                "pyproject.toml": PUBLISHED,
                "src/x/__init__.py": "",
                "data/csv/iris.csv": "a\n1\n",
                "examples/iris.py": "import pandas as pd\ndf = pd.read_csv('../data/csv/iris.csv')\n",
            },
            "library",
            "no training entry points",
        ),
        # ... but data the package's own code reads does, however the path is written
        (
            {
                "pyproject.toml": PUBLISHED,
                "src/x/__init__.py": "",
                "src/x/load.py": "import os\nPATH = os.path.join('data', 'iris.csv')\n",
                "data/iris.csv": "a\n1\n",
            },
            "application",
            "found data/",
        ),
        # a cookiecutter-data-science project: docs/conf.py is one weak sign, data/ stages
        (
            {
                "setup.py": SETUP_PY + "# long_description\n",
                "src/__init__.py": "",
                "docs/conf.py": "",
                "data/raw/.gitkeep": "",
            },
            "application",
            "found data/",
        ),
    ],
)
def test_profile_detection(
    tmp_path: Path, files: dict[str, str], profile: str, reason: str
) -> None:
    project = project_of(tmp_path, files)
    assert project.profile == profile
    assert reason in project.profile_reason
    assert project.is_application == (profile == "application")


@pytest.mark.parametrize("profile", ["application", "library"])
def test_configured_profile_wins(tmp_path: Path, profile: str) -> None:
    project = project_of(tmp_path, {"dvc.yaml": "stages: {}\n", "x/__init__.py": ""}, profile)
    assert (project.profile, project.profile_reason) == (profile, "set in the configuration")


def test_packages_include_namespace_packages_only_with_metadata(tmp_path: Path) -> None:
    files = {"src/acme/metrics/auc.py": "", "src/tidy/__init__.py": "", "tests/__init__.py": ""}
    assert project_of(tmp_path / "a", files).packages == ("src/tidy",)
    with_metadata = {**files, "pyproject.toml": PROJECT}
    assert project_of(tmp_path / "b", with_metadata).packages == ("src/acme", "src/tidy")


def test_a_top_level_folder_the_metadata_names_is_a_namespace_package(tmp_path: Path) -> None:
    poetry = '[tool.poetry]\nname = "tab-kit"\nversion = "1.0"\ndescription = "x"\n'
    files = {"tab_kit/model.py": "", "tab_kit/utils.py": "", "scripts/run.py": ""}
    # without metadata a folder of modules is not a package
    assert project_of(tmp_path / "a", files).packages == ()
    # Poetry installs `tab_kit/` for the distribution `tab-kit`, `__init__.py` or not
    named = {**files, "pyproject.toml": poetry}
    assert project_of(tmp_path / "b", named).packages == ("tab_kit",)
    # as it does a folder its `packages` list includes
    listed = poetry + 'packages = [{include = "kit"}]\n'
    other = {"kit/core.py": "", "pyproject.toml": listed}
    assert project_of(tmp_path / "c", other).packages == ("kit",)


def test_find_packages_keeps_top_levels_and_skips_tests(tmp_path: Path) -> None:
    files = {
        "src/a/__init__.py": "",
        "src/a/sub/__init__.py": "",
        "b/__init__.py": "",
        "tests/__init__.py": "",
        "projects/c/src/c/__init__.py": "",
    }
    repo = Repo.discover(write_tree(tmp_path, files), build_config({}))
    assert find_packages(repo) == ("b", "projects/c/src/c", "src/a")
    # a folder no `import` can name is not a package, `__init__.py` or not
    hyphen = {"model-deployment/__init__.py": "", "model-deployment/score.py": ""}
    repo = Repo.discover(write_tree(tmp_path / "h", hyphen), build_config({}))
    assert find_packages(repo) == ()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pyproject.toml": PROJECT}, ("pyproject.toml",)),
        ({"pyproject.toml": '[tool.poetry]\nname = "x"\n'}, ("pyproject.toml",)),
        ({"pyproject.toml": "[tool.ruff]\n[tool.pytest.ini_options]\n"}, ()),
        ({"setup.cfg": "[metadata]\nname = x\n"}, ("setup.cfg",)),
        ({"setup.cfg": "[options]\npackages = find:\n"}, ("setup.cfg",)),
        ({"setup.cfg": "[flake8]\nmax-line-length = 99\n"}, ()),
        ({"setup.cfg": "not an ini file"}, ()),
        ({"setup.py": "from setuptools import setup\nsetup(name='x')\n"}, ("setup.py",)),
        ({"setup.py": "print('installing the data')\n"}, ()),
        ({"src/setup.py": "setup(name='x')\n", "src/x/__init__.py": ""}, ("src/setup.py",)),
        (
            {"projects/c/pyproject.toml": PROJECT, "projects/c/src/c/__init__.py": ""},
            ("projects/c/pyproject.toml",),
        ),
        ({"docs/pyproject.toml": PROJECT}, ()),
    ],
)
def test_packaging_files(tmp_path: Path, files: dict[str, str], expected: tuple[str, ...]) -> None:
    repo = Repo.discover(write_tree(tmp_path, files), build_config({}))
    assert packaging_files(repo) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"poetry.lock": "", "uv.lock": "", "dvc.lock": "", "package-lock.json": ""}, 2),
        ({"requirements.txt": "# via pip-compile\na==1\n", "requirements.in": "a\n"}, 1),
        ({"requirements.txt": "a>=1\nb==2\n"}, 0),
        ({"requirements.txt": "-r base.txt\na==1\nb @ https://x/b.whl\n"}, 1),
        ({"requirements.txt": "# comment only\n"}, 0),
        ({"environment.yml": "dependencies:\n  - a=1.2\n  - pip:\n    - b==3\n"}, 1),
        ({"environment.yml": "dependencies:\n  - a>=1.2\n"}, 0),
        ({"environment.yml": "dependencies:\n  - a=1.2\n  - pip:\n    - b>=3\n"}, 0),
        ({"tests/poetry.lock": "", "docs/requirements.txt": "a==1\n"}, 0),
        ({"requirements-dev.lock": "", "env.conda-lock.yml": ""}, 2),
    ],
)
def test_dependency_locks(tmp_path: Path, files: dict[str, str], expected: int) -> None:
    repo = Repo.discover(write_tree(tmp_path, files), build_config({}))
    assert len(dependency_locks(repo)) == expected


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("train.py", "train"),
        ("src/models/train_model.py", "train"),
        ("finetune-bert.py", "train"),
        ("hparam_sweep.py", "train"),
        ("src/x/pipelines/pipeline.py", "pipeline"),
        ("predict.py", "serve"),
        ("predict-test.py", "serve"),
        ("eval.py", "serve"),
        ("trainers.py", None),
        ("constraint.py", None),
        ("retrain_notes.md", None),
        ("utils.py", None),
    ],
)
def test_name_kind(path: str, kind: str | None) -> None:
    assert name_kind(path) == kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("trainLGBM.py", "train"),
        ("scripts/hpo.py", "train"),
        ("preProcessing.py", None),
        ("runPipeline.py", "pipeline"),
        ("constrain.py", None),
    ],
)
def test_name_kind_reads_camel_case_words(path: str, kind: str | None) -> None:
    assert name_kind(path) == kind
