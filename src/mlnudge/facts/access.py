"""Per-file facts: what the rules need from a file, computed once per content and cached.

A family never walks the syntax trees of the whole repository on every run: it declares
:class:`FileFacts` kinds (one pass over one file, JSON-serialisable output that depends on the
file's content alone) and builds its repository-level analysis from them. :class:`Facts` hands
them out, from the cache when the file's content digest was seen before; an unchanged file is
then neither read nor parsed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlnudge.facts.repo import PyModule, Repo
from mlnudge.facts.store import FileCache, finding_from_cache, finding_to_cache
from mlnudge.finding import Finding
from mlnudge.isolation import internal_error


@dataclass(frozen=True)
class FileFacts:
    """One kind of per-file summary a family reads instead of a syntax tree.

    ``compute`` is a module-level function (so worker processes can run it) that returns
    JSON-serialisable data and depends on the file's content alone: never on the
    configuration or on other files, which the family applies when it reads the facts. It
    receives the parsed :class:`PyModule`, or with ``text=True`` the file's decoded text (no
    parse: for facts a regular expression finds). ``version`` changes whenever the shape or
    meaning of what ``compute`` returns changes.
    """

    compute: Callable[[Any], Any]
    version: str
    suffixes: tuple[str, ...] = (".py",)
    text: bool = False

    @property
    def name(self) -> str:
        return f"{self.compute.__module__}.{self.compute.__qualname__}:{self.version}"


@dataclass(frozen=True)
class Facts:
    """The repository's per-file facts and findings, through the cache when there is one."""

    repo: Repo
    cache: FileCache | None

    def digest(self, path: str) -> str | None:
        """The content digest of ``path`` (an unchanged file is not read); ``None`` without a
        cache or when the file cannot be read."""
        return None if self.cache is None else self.cache.digest(self.repo, path)

    def facts_key(self, kind: FileFacts, path: str, digest: str) -> str:
        """Where the facts of ``kind`` for ``path`` with content ``digest`` are cached."""
        assert self.cache is not None
        return self.cache.make_key(self.cache.version, "facts", kind.name, path, digest)

    def get(self, path: str, kind: FileFacts, family: str = "engine") -> Any:
        """``kind.compute(...)`` for ``path``, served from the cache by the file's content
        digest (the file is neither read nor parsed on a hit); ``None`` when the file cannot
        be read or parsed. The read and syntax errors met while computing are stored with the
        facts and reported again on every hit, so a cached run reports what a cold one does."""
        key = None
        if self.cache is not None:
            digest = self.cache.digest(self.repo, path)
            if digest is None:
                return None
            key = self.facts_key(kind, path, digest)
            cached = self.cache.get_facts(key)
            if isinstance(cached, dict) and "v" in cached:
                self._replay(path, cached)
                return cached["v"]
        source: Any = self.repo.text(path) if kind.text else self.repo.python(path)
        value = None
        if source is not None:
            try:
                value = kind.compute(source)
            except Exception as exc:  # one file's bug loses that file's facts only
                self.repo.errors.append(internal_error(path, family, exc))
                return None
        if self.cache is not None and key is not None:
            self.cache.put_facts(key, {"v": value, "e": self._errors(path)})
        return value

    def fingerprint(self, path: str, kind: FileFacts, family: str = "engine") -> str:
        """A digest of the *facts* of ``path`` (not of its content): a result computed from
        several files' facts can be keyed by these, so an edit that changes no fact (a
        comment, a docstring, a literal no fact records) reuses it. Cached apart from the
        facts, so that reading it does not decode them."""
        if self.cache is None:
            return _hash(self.get(path, kind, family))
        digest = self.cache.digest(self.repo, path)
        if digest is None:
            return ""
        key = self.facts_key(kind, path, digest)
        where = self.cache.make_key(key, "fingerprint")
        found = self.cache.get_facts(where)
        if isinstance(found, str) and self.cache.has(key):
            return found
        found = _hash(self.get(path, kind, family))
        self.cache.put_facts(where, found)
        return found

    def findings(
        self,
        path: str,
        family: str,
        compute: Callable[[PyModule], list[Finding]],
        extra: str = "",
    ) -> list[Finding]:
        """``compute(parsed module)``: one file's findings, served from the cache by the
        file's content digest, the configuration and ``extra`` (which must capture every
        repository-level fact ``compute`` depends on); the file is parsed only on a miss."""
        key = self.findings_key(path, family, extra)
        if key == "":
            return []
        if key is not None:
            cached = self.cached_findings(path, key)
            if cached is not None:
                return cached
        module = self.repo.python(path)
        found = []
        if module is not None:
            try:
                found = compute(module)
            except Exception as exc:  # one file's bug loses that file's findings only
                self.repo.errors.append(internal_error(path, family, exc))
                return []
        if self.cache is not None and key is not None:
            entry = {"f": [finding_to_cache(f) for f in found], "e": self._errors(path)}
            self.cache.put_facts(key, entry)
        return found

    def findings_key(self, path: str, family: str, extra: str) -> str | None:
        """Where one file's findings are cached (``None``: no cache; ``""``: unreadable)."""
        if self.cache is None:
            return None
        digest = self.cache.digest(self.repo, path)
        if digest is None:
            return ""
        return self.cache.make_key(self.cache.salt, family, "findings", path, extra, digest)

    def cached_findings(self, path: str, key: str) -> list[Finding] | None:
        """The findings cached under ``key`` (their read errors reported again), or ``None``."""
        assert self.cache is not None
        cached = self.cache.get_facts(key)
        if not (isinstance(cached, dict) and "f" in cached):
            return None
        try:
            found = [finding_from_cache(item) for item in cached["f"]]
        except (KeyError, TypeError, ValueError):
            return None
        self._replay(path, cached)
        return found

    def checked(self, path: str, what: str, check: Callable[[], object]) -> None:
        """Run ``check()`` (which reads ``path`` and reports its problems to the repo) once per
        content: on a hit its errors are reported again without reading the file."""
        key = None
        if self.cache is not None:
            digest = self.cache.digest(self.repo, path)
            if digest is None:
                return
            key = self.cache.make_key(self.cache.version, "checked", what, path, digest)
            cached = self.cache.get_facts(key)
            if isinstance(cached, dict) and "e" in cached:
                self._replay(path, cached)
                return
        check()
        if self.cache is not None and key is not None:
            self.cache.put_facts(key, {"e": self._errors(path)})

    def _errors(self, path: str) -> list[list[Any]]:
        """What reading and parsing ``path`` reported, to store beside its facts."""
        return [
            [e.kind, e.message, e.line]
            for e in self.repo.errors
            if e.path == path and e.kind != "internal"
        ]

    def _replay(self, path: str, cached: dict[str, Any]) -> None:
        for kind, message, line in cached.get("e", ()):
            self.repo.error(path, kind, message, line)


def _hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
