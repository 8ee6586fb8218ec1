"""What a check family receives and provides.

A family module exports ``SPEC = FamilySpec(...)``: its rules, its ``[tool.mlnudge.<family>]``
options and one ``check(ctx)`` function. ``ctx`` hands over parsed inputs (never file
handles) and a per-file result cache, so per-file analysis stays a pure function of the
file's content and the configuration.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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
    #: the per-file summaries the family reads; a cold run may compute them all up front, in
    #: parallel, so ``ctx.facts`` finds them ready
    file_facts: tuple[FileFacts, ...] = ()


@dataclass(frozen=True)
class FileFacts:
    """One kind of per-file summary a family reads instead of a syntax tree.

    ``compute(module)`` is a module-level function (so worker processes can run it) that
    returns JSON-serialisable data and depends on the file's content alone: never on the
    configuration or on other files, which the family applies when it reads the facts.
    ``version`` changes whenever the shape or meaning of what ``compute`` returns changes.
    """

    compute: Callable[[PyModule], Any]
    version: str
    suffixes: tuple[str, ...] = (".py",)

    @property
    def name(self) -> str:
        return f"{self.compute.__module__}.{self.compute.__qualname__}:{self.version}"


#: how much older than the store a file's modification time must be before its recorded
#: digest is trusted without reading it (a file written in the same instant as the store
#: could change again within the clock's resolution: git's "racy clean" problem)
RACY_NS = 2_000_000_000
STORE = "store.json"


@dataclass
class FileCache:
    """Per-file facts and findings, keyed by content, kept in one JSON store per directory.

    Facts are keyed by the file's path and content digest and mlnudge's version; findings
    also by ``salt`` (the configuration). A stat index (modification time, size, inode) gives
    the digest of an unchanged file without reading it. The store is read once, on first use,
    and written once by :meth:`save`.
    """

    directory: Path
    salt: str
    version: str = ""
    hits: int = 0
    misses: int = 0
    _entries: dict[str, Any] = field(default_factory=dict, repr=False)
    _stat: dict[str, list[Any]] = field(default_factory=dict, repr=False)
    _used: set[str] = field(default_factory=set, repr=False)
    _loaded: bool = field(default=False, repr=False)
    _dirty: bool = field(default=False, repr=False)

    # -- keys --------------------------------------------------------------------------------

    @staticmethod
    def make_key(*parts: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        for part in parts:
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def key(self, family: str, module: PyModule, extra: str) -> str:
        return self.make_key(self.salt, family, module.path, extra, module.source)

    def text_key(self, family: str, path: str, extra: str, source: str) -> str:
        """A key from a file's text alone (no parsing needed to look facts up)."""
        return self.make_key(self.salt, family, "facts", path, extra, source)

    def digest(self, repo: Repo, rel: str) -> str | None:
        """The content digest of ``rel``: from the stat index when the file is unchanged,
        else from its text (``None`` when it cannot be read)."""
        self._load()
        try:
            st = (repo.root / rel).stat()
        except OSError:
            st = None
        sig = [st.st_mtime_ns, st.st_size, st.st_ino] if st is not None else None
        known = self._stat.get(rel)
        if sig is not None and known is not None and known[:3] == sig:
            return str(known[3])
        text = repo.text(rel)
        if text is None:
            return None
        value = self.make_key(text)
        if sig is not None and time.time_ns() - sig[0] > RACY_NS:
            self._stat[rel] = [*sig, value]
            self._dirty = True
        return value

    # -- entries -----------------------------------------------------------------------------

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            raw = json.loads((self.directory / STORE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and raw.get("version") == self.version:
            entries, stat = raw.get("entries"), raw.get("stat")
            if isinstance(entries, dict) and isinstance(stat, dict):
                self._entries, self._stat = entries, stat

    def _get(self, key: str) -> Any:
        self._load()
        value = self._entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self._used.add(key)
        return value

    def _put(self, key: str, value: Any) -> None:
        self._load()
        self._entries[key] = value
        self._used.add(key)
        self._dirty = True

    def get(self, key: str) -> list[Finding] | None:
        raw = self._get(key)
        if raw is None:
            return None
        try:
            return [_finding_from_cache(item) for item in raw]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        self._put(key, [_finding_to_cache(f) for f in findings])

    def get_facts(self, key: str) -> Any:
        """A per-file summary stored with :meth:`put_facts`, or ``None``."""
        return self._get(key)

    def put_facts(self, key: str, facts: Any) -> None:
        """Store a JSON-serialisable per-file summary (facts, not findings)."""
        self._put(key, facts)

    def save(self, *, prune: bool) -> None:
        """Write the store if anything changed; ``prune`` drops what this run did not use
        (only after a run over the whole tree, which used everything still current)."""
        if not self._dirty and not (prune and len(self._used) < len(self._entries)):
            return
        entries = self._entries
        if prune:
            entries = {k: v for k, v in entries.items() if k in self._used}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# created by mlnudge\n*\n", encoding="utf-8")
            data = {"version": self.version, "stat": self._stat, "entries": entries}
            tmp = self.directory / f"{STORE}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            tmp.replace(self.directory / STORE)
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

    def digest(self, path: str) -> str | None:
        """The content digest of ``path`` (an unchanged file is not read); ``None`` without a
        cache or when the file cannot be read."""
        return None if self.cache is None else self.cache.digest(self.repo, path)

    def facts(self, path: str, kind: FileFacts) -> Any:
        """``kind.compute(parsed module)`` for ``path``, served from the cache by the file's
        content digest (the file is neither read nor parsed on a hit); ``None`` when the file
        cannot be read or parsed. The read and syntax errors met while computing are stored
        with the facts and reported again on every hit, so a cached run reports them too."""
        key = None
        if self.cache is not None:
            digest = self.cache.digest(self.repo, path)
            if digest is None:
                return None
            key = self.cache.make_key(self.cache.version, "facts", kind.name, path, digest)
            cached = self.cache.get_facts(key)
            if isinstance(cached, dict) and "v" in cached:
                for kind_, message, line in cached.get("e", ()):
                    self.repo.error(path, kind_, message, line)
                return cached["v"]
        module = self.repo.python(path)
        value = None
        if module is not None:
            try:
                value = kind.compute(module)
            except Exception as exc:  # one file's bug loses that file's facts only
                self.repo.errors.append(internal_error(path, self.family, exc))
                return None
        if self.cache is not None and key is not None:
            errors = _read_errors(self.repo, path)
            self.cache.put_facts(key, {"v": value, "e": errors})
        return value

    def file_findings(
        self, path: str, compute: Callable[[PyModule], list[Finding]], extra: str = ""
    ) -> list[Finding]:
        """``compute(parsed module)``: one file's findings, served from the cache by the
        file's content digest, the configuration and ``extra`` (which must capture every
        repository-level fact ``compute`` depends on); the file is parsed only on a miss."""
        key = None
        if self.cache is not None:
            digest = self.cache.digest(self.repo, path)
            if digest is None:
                return []
            key = self.cache.make_key(self.cache.salt, self.family, "findings", path, extra, digest)
            cached = self.cache.get_facts(key)
            if isinstance(cached, dict) and "f" in cached:
                try:
                    for kind_, message, line in cached.get("e", ()):
                        self.repo.error(path, kind_, message, line)
                    return [_finding_from_cache(item) for item in cached["f"]]
                except (KeyError, TypeError, ValueError):
                    pass
        module = self.repo.python(path)
        if module is None:
            found: list[Finding] = []
        else:
            try:
                found = compute(module)
            except Exception as exc:  # one file's bug loses that file's findings only
                self.repo.errors.append(internal_error(path, self.family, exc))
                return []
        if self.cache is not None and key is not None:
            errors = _read_errors(self.repo, path)
            self.cache.put_facts(key, {"f": [_finding_to_cache(f) for f in found], "e": errors})
        return found

    def isolated(self, path: str, rule: str, compute: Callable[[], T], fallback: T) -> T:
        """``compute()``, or ``fallback`` with an ``internal`` error when it raises."""
        try:
            return compute()
        except Exception as exc:
            self.repo.errors.append(internal_error(path, rule, exc))
            return fallback


def _read_errors(repo: Repo, path: str) -> list[list[Any]]:
    """What reading and parsing ``path`` reported, to store beside its facts."""
    return [
        [e.kind, e.message, e.line] for e in repo.errors if e.path == path and e.kind != "internal"
    ]


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
