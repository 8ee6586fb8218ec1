"""The words mlnudge posts on a pull request: the sticky comment, review comments, the check run.

Pure functions from a :class:`~mlnudge.report.model.Report` to markdown. Every string that comes
from the scanned repository (paths, messages, reasons, rule texts of a saved report) goes
through :func:`~mlnudge.report.markdown.escape` or :func:`~mlnudge.report.markdown.code`; the
only raw HTML is ours (the hidden markers, ``<details>`` and ``<sub>``).

A comment is limited to 65,536 characters; the sticky comment keeps well under it
(:data:`COMMENT_BUDGET`) by listing as many findings as fit, then saying where the rest is.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mlnudge.finding import FAMILIES, Finding
from mlnudge.github.untrusted import safe_relative_path
from mlnudge.report.markdown import TITLES, code, escape, inline
from mlnudge.report.model import Report

COMMENT_LIMIT = 65_536
COMMENT_BUDGET = 60_000
#: a step's job summary may hold 1 MiB; leave room for the reporting notes
SUMMARY_BUDGET = 1_000_000
CHECK_RUN_TEXT_LIMIT = 65_535

_STICKY = "<!-- mlnudge:sticky key={key} -->"
_STICKY_RE = re.compile(r"<!-- mlnudge:sticky key=(.*?) -->")
_FINGERPRINT = "<!-- mlnudge:fingerprint={fp} -->"
_FINGERPRINT_RE = re.compile(r"<!-- mlnudge:fingerprint=([0-9A-Za-z:._]+) -->")
_UNSAFE_IN_MARKER = re.compile(r"[^0-9A-Za-z:._/ +()\[\]-]")

#: what a true ``summary.structure`` item means, in words (fallback: the rule name is absent)
GOOD = {
    "missing-tests": "a test suite",
    "notebook-outside-notebooks-dir": "notebooks kept in one place",
    "missing-parameter-file": "a parameter file",
    "no-importable-package": "an importable package",
    "missing-packaging-metadata": "packaging metadata",
    "missing-readme": "a README",
    "missing-ci": "CI on every push",
    "missing-pre-commit-config": "pre-commit hooks",
    "missing-lock-file": "a lock file",
    "large-file-committed": "no large files in git",
    "missing-dependency-declaration": "declared dependencies",
    "loose-scripts-in-src": "no loose scripts in src/",
    "team-required-path-missing": "the team's required paths",
    "team-forbidden-path-present": "none of the team's forbidden paths",
}


@dataclass(frozen=True)
class Links:
    """Where things are on GitHub: file links point at the checked commit."""

    server_url: str
    repository: str
    head_sha: str
    #: the Actions run whose job summary holds what did not fit in the comment
    run_url: str | None = None

    def blob(self, f: Finding) -> str:
        if not safe_relative_path(f.path):  # a link never leaves the repository at head_sha
            return f"{self.server_url}/{self.repository}/tree/{self.head_sha}"
        path = urllib.parse.quote(f.path)
        url = f"{self.server_url}/{self.repository}/blob/{self.head_sha}/{path}"
        if f.line is not None and f.cell is None and not f.path.endswith(".ipynb"):
            url += f"#L{f.line}"
            if f.end_line is not None and f.end_line > f.line:
                url += f"-L{f.end_line}"
        return url


def _marker_text(text: str) -> str:
    return _UNSAFE_IN_MARKER.sub("_", text).replace("--", "-_")[:120]


def sticky_marker(key: str) -> str:
    """The hidden line that identifies this job's comment (``workflow/job``)."""
    return _STICKY.format(key=_marker_text(key))


def is_sticky(body: str, key: str) -> bool:
    """Whether ``body`` is this job's comment: the marker must be its first line."""
    match = _STICKY_RE.match(body)
    return match is not None and match.group(1) == _marker_text(key)


def fingerprint_marker(fingerprint: str) -> str:
    return _FINGERPRINT.format(fp=re.sub(r"[^0-9A-Za-z:._]", "", fingerprint)[:100] or "none")


def fingerprints_in(bodies: Iterable[str]) -> set[str]:
    """The fingerprints mlnudge already commented on (each comment's first line)."""
    return {m.group(1) for body in bodies if (m := _FINGERPRINT_RE.match(body))}


def _where(f: Finding, links: Links | None) -> str:
    where = f.path if f.line is None else f"{f.path}:{f.line}"
    if f.cell is not None:
        where += f" (cell {f.cell})"
    return f"[{code(where)}]({links.blob(f)})" if links and f.line is not None else code(where)


def first_line(fix: str, rule: str) -> str:
    """The fix's first line; a longer fix (an example) is one ``mlnudge explain`` away."""
    first, more, _ = fix.strip().partition("\n")
    if not more:
        return first
    return f"{first.rstrip(' :,')} (`mlnudge explain {rule}` shows an example)."


def _headline(report: Report, f: Finding, links: Links | None) -> str:
    name = report.rule_name(f.rule)
    label = f"**{escape(f.rule)}**" + (f" {escape(name)}" if name != f.rule else "")
    return f"- {_where(f, links)} {label}: {inline(f.message)}"


def _explained(report: Report, findings: Sequence[Finding], links: Links | None) -> list[str]:
    """One entry per finding, grouped by family; each rule's why and fix shown once."""
    entries: list[str] = []
    for family in FAMILIES:
        group = [f for f in findings if f.family == family]
        if not group:
            continue
        entries.append(f"\n**{TITLES[family]}** ({len(group)})\n")
        explained: set[str] = set()
        for f in group:
            lines = [_headline(report, f, links)]
            first = f.rule not in explained
            explained.add(f.rule)
            why = report.why(f)
            if first and why:
                lines.append(f"  - *Why it matters:* {inline(why)}")
            fix = first_line(report.fix(f), f.rule)
            specific = (
                f.fix is not None and f.rule in report.rules and f.fix != report.rules[f.rule].fix
            )
            if fix and (first or specific):
                lines.append(f"  - *How to fix:* {inline(fix)}")
            entries.append("\n".join(lines))
    return entries


class _Budget:
    """Adds entries while they fit; counts the findings that did not."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.omitted = 0

    def take(self, text: str) -> bool:
        if len(text) + 1 > self.left:
            return False
        self.left -= len(text) + 1
        return True

    def section(self, entries: Sequence[str]) -> list[str]:
        kept: list[str] = []
        for i, entry in enumerate(entries):
            if not self.take(entry):
                self.omitted += sum(1 for e in entries[i:] if e.startswith("- "))
                break
            kept.append(entry)
        return kept


def _mode_line(report: Report) -> str:
    blocking = len(report.blocking())
    if report.mode == "advisory":
        status = "Advisory mode: nothing here blocks the merge."
    elif blocking:
        status = (
            f"{blocking} finding(s) at {report.fail_on.label} or above block the merge "
            f"({escape(report.mode)} mode)."
        )
    else:
        status = f"Nothing blocks the merge ({escape(report.mode)} mode)."
    return status


def sticky(
    report: Report,
    *,
    key: str,
    links: Links | None,
    budget: int = COMMENT_BUDGET,
    overflow_to: str | None = "the job summary",
) -> tuple[str, bool]:
    """The sticky comment and whether findings were left out to stay within ``budget``.

    ``overflow_to`` names where the full list can be read (``None``: nowhere else).
    """
    head = [sticky_marker(key), "### 👋 mlnudge: production nudges for this pull request", ""]
    new = [f for f in report.findings if f.new is not False]
    existing = [f for f in report.findings if f.new is False]
    has_baseline = bool(existing) or any(f.new is True for f in report.findings)
    commit = f" at {code(links.head_sha[:7])}" if links else ""
    if not report.findings and report.errors:
        head.append(
            f"Everything mlnudge could read looks production-ready{commit}; "
            f"{len(report.errors)} file(s) could not be read (listed below)."
        )
    elif not report.findings:
        head.append(
            f"🎉 Everything mlnudge checks looks production-ready{commit}. Nice work, "
            "nothing left to nudge!"
        )
    else:
        counts = [f"**{len(new)}** {'new ' if has_baseline else ''}finding(s)"]
        if existing:
            counts.append(f"{len(existing)} already on the base branch")
        if report.suppressed:
            counts.append(f"{len(report.suppressed)} suppressed")
        head.append(f"mlnudge checked this pull request{commit}: {', '.join(counts)}.")
    facts = [_mode_line(report)]
    if report.score is not None:
        facts.append(f"Readiness score: **{report.score:.0f}/100**.")
    head += ["", " ".join(facts)]
    good = [
        GOOD.get(name, f"no {code(name)} finding") for name, ok in report.structure.items() if ok
    ]
    if good:
        head += ["", "✅ **Already in good shape:** " + ", ".join(good) + "."]

    foot = [
        "",
        "<sub>Mode: "
        + escape(report.mode)
        + '. Change it with the action\'s <code>mode</code> input or <code>mode = "..."</code> '
        "under <code>[tool.mlnudge]</code> in pyproject.toml: <code>advisory</code> never "
        "blocks, <code>ratchet</code> blocks new findings, <code>strict</code> blocks all. "
        "Silence one finding with <code># mlnudge: ignore[CODE] reason</code>. "
        f"mlnudge {escape(report.version)}.</sub>",
    ]
    room = _Budget(budget - len("\n".join(head + foot)) - 400)
    body = list(head)
    if new:
        title = "New in this pull request" if has_baseline else "Findings"
        section = room.section(_explained(report, new, links))
        body += ["", f"#### {title} ({len(new)})", *section]
    if existing:
        section = room.section(_explained(report, existing, links))
        if section:
            body += [
                "",
                "<details><summary>"
                f"{len(existing)} finding(s) already on the base branch (not new)</summary>",
                *section,
                "",
                "</details>",
            ]
        else:
            room.omitted += len(existing)
    if report.suppressed:
        entries = [
            f"- {_where(s.finding, links)} **{escape(s.finding.rule)}**: {inline(s.reason)}"
            for s in report.suppressed
        ]
        section = room.section(entries)
        if section:
            body += [
                "",
                f"<details><summary>Suppressed ({len(report.suppressed)})</summary>",
                "",
                *section,
                "",
                "</details>",
            ]
        else:
            room.omitted += len(report.suppressed)
    if report.errors:
        entries = [
            f"- {code(e.path if e.line is None else f'{e.path}:{e.line}')} ({e.kind}): "
            f"{inline(e.message)}"
            for e in report.errors
        ]
        section = room.section(entries)
        if section:
            body += ["", f"#### Could not read ({len(report.errors)})", "", *section]
        else:
            room.omitted += len(report.errors)
    if room.omitted:
        where = f"the full list is in {overflow_to}" if overflow_to else "see the JSON report"
        body += [
            "",
            f"… and {room.omitted} more not shown here to keep this comment short: {where}.",
        ]
    text = "\n".join(body + foot) + "\n"
    return text, room.omitted > 0


def review_comment(report: Report, f: Finding, *, with_suggestion: bool) -> str:
    """An inline comment on the finding's line, with a suggestion block where one exists."""
    name = report.rule_name(f.rule)
    lines = [
        fingerprint_marker(f.fingerprint),
        f"**{escape(f.rule)}** {escape(name)}: {inline(f.message)}",
    ]
    why = report.why(f)
    if why:
        lines += ["", f"*Why it matters:* {inline(why)}"]
    fix = first_line(report.fix(f), f.rule)
    if fix:
        lines += ["", f"*How to fix:* {inline(fix)}"]
    if with_suggestion and f.suggestion is not None:
        fence = "```"
        while fence in f.suggestion:
            fence += "`"
        lines += ["", f"{fence}suggestion", f.suggestion.rstrip("\n"), fence]
    return "\n".join(lines)


def check_run_output(report: Report, body: str) -> dict[str, str]:
    """The check run's title and summary (the sticky text without its marker)."""
    counts = report.counts()
    new = sum(1 for f in report.findings if f.new is not False)
    title = (
        "Everything looks production-ready"
        if not report.findings
        else f"{len(report.findings)} finding(s), {new} new: "
        + ", ".join(f"{n} {label}" for label, n in counts.items() if n)
    )
    summary = body.split("\n", 1)[1] if body.startswith("<!--") else body
    if len(summary) > CHECK_RUN_TEXT_LIMIT:
        summary = summary[: CHECK_RUN_TEXT_LIMIT - 80] + "\n\n… (shortened; see the job summary)"
    return {"title": title[:250], "summary": summary}
