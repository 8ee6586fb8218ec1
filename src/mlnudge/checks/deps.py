"""Family 4 (MLN4xx): dependencies declared as version ranges.

Reads requirements files and ``[project]`` metadata; requirements are parsed with
``packaging`` (PEP 508), never with hand-written regexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.config import Option
from mlnudge.finding import Finding, Severity
from mlnudge.rules import Rule

UNBOUNDED = Rule(
    code="MLN401",
    name="unbounded-dependency",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="A dependency is declared without any version bound.",
    why=(
        "Without a lower bound, an install can pick a years-old release your code never ran "
        "with; the next person's environment quietly differs from yours."
    ),
    fix="Add a lower bound of the version you use, e.g. `pandas>=2.1`.",
    example="pandas",
    use_instead="pandas>=2.1",
)
EXACT_PIN = Rule(
    code="MLN402",
    name="exact-pin",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="A dependency is pinned to one exact version in declared requirements.",
    why=(
        "An exact pin makes this package impossible to install next to anything that needs "
        "another patch release; keep ranges in declarations and exact versions in a lock file."
    ),
    fix="Replace `==` with a range (`numpy>=1.26.4`) and keep exact versions in a lock file.",
    example="numpy==1.26.4",
    use_instead="numpy>=1.26.4",
)
INVALID_REQUIREMENT = Rule(
    code="MLN412",
    name="invalid-requirement",
    family="deps",
    severity=Severity.ERROR,
    scope="repo",
    summary="A requirement line cannot be parsed.",
    why="pip will refuse the whole file, so nobody can install the project from it.",
    fix="Correct the line to PEP 508 form, e.g. `scikit-learn>=1.3`.",
    example="scikit-learn>=>1.3",
    use_instead="scikit-learn>=1.3",
)

RULES = (UNBOUNDED, EXACT_PIN, INVALID_REQUIREMENT)

OPTIONS: tuple[Option, ...] = ()

_REQ_FILE_RE = re.compile(r"(^|/)requirements[^/]*\.(txt|in)$")


@dataclass(frozen=True)
class Declared:
    path: str
    line: int | None
    text: str


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(*(r.code for r in RULES)):
        return
    from packaging.requirements import InvalidRequirement, Requirement

    for declared in _declarations(ctx):
        try:
            req = Requirement(declared.text)
        except InvalidRequirement as exc:
            yield INVALID_REQUIREMENT.finding(
                declared.path,
                f"`{declared.text}` is not a valid requirement: {exc}",
                line=declared.line,
                anchor=f"invalid:{declared.text}",
            )
            continue
        if req.url:
            continue
        specs = list(req.specifier)
        name = req.name
        if not specs:
            yield UNBOUNDED.finding(
                declared.path,
                f"`{name}` has no version bound.",
                line=declared.line,
                anchor=f"unbounded:{name}",
                fix=f"Add a lower bound of the version you use, e.g. `{name}>=X.Y`.",
            )
        elif len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            version = specs[0].version
            fixed = re.sub(
                r"\s*===?\s*" + re.escape(version), f">={version}", declared.text, count=1
            )
            yield EXACT_PIN.finding(
                declared.path,
                f"`{name}` is pinned to exactly {version}; declare a range instead.",
                line=declared.line,
                anchor=f"pin:{name}",
                suggestion=fixed,
            )


def _declarations(ctx: CheckContext) -> Iterator[Declared]:
    repo = ctx.repo
    for path in repo.files:
        if _REQ_FILE_RE.search(path):
            text = repo.text(path)
            if text is not None:
                yield from _requirements_lines(path, text)
    if "pyproject.toml" in repo.files:
        data = repo.toml("pyproject.toml")
        text = repo.text("pyproject.toml") or ""
        project = data.get("project") if data else None
        if isinstance(project, dict):
            deps = project.get("dependencies", [])
            for item in deps if isinstance(deps, list) else []:
                if isinstance(item, str):
                    yield Declared("pyproject.toml", _line_of(text, item), item)


def _requirements_lines(path: str, text: str) -> Iterator[Declared]:
    start = 0
    buffer = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        line = raw
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        line = (buffer + line).split(" #", 1)[0].strip()
        buffer = ""
        if not line or line.startswith("#") or line.startswith("-"):
            continue  # options (-r, -c, -e, --index-url, ...) are not version declarations
        if "--hash" in line:
            line = line.split("--hash", 1)[0].strip()
        if line.startswith(("http://", "https://", "git+", "file:", ".", "/")):
            continue
        yield Declared(path, start, line)


def _line_of(text: str, item: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if f'"{item}"' in line or f"'{item}'" in line:
            return number
    return None


SPEC = FamilySpec(name="deps", rules=RULES, options=OPTIONS, check=check)
