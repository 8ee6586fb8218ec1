"""Our workflows and composite actions run for real with ``act`` (no Docker), offline.

``act -P ubuntu-latest=-self-hosted`` runs the jobs on this machine. Remote actions are mapped
to local folders with ``--local-repository``: ``mlnudge/mlnudge@v1`` to a copy of this
repository (so the reusable workflow and ``actions/check``/``actions/report`` are the ones in
the working tree), and ``actions/checkout``, ``setup-python``, ``upload-artifact`` and
``download-artifact`` to the stand-ins in ``tests/github/act``. ``GITHUB_API_URL`` points at
the stateful stand-in behind ``prism proxy --errors``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import git

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ACT = Path(sys.executable).parent / "act"
STANDINS = Path(__file__).resolve().parent / "act"
SHA = "d" * 40
TOKEN = "ghs_actSECRETtoken0123456789abcdef"
TRAIN = 'import pandas as pd\n\n\ndef train():\n    return pd.read_csv("data/raw/churn.csv")\n'
PATCH = (
    "@@ -0,0 +1,5 @@\n+import pandas as pd\n+\n+\n+def train():\n"
    '+    return pd.read_csv("data/raw/churn.csv")'
)
CALLER = """name: CI
on: pull_request
jobs:
  mlnudge:
    uses: mlnudge/mlnudge/.github/workflows/mlnudge.yml@v1
"""
TIMINGS: dict[str, float] = {}


def pinned_standins() -> dict[str, Path]:
    """``actions/NAME@SHA`` as our workflows and actions pin them -> the local stand-in."""
    files = [*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("actions/*/action.yml")]
    refs = {
        m.group(1)
        for f in files
        for m in re.finditer(r"uses: (actions/[\w-]+@[0-9a-f]{40})", f.read_text())
    }
    return {ref: STANDINS / ref.split("/")[1].split("@")[0] for ref in sorted(refs)}


@pytest.fixture(scope="module", autouse=True)
def report_timings() -> Iterator[None]:
    yield
    print("\nact runs: " + ", ".join(f"{k} {v:.1f}s" for k, v in TIMINGS.items()))


@pytest.fixture(scope="module")
def action_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``mlnudge/mlnudge@v1`` resolves to: this working tree without venvs and caches."""
    target = tmp_path_factory.mktemp("mlnudge-v1") / "mlnudge"
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "__pycache__", "*_cache", ".mlnudge_cache", "benchmarks"
    )
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "churn"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "src" / "churn").mkdir(parents=True)
    (repo / "src" / "churn" / "__init__.py").write_text("")
    (repo / "src" / "churn" / "train.py").write_text(TRAIN)
    (repo / ".github" / "workflows" / "caller.yml").write_text(CALLER)
    for name in ("mlnudge-pr.yml", "mlnudge-post.yml"):
        shutil.copy(ROOT / ".github" / "workflows" / name, repo / ".github" / "workflows" / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "remote", "add", "origin", "https://github.com/team/churn.git")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    return repo


def act(
    repo: Path, event: str, payload: dict[str, Any], workflow: str, *, source: Path, tmp: Path
) -> subprocess.CompletedProcess[str]:
    standin_url = os.environ["MLNUDGE_TEST_API_URL"]
    event_file = tmp / f"{event}.json"
    payload = {
        **payload,
        "repository": {"full_name": "team/churn", "name": "churn", "owner": {"login": "team"}},
    }
    event_file.write_text(json.dumps(payload))
    local: dict[str, Path] = {"mlnudge/mlnudge@v1": source, **pinned_standins()}
    args = [
        str(ACT),
        event,
        "-e",
        str(event_file),
        "-W",
        f".github/workflows/{workflow}",
        "-P",
        "ubuntu-latest=-self-hosted",
        "--action-offline-mode",
        "--action-cache-path",
        str(tmp / "act-cache"),
        "-s",
        f"GITHUB_TOKEN={TOKEN}",
        "--env",
        f"GITHUB_API_URL={standin_url}",
        "--env",
        f"MLNUDGE_TEST_PYTHON={sys.executable}",
        "--env",
        f"MLNUDGE_TEST_SITE_PACKAGES={sysconfig.get_paths()['purelib']}",
        "--env",
        f"MLNUDGE_TEST_ARTIFACTS={tmp / 'artifacts'}",
        "--env",
        f"MLNUDGE_TEST_REPO={repo}",
    ]
    for spec, path in local.items():
        args += ["--local-repository", f"{spec}={path}"]
    started = time.perf_counter()
    proc = subprocess.run(
        args,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    TIMINGS[f"{len(TIMINGS) + 1}. {event} {workflow}"] = time.perf_counter() - started
    return proc


@pytest.fixture
def api_url(standin: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MLNUDGE_TEST_API_URL", standin.url)
    standin.reset(
        pulls={
            "7": {
                "head_sha": SHA,
                "files": [{"filename": "src/churn/train.py", "status": "added", "patch": PATCH}],
            }
        }
    )
    return str(standin.url)


def seed_artifact(standin: Any, size: int, files: Any = None) -> None:
    """The artifact of run 123 as the API lists it (the poster checks its size first)."""
    patch = [{"filename": "src/churn/train.py", "status": "added", "patch": PATCH}]
    standin.reset(
        pulls={"7": {"head_sha": SHA, "files": patch if files is None else files}},
        artifacts={"123": [{"name": "mlnudge-report", "size_in_bytes": size}]},
    )


def pull_request_event() -> dict[str, Any]:
    return {
        "number": 7,
        "pull_request": {
            "number": 7,
            "head": {"sha": SHA, "ref": "feature"},
            "base": {"ref": "main"},
        },
    }


def stickies(standin: Any) -> list[dict[str, Any]]:
    return [
        c
        for c in standin.state()["issue_comments"]
        if c["body"].startswith("<!-- mlnudge:sticky key=")
    ]


def test_reusable_workflow_in_three_lines_posts_the_comment(
    standin: Any, api_url: str, user_repo: Path, action_source: Path, tmp_path: Path
) -> None:
    proc = act(
        user_repo,
        "pull_request",
        pull_request_event(),
        "caller.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "Success - Main Install mlnudge" in proc.stdout  # the action's own pip install
    (comment,) = stickies(standin)
    assert "hard-coded-data-path" in comment["body"]
    assert f"/team/churn/blob/{SHA}/src/churn/train.py#L5" in comment["body"]
    state = standin.state()
    assert [r["conclusion"] for r in state["check_runs"]] == ["neutral"]
    assert [c["line"] for c in state["review_comments"]] == [5]
    assert standin.violations() == []
    assert TOKEN not in proc.stdout + proc.stderr
    # a second run (a re-run of the job) updates nothing and duplicates nothing
    again = act(
        user_repo,
        "pull_request",
        pull_request_event(),
        "caller.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert again.returncode == 0
    assert "pull request comment unchanged" in again.stdout
    assert len(stickies(standin)) == 1 and len(standin.state()["review_comments"]) == 1


def test_fork_safe_pair_posts_only_from_the_workflow_run(
    standin: Any, api_url: str, user_repo: Path, action_source: Path, tmp_path: Path
) -> None:
    analysis = act(
        user_repo,
        "pull_request",
        pull_request_event(),
        "mlnudge-pr.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert analysis.returncode == 0, analysis.stdout[-4000:] + analysis.stderr[-2000:]
    artifact = tmp_path / "artifacts" / "mlnudge-report"
    assert (artifact / "pr-number").read_text() == "7\n"
    assert (artifact / "head-sha").read_text() == f"{SHA}\n"
    assert [e for e in standin.state()["log"] if e["method"] != "GET"] == []  # read-only run
    assert standin.state()["log"] == []  # no token was even exported: nothing is posted
    size = sum(f.stat().st_size for f in artifact.iterdir())
    seed_artifact(standin, size)
    run = {
        "id": 123,
        "event": "pull_request",
        "conclusion": "success",
        "head_sha": SHA,
        "head_branch": "feature",
        "head_repository": {"full_name": "team/churn"},
        "pull_requests": [],
    }
    post = act(
        user_repo,
        "workflow_run",
        {"action": "completed", "workflow_run": run},
        "mlnudge-post.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert post.returncode == 0, post.stdout[-4000:] + post.stderr[-2000:]
    assert "download-artifact stand-in: mlnudge-report from run 123" in post.stdout
    (comment,) = stickies(standin)
    assert comment["body"].startswith("<!-- mlnudge:sticky key=mlnudge (pull request)/check -->")
    assert standin.state()["check_runs"][0]["head_sha"] == SHA
    assert standin.violations() == []
    # a tampered artifact is refused and nothing is posted
    (artifact / "head-sha").write_text("e" * 40 + "\n")
    seed_artifact(standin, size, files=[])
    tampered = act(
        user_repo,
        "workflow_run",
        {"action": "completed", "workflow_run": run},
        "mlnudge-post.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert tampered.returncode != 0
    assert "refusing the input" in tampered.stdout
    assert standin.state()["issue_comments"] == []
    # an artifact the API lists as too large is never downloaded; advisory: the job stays green
    seed_artifact(standin, 50 * 1024 * 1024, files=[])
    huge = act(
        user_repo,
        "workflow_run",
        {"action": "completed", "workflow_run": run},
        "mlnudge-post.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert huge.returncode == 0, huge.stdout[-4000:]
    assert "52428800 bytes, over" in huge.stdout
    assert "download-artifact stand-in" not in huge.stdout
    assert [e["method"] for e in standin.state()["log"]] == ["GET"]  # the listing only


def test_reusable_workflow_refuses_pull_request_target(
    standin: Any, api_url: str, user_repo: Path, action_source: Path, tmp_path: Path
) -> None:
    caller = user_repo / ".github" / "workflows" / "caller.yml"
    caller.write_text(CALLER.replace("on: pull_request", "on: pull_request_target"))
    proc = act(
        user_repo,
        "pull_request_target",
        pull_request_event(),
        "caller.yml",
        source=action_source,
        tmp=tmp_path,
    )
    assert proc.returncode != 0
    assert "mlnudge refuses pull_request_target" in proc.stdout
    assert "checkout stand-in" not in proc.stdout  # stopped before the PR's code was checked out
    assert standin.state()["log"] == []
