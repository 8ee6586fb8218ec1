"""Structure classes found on repositories nobody here wrote, each with a fixture written here."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import notebook, write_tree

from mlnudge.config import build_config
from mlnudge.project import blank
from mlnudge.runner import run

MB = 1_000_000

APP: dict[str, str | bytes] = {
    "README.md": "# flowers\n",
    "requirements.txt": "scikit-learn>=1.4\n",
    "requirements.lock": "scikit-learn==1.4.2\n",
    "params.yaml": "train: {alpha: 0.1}\n",
    "flowers/__init__.py": "",
    "flowers/train.py": "import sklearn\n",
    "tests/test_train.py": "def test_ok():\n    assert True\n",
    ".github/workflows/ci.yml": "on: push\n",
}


def large_files(tmp_path: Path, files: Mapping[str, str | bytes]) -> dict[str, str]:
    """``{path: message}`` of the MLN110 findings on ``APP`` plus ``files``."""
    root = write_tree(tmp_path / "repo", {**APP, **files})
    table: dict[str, Any] = {"select": ["MLN110"]}
    report = run(root, build_config(table), families=["structure"], use_cache=False)
    assert report.errors == ()
    return {f.path: f.message for f in report.findings}


def _pickled(size: int) -> bytes:
    """A real pickle of about ``size`` bytes, the way joblib or torch save a model."""
    return pickle.dumps({"coef": bytes(range(256)) * (size // 256)}, protocol=4)


def test_a_pickled_model_without_an_extension_is_a_model_file(tmp_path: Path) -> None:
    got = large_files(tmp_path, {"models/current/classifier": _pickled(2 * MB)})
    assert list(got) == ["models/current/classifier"]
    assert got["models/current/classifier"].startswith("Model file `models/current/classifier`")


def test_a_pickle_under_an_unusual_extension_is_a_model_file(tmp_path: Path) -> None:
    got = large_files(tmp_path, {"artifacts/encoder.b": _pickled(3 * MB)})
    assert list(got) == ["artifacts/encoder.b"]


def test_a_binary_file_without_an_extension_counts_from_the_limit(tmp_path: Path) -> None:
    blob = bytes([0, 1, 2, 3, 250]) * (MB // 2)  # 2.5 MB of binary data, no extension
    got = large_files(tmp_path, {"models/vectoriser": blob})
    assert got["models/vectoriser"].startswith("Binary file `models/vectoriser` (2.5 MB)")


@pytest.mark.parametrize(
    "name",
    [
        "LICENSE",  # text without an extension
        "scripts/run_all",  # a shell script without an extension
        "docs/figure.svg",  # text under an extension the rule does not know
    ],
)
def test_large_text_files_without_a_known_kind_wait_for_ten_times_the_limit(
    tmp_path: Path, name: str
) -> None:
    text = ("line of plain text that is not data\n" * (2 * MB // 36)).encode()
    assert large_files(tmp_path, {name: text}) == {}


def test_a_binary_with_an_unknown_extension_waits_for_ten_times_the_limit(tmp_path: Path) -> None:
    """A compiled library or an image is not judged as data below ten times the limit."""
    assert large_files(tmp_path, {"lib/native.so": b"\x7fELF" + b"\0" * (2 * MB)}) == {}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pickles/train.p", "Model file"),  # `.p`: pickle's short extension
        ("data/parcels/parcels.dbf", "Data file"),  # a shapefile's attribute table
        ("data/parcels.gpkg", "Data file"),
    ],
)
def test_pickles_and_geodata_under_their_own_extensions_are_counted(
    tmp_path: Path, name: str, kind: str
) -> None:
    got = large_files(tmp_path, {name: b"\0" * (2 * MB)})
    assert list(got) == [name]
    assert got[name].split(" `")[0] == kind


POINTER = "outs:\n- md5: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n  path: train.csv\n"


def test_a_file_dvc_tracks_that_git_holds_too_is_reported(tmp_path: Path) -> None:
    got = large_files(
        tmp_path, {"data/raw/train.csv": "a,b\n" * (MB // 2), "data/raw/train.csv.dvc": POINTER}
    )
    assert list(got) == ["data/raw/train.csv"]
    assert "tracked by DVC but not ignored by git" in got["data/raw/train.csv"]


def test_a_file_dvc_tracks_and_git_ignores_is_fine(tmp_path: Path) -> None:
    got = large_files(
        tmp_path,
        {
            "data/raw/train.csv": "a,b\n" * (MB // 2),
            "data/raw/train.csv.dvc": POINTER,
            "data/raw/.gitignore": "/train.csv\n",  # what `dvc add` writes
        },
    )
    assert got == {}


def _structure(tmp_path: Path, files: Mapping[str, str | bytes]) -> set[tuple[str, str]]:
    root = write_tree(tmp_path / "repo", files)
    table: dict[str, Any] = {"select": ["MLN104", "MLN105", "MLN112"]}
    report = run(root, build_config(table), families=["structure"], use_cache=False)
    assert report.errors == ()
    return {(f.rule, f.path) for f in report.findings}


def test_a_folder_of_unit_tests_is_not_the_projects_package(tmp_path: Path) -> None:
    """``service/unit_tests/__init__.py`` makes a test package, not an importable project."""
    files = {
        "pyproject.toml": "[tool.pytest.ini_options]\ntestpaths = ['service']\n",
        "training/train.py": "import pandas\n",
        "training/prepare.py": "import pandas\n",
        "service/app.py": "import fastapi\n",
        "service/unit_tests/__init__.py": "",
        "service/unit_tests/test_app.py": "def test_ok():\n    assert True\n",
    }
    got = _structure(tmp_path, files)
    assert {rule for rule, _ in got} == {"MLN104"}


POETRY = """\
[tool.poetry]
name = "{name}"
version = "0.1.0"
description = "course project"
authors = ["A Student <a@example.org>"]
{extra}
[tool.poetry.dependencies]
python = "^3.10"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""
SCRIPTS = {
    "src/data/download.py": "import requests\n",
    "src/model/train.py": "import sklearn\n",
    "src/model/predict.py": "import sklearn\n",
}


def test_poetry_installs_only_the_package_named_after_the_project(tmp_path: Path) -> None:
    """Poetry would install ``src/song_genres/``; ``src/data/`` and ``src/model/`` are
    folders of scripts, the way a setuptools build would not see them either."""
    files = {"pyproject.toml": POETRY.format(name="song-genres", extra=""), **SCRIPTS}
    assert _structure(tmp_path, files) == {("MLN112", "src/")}


@pytest.mark.parametrize(
    "pyproject",
    [
        POETRY.format(name="song-genres", extra='packages = [{include = "model", from = "src"}]'),
        POETRY.format(name="model", extra=""),
        # hatch installs what its wheel target lists
        '[project]\nname = "song-genres"\nversion = "1"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["src/model"]\n',
        # setuptools finds every folder of src/, namespace packages included
        '[project]\nname = "song-genres"\nversion = "1"\n'
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
    ],
)
def test_src_folders_the_backend_installs_are_packages(tmp_path: Path, pyproject: str) -> None:
    files = {"pyproject.toml": pyproject, **SCRIPTS}
    assert ("MLN112", "src/") not in _structure(tmp_path, files)


SCRIPT_FOLDER = {
    "requirements.txt": "pandas>=2.1\nscikit-learn>=1.4\n",
    "src/__init__.py": "",
    "src/config.py": 'TRAIN = "input/train.csv"\n',
    "src/model_dispatcher.py": "from sklearn import ensemble\nMODELS = {'rf': ensemble}\n",
    "src/train.py": (
        "import pandas as pd\nimport config\nfrom model_dispatcher import MODELS\n\n"
        "if __name__ == '__main__':\n    df = pd.read_csv(config.TRAIN)\n"
    ),
}


def test_modules_that_import_each_other_by_bare_name_are_scripts(tmp_path: Path) -> None:
    """``cd src && python train.py``: ``import config`` works only with src/ itself on
    ``sys.path``; the ``__init__.py`` does not make src/ a package anything imports."""
    assert _structure(tmp_path, SCRIPT_FOLDER) == {("MLN112", "src/")}


def test_a_package_imported_by_its_name_stays_a_package(tmp_path: Path) -> None:
    files = {
        **SCRIPT_FOLDER,
        "src/train.py": "import pandas as pd\nfrom src import config\nimport logging\n",
        "tests/test_train.py": "from src.model_dispatcher import MODELS\n",
    }
    assert ("MLN112", "src/") not in _structure(tmp_path, files)


def test_a_sub_projects_metadata_reads_no_missing_root_file(tmp_path: Path) -> None:
    """Only ``risk/pyproject.toml`` declares packaging: nothing may try to read a root
    ``pyproject.toml`` that is not there (that was reported as an unreadable file)."""
    files = {
        "environment.yml": "dependencies:\n  - pandas>=2.1\n",
        "risk/pyproject.toml": (
            '[project]\nname = "risk"\nversion = "0.1"\ndependencies = ["kedro>=0.19"]\n'
        ),
        "risk/src/risk/__init__.py": "",
        "risk/src/risk/nodes.py": "import pandas\n",
    }
    root = write_tree(tmp_path / "repo", files)
    report = run(root, build_config({}), use_cache=False)
    assert report.errors == ()


def test_a_src_package_is_not_proposed_as_the_distribution_name(tmp_path: Path) -> None:
    """cookiecutter-data-science v1 imports its code as ``src.*``: the fix names the
    distribution after the project and keeps ``src`` as the package hatch builds."""
    files = {
        "requirements.txt": "pandas>=2.1\n",
        "src/__init__.py": "",
        "src/data/__init__.py": "",
        "src/data/make_dataset.py": "import pandas\n",
        "src/models/__init__.py": "",
        "src/models/train_model.py": "from src.data import make_dataset\n",
    }
    root = write_tree(tmp_path / "flower-classifier", files)
    report = run(root, build_config({"select": ["MLN105"]}), use_cache=False)
    (finding,) = report.findings
    assert finding.fix is not None
    assert 'name = "flower-classifier"' in finding.fix
    assert 'packages = ["src"]' in finding.fix


def test_the_src_layout_imports_its_package_by_bare_name(tmp_path: Path) -> None:
    """With packaging metadata, ``from agatston.models import unet`` inside ``src/`` is the
    installed src layout, not a folder of scripts."""
    files = {
        "pyproject.toml": (
            '[project]\nname = "agatston"\nversion = "0.1"\ndependencies = ["torch>=2"]\n'
            '[tool.setuptools.packages.find]\nwhere = ["src"]\n'
        ),
        "src/__init__.py": "",
        "src/agatston/__init__.py": "",
        "src/agatston/models.py": "import torch\n",
        "src/agatston/train.py": "from agatston.models import torch\n",
    }
    assert ("MLN112", "src/") not in _structure(tmp_path, files)


def test_a_folder_a_notebook_imports_by_name_is_a_package(tmp_path: Path) -> None:
    files = {
        **SCRIPT_FOLDER,
        "notebooks/explore.ipynb": notebook("import sys\nfrom src import config\n"),
    }
    assert ("MLN112", "src/") not in _structure(tmp_path, files)


def _rules(tmp_path: Path, files: Mapping[str, str | bytes]) -> set[tuple[str, str]]:
    root = write_tree(tmp_path / "repo", files)
    table: dict[str, Any] = {"select": ["MLN101", "MLN103", "MLN104"]}
    report = run(root, build_config(table), families=["structure"], use_cache=False)
    return {(f.rule, f.severity.name.lower()) for f in report.findings}


HELPER = (
    "from sklearn.cluster import KMeans\n\n\ndef clusters(x, k):\n    return KMeans(k).fit(x)\n"
)


def test_a_module_the_notebooks_import_is_shared_code(tmp_path: Path) -> None:
    """``notebooks/helpers.py``, imported by the notebooks beside it, is the project's code:
    it wants a package and tests. It trains for exploration notebooks: that is exploration,
    so no parameter file is asked for."""
    files = {
        "README.md": "# genres\n",
        "notebooks/helpers.py": HELPER,
        "notebooks/01_explore.ipynb": notebook("import helpers\nm = helpers.clusters(x, 4)\n"),
    }
    assert _rules(tmp_path, files) == {("MLN101", "warning"), ("MLN104", "warning")}


@pytest.mark.parametrize(
    "extra",
    [
        # a scratch script nothing imports
        {"notebooks/02_plots.ipynb": notebook("import matplotlib\n")},
        # the script twin of a notebook (jupytext pair) is that notebook, imported or not
        {
            "notebooks/helpers.ipynb": notebook("x = 1\n"),
            "notebooks/01_explore.ipynb": notebook("import helpers\n"),
        },
    ],
)
def test_scripts_beside_notebooks_that_nothing_imports_are_exploration(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    files = {"README.md": "# genres\n", "notebooks/helpers.py": HELPER, **extra}
    assert _rules(tmp_path, files) == set()


SHARED = {
    "README.md": "# elo\n",
    "common/__init__.py": "def load(name):\n    return name\n",
}


def test_modules_imported_by_bare_name_beside_a_package_are_left_outside_it(
    tmp_path: Path,
) -> None:
    """Two authors' folders of feature and model modules, wired to their run scripts by bare
    imports, next to the one real package: the code a team reuses sits outside it."""
    files = {
        **SHARED,
        "alice/run.py": "from common import load\nfrom models.boosting import fit\n",
        "alice/models/boosting.py": "def fit(x):\n    return x\n",
        "bob/run.py": "import features\n",
        "bob/features.py": "def build(x):\n    return x\n",
    }
    # the package itself still wants installing
    assert _structure(tmp_path, files) == {("MLN104", "common/"), ("MLN105", "pyproject.toml")}


PIPELINE = {
    "README.md": "# crabs\n",
    "pipeline/pyproject.toml": '[project]\nname = "crabs"\nversion = "0.1"\n',
    "pipeline/src/crabs/__init__.py": "",
    "pipeline/src/crabs/nodes.py": "def clean(df):\n    return df.dropna()\n",
}
BARE = {
    "run.py": "import cleaning\n\ncleaning.clean(1)\n",
    "cleaning.py": "def clean(x):\n    return x\n",
}


def _in(folder: str, files: Mapping[str, str]) -> dict[str, str]:
    return {f"{folder}/{rel}": text for rel, text in files.items()}


@pytest.mark.parametrize(
    ("extra", "where", "told", "fix"),
    [
        # a folder of the package's own project: into that package
        (
            _in("pipeline/scripts_old", BARE),
            "pipeline/src/crabs/",
            "outside the package `pipeline/src/crabs/`",
            "into `pipeline/src/crabs/` and import them as `crabs.<module>`",
        ),
        # a service with its own requirements beside the pipeline project: its own package
        (
            {**_in("serving", BARE), "serving/requirements.txt": "fastapi>=0.100,<1\n"},
            "serving/",
            "1 module outside a package",
            "Give the folder that holds them a package",
        ),
        # an older pipeline beside a project that declares its own: not the package's code
        (
            _in("raw_pipeline", BARE),
            "raw_pipeline/",
            "1 module outside a package",
            "Give the folder that holds them a package",
        ),
    ],
)
def test_loose_modules_are_sent_to_the_package_of_their_own_project(
    tmp_path: Path, extra: dict[str, str], where: str, told: str, fix: str
) -> None:
    """A repository of several projects (a Kedro pipeline with its own pyproject, a service
    with its own requirements): MLN104 never tells one project to move its modules into
    another project's package."""
    report = run(
        write_tree(tmp_path / "repo", {**PIPELINE, **extra}),
        build_config({"select": ["MLN104"]}),
        use_cache=False,
    )
    (finding,) = report.findings
    assert finding.path == where
    assert told in finding.message
    assert finding.fix is not None and fix in finding.fix


def test_a_src_folder_of_loose_modules_beside_a_package_is_loose_src(tmp_path: Path) -> None:
    files = {**SHARED, "src/feature_base.py": "class Feature:\n    pass\n"}
    assert _structure(tmp_path, files) == {("MLN112", "src/"), ("MLN105", "pyproject.toml")}


def test_scripts_that_only_call_into_the_package_are_fine(tmp_path: Path) -> None:
    files = {
        **SHARED,
        "pyproject.toml": '[project]\nname = "common"\nversion = "1"\n',
        "scripts/train.py": "from common import load\n\nload('train')\n",
        "scripts/report.py": "import common\n",
        "run.py": "import common.io\n",
        "common/io.py": "",
    }
    assert _structure(tmp_path, files) == set()


def test_a_module_beside_packages_in_src_that_scripts_import_is_loose_src(tmp_path: Path) -> None:
    """``src/train.py`` runs from ``src/`` and imports ``factory`` beside it: that module is
    not part of ``src/datasets/``, the package an install would ship."""
    files = {
        "README.md": "# clouds\n",
        "src/datasets/__init__.py": "",
        "src/datasets/clouds.py": "class Clouds:\n    pass\n",
        "src/factory.py": "def get_model(name):\n    return name\n",
        "src/train.py": "from datasets.clouds import Clouds\nfrom factory import get_model\n",
    }
    assert _structure(tmp_path, files) == {("MLN112", "src/"), ("MLN105", "pyproject.toml")}


@pytest.mark.parametrize(
    "files",
    [
        # imports anchored at the root go through `src` as a namespace package: the way a
        # project template runs everything from its root
        {
            "src/nets/__init__.py": "",
            "src/train.py": "from src.nets import Net\n",
            "run.py": "from src.train import train\n",
        },
        # scripts importing a helper beside them in scripts/ are glue around the package
        {
            "src/nets/__init__.py": "",
            "scripts/report.py": "from plotting import bars\n",
            "scripts/plotting.py": "def bars(x):\n    return x\n",
        },
    ],
)
def test_root_anchored_imports_and_script_folders_are_not_left_outside(
    tmp_path: Path, files: dict[str, str]
) -> None:
    base = {"README.md": "# template\n", "pyproject.toml": '[project]\nname = "nets"\n'}
    assert _structure(tmp_path, base | files) == set()


def test_a_package_run_from_inside_its_folder_is_a_folder_of_scripts(tmp_path: Path) -> None:
    """``src/main.py`` imports ``data.make_dataset`` and ``models.train``, sub-packages of
    ``src/``: that resolves only with ``src/`` on ``sys.path`` (``python src/main.py``), and
    no install metadata says otherwise. ``src/``'s ``__init__.py`` makes no package of it:
    its own module is loose (MLN112), its sub-packages are packages nothing installs."""
    files = {
        "README.md": "# thyroid\n",
        "src/__init__.py": "",
        "src/main.py": "from data.make_dataset import load\nfrom models.train import fit\n",
        "src/data/__init__.py": "",
        "src/data/make_dataset.py": "def load(path):\n    return path\n",
        "src/models/__init__.py": "",
        "src/models/train.py": "def fit(x):\n    return x\n",
    }
    assert _structure(tmp_path, files) == {("MLN112", "src/"), ("MLN105", "pyproject.toml")}
    # imported by the package's own name from elsewhere, it is a package
    files["run.py"] = "from src.data.make_dataset import load\n"
    assert _structure(tmp_path / "named", files) == {("MLN105", "pyproject.toml")}


def test_a_fixture_imported_into_the_test_module_exists(tmp_path: Path) -> None:
    files = {
        "README.md": "# titanic\n",
        "titanic/__init__.py": "def clean(df):\n    return df\n",
        "test/__init__.py": "",
        "test/fixtures.py": "import pytest\n\n\n@pytest.fixture\ndef sample():\n    return []\n",
        "test/test_clean.py": (
            "from test.fixtures import sample\nfrom titanic import clean\n\n\n"
            "def test_clean(sample):\n    assert clean(sample) == []\n"
        ),
    }
    root = write_tree(tmp_path / "repo", files)
    table: dict[str, Any] = {"select": ["MLN101"]}
    report = run(root, build_config(table), families=["structure"], use_cache=False)
    assert [f.rule for f in report.findings] == []


def test_sub_packages_of_a_script_folder_ship_as_one_named_distribution(tmp_path: Path) -> None:
    """``python src/run.py`` imports ``data`` and ``models`` by bare name: the fix names the
    distribution after the project (not after its first sub-package) and lists both."""
    files = {
        "README.md": "# churn\n",
        "src/__init__.py": "",
        "src/run.py": "from data.load import read\nfrom models.fit import fit\n",
        "src/data/__init__.py": "",
        "src/data/load.py": "def read(path):\n    return path\n",
        "src/models/__init__.py": "",
        "src/models/fit.py": "def fit(x):\n    return x\n",
    }
    root = write_tree(tmp_path / "churn-model", files)
    report = run(root, build_config({"select": ["MLN105"]}), use_cache=False)
    (finding,) = report.findings
    assert finding.fix is not None
    assert 'name = "churn-model"' in finding.fix
    assert 'packages = ["src/data", "src/models"]' in finding.fix
    assert "`data, models` are packages (good)" in finding.message


def test_scripts_that_copy_each_others_functions_belong_in_the_package(tmp_path: Path) -> None:
    """Two root scripts beside a package each define ``denoise`` and ``frame`` (one copied
    from the other): the code a package would hold once is MLN104. Scripts that share only
    entry-point boilerplate (``main``, ``parse_args``) call into the package and are fine."""
    shared = "def denoise(x):\n    return x\n\n\ndef frame(x):\n    return x\n\n\n"
    thin = "from onsets import detect\n\n\ndef parse_args():\n    pass\n\n\ndef main():\n    pass\n"
    files = {
        "README.md": "# onsets\n",
        "pyproject.toml": '[project]\nname = "onsets"\nversion = "0.1"\n',
        "src/onsets/__init__.py": "def detect(x):\n    return x\n",
        "tests/test_onsets.py": "def test_ok():\n    assert True\n",
        "evaluate.py": thin,
        "tune.py": thin,
    }
    assert ("MLN104", "src/onsets/") not in _structure(tmp_path / "thin", files)
    files["evaluate.py"] = shared + thin
    files["tune.py"] = shared + "def search(x):\n    return x\n"
    report = run(
        write_tree(tmp_path / "copied", files),
        build_config({"select": ["MLN104"]}),
        use_cache=False,
    )
    (finding,) = report.findings
    assert finding.path == "src/onsets/"
    assert (
        "2 scripts outside the package `src/onsets/` (`evaluate.py`, `tune.py`)" in finding.message
    )
    assert "(`denoise`, `frame`)" in finding.message
    assert finding.fix is not None and finding.fix.startswith("Move one copy")
    # each in a Docker build context of its own, an image sees only its folder: no copy
    for name in ("evaluate", "tune"):
        files[f"deploy/{name}/handler.py"] = files.pop(f"{name}.py")
        files[f"deploy/{name}/Dockerfile"] = "FROM python:3.11\n"
    assert ("MLN104", "src/onsets/") not in _structure(tmp_path / "images", files)


def test_a_librarys_notebooks_outside_its_documentation_are_out_of_place(
    tmp_path: Path,
) -> None:
    """A library's notebooks at its root or in ``examples/`` document it; the same notebooks
    in a data folder are exploration left out of place (MLN102)."""
    files = {
        "README.md": "# intervals\n",
        "LICENSE": "MIT\n",
        "pyproject.toml": (
            '[project]\nname = "intervals"\nversion = "1.0"\nlicense = "MIT"\n'
            'classifiers = ["Programming Language :: Python :: 3"]\n'
            '[project.urls]\nHomepage = "https://example.org"\n'
        ),
        "src/intervals/__init__.py": "def width(a, b):\n    return b - a\n",
        "tests/test_width.py": "def test_ok():\n    assert True\n",
        "quickstart.ipynb": notebook("import intervals\n"),
        "examples/usage.ipynb": notebook("import intervals\n"),
    }
    root = write_tree(tmp_path / "docs-only", files)
    report = run(root, build_config({"select": ["MLN102"]}), use_cache=False)
    assert report.profile == "library"
    assert report.findings == ()
    files["data_folder/quantiles/study.ipynb"] = notebook("import intervals\n")
    report = run(
        write_tree(tmp_path / "stray", files), build_config({"select": ["MLN102"]}), use_cache=False
    )
    assert [f.path for f in report.findings] == ["data_folder/quantiles/study.ipynb"]
    assert "outside `notebooks/` or `examples/`" in report.findings[0].message


def test_a_lightning_modules_training_step_is_training_code(tmp_path: Path) -> None:
    """The package defines how the model trains (``training_step``, an optimiser with its
    learning rate) and a notebook calls ``fit``: the settings want a parameter file."""
    module = (
        "import lightning as L\nimport torch\n\n\nclass Net(L.LightningModule):\n"
        "    def training_step(self, batch, batch_idx):\n        return self(batch).sum()\n\n"
        "    def configure_optimizers(self):\n"
        "        return torch.optim.Adam(self.parameters(), lr=0.001)\n"
    )
    files = {
        "README.md": "# polar\n",
        "requirements.txt": "lightning>=2.1\n",
        "src/polar/__init__.py": "",
        "src/polar/model.py": module,
        "notebooks/train.ipynb": notebook("import lightning as L\nL.Trainer().fit(Net())\n"),
    }
    root = write_tree(tmp_path / "none", files)
    report = run(root, build_config({"select": ["MLN103"]}), use_cache=False)
    assert [f.rule for f in report.findings] == ["MLN103"]
    files["configs/train.yaml"] = "lr: 0.001\n"
    root = write_tree(tmp_path / "configured", files)
    assert run(root, build_config({"select": ["MLN103"]}), use_cache=False).findings == ()


@pytest.mark.parametrize(
    ("package", "shown"),
    [
        ("churn/__init__.py", "`churn` is a package"),
        ("src/churn/__init__.py", "`churn` is a package"),
        ("forecast/src/data/__init__.py", "`forecast/src/data/` is a package"),
    ],
)
def test_the_package_to_install_is_named_where_it_is(
    tmp_path: Path, package: str, shown: str
) -> None:
    """A package deep in a sub-folder (one model's folder in a repository of two) is named by
    its path: `data` alone would not say which folder wants installing."""
    files = {package: "", package.replace("__init__", "io"): "def load(p):\n    return p\n"}
    report = run(
        write_tree(tmp_path / "repo", {"README.md": "# x\n", **files}),
        build_config({"select": ["MLN105"]}),
        use_cache=False,
    )
    (finding,) = report.findings
    assert shown in finding.message


@pytest.mark.parametrize(
    "init",
    ["", "# keeps the folder importable\n", '"""Notebooks of the project."""\n'],
)
def test_an_init_beside_notebooks_and_no_module_makes_no_package(tmp_path: Path, init: str) -> None:
    """`ml/notebooks/__init__.py` (empty, or a comment or a docstring) beside a notebook holds
    no code: the package the scripts belong in is `ml/work/`, the one that holds modules."""
    shared = (
        "def prepare_data(df):\n    return df.dropna()\n\n"
        "def prepare_features(df):\n    return df.fillna(0)\n"
    )
    files = {
        "README.md": "# heart\n",
        "ml/notebooks/__init__.py": init,
        "ml/notebooks/eda.ipynb": notebook("import pandas as pd\n"),
        "ml/work/__init__.py": "",
        "ml/work/features.py": "def build(df):\n    return df.dropna()\n",
        "ml/train_pipeline.py": shared,
        "ml/predict_pipeline.py": shared,
    }
    root = write_tree(tmp_path / "repo", files)
    report = run(root, build_config({"select": ["MLN104", "MLN105"]}), use_cache=False)
    messages = {f.rule: f.message for f in report.findings}
    assert "`ml/work/` is a package (good)" in messages["MLN105"]
    assert "the package `ml/work/`" in messages["MLN104"]
    assert all("notebooks" not in m for m in messages.values())


def test_a_package_whose_init_holds_code_stays_a_package(tmp_path: Path) -> None:
    files = {
        "README.md": "# tiny\n",
        "tiny/__init__.py": "def scale(x):\n    return x / 255\n",
    }
    report = run(
        write_tree(tmp_path / "repo", files),
        build_config({"select": ["MLN104", "MLN105"]}),
        use_cache=False,
    )
    assert [(f.rule, "`tiny` is a package" in f.message) for f in report.findings] == [
        ("MLN105", True)
    ]


def test_missing_metadata_names_the_package_holding_most_code(tmp_path: Path) -> None:
    """Three packages and no metadata: the message and the suggested `name` are the biggest
    package's (`house`), not the alphabetically first (`config_local`)."""
    files = {
        "README.md": "# house\n",
        "config_local/__init__.py": "PATHS = {}\n",
        "house/__init__.py": "",
        "house/features.py": "def build(df):\n    return df\n",
        "house/models.py": "def fit(x):\n    return x\n",
        "house/cv.py": "def folds(n):\n    return n\n",
        "utils/__init__.py": "",
        "utils/io.py": "def read(p):\n    return p\n",
    }
    report = run(
        write_tree(tmp_path / "repo", files),
        build_config({"select": ["MLN105"]}),
        use_cache=False,
    )
    (finding,) = report.findings
    assert finding.message.startswith("`house` is a package (good)")
    assert 'name = "house"' in (finding.fix or "")


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("", True),
        ("# marks the folder\n", True),
        ('"""Notebooks."""\n', True),
        ("r'''raw\ndocstring'''\n", True),
        ("x = 1\n", False),
        ('"""Doc."""\nimport os\n', False),
        ('"""Doc."""\nNAME = "y"\n', False),
        ("from .io import load\n", False),
        ("run()\n", False),
    ],
)
def test_a_module_of_comments_and_a_docstring_holds_no_code(text: str, empty: bool) -> None:
    assert blank(text) is empty
