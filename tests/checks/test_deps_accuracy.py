"""Regression tests for the deps findings that were wrong on unseen public repositories.

One section per class of mistake; each fixture is a small repository written here from
scratch, shaped like the repositories where the mistake was seen (Kaggle and course projects,
MLOps projects with DVC/MLflow/FastAPI/Docker, small Poetry and setuptools libraries). The
profile is set explicitly so that these tests pin the deps policy, not profile detection.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import Tree, notebook

from mlnudge.config import ConfigError, build_config
from mlnudge.finding import Finding
from mlnudge.report.model import Report
from mlnudge.runner import run


def check(root: Path, profile: str, deps: Mapping[str, Any] | None = None) -> Report:
    table: dict[str, Any] = {"select": ["MLN4"], "profile": profile}
    if deps:
        table["deps"] = dict(deps)
    report = run(root, build_config(table), families=["deps"], use_cache=False)
    # a rule that crashed reports nothing: never let that pass as "no finding"
    assert [e for e in report.errors if e.kind == "internal"] == []
    return report


def found(report: Report, *rules: str) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.path, f.line) for f in report.findings if not rules or f.rule in rules]


def only(report: Report, rule: str) -> Finding:
    (f,) = [f for f in report.findings if f.rule == rule]
    return f


# -- an exact pin in package metadata is a finding in every profile --------------------------

APP_CODE = {"train.py": "import pandas\nimport numpy\n", "tests/test_train.py": ""}


@pytest.mark.parametrize("profile", ["application", "library"])
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "pyproject.toml": (
                    '[project]\nname = "churn"\nversion = "0.1"\n'
                    'dependencies = [\n    "pandas==2.2.1",\n    "numpy>=1.26",\n]\n'
                )
            },
            ("pyproject.toml", 5, '    "pandas>=2.2.1",'),
        ),
        (
            {
                "setup.py": (
                    "from setuptools import setup\n\nsetup(\n    name='churn',\n"
                    "    install_requires=['numpy>=1.26', 'pandas==2.2.1'],\n)\n"
                )
            },
            ("setup.py", 5, "    install_requires=['numpy>=1.26', 'pandas>=2.2.1'],"),
        ),
        (
            {
                "pyproject.toml": (
                    '[tool.poetry]\nname = "churn"\nversion = "0.1.0"\n\n'
                    '[tool.poetry.dependencies]\npython = "^3.10"\npandas = "2.2.1"\n'
                    'numpy = "^1.26"\n'
                )
            },
            ("pyproject.toml", 7, 'pandas = ">=2.2.1"'),
        ),
    ],
    ids=["project", "setup.py", "poetry"],
)
def test_exact_pin_in_package_metadata_in_every_profile(
    tree: Callable[[Tree], Path],
    profile: str,
    files: dict[str, str],
    expected: tuple[str, int, str],
) -> None:
    root = tree({**APP_CODE, **files})
    pin = only(check(root, profile), "MLN402")
    assert (pin.path, pin.line, pin.suggestion) == expected


def test_application_pins_in_requirements_are_its_lock_but_extras_are_metadata(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            **APP_CODE,
            "requirements.txt": "pandas==2.2.1\nnumpy==1.26.4\n",
            "pyproject.toml": (
                '[project]\nname = "churn"\nversion = "0.1"\ndependencies = ["pandas>=2.1"]\n'
                '[project.optional-dependencies]\ndocs = ["sphinx==7.2.6"]\n'
            ),
        }
    )
    assert found(check(root, "application"), "MLN402") == [("MLN402", "pyproject.toml", 6)]


DOCS_PINS = [
    (
        "pyproject.toml",
        '[project]\nname = "churn"\nversion = "0.1"\ndependencies = ["pandas==2.2.1"]\n'
        "[project.optional-dependencies]\n"
        'docs = ["sphinx_rtd_theme==0.5.1", "docutils<0.18"]\ndev = ["pytest==8.0.0"]\n',
    ),
    (
        "setup.py",
        "from setuptools import setup\n\nsetup(\n    name='churn',\n"
        "    install_requires=['pandas==2.2.1'],\n"
        "    extras_require={\n        'docs': ['sphinx_rtd_theme==0.5.1', 'docutils<0.18'],\n"
        "        'dev': ['pytest==8.0.0'],\n    },\n)\n",
    ),
    (
        "pyproject.toml",
        '[tool.poetry]\nname = "churn"\nversion = "0.1"\n\n'
        '[tool.poetry.dependencies]\npython = ">=3.10,<4"\npandas = "2.2.1"\n\n'
        '[tool.poetry.group.dev.dependencies]\npytest = "8.0.0"\n\n'
        '[tool.poetry.group.docs.dependencies]\nsphinx_rtd_theme = "0.5.1"\ndocutils = "<0.18"\n',
    ),
]


@pytest.mark.parametrize("profile", ["application", "library"])
@pytest.mark.parametrize(("name", "text"), DOCS_PINS)
def test_pins_and_caps_of_the_docs_build_are_information(
    tree: Callable[[Tree], Path], profile: str, name: str, text: str
) -> None:
    """The docs extra (Kedro's template ships one) is installed on its own by the docs job:
    its exact pins and upper-only caps are information; the product's and the development
    group's pins stay warnings."""
    report = check(tree({**APP_CODE, name: text}), profile, {"use-installed-metadata": False})

    def severity(rule: str, name: str) -> str | None:
        (f,) = [f for f in report.findings if f.rule == rule and f"`{name}" in f.message] or [None]
        return None if f is None else f.severity.label

    # a Poetry group is no published metadata: its exact pins are no finding at all
    poetry = "[tool.poetry" in text
    assert severity("MLN402", "sphinx_rtd_theme") == (None if poetry else "info")
    assert severity("MLN403", "docutils") == "info"
    assert severity("MLN402", "pandas") == "warning"
    assert severity("MLN402", "pytest") == (None if poetry else "warning")
    docs = [f for f in report.findings if f.severity.label == "info" and f.rule == "MLN402"]
    assert all("docs build" in f.message for f in docs)


@pytest.mark.parametrize(
    ("group", "docs"),
    [
        ("docs", True),
        ("doc", True),
        ("Docs-Build", True),
        ("documentation", True),
        ("mkdocs", True),
        ("dev", False),
        ("test", False),
        ("dockerize", False),
    ],
)
def test_which_groups_are_the_docs_build(group: str, docs: bool) -> None:
    from mlnudge.checks.deps.ranges import docs_group

    assert docs_group(group) is docs


def test_application_pipfile_pins_are_fine_stars_are_not(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "Pipfile": (
                '[packages]\nnltk = "3.7"\ntensorflow = "==2.9.1"\npandas = "*"\n'
                'fastapi = ">=0.100"\n\n[dev-packages]\npytest = "*"\n'
            ),
            "app.py": "import nltk\nimport tensorflow\nimport pandas\nimport fastapi\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    lock = (
        '{"_meta": {}, "default": {"nltk": {"version": "==3.7"}, '
        '"tensorflow": {"version": "==2.9.1"}, "pandas": {"version": "==2.2.1"}, '
        '"fastapi": {"version": "==0.110.0"}}, "develop": {"pytest": {"version": "==8.0.0"}}}'
    )
    locked = check(tree({"Pipfile.lock": lock}), "application", {"use-installed-metadata": False})
    # a Pipfile declares; its lock is Pipfile.lock: the same nudges with or without it
    assert found(report) == found(locked)
    # an application's Pipfile feeds its image: exact pins (`==2.9.1`, a bare `3.7`) are fine
    # there, `"*"` still owes a range, development packages included
    assert found(report) == [("MLN401", "Pipfile", 4), ("MLN401", "Pipfile", 8)]


def test_application_without_lock_gets_the_range_policy_on_every_declaration(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "src/requirements.txt": "kedro~=0.19.9\nscikit-learn>=1.3\ntraitlets<5.10.0\n",
            "src/pyproject.toml": (
                '[project]\nname = "house-prices"\nversion = "0.1"\n'
                'dependencies = ["kedro>=0.19"]\n'
                '[project.optional-dependencies]\ndocs = ["sphinx~=3.4.3", "docutils<0.18.0"]\n'
            ),
            "src/house_prices/__init__.py": "import kedro\nimport sklearn\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    # two packages on line 6 of the pyproject: two findings
    assert sorted(f.anchor for f in report.findings) == [
        "compatible:src/pyproject.toml:sphinx",
        "compatible:src/requirements.txt:kedro",
        "upper-only:src/pyproject.toml:docutils",
        "upper-only:src/requirements.txt:traitlets",
    ]


# -- VCS and URL requirements declare their package; import names map both ways -------------


def test_vcs_and_url_requirements_declare_their_package(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": (
                "clip @ git+https://github.com/openai/CLIP.git@a1b2c3d\n"
                "git+https://github.com/acme/featurelib.git@v1.4.0\n"
                "-e git+https://github.com/acme/seglib.git@3f2c1e9#egg=seglib\n"
                "https://files.example.invalid/wheels/tabkit-0.3.1-py3-none-any.whl\n"
                "pandas>=2.1\n"
            ),
            "serve.py": (
                "import clip\nimport featurelib\nimport seglib\nimport tabkit\nimport pandas\n"
            ),
        }
    )
    assert found(check(root, "application"), "MLN410", "MLN411") == []


#: (import name, distribution) pairs whose names differ
RENAMED = [
    ("skopt", "scikit-optimize"),
    ("cv2", "opencv-python-headless"),
    ("cv2", "opencv-contrib-python"),
    ("PIL", "pillow"),
    ("sklearn", "scikit-learn"),
    ("yaml", "pyyaml"),
    ("dotenv", "python-dotenv"),
    ("imblearn", "imbalanced-learn"),
    ("faiss", "faiss-cpu"),
    ("hydra", "hydra-core"),
    ("absl", "absl-py"),
    ("psycopg2", "psycopg2-binary"),
    ("google", "google-cloud-storage"),
    ("umap", "umap-learn"),
    ("tensorflow", "tensorflow-gpu"),
    ("Levenshtein", "python-Levenshtein"),
    ("zmq", "pyzmq"),
]


@pytest.mark.parametrize(("module", "dist"), RENAMED)
def test_import_names_map_to_distributions_both_ways(
    tree: Callable[[Tree], Path], module: str, dist: str
) -> None:
    imported = "google.cloud.storage" if module == "google" else module
    root = tree(
        {"requirements.txt": f"{dist}>=1.0\n", "app/main.py": f"import {imported}\n"},
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410", "MLN411") == []


def test_an_abbreviated_import_and_its_unused_declaration_never_contradict(
    tree: Callable[[Tree], Path],
) -> None:
    # neither name is in any table: the two rules would say "add tabular-toolkit" next to
    # "tabular-toolkit is never imported"; they say nothing rather than contradict each other
    root = tree({"requirements.txt": "tabular-toolkit>=1.0\n", "app.py": "import tbtk\n"})
    assert found(check(root, "application", {"use-installed-metadata": False})) == []


def test_undeclared_and_unused_still_reported_when_unrelated(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree({"requirements.txt": "seaborn>=0.13\n", "app.py": "import lightgbm\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410", "MLN411") == [
        ("MLN410", "app.py", 1),
        ("MLN411", "requirements.txt", 1),
    ]
    assert "`lightgbm`" in only(report, "MLN410").message


SETUP_METADATA = "metadata = dict(name='cells', packages=['cells'])\nsetup(**metadata)\n"


@pytest.mark.parametrize(
    ("manifest", "text", "undeclared"),
    [
        # a manifest that declares nothing leaves every import undeclared
        (
            "setup.py",
            "from setuptools import setup\nsetup(name='cells', packages=['cells'])\n",
            True,
        ),
        ("setup.py", "from setuptools import setup\n" + SETUP_METADATA, True),
        ("setup.py", "from setuptools import setup\nsetup(**{'name': 'cells'})\n", True),
        ("requirements.txt", "# filled in later\n", True),
        ("pyproject.toml", "[project]\nname = 'cells'\nversion = '1.0'\n", True),
        # what it declares cannot be read: nothing can be called undeclared because of it
        ("setup.py", "from setuptools import setup\nsetup(**load_metadata())\n", False),
        (
            "setup.py",
            "from setuptools import setup\nsetup(name='cells', install_requires=reqs())\n",
            False,
        ),
        (
            "setup.py",
            "from setuptools import setup\n"
            + SETUP_METADATA.replace("setup(", "metadata.update(x)\nsetup("),
            False,
        ),
        (
            "pyproject.toml",
            "[project]\nname = 'cells'\nversion = '1.0'\ndynamic = ['dependencies']\n",
            False,
        ),
        # a pyproject.toml that only configures tools declares nothing about installing
        ("pyproject.toml", "[tool.ruff]\nline-length = 100\n", False),
    ],
)
def test_a_manifest_that_declares_nothing_leaves_imports_undeclared(
    tree: Callable[[Tree], Path], manifest: str, text: str, undeclared: bool
) -> None:
    root = tree(
        {
            manifest: text,
            "cells/__init__.py": "def seed():\n    import numpy\n    numpy.random.seed(0)\n",
            "cells/layers.py": "import torch\n",
        }
    )
    report = check(root, "library", {"use-installed-metadata": False})
    expected = [("MLN410", "cells/__init__.py", 2), ("MLN410", "cells/layers.py", 1)]
    assert sorted(found(report, "MLN410")) == (expected if undeclared else [])


def test_nothing_is_called_unused_while_some_code_cannot_be_read(
    tree: Callable[[Tree], Path],
) -> None:
    # the notebook (binary here, as a checkout without its large files leaves it) may import
    # seaborn: "declared but never imported" cannot be said; the read error is reported
    root = tree(
        {
            "requirements.txt": "seaborn>=0.13\nlightgbm>=4\n",
            "app.py": "import lightgbm\n",
            "analysis.ipynb": "\0\0\0",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN411") == []
    assert any(e.path == "analysis.ipynb" for e in report.errors)


def test_an_undeclared_import_points_at_the_package_before_copies_elsewhere(
    tree: Callable[[Tree], Path],
) -> None:
    """A copy of the code under ``reports/`` sorts first by name; the finding still points
    at the package's own import, where the reader fixes it."""
    root = tree(
        {
            "requirements.txt": "click>=8\n",
            "reports/figures/make_dataset.py": "import click\nimport pandas\n",
            "src/__init__.py": "",
            "src/data/__init__.py": "",
            "src/data/make_dataset.py": "import click\n\nimport pandas\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [("MLN410", "src/data/make_dataset.py", 3)]
    assert "(and in 1 other file)" in only(report, "MLN410").message


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # without a package, the project's modules come before its helper scripts
        (
            {"scripts/demo.py": "import torch\n", "model/net.py": "import os\nimport torch\n"},
            ("MLN410", "model/net.py", 2),
        ),
        # a Hydra project whose `src/` has no `__init__.py` (imported by its targets): the
        # module in `src/` comes before the root script that serves it
        (
            {"inference.py": "import torch\n", "src/datamodule.py": "import os\nimport torch\n"},
            ("MLN410", "src/datamodule.py", 2),
        ),
        # code kept aside in a `bak/` folder (sorting first by name) comes last
        (
            {
                "src/models/components/bak/old_net.py": "import timm\n",
                "src/models/components/net.py": "import os\nimport timm\n",
            },
            ("MLN410", "src/models/components/net.py", 2),
        ),
    ],
)
def test_an_undeclared_import_points_at_the_code_before_scripts(
    tree: Callable[[Tree], Path], files: dict[str, str], expected: tuple[str, str, int]
) -> None:
    root = tree({"requirements.txt": "click>=8\n", **files})
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [expected]


def test_the_fix_of_an_undeclared_import_names_its_own_sub_projects_manifest(
    tree: Callable[[Tree], Path],
) -> None:
    """Two services, each with its own Pipfile, both importing `requests` that neither
    declares: the fix sends it to the Pipfile of the code the finding points at, never to
    the other service's."""
    root = tree(
        {
            "training/Pipfile": '[packages]\npandas = ">=2"\n',
            "training/flows/__init__.py": "",
            "training/flows/util.py": "import pandas\nimport requests\n",
            "serving/Pipfile": '[packages]\nflask = ">=3"\n',
            "serving/app.py": "import flask\nimport requests\n",
        }
    )
    finding = only(check(root, "application", {"use-installed-metadata": False}), "MLN410")
    folder = finding.path.split("/", 1)[0]
    assert finding.fix is not None and f"{folder}/Pipfile" in finding.fix


# -- a first-party module is never "add it to the dependencies" ------------------------------


def test_first_party_modules_are_never_undeclared(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\n",
            "pyproject.toml": '[project]\nname = "churn-model"\nversion = "0.1"\n',
            "src/features/build.py": "import pandas\n",
            "scripts/train.py": (
                "import pandas\n"
                "import features.build\n"  # a package folder under src/
                "import churn_model\n"  # the project's own distribution
                "import utils\n"  # a helper module deleted since (generic local name)
                "from my_helpers import load\n"  # the same, by its shape
                "import fast_tokenizer\n"  # a compiled extension in the tree
                "import notebooks_shared\n"  # a notebook imported with import-ipynb
            ),
            "src/fast_tokenizer.cpython-311-x86_64-linux-gnu.so": b"\x7fELF",
            "notebooks_shared.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, '
            '"nbformat_minor": 5}',
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_scripts_that_edit_sys_path_import_their_own_modules(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\n",
            "src/models/evaluate.py": (
                "import os\nimport sys\nsys.path.append(os.path.join('..', 'features'))\n"
                "import pandas\nimport candidates\nimport data_generator\nimport lightgbm\n"
            ),
        }
    )
    # the two modules it put on sys.path are its own; lightgbm is still undeclared
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [("MLN410", "src/models/evaluate.py", 7)]


def test_modules_the_packaging_metadata_names_are_first_party(
    tree: Callable[[Tree], Path],
) -> None:
    # the package folders moved to lib/ but scripts still import the old top-level names
    root = tree(
        {
            "setup.py": (
                "from setuptools import setup\nsetup(name='churn', py_modules=['churnutil'],\n"
                "      packages=['churnlib', 'churnlib.io'], install_requires=['pandas>=2'])\n"
            ),
            "pyproject.toml": (
                '[tool.poetry]\nname = "x"\npackages = [{ include = "scoring", from = "src" }]\n'
            ),
            "run.py": "import pandas\nimport churnutil\nimport churnlib.io\nimport scoring\n",
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_what_the_image_installs_is_declared(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\n",
            "Dockerfile": "FROM python:3.11\nRUN pip install uvicorn==0.29.0\n",
            "serve.py": "import pandas\nimport uvicorn\n",
        }
    )
    assert found(check(root, "application")) == []


PROJECT = (
    "[project]\nname = 'cells'\nversion = '1.0'\nrequires-python = '>=3.10'\n"
    "dependencies = [\n  'numpy>=1.26,<3',\n  'pandas>=2.1,<3',\n  \"torch>=2.1,<3\",\n]\n"
)


SERVE_LOADS = "import torch\n\nmodel = torch.jit.load('/opt/model.pt')\n"
SERVE_NO_MODEL = "import torch\n\ndef handler(event):\n    return torch.zeros(3)\n"


@pytest.mark.parametrize(
    ("files", "reported"),
    [
        # the image that serves the trained model installs a torch the training range excludes
        ({}, [("MLN407", "pyproject.toml", 8)]),
        # a folder without an image of its own is installed on top of the training environment
        ({"serve/Dockerfile": None}, []),
        # the folder's code never loads a saved model: a service of its own, ranges may differ
        ({"serve/app.py": SERVE_NO_MODEL}, []),
        # the ranges meet
        ({"serve/requirements.txt": "torch==2.1.2\n"}, []),
        # the project's own declaration is the training range, not another image's
        (
            {
                "pyproject.toml": PROJECT.replace('"torch>=2.1,<3"', '"pandas>=2.1,<3"'),
                "images/base/Dockerfile": "FROM python:3.11\nRUN pip install -r requirements.txt\n",
                "images/base/requirements.txt": "torch==2.1.2\n",
            },
            [],
        ),
        # a library that saves no model may differ between services
        (
            {
                "serve/requirements.txt": "torch>=2.1\nrequests==2.25.1\n",
                "pyproject.toml": PROJECT.replace('"torch>=2.1,<3"', '"requests>=2.31,<3"'),
            },
            [],
        ),
    ],
)
def test_the_serving_image_runs_the_framework_the_model_is_trained_with(
    tree: Callable[[Tree], Path],
    files: dict[str, str | None],
    reported: list[tuple[str, str, int]],
) -> None:
    layout: dict[str, str | None] = {
        "pyproject.toml": PROJECT,
        "cells/train.py": "import torch\n\ntorch.jit.save(torch.jit.script(model), 'm.pt')\n",
        "serve/Dockerfile": "FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        "serve/requirements.txt": "torch==1.13.1\n",
        "serve/app.py": SERVE_LOADS,
        **files,
    }
    root = tree({k: v for k, v in layout.items() if v is not None})
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN407") == reported
    if reported:
        message = only(report, "MLN407").message
        assert "`torch==1.13.1`" in message and "`serve/`" in message
        assert "serve/requirements.txt:1" in message


def test_a_sub_projects_module_word_distribution_provides_the_module(
    tree: Callable[[Tree], Path],
) -> None:
    # declared at the root under its own name, in the service as `<module>.<word>`: the
    # service's manifest provides it (no "imported in service/, whose manifest ...")
    root = tree(
        {
            "requirements.txt": "autogluon>=1.0\n",
            "service/Dockerfile": "FROM python:3.11\nRUN pip install -r requirements.txt\n",
            "service/requirements.txt": "autogluon.tabular~=1.1.0\n",
            "service/app.py": "from autogluon.tabular import TabularPredictor\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == []


def test_loading_a_torch_checkpoint_uses_no_other_framework(tree: Callable[[Tree], Path]) -> None:
    # an unpickled model needs its library imported or not; a state dict needs only torch
    root = tree(
        {
            "requirements.txt": "torch>=2.1\nxgboost>=2.0\n",
            "serve.py": "import torch\n\nstate = torch.load('model.pt', weights_only=True)\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN411") == [("MLN411", "requirements.txt", 2)]


def test_hosted_notebook_modules_are_not_dependencies(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\n",
            "train.py": (
                "import pandas\nfrom google.colab import drive\n"
                "from kaggle_secrets import UserSecretsClient\n"
            ),
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_standard_library_of_any_python_is_not_a_dependency(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\n",
            "legacy.py": (
                "import pandas\nimport distutils.util\nimport imp\nimport urllib2\n"
                "import cPickle\nfrom StringIO import StringIO\n"
            ),
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_imports_guarded_by_an_availability_check_are_optional(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "torch>=2.1\n",
            "train.py": (
                "import importlib.util\nimport torch\n\n"
                "if importlib.util.find_spec('wandb') is not None:\n    import wandb\n"
                "_MLFLOW_AVAILABLE = importlib.util.find_spec('mlflow') is not None\n"
                "def log():\n    if _MLFLOW_AVAILABLE:\n        import mlflow\n"
            ),
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_lazy_imports_a_function_makes_on_demand_are_optional(
    tree: Callable[[Tree], Path],
) -> None:
    # under a flag of the function, or under a test that already names the module
    root = tree(
        {
            "requirements.txt": "torch>=2.1\nlightning>=2.1\n",
            "report.py": (
                "def show(path, notebook=False):\n    if notebook:\n"
                "        from IPython.display import HTML\n        return HTML(path)\n"
            ),
            "finish.py": (
                "import lightning as pl\n\ndef close(loggers):\n    for lg in loggers:\n"
                "        if isinstance(lg, pl.loggers.wandb.WandbLogger):\n"
                "            import wandb\n            wandb.finish()\n"
            ),
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_an_import_inside_a_function_is_still_a_need(tree: Callable[[Tree], Path]) -> None:
    # a lazy import every call makes, or one under a test of the data, is the code's need
    root = tree(
        {
            "requirements.txt": "torch>=2.1\n",
            "train.py": (
                "def fit(x):\n    import sklearn.linear_model\n    if len(x) > 10:\n"
                "        import xgboost\n    return x\n"
            ),
        }
    )
    assert found(check(root, "application"), "MLN410") == [
        ("MLN410", "train.py", 2),
        ("MLN410", "train.py", 4),
    ]


def test_a_conda_environment_named_after_its_environment_declares(
    tree: Callable[[Tree], Path],
) -> None:
    # `ddagl.yml` at the root, read by what it holds; its local wheel is a path, not a name
    root = tree(
        {
            "ddagl.yml": (
                "name: ddagl\nchannels:\n  - conda-forge\ndependencies:\n"
                "  - pandas>=1.1\n  - dgl-cuda11.0=0.5.3\n  - pip\n  - pip:\n"
                "      - ddagl-0.1-py3-none-any.whl\n"
            ),
            "run.py": "import pandas\nimport dgl\nimport seaborn\n",
        }
    )
    findings = check(root, "application")
    # read as a declaration: only what it does not declare is undeclared
    assert found(findings, "MLN410") == [("MLN410", "run.py", 3)]
    assert found(findings, "MLN401") == []
    assert found(findings, "MLN411") == []


def test_an_image_installs_from_a_url_and_ships_its_base_images_stack(
    tree: Callable[[Tree], Path],
) -> None:
    # a git URL declares the package it installs (and is MLN408 while it names no commit);
    # the official PyTorch image ships NumPy
    root = tree(
        {
            "Dockerfile": (
                "FROM pytorch/pytorch:1.5-cuda10.1-cudnn7-devel\n"
                "RUN pip install hydra-core==1.0.0 && \\\n"
                "    pip install -U git+https://github.com/example-org/augmentlib\n"
            ),
            "train.py": "import numpy\nimport torch\nimport augmentlib\n",
        }
    )
    findings = check(root, "application")
    assert found(findings, "MLN410") == []
    assert found(findings, "MLN408") == [("MLN408", "Dockerfile", 3)]


# -- a runtime import satisfied only by a development group is a finding for a library -------

LIB_PYPROJECT = (
    '[project]\nname = "tabkit"\nversion = "0.3.0"\ndependencies = ["numpy>=1.26"]\n\n'
    "[project.optional-dependencies]\n"
    'plot = ["seaborn>=0.13"]\n'
    'dev = ["pytest>=8", "matplotlib>=3.8"]\n\n'
    '[dependency-groups]\ntest = ["hypothesis>=6"]\n'
)


def test_library_runtime_import_only_in_a_dev_group(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "pyproject.toml": LIB_PYPROJECT,
            "src/tabkit/__init__.py": "import numpy\n",
            "src/tabkit/plots.py": "import matplotlib.pyplot as plt\nimport seaborn\n",
            "src/tabkit/testing.py": "import hypothesis\n",
            "scripts/make_figures.py": "import matplotlib\n",  # not shipped to users
            "tests/test_plots.py": "import pytest\nimport matplotlib\nimport hypothesis\n",
        }
    )
    report = check(root, "library")
    assert found(report, "MLN410") == [
        ("MLN410", "src/tabkit/plots.py", 1),
        ("MLN410", "src/tabkit/testing.py", 1),
    ]
    plots = report.findings[[f.path for f in report.findings].index("src/tabkit/plots.py")]
    assert "`dev`" in plots.message and plots.anchor == "dev-only:matplotlib"


def test_application_imports_from_dev_groups_are_its_own_business(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "pyproject.toml": LIB_PYPROJECT.replace("tabkit", "churn"),
            "uv.lock": "",
            "src/churn/plots.py": "import matplotlib\nimport numpy\n",
        }
    )
    assert found(check(root, "application"), "MLN410") == []


# -- UTF-16 / BOM requirements; pinned files and pip freeze dumps are locks -------------------

FREEZE = (
    "certifi==2024.2.2\ncharset-normalizer==3.3.2\nidna==3.6\njoblib==1.3.2\n"
    "numpy==1.26.4\npandas==2.2.1\npython-dateutil==2.9.0\npytz==2024.1\n"
    "scikit-learn==1.4.1.post1\nscipy==1.12.0\nseaborn==0.13.2\nsix==1.16.0\n"
    "threadpoolctl==3.3.0\ntzdata==2024.1\nurllib3==2.2.1\n"
)


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-8"]
)
def test_pip_freeze_dump_in_any_encoding_is_a_lock(
    tree: Callable[[Tree], Path], encoding: str
) -> None:
    text = FREEZE.replace("\n", "\r\n") if encoding.startswith("utf-16") else FREEZE
    data = {
        "utf-16": text.encode("utf-16"),  # what `pip freeze >` writes in Windows PowerShell
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-8-bom": codecs.BOM_UTF8 + text.encode(),
        "utf-8": text.encode(),
    }[encoding]
    root = tree(
        {
            "requirements.txt": data,
            "train.py": "import pandas\nimport sklearn\nimport lightgbm\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert report.errors == ()
    # its transitive entries are never "declared but never imported", nor judged as ranges;
    # what it installs satisfies imports, and what it lacks is still reported
    # (it is the only declaration here, so it declares what it installs)
    assert found(report) == [("MLN410", "train.py", 3)]


LONG_FREEZE = FREEZE + "".join(f"transitive-{i}==1.{i}.0\n" for i in range(30))


def test_a_freeze_dump_with_a_line_added_by_hand_is_still_a_dump(
    tree: Callable[[Tree], Path],
) -> None:
    """One hand-written range in a 45-line freeze: still a dump (no "declared but never
    imported" on its transitive pins); ten hand-written lines make a declaration again."""
    root = tree(
        {
            "requirements.txt": LONG_FREEZE + "protobuf>=4.25,<5\n",
            "train.py": "import pandas\nimport sklearn\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN411") == []
    hand = "".join(f"lib{i}>=1.0\n" for i in range(10))
    root = tree({"requirements.txt": LONG_FREEZE + hand, "train.py": "import pandas\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    assert ("MLN411", "requirements.txt", 2) in found(report, "MLN411")


def test_a_dump_the_readme_installs_declares_the_environment(
    tree: Callable[[Tree], Path],
) -> None:
    """Beside a `pyproject.toml` that lists a few packages, a freeze dump is its lock, and an
    import only the dump has is undeclared; when the README installs from the dump, the dump
    is how the environment is declared."""
    files: dict[str, str | bytes] = {
        "pyproject.toml": (
            '[project]\nname = "churn"\nversion = "0.1"\ndependencies = ["pandas>=2.1"]\n'
        ),
        "requirements.txt": LONG_FREEZE,
        "src/churn/__init__.py": "",
        "src/churn/train.py": "import pandas\nimport sklearn\n",
    }
    report = check(tree(files), "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [("MLN410", "src/churn/train.py", 2)]
    files["README.md"] = "# churn\n\n```\npip install -r requirements.txt\n```\n"
    report = check(tree(files), "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == []


def test_requirements_with_a_coding_line_are_read_as_pip_reads_them(
    tree: Callable[[Tree], Path],
) -> None:
    text = "# -*- coding: latin-1 -*-\n# Projet d'étude\npandas\n"
    root = tree({"requirements.txt": text.encode("latin-1"), "train.py": "import pandas\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    assert report.errors == ()
    assert found(report) == [("MLN401", "requirements.txt", 3)]


def test_fully_pinned_short_file_is_a_lock_but_still_a_declaration(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "pandas==2.2.1\nseaborn==0.13.2\n",
            "train.py": "import pandas\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report) == [("MLN411", "requirements.txt", 2)]


def test_conda_list_export_is_not_an_invalid_requirements_file(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": (
                "# This file may be used to create an environment using:\n"
                "# $ conda create --name <env> --file <this file>\n# platform: linux-64\n"
                "_libgcc_mutex=0.1=main\nnumpy=1.26.4=py311h08b1b3b_0\n"
                "pandas=2.2.1=py311ha02d727_0\npython=3.11.8=h955ad1f_0\n"
            ),
            "train.py": "import pandas\n",
        }
    )
    assert found(check(root, "application")) == []


def test_requirements_of_examples_docs_and_tests_are_not_the_products(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\n",
            "train.py": "import pandas\n",
            "examples/quickstart/requirements.txt": "streamlit\nplotly\n",
            "examples/quickstart/Dockerfile": "FROM python:3.11\nRUN pip install streamlit\n",
            "docs/requirements.txt": "sphinx\nfuro\n",
            "tests/requirements.txt": "pytest\nhypothesis\n",
        }
    )
    assert found(check(root, "application")) == []


def test_conda_env_export_is_a_lock(tree: Callable[[Tree], Path]) -> None:
    env = (
        "name: kaggle\nchannels:\n  - defaults\ndependencies:\n"
        "  - _libgcc_mutex=0.1=main\n  - ca-certificates=2024.3.11=h06a4308_0\n"
        "  - numpy=1.26.4=py311h08b1b3b_0\n  - pandas=2.2.1=py311ha02d727_0\n"
        "  - python=3.11.8=h955ad1f_0\n  - pip=23.3.1=py311h06a4308_0\n"
        "  - pip:\n      - certifi==2024.2.2\n      - idna==3.6\n      - urllib3==2.2.1\n"
        "      - lightgbm==4.3.0\nprefix: /home/me/miniconda3/envs/kaggle\n"
    )
    root = tree({"environment.yml": env, "train.py": "import pandas\nimport lightgbm\n"})
    assert found(check(root, "application")) == []


def test_a_pip_freeze_under_a_conda_environment_is_a_lock(tree: Callable[[Tree], Path]) -> None:
    frozen = "".join(
        f"  - {name}=={version}\n"
        for name, version in [
            ("aiohttp", "3.8.3"),
            ("amqp", "5.1.1"),
            ("pandas", "1.5.2"),
            ("lightgbm", "3.3.3"),
            ("yarl", "1.8.2"),
            ("zc-lockfile", "2.0"),
        ]
    )
    env = "name: exp\nchannels:\n- defaults\ndependencies:\n- pip:\n" + frozen
    root = tree({"environment.yml": env, "train.py": "import pandas\nimport lightgbm\n"})
    # every transitive package pinned: a record of an environment, not a declaration of what
    # the code needs, so nothing in it is "declared but never imported"
    assert found(check(root, "application")) == []


def test_a_prefix_above_unpinned_specs_is_a_declaration(tree: Callable[[Tree], Path]) -> None:
    # `conda env export --from-history`, or a hand-edited copy: the requested specs, unpinned
    env = (
        "name: ecg\nchannels:\n  - defaults\ndependencies:\n  - python>=3.10\n"
        "  - pip:\n    - -e .\n    - pandas\n    - lightgbm>=4\nprefix: /opt/conda/envs/ecg\n"
    )
    root = tree({"environment.yml": env, "train.py": "import pandas\nimport lightgbm\n"})
    assert found(check(root, "application"), "MLN401") == [("MLN401", "environment.yml", 8)]


# -- files a tool generated are not the project's manifests ----------------------------------


def test_saved_mlflow_model_and_run_folders_are_not_manifests(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\nscikit-learn>=1.4\nmlflow>=2.11\n",
            "train.py": "import pandas\nimport sklearn\nimport mlflow\n",
            "models/churn/MLmodel": "flavors:\n  python_function: {}\n",
            "models/churn/requirements.txt": "mlflow==2.11.1\ncloudpickle==3.0.0\nlightgbm\n",
            "models/churn/conda.yaml": (
                "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip\n"
                "  - pip:\n    - mlflow==2.11.1\n    - lightgbm\n"
            ),
            "models/churn/python_env.yaml": "python: 3.11\ndependencies:\n  - -r requirements.txt\n",
            "models/churn/code/helpers.py": "import cloudpickle\n",
            "wandb/run-20240301_101010-abc/files/requirements.txt": "torch\nwandb\n",
            "wandb/run-20240301_101010-abc/files/code/train.py": "import torch\n",
            "{{cookiecutter.repo_name}}/requirements.txt": "click\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report) == []


# -- packages used without an import are not unused ------------------------------------------


def test_packages_used_without_an_import(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.in": (
                "pandas>=2.1\nopenpyxl>=3.1\nxlrd>=2\npyarrow>=15\nfastparquet>=2024.2\n"
                "tables>=3.9\ndvc[s3]>=3.48\ndvc-gdrive>=3\nlightning>=2.2\n"
                "jsonargparse[signatures]>=4.27\nfastapi>=0.110\nuvicorn[standard]>=0.29\n"
                "gunicorn>=21\nhypercorn>=0.16\nipykernel>=6.29\njupyter>=1\n"
                "acme-plugin>=1.0\nseaborn>=0.13\n"
            ),
            "cli.py": "import pandas\nfrom lightning.pytorch.cli import LightningCLI\n",
            "api.py": "import fastapi\n",
        }
    )
    report = check(root, "application", {"used-without-import": ["acme-plugin"]})
    assert [f.message.split("`")[1] for f in report.findings if f.rule == "MLN411"] == ["seaborn"]


def test_interactive_shells_and_test_runners_of_an_application_are_used(
    tree: Callable[[Tree], Path],
) -> None:
    files = {
        "requirements.txt": "pandas>=2.1\nipython>=8\npytest>=8\n",
        "churn/__init__.py": "",
        "churn/clean.py": "import pandas\n",
    }
    report = check(tree(files), "application")
    # no test anywhere: nothing runs through pytest yet, so it is reported
    assert [f.message.split("`")[1] for f in report.findings if f.rule == "MLN411"] == ["pytest"]
    # a plain-assert test beside the code runs through pytest without importing it
    root = tree(
        {
            **files,
            "tests/test_clean.py": "from churn import clean\n\n\ndef test_x():\n    assert clean\n",
        }
    )
    assert [f for f in check(root, "application").findings if f.rule == "MLN411"] == []


def test_packages_named_where_they_are_used_without_an_import(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.in": (
                "pandas>=2.1\ns3cmd>=2.4\ntimm>=0.9\nxlsx2csv>=0.8\nstreamlit>=1.30\n"
                "seaborn>=0.13\nmatplotlib>=3.8\n"
            ),
            "requirements.txt": "# This file is autogenerated by pip-compile\n"
            "pandas==2.2.1\ns3cmd==2.4.0\ntimm==0.9.16\nxlsx2csv==0.8.2\nstreamlit==1.32.0\n"
            "seaborn==0.13.2\nmatplotlib==3.8.3\n",
            "sync.py": "import os\nimport pandas\nos.system('s3cmd sync data/ s3://bucket/')\n",
            "configs/model/resnet.yaml": "_target_: timm.create_model\nmodel_name: resnet50\n",
            "Makefile": "convert:\n\txlsx2csv data/raw.xlsx data/raw.csv\n",
            "Procfile": "web: streamlit run dashboard.py\n",
            "eda.ipynb": notebook("%matplotlib inline\nimport pandas as pd"),
        }
    )
    report = check(root, "application")
    assert [f.message.split("`")[1] for f in report.findings if f.rule == "MLN411"] == ["seaborn"]


def test_a_service_that_loads_a_model_needs_its_library(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "app/requirements.txt": "fastapi==0.110.0\ncatboost==1.2.3\nnumpy==1.26.4\n",
            "app/main.py": (
                "import fastapi\nimport mlflow\n\n"
                "model = mlflow.pyfunc.load_model('models:/churn/Production')\n"
            ),
        }
    )
    report = check(root, "application")
    # catboost is needed to unpickle the model; numpy is not imported by the app at all
    assert [f.message.split("`")[1] for f in report.findings if f.rule == "MLN411"] == ["numpy"]


def test_conda_packages_are_judged_but_not_system_libraries(tree: Callable[[Tree], Path]) -> None:
    env = (
        "name: geo\ndependencies:\n  - python>=3.10\n  - cudatoolkit>=11.8\n"
        "  - pytorch>=2.1\n  - torchvision>=0.16\n  - folium>=0.15\n  - libgdal>=3.8\n"
        "  - ipykernel>=6\n"
    )
    root = tree({"environment.yml": env, "train.py": "import torch\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN411") == [
        ("MLN411", "environment.yml", 6),
        ("MLN411", "environment.yml", 7),
    ]


def test_a_sub_projects_manifest_is_judged_by_its_own_code(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "app/requirements.txt": "fastapi==0.110.0\nnumpy==1.26.4\n",
            "app/main.py": "import fastapi\n",
            "training/requirements.txt": "numpy==1.26.4\nscikit-learn==1.4.1.post1\n",
            "training/train.py": "import numpy\nimport sklearn\n",
            "src/requirements.txt": "pandas==2.2.1\n",
            "pipelines/clean.py": "import pandas\n",
        }
    )
    report = check(root, "application")
    assert found(report, "MLN411") == [("MLN411", "app/requirements.txt", 2)]


@pytest.mark.parametrize("value", [[1], ["ok", 2], {"dvc-s3": True}])
def test_used_without_import_is_validated(value: object) -> None:
    with pytest.raises(ConfigError, match="used-without-import"):
        build_config({"deps": {"used-without-import": value}})


# -- pip install in a Dockerfile -------------------------------------------------------------

DOCKERFILE = """\
FROM python:3.11-slim
WORKDIR /app
RUN pip install --upgrade pip setuptools wheel
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# the serving extras
RUN pip install --no-cache-dir \\
        fastapi \\
        "uvicorn[standard]>=0.29" \\
        mlflow==2.11.1
RUN pip install -c constraints.txt boto3
RUN python -m pip install torch==${TORCH_VERSION} .
COPY . .
CMD ["uvicorn", "api:app"]
"""


def test_dockerfile_pip_install_without_pins(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "pandas==2.2.1\nfastapi==0.110.0\n",
            "api.py": "import pandas\nimport fastapi\n",
            "docker/Dockerfile": DOCKERFILE,
            "constraints.txt": "boto3==1.34.0\n",
        }
    )
    report = check(root, "application")
    # one finding per package: each is its own fix
    assert found(report, "MLN401") == [
        ("MLN401", "docker/Dockerfile", 8),
        ("MLN401", "docker/Dockerfile", 9),
    ]
    fastapi, uvicorn = report.findings
    assert "`fastapi`" in fastapi.message and "`uvicorn`" in uvicorn.message
    assert fastapi.suggestion == "        fastapi==0.110.0 \\"  # the version requirements.txt pins
    assert uvicorn.suggestion is None  # a range as written, and no version known


def test_dockerfile_suggestion_pins_versions_the_repository_knows(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "pandas==2.2.1\nfastapi==0.110.0\n",
            "api.py": "import pandas\nimport fastapi\n",
            "Dockerfile": "FROM python:3.11\nRUN pip install pandas fastapi && echo ok\n",
        }
    )
    report = check(root, "application")
    assert sorted((f.line, f.suggestion) for f in report.findings) == [
        (2, "RUN pip install pandas fastapi==0.110.0 && echo ok"),
        (2, "RUN pip install pandas==2.2.1 fastapi && echo ok"),
    ]


def test_images_are_found_by_name_or_by_content(tree: Callable[[Tree], Path]) -> None:
    image = (
        "# the scoring image\nFROM python:3.11-slim\nRUN pip install -U pip && pip install pipenv\n"
    )
    root = tree(
        {
            "requirements.txt": "pandas==2.2.1\n",
            "app.py": "import pandas\n",
            "api/dockerfile": image,
            "installation/deployment": image,
            "serve.Dockerfile": image,
            "NOTES": "FROM here on, pip install pipenv\n",
            # results pickled without an extension: looked at, not reported as unreadable
            "results/Adult_20191206": b"\x80\x04\x95\x11\x05\x00\x00pandas.core.frame",
        }
    )
    report = check(root, "application")
    assert found(report, "MLN401") == [
        ("MLN401", "api/dockerfile", 3),
        ("MLN401", "installation/deployment", 3),
        ("MLN401", "serve.Dockerfile", 3),
    ]
    assert report.errors == ()


def test_dockerfile_installing_ranges_while_a_lock_exists(tree: Callable[[Tree], Path]) -> None:
    files = {
        "requirements.txt": "pandas>=2.1\n",
        "app.py": "import pandas\n",
        "Dockerfile": "FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
    }
    # no lock at all: structure's MLN109 reports that, once; the image line adds nothing
    assert found(check(tree(files), "application"), "MLN401") == []
    root = tree({**files, "requirements.lock": "pandas==2.2.1\n"})
    assert found(check(root, "application"), "MLN401") == [("MLN401", "Dockerfile", 3)]
    # a lock of another component (a service with its own Pipfile) says nothing about this
    # image's requirements: installing them is not "ignoring the lock"
    service = {
        "service/Pipfile": '[packages]\nfastapi = ">=0.110"\n',
        "service/Pipfile.lock": '{"_meta": {}, "default": {"fastapi": {"version": "==0.110.0"}}}',
        "service/main.py": "import fastapi\n",
    }
    (root / "requirements.lock").unlink()
    root = tree({**files, **service})
    assert found(check(root, "application"), "MLN401") == []


# -- errors must be certain: valid-but-unusual lines are never MLN412 ------------------------

VALID_REQUIREMENTS = [
    "torch==2.0.1+cu118",
    "--extra-index-url https://download.pytorch.org/whl/cu118",
    "-f https://data.pyg.org/whl/torch-2.0.0+cu118.html",
    "torch @ https://download.pytorch.org/whl/cu118/torch-2.0.1%2Bcu118-cp310-cp310-linux_x86_64.whl",
    'pkg[extra1,extra2]>=1.0 ; python_version >= "3.8"',
    'pywin32==306 ; platform_system == "Windows"',
    "tensorflow-gpu==2.4.0; python_version<'3.9'",
    "numpy==1.*",
    "Django~=4.2.0",
    "legacy===1.0-custom",
    "pkg>=1!2.0",
    "pkg==1.0.post1",
    "pkg==2023.10.1",
    "pkg ==1.0",
    "pkg >= 1.0, < 2.0",
    "pkg==1.0 --hash=sha256:" + "a" * 64,
    "torch==1.13.1+cu117 -f https://download.pytorch.org/whl/torch_stable.html",
    "git+https://github.com/a/b.git@v1.0#egg=b",
    "git+ssh://git@github.com/a/b.git@3f2c1e9",
    "-e ./libs/shared",
    "./wheels/tabkit-0.3.1-py3-none-any.whl",
    "numpy==${NUMPY_VERSION}",
    "numpy>=1.26\t# tab before the comment",
    "--only-binary=:all:",
    "--prefer-binary",
]


@pytest.mark.parametrize("line", VALID_REQUIREMENTS)
def test_valid_but_unusual_requirement_lines_are_not_invalid(
    tree: Callable[[Tree], Path], line: str
) -> None:
    root = tree({"requirements.txt": line + "\r\n", "app.py": ""})
    report = check(root, "application")
    assert found(report, "MLN412") == [] and report.errors == ()


VALID_POETRY = [
    'torch = "^0.2.0+cu117"',
    'torch = { version = "2.0.1+cpu", source = "torch_cpu" }',
    'torch = { version = ">=1.13.1+cu117" }',
    'lib = "^2.0.0-rc.1"',
    'lib = ">=1.2 <2.0"',
    'lib = ">= 1.2, < 2.0"',
    'lib = "~=1.2"',
    'lib = "1.2.*"',
    'lib = "^1.2 || ^2.0"',
    'lib = { extras = ["x"], markers = "sys_platform == \'linux\'" }',
    'lib = [{ version = "^1.0", python = "<3.9" }, { version = "^2.0", python = ">=3.9" }]',
    'lib = { path = "../lib", develop = true }',
    'lib = { git = "https://github.com/a/lib.git", rev = "3f2c1e9" }',
]


@pytest.mark.parametrize("line", VALID_POETRY)
def test_valid_but_unusual_poetry_constraints_are_not_invalid(
    tree: Callable[[Tree], Path], line: str
) -> None:
    pyproject = (
        f'[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\n{line}\n'
    )
    root = tree({"pyproject.toml": pyproject, "poetry.lock": ""})
    assert found(check(root, "library"), "MLN412") == []


VALID_CONDA = [
    "pytorch=*=*cuda*",
    "openssl=1.1.1k",
    "nvidia/label/cuda-11.8.0::cuda-toolkit",
    "_libgcc_mutex=0.1=main",
    "numpy[version='>=1.20']",
    "blas=*=mkl",
    "pytorch==1.13.1=py3.9_cuda11.7_cudnn8.5.0_0",
    "jpeg=9e",
]


@pytest.mark.parametrize("line", VALID_CONDA)
def test_valid_but_unusual_conda_specs_are_not_invalid(
    tree: Callable[[Tree], Path], line: str
) -> None:
    env = f"name: x\ndependencies:\n  - {line}\n"
    root = tree({"environment.yml": env, "app.py": ""})
    assert found(check(root, "application"), "MLN412") == []


def test_an_invalid_line_is_still_an_error(tree: Callable[[Tree], Path]) -> None:
    root = tree({"requirements.txt": "scikit-learn>=>1.3\npandas=2.2\n", "app.py": ""})
    assert found(check(root, "application"), "MLN412") == [
        ("MLN412", "requirements.txt", 1),
        ("MLN412", "requirements.txt", 2),
    ]


# -- each fix fits its file ------------------------------------------------------------------


def test_setup_py_gets_a_lower_bound_in_install_requires(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "setup.py": (
                "from setuptools import setup\n\nsetup(\n    name='churn',\n"
                "    install_requires=[\n        'pandas',\n    ],\n)\n"
            ),
            "requirements.lock": "pandas==2.2.1\n",
            "train.py": "import pandas\n",
        }
    )
    for profile in ("application", "library"):
        f = only(check(root, profile), "MLN401")
        assert (f.path, f.line) == ("setup.py", 6)
        assert f.suggestion == "        'pandas>=2.2',"
        assert "setup.in" not in (f.fix or "") and "lower bound" in (f.fix or "")


def test_unbounded_lower_bound_from_the_installed_version(tree: Callable[[Tree], Path]) -> None:
    from importlib.metadata import version

    installed = version("packaging")  # a dependency of mlnudge: installed wherever it runs
    short = ".".join(installed.split(".")[:2])
    root = tree({"requirements.txt": "packaging\n", "app.py": "import packaging\n"})
    f = only(check(root, "application"), "MLN401")
    assert f.suggestion == f"packaging>={short}" and installed in (f.fix or "")
    off = check(root, "application", {"use-installed-metadata": False})
    assert only(off, "MLN401").suggestion is None


def test_only_a_missing_lock_gets_compile_a_lock(tree: Callable[[Tree], Path]) -> None:
    root = tree({"requirements.txt": "pandas\nnumpy>=1.26\n", "train.py": "import pandas\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report) == [("MLN401", "requirements.txt", 1), ("MLN411", "requirements.txt", 2)]
    for f in report.findings:
        assert "compile" not in (f.fix or "") and "lock" not in f.message


@pytest.mark.parametrize(
    ("files", "rule", "expected"),
    [
        (
            {"requirements.txt": "pandas=2.2\n"},
            "MLN412",
            "Use `==` for an exact version",
        ),
        (
            {
                "pyproject.toml": (
                    '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n'
                    '[tool.poetry.dependencies]\nlib = { git = "https://github.com/a/lib.git", '
                    'branch = "main" }\n'
                ),
                "poetry.lock": "",
            },
            "MLN408",
            'Add `rev = "<commit>"`',
        ),
        (
            {"requirements.txt": "lib @ git+https://github.com/a/lib.git@main\n"},
            "MLN408",
            "End the URL with the commit or tag",
        ),
        (
            {
                "pyproject.toml": (
                    '[project]\nname = "churn"\nversion = "0.1"\ndependencies = ["pandas>=2"]\n'
                ),
                "uv.lock": '[[package]]\nname = "pandas"\nversion = "2.2.1"\n',
                "churn/__init__.py": "import pandas\nimport lightgbm\n",
            },
            "MLN410",
            "in [project] dependencies of pyproject.toml",
        ),
        (
            {
                "setup.py": "from setuptools import setup\nsetup(install_requires=['pandas>=2'])\n",
                "churn/__init__.py": "import pandas\nimport lightgbm\n",
            },
            "MLN410",
            "in `install_requires` of setup.py",
        ),
    ],
    ids=["pip-operator", "poetry-git", "requirements-git", "pyproject", "setup.py"],
)
def test_each_fix_fits_its_file(
    tree: Callable[[Tree], Path], files: dict[str, str], rule: str, expected: str
) -> None:
    f = only(check(tree(files), "application"), rule)
    assert expected in (f.fix or "")


# -- one problem, one finding ----------------------------------------------------------------


def test_mln414_is_retired() -> None:
    from mlnudge.checks import all_rules

    assert "MLN414" not in {r.code for r in all_rules()}
    with pytest.raises(ConfigError, match="require-lock"):
        build_config({"deps": {"require-lock": False}})


def test_an_unbounded_line_gets_one_nudge(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "pyproject.toml": (
                '[project]\nname = "tabkit"\nversion = "0.3.0"\n'
                'dependencies = [\n    "numpy",\n    "seaborn",\n]\n'
            ),
            "uv.lock": '[[package]]\nname = "seaborn"\nversion = "0.13.2"\n',
            "src/tabkit/__init__.py": "import seaborn\n",
        }
    )
    report = check(root, "library", {"upper-cap": "require", "use-installed-metadata": False})
    assert found(report) == [("MLN406", "pyproject.toml", 5), ("MLN401", "pyproject.toml", 6)]
    numpy = report.findings[0]
    # the other rules that fired on the line are mentioned, not repeated
    assert set(numpy.details["also"].split(",")) == {"MLN401", "MLN411"}
    assert "never imported" in numpy.message
    assert report.findings[1].suggestion == '    "seaborn>=0.13,<0.14",'


def test_two_packages_on_one_line_are_two_findings(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "setup.py": (
                "from setuptools import setup\n\n"
                "setup(name='churn', install_requires=['numpy==1.26.4', 'pandas==2.2.1'])\n"
            ),
            "train.py": "import numpy\nimport pandas\n",
        }
    )
    report = check(root, "application")
    assert sorted(f.anchor for f in report.findings) == [
        "pin:setup.py:numpy",
        "pin:setup.py:pandas",
    ]


# -- conda environments by any common name, and a library's development files -----------------


@pytest.mark.parametrize("name", ["conda_env_gpu.yaml", "env.yml", "gpu-environment.yml"])
def test_a_conda_environment_by_another_name_is_a_declaration(
    tree: Callable[[Tree], Path], name: str
) -> None:
    root = tree(
        {
            name: (
                "channels:\n  - pytorch\n  - conda-forge\ndependencies:\n"
                "  - python=3.10\n  - pip\n  - pytorch\n  - torchvision>=0.16\n"
            ),
            "train.py": "import torch\nimport torchvision\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert ("MLN401", name, 7) in found(report)  # pytorch: no version at all
    assert not [f for f in report.findings if f.line == 8]  # torchvision has its bound


def test_a_conda_lock_is_not_an_environment(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "conda-lock.yml": (
                "version: 1\npackage:\n  - name: numpy\n    version: 1.26.4\n"
                "dependencies:\n  - numpy\n"
            ),
            "environment.yml": "dependencies:\n  - numpy>=1.26\n",
            "train.py": "import numpy\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert [f for f in report.findings if f.path == "conda-lock.yml"] == []


def test_a_librarys_unbounded_dev_requirements_are_nudged(tree: Callable[[Tree], Path]) -> None:
    """Unbounded lines in any declaration get MLN401: a library's CI and docs requirements
    file builds its test environment, and an unbounded line there changes under it."""
    root = tree(
        {
            "setup.py": (
                "from setuptools import setup\n\n"
                "setup(name='tabfeat', install_requires=['pandas>=2.0'])\n"
            ),
            "requirements.txt": "pandas\npytest>=8\nsphinx==7.3.7\n",
            "tabfeat/__init__.py": "import pandas\n",
        }
    )
    report = check(root, "library", {"use-installed-metadata": False})
    # pandas unbounded; a floor is fine; an exact pin in a development file is no finding
    assert found(report, "MLN401", "MLN402") == [("MLN401", "requirements.txt", 1)]


# -- one requirements file that names a package twice ----------------------------------------


def test_two_pins_of_one_package_in_one_file_conflict(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "boto3==1.34.10\nfastapi>=0.110\nboto3==1.34.11\n",
            "app.py": "import boto3\nimport fastapi\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN407") == [("MLN407", "requirements.txt", 3)]
    assert "requirements.txt:1" in only(report, "MLN407").message


def test_a_freeze_dump_that_pins_a_package_twice_conflicts(tree: Callable[[Tree], Path]) -> None:
    """A fully pinned file is a lock, not a declaration, but pip refuses it all the same."""
    pins = "".join(f"pkg{i}==1.{i}\n" for i in range(5))
    root = tree(
        {
            "requirements.txt": "boto3==1.34.10\n" + pins + "boto3==1.34.11\n",
            "app.py": "import boto3\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN407") == [("MLN407", "requirements.txt", 7)]


def test_the_same_pin_twice_in_one_file_is_no_conflict(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "requirements.txt": "boto3==1.34.10\nboto3==1.34.10\nnumpy>=1.26; python_version<'3.12'\n"
            "numpy>=2.0; python_version>='3.12'\n",
            "app.py": "import boto3\nimport numpy\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN407") == []


# -- an unknown module provided by a declared `<module>-<word>` distribution ---------------------


def test_an_unknown_module_is_provided_by_its_prefixed_distribution(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "quantsig-trading>=0.5\npandas-ta>=0.3\n",
            "pipeline.py": "import quantsig\nimport pandas\nimport pandas_ta\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    # quantsig comes from quantsig-trading; pandas is well known and pandas-ta is not pandas
    assert found(report, "MLN410") == [("MLN410", "pipeline.py", 2)]


# -- a freeze dump that points at the build folders of the machine that wrote it ---------------


def test_build_paths_of_one_machine_are_reported_line_by_line(
    tree: Callable[[Tree], Path],
) -> None:
    """`pip freeze` in a conda environment writes `pkg @ file:///tmp/build/...`: the file is
    still a lock, but those lines install nowhere else. Paths inside the project do."""
    freeze = (
        "attrs @ file:///tmp/build/80d07c8/attrs_1604765588209/work\n"
        "numpy==1.26.4\npandas==2.2.2\nscipy==1.11.4\nsix==1.16.0\n"
        "tqdm @ file:///home/conda/feedstock_root/build_artifacts/tqdm_1700000000/work\n"
        "localpkg @ file:./vendor/localpkg\n"
    )
    root = tree({"requirements.txt": freeze, "analysis.py": "import numpy\nimport pandas\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN408") == [
        ("MLN408", "requirements.txt", 1),
        ("MLN408", "requirements.txt", 6),
    ]
    assert "`tqdm==<version>`" in (report.findings[1].fix or "")
    # a declaration (not a dump) with such a line gets the same nudge
    declared = tree({"requirements.txt": "pandas>=2\nattrs @ file:///opt/build/attrs\n"})
    assert found(check(declared, "application"), "MLN408") == [("MLN408", "requirements.txt", 2)]


# -- a sub-project's code against its own manifests ---------------------------------------------


def test_a_service_import_declared_only_by_another_environment(
    tree: Callable[[Tree], Path],
) -> None:
    """`service/` has its own requirements (its image installs them): an import there that
    only the root's training requirements declare fails in that image."""
    root = tree(
        {
            "requirements.txt": "pandas>=2\nrequests>=2.31\n",
            "train.py": "import pandas\nimport requests\n",
            "service/requirements.txt": "flask>=3\n",
            "service/Dockerfile": "FROM python:3.11-slim\nRUN pip install -r requirements.txt\n",
            "service/app.py": "import flask\nimport requests\nimport pandas\n",
            "service/client.py": "import requests\n",
            # a bare requirements file beside code may add to the root's environment
            "monitoring/requirements.txt": "evidently>=0.4\n",
            "monitoring/report.py": "import evidently\nimport pandas\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [
        ("MLN410", "service/app.py", 2),
        ("MLN410", "service/app.py", 3),
    ]
    requests = report.findings[0]
    assert "`service/requirements.txt`" in requests.message and "1 other file" in requests.message
    assert requests.fix is not None and "service/requirements.txt" in requests.fix


def test_a_service_that_includes_the_root_requirements_is_covered(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "requirements.txt": "pandas>=2\n",
            "train.py": "import pandas\n",
            "service/requirements.txt": "-r ../requirements.txt\nflask>=3\n",
            "service/Pipfile": '[packages]\nflask = ">=3"\n',
            "service/app.py": "import flask\nimport pandas\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == []


# -- end to end: an MLOps service as the repositories showed it ------------------------------


def test_fixture_mlops_service(tmp_path: Path) -> None:
    """A FastAPI service with DVC, a saved MLflow model, a Dockerfile and a UTF-16
    `pip freeze` dump as requirements.txt (labelled by reading it, before running mlnudge)."""
    import shutil

    root = tmp_path / "mlops-app"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "deps" / "mlops-app", root)
    report = check(root, "application", {"use-installed-metadata": False})
    assert report.errors == ()
    assert found(report) == [
        ("MLN401", "Dockerfile", 8),  # `pip install gunicorn`: nothing pins it
        ("MLN402", "pyproject.toml", 8),  # package metadata pins scikit-learn
        ("MLN401", "pyproject.toml", 12),  # skops: no bound and no lock covers pyproject
        # the image installs from the freeze dump (`pip install -r requirements.txt`), so
        # the dump is how the environment is declared: yaml and mlflow come with it
        ("MLN410", "src/churn_service/train.py", 3),  # lightgbm: only the saved model has it
    ]
    skops = report.findings[2]
    assert skops.suggestion == '    "skops>=0.9",'  # the version the freeze dump records


# -- an environment dump declares when no manifest above it does -----------------------------

CONDA_EXPORT = (
    "name: risk\nchannels:\n  - conda-forge\ndependencies:\n"
    + "".join(
        f"  - {name}={version}=pyhd8ed1ab_0\n"
        for name, version in [
            ("certifi", "2024.2.2"),
            ("idna", "3.6"),
            ("kedro", "0.19.3"),
            ("pandas", "2.2.1"),
            ("scikit-learn", "1.4.1"),
            ("urllib3", "2.2.1"),
            ("xgboost", "2.0.3"),
        ]
    )
    + "prefix: /Users/someone/miniconda3/envs/risk\n"
)


def test_a_root_conda_export_declares_for_a_sub_projects_code(tree: Callable[[Tree], Path]) -> None:
    """The environment is made from the root export; the Kedro sub-project's template
    requirements list only kedro and notebook tooling, below it."""
    root = tree(
        {
            "environment.yml": CONDA_EXPORT,
            "risk/requirements.txt": "kedro~=0.19.3\nipython>=8.10\n",
            "risk/src/risk/__init__.py": "",
            "risk/src/risk/nodes.py": "import pandas\nimport sklearn\nimport xgboost\n",
        }
    )
    assert found(check(root, "application"), "MLN410") == []


def test_a_dump_below_a_declaring_manifest_is_its_lock(tree: Callable[[Tree], Path]) -> None:
    """``docker/requirements.lock.txt`` frozen from the root ``requirements.txt``: a module only
    the dump installs (a transitive package) is still undeclared."""
    freeze = "".join(
        f"{name}=={version}\n"
        for name, version in [
            ("certifi", "2024.2.2"),
            ("idna", "3.6"),
            ("numpy", "1.26.4"),
            ("pandas", "2.2.1"),
            ("six", "1.16.0"),
            ("urllib3", "2.2.1"),
        ]
    )
    root = tree(
        {
            "requirements.txt": "pandas>=2.2\n",
            "docker/requirements-freeze.txt": freeze,
            "churn/__init__.py": "",
            "churn/features.py": "import numpy\nimport pandas\n",
        }
    )
    assert found(check(root, "application"), "MLN410") == [("MLN410", "churn/features.py", 1)]


# -- a declared range that excludes what the project's freeze dump records -------------------

GRPC_FREEZE = "".join(
    f"{name}=={version}\n"
    for name, version in [
        ("certifi", "2024.2.2"),
        ("grpcio", "1.62.2"),
        ("idna", "3.7"),
        ("numpy", "1.26.4"),
        ("protobuf", "4.25.3"),
        ("six", "1.16.0"),
        ("urllib3", "2.2.1"),
    ]
)
POETRY_APP = (
    '[tool.poetry]\nname = "lyrics"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n'
    '[tool.poetry.dependencies]\npython = "^3.10"\n'
    'grpcio = "^1.63.0"\n'  # excludes the recorded 1.62.2
    'numpy = "^1.26"\n'  # admits the recorded 1.26.4
    'protobuf = "4.25.3"\n'  # a pin is MLN402's business, not a conflict
)


def test_a_range_that_excludes_the_frozen_version_conflicts(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "pyproject.toml": POETRY_APP,
            "requirements.txt": GRPC_FREEZE,
            "lyrics/__init__.py": "",
            "lyrics/train.py": "import grpc\nimport numpy\nimport google.protobuf\n",
        }
    )
    report = check(root, "application")
    assert found(report, "MLN407") == [("MLN407", "pyproject.toml", 9)]
    assert "1.62.2" in only(report, "MLN407").message


def test_a_freeze_dump_of_another_folder_is_another_environment(
    tree: Callable[[Tree], Path],
) -> None:
    root = tree(
        {
            "pyproject.toml": POETRY_APP,
            "serving/requirements.txt": GRPC_FREEZE,
            "serving/app.py": "import grpc\n",
            "lyrics/__init__.py": "",
            "lyrics/train.py": "import grpc\nimport numpy\nimport google.protobuf\n",
        }
    )
    assert found(check(root, "application"), "MLN407") == []


# -- the installer listed among the requirements is not a dependency of the code -------------


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        (
            "environment.yml",
            "dependencies:\n  - python=3.10\n  - pip\n  - pip:\n"
            "    - pandas>=2.1\n    - pip\n    - setuptools\n",
        ),
        ("requirements.txt", "pandas>=2.1\npip\nsetuptools\n"),
    ],
)
def test_the_installer_needs_no_bound(tree: Callable[[Tree], Path], rel: str, text: str) -> None:
    """``pip`` is the installer; ``setuptools`` is a runtime dependency like any other (code
    imports ``pkg_resources`` from it), so it keeps its nudge."""
    root = tree({rel: text, "prices/__init__.py": "", "prices/train.py": "import pandas\n"})
    report = check(root, "application")
    assert report.errors == ()
    assert [f.message.split("`")[1] for f in report.findings if f.rule == "MLN401"] == [
        "setuptools"
    ]


# -- an invalid line still names what it meant to declare -------------------------------------


def test_imports_beside_invalid_lines_are_still_judged(tree: Callable[[Tree], Path]) -> None:
    """``numpy: 1.24.2`` is invalid (MLN412) but says numpy was meant to be declared; seaborn,
    which no line names, is still undeclared."""
    root = tree(
        {
            "requirements.txt": "numpy: 1.24.2\npandas: 2.0.0\n",
            "bodytype/__init__.py": "",
            "bodytype/plots.py": "import numpy\nimport pandas\nimport seaborn\n",
        }
    )
    report = check(root, "application")
    assert found(report, "MLN410") == [("MLN410", "bodytype/plots.py", 3)]
    assert [f.line for f in report.findings if f.rule == "MLN412"] == [1, 2]


# -- an extra named after a package installs it ----------------------------------------------


def test_an_extra_named_after_a_package_declares_it(tree: Callable[[Tree], Path]) -> None:
    """``monai[tqdm]`` installs tqdm: importing tqdm is declared; matplotlib is not."""
    root = tree(
        {
            "pyproject.toml": (
                '[project]\nname = "scans"\nversion = "0.1"\n'
                'dependencies = ["monai[nibabel, tqdm]>=1.3"]\n'
            ),
            "scans/__init__.py": "",
            "scans/score.py": "import monai\nimport tqdm\nimport matplotlib\n",
        }
    )
    assert found(check(root, "application"), "MLN410") == [("MLN410", "scans/score.py", 3)]


# -- a placeholder distribution gets the real one as its fix ---------------------------------


def test_sklearn_is_declared_as_scikit_learn(tree: Callable[[Tree], Path]) -> None:
    """``sklearn`` on PyPI installs nothing any more; the lock's ``sklearn==0.0`` is no bound
    to suggest, and the fix names scikit-learn at the version the lock holds."""
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\nsklearn\n",
            "requirements.lock": "pandas==2.2.1\nscikit-learn==1.4.2\nsklearn==0.0\n",
            "housing/__init__.py": "",
            "housing/train.py": "import pandas\nimport sklearn\n",
        }
    )
    finding = only(check(root, "application"), "MLN401")
    assert finding.suggestion is None
    assert finding.fix is not None and finding.fix.startswith("Declare `scikit-learn>=1.4`")


def test_a_lower_bound_of_zero_is_never_suggested(tree: Callable[[Tree], Path]) -> None:
    """``>=0.0`` bounds nothing: for a 0.0.x release the fix asks for the version instead."""
    root = tree(
        {
            "requirements.txt": "pandas>=2.1\ntinyfeatures\n",
            "requirements.lock": "pandas==2.2.1\ntinyfeatures==0.0.3\n",
            "housing/__init__.py": "",
            "housing/train.py": "import pandas\nimport tinyfeatures\n",
        }
    )
    finding = only(check(root, "application"), "MLN401")
    assert finding.suggestion is None
    assert finding.fix is not None and ">=0.0" not in finding.fix


def test_a_backport_of_the_standard_library_is_to_be_removed(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "setup.py": (
                "from setuptools import setup\n"
                'setup(name="trainloop", install_requires=["torch>=2.1", "dataclasses"])\n'
            ),
            "trainloop/__init__.py": "import dataclasses\nimport torch\n",
        }
    )
    finding = only(check(root, "library"), "MLN401")
    assert finding.fix is not None and finding.fix.startswith("Remove it: `dataclasses`")
    assert finding.suggestion is None


# -- a conda environment written by PowerShell is UTF-16 --------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32"])
def test_a_utf16_conda_environment_is_read(tree: Callable[[Tree], Path], encoding: str) -> None:
    """``conda env export > environment.yml`` in Windows PowerShell writes UTF-16 with a
    byte-order mark and CRLF: the file is read as YAML, and what it lists is declared."""
    env = "name: penguins\r\ndependencies:\r\n  - python>=3.10\r\n  - pandas>=2.1\r\n  - pip\r\n"
    data = {
        "utf-16": env.encode("utf-16"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + env.encode("utf-16-be"),
        "utf-32": env.encode("utf-32"),
    }[encoding]
    root = tree(
        {
            "environment.yml": data,
            "penguins/__init__.py": "",
            "penguins/nodes.py": "import pandas\nimport seaborn\n",
        }
    )
    report = check(root, "application")
    assert report.errors == ()
    assert found(report, "MLN410") == [("MLN410", "penguins/nodes.py", 2)]


def test_a_line_a_file_it_includes_pins_is_bounded(tree: Callable[[Tree], Path]) -> None:
    """``requirements-dev.txt`` starts with ``-r requirements.txt``, a ``pip freeze`` dump that
    pins ``pytest`` and ``mypy``: pip installs both files together, so those two lines get the
    pinned versions. A tool the included file does not name is still unbounded."""
    freeze = "".join(f"{name}=={version}\n" for name, version in FROZEN)
    root = tree(
        {
            "requirements.txt": freeze,
            "requirements-dev.txt": "-r requirements.txt\npytest\nmypy\nblack\n",
            "train.py": "import pandas\nimport numpy\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN401") == [("MLN401", "requirements-dev.txt", 4)]


FROZEN = [
    ("numpy", "1.26.4"),
    ("pandas", "2.2.2"),
    ("python-dateutil", "2.9.0"),
    ("pytz", "2024.1"),
    ("six", "1.16.0"),
    ("tzdata", "2024.1"),
    ("pytest", "8.2.0"),
    ("pluggy", "1.5.0"),
    ("iniconfig", "2.0.0"),
    ("mypy", "1.10.0"),
    ("mypy-extensions", "1.0.0"),
    ("typing-extensions", "4.12.0"),
]


@pytest.mark.parametrize(
    ("base", "undeclared"),
    [
        # the DAGs run in the image built from Airflow's: it ships `airflow`
        ("FROM --platform=linux/amd64 apache/airflow:2.9.0-python3.11 AS dags", []),
        ("FROM docker.io/apache/airflow@sha256:0123abcd", []),
        # a plain Python image ships nothing of the kind
        ("FROM python:3.11-slim", [("MLN410", "dags/etl.py", 1)]),
    ],
)
def test_what_the_base_image_ships_is_declared(
    tree: Callable[[Tree], Path], base: str, undeclared: list[tuple[str, str, int]]
) -> None:
    root = tree(
        {
            "Dockerfile.airflow": f"{base}\nCOPY dags/ /opt/airflow/dags/\n",
            "requirements.txt": "pandas>=2.1\n",
            "dags/etl.py": "from airflow import DAG\nimport pandas as pd\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == undeclared


@pytest.mark.parametrize(
    ("base", "undeclared"),
    [
        # the service is built FROM an image that ships FastAPI and pydantic: only what its
        # own requirements add is asked of them
        ("FROM tiangolo/uvicorn-gunicorn-fastapi:python3.8", []),
        (
            "FROM python:3.8-slim",
            [("MLN410", "serving/app/main.py", 2), ("MLN410", "serving/app/main.py", 3)],
        ),
    ],
)
def test_a_serving_base_image_ships_its_web_framework(
    tree: Callable[[Tree], Path], base: str, undeclared: list[tuple[str, str, int]]
) -> None:
    root = tree(
        {
            "serving/Dockerfile": (
                f"{base}\nCOPY ./serving/requirements.txt requirements.txt\n"
                "RUN pip3 install -r requirements.txt\nCOPY ./serving/app /app\n"
            ),
            "serving/requirements.txt": "pandas==2.2.2\n",
            "serving/app/main.py": (
                "import pandas as pd\nfrom pydantic import BaseModel\nfrom fastapi import FastAPI\n"
            ),
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == undeclared


def test_the_optimal_transport_import_is_declared_by_its_distribution(
    tree: Callable[[Tree], Path],
) -> None:
    """``import ot`` comes from the POT distribution: declaring ``POT`` covers it, and the
    finding without it names the distribution to add."""
    files = {"wass.py": "import ot\n", "requirements.txt": "POT>=0.9\n"}
    assert found(check(tree(files), "application", {}), "MLN410") == []
    report = check(tree({**files, "requirements.txt": "numpy>=1.26\n"}), "application", {})
    assert "add `pot`" in only(report, "MLN410").message


CV2 = ("MLN410", "train.py", 3)
TORCH = [("MLN410", "train.py", 1), ("MLN410", "train.py", 2)]


@pytest.mark.parametrize(
    ("base", "undeclared"),
    [
        # another publisher's image named for the framework ships it
        ("FROM labimages/pytorch:1.8.1", [CV2]),
        # a name that only starts like it says nothing
        ("FROM labimages/pytorch-notebooks:1.8.1", [*TORCH, CV2]),
        ("FROM python:3.11", [*TORCH, CV2]),
    ],
)
def test_an_image_named_for_its_framework_ships_it(
    tree: Callable[[Tree], Path], base: str, undeclared: list[tuple[str, str, int]]
) -> None:
    root = tree(
        {
            "env/Dockerfile": f"{base}\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
            "env/requirements.txt": "pandas>=2.1\n",
            "train.py": "import torch\nimport torchvision\nimport cv2\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert sorted(found(report, "MLN410")) == undeclared
    if base.startswith("FROM labimages/pytorch:"):
        # numpy ships beside torch in such an image, as in the official ones
        (root / "train.py").write_text("import torch\nimport numpy\n", encoding="utf-8")
        report = check(root, "application", {"use-installed-metadata": False})
        assert found(report, "MLN410") == []


# -- a requirements.txt beside a requirements.in is its lock only when it pins everything ---


def test_ranges_beside_a_requirements_in_are_a_declaration(tree: Callable[[Tree], Path]) -> None:
    """A Kedro-style ``src/requirements.txt`` of ranges next to a ``requirements.in`` of the
    same ranges is a second declaration, not pip-compile's output: no "the lock has no entry
    for it" on a package the file names, and its unbounded line is unbounded."""
    ranges = "flake8>=3.7.9, <4.0\nisort~=5.0\npandas>=2.1\n"
    root = tree(
        {
            "src/requirements.in": ranges + "streamlit\n",
            "src/requirements.txt": ranges + "kornia\n",
            "src/app.py": "import pandas\nimport streamlit\nimport kornia\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN406") == []
    assert found(report, "MLN401") == [
        ("MLN401", "src/requirements.in", 4),
        ("MLN401", "src/requirements.txt", 4),
    ]


def test_pins_beside_a_requirements_in_are_its_lock(tree: Callable[[Tree], Path]) -> None:
    """pip-compile's output with its header stripped is still the lock of the ``.in``: a
    package the ``.in`` declares and the pins miss is out of sync."""
    root = tree(
        {
            "requirements.in": "pandas>=2.1\nscikit-learn>=1.4\n",
            "requirements.txt": "numpy==1.26.4\npandas==2.2.2\n",
            "train.py": "import pandas\nimport sklearn\n",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN406") == [("MLN406", "requirements.in", 2)]
    assert found(report, "MLN401", "MLN402") == []


# -- the backport an `except ImportError` falls back to is optional ---------------------------


def test_a_fallback_to_a_backport_is_optional(tree: Callable[[Tree], Path]) -> None:
    """``try: from importlib.metadata import version`` / ``except ImportError: from
    importlib_metadata import version`` runs the backport only on a Python older than the
    project supports: not an undeclared import. A fallback to another library is still one."""
    root = tree(
        {
            "pyproject.toml": (
                '[project]\nname = "boostlib"\nversion = "1.0"\nrequires-python = ">=3.9"\n'
                'dependencies = ["numpy>=1.24"]\n'
            ),
            "boostlib/__init__.py": (
                "try:\n    from importlib.metadata import version\n"
                "except ImportError:\n    from importlib_metadata import version\n"
                "try:\n    import ujson as json\nexcept ImportError:\n    import simplejson as json\n"
                "import numpy\n"
            ),
        }
    )
    report = check(root, "library", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [("MLN410", "boostlib/__init__.py", 8)]


# -- a sub-project's image installs its freeze dump: the dump declares that folder's imports --


def test_a_sub_projects_installed_dump_declares_its_imports(tree: Callable[[Tree], Path]) -> None:
    """``service/`` has a Kedro-style ``pyproject.toml`` and a ``pip freeze`` dump that its own
    Dockerfile installs: the image holds what the dump lists, so the service's imports of
    those packages are declared. What neither file lists is still undeclared."""
    freeze = "".join(f"{name}=={version}\n" for name, version in FROZEN)
    freeze += "flask==3.1.0\nflask-cors==5.0.1\n"
    root = tree(
        {
            "service/pyproject.toml": (
                '[project]\nname = "service"\nversion = "0.1"\ndependencies = ["numpy>=1.26"]\n'
            ),
            "service/requirements.txt": freeze,
            "service/Dockerfile": (
                "FROM python:3.12\nCOPY requirements.txt .\n"
                "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
            ),
            "service/app.py": "import flask\nimport flask_cors\nimport pandas\nimport requests\n",
            "service/tests/test_app.py": "",
        }
    )
    report = check(root, "application", {"use-installed-metadata": False})
    assert found(report, "MLN410") == [("MLN410", "service/app.py", 4)]


# -- a pip freeze pasted between lines written by hand (round 16) -------------------------------

_PASTED = (
    "# local package\n-e .\n\n# external requirements\nflake8\nrequests>=2.22\n"
    "certifi==2019.11.28\ncycler==0.10.0\nFlask==1.1.1\nkiwisolver==1.1.0\n"
    "MarkupSafe==1.1.1\nmatplotlib==3.1.2\nnumpy==1.18.1\npandas==0.25.3\n"
    "pyparsing==2.4.6\npytz==2019.3\nsix==1.14.0\nzipp==2.0.1\njoblib==0.14.1\n"
    "scikit-learn==0.22.1\npython-dateutil==2.8.1\nJinja2==2.11.0\nitsdangerous==1.1.0\n"
    "Werkzeug==0.16.1\nseaborn\n"
)


def test_the_pins_of_a_pasted_freeze_are_never_unused_but_hand_written_lines_are(
    tree: Callable[[Tree], Path],
) -> None:
    """A cookiecutter template's loose lines, a `pip freeze` pasted under them, a package
    appended at the end: three loose lines are too many for a dump, so the file declares; its
    pins are what pip installed (cycler, kiwisolver, six ...), never "declared but never
    imported"; the hand-written `requests` that nothing imports still is."""
    code = "import flask\nimport matplotlib\nimport numpy\nimport pandas\nimport seaborn\n"
    root = tree({"requirements.txt": _PASTED, "setup.py": "", "app.py": code})
    report = check(root, "application", {"use-installed-metadata": False})
    unused = [f.message.split("`")[1] for f in report.findings if f.rule == "MLN411"]
    assert unused == ["requests"]
    # the hand-written unbounded lines still owe a range
    seaborn = _PASTED.splitlines().index("seaborn") + 1
    assert ("MLN401", "requirements.txt", seaborn) in found(report, "MLN401")


def test_a_hand_pinned_file_without_freeze_leftovers_keeps_its_unused_pins(
    tree: Callable[[Tree], Path],
) -> None:
    """Pins chosen by hand (no package nobody lists by hand among them) are declarations:
    one that nothing imports is still reported."""
    text = "flake8\nFlask==1.1.1\nnumpy==1.18.1\npandas==0.25.3\nxgboost==0.90\nkneed==0.5.1\n"
    root = tree({"requirements.txt": text, "app.py": "import flask\nimport numpy\nimport pandas\n"})
    report = check(root, "application", {"use-installed-metadata": False})
    unused = sorted(f.message.split("`")[1] for f in report.findings if f.rule == "MLN411")
    assert unused == ["kneed", "xgboost"]
