"""The params family on the facts layer (issue 12).

A warm run (same content, cache filled by an earlier run) reads and parses no Python file; a
hook run reads and parses only the changed files; and every run reports what a run without
cache reports, including after an edit of ``params.yaml`` or of the package layout, which the
per-file results depend on.

Two levels: the family's own ``check`` on a context built as the runner builds it (its reads
and parses exactly), and whole runs through :func:`mlnudge.runner.run` (their reports; the
report layer still reads the lines of files with findings, for inline ignores, and parses the
notebooks in focus to report their syntax errors, which is not the family's doing).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Collection
from pathlib import Path
from types import ModuleType

from mlnudge_testing import ROOT, FileAccess, load_script

from mlnudge import __version__
from mlnudge.checks.base import CheckContext
from mlnudge.checks.params import SPEC
from mlnudge.config import Config, build_config
from mlnudge.facts.repo import Repo
from mlnudge.facts.store import FileCache
from mlnudge.finding import Finding
from mlnudge.project import detect
from mlnudge.report.model import Report
from mlnudge.runner import CACHE_DIR, cache_version, run

PYTHON = (".py", ".ipynb")


def _report(
    root: Path,
    config: Config | None = None,
    targets: Collection[str] | None = None,
    *,
    use_cache: bool = True,
) -> tuple[Report, FileAccess]:
    with FileAccess() as access:
        report = run(
            root,
            config or build_config({}),
            families=["params"],
            targets=targets,
            use_cache=use_cache,
        )
    return report, access


def _family(
    root: Path, config: Config | None = None, targets: tuple[str, ...] | None = None
) -> tuple[list[Finding], FileAccess]:
    """The family's ``check`` alone, on a context built as the runner builds it, with the
    runner's cache; what it read and parsed is the family's own doing."""
    config = config or build_config({})
    repo = Repo.discover(root, config)
    project = detect(repo)
    cache = FileCache(
        root / CACHE_DIR / "v2", salt=__version__ + config.cache_key(), version=cache_version()
    )
    ctx = CheckContext(
        repo=repo,
        config=config,
        options=config.section("params"),
        family="params",
        project=project,
        targets=targets,
        cache=cache,
    )
    with FileAccess() as access:
        found = list(SPEC.check(ctx))
    cache.save(prune=False)
    return found, access


def _same(first: Report, second: Report, what: str) -> None:
    assert first.findings == second.findings, what
    assert first.errors == second.errors, what


def _write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` dated a little in the past: the cache's stat index does not trust a
    file modified within the last seconds (it could change again unseen in the same tick)."""
    _write.stamp += 1  # type: ignore[attr-defined]
    stamp = time.time() - 600 + _write.stamp  # type: ignore[attr-defined]
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (stamp, stamp))
    return root


_write.stamp = 0  # type: ignore[attr-defined]


def _nb(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "outputs": [], "source": [c]} for c in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


FIXTURE = {
    "params.yaml": "train:\n  max_depth: 6\n  learning_rate: 0.1\nseed: 42\n",
    "src/shop/__init__.py": "",
    "src/shop/train.py": (
        "from xgboost import XGBClassifier\n\n"
        "def fit(x, y):\n"
        "    np.random.seed(7)\n"
        "    return XGBClassifier(max_depth=6, learning_rate=0.3, n_estimators=400).fit(x, y)\n\n"
        'if __name__ == "__main__":\n    fit(None, None)\n'
    ),
    "src/shop/features.py": (
        "import pandas as pd\n\n"
        "def load():\n"
        '    return pd.read_csv("data/raw/orders.csv")\n\n'
        'if __name__ == "__main__":\n    torch.manual_seed(1337)\n'
    ),
    "src/shop/plots/draw.py": (
        "def draw(x):\n"
        "    emb = TSNE(perplexity=30).fit_transform(x)\n"
        '    plt.savefig("reports/figures/tsne.png")\n'
    ),
    "src/shop/evaluate.py": (
        "def gate(scores):\n"
        "    if scores['auc'] > 0.83:\n"
        "        return True\n"
        '    token = "ghp_0123456789abcdefghijABCDEFGHIJ012345"\n'
        "    return False\n"
    ),
    "src/shop/broken.py": "def f(:\n",
    "notebooks/eda.ipynb": _nb("model = XGBClassifier(max_depth=3)", 'KEY = "sk-live-abc"'),
    "tests/test_train.py": "m = XGBClassifier(max_depth=6)\n",
    "README.md": "# shop\n",
}


def test_fixture_warm_reads_nothing_hook_reads_the_changed_files(tmp_path: Path) -> None:
    root = _write(tmp_path, FIXTURE)
    cold, _ = _report(root, use_cache=False)
    assert {f.rule for f in cold.findings} >= {"MLN201", "MLN202", "MLN203", "MLN204"}
    assert any(e.path == "src/shop/broken.py" for e in cold.errors)
    filled, first = _report(root)
    assert "src/shop/train.py" in first.read_python()  # the cold run did read them
    warm, access = _report(root)
    _same(cold, filled, "the run that fills the cache")
    _same(cold, warm, "the warm run")
    with_findings = {f.path for f in warm.findings}
    assert access.read_python() <= with_findings | {"notebooks/eda.ipynb"}
    assert set(access.parsed) <= {"notebooks/eda.ipynb"}  # the report layer's syntax check

    found, own = _family(root)
    assert own.read_python() == set() and own.parsed == []
    assert len(found) == len(cold.findings)

    edits = {
        "src/shop/train.py": FIXTURE["src/shop/train.py"] + "\nBATCH_SIZE = 256\n",
        "src/shop/evaluate.py": FIXTURE["src/shop/evaluate.py"].replace("0.83", "0.91"),
    }
    _write(root, edits)
    targets = sorted(edits)
    hook, access = _report(root, targets=targets)
    assert access.read_python() <= set(targets) and set(access.parsed) <= set(targets)
    assert set(access.parsed) == set(targets)  # the changed files were analysed again
    hook_cold, _ = _report(root, targets=targets, use_cache=False)
    _same(hook_cold, hook, "the hook run")
    assert any(f.details.get("name") == "batch_size" for f in hook.findings)
    whole_cold, _ = _report(root, use_cache=False)
    assert [f for f in whole_cold.findings if f.path in targets] == list(hook.findings)
    whole, access = _report(root)
    _same(whole_cold, whole, "the warm run after the edits")
    assert access.read_python() <= {f.path for f in whole.findings} | {"notebooks/eda.ipynb"}


def test_a_library_entry_point_is_known_from_facts(tmp_path: Path) -> None:
    """In a library, a training module is an entry point when it has a ``__main__`` block:
    that comes from a text fact, so a warm run does not read the module again."""
    root = _write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "tabkit"\nversion = "1"\n',
            "src/tabkit/__init__.py": "",
            "src/tabkit/train.py": (
                "def main():\n    opt = Adam(params, lr=3e-4)\n\n"
                'if __name__ == "__main__":\n    main()\n'
            ),
            "src/tabkit/fit_train.py": "def fit(model):\n    return Adam(model, lr=3e-4)\n",
            "src/tabkit/zoo.py": "def small():\n    return nn.Dropout(0.3)\n",
        },
    )
    config = build_config({"profile": "library"})
    cold, _ = _report(root, config, use_cache=False)
    assert [(f.path, f.rule) for f in cold.findings] == [("src/tabkit/train.py", "MLN201")]
    _report(root, config)
    found, own = _family(root, config)
    assert own.read_python() == set() and own.parsed == []
    assert [(f.path, f.rule) for f in found] == [("src/tabkit/train.py", "MLN201")]
    warm, _ = _report(root, config)
    _same(cold, warm, "the warm run")
    # the entry point loses its main block: the facts follow the content
    _write(root, {"src/tabkit/train.py": "def main():\n    opt = Adam(params, lr=3e-4)\n"})
    again, _ = _report(root, config)
    assert again.findings == ()
    _same(_report(root, config, use_cache=False)[0], again, "after the main block went")


def test_what_the_per_file_results_depend_on_invalidates_them(tmp_path: Path) -> None:
    """The cached findings of a file depend on the repository's parameter files and on
    whether the file is a package module; an edit of either gives what a run without cache
    gives, and an edit of anything else invalidates nothing."""
    root = _write(
        tmp_path,
        {
            "params.yaml": "train:\n  max_depth: 6\n",
            "train.py": "m = XGBClassifier(max_depth=6)\n",
            "vq/quantize.py": 'import torch\n\nif __name__ == "__main__":\n    torch.manual_seed(1)\n',
            "README.md": "# x\n",
        },
    )
    first, _ = _report(root)
    assert "already has `train.max_depth: 6`" in first.findings[0].message
    assert [(f.path, f.rule) for f in first.findings] == [
        ("train.py", "MLN201"),
        ("vq/quantize.py", "MLN203"),
    ]

    _write(root, {"README.md": "# x\n\nMore words.\n"})
    _, own = _family(root)
    assert own.read_python() == set()  # nothing the analysis reads changed

    _write(root, {"params.yaml": "train:\n  max_depth: 9\n"})
    cached, access = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(cold, cached, "after editing params.yaml")
    assert "has `train.max_depth: 9`, which this code ignores" in cached.findings[0].message
    assert {"train.py", "vq/quantize.py"} <= access.read_python()  # both depend on it

    _write(root, {"vq/__init__.py": ""})  # a package: its main block is a smoke test
    cached, _ = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(cold, cached, "after vq/ became a package")
    assert [(f.path, f.rule) for f in cached.findings] == [("train.py", "MLN201")]


def _corpus() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "corpus.py", "bench_corpus")


def test_generated_repository_warm_hook_and_no_cache_agree(tmp_path: Path) -> None:
    corpus = _corpus()
    root = tmp_path / "repo"
    root.mkdir()
    planted = corpus.generate(root, files=85)
    _write(root, {str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()})
    cold, _ = _report(root, use_cache=False)
    params_planted = {(p.rule, p.path) for p in planted if p.rule.startswith("MLN2")}
    assert params_planted and params_planted <= {(f.rule, f.path) for f in cold.findings}
    _report(root)
    warm, access = _report(root)
    _same(cold, warm, "the warm run")
    notebooks = {p for p in access.read_python() if p.endswith(".ipynb")}
    assert access.read_python() <= {f.path for f in warm.findings} | notebooks
    assert set(access.parsed) <= notebooks
    found, own = _family(root)
    assert own.read_python() == set() and own.parsed == []
    assert len(found) == len(cold.findings)

    python = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if "test" not in p.name)
    targets = [python[0], python[len(python) // 2]]
    _write(root, {rel: (root / rel).read_text() + "\nLEARNING_RATE = 0.0375\n" for rel in targets})
    hook, access = _report(root, targets=targets)
    assert access.read_python() <= set(targets) and set(access.parsed) <= set(targets)
    _, own = _family(root, targets=tuple(targets))  # the hook run stored their facts
    assert own.read_python() == set()
    hook_cold, _ = _report(root, targets=targets, use_cache=False)
    _same(hook_cold, hook, "the hook run")
    assert {f.path for f in hook.findings if "0.0375" in f.message} == set(targets)
    whole_cold, _ = _report(root, use_cache=False)
    whole, _ = _report(root)
    _same(whole_cold, whole, "the warm run after the edits")


def test_unchanged_configuration_is_not_read_again(tmp_path: Path) -> None:
    """The parameter files' summary is stored with the digests of the files it was read
    from: a warm run reads no file at all, and a changed, new or removed input (a file a DVC
    stage lists appearing) gives what a run without cache gives, errors included."""
    root = _write(
        tmp_path,
        {
            "params.yaml": "train:\n  max_depth: 6\n",
            "conf/broken.yaml": "train: [1, 2\n",
            "dvc.yaml": (
                "stages:\n  train:\n    cmd: python train.py\n"
                "    params:\n      - xgb_settings.yaml:\n          - xgb\n"
            ),
            "train.py": "m = XGBClassifier(max_depth=6, learning_rate=0.3)\n",
        },
    )
    cold, _ = _report(root, use_cache=False)
    assert any(e.path == "conf/broken.yaml" for e in cold.errors)
    _report(root)
    found, own = _family(root)
    assert own.read == [] and own.parsed == []  # not even params.yaml
    warm, _ = _report(root)
    _same(cold, warm, "the warm run")
    assert len(found) == len(cold.findings)

    # a file the DVC stage lists appears: its key now feeds train.py with certainty
    _write(root, {"xgb_settings.yaml": "xgb:\n  learning_rate: 0.1\n"})
    cached, _ = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(cold, cached, "after the listed file appeared")
    assert "MLN205" in {f.rule for f in cached.findings}

    _write(root, {"dvc.yaml": "stages: {}\n"})  # no stage lists it any more
    cached, _ = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(cold, cached, "after dvc.yaml changed")

    (root / "conf/broken.yaml").unlink()
    cached, _ = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(cold, cached, "after the broken file went")
    assert not any(e.path == "conf/broken.yaml" for e in cached.errors)


def test_a_hook_run_renames_clashing_keys_as_the_whole_run_does(tmp_path: Path) -> None:
    """Two models' ``n_estimators`` with different values get the model in their proposed
    keys; a hook run on one of the files proposes the same key as the whole run, from the
    other file's cached findings (not read again)."""
    root = _write(
        tmp_path,
        {
            "a.py": "m = XGBClassifier(n_estimators=100)\n",
            "b.py": "r = RandomForestClassifier(n_estimators=300)\n",
            "c.py": "print('no literal here')\n",
        },
    )
    whole, _ = _report(root, use_cache=False)
    assert [f.details["key"] for f in whole.findings] == [
        "train.xgb.n_estimators",
        "train.random_forest.n_estimators",
    ]
    hook_cold, _ = _report(root, targets=["a.py"], use_cache=False)
    assert list(hook_cold.findings) == [f for f in whole.findings if f.path == "a.py"]
    _report(root)
    _write(root, {"a.py": "m = XGBClassifier(n_estimators=120)\n"})
    hook, access = _report(root, targets=["a.py"])
    assert access.read_python() == {"a.py"}
    assert [f.details["key"] for f in hook.findings] == ["train.xgb.n_estimators"]
    _same(_report(root, targets=["a.py"], use_cache=False)[0], hook, "the hook run")
    _, access = _report(root, targets=["c.py"])  # nothing proposed: the others are not needed
    assert access.read_python() == set()


def test_a_hook_run_sees_other_files_changed_since_the_whole_run(tmp_path: Path) -> None:
    """The whole run stores every file's proposals; when a file outside the hook's targets
    changed since (no clash any more), the hook run does not trust them."""
    root = _write(
        tmp_path,
        {
            "a.py": "m = XGBClassifier(n_estimators=100)\n",
            "b.py": "r = RandomForestClassifier(n_estimators=300)\n",
        },
    )
    whole, _ = _report(root)
    assert whole.findings[0].details["key"] == "train.xgb.n_estimators"
    hook, _ = _report(root, targets=["a.py"])
    assert list(hook.findings) == [f for f in whole.findings if f.path == "a.py"]
    _write(root, {"b.py": "r = RandomForestClassifier(n_estimators=100)\n"})  # same value now
    hook, _ = _report(root, targets=["a.py"])
    assert [f.details["key"] for f in hook.findings] == ["train.n_estimators"]
    _same(_report(root, targets=["a.py"], use_cache=False)[0], hook, "the hook run")


def test_an_edited_caller_renames_what_an_unchanged_factory_returns(tmp_path: Path) -> None:
    """The names a caller gives a factory's returned values are part of the factory's cached
    result: adding the caller reports the unchanged factory, in a whole run and in a hook run
    on the factory alone, as a run without cache does; the hook run takes the caller's
    unpacks from its cached text facts and does not parse it."""
    root = _write(
        tmp_path,
        {
            "src/zoo.py": "def tiny():\n    return make(4), 8, 128\n",
            "src/run.py": "import zoo\nzoo.tiny()\n",
        },
    )
    first, _ = _report(root)
    assert [f for f in first.findings if f.path == "src/zoo.py"] == []
    _write(root, {"src/run.py": "import zoo\nnet, epochs, batch_size = zoo.tiny()\n"})
    warm, access = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(warm, cold, "after the caller changed")
    assert "src/run.py" in access.parsed
    assert [(f.path, f.rule) for f in warm.findings] == [("src/zoo.py", "MLN201")] * 2
    hook, _ = _report(root, targets=["src/zoo.py"])
    assert hook.findings == warm.findings
    found, family_access = _family(root, targets=("src/zoo.py",))
    assert [f.rule for f in found] == ["MLN201"] * 2
    assert "src/run.py" not in family_access.parsed


def test_an_edited_mlproject_is_read_again(tmp_path: Path) -> None:
    """The MLflow entry points are part of the configuration facts: editing ``MLproject``
    changes what a warm run reports, as a run without cache does."""
    project = (
        "entry_points:\n  main:\n    parameters:\n      epochs: {type: int, default: %d}\n"
        '    command: "python train.py --epochs {epochs}"\n'
    )
    script = (
        'import argparse\np = argparse.ArgumentParser()\np.add_argument("--epochs", default=5)\n'
    )
    root = _write(tmp_path, {"MLproject": project % 5, "train.py": script})
    first, _ = _report(root)
    assert [f.rule for f in first.findings] == []
    _write(root, {"MLproject": project % 50})
    warm, _ = _report(root)
    cold, _ = _report(root, use_cache=False)
    _same(warm, cold, "after MLproject changed")
    assert [f.rule for f in warm.findings] == ["MLN205"]
