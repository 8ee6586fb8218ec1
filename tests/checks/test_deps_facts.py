"""The deps family on the per-file facts layer: what it records per file, and its promises.

A warm run (cache filled, nothing changed) reads and parses no Python file for the family; a
hook run after editing two files reads and parses only those; every run reports what a run
without cache reports. The installed distributions' metadata is read only for an import
nothing else explains, and once per environment.
"""

from __future__ import annotations

import ast
import os
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from mlnudge_testing import ROOT, FileAccess, git_repo, load_script, notebook

from mlnudge.checks import deps as deps_family
from mlnudge.checks.base import CheckContext
from mlnudge.checks.deps import facts as deps_facts
from mlnudge.checks.deps.facts import python_facts
from mlnudge.config import Config, load_config
from mlnudge.facts.repo import PyModule, Repo
from mlnudge.facts.store import FileCache
from mlnudge.project import detect
from mlnudge.report.model import Report
from mlnudge.runner import CACHE_DIR, run

# -- what one file's facts record ------------------------------------------------------------


def _facts(source: str) -> dict[str, Any]:
    return python_facts(PyModule(path="m.py", source=source, tree=ast.parse(source)))


def test_imports_are_recorded_with_their_guard() -> None:
    facts = _facts(
        "import os.path\n"
        "from sklearn.linear_model import Ridge\n"
        "from . import sibling\n"
        "try:\n"
        "    import wandb\n"
        "except ImportError:\n"
        "    import json as wandb\n"
        "if TYPE_CHECKING:\n"
        "    from torch import Tensor\n"
        "else:\n"
        "    import numpy\n"
        "def load():\n"
        "    import pandas\n"
        "    if x > 1:\n"
        "        import scipy.stats\n"
    )
    assert facts["i"] == [
        ["os.path", 1, 0],
        ["sklearn.linear_model", 2, 0],
        ["wandb", 5, 1],  # guarded by `except ImportError`
        ["json", 7, 0],  # the fallback itself is not optional
        ["torch", 9, 1],  # `if TYPE_CHECKING:`
        ["numpy", 11, 0],  # its `else` is not guarded
        ["pandas", 13, 0],
        ["scipy.stats", 15, 0],  # an `if` that guards nothing is not a guard
    ]
    assert "p" not in facts and "m" not in facts and "s" not in facts


def test_facts_record_path_edits_model_loads_and_the_words_of_strings() -> None:
    facts = _facts(
        "import sys\n"
        "sys.path.insert(0, '..')\n"
        "model = joblib.load('model.pkl')\n"
        "df.to_excel(path, engine='openpyxl')\n"
        "run(['s3cmd', 'sync'])\n"
        "x = 'google.cloud storage-client'\n"
    )
    assert facts["p"] == 1 and facts["m"] == 1
    words = set(facts["w"].split())
    # the part before the first dot, three characters or more, lowercased
    assert {"openpyxl", "s3cmd", "sync", "google", "storage-client", "model"} <= words
    assert "cloud" not in words  # after a dot: `google.cloud` does not name `cloud`
    assert deps_facts.named_in(facts, ["openpyxl"])
    assert not deps_facts.named_in(facts, ["cloud"])


def test_setup_call_literals_are_recorded_without_the_configuration() -> None:
    source = (
        "from setuptools import setup\n"
        "REQS = ['numpy>=1.26']\n"
        "setup(\n"
        "    name='legacy',\n"
        "    packages=['legacy_pkg'],\n"
        "    install_requires=REQS,\n"
        "    extras_require={'test': ['pytest>=8']},\n"
        ")\n"
    )
    facts = _facts(source)
    assert facts["s"]["name"] == "legacy"
    assert [r[:5] for r in facts["s"]["reqs"]] == [
        ["install_requires", None, "numpy>=1.26", 2, 2],
        ["extras_require", "test", "pytest>=8", 7, 7],
    ]
    assert facts["k"] == ["legacy_pkg"]


# -- runs ------------------------------------------------------------------------------------


def _age(root: Path) -> None:
    """Files older than the store's racy-clean window, so their stat can be trusted."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, (past, past))


Item = tuple[Any, ...]


def _findings(report: Report, paths: Collection[str] | None = None) -> list[Item]:
    return sorted(
        (
            f.rule,
            f.path,
            f.line,
            f.message,
            f.anchor,
            f.fix or "",
            f.suggestion or "",
            tuple(sorted((k, str(v)) for k, v in f.details.items())),
        )
        for f in report.findings
        if paths is None or f.path in paths
    )


def _errors(report: Report) -> list[Item]:
    return sorted((e.path, e.kind, e.message, e.line or 0) for e in report.errors)


def _deps(root: Path, config: Config, **kwargs: Any) -> Report:
    return run(root, config, families=["deps"], **kwargs)


def _python(paths: Collection[str]) -> set[str]:
    return {p for p in paths if p.endswith((".py", ".ipynb"))}


def _runner_reads(report: Report, root: Path) -> set[str]:
    """Python files the runner itself (not the family) reads on every run: the files that
    carry a finding (for their ``# noqa`` comments) and notebooks (their syntax check)."""
    notebooks = {p.relative_to(root).as_posix() for p in root.rglob("*.ipynb")}
    return _python({f.path for f in report.findings}) | notebooks


def _family_only(root: Path, config: Config, store: Path) -> FileAccess:
    """The deps family alone, with a store of its own: what its warm run reads."""
    cache = FileCache(store, salt="test", version="test")
    accesses: list[FileAccess] = []
    for _ in range(2):  # the first run fills the store, the second is the warm one
        repo = Repo.discover(root, config)
        ctx = CheckContext(
            repo=repo,
            config=config,
            options=config.section("deps"),
            family="deps",
            project=detect(repo),
            cache=cache,
        )
        with FileAccess() as access:
            list(deps_family.SPEC.check(ctx))
        accesses.append(access)
        cache.save(prune=True)
    assert accesses[0].parsed, "the first run computes the facts"
    return accesses[-1]


def _cold_warm_hook(root: Path, edits: Mapping[str, Callable[[str], str]]) -> Report:
    """Cold without cache, the run that fills the cache, warm, and a hook run after ``edits``
    agree; the warm run parses no Python file and the hook run only the edited ones."""
    _age(root)
    config = load_config(root)
    cold = _deps(root, config, use_cache=False)
    assert cold.findings, "the repository should have findings to compare"
    first = _deps(root, config)
    with FileAccess() as warm_access:
        warm = _deps(root, config)
    for other in (first, warm):
        assert _findings(other) == _findings(cold)
        assert _errors(other) == _errors(cold)
    assert warm_access.parsed == [] or set(warm_access.parsed) <= _runner_reads(cold, root)
    assert warm_access.read_python() <= _runner_reads(cold, root)

    for rel, edit in edits.items():
        path = root / rel
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    targets = sorted(edits)
    with FileAccess() as hook_access:
        hook = _deps(root, config, targets=targets)
    after = _deps(root, config, use_cache=False)
    assert set(hook_access.parsed) == _python(targets)
    assert hook_access.read_python() - _runner_reads(after, root) <= _python(targets)
    assert _findings(hook, targets) == _findings(after, targets)
    assert set(_findings(hook)) <= set(_findings(after))
    # on its files the hook run reports what the cold one does; elsewhere nothing new (the
    # family is repository-level: the stored facts replay the other files' errors)
    assert [e for e in _errors(hook) if e[0] in targets] == [
        e for e in _errors(after) if e[0] in targets
    ]
    assert set(_errors(hook)) <= set(_errors(after))
    # and the warm run after the edits reports what a run without cache does
    assert _findings(_deps(root, config)) == _findings(after)
    return after


PROJECT = {
    "pyproject.toml": (
        "[project]\nname = 'shop'\nversion = '1.0'\n"
        "dependencies = ['numpy>=1.26', 'pandas>=2.2', 'openpyxl>=3.1', 'requests>=2.31']\n"
    ),
    "src/shop/__init__.py": "",
    "src/shop/features.py": (
        "import numpy as np\nimport pandas as pd\nfrom sklearn.preprocessing import scale\n"
        "try:\n    import wandb\nexcept ImportError:\n    wandb = None\n"
    ),
    "src/shop/export.py": (
        "import pandas as pd\n\n\ndef save(df, path):\n    df.to_excel(path, engine='openpyxl')\n"
    ),
    "src/shop/broken.py": "def oops(:\n",
    "scripts/train.py": "import sys\nsys.path.append('.')\nimport helpers\nimport shop\n",
    "scripts/helpers.py": "import numpy\n",
    "tests/test_features.py": "import pytest\nimport shop.features\n",
    "notebooks/eda.ipynb": notebook("import pandas as pd\n!pip install lightgbm"),
}


def test_cold_warm_and_hook_runs_agree_and_read_only_what_changed(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "shop", PROJECT)
    after = _cold_warm_hook(
        root,
        {
            # a new undeclared import in one file, a declared one dropped in another
            "src/shop/export.py": lambda text: "import yaml\n" + text,
            "src/shop/features.py": lambda text: text.replace("import numpy as np\n", ""),
        },
    )
    rules = {(f[0], f[1], f[4]) for f in _findings(after)}
    assert ("MLN410", "src/shop/export.py", "undeclared:yaml") in rules
    assert ("MLN410", "src/shop/features.py", "undeclared:sklearn") in rules
    assert ("MLN411", "pyproject.toml", "unused:pyproject.toml:requests") in rules
    # named in a string (`engine='openpyxl'`), imported by a script: not unused
    assert not {r for r in rules if r[2].endswith((":openpyxl", ":numpy"))}
    assert [e[:2] for e in _errors(after)] == [("src/shop/broken.py", "syntax")]


def test_the_family_alone_reads_no_python_file_when_warm(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "shop", PROJECT)
    _age(root)
    access = _family_only(root, load_config(root), tmp_path / "store")
    assert access.read_python() == set()
    assert access.parsed == []


def test_a_setup_py_is_read_again_only_when_it_holds_a_url_with_a_credential(
    tmp_path: Path,
) -> None:
    files = {
        "setup.py": (
            "from setuptools import setup\n"
            "setup(name='legacy', install_requires=[\n"
            "    'numpy',\n"
            "    'tool @ git+https://ci-bot:ghp_abcdef0123456789abcdef@github.com/o/tool@v1',\n"
            "])\n"
        ),
        "legacy/__init__.py": "import numpy\nimport tool\n",
    }
    root = git_repo(tmp_path / "legacy", files)
    _age(root)
    config = load_config(root)
    cold = _deps(root, config, use_cache=False)
    assert ("MLN409", "setup.py") in {f[:2] for f in _findings(cold)}
    _deps(root, config)
    with FileAccess() as access:
        warm = _deps(root, config)
    assert _findings(warm) == _findings(cold)
    # the credential scan reads the text again, and the manifest is parsed again: the store
    # never holds the secret
    assert set(access.parsed) == {"setup.py"}
    assert access.read_python() <= {"setup.py"} | _runner_reads(cold, root)
    # every file of the cache: the store, its journal (a run over part of the tree appends
    # there), the stat index
    stores = [p for p in (root / CACHE_DIR).rglob("*") if p.is_file()]
    assert any(p.name in ("store.json", "journal.jsonl") for p in stores)
    assert all("ghp_abcdef" not in p.read_text(encoding="utf-8") for p in stores)


def _load_corpus() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "corpus.py", "bench_corpus_deps")


def test_generated_repository_cold_warm_and_hook_agree(tmp_path: Path) -> None:
    corpus = _load_corpus()
    root = tmp_path / "gen"
    corpus.generate(root, files=40)
    git_repo(root, {})
    _cold_warm_hook(
        root,
        {
            "scripts/train_0.py": lambda text: "import catboost\n" + text,
            "src/shopml/features_1.py": lambda text: text + "\nimport sklearn.pipeline\n",
        },
    )
    _age(root)
    access = _family_only(root, load_config(root), tmp_path / "store")
    assert access.read_python() == set()
    assert access.parsed == []


# -- the installed distributions -------------------------------------------------------------


@pytest.fixture
def metadata_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Which reads of the installed distributions' metadata the run made (the real reads,
    counted): ``"all"`` for every distribution's, else the distribution's name."""
    calls: list[str] = []
    every, one = deps_facts.packages_distributions, deps_facts.installed_version

    def counted_every() -> dict[str, tuple[str, ...]]:
        calls.append("all")
        return every()

    def counted_one(dist: str) -> str | None:
        calls.append(dist)
        return one(dist)

    monkeypatch.setattr(deps_facts, "packages_distributions", counted_every)
    monkeypatch.setattr(deps_facts, "installed_version", counted_one)
    yield calls


def test_installed_metadata_is_not_read_when_every_import_is_explained(
    tmp_path: Path, metadata_reads: list[str]
) -> None:
    root = git_repo(
        tmp_path / "p",
        {
            "requirements.txt": "numpy>=1.26\nscikit-learn>=1.4\n",
            "train.py": "import os\nimport numpy\nimport sklearn\nimport helpers\n",
            "helpers.py": "",
        },
    )
    report = _deps(root, load_config(root), use_cache=False)
    assert not [f for f in report.findings if f.rule in ("MLN410", "MLN411")]
    assert metadata_reads == []


def test_installed_metadata_is_read_once_per_environment(
    tmp_path: Path, metadata_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = tmp_path / "site-packages"
    environment.mkdir()
    monkeypatch.syspath_prepend(str(environment))
    root = git_repo(
        tmp_path / "p",
        # `attr` is explained by nothing declared; `packaging` has no lower bound, and the
        # suggestion shows the installed version
        {"requirements.txt": "packaging\n", "train.py": "import packaging\nimport attr\n"},
    )
    config = load_config(root)
    cold = _deps(root, config)
    assert sorted(metadata_reads) == ["all", "packaging"]
    assert {f.rule for f in cold.findings} >= {"MLN401", "MLN410"}
    warm = _deps(root, config)
    assert sorted(metadata_reads) == ["all", "packaging"]  # the same environment: the store
    assert _findings(warm) == _findings(cold)
    later = time.time() + 5
    os.utime(environment, (later, later))  # something was installed
    again = _deps(root, config)
    assert sorted(metadata_reads) == ["all", "all", "packaging", "packaging"]
    assert _findings(again) == _findings(cold)
