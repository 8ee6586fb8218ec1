"""What a check family receives and provides.

A family module exports ``SPEC = FamilySpec(...)``: its rules, its ``[tool.mlnudge.<family>]``
options and one ``check(ctx)`` function. ``ctx`` hands over parsed inputs (never file
handles) and a per-file result cache, so per-file analysis stays a pure function of the
file's content and the configuration.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from mlnudge.config import Config, Option, Options
from mlnudge.finding import Family, Finding, Severity
from mlnudge.isolation import internal_error
from mlnudge.repo import PyModule, Repo
from mlnudge.rules import Rule

if TYPE_CHECKING:
    from mlnudge.project import Project

T = TypeVar("T")


@dataclass(frozen=True)
class FamilySpec:
    name: Family
    rules: tuple[Rule, ...]
    options: tuple[Option, ...]
    check: Callable[[CheckContext], Iterable[Finding]]


@dataclass
class FileCache:
    """Per-file results keyed by content, configuration and mlnudge version, stored as JSON."""

    directory: Path
    salt: str
    hits: int = 0
    misses: int = 0

    def key(self, family: str, module: PyModule, extra: str) -> str:
        h = hashlib.sha256()
        for part in (self.salt, family, module.path, extra, module.source):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> list[Finding] | None:
        path = self.directory / key[:2] / f"{key}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            found = [_finding_from_cache(item) for item in raw]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        self._write(
            self.directory / key[:2] / f"{key}.json", [_finding_to_cache(f) for f in findings]
        )

    def text_key(self, family: str, path: str, extra: str, source: str) -> str:
        """A key from a file's text alone (no parsing needed to look facts up)."""
        h = hashlib.sha256()
        for part in (self.salt, family, "facts", path, extra, source):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get_facts(self, key: str) -> Any:
        """A per-file summary stored with :meth:`put_facts`, or ``None``."""
        path = self.directory / key[:2] / f"{key}.facts"
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put_facts(self, key: str, facts: Any) -> None:
        """Store a JSON-serialisable per-file summary (facts, not findings), as ``.facts``."""
        self._write(self.directory / key[:2] / f"{key}.facts", facts)

    def _write(self, path: Path, value: Any) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# created by mlnudge\n*\n", encoding="utf-8")
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(value), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written is no reason to fail a run


def _finding_to_cache(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "path": f.path,
        "message": f.message,
        "severity": f.severity.label,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "suggestion": f.suggestion,
        "fix": f.fix,
        "anchor": f.anchor,
        "cell": f.cell,
        "details": dict(f.details),
    }


def _finding_from_cache(raw: dict[str, Any]) -> Finding:
    return Finding(
        rule=raw["rule"],
        path=raw["path"],
        message=raw["message"],
        severity=Severity.parse(raw["severity"]),
        line=raw["line"],
        column=raw["column"],
        end_line=raw["end_line"],
        end_column=raw["end_column"],
        suggestion=raw["suggestion"],
        fix=raw["fix"],
        anchor=raw["anchor"],
        cell=raw["cell"],
        details=raw["details"],
    )


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

    def per_file(
        self,
        module: PyModule,
        compute: Callable[[PyModule], list[Finding]],
        extra: str = "",
    ) -> list[Finding]:
        """``compute(module)``, served from the cache when the same content was seen before.

        ``extra`` must capture every repository-level fact ``compute`` depends on.
        """
        key = None
        if self.cache is not None:
            key = self.cache.key(self.family, module, extra)
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        try:
            found = compute(module)
        except Exception as exc:  # one file's bug loses that file's findings only
            self.repo.errors.append(internal_error(module.path, self.family, exc))
            return []
        if self.cache is not None and key is not None:
            self.cache.put(key, found)
        return found

    def facts(self, path: str, compute: Callable[[PyModule], T], extra: str = "") -> T | None:
        """``compute(parsed module)``, a JSON-serialisable per-file summary, served from the
        cache by the file's text (the file is parsed only on a miss); ``None`` when the file
        cannot be read or parsed (the repo records why)."""
        text = self.repo.text(path)
        if text is None:
            return None
        key = None
        if self.cache is not None:
            key = self.cache.text_key(self.family, path, extra, text)
            cached = self.cache.get_facts(key)
            if cached is not None:
                return cast(T, cached)
        module = self.repo.python(path)
        if module is None:
            return None
        try:
            value = compute(module)
        except Exception as exc:  # one file's bug loses that file's facts only
            self.repo.errors.append(internal_error(path, self.family, exc))
            return None
        if self.cache is not None and key is not None:
            self.cache.put_facts(key, value)
        return value

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
