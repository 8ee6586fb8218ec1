"""Family 4 (MLN4xx): dependencies declared as version ranges.

Reads every place dependencies live (pyproject ``[project]``, ``[dependency-groups]``,
``[tool.poetry]``, setup.cfg, setup.py, requirements files, Pipfile, conda environments) and
the locks generated from them; see :mod:`mlnudge.checks.deps_parsers`. The policy depends on
the project's profile (docs/deps.md):

* a **library**'s published metadata should say what it works with: a lower bound, no exact
  pins, upper caps only per the ``upper-cap`` policy;
* an **application** should be reproducible: a lock in sync with the declared ranges, or exact
  pins when there is no lock.

Repo-level: runs on the whole repository even when the run has targets. ``packaging`` and the
parsers are imported inside :func:`check`, so importing this module stays cheap on the hook path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.config import Option
from mlnudge.finding import Finding, Severity
from mlnudge.rules import Rule

if TYPE_CHECKING:
    from packaging.specifiers import Specifier, SpecifierSet
    from packaging.version import Version

    from mlnudge.checks.deps_parsers import Dep, Lock, Manifest

UNBOUNDED = Rule(
    code="MLN401",
    name="unbounded-dependency",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("library-rules-in-applications", "ignore-packages"),
    summary="A dependency is declared without any version bound.",
    why=(
        "Without a lower bound, an install can pick a years-old release your code never ran "
        "with; in an application without a lock, the next person's environment quietly differs "
        "from yours and results stop being reproducible."
    ),
    fix=(
        "Library: add a lower bound of the version you use, e.g. `pandas>=2.1`. Application: "
        "generate a lock file (`uv lock`, `poetry lock`, `pip-compile`) or pin the version."
    ),
    example="pandas",
    use_instead="pandas>=2.1",
)
EXACT_PIN = Rule(
    code="MLN402",
    name="exact-pin",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("upper-cap", "library-rules-in-applications"),
    summary="A library's published dependency is pinned to one exact version.",
    why=(
        "An exact pin makes this package impossible to install next to anything that needs "
        "another patch release; keep ranges in declarations and exact versions in a lock file."
    ),
    fix="Replace `==` with a range (`numpy>=1.26.4`) and keep exact versions in a lock file.",
    example="numpy==1.26.4",
    use_instead="numpy>=1.26.4",
)
UPPER_ONLY = Rule(
    code="MLN403",
    name="upper-bound-only",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="A dependency has an upper bound but no lower bound.",
    why=(
        "`<2` still allows version 0.1 from years ago: the bound protects against the future "
        "but not against the past, which is where your code certainly does not work."
    ),
    fix="Add the oldest version you support as a lower bound: `scipy>=1.11,<2`.",
    example="scipy<2",
    use_instead="scipy>=1.11,<2",
)
PATCH_COMPATIBLE = Rule(
    code="MLN404",
    name="patch-level-compatible-release",
    family="deps",
    severity=Severity.INFO,
    scope="repo",
    options=("compatible-release-parts",),
    summary="A `~=` with a patch version allows only patch releases.",
    why=(
        "`~=1.26.4` means `>=1.26.4, ==1.26.*`: users of your package cannot take 1.27 even when "
        "it works, which is rarely what was meant."
    ),
    fix="Use `>=1.26.4` (or `~=1.26` if you really want to stay below 2).",
    example="numpy~=1.26.4",
    use_instead="numpy>=1.26.4",
)
LOCK_OUT_OF_SYNC = Rule(
    code="MLN405",
    name="lock-out-of-sync",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="The lock file holds a version the declared range does not allow.",
    why=(
        "The lock and the declaration disagree, so `install from lock` and `install from the "
        "declaration` give different environments; one of them was edited without the other."
    ),
    fix="Re-generate the lock (`uv lock`, `poetry lock`, `pip-compile`) after changing ranges.",
    example="pyproject.toml: pandas>=2.1\nuv.lock: pandas 1.5.3",
    use_instead="pyproject.toml: pandas>=2.1\nuv.lock: pandas 2.2.2  # after `uv lock`",
)
MISSING_FROM_LOCK = Rule(
    code="MLN406",
    name="missing-from-lock",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="A declared dependency has no entry in the lock file generated from the manifest.",
    why=(
        "Installing from the lock will not install it at all: the lock was generated before the "
        "dependency was added, and the environment the lock promises is incomplete."
    ),
    fix="Re-generate the lock (`uv lock`, `poetry lock`, `pip-compile`) and commit it.",
    example="requirements.in: lightgbm>=4\nrequirements.txt: (no lightgbm)",
    use_instead="requirements.txt: lightgbm==4.3.0  # after `pip-compile requirements.in`",
)
CONFLICT = Rule(
    code="MLN407",
    name="conflicting-ranges",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="The same dependency is declared in two places with ranges that do not overlap.",
    why=(
        "No version satisfies both, so one of the two installs (or the combination) fails, or "
        "silently gives a different version than the one the other file promises."
    ),
    fix="Make one range the source of truth and align the other one with it.",
    example="pyproject.toml: numpy>=2\nrequirements.txt: numpy==1.26.4",
    use_instead="pyproject.toml: numpy>=1.26\nrequirements.txt: numpy==1.26.4",
)
UNPINNED_VCS = Rule(
    code="MLN408",
    name="unpinned-vcs-dependency",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("vcs-ref",),
    summary="A Git or URL dependency does not point at a fixed commit, tag or versioned file.",
    why=(
        "A branch moves: the same line installs different code tomorrow, and a model trained "
        "last month can no longer be rebuilt."
    ),
    fix="Pin the reference to a commit or release tag: `pkg @ git+https://host/org/pkg@<commit>`.",
    example="featurelib @ git+https://github.com/acme/featurelib.git",
    use_instead="featurelib @ git+https://github.com/acme/featurelib.git@3f2c1e9",
)
CREDENTIAL_IN_URL = Rule(
    code="MLN409",
    name="credential-in-url",
    family="deps",
    severity=Severity.ERROR,
    scope="repo",
    summary="A password or token is embedded in a URL in a dependency file.",
    why=(
        "Everybody who can read the repository (and its history, forks and CI logs) can use the "
        "credential; it must be revoked as soon as it has been committed."
    ),
    fix=(
        "Revoke the token, then take it from the environment (`${PIP_INDEX_TOKEN}` in a "
        "requirements file), a keyring or `~/.netrc` instead of the URL."
    ),
    example="--extra-index-url https://user:s3cr3t@pypi.acme.dev/simple",
    use_instead="--extra-index-url https://${ACME_USER}:${ACME_TOKEN}@pypi.acme.dev/simple",
)
UNDECLARED_IMPORT = Rule(
    code="MLN410",
    name="undeclared-import",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("import-names", "non-production-paths", "ignore-packages"),
    summary="Production code imports a third-party package no manifest declares.",
    why=(
        "It works on your machine because the package happens to be installed; a fresh "
        "environment built from the declared dependencies fails with ImportError."
    ),
    fix="Declare the distribution that provides the module (`scikit-learn` for `sklearn`).",
    example="import sklearn  # but scikit-learn is in no requirements file",
    use_instead='# pyproject.toml\ndependencies = ["scikit-learn>=1.3"]',
)
UNUSED_DEPENDENCY = Rule(
    code="MLN411",
    name="unused-dependency",
    family="deps",
    severity=Severity.INFO,
    scope="repo",
    options=("import-names", "dev-groups", "ignore-packages"),
    summary="A declared runtime dependency is never imported.",
    why=(
        "Every dependency is install time, image size and attack surface; one nobody imports "
        "is often a leftover from an experiment."
    ),
    fix=(
        "Remove it, move it to a development group, or list it in `ignore-packages` when it is "
        "used without an import (a plugin, an engine, a CLI)."
    ),
    example='dependencies = ["seaborn>=0.13"]  # never imported',
    use_instead="dependencies = []",
)
INVALID_REQUIREMENT = Rule(
    code="MLN412",
    name="invalid-requirement",
    family="deps",
    severity=Severity.ERROR,
    scope="repo",
    summary="A requirement line cannot be parsed.",
    why="pip will refuse the whole file, so nobody can install the project from it.",
    fix="Correct the line to PEP 508 form, e.g. `scikit-learn>=1.3`.",
    example="scikit-learn>=>1.3",
    use_instead="scikit-learn>=1.3",
)
MISSING_UPPER_CAP = Rule(
    code="MLN413",
    name="missing-upper-cap",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("upper-cap",),
    summary="A library dependency lacks the upper cap the `upper-cap` policy asks for.",
    why=(
        'Only when the project opts in (`upper-cap = "major"` or `"require"`): a cap protects '
        "users from the next breaking release, at the cost of blocking it even when it works "
        "(see docs/deps.md for the trade-off)."
    ),
    fix="Cap below the next major release: `pandas>=2.1,<3`.",
    example="pandas>=2.1",
    use_instead="pandas>=2.1,<3",
)
NO_LOCK = Rule(
    code="MLN414",
    name="no-lock-for-application",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("require-lock",),
    summary="An application declares ranges but has no lock file.",
    why=(
        "Ranges say what could work; a lock says what was actually used. Without one, the "
        "training environment cannot be rebuilt and two runs may use different library versions."
    ),
    fix=(
        "Generate and commit a lock: `uv lock`, `poetry lock`, `pip-compile requirements.in`, "
        "`pipenv lock` or `conda-lock -f environment.yml`."
    ),
    example="requirements.txt: pandas>=2.1",
    use_instead="requirements.in: pandas>=2.1\nrequirements.txt: pandas==2.2.2  # pip-compile",
)

RULES = (
    UNBOUNDED,
    EXACT_PIN,
    UPPER_ONLY,
    PATCH_COMPATIBLE,
    LOCK_OUT_OF_SYNC,
    MISSING_FROM_LOCK,
    CONFLICT,
    UNPINNED_VCS,
    CREDENTIAL_IN_URL,
    UNDECLARED_IMPORT,
    UNUSED_DEPENDENCY,
    INVALID_REQUIREMENT,
    MISSING_UPPER_CAP,
    NO_LOCK,
)

DEFAULT_DEV_GROUPS = (
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "linting",
    "typing",
    "types",
    "docs",
    "doc",
    "bench",
    "benchmark",
    "benchmarks",
    "ci",
    "style",
    "check",
)
DEFAULT_NON_PRODUCTION = (
    "tests/",
    "test/",
    "docs/",
    "doc/",
    "examples/",
    "benchmarks/",
    "setup.py",
    "noxfile.py",
    "tasks.py",
    "conftest.py",
)

OPTIONS: tuple[Option, ...] = (
    Option(
        "upper-cap",
        "choice",
        "none",
        "Upper caps on a library's dependencies: `none` (no nudge), `major` (every dependency "
        "capped below its next major release, tighter caps nudged), `require` (any cap).",
        choices=("none", "major", "require"),
    ),
    Option(
        "compatible-release-parts",
        "int",
        3,
        "A `~=` with at least this many release parts (`~=1.26.4` has 3) is reported by MLN404.",
    ),
    Option(
        "library-rules-in-applications",
        "bool",
        False,
        "Also apply the library policy (bounds, pins, caps) to an application's package metadata.",
    ),
    Option(
        "require-lock",
        "bool",
        True,
        "Applications whose declared ranges are not pinned need a lock file (MLN414).",
    ),
    Option(
        "vcs-ref",
        "choice",
        "tag-or-commit",
        "What counts as a pinned Git reference: `commit` (a hash only) or `tag-or-commit`.",
        choices=("commit", "tag-or-commit"),
    ),
    Option(
        "import-names",
        "table",
        {},
        'Extra import name -> distribution mappings, e.g. `{ cv2 = "opencv-python-headless" }`.',
        value_kind="str",
    ),
    Option(
        "use-installed-metadata",
        "bool",
        True,
        "Map import names to distributions with the metadata of the installed packages too.",
    ),
    Option(
        "ignore-packages",
        "list",
        [],
        "Distributions (or import names) the deps rules never report.",
    ),
    Option(
        "dev-groups",
        "list",
        list(DEFAULT_DEV_GROUPS),
        "Group, extra and requirements-file words meaning development-only dependencies.",
    ),
    Option(
        "non-production-paths",
        "list",
        list(DEFAULT_NON_PRODUCTION),
        "Globs of code that is not production code (undeclared imports there are not reported).",
    ),
)

_REQ_NAME_RE = re.compile(
    r"(^|/)([^/]*[-_.])?(requirements|constraints)([-_.][^/]*)?\.(txt|in)$"
    r"|(^|/)requirements/[^/]+\.(txt|in)$"
)
_CONDA_RE = re.compile(r"(^|/)environment[^/]*\.ya?ml$")
_USERINFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^\s/@'\"]+)@([^\s/'\"#?]+)")
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "xox", "AKIA", "pypi-")
_LOCK_NAMES = {"poetry.lock": "poetry", "uv.lock": "uv", "pdm.lock": "pdm"}


@dataclass(frozen=True)
class Collected:
    manifests: tuple[Manifest, ...]
    locks: tuple[Lock, ...]
    #: every dependency-related file read (for the credential scan)
    files: tuple[str, ...]
    #: requirements files that are pip-compile output (locks, not declarations)
    compiled: tuple[str, ...]


# -- entry point -----------------------------------------------------------------------------


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(*(r.code for r in RULES)):
        return
    dev_words = tuple(w.lower() for w in ctx.options.list("dev-groups"))
    collected = collect(ctx.repo, dev_words)
    findings = list(_judge(ctx, collected))
    secrets: list[str] = []
    if ctx.enabled(CREDENTIAL_IN_URL.code):
        found, secrets = _credentials(ctx, collected)
        findings += found
    else:
        secrets = [s for _, s in _scan_secrets(ctx, collected)]
    yield from (_scrub(f, secrets) for f in findings)


def collect(repo: object, dev_words: tuple[str, ...]) -> Collected:
    """Every manifest and lock of the repository, parsed once through ``repo``."""
    from mlnudge.checks import deps_parsers as p
    from mlnudge.repo import Repo

    assert isinstance(repo, Repo)
    files = frozenset(repo.files)
    manifests: list[Manifest] = []
    locks: list[Lock] = []
    read: list[str] = []
    metadata_targets: list[str] = []
    for path in repo.files:
        base = path.rsplit("/", 1)[-1]
        here = path[: -len(base)]
        manifest: Manifest | None = None
        if base == "pyproject.toml":
            data, text = repo.toml(path), repo.text(path)
            if data is not None and text is not None:
                manifest = p.parse_pyproject(path, text, data, dev_words)
        elif base == "setup.cfg":
            text = repo.text(path)
            if text is not None:
                manifest = p.parse_setup_cfg(path, text, dev_words)
        elif base == "setup.py":
            module = repo.python(path)
            if module is not None:
                manifest = p.parse_setup_py(path, module.source, module.tree, dev_words)
        elif base == "Pipfile":
            data, text = repo.toml(path), repo.text(path)
            if data is not None and text is not None:
                manifest = p.parse_pipfile(path, text, data, dev_words)
        elif _CONDA_RE.search(path):
            data, text = repo.yaml(path), repo.text(path)
            if data is not None and text is not None:
                manifest = p.parse_conda(path, text, data, dev_words)
        elif base in _LOCK_NAMES:
            data = repo.toml(path)
            read.append(path)
            if data is not None:
                locks.append(
                    p.parse_toml_lock(path, _LOCK_NAMES[base], data, (here + "pyproject.toml",))
                )
        elif base == "Pipfile.lock":
            read.append(path)
            data = repo.json(path)
            if data is not None:
                locks.append(p.parse_pipfile_lock(path, data, (here + "Pipfile",)))
        elif base in ("conda-lock.yml", "conda-lock.yaml"):
            read.append(path)
            data = repo.yaml(path)
            if data is not None:
                envs = tuple(f for f in files if f.startswith(here) and _CONDA_RE.search(f))
                locks.append(p.parse_conda_lock(path, data, envs))
        if manifest is not None:
            read.append(path)
            manifests.append(manifest)
            metadata_targets += [i.target for i in manifest.includes if i.kind == "metadata"]

    # requirements files: the ones named like it, and what -r/-c/file: reach
    queue: list[tuple[str, str]] = [(t, "metadata") for t in metadata_targets]
    for m in manifests:  # -r/-c in a conda pip section
        queue += [
            (i.target, _include_role(i.kind, "environment"))
            for i in m.includes
            if i.kind != "metadata"
        ]
    for path in repo.files:
        if _REQ_NAME_RE.search(path):
            role = "constraint" if "constraints" in path.rsplit("/", 1)[-1] else "environment"
            queue.append((path, role))
    seen: set[str] = set()
    compiled: list[str] = []
    while queue:
        path, role = queue.pop(0)
        if path in seen or path not in files:
            continue
        seen.add(path)
        text = repo.text(path)
        read.append(path)
        if text is None:
            continue
        stem = path.rsplit(".", 1)[0]
        if path.endswith(".txt") and (p.is_compiled(text) or f"{stem}.in" in files):
            compiled.append(path)
            locks.append(p.parse_compiled(path, text, p.compiled_sources(path, text, files)))
            continue
        dev = p.is_dev_name(path.rsplit(".", 1)[0], dev_words)
        manifest = p.parse_requirements(path, text, role=role, dev=dev)  # type: ignore[arg-type]
        manifests.append(manifest)
        queue += [(i.target, _include_role(i.kind, role)) for i in manifest.includes]
    return Collected(tuple(manifests), tuple(locks), tuple(dict.fromkeys(read)), tuple(compiled))


def _include_role(kind: str, parent: str) -> str:
    return {"constraints": "constraint", "metadata": "metadata"}.get(kind, parent)


# -- the policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    lower: Version | None
    upper: Version | None
    exact: str | None
    #: a ``~=`` with at least ``compatible-release-parts`` parts
    narrow_compatible: Specifier | None
    others: tuple[str, ...]


def bounds(spec: SpecifierSet, compatible_parts: int = 3) -> Bounds:
    """Lower/upper bound, exact pin and narrow ``~=`` of a specifier set (``!=`` kept aside)."""
    from packaging.version import InvalidVersion, Version

    lower: Version | None = None
    upper: Version | None = None
    exact: str | None = None
    narrow = None
    others: list[str] = []
    for s in spec:
        op, text = s.operator, s.version
        try:
            if op in ("==", "===") and not text.endswith(".*"):
                exact = text
                v = Version(text)
                lower = upper = v
            elif op == "==":  # ==1.26.*
                base = Version(text[:-2])
                lower = _max(lower, base)
                upper = _min(upper, _bump(base.release, len(base.release) - 1))
            elif op in (">=", ">"):
                lower = _max(lower, Version(text))
            elif op in ("<", "<="):
                upper = _min(upper, Version(text))
            elif op == "~=":
                v = Version(text)
                lower = _max(lower, v)
                upper = _min(upper, _bump(v.release, len(v.release) - 2))
                if len(v.release) >= compatible_parts:
                    narrow = s
            else:
                others.append(str(s))
        except InvalidVersion:
            continue
    return Bounds(lower, upper, exact, narrow, tuple(others))


def _bump(release: tuple[int, ...], index: int) -> Version:
    from packaging.version import Version

    index = max(index, 0)
    parts = list(release[: index + 1]) or [0]
    parts[-1] += 1
    return Version(".".join(str(p) for p in parts))


def next_major(version: Version) -> Version:
    """The next breaking release: ``2`` for 1.26.4; ``0.5`` for 0.4.1 (0.x minors break)."""
    release = version.release
    if release[0] == 0 and len(release) > 1:
        nonzero = next((i for i, p in enumerate(release) if p != 0), len(release) - 1)
        return _bump(release, nonzero)
    return _bump(release, 0)


def _max(a: Version | None, b: Version) -> Version:
    return b if a is None or b > a else a


def _min(a: Version | None, b: Version) -> Version:
    return b if a is None or b < a else a


def _redact(text: str) -> str:
    """``text`` with the user-info of every URL replaced by ``***``."""
    return _USERINFO_RE.sub(lambda m: f"{m.group(1)}***@{m.group(3)}", text)


@dataclass
class _State:
    ctx: CheckContext
    collected: Collected
    known: dict[str, str]
    covered: set[str]
    ignore: frozenset[str]
    self_names: frozenset[str]


def _judge(ctx: CheckContext, collected: Collected) -> Iterator[Finding]:
    from packaging.utils import canonicalize_name

    ignore = frozenset(canonicalize_name(n) for n in ctx.options.list("ignore-packages"))
    self_names = frozenset(
        canonicalize_name(m.project_name) for m in collected.manifests if m.project_name
    )
    covered = {path for lock in collected.locks for path in lock.covers}
    state = _State(ctx, collected, _known_versions(collected), covered, ignore, self_names)
    for manifest in collected.manifests:
        yield from _judge_manifest(state, manifest)
    yield from _lock_sync(state)
    if ctx.enabled(CONFLICT.code):
        yield from _conflicts(state)
    if ctx.any_enabled(UNDECLARED_IMPORT.code, UNUSED_DEPENDENCY.code):
        yield from _imports(state)


def _known_versions(collected: Collected) -> dict[str, str]:
    """A version in use per distribution (from locks, then exact pins), for suggestions."""
    from packaging.version import InvalidVersion, Version

    known: dict[str, str] = {}
    for manifest in collected.manifests:
        for dep in manifest.deps:
            if dep.spec is not None and dep.name:
                exact = [s.version for s in dep.spec if s.operator == "==" and "*" not in s.version]
                if exact:
                    known[dep.name] = exact[0]
    for lock in collected.locks:
        for name, versions in lock.versions.items():
            try:
                known[name] = str(max(Version(v) for v in versions))
            except (InvalidVersion, ValueError):
                continue
    return known


def _judge_manifest(state: _State, manifest: Manifest) -> Iterator[Finding]:
    ctx = state.ctx
    profile = ctx.project.profile
    library_rules = ctx.options.bool("library-rules-in-applications")
    locked = manifest.path in state.covered
    needs_lock: Dep | None = None
    for dep in manifest.deps:
        if dep.error is not None:
            if ctx.enabled(INVALID_REQUIREMENT.code):
                yield INVALID_REQUIREMENT.finding(
                    dep.path,
                    f"`{_redact(dep.text)}` is not a valid requirement: {_redact(dep.error)}",
                    line=dep.line,
                    end_line=dep.end_line,
                    anchor=f"invalid:{dep.path}:{_redact(dep.text)}",
                    details={"source": dep.source, "reason": _redact(dep.error)},
                )
            continue
        if dep.url is not None:
            if not dep.local and ctx.enabled(UNPINNED_VCS.code):
                yield from _vcs(state, dep)
            continue
        if dep.spec is None or not dep.name or dep.name in state.ignore:
            continue
        if dep.name in state.self_names or dep.role == "constraint":
            continue
        if dep.role == "metadata" and (profile == "library" or library_rules):
            yield from _library_policy(state, dep)
        elif profile == "application" and not locked and not dep.dev:
            yield from _application_policy(state, dep)
            b = bounds(dep.spec)
            if b.exact is None and needs_lock is None:
                needs_lock = dep
    if needs_lock is not None and ctx.options.bool("require-lock") and ctx.enabled(NO_LOCK.code):
        yield NO_LOCK.finding(
            manifest.path,
            f"{manifest.path} declares ranges (e.g. `{needs_lock.text}`) but no lock file pins "
            "them; installs are not reproducible.",
            line=needs_lock.line,
            end_line=needs_lock.end_line,
            anchor=f"no-lock:{manifest.path}",
            fix=_lock_hint(manifest.path),
        )


def _lock_hint(path: str) -> str:
    base = path.rsplit("/", 1)[-1]
    if base == "pyproject.toml":
        return "Generate and commit a lock: `uv lock` (or `poetry lock`, `pdm lock`)."
    if base == "Pipfile":
        return "Generate and commit `Pipfile.lock` with `pipenv lock`."
    if _CONDA_RE.search(path):
        return f"Generate and commit a lock: `conda-lock -f {base}`."
    if base.endswith(".in"):
        return f"Compile it: `pip-compile {base}` (or `uv pip compile {base} -o ...`)."
    return (
        f"Move the ranges to `{base.rsplit('.', 1)[0]}.in` and compile `{base}` from it with "
        "`pip-compile` (or `uv pip compile`), or pin every line with `==`."
    )


def _spec_text(lower: str | None, others: Iterable[str], upper: str | None) -> str:
    parts = ([f">={lower}"] if lower else []) + list(others) + ([f"<{upper}"] if upper else [])
    return ",".join(parts)


def _cap_for(state: _State, lower: Version) -> str | None:
    if state.ctx.options.str("upper-cap") == "none":
        return None
    return str(next_major(lower))


def _short(version: str) -> str:
    """``1.26`` for 1.26.4: a lower bound for a library need not be the exact patch release."""
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except InvalidVersion:
        return version
    return ".".join(str(p) for p in release[:2])


def _library_policy(state: _State, dep: Dep) -> Iterator[Finding]:
    from packaging.version import Version

    ctx = state.ctx
    assert dep.spec is not None
    b = bounds(dep.spec, ctx.options.int("compatible-release-parts"))
    anchor_tail = f"{dep.path}:{dep.name}"
    shown = _redact(dep.text)
    known = state.known.get(dep.name)
    reported = False
    if b.lower is None and b.upper is None:
        if ctx.enabled(UNBOUNDED.code):
            suggestion = None
            fix = f"Add a lower bound of the version you use, e.g. `{dep.name}>=X.Y`."
            if known:
                low = Version(_short(known))
                suggestion = dep.replaced(_spec_text(str(low), b.others, _cap_for(state, low)))
                fix = f"Add a lower bound of the version you use ({known} per the lock or a pin)."
            yield UNBOUNDED.finding(
                dep.path,
                f"`{shown}` has no version bound; add the oldest version you support.",
                line=dep.line,
                end_line=dep.end_line,
                anchor=f"unbounded:{anchor_tail}",
                suggestion=suggestion,
                fix=fix,
                details={"source": dep.source},
            )
        reported = True
    elif b.exact is not None:
        if ctx.enabled(EXACT_PIN.code):
            low = Version(b.exact)
            new = _spec_text(b.exact, [], _cap_for(state, low))
            yield EXACT_PIN.finding(
                dep.path,
                f"`{shown}` is pinned to exactly {b.exact}; a library should declare a range "
                "(keep exact versions in a lock file).",
                line=dep.line,
                end_line=dep.end_line,
                anchor=f"pin:{anchor_tail}",
                suggestion=dep.replaced(new),
                fix=f"Declare a range instead: `{dep.name}{new}`.",
                details={"source": dep.source},
            )
        reported = True
    elif b.lower is None:
        if ctx.enabled(UPPER_ONLY.code):
            yield _upper_only(state, dep, b)
        reported = True
    elif b.narrow_compatible is not None:
        if ctx.enabled(PATCH_COMPATIBLE.code):
            v = b.narrow_compatible.version
            new = _spec_text(v, b.others, _cap_for(state, Version(v)))
            yield PATCH_COMPATIBLE.finding(
                dep.path,
                f"`{shown}` allows only {'.'.join(v.split('.')[:-1])}.x patch releases; "
                f"`{dep.name}{new}` keeps the lower bound without blocking minor releases.",
                line=dep.line,
                end_line=dep.end_line,
                anchor=f"compatible:{anchor_tail}",
                suggestion=dep.replaced(new),
                details={"source": dep.source},
            )
        reported = True
    policy = ctx.options.str("upper-cap")
    if reported or policy == "none" or not ctx.enabled(MISSING_UPPER_CAP.code):
        return
    assert b.lower is not None
    cap = next_major(b.lower)
    if b.upper is None or (policy == "major" and b.upper < cap):
        kept = list(b.others)
        lower_text = next((s.version for s in dep.spec if s.operator in (">=", "~=")), None)
        new = _spec_text(lower_text or str(b.lower), kept, str(cap))
        if any(s.operator == ">" for s in dep.spec):
            new = ",".join([f">{b.lower}", *kept, f"<{cap}"])
        why = (
            "has no upper cap"
            if b.upper is None
            else f"is capped below {b.upper}, tighter than the next major release {cap}"
        )
        yield MISSING_UPPER_CAP.finding(
            dep.path,
            f'`{shown}` {why}; the `upper-cap = "{policy}"` policy asks for `<{cap}`.',
            line=dep.line,
            end_line=dep.end_line,
            anchor=f"cap:{anchor_tail}",
            suggestion=dep.replaced(new),
            details={"source": dep.source, "policy": policy},
        )


def _upper_only(state: _State, dep: Dep, b: Bounds) -> Finding:
    from packaging.version import Version

    assert dep.spec is not None
    known = state.known.get(dep.name)
    suggestion = None
    if known and dep.spec.contains(known, prereleases=True):
        uppers = [str(s) for s in dep.spec if s.operator in ("<", "<=")]
        low = _short(known) if Version(_short(known)) <= Version(known) else known
        suggestion = dep.replaced(",".join([f">={low}", *b.others, *uppers]))
    return UPPER_ONLY.finding(
        dep.path,
        f"`{_redact(dep.text)}` has an upper bound but no lower bound; any old release still "
        "satisfies it.",
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"upper-only:{dep.path}:{dep.name}",
        suggestion=suggestion,
        details={"source": dep.source},
    )


def _application_policy(state: _State, dep: Dep) -> Iterator[Finding]:
    ctx = state.ctx
    assert dep.spec is not None
    b = bounds(dep.spec)
    if b.lower is None and b.upper is None and ctx.enabled(UNBOUNDED.code):
        known = state.known.get(dep.name)
        yield UNBOUNDED.finding(
            dep.path,
            f"`{_redact(dep.text)}` has no version bound and no lock pins it: every install may "
            "get a different version, so results are not reproducible.",
            line=dep.line,
            end_line=dep.end_line,
            anchor=f"unbounded:{dep.path}:{dep.name}",
            suggestion=dep.replaced(f"=={known}") if known else None,
            fix=_lock_hint(dep.path),
            details={"source": dep.source, "profile": "application"},
        )
    elif b.lower is None and b.upper is not None and ctx.enabled(UPPER_ONLY.code):
        yield _upper_only(state, dep, b)


# -- locks -----------------------------------------------------------------------------------


def _lock_sync(state: _State) -> Iterator[Finding]:
    from packaging.version import InvalidVersion, Version

    ctx = state.ctx
    if not ctx.any_enabled(LOCK_OUT_OF_SYNC.code, MISSING_FROM_LOCK.code):
        return
    by_path = {m.path: m for m in state.collected.manifests}
    for lock in state.collected.locks:
        for covered in lock.covers:
            manifest = by_path.get(covered)
            if manifest is None:
                continue
            for dep in manifest.deps:
                if dep.error or dep.url or not dep.name or dep.spec is None:
                    continue
                if dep.name in state.ignore or dep.name in state.self_names:
                    continue
                versions = lock.versions.get(dep.name)
                anchor = f"{dep.path}:{dep.name}"
                if versions is None:
                    if dep.marker and not lock.universal:
                        continue  # pip-compile resolves markers for one platform only
                    if ctx.enabled(MISSING_FROM_LOCK.code):
                        yield MISSING_FROM_LOCK.finding(
                            dep.path,
                            f"`{_redact(dep.text)}` is declared but {lock.path} has no entry for "
                            f"it; re-generate the lock.",
                            line=dep.line,
                            end_line=dep.end_line,
                            anchor=f"missing-from-lock:{anchor}",
                            details={"lock": lock.path},
                        )
                    continue
                parsed = []
                for v in versions:
                    try:
                        parsed.append(Version(v))
                    except InvalidVersion:
                        continue
                if not parsed or any(dep.spec.contains(v, prereleases=True) for v in parsed):
                    continue
                if ctx.enabled(LOCK_OUT_OF_SYNC.code):
                    shown = ", ".join(str(v) for v in parsed)
                    yield LOCK_OUT_OF_SYNC.finding(
                        dep.path,
                        f"{lock.path} locks {dep.name} {shown}, outside the declared "
                        f"`{_redact(dep.text)}`; re-generate the lock or correct the range.",
                        line=dep.line,
                        end_line=dep.end_line,
                        anchor=f"lock-sync:{anchor}",
                        details={"lock": lock.path, "locked": shown},
                    )


# -- conflicts -------------------------------------------------------------------------------


def overlap(a: SpecifierSet, b: SpecifierSet) -> bool:
    """Whether some version satisfies both ranges (``!=`` exclusions are ignored)."""
    ba, bb = bounds(a), bounds(b)
    lowers = [x for x in (ba.lower, bb.lower) if x is not None]
    uppers = [x for x in (ba.upper, bb.upper) if x is not None]
    if not lowers or not uppers:
        return True
    low, high = max(lowers), min(uppers)
    if low < high:
        return True  # some release lies strictly between two different versions
    # touching bounds (>=1.2 vs <=1.2, or ==1.2 vs >1.2): only that one version can do
    return low == high and a.contains(low, prereleases=True) and b.contains(low, prereleases=True)


def _conflicts(state: _State) -> Iterator[Finding]:
    groups: dict[tuple[str, str], list[Dep]] = {}
    for manifest in state.collected.manifests:
        for dep in manifest.deps:
            if dep.error or dep.url or not dep.name or dep.spec is None or not len(dep.spec):
                continue
            if dep.name in state.ignore:
                continue
            groups.setdefault((dep.name, dep.marker), []).append(dep)
    for (name, _marker), deps in sorted(groups.items()):
        deps.sort(key=lambda d: (d.path, d.line or 0))
        reported: set[int] = set()
        for i, later in enumerate(deps):
            for earlier in deps[:i]:
                if (earlier.path, earlier.source, earlier.group) == (
                    later.path,
                    later.source,
                    later.group,
                ) or i in reported:
                    continue
                assert earlier.spec is not None and later.spec is not None
                if overlap(earlier.spec, later.spec):
                    continue
                reported.add(i)
                where = f"{earlier.path}:{earlier.line}" if earlier.line else earlier.path
                yield CONFLICT.finding(
                    later.path,
                    f"`{_redact(later.text)}` does not overlap `{_redact(earlier.text)}` "
                    f"declared in {where}; no version of {name} satisfies both.",
                    line=later.line,
                    end_line=later.end_line,
                    anchor=f"conflict:{later.path}:{name}:{earlier.path}",
                    details={"other": earlier.path, "other_line": earlier.line},
                )


# -- VCS and URL dependencies ----------------------------------------------------------------

_SHA_RE = re.compile(r"^[0-9a-f]{7,40}$")
_TAG_RE = re.compile(r"^[\w.+-]*\d+(\.\d+)+[\w.+-]*$|^v\d+$")
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+", "git://")


def vcs_pinned(url: str, ref: str | None, policy: str) -> bool:
    """Whether a VCS/URL dependency names a fixed commit (or a version tag or file)."""

    def good(r: str) -> bool:
        return bool(_SHA_RE.match(r)) or (policy == "tag-or-commit" and bool(_TAG_RE.match(r)))

    if ref is not None:
        kind, _, value = ref.partition(":")
        return kind != "branch" and good(value)
    bare = url.split("#", 1)[0]
    if bare.startswith(_VCS_PREFIXES):
        after_host = bare.split("://", 1)[-1]
        path = after_host.split("/", 1)[1] if "/" in after_host else ""
        if "@" not in path:
            return False
        return good(path.rsplit("@", 1)[1])
    if re.search(r"[#&](sha256|sha384|sha512|md5)=", url):
        return True
    filename = bare.rstrip("/").rsplit("/", 1)[-1]
    if "/refs/heads/" in bare:
        return False
    if filename.endswith(".whl"):
        return True
    stem = re.sub(r"\.(zip|tar\.gz|tgz|tar\.bz2|tar)$", "", filename)
    return bool(_SHA_RE.match(stem)) or (
        policy == "tag-or-commit" and bool(re.search(r"\d+\.\d+", stem))
    )


def _vcs(state: _State, dep: Dep) -> Iterator[Finding]:
    assert dep.url is not None
    if dep.name in state.ignore:
        return
    policy = state.ctx.options.str("vcs-ref")
    if vcs_pinned(dep.url, dep.ref, policy):
        return
    what = "commit" if policy == "commit" else "commit or release tag"
    label = dep.name or _redact(dep.url)
    yield UNPINNED_VCS.finding(
        dep.path,
        f"`{_redact(dep.text)}` does not point at a fixed {what}; the code it installs can "
        "change under you.",
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"vcs:{dep.path}:{label}",
        details={"source": dep.source},
    )


# -- credentials -----------------------------------------------------------------------------


def _is_env(text: str) -> bool:
    return bool(re.fullmatch(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%", text))


def secret_in(userinfo: str, scheme: str) -> bool:
    """Whether URL user-info holds a credential (not ``git@`` and not ``${TOKEN}``)."""
    user, sep, password = userinfo.partition(":")
    if sep:
        return bool(password) and not _is_env(password)
    if _is_env(user) or "ssh" in scheme:
        return False
    return user.startswith(_TOKEN_PREFIXES) or (
        len(user) >= 16 and any(c.isdigit() for c in user) and any(c.isalpha() for c in user)
    )


def _scan_secrets(
    ctx: CheckContext, collected: Collected
) -> Iterator[tuple[tuple[str, int, str, str, str], str]]:
    for path in collected.files:
        text = ctx.repo.text(path)
        if text is None or "@" not in text:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for m in _USERINFO_RE.finditer(line):
                if secret_in(m.group(2), m.group(1)):
                    yield (path, number, line, m.group(1), m.group(3)), m.group(2)


def _credentials(ctx: CheckContext, collected: Collected) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    secrets: list[str] = []
    for (path, number, line, scheme, host), userinfo in _scan_secrets(ctx, collected):
        secrets.append(userinfo)
        hostname = host.split(":", 1)[0]
        label = re.sub(
            r"[^A-Z0-9]+", "_", hostname.split(".")[-2 if "." in hostname else 0].upper()
        )
        replacement = (
            f"${{{label}_USER}}:${{{label}_TOKEN}}" if ":" in userinfo else f"${{{label}_TOKEN}}"
        )
        suggestion = None
        base = path.rsplit("/", 1)[-1]
        if base.endswith((".txt", ".in")) or _REQ_NAME_RE.search(path):
            fixed = line.replace(f"{scheme}{userinfo}@", f"{scheme}{replacement}@")
            suggestion = fixed if userinfo not in fixed else None
        findings.append(
            CREDENTIAL_IN_URL.finding(
                path,
                f"A credential is embedded in a URL for {hostname}; revoke it and read it from "
                "the environment, a keyring or ~/.netrc instead.",
                line=number,
                end_line=number,
                anchor=f"credential:{path}:{hostname}",
                suggestion=suggestion,
                details={"host": hostname},
            )
        )
    return findings, secrets


def _scrub(finding: Finding, secrets: list[str]) -> Finding:
    """The finding with no trace of a secret in any field (a leaking suggestion is dropped)."""
    if not secrets:
        return finding

    def clean(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    fields = [finding.message, finding.fix or "", finding.anchor, finding.suggestion or ""]
    fields += [str(v) for v in finding.details.values()]
    if not any(secret in text for text in fields for secret in secrets):
        return finding
    suggestion = finding.suggestion
    if suggestion is not None and any(s in suggestion for s in secrets):
        suggestion = None
    return replace(
        finding,
        message=clean(finding.message),
        fix=clean(finding.fix) if finding.fix else finding.fix,
        anchor=clean(finding.anchor),
        suggestion=suggestion,
        details={k: clean(v) if isinstance(v, str) else v for k, v in finding.details.items()},
    )


# -- imports ---------------------------------------------------------------------------------


def _imports(state: _State) -> Iterator[Finding]:
    from mlnudge.checks import deps_imports as di
    from mlnudge.config import path_matches
    from mlnudge.project import is_test_path

    ctx = state.ctx
    deps = [
        d
        for m in state.collected.manifests
        for d in m.deps
        if d.name and d.role != "constraint" and d.error is None
    ]
    if not deps:
        return  # nothing declared anywhere: other rules (structure) speak about that
    declared = {di.normalise(d.name) for d in deps}
    extra: dict[str, tuple[str, ...]] = {
        k: (v,) if isinstance(v, str) else tuple(v)
        for k, v in ctx.options.table("import-names").items()
    }
    use_installed = ctx.options.bool("use-installed-metadata")
    ignore = {di.normalise(n) for n in ctx.options.list("ignore-packages")}
    non_production = ctx.options.list("non-production-paths")
    py_files = [f for f in ctx.repo.files if f.endswith((".py", ".ipynb"))]
    first_party = _first_party(ctx.repo.files, state.self_names)
    used: set[str] = set()
    undeclared: dict[str, list[tuple[str, int]]] = {}
    for path in py_files:
        module = ctx.repo.python(path)
        if module is None:
            continue
        production = (
            path.endswith(".py")
            and not is_test_path(path)
            and not any(path_matches(path, g) for g in non_production)
        )
        for imp in di.iter_imports(path, module.tree):
            used.add(imp.module.lower())
            if not production or imp.optional or di.is_stdlib(imp.module):
                continue
            if imp.module in first_party or di.normalise(imp.module) in ignore:
                continue
            candidates = di.distributions_for(imp.module, extra, use_installed=use_installed)
            if candidates & (declared | ignore):
                continue
            undeclared.setdefault(imp.module, []).append((path, imp.line))
    if ctx.enabled(UNDECLARED_IMPORT.code):
        for module_name, where in sorted(undeclared.items()):
            path, line = where[0]
            dist = (
                extra.get(module_name)
                or di.BUILTIN_IMPORT_NAMES.get(module_name)
                or (di.installed_map().get(module_name) if use_installed else None)
                or (module_name,)
            )[0]
            others = len({p for p, _ in where}) - 1
            also = f" (and in {others} other file{'s' if others > 1 else ''})" if others else ""
            yield UNDECLARED_IMPORT.finding(
                path,
                f"`{module_name}` is imported{also} but no manifest declares it; add `{dist}` "
                "to the project's dependencies.",
                line=line,
                anchor=f"undeclared:{module_name}",
                fix=f"Declare `{dist}` (with a lower bound) with the other dependencies.",
                details={"distribution": dist, "files": len({p for p, _ in where})},
            )
    if not ctx.enabled(UNUSED_DEPENDENCY.code) or not py_files:
        return
    seen: set[tuple[str, str]] = set()
    for dep in deps:
        canon = di.normalise(dep.name)
        if dep.dev or dep.conda or dep.local or (dep.path, canon) in seen:
            continue
        if canon in di.IMPLICITLY_USED or canon in ignore or dep.name in state.self_names:
            continue
        if canon.startswith("types-") or canon.endswith("-stubs"):
            continue
        names = di.import_names_for(dep.name, extra, use_installed=use_installed)
        if names & used:
            continue
        seen.add((dep.path, canon))
        yield UNUSED_DEPENDENCY.finding(
            dep.path,
            f"`{dep.name}` is declared but never imported; remove it, move it to a development "
            "group, or add it to `ignore-packages` if it is used without an import.",
            line=dep.line,
            end_line=dep.end_line,
            anchor=f"unused:{dep.path}:{dep.name}",
            details={"source": dep.source},
        )


def _first_party(files: Iterable[str], self_names: Iterable[str]) -> set[str]:
    """Module names that are the project's own: every local module and package directory."""
    names = {n.replace("-", "_") for n in self_names}
    for f in files:
        if not f.endswith((".py", ".pyi")):
            continue
        parts = f.split("/")
        names.add(parts[-1].rsplit(".", 1)[0])
        names.update(parts[:-1])
    return names


SPEC = FamilySpec(name="deps", rules=RULES, options=OPTIONS, check=check)
