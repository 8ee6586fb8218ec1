"""The console entry point: replay an identical previous ``check`` run, or run the command.

This module and :mod:`mlnudge.memo` import only a few standard-library modules; the command
line and the engine are imported only when a run is needed (which is the point of a replay).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from mlnudge.memo import plan_for, replay


def main(argv: Sequence[str] | None = None) -> int:
    """``mlnudge``: replay an identical previous run, or run the command."""
    args = list(sys.argv[1:] if argv is None else argv)
    plan = None
    try:
        plan = plan_for(args, os.getcwd())
        if plan is not None:
            replayed = replay(plan)
            if replayed is not None:
                return replayed
    except (OSError, ValueError):
        plan = None  # no replay is no reason to fail: the run below decides
    from mlnudge.cli import main as run_command  # the engine: only when a run is needed

    return run_command(args, memo=plan)
