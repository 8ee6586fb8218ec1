"""Trim GitHub's OpenAPI description to the operations mlnudge calls, for Prism.

The full ``api.github.com.json`` from ``@octokit/openapi`` is 13 MB and takes Prism ~9 s and
~400 MB to load; the trimmed one holds only :data:`OPERATIONS` and the components they
reference (followed transitively), and loads in under 2 s.

Two rewrites make the examples usable by a real client:

- every ``https://api.github.com`` in examples becomes the stand-in's base URL, because
  PyGithub follows the ``url`` of returned objects (editing a comment PATCHes its ``url``);
- ``Link`` response headers are dropped: their examples point at ``/resource?page=2``, which a
  paging client would follow into a 404.

Usage: ``python trim_spec.py FULL_SPEC OUT_SPEC BASE_URL``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: (method, path) of every call mlnudge makes; tests assert the bot needs nothing else
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/comments"),
    ("post", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("post", "/repos/{owner}/{repo}/check-runs"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"),
)
SPEC_IN_PACKAGE = Path("node_modules/@octokit/openapi/generated/api.github.com.json")


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _drop_link_headers(node: Any) -> None:
    if isinstance(node, dict):
        headers = node.get("headers")
        if isinstance(headers, dict):
            for name in [k for k in headers if k.lower() == "link"]:
                del headers[name]
        for value in node.values():
            _drop_link_headers(value)
    elif isinstance(node, list):
        for value in node:
            _drop_link_headers(value)


def trim(spec: dict[str, Any], base_url: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path in OPERATIONS:
        item = spec["paths"][path]
        kept = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        kept[method] = item[method]
    components: dict[str, dict[str, Any]] = {}
    pending: set[str] = set()
    _refs(paths, pending)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        node = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = node
        _refs(node, pending)
    trimmed = {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": components,
    }
    _drop_link_headers(trimmed)
    text = json.dumps(trimmed).replace("https://api.github.com", base_url)
    result: dict[str, Any] = json.loads(text)
    return result


def main(argv: list[str]) -> int:
    source, target, base_url = argv
    spec = json.loads(Path(source).read_text(encoding="utf-8"))
    Path(target).write_text(json.dumps(trim(spec, base_url.rstrip("/"))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
