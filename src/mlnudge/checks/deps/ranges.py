"""Version ranges: the lower and upper bound, exact pin and narrow ``~=`` of a specifier set,
and the next breaking release of a version (``packaging`` is imported only when used)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.specifiers import Specifier, SpecifierSet
    from packaging.version import Version


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


#: extras and dependency groups of the documentation build
DOCS_GROUPS = frozenset({"doc", "docs", "documentation", "sphinx", "mkdocs"})


def docs_group(group: str) -> bool:
    """``docs``, ``doc``, ``docs-build``, ``documentation``: the documentation build's group,
    whose pins and caps are information only (docs/deps.md)."""
    name = re.sub(r"[-_.]+", "-", group.lower())
    return name in DOCS_GROUPS or name.split("-", 1)[0] in DOCS_GROUPS


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
