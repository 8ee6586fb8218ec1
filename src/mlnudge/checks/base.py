"""What a check family receives and provides.

A family module exports ``SPEC = FamilySpec(...)``: its rules, its ``[tool.mlnudge.<family>]``
options and one ``check(ctx)`` function. ``ctx`` hands over parsed inputs (never file
handles) and a per-file result cache, so per-file analysis stays a pure function of the
file's content and the configuration.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import PyModule, Repo
from mlnudge.facts.store import FileCache
from mlnudge.finding import Family, Finding
from mlnudge.isolation import internal_error
from mlnudge.rules import Rule
from mlnudge.settings import Config, Option, Options

if TYPE_CHECKING:
    from mlnudge.project import Project

T = TypeVar("T")


@dataclass(frozen=True)
class FamilySpec:
    name: Family
    rules: tuple[Rule, ...]
    options: tuple[Option, ...]
    check: Callable[[CheckContext], Iterable[Finding]]
    #: the per-file summaries the family reads; a cold run may compute them all up front, in
    #: parallel, so ``ctx.facts`` finds them ready
    file_facts: tuple[FileFacts, ...] = ()


@dataclass
class CheckContext:
    """Everything a family's ``check`` may look at."""

    repo: Repo
    config: Config
    options: Options
    family: Family
    project: Project
    #: the files the run focuses on (pre-commit's changed files); ``None`` means the whole repo
    targets: tuple[str, ...] | None = None
    cache: FileCache | None = None
    notes: list[str] = field(default_factory=list)

    def enabled(self, code: str) -> bool:
        return self.config.enabled(code)

    def any_enabled(self, *codes: str) -> bool:
        return any(self.config.enabled(code) for code in codes)

    def target_files(self, *suffixes: str) -> list[str]:
        """Files with one of ``suffixes`` the run focuses on (all in the repo when no targets)."""
        pool = self.repo.files if self.targets is None else self.targets
        return [f for f in pool if f.endswith(suffixes)]

    @functools.cached_property
    def store(self) -> Facts:
        """Per-file facts and findings of the repository, cached by content."""
        return Facts(self.repo, self.cache)

    def digest(self, path: str) -> str | None:
        """The content digest of ``path`` (an unchanged file is not read); ``None`` without a
        cache or when the file cannot be read."""
        return self.store.digest(path)

    def facts(self, path: str, kind: FileFacts) -> Any:
        """``kind.compute(parsed module)`` for ``path``: see :meth:`Facts.get`."""
        return self.store.get(path, kind, self.family)

    def file_findings(
        self, path: str, compute: Callable[[PyModule], list[Finding]], extra: str = ""
    ) -> list[Finding]:
        """One file's findings, cached by content and configuration: see :meth:`Facts.findings`."""
        return self.store.findings(path, self.family, compute, extra)

    def isolated(self, path: str, rule: str, compute: Callable[[], T], fallback: T) -> T:
        """``compute()``, or ``fallback`` with an ``internal`` error when it raises."""
        try:
            return compute()
        except Exception as exc:
            self.repo.errors.append(internal_error(path, rule, exc))
            return fallback


def in_cell(module: PyModule, finding: Finding) -> Finding:
    """Map a finding on a notebook's concatenated source back to its cell and line in the cell."""
    from dataclasses import replace

    if finding.line is None:
        return finding
    where = module.cell_of(finding.line)
    if where is None:
        return finding
    cell, line = where
    end = module.cell_of(finding.end_line) if finding.end_line else None
    return replace(
        finding,
        line=line,
        end_line=end[1] if end and end[0] == cell else line,
        cell=cell,
        message=f"cell {cell}, line {line}: {finding.message}",
    )
