"""MLN2xx classes of the round-11 preparation (issue 10): what an ML engineer reads to know a
value is a setting. Fixtures written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

from mlnudge_testing import params_findings

# -- the paths a data-versioning command is given declare what is versioned ------------------

_VERSION_DATA = (
    "import subprocess\n"
    "\n"
    "TRACKED = [\n"
    '    "models/checkpoints",\n'
    '    "results/scores",\n'
    "]\n"
    "\n"
    "\n"
    "def track():\n"
    "    for folder in TRACKED:\n"
    '        subprocess.run(["dvc", "add", folder], check=True)\n'
)

_COPY_DATA = (
    "import shutil\n"
    "\n"
    "SOURCES = [\n"
    '    "models/checkpoints",\n'
    '    "results/scores",\n'
    "]\n"
    "\n"
    "\n"
    "def copy():\n"
    "    for folder in SOURCES:\n"
    '        shutil.copytree(folder, "/backup")\n'
)


def test_paths_handed_to_dvc_add_are_no_locations(tmp_path: Path) -> None:
    found = params_findings(
        tmp_path, {"version_data.py": _VERSION_DATA, "copy_data.py": _COPY_DATA}
    )
    # the same list copied by a job is where that job reads: each folder is a location
    assert [f[:3] for f in found] == [
        ("copy_data.py", 4, "MLN202"),
        ("copy_data.py", 5, "MLN202"),
    ]


# -- one unit of time back is a window, not a neutral value ----------------------------------

_INGEST = (
    "from feeds import Client\n"
    "\n"
    "\n"
    "def ingest(client: Client):\n"
    "    recent = client.fetch_history(days_back=1)\n"
    "    client.fetch_history(days_back=0)\n"
    "    client.render(scale=1)\n"
    "    return recent\n"
)


def test_one_day_back_is_a_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"ingest.py": _INGEST})
    # `days_back=0` (no history) and `scale=1` (an identity) stay silent
    assert found == [("ingest.py", 5, "MLN201", "1")]


# -- a __main__ block that reads the parameter file is a run, not a smoke test ---------------

_FETCH = (
    "import yaml\n"
    "\n"
    "\n"
    "class Fetcher:\n"
    "    def __init__(self, config):\n"
    "        self.config = config\n"
    "\n"
    "    def pull(self, days_back=7):\n"
    "        return days_back\n"
    "\n"
    "\n"
    'if __name__ == "__main__":\n'
    '    with open("config.yaml") as handle:\n'
    "        config = yaml.safe_load(handle)\n"
    "    Fetcher(config).pull(days_back=45)\n"
)

_SMOKE = (
    "class Fetcher:\n"
    "    def pull(self, days_back=7):\n"
    "        return days_back\n"
    "\n"
    "\n"
    'if __name__ == "__main__":\n'
    "    print(Fetcher().pull(days_back=45))\n"
)


def test_a_main_block_that_reads_the_configuration_is_a_run(tmp_path: Path) -> None:
    files = {
        "pipeline/__init__.py": "",
        "pipeline/fetch.py": _FETCH,
        "pipeline/probe.py": _SMOKE,
        "config.yaml": "data:\n  days_back: 30\n",
    }
    found = params_findings(tmp_path, files)
    # the module tried out without the configuration (`probe.py`) stays a smoke test
    assert [f[:3] for f in found] == [("pipeline/fetch.py", 15, "MLN201")]


# -- a parameter handed on untouched to a library call is that call's setting ---------------

_TUNER = (
    "import optuna\n"
    "\n"
    "\n"
    "class Tuner:\n"
    "    def search_booster(self, frame, trials=80, log_every=20):\n"
    "        study = optuna.create_study()\n"
    "        study.optimize(lambda t: 0.0, n_trials=trials)\n"
    "        print(log_every)\n"
    "        return study\n"
)

_RUN = (
    "from tuner import Tuner\n"
    "\n"
    "\n"
    "def main(frame):\n"
    "    tuner = Tuner()\n"
    "    return tuner.search_booster(frame)\n"
)

_TUNE = (
    "from xgboost import XGBRegressor\n"
    "\n"
    "\n"
    "def fit(frame, depth, rounds=300, width=12):\n"
    "    model = XGBRegressor(max_depth=depth, n_estimators=rounds)\n"
    "    print(width)\n"
    "    return model.fit(frame)\n"
    "\n"
    "\n"
    "def rescaled(frame, depth):\n"
    "    depth = depth * 2\n"
    "    return XGBRegressor(max_depth=depth).fit(frame)\n"
    "\n"
    "\n"
    "def main(frame):\n"
    "    fit(frame, 7)\n"
    "    fit(frame, depth=9, width=40)\n"
    "    rescaled(frame, depth=5)\n"
)


def test_a_parameter_handed_to_a_library_keyword_is_that_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"tune.py": _TUNE, "tuner.py": _TUNER, "run.py": _RUN})
    # the search's trial budget (a default no call passes), `fit`'s rounds (never passed),
    # its depth passed by position and by keyword; `log_every` and `width` feed nothing,
    # and a depth the function rescales before use is no longer the caller's number
    assert found == [
        ("tune.py", 4, "MLN201", "300"),
        ("tune.py", 16, "MLN201", "7"),
        ("tune.py", 17, "MLN201", "9"),
        ("tuner.py", 5, "MLN201", "80"),
    ]


# -- a name means the same in camelCase as in snake_case --------------------------------------

_CAMEL = (
    "def gradient_descent(x, y, learningRate, numEpochs, printEvery):\n"
    "    return x, y, learningRate, numEpochs, printEvery\n"
    "\n"
    "\n"
    "batchSize = 64\n"
    "imageWidth = 224\n"
    "weights = gradient_descent([0.0], [1.0], 0.05, 300, 25)\n"
)


def test_camel_case_names_are_read_as_snake_case(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"descent.py": _CAMEL})
    # `imageWidth` (a shape) and `printEvery` (logging) stay silent
    assert found == [
        ("descent.py", 5, "MLN201", "64"),
        ("descent.py", 7, "MLN201", "0.05"),
        ("descent.py", 7, "MLN201", "300"),
    ]


# -- a loop that tries literal values of a hyperparameter is a search space -----------------

_LOOPS = (
    "from sklearn.cluster import KMeans\n"
    "from sklearn.model_selection import GridSearchCV\n"
    "from sklearn.neighbors import KNeighborsClassifier\n"
    "from sklearn.svm import SVC\n"
    "\n"
    "\n"
    "def choose(x, y):\n"
    "    scores = []\n"
    "    for k in range(1, 25):\n"
    "        scores.append(KNeighborsClassifier(n_neighbors=k).fit(x, y).score(x, y))\n"
    '    for kernel in ["rbf", "poly"]:\n'
    "        scores.append(SVC(kernel=kernel).fit(x, y).score(x, y))\n"
    "    for seed in [1, 2, 3]:\n"
    "        scores.append(KMeans(n_clusters=4, random_state=seed).fit(x).inertia_)\n"
    "    for column in range(2, 6):\n"
    "        scores.append(x[:, column].mean())\n"
    '    grid = {"n_neighbors": range(3, 30, 2)}\n'
    "    return GridSearchCV(KNeighborsClassifier(), grid).fit(x, y), scores\n"
)


def test_a_loop_over_literal_values_of_a_hyperparameter_is_a_search(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"choose.py": _LOOPS})
    # the neighbour and kernel loops and the grid whose dimension is a range of literals are
    # spaces; repeating a clustering over seeds searches nothing (its cluster count is a
    # setting), and a loop over columns is no search
    assert found == [
        ("choose.py", 9, "MLN209", ""),
        ("choose.py", 11, "MLN209", ""),
        ("choose.py", 14, "MLN201", "4"),
        ("choose.py", 17, "MLN209", ""),
    ]


# -- an embedding or topic model is a model: its sizes and epochs are tuned ------------------

_EMBED = (
    "from gensim.models import FastText, LdaModel\n"
    "\n"
    "\n"
    "def embed(sentences, corpus, vocab):\n"
    "    vectors = FastText(sentences, vector_size=96, window=4, epochs=12, workers=8)\n"
    "    topics = LdaModel(corpus, num_topics=30, id2word=vocab, passes=5)\n"
    "    return vectors, topics\n"
)


def test_gensim_models_take_hyperparameters(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/embed.py": _EMBED})
    # the worker count is infrastructure
    assert [(f[1], f[3]) for f in found] == [
        (5, "12"),
        (5, "4"),
        (5, "96"),
        (6, "30"),
        (6, "5"),
    ]


# -- a text file the pipeline reads or writes is data like a CSV ----------------------------

_TEXT_FILES = (
    "PREDICTIONS_PATH = 'predictions.txt'\n"
    "\n"
    "\n"
    "def score(booster, lines):\n"
    "    booster.save_model('booster.txt')\n"
    "    truth = open('labels/truth.txt').read()\n"
    "    open('log.txt', 'a').write(truth)\n"
    "    open('requirements.txt').read()\n"
    "    open('README.txt').read()\n"
    "    return lines\n"
)


def test_text_files_of_the_pipeline_are_locations(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"score.py": _TEXT_FILES})
    # a log and the project's own documents are no data
    assert [(f[1], f[3]) for f in found] == [
        (1, "predictions.txt"),
        (5, "booster.txt"),
        (6, "labels/truth.txt"),
    ]


# -- a number is its value however it is spelled ----------------------------------------------

_ARITHMETIC = (
    "import numpy as np\n"
    "\n"
    "\n"
    "def decide(probabilities, images, model):\n"
    "    threshold = 1 / 2\n"
    "    learning_rate = 3e-4 * 2\n"
    "    pixels = images * (1 / 255)\n"
    "    seconds = 60 * 60 * 24\n"
    "    model.fit(images, batch_size=2**5)\n"
    "    return np.where(probabilities > threshold, 1, 0), pixels, seconds\n"
)


def test_arithmetic_on_literals_is_a_literal(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/decide.py": _ARITHMETIC})
    # a pixel scale and a count of seconds are no settings by name
    assert [(f[1], f[2], f[3]) for f in found] == [
        (5, "MLN204", "1 / 2"),
        (6, "MLN201", "3e-4 * 2"),
        (9, "MLN201", "2**5"),
    ]


# -- a name bound once to a literal and handed to a setting's keyword is that setting --------

_NAMED = (
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from sklearn.model_selection import train_test_split\n"
    "\n"
    "HOLDOUT = 0.25\n"
    "\n"
    "\n"
    "def train(x, y, leaves):\n"
    "    trees = 300\n"
    "    classes = 4\n"
    "    width = 8\n"
    "    width = 16\n"
    "    parts = train_test_split(x, y, test_size=HOLDOUT)\n"
    "    model = RandomForestClassifier(\n"
    "        n_estimators=trees, max_leaf_nodes=leaves, n_jobs=classes, max_depth=width\n"
    "    )\n"
    "    return model.fit(parts[0], parts[2])\n"
)


def test_a_name_handed_to_a_setting_keyword_is_that_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/train.py": _NAMED})
    # a parameter (`leaves`) is the caller's, a name handed to infrastructure (`n_jobs`)
    # is none, and a name bound to two literals (`width`) says no one value
    assert [(f[1], f[3]) for f in found] == [(4, "0.25"), (8, "300")]


# -- an AutoML time budget is a budget, as a trial count is -----------------------------------

_AUTOML = (
    "from autogluon.tabular import TabularPredictor\n"
    "\n"
    "\n"
    "def train(frame):\n"
    '    predictor = TabularPredictor(label="target")\n'
    "    predictor.fit(frame, time_limit=600)\n"
    "    return predictor\n"
)


def test_an_automl_time_budget_is_a_setting(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/train.py": _AUTOML})
    assert found == [("src/train.py", 6, "MLN201", "600")]


# -- a tuned string choice is the same in a booster's dict as in a model's call ---------------

_BOOSTER = (
    "import lightgbm as lgb\n"
    "\n"
    "\n"
    "def train(data):\n"
    "    params = {\n"
    '        "objective": "regression",\n'
    '        "boosting": "dart",\n'
    '        "metric": "rmse",\n'
    '        "num_leaves": 48,\n'
    '        "learning_rate": 0.03,\n'
    '        "device_type": "gpu",\n'
    "    }\n"
    '    plain = {"objective": "binary", "boosting_type": "gbdt", "num_leaves": 8, "max_bin": 9}\n'
    "    return lgb.train(params, data), plain\n"
)


def test_string_choices_of_a_booster_dict(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/train.py": _BOOSTER})
    # the task (`objective`), its metric and the hardware switch are no tuned choices, and
    # a dict restating the library's default boosting (`gbdt`) chose nothing
    assert [(f[1], f[3]) for f in found] == [
        (7, '"dart"'),
        (9, "48"),
        (10, "0.03"),
        (13, "8"),
        (13, "9"),
    ]


# -- a module constant read only inside a search space is a bound of that space --------------

_BOUNDED = (
    "from hyperopt import hp\n"
    "import numpy as np\n"
    "\n"
    "MAX_DEPTH = 25\n"
    "N_ESTIMATORS = 400\n"
    "SEED = 3\n"
    "space = {\n"
    '    "seed": SEED,\n'
    '    "max_depth": hp.choice("max_depth", np.arange(1, MAX_DEPTH, dtype=int)),\n'
    '    "n_estimators": hp.choice("n_estimators", [100, N_ESTIMATORS]),\n'
    '    "learning_rate": hp.loguniform("learning_rate", np.log(0.005), np.log(0.2)),\n'
    "}\n"
    "\n"
    "\n"
    "def final(model_cls):\n"
    "    return model_cls(n_estimators=N_ESTIMATORS)\n"
)


def test_a_constant_bounding_a_space_is_part_of_it(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/space.py": _BOUNDED})
    # `N_ESTIMATORS` is also the final model's setting: it stays a finding of its own, and a
    # seed fixed in the space is not searched (MLN203 as before)
    assert [(f[1], f[2]) for f in found] == [(5, "MLN201"), (6, "MLN203"), (7, "MLN209")]


# -- the same reading for a method the class calls on itself ----------------------------------

_METHODS = (
    "from xgboost import XGBClassifier\n"
    "\n"
    "\n"
    "class Pipeline:\n"
    "    def fit_booster(self, x, y, depth, label):\n"
    "        print(label)\n"
    "        return XGBClassifier(max_depth=depth).fit(x, y)\n"
    "\n"
    "    def run(self, x, y):\n"
    "        return self.fit_booster(x, y, depth=5, label=7)\n"
)


def test_a_method_the_class_calls_on_itself_is_read_the_same(tmp_path: Path) -> None:
    found = params_findings(tmp_path, {"src/pipeline.py": _METHODS})
    assert found == [("src/pipeline.py", 10, "MLN201", "5")]


# -- a CLI flag handed to a setting's keyword is that setting ----------------------------------

_CLI = (
    "import argparse\n"
    "\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "\n"
    "\n"
    "def main():\n"
    "    parser = argparse.ArgumentParser()\n"
    '    parser.add_argument("--trees", type=int, default=300)\n'
    '    parser.add_argument("--depth", type=int, default=8)\n'
    '    parser.add_argument("--report-every", type=int, default=50)\n'
    "    args = parser.parse_args()\n"
    "    model = RandomForestClassifier(n_estimators=args.trees, max_depth=args.depth)\n"
    "    print(args.report_every)\n"
    "    return model\n"
    "\n"
    "\n"
    'if __name__ == "__main__":\n'
    "    main()\n"
)


def test_a_cli_flag_handed_to_a_setting_is_that_setting(tmp_path: Path) -> None:
    files = {"train.py": _CLI, "Makefile": "train:\n\tpython train.py --depth 6\n"}
    found = params_findings(tmp_path, files)
    # `--depth` is passed by the pipeline's command, `--report-every` feeds no setting
    assert found == [("train.py", 8, "MLN201", "300")]
