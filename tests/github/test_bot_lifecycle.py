"""The PR bot end to end against the stateful stand-in behind ``prism proxy --errors``.

The proxy validates every request and response against GitHub's OpenAPI description; a
violation comes back as 422/500, which the bot would report as "not posted", so each test
also asserts that nothing degraded unless it injected the fault itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import git_repo, pull_request_job

from mlnudge.github.cli import main

pytestmark = pytest.mark.e2e

REPO = "team/churn"
SHA = "a" * 40
TOKEN = "ghs_lifecycleSECRET0123456789abcdef"
TRAIN = """import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def train():
    df = pd.read_csv("data/raw/churn.csv")
    model = RandomForestClassifier(n_estimators=300, max_depth=8)
    return model.fit(df.drop(columns="y"), df["y"])
"""
FIXED = """import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def train(params):
    df = pd.read_csv(params["data"])
    model = RandomForestClassifier(**params["model"])
    return model.fit(df.drop(columns="y"), df["y"])
"""
#: the PR adds lines 5-8 of train.py (the def and everything after it)
PATCH = (
    "@@ -1,4 +1,8 @@\n import pandas as pd\n from sklearn.ensemble import RandomForestClassifier\n"
    " \n \n+def train():\n+    df = 1\n+    model = 2\n+    return model"
)


@dataclass
class Run:
    code: int
    out: str
    err: str
    summary: str
    outputs: str


@pytest.fixture
def bot(
    standin: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Run]:
    env, summary = pull_request_job(standin.url, tmp_path, repo=REPO, sha=SHA, token=TOKEN)
    outputs = tmp_path / "outputs"
    env["GITHUB_OUTPUT"] = str(outputs)

    def run(*args: str, cwd: Path | None = None, **extra_env: str) -> Run:
        for name, value in {**env, **extra_env}.items():
            monkeypatch.setenv(name, value)
        summary.write_text("")
        outputs.write_text("")
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(["--max-inline", "5", *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err, summary.read_text(), outputs.read_text())

    return run


def seed(standin: Any, comments: int = 0, **extra: Any) -> None:
    standin.reset(
        pulls={
            "7": {
                "head_sha": SHA,
                "files": [{"filename": "src/churn/train.py", "status": "modified", "patch": PATCH}],
            }
        },
        comments=[{"issue": 7, "body": f"comment {i}", "login": "alice"} for i in range(comments)]
        + extra.pop("more", []),
        **extra,
    )


def workflow_run(head_sha: str, head_repository: str = REPO) -> dict[str, Any]:
    """The parts of a ``workflow_run`` event's run that the poster reads (set by GitHub)."""
    return {
        "event": "pull_request",
        "head_sha": head_sha,
        "head_repository": {"full_name": head_repository},
        "pull_requests": [],
    }


def stickies(standin: Any, key: str = "CI/nudge") -> list[dict[str, Any]]:
    marker = f"<!-- mlnudge:sticky key={key} -->"
    return [c for c in standin.state()["issue_comments"] if c["body"].startswith(marker)]


def writes(standin: Any) -> list[tuple[str, str]]:
    return [(e["method"], e["path"]) for e in standin.state()["log"] if e["method"] != "GET"]


def test_comment_lifecycle_create_update_never_duplicate(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    other_job = "<!-- mlnudge:sticky key=CI/other -->\nthe other job's report"
    seed(
        standin, comments=65, more=[{"issue": 7, "body": other_job, "login": "github-actions[bot]"}]
    )
    repo = git_repo(
        tmp_path / "repo",
        {"src/churn/__init__.py": "", "src/churn/train.py": TRAIN, "README.md": "# churn\n"},
    )
    # 1. first push: created, after paging through 66 other comments (3 pages), then paged
    #    through once more to find duplicates a concurrent run may have made
    first = bot(cwd=repo)
    assert first.code == 0, first.err
    assert "pull request comment created" in first.err
    (comment,) = stickies(standin)
    assert "hard-coded" in comment["body"] and "#### Findings" in comment["body"]
    pages = [
        e["query"]
        for e in standin.state()["log"]
        if e["method"] == "GET" and e["path"].endswith("/issues/7/comments")
    ]
    assert pages == ["", "page=2", "page=3"] * 2
    # 2. re-run of the same commit: found again, nothing written, no duplicate
    again = bot(cwd=repo)
    assert "pull request comment unchanged" in again.err
    assert len(stickies(standin)) == 1
    # 3. a push that fixes everything in train.py: the same comment updated in place
    (repo / "src/churn/train.py").write_text(FIXED)
    fixed = bot("--review", "off", cwd=repo)
    assert "pull request comment updated" in fixed.err
    (updated,) = stickies(standin)
    assert updated["id"] == comment["id"] and "hard-coded" not in updated["body"]
    # 4. the other mlnudge job's comment was never touched; only one comment was ever created
    assert stickies(standin, "CI/other")[0]["body"] == other_job
    posts = [w for w in writes(standin) if w == ("POST", f"/repos/{REPO}/issues/7/comments")]
    assert len(posts) == 1
    assert standin.violations() == []


def test_everything_fixed_says_so(standin: Any, bot: Callable[..., Run], tmp_path: Path) -> None:
    seed(standin)
    report = tmp_path / "clean.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlnudge",
            "check",
            "--format",
            "json",
            "--output",
            str(report),
            str(git_repo(tmp_path / "empty", {"README.md": "# hi\n"})),
        ],
        check=False,
    )
    data = json.loads(report.read_text())
    data["findings"] = []
    report.write_text(json.dumps(data))
    run = bot("--report", str(report))
    assert run.code == 0
    (comment,) = stickies(standin)
    assert "Nice work, nothing left to nudge!" in comment["body"]
    assert standin.state()["check_runs"][0]["conclusion"] == "neutral"


def test_inline_reviews_only_on_changed_lines_and_deduplicated(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    seed(standin)
    repo = git_repo(tmp_path / "repo", {"src/churn/__init__.py": "", "src/churn/train.py": TRAIN})
    first = bot(cwd=repo)
    assert "inline review comment(s) posted" in first.err
    posted = standin.state()["review_comments"]
    assert posted and {c["path"] for c in posted} == {"src/churn/train.py"}
    assert {c["line"] for c in posted} <= {5, 6, 7, 8}
    assert all(c["body"].startswith("<!-- mlnudge:fingerprint=") for c in posted)
    # the next push: the same findings are not commented again
    second = bot(cwd=repo)
    assert "0 inline review comment(s) posted" in second.err
    assert len(standin.state()["review_comments"]) == len(posted)
    assert len(standin.state()["reviews"]) == 1
    assert standin.violations() == []


def test_forks_without_write_permission_degrade_to_summary_and_annotations(
    standin: Any, bot: Callable[..., Run], example_report: Path
) -> None:
    seed(standin)
    denied = "Resource not accessible by integration"
    standin.faults(
        {"method": "POST", "path": "/issues/7/comments$", "status": 403, "message": denied},
        {"method": "POST", "path": "/pulls/7/reviews$", "status": 403, "message": denied},
        {"method": "POST", "path": "/check-runs$", "status": 403, "message": denied},
    )
    run = bot("--report", str(example_report), "--mode", "strict")
    assert run.code == 1  # the mode's rules, not the reporting trouble
    assert "pull request comment not posted: the token may not write here (403 " + denied in run.err
    assert "check run not created" in run.err and "fork-safe" in run.err
    assert "::warning file=src/churn/train.py,line=7" in run.out
    assert "#### New (not in the baseline file) (8)" in run.summary
    assert "not posted" in run.summary
    assert TOKEN not in run.out + run.err + run.summary + run.outputs
    advisory = bot("--report", str(example_report))
    assert advisory.code == 0


def test_rate_limit_honours_retry_after_and_lost_responses_do_not_duplicate(
    standin: Any, bot: Callable[..., Run], example_report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(standin)
    slept: list[float] = []
    monkeypatch.setattr("mlnudge.github.api.time.sleep", slept.append)
    standin.faults(
        {
            "method": "GET",
            "path": "/issues/7/comments$",
            "status": 429,
            "headers": {"Retry-After": "7"},
            "message": "rate limited",
        },
        # the comment is created but the response is lost: the retry must find it
        {
            "method": "POST",
            "path": "/issues/7/comments$",
            "status": 502,
            "after": True,
            "message": "Server Error",
        },
    )
    run = bot("--report", str(example_report), "--review", "off", "--check-run", "off")
    assert slept == [7.0, 4.0]  # Retry-After, then backoff for the second attempt's 502
    assert "retrying in 7s" in run.err
    assert "pull request comment unchanged" in run.err  # found the one the lost POST made
    assert len(stickies(standin)) == 1


def test_long_primary_rate_limit_is_not_waited_for(
    standin: Any, bot: Callable[..., Run], example_report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(standin)
    slept: list[float] = []
    monkeypatch.setattr("mlnudge.github.api.time.sleep", slept.append)
    standin.faults(
        {
            "method": "GET",
            "path": "/issues/7/comments$",
            "status": 403,
            "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"},
            "message": "API rate limit exceeded",
        },
    )
    run = bot("--report", str(example_report), "--review", "off", "--check-run", "off")
    assert slept == [] and run.code == 0
    assert "not waiting" in run.err and "job summary and annotations have the report" in run.err


def test_check_run_conclusions_follow_the_mode(
    standin: Any, bot: Callable[..., Run], example_report: Path
) -> None:
    seed(standin)
    for mode in ("advisory", "ratchet", "strict"):
        bot("--report", str(example_report), "--mode", mode, "--comment", "off", "--review", "off")
    runs = standin.state()["check_runs"]
    assert [r["conclusion"] for r in runs] == ["neutral", "failure", "failure"]
    assert runs[0]["head_sha"] == SHA and runs[0]["output"]["title"].startswith("12 finding(s)")


def test_outputs_sarif_and_artifact(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    run = bot(
        "--report",
        str(example_report),
        "--comment",
        "off",
        "--review",
        "off",
        "--check-run",
        "off",
        "--sarif",
        str(tmp_path / "r.sarif"),
        "--json",
        str(tmp_path / "r.json"),
        "--artifact-out",
        str(tmp_path / "artifact"),
    )
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "artifact" / "pr-number").read_text() == "7\n"
    assert (tmp_path / "artifact" / "head-sha").read_text() == f"{SHA}\n"
    lines = run.outputs.splitlines()
    assert lines[lines.index(next(x for x in lines if x.startswith("findings<<"))) + 1] == "12"
    assert "report-path<<" in run.outputs and str(tmp_path / "r.json") in run.outputs
    assert writes(standin) == []


def test_workflow_run_poster_checks_the_artifact_against_the_trusted_head(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    (artifact / "report.json").write_text(example_report.read_text())
    (artifact / "pr-number").write_text("7\n")
    (artifact / "head-sha").write_text(SHA + "\n")
    event = tmp_path / "workflow_run.json"
    poster_env = {
        "GITHUB_EVENT_NAME": "workflow_run",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKFLOW": "mlnudge comment",
        "GITHUB_JOB": "post",
    }
    event.write_text(json.dumps({"workflow_run": workflow_run("b" * 40)}))
    refused = bot("--artifact", str(artifact), **poster_env)
    assert refused.code == 2 and "refusing the input" in refused.err
    assert writes(standin) == []
    event.write_text(json.dumps({"workflow_run": workflow_run(SHA)}))
    posted = bot("--artifact", str(artifact), "--key", "CI/nudge", "--exit-zero", **poster_env)
    assert posted.code == 0 and "pull request comment created" in posted.err
    assert len(stickies(standin)) == 1
    # the PR moved on since: an outdated report is not posted
    seed(standin)
    standin.reset(pulls={"7": {"head_sha": "c" * 40, "files": []}})
    moved = bot("--artifact", str(artifact), **poster_env)
    assert "has moved on" in moved.err and writes(standin) == []


def test_more_than_30_inline_comments_go_in_several_reviews(standin: Any) -> None:
    from mlnudge.github.api import Api, connect

    patch = "@@ -0,0 +1,40 @@\n" + "\n".join(f"+x{i} = {i}" for i in range(1, 41))
    standin.reset(
        pulls={
            "7": {
                "head_sha": SHA,
                "files": [{"filename": "a.py", "status": "added", "patch": patch}],
            }
        }
    )
    comments = [
        {"path": "a.py", "line": i, "side": "RIGHT", "body": f"<!-- mlnudge:fingerprint=f{i} -->"}
        for i in range(1, 36)
    ]
    api = Api.for_repository(connect(standin.url, TOKEN), REPO, log=lambda _: None)
    assert api.review(7, SHA, comments, lambda n: f"{n} nudges") == 35
    state = standin.state()
    assert [r["body"] for r in state["reviews"]] == ["30 nudges", "5 nudges"]
    assert len(state["review_comments"]) == 35
    assert standin.violations() == []


def test_check_path_never_imports_pygithub(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", {"src/churn/train.py": TRAIN})
    code = (
        "import sys\nfrom mlnudge.cli import main\n"
        f"main(['check', {str(repo)!r}, '--format', 'json'])\n"
        "assert 'github' not in sys.modules, 'PyGithub imported on the check path'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
