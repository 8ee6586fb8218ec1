"""SARIF 2.1.0 for code scanning: one run, the rules in ``tool.driver.rules``."""

from __future__ import annotations

import json
from typing import Any

from mlnudge import __version__
from mlnudge.finding import Finding, Severity
from mlnudge.report.model import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
DOCS = "https://github.com/mlnudge/mlnudge/blob/main/docs/rules/{code}.md"


def _location(f: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"}}
    if f.line is not None and f.cell is None:
        region: dict[str, int] = {"startLine": f.line}
        if f.column is not None:
            region["startColumn"] = f.column
        if f.end_line is not None:
            region["endLine"] = f.end_line
        if f.end_column is not None:
            region["endColumn"] = f.end_column
        physical["region"] = region
    return {"physicalLocation": physical}


def render(report: Report) -> str:
    codes = sorted({f.rule for f in report.findings} | set(report.rules))
    rules = []
    for code in codes:
        text = report.rules.get(code)
        rules.append(
            {
                "id": code,
                "name": text.name if text else code,
                "shortDescription": {"text": (text.summary or text.name) if text else code},
                "fullDescription": {"text": text.why if text else ""},
                "help": {"text": text.fix if text else ""},
                "helpUri": DOCS.format(code=code),
                "defaultConfiguration": {
                    "level": LEVEL[Severity.parse(text.severity)] if text else "warning"
                },
            }
        )
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f)],
            "partialFingerprints": {"mlnudge/v1": f.fingerprint},
        }
        if f.new is not None:
            result["baselineState"] = "new" if f.new else "unchanged"
        results.append(result)
    for s in report.suppressed:
        results.append(
            {
                "ruleId": s.finding.rule,
                "ruleIndex": index[s.finding.rule],
                "level": LEVEL[s.finding.severity],
                "message": {"text": s.finding.message},
                "locations": [_location(s.finding)],
                "partialFingerprints": {"mlnudge/v1": s.finding.fingerprint},
                "suppressions": [{"kind": "inSource", "justification": s.reason}],
            }
        )
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"{e.path}: {e.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": e.path, "uriBaseId": "%SRCROOT%"}
                    }
                }
            ],
        }
        for e in report.errors
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlnudge",
                        "version": __version__,
                        "informationUri": "https://github.com/mlnudge/mlnudge",
                        "rules": rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
