"""Enforcement on a date (``warn-until``), waivers that expire, and stages by path.

The clock is injected (``run(..., today=...)``): each rule is checked on both sides of its date.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from mlnudge_testing import SCHEMA, notebook, write_tree

from mlnudge.config import ConfigError, build_config, load_config
from mlnudge.finding import Severity
from mlnudge.report import render
from mlnudge.report.model import Report, to_dict
from mlnudge.runner import run

TRAIN = (
    "from sklearn.ensemble import RandomForestClassifier\n"
    "model = RandomForestClassifier(n_estimators=300)\n"
)
BEFORE = datetime.date(2027, 2, 28)
ON = datetime.date(2027, 3, 1)


def check(root: Path, config: str, today: datetime.date) -> Report:
    (root / ".mlnudge.toml").write_text(config)
    return run(root, load_config(root), use_cache=False, today=today)


def params_findings(report: Report) -> list[str]:
    return [f.rule for f in report.findings if f.family == "params"]


@pytest.mark.parametrize("key", ["MLN201", "MLN2", "params"])
def test_warn_until_keeps_findings_advisory_until_the_date_then_they_block(
    tmp_path: Path, key: str
) -> None:
    write_tree(tmp_path, {"train.py": TRAIN})
    config = f'mode = "strict"\nselect = ["MLN2"]\nwarn-until = {{ {key} = "2027-03-01" }}\n'
    before = check(tmp_path, config, BEFORE)
    (finding,) = before.findings
    assert finding.blocks_from == "2027-03-01"
    assert before.blocking() == ()
    data = to_dict(before)
    assert data["findings"][0]["blocks_from"] == "2027-03-01"
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    text = render(before, "text")
    assert "advisory until 2027-03-01: blocks from then on (warn-until)" in text
    assert "Nothing blocks in strict mode" in text

    on = check(tmp_path, config, ON)
    assert on.findings[0].blocks_from is None and len(on.blocking()) == 1
    assert to_dict(on)["findings"][0]["blocks_from"] is None


def test_warn_until_says_nothing_where_the_mode_never_blocks(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": TRAIN})
    report = check(tmp_path, 'select = ["MLN2"]\nwarn-until = { params = 2027-03-01 }\n', BEFORE)
    assert report.mode == "advisory"
    assert to_dict(report)["findings"][0]["blocks_from"] is None  # advisory never blocks
    assert "advisory until" not in render(report, "text")


def test_configured_waiver_with_reason_waives_until_it_expires(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": TRAIN})
    config = (
        'select = ["MLN2"]\n[[waivers]]\nrules = ["MLN201"]\npaths = ["train.py"]\n'
        'reason = "frozen for the Q1 audit"\nexpires = "2027-03-01"\n'
    )
    before = check(tmp_path, config, BEFORE)
    assert before.findings == ()
    (waived,) = before.suppressed
    assert waived.reason == "frozen for the Q1 audit"
    assert waived.finding.waiver is not None and not waived.finding.waiver.expired

    after = check(tmp_path, config, ON)
    (back,) = after.findings
    assert back.waiver is not None and back.waiver.expired and back.waiver.expires == "2027-03-01"
    data = to_dict(after)
    assert data["findings"][0]["waiver"] == {
        "reason": "frozen for the Q1 audit",
        "expires": "2027-03-01",
        "expired": True,
    }
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert "waiver expired on 2027-03-01: frozen for the Q1 audit" in render(after, "text")


def test_inline_ignore_may_expire_too(tmp_path: Path) -> None:
    source = TRAIN.replace(
        "(n_estimators=300)",
        "(n_estimators=300)  # mlnudge: ignore[MLN201] tuned last week expires=2027-03-01",
    )
    write_tree(tmp_path, {"train.py": source})
    before = check(tmp_path, 'select = ["MLN2"]\n', BEFORE)
    assert before.findings == () and before.suppressed[0].reason == "tuned last week"
    after = check(tmp_path, 'select = ["MLN2"]\n', ON)
    assert after.findings[0].waiver is not None and after.findings[0].waiver.expired


def test_exploration_paths_get_info_at_most_and_say_their_stage(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "train.py": TRAIN,
            "scratch/try.py": TRAIN,
            "sandbox/idea.py": TRAIN,
            "lab/trial.py": TRAIN,
        },
    )
    report = check(tmp_path, 'select = ["MLN201"]\n', BEFORE)
    by_path = {f.path: f for f in report.findings}
    assert by_path["train.py"].severity == Severity.WARNING
    assert by_path["train.py"].stage == "production"
    for path in ("scratch/try.py", "sandbox/idea.py"):
        assert by_path[path].severity == Severity.INFO and by_path[path].stage == "exploration"
    assert by_path["lab/trial.py"].stage == "production"
    configured = check(tmp_path, 'select = ["MLN201"]\nexploration = ["lab/**"]\n', BEFORE)
    stages = {f.path: f.stage for f in configured.findings}
    assert stages["lab/trial.py"] == "exploration" and stages["scratch/try.py"] == "production"
    assert {f["stage"] for f in to_dict(configured)["findings"]} == {"exploration", "production"}


@pytest.mark.parametrize(
    "path",
    [
        "deprecated/run_0006.py",
        "churn/data/deprecated/common.py",
        "legacy/train.py",
        "src/archive/features.py",
        "old/train.py",
        "churn_old/train.py",
    ],
)
def test_code_its_owners_retired_is_exploration_at_any_depth(tmp_path: Path, path: str) -> None:
    """Folders named as retired (`deprecated/`, `legacy/`, `archive/`, `old/`, a `*_old/` copy
    of the package) hold code nobody runs: info at most, with the exploration stage."""
    write_tree(tmp_path, {"train.py": TRAIN, path: TRAIN})
    by_path = {f.path: f for f in check(tmp_path, 'select = ["MLN201"]\n', BEFORE).findings}
    assert by_path["train.py"].severity == Severity.WARNING
    assert (by_path[path].severity, by_path[path].stage) == (Severity.INFO, "exploration")


@pytest.mark.parametrize("path", ["older/train.py", "golden/train.py", "holdout/train.py"])
def test_folder_names_that_only_contain_a_retired_word_stay_production(
    tmp_path: Path, path: str
) -> None:
    write_tree(tmp_path, {path: TRAIN})
    (finding,) = check(tmp_path, 'select = ["MLN201"]\n', BEFORE).findings
    assert (finding.severity, finding.stage) == (Severity.WARNING, "production")


def test_notebooks_under_notebooks_are_exploration(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"notebooks/eda.ipynb": notebook(TRAIN), "pyproject.toml": ""},
    )
    config = 'select = ["MLN201"]\n[params]\ninclude-notebooks = true\n'
    report = check(tmp_path, config, BEFORE)
    (finding,) = report.findings
    assert finding.stage == "exploration" and finding.severity == Severity.INFO
    assert finding.cell == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"warn-until": {"MLN999": "2027-01-01"}}, "names no known rule or family: MLN999"),
        (
            {"warn-until": {"MLN2": "next spring"}},
            "'tool.mlnudge.warn-until.MLN2' = 'next spring' is not accepted; expected a date",
        ),
        ({"waivers": [{"rules": ["MLN201"]}]}, "'tool.mlnudge.waivers[0]' needs a `reason`"),
        ({"waivers": [{"reason": "x"}]}, "'tool.mlnudge.waivers[0]' needs `rules`"),
        ({"waivers": [{"rules": ["MLN201"], "reason": "x", "expires": "soon"}]}, "expires"),
        ({"waivers": [{"rules": ["XYZ"], "reason": "x"}]}, "names no known rule: XYZ"),
        ({"exploration": "notebooks/**"}, None),  # a single string is a one-item list
    ],
)
def test_bad_dates_and_waivers_name_the_key(table: dict[str, object], message: str | None) -> None:
    if message is None:
        assert build_config(table).exploration == ("notebooks/**",)
        return
    with pytest.raises(ConfigError) as error:
        build_config(table, where="pyproject.toml", prefix="tool.mlnudge.")
    assert message in str(error.value) and "pyproject.toml" in str(error.value)


def test_annotations_say_when_a_finding_starts_to_block(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": TRAIN})
    config = 'mode = "ratchet"\nselect = ["MLN2"]\nwarn-until = { params = "2027-03-01" }\n'
    report = check(tmp_path, config, BEFORE)
    (annotation,) = render(report, "github").splitlines()
    assert annotation.endswith("%0AAdvisory until 2027-03-01: blocks from then on (warn-until).")
