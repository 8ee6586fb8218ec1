"""Which Python files are the project's code, and how they are imported.

Read from the deps family's per-file facts (imports), so one parse serves both families:
folders of scripts that look like packages (:func:`script_folders`), modules the notebooks
share (:func:`notebook_helpers`), modules other files import through ``sys.path``
(:func:`sys_path_modules`) and scripts that copy one another's functions
(:func:`copied_functions`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence

from mlnudge.checks.deps.facts import PY_FACTS, imports_of
from mlnudge.checks.deps.tables import POPULAR_IMPORTS
from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import Repo
from mlnudge.project import SCRIPT_DIRS, SCRIPT_FACTS


def script_folders(
    repo: Repo, packages: tuple[str, ...], packaging: tuple[str, ...], store: Facts
) -> tuple[str, ...]:
    """Packages that are folders of scripts in fact, in a project without packaging metadata:
    their modules import a module or sub-package beside them by bare name (``import config``,
    ``from data.make_dataset import main``), which works only when the folder itself is on
    ``sys.path`` (``cd src && python train.py``), and nothing imports them by the package's
    name. An ``__init__.py`` there does not make them importable (their sub-packages stay
    packages: :func:`sub_packages`). (With packaging metadata a bare ``import agatston`` from
    ``src/`` is the src layout, installed.) The imports are the deps family's per-file facts:
    one parse serves both."""
    if packaging or not packages:
        return ()
    imported: dict[str, set[str]] = {}
    for rel in repo.files:
        summary = store.get(rel, PY_FACTS) if rel.endswith((".py", ".ipynb")) else None
        if isinstance(summary, dict):
            imported[rel] = {imp.module for imp in imports_of(rel, summary)}
    folders = []
    for package in packages:
        name = package.rsplit("/", 1)[-1]
        prefix = package + "/"
        own = [f for f in repo.files if f.startswith(prefix) and f.endswith(".py")]
        # modules directly in the folder (`src/config.py`) and its sub-packages (`src/data/`
        # imported as `from data.make_dataset import main`): either import resolves only
        # from inside the folder
        siblings = {
            f[len(prefix) :].split("/", 1)[0].removesuffix(".py")
            for f in own
            if not f.endswith("/__init__.py") or f.count("/") > prefix.count("/")
        } - set(sys.stdlib_module_names)
        dotted = any(name in names for names in imported.values())
        bare = any(not imported.get(rel, set()).isdisjoint(siblings) for rel in own)
        if bare and not dotted:
            folders.append(package)
    return tuple(folders)


def notebook_helpers(repo: Repo, beside: Sequence[str], store: Facts) -> frozenset[str]:
    """Modules among ``beside`` (the ``.py`` files of the notebooks folders) that notebooks
    import by bare name (``from utils import load`` after ``sys.path.append``): code the
    notebooks share, which belongs in a package with tests. The script twin of a notebook (a
    jupytext pair, ``explore.py`` beside ``explore.ipynb``) is that notebook, never a helper."""
    if not beside:
        return frozenset()
    stems = {
        rel.rsplit("/", 1)[-1][: -len(".py")]: rel
        for rel in beside
        if not repo.exists(rel[: -len(".py")] + ".ipynb")
    }
    stems.pop("__init__", None)
    used: set[str] = set()
    for rel in repo.files:
        if rel.endswith(".ipynb") or rel in beside:
            summary = store.get(rel, PY_FACTS)
            if isinstance(summary, dict):
                used.update(
                    i.module for i in imports_of(rel, summary) if i.path != stems.get(i.module)
                )
    return frozenset(rel for stem, rel in stems.items() if stem in used)


def sys_path_modules(
    repo: Repo, production: Iterable[str], packages: Sequence[str], store: Facts
) -> list[str]:
    """Production modules outside every package that other production files import by a
    name anchored below the repository root (``import factory`` in ``src/train.py`` beside
    ``src/factory.py``, ``from models.kfold import fit`` in ``user01/run.py``): code left
    outside the package, importable only from the folder a script runs in or through
    ``sys.path``. Resolved the way Python would, from the importer's folder upwards."""
    prefixes = tuple(p.rstrip("/") + "/" for p in packages)
    code = [f for f in production if f.endswith(".py")]
    loose = {
        f
        for f in code
        if not f.startswith(prefixes) and f.rsplit("/", 1)[-1] not in ("__init__.py", "__main__.py")
    }
    found: set[str] = set()
    for rel in code:
        summary = store.get(rel, PY_FACTS)
        if not isinstance(summary, dict):
            continue
        folders = rel.split("/")[:-1]
        for imp in imports_of(rel, summary):
            tail = imp.dotted.replace(".", "/") + ".py"
            # from the importer's folder up to (not including) the root: an import anchored
            # at the root (``from src.models import net``, a namespace package) is how a
            # project runs from its root, and is fine
            for depth in range(len(folders), 0, -1):
                target = "/".join([*folders[:depth], tail])
                if target in loose and target != rel:
                    found.add(target)
                    break
    return sorted(found)


def sub_packages(repo: Repo, folders: Sequence[str]) -> tuple[str, ...]:
    """The packages directly inside folders of scripts (``src/churnlib/`` when ``src/`` is
    one): importable by name from the folder the scripts run in, so packages of the project."""
    found = {
        rel.rsplit("/", 1)[0]
        for folder in folders
        for rel in repo.files
        if rel.startswith(folder + "/")
        and rel.endswith("/__init__.py")
        and rel.count("/") == folder.count("/") + 2
    }
    return tuple(sorted(found))


#: entry-point boilerplate any script may define without copying another's code
_BOILERPLATE = frozenset(
    {
        "build_parser",
        "cli",
        "get_args",
        "get_parser",
        "main",
        "parse_args",
        "parse_arguments",
        "run",
        "seed_everything",
        "set_seed",
    }
)


def copied_functions(store: Facts, scripts: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Scripts among ``scripts`` that define at least two of the same functions as another
    one (``preprocessing`` and ``reduction`` in ``main.py`` and again in ``search.py``):
    pipeline code kept in copies that drift apart, which a package would hold once, with
    tests. ``{script: the functions it shares}``; entry-point boilerplate (``main``,
    ``parse_args``) is no copy, and neither is a script in a Docker build context of its own
    (``deployment/lambda/``): an image sees only its folder, so it carries its own copy."""
    contexts = tuple(
        rel.rsplit("/", 1)[0] + "/"
        for rel in store.repo.files
        if "/" in rel and rel.rsplit("/", 1)[-1].lower().startswith("dockerfile")
    )
    defined: dict[str, set[str]] = {}
    for rel in scripts:
        if rel.startswith(contexts):
            continue
        value = store.get(rel, SCRIPT_FACTS)
        if isinstance(value, dict):
            names = set(value.get("f") or ()) - _BOILERPLATE
            if len(names) >= 2:
                defined[rel] = names
    shared: dict[str, set[str]] = {}
    ordered = sorted(defined)
    for i, one in enumerate(ordered):
        for other in ordered[i + 1 :]:
            common = defined[one] & defined[other]
            if len(common) >= 2:
                shared.setdefault(one, set()).update(common)
                shared.setdefault(other, set()).update(common)
    return {rel: tuple(sorted(names)) for rel, names in sorted(shared.items())}


#: at most this many top-level namespace folders make one project's package (``src/`` and a
#: service beside it, ``api/``); more are loose folders imported from the root (MLN104)
NAMESPACE_ROOTS_MAX = 2


#: a configuration file naming a class to build by its dotted path: Hydra's ``_target_``,
#: Lightning CLI's ``class_path``
_TARGET_RE = re.compile(
    r"^\s*(?:-\s*)?(?:_target_|class_path)\s*:\s*[\"']?([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)",
    re.MULTILINE,
)


def config_targets(text: str) -> list[str]:
    """The dotted paths a YAML configuration builds objects from (``src.module.Net``): the
    project's modules that configuration imports by name, as Hydra's ``instantiate`` will."""
    return sorted(set(_TARGET_RE.findall(text)))


TARGET_FACTS = FileFacts(config_targets, "1", suffixes=(".yaml", ".yml"), text=True)


def namespace_roots(repo: Repo, production: Sequence[str], store: Facts) -> tuple[str, ...]:
    """Top-level folders without ``__init__.py`` that hold production modules and that
    files import by the folder's name (``from src.models.train import fit``, ``import
    framework.io``): PEP 420 namespace packages, importable from the root. When a project has
    no regular package, one or two such folders are its package, whose problem is the missing
    install metadata (MLN105), not loose code (MLN104, MLN112); several are folders of code
    imported from the root, which MLN104 keeps reporting (docs/structure.md)."""
    # a folder named for scripts (`scripts/`) counts only when its modules are imported by
    # their dotted name (`from scripts.helpers import run` in the notebooks): then it is the
    # project's code, whatever its name
    folders = {f.split("/", 1)[0] for f in production if "/" in f}
    folders = {f for f in folders if f.isidentifier() and not repo.exists(f + "/__init__.py")}
    if not folders:
        return ()
    # modules at the root that other files import by their name (``from data_module import
    # DM`` in ``train.py``): the project's code is loose at the root, whatever the folders
    root_modules = {f.removesuffix(".py") for f in production if "/" not in f and f.endswith(".py")}
    holds_modules = {f.split("/", 1)[0] for f in production if f.count("/") == 1}
    used: set[str] = set()
    for rel in repo.files:
        if not rel.endswith((".py", ".ipynb")):
            continue
        summary = store.get(rel, PY_FACTS)
        if not isinstance(summary, dict):
            continue
        for imp in imports_of(rel, summary):
            if imp.module in root_modules and rel != imp.module + ".py":
                return ()
            if imp.module not in folders or imp.module in used or imp.optional:
                # an import tried with a fallback (`try: from src.constants import X` /
                # `except ImportError: X = ...`) is not how the code runs
                continue
            parts = imp.dotted.split(".")
            inner = "/".join(parts)
            if len(parts) == 1 and imp.module in SCRIPT_DIRS:
                continue
            if len(parts) == 1:
                # ``from framework import io``: the names are not recorded, so the folder
                # must hold modules itself (an ``airflow/`` of DAG folders beside
                # ``from airflow import DAG`` is no package of the project) and not share
                # its name with a well-known library (``mlflow/api.py`` beside ``import mlflow``)
                if imp.module in holds_modules and imp.module not in POPULAR_IMPORTS:
                    used.add(imp.module)
            elif repo.exists(inner + ".py") or repo.is_dir(inner):
                used.add(imp.module)
    # a Hydra or Lightning CLI configuration imports what it builds by the dotted path
    # (`_target_: src.module.Net`): as much an import by the folder's name as a Python one
    for rel in repo.files:
        if not rel.endswith((".yaml", ".yml")):
            continue
        targets = store.get(rel, TARGET_FACTS)
        for dotted in targets if isinstance(targets, list) else ():
            parts = str(dotted).split(".")
            if parts[0] not in folders or parts[0] in used:
                continue
            if any(
                repo.exists("/".join(parts[:depth]) + ".py") for depth in range(2, len(parts) + 1)
            ):
                used.add(parts[0])
    return tuple(sorted(used))
