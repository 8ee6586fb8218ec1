from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlnudge_testing import notebook, write_tree

from mlnudge.config import ConfigError, build_config
from mlnudge.finding import Severity
from mlnudge.runner import run, write_baseline

TRAIN = """\
from sklearn.ensemble import RandomForestClassifier

model = RandomForestClassifier(n_estimators=300, max_depth=8)
"""


def rules_at(report: object, path: str) -> list[tuple[str, int | None]]:
    findings = report.findings
    return [(f.rule, f.line) for f in findings if f.path == path]


def test_inline_suppression_with_reason_is_counted_and_kept_aside(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "train.py": (
                "model = Model(n_estimators=300)  # mlnudge: ignore[MLN201] tuned in PR #12, frozen\n"
                "# mlnudge: ignore[MLN2] legacy script, replaced next sprint\n"
                "other = Model(max_depth=8)\n"
                "third = Model(max_depth=9)  # mlnudge: ignore[MLN301] wrong code, not suppressed\n"
            )
        },
    )
    report = run(tmp_path, build_config({"select": ["MLN2"]}), use_cache=False)
    assert rules_at(report, "train.py") == [("MLN201", 4)]
    reasons = sorted(s.reason for s in report.suppressed)
    assert reasons == ["legacy script, replaced next sprint", "tuned in PR #12, frozen"]


def test_suppression_in_a_notebook_cell(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "eda.ipynb": notebook(
                "model = Model(n_estimators=300)",
                "model = Model(max_depth=8)  # mlnudge: ignore[MLN201] exploring depth",
            )
        },
    )
    config = build_config({"select": ["MLN2"], "params": {"include-notebooks": True}})
    report = run(tmp_path, config, use_cache=False)
    [finding] = report.findings
    assert (finding.path, finding.cell, finding.line) == ("eda.ipynb", 1, 1)
    assert finding.message.startswith("cell 1, line 1:")
    [suppressed] = report.suppressed
    assert suppressed.finding.cell == 2 and suppressed.reason == "exploring depth"


def test_suppression_without_reason_says_so(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "m = M(epochs=3)  # mlnudge: ignore[MLN201]\n"})
    report = run(tmp_path, build_config({"select": ["MLN2"]}), use_cache=False)
    assert [s.reason for s in report.suppressed] == ["no reason given"]


def test_fingerprints_survive_line_shifts_and_are_unique(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": TRAIN})
    before = run(tmp_path, build_config({"select": ["MLN2"]}), use_cache=False)
    write_tree(tmp_path, {"train.py": "import os\n\n\n" + TRAIN})
    after = run(tmp_path, build_config({"select": ["MLN2"]}), use_cache=False)
    assert [f.line for f in after.findings] == [f.line + 3 for f in before.findings]
    assert [f.fingerprint for f in after.findings] == [f.fingerprint for f in before.findings]
    assert len({f.fingerprint for f in after.findings}) == len(after.findings)


def test_identical_findings_get_distinct_fingerprints(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "a = M(epochs=3)\nb = M(epochs=3)\n"})
    report = run(tmp_path, build_config({"select": ["MLN201"]}), use_cache=False)
    prints = [f.fingerprint for f in report.findings]
    assert len(prints) == 2 and len(set(prints)) == 2


def test_per_path_override_and_severity(tmp_path: Path) -> None:
    write_tree(tmp_path, {"scripts/a.py": "m = M(epochs=3)\n", "src/b.py": "m = M(epochs=3)\n"})
    config = build_config(
        {
            "select": ["MLN2"],
            "overrides": [{"paths": ["scripts/"], "severity": {"MLN201": "info"}}],
        }
    )
    report = run(tmp_path, config, use_cache=False)
    severity = {f.path: f.severity for f in report.findings}
    assert severity == {"scripts/a.py": Severity.INFO, "src/b.py": Severity.WARNING}


def test_targets_limit_file_rules_but_not_repo_rules(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"a.py": "m = M(epochs=3)\n", "b.py": "m = M(epochs=4)\n", "requirements.txt": "numpy\n"},
    )
    report = run(tmp_path, build_config({}), targets=["a.py"], use_cache=False)
    paths = {f.path for f in report.findings}
    assert "a.py" in paths and "b.py" not in paths
    assert "requirements.txt" in paths  # deps is repo-level
    assert "tests/" in paths  # so is structure


def test_families_restrict_the_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "m = M(epochs=3)\n", "requirements.txt": "numpy\n"})
    report = run(tmp_path, build_config({}), families=["deps"], use_cache=False)
    assert {f.family for f in report.findings} == {"deps"}


@pytest.mark.parametrize(
    ("mode", "fail_on", "baseline", "blocking"),
    [
        ("advisory", "info", False, 0),
        ("strict", "warning", False, 2),
        ("strict", "error", False, 0),
        ("ratchet", "warning", True, 1),  # one new finding since the baseline
        ("ratchet", "warning", False, 2),  # without a baseline everything is new
    ],
)
def test_modes_decide_what_blocks(
    tmp_path: Path, mode: str, fail_on: str, baseline: bool, blocking: int
) -> None:
    write_tree(tmp_path, {"a.py": "m = M(epochs=3)\n"})
    config = build_config({"select": ["MLN201"], "mode": mode, "fail-on": fail_on})
    if baseline:
        write_baseline(tmp_path / ".mlnudge-baseline.json", run(tmp_path, config))
    write_tree(tmp_path, {"a.py": "m = M(epochs=3)\nn = M(batch_size=64)\n"})
    report = run(tmp_path, config)
    assert len(report.findings) == 2
    assert len(report.blocking()) == blocking
    if baseline:
        assert sorted(str(f.new) for f in report.findings) == ["False", "True"]


def test_broken_baseline_is_a_configuration_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {".mlnudge-baseline.json": "{not json", "a.py": ""})
    with pytest.raises(ConfigError, match="baseline"):
        run(tmp_path, build_config({}))


def test_cache_gives_the_same_findings_and_is_used(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": TRAIN, "eda.ipynb": notebook("m = M(lr=0.1)")})
    cold = run(tmp_path, build_config({}))
    cache = tmp_path / ".mlnudge_cache"
    assert (cache / "v2" / ".gitignore").exists()
    store = cache / "v2" / "store.json"
    data = json.loads(store.read_text())
    # each entry is stored as JSON text and decoded when a run asks for it
    entries = {k: json.loads(v) for k, v in data["entries"].items()}
    findings = [e for e in entries.values() if isinstance(e, dict) and e.get("f")]
    assert findings
    warm = run(tmp_path, build_config({}))
    assert [(f.rule, f.path, f.line, f.message, f.fingerprint) for f in warm.findings] == [
        (f.rule, f.path, f.line, f.message, f.fingerprint) for f in cold.findings
    ]
    # a cached result is read back, not recomputed: poison it and see it served
    for entry in findings:
        for item in entry["f"]:
            item["message"] = "from cache"
    data["entries"] = {k: json.dumps(v) for k, v in entries.items()}
    store.write_text(json.dumps(data))
    served = run(tmp_path, build_config({}))
    assert any(f.message == "from cache" for f in served.findings)
    fresh = run(tmp_path, build_config({}), use_cache=False)
    assert all(f.message != "from cache" for f in fresh.findings)


def test_findings_are_sorted_by_path_line_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"b.py": TRAIN, "a.py": TRAIN})
    report = run(tmp_path, build_config({"select": ["MLN2"]}), use_cache=False)
    keys = [f.sort_key() for f in report.findings]
    assert keys == sorted(keys)
