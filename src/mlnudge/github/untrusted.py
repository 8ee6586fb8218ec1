"""An artifact from an unprivileged run is data, never words the bot speaks.

In the fork-safe pair the report is written by code the pull request controls. The poster
therefore keeps from it only what it can check, and says everything in its own words:

- rule names, *why* and *fix* texts come from the poster's own registry; a finding-specific
  fix and a suggestion block from the artifact are dropped; findings whose rule code the
  poster does not know are dropped (and counted in a note);
- every path must be a plain relative POSIX path inside the repository: no leading ``/``, no
  ``..`` or ``.`` segment, no backslash, no control character; otherwise the whole artifact is
  refused (file links would otherwise leave the repository);
- the same holds for the ``fixed`` list and waivers (their reasons are neutralised too);
- messages, suppression reasons and error texts are neutralised: URLs lose their scheme's
  ``://``, issue references (``#123``, ``owner/repo#5``, ``GH-12``) and @mentions get a
  zero-width space, so nothing in them links, notifies or cross-references;
- ``summary.structure`` keeps only the names of rules the poster knows.

Bounds on counts and lengths are in ``artifact.schema.json`` (checked with the report schema).
"""

from __future__ import annotations

import re
from dataclasses import replace

from mlnudge.checks import rule_texts
from mlnudge.finding import Finding
from mlnudge.report.model import Report

ZWSP = "\u200b"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{1,20}):(//)")
_WWW = re.compile(r"\bwww\.", re.IGNORECASE)
_ISSUE_REF = re.compile(r"((?<!&)#|\b[Gg][Hh]-)(\d)")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


class UnsafePath(ValueError):
    """A path that is not a plain relative path inside the repository."""


def safe_relative_path(path: str) -> bool:
    """A POSIX path relative to the repository root that cannot leave it."""
    if not path or len(path) > 1000 or "\\" in path or _CONTROL.search(path):
        return False
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return False
    parts = path.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def neutralise(text: str) -> str:
    """Text that cannot link, mention or cross-reference anything when GitHub renders it."""
    text = _URL.sub(lambda m: f"{m.group(1)}:{ZWSP}//", text)
    text = _WWW.sub(lambda m: m.group(0)[:3] + ZWSP + ".", text)
    text = _ISSUE_REF.sub(lambda m: m.group(1) + ZWSP + m.group(2), text)
    return _MENTION.sub("@" + ZWSP, text)


def _finding(f: Finding) -> Finding:
    if not safe_relative_path(f.path):
        raise UnsafePath(f"finding path {f.path[:80]!r} is not a relative path inside the repo")
    waiver = f.waiver
    if waiver is not None:
        waiver = replace(waiver, reason=neutralise(waiver.reason))
    return replace(
        f, message=neutralise(f.message), fix=None, suggestion=None, details={}, waiver=waiver
    )


def as_data(report: Report) -> tuple[Report, list[str]]:
    """The artifact's report with only checked data kept and the poster's own rule texts.

    Raises :class:`UnsafePath` for a path that could leave the repository.
    """
    registry = rule_texts()
    notes: list[str] = []
    known = [f for f in report.findings if f.rule in registry]
    unknown = sorted({f.rule for f in report.findings if f.rule not in registry})
    if unknown:
        notes.append(
            f"{len(report.findings) - len(known)} finding(s) with rule codes this mlnudge does "
            f"not know were left out ({', '.join(unknown[:10])})"
        )
    findings = tuple(_finding(f) for f in known)
    # what the pull request fixed is said in the same checked words as what it introduced
    fixed = tuple(_finding(f) for f in report.fixed if f.rule in registry)
    suppressed = tuple(
        replace(s, finding=_finding(s.finding), reason=neutralise(s.reason))
        for s in report.suppressed
        if s.finding.rule in registry
    )
    # error paths are shown as code, never linked
    errors = [
        replace(e, path=neutralise(e.path), message=neutralise(e.message)) for e in report.errors
    ]
    names = {t.name for t in registry.values()}
    structure = {k: v for k, v in report.structure.items() if k in names}
    return (
        replace(
            report,
            findings=findings,
            fixed=fixed,
            suppressed=suppressed,
            errors=tuple(errors),
            structure=structure,
            rules=registry,
            version=neutralise(report.version),
            notes=(),
        ),
        notes,
    )
