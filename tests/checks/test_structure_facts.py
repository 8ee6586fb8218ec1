"""The structure family and project detection on the facts layer: a warm run reads and parses
no Python file, a hook run only the files it was given, and every run reports what a run
without cache reports (findings, errors, the readiness items and the profile)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import ROOT, FileAccess, load_script, notebook, write_tree

from mlnudge import __version__
from mlnudge.checks.structure import assess, structure_state
from mlnudge.config import build_config, load_config
from mlnudge.facts.access import Facts
from mlnudge.facts.repo import Repo
from mlnudge.facts.store import FileCache
from mlnudge.project import detect, production_training_scripts
from mlnudge.report.model import Report
from mlnudge.runner import run

TEST = "def test_it():\n    assert True\n"

#: a published-looking package (setup.py with classifiers) whose package holds a training
#: script run as ``__main__``: detection reads setup.py and the script, structure the tests
PUBLISHED: dict[str, str | bytes] = {
    "README.md": "# geo\n",
    "setup.py": "from setuptools import setup\n\nsetup(name='geo', classifiers=['X'])\n",
    "geo/__init__.py": "",
    "geo/models/__init__.py": "",
    "geo/models/train_model.py": "def main():\n    pass\n\n\nif __name__ == '__main__':\n    main()\n",
    "geo/distance.py": "def haversine():\n    pass\n",
    "tests/test_distance.py": TEST,
    "tests/test_helpers.py": "def helper():\n    return 1\n",
    "tests/test_broken.py": "def test_x(:\n",
}
#: loose scripts that train without saying so in their names, a stray notebook that trains, a
#: setup.py that declares single modules
SCRIPTS: dict[str, str | bytes] = {
    "setup.py": "from setuptools import setup\n\nsetup(name='s', py_modules=['model'])\n",
    "model.py": "from sklearn.linear_model import LinearRegression\n\n"
    "LinearRegression().fit([[1]], [1])\n",
    "report.py": "print('no training here')\n",
    "analysis.ipynb": notebook(
        'import xgboost as xgb\nm = xgb.train({}, None)\nsub.to_csv("submission.csv")'
    ),
    "tests/test_model.py": TEST,
}


def _age(root: Path) -> None:
    """Date every file an hour back: the cache trusts the recorded digest of a file only when
    it is older than the clock's resolution (a file written in the same instant may change)."""
    stamp = time.time() - 3600
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (stamp, stamp))


def _summary(report: Report) -> tuple[Any, ...]:
    return (report.findings, report.errors, report.structure, report.profile)


def _run(root: Path, *, use_cache: bool = True, targets: list[str] | None = None) -> Report:
    return run(
        root, load_config(root), families=["structure"], use_cache=use_cache, targets=targets
    )


@pytest.mark.parametrize("tree", [PUBLISHED, SCRIPTS], ids=["published", "scripts"])
def test_warm_run_reads_no_python_file_and_reports_the_same(
    tmp_path: Path, tree: Mapping[str, str | bytes]
) -> None:
    write_tree(tmp_path, dict(tree))
    _age(tmp_path)
    cold = _run(tmp_path, use_cache=False)
    with FileAccess() as filling:
        first = _run(tmp_path)
    with FileAccess() as warm_access:
        warm = _run(tmp_path)
    assert _summary(first) == _summary(cold)
    assert _summary(warm) == _summary(cold)
    # the first run read the Python files detection and structure look at...
    assert filling.read_python()
    # ...the warm one none: the runner's own syntax check still opens notebooks (not a
    # family's reading), so only those may appear
    notebooks = {rel for rel in tree if rel.endswith(".ipynb")}
    assert warm_access.read_python() <= notebooks
    assert set(warm_access.parsed) <= notebooks


def test_fixture_exercises_every_reader(tmp_path: Path) -> None:
    """The fixtures above reach each place that used to read a Python file: a setup.py's
    markers, a ``__main__`` block, test modules (one unparseable), training calls in scripts
    and in a notebook."""
    published = _run(write_tree(tmp_path / "p", dict(PUBLISHED)), use_cache=False)
    project = detect(Repo.discover(tmp_path / "p", build_config({})))
    assert project.profile == "application" and "train_model.py" in project.profile_reason
    assert published.structure["tests"] is True
    assert any(e.path == "tests/test_broken.py" and e.kind == "syntax" for e in published.errors)
    scripts = _run(write_tree(tmp_path / "s", dict(SCRIPTS)), use_cache=False)
    params = [f for f in scripts.findings if f.rule == "MLN103"]
    assert params and "model.py" in params[0].message and "analysis.ipynb" in params[0].message
    assert scripts.structure["package"] is True  # py_modules in setup.py


def test_detection_and_assessment_read_nothing_once_facts_are_cached(tmp_path: Path) -> None:
    """Straight through the API, notebooks included: with facts cached, neither detection nor
    the structure assessment opens a Python file or a notebook."""
    write_tree(tmp_path, dict(SCRIPTS))
    _age(tmp_path)
    config = build_config({})

    def once() -> tuple[Any, ...]:
        cache = FileCache(tmp_path / "cache", salt="s", version=__version__)
        repo = Repo.discover(tmp_path, config)
        store = Facts(repo, cache)
        project = detect(repo, store)
        items = assess(repo, project, config, store)
        training = production_training_scripts(repo, store)
        cache.save(prune=True)
        return project, items, training, tuple(repo.errors)

    cold = once()
    with FileAccess() as access:
        warm = once()
    assert access.read == [] and access.parsed == []
    assert warm == cold
    # without facts: the same answers, from the files
    repo = Repo.discover(tmp_path, config)
    project = detect(repo)
    assert project == cold[0]
    assert production_training_scripts(repo) == cold[2]
    assert structure_state(repo, project, config) == {i.name: i.present for i in cold[1]}


def _hook_after_edits(root: Path, edits: Mapping[str, str], *, changes: bool = True) -> None:
    """Fill the cache, edit files, run the hook on them: only they are read and parsed, and
    the report is the one a run without cache gives."""
    _age(root)
    _run(root)  # fills the cache
    before = _run(root)
    for rel, text in edits.items():
        (root / rel).write_text(text, encoding="utf-8")
    changed = sorted(edits)
    with FileAccess() as access:
        hook = _run(root, targets=changed)
    assert access.read_python() <= set(changed)
    assert set(access.parsed) <= set(changed)
    assert _summary(hook) == _summary(_run(root, use_cache=False, targets=changed))
    if changes:  # what depends on the edited files was recomputed, not served from the cache
        assert _summary(hook) != _summary(before)
    # and a full cached run afterwards agrees with a full run without cache
    assert _summary(_run(root)) == _summary(_run(root, use_cache=False))


def test_hook_run_after_editing_two_files_reads_only_those(tmp_path: Path) -> None:
    write_tree(tmp_path, dict(SCRIPTS))
    _hook_after_edits(
        tmp_path,
        {
            # the only test module loses its test: the tests item flips
            "tests/test_model.py": "def helper():\n    return 1\n",
            # the script stops training: the parameter-file finding lists one file fewer
            "model.py": "print('no training any more')\n",
        },
    )


def _corpus() -> Any:
    return load_script(ROOT / "benchmarks" / "corpus.py", "bench_corpus")


@pytest.mark.slow
def test_generated_repository_warm_and_hook(tmp_path: Path) -> None:
    corpus = _corpus()
    root = tmp_path / "gen"
    corpus.generate(root, files=60)
    _age(root)
    cold = _run(root, use_cache=False)
    _run(root)
    with FileAccess() as access:
        warm = _run(root)
    assert _summary(warm) == _summary(cold)
    notebooks = {str(p.relative_to(root)) for p in root.rglob("*.ipynb")}
    assert access.read_python() <= notebooks and set(access.parsed) <= notebooks
    tests = sorted(p.name for p in (root / "tests").glob("test_*.py"))
    assert tests
    _hook_after_edits(
        root,
        {
            f"tests/{tests[0]}": "def helper():\n    return 1\n",
            "scripts/train_0.py": "print('retired')\n",
        },
        changes=False,
    )
