"""What the structure items share: the assessment's inputs, computed once (:class:`StructureFacts`),
each item's result (:class:`Item`) and the wording helpers of their messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mlnudge.checks.structure.layouts import Layout
from mlnudge.facts.access import Facts
from mlnudge.facts.repo import Repo
from mlnudge.finding import Detail, Finding
from mlnudge.project import Project
from mlnudge.settings import Config, Options


@dataclass(frozen=True)
class Item:
    """One structure item: whether it is present, and the findings when it is not."""

    name: str
    present: bool
    findings: tuple[Finding, ...] = ()


@dataclass
class StructureFacts:
    """What the rules share, computed once per assessment."""

    repo: Repo
    project: Project
    config: Config
    options: Options
    layout: Layout
    py_files: list[str]
    production: list[str]
    notebooks: list[str]
    declarations: list[str]
    locks: tuple[str, ...]
    #: the per-file facts (cached by content): the assessment reads no Python file itself
    store: Facts
    #: the project's packages that are importable as packages (not folders of scripts)
    packages: tuple[str, ...] = ()
    #: top-level folders without ``__init__.py`` imported by their name: the package of a
    #: project that has no regular one (:func:`namespace_roots`)
    namespace: tuple[str, ...] = ()
    #: folders holding packages but run as scripts (``python src/main.py``)
    scripts: tuple[str, ...] = ()
    details: dict[str, Detail] = field(default_factory=dict)


def count(n: int, noun: str) -> str:
    """``1 Python file``, ``3 Python files``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def listing(paths: Sequence[str], limit: int = 3) -> str:
    r"""``\`a\`, \`b\`, \`c\` and 2 more``."""
    shown = ", ".join(f"`{p}`" for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")
