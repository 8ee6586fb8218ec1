"""PyGithub against Prism mocking GitHub's own OpenAPI description of api.github.com.

Prism answers with GitHub's examples and rejects (422) any request the description does not
allow, so these tests show that every call the bot makes is a valid GitHub API call, and how
the bot behaves on GitHub's documented error responses (``Prefer: code=...``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from github import Auth

from mlnudge.checks import rule_texts
from mlnudge.finding import Finding, Severity
from mlnudge.github.api import Api, ReportingError, connect
from mlnudge.github.cli import main
from mlnudge.github.diff import parse_patch
from mlnudge.github.review import inline_comments
from mlnudge.report.model import Report

REPO = "octocat/Hello-World"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
TOKEN = "ghs_prismTOKENvalue0123456789"

pytestmark = pytest.mark.e2e


class PreferToken(Auth.Token):
    """Token authentication that also asks Prism for a given response code."""

    def __init__(self, token: str, prefer: str) -> None:
        super().__init__(token)
        self.prefer = prefer

    def authentication(self, headers: dict[str, str]) -> None:
        super().authentication(headers)
        headers["Prefer"] = self.prefer


def api(prism: Any, prefer: str | None = None) -> Api:
    auth = PreferToken(TOKEN, prefer) if prefer else None
    waits: list[float] = []
    return Api.for_repository(
        connect(prism.url, TOKEN, auth=auth), REPO, sleep=waits.append, log=lambda _: None
    )


def test_whole_bot_run_makes_only_valid_calls(
    prism_mock: Any,
    example_report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 1347, "head": {"sha": SHA}}}))
    summary = tmp_path / "summary.md"
    for name, value in {
        "GITHUB_API_URL": prism_mock.url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKFLOW": "CI",
        "GITHUB_JOB": "nudge",
    }.items():
        monkeypatch.setenv(name, value)
    before = len(prism_mock.violations())
    assert main(["--report", str(example_report)]) == 0
    err = capsys.readouterr().err
    assert "pull request comment created" in err
    assert "0 inline review comment(s) posted" in err  # the example diff adds no lines
    assert "check run created (neutral)" in err
    assert "not posted" not in err and "not created" not in err
    assert prism_mock.violations()[before:] == []
    assert TOKEN not in err + summary.read_text()


def test_review_request_is_valid(prism_mock: Any) -> None:
    finding = Finding(
        "MLN201",
        "src/train.py",
        "`lr=0.1` is hard-coded.",
        Severity.WARNING,
        line=3,
        end_line=4,
        suggestion="lr = params['lr']\nepochs = params['epochs']",
        fingerprint="f1",
    )
    diffs = {"src/train.py": parse_patch("@@ -1,2 +1,4 @@\n a\n b\n+lr = 0.1\n+epochs = 3")}
    comments = inline_comments(Report(findings=(finding,), rules=rule_texts()), diffs)
    assert comments[0]["start_line"] == 3
    before = len(prism_mock.violations())
    # Prism's example review comments carry no mlnudge marker: nothing is filtered out
    assert api(prism_mock).review(1347, SHA, comments, lambda n: f"{n} nudges") == 1
    assert prism_mock.violations()[before:] == []


def test_sticky_comment_and_check_run_requests_are_valid(prism_mock: Any) -> None:
    client = api(prism_mock)
    what, url = client.upsert_sticky(1347, "CI/nudge", "<!-- mlnudge:sticky key=CI/nudge -->\nhi")
    assert what == "created" and url.startswith("https://github.com/")
    assert client.check_run("mlnudge", SHA, "neutral", {"title": "t", "summary": "s"})
    assert client.head_sha(1347) == SHA


def test_forbidden_is_a_permission_error_without_retries(prism_mock: Any) -> None:
    client = api(prism_mock, prefer="code=403")
    with pytest.raises(ReportingError) as caught:
        client.call("comment", lambda: client.repo.get_issue(1347).create_comment("b"))
    assert caught.value.status == 403 and caught.value.permission
    assert client.waited == []


def test_validation_failed_is_not_retried(prism_mock: Any) -> None:
    client = api(prism_mock, prefer="code=422")
    with pytest.raises(ReportingError) as caught:
        client.changed_files(1347)
    assert caught.value.status == 422 and not caught.value.permission
    assert client.waited == []


def test_server_errors_are_retried_with_backoff_then_given_up(prism_mock: Any) -> None:
    client = api(prism_mock, prefer="code=503")
    with pytest.raises(ReportingError) as caught:
        client.head_sha(1347)
    assert caught.value.status == 503
    assert client.waited == [2.0, 4.0]  # three attempts in all
