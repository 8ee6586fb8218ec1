"""Which mlnudge computed a cached entry.

A release is named by its version: the per-file store is discarded when the version changes.
A source tree (an editable install, a checkout on ``PYTHONPATH``) keeps its version while its
code changes, so there the store is also keyed by a digest of mlnudge's own modules: an edited
rule never serves facts or findings an older one computed. The digest is of contents, not
modification times, so a fresh checkout of the same commit keeps its cache.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

#: the files that make up mlnudge's behaviour (code and its bundled tables)
_SUFFIXES = (".py", ".json", ".yaml", ".toml")
#: folders an installed distribution lives in: there the version names the code
_INSTALLED = frozenset({"site-packages", "dist-packages"})


@cache
def code_identity(package: str) -> str:
    """``""`` for an installed release; for a source tree, a digest of every module's path and
    contents below ``package``."""
    parts = os.path.normpath(os.path.abspath(package)).split(os.sep)
    if _INSTALLED.intersection(parts):
        return ""
    h = hashlib.blake2b(digest_size=12)
    for directory, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(_SUFFIXES):
                continue
            full = os.path.join(directory, name)
            try:
                with open(full, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            h.update(os.path.relpath(full, package).encode("utf-8", "surrogateescape"))
            h.update(b"\0")
            h.update(hashlib.blake2b(data, digest_size=12).digest())
    return h.hexdigest()
