"""Inline review comments: only on added lines, most important first, capped."""

from __future__ import annotations

from mlnudge.checks import rule_texts
from mlnudge.finding import Finding, Severity
from mlnudge.github.diff import parse_patch
from mlnudge.github.review import inline_comments
from mlnudge.report.model import Report

PATCH = "@@ -1,3 +1,6 @@\n a = 1\n+b = 2\n+c = 3\n+d = 4\n e = 5\n+f = 6"


def f(line: int, **kw: object) -> Finding:
    base: dict[str, object] = {
        "rule": "MLN201",
        "path": "train.py",
        "message": "m",
        "severity": Severity.WARNING,
        "line": line,
        "fingerprint": f"fp{line}",
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def comments(*findings: Finding, limit: int = 10) -> list[dict[str, object]]:
    report = Report(findings=findings, rules=rule_texts())
    return inline_comments(report, {"train.py": parse_patch(PATCH)}, limit)


def test_only_added_lines_of_changed_files() -> None:
    picked = comments(f(1), f(2), f(5), f(6), f(2, path="other.py"), f(3, path="nb.ipynb"))
    assert [(c["path"], c["line"]) for c in picked] == [("train.py", 2), ("train.py", 6)]
    assert all(c["side"] == "RIGHT" for c in picked)


def test_most_important_first_and_capped() -> None:
    picked = comments(
        f(2, new=False),
        f(3, severity=Severity.INFO),
        f(4, severity=Severity.ERROR),
        f(6),
        limit=3,
    )
    assert [c["line"] for c in picked] == [4, 6, 2]


def test_multi_line_suggestion_spans_the_lines_it_replaces() -> None:
    (c,) = comments(f(2, end_line=4, suggestion="b, c, d = 2, 3, 4"))
    assert (c["start_line"], c["line"]) == (2, 4)
    assert "```suggestion\nb, c, d = 2, 3, 4\n```" in str(c["body"])


def test_suggestion_dropped_when_the_span_leaves_the_hunk() -> None:
    (c,) = comments(f(4, end_line=9, suggestion="x"))
    assert c["line"] == 4 and "start_line" not in c
    assert "suggestion" not in str(c["body"])
