"""The sticky comment, review comments and the check run text, from a report."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from mlnudge.checks import rule_texts
from mlnudge.finding import Finding, Severity, Suppressed
from mlnudge.github import comment as words
from mlnudge.github.context import load_report
from mlnudge.report.model import Report

SHA = "0123456789abcdef0123456789abcdef01234567"
LINKS = words.Links("https://github.com", "team/churn", SHA, "https://github.com/r/1")
HOSTILE = [
    "@octocat please look",
    "<img src=x onerror=alert(1)>",
    "</details><details open>",
    "` + `@admin` + `",
    "| a | b |\n|---|---|",
    "[click](https://evil.example)",
    "<!-- mlnudge:sticky key=CI/other -->",
    "line\n\n# heading",
]


def finding(**kw: object) -> Finding:
    base: dict[str, object] = {
        "rule": "MLN201",
        "path": "src/train.py",
        "message": "`n_estimators=300` is hard-coded.",
        "severity": Severity.WARNING,
        "line": 7,
        "fingerprint": "abc123",
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def test_example_comment_has_every_section_in_order(example_report: Path) -> None:
    report = load_report(example_report)  # compared with a baseline file, not a base branch
    body, cut = words.sticky(report, key="CI/mlnudge", links=LINKS)
    assert not cut
    lines = body.splitlines()
    assert lines[0] == "<!-- mlnudge:sticky key=CI/mlnudge -->"
    assert lines[1] == "### 👋 mlnudge: 8 new nudges (not in the baseline file)"
    assert lines[2].startswith("✅ **Nothing blocks the merge** (advisory mode")
    assert "4 findings in the baseline file" in lines[3] and "1 waived or suppressed" in lines[3]
    assert "on the base branch" not in body  # said of a base branch only
    order = [
        "| | new | in the baseline file |",
        "| Parameters in code | 3 | 0 |",
        "#### Next steps",
        "#### New (not in the baseline file) (8)",
        "**`requirements.txt`**",
        "<details><summary>Why these matter and how to fix them</summary>",
        "<details><summary>4 findings in the baseline file: not introduced here</summary>",
        "<details><summary>Waived or suppressed (1)</summary>",
        "the seed is part of the experiment",
        "Already in good shape",
        "<sub>Mode: advisory.",
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert "a test suite" in body and "a README" in body
    assert f"https://github.com/team/churn/blob/{SHA}/src/churn/train.py#L7" in body
    # why/fix once per rule, however many findings it has
    assert body.count("unbounded-dependency: Without a lower bound") == 1
    assert "2. **unbounded-dependency** (MLN401 ×2): Move the ranges" in body
    # one bullet for the two literals of one call
    assert (
        "2 hard-coded values in `RandomForestClassifier()`: `n_estimators=300`, `max_depth=8`"
        in body
    )


def test_all_fixed_says_so() -> None:
    body, _ = words.sticky(Report(findings=()), key="k", links=LINKS)
    assert "Checked `0123456`: everything mlnudge checks looks production-ready" in body
    assert "####" not in body


def test_blocking_modes_say_what_blocks() -> None:
    report = Report(
        findings=(finding(new=True), finding(new=False, fingerprint="b")),
        mode="ratchet",
        rules=rule_texts(),
        base_ref="main",
        base_sha="f" * 40,
    )
    body, _ = words.sticky(report, key="k", links=LINKS)
    assert body.splitlines()[1] == "### 👋 mlnudge: 1 new nudge in this pull request"
    assert "⛔ **1 new finding at warning or above blocks the merge** (ratchet mode)." in body
    assert "1 finding already on the base branch (`fffffff`)" in body
    assert (
        "Nothing blocks the merge** (strict mode)."
        in words.sticky(Report(findings=(), mode="strict"), key="k", links=None)[0]
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_repository_text_cannot_inject_markup(text: str) -> None:
    report = Report(
        findings=(finding(message=text, path=text, new=False), finding(message=text, new=True)),
        suppressed=(Suppressed(finding(), text),),
        rules=rule_texts(),
    )
    body, _ = words.sticky(report, key="k", links=LINKS)
    assert words.is_sticky(body, "k") and not words.is_sticky(body, "CI/other")
    body = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "CODE", body)  # code spans show text as is
    ours = {
        "<details>",
        "</details>",
        "<summary>",
        "</summary>",
        "<sub>",
        "</sub>",
        "<code>",
        "</code>",
    }
    tags = set(re.findall(r"</?[a-z]+[^>]*>", body))
    assert tags <= ours, tags - ours
    assert "@octocat" not in body and "@admin" not in body
    assert body.count("<details>") == body.count("</details>") == 3
    assert "[click](" not in body
    assert "\n# heading" not in body and "\n| a | b |" not in body and "\n|---|---|" not in body


def test_long_reports_stay_under_the_comment_limit() -> None:
    many = tuple(
        finding(line=i, message="x" * 300, fingerprint=f"f{i}", new=i % 2 == 0)
        for i in range(1, 2001)
    )
    report = Report(findings=many, rules=rule_texts())
    body, cut = words.sticky(report, key="k", links=LINKS)
    assert cut
    assert len(body) < words.COMMENT_BUDGET < words.COMMENT_LIMIT
    assert re.search(r"… and \d+ more not shown here .* the job summary\.", body)
    assert body.count("<details>") == body.count("</details>")
    full, cut = words.sticky(report, key="k", links=LINKS, budget=words.SUMMARY_BUDGET)
    assert not cut and len(full.encode()) < words.SUMMARY_BUDGET


def test_marker_keys_tell_jobs_apart_and_cannot_close_the_comment() -> None:
    assert words.is_sticky(words.sticky_marker("CI/a"), "CI/a")
    assert not words.is_sticky(words.sticky_marker("CI/a"), "CI/b")
    assert "-->" not in words.sticky_marker("x --> <script>")[:-3]
    assert words.fingerprints_in([words.fingerprint_marker("ab12:2")]) == {"ab12:2"}
    assert words.fingerprint_marker("--><b>") == "<!-- mlnudge:fingerprint=b -->"


def test_review_comment_has_a_suggestion_fence_it_cannot_break() -> None:
    f = finding(suggestion="x = params['x']  # ``` not a fence", end_line=7)
    body = words.review_comment(Report(findings=(f,), rules=rule_texts()), f, with_suggestion=True)
    assert body.startswith("<!-- mlnudge:fingerprint=abc123 -->\n**MLN201**")
    assert "\n````suggestion\nx = params['x']  # ``` not a fence\n````" in body
    plain = words.review_comment(Report(findings=(f,)), f, with_suggestion=False)
    assert "suggestion" not in plain


def test_check_run_output_fits_github_limits(example_report: Path) -> None:
    report = load_report(example_report)
    body, _ = words.sticky(report, key="k", links=LINKS)
    output = words.check_run_output(report, body)
    assert output["title"] == "12 finding(s), 8 new: 10 warning, 2 info"
    based = replace(report, base_ref="main", base_sha="f" * 40, fixed=report.findings[:2])
    assert words.check_run_output(based, body)["title"] == (
        "8 new, 4 already on the base branch, 2 fixed"
    )
    assert not output["summary"].startswith("<!--")
    huge = words.check_run_output(report, "x" * 100_000)
    assert len(huge["summary"]) <= words.CHECK_RUN_TEXT_LIMIT
    assert words.check_run_output(replace(report, findings=()), "")["title"].startswith(
        "Everything"
    )


def test_unreadable_files_are_listed_escaped() -> None:
    from mlnudge.finding import ReadError

    report = Report(findings=(), errors=(ReadError("params.yaml", "syntax", "bad <b>@x</b>", 3),))
    body, _ = words.sticky(report, key="k", links=LINKS)
    assert "1 file could not be read" in body
    assert (
        "#### Could not read (1)\n\n- `params.yaml:3` (syntax): bad &lt;b&gt;@\u200bx&lt;/b&gt;"
        in body
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_parameter_details_cannot_inject_markup_through_the_params_block(text: str) -> None:
    details = {"key": f"train.{text}", "value": text, "config_file": text, "name": text}
    report = Report(
        findings=(
            finding(new=True, details={**details, "group": "src/train.py:7:fit"}),
            finding(new=True, fingerprint="b", details={**details, "group": "src/train.py:7:fit"}),
        ),
        rules=rule_texts(),
        base_ref="main",
        base_sha="f" * 40,
    )
    body, _ = words.sticky(report, key="k", links=LINKS)
    fenced = re.search(r"\n   (`{3,})yaml\n(.*?)\n   \1\n", body, re.S)
    assert fenced is not None  # the block is one fence whatever the values hold
    outside = body.replace(fenced.group(0), "\n")
    outside = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "CODE", outside)
    tags = set(re.findall(r"</?[a-z]+[^>]*>", outside))
    assert tags <= {"<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>",
                    "<code>", "</code>"}, tags  # fmt: skip
    assert "@octocat" not in outside and "[click](" not in outside


def test_already_in_good_shape_has_words_for_every_structure_item() -> None:
    """Every item a real run reports present reads as words, never as an internal key."""
    from mlnudge.config import load_config
    from mlnudge.report.model import STRUCTURE_WORDS, in_good_shape
    from mlnudge.runner import run

    root = Path(__file__).resolve().parents[2]
    projects = [root / "examples" / "churn"]
    projects += sorted(p for p in (root / "tests/fixtures/structure").iterdir() if p.is_dir())
    seen: set[str] = set()
    for project in projects:
        report = run(project, load_config(project), families=["structure"], use_cache=False)
        present = [key for key, ok in report.structure.items() if ok]
        seen.update(present)
        for key in present:
            assert key in STRUCTURE_WORDS or key.startswith(("required:", "no-forbidden:")), key
        words_shown = in_good_shape(report.structure)
        assert not any(key in words_shown for key in present if "-" in key)
    assert {"tests", "readme", "ci", "package"} <= seen  # the fixtures cover the usual items
