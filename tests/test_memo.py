"""Replaying a check over an unchanged tree (mlnudge.memo), through the real console entry.

Each test runs ``python -m mlnudge`` in a temporary git work tree, as pre-commit and CI do. A
replay is told apart from a run by poisoning the remembered output: if the poison is printed,
the output was replayed; if the real report is printed, the command ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mlnudge_testing import git_repo

TRAIN = "from sklearn.linear_model import LogisticRegression\n\nm = LogisticRegression(C=0.5)\n"
POISON = "replayed from the memo\n"


def age(root: Path, seconds: float = 60) -> None:
    """Date every file back, as files of a tree checked out a while ago are."""
    past = time.time() - seconds
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            os.utime(os.path.join(dirpath, name), (past, past))


def mlnudge(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlnudge", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def memos(root: Path) -> list[Path]:
    directory = root / ".mlnudge_cache" / "v2" / "memo"
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


def poison(root: Path) -> None:
    for memo in memos(root):
        data = json.loads(memo.read_text())
        data["out"] = POISON
        memo.write_text(json.dumps(data))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = git_repo(tmp_path / "r", {"train.py": TRAIN, "pyproject.toml": "[project]\nname='x'\n"})
    age(root)
    return root


def test_unchanged_tree_replays_the_same_output_and_exit_code(repo: Path) -> None:
    first = mlnudge(repo, "check", ".", "--mode", "strict", "--fail-on", "warning")
    assert first.returncode == 1 and "MLN201" in first.stdout
    assert len(memos(repo)) == 1
    again = mlnudge(repo, "check", ".", "--mode", "strict", "--fail-on", "warning")
    assert (again.stdout, again.stderr, again.returncode) == (
        first.stdout,
        first.stderr,
        first.returncode,
    )
    poison(repo)
    replayed = mlnudge(repo, "check", ".", "--mode", "strict", "--fail-on", "warning")
    assert (replayed.stdout, replayed.returncode) == (POISON, 1)


@pytest.mark.parametrize(
    "change",
    [
        "edit",
        "touch",
        "new-file",
        "config",
        "environment",
        "other-arguments",
        "no-cache",
        "verbose",
    ],
)
def test_any_change_runs_the_check_again(repo: Path, change: str) -> None:
    mlnudge(repo, "check", ".")
    poison(repo)
    args = ["check", "."]
    env: dict[str, str] = {}
    if change == "edit":
        (repo / "train.py").write_text(TRAIN.replace("0.5", "0.7"))
    elif change == "touch":
        os.utime(repo / "train.py")
    elif change == "new-file":
        (repo / "more.py").write_text("x = 1\n")
    elif change == "config":
        (repo / ".mlnudge.toml").write_text('mode = "advisory"\n')
    elif change == "environment":
        env = {"MLNUDGE_TEST_SETTING": "another value"}
    elif change == "other-arguments":
        args = ["check", ".", "--format", "json"]
    elif change == "no-cache":
        args = ["check", ".", "--no-cache"]
    else:
        args = ["check", ".", "-v"]
    result = mlnudge(repo, *args, env=env)
    assert POISON not in result.stdout
    assert "MLN201" in result.stdout or '"MLN201"' in result.stdout


def test_a_tree_changed_just_now_is_never_remembered(tmp_path: Path) -> None:
    # written within the clock's resolution of the run: it could change again unseen
    root = git_repo(tmp_path / "r", {"train.py": TRAIN})
    assert "MLN201" in mlnudge(root, "check", ".").stdout
    assert memos(root) == []


def test_hook_run_on_files_replays_and_a_changed_file_runs(repo: Path) -> None:
    first = mlnudge(repo, "check", "--hook", "train.py")
    assert "MLN201" in first.stdout
    poison(repo)
    assert mlnudge(repo, "check", "--hook", "train.py").stdout == POISON
    (repo / "train.py").write_text(TRAIN + "\n# edited\n")
    assert "MLN201" in mlnudge(repo, "check", "--hook", "train.py").stdout


def test_outside_git_nothing_is_remembered(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "train.py").write_text(TRAIN)
    age(root)
    assert "MLN201" in mlnudge(root, "check", ".").stdout
    assert memos(root) == []


def test_memo_keeps_a_few_command_lines(repo: Path) -> None:
    from mlnudge.memo import KEEP

    for n in range(KEEP + 3):
        mlnudge(repo, "check", ".", env={"MLNUDGE_TEST_RUN": str(n)})
    assert len(memos(repo)) == KEEP


def test_a_committed_cache_is_neither_replayed_nor_read(repo: Path) -> None:
    from mlnudge_testing import git

    mlnudge(repo, "check", ".")
    poison(repo)
    store = repo / ".mlnudge_cache" / "v2" / "store.json"
    data = json.loads(store.read_text())
    poisoned = 0
    for key, text in data["entries"].items():
        entry = json.loads(text)  # each entry is stored as JSON text, decoded when used
        if isinstance(entry, dict) and "f" in entry:
            entry["f"] = []  # a pull request that hides its findings in a committed cache
            data["entries"][key] = json.dumps(entry)
            poisoned += 1
    assert poisoned
    store.write_text(json.dumps(data))
    git(repo, "add", "-f", ".mlnudge_cache")
    git(repo, "commit", "-q", "-m", "cache")
    age(repo)
    result = mlnudge(repo, "check", ".")
    assert POISON not in result.stdout
    assert "MLN201" in result.stdout
    assert ".mlnudge_cache/ is committed" in result.stdout
