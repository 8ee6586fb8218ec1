"""The cache store (mlnudge.facts.store): whole runs rewrite it, hook runs append a journal."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from mlnudge_testing import FileAccess, git_repo, write_tree

from mlnudge.config import build_config
from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import PyModule, Repo
from mlnudge.facts.store import FileCache
from mlnudge.report import render
from mlnudge.runner import run

TRAIN = "from sklearn.linear_model import LogisticRegression\n\nm = LogisticRegression(C=0.5)\n"
FEATURES = "import pandas as pd\n\n\ndef clean(df: pd.DataFrame) -> pd.DataFrame:\n    return df.dropna()\n"


def _report(root: Path, **kwargs: object) -> dict[str, object]:
    report = json.loads(render(run(root, build_config({}), **kwargs), "json"))  # type: ignore[arg-type]
    report["summary"].pop("duration_s")
    return report


def test_hook_runs_append_to_a_journal_that_the_next_whole_run_folds_in(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "r", {"train.py": TRAIN, "pkg/__init__.py": "", "pkg/features.py": FEATURES}
    )
    cache = root / ".mlnudge_cache" / "v2"
    run(root, build_config({}))
    store = cache / "store.json"
    written = store.stat().st_mtime_ns
    (root / "pkg/features.py").write_text(FEATURES + "\n\ndef more(df):\n    return df.fillna(0)\n")
    hook = _report(root, targets=["pkg/features.py"])
    assert store.stat().st_mtime_ns == written  # the store itself was not rewritten
    assert (cache / "journal.jsonl").is_file()
    # the next hook run finds the edited file's facts in the journal: nothing to parse
    with FileAccess() as access:
        again = _report(root, targets=["pkg/features.py"])
    assert again == hook
    assert "pkg/features.py" not in access.parsed
    # a whole run folds the journal into the store and reports what a run without cache does
    whole = _report(root)
    assert not (cache / "journal.jsonl").exists()
    assert whole == _report(root, use_cache=False)


def test_a_torn_journal_line_is_ignored(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "r", {"train.py": TRAIN})
    run(root, build_config({}))
    (root / "train.py").write_text(TRAIN + "n = LogisticRegression(C=0.7)\n")
    run(root, build_config({}), targets=["train.py"])
    journal = root / ".mlnudge_cache" / "v2" / "journal.jsonl"
    journal.write_text(journal.read_text() + '["0.1.0", "abc", {"v": [1, 2')  # killed mid-write
    assert _report(root, targets=["train.py"]) == _report(
        root, targets=["train.py"], use_cache=False
    )


def test_a_warm_run_reads_no_python_file_even_where_findings_are(tmp_path: Path) -> None:
    # inline ignores come from the files' facts: a file with findings is not read again
    root = git_repo(
        tmp_path / "r",
        {
            "train.py": TRAIN + "n = LogisticRegression(C=0.7)  # mlnudge: ignore[MLN201] tuned\n",
            "pkg/__init__.py": "",
            "pkg/features.py": FEATURES,
        },
    )
    for path in root.rglob("*.py"):  # checked out a while ago: the stat index vouches
        os.utime(path, (1_700_000_000, 1_700_000_000))
    cold = _report(root, use_cache=False)
    run(root, build_config({}))
    with FileAccess() as access:
        warm = _report(root)
    assert warm == cold
    assert cold["suppressed"] and cold["findings"]
    assert access.read_python() == set() and access.parsed == []


def test_entries_are_decoded_only_when_used(tmp_path: Path) -> None:
    """The store keeps each entry as JSON text: a run decodes what it asks for, and writes
    back what it did not decode unchanged; a damaged entry is a miss, not a failure."""
    from mlnudge.facts.store import FileCache

    cache = FileCache(tmp_path / "c", salt="s", version="v")
    cache.put_facts("a", {"x": [1, 2]})
    cache.put_facts("b", {"y": "z"})
    cache.save(prune=True)
    stored = json.loads((tmp_path / "c" / "store.json").read_text())["entries"]
    assert all(isinstance(text, str) for text in stored.values())

    again = FileCache(tmp_path / "c", salt="s", version="v")
    assert again.get_facts("a") == {"x": [1, 2]}
    # not kept decoded: the caller holds what it asked for, for as long as it needs it
    assert again._raw == stored
    assert again.get_facts("a") is not again.get_facts("a")
    assert again.has("b")  # known without decoding
    again.save(prune=True)  # everything still current is written back
    assert json.loads((tmp_path / "c" / "store.json").read_text())["entries"] == stored

    data = json.loads((tmp_path / "c" / "store.json").read_text())
    data["entries"]["a"] = '{"x": [1,'
    (tmp_path / "c" / "store.json").write_text(json.dumps(data))
    damaged = FileCache(tmp_path / "c", salt="s", version="v")
    assert damaged.get_facts("a") is None
    assert damaged.get_facts("b") == {"y": "z"}


def _function_names(module: PyModule) -> list[str]:
    return sorted(n.name for n in ast.walk(module.tree) if isinstance(n, ast.FunctionDef))


def test_a_fingerprint_is_read_without_decoding_the_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result keyed by many files' fact fingerprints (the tests' reach) is looked up on
    every hook run: the fingerprints are cached apart, so looking one up decodes no facts,
    and an edit that changes the facts changes the fingerprint."""
    from mlnudge.facts import store

    root = tmp_path / "repo"
    write_tree(root, {"m.py": "def f(df):\n    return df.dropna()\n"})
    kind = FileFacts(compute=_function_names, version="1")

    def fingerprint() -> str:
        cache = FileCache(tmp_path / "c", salt="s", version="v")
        value = Facts(Repo.discover(root, build_config({})), cache).fingerprint("m.py", kind)
        cache.save(prune=True)
        return value

    first = fingerprint()
    decoded: list[object] = []
    loads = store.json.loads

    def counting(text: str) -> object:
        value = loads(text)
        decoded.append(value)
        return value

    monkeypatch.setattr(store.json, "loads", counting)
    assert fingerprint() == first
    assert decoded and not [v for v in decoded if isinstance(v, dict) and "v" in v]
    monkeypatch.undo()
    (root / "m.py").write_text("def g(df):\n    return df.dropna()\n")
    assert fingerprint() != first
