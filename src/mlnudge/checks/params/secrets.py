"""Credentials written in code (MLN208): which names hold secrets, which literals are real.

The value is never returned or shown: callers get a yes/no and a description of *where* the
secret sits (a variable name, an environment variable, a keyword), so no report can leak it.
"""

from __future__ import annotations

import re

from mlnudge.project import word_list

#: tokens of a name that, as the last word, make it a credential when another word says so
_SERVICE_WORDS = frozenset(
    {
        "access",
        "api",
        "auth",
        "bearer",
        "hf",
        "huggingface",
        "hub",
        "github",
        "gh",
        "gitlab",
        "wandb",
        "mlflow",
        "tracking",
        "kaggle",
        "slack",
        "registry",
        "refresh",
        "personal",
        "pat",
        "secret",
        "session",
        "comet",
        "neptune",
        "openai",
        "aws",
        "azure",
        "gcp",
        "dvc",
        "docker",
        "pypi",
        "client",
        "bot",
        "telegram",
        "discord",
        "storage",
        "account",
        "private",
        "subscription",
        "master",
        "service",
        "sas",
    }
)
_NEVER_SECRET_LAST = frozenset(
    {
        "path",
        "file",
        "dir",
        "env",
        "var",
        "name",
        "field",
        "prompt",
        "length",
        "len",
        "id",
        "type",
        "url",
        "uri",
        "header",
        "param",
        "policy",
        "hash",
        "regex",
        "pattern",
        "label",
        "help",
        "column",
        "col",
        "idx",
        "index",
        "count",
        "ids",
    }
)
#: well-known token shapes (GitHub, Hugging Face, AWS access keys, OpenAI, Slack, W&B v1), and
#: the incoming-webhook URLs of Slack and Discord, whose path is the secret: whoever has one
#: posts to the channel
_TOKEN_SHAPES = re.compile(
    r"^(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|hf_[A-Za-z0-9]{30,}|"
    r"AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,}|xox[bpas]-[A-Za-z0-9-]{10,}|"
    r"glpat-[A-Za-z0-9_-]{20,}|"
    r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}|"
    r"https://(?:(?:canary|ptb)\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]{30,})$"
)
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@", re.I)
_CONNECTION_SECRET = re.compile(r"(AccountKey|SharedAccessSignature|Password|pwd)=[^;]{4,}", re.I)
_PLACEHOLDER = re.compile(
    r"your|here|example|dummy|placeholder|changeme|change_me|redacted|xxx|\*\*\*|\.\.\.|"
    r"^<.*>$|^\$|\$\{|^\{.*\}$|^(none|null|todo|tbd|test|secret|password|token|fake)$|"
    # well-known defaults of local development containers (MLflow, Postgres, MinIO)
    r"^(postgres|admin|root|mlflow|minioadmin|minio123|guest|airflow|user)$",
    re.I,
)


def secret_name(name: str) -> bool:
    """Whether a variable, key or keyword named ``name`` holds a credential.

    ``MLFLOW_TRACKING_PASSWORD``, ``AWS_SECRET_ACCESS_KEY``, ``hf_token``, ``api_key``,
    ``client_secret`` do; ``pad_token``, ``token_path``, ``password_env``, ``secret_name`` don't.
    """
    words = word_list(name)
    if not words or words[-1] in _NEVER_SECRET_LAST:
        return False
    last = words[-1]
    if last in ("password", "passwd", "pwd", "passphrase", "apikey", "secret"):
        return True
    if last in ("key", "token", "credentials", "credential", "pat"):
        if "secret" in words or "apikey" in words:
            return True
        if last == "key" and len(words) >= 2 and words[-2] in ("api", "access", "private"):
            return True
        return any(w in _SERVICE_WORDS for w in words[:-1])
    if len(words) >= 2 and words[-2:] in (["secret", "key"], ["access", "key"]):
        return True
    return name.lower() in ("aws_access_key_id",)


def secret_value(value: str) -> bool:
    """Whether a literal assigned to a credential name is a real secret (not a placeholder,
    an environment variable's name, a file path or an empty string)."""
    text = value.strip()
    if len(text) < 6 or any(c.isspace() for c in text):
        return False
    if _PLACEHOLDER.search(text):
        return False
    if re.fullmatch(r"[A-Z][A-Z0-9_]+", text):
        return False  # the *name* of an environment variable
    if "/" in text and "://" not in text and not _TOKEN_SHAPES.match(text):
        mixed = re.search(r"[a-z]", text) and re.search(r"[A-Z]", text) and re.search(r"\d", text)
        if text.startswith(("/", ".", "~")) or not mixed:
            return False  # a path to a secrets file (or a secret manager's name): not the secret
    return not text.endswith((".json", ".txt", ".yaml", ".yml", ".env", ".pem", ".key"))


def token_shaped(value: str) -> bool:
    """A literal that is a credential by its shape, whatever it is assigned to."""
    text = value.strip()
    return bool(_TOKEN_SHAPES.match(text)) and not _PLACEHOLDER.search(text)


def url_password(value: str) -> bool:
    """``https://user:s3cret@host/`` or a connection string with ``AccountKey=...``."""
    match = _URL_WITH_PASSWORD.match(value)
    if match is not None and not _PLACEHOLDER.search(match.group(1)):
        return True
    found = _CONNECTION_SECRET.search(value)
    return found is not None and not _PLACEHOLDER.search(found.group(0).split("=", 1)[1])


#: ``KAGGLE_KEY=... kaggle competitions download``, ``export HF_TOKEN=...``: a variable set for
#: a shell command, written in the command's text
_SHELL_ASSIGNMENT = re.compile(
    r"(?:^|[\s;&|(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=([\"']?)([^\s\"';&|)]+)\2"
)


def shell_secret(command: str) -> str | None:
    """The name of a credential a shell command sets to a literal (``KAGGLE_KEY=<key> kaggle
    ...`` -> ``KAGGLE_KEY``), or ``None``. The value is never returned."""
    for match in _SHELL_ASSIGNMENT.finditer(command):
        if secret_name(match.group(1)) and secret_value(match.group(3)):
            return match.group(1)
    return None


def env_name(name: str) -> str:
    """The environment variable a credential should come from (``hf_token`` -> ``HF_TOKEN``)."""
    return "_".join(word_list(name)).upper() or "SECRET"
