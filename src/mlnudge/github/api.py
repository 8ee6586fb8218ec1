"""The REST calls, through PyGithub, with bounded retries and one typed error.

Every operation is idempotent as a whole: the sticky comment is looked up again before each
attempt, and review comments are filtered by the fingerprints already posted, so a retry after
a lost response never duplicates anything. Only comments written by the bot's own account
(:attr:`Api.bot_login`) count: a marker copied into someone else's comment is ignored, so
nobody can make the bot edit their comment or suppress its own. After creating the sticky
comment the bot looks again and deletes its own duplicates (two runs racing on one pull
request), keeping the oldest; a comment deleted between the lookup and the update (404 on the
edit) is created again, once. Rate limits are honoured (``Retry-After``, the primary limit's
reset time) up to :attr:`Api.max_wait` seconds; waiting longer than that would hold the user's
CI hostage, so the call gives up and the caller degrades.

``MLNUDGE_GITHUB_BACKOFF`` (seconds, default 2) and ``MLNUDGE_GITHUB_TIMEOUT`` (seconds per
request, default 20) exist for the fault tests only (tests/github/test_faults.py), so that
backoffs and timeouts take a fraction of a second there; see :func:`tuning`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from mlnudge.github.comment import fingerprints_in, is_sticky
from mlnudge.github.diff import FileDiff, parse_patch

if TYPE_CHECKING:
    from github.Repository import Repository

T = TypeVar("T")
MAX_COMMENTS_PER_REVIEW = 30
#: the account that posts with a workflow's ``GITHUB_TOKEN``; a GitHub App posts as ``NAME[bot]``
DEFAULT_BOT_LOGIN = "github-actions[bot]"
Upsert = Literal["created", "updated", "unchanged"]


class ReportingError(Exception):
    """A GitHub call failed for good (no permission, invalid request, server trouble)."""

    def __init__(
        self, what: str, status: int | None, reason: str, *, limited: bool = False
    ) -> None:
        self.what = what
        self.status = status
        self.reason = reason
        #: a rate limit that would have taken too long to wait for (not a permission problem)
        self.limited = limited
        super().__init__(f"{what}: {reason}")

    @property
    def permission(self) -> bool:
        """The token may not write here (forks, read-only tokens)."""
        return self.status in (401, 403, 404)


DEFAULT_BACKOFF = 2.0
DEFAULT_TIMEOUT = 20


def tuning(environ: Mapping[str, str]) -> tuple[float, int]:
    """The backoff base and the per-request timeout (``MLNUDGE_GITHUB_BACKOFF``/``_TIMEOUT``).

    Meant for tests; a value that is not a number, or out of range, raises ``ValueError``
    naming the variable.
    """
    values: list[float] = []
    for name, default, low, high in (
        ("MLNUDGE_GITHUB_BACKOFF", DEFAULT_BACKOFF, 0.0, 60.0),
        ("MLNUDGE_GITHUB_TIMEOUT", float(DEFAULT_TIMEOUT), 1.0, 300.0),
    ):
        text = environ.get(name, "").strip()
        try:
            value = float(text) if text else default
        except ValueError:
            value = float("nan")
        if not low <= value <= high:
            raise ValueError(f"{name} must be a number of seconds from {low:g} to {high:g}")
        values.append(value)
    return values[0], max(1, round(values[1]))


def connect(api_url: str, token: str, timeout: int = 20, auth: Any = None) -> Any:
    """A PyGithub client for ``api_url`` (github.com, GHES ``/api/v3`` or a stand-in).

    ``auth`` replaces the plain token authentication (any ``github.Auth.Auth``).
    """
    from github import Auth, Github

    return Github(
        base_url=api_url,
        auth=auth or Auth.Token(token),
        timeout=timeout,
        retry=None,  # our own retries: bounded, and safe for non-idempotent writes
        lazy=True,  # no request until an attribute is needed
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _reason(exc: Exception) -> str:
    from requests import ConnectionError, Timeout

    if isinstance(exc, Timeout):
        return f"no answer in time ({exc.__class__.__name__})"
    if isinstance(exc, ConnectionError):
        return f"connection failed ({exc.__class__.__name__})"
    data = getattr(exc, "data", None)
    message = (data.get("message") or data.get("title")) if isinstance(data, Mapping) else None
    text = str(message) if message else exc.__class__.__name__
    return " ".join(text.split())[:300]


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up at call time: tests patch ``time.sleep``


@dataclass
class Api:
    """One repository's calls; ``sleep`` and ``clock`` are replaceable for tests."""

    repo: Repository
    attempts: int = 3
    backoff: float = 2.0
    max_wait: float = 60.0
    log: Callable[[str], None] = print
    sleep: Callable[[float], None] = field(default=_sleep)
    clock: Callable[[], float] = time.time
    waited: list[float] = field(default_factory=list)
    #: whose comments are the bot's own: only these are found, edited or de-duplicated
    bot_login: str = DEFAULT_BOT_LOGIN

    @classmethod
    def for_repository(cls, client: Any, full_name: str, **kwargs: Any) -> Api:
        return cls(repo=client.get_repo(full_name), **kwargs)

    def _wait_for(self, exc: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying ``exc``, or ``None`` when retrying cannot help."""
        from github import GithubException
        from requests import RequestException

        if isinstance(exc, RequestException):
            return float(self.backoff * 2 ** (attempt - 1))
        assert isinstance(exc, GithubException)
        status, headers = exc.status, exc.headers
        retry_after = _header(headers, "retry-after")
        remaining = _header(headers, "x-ratelimit-remaining")
        limited = (
            status == 429
            or retry_after is not None
            or remaining == "0"
            or "rate limit" in _reason(exc).lower()
        )
        if status == 403 and not limited:
            return None
        if not limited and status < 500:
            return None
        if retry_after is not None and retry_after.strip().isdigit():
            return float(retry_after)
        reset = _header(headers, "x-ratelimit-reset")
        if remaining == "0" and reset is not None and reset.strip().isdigit():
            return max(0.0, float(reset) - self.clock()) + 1.0
        return float(self.backoff * 2 ** (attempt - 1))

    def call(self, what: str, operation: Callable[[], T]) -> T:
        from github import GithubException
        from requests import RequestException

        for attempt in range(1, self.attempts + 1):
            try:
                return operation()
            except (GithubException, RequestException) as exc:
                status = exc.status if isinstance(exc, GithubException) else None
                wait = self._wait_for(exc, attempt)
                if wait is None:
                    raise ReportingError(what, status, _reason(exc)) from None
                if attempt == self.attempts:
                    raise ReportingError(
                        what, status, f"{_reason(exc)}; gave up after {self.attempts} attempts"
                    ) from None
                if wait > self.max_wait:
                    raise ReportingError(
                        what,
                        status,
                        f"rate limited for {wait:.0f}s more; not waiting longer than "
                        f"{self.max_wait:.0f}s",
                        limited=True,
                    ) from None
                self.log(
                    f"mlnudge: {what} got {status or 'a network error'} ({_reason(exc)}); "
                    f"retrying in {wait:.3g}s (attempt {attempt + 1} of {self.attempts})"
                )
                self.waited.append(wait)
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def head_sha(self, number: int) -> str:
        return self.head(number)[0]

    def head(self, number: int) -> tuple[str, str]:
        """The pull request's head SHA and head repository (``owner/name``)."""

        def attempt() -> tuple[str, str]:
            head = self.repo.get_pull(number).head
            repo = head.repo
            return str(head.sha), str(repo.full_name) if repo is not None else ""

        return self.call("reading the pull request", attempt)

    def _own(self, comment: Any) -> bool:
        user = getattr(comment, "user", None)
        return user is not None and str(user.login).lower() == self.bot_login.lower()

    def _own_stickies(self, issue: Any, key: str) -> list[Any]:
        found = [c for c in issue.get_comments() if self._own(c) and is_sticky(c.body or "", key)]
        return sorted(found, key=lambda c: c.id)

    def artifact_size(self, run_id: int, name: str) -> int | None:
        """The size in bytes of the run's unexpired artifact ``name`` (``None``: there is none).

        Read from the API before anything is downloaded.
        """

        def attempt() -> int | None:
            from github.Artifact import Artifact
            from github.PaginatedList import PaginatedList

            listing = PaginatedList(
                Artifact,
                self.repo.requester,
                f"{self.repo.url}/actions/runs/{run_id}/artifacts",
                {"name": name},
                list_item="artifacts",
            )
            for artifact in listing:
                if artifact.name == name and not artifact.expired:
                    return int(artifact.size_in_bytes)
            return None

        return self.call("listing the run's artifacts", attempt)

    def upsert_sticky(self, number: int, key: str, body: str) -> tuple[Upsert, str]:
        """Create or update this job's one comment; returns what happened and its URL.

        Duplicates of the bot's own (left by a run whose late write landed after the other
        run's clean-up) are deleted here too, keeping the oldest.
        """
        from github import GithubException

        recreated: list[bool] = []

        def attempt() -> tuple[Upsert, str]:
            issue = self.repo.get_issue(number)
            mine = self._own_stickies(issue, key)
            if mine:
                comment, *extra = mine
                if extra:
                    self._delete(extra)
                if comment.body == body:
                    return "unchanged", comment.html_url
                try:
                    comment.edit(body)
                    return "updated", comment.html_url
                except GithubException as exc:
                    # deleted between the lookup and the update (by a person, or by a
                    # concurrent run's de-duplication): create it again, once
                    if exc.status != 404 or recreated:
                        raise
                    recreated.append(True)
                    self.log(
                        "mlnudge: the pull request comment was deleted while it was being "
                        "updated; creating it again"
                    )
            created = issue.create_comment(body)
            return "created", self._deduplicate(issue, key, body, created)

        return self.call("the pull request comment", attempt)

    def _deduplicate(self, issue: Any, key: str, body: str, created: Any) -> str:
        """After creating: keep the oldest of the bot's comments for ``key``, delete the rest."""
        mine = self._own_stickies(issue, key)
        if len(mine) <= 1:
            return str(created.html_url)
        keep, *extra = mine
        self._delete(extra)
        if keep.id != created.id and keep.body != body:
            keep.edit(body)
        return str(keep.html_url)

    def _delete(self, extra: Sequence[Any]) -> None:
        from github import GithubException

        for comment in extra:
            try:
                comment.delete()
            except GithubException as exc:
                if exc.status != 404:  # 404: the other run deleted it first
                    raise
        self.log(f"mlnudge: removed {len(extra)} duplicate comment(s) left by a concurrent run")

    def changed_files(self, number: int) -> dict[str, FileDiff]:
        def attempt() -> dict[str, FileDiff]:
            out: dict[str, FileDiff] = {}
            for f in self.repo.get_pull(number).get_files():
                if f.patch and f.status != "removed":
                    out[f.filename] = parse_patch(f.patch)
            return out

        return self.call("listing the changed files", attempt)

    def review(
        self,
        number: int,
        head_sha: str,
        comments: Sequence[Mapping[str, Any]],
        body: Callable[[int], str],
    ) -> int:
        """Post the ``comments`` not posted before (by fingerprint), 30 per review; how many."""

        def attempt() -> int:
            pull = self.repo.get_pull(number)
            posted = fingerprints_in(
                c.body or "" for c in pull.get_review_comments() if self._own(c)
            )
            fresh = [c for c in comments if not posted & fingerprints_in([str(c["body"])])]
            commit = self.repo.get_commit(head_sha)
            for start in range(0, len(fresh), MAX_COMMENTS_PER_REVIEW):
                chunk = [dict(c) for c in fresh[start : start + MAX_COMMENTS_PER_REVIEW]]
                pull.create_review(
                    commit=commit,
                    body=body(len(chunk)),
                    event="COMMENT",
                    comments=chunk,  # type: ignore[arg-type]  # PyGithub's TypedDict
                )
            return len(fresh)

        return self.call("the review comments", attempt)

    def check_run(
        self, name: str, head_sha: str, conclusion: str, output: Mapping[str, str]
    ) -> str:
        def attempt() -> str:
            run = self.repo.create_check_run(
                name=name,
                head_sha=head_sha,
                status="completed",
                conclusion=conclusion,
                output=dict(output),
            )
            return str(run.html_url)

        return self.call("the check run", attempt)
