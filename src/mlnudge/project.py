"""Facts about the scanned project that several families need, computed once per run.

The profile decides what a repository is asked for: an ``application`` (an ML project that
trains, runs pipelines or keeps notebooks) is asked for a parameter file, a lock and a
notebooks folder; a ``library`` (a reusable package) is not. Detection reads the file listing
and the packaging metadata only, and says why it chose (``profile_reason``). What it needs from
Python files (a ``setup(`` call, a ``__main__`` block, a training call) comes from per-file
facts (:data:`SCRIPT_FACTS`), so an unchanged file is not read again.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import Repo

Profile = Literal["application", "library"]

_TEST_FILE_RE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")
#: words that name training code, pipeline code and serving code in a file name
_TRAIN_WORDS = (
    "train|training|trainer|finetune|fine_tune|fit|tune|tuning|sweep|experiment|experiments"
    "|hpo|hyperopt"
)
_PIPELINE_WORDS = "pipeline|pipelines"
_SERVE_WORDS = "predict|prediction|inference|serve|serving|evaluate|evaluation|eval"
NameKind = Literal["train", "pipeline", "serve"]
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_KIND_WORDS: tuple[tuple[NameKind, str], ...] = (
    ("train", _TRAIN_WORDS),
    ("pipeline", _PIPELINE_WORDS),
    ("serve", _SERVE_WORDS),
)
_NAME_RES = tuple((kind, re.compile(rf"(^|[_-])({words})([_-]|$)")) for kind, words in _KIND_WORDS)
#: files whose presence alone makes a repository an ML application
APPLICATION_MARKERS = (
    "dvc.yaml",
    "params.yaml",
    "params.yml",
    "MLproject",
    "bentofile.yaml",
    "kedro.yml",
    ".kedro.yml",
)
#: folders whose notebooks and scripts document or demonstrate a library, not an application
SHOWCASE_DIRS = frozenset(
    {
        "docs",
        "doc",
        "examples",
        "example",
        "tutorials",
        "tutorial",
        "demo",
        "demos",
        "benchmarks",
    }
)
#: folders of helper scripts: glue around a project's package, not its code
SCRIPT_DIRS = frozenset({"scripts", "script", "bin", "tools"})
#: folder names that hold notebooks (besides a configured ``notebooks-dir``)
NOTEBOOK_DIRS = frozenset({"notebooks", "notebook", "nbs"})
#: folders that hold a project's data (their presence says "application")
DATA_DIRS = frozenset({"data", "dataset", "datasets", "input", "inputs"})
_DATA_STAGES = frozenset({"raw", "processed", "interim", "external"})
_DATA_SUFFIXES = (".csv", ".tsv", ".parquet", ".feather", ".xlsx", ".xls", ".pkl", ".npy", ".npz")
_PACKAGING_NAMES = ("pyproject.toml", "setup.cfg", "setup.py")


@dataclass(frozen=True)
class Project:
    profile: Profile
    #: why the profile was chosen, for the report
    profile_reason: str
    #: top-level importable packages (``src/churn``, ``churn``; PEP 420 ones under ``src/`` too)
    packages: tuple[str, ...]
    #: test code by location or name (see :func:`is_test_path`), whether or not it holds tests
    test_files: tuple[str, ...]
    #: files that declare packaging metadata (``[project]``, ``[tool.poetry]``, setup.cfg, setup.py)
    packaging: tuple[str, ...] = ()
    #: the saved-model files (by name) the project's Python code names: what a service or a
    #: script loads (a notebook that trains and writes one of them delivers it)
    served: frozenset[str] = frozenset()

    @property
    def is_application(self) -> bool:
        return self.profile == "application"


#: folders of one kind of tests: ``unit_tests/``, ``integration_test/``, ``e2e-tests/``
_TEST_DIR_RE = re.compile(
    r"(?:unit|integration|e2e|end_to_end|functional|smoke|system|acceptance|regression)[_-]?tests?"
)


def is_test_path(path: str) -> bool:
    """Test code by location or name: ``tests/``, ``test/``, ``test_*.py``, ``*_test.py``,
    ``conftest.py``."""
    parts = path.split("/")
    if any(p in ("tests", "test", "testing") for p in parts[:-1]):
        return True
    return bool(_TEST_FILE_RE.search(path)) or parts[-1] == "conftest.py"


def is_showcase_path(path: str) -> bool:
    """Inside ``docs/``, ``examples/``, ``tutorials/`` or ``benchmarks/`` at any depth."""
    return bool(SHOWCASE_DIRS.intersection(path.split("/")[:-1]))


def word_list(name: str) -> list[str]:
    """The lower-case words of a name or path in order, camelCase included
    (``analyzeModel_errors.csv`` -> ``analyze``, ``model``, ``errors``, ``csv``)."""
    return [w for w in re.split(r"[^a-z0-9]+", _CAMEL_RE.sub("_", name).lower()) if w]


def split_words(name: str) -> set[str]:
    """The set of :func:`word_list`."""
    return set(word_list(name))


def name_kind(path: str) -> NameKind | None:
    """What a ``.py`` file's name says it does: ``train.py`` trains, ``pipeline_x.py`` runs a
    pipeline, ``predict.py`` serves; ``None`` for any other name."""
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(".py"):
        return None
    # camelCase words count as words: trainLGBM.py trains, preProcessing.py does not
    stem = _CAMEL_RE.sub("_", name[:-3]).lower()
    for kind, pattern in _NAME_RES:
        if pattern.search(stem):
            return kind
    return None


def find_packages(repo: Repo) -> tuple[str, ...]:
    """Directories holding an ``__init__.py`` whose parent does not (top-level packages); a
    folder of tests (``tests/``, ``unit_tests/``, ``integration_test/``) is none.
    A folder whose name is no Python identifier (``model-deployment/``) cannot be imported
    whatever it holds: not a package."""
    inits = {f.rsplit("/", 1)[0] for f in repo.files if f.endswith("/__init__.py")}
    tops = sorted(
        d
        for d in inits
        if (d.rsplit("/", 1)[0] if "/" in d else "") not in inits
        and not is_test_path(d + "/x.py")
        and not any(_TEST_DIR_RE.fullmatch(part) for part in d.split("/"))
        and d.rsplit("/", 1)[-1].isidentifier()
    )
    return tuple(tops)


def packaging_files(repo: Repo, facts: Facts | None = None) -> tuple[str, ...]:
    """The files that really declare packaging metadata, at the root, in ``src/`` or beside a
    package of a sub-project.

    ``pyproject.toml`` counts with a ``[project]`` or ``[tool.poetry]`` table (a pyproject of
    tool settings only does not); ``setup.cfg`` with ``[metadata]`` or ``[options]``;
    ``setup.py`` when it calls ``setup(``.
    """
    facts = facts or Facts(repo, None)
    dirs = {"", "src"}
    for package in find_packages(repo):
        parent = package.rsplit("/", 1)[0] if "/" in package else ""
        dirs.add(parent)
        if parent == "src" or parent.endswith("/src"):
            dirs.add(parent[:-4].rstrip("/"))
    found = []
    for directory in sorted(dirs):
        for name in _PACKAGING_NAMES:
            rel = f"{directory}/{name}" if directory else name
            if rel in repo.files and _declares_packaging(repo, rel, facts):
                found.append(rel)
    return tuple(found)


def _declares_packaging(repo: Repo, rel: str, facts: Facts) -> bool:
    if rel.endswith("pyproject.toml"):
        data = repo.toml(rel) or {}
        tool = data.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        return isinstance(data.get("project"), dict) or isinstance(poetry, dict)
    if rel.endswith("setup.cfg"):
        parser = read_ini(repo, rel)
        return parser is not None and (
            parser.has_option("metadata", "name") or parser.has_section("options")
        )
    return "setup(" in text_markers(facts, rel)


def read_ini(repo: Repo, rel: str) -> configparser.ConfigParser | None:
    """An ini-style file (setup.cfg, tox.ini, pytest.ini) parsed leniently, or ``None``."""
    text = repo.text(rel)
    if text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=rel)
    except configparser.Error as exc:
        repo.error(rel, "syntax", f"cannot parse as an ini file: {exc.message}")
        return None
    return parser


def namespace_packages(
    repo: Repo, packages: tuple[str, ...], packaging: tuple[str, ...]
) -> list[str]:
    """Folders of modules without ``__init__.py`` that packaging metadata makes importable
    (PEP 420 namespace packages), only when such metadata exists: any ``src/<name>/``, and a
    top-level folder the metadata names (the distribution's name, as Poetry, hatch and
    setuptools discover it, or a Poetry ``packages`` include)."""
    if not packaging:
        return []
    named = _named_packages(repo, packaging, "")
    in_src = _named_packages(repo, packaging, "src")
    any_src = _installs_every_src_folder(repo, packaging)
    found = set()
    for f in repo.files:
        parts = f.split("/")
        if not f.endswith(".py") or is_test_path(f) or any(f.startswith(p + "/") for p in packages):
            continue
        if len(parts) >= 3 and parts[0] == "src" and parts[1].isidentifier():
            if any_src or parts[1] in in_src:
                found.add(f"src/{parts[1]}")
        elif len(parts) >= 2 and parts[0] in named:
            found.add(parts[0])
    return sorted(found)


def _installs_every_src_folder(repo: Repo, packaging: tuple[str, ...]) -> bool:
    """Whether the build backend installs every folder of ``src/``, as setuptools' discovery
    does; Poetry, hatch, flit and PDM install the package named after the project (or the
    ones listed), so ``src/data/`` beside no ``src/<project>/`` is no package of theirs."""
    if "pyproject.toml" not in packaging or any(
        not rel.endswith("pyproject.toml") for rel in packaging
    ):
        return True  # setup.py / setup.cfg (setuptools), or only a sub-project's metadata
    data = repo.toml("pyproject.toml") or {}
    system = data.get("build-system")
    backend = str(system.get("build-backend", "")) if isinstance(system, dict) else ""
    if "setuptools" in backend:
        return True
    tool = data.get("tool")
    poetry = isinstance(tool, dict) and isinstance(tool.get("poetry"), dict)
    return not (poetry or any(name in backend for name in ("poetry", "hatch", "flit", "pdm")))


def _named_packages(repo: Repo, packaging: tuple[str, ...], where: str) -> set[str]:
    """Import names a ``pyproject.toml`` at the root declares in folder ``where`` (``""`` for
    the root, ``"src"``): its project name (``pytorch-tabnet`` is imported as
    ``pytorch_tabnet``) and Poetry's ``packages`` (``{include = "x", from = "src"}``)."""
    if "pyproject.toml" not in packaging:
        return set()
    data = repo.toml("pyproject.toml") or {}
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    project = data.get("project")
    names: set[str] = set()
    for table in (project, poetry):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            names.add(re.sub(r"[-.]+", "_", table["name"]).lower())
    for item in poetry.get("packages", []) if isinstance(poetry, dict) else []:
        include = item.get("include") if isinstance(item, dict) else None
        if isinstance(include, str) and str(item.get("from", "")).strip("/") == where:
            names.add(include.strip("/"))
    for listed in _hatch_packages(tool):  # `packages = ["src/acme"]` of hatch's wheel target
        folder, _, name = listed.strip("/").rpartition("/")
        if folder == where:
            names.add(name)
    return {n for n in names if n.isidentifier()}


def _hatch_packages(tool: object) -> list[str]:
    hatch = tool.get("hatch") if isinstance(tool, dict) else None
    build = hatch.get("build") if isinstance(hatch, dict) else None
    targets = build.get("targets") if isinstance(build, dict) else None
    wheel = targets.get("wheel") if isinstance(targets, dict) else None
    listed = wheel.get("packages") if isinstance(wheel, dict) else None
    return [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else []


#: metadata keys that only a package published for others carries
_STRONG_KEYS = ("classifiers", "urls", "repository", "homepage", "documentation")
_SETUP_STRONG = ("classifiers", "project_urls")
_SETUP_WEAK = ("long_description", "url=")
_DOCS_FILES = ("mkdocs.yml", "docs/conf.py", "doc/conf.py", ".readthedocs.yaml", ".readthedocs.yml")
_RELEASE_MARKS = ("pypi-publish", "twine upload", "poetry publish", "flit publish", "hatch publish")


def publishing_signs(
    repo: Repo,
    packages: tuple[str, ...],
    packaging: tuple[str, ...],
    facts: Facts | None = None,
) -> tuple[list[str], list[str]]:
    """Signs that a package is published for others to install, as ``(strong, weak)``.

    Strong: classifiers, project URLs, ``py.typed``, a release workflow. Weak (a template
    ships them too): a readme with a licence in the metadata, a long description, API docs.
    """
    facts = facts or Facts(repo, None)
    strong: list[str] = []
    weak: list[str] = []
    for rel in packaging:
        if rel.endswith("pyproject.toml"):
            data = repo.toml(rel) or {}
            tool = data.get("tool")
            poetry = tool.get("poetry") if isinstance(tool, dict) else None
            for table, label in ((data.get("project"), "[project]"), (poetry, "[tool.poetry]")):
                if not isinstance(table, dict):
                    continue
                strong += [f"{rel} {label} {key}" for key in _STRONG_KEYS if table.get(key)]
                if table.get("readme") and table.get("license"):
                    weak.append(f"{rel} {label} readme and license")
        else:
            marks = text_markers(facts, rel)
            strong += [f"{rel} {key}" for key in _SETUP_STRONG if key in marks]
            weak += [f"{rel} {key.rstrip('=')}" for key in _SETUP_WEAK if key in marks]
    strong += [f"{p}/py.typed" for p in packages if f"{p}/py.typed" in repo.files]
    for rel in repo.files:
        if rel.startswith(".github/workflows/") and rel.endswith((".yml", ".yaml")):
            text = repo.text(rel) or ""
            if any(mark in text for mark in _RELEASE_MARKS):
                strong.append(f"{rel} publishes to PyPI")
        elif rel in _DOCS_FILES:
            weak.append(f"{rel} (API docs)")
    return strong, weak


def _application_marker(repo: Repo) -> str | None:
    """A file that makes the repository an ML application whatever else it holds."""
    files = repo.files
    for name in APPLICATION_MARKERS:
        if name in files:
            return name
    pyproject = repo.toml("pyproject.toml") if "pyproject.toml" in files else None
    tool = (pyproject or {}).get("tool")
    if isinstance(tool, dict) and "kedro" in tool:
        return "pyproject.toml [tool.kedro]"
    for f in files:
        if f.startswith("conf/base/"):
            return f
    return None


def training_entry_points(
    repo: Repo, packages: tuple[str, ...], facts: Facts | None = None
) -> list[str]:
    """Scripts named for training or a pipeline (``train.py``, ``scripts/run_pipeline.py``,
    a package's ``models/train_model.py`` run as ``__main__``), outside tests and docs.
    Empty files do not count."""
    facts = facts or Facts(repo, None)
    found = []
    for f in repo.files:
        if is_test_path(f) or is_showcase_path(f) or name_kind(f) not in ("train", "pipeline"):
            continue
        if repo.size(f) == 0:
            continue
        in_package = any(f.startswith(p + "/") for p in packages)
        if not in_package or "__main__" in text_markers(facts, f):
            found.append(f)
    return found


#: a make/just target that trains or runs the pipeline (``train:``, ``pipeline:``), at the
#: start of a line, followed by its recipe
_MAKE_TARGET_RE = re.compile(
    r"^(train\w*|fit|pipeline|run_pipeline)\s*:(?!=)[^\n]*\n((?:[ \t]+[^\n]*\n?)*)", re.M
)
#: a recipe line that runs Python
_RUNS_PYTHON_RE = re.compile(
    r"\bpython[\d.]*\b|\$\(PY\w*\)|\$\{?PY\w*\}?|\b(?:uv|poetry|pdm|hatch) run\b"
)


def make_training_targets(repo: Repo) -> list[str]:
    """Targets of the root ``Makefile``/``justfile`` named for training or the pipeline
    whose recipe runs Python (``train:`` then ``python -m src.train``): how the project is
    trained, even when the script is not where the name rules look."""
    found = []
    for name in ("Makefile", "makefile", "GNUmakefile", "justfile"):
        if name not in repo.files:
            continue
        for match in _MAKE_TARGET_RE.finditer(repo.text(name) or ""):
            if _RUNS_PYTHON_RE.search(match.group(2)):
                found.append(f"{name} target `{match.group(1)}`")
    return found


#: calls that train or tune a model, whatever the file is called, and the training step of a
#: Lightning module (how its trainer trains it, wherever ``fit`` is called from)
TRAINING_CALL_RE = re.compile(
    r"\.fit(?:_generator)?\(|\b(?:xgb|xgboost|lgb|lightgbm|catboost)\.(?:train|cv)\("
    r"|\bfmin\(|\bstudy\.optimize\(|\btrainer\.fit\(|\bdef training_step\("
)


def trains(text: str) -> bool:
    """The code calls something that trains or tunes a model (``.fit(``, ``lgb.train(``,
    hyperopt's ``fmin(``, ``study.optimize(``) or defines a Lightning module's training step."""
    if not any(hint in text for hint in _TRAINING_HINTS):
        return False  # a substring test is far cheaper than the expression on a long file
    return TRAINING_CALL_RE.search(text) is not None


#: a substring of every match of :data:`TRAINING_CALL_RE`
_TRAINING_HINTS = (".fit", ".train(", ".cv(", "fmin(", ".optimize(", "training_step(")


#: the substrings the project's detection looks for in a Python file (``__main__`` blocks,
#: a ``setup(`` call and the setup.py keywords that say "published")
MARKERS = ("__main__", "setup(", "py_modules", *_SETUP_STRONG, *_SETUP_WEAK)


#: a string naming a saved model's file (``"models/xgboost_best.bin"``, ``'model.pkl'``; in a
#: notebook's JSON a double quote is escaped): its name is the second group
_MODEL_FILE_RE = re.compile(
    r"""["']([^"'\s]*?/)?([\w.-]+\.(?:bin|b|pkl|pickle|joblib|pt|pth|h5|keras|onnx|sav|cbm|"""
    r"""ubj|safetensors))\\?["']"""
)

#: a competition submission written from the code: ``sub.to_csv("submission.csv")``
_SUBMISSION_RE = re.compile(r"submission", re.IGNORECASE)
_WRITE_RE = re.compile(r"\.to_csv\(|\.to_parquet\(|\bsavetxt\(|\.write\(")


def delivers(text: str) -> bool:
    """The code writes a deliverable: a competition submission (a file named for one, written
    with ``to_csv``/``savetxt``/``write``). A notebook that does is a pipeline whose output is
    handed in; one that explores, plots or saves a scratch model is not."""
    return _SUBMISSION_RE.search(text) is not None and _WRITE_RE.search(text) is not None


#: a notebook kept as a Python script: jupytext's header, or percent-format cells
_TEXT_NOTEBOOK_RE = re.compile(r"^#\s+jupytext:|^# %%", re.M)
#: a function defined at a module's top level
_TOP_DEF_RE = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)", re.M)


#: a string naming a top-level data folder: ``"data/raw.csv"``, ``"../input/x"``, ``"data"``
_DATA_REF_RE = re.compile(
    r"""["'](?:\.{1,2}/)*(data|dataset|datasets|input|inputs)(?:/|["'])""", re.IGNORECASE
)


def blank(text: str) -> bool:
    """The module holds no code: empty, or only comments and a docstring (an ``__init__.py``
    that only marks a folder)."""
    body = "\n".join(
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ).strip()
    if body[:1] in ("r", "R", "u", "U") and body[1:2] in ('"', "'"):
        body = body[1:]  # a raw or unicode docstring
    for quote in ('"""', "'''", '"', "'"):
        if body.startswith(quote):
            end = body.find(quote, len(quote))
            return end != -1 and not body[end + len(quote) :].strip()
    return not body


def script_facts(text: str) -> dict[str, Any]:
    """What detection asks of one Python file or notebook (its raw text): which
    :data:`MARKERS` it contains (``m``), whether it trains (``t``, :func:`trains`), whether
    it writes a deliverable (``d``, :func:`delivers`), whether a ``.py`` file is a notebook
    in text form (``n``, jupytext's percent format or header), the functions it defines at
    its top level (``f``), the top-level data folders its strings name (``r``), the saved-model
    files its strings name (``o``) and whether a ``.py`` file holds no code at all (``b``,
    :func:`blank`)."""
    notebook = text.startswith("{")
    return {
        "b": not notebook and blank(text),
        "m": [mark for mark in MARKERS if mark in text],
        "t": trains(text),
        "d": delivers(text),
        "n": not notebook and _TEXT_NOTEBOOK_RE.search(text) is not None,
        "f": [] if notebook or "def" not in text else sorted(set(_TOP_DEF_RE.findall(text))),
        "r": sorted({m.lower() for m in _DATA_REF_RE.findall(text)}),
        "o": sorted({m.group(2) for m in _MODEL_FILE_RE.finditer(text)}),
    }


#: :func:`script_facts` of each ``.py`` file and notebook, from its text (no parse)
SCRIPT_FACTS = FileFacts(script_facts, "11", suffixes=(".py", ".ipynb"), text=True)


#: the per-file facts project detection reads (for a family's ``FamilySpec.file_facts``)
FILE_FACTS = (SCRIPT_FACTS,)


def text_markers(facts: Facts, rel: str) -> frozenset[str]:
    """The :data:`MARKERS` in ``rel``: from the facts for Python files and notebooks, from the
    text for anything else (``setup.cfg``); empty when it cannot be read."""
    if rel.endswith((".py", ".ipynb")):
        value = facts.get(rel, SCRIPT_FACTS)
        return frozenset(value["m"]) if isinstance(value, dict) else frozenset()
    text = facts.repo.text(rel) or ""
    return frozenset(mark for mark in MARKERS if mark in text)


def file_trains(facts: Facts, rel: str) -> bool:
    """:func:`trains` of a Python file's or notebook's text, from the facts."""
    value = facts.get(rel, SCRIPT_FACTS)
    return isinstance(value, dict) and bool(value["t"])


def pipeline_notebook(facts: Facts, rel: str, served: frozenset[str]) -> bool:
    """A notebook that is part of the pipeline rather than exploration: it trains and writes a
    deliverable: a submission (:func:`delivers`), or a model file the project's Python code
    names (``served``: ``models/xgboost_best.bin``, which the service's ``predict.py``
    loads). Notebooks that train and plot, compare models for a report or reproduce a paper's
    figures are exploration wherever they sit."""
    value = facts.get(rel, SCRIPT_FACTS)
    if not (isinstance(value, dict) and value["t"]):
        return False
    return bool(value.get("d")) or bool(served.intersection(value.get("o", ())))


def served_models(repo: Repo, facts: Facts) -> frozenset[str]:
    """The saved-model files (by name) the project's Python files name, tests, examples and
    notebooks (and their text forms) aside: what the code that serves or uses a model loads."""
    found: set[str] = set()
    for f in repo.files:
        if not f.endswith(".py") or is_test_path(f) or is_showcase_path(f):
            continue
        value = facts.get(f, SCRIPT_FACTS)
        if isinstance(value, dict) and not value.get("n"):
            found.update(value.get("o", ()))
    return frozenset(found)


def notebook_twin(facts: Facts, rel: str) -> str | None:
    """The notebook that the Python file ``rel`` is the text form of: ``explore.py`` written
    by jupytext (percent cells or its header) beside ``explore.ipynb``. The pair is one piece
    of code; a plain script beside a demo notebook of the same name is not a twin."""
    if not rel.endswith(".py"):
        return None
    twin = rel[: -len(".py")] + ".ipynb"
    if not (facts.repo.exists(twin) and facts.repo.exists(rel)):
        return None
    value = facts.get(rel, SCRIPT_FACTS)
    return twin if isinstance(value, dict) and value.get("n") else None


#: fixtures pytest and its common plugins provide: a test asking for one of them runs; one
#: asking for a name nothing defines fails at setup (structure's test suite and transforms'
#: test reach both ask)
PYTEST_FIXTURES = frozenset(
    {
        "admin_client",
        "aiohttp_client",
        "aioresponses",
        "anyio_backend",
        "app",
        "benchmark",
        "browser",
        "cache",
        "capfd",
        "capfdbinary",
        "caplog",
        "capsys",
        "capsysbinary",
        "celery_app",
        "celery_worker",
        "class_mocker",
        "client",
        "datadir",
        "db",
        "django_user_model",
        "doctest_namespace",
        "event_loop",
        "faker",
        "freezer",
        "fs",
        "httpserver",
        "httpx_mock",
        "live_server",
        "loop",
        "mocker",
        "module_mocker",
        "monkeypatch",
        "original_datadir",
        "package_mocker",
        "page",
        "pytestconfig",
        "pytester",
        "qtbot",
        "record_property",
        "record_testsuite_property",
        "record_xml_attribute",
        "recwarn",
        "request",
        "requests_mock",
        "respx_mock",
        "rf",
        "session_mocker",
        "settings",
        "shared_datadir",
        "snapshot",
        "spark_context",
        "spark_session",
        "subtests",
        "test_client",
        "testdir",
        "time_machine",
        "tmp_dir",
        "tmp_path",
        "tmp_path_factory",
        "tmpdir",
        "tmpdir_factory",
        "transactional_db",
        "xprocess",
    }
)


def production_training_scripts(repo: Repo, facts: Facts | None = None) -> list[str]:
    """Python files outside tests and docs that train: named for training, or calling a
    training function. Empty files do not count, and neither does a file named for a pipeline
    alone (``serve_predictions_pipeline.py``, a flow that scores): a pipeline that trains
    calls a training function."""
    facts = facts or Facts(repo, None)
    found = []
    for f in repo.files:
        if not f.endswith(".py") or is_test_path(f) or is_showcase_path(f):
            continue
        named = name_kind(f) == "train" and repo.size(f) > 0
        if named or file_trains(facts, f):
            found.append(f)
    return found


def used_data_folders(repo: Repo, facts: Facts) -> list[str]:
    """Top-level data folders that say "application": laid out as a data project's stages
    (``data/raw/``, ``data/processed/``, even with only ``.gitkeep``), or holding data files
    (``data/train.csv``) that the package's own code names (``"data/train.csv"``,
    ``os.path.join("data", ...)``). Data that only the examples, docs, notebooks or tests read
    (a library's sample datasets in ``data/csv/``) says nothing against publishing."""
    staged: set[str] = set()
    with_data: dict[str, str] = {}  # lowercase name -> the folder as written
    for f in repo.files:
        parts = f.split("/")
        name = parts[0].lower()
        if len(parts) < 2 or name not in DATA_DIRS:
            continue
        if len(parts) > 2 and parts[1].lower() in _DATA_STAGES:
            staged.add(parts[0])
        elif f.lower().endswith(_DATA_SUFFIXES):
            with_data[name] = parts[0]
    named: set[str] = set()
    if set(with_data.values()) - staged:
        for rel in repo.files:
            if rel.endswith(".py") and not is_test_path(rel) and not is_showcase_path(rel):
                value = facts.get(rel, SCRIPT_FACTS)
                if isinstance(value, dict):
                    named.update(value.get("r", ()))
    used = staged | {folder for name, folder in with_data.items() if name in named}
    return sorted(folder + "/" for folder in used)


def detect(repo: Repo, facts: Facts | None = None) -> Project:
    """The profile with its evidence.

    - an application marker (dvc.yaml, params.yaml, MLproject, Kedro, ``conf/base``):
      application;
    - no install metadata (loose scripts and notebooks): application, never a library;
    - install metadata *and* signs of publishing, with no training entry points and no data
      folders its own code reads (:func:`used_data_folders`): library, even with notebooks at
      the root (they are its documentation);
    - install metadata alone (a cookiecutter project's ``setup.py``): application.

    What it needs from Python files comes from ``facts`` (:data:`FILE_FACTS`, cached by
    content): an unchanged file is not read again.
    """
    facts = facts or Facts(repo, None)
    packaging = packaging_files(repo, facts)
    found = find_packages(repo)
    packages = tuple(sorted((*found, *namespace_packages(repo, found, packaging))))
    tests = tuple(f for f in repo.files if f.endswith(".py") and is_test_path(f))

    served = served_models(repo, facts)

    def project(profile: Profile, reason: str) -> Project:
        return Project(profile, reason, packages, tests, packaging, served)

    configured = repo.config.profile
    if configured != "auto":
        return project(
            "application" if configured == "application" else "library",
            "set in the configuration",
        )
    marker = _application_marker(repo)
    if marker is not None:
        return project("application", f"found {marker}")
    if not packaging:
        return project("application", "no install metadata: scripts and notebooks, not a package")
    strong, weak = publishing_signs(repo, packages, packaging, facts)
    signs = strong + weak
    if not strong and len(weak) < 2:
        return project(
            "application",
            f"{packaging[0]} makes it installable, but nothing says it is published "
            "(no classifiers, project URLs, py.typed or release workflow)",
        )
    entry_points = training_entry_points(repo, packages, facts) + make_training_targets(repo)
    data = used_data_folders(repo, facts)
    if entry_points or data:
        against = (entry_points + data)[0]
        return project("application", f"published-looking package, but found {against}")
    shown = "; ".join(signs[:3])
    return project("library", f"installable and published ({shown}); no training entry points")


#: files that mark a folder as written by a tool, not by the project
_GENERATED_MARKERS = ("MLmodel", "bento.yaml", "pyvenv.cfg")
#: folder names that tools fill (experiment trackers, deployment builds)
_GENERATED_DIRS = frozenset(
    {"mlruns", "mlartifacts", "wandb", ".aws-sam", "cdk.out", ".serverless"}
)


def generated_roots(files: Iterable[str]) -> tuple[str, ...]:
    """Folders (``path/``) that a tool generated: a saved MLflow model (its ``MLmodel`` file
    sits beside ``requirements.txt``, ``conda.yaml`` and ``python_env.yaml``), a built Bento, a
    virtual environment, a W&B or MLflow run store, a cookiecutter template folder."""
    roots: set[str] = set()
    for f in files:
        parts = f.split("/")
        if parts[-1] in _GENERATED_MARKERS:
            roots.add("/".join(parts[:-1]) + "/" if len(parts) > 1 else "")
        for i, part in enumerate(parts[:-1]):
            if part in _GENERATED_DIRS or "{{" in part:
                roots.add("/".join(parts[: i + 1]) + "/")
                break
    if "" in roots:  # the repository itself is a saved model or an environment: keep it
        roots.discard("")
    return tuple(sorted(roots))


def is_generated(path: str, roots: tuple[str, ...]) -> bool:
    return path.startswith(roots) if roots else False


#: lock files by name (``dvc.lock`` is a pipeline lock and ``package-lock.json`` not Python's)
LOCK_NAMES = frozenset(
    {
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "Pipfile.lock",
        "pixi.lock",
        "conda-lock.yml",
        "conda-lock.yaml",
    }
)
_LOCK_NAME_RE = re.compile(r"^(requirements[^/]*\.lock|[^/]+\.conda-lock\.ya?ml|[^/]+-lock\.txt)$")
_PINNED_REQ_RE = re.compile(r"(^|/)(requirements?|constraints)[^/]*\.txt$")
#: pip requirements files by name: ``requirements.txt``, ``requirements-dev.in``,
#: ``prod.requirements.txt``, ``requirements/base.txt``, the singular ``requirement.txt``
REQ_NAME_RE = re.compile(
    r"(^|/)([^/]*[-_.])?(requirements?|constraints)([-_.][^/]*)?\.(txt|in)$"
    r"|(^|/)requirements/[^/]+\.(txt|in)$"
)
#: conda environment files by name: ``environment.yml``, ``environment-gpu.yaml``,
#: ``conda.yaml``, ``conda_env_gpu.yaml``, ``gpu-environment.yml``, ``env.yml``, ``env-cuda.yml``;
#: never a conda-lock file. What a file holds decides the rest (a ``dependencies:`` list).
CONDA_ENV_RE = re.compile(
    r"(^|/)(?![^/]*conda-lock\.)"
    r"([^/]*conda[^/]*|([^/]*[-_])?environments?([-_.][^/]*)?|env([-_][^/]*)?|[^/]*[-_]env)\.ya?ml$"
)
_COMPILED_MARKS = ("pip-compile", "uv pip compile", "--hash=", "pip freeze", "@EXPLICIT")
#: the top-level keys of a conda environment file, at the start of a line
_CONDA_CHANNELS_RE = re.compile(r"^channels\s*:", re.M)
_CONDA_DEPENDENCIES_RE = re.compile(r"^dependencies\s*:", re.M)


def is_conda_env(repo: Repo, rel: str) -> bool:
    """A conda environment file: by name (:data:`CONDA_ENV_RE`), or a YAML file at the
    repository root whose top level holds ``channels:`` and a ``dependencies:`` list, whatever
    it is called (``ddagl.yml``, named after the environment it creates). Never a conda-lock
    file. Only root files are read for this: what configures a pipeline lives below it."""
    if CONDA_ENV_RE.search(rel):
        return True
    if "/" in rel or not rel.endswith((".yml", ".yaml")) or "conda-lock" in rel:
        return False
    text = repo.text(rel) or ""
    if not (_CONDA_CHANNELS_RE.search(text) and _CONDA_DEPENDENCIES_RE.search(text)):
        return False
    data = repo.yaml(rel)
    return isinstance(data, dict) and isinstance(data.get("dependencies"), list)


def dependency_locks(repo: Repo) -> tuple[str, ...]:
    """Files that record the exact versions of every dependency.

    Lock files by name (poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pixi.lock, conda-lock),
    pip-compile / ``uv pip compile`` output and fully pinned requirements or conda
    environments. ``dvc.lock`` pins pipeline outputs, not packages, and does not count.
    """
    found = []
    generated = generated_roots(repo.files)
    for rel in repo.files:
        if is_test_path(rel) or is_showcase_path(rel) or is_generated(rel, generated):
            continue
        name = rel.rsplit("/", 1)[-1]
        by_name = name in LOCK_NAMES or _LOCK_NAME_RE.match(name)
        pinned_pip = _PINNED_REQ_RE.search(rel) and _pinned_requirements(repo.text(rel) or "")
        pinned_conda = is_conda_env(repo, rel) and conda_records_versions(repo.yaml(rel))
        if by_name or pinned_pip or pinned_conda:
            found.append(rel)
    return tuple(found)


def _pinned_requirements(text: str) -> bool:
    if any(mark in text for mark in _COMPILED_MARKS):
        return True
    reqs = [
        line.split(" #", 1)[0].strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "-"))
    ]
    pinned = sum("==" in req or "@" in req for req in reqs)
    # a freeze dump with a line or two appended by hand still records the versions it ran with
    return bool(reqs) and (pinned == len(reqs) or (pinned >= 5 and pinned >= 0.85 * len(reqs)))


#: conda entries that are tooling, left unpinned even in an environment that records versions
_CONDA_TOOLING = frozenset({"pip", "setuptools", "wheel", "ipykernel", "jupyter", "notebook"})


def _conda_export(data: object) -> bool:
    """``conda env export`` output: most conda packages pinned to a build
    (``numpy=1.26.4=py311h...``), or most entries pinned (conda specs and the ``pip:``
    section, a ``pip freeze``) under a ``prefix:`` key or in a list of five or more. A
    ``prefix:`` alone is not enough: ``conda env export --from-history`` and hand-edited
    copies keep it above unpinned, requested specs."""
    if not isinstance(data, dict):
        return False
    deps = data.get("dependencies")
    entries = deps if isinstance(deps, list) else []
    specs = [d.strip() for d in entries if isinstance(d, str)]
    with_build = sum(1 for d in specs if re.fullmatch(r"[^=\s]+=[^=\s]+=[^=\s]+", d))
    if len(specs) >= 5 and with_build >= len(specs) * 0.8:
        return True
    pip = [
        str(p).strip()
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("pip"), list)
        for p in e["pip"]
        if not str(p).strip().startswith("-")
    ]
    pinned = sum(1 for d in specs if re.search(r"(?<![<>!~=])={1,2}\d", d)) + sum(
        1 for p in pip if "==" in p or " @ " in p
    )
    total = len(specs) + len(pip)
    # a prefix marks an export however short; without one, a long list pinned throughout is
    # one too (a `pip freeze` pasted under `pip:`, every transitive package listed)
    return total >= (1 if "prefix" in data else 5) and pinned >= total * 0.8


def conda_records_versions(data: object) -> bool:
    """A conda environment that is a record of versions (a lock), not a declaration: every
    entry pinned but tooling (:func:`_pinned_conda`), or ``conda env export`` output
    (:func:`_conda_export`). Structure (is there a lock?) and deps (is this a declaration?)
    ask the same question here."""
    return _pinned_conda(data) or _conda_export(data)


def _pinned_conda(data: object) -> bool:
    deps = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(deps, list) or not deps:
        return False
    for dep in deps:
        if isinstance(dep, str) and dep.strip().split("::")[-1] in _CONDA_TOOLING:
            continue
        if isinstance(dep, dict):
            pip = dep.get("pip")
            if not isinstance(pip, list) or not all(isinstance(p, str) and "==" in p for p in pip):
                return False
        elif not isinstance(dep, str) or not re.search(r"(?<![<>!~=])==?\s*\d", dep):
            return False
    return True
