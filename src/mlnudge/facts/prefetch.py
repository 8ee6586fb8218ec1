"""Cold runs in parallel: the declared per-file facts of many files, computed by worker processes.

Before the families run, every kind of facts they declare (``FamilySpec.file_facts``) that the
cache lacks for a file is computed, each file read and parsed once for all its kinds, by a pool
of forked workers; the parent stores the results, so the families find them ready. Workers
return facts, never syntax trees, so the parent's memory holds no tree of these files.

Below :data:`MIN_FILES` files to compute (a hook run, a warm run) or on a platform without
``fork`` nothing happens here and the families compute what they need as before.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from typing import Any

from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import Repo

#: the fewest files worth starting workers for: forking two workers and sending the results
#: back costs about as much as computing the facts of a few dozen files in the parent
MIN_FILES = 48
#: files handed to a worker at a time
CHUNK = 8

#: what the forked workers inherit: the repository (for reading and parsing) and the kinds
_INHERITED: list[tuple[Repo, tuple[FileFacts, ...]]] = []


def workers() -> int:
    """The processes a cold run may use: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def prefetch(store: Facts, kinds: Sequence[FileFacts], paths: Sequence[str]) -> int:
    """Compute the missing facts of ``paths`` in parallel; the number of files computed."""
    cache = store.cache
    if cache is None or not kinds or workers() < 2 or sys.platform == "win32":
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0  # pragma: no cover - macOS keeps fork, Windows has none
    unique = tuple(dict.fromkeys(kinds))
    jobs: list[tuple[str, tuple[int, ...]]] = []
    digests: dict[str, str] = {}
    for path in paths:
        wanted = [i for i, kind in enumerate(unique) if path.endswith(kind.suffixes)]
        if not wanted:
            continue
        digest = cache.digest(store.repo, path)
        store.repo.forget(path)  # the parent does not keep the bytes it hashed
        if digest is None:
            continue
        missing = tuple(
            i for i in wanted if not cache.has(store.facts_key(unique[i], path, digest))
        )
        if missing:
            jobs.append((path, missing))
            digests[path] = digest
    if len(jobs) < MIN_FILES:
        return 0
    _INHERITED[:] = [(store.repo, unique)]
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers(), max(1, len(jobs) // CHUNK))) as pool:
            for path, results, errors in pool.imap_unordered(_work, jobs, chunksize=CHUNK):
                for index, value in results:
                    key = store.facts_key(unique[index], path, digests[path])
                    cache.put_facts(key, {"v": value, "e": errors})
    finally:
        _INHERITED.clear()
    return len(jobs)


def _work(job: tuple[str, tuple[int, ...]]) -> tuple[str, list[tuple[int, Any]], list[Any]]:
    """In a worker: read and parse one file once, compute its missing kinds of facts."""
    repo, kinds = _INHERITED[0]
    path, wanted = job
    results: list[tuple[int, Any]] = []
    parsed: Any = None
    text: Any = None
    for index in wanted:
        kind = kinds[index]
        try:
            if kind.text:
                text = repo.text(path) if text is None else text
                source = text
            else:
                parsed = repo.python(path) if parsed is None else parsed
                source = parsed
            value = None if source is None else kind.compute(source)
        except Exception:  # the family computes it again and reports the bug in its own name
            continue
        results.append((index, value))
    errors = [[e.kind, e.message, e.line] for e in repo.errors if e.path == path]
    repo.forget(path)
    return path, results, errors
