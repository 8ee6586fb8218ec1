"""A bug in one rule never loses the report: failures become ``internal`` errors.

Each family runs isolated (and, inside a family, each file's analysis and each generated
example): an exception is turned into a :class:`ReadError` of kind ``internal`` naming the
family or rule, the file, one line of cause and what to paste into a bug report; every other
finding is still reported and the exit code follows the mode.
"""

from __future__ import annotations

import platform
import sys
import traceback

from mlnudge import __version__
from mlnudge.finding import ReadError

ISSUES_URL = "https://github.com/mlnudge/mlnudge/issues"


def internal_error(path: str, rule: str, exc: BaseException) -> ReadError:
    """The ``errors`` entry for ``exc`` raised by ``rule`` (a code or a family) on ``path``."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "mlnudge" in f.filename] or frames
    at = (
        f" at {ours[-1].filename.rsplit('mlnudge', 1)[-1].lstrip('/')}:{ours[-1].lineno}"
        if ours
        else ""
    )
    cause = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return ReadError(
        path=path or ".",
        kind="internal",
        message=(
            f"mlnudge's {rule} check failed here ({cause}{at}); the rest of the report is "
            f"complete. This is a bug in mlnudge: please report it at {ISSUES_URL} with this "
            f"line and 'mlnudge {__version__}, python {sys.version.split()[0]} "
            f"({platform.system()})'."
        ),
        rule=rule,
    )
