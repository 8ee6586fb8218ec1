"""MLN201/202/203/204 classes of acc-params-25: the settings a Python driver passes on the
command line of a project script (keyed by the flag, whatever the driver's variable is called),
and file names joined under a script's own path argument. Fixtures written here from scratch,
never copied from a corpus repository."""

from __future__ import annotations

import ast

import pytest

from mlnudge.checks.params import analyse
from mlnudge.config import build_config
from mlnudge.facts.repo import PyModule


def _found(source: str, path: str = "run_all.py") -> list[tuple[str, int, str]]:
    module = PyModule(path, source, ast.parse(source))
    findings = analyse(module, build_config({}).section("params"))
    return [(f.rule, f.line or 0, f.message) for f in findings]


# -- settings passed on a driver's command line -------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a name bound before an f-string command: reported where it is bound, by the flag
        (
            "import os\n\n"
            "stage_ratio = 3\n"
            "warm_factor = 0.25\n"
            'cmd = f"python ./jobs/fit.py --neg_ratio={stage_ratio} --warmup {warm_factor}"\n'
            "os.system(cmd)\n",
            [("MLN201", 3), ("MLN201", 4)],
        ),
        # a list argv with the values written in it
        (
            "import subprocess\n\n"
            'subprocess.call(["python3", "fit.py", "--epochs", "120",\n'
            '                 "--lr", "3e-4", "--train_csv", "data/raw/rows.csv"])\n',
            [("MLN201", 3), ("MLN201", 4), ("MLN202", 4)],
        ),
        # values inside the command text, formatted with ``.format``
        (
            "import subprocess\n\n"
            "interp = 'python'\n"
            'subprocess.run(["{} fit.py --hidden_units 48 --epochs 6".format(interp)], shell=True)\n',
            [("MLN201", 4), ("MLN201", 4)],
        ),
        # a list of seeds a loop hands to ``--seed``: one finding, the list
        (
            'import os\n\nfor s in [11, 22, 33]:\n    os.system("python fit.py --seed %d" % s)\n',
            [("MLN203", 3)],
        ),
        # ``+`` concatenation and a cut-off flag (a threshold)
        (
            "import os\n\nlower = 0.35\nos.system('python fit.py --min_thresh ' + str(lower))\n",
            [("MLN204", 3)],
        ),
        # argv lists a loop runs one by one
        (
            "import subprocess\n\n"
            "jobs = [\n"
            '    ["python3", "fit.py", "--lr", "0.02"],\n'
            '    ["python3", "fit.py", "--lr", "0.05", "--batch-mult", "4"],\n'
            "]\n"
            "for job in jobs:\n"
            "    subprocess.run(job)\n",
            [("MLN201", 4), ("MLN201", 5), ("MLN201", 5)],
        ),
    ],
)
def test_a_setting_passed_on_a_drivers_command_line_is_reported(
    source: str, expected: list[tuple[str, int]]
) -> None:
    assert sorted(f[:2] for f in _found(source)) == sorted(expected)


def test_the_message_names_the_flag_and_the_script() -> None:
    source = 'import os\n\nos.system("python fit.py --neg_ratio 3")\n'
    [(_, _, message)] = _found(source)
    assert "`--neg_ratio` flag of the `fit.py` command" in message


@pytest.mark.parametrize(
    "source",
    [
        # infrastructure and bookkeeping flags
        'import os\nos.system("python fit.py --num_workers 8 --gpu 1 --log_every 50 --fold 2")\n',
        'import subprocess\nsubprocess.run(["mpirun", "-np", "16", "python3", "fit.py"])\n',
        # a prediction script's batch size changes no result
        'import os\nos.system("python predict.py --batch_size 512")\n',
        # not a Python script
        'import os\nos.system("zip -r out.zip results --level 9")\n',
        # a switch under a name that says nothing
        "import os\nflag = 1\nos.system(f'python fit.py --use_cache={flag}')\n",
        # a value read at run time, not written here
        "import os, sys\nos.system(f'python fit.py --lr {sys.argv[1]}')\n",
        # a tool run as a module, and a launcher's process count
        "import subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'pip', 'install', '--timeout', '60', 'x'])\n",
        "import os\nos.system('python -m torch.distributed.run --nproc_per_node 4 fit.py')\n",
        "import os\nos.system('accelerate launch --num_processes 2 fit.py --config configs/a.yaml')\n",
        # the run's parameter file is no data location
        "import os\nos.system('python fit.py --config data/exp1.yaml')\n",
        # one value in a loop: written where it is passed, nothing to sweep
        "import os\nfor w in [1.0]:\n    os.system(f'python fit.py --mix {w!s}')\n",
    ],
)
def test_what_a_command_does_not_fix_stays_silent(source: str) -> None:
    assert [f for f in _found(source) if f[0].startswith("MLN20")] == []


# -- file names under a script's own path argument --------------------------------------------

_PARSED = (
    "import argparse, sys\nimport numpy as np\nimport pandas as pd\n\n"
    "parser = argparse.ArgumentParser()\n"
    "parser.add_argument('--root')\n"
    "args = parser.parse_args()\n"
    "BASE = args.root\n"
)


@pytest.mark.parametrize(
    "expression",
    [
        "pd.read_csv(args.root + 'source/part_1/rows.csv')",
        "np.load(BASE + 'stage-1/train_encode.npz')",
        "pd.read_csv(sys.argv[1] + 'raw/rows.csv')",
    ],
)
def test_a_file_joined_under_the_scripts_path_argument_is_no_location(expression: str) -> None:
    source = _PARSED + f"frame = {expression}\n"
    assert [f for f in _found(source, "jobs/encode.py") if f[0] == "MLN202"] == []


def test_a_folder_of_the_project_joined_to_a_name_of_its_own_is_still_a_location() -> None:
    source = (
        "import numpy as np\n\nbase = 'data/'\nframe = np.load(base + 'stage-1/train_encode.npz')\n"
    )
    assert [f[:2] for f in _found(source, "jobs/encode.py") if f[0] == "MLN202"] != []


def test_a_table_of_runs_a_loop_unpacks_gives_each_rows_location() -> None:
    source = (
        "import os\n\n"
        "runs = [\n"
        "    ['de', './inputs/rows_de.csv.zip', 'org/encoder-base-de', './outputs/models/de'],\n"
        "    ['fr', './inputs/rows_fr.csv.zip', 'org/encoder-base-fr', './outputs/models/fr'],\n"
        "]\n"
        "for run in runs:\n"
        "    lang, rows, encoder, out = run[0], run[1], run[2], run[3]\n"
        "    rows_file = run[1]\n"
        "    encoder_id = run[2]\n"
        "    out_prefix = run[3]\n"
        "    os.system(f'python fit.py --lang={lang} --train_file={rows_file} '\n"
        "              f'--encoder={encoder_id} --model_prefix={out_prefix}')\n"
    )
    found = [f[:2] for f in _found(source) if f[0] == "MLN202"]
    # the data file and the output folder of each row; a model id and a language are no place
    assert sorted(found) == [("MLN202", 4), ("MLN202", 4), ("MLN202", 5), ("MLN202", 5)]


def test_a_prediction_scripts_inputs_are_places_but_its_numbers_are_not_settings() -> None:
    source = (
        "import os\n\n"
        "os.system('python predict.py --batch_size 512 --in_file ./inputs/test_rows.csv.zip')\n"
    )
    assert [f[:2] for f in _found(source)] == [("MLN202", 3)]


# -- bare file names inside the folder the code moved into ------------------------------------


def test_a_bare_file_read_after_moving_into_a_folder_is_inside_that_folder() -> None:
    source = (
        "import os\nimport pandas as pd\n\n"
        "def blend():\n"
        "    home = os.getcwd()\n"
        "    os.chdir('./outputs/preds/')\n"
        "    first = pd.read_csv('./fold0.csv')\n"
        "    second = pd.read_csv('fold1.csv')\n"
        "    os.chdir(home)\n"
        "    first.to_csv('blend.csv')\n"
        "    return first, second\n"
    )
    found = [f[:2] for f in _found(source, "blend.py") if f[0] == "MLN202"]
    # the folder moved into is the location; back home, a bare file is one again
    assert found == [("MLN202", 6), ("MLN202", 10)]
