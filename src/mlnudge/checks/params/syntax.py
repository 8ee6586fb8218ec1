"""Small predicates over the syntax tree and names, shared by the params analysis.

:class:`Knowledge` merges the tables of :mod:`params_tables` with the user's options; the
functions below answer one question each about a node or a name (is it a number, a trivial
value, a switch between literals; which words does it hold; which config sections does a call
read), so :mod:`params_analysis` reads as the walk it is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from mlnudge.checks.params import libraries as L
from mlnudge.checks.params import paths as P
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.config import ConfigFacts, Leaf
from mlnudge.project import split_words
from mlnudge.settings import Options

callee_name = P.callee_name


@dataclass(frozen=True)
class Knowledge:
    """The name and call tables, merged with the user's options."""

    generic: frozenset[str]
    suffixes: tuple[str, ...]
    short_calls: dict[str, L.CallSpec]
    dotted_calls: dict[str, L.CallSpec]
    #: answers of :meth:`classify` and :meth:`spec` so far (one run asks the same names often)
    _classified: dict[str, tuple[str, str] | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _specs: dict[str, L.CallSpec | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, options: Options) -> Knowledge:
        extra_names = options.list("hyperparameters")
        generic = frozenset(T.HYPERPARAMETERS) | frozenset(extra_names)
        suffixes = tuple(
            sorted(
                n.lower()
                for n in generic
                if "_" in n or n in ("lr", "epochs", "dropout", "patience")
            )
        )
        short, dotted = L.merged_calls(options.list("calls"))
        return cls(generic, suffixes, short, dotted)

    def spec(self, callee: str, short: str) -> L.CallSpec | None:
        """The table entry of a call (``short`` is the last part of ``callee``)."""
        if callee not in self._specs:
            self._specs[callee] = self._spec(callee, short)
        return self._specs[callee]

    def _spec(self, callee: str, short: str) -> L.CallSpec | None:
        for suffix, dotted in self.dotted_calls.items():
            if callee == suffix or callee.endswith("." + suffix):
                return dotted
        found = self.short_calls.get(short)
        if found is not None and found.kind == "optimizer" and keras_like(callee):
            return L.KERAS_OPTIMIZER
        return found

    def classify(self, name: str) -> tuple[str, str] | None:
        """``(kind, canonical name)`` for a variable or parameter name, or ``None``."""
        if name not in self._classified:
            self._classified[name] = self._classify(name)
        return self._classified[name]

    def _classify(self, name: str) -> tuple[str, str] | None:
        # ``model__regressor__max_iter``: a scikit-learn pipeline's parameter is its last part
        lowered = snake(name).lstrip("_").rsplit("__", 1)[-1]
        if lowered in T.NOT_HYPERPARAMETERS:
            return None
        if lowered in T.SEED_NAMES or lowered.endswith("_seed"):
            return "seed", "seed" if lowered.endswith("_seed") else lowered
        if lowered in T.THRESHOLD_NAMES or lowered.endswith(
            ("_threshold", "_thresh", "_thres", "_cutoff", "_thresholds", "_cutoffs")
        ):
            return "threshold", lowered
        if lowered in ("thresholds", "cutoffs"):
            return "threshold", lowered
        if name in self.generic or lowered in self.generic or lookback(lowered):
            return "hp", lowered
        for suffix in self.suffixes:
            if lowered.endswith("_" + suffix):
                if suffix.endswith("batch_size") and split_words(lowered) & T.EVAL_WORDS:
                    return None  # ``val_batch_size``: evaluation changes no result
                return "hp", suffix
        return qualified_head(lowered)


#: hyperparameter names that keep their meaning with a qualifier after them
#: (``EPOCHS_FINETUNE``, ``LR_HEAD``, ``BATCH_SIZE_TRAIN``)
QUALIFIED_HEADS = (
    "learning_rate",
    "batch_size",
    "weight_decay",
    "n_estimators",
    "num_epochs",
    "n_epochs",
    "epochs",
    "dropout",
    "patience",
    "lr",
)
#: words after a head that make the name a counter, a schedule of logging or saving, or a
#: setting of evaluation (``epochs_done``, ``epochs_per_checkpoint``, ``batch_size_test``)
_NOT_QUALIFIERS = T.EVAL_WORDS | {
    "done",
    "run",
    "ran",
    "count",
    "counter",
    "since",
    "without",
    "no",
    "left",
    "remaining",
    "elapsed",
    "trained",
    "completed",
    "seen",
    "passed",
    "total",
    "idx",
    "index",
    "per",
    "between",
    "save",
    "checkpoint",
    "ckpt",
    "log",
    "print",
    "plot",
    "history",
    "list",
    "range",
    "finder",
    "find",
}


def qualified_head(lowered: str) -> tuple[str, str] | None:
    """``EPOCHS_FINETUNE = 6``, ``LR_HEAD = 1e-3``: a well-known hyperparameter name with a
    qualifier after it (which stage, which part of the model) is that hyperparameter, as
    ``FT_EPOCHS`` with the qualifier before it is. Counters and evaluation settings are not
    (``epochs_done``, ``epochs_per_checkpoint``, ``batch_size_test``)."""
    for head in QUALIFIED_HEADS:
        if lowered.startswith(head + "_"):
            rest = split_words(lowered[len(head) + 1 :])
            if not rest or rest & _NOT_QUALIFIERS:
                return None
            return "hp", head
    return None


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """``learningRate`` -> ``learning_rate``: a name means the same in camelCase as in
    snake_case (``LEARNING_RATE`` and ``learning_rate`` are lowered as they are)."""
    return _CAMEL.sub(r"\1_\2", name).lower()


#: units a history window is counted in (``days_back``, ``lookback_hours``)
_TIME_UNITS = frozenset(
    {"minutes", "hours", "days", "weeks", "months", "years", "min", "h", "d", "hrs", "mins"}
)


def lookback(name: str) -> bool:
    """``days_back``, ``lookback``, ``history_days``, ``HISTORICAL_DAYS_BACK``: how far back
    the data a run reads reaches is a setting of the data, as a hyperparameter is one of the
    model (``window`` alone stays silent: as often a feature's smoothing as a setting)."""
    words = split_words(name)
    if "lookback" in words or {"look", "back"} <= words:
        return True
    return bool(words & _TIME_UNITS) and bool(words & {"back", "history", "historical"})


def neutral(name: str, node: ast.expr) -> bool:
    """0/1/-1 under ``name`` say nothing (an identity, a flag), except for a count of time
    units a run reaches back (``days_back=1``): one day is a choice of window, as 60 is."""
    return trivial(node) and not (lookback(name) and number_value(node) >= 1)


def keras_like(callee: str) -> bool:
    return any(part in callee for part in L.KERAS_OPTIMIZERS)


PARAMISH_VAR = re.compile(
    r"(param|grid|space|config|cfg|hp|hparam|kwargs|args|settings|search)", re.I
)


ALIASES = {
    "xgb": {"xgboost"},
    "xgboost": {"xgb"},
    "lgb": {"lightgbm", "lgbm"},
    "lgbm": {"lightgbm", "lgb"},
    "lightgbm": {"lgb", "lgbm"},
    "catboost": {"cb", "cat"},
    "randomforest": {"rf", "random_forest", "forest"},
    "optim": {"optimizer"},
    "lr_scheduler": {"scheduler"},
    "dataloader": {"loader", "dataloader"},
}


def call_words(callee: str, spec: L.CallSpec | None) -> set[str]:
    """Words naming a call (``xgb.train`` -> xgb, xgboost; ``L.Trainer`` -> trainer)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", callee)
    words = {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if len(w) > 1}
    words.add(re.sub(r"[^a-z0-9]", "", callee.rsplit(".", 1)[-1].lower()))
    for word in list(words):
        words |= ALIASES.get(word, set())
    for prefix, names in (("xgb", {"xgb", "xgboost"}), ("lgbm", {"lgbm", "lightgbm", "lgb"})):
        if any(w.startswith(prefix) for w in words):
            words |= names
    if spec is not None and spec.kind in ("optimizer", "scheduler", "trainer", "loader"):
        words.add(spec.kind)
    return words - {"train", "fit", "model", "call", "classifier", "regressor", "cv"}


def owner_slug(callee: str) -> str:
    """``GridSearchCV`` -> ``grid_search_cv``; ``torch.optim.Adam`` -> ``adam``."""
    short = callee.rsplit(".", 1)[-1]
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", short)
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", spaced)
    return slug(spaced)


def sections_read(call: ast.Call) -> set[str]:
    """Config sections the arguments of ``call`` read (``cfg["train"]["epochs"]`` and
    ``cfg.train.epochs`` -> ``train``): the inner parts of subscript/attribute chains."""
    found: set[str] = set()
    for value in [*call.args, *(kw.value for kw in call.keywords)]:
        node: ast.expr = value
        chain: list[str] = []
        while isinstance(node, ast.Subscript | ast.Attribute):
            if isinstance(node, ast.Attribute):
                chain.append(node.attr)
            elif isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                chain.append(node.slice.value)
            node = node.value
        found.update(chain[1:])  # the last part read is the setting, the rest its sections
    return found


def hydra_classes(path: str, facts: ConfigFacts) -> dict[str, tuple[str, str]]:
    """Classes (or functions) of the module at ``path`` that a Hydra config instantiates."""
    stem = path[:-3] if path.endswith(".py") else path
    stem = stem[:-9] if stem.endswith("/__init__") else stem
    found: dict[str, tuple[str, str]] = {}
    for file, prefix, target in facts.target_files:
        module, _, name = target.rpartition(".")
        if module and (
            stem == module.replace(".", "/") or stem.endswith("/" + module.replace(".", "/"))
        ):
            found.setdefault(name, (file, prefix))
    return found


def target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        key = target.slice
        base = source_text(target.value)
        # ``cfg["max_iter"] = 500``, ``os.environ["X"] = ...``; never a DataFrame column
        paramish = "environ" in base or bool(PARAMISH_VAR.search(base.rsplit(".", 1)[-1]))
        if paramish and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def quiet_call(callee: str, short: str, root: str) -> bool:
    if short in T.QUIET_CALLS or root in ("re", "regex", "logging", "logger", "log", "st"):
        return True
    if drawing_call(callee, short, root):
        return True  # ``tree.plot_tree(clf, max_depth=3)``: how a model is drawn
    return short.endswith(("Error", "Exception", "Warning"))


def drawing_call(callee: str, short: str, root: str) -> bool:
    """``plot_tree(...)``, ``sns.heatmap(...)``, ``df.plot.bar(...)``: a drawing."""
    if short.startswith(("plot_", "plot", "show", "display", "visuali", "export_graphviz")):
        return True
    return root in T.PLOT_ROOTS or short in T.PLOT_CALLS or ".plot." in callee


def cli_call(callee: str, short: str) -> bool:
    return short in T.CLI_CALLS and (
        short == "add_argument" or callee.startswith(("click.", "typer.", "argparse."))
    )


#: arithmetic a literal may be written with (``1 / 2``, ``3e-4 * 2``, ``2 ** 6``)
_FOLDED: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def _folded(node: ast.BinOp) -> float | None:
    """The value of arithmetic on literals only (``1 / 2`` is 0.5), or ``None``."""
    fold = _FOLDED.get(type(node.op))
    if fold is None or not (is_number(node.left) and is_number(node.right)):
        return None
    try:
        value = fold(number_value(node.left), number_value(node.right))
    except (ArithmeticError, ValueError):
        return None
    return value if isinstance(value, float) and abs(value) < 1e12 else None


def number_value(node: ast.expr) -> float:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -number_value(node.operand)
    if isinstance(node, ast.BinOp):
        value = _folded(node)
        assert value is not None
        return value
    assert isinstance(node, ast.Constant) and isinstance(node.value, int | float)
    return float(node.value)


def is_number(node: ast.expr) -> bool:
    """A numeric literal, also written as arithmetic on literals: a number is its value
    however it is spelled (``threshold = 1 / 2`` is 0.5, ``lr = 3e-4 * 2``)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.BinOp):
        return _folded(node) is not None
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def cast_number(node: ast.expr) -> bool:
    """``int(1e4)``, ``float(5000)``: a literal number (not 0 or ±1) cast to a type is that
    number, spelled so that a float literal becomes a count."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("int", "float")
        and len(node.args) == 1
        and not node.keywords
        and is_number(node.args[0])
        and not trivial(node.args[0])
    )


def capped(node: ast.expr) -> ast.expr | None:
    """``min(30, len(embs))``: a literal count capped by the size of the data it is taken
    from. The literal (the setting; the cap only guards small inputs), or ``None``."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "min"
        and len(node.args) == 2
        and not node.keywords
    ):
        return None
    literal = [a for a in node.args if is_int(a) and not trivial(a)]
    sizes = [
        a
        for a in node.args
        if isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "len"
    ]
    return literal[0] if len(literal) == 1 and len(sizes) == 1 else None


def numeric_choice(node: ast.expr, *, ints: bool = False) -> bool:
    """``7 if not quick else 2``: a switch between literal values, at least one not trivial."""
    if not isinstance(node, ast.IfExp):
        return False
    branches = [node.body, node.orelse]
    check = is_int if ints else is_number
    return all(check(b) for b in branches) and any(not trivial(b) for b in branches)


def is_int(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def is_float(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is float


def is_number_seq(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Tuple | ast.List)
        and bool(node.elts)
        and all(is_number(e) for e in node.elts)
    )


def trivial(node: ast.expr) -> bool:
    """0, 1 or -1 (an identity, a flag, a guard); arithmetic that lands next to them
    (``1 - 1e-15``) is a numerical guard too."""
    if not is_number(node):
        return False
    value = number_value(node)
    if isinstance(node, ast.BinOp):
        return any(abs(value - t) < 1e-9 for t in (0.0, 1.0, -1.0))
    return value in (0.0, 1.0, -1.0)


def is_difference(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        return True
    return isinstance(node, ast.Call) and callee_name(node.func).rsplit(".", 1)[-1] in (
        "abs",
        "fabs",
    )


def name_words(node: ast.expr) -> set[str]:
    words: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            words |= split_words(sub.id)
        elif isinstance(sub, ast.Attribute):
            words |= split_words(sub.attr)
    return words


def expr_tokens(node: ast.expr) -> set[str]:
    words: set[str] = set()
    for sub in ast.walk(node):
        text = ""
        if isinstance(sub, ast.Name):
            text = sub.id
        elif isinstance(sub, ast.Attribute):
            text = sub.attr
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            text = sub.value
        if text and len(text) < 60:
            lowered = text.lower()
            parts = re.split(r"[^a-z0-9]+", lowered)
            words.update(parts)
            words.add(re.sub(r"[^a-z0-9]", "", lowered))
            # ``ks_p_value``: a one-letter word joins the next (``pvalue``), as in ``p_value``
            words.update(a + b for a, b in pairwise(parts) if len(a) == 1)
    return words


def threshold_name(tokens: set[str]) -> str:
    if tokens & {"missing", "isna", "isnull", "null", "nan"}:
        return "max_missing_rate"
    if tokens & {"pvalue", "pvalues", "pval", "pvals"}:
        return "p_value_threshold"
    if tokens & {"corr", "correlation"}:
        return "correlation_threshold"
    if tokens & {"auc", "f1", "accuracy", "acc", "precision", "recall"}:
        return "min_score"
    return "threshold"


def source_text(node: ast.expr) -> str:
    return ast.unparse(node)


def shorten(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 3] + "..."


def slug(text: str, *, keep_case: bool = False) -> str:
    """A key part: letters, digits and ``_`` only (no dots from file names or dict keys)."""
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "value"
    return cleaned if keep_case else cleaned.lower()


def assigned_name(parent: ast.AST | None) -> str | None:
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
    elif isinstance(parent, ast.AnnAssign):
        target = parent.target
    elif isinstance(parent, ast.keyword):
        return parent.arg
    else:
        return None
    return target_name(target)


def same_value(leaf: Leaf, node: ast.expr) -> bool:
    if is_number(node) and isinstance(leaf.value, int | float) and not isinstance(leaf.value, bool):
        return abs(number_value(node) - float(leaf.value)) <= 1e-12 * max(
            1.0, abs(float(leaf.value))
        )
    if isinstance(node, ast.List | ast.Tuple) and isinstance(leaf.value, str):
        return leaf.value.replace(" ", "") == source_text(node).replace(" ", "")
    return False


def best_leaf(leaves: list[Leaf], group: str) -> Leaf:
    """The counterpart whose key shares most words with the call (``xgb.max_depth`` for XGB)."""
    words = set(re.split(r"[^a-z0-9]+", group.lower()))
    return max(leaves, key=lambda leaf: len(words & set(leaf.key.lower().split("."))))
