"""The result of a run, and its JSON form (the contract in ``report.schema.json``).

Renderers take a :class:`Report` and return text. ``to_dict``/``from_dict`` round-trip the
JSON report so that a saved report (``mlnudge github --report FILE``) renders like a live one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlnudge import __version__
from mlnudge.finding import (
    FAMILIES,
    Detail,
    Finding,
    ReadError,
    Severity,
    Suppressed,
    Waiver,
    family_of,
)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class RuleText:
    """The words of a rule that reports show once per rule."""

    code: str
    name: str
    why: str
    fix: str
    #: one line on what the rule finds, and its default severity (SARIF's rule metadata)
    summary: str = ""
    severity: str = "warning"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    errors: tuple[ReadError, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    mode: str = "advisory"
    fail_on: Severity = Severity.WARNING
    files_scanned: int = 0
    duration_s: float = 0.0
    profile: str | None = None
    #: present/absent state of each structure item, for the readiness score
    structure: Mapping[str, bool] = field(default_factory=dict)
    score: float | None = None
    #: rule words by code, for renderers (filled from the registry or the saved report)
    rules: Mapping[str, RuleText] = field(default_factory=dict)
    baseline: str | None = None
    version: str = __version__
    notes: tuple[str, ...] = ()
    #: findings the comparison point had that this run no longer finds ("fixed in this PR")
    fixed: tuple[Finding, ...] = ()
    #: the pull request's base when ``new`` was decided against it (``base_sha``: merge-base)
    base_ref: str | None = None
    base_sha: str | None = None

    def _would_block(self, f: Finding) -> bool:
        if self.mode == "advisory" or f.severity < self.fail_on:
            return False
        return self.mode == "strict" or f.new is not False

    def blocking(self) -> tuple[Finding, ...]:
        """The findings that make this run fail under its mode (``warn-until`` ones wait)."""
        return tuple(f for f in self.findings if self._would_block(f) and f.blocks_from is None)

    def blocks_from(self, f: Finding) -> str | None:
        """The date ``f`` starts to block, when only its ``warn-until`` date keeps it advisory."""
        return f.blocks_from if self._would_block(f) else None

    @property
    def compared_to(self) -> str | None:
        """``base`` (the PR's merge-base), ``baseline`` (the baseline file) or ``None``."""
        if self.base_sha is not None:
            return "base"
        if any(f.new is not None for f in self.findings) or self.baseline is not None:
            return "baseline"
        return None

    def split(self) -> dict[str, int] | None:
        """new / existing (/ fixed, against a base) counts, when findings were compared.

        A baseline file holds fingerprints only, so what it had and this run lacks is not
        counted as fixed; against a pull request's base it is.
        """
        if self.compared_to is None:
            return None
        new = sum(1 for f in self.findings if f.new is not False)
        out = {"new": new, "existing": len(self.findings) - new}
        if self.compared_to == "base":
            out["fixed"] = len(self.fixed)
        return out

    def counts(self) -> dict[str, int]:
        out = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for f in self.findings:
            out[f.severity.label] += 1
        return out

    def by_check(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(FAMILIES, 0)
        for f in self.findings:
            out[f.family] += 1
        return out

    def why(self, finding: Finding) -> str:
        text = self.rules.get(finding.rule)
        return text.why if text else ""

    def fix(self, finding: Finding) -> str:
        if finding.fix:
            return finding.fix
        text = self.rules.get(finding.rule)
        return text.fix if text else ""

    def rule_name(self, code: str) -> str:
        text = self.rules.get(code)
        return text.name if text else code


def grouped(findings: Sequence[Finding]) -> list[tuple[str | None, list[Finding]]]:
    """Findings of one file bucketed by ``details["group"]`` (a call's literals together).

    Returns ``(label, members)`` in the order of each bucket's first finding; ``label`` names
    the group (``RandomForestClassifier()``) when it holds more than one finding, else ``None``.
    """
    buckets: dict[object, list[Finding]] = {}
    for i, f in enumerate(findings):
        group = f.details.get("group")
        buckets.setdefault((f.path, group) if isinstance(group, str) else i, []).append(f)
    out: list[tuple[str | None, list[Finding]]] = []
    for key, members in buckets.items():
        label = None
        if isinstance(key, tuple) and len(members) > 1:
            name = str(key[1]).rsplit(":", 1)[-1]
            called = any(f"`{name}()`" in f.message for f in members)
            # a call's literals (`xgb.train()`), or the entries of a dict (`best_params`)
            label = "the comparisons" if name == "compare" else f"`{name}{'()' if called else ''}`"
        out.append((label, members))
    return out


#: what a present ``summary.structure`` item means, in words a person reads
STRUCTURE_WORDS = {
    "tests": "a test suite",
    "package": "an importable package",
    "packaging-metadata": "packaging metadata (pip install works)",
    "readme": "a README",
    "ci": "CI on every push",
    "pre-commit": "pre-commit hooks",
    "dependencies": "declared dependencies",
    "lock": "a lock file",
    "parameter-file": "a parameter file",
    "notebooks-together": "notebooks kept in one place",
    "no-large-files": "no large files in git",
    "loose-scripts": "no loose scripts in src/",
    # the rule names older reports used as keys
    "missing-tests": "a test suite",
    "notebook-outside-notebooks-dir": "notebooks kept in one place",
    "missing-parameter-file": "a parameter file",
    "no-importable-package": "an importable package",
    "missing-packaging-metadata": "packaging metadata (pip install works)",
    "missing-readme": "a README",
    "missing-ci": "CI on every push",
    "missing-pre-commit-config": "pre-commit hooks",
    "missing-lock-file": "a lock file",
    "large-file-committed": "no large files in git",
    "missing-dependency-declaration": "declared dependencies",
    "loose-scripts-in-src": "no loose scripts in src/",
}


def in_good_shape(structure: Mapping[str, bool]) -> list[str]:
    """The present structure items in plain words (never the internal keys)."""
    out = []
    for key, present in structure.items():
        if not present:
            continue
        if key in STRUCTURE_WORDS:
            out.append(STRUCTURE_WORDS[key])
        elif key.startswith("required:"):
            out.append(f"the required {key.partition(':')[2]}")
        elif key.startswith("no-forbidden:"):
            out.append(f"no {key.partition(':')[2]} (forbidden by the team)")
        else:
            out.append(key.replace("-", " "))
    return list(dict.fromkeys(out))


def finding_to_dict(report: Report, f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": report.rule_name(f.rule),
        "check": f.family,
        "severity": f.severity.label,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "cell": f.cell,
        "message": f.message,
        "why": report.why(f),
        "fix": report.fix(f),
        "suggestion": f.suggestion,
        "fingerprint": f.fingerprint,
        "new": f.new,
        "stage": f.stage,
        "blocks_from": report.blocks_from(f),
        "warn_until": f.blocks_from,
        "waiver": _waiver_to_dict(f.waiver),
        "details": dict(f.details),
    }


def _waiver_to_dict(w: Waiver | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"reason": w.reason, "expires": w.expires, "expired": w.expired}


def fixed_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "check": f.family,
        "path": f.path,
        "line": f.line,
        "fingerprint": f.fingerprint,
        "message": f.message,
    }


def to_dict(report: Report) -> dict[str, Any]:
    blocking = report.blocking()
    split = report.split() or {}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "mlnudge",
        "version": report.version,
        "mode": report.mode,
        "fail_on": report.fail_on.label,
        "profile": report.profile,
        "baseline": report.baseline,
        "compared_to": report.compared_to,
        "base": None
        if report.base_sha is None
        else {"ref": report.base_ref, "sha": report.base_sha},
        "findings": [finding_to_dict(report, f) for f in report.findings],
        "fixed": [fixed_to_dict(f) for f in report.fixed],
        "suppressed": [
            {**finding_to_dict(report, s.finding), "reason": s.reason} for s in report.suppressed
        ],
        "errors": [
            {"path": e.path, "kind": e.kind, "line": e.line, "message": e.message, "rule": e.rule}
            for e in report.errors
        ],
        "summary": {
            "files_scanned": report.files_scanned,
            "by_check": report.by_check(),
            "by_severity": report.counts(),
            "suppressed": len(report.suppressed),
            "blocking": len(blocking),
            "passed": not blocking,
            "structure": dict(report.structure),
            "score": report.score,
            "duration_s": round(report.duration_s, 4),
            **split,
        },
        "notes": list(report.notes),
    }


def finding_from_dict(raw: Mapping[str, Any]) -> Finding:
    line = raw.get("line")
    return Finding(
        rule=str(raw["rule"]),
        path=str(raw["path"]),
        message=str(raw["message"]),
        severity=Severity.parse(str(raw["severity"])),
        line=line if isinstance(line, int) else None,
        column=_int(raw.get("column")),
        end_line=_int(raw.get("end_line")),
        end_column=_int(raw.get("end_column")),
        suggestion=raw.get("suggestion") if isinstance(raw.get("suggestion"), str) else None,
        fix=raw.get("fix") if isinstance(raw.get("fix"), str) else None,
        cell=_int(raw.get("cell")),
        details=_details(raw.get("details")),
        fingerprint=str(raw.get("fingerprint", "")),
        new=raw.get("new") if isinstance(raw.get("new"), bool) else None,
        stage=raw.get("stage") if raw.get("stage") in ("exploration", "production") else None,
        blocks_from=_str(raw.get("warn_until", raw.get("blocks_from"))),
        waiver=_waiver_from_dict(raw.get("waiver")),
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _waiver_from_dict(raw: Any) -> Waiver | None:
    if not isinstance(raw, Mapping):
        return None
    return Waiver(str(raw.get("reason", "")), _str(raw.get("expires")), raw.get("expired") is True)


def _fixed_from_dict(raw: Mapping[str, Any]) -> Finding:
    return Finding(
        rule=str(raw["rule"]),
        path=str(raw["path"]),
        message=str(raw.get("message", "")),
        severity=Severity.INFO,
        line=_int(raw.get("line")),
        fingerprint=str(raw.get("fingerprint", "")),
    )


def _details(value: Any) -> dict[str, Detail]:
    if not isinstance(value, dict):
        return {}
    return {
        str(k): v for k, v in value.items() if v is None or isinstance(v, str | int | float | bool)
    }


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def from_dict(data: Mapping[str, Any], known: Mapping[str, RuleText]) -> Report:
    """Rebuild a report from its JSON form (validated by the caller against the schema);
    ``known`` gives the words of the rules this mlnudge knows (the registry's rule texts)."""
    texts = dict(known)
    findings = tuple(finding_from_dict(f) for f in data["findings"])
    for raw in data["findings"]:
        code = str(raw["rule"])
        if code not in texts:
            texts[code] = RuleText(code, str(raw.get("name", code)), str(raw.get("why", "")), "")
        family_of(code)  # raises KeyError for codes outside the four families
    suppressed = tuple(
        Suppressed(finding_from_dict(s), str(s.get("reason", "")))
        for s in data.get("suppressed", [])
        if isinstance(s, Mapping)
    )
    errors = tuple(
        ReadError(
            str(e["path"]),
            e["kind"],
            str(e["message"]),
            _int(e.get("line")),
            e.get("rule") if isinstance(e.get("rule"), str) else None,
        )
        for e in data["errors"]
    )
    summary = data["summary"]
    base = data.get("base")
    base = base if isinstance(base, Mapping) else {}
    fail_on = data.get("fail_on", "warning")
    score = summary.get("score")
    return Report(
        findings=findings,
        errors=errors,
        suppressed=suppressed,
        mode=str(data.get("mode", "advisory")),
        fail_on=Severity.parse(fail_on if isinstance(fail_on, str) else "warning"),
        files_scanned=int(summary.get("files_scanned", 0)),
        duration_s=float(summary.get("duration_s", 0.0)),
        profile=data.get("profile") if isinstance(data.get("profile"), str) else None,
        structure=summary.get("structure", {})
        if isinstance(summary.get("structure"), dict)
        else {},
        score=float(score) if isinstance(score, int | float) else None,
        rules=texts,
        version=str(data.get("version", "")),
        baseline=_str(data.get("baseline")),
        fixed=tuple(_fixed_from_dict(f) for f in data.get("fixed", []) if isinstance(f, Mapping)),
        base_ref=_str(base.get("ref")),
        base_sha=_str(base.get("sha")),
    )
