"""Precision and recall of mlnudge on the labelled external corpus (see README.md beside this).

    python benchmarks/accuracy/score.py --snapshots DIR [--split dev|heldout|all]
        [--repo OWNER/NAME ...] [--json PATH] [--quiet] [--readme README.md]

For each label file in ``labels/`` (of the chosen split) the pinned commit is exported from
``DIR/owner+name`` (a git directory) into a temporary git repository, ``mlnudge check`` runs
on it (``--format json --no-cache``), and every finding is matched against the labels.
Prints precision and recall per family and per rule, then every false positive and miss with
``path:line``. Not part of the test run: the snapshots are not in this repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels"
MANIFEST = HERE / "manifest.json"
FAMILIES = ("structure", "params", "transforms", "deps")
FAMILY_BY_DIGIT = dict(zip("1234", FAMILIES, strict=True))
#: rules whose entries with the same ``what`` are one problem (one finding answers them all)
GROUPED_BY_WHAT = frozenset({"MLN410"})
#: structure rules that report one finding per offending file (the others one per repository)
PER_FILE_STRUCTURE = frozenset({"MLN102", "MLN110", "MLN120", "MLN121"})
README_BEGIN = "<!-- accuracy:begin -->"
README_END = "<!-- accuracy:end -->"


# ---------------------------------------------------------------- labels and matching


@cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob: ``**`` crosses folders, ``*`` and ``?`` stay inside one."""
    pattern = pattern.strip().lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return any(glob_regex(p).match(path) for p in patterns)


@dataclass
class Entry:
    """One expected finding (or trap) of a label file."""

    family: str
    path: str
    line: int | None
    end_line: int | None
    cell: int | None
    rule: str | None
    severity: str
    what: str
    reason: str

    @classmethod
    def from_json(cls, family: str, raw: dict[str, Any]) -> Entry:
        line = raw.get("line")
        return cls(
            family=family,
            path=str(raw["path"]).strip("/") if family == "structure" else str(raw["path"]),
            line=int(line) if line is not None else None,
            end_line=int(raw["end_line"]) if raw.get("end_line") is not None else None,
            cell=int(raw["cell"]) if raw.get("cell") is not None else None,
            rule=raw.get("rule"),
            severity=str(raw.get("severity", "warning")),
            what=str(raw.get("what", "")),
            reason=str(raw.get("reason", "")),
        )

    @property
    def key(self) -> object:
        """What one finding answers for: the entry itself, or for an undeclared import every
        entry naming the same module (it is one problem, reported once with its other files)."""
        if self.rule in GROUPED_BY_WHAT and self.what:
            return (self.rule, self.what.strip().lower())
        return id(self)

    def where(self) -> str:
        cell = f" cell {self.cell}" if self.cell is not None else ""
        line = f":{self.line}" if self.line is not None else ""
        return f"{self.path}{cell}{line}"

    def holds(self, finding: dict[str, Any]) -> bool:
        """Whether ``finding`` (a JSON report finding) is at this entry's place."""
        if self.family == "structure":
            if self.rule is not None and self.rule != finding["rule"]:
                return False
            # one finding per repository for most rules: where it says the item belongs is
            # a suggestion, not an identity; per-file rules must name the same file
            per_file = finding["rule"] in PER_FILE_STRUCTURE
            return not per_file or _norm_dir(finding["path"]) == _norm_dir(self.path)
        if finding["path"] != self.path:
            return False
        if self.cell is not None and finding.get("cell") not in (None, self.cell):
            return False
        if self.line is None:
            return True
        line = finding.get("line")
        if line is None:
            return False
        if self.end_line and finding.get("end_line"):
            # a span labelled (a search space) and a span reported: the same place when they
            # overlap (`params = {` on the line above the first `suggest_int` is one space)
            return line <= self.end_line and self.line <= finding["end_line"]
        return self.line <= line <= (self.end_line or self.line)


def _norm_dir(path: str) -> str:
    return path.strip().strip("/")


@dataclass
class FamilyLabels:
    family: str
    reviewed: tuple[str, ...]
    exclude: tuple[str, ...]
    expected: list[Entry]
    traps: list[Entry]

    def judges(self, path: str) -> bool:
        """Whether findings in ``path`` are scored. A file ``reviewed`` names by its exact
        path was read whatever an ``exclude`` glob says (a labeller who excludes a service's
        folder but lists its requirements file reviewed that file)."""
        if self.family == "structure" or path in self.reviewed:
            return True
        return matches_any(path, self.reviewed) and not matches_any(path, self.exclude)


@dataclass
class RepoLabels:
    repo: str
    commit: str
    kind: str
    split: str
    profile: str
    families: dict[str, FamilyLabels]
    source: Path

    @classmethod
    def load(cls, path: Path) -> RepoLabels:
        raw = json.loads(path.read_text(encoding="utf-8"))
        families = {}
        for family in FAMILIES:
            section = raw.get("families", {}).get(family) or {}
            families[family] = FamilyLabels(
                family=family,
                reviewed=tuple(section.get("reviewed", ["**"])),
                exclude=tuple(section.get("exclude", [])),
                expected=[Entry.from_json(family, e) for e in section.get("expected", [])],
                traps=[Entry.from_json(family, e) for e in section.get("traps", [])],
            )
        return cls(
            repo=raw["repo"],
            commit=raw["commit"],
            kind=raw.get("kind", ""),
            split=raw.get("split", "dev"),
            profile=raw.get("profile", ""),
            families=families,
            source=path,
        )


@dataclass
class Verdict:
    """One finding judged: ``tp`` matched an expected entry; ``fp`` matched nothing (or a trap,
    or an entry already taken); ``unjudged`` lies outside the reviewed files."""

    finding: dict[str, Any]
    outcome: str
    entry: Entry | None = None
    note: str = ""


@dataclass
class RepoResult:
    labels: RepoLabels
    verdicts: list[Verdict] = field(default_factory=list)
    misses: list[Entry] = field(default_factory=list)
    #: expected entries matched only by an info finding (counted as misses of the warning recall)
    weak: list[Entry] = field(default_factory=list)
    crashed: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)


def family_of(rule: str) -> str:
    return FAMILY_BY_DIGIT.get(rule[3:4], "other")


def is_warning(finding_or_entry_severity: str) -> bool:
    return finding_or_entry_severity in ("warning", "error")


def judge(labels: RepoLabels, findings: Sequence[dict[str, Any]]) -> RepoResult:
    """Match a repository's findings against its labels (pure: no files, no processes)."""
    result = RepoResult(labels)
    taken: set[object] = set()
    # warnings and errors claim entries first, so an info finding never steals a warning's match
    order = sorted(
        findings, key=lambda f: (not is_warning(f["severity"]), f["path"], f.get("line") or 0)
    )
    matched_by: dict[object, str] = {}
    for finding in order:
        family = family_of(finding["rule"])
        fam = labels.families.get(family)
        if fam is None or not fam.judges(finding["path"]):
            result.verdicts.append(Verdict(finding, "unjudged"))
            continue
        chosen = None
        for index, entry in enumerate(fam.expected):
            if entry.key in taken or not entry.holds(finding):
                continue
            # prefer an entry naming the same rule
            if chosen is None or (
                entry.rule == finding["rule"] and chosen[1].rule != finding["rule"]
            ):
                chosen = (index, entry)
        if chosen is not None:
            taken.add(chosen[1].key)
            matched_by[chosen[1].key] = finding["severity"]
            result.verdicts.append(Verdict(finding, "tp", chosen[1]))
            continue
        trap = next((t for t in fam.traps if t.holds(finding)), None)
        if trap is not None:
            result.verdicts.append(Verdict(finding, "fp", trap, note=f"trap: {trap.reason}"))
        elif any(e.holds(finding) for e in fam.expected):
            result.verdicts.append(Verdict(finding, "fp", note="duplicate of a matched entry"))
        else:
            result.verdicts.append(Verdict(finding, "fp", note="no label here"))
    for fam in labels.families.values():
        for entry in _one_per_key(fam.expected):
            if entry.key not in taken:
                result.misses.append(entry)
            elif is_warning(entry.severity) and not is_warning(matched_by[entry.key]):
                result.weak.append(entry)
    return result


def label_problems(labels: RepoLabels) -> list[str]:
    """Expected entries no finding could ever match: in a file the family does not judge."""
    return [
        f"{fam.family}: expected {entry.path}:{entry.line} lies outside `reviewed`/`exclude`"
        for fam in labels.families.values()
        for entry in fam.expected
        if not fam.judges(entry.path)
    ]


def _one_per_key(entries: Iterable[Entry]) -> list[Entry]:
    seen: set[object] = set()
    out = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            out.append(entry)
    return out


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    info_tp: int = 0
    info_fp: int = 0
    found: int = 0  # expected warning entries matched by a warning/error
    expected: int = 0  # expected warning/error entries
    unjudged: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def info_precision(self) -> float | None:
        total = self.info_tp + self.info_fp
        return self.info_tp / total if total else None


def tally(results: Iterable[RepoResult]) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Per family and per rule: precision from findings, recall from expected entries."""
    by_family: dict[str, Tally] = defaultdict(Tally)
    by_rule: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        if result.crashed:
            continue
        for v in result.verdicts:
            rule = v.finding["rule"]
            targets = (by_family[family_of(rule)], by_rule[rule])
            for t in targets:
                if v.outcome == "unjudged":
                    t.unjudged += 1
                elif is_warning(v.finding["severity"]):
                    t.tp += v.outcome == "tp"
                    t.fp += v.outcome == "fp"
                else:
                    t.info_tp += v.outcome == "tp"
                    t.info_fp += v.outcome == "fp"
        weak = {id(e) for e in result.weak}
        missed = {id(e) for e in result.misses}
        for fam in result.labels.families.values():
            for entry in _one_per_key(fam.expected):
                if not is_warning(entry.severity):
                    continue
                hit = id(entry) not in missed and id(entry) not in weak
                for t in (by_family[fam.family], by_rule[entry.rule or fam.family]):
                    t.expected += 1
                    t.found += hit
    return dict(by_family), dict(by_rule)


# ---------------------------------------------------------------- running mlnudge


def find_snapshot(snapshots: Path, repo: str) -> Path | None:
    base = repo.replace("/", "+")
    for candidate in (
        snapshots / base / "repo",
        snapshots / base,
        snapshots / f"{base}.git",
    ):
        if candidate.is_dir():
            return candidate
    return None


#: snapshots leave out files of this size and more; a missing blob is at least this large
MISSING_BLOB_SIZE = 4 * 1024 * 1024


def lay_out(git_dir: Path, commit: str, target: Path) -> None:
    """Export ``commit`` into ``target`` as a fresh one-commit git repository.

    Snapshots may lack large blobs: those files are laid out as sparse files of
    ``MISSING_BLOB_SIZE`` bytes, so size-based rules still see a large file there.
    """
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(git_dir), "archive", "--format=tar", commit],
        capture_output=True,
        check=False,
    )
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    else:
        _export_blob_by_blob(git_dir, commit, target)
    env = {"GIT_AUTHOR_NAME": "corpus", "GIT_AUTHOR_EMAIL": "corpus@localhost"}
    env |= {"GIT_COMMITTER_NAME": "corpus", "GIT_COMMITTER_EMAIL": "corpus@localhost"}
    for cmd in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A", "-f"],
        ["git", "commit", "-q", "--no-verify", "-m", "snapshot"],
    ):
        subprocess.run(cmd, cwd=target, capture_output=True, check=True, env=_env(env))


def _export_blob_by_blob(git_dir: Path, commit: str, target: Path) -> None:
    listing = subprocess.run(
        ["git", "-C", str(git_dir), "ls-tree", "-r", "-z", commit],
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for item in filter(None, listing):
        meta, _, raw_path = item.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind != b"blob":
            continue
        path = target / os.fsdecode(raw_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = subprocess.run(
            ["git", "-C", str(git_dir), "cat-file", "blob", sha.decode()],
            capture_output=True,
            check=False,
        )
        if mode == b"120000":
            continue  # symbolic links are left out
        if blob.returncode == 0:
            path.write_bytes(blob.stdout)
        else:
            with path.open("wb") as handle:
                handle.truncate(MISSING_BLOB_SIZE)


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}


def run_mlnudge(tree: Path, command: Sequence[str]) -> tuple[dict[str, Any] | None, str]:
    proc = subprocess.run(
        [*command, "check", str(tree), "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        return None, f"exit {proc.returncode}: {proc.stderr.strip()[-400:]}"
    try:
        return json.loads(proc.stdout), ""
    except ValueError:
        return None, f"no JSON report (exit {proc.returncode}): {proc.stderr.strip()[-400:]}"


def score_repo(labels: RepoLabels, snapshots: Path, command: Sequence[str]) -> RepoResult:
    git_dir = find_snapshot(snapshots, labels.repo)
    if git_dir is None:
        result = RepoResult(labels)
        result.crashed = f"no snapshot of {labels.repo} under {snapshots}"
        return result
    with tempfile.TemporaryDirectory(prefix="mlnudge-accuracy-") as tmp:
        tree = Path(tmp) / labels.repo.replace("/", "+")
        lay_out(git_dir, labels.commit, tree)
        report, problem = run_mlnudge(tree, command)
    if report is None:
        result = RepoResult(labels)
        result.crashed = problem
        return result
    result = judge(labels, report["findings"])
    result.errors = list(report.get("errors", []))
    return result


# ---------------------------------------------------------------- printing


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def summary_table(by_family: dict[str, Tally], title: str) -> list[str]:
    lines = [
        f"| {title} | precision (warn+err) | recall (warn+err) | TP | FP | found/expected "
        "| info precision | unjudged |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for family in FAMILIES:
        t = by_family.get(family, Tally())
        lines.append(
            f"| {family} | {_num(t.precision)} | {_num(t.recall)} | {t.tp} | {t.fp} | "
            f"{t.found}/{t.expected} | {_num(t.info_precision)} "
            f"({t.info_tp}/{t.info_tp + t.info_fp}) | {t.unjudged} |"
        )
    return lines


def rule_table(by_rule: dict[str, Tally]) -> list[str]:
    lines = [
        "| rule | precision (warn+err) | recall (warn+err) | TP | FP | found/expected "
        "| info TP/all |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in sorted(by_rule):
        t = by_rule[rule]
        lines.append(
            f"| {rule} | {_num(t.precision)} | {_num(t.recall)} | {t.tp} | {t.fp} | "
            f"{t.found}/{t.expected} | {t.info_tp}/{t.info_tp + t.info_fp} |"
        )
    return lines


def _where(finding: dict[str, Any]) -> str:
    cell = f" cell {finding['cell']}" if finding.get("cell") else ""
    line = f":{finding['line']}" if finding.get("line") else ""
    return f"{finding['path']}{cell}{line}"


def details(results: Sequence[RepoResult]) -> list[str]:
    out = []
    for result in results:
        head = f"## {result.labels.repo} ({result.labels.split}, {result.labels.kind})"
        if result.crashed:
            out += [head, f"  RUN LOST: {result.crashed}"]
            continue
        fps = [v for v in result.verdicts if v.outcome == "fp"]
        if not fps and not result.misses and not result.weak and not result.errors:
            continue
        out.append(head)
        # what mlnudge could not read, or a rule that failed: a wrong "unreadable" is a bug too
        for err in result.errors:
            where = f"{err.get('path')}:{err['line']}" if err.get("line") else err.get("path")
            rule = f" {err['rule']}" if err.get("rule") else ""
            out.append(f"  ERROR {err.get('kind')}{rule} {where}  {str(err.get('message'))[:100]}")
        for v in sorted(fps, key=lambda v: (v.finding["rule"], _where(v.finding))):
            f = v.finding
            out.append(
                f"  FP {f['rule']} {f['severity']:7} {_where(f)}  {f['message'][:100]}  [{v.note}]"
            )
        for e in result.misses:
            label = e.rule or e.family
            out.append(f"  MISS {label} {e.severity:7} {e.where()}  {e.what}: {e.reason}")
        for e in result.weak:
            out.append(f"  WEAK {e.rule or e.family} {e.where()}  found only as info: {e.what}")
    return out


def to_json(
    results: Sequence[RepoResult], by_family: dict[str, Tally], by_rule: dict[str, Tally]
) -> dict[str, Any]:
    def t(x: Tally) -> dict[str, Any]:
        return {
            "precision": x.precision,
            "recall": x.recall,
            "tp": x.tp,
            "fp": x.fp,
            "found": x.found,
            "expected": x.expected,
            "info_precision": x.info_precision,
            "unjudged": x.unjudged,
        }

    return {
        "repos": [
            {
                "repo": r.labels.repo,
                "split": r.labels.split,
                "crashed": r.crashed or None,
                "false_positives": [
                    {"rule": v.finding["rule"], "where": _where(v.finding), "note": v.note}
                    for v in r.verdicts
                    if v.outcome == "fp"
                ],
                "misses": [{"rule": e.rule, "where": e.where(), "what": e.what} for e in r.misses],
                "errors": r.errors,
            }
            for r in results
        ],
        "by_family": {k: t(v) for k, v in by_family.items()},
        "by_rule": {k: t(v) for k, v in by_rule.items()},
    }


def load_labels(split: str, only: Sequence[str], folder: Path = LABELS) -> list[RepoLabels]:
    """The label files of ``split`` (``all``: dev and held-out). Files a labeller is still
    writing and ``queued`` held-out rounds (labelled ahead of their turn) are never scored."""
    labels = []
    for path in sorted(folder.glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("status") == "in-progress":
            continue  # a labeller is still writing it
        item = RepoLabels.load(path)
        if item.split == "queued" or split not in ("all", item.split):
            continue
        if only and item.repo not in only:
            continue
        labels.append(item)
    return labels


def write_manifest() -> None:
    """``manifest.json``: every labelled repository with its commit, kind and split."""
    entries = []
    for path in sorted(LABELS.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries.append({k: raw.get(k) for k in ("repo", "commit", "kind", "split", "profile")})
    MANIFEST.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")


def update_readme(readme: Path, tables: dict[str, list[str]]) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_BEGIN), text.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f"{readme}: no {README_BEGIN} ... {README_END} block to regenerate")
    body = [README_BEGIN, ""]
    for split, table in tables.items():
        body += [f"*{split}*", "", *table, ""]
    body.append("")
    new = text[:start] + "\n".join(body).rstrip("\n") + "\n" + text[end:]
    readme.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--snapshots", type=Path, help="folder with one git directory per repository"
    )
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument(
        "--repo", action="append", default=[], help="only this owner/name (repeatable)"
    )
    parser.add_argument("--json", type=Path, help="write the numbers and every FP/miss as JSON")
    parser.add_argument("--quiet", action="store_true", help="tables only, no FP/miss listing")
    parser.add_argument(
        "--readme", type=Path, help="regenerate the accuracy block of this Markdown file"
    )
    parser.add_argument(
        "--manifest", action="store_true", help="rewrite manifest.json from the labels and stop"
    )
    parser.add_argument(
        "--mlnudge",
        default=f"{sys.executable} -m mlnudge",
        help="the command that runs mlnudge (default: this Python's -m mlnudge)",
    )
    args = parser.parse_args(argv)
    if args.manifest:
        write_manifest()
        return 0
    if args.snapshots is None:
        parser.error("--snapshots DIR is required")
    command = args.mlnudge.split()
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    tables: dict[str, list[str]] = {}
    payload: dict[str, Any] = {}
    for split in splits:
        labels = load_labels(split, args.repo)
        results = []
        for item in labels:
            print(f"... {item.repo}", file=sys.stderr)
            for problem in label_problems(item):
                print(f"    label problem: {problem}", file=sys.stderr)
            results.append(score_repo(item, args.snapshots, command))
        by_family, by_rule = tally(results)
        lost = sum(bool(r.crashed) for r in results)
        title = f"{split} ({len(results)} repos{f', {lost} lost' if lost else ''})"
        table = summary_table(by_family, title)
        tables[title] = table
        print("\n".join([f"# {title}", "", *table, "", *rule_table(by_rule), ""]))
        if not args.quiet:
            print("\n".join(details(results)))
            print()
        payload[split] = to_json(results, by_family, by_rule)
    if args.json:
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if args.readme:
        update_readme(args.readme, tables)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
