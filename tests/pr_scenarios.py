"""Git repositories with a ``main`` branch and a pull request branch, for base comparisons.

``main`` is the bundled churn example (about thirty findings: a realistic data-science
repository). Commits have fixed dates and authors, so their SHAs are the same on every run
(the docs example shows the merge-base's short SHA).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from mlnudge_testing import ROOT

EXAMPLE = ROOT / "examples" / "churn"
#: one hard-coded hyperparameter, nothing else
TUNE = (
    "from sklearn.linear_model import LogisticRegression\n\n\n"
    "def baseline_model():\n    return LogisticRegression(C=0.5)\n"
)
BOOSTING = '''"""A gradient-boosting challenger for the random forest."""

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier


def train_challenger(features: pd.DataFrame, target: pd.Series) -> GradientBoostingClassifier:
    model = GradientBoostingClassifier(n_estimators=200, learning_rate=0.05, max_depth=3)
    return model.fit(features, target)
'''


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Anna",
        "GIT_AUTHOR_EMAIL": "anna@example.invalid",
        "GIT_COMMITTER_NAME": "Anna",
        "GIT_COMMITTER_EMAIL": "anna@example.invalid",
        "GIT_AUTHOR_DATE": "2026-11-02T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-02T10:00:00+00:00",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    proc = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def churn_on_main(root: Path) -> str:
    """The churn example committed on ``main``, a ``feature`` branch checked out; main's SHA."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".mlnudge_cache", "__pycache__"))
    git(root, "init", "-q", "-b", "main")
    sha = commit(root, "The churn project")
    git(root, "checkout", "-q", "-b", "feature")
    return sha


def one_hyperparameter_pr(root: Path) -> str:
    """main + a pull request that adds exactly one hard-coded hyperparameter; main's SHA."""
    base = churn_on_main(root)
    (root / "churn" / "tune.py").write_text(TUNE)
    commit(root, "A logistic-regression baseline")
    return base


def realistic_pr(root: Path) -> str:
    """main + "Add a gradient-boosting challenger"; returns main's SHA.

    The pull request adds a module with three literals in one call, pins a new dependency
    exactly, adds a notebook cell with a hard-coded value (exploration: no nudge, since
    train.py is the pipeline), and moves the decision threshold
    and the output path of ``train.py`` to ``params.yaml`` (two findings fixed).
    """
    base = churn_on_main(root)
    (root / "churn" / "challenger.py").write_text(BOOSTING)
    requirements = root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "scikit-optimize==0.10.2\n")
    notebook = root / "churn_eda.ipynb"
    data = json.loads(notebook.read_text())
    data["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "from sklearn.ensemble import GradientBoostingClassifier\n",
                "quick = GradientBoostingClassifier(subsample=0.8)\n",
            ],
        }
    )
    notebook.write_text(json.dumps(data, indent=1) + "\n")
    train = root / "train.py"
    text = train.read_text()
    text = text.replace("import joblib\n", "import joblib\nimport yaml\n", 1)
    text = text.replace(
        "from churn.features import build_features\n",
        "from churn.features import build_features\n\n"
        'params = yaml.safe_load(open("params.yaml"))\n',
        1,
    )
    text = text.replace("proba > 0.35", 'proba > params["evaluate"]["threshold"]')
    text = text.replace('"data/at_risk_customers.csv"', 'params["output"]["at_risk"]')
    train.write_text(text)
    commit(root, "Add a gradient-boosting challenger")
    return base


def moves_a_function(root: Path) -> str:
    """main + a pull request that moves ``encode_contract_type`` to ``churn/encoding.py``."""
    base = churn_on_main(root)
    features = root / "churn" / "features.py"
    head, sep, rest = features.read_text().partition("def encode_contract_type")
    assert sep, "the example changed: encode_contract_type is gone"
    body, _, tail = rest.partition("\n\n\ndef ")
    # (``build_features`` still calls it: ``features.py`` imports it from its new module)
    head = head.replace(
        "import pandas as pd\n",
        "import pandas as pd\n\nfrom churn.encoding import encode_contract_type\n",
        1,
    )
    features.write_text(head.rstrip() + "\n\n\ndef " + tail)
    (root / "churn" / "encoding.py").write_text(
        "import pandas as pd\n\n\ndef encode_contract_type" + body + "\n"
    )
    commit(root, "Move encode_contract_type to its own module")
    return base


def shifts_every_line(root: Path) -> str:
    """main + a pull request that adds a header above everything in ``train.py``."""
    base = churn_on_main(root)
    train = root / "train.py"
    train.write_text('"""Moved down by a licence header."""\n# (c) 2026\n\n' + train.read_text())
    commit(root, "Licence header")
    return base


def fixes_two(root: Path) -> str:
    """main + a pull request that reads the split settings from params (two findings fixed)."""
    base = churn_on_main(root)
    train = root / "train.py"
    train.write_text(train.read_text().replace("test_size=0.2, random_state=42", "**SPLIT"))
    commit(root, "Split settings from params")
    return base


def renames_a_file(root: Path) -> str:
    """main + a pull request that renames ``train.py`` to ``train_model.py``."""
    base = churn_on_main(root)
    git(root, "mv", "train.py", "train_model.py")
    commit(root, "Rename the training script")
    return base
