"""MLN408: Git and URL dependencies that do not point at a fixed commit, tag or versioned
file, and lines that point at a folder of the machine that wrote them."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from mlnudge.checks.deps.credentials import redact
from mlnudge.checks.deps.rules import UNPINNED_VCS

if TYPE_CHECKING:
    from mlnudge.checks.deps.model import Dep
    from mlnudge.finding import Finding

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


def unpinned_url(dep: Dep, ignore: Collection[str], policy: str) -> Iterator[Finding]:
    """MLN408 for a Git or URL dependency that does not name a fixed commit, tag or file."""
    assert dep.url is not None
    if dep.name in ignore:
        return
    if vcs_pinned(dep.url, dep.ref, policy):
        return
    what = "commit" if policy == "commit" else "commit or release tag"
    label = dep.name or redact(dep.url)
    if dep.source.startswith("[tool.poetry"):
        fix = 'Add `rev = "<commit>"` (or `tag = "v1.2.0"`) to its table instead of `branch`.'
    elif dep.path.rsplit("/", 1)[-1] == "Pipfile":
        fix = 'Set `ref = "<commit>"` (or a release tag) in its table.'
    elif dep.url.startswith(_VCS_PREFIXES):
        fix = "End the URL with the commit or tag: `git+https://host/org/pkg.git@<commit>`."
    else:
        fix = "Point at a versioned file (a release archive or wheel) or add `#sha256=<hash>`."
    yield UNPINNED_VCS.finding(
        dep.path,
        f"`{redact(dep.text)}` does not point at a fixed {what}; the code it installs can "
        "change under you.",
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"vcs:{dep.path}:{label}",
        fix=fix,
        details={"source": dep.source},
    )


def machine_path_finding(dep: Dep) -> Finding:
    """MLN408 for a line that points at a folder of the machine that wrote it: ``pip freeze``
    in a conda environment writes ``attrs @ file:///tmp/build/.../work``."""
    assert dep.url is not None
    label = dep.name or redact(dep.url)
    return UNPINNED_VCS.finding(
        dep.path,
        f"`{redact(dep.text)}` points at a folder on the machine that wrote this file; "
        "installing it anywhere else fails.",
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"machine-path:{dep.path}:{label}",
        fix=(
            f"Write the version instead: `{dep.name or 'pkg'}==<version>`. In a conda "
            "environment `pip list --format=freeze` writes versions where `pip freeze` writes "
            "build paths."
        ),
        details={"source": dep.source},
    )
