"""What is (and what only looks like) a parameter file: shared by the structure and params families.

Structure asks "does the project have a parameter file?"; params asks "which files do I read as
the project's configuration?". The questions differ, the knowledge below is one.
"""

from __future__ import annotations

import re

#: extensions of structured parameter files
PARAM_EXTENSIONS = (".yaml", ".yml", ".json", ".toml", ".ini", ".cfg")
#: folders that hold parameters (Hydra's ``configs/``, Kedro's ``conf/``)
PARAM_DIRS = frozenset({"configs", "config", "conf", "params", "hparams"})
#: folders a run writes into: a ``params.json`` beside ``model.pkl`` and ``metrics.json`` in
#: ``models/`` is what a run used (dumped), not what the next one reads
RUN_OUTPUT_DIRS = frozenset(
    {"models", "artifacts", "outputs", "output", "mlruns", "lightning_logs", "checkpoints"}
)
#: folders where a tracking tool keeps its runs (``wandb/run-2023.../files/config.yaml``): any
#: file below them is a run's record, however deep and whatever its name
RUN_RECORD_DIRS = frozenset({"wandb", "mlruns", "lightning_logs", "multirun"})
#: files that look like parameter files but configure tools, CI, packaging or environments
NOT_PARAM_FILES = frozenset(
    {
        ".flake8",
        ".pre-commit-config.yaml",
        ".readthedocs.yaml",
        "bentofile.yaml",
        "codecov.yml",
        "conda.yaml",
        "docker-compose.yaml",
        "docker-compose.yml",
        "dvc.lock",
        "dvc.yaml",
        "environment.yaml",
        "environment.yml",
        "jsconfig.json",
        "mkdocs.yml",
        "mypy.ini",
        "package.json",
        "pyproject.toml",
        "pyrightconfig.json",
        "pytest.ini",
        "renovate.json",
        "setup.cfg",
        "tox.ini",
        "tsconfig.json",
    }
)

#: words in a path that mark the configuration of infrastructure (monitoring, dashboards,
#: orchestration), not the training code's parameters: `monitoring/config/grafana_dashboards.yaml`,
#: `evidently_service/config.yaml`, `deployment/prometheus/config_map.k8.yaml`
INFRA_WORDS = frozenset(
    {
        "grafana", "prometheus", "alertmanager", "loki", "evidently", "k8", "k8s",
        "kubernetes", "helm", "charts", "terraform", "nginx", "traefik", "datasources",
        "dashboards", "kustomization", "skaffold",
        # a tracking server's or a service's own settings (`infrastructure/mlflow/auth.ini`)
        "infrastructure", "infra", "auth",
    }
)  # fmt: skip


def configures_infrastructure(path: str) -> bool:
    """Whether ``path`` configures a service beside the model (monitoring, dashboards,
    orchestration) rather than its training: never a parameter file."""
    return bool(INFRA_WORDS.intersection(re.split(r"[^a-z0-9]+", path.lower())))


def run_record(path: str) -> bool:
    """Whether ``path`` is what a run wrote rather than what the next one reads: a file in a
    folder under ``models/``, ``artifacts/``, ``outputs/`` or ``checkpoints/`` (a saved model's
    ``config.json`` and ``tokenizer_config.json`` in ``models/tuned_bert_model/``, a
    ``params.json`` beside ``model.pkl``), unless a parameter folder (``configs/``) says
    otherwise, and anything a tracking tool keeps (``wandb/``, ``mlruns/``, ``mlruns_xgb/``)."""
    parts = path.split("/")[:-1]
    if any(p in RUN_RECORD_DIRS or p.startswith("mlruns") for p in parts):
        return True
    return bool(RUN_OUTPUT_DIRS.intersection(parts)) and not PARAM_DIRS.intersection(parts)
