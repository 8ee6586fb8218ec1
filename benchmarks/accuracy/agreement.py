"""How far two labellers agree: a second, independent labelling scored against the first.

    python benchmarks/accuracy/agreement.py [--second DIR] [--json PATH] [--quiet]

``DIR`` (default ``agreement/`` beside this file) holds label files written by a second
labeller who never saw the first labeller's file of the same repository (``labels/``), for
some families only, reviewing the same files. Each second label is read as if it were a tool's
report: every expected entry becomes a finding of its rule, severity and place, and is judged
against the first label with the scorer's own matching (``score.judge``). The numbers are then
what a perfect copy of the second labeller would score on the first one's labels: the ceiling
a tool can reach on labels that careful people write, under the same metric as mlnudge's.

Only files both labellers reviewed count: the first label's entries outside the second's
``reviewed`` globs are dropped (the second findings outside the first's are unjudged, as for
mlnudge). Not part of the test run (the logic is tested in tests/test_accuracy_score.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score  # beside this file (sys.path above)

SECOND = score.HERE / "agreement"
#: the rule a family's entry stands for when its labeller named none
DEFAULT_RULE = {"structure": "MLN101", "params": "MLN201", "transforms": "MLN301", "deps": "MLN401"}


def labelled_families(path: Path) -> tuple[str, ...]:
    """The families a second label file holds (it may label only some)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return tuple(f for f in score.FAMILIES if f in raw.get("families", {}))


def as_findings(labels: score.RepoLabels, families: Sequence[str]) -> list[dict[str, Any]]:
    """A label file's expected entries of ``families`` as a tool's report would list them."""
    findings = []
    for family in families:
        for entry in labels.families[family].expected:
            finding: dict[str, Any] = {
                "rule": entry.rule or DEFAULT_RULE[family],
                "severity": entry.severity,
                "path": entry.path,
                "line": entry.line,
                "message": f"{entry.what}: {entry.reason}",
            }
            if entry.end_line is not None:
                finding["end_line"] = entry.end_line
            if entry.cell is not None:
                finding["cell"] = entry.cell
            findings.append(finding)
    return findings


def common_scope(
    first: score.RepoLabels, second: score.RepoLabels, families: Sequence[str]
) -> score.RepoLabels:
    """The first label kept to ``families`` and to the files the second labeller reviewed too
    (an entry the second never read is no disagreement)."""
    kept = {}
    for family in score.FAMILIES:
        mine = first.families[family]
        if family not in families:
            kept[family] = replace(mine, expected=[], traps=[], reviewed=())
            continue
        theirs = second.families[family]
        kept[family] = replace(
            mine,
            expected=[e for e in mine.expected if theirs.judges(e.path)],
            traps=[t for t in mine.traps if theirs.judges(t.path)],
        )
    return replace(first, families=kept)


def compare(first: score.RepoLabels, second_path: Path) -> score.RepoResult:
    """The second label of a repository judged against its first label."""
    second = score.RepoLabels.load(second_path)
    if second.repo != first.repo or second.commit != first.commit:
        raise SystemExit(
            f"{second_path}: labels {second.repo}@{second.commit[:8]}, but the first label "
            f"is of {first.repo}@{first.commit[:8]}: both must read the same commit"
        )
    families = labelled_families(second_path)
    return score.judge(common_scope(first, second, families), as_findings(second, families))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--second", type=Path, default=SECOND, help="the second labels' folder")
    parser.add_argument("--json", type=Path, help="write the numbers and every disagreement")
    parser.add_argument("--quiet", action="store_true", help="tables only")
    args = parser.parse_args(argv)
    results = []
    for path in sorted(args.second.glob("*.json")):
        first_path = score.LABELS / path.name
        if not first_path.exists():
            raise SystemExit(f"{path}: no first label {first_path} to compare with")
        results.append(compare(score.RepoLabels.load(first_path), path))
    if not results:
        raise SystemExit(f"no second labels in {args.second}")
    by_family, by_rule = score.tally(results)
    title = f"second labeller against the first ({len(results)} repos)"
    print("\n".join([f"# {title}", "", *score.summary_table(by_family, title), ""]))
    print("\n".join([*score.rule_table(by_rule), ""]))
    if not args.quiet:
        print("FP: labelled by the second labeller only; MISS: by the first only\n")
        print("\n".join(score.details(results)))
    if args.json:
        args.json.write_text(
            json.dumps(score.to_json(results, by_family, by_rule), indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
