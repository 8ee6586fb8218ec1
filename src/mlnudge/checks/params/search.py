"""Hyperparameter search spaces (MLN209): one decision, reported once per space.

A space is an Optuna objective's ``trial.suggest_*`` calls, a grid dict handed to a search
(``GridSearchCV(model, {"C": [0.1, 1, 10]})``, ``param_grid = {...}``), a dict of Ray Tune /
hyperopt / scikit-optimize distributions (``tune.loguniform(1e-4, 1e-1)``) or a W&B sweep.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from typing import TypeGuard

from mlnudge.checks.params.paths import callee_name
from mlnudge.checks.params.syntax import is_number, slug
from mlnudge.facts.syntax import scope_nodes

#: search calls -> index of the positional argument that is the space
SEARCH_CALLS: dict[str, int] = {
    "GridSearchCV": 1,
    "RandomizedSearchCV": 1,
    "HalvingGridSearchCV": 1,
    "HalvingRandomSearchCV": 1,
    "BayesSearchCV": 1,
    "TuneSearchCV": 1,
    "TuneGridSearchCV": 1,
    "ParameterGrid": 0,
    "ParameterSampler": 0,
    "fmin": 1,
    "sweep": 0,
    "Tuner": -1,
    "run": -1,
}
#: keywords that hold a search space, whatever the callee
SPACE_KEYWORDS = frozenset(
    {
        "param_grid",
        "param_distributions",
        "search_spaces",
        "search_space",
        "param_space",
        "space",
        "sweep",
        "parameters",
    }
)
#: distributions of Ray Tune (``tune.``), hyperopt (``hp.``), scikit-optimize, scipy.stats
_TUNE = frozenset(
    {
        "uniform",
        "quniform",
        "loguniform",
        "qloguniform",
        "randn",
        "qrandn",
        "randint",
        "qrandint",
        "lograndint",
        "qlograndint",
        "choice",
        "grid_search",
        "sample_from",
        "normal",
        "qnormal",
        "lognormal",
        "pchoice",
    }
)
_SKOPT = frozenset(
    {
        "Real",
        "Integer",
        "Categorical",
        "FloatDistribution",
        "IntDistribution",
        "CategoricalDistribution",
    }
)
_SCIPY = frozenset({"loguniform", "uniform", "randint", "reciprocal", "expon", "norm"})
_SPACE_NAME = re.compile(
    r"(grid|space|sweep|distributions|param_dist|search_params|params_search|param_search)", re.I
)


def is_suggest(node: ast.AST) -> TypeGuard[ast.Call]:
    """``trial.suggest_int("depth", 3, 10)`` (Optuna)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr.startswith("suggest_")
    )


def is_distribution(node: ast.AST, *, in_search: bool = False) -> bool:
    """``tune.loguniform(...)``, ``hp.choice(...)``, ``Real(...)``; scipy's ``loguniform``
    only inside a search context."""
    if not isinstance(node, ast.Call):
        return False
    callee = callee_name(node.func)
    root, _, short = callee.rpartition(".")
    short = short or callee
    if root.split(".")[-1] in ("tune", "hp") and short in _TUNE:
        return True
    if short in _SKOPT:  # ``Integer`` is a common class name: a dimension is named or in a search
        return in_search or any(kw.arg in ("name", "prior", "low", "high") for kw in node.keywords)
    return in_search and short in _SCIPY and root.split(".")[-1] in ("", "stats", "scipy")


def search_vars(tree: ast.AST, source: str | None = None) -> frozenset[str]:
    """Names of variables handed to a search call as its space (``GridSearchCV(m, grid)``).

    With the module's ``source``, a module that names no search call and no space keyword is
    not walked at all (the names are identifiers: they appear in the text)."""
    if source is not None and _SEARCH_WORDS.search(source) is None:
        return frozenset()
    names: set[str] = set()
    for node in scope_nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        short = callee_name(node.func).rsplit(".", 1)[-1]
        index = SEARCH_CALLS.get(short)
        if index is not None and 0 <= index < len(node.args):
            arg = node.args[index]
            if isinstance(arg, ast.Name):
                names.add(arg.id)
        for kw in node.keywords:
            tune_config = kw.arg == "config" and short in ("run", "Tuner", "TuneConfig")
            if (kw.arg in SPACE_KEYWORDS or tune_config) and isinstance(kw.value, ast.Name):
                names.add(kw.value.id)
    return frozenset(names)


#: what a module that hands :func:`search_vars` a space must contain: a search call taking
#: the space by position (``GridSearchCV(``), or a space keyword (``param_grid=``, and
#: ``config=`` for Ray Tune's ``run``/``Tuner``); a prefilter, so most modules are not walked
_SEARCH_WORDS = re.compile(
    r"\b("
    + "|".join(sorted(name for name, index in SEARCH_CALLS.items() if index >= 0))
    + r")[\s\\]*\(|\b("
    + "|".join(sorted({*SPACE_KEYWORDS, "config"}))
    + r")[\s\\]*="
)


def space_context(
    var: str | None, parent: ast.AST | None, node: ast.AST, known: frozenset[str]
) -> bool:
    """Whether a dict or list sits where a search space goes."""
    if var is not None and (var in known or _SPACE_NAME.search(var)):
        return True
    if isinstance(parent, ast.keyword):
        return parent.arg in SPACE_KEYWORDS
    if isinstance(parent, ast.Dict):
        # ``{"pipeline": ..., "param_grid": {...}}``: the entry a table keys as a grid
        key = next((k for k, v in zip(parent.keys, parent.values, strict=True) if v is node), None)
        return (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and _SPACE_NAME.search(key.value) is not None
        )
    if isinstance(parent, ast.Call):
        short = callee_name(parent.func).rsplit(".", 1)[-1]
        index = SEARCH_CALLS.get(short)
        return index is not None and 0 <= index < len(parent.args) and parent.args[index] is node
    return False


def _choices(node: ast.expr) -> bool:
    """A list or tuple of at least two constants (numbers, strings, ``None``, booleans)."""
    return (
        isinstance(node, ast.List | ast.Tuple)
        and len(node.elts) >= 2
        and all(
            isinstance(e, ast.Constant)
            or (isinstance(e, ast.UnaryOp) and isinstance(e.operand, ast.Constant))
            for e in node.elts
        )
    )


def _one_choice(node: ast.expr) -> bool:
    """``[8]``: a grid dimension holding one constant."""
    return (
        isinstance(node, ast.List | ast.Tuple)
        and len(node.elts) == 1
        and isinstance(node.elts[0], ast.Constant | ast.UnaryOp)
    )


def _numeric_grid(node: ast.expr) -> bool:
    if not (_choices(node) and isinstance(node, ast.List | ast.Tuple)):
        return False
    for e in node.elts:
        inner = e.operand if isinstance(e, ast.UnaryOp) else e
        if isinstance(inner, ast.Constant) and type(inner.value) in (int, float):
            return True
    return False


def is_space(
    node: ast.AST,
    pairs: list[tuple[str, ast.expr]],
    *,
    context: bool,
    hyper: int,
    skip: frozenset[str] = frozenset(),
) -> bool:
    """Whether a dict (its ``pairs``) or a list of dicts/dimensions is a search space.

    ``context``: it sits where a space goes; ``hyper``: how many of its keys are known
    hyperparameter names.
    """
    if isinstance(node, ast.List):
        if node.elts and all(is_distribution(e) for e in node.elts):
            return True  # scikit-optimize dimensions
        return context and bool(node.elts) and all(isinstance(e, ast.Dict) for e in node.elts)
    values = [v for _, v in pairs]
    # ``scope.int(hp.quniform("depth", 1, 20, 1))``: a distribution wrapped in a cast
    wrapped = [v.args[0] for v in values if isinstance(v, ast.Call) and len(v.args) == 1]
    if any(is_distribution(v, in_search=context) for v in [*values, *wrapped]):
        return True
    keys = {k for k, _ in pairs}
    if {"method", "parameters"} <= keys:  # a W&B sweep
        return True
    # a range of literals is choices too (``{"max_depth": range(1, 11)}``)
    grids = [v for v in values if is_dimension(v)]
    if context and grids:
        return True
    # ``param_grid = {"num_leaves": [8], "max_depth": [6]}``: a grid of one point is a space
    if context and len(values) >= 2 and all(_one_choice(v) for v in values):
        return True
    numeric = [v for k, v in pairs if k not in skip and _numeric_grid(v)]
    # Outside a search, a grid lists alternatives for its settings: a dict whose numbers are
    # mostly single values (``{"filters": (16, 32), "kernels": (1, 3), "batch_size": 128,
    # "epochs": 1000, "lr": 0.001}``) is one configuration whose tuples are shapes
    single = [v for k, v in pairs if k not in skip and _single_number(v)]
    return len(numeric) >= 2 and hyper >= 2 and len(numeric) > len(single)


def _single_number(node: ast.expr) -> bool:
    inner = node.operand if isinstance(node, ast.UnaryOp) else node
    return isinstance(inner, ast.Constant) and type(inner.value) in (int, float)


_RANGES = frozenset({"range", "np.arange", "numpy.arange", "np.linspace", "numpy.linspace"})


#: the two bounds of a dimension written as a dict (``{"type": "int", "low": 5, "high": 100}``)
_BOUND_PAIRS = (("low", "high"), ("min", "max"), ("lower", "upper"))


def _bounds(node: ast.expr) -> bool:
    """``{"type": "float", "low": 0.005, "high": 0.05}``: a dimension spelled as a dict of its
    two numeric bounds (the arguments of ``suggest_float`` or ``tune.uniform`` written down),
    a search space's entry, never a single setting."""
    if not isinstance(node, ast.Dict):
        return False
    values = {
        k.value: v
        for k, v in zip(node.keys, node.values, strict=True)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    }
    return any(
        lo in values and hi in values and _single_number(values[lo]) and _single_number(values[hi])
        for lo, hi in _BOUND_PAIRS
    )


def is_dimension(node: ast.expr) -> bool:
    """One dimension of a space: choices (``[3, 5, 7]``), a range of literals
    (``range(10, 300, 10)``, ``np.linspace(0.1, 1, 5)``), a distribution or a dict of its
    bounds (``{"low": 5, "high": 100}``)."""
    if _choices(node) or is_distribution(node, in_search=True) or _bounds(node):
        return True
    return (
        isinstance(node, ast.Call)
        and callee_name(node.func) in _RANGES
        and len(node.args) >= 2
        and all(isinstance(a, ast.Constant) for a in node.args)
    )


def grids_by_model(node: ast.AST, pairs: list[tuple[str, ast.expr]]) -> list[str]:
    """``{"SVC": {"C": [0.1, 1, 10]}, "Forest": {"max_depth": [4, 8]}}`` where a space goes:
    one grid per model, looked up by the model being searched. The keys of its grids
    (``SVC__C`` as ``C``) when every value is a dict and one of them is a grid, else ``[]``."""
    if not isinstance(node, ast.Dict) or not pairs or len(pairs) != len(node.values):
        return []
    if not all(isinstance(value, ast.Dict) for _, value in pairs):
        return []
    keys: list[str] = []
    grid = False
    for value in (v for _, v in pairs if isinstance(v, ast.Dict)):
        inner = [
            (k.value, v)
            for k, v in zip(value.keys, value.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
        keys.extend(k.rsplit("__", 1)[-1] for k, _ in inner)
        grid = grid or any(is_dimension(v) for _, v in inner)
    return keys if grid else []


_ABLATION_NAME = re.compile(r"ablation", re.IGNORECASE)


def _override(node: ast.AST) -> list[str]:
    """The keys of ``{"num_frames": 4, "random_crop": True}``: settings set to constants."""
    if not isinstance(node, ast.Dict) or not node.keys:
        return []
    keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    constants = all(
        isinstance(v, ast.Constant)
        or (isinstance(v, ast.UnaryOp) and isinstance(v.operand, ast.Constant))
        for v in node.values
    )
    return keys if len(keys) == len(node.keys) and constants else []


def ablation_grid(var: str | None, node: ast.Dict | ast.List) -> list[str]:
    """``ABLATIONS = {"frames": [("f4", {"num_frames": 4}), ("f8", {"num_frames": 8})]}``: the
    variants an ablation study runs, each a dict of settings overriding a baseline, are a grid
    written in code. The settings it varies when the variable says ablation and at least two
    variant dicts sit inside it, else ``[]``."""
    if var is None or not _ABLATION_NAME.search(var):
        return []
    variants = [_override(sub) for sub in ast.walk(node) if sub is not node]
    variants = [keys for keys in variants if keys]
    return [k for keys in variants for k in keys] if len(variants) >= 2 else []


def suggested(calls: list[ast.Call]) -> list[str]:
    """The parameter names of ``trial.suggest_*("name", ...)`` calls."""
    names = []
    for call in calls:
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.append(first.value)
    return names


def spaces_per_model(
    node: ast.FunctionDef | ast.AsyncFunctionDef, calls: list[ast.Call]
) -> list[tuple[str, ast.Dict]]:
    """``if model == "lightgbm": return {"n_estimators": trial.suggest_int(...), ...}`` and one
    such dict per other model: the spaces of several models one function picks between. Each
    dict of suggestions directly under an ``if`` comparing with a string names its model; every
    suggestion must sit in one of them, and there must be two or more, else ``[]``."""
    found: list[tuple[str, ast.Dict]] = []
    for branch in (n for n in ast.walk(node) if isinstance(n, ast.If)):
        label = next(
            (
                c.value
                for c in ast.walk(branch.test)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            ),
            None,
        )
        if label is None:
            continue
        dicts = [
            sub
            for stmt in branch.body
            for sub in ast.walk(stmt)
            if isinstance(sub, ast.Dict) and any(is_suggest(v) for v in sub.values)
        ]
        if len(dicts) == 1:
            found = [(k, d) for k, d in found if d is not dicts[0]]  # the innermost ``if``
            found.append((slug(label), dicts[0]))
    inside = {id(c) for _, d in found for c in ast.walk(d)}
    if len(found) < 2 or any(id(call) not in inside for call in calls):
        return []
    return found


def _bodies(tree: ast.Module) -> Iterator[list[ast.stmt]]:
    """The module's body and every function's, each its own sequence of statements."""
    yield tree.body
    for node in scope_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.body


def _calls_in(body: list[ast.stmt]) -> Iterator[ast.Call]:
    """The calls of a body, not those of the functions, classes and lambdas it defines."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def tried_configurations(
    tree: ast.Module, tuned: Callable[[str, str], bool]
) -> list[tuple[str, list[ast.Call]]]:
    """*A table of configurations tried one after another is one search space*: three calls or
    more of one project function in one body (``evaluate(X, y, "deeper", max_depth=3,
    learning_rate=0.1)``, ``evaluate(X, y, "slower", max_depth=5, learning_rate=0.05)``, ...),
    each handing it literal settings (``tuned(callee, keyword)``) that no other call repeats
    whole: the candidates of a comparison, as a grid's rows are. Returns (callee, its calls)."""
    tables: list[tuple[str, list[ast.Call]]] = []
    for body in _bodies(tree):
        found: dict[str, list[tuple[ast.Call, tuple[tuple[str, str], ...]]]] = {}
        for call in _calls_in(body):
            callee = callee_name(call.func)
            settings = tuple(
                sorted(
                    (kw.arg, ast.unparse(kw.value))
                    for kw in call.keywords
                    if kw.arg is not None and is_number(kw.value) and tuned(callee, kw.arg)
                )
            )
            if settings:
                found.setdefault(callee, []).append((call, settings))
        for callee, rows in found.items():
            if len(rows) >= 3 and len({settings for _, settings in rows}) == len(rows):
                tables.append((callee, [call for call, _ in rows]))
    return tables
