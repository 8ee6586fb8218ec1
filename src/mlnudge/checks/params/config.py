"""The repository's own configuration: which files hold parameters, and what they say.

Computed once per run by :func:`collect` (through ``ctx.repo``, never opening files) and
handed to the per-file analysis as :class:`ConfigFacts`, whose :meth:`ConfigFacts.key` is part
of the per-file cache key.
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mlnudge.checks.params.files import (
    NOT_PARAM_FILES,
    PARAM_DIRS,
    PARAM_EXTENSIONS,
    configures_infrastructure,
    run_record,
)
from mlnudge.checks.params.tables import HYPERPARAMETERS, SEED_NAMES, THRESHOLD_NAMES
from mlnudge.facts.repo import Repo
from mlnudge.project import is_test_path

Scalar = str | int | float | bool

#: files that hold parameters wherever they are
PARAM_FILE_NAMES = frozenset(
    {
        "params.yaml",
        "params.yml",
        "params.json",
        "params.toml",
        "params.ini",
        "hparams.yaml",
        "hparams.yml",
        "hparams.json",
        "hyperparameters.json",
        "hyperparameters.yaml",
        "config.yaml",
        "config.yml",
        "config.json",
        "config.toml",
        "config.ini",
        "config.cfg",
        "settings.yaml",
        "settings.toml",
        "settings.ini",
        "train.yaml",
        "training.yaml",
    }
)
FORMATS = {
    ".yaml": "YAML",
    ".yml": "YAML",
    ".json": "JSON",
    ".toml": "TOML",
    ".ini": "INI",
    ".cfg": "INI",
}
ALIASES: dict[str, tuple[str, ...]] = {
    "lr": ("learning_rate",),
    "learning_rate": ("lr",),
    "epochs": ("max_epochs", "num_epochs", "n_epochs", "num_train_epochs"),
    "max_epochs": ("epochs", "num_epochs", "n_epochs"),
    "num_epochs": ("epochs", "max_epochs", "n_epochs"),
    "n_epochs": ("epochs", "max_epochs", "num_epochs"),
    "num_train_epochs": ("epochs", "num_epochs"),
    "seed": ("random_state", "random_seed"),
    "random_state": ("seed", "random_seed"),
    "random_seed": ("seed", "random_state"),
    "eta": ("learning_rate",),
    "threshold": ("decision_threshold", "proba_threshold", "prob_threshold"),
}
_INTERESTING = (
    frozenset(name.lower() for name in HYPERPARAMETERS)
    | SEED_NAMES
    | THRESHOLD_NAMES
    | frozenset({"alpha", "gamma", "c", "depth", "iterations"})
)
_KNOWN_TOOLS = frozenset(
    {
        "mlnudge",
        "ruff",
        "black",
        "isort",
        "mypy",
        "pytest",
        "coverage",
        "poetry",
        "hatch",
        "setuptools",
        "setuptools_scm",
        "pdm",
        "uv",
        "pylint",
        "pyright",
        "codespell",
        "cibuildwheel",
        "towncrier",
        "bumpversion",
        "commitizen",
        "semantic_release",
        "tox",
        "flit",
        "maturin",
        "scikit-build",
        "pydocstyle",
        "interrogate",
        "bandit",
        "docformatter",
        "sqlfluff",
        "nbqa",
        "jupytext",
        "kedro",
    }
)


@dataclass(frozen=True)
class Leaf:
    """One scalar setting: the file, its dotted key and its value."""

    file: str
    key: str
    value: Scalar


@dataclass(frozen=True)
class ConfigFacts:
    """What the repository's configuration says, as far as the params rules need it."""

    #: files recognised as parameter files, with the format of each
    files: tuple[tuple[str, str], ...] = ()
    #: where new keys should go (``params.yaml`` when nothing exists yet)
    main: str = "params.yaml"
    #: the top-level section hyperparameters live in
    section: str = "train"
    leaves: tuple[Leaf, ...] = ()
    #: last dotted part of Hydra ``_target_`` values (classes a config instantiates)
    targets: tuple[str, ...] = ()
    #: ``(file, key prefix, dotted target)`` of every Hydra ``_target_``
    target_files: tuple[tuple[str, str, str], ...] = ()
    #: ``(script, params file, key)``: a DVC stage runs ``script`` with that key (``""``: all)
    stages: tuple[tuple[str, str, str], ...] = ()
    #: a Kedro project: parameters go to ``conf/base/parameters.yml``, never the catalog
    kedro: bool = False
    #: ``(script, file, entry point, parameter, default)``: an MLflow project entry point
    #: runs ``script`` passing ``--parameter {parameter}`` (its default: what that run uses)
    entry_params: tuple[tuple[str, str, str, str, Scalar], ...] = ()
    _by_name: dict[str, list[Leaf]] = field(default_factory=dict, compare=False, repr=False)

    def key(self) -> str:
        """A stable text of every fact; part of the per-file cache key."""
        return json.dumps(
            {
                "files": self.files,
                "main": self.main,
                "section": self.section,
                "leaves": [(leaf.file, leaf.key, leaf.value) for leaf in self.leaves],
                "targets": self.targets,
                "target_files": self.target_files,
                "stages": self.stages,
                "kedro": self.kedro,
                "entry_params": self.entry_params,
            },
            sort_keys=True,
        )

    def to_json(self) -> dict[str, Any]:
        """The facts as JSON data (:meth:`from_json` reads them back)."""
        data: dict[str, Any] = json.loads(self.key())
        return data

    @classmethod
    def from_json(cls, data: Any) -> ConfigFacts:
        """Facts stored by :meth:`to_json`; raises ``KeyError``/``TypeError``/``ValueError``
        on anything else."""

        def rows(name: str, width: int) -> tuple[tuple[Any, ...], ...]:
            out = tuple(tuple(row) for row in data[name])
            if any(len(row) != width for row in out):
                raise ValueError(name)
            return out

        leaves = tuple(Leaf(str(f), str(k), v) for f, k, v in rows("leaves", 3))
        if not all(isinstance(leaf.value, str | int | float | bool) for leaf in leaves):
            raise TypeError("leaves")
        return cls(
            files=rows("files", 2),
            main=str(data["main"]),
            section=str(data["section"]),
            leaves=leaves,
            targets=tuple(str(t) for t in data["targets"]),
            target_files=rows("target_files", 3),
            stages=rows("stages", 3),
            kedro=bool(data["kedro"]),
            entry_params=tuple(
                (str(a), str(b), str(c), str(d), e) for a, b, c, d, e in rows("entry_params", 5)
            ),
        )

    def counterparts(self, name: str) -> list[Leaf]:
        """Leaves whose last key part is ``name`` (or a well-known alias of it)."""
        if not self._by_name and self.leaves:
            for leaf in self.leaves:
                last = leaf.key.rsplit(".", 1)[-1].lower()
                self._by_name.setdefault(last, []).append(leaf)
        lowered = name.lower()
        found = list(self._by_name.get(lowered, []))
        for alias in ALIASES.get(lowered, ()):
            found.extend(self._by_name.get(alias, []))
        return found

    def with_value(self, value: str) -> Leaf | None:
        """A leaf whose string value is ``value`` (for paths already in the configuration)."""
        wanted = _norm_path(value)
        for leaf in self.leaves:
            if isinstance(leaf.value, str) and _norm_path(leaf.value) == wanted:
                return leaf
        return None

    def leaf(self, key: str) -> Leaf | None:
        """The leaf with exactly this dotted key (in any file)."""
        return next((leaf for leaf in self.leaves if leaf.key == key), None)

    def entry_default(self, script: str, flag: str) -> tuple[str, str, Scalar] | None:
        """``(file, "<entry>.<parameter>", default)`` of an MLflow entry point that runs
        ``script`` passing ``flag`` (``--epochs``), when it has a default."""
        for path, file, entry, parameter, value in self.entry_params:
            if path == script and parameter == flag:
                return file, f"{entry}.{parameter}", value
        return None

    def has_part(self, name: str) -> bool:
        """Whether any key has ``name`` as one of its dotted parts (a section or a leaf)."""
        return any(name in leaf.key.split(".") for leaf in self.leaves)

    def feeds(self, leaf: Leaf, module: str) -> bool:
        """Whether a DVC stage runs ``module`` with ``leaf`` as one of its parameters."""
        for script, file, key in self.stages:
            if script != module or file != leaf.file:
                continue
            if not key or leaf.key == key or leaf.key.startswith(key + "."):
                return True
        return False

    def target_of(self, leaf: Leaf) -> str | None:
        """The Hydra ``_target_`` (dotted) that receives ``leaf``, if its node has one."""
        best: tuple[int, str] | None = None
        for file, prefix, target in self.target_files:
            if file != leaf.file:
                continue
            if prefix and not leaf.key.startswith(prefix + "."):
                continue
            own = leaf.key[len(prefix) + 1 if prefix else 0 :].count(".") == 0
            if own and (best is None or len(prefix) > best[0]):
                best = (len(prefix), target)
        return None if best is None else best[1]


#: words of config files and sections that say nothing about which call a key feeds
GENERIC_WORDS = frozenset(
    {
        "conf",
        "config",
        "configs",
        "params",
        "parameters",
        "param",
        "base",
        "default",
        "defaults",
        "local",
        "settings",
        "hparams",
        "hyperparameters",
        "train",
        "training",
        "model",
        "models",
        "experiment",
        "experiments",
        "main",
        "run",
        "fit",
        "data",
        "general",
        "common",
        "global",
        "yaml",
        "yml",
        "json",
        "toml",
        "ini",
        "cfg",
        "tool",
    }
)


def leaf_words(leaf: Leaf) -> set[str]:
    """What a leaf's file and sections say it configures (``conf/trainer/x.yaml`` ->
    ``trainer``; ``xgb.max_depth`` -> ``xgb``), without generic words."""
    parts = leaf.file.rsplit(".", 1)[0].split("/") + leaf.key.split(".")[:-1]
    words: set[str] = set()
    for part in parts:
        words.update(w for w in re.split(r"[^a-z0-9]+", part.lower()) if w)
        words.add(re.sub(r"[^a-z0-9]", "", part.lower()))
    return words - GENERIC_WORDS - {""}


def _norm_path(value: str) -> str:
    return value[2:] if value.startswith("./") else value.rstrip("/")


def is_config_file(path: str) -> bool:
    """Whether ``path`` is, by name and location, a parameter file of the project."""
    parts = path.split("/")
    name = parts[-1]
    if name in NOT_PARAM_FILES or not name.endswith(PARAM_EXTENSIONS):
        return False
    if configures_infrastructure(path):
        return False
    if is_test_path(path) or any(
        p.startswith(".") or p in ("fixtures", "docs", "examples", "node_modules") for p in parts
    ):
        return False
    if run_record(path):
        return False  # ``models/params.json`` beside the model, ``wandb/.../config.yaml``
    if name in PARAM_FILE_NAMES:
        return True
    return any(p in PARAM_DIRS for p in parts[:-1])


def candidate_files(repo: Repo) -> list[str]:
    """The parameter files by name and place (from the file listing alone)."""
    return [
        f
        for f in repo.files
        if is_config_file(f) and not f.rsplit("/", 1)[-1].startswith(("credentials", "logging"))
    ]


def mlproject_files(repo: Repo) -> list[str]:
    """MLflow project files (``MLproject``, any case) outside tests and docs."""
    return [
        f
        for f in repo.files
        if f.rsplit("/", 1)[-1].lower() == "mlproject"
        and not is_test_path(f)
        and not {"docs", "examples", "fixtures"} & set(f.split("/"))
    ]


def _entry_params(repo: Repo, path: str) -> Iterator[tuple[str, str, str, str, Scalar]]:
    """``(script, file, entry point, parameter, default)`` of each parameter an entry point's
    ``command`` passes to a Python script as ``--parameter {parameter}``."""
    data = repo.yaml(path)
    entries = data.get("entry_points") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    for entry, spec in entries.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("command"), str):
            continue
        command = spec["command"]
        scripts = [t.strip("\"'") for t in command.split() if t.strip("\"'").endswith(".py")]
        if len(scripts) != 1:
            continue
        script = base + scripts[0].removeprefix("./")
        parameters = spec.get("parameters")
        if not isinstance(parameters, dict):
            continue
        for name, declared in parameters.items():
            default = declared.get("default") if isinstance(declared, dict) else None
            if not isinstance(default, str | int | float) or isinstance(default, bool):
                continue
            flags = re.findall(r"--([\w-]+)[ =]\{" + re.escape(str(name)) + r"\}", command)
            for flag in flags:
                yield script, path, str(entry), flag.replace("-", "_"), default


def collect(repo: Repo) -> ConfigFacts:
    """Read the repository's parameter files once and summarise them."""
    return gather(repo)[0]


def gather(repo: Repo) -> tuple[ConfigFacts, tuple[str, ...]]:
    """:func:`collect`, and every file its result depends on: the candidates, ``dvc.yaml``,
    ``pyproject.toml`` and what a DVC stage lists under ``params:`` (present or not)."""
    candidates = candidate_files(repo)
    listed = list(_dvc_params_names(repo))
    candidates.extend(n for n in dict.fromkeys(listed) if n in repo.files and n not in candidates)
    projects = mlproject_files(repo)
    inputs = {*candidates, *listed, *projects, "dvc.yaml", "pyproject.toml"}
    files: list[tuple[str, str]] = []
    leaves: list[Leaf] = []
    targets: set[str] = set()
    target_files: list[tuple[str, str, str]] = []
    for path in sorted(set(candidates)):
        data = _load(repo, path)
        if data is None:
            continue
        found = list(_flatten(path, data, ""))
        if not found:
            continue
        files.append((path, FORMATS[path[path.rfind(".") :]]))
        for leaf in found:
            if leaf.key.endswith("_target_") and isinstance(leaf.value, str):
                targets.add(leaf.value.rsplit(".", 1)[-1])
                prefix = leaf.key[: -len("_target_")].rstrip(".")
                target_files.append((path, prefix, leaf.value))
            else:
                leaves.append(leaf)
    pyproject = repo.toml("pyproject.toml") if "pyproject.toml" in repo.files else None
    tool = pyproject.get("tool") if isinstance(pyproject, dict) else None
    if isinstance(tool, dict):
        for name, table in sorted(tool.items()):
            if name in _KNOWN_TOOLS or not isinstance(table, dict):
                continue
            found = list(_flatten("pyproject.toml", table, f"tool.{name}"))
            if any(_interesting(leaf.key) for leaf in found):
                files.append(("pyproject.toml", "TOML"))
                leaves.extend(found)
    kedro = _is_kedro(repo, pyproject)
    main, section = _main_file(files, leaves, (kedro_base(repo) or "conf/base/") if kedro else "")
    facts = ConfigFacts(
        files=tuple(files),
        main=main,
        section=section,
        leaves=tuple(leaves),
        targets=tuple(sorted(targets)),
        target_files=tuple(sorted(target_files)),
        stages=tuple(sorted(set(_dvc_stages(repo)))),
        kedro=kedro,
        entry_params=tuple(sorted({row for p in projects for row in _entry_params(repo, p)})),
    )
    return facts, tuple(sorted(inputs))


def _is_kedro(repo: Repo, pyproject: Any) -> bool:
    tool = pyproject.get("tool") if isinstance(pyproject, dict) else None
    if isinstance(tool, dict) and "kedro" in tool:
        return True
    return kedro_layout(repo)


def kedro_layout(repo: Repo) -> bool:
    """A Kedro project's ``conf/base/`` with a catalog or parameters (from the listing), at
    the root or in the project's folder (``risk-model/conf/base/``)."""
    return kedro_base(repo) is not None


def kedro_base(repo: Repo) -> str | None:
    """The Kedro project's ``conf/base/`` folder (``risk-model/conf/base/``), or ``None``."""
    for f in sorted(repo.files, key=lambda f: (f.count("/"), f)):
        folder, _, name = f.rpartition("/")
        if ("/" + folder).endswith("/conf/base") and name.startswith(("catalog", "parameters")):
            return folder + "/"
    return None


def _dvc_stages(repo: Repo) -> Iterator[tuple[str, str, str]]:
    """``(script, params file, key)`` for each DVC stage that runs a Python script."""
    if "dvc.yaml" not in repo.files:
        return
    data = repo.yaml("dvc.yaml")
    stages = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(stages, dict):
        return
    for stage in stages.values():
        if not isinstance(stage, dict):
            continue
        cmd = stage.get("cmd")
        text = " ".join(cmd) if isinstance(cmd, list) else str(cmd or "")
        scripts = set()
        for raw in text.split():
            token = raw.strip("\"'")
            if token.endswith(".py"):
                scripts.add(token[2:] if token.startswith("./") else token)
        for module in re.findall(r"-m\s+([\w.]+)", text):
            base = module.replace(".", "/")
            scripts.update({f"{base}.py", f"src/{base}.py"})
        params = stage.get("params")
        for item in params if isinstance(params, list) else ():
            for script in scripts:
                if isinstance(item, str):
                    yield script, "params.yaml", item
                elif isinstance(item, dict):
                    for file, keys in item.items():
                        if not isinstance(file, str):
                            continue
                        for key in keys if isinstance(keys, list) else [""]:
                            yield script, file, str(key)


def parameter_files(facts: ConfigFacts) -> list[tuple[str, str]]:
    """Recognised files that hold at least one parameter-like key (for the formats nudge)."""
    holding = {leaf.file for leaf in facts.leaves if _interesting(leaf.key)}
    return [(path, fmt) for path, fmt in facts.files if path in holding]


def _interesting(key: str) -> bool:
    return key.rsplit(".", 1)[-1].lower() in _INTERESTING


def _dvc_params_names(repo: Repo) -> Iterator[str]:
    """Files a ``dvc.yaml`` stage lists under ``params:`` (``- configs/train.yaml:``), whether
    they exist or not."""
    if "dvc.yaml" not in repo.files:
        return
    data = repo.yaml("dvc.yaml")
    stages = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(stages, dict):
        return
    for stage in stages.values():
        params = stage.get("params") if isinstance(stage, dict) else None
        for item in params if isinstance(params, list) else ():
            if isinstance(item, dict):
                for name in item:
                    if isinstance(name, str):
                        yield name


def _load(repo: Repo, path: str) -> Any:
    suffix = path[path.rfind(".") :]
    if suffix in (".yaml", ".yml"):
        return repo.yaml(path)
    if suffix == ".json":
        return repo.json(path)
    if suffix == ".toml":
        return repo.toml(path)
    text = repo.text(path)
    if text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        repo.error(path, "syntax", f"invalid INI: {str(exc).splitlines()[0]}")
        return None
    return {name: dict(parser[name]) for name in parser.sections()}


def _flatten(path: str, data: Any, prefix: str) -> Iterator[Leaf]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield from _flatten(path, value, name)
    elif isinstance(data, str | int | float | bool) and prefix:
        yield Leaf(path, prefix, _ini_number(data) if path.endswith((".ini", ".cfg")) else data)


def _ini_number(value: Scalar) -> Scalar:
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d*)?([eE]-?\d+)?", value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    return value


#: names of a primary configuration file (the one a run composes the others into)
_PRIMARY_NAMES = frozenset({"train", "config", "params", "parameters", "hparams", "main"})


def _primary_rank(path: str) -> tuple[int, int, str]:
    parts = path.split("/")
    return (len(parts), parts[-1].rsplit(".", 1)[0] not in _PRIMARY_NAMES, path)


def _main_file(
    files: Iterable[tuple[str, str]], leaves: list[Leaf], kedro: str = ""
) -> tuple[str, str]:
    """The configuration file and section suggestions name; ``kedro`` is a Kedro project's
    ``conf/base/`` folder (parameters go there, never to the data catalog)."""
    paths = [path for path, _ in files]
    main = "params.yaml"
    preferred_files: tuple[str, ...] = (
        "params.yaml",
        "params.yml",
        "conf/config.yaml",
        "configs/config.yaml",
    )
    if kedro:  # parameters, never the data catalog
        # Kedro loads every `parameters*.yml` of conf/base; `parameters.yml` is the one all
        # pipelines share, so it is named even when the values sit in per-pipeline files
        preferred_files = (kedro + "parameters.yml",)
        paths = [*paths, kedro + "parameters.yml"]
    for preferred in preferred_files:
        if preferred in paths:
            main = preferred
            break
    else:
        yamls = [p for p in paths if p.endswith((".yaml", ".yml"))]
        if yamls:
            # a Hydra project's primary config (``configs/train.yaml``), not the first file of
            # a group (``configs/callbacks/default.yaml``): the shallowest, a run's name first
            main = min(yamls, key=_primary_rank)
        elif paths:
            main = paths[0]
    sections: dict[str, int] = {}
    for leaf in leaves:
        if leaf.file == main and "." in leaf.key and _interesting(leaf.key):
            top = leaf.key.split(".", 1)[0]
            sections[top] = sections.get(top, 0) + 1
    section = max(sections, key=lambda s: (sections[s], s == "train")) if sections else "train"
    return main, section
