"""The cache: per-file facts and findings keyed by content, in one JSON store per directory."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlnudge.facts.repo import Repo
from mlnudge.finding import Finding, Severity

#: how much older than the store a file's modification time must be before its recorded
#: digest is trusted without reading it (a file written in the same instant as the store
#: could change again within the clock's resolution: git's "racy clean" problem)
RACY_NS = 2_000_000_000
STORE = "store.json"
#: the stat index lives apart: a touched file changes it without rewriting the facts
STAT = "stat.json"
#: what a run over part of the tree (a hook run) adds, appended one entry per line, so a hook
#: run does not rewrite the whole store; the next whole run folds it in
JOURNAL = "journal.jsonl"
#: more new entries than this and the store is rewritten whatever the run
JOURNAL_MAX = 2000
#: a journal this long is folded into the store by the next run that writes anything
JOURNAL_BYTES = 16 << 20


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
    #: ``False``: kept in memory for one run (``--no-cache``), never read from or written to disk
    persistent: bool = True
    #: every entry as JSON text, decoded on each use and never kept decoded: a hook run uses a
    #: fraction of a large store, and parsing the text of what it does not use is most of its
    #: reading time; a repository's decoded facts take several times the memory of their
    #: text (diffusers: 57 MB of text, about 270 MiB decoded), and each family lets go of
    #: what it decoded once its analysis is done. Workers hand their facts over as text.
    _raw: dict[str, str] = field(default_factory=dict, repr=False)
    _stat: dict[str, list[Any]] = field(default_factory=dict, repr=False)
    _used: set[str] = field(default_factory=set, repr=False)
    _loaded: bool = field(default=False, repr=False)
    _dirty: bool = field(default=False, repr=False)
    _stat_dirty: bool = field(default=False, repr=False)
    #: this run's digests: each file is looked at once however many kinds ask
    _seen: dict[str, str | None] = field(default_factory=dict, repr=False)
    #: this run's new entries (JSON text), for the journal
    _new: dict[str, str] = field(default_factory=dict, repr=False)

    # -- keys --------------------------------------------------------------------------------

    @staticmethod
    def make_key(*parts: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        for part in parts:
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def digest(self, repo: Repo, rel: str) -> str | None:
        """The content digest of ``rel``: from the stat index when the file is unchanged,
        else from its text (``None`` when it cannot be read)."""
        if rel in self._seen:
            return self._seen[rel]
        self._seen[rel] = value = self._digest(repo, rel)
        return value

    def _digest(self, repo: Repo, rel: str) -> str | None:
        self._load()
        try:
            st = (repo.root / rel).stat()
        except OSError:
            st = None
        sig = [st.st_mtime_ns, st.st_size, st.st_ino] if st is not None else None
        known = self._stat.get(rel)
        if sig is not None and known is not None and known[:3] == sig:
            return str(known[3])
        value = repo.digests.get(rel)
        if value is None:
            # bytes, not text: an undecodable file has a digest too
            if repo.peek(rel) is None:
                return None
            value = repo.digests[rel]
        if sig is not None and time.time_ns() - sig[0] > RACY_NS:
            self._stat[rel] = [*sig, value]
            self._stat_dirty = True
        return value

    # -- entries -----------------------------------------------------------------------------

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.persistent:
            return
        # each part stands on its own: entries are keyed by content digests, and the stat
        # index only spares reading a file to compute its digest
        stored = self._read(STORE, "entries") or {}
        self._raw = {k: v for k, v in stored.items() if isinstance(v, str)}
        for key, value in self._journal().items():
            self._raw[key] = encode(value)
        self._stat = self._read(STAT, "stat") or {}

    def _journal(self) -> dict[str, Any]:
        """The entries appended since the store was last written (a torn last line, from a
        run that was killed while appending, is ignored)."""
        found: dict[str, Any] = {}
        try:
            with open(self.directory / JOURNAL, encoding="utf-8") as handle:
                for line in handle:
                    try:
                        item = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(item, list) and len(item) == 3 and item[0] == self.version:
                        found[str(item[1])] = item[2]
        except OSError:
            pass
        return found

    def _read(self, name: str, part: str) -> dict[str, Any] | None:
        try:
            raw = json.loads((self.directory / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(raw, dict) and raw.get("version") == self.version:
            value = raw.get(part)
            if isinstance(value, dict):
                return value
        return None

    def _get(self, key: str) -> Any:
        self._load()
        text = self._raw.get(key)
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            del self._raw[key]  # a damaged entry is a miss
            return None
        if value is not None:
            self._used.add(key)
        return value

    def _put(self, key: str, text: str) -> None:
        self._load()
        self._raw[key] = text
        self._new[key] = text
        self._used.add(key)
        self._dirty = True

    def has(self, key: str) -> bool:
        """Whether ``key`` is stored; a key asked about counts as used (kept by pruning)."""
        self._load()
        if key in self._raw:
            self._used.add(key)
            return True
        return False

    def get_facts(self, key: str) -> Any:
        """A per-file summary stored with :meth:`put_facts`, or ``None``."""
        return self._get(key)

    def put_facts(self, key: str, facts: Any) -> None:
        """Store a JSON-serialisable per-file summary (facts, not findings)."""
        self._put(key, encode(facts))

    def put_encoded(self, key: str, text: str) -> None:
        """:meth:`put_facts` of what is already JSON text (as workers hand facts over)."""
        self._put(key, text)

    def save(self, *, prune: bool) -> None:
        """Write what changed: a whole run (``prune``) rewrites the store without what it did
        not use (it used everything still current) and folds the journal in; another run
        appends its new entries to the journal."""
        if not self.persistent:
            return
        pruning = prune and len(self._used) < len(self._raw)
        journal = self.directory / JOURNAL
        try:
            if self._dirty and not prune and self._journal_fits(journal):
                self._ensure_directory()
                with open(journal, "a", encoding="utf-8") as handle:
                    handle.write(
                        "".join(
                            f"[{encode(self.version)},{encode(k)},{text}]\n"
                            for k, text in self._new.items()
                        )
                    )
                self._dirty = False
            elif self._dirty or pruning or (prune and journal.exists()):
                # each entry as JSON text: a later run decodes only what it uses
                entries = self._raw
                if pruning:
                    entries = {k: v for k, v in entries.items() if k in self._used}
                self._write(STORE, "entries", entries)
                journal.unlink(missing_ok=True)
            if self._stat_dirty:
                self._write(STAT, "stat", self._stat)
        except OSError:
            pass  # a cache that cannot be written is no reason to fail a run

    def _journal_fits(self, journal: Path) -> bool:
        if len(self._new) > JOURNAL_MAX:
            return False
        try:
            return journal.stat().st_size < JOURNAL_BYTES
        except OSError:
            return True

    def _ensure_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# created by mlnudge\n*\n", encoding="utf-8")

    def _write(self, name: str, part: str, items: dict[str, Any]) -> None:
        """Write ``{"version": ..., part: items}`` atomically, one item at a time
        (the store's text is tens of megabytes on a large repository: encoded whole, it
        would be held two or three times over at the end of the run)."""
        self._ensure_directory()
        tmp = self.directory / f"{name}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(f'{{"version":{encode(self.version)},{encode(part)}:{{')
            for index, (key, value) in enumerate(items.items()):
                handle.write(f"{',' if index else ''}{encode(key)}:{encode(value)}")
            handle.write("}}")
        tmp.replace(self.directory / name)


def encode(value: Any) -> str:
    """``value`` as the compact JSON text the store keeps."""
    return json.dumps(value, separators=(",", ":"))


def finding_to_cache(f: Finding) -> dict[str, Any]:
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


def finding_from_cache(raw: dict[str, Any]) -> Finding:
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
