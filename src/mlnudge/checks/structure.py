"""Family 1 (MLN1xx): repository structure.

Repo-level: looks at the file listing (and a few parsed manifests), never at file contents
beyond that. Each item's present/absent state is returned to the report for the readiness
score (``Project``-level facts live in :mod:`mlnudge.project`).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.config import Option
from mlnudge.finding import Finding, Severity
from mlnudge.project import is_test_path
from mlnudge.rules import Rule

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
    fix="Move the modules into `src/<name>/` with an `__init__.py` and declare it in pyproject.toml.",
    example="train.py\nfeatures.py",
    use_instead="src/churn/__init__.py\nsrc/churn/features.py\nsrc/churn/train.py",
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
)

RULES = (MISSING_TESTS, NOTEBOOK_OUTSIDE_DIR, MISSING_PARAMS_FILE, NO_PACKAGE, MISSING_README)

OPTIONS: tuple[Option, ...] = ()

PARAM_FILE_NAMES = (
    "params.yaml",
    "params.yml",
    "params.json",
    "params.toml",
    "config.yaml",
    "config.yml",
)
PARAM_DIRS = ("configs", "config", "conf")


def check(ctx: CheckContext) -> Iterator[Finding]:
    repo, project = ctx.repo, ctx.project
    py_files = [f for f in repo.files if f.endswith(".py")]
    if ctx.enabled("MLN101") and py_files and not project.test_files:
        yield MISSING_TESTS.finding(
            "tests/",
            "No tests yet: there is Python code but no `tests/` folder or `test_*.py` file.",
            anchor="tests",
        )
    if ctx.enabled("MLN102"):
        home = ctx.config.notebooks_dir.rstrip("/") + "/"
        for nb in repo.with_suffix(".ipynb"):
            if not nb.startswith(home) and f"/{home}" not in f"/{nb}":
                yield NOTEBOOK_OUTSIDE_DIR.finding(
                    nb,
                    f"Notebook `{nb}` lives outside `{home}`; keep exploration in one place.",
                    fix=f"Move it: `git mv '{nb}' '{home}{nb.rsplit('/', 1)[-1]}'`.",
                    anchor=nb,
                )
    if ctx.enabled("MLN103") and project.is_application and _has_training_code(py_files):
        if not any(_is_param_file(f) for f in repo.files):
            yield MISSING_PARAMS_FILE.finding(
                "params.yaml",
                "Training code found but no parameter file (params.yaml, configs/, conf/).",
                anchor="params",
            )
    if ctx.enabled("MLN104"):
        production = [
            f for f in py_files if not is_test_path(f) and f.rsplit("/", 1)[-1] != "setup.py"
        ]
        if production and not project.packages:
            yield NO_PACKAGE.finding(
                "src/",
                f"{len(production)} Python file(s) but no importable package "
                "(`src/<name>/__init__.py`).",
                anchor="package",
            )
    if ctx.enabled("MLN106") and not any(
        "/" not in f and f.lower().startswith("readme") for f in repo.files
    ):
        yield MISSING_README.finding(
            "README.md", "No README at the repository root.", anchor="readme"
        )


def _has_training_code(py_files: list[str]) -> bool:
    keys = ("train", "pipeline", "fit", "model")
    return any(
        any(k in f.rsplit("/", 1)[-1] for k in keys) for f in py_files if not is_test_path(f)
    )


def _is_param_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if name in PARAM_FILE_NAMES:
        return True
    return any(part in PARAM_DIRS for part in path.split("/")[:-1]) and name.endswith(
        (".yaml", ".yml", ".json", ".toml", ".ini", ".cfg")
    )


SPEC = FamilySpec(name="structure", rules=RULES, options=OPTIONS, check=check)
