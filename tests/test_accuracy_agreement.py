"""The agreement study (benchmarks/accuracy/agreement.py): a second labeller's file read as a
tool's report and judged against the first label, on label files written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import ROOT, load_script

agreement = load_script(ROOT / "benchmarks" / "accuracy" / "agreement.py", "accuracy_agreement")


def _write(path: Path, families: dict[str, Any], commit: str = "0" * 40) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"repo": "owner/name", "commit": commit, "split": "dev", "families": families}),
        encoding="utf-8",
    )
    return path


FIRST = {
    "params": {
        "reviewed": ["src/**"],
        "expected": [
            {"path": "src/train.py", "line": 4, "rule": "MLN201", "what": "lr=0.1"},
            {"path": "src/train.py", "line": 9, "rule": "MLN202", "what": "data/raw"},
            {"path": "src/other.py", "line": 2, "rule": "MLN201", "what": "depth=3"},
        ],
        "traps": [{"path": "src/train.py", "line": 12, "what": "eps=1e-8", "reason": "numeric"}],
    },
    "transforms": {
        "reviewed": ["src/**"],
        "expected": [{"path": "src/features.py", "line": 3, "rule": "MLN301", "what": "clean"}],
    },
    "deps": {"reviewed": ["**"], "expected": [{"path": "requirements.txt", "line": 1}]},
}


def test_the_second_label_is_judged_like_a_report_on_the_files_both_read(
    tmp_path: Path,
) -> None:
    first = agreement.score.RepoLabels.load(_write(tmp_path / "first" / "o+n.json", FIRST))
    second = _write(
        tmp_path / "second" / "o+n.json",
        {
            "params": {
                # src/other.py was not read by the second labeller: its entry is no miss
                "reviewed": ["src/train.py"],
                "expected": [
                    {"path": "src/train.py", "line": 4, "rule": "MLN201", "what": "lr=0.1"},
                    {"path": "src/train.py", "line": 12, "what": "eps=1e-8", "reason": "r"},
                ],
            },
            "transforms": {
                "reviewed": ["src/**"],
                "expected": [{"path": "src/features.py", "line": 3, "severity": "info"}],
            },
        },
    )
    result = agreement.compare(first, second)
    outcomes = sorted((v.finding["line"], v.finding["rule"], v.outcome) for v in result.verdicts)
    # no rule named: the family's own; the trap the first labeller wrote makes it a disagreement
    assert outcomes == [(3, "MLN301", "tp"), (4, "MLN201", "tp"), (12, "MLN201", "fp")]
    assert [(e.path, e.line) for e in result.misses] == [("src/train.py", 9)]
    # a warning the second labeller called info is found only weakly; deps was not labelled
    assert [(e.path, e.line) for e in result.weak] == [("src/features.py", 3)]
    by_family, _ = agreement.score.tally([result])
    assert (by_family["params"].tp, by_family["params"].fp) == (1, 1)
    assert "deps" not in by_family or by_family["deps"].expected == 0


def test_a_second_label_of_another_commit_is_refused(tmp_path: Path) -> None:
    first = agreement.score.RepoLabels.load(_write(tmp_path / "first" / "o+n.json", FIRST))
    second = _write(tmp_path / "second" / "o+n.json", {"params": {}}, commit="1" * 40)
    with pytest.raises(SystemExit, match="same commit"):
        agreement.compare(first, second)
