"""Family 2 (MLN2xx): parameters isolated in configuration, not hard-coded.

File-level and pure: ``analyse(module, options)`` depends only on the module's source and the
options, so its results are cached per file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlnudge.checks.base import CheckContext, FamilySpec, in_cell
from mlnudge.config import Option, Options
from mlnudge.finding import Finding, Severity
from mlnudge.project import is_test_path
from mlnudge.repo import PyModule
from mlnudge.rules import Rule

HYPERPARAMETER = Rule(
    code="MLN201",
    name="hard-coded-hyperparameter",
    family="params",
    severity=Severity.WARNING,
    options=("hyperparameters",),
    summary="A hyperparameter is written as a literal in production code.",
    why=(
        "Values someone tunes belong in one configuration file: then every experiment is a "
        "reviewed change to one file, and the trained model can be traced back to its settings."
    ),
    fix="Move the value to `params.yaml` (e.g. `train.n_estimators: 300`) and read it from there.",
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
    summary="A data, model or output location is a string literal in an I/O call.",
    why=(
        "Paths differ between laptops, CI and production; a path in code breaks the first time "
        "the project runs somewhere else, and hides which data a model was trained on."
    ),
    fix="Put the location in `params.yaml` (e.g. `data.raw: data/raw/churn.csv`) and read it.",
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
    fix="Add `seed: 42` to `params.yaml` and pass `params['seed']` everywhere a seed is needed.",
    example="train_test_split(X, y, random_state=42)",
    use_instead='train_test_split(X, y, random_state=params["seed"])',
)

RULES = (HYPERPARAMETER, DATA_PATH, SEED)

DEFAULT_HYPERPARAMETERS = (
    "learning_rate",
    "lr",
    "n_estimators",
    "max_depth",
    "num_leaves",
    "batch_size",
    "epochs",
    "max_epochs",
    "num_epochs",
    "dropout",
    "weight_decay",
    "test_size",
    "min_samples_leaf",
    "min_samples_split",
    "subsample",
    "colsample_bytree",
    "C",
    "alpha",
    "l1_ratio",
    "momentum",
    "hidden_size",
    "num_layers",
    "n_components",
    "max_iter",
    "gamma",
    "reg_alpha",
    "reg_lambda",
    "min_child_weight",
    "num_boost_round",
    "early_stopping_rounds",
    "warmup_steps",
    "patience",
)
SEED_NAMES = frozenset({"random_state", "seed", "random_seed"})
SEED_CALLS = frozenset({"manual_seed", "seed", "set_seed", "set_random_seed", "seed_everything"})
IO_CALLS = frozenset(
    {
        "read_csv",
        "read_parquet",
        "read_json",
        "read_excel",
        "read_feather",
        "read_pickle",
        "read_table",
        "to_csv",
        "to_parquet",
        "to_json",
        "to_excel",
        "to_pickle",
        "open",
        "Path",
        "load",
        "save",
        "dump",
        "load_model",
        "save_model",
        "loadtxt",
        "savetxt",
        "imread",
    }
)

OPTIONS = (
    Option(
        "hyperparameters",
        "list",
        [],
        "Extra keyword names treated as hyperparameters (added to the built-in table).",
    ),
    Option(
        "include-notebooks",
        "bool",
        False,
        "Also look at notebooks under the notebooks directory (exploration is skipped by default).",
    ),
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(*(r.code for r in RULES)):
        return
    home = ctx.config.notebooks_dir.rstrip("/") + "/"
    include_nb = ctx.options.bool("include-notebooks")
    for path in ctx.target_files(".py", ".ipynb"):
        if is_test_path(path) or path.endswith("setup.py"):
            continue
        if path.endswith(".ipynb") and path.startswith(home) and not include_nb:
            continue
        module = ctx.repo.python(path)
        if module is None:
            continue
        options = ctx.options
        yield from ctx.per_file(module, lambda m: analyse(m, options))


def analyse(module: PyModule, options: Options) -> list[Finding]:
    """All params findings in one module: a pure function of its source and the options."""
    names = frozenset(DEFAULT_HYPERPARAMETERS) | frozenset(options.list("hyperparameters"))
    found: list[Finding] = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node.func)
        for kw in node.keywords:
            if kw.arg is None or not _is_number(kw.value):
                continue
            value = ast.unparse(kw.value)
            if kw.arg in SEED_NAMES:
                found.append(
                    _at(
                        SEED,
                        module,
                        kw.value,
                        f"Seed `{kw.arg}={value}` is hard-coded in `{callee}()`.",
                        f"seed:{callee}.{kw.arg}",
                    )
                )
            elif kw.arg in names and not _trivial(kw.value):
                key = f"train.{kw.arg}"
                found.append(
                    _at(
                        HYPERPARAMETER,
                        module,
                        kw.value,
                        f"`{kw.arg}={value}` is hard-coded in `{callee}()`; "
                        f"suggest `{key}: {value}` in params.yaml.",
                        f"hp:{callee}.{kw.arg}",
                        details={"key": key, "value": value, "call": callee},
                    )
                )
        if callee.rsplit(".", 1)[-1] in SEED_CALLS and node.args and _is_number(node.args[0]):
            value = ast.unparse(node.args[0])
            found.append(
                _at(
                    SEED,
                    module,
                    node.args[0],
                    f"Seed `{callee}({value})` is hard-coded.",
                    f"seed:{callee}",
                )
            )
        short = callee.rsplit(".", 1)[-1]
        if short in IO_CALLS:
            for arg in node.args[:1]:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and _looks_like_data_path(arg.value)
                ):
                    found.append(
                        _at(
                            DATA_PATH,
                            module,
                            arg,
                            f"Path `{_short(arg.value)}` is hard-coded in `{callee}()`.",
                            f"path:{callee}:{arg.value}",
                        )
                    )
    findings = sorted(found, key=Finding.sort_key)
    return [in_cell(module, f) for f in findings] if module.is_notebook else findings


def _at(
    rule: Rule,
    module: PyModule,
    node: ast.expr,
    message: str,
    anchor: str,
    details: dict[str, str | int | float | bool | None] | None = None,
) -> Finding:
    return rule.finding(
        module.path,
        message,
        line=node.lineno,
        column=node.col_offset + 1,
        end_line=node.end_lineno,
        end_column=(node.end_col_offset or 0) + 1,
        anchor=anchor,
        details=details,
    )


def _callee(func: ast.expr) -> str:
    try:
        return ast.unparse(func)
    except Exception:  # pragma: no cover - ast.unparse handles every expression
        return "call"


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _trivial(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in (0, 1, -1) and type(node.value) is int


def _looks_like_data_path(value: str) -> bool:
    if not value or "\n" in value or "{" in value or len(value) > 300:
        return False
    if value.startswith(
        ("s3://", "gs://", "abfss://", "az://", "hdfs://", "/home/", "/mnt/", "/data/", "C:\\", "~")
    ):
        return True
    data_ext = (
        ".csv",
        ".parquet",
        ".pkl",
        ".pickle",
        ".joblib",
        ".pt",
        ".pth",
        ".h5",
        ".json",
        ".feather",
        ".npy",
        ".npz",
        ".onnx",
        ".xlsx",
        ".txt",
        ".tsv",
    )
    config_names = ("params.yaml", "params.yml", "config.yaml", "config.yml")
    if (
        value.rsplit("/", 1)[-1] in config_names
        or "/conf" in value
        or value.startswith(("conf", "config"))
    ):
        return False
    return value.lower().endswith(data_ext) or value.startswith(
        ("data/", "models/", "output/", "outputs/", "./data")
    )


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


SPEC = FamilySpec(name="params", rules=RULES, options=OPTIONS, check=check)
