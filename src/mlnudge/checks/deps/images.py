"""Images: the packages a Dockerfile installs without a pin, or from ranges a lock records.

Part of the deps family (:mod:`mlnudge.checks.deps`); ``packaging`` is imported inside the
functions, off the hook path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from mlnudge.checks.base import CheckContext
from mlnudge.checks.deps.collect import Collected
from mlnudge.checks.deps.rules import UNBOUNDED, UNPINNED_VCS
from mlnudge.checks.deps.urls import unpinned_url
from mlnudge.finding import Finding


def image_installs(
    ctx: CheckContext,
    collected: Collected,
    known: Mapping[str, str],
    covered: set[str],
    ignore: frozenset[str],
) -> Iterator[Finding]:
    """``pip install`` lines of an image that nothing pins (no ``==``, lock or constraints)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    from mlnudge.checks.deps import docker as dd
    from mlnudge.checks.deps.model import pep508_dep

    locks = set(collected.compiled) | {lk.path for lk in collected.locks if lk.covers == (lk.path,)}
    for cmd in collected.images:
        if cmd.constrained:
            continue
        loose: list[tuple[str, str, int, str]] = []  # (as written, name, line, physical)
        for arg, (line, physical) in zip(cmd.packages, cmd.places, strict=True):
            if dd.is_remote(arg) and ctx.enabled(UNPINNED_VCS.code):
                # `pip install git+https://github.com/org/pkg`: whatever the branch holds
                dep = pep508_dep(arg, path=cmd.path, source="image", line=line)
                yield from unpinned_url(dep, ignore, ctx.options.str("vcs-ref"))
            if dd.is_local_or_url(arg) or "$" in arg:
                continue
            try:
                req = Requirement(arg)
            except InvalidRequirement:
                continue
            canon = str(canonicalize_name(req.name))
            if canon in dd.BOOTSTRAP or canon in ignore or req.url:
                continue
            if not any(s.operator in ("==", "===") for s in req.specifier):
                loose.append((arg, canon, line, physical))
        for written, canon, line, physical in loose:
            yield _docker_unpinned(known, cmd.path, written, canon, line=line, physical=physical)
        if loose:
            continue
        here = cmd.path.rsplit("/", 1)[0] + "/" if "/" in cmd.path else ""
        for written in cmd.requirements:
            target = _resolve_in_repo(written, here, ctx.repo.files)
            # only when a lock records this very declaration is there a better file to
            # install; a lock of another component (a service's Pipfile.lock) says nothing
            # about it, and a declaration nothing locks is structure's MLN109
            if target is None or target in locks or target not in covered:
                continue
            yield UNBOUNDED.finding(
                cmd.path,
                f"The image installs `-r {written}`, which declares ranges, while a lock "
                "records exact versions for it; builds of the image are not pinned by it.",
                line=cmd.line,
                anchor=f"docker:{cmd.path}:-r {written}",
                fix=(
                    "Install from the lock (`pip install -r requirements.lock`, "
                    "`uv sync --frozen`, `poetry install`), or add `-c <lock>`."
                ),
                details={"source": "Dockerfile", "requirements": target},
            )


def _docker_unpinned(
    known_versions: Mapping[str, str],
    path: str,
    written: str,
    name: str,
    *,
    line: int,
    physical: str,
) -> Finding:
    """One finding per package an image installs without a pin (each is its own fix)."""
    known = known_versions.get(name)
    plain = re.fullmatch(r"[A-Za-z0-9._-]+(\[[^\]]*\])?", written)
    pattern = re.compile(r"(?<![\w.=<>~!/-])" + re.escape(written) + r"(?![\w.=<>~!/-])")
    suggestion = None
    if known and plain and len(pattern.findall(physical)) == 1:
        suggestion = pattern.sub(f"{written}=={known}", physical)
    return UNBOUNDED.finding(
        path,
        f"The image installs `{name}` without a pin, a lock or a constraints file: every "
        "build may get a different version.",
        line=line,
        anchor=f"docker:{path}:{name}",
        suggestion=suggestion,
        fix=(
            f"Pin the version the image needs (`{name}=={known or 'X.Y.Z'}`), or install from "
            "a lock (`pip install -r requirements.lock`) or with a constraints file "
            "(`-c constraints.txt`)."
        ),
        details={"source": "Dockerfile"},
    )


def _resolve_in_repo(written: str, here: str, files: Iterable[str]) -> str | None:
    """The repository file a ``-r`` argument inside an image most likely is (by its path
    relative to the Dockerfile, then the root, then any file with that name)."""
    rel = written.lstrip("./").split("/", 1)[-1] if written.startswith("/") else written
    rel = rel.removeprefix("./")
    pool = list(files)
    for candidate in (here + rel, rel):
        if candidate in pool:
            return candidate
    base = rel.rsplit("/", 1)[-1]
    matches = [f for f in pool if f == base or f.endswith("/" + base)]
    return matches[0] if len(matches) == 1 else None
