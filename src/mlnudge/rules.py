"""Rule metadata and the one explicit registry of built-in rules.

Each family module in ``mlnudge.checks`` declares its ``RULES``; this module lists the
families in one place (no registration by import side effects) and offers lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from mlnudge.finding import Detail, Family, Finding, Severity

CODE_RE = re.compile(r"^MLN[1-4][0-9]{2}$")

Scope = Literal["file", "repo"]


@dataclass(frozen=True)
class Rule:
    """What a rule is about, in the words shown to a data scientist."""

    code: str
    name: str
    family: Family
    severity: Severity
    #: one line: what the rule checks
    summary: str
    #: why it matters, for a data scientist, in one or two sentences
    why: str
    #: the concrete step that fixes it
    fix: str
    #: a short example that triggers the rule (code or a tree listing)
    example: str = ""
    #: what to write instead
    use_instead: str = ""
    #: the ``[tool.mlnudge.<family>]`` options that tune the rule
    options: tuple[str, ...] = ()
    #: ``file`` rules look only at the files given; ``repo`` rules see the whole repository
    scope: Scope = "file"

    def finding(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        suggestion: str | None = None,
        fix: str | None = None,
        anchor: str = "",
        severity: Severity | None = None,
        details: dict[str, Detail] | None = None,
    ) -> Finding:
        """A finding of this rule at its default severity (configuration may change it later)."""
        return Finding(
            rule=self.code,
            path=path,
            message=message,
            severity=severity or self.severity,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            suggestion=suggestion,
            fix=fix,
            anchor=anchor,
            details=details or {},
        )


def matches(code: str, selectors: tuple[str, ...]) -> int:
    """Length of the longest selector that is a prefix of ``code`` (0 when none matches)."""
    return max((len(s) for s in selectors if code.startswith(s)), default=0)


def iter_unknown_selectors(selectors: tuple[str, ...], codes: Sequence[str]) -> Iterator[str]:
    """The selectors that name no rule among ``codes`` (``ALL`` names every rule)."""
    for selector in selectors:
        if selector == "ALL":
            continue
        if not any(code.startswith(selector) for code in codes):
            yield selector
