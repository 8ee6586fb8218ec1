"""Secrets never leave through mlnudge's output: the one filter every CLI write goes through.

``cli.main`` wraps stdout and stderr for the duration of a command (the reports, ``--verbose``,
usage and configuration errors, the exit-3 bug report, and everything the ``github`` and
``deps`` sub-commands print) and passes report files through :func:`redact` too. Masked:

- the values of secret-looking environment variables (``GITHUB_TOKEN``, ``INPUT_GITHUB-TOKEN``,
  ``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD``, ``*_API_KEY`` ...), wherever they appear;
- well-known token shapes (GitHub ``ghp_``/``ghs_``/``github_pat_``, GitLab ``glpat-``, PyPI
  ``pypi-``, Slack and Discord webhook URLs), even when they are in no variable;
- credentials in URLs (``https://user:password@host``) and ``Authorization`` header values.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any, TextIO, cast

MASK = "***"
#: environment variable names whose values are secrets
_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.I)
#: shorter values are too likely to occur by chance (``TOKEN=1``) to be worth masking
_MIN_SECRET = 8
#: (what the text must contain for the pattern to match, the pattern, its replacement): a
#: report of a large repository runs to megabytes, and looking for a few literals is
#: a hundred times cheaper than running the patterns over text that cannot match. Markers
#: are looked for in the lowercased text.
_PATTERNS = (
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        MASK,
    ),
    (("glpat-",), re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), MASK),
    (("pypi-",), re.compile(r"\bpypi-[A-Za-z0-9_-]{16,}"), MASK),
    (
        ("hooks.slack.com", "/api/webhooks/"),
        re.compile(
            r"(hooks\.slack\.com/services/|discord(?:app)?\.com/api/webhooks/)[A-Za-z0-9/_-]+"
        ),
        rf"\1{MASK}",
    ),
    (
        ("authorization",),
        re.compile(r"(?i)\b(authorization:\s*(?:token|bearer|basic)?\s*)[^\s'\"]+"),
        rf"\1{MASK}",
    ),
    (("@",), re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s'\"]+@"), rf"\1{MASK}@"),
)


def secret_values(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The values of secret-looking environment variables, longest first."""
    env = os.environ if environ is None else environ
    values = {v for k, v in env.items() if _SECRET_NAME.search(k) and len(v) >= _MIN_SECRET}
    return tuple(sorted(values, key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...] | None = None) -> str:
    """``text`` with every secret masked as ``***``."""
    for value in secret_values() if secrets is None else secrets:
        text = text.replace(value, MASK)
    lowered = text.lower()
    for markers, pattern, replacement in _PATTERNS:
        if any(marker in lowered for marker in markers):
            text = pattern.sub(replacement, text)
    return text


class _Redacting:
    """A text stream that masks secrets in what is written, otherwise the stream it wraps."""

    def __init__(self, stream: TextIO, secrets: tuple[str, ...]) -> None:
        self._stream = stream
        self._secrets = secrets

    def write(self, text: str) -> int:
        self._stream.write(redact(text, self._secrets))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, flush, encoding, buffer ...
        return getattr(self._stream, name)


@contextlib.contextmanager
def redacting_output() -> Iterator[None]:
    """Mask secrets in everything written to ``sys.stdout`` and ``sys.stderr`` meanwhile."""
    secrets = secret_values()
    saved = sys.stdout, sys.stderr
    sys.stdout = cast("TextIO", _Redacting(saved[0], secrets))
    sys.stderr = cast("TextIO", _Redacting(saved[1], secrets))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
