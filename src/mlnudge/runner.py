"""Select rules, run the families, then apply severities, overrides, suppressions and baseline."""

from __future__ import annotations

import datetime
import gc
import json
import re
import time
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mlnudge import __version__
from mlnudge.checks import FAMILIES, rule_texts
from mlnudge.checks.base import CheckContext
from mlnudge.checks.structure import structure_state
from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.prefetch import prefetch
from mlnudge.facts.repo import CACHE_DIR, PARSE_GENERATION, Repo, check_syntax
from mlnudge.facts.store import FileCache
from mlnudge.finding import Family, Finding, Severity, Suppressed, Waiver
from mlnudge.isolation import internal_error
from mlnudge.project import FILE_FACTS as PROJECT_FACTS
from mlnudge.project import detect
from mlnudge.report.model import Report
from mlnudge.rules import matches
from mlnudge.selfcode import code_identity
from mlnudge.settings import Config, ConfigError

SUPPRESS_RE = re.compile(r"#\s*mlnudge:\s*ignore\[([A-Za-z0-9_, ]+)\]\s*(.*)$")
#: an inline ignore's end date: ``# mlnudge: ignore[MLN201] audit freeze expires=2027-03-01``
EXPIRES_RE = re.compile(r"\s*\(?\bexpires[=: ]\s*(\d{4}-\d{2}-\d{2})\)?")

#: what the cache's entries were computed by: mlnudge's version and how it parses files
CACHE_VERSION = f"{__version__}+parse{PARSE_GENERATION}"


def cache_version() -> str:
    """:data:`CACHE_VERSION`, and for a source tree the digest of its code (see
    :mod:`mlnudge.selfcode`): an edited checkout never reuses what its older self cached."""
    identity = code_identity(str(Path(__file__).parent))
    return f"{CACHE_VERSION}+code{identity}" if identity else CACHE_VERSION


def run(
    root: Path,
    config: Config,
    *,
    targets: Collection[str] | None = None,
    families: Collection[Family] | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    today: datetime.date | None = None,
) -> Report:
    """Check the repository at ``root``; ``targets`` limits file-level rules to those files.

    ``cache_dir`` puts the per-file cache elsewhere than ``root`` (the analysis of a pull
    request's base shares the work tree's); ``today`` is the clock for ``warn-until`` dates
    and waiver expiry (default: the local date).
    """
    # A run builds syntax trees and facts, millions of objects that live until they are
    # summarised and hold no reference cycles worth collecting: the cyclic garbage collector
    # walking them again and again cost more than parsing itself (statsmodels: 13.6 s of CPU
    # with it, 3.9 s without). It is off for the run, and back as it was after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(
            root,
            config,
            targets=targets,
            families=families,
            use_cache=use_cache,
            cache_dir=cache_dir,
            today=today,
        )
    finally:
        if collecting:
            gc.enable()


def _run(
    root: Path,
    config: Config,
    *,
    targets: Collection[str] | None,
    families: Collection[Family] | None,
    use_cache: bool,
    cache_dir: Path | None,
    today: datetime.date | None,
) -> Report:
    started = time.perf_counter()
    today = today or datetime.date.today()
    repo = Repo.discover(root, config)
    notes: list[str] = []
    if use_cache and repo.cache_listed and cache_dir is None:
        use_cache = False
        notes.append(
            f"{CACHE_DIR}/ is committed (or not ignored) in this repository: its contents "
            "were not read, and nothing was cached; remove it from version control"
        )
    if repo.templates:
        shown = ", ".join(f"`{t}`" for t in repo.templates[:3])
        more = f" and {len(repo.templates) - 3} more" if len(repo.templates) > 3 else ""
        notes.append(
            f"{shown}{more}: named with template placeholders, so a template for other "
            "projects, not this one's code; not checked"
        )
    directory = (cache_dir or repo.root / CACHE_DIR) / "v2"
    # without the cache on disk, one in memory still lets workers compute the facts up front
    cache = FileCache(
        directory,
        salt=__version__ + config.cache_key(),
        version=cache_version(),
        persistent=use_cache,
    )
    store = Facts(repo, cache)
    focus = None if targets is None else tuple(sorted(t for t in targets if t in repo.files))
    kinds = [*PROJECT_FACTS]
    for spec in FAMILIES:
        if families is None or spec.name in families:
            kinds.extend(spec.file_facts)
    prefetch(store, kinds, repo.files)
    project = detect(repo, store)
    raw: list[Finding] = []
    for spec in FAMILIES:
        if families is not None and spec.name not in families:
            continue
        if not any(config.enabled(rule.code) for rule in spec.rules):
            continue
        ctx = CheckContext(
            repo=repo,
            config=config,
            options=config.section(spec.name),
            family=spec.name,
            project=project,
            targets=focus,
            cache=cache,
        )
        try:
            raw.extend(spec.check(ctx))
        except Exception as exc:  # a bug in one family never loses the report
            repo.errors.append(internal_error(_failing_path(exc, repo), spec.name, exc))
        notes.extend(ctx.notes)
    # the readiness score's structure items, from the same facts (before the cache is saved)
    structure = (
        structure_state(repo, project, config, store)
        if families is None or "structure" in families
        else {}
    )
    check_syntax(repo, repo.files if focus is None else focus, store.checked)
    findings = list(_apply_stages(_apply_severity(raw, config), config))
    findings, suppressed = _apply_suppressions(store, findings, config, today)
    cache.save(prune=focus is None and families is None)  # after the last facts asked for
    findings = [_with_date(f, config, today) for f in _fingerprint(findings)]
    baseline_path = repo.root / config.baseline
    known = load_baseline(baseline_path)
    if known is not None:
        findings = [replace(f, new=f.fingerprint not in known) for f in findings]
    return Report(
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        errors=tuple(sorted(repo.errors, key=lambda e: e.sort_key())),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key())),
        mode=config.mode,
        fail_on=config.fail_on,
        files_scanned=len(repo.files) if focus is None else len(focus),
        duration_s=time.perf_counter() - started,
        profile=project.profile,
        structure=structure,
        rules=rule_texts(),
        baseline=config.baseline if known is not None else None,
        notes=tuple(notes),
    )


def _failing_path(exc: BaseException, repo: Repo) -> str:
    """The repository file named in the exception's message, if any (else the root)."""
    text = str(exc)
    return next((path for path in repo.files if path in text), ".")


def _apply_severity(findings: Iterable[Finding], config: Config) -> Iterable[Finding]:
    for f in findings:
        severity = config.severity_for(f.rule, f.path, default=f.severity)
        if severity is not None:
            yield f if severity == f.severity else replace(f, severity=severity)


def _apply_stages(findings: Iterable[Finding], config: Config) -> Iterable[Finding]:
    """Each finding's stage; in exploration code nothing is more than ``info``."""
    for f in findings:
        stage = config.stage_of(f.path)
        severity = min(f.severity, Severity.INFO) if stage == "exploration" else f.severity
        yield replace(f, stage=stage, severity=severity)


def _apply_suppressions(
    store: Facts, findings: list[Finding], config: Config, today: datetime.date
) -> tuple[list[Finding], list[Suppressed]]:
    """Inline ignores first, then configured waivers; an expired one waives nothing."""
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for f in findings:
        waiver = _waiver(store, f, config, today)
        if waiver is None:
            kept.append(f)
        elif waiver.expired:
            kept.append(replace(f, waiver=waiver))
        else:
            suppressed.append(Suppressed(replace(f, waiver=waiver), waiver.reason))
    return kept, suppressed


def _waiver(store: Facts, f: Finding, config: Config, today: datetime.date) -> Waiver | None:
    reason = _suppression(store, f)
    if reason is not None:
        match = EXPIRES_RE.search(reason)
        expires = None
        if match is not None:
            try:
                expires = datetime.date.fromisoformat(match.group(1))
            except ValueError:
                expires = None
            reason = (reason[: match.start()] + reason[match.end() :]).strip()
        return _waived(reason or "no reason given", expires, today)
    for rule in config.waivers:
        if rule.covers(f.rule, f.path):
            return _waived(rule.reason, rule.expires, today)
    return None


def _waived(reason: str, expires: datetime.date | None, today: datetime.date) -> Waiver:
    return Waiver(
        reason,
        expires.isoformat() if expires else None,
        expired=expires is not None and today >= expires,
    )


def _with_date(f: Finding, config: Config, today: datetime.date) -> Finding:
    """``blocks_from``: the rule's ``warn-until`` date while it is still ahead."""
    when = config.warn_until_for(f.rule)
    return replace(f, blocks_from=when.isoformat()) if when and today < when else f


def _suppression(store: Facts, f: Finding) -> str | None:
    """The reason of an ``# mlnudge: ignore[CODE] reason`` covering ``f``, or ``None``."""
    if f.line is None or f.path not in store.repo.files:
        return None
    raw: Any
    if f.path.endswith(".ipynb"):
        lines = _lines_for(store.repo, f)
        raw = ignore_comments("\n".join(lines)) if lines else {}
    else:
        # from the facts: a file with findings is not read again to look for its comments
        raw = store.get(f.path, IGNORE_COMMENTS)
    comments: dict[int, list[Any]] = (
        {int(k): v for k, v in raw.items()} if isinstance(raw, dict) else {}
    )
    if not comments:
        return None
    candidates = [comments[n] for n in range(f.line, (f.end_line or f.line) + 1) if n in comments]
    # a comment-only line directly above also covers the construct
    above = comments.get(f.line - 1)
    if above is not None and above[0]:
        candidates.append(above)
    for _, text in candidates:
        match = SUPPRESS_RE.search(text)
        if match is None:
            continue
        codes = tuple(c.strip() for c in match.group(1).split(",") if c.strip())
        if matches(f.rule, codes) or "ALL" in codes:
            return match.group(2).strip()
    return None


def ignore_comments(text: str) -> dict[str, list[Any]]:
    """The lines of ``text`` holding an inline ignore: line number -> [comment-only, line]."""
    if "mlnudge" not in text:
        return {}
    return {
        str(number): [line.lstrip().startswith("#"), line]
        for number, line in enumerate(text.splitlines(), start=1)
        if SUPPRESS_RE.search(line)
    }


#: the inline ignores of a file, from its text (any file: requirements and TOML files too)
IGNORE_COMMENTS = FileFacts(ignore_comments, "1", suffixes=("",), text=True)


def _lines_for(repo: Repo, f: Finding) -> list[str]:
    if f.path.endswith(".ipynb"):
        module = repo.python(f.path)
        if module is None or module.cells is None or f.cell is None:
            return []
        return module.cell_lines(f.cell)
    return repo.lines(f.path)


def _fingerprint(findings: list[Finding]) -> list[Finding]:
    """Stable fingerprints; identical ones in one file get an occurrence suffix (``:2``)."""
    seen: Counter[str] = Counter()
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        base = f.identity()
        seen[base] += 1
        fp = base if seen[base] == 1 else f"{base}:{seen[base]}"
        out.append(replace(f, fingerprint=fp))
    return out


def load_baseline(path: Path) -> frozenset[str] | None:
    """Fingerprints recorded by ``mlnudge baseline``; ``None`` when there is no baseline."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: baseline is not readable JSON: {exc}") from None
    prints = data.get("fingerprints") if isinstance(data, dict) else None
    if not isinstance(prints, list):
        raise ConfigError(f"{path}: baseline has no 'fingerprints' list")
    return frozenset(str(p) for p in prints)


def write_baseline(path: Path, report: Report) -> int:
    data = {
        "tool": "mlnudge",
        "version": __version__,
        "fingerprints": sorted({f.fingerprint for f in report.findings}),
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(data["fingerprints"])
