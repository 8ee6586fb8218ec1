"""The terminal report: grouped by file, each rule explained once, a closing summary."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import groupby

from mlnudge.finding import Finding, Severity
from mlnudge.report.model import Report, grouped, in_good_shape

_COLORS = {
    Severity.ERROR: "\033[31m",
    Severity.WARNING: "\033[33m",
    Severity.INFO: "\033[36m",
}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


#: control characters a file name or a message may carry (``\x1b[2J`` clears a terminal)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters written as escapes, so a file name cannot drive the
    terminal (newlines in a name are shown as ``\\n`` too: a path is one line)."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def _visible_report(report: Report) -> Report:
    def finding(f: Finding) -> Finding:
        return replace(f, path=visible(f.path).replace("\n", "\\n"), message=visible(f.message))

    return replace(
        report,
        findings=tuple(finding(f) for f in report.findings),
        suppressed=tuple(replace(s, finding=finding(s.finding)) for s in report.suppressed),
        errors=tuple(
            replace(e, path=visible(e.path).replace("\n", "\\n"), message=visible(e.message))
            for e in report.errors
        ),
    )


def render(
    report: Report, *, color: bool = False, verbose: bool = False, quiet: bool = False
) -> str:
    report = _visible_report(report)

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    explained: set[str] = set()
    shown = report.blocking() if quiet else report.findings
    for path, in_file in groupby(shown, key=lambda f: f.path):
        out.append(paint(path, _BOLD))
        for label, members in grouped(list(in_file)):
            indent = 2
            if label is not None:
                first = members[0]
                out.append(f"  {first.line or '-':>7} {label}: {len(members)} hard-coded values")
                indent = 4
            for f in members:
                out.append(" " * indent + _headline(f, paint))
                rule_fix = report.rules[f.rule].fix if f.rule in report.rules else ""
                pad = indent + 4
                if f.rule not in explained or verbose:
                    explained.add(f.rule)
                    why = report.why(f)
                    if why:
                        out.append(paint(" " * pad + f"why: {why}", _DIM))
                    if rule_fix and not f.fix:
                        out.append(paint(" " * pad + f"fix: {rule_fix}", _DIM))
                if f.fix and f.fix != rule_fix:
                    fix = f.fix if verbose else f.fix.split("\n", 1)[0]
                    if fix != f.fix:
                        fix = fix.rstrip(":,") + " (--verbose shows the full fix)"
                    out.extend(_indent("fix: " + fix, pad))
                if f.suggestion is not None:
                    out.append(" " * pad + f"suggested: {f.suggestion}")
                out.extend(" " * pad + note for note in finding_notes(report, f))
        out.append("")
    unread = [e for e in report.errors if e.kind != "internal"]
    bugs = [e for e in report.errors if e.kind == "internal"]
    for title, errors in (
        ("Could not read (skipped, the rest was checked):", unread),
        ("mlnudge failed on these (a bug in mlnudge; the rest was checked):", bugs),
    ):
        if not errors:
            continue
        out.append(paint(title, _BOLD))
        for err in errors:
            where = f"{err.path}:{err.line}" if err.line else err.path
            out.append(f"  {where}: [{err.kind}] {err.message}")
        out.append("")
    if report.suppressed and not quiet:
        out.append(f"Suppressed (inline ignores and waivers): {len(report.suppressed)}")
        for s in report.suppressed if verbose else report.suppressed[:5]:
            f = s.finding
            until = f" (until {f.waiver.expires})" if f.waiver and f.waiver.expires else ""
            out.append(f"  {f.path}:{f.line} {f.rule}: {s.reason}{until}")
        if not verbose and len(report.suppressed) > 5:
            out.append(f"  ... and {len(report.suppressed) - 5} more (--verbose lists them)")
        out.append("")
    for note in () if quiet else report.notes:
        out.append(f"Note: {note}")
    if report.notes and not quiet:
        out.append("")
    good = in_good_shape(report.structure)
    if good and not quiet:
        out.append("Already in place: " + ", ".join(good) + ".")
    split = split_line(report)
    if split:
        out.append(split)
    out.append(summary_line(report, paint))
    return "\n".join(out) + "\n"


def finding_notes(report: Report, f: Finding) -> list[str]:
    """When a finding starts to block, and a waiver that no longer waives."""
    notes = []
    when = report.blocks_from(f)
    if when:
        notes.append(f"advisory until {when}: blocks from then on (warn-until)")
    if f.waiver is not None and f.waiver.expired:
        notes.append(f"waiver expired on {f.waiver.expires}: {f.waiver.reason}")
    return notes


def split_line(report: Report) -> str | None:
    """The closing line: new / existing / fixed, and against what."""
    split = report.split()
    if split is None:
        return None
    if report.compared_to == "base":
        against = f"the merge-base {(report.base_sha or '')[:7]} of {report.base_ref}"
        existing = "already on the base branch"
    else:
        against = f"the baseline file {report.baseline}" if report.baseline else "the baseline"
        existing = "in the baseline file"
    text = f"Compared with {against}: {split['new']} new, {split['existing']} {existing}"
    if report.compared_to == "base":
        text += f", {split['fixed']} fixed"
    return text + "."


def _headline(f: Finding, paint: object) -> str:
    assert callable(paint)
    where = f":{f.line}" if f.line is not None else ""
    if f.column is not None and f.cell is None:
        where += f":{f.column}"
    level = paint(f.severity.label, _COLORS[f.severity])
    return f"{where.lstrip(':') or '-':>7} {level} {f.rule} {f.message}"


def _indent(text: str, width: int) -> list[str]:
    pad = " " * width
    return [pad + line if line else "" for line in text.splitlines()]


def summary_line(report: Report, paint: object = None) -> str:
    counts = report.counts()
    total = len(report.findings)
    if total == 0:
        text = f"All good: no nudges in {report.files_scanned} file(s)."
    else:
        parts = [f"{n} {label}" for label, n in counts.items() if n]
        text = f"{total} nudge(s): " + ", ".join(parts) + "."
    blocking = report.blocking()
    if report.mode == "advisory":
        text += " Advisory mode: nothing blocks."
    elif blocking:
        text += f" {len(blocking)} block in {report.mode} mode (fail-on {report.fail_on.label})."
    else:
        text += f" Nothing blocks in {report.mode} mode (fail-on {report.fail_on.label})."
    if report.errors:
        text += f" {len(report.errors)} file(s) could not be read."
    return text
