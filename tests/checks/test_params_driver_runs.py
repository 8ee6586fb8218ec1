"""MLN201/203 classes of acc-params-26: a Python driver is a runner of the scripts it starts (for
the CLI-default rule), a short alias a runner passes is the flag, and the values a driver takes
from a list by a run counter or from a table a loop unpacks into several names. Fixtures written
here from scratch, never copied from a corpus repository."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from mlnudge_testing import params_findings

from mlnudge.checks.params import analyse
from mlnudge.checks.params.runs import command_facts
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule

_FIT = (
    "import argparse\n"
    "\n"
    "parser = argparse.ArgumentParser()\n"
    'parser.add_argument("-e", "--epochs", type=int, default=400)\n'
    'parser.add_argument("--step-size", type=float, default=0.05)\n'
    'parser.add_argument("--seed", type=int, default=3)\n'
    'parser.add_argument("-k", "--keep", type=float, default=0.8)\n'
    "args = parser.parse_args()\n"
    "print(args)\n"
)


def _driven(tmp_path: Path, driver: str) -> list[tuple[str, int | None, str, str]]:
    found = params_findings(tmp_path, {"sweep.py": driver, "fit.py": _FIT})
    return [f for f in found if f[0] == "fit.py"]


def test_a_python_driver_runs_its_scripts_with_the_defaults_it_never_passes(
    tmp_path: Path,
) -> None:
    driver = (
        "import os\n\n"
        "for step in [0.01, 0.1]:\n"
        '    os.system(f"python fit.py --step-size {step} -k 0.5")\n'
    )
    # --epochs and --seed are never passed: every run of the sweep uses 400 and 3
    assert _driven(tmp_path, driver) == [
        ("fit.py", 4, "MLN201", "400"),
        ("fit.py", 6, "MLN203", "3"),
    ]


@pytest.mark.parametrize(
    "driver",
    [
        # the short alias is the flag: `-e` passes --epochs
        'import os\nos.system("python fit.py -e 50 -k 0.5 --seed 1 --step-size 0.2")\n',
        # flags appended to the command on later lines reach the script too
        "import os\n"
        'cmd = "python fit.py -e 50"\n'
        'cmd += " --seed 1 --step-size 0.2 --keep 0.5"\n'
        "os.system(cmd)\n",
        # a command that hands on a string we cannot read may pass any flag
        'import os\nextra = input()\nos.system(f"python fit.py {extra}")\n',
    ],
)
def test_flags_a_driver_passes_or_may_pass_keep_the_defaults_silent(
    tmp_path: Path, driver: str
) -> None:
    assert _driven(tmp_path, driver) == []


def test_a_short_alias_a_shell_runner_passes_is_the_flag(tmp_path: Path) -> None:
    runner = "#!/bin/sh\npython fit.py -e 50 -k 0.9 --step-size 0.1 --seed 5\n"
    assert list(params_findings(tmp_path, {"go.sh": runner, "fit.py": _FIT})) == []


def test_a_file_that_only_mentions_a_command_runs_nothing(tmp_path: Path) -> None:
    notes = '"""Run it as: python fit.py --step-size 0.1"""\nprint("see the docstring")\n'
    assert _driven(tmp_path, notes) == []


def test_command_facts_keep_short_flags_and_a_drivers_flags() -> None:
    facts = command_facts('import os\nc = "python fit.py -n 5"\nc += " --seed 2"\nos.system(c)\n')
    assert facts["runs"] == [["fit.py", ["-n"]]]
    assert facts["executes"] == ["-n", "seed"]
    defined = command_facts('p.add_argument("-n", "--rounds", default=4)\n')["defined"]
    assert defined == ["-n", "rounds"]
    assert "executes" not in command_facts("python fit.py --seed 2\n")


# -- values a driver picks per run -------------------------------------------------------------


def _found(source: str) -> list[tuple[str, int]]:
    module = PyModule("sweep.py", source, ast.parse(source))
    findings = analyse(module, build_config({}).section("params"))
    return sorted((f.rule, f.line or 0) for f in findings)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a list indexed by the loop's counter: the list is the values the runs get
        (
            "import os\n\n"
            "rates = [0.02, 0.2, 2.0]\n"
            "for i, tag in enumerate(range(3)):\n"
            "    rate = rates[i]\n"
            "    os.system('python fit.py' + ' --step-size ' + str(rate) + ' --tag ' + str(tag))\n",
            [("MLN201", 3)],
        ),
        # the counter of a plain range loop
        (
            "import os\n\n"
            "depths = [2, 4, 8]\n"
            "for j in range(len(depths)):\n"
            "    os.system(f'python fit.py --max-depth {depths[j]}')\n",
            [],  # a subscript written inside the command is not followed (left)
        ),
        (
            "import os\n\n"
            "depths = [2, 4, 8]\n"
            "for j in range(len(depths)):\n"
            "    d = depths[j]\n"
            "    os.system(f'python fit.py --max-depth {d}')\n",
            [("MLN201", 3)],
        ),
        # a table of runs a loop unpacks into names: each row's value, one run each
        (
            "import os\n\n"
            "runs = [\n"
            "    ('small', 0.01, 32),\n"
            "    ('large', 0.003, 128),\n"
            "]\n"
            "for arch, lr, bs in runs:\n"
            "    os.system(f'python fit.py --arch {arch} --lr {lr} --batch-size {bs}')\n",
            [("MLN201", 4), ("MLN201", 4), ("MLN201", 5), ("MLN201", 5)],
        ),
    ],
)
def test_values_a_driver_picks_per_run_are_reported(
    source: str, expected: list[tuple[str, int]]
) -> None:
    assert _found(source) == expected


def test_one_value_picked_by_a_fixed_index_is_not_a_run_per_value() -> None:
    source = (
        "import os\n\n"
        "rates = [0.02, 0.2]\n"
        "best = 1\n"
        "rate = rates[best]\n"
        "os.system(f'python fit.py --step-size {rate}')\n"
    )
    assert _found(source) == []


def test_an_argv_list_written_one_item_a_line_runs_its_script() -> None:
    listed = (
        "import subprocess\n\n"
        "subprocess.call([\n"
        "    'python3',\n"
        "    'fit.py',\n"
        "    # '--keep', args.keep,\n"
        "    '--seed', '9',\n"
        "])\n"
    )
    assert command_facts(listed)["runs"] == [["fit.py", []]]
    handed = (
        "import subprocess\n\nsubprocess.call([\n    'python3',\n    'fit.py',\n    *extra,\n])\n"
    )
    assert command_facts(handed)["runs"] == [["fit.py", ["*"]]]
