"""The JSON report: the machine-readable contract (``report.schema.json``)."""

from __future__ import annotations

import json

from mlnudge.report.model import Report, to_dict


def render(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
