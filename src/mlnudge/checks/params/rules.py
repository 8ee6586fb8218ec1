"""The params family's rules (MLN2xx): what each one says to a data scientist."""

from __future__ import annotations

from mlnudge.finding import Severity
from mlnudge.rules import Rule

HYPERPARAMETER = Rule(
    code="MLN201",
    name="hard-coded-hyperparameter",
    family="params",
    severity=Severity.WARNING,
    options=("hyperparameters", "calls"),
    summary="A hyperparameter is written as a literal in production code.",
    why=(
        "Values someone tunes belong in one configuration file: then every experiment is a "
        "reviewed change to one file, and the trained model can be traced back to its settings."
    ),
    fix=(
        "Move the value to the parameter file the message names (e.g. `train.n_estimators: 300` "
        "in `params.yaml`) and read it from there."
    ),
    example="model = RandomForestClassifier(n_estimators=300, max_depth=8)",
    use_instead=(
        'params = yaml.safe_load(open("params.yaml"))\n'
        'model = RandomForestClassifier(**params["train"])'
    ),
)
DATA_PATH = Rule(
    code="MLN202",
    name="hard-coded-data-path",
    family="params",
    severity=Severity.WARNING,
    summary="A data, model or output location is a string literal in production code.",
    why=(
        "Paths differ between laptops, CI and production; a path in code breaks the first time "
        "the project runs somewhere else, and hides which data a model was trained on."
    ),
    fix=(
        "Put the location in the parameter file the message names (e.g. "
        "`data.raw: data/raw/churn.csv` in `params.yaml`) and read it."
    ),
    example='df = pd.read_csv("/home/anna/data/churn.csv")',
    use_instead='df = pd.read_csv(params["data"]["raw"])',
)
SEED = Rule(
    code="MLN203",
    name="hard-coded-seed",
    family="params",
    severity=Severity.WARNING,
    summary="A random seed is a literal in production code.",
    why=(
        "The seed is part of an experiment's settings; kept in configuration it is recorded with "
        "every run and can be varied to check a result is not luck."
    ),
    fix=(
        "Put the seed in the parameter file (e.g. `seed: 42` in `params.yaml`) and pass "
        "`params['seed']` wherever a seed is needed."
    ),
    example="train_test_split(X, y, random_state=42)",
    use_instead='train_test_split(X, y, random_state=params["seed"])',
)
THRESHOLD = Rule(
    code="MLN204",
    name="hard-coded-threshold",
    family="params",
    severity=Severity.WARNING,
    summary="A decision threshold or cut-off is a literal in pipeline logic.",
    why=(
        "Where a score becomes a decision (`proba > 0.35`) or a feature is dropped (more than 40% "
        "missing) is a business choice that gets tuned; in code it changes silently, in "
        "configuration it is reviewed and recorded with the model."
    ),
    fix=(
        "Add the value to the parameter file (e.g. `evaluate.threshold: 0.35` in `params.yaml`) "
        "and compare with it."
    ),
    example="churners = scores[scores > 0.35]",
    use_instead='churners = scores[scores > params["evaluate"]["threshold"]]',
)
CONTRADICTION = Rule(
    code="MLN205",
    name="literal-contradicts-config",
    family="params",
    severity=Severity.ERROR,
    summary=(
        "A literal in code differs from the value the configuration gives the same setting "
        "of the same call (the key that feeds it)."
    ),
    why=(
        "Someone changes `params.yaml`, the run ignores it, and the recorded settings no longer "
        "describe the model: the worst kind of silent mismatch."
    ),
    fix="Delete the literal and read the value from the configuration file.",
    example=(
        "# dvc.yaml: the stage running train.py lists `params: [train]`\n"
        "# params.yaml: train: {n_estimators: 300}\n"
        "model = RandomForestClassifier(n_estimators=400)  # in train.py"
    ),
    use_instead='model = RandomForestClassifier(n_estimators=params["train"]["n_estimators"])',
)
SPREAD = Rule(
    code="MLN207",
    name="parameters-spread-over-formats",
    family="params",
    severity=Severity.INFO,
    scope="repo",
    summary="Parameters live in files of several formats (YAML and JSON and INI ...).",
    why=(
        "One format means one loader and one place to look; parameters spread over YAML, JSON "
        "and INI files are harder to find, to diff and to record with a run."
    ),
    fix="Move the parameters into the format most of them already use (usually YAML).",
    example="params.yaml\nconfigs/model.json\nsettings.ini",
    use_instead="params.yaml\nconfigs/model.yaml",
)

CREDENTIAL = Rule(
    code="MLN208",
    name="credential-in-code",
    family="params",
    severity=Severity.ERROR,
    summary=(
        "A password, token or secret key (tracking server, registry, cloud account) is a "
        "literal in code."
    ),
    why=(
        "A secret in code is a secret in every clone, fork, notebook output and in the git "
        "history for good; anyone who can read the repository can use the account, and the "
        "secret cannot be rotated without a code change."
    ),
    fix=(
        "Read it from an environment variable (set by your shell, a git-ignored `.env` file or "
        "the CI's secret store) and rotate the secret: it stays in the git history."
    ),
    example='os.environ["MLFLOW_TRACKING_PASSWORD"] = "s3cr3t-passw0rd"',
    use_instead=(
        "# export MLFLOW_TRACKING_PASSWORD in the shell, or in CI:\n"
        "#   env: {MLFLOW_TRACKING_PASSWORD: ${{ secrets.MLFLOW_TRACKING_PASSWORD }}}\n"
        'password = os.environ["MLFLOW_TRACKING_PASSWORD"]'
    ),
)
SEARCH_SPACE = Rule(
    code="MLN209",
    name="hard-coded-search-space",
    family="params",
    severity=Severity.WARNING,
    summary=(
        "A hyperparameter search space (Optuna `suggest_*`, a grid for `GridSearchCV`, "
        "`tune.uniform`) is written in code."
    ),
    why=(
        "The search space is one experimental decision: kept in configuration it is reviewed "
        "as one change, recorded with the study, and shared by every script that tunes the "
        "same model instead of drifting between copies."
    ),
    fix=(
        "Move the whole space to the configuration (e.g. `search.<objective or grid>:` in "
        "`params.yaml`) and build the grid or the `suggest_*` calls from it; the severity of "
        'this nudge is yours to set (`severity = {MLN209 = "info"}`).'
    ),
    example=(
        "def objective(trial):\n"
        '    max_depth = trial.suggest_int("max_depth", 3, 10)\n'
        '    eta = trial.suggest_float("eta", 1e-3, 0.3, log=True)'
    ),
    use_instead=(
        "# params.yaml:\n"
        "#   search:\n"
        "#     objective:\n"
        "#       max_depth: {low: 3, high: 10}\n"
        "#       eta: {low: 0.001, high: 0.3, log: true}\n"
        "def objective(trial):\n"
        '    space = params["search"]["objective"]\n'
        '    max_depth = trial.suggest_int("max_depth", **space["max_depth"])\n'
        '    eta = trial.suggest_float("eta", **space["eta"])'
    ),
)

RULES = (
    HYPERPARAMETER,
    DATA_PATH,
    SEED,
    THRESHOLD,
    CONTRADICTION,
    SPREAD,
    CREDENTIAL,
    SEARCH_SPACE,
)
