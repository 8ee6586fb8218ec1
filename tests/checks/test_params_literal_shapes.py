"""MLN201/202 on literals in shapes the rules did not read (issue 10): a path built with ``+``
and the 0 and 1 of a model's settings dict. Fixtures written here from scratch, never
copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings

_CONVERT = (
    "import pandas as pd\n"
    "\n"
    "for part in ['train', 'test']:\n"
    "    frame = pd.read_csv('./data/raw/' + part + '.csv')\n"
    "    frame.to_parquet('../data/interim/' + part + '.parquet')\n"
    "    frame.to_csv(path_or_buf='reports/tables/' + part + '.csv')\n"
    "    frame.to_json(part + '.json')\n"
    "    frame.to_pickle('cache/' + part + '.pkl')\n"
    "    print('saved to data/interim/' + part)\n"
)


def test_a_path_built_with_plus_is_the_same_path_as_the_f_string(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"convert.py": _CONVERT})
    # the literal folder each path starts with, as for f"./data/raw/{part}.csv"; a file name
    # appended to a variable, a lone top folder (maybe under a root the reader chose) and a
    # printed message are no location
    assert found == [
        ("convert.py", 4, "MLN202", "./data/raw/"),
        ("convert.py", 5, "MLN202", "../data/interim/"),
        ("convert.py", 6, "MLN202", "reports/tables/"),
    ]


_BOOSTER = (
    "import lightgbm as lgb\n"
    "\n"
    "\n"
    "def fit(train_set):\n"
    "    settings = {\n"
    "        'objective': 'regression',\n"
    "        'num_leaves': 48,\n"
    "        'max_depth': -1,\n"
    "        'reg_alpha': 1.0,\n"
    "        'min_split_gain': 0,\n"
    "        'verbose': -1,\n"
    "        'n_jobs': -1,\n"
    "        'first_metric_only': 1,\n"
    "    }\n"
    "    return lgb.train(settings, train_set)\n"
)


def test_zero_and_one_in_a_models_settings_dict_are_choices(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"fit.py": _BOOSTER})
    # every entry of a dict that holds nothing but the booster's settings was chosen, a 0 or
    # a 1 too; -1 is a sentinel (no limit), logging and threading are infrastructure, and a
    # 1 under a name no table knows as a hyperparameter is a flag
    assert [(line, rule) for _, line, rule, _ in found] == [
        (7, "MLN201"),
        (9, "MLN201"),
        (10, "MLN201"),
    ]


_CUT_OFF_KEYWORDS = (
    "from torch import optim\n"
    "\n"
    "\n"
    "def monitor(suite, reference, current):\n"
    "    check = suite.DriftCheck(stattest_threshold=0.01, columns=['age'])\n"
    "    return check.run(reference, current)\n"
    "\n"
    "\n"
    "def keep_boxes(detector, frame):\n"
    "    return detector.find(frame, overlap_cutoff=0.6, max_boxes=50)\n"
    "\n"
    "\n"
    "def schedule(optimiser):\n"
    "    return optim.lr_scheduler.ReduceLROnPlateau(optimiser, threshold=0.001)\n"
)


def test_a_keyword_named_for_a_cut_off_decides_whatever_the_call(tmp_path: Path) -> None:
    """``stattest_threshold=0.01`` of a drift check and ``overlap_cutoff=0.6`` of a detector
    decide what is alerted or kept: MLN204 in any call, as ``threshold=`` already was;
    a scheduler's ``threshold`` stays a tolerance."""
    found = params_findings(tmp_path, {"params.yaml": "train: {}\n", "watch.py": _CUT_OFF_KEYWORDS})
    assert [f for f in found if f[0] == "watch.py"] == [
        ("watch.py", 5, "MLN204", "0.01"),
        ("watch.py", 10, "MLN204", "0.6"),
    ]


_RUN_ARTIFACTS = (
    "import joblib\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "\n"
    "from project.tracking import RunLoader, RunLogger\n"
    "\n"
    "SCALER_RUN_PATH = 'preprocessing/scaler'\n"
    "SCALER_LOCAL_PATH = 'artifacts/scaler.joblib'\n"
    "\n"
    "\n"
    "def fit_scaler(frame):\n"
    "    scaler = StandardScaler().fit(frame)\n"
    "    RunLogger(scaler, 'scaler').log_model(SCALER_RUN_PATH)\n"
    "    joblib.dump(scaler, SCALER_LOCAL_PATH)\n"
    "    return scaler\n"
    "\n"
    "\n"
    "def load_scaler(run):\n"
    "    return RunLoader('scaler').load_model(path=SCALER_RUN_PATH, run_id=run)\n"
)


def test_a_name_handed_to_a_run_relative_call_is_a_place_in_the_run(tmp_path: Path) -> None:
    """A constant the project hands to ``log_model`` (a tracking run's own call, here through
    the project's wrapper) is a folder inside the run, not a location on disk; the file
    written with ``joblib.dump`` beside it still is."""
    found = params_findings(tmp_path, {"params.yaml": "train: {}\n", "scale.py": _RUN_ARTIFACTS})
    assert [f for f in found if f[0] == "scale.py"] == [
        ("scale.py", 7, "MLN202", "artifacts/scaler.joblib"),
    ]
