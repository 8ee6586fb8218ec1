"""Findings, severities and read errors: the plain data every part of mlnudge passes around.

A finding is immutable. Its ``fingerprint`` is derived from the rule, the path and an
``anchor`` (the offending construct as text, never its line number), so it survives line
shifts and unrelated edits; baselines and the PR bot rely on that.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Family = Literal["structure", "params", "transforms", "deps"]
FAMILIES: tuple[Family, ...] = ("structure", "params", "transforms", "deps")
FAMILY_BY_DIGIT: dict[str, Family] = {
    "1": "structure",
    "2": "params",
    "3": "transforms",
    "4": "deps",
}

ErrorKind = Literal["unreadable", "syntax", "encoding", "config", "too-large", "internal", "other"]
#: where a finding's path sits: exploration (notebooks/**, scratch/**, ...) or production code
Stage = Literal["exploration", "production"]

Detail = str | int | float | bool | None


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``ERROR > WARNING > INFO``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r}; use one of error, warning, info"
            ) from None


def family_of(code: str) -> Family:
    """The family a rule code belongs to, from its first digit (``MLN2xx`` -> params)."""
    return FAMILY_BY_DIGIT[code[3]]


@dataclass(frozen=True)
class Waiver:
    """A configured or inline ignore that matched a finding: why, and until when."""

    reason: str
    #: ISO date after which the waiver no longer waives; ``None``: it never expires
    expires: str | None = None
    #: the date has passed: the finding is reported again, and says so
    expired: bool = False


@dataclass(frozen=True)
class Finding:
    """One nudge: what was found, where, and (optionally) the replacement text that fixes it."""

    rule: str
    path: str
    message: str
    severity: Severity
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    #: replacement for lines ``line..end_line`` where an automatic fix exists
    suggestion: str | None = None
    #: a finding-specific fix text; the rule's generic fix is used when ``None``
    fix: str | None = None
    #: what identifies the offending construct independent of its line
    #: (e.g. ``"hp:train:RandomForestClassifier.n_estimators"``)
    anchor: str = ""
    #: for notebooks: the 1-based code-cell number the line belongs to
    cell: int | None = None
    #: extra facts for machine readers (method that decided, config key proposed, ...)
    details: Mapping[str, Detail] = field(default_factory=dict, compare=False, hash=False)
    #: stable identity, filled in by the runner (see :meth:`identity`)
    fingerprint: str = field(default="", compare=False)
    #: ``True`` when not in the baseline, ``False`` when it is, ``None`` when unknown
    new: bool | None = field(default=None, compare=False)
    #: the stage of ``path`` (exploration globs get info at most); filled in by the runner
    stage: Stage | None = field(default=None, compare=False)
    #: ISO date (``warn-until``) before which this finding does not block; ``None``: no date
    blocks_from: str | None = field(default=None, compare=False)
    #: the ignore that matched: an active one suppresses, an expired one is shown here
    waiver: Waiver | None = field(default=None, compare=False)

    @property
    def family(self) -> Family:
        return family_of(self.rule)

    def identity(self) -> str:
        """Rule, path and anchor hashed: unchanged by line shifts and unrelated edits."""
        anchor = self.anchor or self.message
        digest = hashlib.sha256(f"{self.rule}\0{self.path}\0{anchor}".encode())
        return digest.hexdigest()[:20]

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        """Path, then (notebooks) cell, then line: the order a reader meets them."""
        return (
            self.path,
            self.cell or 0,
            self.line or 0,
            self.column or 0,
            self.rule,
            self.message,
        )


@dataclass(frozen=True)
class ReadError:
    """A file or setting that could not be read; the run goes on without it."""

    path: str
    kind: ErrorKind
    message: str
    line: int | None = None
    #: for kind ``internal``: the rule or family whose code failed
    rule: str | None = None

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


@dataclass(frozen=True)
class Suppressed:
    """A finding silenced by an inline ``# mlnudge: ignore[...]`` comment, with its reason."""

    finding: Finding
    reason: str
