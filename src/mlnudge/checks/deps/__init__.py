"""Family 4 (MLN4xx): dependencies declared as version ranges.

Reads every place dependencies live (pyproject ``[project]``, ``[dependency-groups]``,
``[tool.poetry]``, setup.cfg, setup.py, requirements files, Pipfile, conda environments) and
the locks generated from them; see :mod:`mlnudge.checks.deps.parsers`. The policy depends on
the project's profile (docs/deps.md):

* a **library**'s published metadata should say what it works with: a lower bound, no exact
  pins, upper caps only per the ``upper-cap`` policy;
* an **application** should be reproducible: a lock in sync with the declared ranges, or exact
  pins when there is no lock.

Repo-level: runs on the whole repository even when the run has targets. ``packaging`` and the
parsers are imported inside :func:`check`, so importing this module stays cheap on the hook path.

The family is split in rooms: :mod:`.rules` (words, options), :mod:`.collect`
(which files are manifests and locks), :mod:`.parsers` and :mod:`.toml_formats` (each format,
into the :mod:`.model`), :mod:`.facts` (what each Python file says, cached), this module (the
range policy per declaration, one finding per line), :mod:`.consistency` (locks, conflicts,
``pip freeze`` records), :mod:`.images` with :mod:`.docker` (what an image installs),
:mod:`.usage` with :mod:`.names` and :mod:`.scan` (declared vs imported), :mod:`.skew`
(training against serving), :mod:`.credentials` and :mod:`.urls`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.checks.deps.collect import Collected, collect, machine_path
from mlnudge.checks.deps.consistency import conflicts, lock_sync
from mlnudge.checks.deps.credentials import credentials, redact, scan_secrets, scrub, secret_in
from mlnudge.checks.deps.facts import PY_FACTS, Installed
from mlnudge.checks.deps.images import image_installs
from mlnudge.checks.deps.ranges import Bounds, bounds, docs_group, next_major, overlap
from mlnudge.checks.deps.rules import (
    CONFLICT,
    CREDENTIAL_IN_URL,
    DEFAULT_DEV_GROUPS,
    EXACT_PIN,
    INVALID_REQUIREMENT,
    MISSING_UPPER_CAP,
    OPTIONS,
    PATCH_COMPATIBLE,
    RULES,
    UNBOUNDED,
    UNDECLARED_IMPORT,
    UNPINNED_VCS,
    UNUSED_DEPENDENCY,
    UPPER_ONLY,
)
from mlnudge.checks.deps.skew import serving_skew
from mlnudge.checks.deps.tables import PLACEHOLDER_DISTRIBUTIONS, STDLIB_BACKPORTS
from mlnudge.checks.deps.urls import machine_path_finding, unpinned_url, vcs_pinned
from mlnudge.checks.deps.usage import imports
from mlnudge.finding import Finding, Severity

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from mlnudge.checks.deps.model import Dep, Manifest

__all__ = [
    "DEFAULT_DEV_GROUPS",
    "RULES",
    "SPEC",
    "bounds",
    "collect",
    "overlap",
    "secret_in",
    "vcs_pinned",
]


# -- entry point -----------------------------------------------------------------------------


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(*(r.code for r in RULES)):
        return
    dev_words = tuple(w.lower() for w in ctx.options.list("dev-groups"))
    collected = collect(ctx.repo, dev_words, ctx.store)
    findings = one_per_line(_judge(ctx, collected))
    secrets: list[str] = []
    if ctx.enabled(CREDENTIAL_IN_URL.code):
        found, secrets = credentials(ctx, collected)
        findings = one_per_line([*found, *findings])
    else:
        secrets = [s for _, s in scan_secrets(ctx, collected)]
    yield from (scrub(f, secrets) for f in findings)


# -- the policy ------------------------------------------------------------------------------


@dataclass
class _State:
    ctx: CheckContext
    collected: Collected
    known: dict[str, str]
    covered: set[str]
    ignore: frozenset[str]
    self_names: frozenset[str]
    installed: Installed
    #: per manifest, the names a file it includes (``-r``, ``-c``) bounds or pins
    included: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _judge(ctx: CheckContext, collected: Collected) -> Iterator[Finding]:
    from packaging.utils import canonicalize_name

    ignore = frozenset(canonicalize_name(n) for n in ctx.options.list("ignore-packages"))
    self_names = frozenset(
        canonicalize_name(m.project_name) for m in collected.manifests if m.project_name
    )
    covered = {path for lock in collected.locks for path in lock.covers}
    installed = Installed(ctx.cache)
    known = _known_versions(collected)
    state = _State(
        ctx,
        collected,
        known,
        covered,
        ignore,
        self_names,
        installed,
        _bounded_by_includes(collected),
    )
    for manifest in collected.manifests:
        yield from _judge_manifest(state, manifest)
    yield from lock_sync(ctx, collected, ignore, self_names)
    if ctx.enabled(CONFLICT.code):
        yield from conflicts(collected, ignore)
        yield from serving_skew(ctx, collected, ignore)
    if ctx.any_enabled(UNDECLARED_IMPORT.code, UNUSED_DEPENDENCY.code):
        yield from imports(ctx, collected, self_names, installed)
    if ctx.enabled(UNBOUNDED.code):
        yield from image_installs(ctx, collected, known, covered, ignore)
    if ctx.enabled(UNPINNED_VCS.code):
        yield from (machine_path_finding(dep) for dep in collected.machine_paths)


def _known_versions(collected: Collected) -> dict[str, str]:
    """A version in use per distribution (from locks, then exact pins), for suggestions."""
    from packaging.version import InvalidVersion, Version

    known: dict[str, str] = {}
    for manifest in collected.manifests:
        for dep in manifest.deps:
            if dep.spec is not None and dep.name:
                exact = [s.version for s in dep.spec if s.operator == "==" and "*" not in s.version]
                if exact:
                    known[dep.name] = exact[0]
    for lock in collected.locks:
        for name, versions in lock.versions.items():
            try:
                known[name] = str(max(Version(v) for v in versions))
            except (InvalidVersion, ValueError):
                continue
    return known


def version_in_use(state: _State, name: str) -> tuple[str, str] | None:
    """``(version, where it comes from)``: the lock or a pin in the repository, else the
    installed package (with ``use-installed-metadata``). Never the network."""
    known = state.known.get(name)
    if known:
        return known, "the lock or a pin in this repository"
    if state.ctx.options.bool("use-installed-metadata"):
        installed = state.installed.version(name)
        if installed:
            return installed, "the installed version"
    return None


def _judge_manifest(state: _State, manifest: Manifest) -> Iterator[Finding]:
    """The range policy of one manifest.

    * Package metadata never pins exactly: MLN402 in every profile ("ranges in the package,
      pins in the lock or the image").
    * A library's metadata, and an application's metadata without a lock, get the whole
      library policy (a lower bound, no narrow ``~=``, caps per ``upper-cap``), extras
      included.
    * Every other declaration (requirements files, a Pipfile, a conda environment; an
      application's or a library's development and CI files alike) needs a lower bound
      (MLN401, MLN403) and no narrow ``~=`` (MLN404), with or without a lock: a lock records
      versions, it does not make the declaration a range. Exact pins there are not findings:
      those files feed an image or a CI job and act as its lock. An application's metadata
      covered by a lock gets the same, plus MLN402 for exact pins. The missing lock itself
      is structure's MLN109.
    """
    ctx = state.ctx
    profile = ctx.project.profile
    library_rules = ctx.options.bool("library-rules-in-applications")
    from mlnudge.project import is_showcase_path, is_test_path

    locked = manifest.path in state.covered
    # the environment of examples, docs and tests is not the product: only errors count there
    showcase = is_showcase_path(manifest.path) or is_test_path(manifest.path)
    for dep in manifest.deps:
        if dep.error is not None:
            if ctx.enabled(INVALID_REQUIREMENT.code):
                yield INVALID_REQUIREMENT.finding(
                    dep.path,
                    f"`{redact(dep.text)}` is not a valid requirement: {redact(dep.error)}",
                    line=dep.line,
                    end_line=dep.end_line,
                    anchor=f"invalid:{dep.path}:{redact(dep.text)}",
                    fix=_invalid_fix(dep),
                    details={"source": dep.source, "reason": redact(dep.error)},
                )
            continue
        if dep.url is not None:
            if not dep.local and ctx.enabled(UNPINNED_VCS.code):
                yield from unpinned_url(dep, state.ignore, ctx.options.str("vcs-ref"))
            elif machine_path(dep.url) and ctx.enabled(UNPINNED_VCS.code):
                yield machine_path_finding(dep)
            continue
        if dep.spec is None or not dep.name or dep.name in state.ignore or dep.name == "python":
            continue
        if dep.name in state.self_names or dep.role == "constraint":
            continue
        metadata = dep.role == "metadata"
        if showcase and not metadata:
            continue
        if not metadata and dep.name == "pip":
            continue  # the installer itself (`pip` under conda's `pip:`), not the code's need
        if metadata and (profile == "library" or library_rules or not locked):
            found: Iterable[Finding] = _library_policy(state, dep)
        elif metadata and bounds(dep.spec).exact is not None:
            found = (
                [_exact_pin(state, dep, bounds(dep.spec))] if ctx.enabled(EXACT_PIN.code) else []
            )
        else:  # any other declaration, a library's requirements files included
            found = _application_policy(state, dep)
        if dep.group is not None and docs_group(dep.group):
            # the documentation build's tools are installed on their own, for the docs job:
            # an exact pin there keeps the docs build reproducible and conflicts with nothing
            # the product installs (the corpus labellers called every one information)
            note = f" `{dep.group}` is the docs build's own extra: information only."
            found = (
                replace(f, severity=min(f.severity, Severity.INFO), message=f.message + note)
                for f in found
            )
        yield from found


def _invalid_fix(dep: Dep) -> str:
    if dep.name == "python":
        return (
            "Remove the line, and say the Python version where installers read it: "
            '`requires-python = ">=3.10"` in pyproject.toml, `.python-version`, or the '
            "image's base tag (`FROM python:3.10-slim`)."
        )
    if dep.source.startswith("[tool.poetry"):
        return 'Write a Poetry constraint, e.g. `pandas = "^2.1"` or `pandas = ">=2.1,<3"`.'
    if dep.conda:
        return "Write a conda match spec, e.g. `numpy>=1.26` or `numpy=1.26`."
    if dep.path.rsplit("/", 1)[-1] == "Pipfile":
        return 'Write a version specifier, e.g. `pandas = ">=2.1"` (or `"*"`).'
    if "=" in dep.text and not re.search(r"[=<>!~]=|===", dep.text):
        return "Use `==` for an exact version and `>=` for a lower bound (`pandas>=2.1`)."
    return "Correct the line to PEP 508 form, e.g. `scikit-learn>=1.3`."


def _spec_text(lower: str | None, others: Iterable[str], upper: str | None) -> str:
    parts = ([f">={lower}"] if lower else []) + list(others) + ([f"<{upper}"] if upper else [])
    return ",".join(parts)


def _cap_for(state: _State, lower: Version) -> str | None:
    if state.ctx.options.str("upper-cap") == "none":
        return None
    return str(next_major(lower))


def _short(version: str) -> str:
    """``1.26`` for 1.26.4: a lower bound for a library need not be the exact patch release."""
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except InvalidVersion:
        return version
    return ".".join(str(p) for p in release[:2])


def _unbounded(state: _State, dep: Dep, b: Bounds, *, library: bool) -> Finding:
    """MLN401: the fix is a lower bound, taken from the lock, a pin or the installed version."""
    from packaging.version import InvalidVersion, Version

    suggestion = None
    fix = (
        f"Add a lower bound of the version you use, e.g. `{dep.name}>=X.Y` "
        f"(`pip show {dep.name}` tells which one is installed)."
    )
    found = version_in_use(state, dep.name)
    real = PLACEHOLDER_DISTRIBUTIONS.get(dep.name)
    if real is not None:
        found, in_use = None, version_in_use(state, real)
        bound = _short(in_use[0]) if in_use else "X.Y"
        fix = (
            f"Declare `{real}>={bound}` instead: `{dep.name}` on PyPI is a placeholder for "
            f"{real} that pip refuses to install."
        )
    since = STDLIB_BACKPORTS.get(dep.name)
    if since is not None and not dep.marker:
        found = None
        fix = (
            f"Remove it: `{dep.name}` backports a standard library module that is part of "
            f"Python since {since} (or keep it for older Pythons only: `{dep.name}; "
            f'python_version < "{since}"`).'
        )
    if found is not None:
        version, where = found
        try:
            low = Version(_short(version))
        except InvalidVersion:
            low = None
        if low is not None and any(low.release):  # `>=0.0` bounds nothing
            cap = _cap_for(state, low) if library else None
            suggestion = dep.replaced(_spec_text(str(low), b.others, cap))
            fix = f"Add a lower bound: `{dep.name}>={low}` ({version} is {where})."
    if library:
        message = f"`{redact(dep.text)}` has no version bound; add the oldest version you support."
    else:
        message = (
            f"`{redact(dep.text)}` has no version bound: an install may pick any release of "
            f"{dep.name}, even one years older than your code."
        )
    return UNBOUNDED.finding(
        dep.path,
        message,
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"unbounded:{dep.path}:{dep.name}",
        suggestion=suggestion,
        fix=fix,
        details={"source": dep.source, "profile": "library" if library else "application"},
    )


def _exact_pin(state: _State, dep: Dep, b: Bounds) -> Finding:
    from packaging.version import Version

    assert b.exact is not None
    low = Version(b.exact)
    new = _spec_text(b.exact, [], _cap_for(state, low))
    if state.ctx.project.profile == "library":
        message = (
            f"`{redact(dep.text)}` is pinned to exactly {b.exact}; a library should declare a "
            "range (keep exact versions in a lock file)."
        )
        fix = f"Declare a range instead: `{dep.name}{new}`."
    else:
        message = (
            f"`{redact(dep.text)}` pins exactly {b.exact} in the package metadata; declare a "
            "range here and keep exact versions in the lock or the image."
        )
        fix = (
            f"Declare a range (`{dep.name}{new}`) and let the lock (`uv lock`, `poetry lock`, "
            "`pip-compile`) or the image pin the exact version."
        )
    return EXACT_PIN.finding(
        dep.path,
        message,
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"pin:{dep.path}:{dep.name}",
        suggestion=dep.replaced(new),
        fix=fix,
        details={"source": dep.source},
    )


def _library_policy(state: _State, dep: Dep) -> Iterator[Finding]:
    ctx = state.ctx
    assert dep.spec is not None
    b = bounds(dep.spec, ctx.options.int("compatible-release-parts"))
    anchor_tail = f"{dep.path}:{dep.name}"
    shown = redact(dep.text)
    reported = False
    if b.lower is None and b.upper is None:
        if ctx.enabled(UNBOUNDED.code):
            yield _unbounded(state, dep, b, library=True)
        reported = True
    elif b.exact is not None:
        if ctx.enabled(EXACT_PIN.code):
            yield _exact_pin(state, dep, b)
        reported = True
    elif b.lower is None:
        if ctx.enabled(UPPER_ONLY.code):
            yield _upper_only(state, dep, b)
        reported = True
    elif b.narrow_compatible is not None:
        if ctx.enabled(PATCH_COMPATIBLE.code):
            yield _patch_compatible(state, dep, b)
        reported = True
    policy = ctx.options.str("upper-cap")
    if reported or policy == "none" or not ctx.enabled(MISSING_UPPER_CAP.code):
        return
    assert b.lower is not None
    cap = next_major(b.lower)
    if b.upper is None or (policy == "major" and b.upper < cap):
        kept = list(b.others)
        lower_text = next((s.version for s in dep.spec if s.operator in (">=", "~=")), None)
        new = _spec_text(lower_text or str(b.lower), kept, str(cap))
        if any(s.operator == ">" for s in dep.spec):
            new = ",".join([f">{b.lower}", *kept, f"<{cap}"])
        why = (
            "has no upper cap"
            if b.upper is None
            else f"is capped below {b.upper}, tighter than the next major release {cap}"
        )
        yield MISSING_UPPER_CAP.finding(
            dep.path,
            f'`{shown}` {why}; the `upper-cap = "{policy}"` policy asks for `<{cap}`.',
            line=dep.line,
            end_line=dep.end_line,
            anchor=f"cap:{anchor_tail}",
            suggestion=dep.replaced(new),
            details={"source": dep.source, "policy": policy},
        )


def _patch_compatible(state: _State, dep: Dep, b: Bounds) -> Finding:
    from packaging.version import Version

    assert b.narrow_compatible is not None
    v = b.narrow_compatible.version
    new = _spec_text(v, b.others, _cap_for(state, Version(v)))
    minor = ".".join(v.split(".")[:-1])
    major = Version(v).release[0]
    return PATCH_COMPATIBLE.finding(
        dep.path,
        f"`{redact(dep.text)}` allows only {minor}.x patch releases; "
        f"`{dep.name}{new}` keeps the lower bound without blocking minor releases.",
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"compatible:{dep.path}:{dep.name}",
        fix=(
            f"Use `{dep.name}{new}` (or `{dep.name}~={minor}` if you really want to stay below "
            f"{major + 1})."
        ),
        suggestion=dep.replaced(new),
        details={"source": dep.source},
    )


def _upper_only(state: _State, dep: Dep, b: Bounds) -> Finding:
    from packaging.version import Version

    assert dep.spec is not None
    found = version_in_use(state, dep.name)
    suggestion = None
    uppers = [str(s) for s in dep.spec if s.operator in ("<", "<=")]
    fix = (
        f"Add the oldest version you support as a lower bound: "
        f"`{dep.name}>=X.Y,{','.join(uppers)}`."
    )
    if found and dep.spec.contains(found[0], prereleases=True):
        known = found[0]
        low = _short(known) if Version(_short(known)) <= Version(known) else known
        spec = ",".join([f">={low}", *b.others, *uppers])
        suggestion = dep.replaced(spec)
        fix = f"Add a lower bound: `{dep.name}{spec}` ({known} is {found[1]})."
    return UPPER_ONLY.finding(
        dep.path,
        f"`{redact(dep.text)}` has an upper bound but no lower bound; any old release still "
        "satisfies it.",
        line=dep.line,
        end_line=dep.end_line,
        anchor=f"upper-only:{dep.path}:{dep.name}",
        fix=fix,
        suggestion=suggestion,
        details={"source": dep.source},
    )


def _bounded_by_includes(collected: Collected) -> dict[str, frozenset[str]]:
    """Per manifest, the names that a lock it includes (``-r``/``-c`` of a ``pip freeze`` dump
    or a compiled file, at any depth) pins: pip installs the two together, so ``pytest`` in a
    dev file that includes a freeze dump pinning ``pytest==7.1.2`` gets that version. An
    included declaration's range does not count: the line itself still says nothing."""
    files = {m.path: m for m in (*collected.manifests, *collected.frozen)}
    locks = set(collected.compiled) | {m.path for m in collected.frozen}
    bounded = {
        path: frozenset(d.name for d in m.deps if d.name and d.spec and _bounded(d.spec))
        for path, m in files.items()
    }
    out: dict[str, frozenset[str]] = {}
    for path, manifest in files.items():
        seen: set[str] = set()
        todo = [i.target for i in manifest.includes]
        names: set[str] = set()
        while todo:
            target = todo.pop()
            if target in seen or target not in files:
                continue
            seen.add(target)
            if target in locks:
                names |= bounded[target]
            todo += [i.target for i in files[target].includes]
        if names:
            out[path] = frozenset(names)
    return out


def _bounded(spec: SpecifierSet) -> bool:
    b = bounds(spec)
    return b.lower is not None or b.upper is not None or b.exact is not None


def _application_policy(state: _State, dep: Dep) -> Iterator[Finding]:
    """An application's declaration outside its package metadata: every line needs at least a
    lower bound and no narrow ``~=``; exact pins are fine here (such a file feeds the image and
    acts as its lock)."""
    ctx = state.ctx
    assert dep.spec is not None
    b = bounds(dep.spec, ctx.options.int("compatible-release-parts"))
    if b.lower is None and b.upper is None and ctx.enabled(UNBOUNDED.code):
        if dep.name not in state.included.get(dep.path, ()):
            yield _unbounded(state, dep, b, library=False)
    elif b.lower is None and b.upper is not None and ctx.enabled(UPPER_ONLY.code):
        yield _upper_only(state, dep, b)
    elif b.exact is None and b.narrow_compatible is not None and ctx.enabled(PATCH_COMPATIBLE.code):
        yield _patch_compatible(state, dep, b)


# -- one problem, one finding ----------------------------------------------------------------

#: when several rules speak about the same line, the most useful one is reported (and the
#: others are mentioned in its message): certain errors first, then what breaks installs now
_PRIORITY = (
    "MLN409",
    "MLN412",
    "MLN407",
    "MLN405",
    "MLN406",
    "MLN402",
    "MLN408",
    "MLN401",
    "MLN403",
    "MLN404",
    "MLN413",
    "MLN411",
    "MLN410",
)


def one_per_line(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per dependency line: the most useful of the rules that fired about the same
    package on the same line (two packages on one line, or a credential, stay apart)."""
    rank = {code: i for i, code in enumerate(_PRIORITY)}
    by_line: dict[tuple[str, int, str], list[Finding]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.line is None:
            out.append(f)
        else:
            parts = f.anchor.split(":", 2)  # kind:path:subject...
            subject = parts[2].split(":", 1)[0] if len(parts) == 3 else f.anchor
            if parts[0] == "credential":
                subject = f.anchor
            by_line.setdefault((f.path, f.line, subject), []).append(f)
    summaries = {r.code: r.summary for r in RULES}
    for group in by_line.values():
        group.sort(key=lambda f: rank.get(f.rule, len(rank)))
        kept, others = group[0], group[1:]
        codes = list(dict.fromkeys(f.rule for f in others if f.rule != kept.rule))
        if codes:
            also = " ".join(f"Also: {summaries[c][0].lower()}{summaries[c][1:]}" for c in codes)
            kept = replace(
                kept,
                message=f"{kept.message} {also}",
                details={**kept.details, "also": ",".join(codes)},
            )
        out.append(kept)
    return out


# -- credentials -----------------------------------------------------------------------------


SPEC = FamilySpec(name="deps", rules=RULES, options=OPTIONS, check=check, file_facts=(PY_FACTS,))
