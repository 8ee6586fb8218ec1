"""New, existing and fixed against a pull request's merge-base, in real git repositories.

Each test builds a repository with a ``main`` branch (the realistic churn example: dozens of
findings), makes a feature branch with one kind of change, and compares. The shallow-clone
tests clone through ``file://`` so that ``--depth`` is honoured, as on a CI runner.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from mlnudge_testing import ROOT, git
from pr_scenarios import fixes_two, moves_a_function, renames_a_file, shifts_every_line

from mlnudge.cli import main
from mlnudge.config import load_config
from mlnudge.diffbase import BaseError, fetch_base, merge_base, run_against_base
from mlnudge.report import render
from mlnudge.report.model import Report, to_dict

EXAMPLE = ROOT / "examples" / "churn"
TUNE = (
    "from sklearn.linear_model import LogisticRegression\n\n\n"
    "def baseline_model():\n    return LogisticRegression(C=0.5)\n"
)


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The churn example on ``main`` (29 findings), with a ``feature`` branch checked out."""
    root = tmp_path / "churn"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "the churn project")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def compared(root: Path, ref: str = "main", **kwargs: object) -> Report:
    return run_against_base(root, load_config(root), ref, use_cache=False, **kwargs)  # type: ignore[arg-type]


def new_rules(report: Report) -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in report.findings if f.new]


def test_one_new_hyperparameter_among_dozens_of_existing_findings(repo: Path) -> None:
    (repo / "churn" / "tune.py").write_text(TUNE)
    commit(repo, "a baseline model")
    report = compared(repo)
    assert len(report.findings) >= 20  # the setting: a repository with dozens of findings
    assert all(f.new is not None for f in report.findings)  # never null inside a PR
    assert new_rules(report) == [("MLN201", "churn/tune.py")]
    assert report.split() == {"new": 1, "existing": len(report.findings) - 1, "fixed": 0}
    assert report.base_sha == git(repo, "rev-parse", "main").strip()


@pytest.mark.parametrize(
    "scenario", [moves_a_function, shifts_every_line, renames_a_file], ids=lambda f: f.__name__
)
def test_moves_shifts_and_renames_change_nothing(
    scenario: Callable[[Path], str], tmp_path: Path
) -> None:
    root = tmp_path / "churn"
    base = scenario(root)
    report = compared(root, base)
    assert len(report.findings) >= 20  # the setting: a repository with dozens of findings
    assert new_rules(report) == [] and report.fixed == ()
    paths = {f.path for f in report.findings}
    if scenario is moves_a_function:
        assert "churn/encoding.py" in paths  # the moved function kept its finding
    if scenario is renames_a_file:
        assert "train_model.py" in paths and "train.py" not in paths
    if scenario is shifts_every_line:
        lines = {f.line for f in report.findings if f.path == "train.py" and f.rule == "MLN201"}
        assert min(lines) > 18  # the findings did move


def test_fixing_two_findings_reports_them_fixed(tmp_path: Path) -> None:
    root = tmp_path / "churn"
    base = fixes_two(root)
    report = compared(root, base)
    assert new_rules(report) == []
    assert sorted((f.rule, f.message.split("`")[1]) for f in report.fixed) == [
        ("MLN201", "test_size=0.2"),
        ("MLN203", "random_state=42"),
    ]
    assert report.split() == {"new": 0, "existing": len(report.findings), "fixed": 2}


def test_cli_diff_base_gives_the_same_split_in_every_format(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "churn" / "tune.py").write_text(TUNE)
    commit(repo, "a baseline model")
    monkeypatch.chdir(repo)
    assert main(["check", "--diff-base", "main", "--format", "json", "--no-cache"]) == 0
    data = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "src/mlnudge/report/report.schema.json").read_text())
    jsonschema.validate(data, schema)  # the packaged copy is the shared contract
    assert [(f["rule"], f["path"]) for f in data["findings"] if f["new"]] == [
        ("MLN201", "churn/tune.py")
    ]
    assert data["summary"]["new"] == 1 and data["summary"]["fixed"] == 0
    assert data["summary"]["existing"] == len(data["findings"]) - 1
    assert data["fixed"] == [] and data["base"]["ref"] == "main"

    assert main(["check", "--diff-base", "main", "--no-cache"]) == 0
    text = capsys.readouterr().out
    existing = len(data["findings"]) - 1
    closing = text.rstrip().splitlines()[-2:]
    assert closing[0].endswith(f"1 new, {existing} already on the base branch, 0 fixed.")
    assert closing[1].endswith("Advisory mode: nothing blocks.")

    assert main(["check", "--diff-base", "main", "--format", "sarif", "--no-cache"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    states = [r["baselineState"] for r in results if "suppressions" not in r]
    assert states.count("new") == 1 and states.count("unchanged") == existing

    assert main(["check", "--diff-base", "main", "--format", "github", "--no-cache"]) == 0
    annotations = capsys.readouterr().out.splitlines()
    shown = [a for a in annotations if a.startswith(("::warning", "::error"))]
    assert len(shown) == 1 and "churn/tune.py" in shown[0]
    assert f"{existing} finding(s) already on the base branch are not annotated" in annotations[-1]


def test_unknown_base_exits_2_and_says_how_to_fix(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert main(["check", "--diff-base", "origin/nope"]) == 2
    err = capsys.readouterr().err
    assert "'origin/nope' is not a commit" in err and "fetch-depth: 0" in err


def _shallow_clone(origin: Path, target: Path, branch: str) -> Path:
    git(origin.parent, "clone", "-q", "--depth=1", "--branch", branch, origin.as_uri(), str(target))
    return target


def test_shallow_clone_without_the_base_fails_clearly_then_fetch_base_resolves_it(
    repo: Path, tmp_path: Path
) -> None:
    base = git(repo, "rev-parse", "main").strip()
    for i in range(3):  # the feature branch is a few commits deep
        (repo / f"step{i}.py").write_text(f"STEP = {i}\n")
        commit(repo, f"step {i}")
    (repo / "churn" / "tune.py").write_text(TUNE)
    commit(repo, "a baseline model")
    clone = _shallow_clone(repo, tmp_path / "clone", "feature")
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"

    with pytest.raises(BaseError) as missing:
        merge_base(clone, base)
    assert "shallow" in str(missing.value) and "git fetch --unshallow" in str(missing.value)

    steps: list[str] = []
    assert fetch_base(clone, base, log=steps.append) == base
    assert steps and steps[0].startswith("fetching the base")
    report = compared(clone, base)
    assert new_rules(report) == [("MLN201", "churn/tune.py")]


def test_shallow_clone_with_the_base_commit_but_no_history_is_deepened(
    repo: Path, tmp_path: Path
) -> None:
    base = git(repo, "rev-parse", "main").strip()
    (repo / "churn" / "tune.py").write_text(TUNE)
    commit(repo, "a baseline model")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("# churn\n\nMoved on.\n")
    main_tip = commit(repo, "main moved on")
    git(repo, "checkout", "-q", "feature")
    clone = _shallow_clone(repo, tmp_path / "clone", "feature")
    git(clone, "fetch", "-q", "--depth=1", "origin", "main")
    with pytest.raises(BaseError, match="no common ancestor in this shallow clone"):
        merge_base(clone, main_tip)
    assert fetch_base(clone, main_tip) == base  # the merge-base, not the tip of main


def test_base_worktree_is_removed_and_the_cache_is_shared(repo: Path) -> None:
    (repo / "churn" / "tune.py").write_text(TUNE)
    commit(repo, "a baseline model")
    report = run_against_base(repo, load_config(repo), "main")
    assert new_rules(report) == [("MLN201", "churn/tune.py")]
    assert git(repo, "worktree", "list").count("\n") == 1
    cached = list((repo / ".mlnudge_cache").rglob("*.json"))
    assert cached  # the base run wrote into the work tree's cache
    assert to_dict(report)["summary"]["new"] == 1
    assert "1 new," in render(report, "text")


def test_a_project_in_a_folder_of_a_larger_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "mono"
    shutil.copytree(EXAMPLE, root / "models" / "churn")
    (root / "README.md").write_text("# monorepo\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "monorepo")
    git(root, "checkout", "-q", "-b", "feature")
    git(root, "mv", "models/churn/train.py", "models/churn/fit.py")
    (root / "models" / "churn" / "churn" / "tune.py").write_text(TUNE)
    commit(root, "rename and tune")
    project = root / "models" / "churn"
    assert (
        main(["check", "--diff-base", "main", "--format", "json", "--no-cache", str(project)]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["path"]) for f in data["findings"] if f["new"]] == [
        ("MLN201", "churn/tune.py")
    ]
    assert data["fixed"] == [] and any(f["path"] == "fit.py" for f in data["findings"])


def test_the_base_checkout_runs_none_of_the_repositorys_hooks(tmp_path: Path) -> None:
    root = tmp_path / "churn"
    base = shifts_every_line(root)
    hooks = root / ".git" / "hooks"
    hook = hooks / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path / 'hook-ran'}\n")
    hook.chmod(0o755)
    report = compared(root, base)
    assert not (tmp_path / "hook-ran").exists()
    assert new_rules(report) == []
