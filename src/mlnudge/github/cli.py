"""``mlnudge github``: check the workspace (or read a saved report) and report to a pull request.

Inside a GitHub Actions job it does every kind of reporting that is switched on: the sticky
comment, inline review comments, workflow-command annotations, the job summary, a SARIF file
and a check run. Reporting never breaks the user's CI: when the token may not write (forks),
on rate limits, server errors or rejected requests, it says so in the log and in the job
summary and carries on; the exit code follows the mode's rules only.

Pull-request code never meets the token here: a repository's own configuration cannot turn on
running its tests (only ``--run-tests``, a workflow input, can), and checking the workspace
under ``pull_request_target`` is refused. With ``--artifact`` the report is data from an
untrusted run (:mod:`mlnudge.github.untrusted`) and is only accepted on a ``workflow_run``
event whose run matches the pull request's head SHA and head repository. See docs/security.md.

Exit codes: 0 nothing blocks (always in advisory mode, or with ``--exit-zero``; also when a
report or artifact cannot be read in advisory mode: the message says why), 1 findings block,
2 usage or configuration error, an unreadable report outside advisory mode, or an artifact that
disagrees with the run that triggered the poster.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlnudge.finding import Severity
from mlnudge.github.context import (
    ActionsEnv,
    ContextError,
    PullRequest,
    TrustError,
    UntrustedInputError,
    base_from_event,
    load_artifact,
    load_report,
    parse_number,
    parse_sha,
    pull_request_from_event,
    read_event,
    triggering_run,
    write_artifact,
)
from mlnudge.report.markdown import escape
from mlnudge.report.model import Report
from mlnudge.settings import MODES, ConfigError
from mlnudge.targets import UsageError, resolve_targets

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_USAGE = 2
#: who posts with a workflow's GITHUB_TOKEN (kept here: api.py imports PyGithub)
DEFAULT_BOT_LOGIN = "github-actions[bot]"
_ON = {"on", "true", "yes", "1"}
_OFF = {"off", "false", "no", "0", ""}


def switch(value: str) -> bool:
    """An on/off option as action inputs spell it (``on``/``off``, ``true``/``false``...)."""
    text = value.strip().lower()
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise argparse.ArgumentTypeError(f"expected on or off, got {value!r}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlnudge github",
        description="Check the workspace (or read a saved report) and report to the pull "
        "request of this GitHub Actions job: comment, review, annotations, summary, check run.",
    )
    parser.add_argument("paths", nargs="*", help="what to check, as for `mlnudge check`")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--report", type=Path, help="report a saved JSON report instead of checking"
    )
    source.add_argument(
        "--artifact",
        type=Path,
        metavar="DIR",
        help="report the artifact of an unprivileged run (report.json, pr-number, head-sha); "
        "validated as untrusted input",
    )
    parser.add_argument("--config", type=Path, help="configuration file")
    parser.add_argument("--mode", choices=MODES, help="advisory (default), ratchet or strict")
    parser.add_argument("--fail-on", choices=("error", "warning", "info"))
    parser.add_argument(
        "--comment", type=switch, default=True, metavar="on|off", help="the sticky PR comment"
    )
    parser.add_argument(
        "--review", type=switch, default=True, metavar="on|off", help="inline review comments"
    )
    parser.add_argument(
        "--annotations", type=switch, default=True, metavar="on|off", help="workflow annotations"
    )
    parser.add_argument(
        "--summary", type=switch, default=True, metavar="on|off", help="the job summary"
    )
    parser.add_argument(
        "--check-run",
        type=switch,
        default=True,
        metavar="on|off",
        help="a check run on the head SHA",
    )
    parser.add_argument(
        "--max-inline", type=int, default=10, help="inline comments per run (default 10)"
    )
    parser.add_argument("--sarif", type=Path, help="also write SARIF here")
    parser.add_argument("--json", type=Path, help="also write the JSON report here")
    parser.add_argument(
        "--artifact-out",
        type=Path,
        metavar="DIR",
        help="write report.json, pr-number and head-sha here for a workflow_run poster",
    )
    parser.add_argument("--key", help="tells this job's comment apart (default workflow/job)")
    parser.add_argument("--pr", help="pull request number (default: from the event)")
    parser.add_argument("--head-sha", help="the commit checked (default: from the event)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings block")
    parser.add_argument(
        "--preflight-artifact",
        metavar="NAME",
        help="only check, through the API and before anything is downloaded, that the "
        "triggering run's artifact NAME exists and is small enough; sets the step output "
        "artifact-ok to true or false",
    )
    parser.add_argument(
        "--run-tests",
        action="store_true",
        help="run the project's tests under coverage (transforms); a repository's own "
        "configuration cannot turn this on here. The tests run with the interpreter running "
        "mlnudge and an environment without tokens",
    )
    parser.add_argument(
        "--bot-login",
        help="the account the token posts as; only its comments are found and edited "
        f"(default $MLNUDGE_BOT_LOGIN or {DEFAULT_BOT_LOGIN}; a GitHub App posts as NAME[bot])",
    )
    parser.add_argument(
        "--diff-base",
        metavar="REF",
        help="compare with the merge-base of REF and HEAD (default in a pull request event: "
        "the event's base commit); 'none' compares with the baseline file only",
    )
    parser.add_argument(
        "--fetch-base",
        type=switch,
        default=False,
        metavar="on|off",
        help="fetch the base commit (and deepen a shallow clone) when it is missing; the "
        "composite action turns this on",
    )
    return parser


@dataclass
class Outcome:
    """What reporting did; shown in the log and the job summary."""

    notes: list[str] = field(default_factory=list)
    degraded: list[str] = field(default_factory=list)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _github(args, os.environ, log=_log)
    except UntrustedInputError as exc:
        _log(f"mlnudge: refusing the input, nothing was posted: {exc}")
        if args.exit_zero or (args.mode or "advisory") == "advisory":
            return EXIT_OK
        return EXIT_USAGE
    except TrustError as exc:
        _log(f"mlnudge: refusing the input, nothing was posted: {exc}")
        return EXIT_USAGE
    except (ContextError, ConfigError) as exc:
        _log(f"mlnudge: {exc}")
        return EXIT_USAGE


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _github(
    args: argparse.Namespace, environ: Mapping[str, str], log: Callable[[str], None]
) -> int:
    if not 0 <= args.max_inline <= 1000:
        raise ContextError("--max-inline must be between 0 and 1000")
    env = ActionsEnv.from_environ(environ)
    event = read_event(env)
    if args.preflight_artifact is not None:
        return _preflight(args, env, event, log)
    pr: PullRequest | None
    artifact_notes: list[str] = []
    if args.artifact is not None:
        trigger = triggering_run(env.event_name, event)
        if trigger.event != "pull_request":
            raise TrustError(
                f"the run that triggered this workflow ran on {trigger.event or 'no event'!r}, "
                "not on a pull request"
            )
        try:
            report, pr, artifact_notes = load_artifact(args.artifact)
        except UntrustedInputError as exc:
            _refused_summary(env, args, str(exc), log)
            raise
        if trigger.head_sha != pr.head_sha:
            raise TrustError(
                "the artifact's head SHA is not the head SHA of the run that triggered this "
                "workflow"
            )
        pr = replace(
            pr, trusted_head_sha=trigger.head_sha, trusted_head_repository=trigger.head_repository
        )
    else:
        if args.report is None and env.event_name == "pull_request_target":
            raise ContextError(
                "refusing to check the workspace on a pull_request_target event: that event "
                "gives the job a token that can write, and the workspace may hold the pull "
                "request's code. Run mlnudge on pull_request (or use the fork-safe pair, "
                "docs/github.md)"
            )
        pr = _pull_request(args, event)
        report = (
            load_report(args.report)
            if args.report is not None
            else _check(args, _diff_base(args, event, pr, log), log, fetch_auth(env))
        )
    if args.mode or args.fail_on:
        report = replace(
            report,
            mode=args.mode or report.mode,
            fail_on=Severity.parse(args.fail_on) if args.fail_on else report.fail_on,
        )
    outcome = Outcome()
    outcome.notes.extend(artifact_notes)
    _write_files(args, report, pr, outcome)
    if args.annotations:
        from mlnudge.report import github as annotations

        sys.stdout.write(annotations.render(report))
    posted = _post(args, env, report, pr, outcome=outcome, log=log)
    if args.summary:
        _job_summary(env, report, pr, outcome=outcome, log=log)
    for line in outcome.notes + outcome.degraded:
        log(f"mlnudge: {line}")
    _set_outputs(env, args, report, posted)
    if args.exit_zero:
        return EXIT_OK
    return EXIT_BLOCKING if report.blocking() else EXIT_OK


def _diff_base(
    args: argparse.Namespace,
    event: Mapping[str, Any],
    pr: PullRequest | None,
    log: Callable[[str], None],
) -> str | None:
    """What to compare with: ``--diff-base``, else the pull request event's base commit."""
    if args.diff_base is not None:
        return None if args.diff_base.strip().lower() in ("none", "") else args.diff_base
    base = base_from_event(event)
    if base is None and pr is not None:
        log(
            "mlnudge: the event names no base commit; findings are compared with the baseline "
            "file only (give --diff-base REF to compare with a branch)"
        )
    return base


def fetch_auth(env: ActionsEnv) -> dict[str, str]:
    """Git configuration, as environment variables, that lets ``git fetch`` use the job's token.

    Only for the GitHub server of this job (``http.<server>/.extraheader``, as actions/checkout
    sets it), and only in the environment of the fetch: never on a command line or in a file.
    Empty without a token (then git uses whatever credentials the checkout left).
    """
    if env.token is None or not env.server_url.startswith("https://"):
        return {}
    import base64

    basic = base64.b64encode(f"x-access-token:{env.token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"http.{env.server_url}/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
    }


def _check(
    args: argparse.Namespace,
    base: str | None,
    log: Callable[[str], None],
    git_env: Mapping[str, str] | None = None,
) -> Report:
    from mlnudge.config import load_config
    from mlnudge.diffbase import run_against_base
    from mlnudge.runner import run

    cwd = Path.cwd()
    try:
        root, targets = resolve_targets(args.paths, False, cwd)
    except UsageError as exc:
        raise ContextError(str(exc)) from None
    # the repository's configuration may not turn on running its tests here: only the
    # workflow's explicit --run-tests can (False overrides the file, None would not)
    config = load_config(
        root,
        args.config,
        {
            "mode": args.mode,
            "fail-on": args.fail_on,
            "transforms.run-tests": bool(args.run_tests),
            "transforms.project-interpreter": False,
        },
    )
    if base is None:
        return run(root, config, targets=targets)
    return run_against_base(
        root,
        config,
        base,
        targets=targets,
        fetch=args.fetch_base,
        log=lambda text: log(f"mlnudge: {text}"),
        git_env=git_env,
    )


def _pull_request(args: argparse.Namespace, event: Mapping[str, Any]) -> PullRequest | None:
    from_event = pull_request_from_event(event)
    if args.pr is None and args.head_sha is None:
        return from_event
    number = parse_number(args.pr) if args.pr is not None else None
    sha = parse_sha(args.head_sha) if args.head_sha is not None else None
    number = number or (from_event.number if from_event else None)
    sha = sha or (from_event.head_sha if from_event else None)
    if number is None or sha is None:
        raise ContextError("give both --pr and --head-sha outside a pull_request event")
    return PullRequest(number, sha)


def _write_files(
    args: argparse.Namespace, report: Report, pr: PullRequest | None, outcome: Outcome
) -> None:
    from mlnudge.report import jsonout, sarif

    report_json = jsonout.render(report)
    if args.json is not None:
        _write(args.json, report_json)
        outcome.notes.append(f"JSON report written to {args.json}")
    if args.sarif is not None:
        _write(args.sarif, sarif.render(report))
        outcome.notes.append(f"SARIF written to {args.sarif}")
    if args.artifact_out is not None:
        if pr is None:
            outcome.degraded.append("not a pull request: no artifact for a poster written")
        else:
            try:
                write_artifact(args.artifact_out, report_json, pr)
            except OSError as exc:
                raise ContextError(f"cannot write {args.artifact_out}: {exc}") from None
            outcome.notes.append(f"artifact for the poster written to {args.artifact_out}")


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ContextError(f"cannot write {path}: {exc.strerror or exc}") from None


def _conclusion(report: Report) -> str:
    if report.mode == "advisory":
        return "neutral"
    return "failure" if report.blocking() else "success"


def _post(
    args: argparse.Namespace,
    env: ActionsEnv,
    report: Report,
    pr: PullRequest | None,
    *,
    outcome: Outcome,
    log: Callable[[str], None],
) -> dict[str, str]:
    """The sticky comment, the review and the check run, each degrading on its own."""
    from mlnudge.github import comment as words

    wanted = [name for name, on in _parts(args) if on]
    if not wanted:
        return {}
    if pr is None:
        outcome.notes.append(
            "not a pull request event: no comment, review or check run (use --pr/--head-sha)"
        )
        return {}
    if env.repository is None or env.token is None:
        missing = "GITHUB_REPOSITORY" if env.repository is None else "GITHUB_TOKEN"
        outcome.degraded.append(
            f"{missing} is not set: reporting to the job summary and annotations only"
        )
        return {}
    from mlnudge.github.api import Api, ReportingError, connect, tuning
    from mlnudge.github.review import inline_comments

    login = args.bot_login or os.environ.get("MLNUDGE_BOT_LOGIN") or DEFAULT_BOT_LOGIN
    try:
        backoff, timeout = tuning(os.environ)
    except ValueError as exc:  # test-only knobs: a bad value never stops the reporting
        log(f"mlnudge: {exc}; using the defaults")
        backoff, timeout = tuning({})
    api = Api.for_repository(
        connect(env.api_url, env.token, timeout=timeout),
        env.repository,
        log=log,
        bot_login=login,
        backoff=backoff,
    )
    posted: dict[str, str] = {}
    if pr.trusted_head_sha is not None:
        try:
            current, head_repository = api.head(pr.number)
        except ReportingError as exc:
            outcome.degraded.append(_degraded(exc, "cannot confirm the pull request's head"))
            return {}
        if head_repository.lower() != (pr.trusted_head_repository or "").lower():
            raise TrustError(
                f"pull request #{pr.number} comes from {head_repository}, but the run that "
                f"triggered this workflow ran on {pr.trusted_head_repository}"
            )
        if current != pr.head_sha:
            outcome.notes.append(
                f"pull request #{pr.number} has moved on to {current[:7]} since "
                f"{pr.head_sha[:7]} was checked: not posting an outdated report"
            )
            return {}
    links = words.Links(env.server_url, env.repository, pr.head_sha, env.run_url())
    key = args.key or env.key()
    body, cut = words.sticky(
        report,
        key=key,
        links=links,
        overflow_to=_summary_link(env) if args.summary else None,
    )
    rejected: list[ReportingError] = []  # a 401: the token is bad, nothing else can work

    def failed(exc: ReportingError, what: str) -> None:
        outcome.degraded.append(_degraded(exc, what))
        if exc.status == 401:
            rejected.append(exc)

    if args.comment:
        try:
            try:
                what, url = api.upsert_sticky(pr.number, key, body)
            except ReportingError as exc:
                if exc.status != 422 or "too long" not in exc.reason.lower():
                    raise
                # GitHub counts differently than we do: once more, much shorter
                body, cut = words.sticky(
                    report,
                    key=key,
                    links=links,
                    budget=words.COMMENT_BUDGET // 4,
                    overflow_to=_summary_link(env) if args.summary else None,
                )
                log(
                    f"mlnudge: {exc.what} got {exc.status} ({exc.reason}); trying once more "
                    "with a shorter comment"
                )
                what, url = api.upsert_sticky(pr.number, key, body)
                cut = True
            posted["comment-url"] = url
            outcome.notes.append(f"pull request comment {what}" + (" (shortened)" if cut else ""))
        except ReportingError as exc:
            failed(exc, "pull request comment not posted")
    if rejected:
        outcome.degraded.append(
            "review comments and check run not tried: GitHub rejected the token (401)"
        )
        return posted
    if args.review and args.max_inline > 0:
        try:
            diffs = api.changed_files(pr.number)
            comments = inline_comments(report, diffs, args.max_inline)
            count = api.review(
                pr.number,
                pr.head_sha,
                comments,
                lambda n: (
                    f"mlnudge left {n} inline suggestion(s) on lines this pull request "
                    "changed; the summary is in the pull request comment."
                ),
            )
            outcome.notes.append(
                f"{count} inline review comment(s) posted"
                + (f", {len(comments) - count} already there" if len(comments) > count else "")
            )
        except ReportingError as exc:
            failed(exc, "inline review comments not posted")
    if args.check_run and not rejected:
        try:
            conclusion = _conclusion(report)
            url = api.check_run(
                f"mlnudge ({key})" if args.key else "mlnudge",
                pr.head_sha,
                conclusion,
                words.check_run_output(report, body),
            )
            posted["check-run-url"] = url
            outcome.notes.append(f"check run created ({conclusion})")
        except ReportingError as exc:
            failed(exc, "check run not created")
    return posted


def _preflight(
    args: argparse.Namespace, env: ActionsEnv, event: Mapping[str, Any], log: Callable[[str], None]
) -> int:
    """Is the triggering run's artifact there and small enough to download? (step output)"""
    from mlnudge.github.context import MAX_ARTIFACT_BYTES

    triggering_run(env.event_name, event)  # refuses anything but workflow_run
    run = event["workflow_run"]
    run_id = parse_number(run.get("id"))
    name = str(args.preflight_artifact)
    if env.repository is None or env.token is None:
        raise ContextError("checking the artifact needs GITHUB_REPOSITORY and GITHUB_TOKEN")
    from mlnudge.github.api import Api, ReportingError, connect

    api = Api.for_repository(connect(env.api_url, env.token), env.repository, log=log)
    try:
        size = api.artifact_size(run_id, name)
    except ReportingError as exc:
        size, why = None, _degraded(exc, f"cannot list the artifacts of run {run_id}")
    else:
        why = f"run {run_id} has no unexpired artifact named {name!r}"
    ok = size is not None and size <= MAX_ARTIFACT_BYTES
    if size is not None and not ok:
        why = f"artifact {name!r} of run {run_id} is {size} bytes, over {MAX_ARTIFACT_BYTES}"
    if ok:
        log(f"mlnudge: artifact {name!r} of run {run_id}: {size} bytes, within the limit")
    else:
        log(f"mlnudge: refusing the input, nothing will be downloaded or posted: {why}")
        _refused_summary(env, args, why, log)
    if env.output is not None:
        with env.output.open("a", encoding="utf-8") as out:
            out.write(f"artifact-ok={'true' if ok else 'false'}\n")
    if ok or args.exit_zero or (args.mode or "advisory") == "advisory":
        return EXIT_OK
    return EXIT_USAGE


def _refused_summary(
    env: ActionsEnv, args: argparse.Namespace, why: str, log: Callable[[str], None]
) -> None:
    """Say in the job summary why an artifact was refused (the log says it too)."""
    if not args.summary or env.step_summary is None:
        return
    text = (
        "### mlnudge: the report artifact was refused\n\n"
        f"Nothing was posted: {escape(why)}\n\n"
        "The artifact comes from a run of the pull request's code and is checked as untrusted "
        "input (docs/security.md).\n"
    )
    try:
        with env.step_summary.open("a", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        log(f"mlnudge: cannot write the job summary: {exc}")


def _summary_link(env: ActionsEnv) -> str:
    url = env.run_url()
    return f"[the job summary of this run]({url})" if url else "the job summary of this run"


def _parts(args: argparse.Namespace) -> list[tuple[str, bool]]:
    return [
        ("comment", args.comment),
        ("review", args.review and args.max_inline > 0),
        ("check-run", args.check_run),
    ]


def _degraded(exc: Exception, what: str) -> str:
    from mlnudge.github.api import ReportingError

    assert isinstance(exc, ReportingError)
    if exc.limited:
        why = f"GitHub's rate limit ({exc.status} {exc.reason})"
    elif exc.status == 401:
        why = (
            f"GitHub rejected the token (401 {exc.reason}); check the token the workflow "
            "passes (github-token)"
        )
    elif exc.status == 404:
        why = (
            f"not found (404 {exc.reason}): the pull request or repository is gone, or the "
            "token cannot see it; on pull requests from forks use the fork-safe workflow pair "
            "(docs/github.md)"
        )
    elif exc.permission:
        why = (
            f"the token may not write here ({exc.status} {exc.reason}); on pull requests from "
            "forks use the fork-safe workflow pair (docs/github.md)"
        )
    elif exc.status == 422:
        why = f"GitHub rejected the request (422 {exc.reason})"
    elif exc.status is None:
        why = f"network error: {exc.reason}"
    elif exc.status >= 500:
        why = f"GitHub had a server error ({exc.status} {exc.reason})"
    else:
        why = f"{exc.status}: {exc.reason}"
    return f"{what}: {why}. The job summary and annotations have the report."


def _job_summary(
    env: ActionsEnv,
    report: Report,
    pr: PullRequest | None,
    *,
    outcome: Outcome,
    log: Callable[[str], None],
) -> None:
    from mlnudge.github import comment as words

    if env.step_summary is None:
        return
    links = (
        words.Links(env.server_url, env.repository, pr.head_sha)
        if pr is not None and env.repository is not None
        else None
    )
    tail = ["", "---", "", "**Reporting**", ""]
    tail += [f"- {escape(line)}" for line in outcome.notes + outcome.degraded]
    tail_text = "\n".join(tail) + "\n"
    body, _ = words.sticky(
        report,
        key="summary",
        links=links,
        budget=words.SUMMARY_BUDGET - len(tail_text.encode()) - 1000,
        overflow_to=None,
    )
    body = body.split("\n", 1)[1]  # the hidden marker is for comments only
    try:
        with env.step_summary.open("a", encoding="utf-8") as out:
            out.write(body + tail_text)
    except OSError as exc:
        log(f"mlnudge: cannot write the job summary: {exc}")


def _set_outputs(
    env: ActionsEnv, args: argparse.Namespace, report: Report, posted: Mapping[str, str]
) -> None:
    if env.output is None:
        return
    counts = report.counts()
    values = {
        "report-path": str(args.json or args.report or ""),
        "findings": str(len(report.findings)),
        "new": str(sum(1 for f in report.findings if f.new is not False)),
        "existing": str(sum(1 for f in report.findings if f.new is False)),
        "fixed": str(len(report.fixed)),
        "blocking": str(len(report.blocking())),
        "errors": str(counts["error"]),
        "warnings": str(counts["warning"]),
        "infos": str(counts["info"]),
        **posted,
    }
    delimiter = f"mlnudge_{secrets.token_hex(8)}"
    with env.output.open("a", encoding="utf-8") as out:
        for name, value in values.items():
            out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
