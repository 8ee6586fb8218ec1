"""The weights of a hand-written blend (MLN201): ``a * 0.6 + b * 0.4``.

A Kaggle solution's last step mixes the predictions of its models with weights someone tuned
on the validation folds or the public leaderboard: ``(resnet * 0.6 + senet * 0.4) * 0.15 +
vgg * 0.85``. Each weight is a setting of the submission, as a model's learning rate is of
its training. Read as a blend: a sum of two or more terms, each a fraction in (0, 1) times
something that is not a number, whose fractions add up to one (the sign of weights that share
out a whole). Not a blend: equal weights (``0.5 * loss_one + 0.5 * loss_two`` is a mean), a
colour conversion (``0.299 * r + 0.587 * g + 0.114 * b``, or channels of one array), a running
average that updates its own name (``avg = 0.9 * avg + 0.1 * x``), a metric's definition
(``score = 0.5 * mae + 0.5 * bias``), anything inside a class (a model's forward mixing two
branches is its architecture).
"""

from __future__ import annotations

import ast
import re

#: the channels of a colour conversion
_CHANNELS = frozenset({"r", "g", "b", "red", "green", "blue"})
#: words of a metric: a metric's definition weighs its parts once, by the competition's rule
_METRIC = frozenset(
    {
        "score", "metric", "mae", "mse", "rmse", "mape", "smape", "bias", "error", "err",
        "accuracy", "auc", "f1", "precision", "recall", "wrmsse",
    }
)  # fmt: skip


def _terms(node: ast.expr) -> list[ast.expr] | None:
    """The terms of an ``a + b + c`` chain (``None`` when it subtracts)."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add):
            left, right = _terms(node.left), _terms(node.right)
            return None if left is None or right is None else left + right
        if isinstance(node.op, ast.Sub):
            return None
    return [node]


def _weight(term: ast.expr) -> tuple[ast.Constant, ast.expr] | None:
    """``0.6 * frame`` / ``frame * 0.6``: the weight and what it weighs."""
    if not (isinstance(term, ast.BinOp) and isinstance(term.op, ast.Mult)):
        return None
    for constant, other in ((term.left, term.right), (term.right, term.left)):
        if (
            isinstance(constant, ast.Constant)
            and type(constant.value) is float
            and 0.0 < constant.value < 1.0
            and not (isinstance(other, ast.Constant))
        ):
            return constant, other
    return None


def _names(node: ast.expr) -> set[str]:
    return {n.id.lower() for n in ast.walk(node) if isinstance(n, ast.Name)}


def blend_weights(node: ast.BinOp, target: str | None) -> list[ast.Constant]:
    """The weights of the blend ``node`` writes (``[]``: no blend). ``target`` is the name
    the expression is assigned to, if any."""
    terms = _terms(node)
    if terms is None or len(terms) < 2:
        return []
    pairs = [_weight(t) for t in terms]
    if any(p is None for p in pairs):
        return []
    weights = [p[0] for p in pairs if p is not None]
    weighed = [p[1] for p in pairs if p is not None]
    if abs(sum(w.value for w in weights if isinstance(w.value, float)) - 1.0) > 1e-6:
        return []
    if len({w.value for w in weights}) == 1:
        return []  # ``0.5 * loss_one + 0.5 * loss_two``: a mean, nothing was tuned
    if all(_names(w) & _CHANNELS for w in weighed):
        return []  # ``0.299 * r + 0.587 * g + 0.114 * b``
    if (
        all(
            isinstance(w, ast.Subscript)
            and isinstance(w.value, ast.Name)
            and not isinstance(w.slice, ast.Name)
            for w in weighed
        )
        and len({ast.dump(w.value) for w in weighed if isinstance(w, ast.Subscript)}) == 1
    ):
        return []  # ``img[..., 0] * 0.3 + img[..., 1] * 0.7``: channels of one array
    if target is not None and any(target.lower() in _names(w) for w in weighed):
        return []  # ``avg = 0.9 * avg + 0.1 * x``: a running average
    if (target is not None and set(re.split(r"[_\W]+", target.lower())) & _METRIC) or any(
        isinstance(w, ast.Name) and set(w.id.lower().split("_")) & _METRIC for w in weighed
    ):
        return []  # ``score = 0.5 * mae + 0.5 * bias``: a metric's definition
    return weights


def not_tops(tree: ast.AST) -> set[int]:
    """Ids of the sums not to read as a blend: inside a class, or inside a longer chain (read
    from its top)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            out.update(id(child) for child in ast.walk(node))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            for side in (node.left, node.right):
                if isinstance(side, ast.BinOp) and isinstance(side.op, ast.Add | ast.Sub):
                    out.add(id(side))
    return out
