"""The structure family's rules (MLN1xx) and its ``[tool.mlnudge.structure]`` options."""

from __future__ import annotations

from mlnudge.finding import Severity
from mlnudge.rules import Rule
from mlnudge.settings import Option

MISSING_TESTS = Rule(
    code="MLN101",
    name="missing-tests",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="The repository has no test suite pytest would collect.",
    why=(
        "Tests are how a team learns that a change to feature code silently changed the data a "
        "model sees; without a tests/ folder nobody knows where to start one."
    ),
    fix="Create `tests/` with a first `tests/test_<module>.py`; `pytest` collects it as is.",
    example="my-project/\n  src/churn/features.py\n  notebooks/explore.ipynb",
    use_instead="my-project/\n  src/churn/features.py\n  tests/test_features.py",
)
NOTEBOOK_OUTSIDE_DIR = Rule(
    code="MLN102",
    name="notebook-outside-notebooks-dir",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    options=("notebooks-dir",),
    summary="A notebook lives outside the notebooks directory.",
    why=(
        "Notebooks are the record of how the team explored the data; kept in one place they stay "
        "findable for later root-cause analysis, and tools can treat them as exploration."
    ),
    fix="Move the notebook into `notebooks/` (`git mv eda.ipynb notebooks/`).",
    example="eda.ipynb\nsrc/churn/...",
    use_instead="notebooks/eda.ipynb\nsrc/churn/...",
)
MISSING_PARAMS_FILE = Rule(
    code="MLN103",
    name="missing-parameter-file",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="Training or pipeline code exists but there is no parameter file.",
    why=(
        "One parameter file (params.yaml, configs/) is where hyperparameters and paths are changed "
        "and reviewed; without it they end up scattered through the code."
    ),
    fix="Create `params.yaml` (or `configs/`) and load it in one place in your code.",
    example="train.py  # learning_rate=0.05 inline",
    use_instead="params.yaml  # train: {learning_rate: 0.05}\ntrain.py  # reads params.yaml",
)
NO_PACKAGE = Rule(
    code="MLN104",
    name="no-importable-package",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="Python code exists but not as an importable package.",
    why=(
        "Loose scripts cannot be imported by tests or by other projects; a package "
        "(`src/<name>/__init__.py`) makes the code testable and installable."
    ),
    fix=(
        "Move the modules into `src/<name>/` with an `__init__.py` and declare it in "
        "pyproject.toml."
    ),
    example="train.py\nfeatures.py",
    use_instead="src/churn/__init__.py\nsrc/churn/features.py\nsrc/churn/train.py",
)
MISSING_PACKAGING = Rule(
    code="MLN105",
    name="missing-packaging-metadata",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="A package exists but nothing declares how to install it.",
    why=(
        "Without packaging metadata the package is only importable from the repository root, so "
        "tests, notebooks and the training job each hack `sys.path`; `pip install -e .` ends that."
    ),
    fix=(
        "Add a `[project]` table (name, version, dependencies) and a `[build-system]` to "
        "`pyproject.toml`, then `pip install -e .`."
    ),
    example="pyproject.toml  # only [tool.ruff]\nsrc/churn/__init__.py",
    use_instead=(
        'pyproject.toml  # [project] name = "churn", version = "0.1.0", dependencies = [...]\n'
        "src/churn/__init__.py"
    ),
)
MISSING_README = Rule(
    code="MLN106",
    name="missing-readme",
    family="structure",
    severity=Severity.INFO,
    scope="repo",
    summary="The repository has no README.",
    why="A README tells the next person what the model does, how to train it and where data lives.",
    fix="Add `README.md` with what the project does, how to set it up and how to run it.",
    example="src/churn/...\ntests/...",
    use_instead="README.md\nsrc/churn/...\ntests/...",
)
MISSING_CI = Rule(
    code="MLN107",
    name="missing-ci",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="No continuous integration runs the checks on every change.",
    why=(
        "CI runs the tests on every push and pull request, so a broken feature function is caught "
        "before it reaches a training run instead of weeks later."
    ),
    fix=(
        "Add `.github/workflows/ci.yml` (or `.gitlab-ci.yml`, `azure-pipelines.yml`, a "
        "`Jenkinsfile`) that installs the project and runs `pytest`."
    ),
    example="src/churn/...\ntests/...",
    use_instead=".github/workflows/ci.yml  # pip install -e . && pytest\nsrc/churn/...\ntests/...",
)
MISSING_PRE_COMMIT = Rule(
    code="MLN108",
    name="missing-pre-commit-config",
    family="structure",
    severity=Severity.INFO,
    scope="repo",
    summary="There is no `.pre-commit-config.yaml`.",
    why=(
        "pre-commit runs formatters and checks (mlnudge among them) before each commit, so "
        "reviews discuss the model rather than style, and notebooks are committed clean."
    ),
    fix=(
        "Add `.pre-commit-config.yaml` (mlnudge ships ready-to-copy ones in `hooks/`) and run "
        "`pre-commit install`."
    ),
    example="src/churn/...",
    use_instead=".pre-commit-config.yaml\nsrc/churn/...",
)
MISSING_LOCK = Rule(
    code="MLN109",
    name="missing-lock-file",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="An application declares its dependencies but records no exact versions.",
    why=(
        "A model is only reproducible with the library versions it was trained with; a lock file "
        "records every exact version so the training run and the serving image match."
    ),
    fix=(
        "Generate a lock with your tool and commit it: `uv lock`, `poetry lock`, `pdm lock`, "
        "`pipenv lock`, or `uv pip compile requirements.txt -o requirements.lock`."
    ),
    example="requirements.txt  # pandas>=2.1\ntrain.py",
    use_instead="requirements.txt  # pandas>=2.1\nrequirements.lock  # pandas==2.2.3 ...\ntrain.py",
)
LARGE_FILE = Rule(
    code="MLN110",
    name="large-file-committed",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    options=("large-file-size",),
    summary="A dataset, model binary or other large file is committed to git.",
    why=(
        "Git keeps every version of a big file forever, so clones get slow and data changes are "
        "invisible in review; DVC or Git LFS version them beside the code instead."
    ),
    fix=(
        "Track it with DVC (`dvc add <file>`, then commit the `.dvc` pointer) or Git LFS "
        "(`git lfs track '*.parquet'`), and remove it from git with `git rm --cached <file>`."
    ),
    example="data/train.csv  # 48 MB\nmodels/model.pkl  # 120 MB",
    use_instead="data/train.csv.dvc\nmodels/model.pkl.dvc",
)
MISSING_DEPENDENCIES = Rule(
    code="MLN111",
    name="missing-dependency-declaration",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="Python code exists but no file declares the libraries it needs.",
    why=(
        "Without a declaration the next person (or the CI runner, or the training cluster) has to "
        "guess which libraries and versions the code needs."
    ),
    fix=(
        "Declare the libraries you import: `dependencies = [...]` under `[project]` in "
        "pyproject.toml, a `requirements.txt`, or a conda `environment.yml`."
    ),
    example="train.py  # import pandas, sklearn",
    use_instead="requirements.txt  # pandas>=2.1\\nscikit-learn>=1.4\ntrain.py",
)
LOOSE_SRC = Rule(
    code="MLN112",
    name="loose-scripts-in-src",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    summary="`src/` holds loose scripts rather than a package.",
    why=(
        "Scripts in `src/` look packaged but are not importable: tests and notebooks cannot "
        "`import` them without `sys.path` tricks, and nothing can be installed."
    ),
    fix=(
        "Move the modules into `src/<name>/` next to an empty `__init__.py` and declare the "
        "package in pyproject.toml; keep thin entry points that call into it."
    ),
    example="src/prepare.py\nsrc/train.py",
    use_instead="src/churn/__init__.py\nsrc/churn/prepare.py\nsrc/churn/train.py",
)
REQUIRED_PATH = Rule(
    code="MLN120",
    name="team-required-path-missing",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    options=("required",),
    summary="A path your team's structure standard requires is missing.",
    why=(
        "Your team agreed on this path (`[tool.mlnudge.structure] required`); the finding's "
        "message says why."
    ),
    fix="Create the path named in the finding, as your team's message describes.",
    example=(
        "[tool.mlnudge.structure]\n"
        'required = [{path = "docs/", message = "Document the API in docs/."}]'
    ),
    use_instead="docs/index.md",
)
FORBIDDEN_PATH = Rule(
    code="MLN121",
    name="team-forbidden-path-present",
    family="structure",
    severity=Severity.WARNING,
    scope="repo",
    options=("forbidden",),
    summary="A path your team's structure standard forbids is present.",
    why=(
        "Your team agreed to keep this out of the repository "
        "(`[tool.mlnudge.structure] forbidden`); the finding's message says why."
    ),
    fix="Remove or move the path named in the finding, as your team's message describes.",
    example=(
        "[tool.mlnudge.structure]\n"
        'forbidden = [{path = "*.pkl", message = "Models go to the registry, not git."}]'
    ),
    use_instead="models/model.pkl.dvc",
)

RULES = (
    MISSING_TESTS,
    NOTEBOOK_OUTSIDE_DIR,
    MISSING_PARAMS_FILE,
    NO_PACKAGE,
    MISSING_PACKAGING,
    MISSING_README,
    MISSING_CI,
    MISSING_PRE_COMMIT,
    MISSING_LOCK,
    LARGE_FILE,
    MISSING_DEPENDENCIES,
    LOOSE_SRC,
    REQUIRED_PATH,
    FORBIDDEN_PATH,
)

_PATH_FIELDS = (
    Option(
        "path",
        "str",
        "",
        "Glob relative to the root, gitignore-style: `docs/` is a folder, `*.pkl` matches at any "
        "depth, a leading `/` anchors at the root.",
    ),
    Option("message", "str", "", "What the finding says (your team's reason)."),
)

OPTIONS: tuple[Option, ...] = (
    Option(
        "large-file-size",
        "int",
        1_000_000,
        "Datasets and model binaries (csv, parquet, pkl, pt, onnx, ...) above this many bytes are "
        "reported as committed large files; any other file above ten times this size is too.",
    ),
    Option(
        "required",
        "tables",
        [],
        'Paths your team requires: `required = [{path = "docs/", message = "..."}]`.',
        fields=_PATH_FIELDS,
    ),
    Option(
        "forbidden",
        "tables",
        [],
        'Paths your team forbids: `forbidden = [{path = "*.pkl", message = "..."}]`.',
        fields=_PATH_FIELDS,
    ),
)
