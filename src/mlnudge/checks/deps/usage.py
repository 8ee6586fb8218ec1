"""Declared versus imported (MLN410, MLN411): one relation, asked in both directions.

Which distribution provides which module is :mod:`mlnudge.checks.deps.names`' business; this
module walks the imports (:mod:`mlnudge.checks.deps.scan`) and decides what is first-party,
what a library's users would miss, and what nobody uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mlnudge.checks.deps import names as dn
from mlnudge.checks.deps.collect import Collected
from mlnudge.checks.deps.facts import PY_FACTS, Installed, imports_of, named_in
from mlnudge.checks.deps.rules import UNDECLARED_IMPORT, UNUSED_DEPENDENCY
from mlnudge.checks.deps.scan import is_stdlib
from mlnudge.checks.deps.tables import (
    BUILTIN_IMPORT_NAMES,
    ENVIRONMENT_MODULES,
    MODEL_FRAMEWORKS,
    POPULAR_IMPORTS,
    TEST_RUNNERS,
    TRANSITIVE_ONLY,
)
from mlnudge.finding import Finding
from mlnudge.project import SCRIPT_DIRS, is_generated, is_showcase_path, is_test_path
from mlnudge.settings import path_matches

if TYPE_CHECKING:
    from mlnudge.checks.base import CheckContext
    from mlnudge.checks.deps.model import Dep
    from mlnudge.facts.repo import Repo


def imports(
    ctx: CheckContext,
    collected: Collected,
    project_names: frozenset[str],
    installed: Installed | None = None,
) -> Iterator[Finding]:
    """MLN410 and MLN411: what the code imports against what the manifests declare.

    Everything about the Python files comes from their per-file facts (:data:`PY_FACTS`); the
    installed distributions' metadata is read only for an import nothing else explains."""
    deps = [
        d
        for m in collected.manifests
        for d in m.deps
        if d.name and d.role != "constraint" and d.error is None
    ]
    # an invalid line (`numpy: 1.24.2`, MLN412) still names what it meant to declare
    intended = {
        dn.normalise(match.group())
        for m in collected.manifests
        for d in m.deps
        if d.error is not None and d.role != "constraint" and (match := _LEADING_NAME.match(d.text))
    }
    dumps = _declaring_dumps(collected, ctx.repo)
    dumped = {name for names in dumps.values() for name in names}
    declares = any(m.declaration for m in collected.manifests)
    if not deps and not collected.available and not dumped and not intended and not declares:
        # no file declares anything (MLN111 speaks about that); a `setup.py` or a
        # requirements file that declares nothing leaves every import undeclared
        return
    extra: dict[str, tuple[str, ...]] = {
        k: (v,) if isinstance(v, str) else tuple(v)
        for k, v in ctx.options.table("import-names").items()
    }
    use_installed = ctx.options.bool("use-installed-metadata")
    installed = installed or Installed(ctx.cache)
    ignore = {dn.normalise(n) for n in ctx.options.list("ignore-packages")}
    non_production = ctx.options.list("non-production-paths")
    own = [f for f in ctx.repo.files if not is_generated(f, collected.generated)]
    py_files = [f for f in own if f.endswith((".py", ".ipynb"))]
    facts: dict[str, Mapping[str, Any]] = {}
    for path in py_files:
        summary = ctx.facts(path, PY_FACTS)
        if summary is not None:
            facts[path] = summary
    first_party = _first_party(own) | _packaged_modules(ctx.repo, own, facts)
    # an extra named after a package installs it: `monai[tqdm]` declares tqdm
    extras = {dn.normalise(x) for d in deps for x in d.extras}
    runtime_extras = {dn.normalise(x) for d in deps if not d.dev for x in d.extras}
    declared = (
        {dn.normalise(d.name) for d in deps} | set(collected.available) | dumped | intended | extras
    )
    runtime = (
        {dn.normalise(d.name) for d in deps if not d.dev}
        | set(collected.available)
        | dumped
        | intended
        | runtime_extras
    )
    library = ctx.project.profile == "library"
    packages = tuple(p.rstrip("/") + "/" for p in ctx.project.packages)
    scopes = _sub_projects(collected, py_files, own, dumps) if not library else {}
    images = frozenset(collected.available)  # what an image installs by name counts anywhere

    def in_package(path: str) -> bool:
        """Code users of a library install (not its scripts, examples or notebooks)."""
        return path.startswith(packages) if packages else "/" not in path

    # the project's own distribution, and the folder it is checked out in (scripts that put
    # the parent folder on sys.path import the project by that name)
    self_names = {dn.normalise(n) for n in project_names} | {dn.normalise(ctx.repo.root.name)}

    by_name: dict[str, set[str]] = {}
    full: dict[str, set[str]] = {}

    def named_providers(module: str) -> set[str]:
        """The declared distributions that provide ``module`` by name, table or convention."""
        if module not in by_name:
            by_name[module] = {n for n in declared if dn.provides_by_name(n, module, extra)}
        return by_name[module]

    def providers(module: str) -> set[str]:
        """The declared distributions that provide ``module`` (the installed metadata too)."""
        if module not in full:
            found = set(named_providers(module))
            if use_installed:
                found |= {n for n in declared if dn.installed_provides(n, module, installed)}
            if not found and not known_third_party(module):
                # a module nothing here knows, and a declared `<module>-<word>` distribution
                # (`signals` from `signals-trading`): the distribution most likely provides it.
                # Never for a known module: `pandas-ta` does not declare `pandas`.
                found = {
                    n for n in declared if dn.normalise(n).startswith(dn.normalise(module) + "-")
                }
            full[module] = found
        return full[module]

    def own_module(module: str) -> bool:
        return (
            module in first_party
            or dn.looks_local(module)
            or any(dn.provides_by_name(n, module, extra) for n in self_names)
        )

    def known_third_party(module: str) -> bool:
        return (
            module in POPULAR_IMPORTS
            or module in BUILTIN_IMPORT_NAMES
            or module in extra
            or (use_installed and module in installed())
        )

    used_in: dict[str, set[str]] = {}  # module -> the files importing it
    undeclared: dict[str, list[tuple[str, int, str]]] = {}
    dev_only: dict[str, list[tuple[str, int, str]]] = {}
    #: (module, sub-project folder) -> sites: declared elsewhere, not in the sub-project's own
    #: manifests (the image of `service/` installs `service/requirements.txt`, not the root's)
    elsewhere: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
    for path, summary in facts.items():
        production: bool | None = None  # decided at the first import that needs it
        edits_path = bool(summary.get("p"))
        scope = next((sc for sc in scopes if path.startswith(sc)), None)
        for imp in imports_of(path, summary):
            used_in.setdefault(imp.module, set()).add(path)
            if imp.optional or is_stdlib(imp.module):
                continue
            if production is None:
                production = (
                    path.endswith(".py")
                    and not is_test_path(path)
                    and not any(path_matches(path, g) for g in non_production)
                )
            if not production:
                continue
            if own_module(imp.module) or dn.normalise(imp.module) in ignore:
                continue
            if imp.module in ENVIRONMENT_MODULES or imp.dotted in ENVIRONMENT_MODULES:
                continue
            if any(imp.dotted.startswith(m + ".") for m in ENVIRONMENT_MODULES):
                continue
            package_code = library and in_package(path)
            found = named_providers(imp.module)
            if found and scope is not None and not found & (scopes[scope] | images):
                prefix = dn.normalise(imp.module) + "-"
                # `autogluon.tabular` in the sub-project's own manifest provides `autogluon`
                # (the `<module>-<word>` convention, never for a known module)
                own_prefixed = not known_third_party(imp.module) and any(
                    n.startswith(prefix) for n in scopes[scope]
                )
                if not own_prefixed and not providers(imp.module) & (scopes[scope] | images):
                    elsewhere.setdefault((imp.module, scope), []).append(
                        (path, imp.line, imp.dotted)
                    )
                continue
            if found and not (package_code and not found & runtime):
                continue  # declared, and the installed metadata could not change the verdict
            found = providers(imp.module)
            if found & ignore:
                continue
            site = (path, imp.line, imp.dotted)
            if not found and edits_path and not known_third_party(imp.module):
                continue  # a script that edits sys.path imports its own modules by name
            if not found:
                undeclared.setdefault(imp.module, []).append(site)
            elif package_code and not found & runtime:
                dev_only.setdefault(imp.module, []).append(site)

    unused: list[Dep] = []
    # a notebook or module that could not be read at all (binary, too large for the checkout,
    # not text) may import any declared package: "never imported" cannot be said of any of
    # them. A syntax error is the file being edited: the rest still says what is used
    missing = {f for f in py_files if f not in facts and not is_test_path(f)}
    unreadable = [e.path for e in ctx.repo.errors if e.path in missing and e.kind != "syntax"]
    if ctx.enabled(UNUSED_DEPENDENCY.code) and py_files and not unreadable:
        without_import = ctx.options.list("used-without-import")
        seen: set[tuple[str, str]] = set()
        pasted = pasted_freezes(collected)
        for dep in deps:
            canon = dn.normalise(dep.name)
            if dep.dev or dep.local or dep.name_guessed or (dep.path, canon) in seen:
                continue
            if (dep.path, canon) in pasted:
                continue  # what `pip freeze` wrote beside the hand-written lines: nobody chose it
            if dep.conda and dn.conda_system_package(canon):
                continue
            if canon in ignore or canon in self_names or canon == "python":
                continue
            if dn.used_without_import(canon, without_import):
                continue
            scope = manifest_scope(dep.path, py_files)
            if (
                canon in TEST_RUNNERS
                and not library
                and any(p.startswith(scope) and is_test_path(p) for p in py_files)
            ):
                continue  # an application's tests run through it, imported or not
            used = [m for m, where in used_in.items() if any(p.startswith(scope) for p in where)]
            if any(dn.provides_by_name(canon, m, extra) for m in used):
                continue
            if use_installed and any(dn.installed_provides(canon, m, installed) for m in used):
                continue
            if _named_somewhere(ctx, canon, scope, own, collected, facts=facts):
                continue
            if canon in MODEL_FRAMEWORKS and _loads_models(scope, facts):
                continue  # unpickling a model needs its library, imported or not
            seen.add((dep.path, canon))
            unused.append(dep)

    # an import that reads like the abbreviation of an unused declaration (`skopt` and
    # scikit-optimize) is most likely provided by it: report neither rather than contradict
    for module_name in list(undeclared):
        twins = [d for d in unused if dn.similar(module_name, d.name)]
        if twins:
            del undeclared[module_name]
            unused = [d for d in unused if d not in twins]

    # point at the project's own code (its package first) before copies in `reports/`,
    # helper scripts and examples: where the reader fixes it, and a reviewer looks
    for sites in (*undeclared.values(), *elsewhere.values(), *dev_only.values()):
        sites.sort(key=lambda site: _site_rank(site[0], packages))
    if ctx.enabled(UNDECLARED_IMPORT.code):
        for module_name, where in sorted(undeclared.items()):
            path, line, dotted = where[0]
            dist = dn.suggested_distribution(
                module_name, dotted, extra, use_installed=use_installed, installed=installed
            )
            also = _also_in(where)
            yield UNDECLARED_IMPORT.finding(
                path,
                f"`{module_name}` is imported{also} but no manifest declares it; add `{dist}` "
                "to the project's dependencies.",
                line=line,
                anchor=f"undeclared:{module_name}",
                fix=f"Declare `{dist}` (with a lower bound) {_where_to_declare(collected, path)}.",
                details={"distribution": dist, "files": len({p for p, _, _ in where})},
            )
        for (module_name, scope), where in sorted(elsewhere.items()):
            path, line, dotted = where[0]
            own_manifests = sorted(
                {m.path for m in collected.manifests if manifest_scope(m.path, py_files) == scope}
            )
            listed = ", ".join(f"`{m}`" for m in own_manifests)
            dist = dn.suggested_distribution(
                module_name, dotted, extra, use_installed=use_installed, installed=installed
            )
            yield UNDECLARED_IMPORT.finding(
                path,
                f"`{module_name}` is imported{_also_in(where)} in `{scope}`, whose own "
                f"manifest{'s' if len(own_manifests) > 1 else ''} {listed} "
                f"do{'' if len(own_manifests) > 1 else 'es'} not declare it (another one "
                "does): the environment built for this folder lacks it.",
                line=line,
                anchor=f"undeclared:{scope}:{module_name}",
                fix=f"Declare `{dist}` (with a lower bound) in {own_manifests[0]}.",
                details={"distribution": dist, "files": len({p for p, _, _ in where})},
            )
        for module_name, where in sorted(dev_only.items()):
            path, line, _ = where[0]
            groups = sorted(
                {d.group or d.path for d in deps if dn.normalise(d.name) in providers(module_name)}
            )
            shown = ", ".join(f"`{g}`" for g in groups)
            yield UNDECLARED_IMPORT.finding(
                path,
                f"`{module_name}` is imported by the package{_also_in(where)} but only the "
                f"development group{'s' if len(groups) > 1 else ''} {shown} declare"
                f"{'' if len(groups) > 1 else 's'} it; users who install the package will not "
                "get it.",
                line=line,
                anchor=f"dev-only:{module_name}",
                fix=(
                    "Move it to the runtime dependencies (`[project] dependencies`), or to an "
                    "optional extra with the import guarded by `try/except ImportError`."
                ),
                details={"groups": ",".join(groups), "files": len({p for p, _, _ in where})},
            )
    for dep in unused:
        yield UNUSED_DEPENDENCY.finding(
            dep.path,
            f"`{dep.name}` is declared but never imported; remove it, move it to a development "
            "group, or list it in `used-without-import` if it is used without an import.",
            line=dep.line,
            end_line=dep.end_line,
            anchor=f"unused:{dep.path}:{dep.name}",
            details={"source": dep.source},
        )


def _where_to_declare(collected: Collected, path: str = "") -> str:
    """Where the project's runtime dependencies live, for the fix of an undeclared import
    reported at ``path``: a manifest of the sub-project holding it first (the deepest), so
    the fix never sends a service's import to another service's Pipfile."""

    def distance(manifest_path: str) -> int:
        folder = manifest_path.rpartition("/")[0]
        if not folder or path.startswith(folder + "/"):
            return -folder.count("/") - (1 if folder else 0)
        return 1

    for manifest in sorted(collected.manifests, key=lambda m: distance(m.path)):
        for dep in manifest.deps:
            if dep.dev or dep.role == "constraint":
                continue
            base = manifest.path.rsplit("/", 1)[-1]
            if base == "pyproject.toml":
                section = dep.source if not dep.group else "[project] dependencies"
                return f"in {section} of {manifest.path}"
            if base == "setup.py":
                return f"in `install_requires` of {manifest.path}"
            if base == "setup.cfg":
                return f"in `install_requires` of {manifest.path}"
            return f"in {manifest.path}"
    return "with the other dependencies"


#: the distribution name an invalid requirement line starts with
_LEADING_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?=\s*(?:[:=<>~!;\[(@ ]|$))")

#: the kinds of lock a person writes by dumping an environment (``pip freeze``, ``conda env
#: export``), as opposed to one a tool compiles from a manifest
_DUMPS = frozenset({"pip-freeze", "conda-env-export", "conda-export"})


def _folder(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def _within(rel: str, folder: str) -> bool:
    return not folder or rel.startswith(folder + "/")


def _declaring_dumps(collected: Collected, repo: Repo) -> dict[str, set[str]]:
    """The environment dumps that declare imports, with the names each declares. A dump in
    the folder of a manifest that declares runtime dependencies, or below it, is that
    manifest's lock (its transitive entries declare nothing), unless the project installs from
    the dump itself
    (``pip install -r requirements.txt`` in its README, a Dockerfile, a script or CI): then
    the dump is how the environment is declared, as is a dump with no such manifest in its
    folder or above (a root ``environment.yml`` exported from conda, above a sub-project's
    template ``requirements.txt``)."""
    declaring = {
        _folder(m.path)
        for m in collected.manifests
        if any(d.name and not d.dev and d.role != "constraint" and d.error is None for d in m.deps)
    }
    # a freeze dump's every line, `attrs @ file:///tmp/build/...` included (its lock records
    # only the `==` versions)
    frozen = {m.path: [d.name for d in m.deps if d.name] for m in collected.frozen}
    dumps = [lock for lock in collected.locks if lock.kind in _DUMPS]
    installed = _installed_from(repo, [lock.path for lock in dumps]) if dumps else set()
    return {
        lock.path: {dn.normalise(name) for name in frozen.get(lock.path, lock.versions)}
        for lock in dumps
        if lock.path in installed or not any(_within(lock.path, folder) for folder in declaring)
    }


_INSTALL_R_RE = re.compile(r"pip3?\s+install\b[^\n]*?\s(?:-r|--requirement)\s*=?\s*([^\s`'\"]+)")
_INSTRUCTIONS_RE = re.compile(
    r"(^|/)(README[^/]*|INSTALL[^/]*|Makefile|[^/]*\.sh|[^/]*[Dd]ockerfile[^/]*)$"
    r"|^\.github/workflows/[^/]+\.ya?ml$"
)


def _installed_from(repo: Repo, paths: list[str]) -> set[str]:
    """The files among ``paths`` that the project's instructions install with ``pip install
    -r`` (README, INSTALL, Makefile, shell scripts, Dockerfiles, CI workflows): named by their
    path from the root, from the instruction's folder, or by a unique file name."""
    named: set[str] = set()
    for rel in repo.files:
        if _INSTRUCTIONS_RE.search(rel):
            text = repo.text(rel) or ""
            if "install" in text:
                base = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
                for found in _INSTALL_R_RE.findall(text):
                    target = found.removeprefix("./")
                    named |= {target, base + target}
    names = [p.rsplit("/", 1)[-1] for p in paths]
    return {
        p
        for p, name in zip(paths, names, strict=True)
        if p in named or (name in named and names.count(name) == 1)
    }


def own_environment(folder: str, files: Iterable[str]) -> bool:
    """A folder whose manifests build an environment of their own: it holds a Dockerfile (an
    image) or a Pipfile (``pipenv`` keeps one virtualenv per folder). A bare
    ``monitoring/requirements.txt`` may be installed on top of the root's environment."""
    for rel in files:
        if rel.startswith(folder) and "/" not in rel[len(folder) :]:
            name = rel[len(folder) :]
            if name == "Pipfile" or "dockerfile" in name.lower():
                return True
    return False


def _sub_projects(
    collected: Collected,
    py_files: list[str],
    files: list[str],
    dumps: Mapping[str, set[str]] | None = None,
) -> dict[str, frozenset[str]]:
    """Folders with manifests of their own (``service/``, ``training/``:
    :func:`manifest_scope`) that build their own environment (:func:`own_environment`), the
    deepest first, with the names those manifests (and the files they include) declare, and
    those of the environment dumps below the folder that the project installs (``dumps``,
    :func:`_declaring_dumps`: the folder's image runs ``pip install -r requirements.txt`` on
    a ``pip freeze``). The code below such a folder runs in that environment; a sub-project
    whose manifests hold an invalid line is left out (its declared names are not known)."""
    by_path = {m.path: m for m in collected.manifests}
    found: dict[str, set[str]] = {}
    broken: set[str] = set()
    for manifest in collected.manifests:
        scope = manifest_scope(manifest.path, py_files)
        if not scope or not own_environment(scope, files):
            continue
        names = found.setdefault(scope, set())
        queue, seen = [manifest.path], set()
        while queue:
            current = by_path.get(queue.pop())
            if current is None or current.path in seen:
                continue
            seen.add(current.path)
            for dep in current.deps:
                if dep.error is not None:
                    broken.add(scope)
                elif dep.name and dep.role != "constraint":
                    names.add(dn.normalise(dep.name))
            queue += [i.target for i in current.includes if i.kind != "constraints"]
    for scope in found:
        for path, dumped in (dumps or {}).items():
            if path.startswith(scope):
                found[scope] |= dumped
    names_of = {sc: frozenset(n) for sc, n in found.items() if sc not in broken}
    return dict(sorted(names_of.items(), key=lambda item: -item[0].count("/")))


def pasted_freezes(collected: Collected) -> frozenset[tuple[str, str]]:
    """Requirements files that hold a ``pip freeze`` pasted between lines written by hand (a
    cookiecutter template's ``flake8`` and ``python-dotenv>=0.5.1``, a package appended at the
    end): at least five pins, 85 % of the lines pinned, three or more of them packages nobody
    lists by hand. Too many loose lines for a dump (:func:`~mlnudge.checks.deps.parsers.is_freeze`),
    so the loose lines stay declarations; the pins are what pip installed, not choices, and
    are never "declared but never imported" (round 16: 18 such findings on one file).
    ``{(manifest path, canonical name)}`` of those pins."""
    if not collected.manifests:
        return frozenset()
    # packaging: off the hook path; parsing these manifests has imported it already
    from mlnudge.checks.deps.parsers import pinned

    found: set[tuple[str, str]] = set()
    for manifest in collected.manifests:
        named = [d for d in manifest.deps if d.name and d.error is None and d.url is None]
        pins = [d for d in named if pinned(d)]
        transitive = {dn.normalise(d.name) for d in pins} & TRANSITIVE_ONLY
        if len(pins) >= 5 and len(pins) >= 0.85 * len(named) and len(transitive) >= 3:
            found.update((manifest.path, dn.normalise(d.name)) for d in pins)
    return frozenset(found)


def manifest_scope(manifest: str, py_files: list[str]) -> str:
    """The code a manifest serves: its folder when that folder holds code of its own (a
    sub-project such as `app/` or `training/`), else the whole repository (`src/`,
    `requirements/`, `docker/` hold the project's manifests, not a sub-project)."""
    folder = manifest.rsplit("/", 1)[0] + "/" if "/" in manifest else ""
    if not folder or folder.rstrip("/").rsplit("/", 1)[-1] == "src":
        return ""
    return folder if any(f.startswith(folder) for f in py_files) else ""


#: files that run or configure the code by name: shell, Make, Procfile, images, pipelines,
#: Hydra/Lightning configs (`_target_: timm.create_model`), CI
_RUNNER_FILE_RE = re.compile(
    r"(^|/)(Makefile|Procfile|MLproject|dvc\.yaml|[^/]*\.sh|[^/]*[Dd]ockerfile[^/]*)$"
    r"|\.(ya?ml|cfg|ini|toml|json)$"
)


def _loads_models(scope: str, facts: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether the code in ``scope`` loads a saved model (which imports its own library)."""
    return any(path.startswith(scope) and summary.get("m") for path, summary in facts.items())


def _named_somewhere(
    ctx: CheckContext,
    dist: str,
    scope: str,
    files: list[str],
    collected: Collected,
    *,
    facts: Mapping[str, Mapping[str, Any]],
) -> bool:
    """Whether code or configuration names the distribution without importing it: in a
    string (`engine="openpyxl"`, `subprocess.run(["s3cmd", ...])`, `report_to="wandb"`), a
    notebook magic or shell line (`!pip install lightgbm`), or in a file that runs or
    configures the code (Makefile, Dockerfile, Hydra configs). Python files through their
    facts (the words of their strings and magics), the others by their text."""
    names = {dist, dist.replace("-", "_")} | set(dn.name_variants(dist))
    names = {n.lower() for n in names if len(n) >= 3}
    word = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])", re.I)
    manifests = {m.path for m in collected.manifests} | set(collected.compiled)
    manifests |= {lk.path for lk in collected.locks}
    for path in files:
        if not path.startswith(scope) or path in manifests:
            continue
        if path.endswith((".py", ".ipynb")):
            summary = facts.get(path)
            if summary is not None and named_in(summary, names):
                return True
        elif _RUNNER_FILE_RE.search(path):
            text = ctx.repo.text(path)
            if text and word.search(text):
                return True
    return False


def _packaged_modules(
    repo: Repo, files: Iterable[str], facts: Mapping[str, Mapping[str, Any]]
) -> set[str]:
    """Top-level modules the packaging metadata names (``packages``, ``py_modules``, Poetry's
    ``include``), even when the folder has since moved or been deleted."""
    found: set[str] = set()

    def add(name: object) -> None:
        if isinstance(name, str) and name.strip():
            found.add(name.strip().strip("/").split("/")[-1].split(".")[0])

    for path in files:
        base = path.rsplit("/", 1)[-1]
        if base == "pyproject.toml":
            raw = (repo.toml(path) or {}).get("tool")
            tool: dict[str, Any] = raw if isinstance(raw, dict) else {}
            poetry = tool.get("poetry")
            packages = poetry.get("packages") if isinstance(poetry, dict) else None
            for item in packages if isinstance(packages, list) else []:
                add(item.get("include") if isinstance(item, dict) else None)
            setuptools = tool.get("setuptools")
            if isinstance(setuptools, dict):
                for key in ("packages", "py-modules"):
                    value = setuptools.get(key)
                    for name in value if isinstance(value, list) else []:
                        add(name)
            hatch = tool.get("hatch")
            wheel = (
                hatch.get("build", {}).get("targets", {}).get("wheel", {})
                if isinstance(hatch, dict)
                else {}
            )
            for name in wheel.get("packages") or [] if isinstance(wheel, dict) else []:
                add(name)
        elif base == "setup.py":
            for name in facts.get(path, {}).get("k", ()):
                add(name)
    return found


#: folders where code is kept aside (``models/components/bak/``): the last place to point at
_SET_ASIDE_DIRS = frozenset(
    {"bak", "backup", "backups", "old", "archive", "archived", "deprecated", "legacy", "unused"}
)


def _site_rank(path: str, packages: tuple[str, ...]) -> int:
    """0 for a package's module (in a project without one, a module under `src/`, the
    project's code imported as `src.*` or through a Hydra target), 2 for a helper script or
    an example, 3 for code kept aside (a `bak/` or `old/` folder), 1 otherwise."""
    folders = path.split("/")[:-1]
    if _SET_ASIDE_DIRS.intersection(f.lower() for f in folders):
        return 3
    if path.startswith(packages or ("src/",)):
        return 0
    return 2 if SCRIPT_DIRS.intersection(folders) or is_showcase_path(path) else 1


def _also_in(where: list[tuple[str, int, str]]) -> str:
    others = len({p for p, _, _ in where}) - 1
    return f" (and in {others} other file{'s' if others > 1 else ''})" if others else ""


_MODULE_SUFFIXES = (".py", ".pyi", ".ipynb", ".pyx", ".pxd", ".so", ".pyd")


def _first_party(files: Iterable[str]) -> set[str]:
    """Module names that are the project's own: every local module, and every folder that
    holds Python code (a package, or a folder scripts put on ``sys.path``)."""
    names: set[str] = set()
    for f in files:
        parts = f.split("/")
        if not parts[-1].endswith(_MODULE_SUFFIXES):
            continue
        names.add(parts[-1].split(".", 1)[0])
        names.update(parts[:-1])
    return names
