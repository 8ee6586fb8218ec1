"""Where we run: the GitHub Actions environment, the pull request, and untrusted artifacts.

The fork-safe setup moves a report from an unprivileged ``pull_request`` run to a privileged
``workflow_run`` run as an artifact. Everything in it was produced by code from the pull
request, so :func:`load_artifact` treats it as hostile: sizes are bounded, the report must
validate against ``report.schema.json`` and the bounds of ``artifact.schema.json``, the pull
request number must be a positive integer and the head SHA exactly 40 hex digits; then
:func:`mlnudge.github.untrusted.as_data` keeps only data from it. Any failure, a deeply nested
document's ``RecursionError`` included, is an :class:`UntrustedInputError` with a clear message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlnudge.checks import rule_texts
from mlnudge.report.model import Report, from_dict

SHA_RE = re.compile(r"[0-9a-f]{40}")
NUMBER_RE = re.compile(r"[1-9][0-9]{0,9}")
MAX_REPORT_BYTES = 20 * 1024 * 1024
#: an artifact is checked against this before it is downloaded (the zip) and after (report.json)
MAX_ARTIFACT_BYTES = 5 * 1024 * 1024
MAX_SMALL_FILE_BYTES = 100
#: the files of the artifact the analysis job uploads and the posting job reads
ARTIFACT_REPORT = "report.json"
ARTIFACT_PR_NUMBER = "pr-number"
ARTIFACT_HEAD_SHA = "head-sha"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "report" / "report.schema.json"
BOUNDS_PATH = Path(__file__).resolve().parent / "artifact.schema.json"


class ContextError(Exception):
    """The environment, the event or an input file cannot be used; the message says why."""


class UntrustedInputError(ContextError):
    """An artifact or report file failed validation; nothing was posted."""


class TrustError(ContextError):
    """What an artifact claims disagrees with what GitHub says; nothing was posted."""


@dataclass(frozen=True)
class ActionsEnv:
    """The standard variables of a GitHub Actions job (github.com, GHES or a local stand-in)."""

    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    repository: str | None = None
    event_name: str | None = None
    event_path: Path | None = None
    #: never in a repr, a log line or an error message
    token: str | None = field(default=None, repr=False)
    step_summary: Path | None = None
    output: Path | None = None
    sha: str | None = None
    workflow: str = ""
    job: str = ""
    run_id: str | None = None
    workspace: Path | None = None
    in_actions: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ActionsEnv:
        def path(name: str) -> Path | None:
            value = environ.get(name, "")
            return Path(value) if value else None

        return cls(
            api_url=(environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
            server_url=(environ.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
            repository=environ.get("GITHUB_REPOSITORY") or None,
            event_name=environ.get("GITHUB_EVENT_NAME") or None,
            event_path=path("GITHUB_EVENT_PATH"),
            token=environ.get("GITHUB_TOKEN") or environ.get("INPUT_GITHUB_TOKEN") or None,
            step_summary=path("GITHUB_STEP_SUMMARY"),
            output=path("GITHUB_OUTPUT"),
            sha=environ.get("GITHUB_SHA") or None,
            workflow=environ.get("GITHUB_WORKFLOW", ""),
            job=environ.get("GITHUB_JOB", ""),
            run_id=environ.get("GITHUB_RUN_ID") or None,
            workspace=path("GITHUB_WORKSPACE"),
            in_actions=environ.get("GITHUB_ACTIONS") == "true",
        )

    def run_url(self) -> str | None:
        if self.repository is None or self.run_id is None:
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    def key(self) -> str:
        """What tells this job's comment apart from another mlnudge job's on the same PR."""
        return f"{self.workflow}/{self.job}" if self.workflow or self.job else "mlnudge"


@dataclass(frozen=True)
class PullRequest:
    """The pull request to report on: its number and the commit that was checked."""

    number: int
    head_sha: str
    #: the head SHA GitHub itself vouches for (``workflow_run.head_sha``); ``None`` when not known
    trusted_head_sha: str | None = None
    #: the head repository GitHub vouches for (``workflow_run.head_repository.full_name``)
    trusted_head_repository: str | None = None
    #: the base branch's commit named by the event (``pull_request.base.sha``), if any
    base_sha: str | None = None


def read_event(env: ActionsEnv) -> dict[str, Any]:
    if env.event_path is None:
        return {}
    try:
        data = json.loads(env.event_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContextError(f"cannot read the event payload {env.event_path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def pull_request_from_event(event: Mapping[str, Any]) -> PullRequest | None:
    """The pull request of a ``pull_request``/``pull_request_target`` event, else ``None``."""
    pr = event.get("pull_request")
    if not isinstance(pr, Mapping):
        return None
    head = pr.get("head")
    sha = head.get("sha") if isinstance(head, Mapping) else None
    number = pr.get("number", event.get("number"))
    return PullRequest(parse_number(number), parse_sha(sha), base_sha=_base_sha(pr))


def _base_sha(pr: Mapping[str, Any]) -> str | None:
    base = pr.get("base")
    sha = base.get("sha") if isinstance(base, Mapping) else None
    return sha.strip() if isinstance(sha, str) and SHA_RE.fullmatch(sha.strip()) else None


def base_from_event(event: Mapping[str, Any]) -> str | None:
    """The commit a pull request event's findings are compared with (its base branch's head).

    ``pull_request``: ``pull_request.base.sha``; ``workflow_run``: the base of the run's first
    pull request. ``None`` for other events (pushes, schedules) and events without one.
    """
    pr = event.get("pull_request")
    if isinstance(pr, Mapping):
        return _base_sha(pr)
    run = event.get("workflow_run")
    pulls = run.get("pull_requests") if isinstance(run, Mapping) else None
    if isinstance(pulls, list) and pulls and isinstance(pulls[0], Mapping):
        return _base_sha(pulls[0])
    return None


def workflow_run_head_sha(event: Mapping[str, Any]) -> str | None:
    """The head SHA of the run that triggered a ``workflow_run`` event (set by GitHub)."""
    run = event.get("workflow_run")
    if not isinstance(run, Mapping):
        return None
    return parse_sha(run.get("head_sha"))


@dataclass(frozen=True)
class TriggeringRun:
    """What GitHub says about the run that triggered a ``workflow_run`` event."""

    head_sha: str
    #: ``owner/name`` of the repository the head commit is in (a fork for fork PRs)
    head_repository: str
    event: str


def triggering_run(event_name: str | None, event: Mapping[str, Any]) -> TriggeringRun:
    """The triggering run of a ``workflow_run`` event; anything else is refused."""
    run = event.get("workflow_run")
    if event_name != "workflow_run" or not isinstance(run, Mapping):
        raise ContextError(
            "--artifact posts a report from another run and needs the workflow_run event that "
            "run triggered (GitHub vouches for its head SHA and repository there); this job "
            f"runs on {event_name or 'no event'!r}, so nothing was posted"
        )
    repo = run.get("head_repository")
    name = repo.get("full_name") if isinstance(repo, Mapping) else None
    if not isinstance(name, str) or not name:
        raise ContextError("the workflow_run event names no head repository; nothing was posted")
    return TriggeringRun(parse_sha(run.get("head_sha")), name, str(run.get("event", "")))


def parse_number(value: object) -> int:
    """A pull request number: a positive integer, given as an int or as decimal digits only."""
    if isinstance(value, bool):
        raise UntrustedInputError("the pull request number is not a positive integer")
    if isinstance(value, int):
        if 0 < value < 10**10:
            return value
    elif isinstance(value, str) and NUMBER_RE.fullmatch(value.strip()):
        return int(value.strip())
    raise UntrustedInputError("the pull request number is not a positive integer")


def parse_sha(value: object) -> str:
    """A commit SHA: exactly 40 lowercase hex digits."""
    if isinstance(value, str) and SHA_RE.fullmatch(value.strip()):
        return value.strip()
    raise UntrustedInputError("the head SHA is not 40 hexadecimal digits")


def _read_bounded(path: Path, limit: int) -> str:
    try:
        if path.is_symlink() or not path.is_file():
            raise UntrustedInputError(f"{path.name}: missing or not a regular file")
        if path.stat().st_size > limit:
            raise UntrustedInputError(f"{path.name}: larger than {limit} bytes")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UntrustedInputError(f"{path.name}: unreadable ({exc})") from None


def load_report(path: Path, *, untrusted: bool = False) -> Report:
    """A saved JSON report, validated against the schema before anything else reads it.

    ``untrusted``: also within the bounds of ``artifact.schema.json`` and a smaller size.
    """
    text = _read_bounded(path, MAX_ARTIFACT_BYTES if untrusted else MAX_REPORT_BYTES)
    try:
        data = json.loads(text)
    except RecursionError:
        raise UntrustedInputError(f"{path.name}: nested too deeply to be a report") from None
    except ValueError as exc:
        raise UntrustedInputError(f"{path.name}: not JSON ({exc})") from None
    try:
        validate_report(data, name=path.name)
        if untrusted:
            validate_report(data, name=path.name, schema_path=BOUNDS_PATH)
        return from_dict(data, rule_texts())
    except RecursionError:
        raise UntrustedInputError(f"{path.name}: nested too deeply to be a report") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UntrustedInputError(f"{path.name}: not a usable mlnudge report ({exc})") from None


def validate_report(data: object, name: str = "report", schema_path: Path = SCHEMA_PATH) -> None:
    try:
        import jsonschema  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - the github extra brings it
        raise ContextError(
            "validating a saved report needs jsonschema; install mlnudge[github]"
        ) from None
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        message = error.message if len(error.message) < 200 else error.message[:200] + "..."
        raise UntrustedInputError(f"{name} does not match {schema_path.name} at {where}: {message}")


def load_artifact(directory: Path) -> tuple[Report, PullRequest, list[str]]:
    """The report, pull request number and head SHA uploaded by the unprivileged run.

    The report keeps only data (:func:`mlnudge.github.untrusted.as_data`); the notes say what
    was left out.
    """
    from mlnudge.github.untrusted import UnsafePath, as_data

    number = parse_number(
        _read_bounded(directory / ARTIFACT_PR_NUMBER, MAX_SMALL_FILE_BYTES).strip()
    )
    sha = parse_sha(_read_bounded(directory / ARTIFACT_HEAD_SHA, MAX_SMALL_FILE_BYTES).strip())
    report = load_report(directory / ARTIFACT_REPORT, untrusted=True)
    try:
        report, notes = as_data(report)
    except UnsafePath as exc:
        raise UntrustedInputError(f"{ARTIFACT_REPORT}: {exc}") from None
    return report, PullRequest(number, sha), notes


def write_artifact(directory: Path, report_json: str, pr: PullRequest) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ARTIFACT_REPORT).write_text(report_json, encoding="utf-8")
    (directory / ARTIFACT_PR_NUMBER).write_text(f"{pr.number}\n", encoding="utf-8")
    (directory / ARTIFACT_HEAD_SHA).write_text(f"{pr.head_sha}\n", encoding="utf-8")
