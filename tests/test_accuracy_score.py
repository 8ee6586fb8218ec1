"""The accuracy scorer (benchmarks/accuracy/score.py): matching rules on hand-made findings, and
one end-to-end run on a snapshot built here (the real corpus is not in the repository)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import ROOT, load_script

score = load_script(ROOT / "benchmarks" / "accuracy" / "score.py", "accuracy_score")


def _labels(tmp_path: Path, families: dict[str, Any]) -> Any:
    path = tmp_path / "owner+name.json"
    path.write_text(
        json.dumps(
            {"repo": "owner/name", "commit": "0" * 40, "split": "dev", "families": families}
        ),
        encoding="utf-8",
    )
    return score.RepoLabels.load(path)


def _finding(rule: str, path: str, line: int | None, severity: str = "warning") -> dict[str, Any]:
    return {"rule": rule, "path": path, "line": line, "severity": severity, "message": "m"}


def test_a_finding_on_an_expected_line_is_right_and_a_second_one_is_a_duplicate(
    tmp_path: Path,
) -> None:
    labels = _labels(
        tmp_path,
        {
            "params": {
                "reviewed": ["src/**"],
                "expected": [{"path": "src/train.py", "line": 4, "rule": "MLN201"}],
            }
        },
    )
    result = score.judge(
        labels, [_finding("MLN201", "src/train.py", 4), _finding("MLN201", "src/train.py", 4)]
    )
    outcomes = sorted((v.outcome, v.note) for v in result.verdicts)
    assert outcomes == [("fp", "duplicate of a matched entry"), ("tp", "")]
    by_family, _ = score.tally([result])
    assert (by_family["params"].tp, by_family["params"].fp) == (1, 1)
    assert by_family["params"].recall == 1.0


def test_traps_unlabelled_lines_and_unreviewed_files(tmp_path: Path) -> None:
    labels = _labels(
        tmp_path,
        {
            "params": {
                "reviewed": ["**/*.py"],
                "exclude": ["tests/**"],
                "expected": [{"path": "a.py", "line": 10, "end_line": 12}],
                "traps": [{"path": "a.py", "line": 3, "reason": "dataclass field"}],
            }
        },
    )
    findings = [
        _finding("MLN201", "a.py", 11),  # inside the multi-line entry
        _finding("MLN201", "a.py", 3),  # a trap
        _finding("MLN202", "a.py", 20),  # nothing labelled there
        _finding("MLN201", "tests/test_a.py", 5),  # excluded: unjudged
        _finding("MLN201", "notes.ipynb", 1),  # not reviewed: unjudged
    ]
    result = score.judge(labels, findings)
    notes = {(v.finding["line"], v.outcome, v.note) for v in result.verdicts}
    assert (11, "tp", "") in notes
    assert (3, "fp", "trap: dataclass field") in notes
    assert (20, "fp", "no label here") in notes
    by_family, by_rule = score.tally([result])
    assert by_family["params"].unjudged == 2
    assert by_family["params"].precision == pytest.approx(1 / 3)
    assert by_rule["MLN202"].fp == 1


def test_a_reported_span_matches_a_labelled_span_it_overlaps(tmp_path: Path) -> None:
    labels = _labels(
        tmp_path,
        {
            "params": {
                "reviewed": ["**/*.py"],
                "exclude": [],
                "expected": [{"path": "t.py", "line": 101, "end_line": 104, "rule": "MLN209"}],
                "traps": [],
            }
        },
    )
    span = {**_finding("MLN209", "t.py", 100), "end_line": 105}
    outside = {**_finding("MLN209", "t.py", 90), "end_line": 99}
    result = score.judge(labels, [span, outside])
    assert sorted(v.outcome for v in result.verdicts) == ["fp", "tp"]
    assert result.misses == []


def test_a_file_reviewed_by_name_is_judged_inside_an_excluded_folder(tmp_path: Path) -> None:
    labels = _labels(
        tmp_path,
        {
            "deps": {
                "reviewed": ["requirements.txt", "service/requirements.txt"],
                "exclude": ["service/**"],
                "expected": [{"path": "service/requirements.txt", "line": 2, "rule": "MLN401"}],
                "traps": [],
            }
        },
    )
    findings = [
        _finding("MLN401", "service/requirements.txt", 2),
        _finding("MLN401", "service/other.txt", 1),  # excluded by the glob: unjudged
    ]
    result = score.judge(labels, findings)
    assert sorted(v.outcome for v in result.verdicts) == ["tp", "unjudged"]
    assert result.misses == []
    assert score.label_problems(labels) == []
    # an entry in a file the family does not judge could never be found: the scorer says so
    broken = _labels(
        tmp_path,
        {
            "deps": {
                "reviewed": ["requirements.txt"],
                "exclude": [],
                "expected": [{"path": "service/requirements.txt", "line": 2, "rule": "MLN401"}],
                "traps": [],
            }
        },
    )
    assert score.label_problems(broken) == [
        "deps: expected service/requirements.txt:2 lies outside `reviewed`/`exclude`"
    ]


def test_an_info_finding_does_not_count_for_the_warning_recall(tmp_path: Path) -> None:
    labels = _labels(
        tmp_path,
        {
            "deps": {
                "reviewed": ["requirements.txt"],
                "expected": [
                    {"path": "requirements.txt", "line": 2, "rule": "MLN401"},
                    {"path": "requirements.txt", "line": 5, "rule": "MLN411", "severity": "info"},
                ],
            }
        },
    )
    findings = [
        _finding("MLN401", "requirements.txt", 2, "info"),
        _finding("MLN411", "requirements.txt", 5, "info"),
    ]
    result = score.judge(labels, findings)
    by_family, _ = score.tally([result])
    deps = by_family["deps"]
    assert (deps.found, deps.expected) == (0, 1)  # the info entry is not in the warning recall
    assert (deps.info_tp, deps.info_fp) == (2, 0)
    assert [e.what for e in result.weak] == [""]


def test_structure_matches_on_rule_and_path(tmp_path: Path) -> None:
    labels = _labels(
        tmp_path,
        {"structure": {"expected": [{"path": "tests/", "line": None, "rule": "MLN101"}]}},
    )
    result = score.judge(
        labels, [_finding("MLN101", "tests", None), _finding("MLN107", ".github/workflows/", None)]
    )
    assert sorted(v.outcome for v in result.verdicts) == ["fp", "tp"]


def test_notebook_entries_match_the_cell(tmp_path: Path) -> None:
    labels = _labels(
        tmp_path,
        {
            "params": {
                "reviewed": ["**"],
                "expected": [{"path": "nb.ipynb", "cell": 3, "line": 2}],
            }
        },
    )
    other_cell = {**_finding("MLN201", "nb.ipynb", 2), "cell": 4}
    same_cell = {**_finding("MLN201", "nb.ipynb", 2), "cell": 3}
    assert score.judge(labels, [other_cell]).verdicts[0].outcome == "fp"
    assert score.judge(labels, [same_cell]).verdicts[0].outcome == "tp"


def test_globs_cross_folders_only_with_two_stars() -> None:
    assert score.matches_any("src/pkg/train.py", ["**/*.py"])
    assert score.matches_any("train.py", ["**/*.py"])
    assert not score.matches_any("src/pkg/train.py", ["src/*.py"])
    assert score.matches_any("src/pkg/train.py", ["src/"])


@pytest.mark.slow
def test_a_queued_round_is_never_scored(tmp_path: Path) -> None:
    """Held-out repositories labelled ahead of their round stay unmeasured, even with `all`."""
    for name, split in (("a+dev", "dev"), ("b+held", "heldout"), ("c+next", "queued")):
        (tmp_path / f"{name}.json").write_text(
            json.dumps({"repo": name.replace("+", "/"), "commit": "0" * 40, "split": split}),
            encoding="utf-8",
        )
    scored = {item.repo for item in score.load_labels("all", [], tmp_path)}
    assert scored == {"a/dev", "b/held"}
    assert not score.load_labels("dev", ["c/next"], tmp_path)


def test_end_to_end_on_a_snapshot_built_here(tmp_path: Path) -> None:
    """A git snapshot with one planted hard-coded hyperparameter and one dataclass field."""
    work = tmp_path / "work"
    (work / "src" / "shop").mkdir(parents=True)
    (work / "src" / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (work / "src" / "shop" / "train.py").write_text(
        "from dataclasses import dataclass\n"
        "\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "\n"
        "\n"
        "@dataclass\n"
        "class Settings:\n"
        "    n_estimators: int = 200\n"
        "\n"
        "\n"
        "def train(x, y):\n"
        "    model = RandomForestClassifier(n_estimators=300)\n"
        "    return model.fit(x, y)\n",
        encoding="utf-8",
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    subprocess.run([*git, "-C", str(work), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-q", "-m", "x"], check=True)
    commit = subprocess.run(
        ["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    (snapshots / "owner+name").symlink_to(work / ".git")
    label = {
        "repo": "owner/name",
        "commit": commit,
        "split": "dev",
        "families": {
            "params": {
                "reviewed": ["src/**"],
                "expected": [{"path": "src/shop/train.py", "line": 12, "rule": "MLN201"}],
                "traps": [{"path": "src/shop/train.py", "line": 8, "reason": "dataclass field"}],
            }
        },
    }
    labels = tmp_path / "owner+name.json"
    labels.write_text(json.dumps(label), encoding="utf-8")
    result = score.score_repo(
        score.RepoLabels.load(labels), snapshots, [sys.executable, "-m", "mlnudge"]
    )
    assert result.crashed == ""
    params = [v for v in result.verdicts if score.family_of(v.finding["rule"]) == "params"]
    assert any(v.outcome == "tp" and v.finding["line"] == 12 for v in params)
    assert not result.misses


def test_an_undeclared_module_is_one_problem_however_many_files_import_it(
    tmp_path: Path,
) -> None:
    entries = [
        {"path": "a.py", "line": 1, "rule": "MLN410", "what": "numpy"},
        {"path": "b.py", "line": 3, "rule": "MLN410", "what": "numpy"},
        {"path": "b.py", "line": 4, "rule": "MLN410", "what": "scipy"},
    ]
    labels = _labels(tmp_path, {"deps": {"reviewed": ["**"], "expected": entries}})
    result = score.judge(labels, [_finding("MLN410", "b.py", 3)])
    assert [v.outcome for v in result.verdicts] == ["tp"]
    assert [e.what for e in result.misses] == ["scipy"]
    by_family, _ = score.tally([result])
    assert (by_family["deps"].found, by_family["deps"].expected) == (1, 2)


def test_what_mlnudge_could_not_read_is_listed_with_the_repository(tmp_path: Path) -> None:
    """An error entry of the report (an unreadable file, a rule that failed) is printed under
    its repository even when every label matched, and kept in the JSON."""
    result = score.RepoResult(_labels(tmp_path, {}))
    result.errors = [
        {"path": "pyproject.toml", "kind": "unreadable", "line": None, "message": "cannot read"},
        {"path": "a.py", "kind": "internal", "line": 3, "message": "boom", "rule": "MLN301"},
    ]
    lines = score.details([result])
    assert lines[1:] == [
        "  ERROR unreadable pyproject.toml  cannot read",
        "  ERROR internal MLN301 a.py:3  boom",
    ]
    by_family, by_rule = score.tally([result])
    assert score.to_json([result], by_family, by_rule)["repos"][0]["errors"] == result.errors
