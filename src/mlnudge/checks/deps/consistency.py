"""Declarations against each other: locks in sync with the ranges they record, ranges that
cannot be installed together, and ranges that exclude what a ``pip freeze`` dump recorded.

Part of the deps family (:mod:`mlnudge.checks.deps`); ``packaging`` is imported inside the
functions, off the hook path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from mlnudge.checks.base import CheckContext
from mlnudge.checks.deps.collect import Collected
from mlnudge.checks.deps.credentials import redact
from mlnudge.checks.deps.ranges import bounds, overlap
from mlnudge.checks.deps.rules import CONFLICT, LOCK_OUT_OF_SYNC, MISSING_FROM_LOCK
from mlnudge.checks.deps.urls import vcs_pinned
from mlnudge.finding import Finding

if TYPE_CHECKING:
    from mlnudge.checks.deps.model import Dep, Manifest


def lock_sync(
    ctx: CheckContext, collected: Collected, ignore: frozenset[str], self_names: frozenset[str]
) -> Iterator[Finding]:
    from packaging.version import InvalidVersion, Version

    if not ctx.any_enabled(LOCK_OUT_OF_SYNC.code, MISSING_FROM_LOCK.code):
        return
    by_path = {m.path: m for m in collected.manifests}
    for lock in collected.locks:
        for covered in lock.covers:
            manifest = by_path.get(covered)
            if manifest is None:
                continue
            for dep in manifest.deps:
                if dep.error or not dep.name or dep.name_guessed or dep.local:
                    continue
                # a URL or VCS dependency has no range to compare, but a lock records it by
                # name all the same: only its absence can be told (an unpinned one is MLN408's
                # first: pinning it comes before locking it)
                if dep.spec is None and dep.url is None:
                    continue
                policy = ctx.options.str("vcs-ref")
                if dep.url is not None and not vcs_pinned(dep.url, dep.ref, policy):
                    continue
                if dep.name in ignore or dep.name in self_names:
                    continue
                versions = lock.versions.get(dep.name)
                anchor = f"{dep.path}:{dep.name}"
                if versions is None:
                    if dep.marker and not lock.universal:
                        continue  # pip-compile resolves markers for one platform only
                    if ctx.enabled(MISSING_FROM_LOCK.code):
                        yield MISSING_FROM_LOCK.finding(
                            dep.path,
                            f"`{redact(dep.text)}` is declared but {lock.path} has no entry for "
                            f"it; re-generate the lock.",
                            line=dep.line,
                            end_line=dep.end_line,
                            anchor=f"missing-from-lock:{anchor}",
                            details={"lock": lock.path},
                        )
                    continue
                if dep.spec is None:
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
                        f"`{redact(dep.text)}`; re-generate the lock or correct the range.",
                        line=dep.line,
                        end_line=dep.end_line,
                        anchor=f"lock-sync:{anchor}",
                        details={"lock": lock.path, "locked": shown},
                    )


# -- conflicts -------------------------------------------------------------------------------


def environments(manifests: Iterable[Manifest], *, by_directory: bool = True) -> dict[str, str]:
    """Which declarations are installed together: those in one directory, and those joined by
    an include (``-r``, ``-c``, ``file:``). Maps each manifest path to its environment's key.

    Separate directories are separate images or services (``docker/cpu`` and ``docker/gpu``,
    a monitoring service beside the training code): their ranges may differ on purpose."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for manifest in manifests:
        folder = manifest.path.rsplit("/", 1)[0] if "/" in manifest.path else ""
        union(manifest.path, "dir:" + folder if by_directory else manifest.path)
        for include in manifest.includes:
            union(manifest.path, include.target)
    return {path: find(path) for path in list(parent) if not path.startswith("dir:")}


def _builds_of_one_release(a: Dep, b: Dep) -> bool:
    """``torch==2.8.0+cpu`` and ``torch==2.8.0+cu128``: two builds of one release (local
    version labels), alternatives for two machines rather than a conflict."""
    from packaging.version import InvalidVersion, Version

    ea, eb = bounds(a.spec).exact if a.spec else None, bounds(b.spec).exact if b.spec else None
    if ea is None or eb is None:
        return False
    try:
        return Version(ea).public == Version(eb).public
    except InvalidVersion:
        return False


def conflicts(collected: Collected, ignore: frozenset[str]) -> Iterator[Finding]:
    groups: dict[tuple[str, str, str], list[Dep]] = {}
    env = environments(collected.manifests)
    linked = environments(collected.manifests, by_directory=False)
    for manifest in collected.manifests:
        for dep in manifest.deps:
            if dep.error or dep.url or not dep.name or dep.spec is None or not len(dep.spec):
                continue
            if dep.name in ignore:
                continue
            groups.setdefault((dep.name, dep.marker, env[manifest.path]), []).append(dep)
    for manifest in collected.frozen:  # a lock file conflicts only with itself
        for dep in manifest.deps:
            if dep.error or dep.url or not dep.name or dep.spec is None or not len(dep.spec):
                continue
            if dep.name not in ignore:
                groups.setdefault((dep.name, dep.marker, "frozen:" + manifest.path), []).append(dep)
    yield from _excluded_records(collected, groups)
    for (name, _marker, _env), deps in sorted(groups.items()):
        deps.sort(key=lambda d: (d.path, d.line or 0))
        reported: set[int] = set()
        for i, later in enumerate(deps):
            for earlier in deps[:i]:
                # one table of one file names a package once (a second key there is the
                # parser's business); a requirements file may list it twice, and pip then
                # refuses the file
                requirements_file = earlier.source == earlier.path
                same_table = (earlier.path, earlier.source, earlier.group) == (
                    later.path,
                    later.source,
                    later.group,
                )
                if (same_table and not requirements_file) or i in reported:
                    continue
                assert earlier.spec is not None and later.spec is not None
                if overlap(earlier.spec, later.spec) or _builds_of_one_release(earlier, later):
                    continue
                # two exact pins in files side by side that do not include each other record
                # two environments (the tests' and the runtime's), not one
                both_pinned = bounds(earlier.spec).exact and bounds(later.spec).exact
                if both_pinned and linked.get(earlier.path) != linked.get(later.path):
                    continue
                reported.add(i)
                where = f"{earlier.path}:{earlier.line}" if earlier.line else earlier.path
                yield CONFLICT.finding(
                    later.path,
                    f"`{redact(later.text)}` does not overlap `{redact(earlier.text)}` "
                    f"declared in {where}; no version of {name} satisfies both.",
                    line=later.line,
                    end_line=later.end_line,
                    anchor=f"conflict:{later.path}:{name}:{earlier.path}",
                    details={"other": earlier.path, "other_line": earlier.line},
                )


def _excluded_records(
    collected: Collected, groups: Mapping[tuple[str, str, str], list[Dep]]
) -> Iterator[Finding]:
    """A declared range that excludes the version a ``pip freeze`` dump of the same folder
    records: the dump is what that environment ran with, so the two cannot describe one
    environment (``grpcio = "^1.63"`` in ``pyproject.toml`` beside ``grpcio==1.62.2``)."""
    env = environments([*collected.manifests, *collected.frozen])
    for frozen in collected.frozen:
        for record in frozen.deps:
            if record.error or record.url or not record.name or record.spec is None:
                continue
            pinned = bounds(record.spec).exact
            if pinned is None:
                continue
            key = (record.name, record.marker, env.get(frozen.path, frozen.path))
            for dep in groups.get(key, ()):
                assert dep.spec is not None
                if dep.dev or bounds(dep.spec).exact or dep.spec.contains(pinned, prereleases=True):
                    continue
                yield CONFLICT.finding(
                    dep.path,
                    f"`{redact(dep.text)}` excludes {pinned}, the version "
                    f"{frozen.path}:{record.line} records for this environment (a `pip freeze` "
                    "dump); the declaration and the record no longer describe one environment.",
                    line=dep.line,
                    end_line=dep.end_line,
                    fix=(
                        f"Widen the range to admit {pinned}, or re-create {frozen.path} from an "
                        "environment installed from the declaration."
                    ),
                    anchor=f"conflict:{dep.path}:{record.name}:{frozen.path}",
                    details={"other": frozen.path, "other_line": record.line},
                )
