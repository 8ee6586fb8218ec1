"""Which distribution provides which import name (the tables live in :mod:`.tables`).

One relation, :func:`provides`, answers "may distribution D provide top-level module M?" for
both directions: "imported but not declared" (MLN410) asks it for every declared D, "declared
but never imported" (MLN411) for every imported M. Because both ask the same question they
cannot contradict each other. It is answered, in order, by the user's ``import-names``, the
installed packages' metadata, a built-in table of well-known mismatches, and naming
conventions (``python-X``, ``pyX``, ``X-python``, ``X-headless``, ``scikit-X`` -> ``skX``,
``google-*`` for the ``google`` namespace, ...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping

from mlnudge.checks.deps.facts import packages_distributions
from mlnudge.checks.deps.tables import (
    BUILTIN_IMPORT_NAMES,
    CONDA_SYSTEM,
    GENERIC_LOCAL_NAMES,
    NAMESPACES,
    USED_WITHOUT_IMPORT,
    USED_WITHOUT_IMPORT_PREFIXES,
)

_CONDA_SYSTEM_PREFIXES = ("lib", "_", "cuda-", "r-", "font", "xorg-", "gst", "qt")


def conda_system_package(name: str) -> bool:
    """A conda package that is a library or tool, not something Python code imports."""
    n = normalise(name)
    return n in CONDA_SYSTEM or n.startswith(_CONDA_SYSTEM_PREFIXES)


_LOCAL_NAME_RE = re.compile(r"^(my_\w+|\w+_(utils?|helpers?|config|tools|funcs?|functions))$")

_PREFIXES = ("python-", "py-", "py")
_SUFFIXES = (
    "-python",
    "-py",
    "-binary",
    "-headless",
    "-contrib",
    "-cpu",
    "-gpu",
    "-core",
    "-client",
    "-sdk",
    "-lite",
    "-slim",
    "-skinny",
    "-nightly",
    "-wheel",
    "-macos",
    "-intel",
    "-pypi",
    "-full",
    "-base",
    "-learn",
    "-ppl",
    "-six",
    "-ng",
)
#: ``-cu110``, ``-cuda11x``, ``-cuda11-0`` (conda's ``dgl-cuda11.0`` normalised)
_CUDA_SUFFIX_RE = re.compile(r"-(cu|cuda)\d+(-\d+)?x?$")


@functools.lru_cache(maxsize=16384)
def normalise(name: str) -> str:
    """PEP 503 normal form (``Scikit_Learn`` -> ``scikit-learn``); asked for the same few
    hundred names thousands of times per run, hence the memo."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _flat(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@functools.lru_cache(maxsize=4096)
def name_variants(dist: str) -> frozenset[str]:
    """Import names a distribution may have by naming convention alone (flattened)."""
    d = normalise(dist)
    found = {d}
    changed = True
    while changed:
        changed = False
        for v in list(found):
            for prefix in _PREFIXES:
                if v.startswith(prefix) and len(v) > len(prefix) + 1:
                    changed |= _add(found, v[len(prefix) :].lstrip("-"))
            for suffix in _SUFFIXES:
                if v.endswith(suffix) and len(v) > len(suffix) + 1:
                    changed |= _add(found, v[: -len(suffix)])
            cuda = _CUDA_SUFFIX_RE.sub("", v)
            if cuda != v:
                changed |= _add(found, cuda)
    if d.startswith("scikit-"):
        found.add("sk" + d[len("scikit-") :])
    return frozenset(_flat(v) for v in found)


def _add(found: set[str], value: str) -> bool:
    if value and value not in found:
        found.add(value)
        return True
    return False


@functools.lru_cache(maxsize=1)
def installed_map() -> Mapping[str, tuple[str, ...]]:
    """``packages_distributions()`` of the running interpreter, read once and only when asked.
    The family reads it through :class:`mlnudge.checks.deps.facts.Installed` (cached per
    environment in the run's store); this is for callers without a run."""
    return packages_distributions()


#: the installed distributions' import names, read only when called
InstalledMap = Callable[[], Mapping[str, tuple[str, ...]]]


def provides(
    dist: str,
    module: str,
    extra: Mapping[str, tuple[str, ...]],
    *,
    use_installed: bool = True,
    installed: InstalledMap | None = None,
) -> bool:
    """Whether the distribution ``dist`` may provide the top-level module ``module``.

    The installed distributions' metadata (``installed``, default :func:`installed_map`) is
    asked last, only when nothing else says yes: reading it is the expensive part."""
    if provides_by_name(dist, module, extra):
        return True
    return use_installed and installed_provides(dist, module, installed or installed_map)


def provides_by_name(dist: str, module: str, extra: Mapping[str, tuple[str, ...]]) -> bool:
    """:func:`provides` without the installed metadata: names, tables and conventions."""
    d = normalise(dist)
    if d == normalise(module):
        return True
    for table in (extra, BUILTIN_IMPORT_NAMES):
        if any(normalise(x) == d for x in table.get(module, ())):
            return True
    prefixes = NAMESPACES.get(module)
    if prefixes and d.startswith(prefixes):
        return True
    return _flat(module) in name_variants(d)


def installed_provides(dist: str, module: str, installed: InstalledMap) -> bool:
    """Whether the installed metadata says ``dist`` provides ``module``."""
    d = normalise(dist)
    return any(normalise(x) == d for x in installed().get(module, ()))


def suggested_distribution(
    module: str,
    dotted: str,
    extra: Mapping[str, tuple[str, ...]],
    *,
    use_installed: bool,
    installed: InstalledMap | None = None,
) -> str:
    """The distribution to add for an undeclared import (``scikit-learn`` for ``sklearn``)."""
    if module in extra:
        return extra[module][0]
    if module not in NAMESPACES:  # `google` is filled by many distributions: use the dotted name
        tables = [(installed or installed_map)()] if use_installed else []
        for table in (*tables, BUILTIN_IMPORT_NAMES):
            found = table.get(module)
            if found:
                return found[0]
    else:
        parts = dotted.split(".")
        if dotted == "google.protobuf" or dotted.startswith("google.protobuf."):
            return "protobuf"
        deep = len(parts) > 2 and (module == "azure" or parts[1] == "cloud")
        return "-".join(parts[: 3 if deep else 2])
    return module


def similar(module: str, dist: str) -> bool:
    """Whether an import name reads like an abbreviation of a distribution name (``skopt`` of
    ``scikit-optimize``): used only to keep MLN410 and MLN411 from contradicting each other."""
    m = _flat(module)
    for d in name_variants(dist) | {_flat(dist)}:
        if len(m) >= 3 and len(d) >= 3 and m[0] == d[0]:
            short, long_ = (m, d) if len(m) <= len(d) else (d, m)
            it = iter(long_)
            if all(c in it for c in short):
                return True
    return False


def used_without_import(dist: str, configured: Iterable[str]) -> bool:
    """Distributions that are used although nobody imports them by name."""
    import fnmatch

    d = normalise(dist)
    if d in USED_WITHOUT_IMPORT or d.startswith(USED_WITHOUT_IMPORT_PREFIXES):
        return True
    if d.endswith("-stubs"):
        return True
    return any(fnmatch.fnmatchcase(d, normalise(pattern)) for pattern in configured)


def looks_local(module: str) -> bool:
    """A generic module name (``utils``, ``my_helpers``) that is a project's own file."""
    return module.lower() in GENERIC_LOCAL_NAMES or bool(_LOCAL_NAME_RE.match(module.lower()))
