"""GitHub Actions workflow commands: one annotation per finding, errors first.

GitHub shows at most 10 annotations of each level per step and 50 per job; findings are
ordered by severity so the most important ones are the ones shown, and a closing notice says
how many were left out.
"""

from __future__ import annotations

from mlnudge.finding import Finding, Severity
from mlnudge.report.model import Report
from mlnudge.report.text import finding_notes

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_ANNOTATIONS = 50


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(report: Report, f: Finding) -> str:
    props = [f"file={escape_property(f.path)}"]
    if f.line is not None and not f.path.endswith(".ipynb"):
        props.append(f"line={f.line}")
        if f.end_line is not None:
            props.append(f"endLine={f.end_line}")
        if f.column is not None and (f.end_line is None or f.end_line == f.line):
            props.append(f"col={f.column}")
            if f.end_column is not None:
                props.append(f"endColumn={f.end_column}")
    props.append(f"title={escape_property(f'{f.rule} {report.rule_name(f.rule)}')}")
    body = f.message
    fix = report.fix(f)
    if fix:
        body += "\nFix: " + fix
    for note in finding_notes(report, f):
        body += "\n" + note[0].upper() + note[1:] + "."
    return f"::{LEVEL[f.severity]} {','.join(props)}::{escape_data(body)}"


def render(report: Report, limit: int = MAX_ANNOTATIONS) -> str:
    """Annotations, most severe first; in a pull request (compared with its base) new ones only."""
    shown = report.findings
    if report.compared_to == "base":
        shown = tuple(f for f in report.findings if f.new is not False)
    ordered = sorted(shown, key=lambda f: (-f.severity, *f.sort_key()))
    lines = [annotation(report, f) for f in ordered[:limit]]
    for err in report.errors[: max(0, limit - len(lines))]:
        where = f"file={escape_property(err.path)}"
        if err.line:
            where += f",line={err.line}"
        lines.append(
            f"::error {where},title=mlnudge could not read this file::{escape_data(err.message)}"
        )
    hidden = len(shown) + len(report.errors) - len(lines)
    existing = len(report.findings) - len(shown)
    if existing:
        lines.append(
            f"::notice title=mlnudge::{existing} finding(s) already on the base branch are not "
            "annotated; the pull request comment and the job summary count them."
        )
    if hidden > 0:
        lines.append(
            f"::notice title=mlnudge::{hidden} more finding(s) not annotated "
            "(GitHub shows at most 50 per job); see the job summary or the JSON report."
        )
    return "\n".join(lines) + ("\n" if lines else "")
