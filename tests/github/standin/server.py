"""A stateful GitHub REST stand-in for the comment lifecycle (Prism keeps no state).

It serves exactly the operations in ``trim_spec.OPERATIONS``, keeps comments, reviews and
check runs in memory, pages lists (30 a page, with real ``Link`` headers) and answers 422 the
way GitHub does for review comments outside the diff. Response bodies start from the
examples of GitHub's own OpenAPI description (the trimmed spec) with the stored fields filled
in; tests put ``prism proxy`` in front of it so every request and response is validated
against that description.

Control endpoints (not GitHub's), all JSON, under ``/_standin/``:

- ``POST /_standin/reset`` ``{"public_url": ..., "pulls": {"7": {"head_sha": ..., "files":
  [{"filename", "status", "patch"}], "head_repo": "owner/name"}}, "comments": [{"issue": 7, "body": ..., "login": ...}],
  "review_comments": [{"pull": 7, "path", "line", "body", "login"}], "bot_login": ...,
  "artifacts": {"123": [{"name", "size_in_bytes", "expired"}]}}``
  (``bot_login``: who the token writes as, default ``github-actions[bot]``);
- ``POST /_standin/faults`` ``[{"method", "path" (regex), "status", "headers", "message",
  "times"}]``: the next matching requests get that error (``"after": true``: the change
  happens, then the error replaces the response); ``{"method", "path", "gate": N}`` instead
  holds the next N matching requests until all N have arrived (a race, made certain);
  ``{"method", "path", "delay": SECONDS, "times"}`` answers them normally but late (a client
  timeout); ``{"method", "path", "delete": true}`` deletes the issue comment the request names
  just before serving it (a comment deleted between lookup and update: GitHub's own 404);
- ``GET /_standin/state``: everything stored plus the request log.

Usage: ``python server.py SPEC --port PORT`` (``--port 0`` picks one and prints it).
Binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import itertools
import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

NOW = "2024-05-01T12:00:00Z"
PER_PAGE = 30


class State:
    def __init__(self, spec: dict[str, Any]) -> None:
        examples = spec["components"]["examples"]
        self.templates = {
            "issue-comment": examples["issue-comment"]["value"],
            "review-comment": examples["pull-request-review-comment-items"]["value"][0],
            "review": examples["pull-request-review"]["value"],
            "check-run": examples["check-run-example-of-completed-conclusion"]["value"],
            "pull": examples["pull-request"]["value"],
            "file": examples["diff-entry-items"]["value"][0],
            "artifact": examples["artifact-paginated"]["value"]["artifacts"][0],
        }
        self.lock = threading.Lock()
        self.ids = itertools.count(1000)
        #: bumped by every reset: a request held by a delay or a gate across a reset belongs to
        #: the previous test and must not log itself or use up the next test's faults
        self.generation = 0
        self.reset({})

    def reset(self, seed: dict[str, Any]) -> None:
        self.generation += 1
        self.public_url = str(seed.get("public_url", "http://127.0.0.1")).rstrip("/")
        self.pulls: dict[int, dict[str, Any]] = {
            int(k): v for k, v in seed.get("pulls", {}).items()
        }
        self.issue_comments: list[dict[str, Any]] = []
        self.review_comments: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.check_runs: list[dict[str, Any]] = []
        self.log: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []
        self.gates: list[dict[str, Any]] = []
        self.bot_login = str(seed.get("bot_login", "github-actions[bot]"))
        #: run id -> [{"name", "size_in_bytes", "expired"}]
        self.artifacts: dict[str, list[dict[str, Any]]] = dict(seed.get("artifacts", {}))
        for c in seed.get("comments", []):
            self.add_issue_comment("o", "r", int(c["issue"]), c["body"], c.get("login", "someone"))
        for c in seed.get("review_comments", []):
            self.add_review_comment(
                "o", "r", int(c["pull"]), None, c, login=c.get("login", "someone")
            )

    def user(self, login: str) -> dict[str, Any]:
        user: dict[str, Any] = copy.deepcopy(self.templates["issue-comment"]["user"])
        user["login"] = login
        user["type"] = "Bot" if login.endswith("[bot]") else "User"
        return user

    def add_issue_comment(
        self, owner: str, repo: str, issue: int, body: str, login: str
    ) -> dict[str, Any]:
        cid = next(self.ids)
        item: dict[str, Any] = copy.deepcopy(self.templates["issue-comment"])
        base = f"{self.public_url}/repos/{owner}/{repo}"
        item.update(
            id=cid,
            node_id=f"IC_{cid}",
            url=f"{base}/issues/comments/{cid}",
            html_url=f"https://github.com/{owner}/{repo}/pull/{issue}#issuecomment-{cid}",
            issue_url=f"{base}/issues/{issue}",
            body=body,
            user=self.user(login),
            created_at=NOW,
            updated_at=NOW,
        )
        item.pop("body_html", None)
        item.pop("body_text", None)
        item["__issue"] = issue
        self.issue_comments.append(item)
        return item

    def add_review_comment(
        self,
        owner: str,
        repo: str,
        number: int,
        review_id: int | None,
        c: dict[str, Any],
        *,
        login: str,
        commit_id: str | None = None,
    ) -> dict[str, Any]:
        cid = next(self.ids)
        item: dict[str, Any] = copy.deepcopy(self.templates["review-comment"])
        item.update(
            id=cid,
            pull_request_review_id=review_id or cid,
            path=c["path"],
            line=c["line"],
            side=c.get("side", "RIGHT"),
            start_line=c.get("start_line"),
            body=c["body"],
            commit_id=commit_id or item["commit_id"],
            url=f"{self.public_url}/repos/{owner}/{repo}/pulls/comments/{cid}",
            user=self.user(login),
        )
        item["__pull"] = number
        self.review_comments.append(item)
        return item


def public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("__")}


def right_side_lines(patch: str) -> set[int]:
    """Lines of the new version that a review comment may be placed on."""
    lines: set[int] = set()
    line = 0
    for text in patch.splitlines():
        m = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", text)
        if m:
            line = int(m.group(1))
            continue
        if text.startswith(("-", "\\")) or line == 0:
            continue
        lines.add(line)
        line += 1
    return lines


class Handler(BaseHTTPRequestHandler):
    state: State
    server_version = "standin/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # plumbing ---------------------------------------------------------------------------
    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(
            status,
            {"message": message, "documentation_url": "https://docs.github.com/rest"},
            headers,
        )

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def _page(self, items: list[dict[str, Any]], query: dict[str, list[str]]) -> None:
        per_page = int(query.get("per_page", [PER_PAGE])[0])
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        path = urllib.parse.urlsplit(self.path).path
        links = []
        if page < last:
            links.append(f'<{self.state.public_url}{path}?page={page + 1}>; rel="next"')
            links.append(f'<{self.state.public_url}{path}?page={last}>; rel="last"')
        if links:
            headers["Link"] = ", ".join(links)
        self._send(200, [public(i) for i in chunk], headers)

    def _dispatch(self, method: str) -> None:
        split = urllib.parse.urlsplit(self.path)
        path, query = split.path, urllib.parse.parse_qs(split.query)
        st = self.state
        generation = st.generation
        self._gate(method, path)
        self._delay(method, path)
        with st.lock:
            if path.startswith("/_standin/"):
                return self._control(method, path)
            if st.generation != generation:  # a straggler from before the last reset
                return self._error(503, "stand-in was reset while this request waited")
            st.log.append({"method": method, "path": path, "query": split.query})
            auth = self.headers.get("Authorization", "")
            if not auth.startswith(("token ", "Bearer ")):
                return self._error(401, "Requires authentication")
            for fault in st.faults:
                if fault.get("delay") is not None:
                    continue
                if fault["method"] == method and re.search(fault["path"], path):
                    if fault.get("delete"):
                        st.faults.remove(fault)
                        st.log[-1]["fault"] = "deleted"
                        cid = path.rsplit("/", 1)[-1]
                        st.issue_comments[:] = [c for c in st.issue_comments if str(c["id"]) != cid]
                        break
                    fault["times"] = fault.get("times", 1) - 1
                    if fault["times"] <= 0:
                        st.faults.remove(fault)
                    st.log[-1]["fault"] = fault["status"]
                    if fault.get("after"):  # the change happens, the response is lost
                        send, self._send = self._send, lambda *a, **k: None  # type: ignore[method-assign]
                        try:
                            self._api(method, path, query)
                        finally:
                            self._send = send  # type: ignore[method-assign]
                    return self._error(
                        int(fault["status"]), fault.get("message", "fault"), fault.get("headers")
                    )
            return self._api(method, path, query)

    def _delay(self, method: str, path: str) -> None:
        """Serve a request matching a delay fault late (outside the lock: others go on)."""
        st = self.state
        with st.lock:
            fault = next(
                (
                    f
                    for f in st.faults
                    if f.get("delay") is not None
                    and f["method"] == method
                    and re.search(f["path"], path)
                ),
                None,
            )
            if fault is None:
                return
            fault["times"] = fault.get("times", 1) - 1
            if fault["times"] <= 0:
                st.faults.remove(fault)
            st.log.append({"method": method, "path": path, "query": "", "fault": "delay"})
        threading.Event().wait(float(fault["delay"]))

    def _gate(self, method: str, path: str) -> None:
        """Hold a request matching a gate until the gate's count of requests has arrived."""
        st = self.state
        with st.lock:
            gate = next(
                (
                    g
                    for g in st.gates
                    if g["method"] == method and re.search(g["path"], path) and g["waiting"] > 0
                ),
                None,
            )
            if gate is None:
                return
            gate["waiting"] -= 1
            if gate["waiting"] == 0:
                gate["event"].set()
                st.gates.remove(gate)
        gate["event"].wait(timeout=30)

    def _control(self, method: str, path: str) -> None:
        st = self.state
        if method == "POST" and path == "/_standin/reset":
            st.reset(self._body() or {})
            return self._send(200, {"ok": True})
        if method == "POST" and path == "/_standin/faults":
            for fault in self._body() or []:
                if "gate" in fault:
                    event = threading.Event()
                    st.gates.append({**fault, "waiting": int(fault["gate"]), "event": event})
                else:
                    st.faults.append(fault)
            return self._send(200, {"ok": True})
        if method == "GET" and path == "/_standin/state":
            return self._send(
                200,
                {
                    "issue_comments": st.issue_comments,
                    "review_comments": st.review_comments,
                    "reviews": st.reviews,
                    "check_runs": st.check_runs,
                    "log": st.log,
                },
            )
        return self._error(404, "Not Found")

    # the GitHub operations ------------------------------------------------------------
    def _api(self, method: str, path: str, query: dict[str, list[str]]) -> None:
        st = self.state
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/(.+)", path)
        if not m:
            return self._error(404, "Not Found")
        owner, repo, rest = m.groups()
        base = f"{st.public_url}/repos/{owner}/{repo}"
        if method == "GET" and (m2 := re.fullmatch(r"issues/(\d+)/comments", rest)):
            items = [c for c in st.issue_comments if c["__issue"] == int(m2.group(1))]
            return self._page(items, query)
        if method == "POST" and (m2 := re.fullmatch(r"issues/(\d+)/comments", rest)):
            body = self._body()
            if not isinstance(body, dict) or not isinstance(body.get("body"), str):
                return self._error(422, "Validation Failed")
            if len(body["body"]) > 65536:
                return self._error(422, "Body is too long (maximum is 65536 characters)")
            item = st.add_issue_comment(owner, repo, int(m2.group(1)), body["body"], st.bot_login)
            return self._send(201, public(item))
        if method == "PATCH" and (m2 := re.fullmatch(r"issues/comments/(\d+)", rest)):
            body = self._body()
            for c in st.issue_comments:
                if c["id"] == int(m2.group(1)):
                    if len(body["body"]) > 65536:
                        return self._error(422, "Body is too long (maximum is 65536 characters)")
                    c["body"] = body["body"]
                    c["updated_at"] = "2024-05-01T12:30:00Z"
                    return self._send(200, public(c))
            return self._error(404, "Not Found")
        if method == "DELETE" and (m2 := re.fullmatch(r"issues/comments/(\d+)", rest)):
            for c in st.issue_comments:
                if c["id"] == int(m2.group(1)):
                    st.issue_comments.remove(c)
                    return self._send(204, None)
            return self._error(404, "Not Found")
        pull_match = re.fullmatch(r"pulls/(\d+)(/.*)?", rest)
        if pull_match:
            number = int(pull_match.group(1))
            pr = st.pulls.get(number)
            if pr is None:
                return self._error(404, "Not Found")
            sub = pull_match.group(2) or ""
            if method == "GET" and sub == "":
                item = copy.deepcopy(st.templates["pull"])
                item["number"] = number
                item["url"] = f"{base}/pulls/{number}"
                item["head"]["sha"] = pr["head_sha"]
                # the repository the head branch is in: a fork's for fork pull requests
                head_repo = str(pr.get("head_repo", f"{owner}/{repo}"))
                item["head"]["repo"]["full_name"] = head_repo
                item["head"]["repo"]["name"] = head_repo.rsplit("/", maxsplit=1)[-1]
                item["requested_teams"] = []  # GitHub's own example misses a required field
                return self._send(200, item)
            if method == "GET" and sub == "/files":
                files = []
                for f in pr.get("files", []):
                    item = copy.deepcopy(st.templates["file"])
                    item.update(f)
                    files.append(item)
                return self._page(files, query)
            if method == "GET" and sub == "/comments":
                items = [c for c in st.review_comments if c["__pull"] == number]
                return self._page(items, query)
            if method == "POST" and sub == "/reviews":
                return self._review(owner, repo, number, pr)
        if method == "GET" and (m2 := re.fullmatch(r"actions/runs/(\d+)/artifacts", rest)):
            wanted = query.get("name", [None])[0]
            items = []
            for a in st.artifacts.get(m2.group(1), []):
                if wanted is not None and a["name"] != wanted:
                    continue
                item = copy.deepcopy(st.templates["artifact"])
                item.update(a)
                item["workflow_run"]["id"] = int(m2.group(1))
                items.append(item)
            return self._send(200, {"total_count": len(items), "artifacts": items})
        if method == "POST" and rest == "check-runs":
            body = self._body()
            item = copy.deepcopy(st.templates["check-run"])
            rid = next(st.ids)
            item.update(
                id=rid,
                name=body["name"],
                head_sha=body["head_sha"],
                status=body.get("status", "queued"),
                conclusion=body.get("conclusion"),
                url=f"{base}/check-runs/{rid}",
                html_url=f"https://github.com/{owner}/{repo}/runs/{rid}",
            )
            item["output"] = {
                **item["output"],
                "title": body.get("output", {}).get("title"),
                "summary": body.get("output", {}).get("summary"),
            }
            st.check_runs.append(item)
            return self._send(201, item)
        return self._error(404, "Not Found")

    def _review(self, owner: str, repo: str, number: int, pr: dict[str, Any]) -> None:
        st = self.state
        body = self._body()
        comments = body.get("comments", [])
        if len(comments) > 30:
            return self._error(422, "Too many comments in one review")
        patches = {f["filename"]: f.get("patch", "") for f in pr.get("files", [])}
        for c in comments:
            allowed = right_side_lines(patches.get(c["path"], ""))
            lines = {c["line"], c.get("start_line", c["line"])}
            if not lines <= allowed:
                return self._error(
                    422,
                    "Unprocessable Entity: Pull request review thread line must be part of the "
                    "diff",
                )
        rid = next(st.ids)
        review = copy.deepcopy(st.templates["review"])
        review.update(id=rid, body=body.get("body", ""), commit_id=body.get("commit_id"))
        review["state"] = "COMMENTED"
        st.reviews.append(review)
        for c in comments:
            st.add_review_comment(
                owner, repo, number, rid, c, login=st.bot_login, commit_id=body.get("commit_id")
            )
        return self._send(200, review)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    Handler.state = State(json.loads(args.spec.read_text(encoding="utf-8")))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
