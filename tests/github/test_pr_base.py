"""``mlnudge github`` in a pull_request event compares with the base, against the API stand-in.

Real git repositories (``tests/pr_scenarios.py``): the churn example on ``main`` and one pull
request each; the event names the PR's base commit as GitHub's does. Nothing is configured.
Each posted comment is checked for length, structure and content.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pr_scenarios import (
    fixes_two,
    git,
    moves_a_function,
    one_hyperparameter_pr,
    renames_a_file,
    shifts_every_line,
)

from mlnudge.cli import main as cli_main
from mlnudge.config import load_config
from mlnudge.diffbase import run_against_base
from mlnudge.github import comment as words
from mlnudge.github.cli import fetch_auth, main
from mlnudge.github.context import ActionsEnv, base_from_event
from mlnudge.report import jsonout

pytestmark = pytest.mark.e2e

REPO = "team/churn"
TOKEN = "ghs_prbaseSECRET0123456789abcdef"


@dataclass
class Run:
    code: int
    out: str
    err: str
    summary: str
    outputs: dict[str, str]
    report: dict[str, Any] | None


@pytest.fixture
def bot(
    standin: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Run]:
    def run(
        repo: Path, base: str | None, *args: str, files: list[dict[str, str]] | None = None
    ) -> Run:
        head = git(repo, "rev-parse", "HEAD").strip()
        standin.reset(pulls={"7": {"head_sha": head, "files": files or []}})
        event = tmp_path / "event.json"
        pull: dict[str, Any] = {"number": 7, "head": {"sha": head}}
        if base is not None:
            pull["base"] = {"sha": base, "ref": "main"}
        event.write_text(json.dumps({"action": "synchronize", "pull_request": pull}))
        summary, outputs, report = (
            tmp_path / "summary.md",
            tmp_path / "outputs",
            tmp_path / "report.json",
        )
        summary.write_text("")
        outputs.write_text("")
        report.unlink(missing_ok=True)
        env = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_API_URL": standin.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_WORKFLOW": "CI",
            "GITHUB_JOB": "nudge",
            "GITHUB_RUN_ID": "99",
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(repo)
        code = main(["--review", "off", "--json", str(report), *args])
        captured = capsys.readouterr()
        parsed = dict(_outputs(outputs.read_text()))
        return Run(
            code,
            captured.out,
            captured.err,
            summary.read_text(),
            parsed,
            json.loads(report.read_text()) if report.exists() else None,
        )

    return run


def _outputs(text: str) -> list[tuple[str, str]]:
    """``name<<DELIM\\nvalue\\nDELIM`` blocks of GITHUB_OUTPUT."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        name, _, delimiter = lines[i].partition("<<")
        j = lines.index(delimiter, i + 1)
        out.append((name, "\n".join(lines[i + 1 : j])))
        i = j + 1
    return out


def sticky(standin: Any) -> str:
    marker = "<!-- mlnudge:sticky key=CI/nudge -->"
    (comment,) = [c for c in standin.state()["issue_comments"] if c["body"].startswith(marker)]
    body: str = comment["body"]
    return body


def section(body: str, heading: str) -> list[str]:
    """The bullets under ``heading`` up to the next heading or collapsed block."""
    start = body.index(heading) + len(heading)
    end = min(i for i in (body.find("\n<details>", start), body.find("\n#### ", start)) if i >= 0)
    return [line for line in body[start:end].splitlines() if line.startswith("- ")]


def check_shape(body: str) -> None:
    """What every comment must be: short, first lines say it all, balanced markup."""
    lines = body.splitlines()
    assert len(body) < 12_000 < words.COMMENT_BUDGET
    assert lines[1].startswith("### 👋 mlnudge: ")
    assert lines[2].startswith(("✅ **Nothing blocks", "⛔ **"))
    assert lines[3].startswith("Checked `")
    visible = body.split("\n<details>", 1)[0]
    assert len(visible.splitlines()) < 45  # the part that is not collapsed reads in seconds
    assert body.count("<details>") == body.count("</details>")
    assert "`readme`" not in body and "no `package` finding" not in body  # words, not keys
    assert "in the baseline file" not in body  # there is none: it is the base branch


def test_one_new_hyperparameter_is_the_whole_new_section_and_matches_the_cli(
    standin: Any, bot: Callable[..., Run], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "churn"
    base = one_hyperparameter_pr(repo)
    run = bot(repo, base)
    assert run.code == 0, run.err
    body = sticky(standin)
    check_shape(body)
    assert body.splitlines()[1] == "### 👋 mlnudge: 1 new nudge in this pull request"
    (bullet,) = section(body, "#### New in this pull request (1)")
    assert "churn/tune.py" in body.split("#### New in this pull request (1)")[1].split("- ")[0]
    assert "`C=0.5`" in bullet and "**MLN201**" in bullet
    assert "```yaml\n   train:\n     C: 0.5\n   ```" in body  # the ready-to-paste block
    existing = len(run.report["findings"]) - 1 if run.report else -1
    assert existing >= 20  # dozens of existing findings, none of them in the new section
    assert f"<details><summary>{existing} findings already on the base branch" in body
    assert run.outputs["new"] == "1" and run.outputs["fixed"] == "0"
    assert run.outputs["existing"] == str(existing)
    annotations = [a for a in run.out.splitlines() if a.startswith(("::warning", "::error"))]
    assert len(annotations) == 1 and "churn/tune.py" in annotations[0]
    assert "1 new nudge in this pull request" in run.summary  # the job summary says it too
    assert standin.violations() == []

    # the CLI's --diff-base gives the same split
    assert cli_main(["check", "--diff-base", base, "--format", "json", "--no-cache"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert run.report is not None
    split = {f["fingerprint"]: f["new"] for f in run.report["findings"]}
    assert {f["fingerprint"]: f["new"] for f in cli["findings"]} == split
    assert cli["summary"]["new"] == run.report["summary"]["new"] == 1


@pytest.mark.parametrize(
    "scenario", [moves_a_function, shifts_every_line, renames_a_file], ids=lambda f: f.__name__
)
def test_moved_shifted_and_renamed_code_adds_nothing_new(
    scenario: Callable[[Path], str], standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    repo = tmp_path / "churn"
    run = bot(repo, scenario(repo))
    assert run.code == 0, run.err
    body = sticky(standin)
    check_shape(body)
    assert body.splitlines()[1] == "### 👋 mlnudge: this pull request adds no new nudges"
    assert "#### New in" not in body and "#### Next steps" not in body
    assert "| Parameters in code | 0 |" in body
    assert run.outputs["new"] == "0" and run.outputs["fixed"] == "0"


def test_two_fixed_findings_are_celebrated(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    repo = tmp_path / "churn"
    run = bot(repo, fixes_two(repo))
    body = sticky(standin)
    check_shape(body)
    assert (
        body.splitlines()[1] == "### 👋 mlnudge: this pull request adds no new nudges, 2 fixed 🎉"
    )
    fixed = body.split("<details><summary>🎉 2 findings fixed in this pull request</summary>")[1]
    fixed = fixed.split("</details>")[0]
    assert "`test_size=0.2`" in fixed and "`random_state=42`" in fixed
    assert run.report is not None and len(run.report["fixed"]) == 2
    params = sum(1 for f in run.report["findings"] if f["check"] == "params")
    assert f"| Parameters in code | 0 | {params} | 2 |" in body
    assert run.outputs["fixed"] == "2"


def test_shallow_clone_fetches_its_base_only_when_asked(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    origin = tmp_path / "churn"
    base = one_hyperparameter_pr(origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "feature", origin.as_uri(), str(clone))
    refused = bot(clone, base)
    assert refused.code == 2
    assert "not a commit in this repository (this clone is shallow)" in refused.err
    assert "fetch-depth: 0" in refused.err and "git fetch --unshallow" in refused.err
    assert standin.state()["issue_comments"] == []  # nothing half-true was posted
    fetched = bot(clone, base, "--fetch-base", "on")
    assert fetched.code == 0, fetched.err
    assert "fetching the base" in fetched.err
    assert "#### New in this pull request (1)" in sticky(standin)


def test_without_a_base_in_the_event_it_says_so(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    repo = tmp_path / "churn"
    one_hyperparameter_pr(repo)
    run = bot(repo, None)
    assert "the event names no base commit" in run.err
    body = sticky(standin)
    assert body.splitlines()[1].startswith("### 👋 mlnudge: ")
    assert "#### Findings (" in body  # nothing claims to be new
    explicit = bot(repo, None, "--diff-base", "main")
    assert explicit.code == 0 and "#### New in this pull request (1)" in sticky(standin)


ENFORCEMENT = """mode = "ratchet"
warn-until = { MLN201 = "2027-03-01" }

[[waivers]]
rules = ["MLN203"]
reason = "seeds are fixed for the Q4 benchmark"
expires = "2027-01-01"
"""


@pytest.mark.parametrize(
    ("today", "blocks"), [(datetime.date(2026, 12, 15), False), (datetime.date(2027, 3, 1), True)]
)
def test_dates_on_both_sides_of_warn_until_and_waiver_expiry(
    today: datetime.date,
    blocks: bool,
    standin: Any,
    bot: Callable[..., Run],
    tmp_path: Path,
) -> None:
    repo = tmp_path / "churn"
    base = one_hyperparameter_pr(repo)
    (repo / ".mlnudge.toml").write_text(ENFORCEMENT)
    report = run_against_base(repo, load_config(repo), base, use_cache=False, today=today)
    saved = tmp_path / "saved.json"
    saved.write_text(jsonout.render(report))
    run = bot(repo, base, "--report", str(saved))
    body = sticky(standin)
    check_shape(body)
    (bullet,) = section(body, "#### New in this pull request (1)")
    if blocks:
        assert run.code == 1
        assert body.splitlines()[2] == (
            "⛔ **1 new finding at warning or above blocks the merge** (ratchet mode)."
        )
        assert "advisory until" not in bullet
        # the waiver has expired: its findings are back (existing, so they do not block)
        assert "⚠️ its waiver expired on 2027-01-01 (seeds are fixed for the Q4 benchmark)" in body
        assert "Waived or suppressed" not in body
    else:
        assert run.code == 0
        assert body.splitlines()[2] == (
            "✅ **Nothing blocks the merge** (ratchet mode). 1 finding will block from "
            "2027-03-01 (`warn-until`); until then they only nudge."
        )
        assert "⏳ advisory until 2027-03-01, blocks from then on" in bullet
        assert "(waived until 2027-01-01)" in body
        assert "seeds are fixed for the Q4 benchmark" in body


def test_fetching_the_base_can_use_the_job_token_without_putting_it_on_a_command_line(
    tmp_path: Path,
) -> None:
    env = ActionsEnv.from_environ(
        {"GITHUB_TOKEN": TOKEN, "GITHUB_SERVER_URL": "https://ghe.example"}
    )
    extra = fetch_auth(env)
    assert all(TOKEN not in key for key in extra)  # only inside a value of the environment
    proc = subprocess.run(
        ["git", "config", "--get", "http.https://ghe.example/.extraheader"],
        cwd=tmp_path,
        env={**os.environ, **extra},
        capture_output=True,
        text=True,
        check=True,
    )
    header = proc.stdout.strip()
    assert header.startswith("AUTHORIZATION: basic ")
    assert base64.b64decode(header.split()[-1]).decode() == f"x-access-token:{TOKEN}"
    assert fetch_auth(ActionsEnv.from_environ({})) == {}


def test_the_base_comes_from_pull_request_and_workflow_run_events() -> None:
    base, head = "b" * 40, "c" * 40
    pull = {"number": 7, "head": {"sha": head}, "base": {"sha": base, "ref": "main"}}
    assert base_from_event({"pull_request": pull}) == base
    assert base_from_event({"workflow_run": {"head_sha": head, "pull_requests": [pull]}}) == base
    assert base_from_event({"workflow_run": {"head_sha": head, "pull_requests": []}}) is None
    assert base_from_event({"pull_request": {**pull, "base": {"sha": "not a sha"}}}) is None
    assert base_from_event({"ref": "refs/heads/main"}) is None  # a push: no base


def test_moved_code_on_added_lines_gets_no_inline_comments_new_code_does(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    repo = tmp_path / "churn"
    base = moves_a_function(repo)
    (repo / "churn" / "tune.py").write_text(
        "from sklearn.linear_model import LogisticRegression\n\n\n"
        "def baseline_model():\n    return LogisticRegression(C=0.5)\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "and a baseline model")
    files = []
    for path in ("churn/encoding.py", "churn/tune.py"):
        lines = (repo / path).read_text().splitlines()
        patch = f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join("+" + line for line in lines)
        files.append({"filename": path, "status": "added", "patch": patch})
    run = bot(repo, base, "--review", "on", files=files)
    assert run.code == 0, run.err
    posted = standin.state()["review_comments"]
    assert [(c["path"], c["line"]) for c in posted] == [("churn/tune.py", 5)]
    assert "1 inline review comment(s) posted" in run.err
    assert standin.violations() == []
