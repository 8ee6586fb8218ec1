"""Which lines a pull request changed, from the ``patch`` of each file GitHub lists.

Inline review comments go only on added lines of the new version (the ``RIGHT`` side); a
multi-line comment must stay within one hunk, so the hunks' new-side ranges are kept too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class FileDiff:
    """The new-side lines of one file: those added, and the span of each hunk."""

    added: frozenset[int]
    hunks: tuple[range, ...]

    def can_span(self, start: int, end: int) -> bool:
        """Whether a comment on ``start..end`` stays inside one hunk of the diff."""
        return any(start in hunk and end in hunk for hunk in self.hunks)


def parse_patch(patch: str) -> FileDiff:
    added: set[int] = set()
    hunks: list[range] = []
    line = 0
    for text in patch.splitlines():
        match = _HUNK.match(text)
        if match:
            line = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            hunks.append(range(line, line + count))
            continue
        if not hunks or text.startswith(("-", "\\")):
            continue
        if text.startswith("+"):
            added.add(line)
        line += 1
    return FileDiff(frozenset(added), tuple(hunks))
