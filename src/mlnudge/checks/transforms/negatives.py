"""What a function body does that no data transformation does (MLN3xx identification).

:func:`negatives` reads one body (:class:`~mlnudge.checks.transforms.nodes.Body`) for the
evidence that the function is something else: it fits, tunes, explains, monitors, steps an
optimiser, computes a metric, a loss or a statistic, runs a model, plots, talks to the network
or a database, is a command line. :func:`model_math` finds a hand-written model's forward pass
(the data times parameters named for weights) and :func:`compares` a reduction comparing two
inputs (an error, a correlation). :mod:`~mlnudge.checks.transforms.evidence` records what they
find in each function's facts.
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.transforms.nodes import (
    Body,
    call_text,
    dotted,
    names_in,
    root_name,
)
from mlnudge.checks.transforms.tables import (
    ARGPARSE_CALL,
    CALLEE_NEGATIVE,
    DB_CALL,
    ESTIMATOR_CLASS,
    EXPLAIN_CALL,
    FIT_RECEIVER,
    HTTP_CALL,
    HYPOTHESIS_TEST,
    LAYER_CALL,
    LOSS_CALL,
    METRIC_CALL,
    MONITOR_CALL,
    OPTIMISER_CALL,
    PLOT_CALL,
    PREDICT_CALL,
    REDUCTIONS,
    TRAIN_CALL,
    TUNING_CALL,
)
from mlnudge.facts.syntax import walk

#: parameters named for a model's own parameters: its weights, bias, coefficients
_MODEL_PARAM = re.compile(r"^(w\d?|weights?|bias(es)?|theta|coefs?|coefficients|betas?)$", re.I)
#: a matrix product (``np.dot(w.T, x)``, ``torch.matmul``, ``x.dot(w)``)
_PRODUCT = re.compile(r"(^|\.)(dot|matmul|mm|bmm|einsum|inner|tensordot)$")


def model_math(body: Body, derived: set[str]) -> list[str]:
    """A matrix product of the data with parameters named for a model's weights
    (``np.dot(weight.T, x_train) + bias``, ``X @ theta``): a hand-written model's forward
    pass, prediction or gradient, not a transformation of the data."""
    weights = {p for p in body.params if _MODEL_PARAM.match(p)}
    if not weights:  # most functions take no weights: spare the look below
        return []
    others = derived - weights - {"self"}
    products: list[list[ast.expr]] = [
        [c.func, *c.args] for c in body.calls if _PRODUCT.search(call_text(c) or "")
    ]
    products += [[b.left, b.right] for b in body.arithmetic if isinstance(b.op, ast.MatMult)]
    for operands in products:
        used = set().union(*(names_in(o) for o in operands))
        if used & weights and used & others:
            weight = sorted(used & weights)[0]
            return [f"model: computes a model's output from its weights (`{weight}`)"]
    return []


#: eigen- and singular-value decompositions: what a hand-written PCA or LDA fits
_DECOMPOSITIONS = frozenset({"eig", "eigh", "eigs", "eigsh", "svd", "svds"})


def _returns_product(body: Body) -> bool:
    """A return value that is a matrix product (``X @ vectors``, ``np.dot(X, w)``), or a
    name bound to one (``Y = np.dot(X, M[:, :k])`` then ``return Y``)."""

    def product(value: ast.expr | None) -> bool:
        return (isinstance(value, ast.BinOp) and isinstance(value.op, ast.MatMult)) or (
            isinstance(value, ast.Call) and bool(_PRODUCT.search(call_text(value) or ""))
        )

    names = {v.id for v in body.returns if isinstance(v, ast.Name)}
    return any(product(v) for v in body.returns) or any(
        product(value)
        for targets, value, _line in body.assigns
        for target in targets
        if isinstance(target, ast.Name) and target.id in names
    )


def compares(body: Body) -> list[str]:
    """A reduction of the product or the difference of two inputs (``(a * b).sum(1)``,
    ``np.mean((y - p) ** 2)``): it compares them (a correlation, a distance, an error), a
    score of the data, not data derived from it."""
    params = set(body.params) - {"self"}
    if len(params) < 2:  # most functions take one input: spare the look below
        return []
    for call in body.calls:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in REDUCTIONS):
            continue
        reduced = [func.value, *call.args[:1]]
        for node in (n for r in reduced for n in walk(r)):
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Mult | ast.Sub)
                and isinstance(node.left, ast.Name | ast.Subscript)
                and isinstance(node.right, ast.Name | ast.Subscript)
            ):
                left, right = root_name(node.left), root_name(node.right)
                if left in params and right in params and left != right:
                    shown = ast.unparse(node)[:30]
                    return [f"metric: compares `{left}` with `{right}` (`{shown}`, reduced)"]
    return []


#: calls that wait for the user: a key press, a region drawn, a line typed
_INTERACTIVE = frozenset({"waitKey", "selectROI", "selectROIs", "ginput", "input"})


#: what runs a function it is handed, once per item: joblib's ``delayed(f)``, an executor's or a
#: pool's ``submit(f, ...)``/``map(f, ...)``
_WORKER_RECEIVER = re.compile(r"(^|_)(executor|pool|client)$", re.IGNORECASE)


def _handed_worker(call: ast.Call, name: str) -> str:
    """The project function ``call`` hands to run in parallel when its name says it trains,
    predicts or evaluates (a private worker, ``_evaluate_one_series``, included); else ``""``."""
    last = name.rsplit(".", 1)[-1]
    receiver = name.rsplit(".", 1)[0].rsplit(".", 1)[-1] if "." in name else ""
    hands_worker = last == "delayed" or (
        last in ("submit", "map") and bool(_WORKER_RECEIVER.search(receiver))
    )
    if hands_worker and call.args and isinstance(call.args[0], ast.Name):
        worker = call.args[0].id
        if CALLEE_NEGATIVE.search(worker.lstrip("_")) and "transform" not in worker:
            return worker
    return ""


def negatives(body: Body, derived: set[str]) -> list[str]:
    """What the body does that no transformation does: ``[kind, evidence]`` pairs."""
    found: dict[str, str] = {}
    #: calls inside a ``print(...)``: a check shown on the side (``print(kstest(a, b))``
    #: after a split) says nothing of what the function is for
    printed = {
        id(n)
        for c in body.calls
        if call_text(c) in ("print", "pprint")
        for a in c.args
        for n in walk(a)
    }
    # ``pca.fit(x)`` then ``pca.transform(x)``: a transformer fitted and applied makes features;
    # a fit is model code when nothing in the body transforms data with what was fitted
    applies = any(
        isinstance(c.func, ast.Attribute)
        and c.func.attr in ("transform", "fit_transform")
        and any(names_in(a) & derived for a in c.args)
        for c in body.calls
    )
    for call in body.calls:
        name = call_text(call)
        if not name:
            continue
        last = name.rsplit(".", 1)[-1]
        receiver = name.rsplit(".", 1)[0] if "." in name else ""
        if last == "fit" and applies and len(call.args) + len(call.keywords) < 2:
            continue
        if last == "fit" and (
            len(call.args) + len(call.keywords) >= 2
            or FIT_RECEIVER.search(receiver.split(".")[-1])
            or (
                isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Call)
                and bool(ESTIMATOR_CLASS.match(call_text(call.func.value).rsplit(".", 1)[-1]))
            )
        ):
            if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call):
                name = f"{call_text(call.func.value)}().fit"  # ``KMeans(n_clusters=k).fit``
            found.setdefault("fit", f"fits a model (`{name}()`)")
        elif TRAIN_CALL.search(name) and not (names_in(call.func) & derived - {"self"}):
            found.setdefault("fit", f"trains (`{name}()`)")
        elif TUNING_CALL.search(name):
            found.setdefault("tuning", f"tunes hyperparameters (`{name}()`)")
        elif EXPLAIN_CALL.search(name):
            found.setdefault("explain", f"explains a model (`{name}()`)")
        elif MONITOR_CALL.search(name):
            found.setdefault("monitor", f"reports on data drift or quality (`{name}()`)")
        elif OPTIMISER_CALL.search(name):
            found.setdefault("optimiser", f"steps an optimiser (`{name}()`)")
        elif METRIC_CALL.search(name):
            found.setdefault("metric", f"computes a metric (`{name}()`)")
        elif HYPOTHESIS_TEST.search(name) and id(call) not in printed:
            # a statistic of its own; unlike a metric, handing data to such a helper is no
            # validation (a loop dropping rows until a test passes balances the data)
            found.setdefault("statistic", f"runs a hypothesis test (`{name}()`)")
        elif LOSS_CALL.search(last) or LOSS_CALL.search(name):
            found.setdefault("loss", f"computes a loss (`{name}()`)")
        elif PREDICT_CALL.search(name) and last != "generate":
            found.setdefault("predict", f"runs a model (`{name}()`)")
        elif LAYER_CALL.search(name):
            found.setdefault("model", f"is a network layer's math (`{name}()`)")
        elif PLOT_CALL.search(name):
            found.setdefault("plot", f"plots (`{name}()`)")
        elif HTTP_CALL.search(name):
            found.setdefault("network", f"talks to the network (`{name}()`)")
        elif DB_CALL.search(name):
            found.setdefault("storage", f"writes to a database (`{name}()`)")
        elif CALLEE_NEGATIVE.search(last) and "." not in name:
            found.setdefault("model", f"trains, predicts or evaluates (`{name}()`)")
        elif last == "submit" and name.count(".") == 1 and CALLEE_NEGATIVE.search(receiver):
            # a workflow task submitted to run (Prefect's ``train_one.submit(model, X, y)``)
            # is a call of that task
            found.setdefault("model", f"trains, predicts or evaluates (`{name}()`)")
        elif ARGPARSE_CALL.search(name):
            found.setdefault("cli", f"is a command-line entry point (`{name}()`)")
        elif _handed_worker(call, name):
            # ``Parallel()(delayed(_evaluate_one)(s) for s in ids)``, ``pool.submit(_fit_one,
            # y)``: the function handed to run in parallel is called, once per item
            found.setdefault(
                "model", f"trains, predicts or evaluates (`{_handed_worker(call, name)}()`)"
            )
    if "fit" not in found:
        # ``np.linalg.eigh(X @ X.T)`` and returning the vectors: the basis of a PCA or an LDA
        # fitted by hand, like ``PCA().fit(X)``; returning the data projected onto it
        # (``return X @ vectors``) stays a transformation
        for call in body.calls:
            name = call_text(call)
            if name.rsplit(".", 1)[-1] in _DECOMPOSITIONS and any(
                names_in(a) & derived for a in call.args
            ):
                if not _returns_product(body):
                    found["fit"] = f"fits a decomposition of its data (`{name}()`)"
                break
    for call in body.calls:
        # a window waiting for a key press or a selection (``cv2.waitKey(0)``,
        # ``cv2.selectROI(...)``, ``input()``): what it gives back is the user's choice, and no
        # test with a small input can run it
        name = call_text(call)
        if name.rsplit(".", 1)[-1] in _INTERACTIVE and (name == "input" or "." in name):
            found.setdefault("interactive", f"waits for the user (`{name}()`)")
            break
    for item in body.withs:
        text = dotted(item.context_expr.func) if isinstance(item.context_expr, ast.Call) else None
        # (``import torch as th``: ``with th.no_grad():`` is the same inference block)
        if text and text.rsplit(".", 1)[-1] in ("no_grad", "inference_mode", "enable_grad"):
            found.setdefault("predict", f"runs a model (`with {text}()`)")
    return [f"{k}: {v}" for k, v in found.items()]
