"""Which findings become inline review comments: only on lines the pull request added.

Compared with the pull request's base, only new findings: code that was moved sits on added
lines too, but its findings were already there.

Most important first (severity, then new before existing), at most ``limit`` per run.
Notebooks are left out: their diffs are JSON, and a finding's line is inside a cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlnudge.finding import Finding
from mlnudge.github.comment import review_comment
from mlnudge.github.diff import FileDiff
from mlnudge.report.model import Report

DEFAULT_LIMIT = 10


def inline_comments(
    report: Report, diffs: Mapping[str, FileDiff], limit: int = DEFAULT_LIMIT
) -> list[dict[str, Any]]:
    """Review comments (``path``, ``line``, ``side``, ``body``...) for the PR's added lines."""
    picked: list[dict[str, Any]] = []
    pool = report.findings
    if report.compared_to == "base":  # moved code is on added lines too, but not new
        pool = tuple(f for f in pool if f.new is not False)
    ordered = sorted(pool, key=lambda f: (-f.severity, f.new is False, *f.sort_key()))
    for f in ordered:
        if len(picked) >= limit:
            break
        diff = diffs.get(f.path)
        if diff is None or f.line is None or f.cell is not None or f.path.endswith(".ipynb"):
            continue
        if f.line not in diff.added:
            continue
        picked.append(_comment(report, f, diff))
    return picked


def _comment(report: Report, f: Finding, diff: FileDiff) -> dict[str, Any]:
    assert f.line is not None
    end = f.end_line if f.end_line is not None and f.end_line > f.line else f.line
    spans = end == f.line or diff.can_span(f.line, end)
    comment: dict[str, Any] = {
        "path": f.path,
        "line": end if spans else f.line,
        "side": "RIGHT",
        "body": review_comment(report, f, with_suggestion=spans),
    }
    if spans and end != f.line:
        comment["start_line"] = f.line
        comment["start_side"] = "RIGHT"
    return comment
