"""Family 1 (MLN1xx): repository structure.

Repo-level: looks at the file listing and a few parsed manifests (pyproject, pytest settings,
``.gitattributes``, ``*.dvc`` pointers, test modules' definitions). Every item is assessed once
(:func:`assess`); :func:`check` reports the missing or misplaced ones and
:func:`structure_state` hands each item's present/absent state to the readiness score.

Profiles (:mod:`mlnudge.project`) decide what is asked: a library is not asked for a notebooks
folder, a parameter file or a lock. Known layouts (:mod:`.layouts`) decide where a
missing item is expected. ``docs/structure.md`` explains the detection rules and look-alikes.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.checks.deps.facts import PY_FACTS
from mlnudge.checks.params.files import (
    NOT_PARAM_FILES,
    PARAM_DIRS,
    PARAM_EXTENSIONS,
    configures_infrastructure,
    run_record,
)
from mlnudge.checks.structure.context import Item, StructureFacts, listing
from mlnudge.checks.structure.large import MODEL_EXTENSIONS, extension, large_files
from mlnudge.checks.structure.layouts import detect_layouts
from mlnudge.checks.structure.locks import expected_lock
from mlnudge.checks.structure.modules import (
    NAMESPACE_ROOTS_MAX,
    TARGET_FACTS,
    namespace_roots,
    notebook_helpers,
    script_folders,
    sub_packages,
)
from mlnudge.checks.structure.packages import holds_code, package_item, packaging_item
from mlnudge.checks.structure.rules import (
    FORBIDDEN_PATH,
    MISSING_CI,
    MISSING_DEPENDENCIES,
    MISSING_LOCK,
    MISSING_PARAMS_FILE,
    MISSING_PRE_COMMIT,
    MISSING_README,
    MISSING_TESTS,
    NOTEBOOK_OUTSIDE_DIR,
    OPTIONS,
    REQUIRED_PATH,
    RULES,
)
from mlnudge.checks.structure.suite import (
    TEST_FACTS,
    PytestSettings,
    collectable_test_files,
    explicit_test_files,
    holds_tests,
    pytest_settings,
    test_modules,
    under_testpaths,
)
from mlnudge.facts.access import Facts
from mlnudge.facts.repo import Repo
from mlnudge.finding import Finding, Severity
from mlnudge.project import (
    FILE_FACTS,
    NOTEBOOK_DIRS,
    REQ_NAME_RE,
    Project,
    dependency_locks,
    file_trains,
    generated_roots,
    is_conda_env,
    is_generated,
    is_showcase_path,
    is_test_path,
    name_kind,
    pipeline_notebook,
)
from mlnudge.settings import Config, path_matches

__all__ = [
    "OPTIONS",
    "RULES",
    "SPEC",
    "TEST_FACTS",
    "Item",
    "PytestSettings",
    "assess",
    "check",
    "collectable_test_files",
    "holds_tests",
    "pytest_settings",
    "structure_state",
]

# -- what counts as what --------------------------------------------------------------------------

#: words that make a file name a parameter file (``params.yaml``, ``train_config.json``)
#: (``settings``: Kaggle asks winning solutions for a ``SETTINGS.json`` of paths and switches)
PARAM_WORDS = (
    "params",
    "parameters",
    "hparams",
    "hyperparameters",
    "hyperparams",
    "config",
    "settings",
)
#: folders whose YAML configures CI or tools, never model parameters
TOOL_DIRS = frozenset(
    {".github", ".gitlab", ".circleci", ".azure-pipelines", ".buildkite", ".dvc", ".devcontainer"}
)

CI_FILES = frozenset(
    {
        ".gitlab-ci.yml",
        ".gitlab-ci.yaml",
        "azure-pipelines.yml",
        "azure-pipelines.yaml",
        "Jenkinsfile",
        ".travis.yml",
        "bitbucket-pipelines.yml",
        ".drone.yml",
        "cloudbuild.yaml",
        "cloudbuild.yml",
        "buildspec.yml",
        "appveyor.yml",
        ".cirrus.yml",
        ".woodpecker.yml",
        "codefresh.yml",
    }
)
#: CI folders that count when they hold a YAML file (``.github/dependabot.yml`` does not)
CI_DIRS = (
    ".github/workflows/",
    ".circleci/",
    ".azure-pipelines/",
    "azure-pipelines/",
    ".buildkite/",
    ".woodpecker/",
    ".semaphore/",
    ".tekton/",
)


#: Python files that are tooling, not project code
TOOLING_SCRIPTS = frozenset({"setup.py", "noxfile.py", "conftest.py", "fabfile.py", "dodo.py"})


# -- the assessment -------------------------------------------------------------------------------


def assess(
    repo: Repo, project: Project, config: Config, store: Facts | None = None
) -> tuple[Item, ...]:
    """Every structure item that applies to this repository, present or not.

    What it needs from Python files (which test modules define tests, which scripts train)
    comes from ``store``'s per-file facts (:data:`FILE_FACTS`); without one, from the files.
    """
    last = _LAST[0] if _LAST else None
    if last is not None and last[0] is repo and last[1] is config:
        return last[2]
    facts = _facts(repo, project, config, store or Facts(repo, None))
    items: list[Item] = []
    if repo.files:
        items.append(_readme(facts))
    if facts.py_files or facts.notebooks:
        package = package_item(facts)
        if facts.production:
            items.append(package)
            items.append(_tests(facts))
        # a package left beside loose modules still wants installing
        if facts.packages or (package.present and project.profile == "library"):
            items.append(packaging_item(facts))
        dependencies = _dependencies(facts)
        items.append(dependencies)
        if project.is_application and dependencies.present:
            items.append(_lock(facts))
        items.append(_ci(facts))
        items.append(_pre_commit(facts))
        if project.is_application:
            params = _params(facts)
            if params is not None:
                items.append(params)
            if facts.notebooks:
                items.append(_notebooks(facts))
        elif facts.notebooks:
            items.append(_notebooks(facts, library=True))
    items.append(_large_files(facts))
    items.extend(_team_paths(facts))
    result = tuple(items)
    _LAST[:] = [(repo, config, result)]
    return result


#: the last assessment, so that ``check`` and ``structure_state`` in one run share it
_LAST: list[tuple[Repo, Config, tuple[Item, ...]]] = []


def structure_state(
    repo: Repo, project: Project, config: Config, store: Facts | None = None
) -> dict[str, bool]:
    """Each applicable structure item and whether it is present, for the readiness score.

    Keys are item names (``tests``, ``package``, ``packaging-metadata``, ``readme``, ``ci``,
    ``pre-commit``, ``dependencies``, ``lock``, ``parameter-file``, ``notebooks-together``,
    ``no-large-files``, ``required:<path>``, ``no-forbidden:<path>``); items that do not
    apply to the repository's profile or contents are left out.
    """
    return {item.name: item.present for item in assess(repo, project, config, store)}


def check(ctx: CheckContext) -> Iterator[Finding]:
    for item in assess(ctx.repo, ctx.project, ctx.config, ctx.store):
        for finding in item.findings:
            if ctx.enabled(finding.rule):
                yield finding


def _facts(repo: Repo, project: Project, config: Config, store: Facts) -> StructureFacts:
    py_files = [f for f in repo.files if f.endswith(".py")]
    home = config.notebooks_dir.rstrip("/") + "/"
    helpers = notebook_helpers(repo, [f for f in py_files if _under_home(f, home)], store)
    production = [
        f
        for f in py_files
        if not is_test_path(f)
        and not is_showcase_path(f)
        and f.rsplit("/", 1)[-1] not in TOOLING_SCRIPTS
        # beside notebooks: jupytext pairs and scratch scripts are exploration; a module the
        # notebooks import is shared code
        and (not _under_home(f, home) or f in helpers)
    ]
    notebooks = [
        f for f in repo.files if f.endswith(".ipynb") and ".ipynb_checkpoints/" not in f"/{f}"
    ]
    layouts = detect_layouts(repo, project.packages)
    scripts = script_folders(repo, project.packages, project.packaging, store)
    packages = (
        *(p for p in project.packages if p not in scripts),
        *(p for p in sub_packages(repo, scripts) if p not in project.packages),
    )
    # an empty `notebooks/__init__.py` beside a package of code is no package (a scaffold's
    # lone empty package still is: it is where the code will go)
    with_code = tuple(p for p in packages if holds_code(store, p))
    if with_code:
        packages = with_code
    namespace: tuple[str, ...] = ()
    if not packages and not project.packaging:
        roots = namespace_roots(repo, production, store)
        if len(roots) <= NAMESPACE_ROOTS_MAX:
            packages = namespace = roots
    return StructureFacts(
        repo=repo,
        project=project,
        config=config,
        options=config.section("structure"),
        layout=layouts[0],
        py_files=py_files,
        production=production,
        notebooks=notebooks,
        declarations=dependency_declarations(repo, project),
        locks=dependency_locks(repo),
        store=store,
        packages=packages,
        namespace=namespace,
        scripts=tuple(scripts),
        details={"layout": ",".join(layout.name for layout in layouts)},
    )


def _under_home(path: str, home: str) -> bool:
    """In the notebooks folder; with the default ``notebooks-dir``, in any folder named like
    one (``notebook/``, ``nbs/``, in any case: ``Notebooks/``) too."""
    if path.startswith(home) or f"/{home}" in f"/{path}":
        return True
    default = home == "notebooks/"
    folders = {part.lower() for part in path.split("/")[:-1]}
    return default and bool(NOTEBOOK_DIRS.intersection(folders))


# -- README ---------------------------------------------------------------------------------------


def _readme(facts: StructureFacts) -> Item:
    present = any("/" not in f and f.lower().startswith("readme") for f in facts.repo.files)
    findings: tuple[Finding, ...] = ()
    if not present:
        findings = (
            MISSING_README.finding(
                "README.md",
                "No README at the repository root: say what the project does and how to run it.",
                anchor="readme",
            ),
        )
    return Item("readme", present, findings)


# -- tests ----------------------------------------------------------------------------------------


def _tests(facts: StructureFacts) -> Item:
    repo = facts.repo
    settings = pytest_settings(repo)
    with_tests, empty = test_modules(repo, settings, facts.store)
    # as pytest: testpaths that match nothing are ignored, and then the whole root is collected
    existing = [t for t in settings.testpaths if repo.glob("/" + t.strip("/"))]
    if existing:
        # a file named on a pytest command line is collected whatever `testpaths` says
        explicit = set(explicit_test_files(repo))
        collected = [f for f in with_tests if f in explicit or under_testpaths(f, tuple(existing))]
        outside = [f for f in with_tests if f not in collected]
    else:
        collected, outside = with_tests, []
    if collected:
        return Item("tests", True)
    expected = facts.layout.tests
    if outside:
        where = existing[0].strip("/") + "/"
        message = (
            f"Tests exist ({listing(outside)}) but pytest does not collect them: `testpaths` in "
            f"`{settings.source}` only looks in {', '.join(f'`{t}`' for t in existing)}."
        )
        fix = (
            f"Move the tests into `{where}` or add their folder to `testpaths` in "
            f"`{settings.source}`."
        )
        expected = where
    elif empty:
        message = (
            f"No test suite yet: {listing(empty)} is named like a test but defines no test "
            "pytest can run (no `test_` function, or only ones asking for arguments no fixture "
            "provides, which pytest reports as errors)."
        )
        fix = f"Create `{expected}test_<module>.py` with a first `def test_...():`."
    else:
        message = (
            f"No tests yet: there is Python code but no `{expected}` folder or `test_*.py` file "
            "pytest would collect."
        )
        fix = (
            f"Create `{expected}` with a first `{expected}test_<module>.py`; `pytest` collects it."
        )
    finding = MISSING_TESTS.finding(
        expected, message, fix=fix, anchor="tests", details=facts.details
    )
    return Item("tests", False, (finding,))


# -- dependencies and lock ------------------------------------------------------------------------


def dependency_declarations(repo: Repo, project: Project) -> list[str]:
    """Files that declare what the code needs: packaging metadata, requirements files (not the
    docs' own), Pipfile, conda ``environment.y*ml``, pixi.toml."""
    found = list(project.packaging)
    generated = generated_roots(repo.files)  # a saved MLflow model's requirements.txt, ...
    for rel in repo.files:
        if is_test_path(rel) or is_showcase_path(rel) or rel.split("/")[0] in TOOL_DIRS:
            continue
        if is_generated(rel, generated):
            continue
        name = rel.rsplit("/", 1)[-1]
        if (
            REQ_NAME_RE.search(rel)
            or name in ("Pipfile", "pixi.toml")
            or (name.startswith(("environment", "conda")) and name.endswith((".yml", ".yaml")))
            or is_conda_env(repo, rel)
        ):
            found.append(rel)
    return found


def _dependencies(facts: StructureFacts) -> Item:
    if facts.declarations or facts.locks:
        return Item("dependencies", True)
    library = facts.project.profile == "library"
    path = "pyproject.toml" if library else "requirements.txt"
    fix = (
        "List the libraries you import under `dependencies = [...]` in `[project]` of "
        "pyproject.toml, with lower bounds (`pandas>=2.1`)."
        if library
        else "Create `requirements.txt` listing the libraries you import with lower bounds "
        "(`pandas>=2.1`), or a conda `environment.yml`."
    )
    finding = MISSING_DEPENDENCIES.finding(
        path,
        "No dependency declaration: nothing says which libraries this code needs "
        "(no requirements.txt, `[project] dependencies`, or environment.yml).",
        fix=fix,
        anchor="dependencies",
        details=facts.details,
    )
    return Item("dependencies", False, (finding,))


def _lock(facts: StructureFacts) -> Item:
    if facts.locks:
        return Item("lock", True)
    declared = facts.declarations
    path, command = expected_lock(facts.repo, declared)
    finding = MISSING_LOCK.finding(
        path,
        f"{listing(declared)} {'declares' if len(declared) == 1 else 'declare'} your "
        "dependencies (good), but no lock file records the exact versions the model was "
        "trained with.",
        fix=f"Run `{command}` and commit `{path}`; regenerate it when dependencies change.",
        anchor="lock",
        details=facts.details,
    )
    return Item("lock", False, (finding,))


# -- CI and pre-commit ----------------------------------------------------------------------------


def _ci(facts: StructureFacts) -> Item:
    files = facts.repo.files
    present = any(f in CI_FILES for f in files) or any(
        f.startswith(CI_DIRS) and f.endswith((".yml", ".yaml")) for f in files
    )
    if present:
        return Item("ci", True)
    finding = MISSING_CI.finding(
        ".github/workflows/ci.yml",
        "No CI configuration: nothing runs the tests on each push or pull request "
        "(no .github/workflows/, .gitlab-ci.yml, azure-pipelines.yml or Jenkinsfile).",
        fix=(
            "Add `.github/workflows/ci.yml` that checks out the code, installs it "
            "(`pip install -e .` or `pip install -r requirements.txt`) and runs `pytest` "
            "(on GitLab: a `test` job in `.gitlab-ci.yml`)."
        ),
        anchor="ci",
        details=facts.details,
    )
    return Item("ci", False, (finding,))


def _pre_commit(facts: StructureFacts) -> Item:
    files = facts.repo.files
    if ".pre-commit-config.yaml" in files or ".pre-commit-config.yml" in files:
        return Item("pre-commit", True)
    finding = MISSING_PRE_COMMIT.finding(
        ".pre-commit-config.yaml",
        "No `.pre-commit-config.yaml`: formatting, linting and notebook-output checks rely on "
        "everyone remembering them.",
        anchor="pre-commit",
        details=facts.details,
    )
    return Item("pre-commit", False, (finding,))


# -- parameters -----------------------------------------------------------------------------------


def is_param_file(path: str) -> bool:
    """A parameter file: params.yaml and friends, ``*config*.yaml/json/toml``, or any YAML,
    JSON or TOML under ``configs/``, ``config/``, ``conf/`` (Hydra, Kedro); ``MLproject``.

    Tool, CI and packaging files that look alike (dvc.yaml, bentofile.yaml, environment.yml,
    .pre-commit-config.yaml, anything in .github/) are not, nor what a run wrote (a saved
    model's ``config.json`` under ``models/``, a tracking tool's records).
    """
    parts = path.split("/")
    name = parts[-1]
    if name.lower() == "mlproject":  # MLflow reads "MLproject" on any case-insensitive disk
        return True
    if (
        name in NOT_PARAM_FILES
        or name.startswith(".")
        or TOOL_DIRS.intersection(parts[:-1])
        or any(part.startswith(".") for part in parts[:-1])  # an editor's or tool's folder
        or not name.endswith(PARAM_EXTENSIONS)
        or is_test_path(path)
    ):
        return False
    if configures_infrastructure(path) or run_record(path):
        return False
    if PARAM_DIRS.intersection(parts[:-1]):
        return True
    stem = name.rsplit(".", 1)[0].lower()
    return any(word in stem for word in PARAM_WORDS)


def _training_by_content(facts: StructureFacts) -> list[str]:
    """Production scripts outside the notebooks folder that train or tune a model (``.fit(``,
    ``lgb.train(``, hyperopt's ``fmin(``, ``study.optimize(``), and notebooks outside it that
    are the pipeline (train and write a deliverable): a notebook that compares models is
    exploration."""
    home = facts.config.notebooks_dir.rstrip("/") + "/"
    notebooks = [
        nb
        for nb in facts.notebooks
        if not _under_home(nb, home)
        and not is_showcase_path(nb)
        and pipeline_notebook(facts.store, nb, facts.project.served)
    ]
    # a helper the exploration notebooks import trains for them: exploration too
    scripts = [f for f in facts.production if not _under_home(f, home)]
    return [f for f in scripts if file_trains(facts.store, f)] + notebooks


def _params(facts: StructureFacts) -> Item | None:
    repo = facts.repo
    training = [
        f for f in facts.production if name_kind(f) in ("train", "pipeline") or "/pipelines/" in f
    ]
    if not training:
        training = _training_by_content(facts)
    if "dvc.yaml" in repo.files:
        training.append("dvc.yaml")
    if not training:
        return None
    model_dirs = {
        f.rsplit("/", 1)[0] for f in repo.files if "/" in f and extension(f) in MODEL_EXTENSIONS
    }
    if any(is_param_file(f) and f.rsplit("/", 1)[0] not in model_dirs for f in repo.files):
        return Item("parameter-file", True)
    expected = facts.layout.params
    config_modules = [f for f in facts.production if f.rsplit("/", 1)[-1] in ("config.py",)]
    message = (
        f"Training or pipeline code ({listing(training)}) but no parameter file "
        "(params.yaml, configs/, conf/)."
    )
    severity = None
    if config_modules:
        message += (
            f" `{config_modules[0]}` may hold settings; values kept in code are changed by code "
            "edits and cannot be swept or compared across runs."
        )
        severity = Severity.INFO
    fix = (
        f"Create `{expected}` with the hyperparameters and paths (e.g. `train: {{lr: 0.05}}`) and "
        "load it once at the entry point (`yaml.safe_load`, Hydra or OmegaConf)."
    )
    finding = MISSING_PARAMS_FILE.finding(
        expected,
        message,
        fix=fix,
        anchor="params",
        severity=severity,
        details=facts.details,
    )
    return Item("parameter-file", False, (finding,))


# -- notebooks ------------------------------------------------------------------------------------


def _notebooks(facts: StructureFacts, *, library: bool = False) -> Item:
    """Notebooks outside the notebooks folder. A library's notebooks at its root or in
    ``docs/``, ``examples/``, ``tutorials/`` are its documentation; elsewhere (a data folder,
    beside the code) they are exploration left out of place there too."""
    home = facts.config.notebooks_dir.rstrip("/") + "/"
    stray = [
        nb
        for nb in facts.notebooks
        if not _under_home(nb, home)
        and not is_showcase_path(nb)
        and not (library and "/" not in nb)
    ]
    where = f"`{home}` or `examples/`" if library else f"`{home}`"
    findings = tuple(
        NOTEBOOK_OUTSIDE_DIR.finding(
            nb,
            f"Notebook `{nb}` lives outside {where}; keep exploration in one place.",
            fix=f"Move it: `git mv '{nb}' '{home}{nb.rsplit('/', 1)[-1]}'`.",
            anchor=nb,
        )
        for nb in stray
    )
    return Item("notebooks-together", not stray, findings)


# -- large files ----------------------------------------------------------------------------------


def _large_files(facts: StructureFacts) -> Item:
    findings = large_files(facts.repo, facts.options.int("large-file-size"))
    return Item("no-large-files", not findings, findings)


# -- the team's own standard ----------------------------------------------------------------------


def _team_paths(facts: StructureFacts) -> Iterator[Item]:
    files = facts.repo.files
    for entry in facts.options.values["required"]:
        glob = str(entry["path"]).strip()
        if not glob:
            continue
        shown = glob.lstrip("/")
        present = any(path_matches(f, glob) for f in files)
        findings: tuple[Finding, ...] = ()
        if not present:
            message = (
                entry["message"] or f"`{shown}` is required by your team's structure standard."
            )
            findings = (
                REQUIRED_PATH.finding(
                    shown, message, anchor=f"required:{glob}", details={"glob": glob}
                ),
            )
        yield Item(f"required:{glob}", present, findings)
    for entry in facts.options.values["forbidden"]:
        glob = str(entry["path"]).strip()
        if not glob:
            continue
        offenders: list[str] = []
        for rel in files:
            hit = _first_match(rel, glob)
            if hit is not None and hit not in offenders:
                offenders.append(hit)
        message = entry["message"]
        yield Item(
            f"no-forbidden:{glob}",
            not offenders,
            tuple(
                FORBIDDEN_PATH.finding(
                    hit,
                    message or f"`{hit}` is forbidden by your team's structure standard.",
                    anchor=f"forbidden:{glob}:{hit}",
                    details={"glob": glob},
                )
                for hit in offenders
            ),
        )


def _first_match(rel: str, glob: str) -> str | None:
    """The shortest prefix of ``rel`` (a folder, shown with ``/``, or the file) ``glob`` matches."""
    if not path_matches(rel, glob):
        return None
    parts = rel.split("/")
    for i in range(1, len(parts)):
        prefix = "/".join(parts[:i])
        if path_matches(prefix, glob):
            return prefix + "/"
    return rel


SPEC = FamilySpec(
    name="structure",
    rules=RULES,
    options=OPTIONS,
    check=check,
    file_facts=(*FILE_FACTS, TEST_FACTS, PY_FACTS, TARGET_FACTS),
)
