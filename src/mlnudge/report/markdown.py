"""Markdown: grouped by family, each rule explained once; reused by the PR comment.

Everything that comes from the scanned repository is escaped: no HTML, no @mentions, no
breaking out of code spans or tables.
"""

from __future__ import annotations

import re

from mlnudge.finding import FAMILIES, Finding
from mlnudge.report.model import Report, grouped
from mlnudge.report.text import split_line, summary_line

TITLES = {
    "structure": "Repository structure",
    "params": "Parameters in code",
    "transforms": "Untested transformations",
    "deps": "Dependency ranges",
}
_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_SPACE = re.compile(r"\s+")
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
#: what opens a block at the start of a line: an ATX heading, a bullet, a setext underline
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[+-](?=\s|$)|=+\s*$|-+\s*$)")
#: an ordered list item (``1. ``, ``2) ``); ``0.1.0`` is not one
_ORDERED_START = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def escape(text: str) -> str:
    """Plain text safe for markdown: one line, no HTML, no markup, mentions defused.

    Safe at the start of a line too (after ``> `` or ``- ``): a leading ``#``, ``+``, ``-``,
    ``=`` or ``1.`` would open a heading, a list or a setext underline there.
    """
    text = _SPACE.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text).replace("@", "@\u200b")
    text = _BLOCK_START.sub(r"\1\\\2", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def code(text: str) -> str:
    """An inline code span that ``text`` cannot break out of."""
    text = _SPACE.sub(" ", text).strip().replace("@", "@\u200b")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(text: str) -> str:
    """A message with `code` spans kept as code and everything else escaped.

    Safe whatever the text holds: each piece is either escaped text or a code span whose
    fence is longer than any backtick run inside it.
    """
    pieces = _CODE_SPAN.split(_SPACE.sub(" ", text).strip())
    out = ""
    for piece in pieces:
        rendered = code(piece[1:-1]) if _CODE_SPAN.fullmatch(piece) else escape(piece)
        if out.endswith("`") and rendered.startswith("`"):
            # two backtick runs side by side would merge into one longer fence and let the
            # span close elsewhere: keep them apart with an invisible zero-width space
            out += "\u200b"
        out += rendered
    return out


def location(f: Finding) -> str:
    where = f.path
    if f.line is not None:
        where += f":{f.line}"
    return code(where)


def render(report: Report) -> str:
    lines = ["## mlnudge", ""]
    if not report.findings:
        lines.append("Everything checked looks production-ready. Nice work!")
    for family in FAMILIES:
        group = [f for f in report.findings if f.family == family]
        if not group:
            continue
        lines += [f"### {TITLES[family]} ({len(group)})", ""]
        explained: set[str] = set()
        for label, members in grouped(group):
            pad = ""
            if label is not None:
                lines.append(f"- {location(members[0])} {inline(label)}: {len(members)} values")
                pad = "  "
            for f in members:
                where = "" if pad else f"{location(f)} "
                lines.append(f"{pad}- {where}**{f.rule}** {inline(f.message)}")
                if f.rule not in explained:
                    explained.add(f.rule)
                    why = report.why(f)
                    if why:
                        lines.append(f"{pad}  - *Why:* {inline(why)}")
                    fix = report.fix(f).split("\n", 1)[0]
                    if fix:
                        lines.append(f"{pad}  - *Fix:* {inline(fix)}")
        lines.append("")
    if report.suppressed:
        lines += [f"### Suppressed ({len(report.suppressed)})", ""]
        for s in report.suppressed:
            lines.append(f"- {location(s.finding)} **{s.finding.rule}**: {inline(s.reason)}")
        lines.append("")
    if report.errors:
        lines += ["### Could not read", ""]
        for err in report.errors:
            where = f"{err.path}:{err.line}" if err.line else err.path
            lines.append(f"- {code(where)} ({err.kind}): {escape(err.message)}")
        lines.append("")
    for note in report.notes:
        lines.append(f"> {inline(note)}")
    if report.notes:
        lines.append("")
    split = split_line(report)
    if split:
        lines.append(escape(split) + "  ")
    lines.append(escape(summary_line(report)))
    return "\n".join(lines) + "\n"
