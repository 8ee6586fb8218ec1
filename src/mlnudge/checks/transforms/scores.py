"""Negative evidence for MLN3xx: bodies that end in a number about the data, not in data.

A function that counts how often two arrays agree (an accuracy), gives back nothing but
reductions of its input (a mean, a standard deviation) or solves a linear system for weights
(a least-squares blend) computes a score, a statistic or a fit. Each finding is a
``kind: evidence`` string like those of :func:`~mlnudge.checks.transforms.negatives.negatives`.
"""

from __future__ import annotations

import ast

from mlnudge.checks.transforms.nodes import Body, call_text, names_in, root_name
from mlnudge.checks.transforms.tables import REDUCTIONS
from mlnudge.facts.syntax import walk

#: elementwise math that keeps a statistic a statistic (``torch.sqrt(ss / n)``)
_SCALAR_MATH = frozenset({"sqrt", "log", "exp", "abs", "float", "astype", "item", "round"})
#: reductions that group first: ``df.groupby("k").mean()`` is an aggregated table, not a number
_GROUPING = frozenset({"groupby", "resample", "rolling", "expanding", "ewm", "pivot_table"})
#: counts of a whole input (``v.numel()``, ``len(x)``): the denominators of a statistic
_COUNTS = frozenset({"numel", "len", "count", "nunique"})
#: array libraries whose reductions take the array first (``np.mean(x, 0)``)
_LIBRARIES = frozenset({"np", "numpy", "torch", "jnp", "tf", "math", "statistics", "scipy"})
#: solvers of a linear system: what they give back is the weights of a fitted linear model
_SOLVERS = frozenset({"lstsq", "pinv", "solve", "nnls"})


def scores(body: Body, derived: set[str]) -> list[str]:
    """The score, statistic or fit a body computes, as ``kind: evidence`` strings."""
    return [*_agreement(body), *_statistic(body), *_solves(body, derived)]


def _reduced(body: Body) -> list[ast.expr]:
    """Everything a reduction is applied to: ``np.sum(x)``'s ``x``, ``x.mean()``'s ``x``."""
    out: list[ast.expr] = []
    for call in body.calls:
        name = call_text(call) or ""
        last = name.rsplit(".", 1)[-1] if name else ""
        if isinstance(call.func, ast.Attribute) and call.func.attr in REDUCTIONS:
            out.append(call.func.value)
            out.extend(call.args[:1])
        elif last in REDUCTIONS or name in ("sum", "len"):
            out.extend(call.args[:1])
    return out


def _agreement(body: Body) -> list[str]:
    """``np.sum(true == pred) / n`` or ``hits = y == p`` then ``hits.mean()``: a count of where
    two arrays agree is an accuracy, a score of predictions, not data derived from them."""
    scalars = _scalars(body)
    compares: dict[str, ast.Compare] = {}
    for targets, value, _line in body.assigns:
        if isinstance(value, ast.Compare) and _two_arrays(value, scalars):
            for target in targets:
                if isinstance(target, ast.Name):
                    compares[target.id] = value
    for expr in _reduced(body):
        for node in walk(expr):
            hit = node if isinstance(node, ast.Compare) and _two_arrays(node, scalars) else None
            if hit is None and isinstance(node, ast.Name) and node.id in compares:
                hit = compares[node.id]
            if hit is not None:
                shown = ast.unparse(hit)[:30]
                return [f"metric: counts where two arrays agree (`{shown}`, reduced)"]
    return []


def _scalars(body: Body) -> set[str]:
    """Names that hold one value, not an array: a loop's element (``for pid in np.unique(g)``)
    and a parameter annotated or defaulted as a number or a string (``index: int = 2``)."""
    node = body.node
    scalars = {names for target, _iter in body.loops for names in names_in(target)}
    for comp in body.comprehensions:
        scalars |= {n for gen in comp.generators for n in names_in(gen.target)}
    for name, text in body.annotations.items():
        if text in ("int", "float", "str", "bool"):
            scalars.add(name)
    positional = node.args.posonlyargs + node.args.args
    defaults = list(
        zip(
            positional[len(positional) - len(node.args.defaults) :], node.args.defaults, strict=True
        )
    )
    defaults += [
        (a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d
    ]
    scalars |= {a.arg for a, d in defaults if isinstance(d, ast.Constant)}
    return scalars


def _two_arrays(node: ast.Compare, scalars: set[str]) -> bool:
    """``a == b`` (or ``!=``) between two different arrays, not an array and a constant, a
    loop's element or a number handed in (``label == index``: the mask of one class)."""
    if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
        return False
    sides = [node.left, node.comparators[0]]
    if not all(isinstance(s, ast.Name | ast.Subscript | ast.Attribute) for s in sides):
        return False
    if any(isinstance(s, ast.Name) and s.id in scalars for s in sides):
        return False
    left, right = (root_name(s) for s in sides)
    return bool(left and right and left != right)


def _statistic(body: Body) -> list[str]:
    """Every value returned is a reduction of the input (``v.sum() / n``, ``torch.sqrt(ss /
    n)``, ``(std, mean)``): a summary statistic of the data, one number (per axis handed
    through), not a table or an array derived from it."""
    values = [v for v in body.returns if v is not None]
    if not values:
        return []
    # every value bound to a name (``N -= 1`` adds ``N`` and ``1``: a constant or the name
    # itself changes nothing about what it holds)
    bound: dict[str, list[ast.expr]] = {}
    for targets, value, _line in body.assigns:
        for target in targets:
            if isinstance(target, ast.Name) and not (
                isinstance(value, ast.Constant)
                or (isinstance(value, ast.Name) and value.id == target.id)
            ):
                bound.setdefault(target.id, []).append(value)
    #: the reductions met: counts alone (``return len(rows)`` after writing them) are no statistic
    reductions: list[str] = []

    def statistic(expr: ast.expr, depth: int = 0) -> bool:
        if depth > 6:
            return False
        if isinstance(expr, ast.Tuple):
            return bool(expr.elts) and all(statistic(e, depth + 1) for e in expr.elts)
        if isinstance(expr, ast.BinOp):
            sides = [expr.left, expr.right]
            found = [s for s in sides if not isinstance(s, ast.Constant)]
            return bool(found) and all(statistic(s, depth + 1) for s in found)
        if isinstance(expr, ast.Name):
            held = bound.get(expr.id, [])
            return bool(held) and all(statistic(v, depth + 1) for v in held)
        if isinstance(expr, ast.Attribute) and expr.attr == "size":
            return True
        if not isinstance(expr, ast.Call):
            return False
        name = call_text(expr) or ""
        last = name.rsplit(".", 1)[-1]
        if last in _COUNTS:
            return True
        if last in _SCALAR_MATH:
            inner = expr.func.value if isinstance(expr.func, ast.Attribute) else None
            operands = [*expr.args[:1], *([inner] if last in ("astype", "item") and inner else [])]
            return bool(operands) and all(statistic(o, depth + 1) for o in operands)
        if last not in REDUCTIONS or set(name.split(".")) & _GROUPING:
            return False
        if any(isinstance(n, ast.Call) and _grouped(n) for n in walk(expr.func)):
            return False
        # a reduction along a given axis (``df.mean(axis=1)``, ``np.mean(stacked, 0)``) gives
        # an array: a feature per row, predictions averaged over folds; only a reduction of the
        # whole input, or along axes handed through by the caller, is a statistic
        method = isinstance(expr.func, ast.Attribute) and not (
            isinstance(expr.func.value, ast.Name) and expr.func.value.id in _LIBRARIES
        )
        positional = expr.args[0 if method else 1 :][:1]
        axis = [k.value for k in expr.keywords if k.arg in ("axis", "dim")] + positional
        if any(isinstance(a, ast.Constant | ast.Tuple | ast.UnaryOp) for a in axis):
            return False
        reductions.append(name)
        return True

    if all(statistic(v) for v in values) and reductions:
        shown = ast.unparse(values[0])[:30]
        return [f"statistic: returns a summary statistic of its input (`{shown}`)"]
    return []


def _grouped(call: ast.Call) -> bool:
    return (call_text(call) or "").rsplit(".", 1)[-1] in _GROUPING


def _solves(body: Body, derived: set[str]) -> list[str]:
    """``w = np.linalg.pinv(X.T @ X + l * I) @ X.T @ y`` then ``return X @ w, w``: solving a
    linear system for weights fits a linear model (a ridge regression, a blend of predictions)
    and gives back its weights; a transformation returns data, not the weights it solved for."""
    solved: set[str] = set()
    shown = ""
    for targets, value, _line in body.assigns:
        for node in walk(value):
            if not isinstance(node, ast.Call):
                continue
            name = call_text(node) or ""
            if name.rsplit(".", 1)[-1] in _SOLVERS and any(
                names_in(a) & derived for a in node.args
            ):
                solved |= {t.id for t in targets if isinstance(t, ast.Name)}
                shown = shown or name
    if not solved:
        return []
    direct = {v.id for v in body.returns if isinstance(v, ast.Name)} | {
        e.id
        for v in body.returns
        if isinstance(v, ast.Tuple)
        for e in v.elts
        if isinstance(e, ast.Name)
    }
    if solved & direct:
        return [f"fit: solves a linear system for weights (`{shown}()`)"]
    return []
