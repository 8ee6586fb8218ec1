"""Cold runs in parallel: the declared per-file facts of many files, computed by worker processes.

Before the families run, every kind of facts they declare (``FamilySpec.file_facts``) that the
cache lacks for a file is computed, each file read and parsed once for all its kinds, by a pool
of forked workers; the parent stores the results, so the families find them ready. Workers
return facts, never syntax trees, so the parent's memory holds no tree of these files.

Below :data:`MIN_FILES` files to compute (a hook run, a warm run) or on a platform without
``fork`` nothing happens here and the families compute what they need as before.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import PyModule, Repo
from mlnudge.facts.store import encode, finding_from_cache, finding_to_cache
from mlnudge.finding import Finding

#: the fewest files worth starting workers for: forking two workers and sending the results
#: back costs about as much as computing the facts of a few dozen files in the parent
MIN_FILES = 48
#: files handed to a worker at a time
CHUNK = 8

#: a worker collects cyclic garbage after this many files (the run keeps the collector off,
#: and without it the cycles analyses leave behind pile up over hundreds of files)
COLLECT_EVERY = 16

#: what the forked workers inherit, set in the parent just before the pool forks: the
#: repository (for reading and parsing), and the kinds of facts or the findings jobs
_INHERITED: dict[str, Any] = {}


def workers() -> int:
    """The processes a cold run may use: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def prefetch(store: Facts, kinds: Sequence[FileFacts], paths: Sequence[str]) -> int:
    """Compute the missing facts of ``paths`` in parallel; the number of files computed."""
    cache = store.cache
    if cache is None or not kinds or not _can_fork():
        return 0
    unique = tuple(dict.fromkeys(kinds))
    candidates = [
        (path, [i for i, kind in enumerate(unique) if path.endswith(kind.suffixes)])
        for path in paths
    ]
    candidates = [(path, wanted) for path, wanted in candidates if wanted]
    if len(candidates) < MIN_FILES:
        return 0  # not worth workers, whatever the cache holds: nothing read here
    jobs: list[tuple[str, tuple[int, ...]]] = []
    digests: dict[str, str] = {}
    for path, wanted in candidates:
        digest = cache.digest(store.repo, path)
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
    _INHERITED.update(repo=store.repo, kinds=unique)
    try:
        with _pool(len(jobs)) as pool:
            for path, results in pool.imap_unordered(_work, jobs, chunksize=CHUNK):
                for index, text in results:
                    key = store.facts_key(unique[index], path, digests[path])
                    cache.put_encoded(key, text)
                # the bytes read for the digest: a family that wants the text reads it again
                store.repo.forget(path)
    finally:
        _INHERITED.clear()
    return len(jobs)


def _work(job: tuple[str, tuple[int, ...]]) -> tuple[str, list[tuple[int, str]]]:
    """In a worker: read and parse one file once, compute its missing kinds of facts, and
    hand each over as the JSON text the cache stores (the parent decodes a kind only when a
    family reads it, and never holds the whole repository's facts decoded)."""
    repo: Repo = _INHERITED["repo"]
    kinds: tuple[FileFacts, ...] = _INHERITED["kinds"]
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
    _tidy()
    return path, [(index, encode({"v": value, "e": errors})) for index, value in results]


def _tidy() -> None:
    """In a worker, after each file: now and then, free the cycles the analysis left.

    The parent froze its own objects before forking (:func:`_pool`), so a collection looks
    only at what this worker allocated, and touching the inherited pages (copying them) is
    avoided."""
    count = _INHERITED.get("done", 0) + 1
    _INHERITED["done"] = count
    if count % COLLECT_EVERY == 0:
        gc.collect()


#: one file's findings to compute: its path, the analysis, and what else its result depends
#: on (``extra`` of :meth:`Facts.findings`; in a worker's list: the cache key)
FindingsJob = tuple[str, Callable[[PyModule], list[Finding]], str]


def findings_many(store: Facts, family: str, jobs: Sequence[FindingsJob]) -> list[list[Finding]]:
    """Each job's ``store.findings(path, family, compute, extra)``, in order; when many files
    miss the cache, their analysis runs in forked workers (parsing included)."""
    cache = store.cache
    results: list[list[Finding] | None] = [None] * len(jobs)
    misses: list[tuple[int, str]] = []
    for index, (path, _, extra) in enumerate(jobs):
        key = store.findings_key(path, family, extra)
        if key == "":
            results[index] = []
        elif key is None:
            misses.append((index, ""))
        else:
            results[index] = store.cached_findings(path, key)
            if results[index] is None:
                misses.append((index, key))
    if cache is not None and len(misses) >= MIN_FILES and _can_fork():
        work = [(jobs[i][0], jobs[i][1], key) for i, key in misses]
        _INHERITED.update(repo=store.repo, jobs=work)
        try:
            with _pool(len(work)) as pool:
                done = pool.imap(_analyse, range(len(work)), chunksize=CHUNK)
                for (index, key), (found, errors) in zip(misses, done, strict=True):
                    if found is None:
                        continue  # it raised: computed again below, to report the bug
                    cache.put_facts(key, {"f": found, "e": errors})
                    path = jobs[index][0]
                    for kind, message, line in errors:
                        store.repo.error(path, kind, message, line)
                    results[index] = [finding_from_cache(item) for item in found]
        finally:
            _INHERITED.clear()
    return [
        found if found is not None else store.findings(path, family, compute, extra)
        for found, (path, compute, extra) in zip(results, jobs, strict=True)
    ]


@contextlib.contextmanager
def _pool(jobs: int) -> Iterator[Any]:
    """A pool of forked workers for ``jobs`` files: as many as the CPUs, a chunk each at least.

    The parent's objects are frozen while the pool lives (``gc.freeze``): the workers' own
    collections (:func:`_tidy`) then never walk, and so never copy, the memory they share."""
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(
            min(workers(), max(1, jobs // CHUNK))
        ) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _can_fork() -> bool:
    """Workers are worth it and possible: two CPUs or more, and ``fork`` (not on Windows)."""
    return (
        workers() >= 2
        and sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _analyse(index: int) -> tuple[list[Any] | None, list[Any]]:
    """In a worker: parse one file and run the analysis of job ``index`` on it."""
    repo: Repo = _INHERITED["repo"]
    path, compute, _ = _INHERITED["jobs"][index]
    module = repo.python(path)
    try:
        found = [] if module is None else compute(module)
    except Exception:
        found = None
    errors = [[e.kind, e.message, e.line] for e in repo.errors if e.path == path]
    repo.forget(path)
    _tidy()
    return (None if found is None else [finding_to_cache(f) for f in found]), errors
