"""The benchmark suite runs and reports ratios (its numbers are read by people, not asserted)."""

from __future__ import annotations

import subprocess
import sys

from mlnudge_testing import ROOT


def test_benchmark_suite_reports_each_scenario_with_a_ratio() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--modules", "4", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    for scenario in ("full-cold", "full-warm", "hook-one-file", "hook-transforms"):
        assert scenario in rows, proc.stdout
        assert rows[scenario].count("ms") >= 2 and "x" in rows[scenario]
    assert "overall: precision" in proc.stdout
