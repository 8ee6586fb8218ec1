"""The words mlnudge posts on a pull request: the sticky comment, review comments, the check run.

Pure functions from a :class:`~mlnudge.report.model.Report` to markdown. Every string that comes
from the scanned repository (paths, messages, reasons, rule texts of a saved report) goes
through :func:`~mlnudge.report.markdown.escape` or :func:`~mlnudge.report.markdown.code`; the
only raw HTML is ours (the hidden markers, ``<details>`` and ``<sub>``).

A comment is limited to 65,536 characters; the sticky comment keeps well under it
(:data:`COMMENT_BUDGET`) by listing as many findings as fit, then saying where the rest is.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mlnudge.finding import FAMILIES, Finding
from mlnudge.github.untrusted import safe_relative_path
from mlnudge.report.markdown import TITLES, code, escape, inline
from mlnudge.report.model import Report, grouped, in_good_shape

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

    def section(self, entries: Sequence[str], counts: Sequence[int] | None = None) -> list[str]:
        """As many entries as fit; ``counts[i]`` is how many findings entry ``i`` stands for."""
        kept: list[str] = []
        for i, entry in enumerate(entries):
            if not self.take(entry):
                rest = counts[i:] if counts is not None else [1 for _ in entries[i:]]
                self.omitted += sum(rest)
                break
            kept.append(entry)
        return kept


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _existing_words(report: Report) -> str:
    """Where the findings that are not new were: the base branch or the baseline file."""
    if report.compared_to == "base":
        return "already on the base branch"
    return "in the baseline file"


def _verdict(report: Report) -> str:
    """Whether anything blocks, in one sentence."""
    blocking = report.blocking()
    deferred = [f for f in report.findings if report.blocks_from(f)]
    if report.mode == "advisory":
        text = "✅ **Nothing blocks the merge** (advisory mode: mlnudge only nudges)."
    elif blocking:
        what = "new finding" if report.mode == "ratchet" else "finding"
        text = (
            f"⛔ **{_plural(len(blocking), what)} at {report.fail_on.label} or above "
            f"{'blocks' if len(blocking) == 1 else 'block'} the merge** ({escape(report.mode)} "
            "mode)."
        )
    else:
        text = f"✅ **Nothing blocks the merge** ({escape(report.mode)} mode)."
    if deferred:
        first = min(f.blocks_from or "" for f in deferred)
        text += (
            f" {_plural(len(deferred), 'finding')} will block from {escape(first)} "
            "(`warn-until`); until then they only nudge."
        )
    return text


def _title(report: Report, new: Sequence[Finding]) -> str:
    """The first visible line: what this pull request introduced and fixed."""
    fixed = len(report.fixed)
    if report.compared_to is None:
        if not report.findings:
            return "### ✨ mlnudge: nothing to nudge"
        return f"### 👋 mlnudge: {_plural(len(report.findings), 'production nudge')}"
    if report.compared_to == "base":
        parts = [
            f"{_plural(len(new), 'new nudge')} in this pull request"
            if new
            else "this pull request adds no new nudges"
        ]
        if fixed:
            parts.append(f"{fixed} fixed 🎉")
        return "### 👋 mlnudge: " + ", ".join(parts)
    return "### 👋 mlnudge: " + (
        f"{_plural(len(new), 'new nudge')} (not in the baseline file)"
        if new
        else "no new nudges (everything is in the baseline file)"
    )


def _context(report: Report, new: Sequence[Finding], commit: str) -> str:
    """The third line: what else there is, in one sentence."""
    existing = len(report.findings) - len(new)
    parts = []
    if report.compared_to is not None and existing:
        where = _existing_words(report)
        if report.compared_to == "base" and report.base_sha:
            where += f" ({code(report.base_sha[:7])})"
        parts.append(f"{_plural(existing, 'finding')} {where}, listed below but not counted as new")
    if report.suppressed:
        parts.append(f"{len(report.suppressed)} waived or suppressed")
    if report.errors:
        parts.append(f"{_plural(len(report.errors), 'file')} could not be read")
    if not report.findings and not report.errors:
        parts.append(
            "everything mlnudge checks looks production-ready. Nice work, nothing left to nudge!"
        )
    checked = f"Checked{commit}"
    return f"{checked}: " + "; ".join(parts) + "." if parts else f"{checked}."


def _table(report: Report, new: Sequence[Finding]) -> list[str]:
    """One row per family with findings: new / existing / fixed."""
    rows = []
    for family in FAMILIES:
        n_new = sum(1 for f in new if f.family == family)
        n_all = sum(1 for f in report.findings if f.family == family)
        n_fixed = sum(1 for f in report.fixed if f.family == family)
        if not (n_all or n_fixed):
            continue
        if report.compared_to == "base":
            rows.append(f"| {TITLES[family]} | {n_new} | {n_all - n_new} | {n_fixed} |")
        elif report.compared_to == "baseline":
            rows.append(f"| {TITLES[family]} | {n_new} | {n_all - n_new} |")
        else:
            rows.append(f"| {TITLES[family]} | {n_all} |")
    if not rows:
        return []
    if report.compared_to == "base":
        head = ["| | new | existing | fixed |", "|---|---:|---:|---:|"]
    elif report.compared_to == "baseline":
        head = ["| | new | in the baseline file |", "|---|---:|---:|"]
    else:
        head = ["| | findings |", "|---|---:|"]
    return ["", *head, *rows]


def _yaml_scalar(value: str) -> str:
    text = value.strip()
    if re.fullmatch(r"[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        return text
    if text in ("True", "False"):
        return text.lower()
    if text.startswith("[") and text.endswith("]"):
        return text
    return json.dumps(text)


def params_block(findings: Sequence[Finding]) -> tuple[str, str, list[Finding]] | None:
    """One ready-to-paste YAML block with every key the parameter findings suggest.

    Returns ``(config file, yaml, findings it covers)``; ``None`` when none suggests a key.
    Keys the configuration already has (``config_value``) are not repeated.
    """
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        key, value, target = (f.details.get(k) for k in ("key", "value", "config_file"))
        if f.family != "params" or "config_value" in f.details:
            continue
        if isinstance(key, str) and isinstance(value, str) and isinstance(target, str):
            by_file.setdefault(target, []).append(f)
    if not by_file:
        return None
    target, chosen = max(by_file.items(), key=lambda item: len(item[1]))
    tree: dict[str, Any] = {}
    for f in chosen:
        *parents, leaf = str(f.details["key"]).split(".")
        node = tree
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node.setdefault(leaf, _yaml_scalar(str(f.details["value"])))
    lines: list[str] = []

    def emit(node: dict[str, Any], depth: int) -> None:
        for name, value in node.items():
            if isinstance(value, dict):
                lines.append("  " * depth + f"{name}:")
                emit(value, depth + 1)
            else:
                lines.append("  " * depth + f"{name}: {value}")

    emit(tree, 0)
    return target, "\n".join(lines), chosen


def _fence(text: str, info: str = "") -> list[str]:
    fence = "```"
    while fence in text:
        fence += "`"
    return [f"{fence}{info}", text, fence]


def _lines_to_change(findings: Sequence[Finding], links: Links | None) -> str:
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    parts = []
    for path, members in by_path.items():
        spots = []
        for f in members:
            if f.line is None:
                continue
            label = f"cell {f.cell} line {f.line}" if f.cell is not None else f"L{f.line}"
            spot = f"[{label}]({links.blob(f)})" if links else label
            if spot not in spots:
                spots.append(spot)
        parts.append(f"{code(path)} " + ", ".join(spots) if spots else code(path))
    return "; ".join(parts)


def _next_steps(report: Report, new: Sequence[Finding], links: Links | None) -> list[str]:
    """The few actions that clear most of the new findings, biggest first."""
    if not new:
        return []
    steps: list[tuple[int, list[str]]] = []
    block = params_block(new)
    covered: set[int] = set()
    if block is not None:
        target, yaml, chosen = block
        covered = {id(f) for f in chosen}
        step = [
            f"**Move {_plural(len(chosen), 'hard-coded value')} to {code(target)}** and read "
            "them from there. Paste into it:",
            "",
            *("   " + line for line in "\n".join(_fence(yaml, "yaml")).splitlines()),
            "",
            f"   Lines to change: {_lines_to_change(chosen, links)}",
        ]
        steps.append((len(chosen), step))
    by_rule: dict[str, list[Finding]] = {}
    for f in new:
        if id(f) not in covered:
            by_rule.setdefault(f.rule, []).append(f)
    for rule, members in by_rule.items():
        fix = first_line(report.fix(members[0]), rule)
        name = report.rule_name(rule)
        times = f" ×{len(members)}" if len(members) > 1 else ""
        label = f"**{escape(name)}** ({escape(rule)}{times})"
        steps.append((len(members), [f"{label}: {inline(fix)}" if fix else label]))
    steps.sort(key=lambda item: -item[0])
    shown = steps[:3]
    out = ["", "#### Next steps", ""]
    for i, (_, lines) in enumerate(shown, 1):
        out.append(f"{i}. {lines[0]}")
        out.extend(lines[1:])
    rest = sum(n for n, _ in steps[3:])
    if rest:
        out.append(f"\nThat clears {len(new) - rest} of {len(new)}; the rest is listed below.")
    return out


def _member(f: Finding) -> str:
    """How one finding of a group reads inside the group's bullet."""
    name, value = f.details.get("name"), f.details.get("value")
    if isinstance(name, str) and isinstance(value, str):
        return code(f"{name}={value}")
    if isinstance(value, str):
        return code(value)
    return inline(f.message)


def _notes(report: Report, group: Sequence[Finding]) -> str:
    """When the findings start to block, waivers that expired, the exploration stage."""
    out = list(dict.fromkeys(note for f in group for note in _note_list(report, f)))
    return (" — " + "; ".join(out)) if out else ""


def _note_list(report: Report, f: Finding) -> list[str]:
    out = []
    when = report.blocks_from(f)
    if when:
        out.append(f"⏳ advisory until {escape(when)}, blocks from then on")
    if f.waiver is not None and f.waiver.expired:
        out.append(
            f"⚠️ its waiver expired on {escape(f.waiver.expires or '?')} "
            f"({inline(f.waiver.reason)}), so it counts again"
        )
    if f.stage == "exploration":
        out.append("exploration code: info at most")
    return out


def _file_entries(
    report: Report, findings: Sequence[Finding], links: Links | None
) -> tuple[list[str], list[int]]:
    """Findings grouped by file and by call: one bullet for the literals of one call."""
    entries: list[str] = []
    counts: list[int] = []
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    for path, members in by_path.items():
        entries.append(f"\n**{code(path)}**\n")
        counts.append(0)
        for label, group in grouped(members):
            first = group[0]
            rules = ", ".join(dict.fromkeys(f"**{escape(f.rule)}**" for f in group))
            if label is not None:
                values = ", ".join(_member(f) for f in group)
                text = (
                    f"- {_at(first, links)} {rules} {_plural(len(group), 'hard-coded value')} in "
                    f"{inline(label)}: {values}"
                ).replace("-  ", "- ", 1)
                text += _notes(report, group)
            else:
                text = f"- {_at(first, links)} {rules} {inline(_short_message(first))}"
                text = text.replace("-  ", "- ", 1)
                text += _notes(report, group)
            entries.append(text)
            counts.append(len(group))
    return entries, counts


def _short_message(f: Finding) -> str:
    """The message without a notebook's ``cell N, line M:`` prefix (the location shows it)."""
    if f.cell is not None and f.message.startswith("cell "):
        return f.message.split(": ", 1)[-1]
    return f.message


def _at(f: Finding, links: Links | None) -> str:
    """Where in the file: ``L7``, ``cell 3, line 2`` (notebooks), or nothing for the file."""
    if f.line is None:
        return ""
    label = f"cell {f.cell}, line {f.line}" if f.cell is not None else f"L{f.line}"
    return f"[{label}]({links.blob(f)})" if links else label


def _why_once(report: Report, findings: Sequence[Finding]) -> list[str]:
    """Each rule's why and fix, once."""
    out = []
    for rule in dict.fromkeys(f.rule for f in findings):
        text = report.rules.get(rule)
        if text is None:
            continue
        fix = first_line(text.fix, rule)
        line = f"- **{escape(rule)}** {escape(text.name)}: {inline(text.why)}"
        if fix:
            line += f" *Fix:* {inline(fix)}"
        out.append(line)
    return out


def sticky(
    report: Report,
    *,
    key: str,
    links: Links | None,
    budget: int = COMMENT_BUDGET,
    overflow_to: str | None = "the job summary",
    existing_cap: int = 25,
) -> tuple[str, bool]:
    """The sticky comment and whether findings were left out to stay within ``budget``.

    Reads top-down in ten seconds: what the pull request introduced and fixed, whether anything
    blocks, a table per family, the next steps, then the new findings by file; findings that
    were already there are collapsed and capped at ``existing_cap`` entries. ``overflow_to``
    names where the full list can be read (``None``: nowhere else).
    """
    compared = report.compared_to is not None
    new = [f for f in report.findings if f.new is not False] if compared else []
    shown_new = new if compared else list(report.findings)
    existing = [f for f in report.findings if f.new is False]
    commit = f" {code(links.head_sha[:7])}" if links else ""
    head = [
        sticky_marker(key),
        _title(report, new),
        _verdict(report),
        _context(report, new, commit),
    ]
    head += _table(report, new)
    head += _next_steps(report, shown_new, links)

    good = in_good_shape(report.structure)
    tail = []
    if good:
        tail += ["", "✅ **Already in good shape:** " + escape(", ".join(good)) + "."]
    foot = [
        "",
        "<sub>Mode: "
        + escape(report.mode)
        + '. Change it with the action\'s <code>mode</code> input or <code>mode = "..."</code> '
        "under <code>[tool.mlnudge]</code>: <code>advisory</code> never blocks, "
        "<code>ratchet</code> blocks new findings, <code>strict</code> blocks all; "
        "<code>warn-until</code> sets a date per rule. Silence one finding with "
        "<code># mlnudge: ignore[CODE] reason</code>. "
        f"mlnudge {escape(report.version)}.</sub>",
    ]
    room = _Budget(budget - len("\n".join(head + tail + foot)) - 600)
    body = list(head)
    if shown_new:
        title = (
            "New in this pull request"
            if report.compared_to == "base"
            else ("New (not in the baseline file)" if compared else "Findings")
        )
        entries, counts = _file_entries(report, shown_new, links)
        body += ["", f"#### {title} ({len(shown_new)})", *room.section(entries, counts)]
        why = _why_once(report, shown_new)
        if why:
            kept = room.section(why, [0] * len(why))
            body += ["", "<details><summary>Why these matter and how to fix them</summary>", ""]
            body += [*kept, "", "</details>"]
    if existing:
        entries, counts = _file_entries(report, existing, links)
        shown_entries: list[str] = []
        bullets = 0
        for entry in entries:
            if entry.startswith("- "):
                if bullets >= existing_cap:
                    break
                bullets += 1
            shown_entries.append(entry)
        kept = room.section(shown_entries, counts[: len(shown_entries)])
        listed = sum(counts[: len(kept)])
        more = len(existing) - listed
        body += [
            "",
            f"<details><summary>{_plural(len(existing), 'finding')} "
            f"{_existing_words(report)}: not introduced here</summary>",
            *kept,
        ]
        if more:
            where = f"{overflow_to}" if overflow_to else "the JSON report"
            body += ["", f"… and {more} more; all of them are in {where}."]
        body += ["", "</details>"]
    if report.fixed:
        entries = [
            f"- {code(f.path)} **{escape(f.rule)}** {inline(f.message)}" for f in report.fixed
        ]
        kept = room.section(entries[:existing_cap], [0] * min(len(entries), existing_cap))
        body += [
            "",
            f"<details><summary>🎉 {_plural(len(report.fixed), 'finding')} fixed in this pull "
            "request</summary>",
            "",
            *kept,
        ]
        if len(entries) > len(kept):
            body += ["", f"… and {len(entries) - len(kept)} more."]
        body += ["", "</details>"]
    if report.suppressed:
        entries = []
        for s in report.suppressed:
            until = ""
            if s.finding.waiver is not None and s.finding.waiver.expires:
                until = f" (waived until {escape(s.finding.waiver.expires)})"
            entries.append(
                f"- {_where(s.finding, links)} **{escape(s.finding.rule)}**: "
                f"{inline(s.reason)}{until}"
            )
        section = room.section(entries)
        if section:
            body += [
                "",
                f"<details><summary>Waived or suppressed ({len(report.suppressed)})</summary>",
                "",
                *section,
                "",
                "</details>",
            ]
    if report.errors:
        entries = [
            f"- {code(e.path if e.line is None else f'{e.path}:{e.line}')} ({e.kind}): "
            f"{inline(e.message)}"
            for e in report.errors
        ]
        section = room.section(entries)
        if section:
            body += ["", f"#### Could not read ({len(report.errors)})", "", *section]
    if room.omitted:
        where = f"the full list is in {overflow_to}" if overflow_to else "see the JSON report"
        body += [
            "",
            f"… and {room.omitted} more not shown here to keep this comment short: {where}.",
        ]
    text = "\n".join(body + tail + foot) + "\n"
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
    split = report.split()
    if not report.findings and not report.fixed:
        title = "Everything looks production-ready"
    elif split is not None and report.compared_to == "base":
        title = (
            f"{split['new']} new, {split['existing']} already on the base branch, "
            f"{split['fixed']} fixed"
        )
    else:
        new = sum(1 for f in report.findings if f.new is not False)
        title = f"{len(report.findings)} finding(s), {new} new: " + ", ".join(
            f"{n} {label}" for label, n in counts.items() if n
        )
    summary = body.split("\n", 1)[1] if body.startswith("<!--") else body
    if len(summary) > CHECK_RUN_TEXT_LIMIT:
        summary = summary[: CHECK_RUN_TEXT_LIMIT - 80] + "\n\n… (shortened; see the job summary)"
    return {"title": title[:250], "summary": summary}
