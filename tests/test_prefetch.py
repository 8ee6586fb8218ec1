"""Cold runs compute the declared per-file facts in worker processes (mlnudge.facts.prefetch).

The parallel run must report exactly what a sequential one does, and the facts the workers
computed must be the ones the families read (the parent does not compute them again).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from mlnudge_testing import ROOT, FileAccess, load_script, write_tree

from mlnudge.config import build_config
from mlnudge.facts import prefetch
from mlnudge.facts.access import Facts
from mlnudge.facts.repo import Repo
from mlnudge.facts.store import FileCache
from mlnudge.report import render
from mlnudge.runner import run

pytestmark = pytest.mark.skipif(prefetch.workers() < 2, reason="one CPU: no workers to start")


def _corpus() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "corpus.py", "bench_corpus")


def _report(root: Path, use_cache: bool) -> dict[str, object]:
    report = json.loads(render(run(root, build_config({}), use_cache=use_cache), "json"))
    summary = report["summary"]
    assert isinstance(summary, dict)
    summary.pop("duration_s")
    return report


def test_parallel_cold_run_reports_what_a_sequential_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    _corpus().generate(root, files=240)
    # a file that does not parse, and one that is not UTF-8: their errors come from workers
    write_tree(root, {"src/shopml/broken.py": "def f(:\n", "scripts/latin.py": b"x = '\xe9'\n"})
    parallel = _report(root, use_cache=False)
    monkeypatch.setattr(prefetch, "MIN_FILES", 10**9)
    sequential = _report(root, use_cache=False)
    assert parallel == sequential
    assert parallel["findings"] and parallel["errors"]


def test_prefetched_facts_are_the_ones_the_families_read(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    _corpus().generate(root, files=200)
    repo = Repo.discover(root, build_config({}))
    cache = FileCache(tmp_path / "cache", salt="s", version="v", persistent=False)
    store = Facts(repo, cache)
    from mlnudge.checks.structure import SPEC as STRUCTURE
    from mlnudge.checks.transforms import SPEC as TRANSFORMS

    kinds = [*STRUCTURE.file_facts, *TRANSFORMS.file_facts]
    computed = prefetch.prefetch(store, kinds, repo.files)
    assert computed >= prefetch.MIN_FILES
    python = [p for p in repo.files if p.endswith(".py")]
    with FileAccess() as access:
        for path in python:
            for kind in kinds:
                if path.endswith(kind.suffixes):
                    store.get(path, kind)
    assert access.parsed == []
    # and they equal what the parent computes itself
    fresh = Facts(Repo.discover(root, build_config({})), None)
    for path in python[:20]:
        for kind in kinds:
            assert store.get(path, kind) == fresh.get(path, kind)


def test_few_files_are_not_worth_workers(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"m{i}.py": f"x = {i}\n" for i in range(5)})
    repo = Repo.discover(tmp_path, build_config({}))
    store = Facts(repo, FileCache(tmp_path / "c", salt="s", version="v", persistent=False))
    from mlnudge.checks.transforms import SPEC as TRANSFORMS

    assert prefetch.prefetch(store, TRANSFORMS.file_facts, repo.files) == 0


def test_facts_no_family_reads_survive_the_prune(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kind declared for every file but read for a few stays cached: a second warm run has
    nothing to compute (it once computed the rest again on every other run)."""
    import mlnudge.runner

    root = tmp_path / "repo"
    root.mkdir()
    _corpus().generate(root, files=200)
    computed: list[int] = []

    def counting(*args: object) -> int:
        n = prefetch.prefetch(*args)  # type: ignore[arg-type]
        computed.append(n)
        return n

    monkeypatch.setattr(mlnudge.runner, "prefetch", counting)
    for _ in range(3):
        run(root, build_config({}))
    assert computed[0] >= prefetch.MIN_FILES
    assert computed[1:] == [0, 0]
