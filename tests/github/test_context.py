"""Untrusted input from the fork-safe artifact, and the Actions environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlnudge.github.context import (
    ActionsEnv,
    PullRequest,
    UntrustedInputError,
    load_artifact,
    load_report,
    parse_number,
    parse_sha,
    pull_request_from_event,
    write_artifact,
)

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, 7), ("7", 7), (" 42\n", 42), ("1234567890", 1234567890)],
)
def test_pr_number_accepts_positive_integers(value: object, expected: int) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    "value",
    [0, -1, True, 1.5, "07", "7; rm -rf /", "1e3", "", None, "12345678901", [7], "٣"],
)
def test_pr_number_rejects_everything_else(value: object) -> None:
    with pytest.raises(UntrustedInputError, match="positive integer"):
        parse_number(value)


@pytest.mark.parametrize(
    "value",
    [SHA.upper(), SHA[:39], SHA + "0", "g" * 40, f"{SHA[:20]} {SHA[:19]}", None, 12, "main"],
)
def test_sha_must_be_40_lowercase_hex(value: object) -> None:
    with pytest.raises(UntrustedInputError, match="40 hexadecimal"):
        parse_sha(value)


def test_environment_is_read_from_the_standard_variables(tmp_path: Path) -> None:
    env = ActionsEnv.from_environ(
        {
            "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
            "GITHUB_SERVER_URL": "https://ghe.example.com",
            "GITHUB_REPOSITORY": "team/churn",
            "GITHUB_WORKFLOW": "CI",
            "GITHUB_JOB": "nudge",
            "GITHUB_RUN_ID": "99",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "s.md"),
        }
    )
    assert env.api_url == "https://ghe.example.com/api/v3"
    assert env.key() == "CI/nudge"
    assert env.run_url() == "https://ghe.example.com/team/churn/actions/runs/99"
    assert env.step_summary == tmp_path / "s.md"
    assert ActionsEnv.from_environ({}).api_url == "https://api.github.com"


def test_pull_request_event_gives_number_and_head() -> None:
    event = {"number": 5, "pull_request": {"number": 5, "head": {"sha": SHA}}}
    assert pull_request_from_event(event) == PullRequest(5, SHA)
    assert pull_request_from_event({"ref": "refs/heads/main"}) is None


def _artifact(tmp_path: Path, report: str, number: str = "7\n", sha: str = SHA) -> Path:
    (tmp_path / "report.json").write_text(report, encoding="utf-8")
    (tmp_path / "pr-number").write_text(number, encoding="utf-8")
    (tmp_path / "head-sha").write_text(sha, encoding="utf-8")
    return tmp_path


def test_artifact_round_trip(tmp_path: Path, example_report: Path) -> None:
    text = example_report.read_text(encoding="utf-8")
    write_artifact(tmp_path / "a", text, PullRequest(7, SHA))
    report, pr, notes = load_artifact(tmp_path / "a")
    assert pr == PullRequest(7, SHA) and notes == []
    assert len(report.findings) == len(json.loads(text)["findings"])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("summary"), "'summary' is a required property"),
        (lambda d: d.update(schema_version=2), "schema_version"),
        (lambda d: d["findings"][0].update(rule="MLN1; <img>"), "findings/0/rule"),
        (lambda d: d["findings"][0].update(line="12"), "findings/0/line"),
        (lambda d: d["findings"][0].update(rule="MLN999"), "not a usable mlnudge report"),
    ],
)
def test_artifact_report_must_match_the_schema(
    tmp_path: Path, example_report: Path, mutate: object, message: str
) -> None:
    data = json.loads(example_report.read_text(encoding="utf-8"))
    assert callable(mutate)
    mutate(data)
    with pytest.raises(UntrustedInputError, match=message):
        load_artifact(_artifact(tmp_path, json.dumps(data)))


@pytest.mark.parametrize(
    ("number", "sha"),
    [("7 8", SHA), ("-7", SHA), ("7", "HEAD"), ("x" * 500, SHA)],
)
def test_artifact_pr_number_and_sha_are_checked(
    tmp_path: Path, example_report: Path, number: str, sha: str
) -> None:
    with pytest.raises(UntrustedInputError):
        load_artifact(_artifact(tmp_path, example_report.read_text(), number, sha))


def test_artifact_rejects_symlinks_and_non_json(tmp_path: Path, example_report: Path) -> None:
    artifact = _artifact(tmp_path, "not json")
    with pytest.raises(UntrustedInputError, match="not JSON"):
        load_artifact(artifact)
    (artifact / "report.json").unlink()
    (artifact / "report.json").symlink_to(example_report)
    with pytest.raises(UntrustedInputError, match="not a regular file"):
        load_artifact(artifact)


def test_oversized_report_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    with path.open("w") as out:
        out.truncate(21 * 1024 * 1024)
    with pytest.raises(UntrustedInputError, match="larger than"):
        load_report(path)
