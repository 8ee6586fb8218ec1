"""GitHub's bad minutes, each against the stateful stand-in behind ``prism proxy --errors``.

5xx, timeouts, 401/403, a comment deleted between lookup and update (404), a body GitHub finds
too long (422), secondary rate limits with ``Retry-After``, and two runs racing through the
de-duplication. Every case checks what the log and the job summary say, that the annotations
and the job summary are still written, and that the exit code follows the mode only.

Backoffs and timeouts are made short with ``MLNUDGE_GITHUB_BACKOFF`` and
``MLNUDGE_GITHUB_TIMEOUT`` (test-only knobs, docs/github.md); ``Retry-After`` is 1 s at most.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import pull_request_job, racing_bot_runs

from mlnudge.github.cli import main

pytestmark = pytest.mark.e2e

REPO = "team/churn"
SHA = "a" * 40
TOKEN = "ghs_faultsSECRET0123456789abcdef"
MARKER = "<!-- mlnudge:sticky key=CI/nudge -->"
COMMENTS = "/issues/7/comments$"
FAST = {"MLNUDGE_GITHUB_BACKOFF": "0.05", "MLNUDGE_GITHUB_TIMEOUT": "1"}


@dataclass
class Run:
    code: int
    out: str
    err: str
    summary: str
    seconds: float


@pytest.fixture
def bot(
    standin: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    example_report: Path,
) -> Callable[..., Run]:
    """``mlnudge github --report`` in a pull_request job of ``team/churn``."""
    env, summary = pull_request_job(standin.url, tmp_path, repo=REPO, sha=SHA, token=TOKEN)
    env |= FAST
    monkeypatch.delenv("MLNUDGE_BOT_LOGIN", raising=False)

    def run(*args: str, **extra_env: str) -> Run:
        for name, value in {**env, **extra_env}.items():
            monkeypatch.setenv(name, value)
        summary.write_text("")
        started = time.perf_counter()
        code = main(["--report", str(example_report), *args])
        seconds = time.perf_counter() - started
        captured = capsys.readouterr()
        assert TOKEN not in captured.out + captured.err + summary.read_text()
        return Run(code, captured.out, captured.err, summary.read_text(), seconds)

    return run


def seed(standin: Any, *comments: str) -> None:
    standin.reset(
        pulls={"7": {"head_sha": SHA, "files": []}},
        comments=[{"issue": 7, "body": b, "login": "github-actions[bot]"} for b in comments],
    )


def stickies(standin: Any) -> list[dict[str, Any]]:
    return [c for c in standin.state()["issue_comments"] if c["body"].startswith(MARKER)]


def requests(standin: Any, method: str, path_end: str) -> list[dict[str, Any]]:
    log = standin.state()["log"]
    end = path_end.rstrip("$")
    return [e for e in log if e["method"] == method and e["path"].endswith(end)]


def degraded_everywhere(run: Run, text: str) -> None:
    """The failure is named in the log and in the job summary, and the report is still out."""
    assert text in run.err, run.err
    assert text in run.summary, run.summary
    assert "::warning file=src/churn/train.py,line=7" in run.out  # annotations written
    assert "mlnudge: 8 new nudges (not in the baseline file)" in run.summary  # the report


def test_server_errors_are_retried_with_backoff_then_succeed(
    standin: Any, bot: Callable[..., Run]
) -> None:
    seed(standin)
    standin.faults({"method": "POST", "path": COMMENTS, "status": 502, "times": 2})
    run = bot("--review", "off", "--check-run", "off")
    assert run.code == 0
    assert "retrying in 0.05s (attempt 2 of 3)" in run.err
    assert "retrying in 0.1s (attempt 3 of 3)" in run.err  # exponential backoff
    assert "pull request comment created" in run.err
    assert len(requests(standin, "POST", COMMENTS)) == 3 and len(stickies(standin)) == 1
    assert standin.violations() == []


def test_server_errors_that_last_degrade_after_three_attempts(
    standin: Any, bot: Callable[..., Run]
) -> None:
    seed(standin)
    standin.faults(
        {"method": "POST", "path": COMMENTS, "status": 503, "times": 5, "message": "Unavailable"}
    )
    run = bot()
    assert run.code == 0
    degraded_everywhere(
        run,
        "pull request comment not posted: GitHub had a server error (503 Unavailable; gave up "
        "after 3 attempts)",
    )
    assert len(requests(standin, "POST", COMMENTS)) == 3  # bounded
    # the other parts are tried on their own and still work
    assert "check run created (neutral)" in run.err and len(standin.state()["check_runs"]) == 1
    assert stickies(standin) == []


def test_a_timeout_is_retried_and_one_that_lasts_degrades(
    standin: Any, bot: Callable[..., Run]
) -> None:
    seed(standin)
    standin.faults({"method": "GET", "path": COMMENTS, "delay": 2.5, "times": 1})
    once = bot("--review", "off", "--check-run", "off")
    assert "got a network error (no answer in time (ReadTimeout)); retrying" in once.err
    assert "pull request comment created" in once.err and len(stickies(standin)) == 1
    seed(standin)
    standin.faults({"method": "GET", "path": COMMENTS, "delay": 2.5, "times": 3})
    always = bot("--review", "off", "--check-run", "off")
    assert always.code == 0
    degraded_everywhere(
        always,
        "pull request comment not posted: network error: no answer in time (ReadTimeout); gave "
        "up after 3 attempts",
    )
    assert always.seconds < 3 * 1 + 2  # three 1 s timeouts and two short backoffs, not more
    assert stickies(standin) == []


@pytest.mark.parametrize("mode", ["advisory", "strict"])
def test_a_rejected_token_stops_after_the_first_call(
    standin: Any, bot: Callable[..., Run], mode: str
) -> None:
    seed(standin)
    standin.faults({"method": "GET", "path": COMMENTS, "status": 401, "message": "Bad credentials"})
    run = bot("--mode", mode)
    assert run.code == (0 if mode == "advisory" else 1)  # the mode decides, not the 401
    degraded_everywhere(run, "GitHub rejected the token (401 Bad credentials)")
    assert "review comments and check run not tried" in run.err
    assert "retrying" not in run.err
    assert len(standin.state()["log"]) == 1  # no retry, and nothing else tried


def test_forbidden_is_not_retried(standin: Any, bot: Callable[..., Run]) -> None:
    seed(standin)
    denied = "Resource not accessible by integration"
    standin.faults({"method": "POST", "path": "/check-runs$", "status": 403, "message": denied})
    run = bot("--review", "off")
    assert run.code == 0
    degraded_everywhere(run, f"check run not created: the token may not write here (403 {denied})")
    assert "retrying" not in run.err and len(requests(standin, "POST", "/check-runs")) == 1
    assert "pull request comment created" in run.err


def test_secondary_rate_limit_honours_retry_after(standin: Any, bot: Callable[..., Run]) -> None:
    seed(standin)
    message = "You have exceeded a secondary rate limit. Please wait a few minutes."
    standin.faults(
        {
            "method": "POST",
            "path": COMMENTS,
            "status": 403,
            "headers": {"Retry-After": "1"},
            "message": message,
        }
    )
    run = bot("--review", "off", "--check-run", "off")
    assert "mlnudge: the pull request comment got 403 (You have exceeded a secondary" in run.err
    assert "retrying in 1s (attempt 2 of 3)" in run.err
    assert run.seconds >= 1.0  # it did wait as told
    assert "pull request comment created" in run.err and len(stickies(standin)) == 1


def test_a_retry_after_beyond_the_cap_is_not_waited_for(
    standin: Any, bot: Callable[..., Run]
) -> None:
    seed(standin)
    standin.faults(
        {
            "method": "POST",
            "path": COMMENTS,
            "status": 403,
            "headers": {"Retry-After": "120"},
            "message": "You have exceeded a secondary rate limit.",
        }
    )
    run = bot("--review", "off", "--check-run", "off", "--mode", "strict", "--exit-zero")
    assert run.code == 0 and run.seconds < 10
    degraded_everywhere(
        run,
        "pull request comment not posted: GitHub's rate limit (403 rate limited for 120s more; "
        "not waiting longer than 60s)",
    )
    assert "may not write" not in run.err  # a rate limit is not a permission problem


def test_a_comment_deleted_between_lookup_and_update_is_created_again(
    standin: Any, bot: Callable[..., Run]
) -> None:
    seed(standin, f"{MARKER}\nthe report of an older push")
    (old,) = stickies(standin)
    # someone deletes the comment just before the bot's PATCH reaches GitHub: a real 404
    standin.faults({"method": "PATCH", "path": r"/issues/comments/\d+$", "delete": True})
    run = bot("--review", "off", "--check-run", "off")
    assert run.code == 0
    assert "deleted while it was being updated; creating it again" in run.err
    assert "pull request comment created" in run.err
    (new,) = stickies(standin)
    assert new["id"] != old["id"] and "older push" not in new["body"]
    assert [e.get("fault") for e in requests(standin, "PATCH", f"/{old['id']}")] == ["deleted"]
    assert standin.violations() == []


def test_a_pull_request_that_is_gone_is_named_honestly(
    standin: Any, bot: Callable[..., Run]
) -> None:
    standin.reset(pulls={})
    standin.faults({"method": "GET", "path": COMMENTS, "status": 404, "message": "Not Found"})
    run = bot("--review", "off", "--check-run", "off")
    assert run.code == 0
    degraded_everywhere(run, "pull request comment not posted: not found (404 Not Found)")
    assert "retrying" not in run.err


def test_a_body_too_long_for_github_is_posted_shorter_once(
    standin: Any, bot: Callable[..., Run]
) -> None:
    seed(standin)
    too_long = "Body is too long (maximum is 65536 characters)"
    standin.faults({"method": "POST", "path": COMMENTS, "status": 422, "message": too_long})
    run = bot("--review", "off", "--check-run", "off")
    assert "422" in run.err and "trying once more with a shorter comment" in run.err
    assert "pull request comment created (shortened)" in run.err
    (comment,) = stickies(standin)
    assert len(comment["body"]) <= 15_000
    # rejected again: not retried a third time, said so, exit code unchanged
    seed(standin)
    standin.faults(
        {"method": "POST", "path": COMMENTS, "status": 422, "message": too_long, "times": 2}
    )
    again = bot("--review", "off", "--check-run", "off")
    assert again.code == 0
    degraded_everywhere(again, f"GitHub rejected the request (422 {too_long})")
    assert len(requests(standin, "POST", COMMENTS)) == 2 and stickies(standin) == []


def test_a_bad_tuning_variable_is_named_and_ignored(
    standin: Any, bot: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(standin)
    run = bot("--review", "off", "--check-run", "off", MLNUDGE_GITHUB_BACKOFF="soon")
    assert "MLNUDGE_GITHUB_BACKOFF must be a number of seconds from 0 to 60" in run.err
    assert "using the defaults" in run.err and "pull request comment created" in run.err


def test_two_runs_racing_through_create_and_cleanup_leave_one_comment(
    standin: Any, example_report: Path, tmp_path: Path
) -> None:
    """Both look up, both create, both list again and both delete the newer one at once."""
    seed(standin)
    standin.faults(
        {"method": "GET", "path": COMMENTS, "gate": 2},
        {"method": "POST", "path": COMMENTS, "gate": 2},
        {"method": "GET", "path": COMMENTS, "gate": 2},
    )
    job, _ = pull_request_job(standin.url, tmp_path, repo=REPO, sha=SHA, token=TOKEN)
    procs = racing_bot_runs({**os.environ, **job, **FAST}, example_report)
    errs = [p.stderr for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert all("removed 1 duplicate comment(s)" in e for e in errs), errs
    assert len(stickies(standin)) == 1
    deletes = requests(standin, "DELETE", "")
    assert len(deletes) == 2  # the same comment, twice: one 204, one 404 taken in stride
    assert len({e["path"] for e in deletes}) == 1
    assert standin.violations() == []


def test_a_duplicate_left_by_a_late_write_is_removed_on_the_next_run(
    standin: Any, bot: Callable[..., Run]
) -> None:
    """A create that lands after the other run's clean-up leaves two; the next run keeps one."""
    seed(standin, f"{MARKER}\nthe older one", f"{MARKER}\nthe late duplicate")
    oldest = min(c["id"] for c in stickies(standin))
    run = bot("--review", "off", "--check-run", "off")
    assert "removed 1 duplicate comment(s)" in run.err
    assert "pull request comment updated" in run.err
    (kept,) = stickies(standin)
    assert kept["id"] == oldest and "older one" not in kept["body"]
    assert standin.violations() == []
