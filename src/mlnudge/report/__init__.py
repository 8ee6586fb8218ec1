"""Renderers: one pure ``render(report) -> str`` per format, chosen by name."""

from __future__ import annotations

import sys
from typing import Literal

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover - Python 3.10
    from typing import NoReturn

    def assert_never(value: NoReturn) -> NoReturn:
        raise AssertionError(f"unhandled value: {value!r}")


from mlnudge.report.model import Report

Format = Literal["text", "json", "sarif", "github", "markdown"]
FORMATS: tuple[Format, ...] = ("text", "json", "sarif", "github", "markdown")


def render(
    report: Report,
    fmt: Format,
    *,
    color: bool = False,
    verbose: bool = False,
    quiet: bool = False,
) -> str:
    """``report`` as ``fmt``; ``quiet`` (text only) lists just the blocking findings."""
    match fmt:
        case "text":
            from mlnudge.report import text

            return text.render(report, color=color, verbose=verbose, quiet=quiet)
        case "json":
            from mlnudge.report import jsonout

            return jsonout.render(report)
        case "sarif":
            from mlnudge.report import sarif

            return sarif.render(report)
        case "github":
            from mlnudge.report import github

            return github.render(report)
        case "markdown":
            from mlnudge.report import markdown

            return markdown.render(report)
        case _:
            assert_never(fmt)
