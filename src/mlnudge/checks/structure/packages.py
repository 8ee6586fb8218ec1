"""The package items of the structure family: whether the code is an importable package
(MLN104, MLN112) and whether something declares how to install it (MLN105).

A project's packages are regular packages, packages below a folder of scripts, or (in a
project with neither) one or two top-level folders imported by their name without
``__init__.py`` (:func:`~mlnudge.checks.structure.modules.namespace_roots`): then the
problem is the missing install metadata, not loose code (docs/structure.md)."""

from __future__ import annotations

import os
import re

from mlnudge.checks.structure.context import Item, StructureFacts, count, listing
from mlnudge.checks.structure.modules import copied_functions, sys_path_modules
from mlnudge.checks.structure.rules import LOOSE_SRC, MISSING_PACKAGING, NO_PACKAGE
from mlnudge.facts.access import Facts
from mlnudge.project import SCRIPT_DIRS, SCRIPT_FACTS, text_markers

# -- package --------------------------------------------------------------------------------------


def project_roots(facts: StructureFacts) -> frozenset[str]:
    """Folders below the root that declare a project of their own: its dependencies (a
    requirements file, a Pipfile, a pyproject, an environment file) or its image (a
    Dockerfile). The MLOps course layout: `training/` and `web-service/`, each with its own
    Pipfile."""
    found = {os.path.dirname(f) for f in facts.declarations}
    found.update(os.path.dirname(f) for f in facts.repo.files if f.endswith("Dockerfile"))
    return frozenset(found - {""})


def module_count(store: Facts, package: str) -> int:
    """How many Python modules below ``package`` hold code (an ``__init__.py`` that is empty
    or only comments and a docstring does not), from the cached per-file facts."""
    total = 0
    for f in store.repo.files:
        if f.startswith(package + "/") and f.endswith(".py"):
            value = store.get(f, SCRIPT_FACTS) if f.endswith("/__init__.py") else None
            total += not (isinstance(value, dict) and value.get("b"))
    return total


def holds_code(store: Facts, package: str) -> bool:
    """Whether a folder with ``__init__.py`` is a package of code: a `notebooks/__init__.py`
    that is empty, beside notebooks and no module, is no package to install or to move
    scripts into when another package holds the code (docs/structure.md)."""
    return module_count(store, package) > 0


def _project_of(path: str, roots: frozenset[str]) -> str:
    """The deepest folder of ``roots`` holding ``path`` (``""``: the repository's own)."""
    folders = path.split("/")
    for depth in range(len(folders) - 1, 0, -1):
        candidate = "/".join(folders[:depth])
        if candidate in roots:
            return candidate
    return ""


def home_package(
    path: str, packages: tuple[str, ...] | list[str], roots: frozenset[str] = frozenset()
) -> str | None:
    """The package a loose module belongs with: of those in its own project (the same
    project root, or nested ones), the one sharing most of its folders, else the first.
    None when no package is in its project: a sub-project of its own beside another's
    package (`app_engine/` with its own requirements beside `pipeline/src/crab/`, or
    `raw_pipeline/` beside a `kedro_pipeline/` that declares its own), docs/structure.md."""
    mine = _project_of(path, roots)

    def same(package: str) -> bool:
        theirs = _project_of(package + "/__init__.py", roots)
        if mine == theirs:
            return True
        # nested projects (a pyproject in `app/` and another in `app/src/`) are one
        return bool(mine and theirs) and (
            theirs.startswith(mine + "/") or mine.startswith(theirs + "/")
        )

    eligible = [p for p in packages if same(p)]
    if not eligible:
        return None
    folders = path.split("/")[:-1]
    best, depth = eligible[0], 0
    for package in eligible:
        shared = 0
        for a, b in zip(folders, package.split("/"), strict=False):
            if a != b:
                break
            shared += 1
        if shared > depth:
            best, depth = package, shared
    return best


def _common_folder(paths: list[str]) -> str:
    """The deepest folder holding every path (`.` when they share none), as a finding's path."""
    common = os.path.commonpath(paths) if paths else ""
    if common in paths:  # a single file: its folder
        common = os.path.dirname(common)
    return common + "/" if common else "."


def _outside_advice(
    homes: set[str | None], outside: list[str], copies: dict[str, tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """What MLN104 says about code beside the packages, and how to fix it: into the package
    every such module belongs with, into the package beside each when they belong with
    several, else into a package of their own folder (a sub-project beside another's
    package: moving its code into that package would tie two projects together)."""
    home = next(iter(homes)) if len(homes) == 1 else None
    named = sorted(h for h in homes if h is not None)
    if home is not None:
        where, into = f"the package `{home}/`", f"`{home}/`"
        import_as = f"as `{home.rsplit('/', 1)[-1]}.<module>`"
    elif None not in homes:
        where = "the packages"
        into = f"the package beside each ({listing([h + '/' for h in named])})"
        import_as = "by its name"
    else:
        where, into, import_as = "a package", "", ""
    told = []
    if outside:
        told.append(
            f"{count(len(outside), 'module')} outside {where} "
            f"that other files import by a bare name ({listing(outside)}): they import "
            "only from the folder a script runs in, or through `sys.path`."
        )
    if copies:
        common = sorted({n for names in copies.values() for n in names})
        told.append(
            f"{count(len(copies), 'script')} outside {where} ({listing(list(copies))}) "
            f"define the same functions ({listing(common)}): copies drift apart, and "
            f"{'the' if home else 'a'} package would hold one, with its tests."
        )
    steps = []
    if outside and into:
        steps.append(f"`git mv` the modules into {into} and import them {import_as}")
    elif outside:
        steps.append(
            "give the folder that holds them a package (`<folder>/<name>/__init__.py`), "
            "`git mv` the modules into it and import them as `<name>.<module>`"
        )
    if copies:
        steps.append(
            f"move one copy of the shared functions into a module of {into or 'that package'} "
            "and import it in each script"
        )
    steps.append("keep scripts that only call into the package")
    steps[0] = steps[0][0].upper() + steps[0][1:]
    return told, steps


def package_item(facts: StructureFacts) -> Item:
    production = facts.production
    if not production or _declares_modules(facts):
        return Item("package", True)
    if facts.packages:
        return _beside_packages(facts)
    modules = [f for f in production if f.rsplit("/", 1)[-1] != "__init__.py"]
    if not modules:
        return Item("package", True)
    in_src = [f for f in modules if f.startswith("src/")]
    elsewhere = [f for f in modules if not f.startswith("src/")]
    if in_src:
        finding = LOOSE_SRC.finding(
            "src/",
            f"`src/` holds {count(len(in_src), 'loose script')} ({listing(in_src)}) but no "
            "package: "
            "nothing in it can be imported by tests or installed.",
            fix=(
                "Create `src/<name>/__init__.py`, `git mv` the modules into `src/<name>/` and "
                "import them as `<name>.<module>`; keep scripts that only call into the package."
            ),
            anchor="loose-src",
            details=facts.details,
        )
        if not elsewhere:
            return Item("package", False, (finding,))
        # loose modules beside src/ too (scripts/, app/, root scripts): the project has no
        # package anywhere, which is MLN104's nudge; src/'s own is MLN112's
        other = NO_PACKAGE.finding(
            "src/",
            f"{count(len(elsewhere), 'Python file')} outside `src/` ({listing(elsewhere)}) "
            "and none in an importable package either (`src/<name>/__init__.py`).",
            anchor="package",
            details=facts.details,
        )
        return Item("package", False, (finding, other))
    else:
        where = "src/" if facts.repo.is_dir("src") else "."
        home = "src/<name>/" if where == "src/" else "<name>/"
        finding = NO_PACKAGE.finding(
            where,
            f"{count(len(modules), 'Python file')} ({listing(modules)}) but no "
            f"importable package (`{home}__init__.py`).",
            anchor="package",
            details=facts.details,
        )
    return Item("package", False, (finding,))


def _beside_packages(facts: StructureFacts) -> Item:
    """A project with a package can still leave code outside it: loose modules in `src/`
    (all of them when `src/` holds no package, those other files import by a bare name when
    it does: MLN112), and modules other files import by a bare name elsewhere, outside
    folders of scripts (MLN104)."""
    prefixes = tuple(p + "/" for p in facts.packages)
    imported = sys_path_modules(facts.repo, facts.production, facts.packages, facts.store)
    if any(p.startswith("src/") for p in facts.packages):
        # with packages below it, `src/`'s own modules are loose when others import them by
        # a bare name, or when `src/` is itself a folder of scripts (`python src/main.py`
        # importing `data.make_dataset`)
        scripts = "src" in facts.project.packages and "src" not in facts.packages
        src_loose = [
            f
            for f in facts.production
            if f.startswith("src/")
            and f.count("/") == 1
            and not f.endswith("/__init__.py")
            and (scripts or f in imported)
        ]
    else:
        src_loose = [
            f
            for f in facts.production
            if f.startswith("src/")
            and not f.startswith(prefixes)
            and not f.endswith("/__init__.py")
        ]
    findings = []
    if src_loose:
        findings.append(
            LOOSE_SRC.finding(
                "src/",
                f"`src/` holds {count(len(src_loose), 'loose module')} ({listing(src_loose)}) "
                f"beside the package `{facts.packages[0]}/`: a module directly in `src/` is "
                "not installed with the package.",
                fix=(
                    f"Move the modules into `{facts.packages[0]}/` (or a package under `src/`) "
                    "and import them by the package's name."
                ),
                anchor="loose-src",
                details=facts.details,
            )
        )
    outside = [
        f
        for f in imported
        if f not in src_loose and not SCRIPT_DIRS.intersection(f.split("/")[:-1])
    ]
    copies = copied_functions(
        facts.store,
        [f for f in facts.production if not f.startswith(prefixes) and f not in src_loose],
    )
    if outside or copies:
        loose = [*outside, *(f for f in copies if f not in outside)]
        roots = project_roots(facts)
        homes = {home_package(f, facts.packages, roots) for f in loose}
        home = next(iter(homes)) if len(homes) == 1 else None
        told, steps = _outside_advice(homes, outside, copies)
        findings.append(
            NO_PACKAGE.finding(
                home + "/" if home else _common_folder(loose),
                " ".join(told),
                fix="; ".join(steps) + ".",
                anchor="package",
                details=facts.details,
            )
        )
    return Item("package", not findings, tuple(findings))


def _declares_modules(facts: StructureFacts) -> bool:
    """Single-module projects: ``py-modules`` / ``py_modules`` / flit ``module`` in metadata."""
    repo = facts.repo
    for rel in facts.project.packaging:
        if rel.endswith("pyproject.toml"):
            tool = (repo.toml(rel) or {}).get("tool")
            if isinstance(tool, dict):
                setuptools = tool.get("setuptools")
                flit = tool.get("flit")
                if (isinstance(setuptools, dict) and "py-modules" in setuptools) or (
                    isinstance(flit, dict) and "module" in flit
                ):
                    return True
        elif "py_modules" in text_markers(facts.store, rel):
            return True
    return False


# -- packaging metadata ---------------------------------------------------------------------------


def packaging_item(facts: StructureFacts) -> Item:
    project, repo = facts.project, facts.repo
    if project.packaging:
        return Item("packaging-metadata", True)
    # the package holding most of the code names the project (`utils/` is rarely it)
    biggest = sorted(facts.packages, key=lambda p: -module_count(facts.store, p))
    name = biggest[0].rsplit("/", 1)[-1] if biggest else "<name>"
    beside = [p for p in facts.packages if p.rpartition("/")[0] in facts.scripts]
    if len(beside) > 1:
        name = ", ".join(p.rsplit("/", 1)[-1] for p in beside)
    tool_only = "pyproject.toml" in repo.files and repo.toml("pyproject.toml") is not None
    if tool_only:
        tables = sorted((repo.toml("pyproject.toml") or {}).get("tool", {}) or {})
        shown = ", ".join(f"[tool.{t}]" for t in tables[:3]) or "no [project] table"
        message = (
            f"`pyproject.toml` only holds tool settings ({shown}); without a `[project]` table "
            f"`{name}` cannot be installed with `pip install -e .`."
        )
    elif facts.namespace:
        shown = " and ".join(f"`{p}/`" for p in facts.namespace)
        verb, what, them = (
            ("are", "packages", "them") if len(facts.namespace) > 1 else ("is", "a package", "it")
        )
        message = (
            f"{shown} {verb} imported as {what} (`{facts.namespace[0]}.<module>`) without "
            f"`__init__.py`, and nothing declares how to install {them}: the imports work only "
            "from the repository root (no `[project]` in pyproject.toml, no setup.cfg or setup.py)."
        )
    else:
        are, them = ("are packages", "them") if len(beside) > 1 else ("is a package", "it")
        # a package deep in a sub-folder (`N-HiTS/src/data/`) is named by where it is
        first = biggest[0] if biggest else ""
        deep = not beside and first.count("/") > (1 if first.startswith("src/") else 0)
        shown = f"{first}/" if deep else name
        message = (
            f"`{shown}` {are} (good) but nothing declares how to install {them}: no "
            "`[project]` in pyproject.toml, no setup.cfg or setup.py."
        )
    fix = (
        f'Add to `pyproject.toml`: `[project]` with `name = "{name}"`, `version = "0.1.0"`, '
        "`dependencies = [...]`, and a `[build-system]` (e.g. hatchling); then `pip install -e .`."
    )
    # sub-packages of a folder run as scripts ship as one distribution under the names the
    # scripts import; cookiecutter-data-science v1 imports its code as `src.*`
    wheel, why = (
        (beside, "installed under the names the scripts import")
        if beside
        else (list(facts.namespace), "installed under the names the code imports")
        if facts.namespace
        else (["src"], "the code is imported as `src.*`")
        if name == "src"
        else ([], "")
    )
    if wheel:
        dist = re.sub(r"[^a-z0-9]+", "-", repo.root.name.lower()).strip("-") or "project"
        listed = ", ".join(f'"{p}"' for p in wheel)
        fix = (
            f'Add to `pyproject.toml`: `[project]` with `name = "{dist}"`, `version = "0.1.0"`, '
            "`dependencies = [...]`, a `[build-system]` (e.g. hatchling) and "
            f"`[tool.hatch.build.targets.wheel] packages = [{listed}]` ({why}); then "
            "`pip install -e .`."
        )
    finding = MISSING_PACKAGING.finding(
        "pyproject.toml", message, fix=fix, anchor="packaging", details=facts.details
    )
    return Item("packaging-metadata", False, (finding,))
