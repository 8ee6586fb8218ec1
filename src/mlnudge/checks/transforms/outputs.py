"""What a function gives back (MLN3xx identification): data derived from its input, a single
value computed from it (a summary, a metrics report), something unrelated, or nothing
(:func:`output`); and how it changes a data parameter in place (:func:`mutation`).
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.transforms.flow import function_stores
from mlnudge.checks.transforms.nodes import (
    Body,
    call_text,
    names_in,
    root_name,
)
from mlnudge.checks.transforms.tables import (
    REDUCTIONS,
    SCALAR_ATTRS,
    SCALAR_CALLS,
    SCALAR_METHODS,
    WHOLE_COMPARISONS,
    WRITE_CALL,
)


def output(
    body: Body, derived: set[str], data: dict[str, str], text: dict[str, str]
) -> tuple[str, str]:
    """What the function returns: ``derived``, ``summary``, ``unrelated`` or ``none``."""
    values = [v for v in _branches(body.returns) if v is not None and not _is_none(v)]
    if not values:
        return "none", ""
    inputs = ", ".join(f"`{p}`" for p in list(data or text)[:2])
    #: names bound to a single value: ``mae = np.mean(np.abs(err))``
    scalars = {
        t.id
        for targets, assigned, _line in body.assigns
        if _is_scalar(assigned) or _is_reduction(assigned)
        for t in targets
        if isinstance(t, ast.Name)
    }
    #: names bound only to one number, never to anything else: ``score = np.corrcoef(a, b)[0,
    #: 1]`` then ``return score`` (a comparison is left out: ``keep = s.map(f) == 0`` is a mask)
    # (also ``total = 0`` then ``total += torch.dot(d, d)`` and ``mean = total / len(xs)``:
    # an accumulator that starts at a number and only adds numbers is one number too)
    single = {
        t.id
        for targets, _assigned, _line in body.assigns
        for t in targets
        if isinstance(t, ast.Name)
    }
    while True:  # what is bound to something else is not one number (to a fixpoint)
        other = {
            t.id
            for targets, assigned, _line in body.assigns
            if not _is_number(assigned) and not _numbers_combined(assigned, single)
            for t in targets
            if isinstance(t, ast.Name)
        } & single
        if not other:
            break
        single -= other
    #: names bound to a value that reduces something (``corr = torch.sum(a * b) / ...``)
    reduced = {
        t.id
        for targets, assigned, _line in body.assigns
        if _reduces(assigned, set())
        for t in targets
        if isinstance(t, ast.Name)
    } & single
    #: names bound only to values drawn at random from parameters (``d = rng.normal(mu, s)``)
    drawn: set[str] = set()
    for _ in range(2):
        drawn = {
            t.id
            for targets, assigned, _line in body.assigns
            if _drawn(assigned, derived, drawn)
            for t in targets
            if isinstance(t, ast.Name)
        } - {
            t.id
            for targets, assigned, _line in body.assigns
            if not _drawn(assigned, derived, drawn)
            for t in targets
            if isinstance(t, ast.Name)
        }
    kinds = []
    for value in map(_signless, values):
        if not (names_in(value) & derived) or _drawn(value, derived, drawn):
            kinds.append("unrelated")
        elif (
            _is_scalar(value)
            or (isinstance(value, ast.Name) and value.id in single)
            or _library_reduction(value, derived)
            or _is_report(value, scalars)
            # ``np.linalg.norm(u - v) / np.linalg.norm(u)``: a ratio of reductions, one number
            or _reductions_combined(value)
            # ``2 * a - b - c`` with each bound to a mean, ``1 - corr``: a distance or a loss
            # of two samples put together from numbers is one number
            or (
                isinstance(value, ast.BinOp)
                and _numbers_combined(value, single)
                and _reduces(value, reduced)
            )
        ):
            kinds.append("summary")
        else:
            kinds.append("derived")
    if "derived" in kinds:
        return "derived", f"returns data built from {inputs}"
    if "summary" in kinds:
        return "summary", f"returns a single value computed from {inputs}"
    return "unrelated", ""


#: calls that give back one number whatever they are handed: a dot product of two vectors
_SCALAR_PRODUCTS = re.compile(r"^(torch\.dot|torch\.vdot|np\.vdot|numpy\.vdot)$")


#: draws from a probability distribution: NumPy's and torch's generators, a seeded generator's
#: methods (``rng.normal``), SciPy's ``dist.rvs()``
_DRAW = re.compile(
    r"^((np|numpy)\.random|random|torch|\w*rng|\w*generator|self\.\w*rng)\."
    r"(normal|binomial|beta|poisson|uniform|gamma|exponential|lognormal|laplace|multinomial|"
    r"dirichlet|standard_normal|standard_t|multivariate_normal|weibull|negative_binomial|"
    r"geometric|chisquare|logistic|gumbel|bernoulli|randn|rand|randn_like|rand_like|gauss)$"
    r"|(^|\.)rvs$",
    re.IGNORECASE,
)


def _drawn(value: ast.expr, derived: set[str], drawn: set[str]) -> bool:
    """``np.array([np.random.beta(a, b) for _ in range(m)])``, ``dist.rvs(size=n)``: values
    drawn at random, where what came from the input only parameterises the draws (a fitted
    distribution's sample); noise added to the input (``x + rng.normal(0, s, x.shape)``)
    keeps the input outside the draw and stays data."""
    draws = [n for n in ast.walk(value) if isinstance(n, ast.Call) and _DRAW.search(call_text(n))]
    if not draws and not (names_in(value) & drawn):
        return False
    inside = {
        id(sub)
        for d in draws
        for a in [*d.args, *(k.value for k in d.keywords)]
        for sub in ast.walk(a)
    }
    if isinstance(value, ast.Call) and id(value) not in inside and value in draws:
        inside.add(id(value))
    outside = {n.id for n in ast.walk(value) if isinstance(n, ast.Name) and id(n) not in inside}
    # (the receiver of ``self.dist.rvs()`` is the distribution, not data handed to it)
    receivers = {root_name(d.func.value) for d in draws if isinstance(d.func, ast.Attribute)}
    return not ((outside - receivers - drawn) & derived)


def _branches(values: list[ast.expr | None]) -> list[ast.expr | None]:
    """``counts.argmax() if len(a) else -1`` gives back one of its two branches: each is
    judged as a returned value of its own; so is each item of a returned tuple
    (``return r, p_value``: a statistic and its p-value are two numbers, not data, while
    ``return X_train, X_test`` still gives back data)."""
    out: list[ast.expr | None] = []
    todo = list(values)
    while todo:
        value = todo.pop(0)
        if isinstance(value, ast.IfExp):
            todo[:0] = [value.body, value.orelse]
        elif (
            isinstance(value, ast.Tuple)
            and value.elts
            and not any(isinstance(e, ast.Starred) for e in value.elts)
        ):
            todo[:0] = list(value.elts)
        else:
            out.append(value)
    return out


def _signless(value: ast.expr) -> ast.expr:
    """``-np.sum(p * np.log(p))`` is one number as ``np.sum(...)`` is: a sign changes no kind
    (a negative log-likelihood, an entropy)."""
    while isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub | ast.UAdd):
        value = value.operand
    return value


def _numbers_combined(value: ast.expr, single: set[str]) -> bool:
    """``fishers / len(xs)``, ``total + torch.dot(d, d)``, ``0``: numbers and names bound only
    to numbers, combined by arithmetic."""
    value = _signless(value)
    if isinstance(value, ast.Constant):
        return type(value.value) in (int, float)
    if isinstance(value, ast.Name):
        return value.id in single
    if isinstance(value, ast.Call) and _SCALAR_PRODUCTS.match(call_text(value)):
        return True
    if _constant_call(value):
        return True
    if isinstance(value, ast.BinOp):
        return all(
            _numbers_combined(side, single) or _is_number(side)
            for side in (value.left, value.right)
        )
    return False


_MATH_ROOTS = frozenset({"np", "numpy", "math", "torch", "th", "jnp", "tf", "float"})


def _reduces(value: ast.expr, reduced: set[str]) -> bool:
    """Whether ``value`` reduces an array to a number somewhere (``np.mean(d)``, a name bound
    to one): ``float(s[:-1]) * 1e6`` converts a value and reduces nothing, it stays data."""
    for node in ast.walk(value):
        if isinstance(node, ast.Name) and node.id in reduced:
            return True
        if (
            isinstance(node, ast.Call)
            and call_text(node).rsplit(".", 1)[-1] in REDUCTIONS
            and not any(k.arg in ("axis", "dim") for k in node.keywords)
        ):
            return True
    return False


def _constant_call(value: ast.expr) -> bool:
    """``np.log(2)``, ``math.sqrt(2.0)``: a function of numbers written in the code is a
    number."""
    return (
        isinstance(value, ast.Call)
        # a math library's function, not a method of a value (``frame.fillna(0)``)
        and call_text(value).split(".", 1)[0] in _MATH_ROOTS
        and bool(value.args)
        and not value.keywords
        and all(isinstance(a, ast.Constant) and type(a.value) in (int, float) for a in value.args)
    )


def _is_number(value: ast.expr) -> bool:
    """One number: a reduction, a scalar call or element, not a comparison (elementwise on an
    array or a Series: a mask)."""
    value = _signless(value)
    if isinstance(value, ast.Compare | ast.BoolOp | ast.UnaryOp):
        return False
    return _is_reduction(value) or _is_scalar(value)


def _is_none(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is None


def _is_reduction(value: ast.expr) -> bool:
    """``np.mean(x)``, ``np.sqrt(np.mean(err ** 2))``, ``abs(x.sum())``: one number."""
    if isinstance(value, ast.Call):
        name = call_text(value).rsplit(".", 1)[-1]
        if name in REDUCTIONS and not any(k.arg in ("axis", "dim") for k in value.keywords):
            return True
        if name in ("sqrt", "abs", "float", "round", "log") and value.args:
            return _is_reduction(value.args[0]) or _is_scalar(value.args[0])
    if isinstance(value, ast.BinOp):
        return (_is_reduction(value.left) or _is_scalar(value.left)) and (
            _is_reduction(value.right)
            or _is_scalar(value.right)
            or isinstance(value.right, ast.Constant)
        )
    return False


def _reductions_combined(value: ast.expr) -> bool:
    """``np.linalg.norm(u - v) / np.linalg.norm(u)``, ``x.sum() / 2``: reductions without an
    axis combined by arithmetic, one number (``float(s) * 1e6`` converts a value, it reduces
    nothing)."""

    def reduction(node: ast.expr) -> bool:
        if isinstance(node, ast.BinOp):
            return _reductions_combined(node)
        return (
            isinstance(node, ast.Call)
            and call_text(node).rsplit(".", 1)[-1] in REDUCTIONS
            and len(node.args) <= 1  # ``np.mean(preds, 0)``: a positional axis
            and not any(k.arg in ("axis", "dim") for k in node.keywords)
        )

    if not isinstance(value, ast.BinOp):
        return False
    sides = (value.left, value.right)
    return any(reduction(s) for s in sides) and all(
        reduction(s) or isinstance(s, ast.Constant) for s in sides
    )


def _library_reduction(value: ast.expr, derived: set[str]) -> bool:
    """``np.mean(err)``, ``stats.entropy(probs)``: a library function that reduces its input
    to one number (no ``axis``, no grouping)."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return False
    root = root_name(value.func)
    return (
        root is not None
        and root not in derived
        and value.func.attr in REDUCTIONS
        and len(value.args) <= 1  # ``np.mean(preds, 0)``: a positional axis
        and _is_reduction(value)
        # (an axis inside is reduced away: ``np.average(loss.sum(axis=1), weights=w)`` is a
        # weighted mean of per-row sums, one number; a grouping keeps one value per group)
        and not re.search(r"groupby|resample|rolling", ast.unparse(value))
    )


def _is_report(value: ast.expr, scalars: set[str]) -> bool:
    """``{"mae": mae, "bias": float(bias)}``: named single values, a metrics report."""
    if not isinstance(value, ast.Dict) or not value.values:
        return False
    if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys):
        return False
    return all(
        (isinstance(v, ast.Name) and v.id in scalars) or _is_scalar(v) or _is_reduction(v)
        for v in value.values
    )


def _is_scalar(value: ast.expr) -> bool:
    if isinstance(value, ast.Compare | ast.BoolOp) or (
        isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)
    ):
        return True
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Name) and value.func.id in SCALAR_CALLS:
            return True
        name = call_text(value)
        if name in WHOLE_COMPARISONS or name.rsplit(".", 1)[-1] in WHOLE_COMPARISONS - {
            "torch.equal"
        }:
            # ``np.array_equal(a, b)``: two arrays compared whole, one boolean (a predicate)
            return True
        if (
            isinstance(value.func, ast.Attribute)
            and value.func.attr in ("argmax", "argmin")
            and not value.args
            and not value.keywords
        ):
            # ``counts.argmax()`` without an axis: the position of the largest, one index
            return True
        if (
            isinstance(value.func, ast.Attribute)
            and value.func.attr in SCALAR_METHODS
            and len(value.args) < 2  # ``np.mean(preds, 0)``: a positional axis
        ):
            chain = ast.unparse(value.func.value)
            return not re.search(r"groupby|resample|rolling|axis|dim", chain + ast.unparse(value))
    if isinstance(value, ast.Attribute) and value.attr in SCALAR_ATTRS:
        return True
    if (
        isinstance(value, ast.Subscript)
        and isinstance(value.value, ast.Attribute)
        and value.value.attr == "shape"
        and _is_position(value.slice)
    ):
        # ``y.shape[0]``: the number of rows, a size (``correct / y.shape[0]`` is a rate)
        return True
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Tuple):
        # ``np.corrcoef(a, b)[0, 1]``, ``m[-1, 0]``: one element picked by constant positions
        return all(_is_position(e) for e in value.slice.elts)
    return isinstance(value, ast.JoinedStr)


def _is_position(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


def mutation(body: Body, inputs: set[str]) -> str:
    """How the function changes a data parameter in place, or ``""`` (a function registered
    under a key is no change of data: :func:`function_stores`)."""
    registered = function_stores(body)
    moved = {id(t) for targets, value, _line in body.assigns if device_move(value) for t in targets}
    for sub in body.subscripts:
        if (
            isinstance(sub.ctx, ast.Store)
            and root_name(sub) in inputs
            and id(sub) not in registered
            # ``batch[k] = v.to(device)``: the same values, on another device
            and id(sub) not in moved
        ):
            return f"changes `{root_name(sub)}` in place (`{ast.unparse(sub)[:40]} = ...`)"
    for keyword, call in body.keywords:
        if (
            keyword.arg == "inplace"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is True
            and isinstance(call.func, ast.Attribute)
            and root_name(call.func.value) in inputs
        ):
            root = root_name(call.func.value)
            return f"changes `{root}` in place (`{call.func.attr}(inplace=True)`)"
    return ""


#: the text of a ``.to(...)`` argument that names a device (``device``, ``self.device``,
#: ``"cuda:0"``, ``torch.device("cpu")``), not a dtype
_DEVICE = re.compile(r"device|cuda|cpu|mps|\brank\b|local_rank|\bgpu", re.IGNORECASE)


def device_move(value: ast.expr) -> bool:
    """``v.to(device)``, ``v.to(self.device, non_blocking=True)``, ``v.cuda()``, ``v.cpu()``:
    the same values moved to another device (a batch put on the GPU), no transformation."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return False
    attr = value.func.attr
    if attr in ("cuda", "cpu"):
        return True
    if attr != "to":
        return False
    named = [k.value for k in value.keywords if k.arg == "device"]
    first = value.args[:1] + named
    return bool(first) and all(_DEVICE.search(ast.unparse(a)) for a in first)


def written(body: Body, derived: set[str]) -> str:
    """How the function writes data computed from its input to a file (``future_df.to_parquet
    (path)``, ``np.save(path, features)``), or ``""``: what a step writes is its output."""
    #: parameters never bound again: written as they were handed in (``results.to_csv(path)``
    #: before uploading it), they hold nothing the function computed
    rebound = {
        n.id
        for targets, _value, _line in body.assigns
        for t in targets
        for n in ast.walk(t)
        if isinstance(n, ast.Name)
    }
    as_handed = set(body.params) - rebound
    for call in body.calls:
        name = call_text(call)
        if not name or not WRITE_CALL.search(name):
            continue
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in as_handed
        ):
            continue
        if isinstance(func, ast.Attribute) and root_name(func.value) in derived:
            root = root_name(func.value)
            return f"writes data built from its input to a file (`{root}.{func.attr}()`)"
        for arg in call.args:
            if isinstance(arg, ast.Name) and arg.id in derived and arg.id not in as_handed:
                return f"writes data built from its input to a file (`{name}(..., {arg.id})`)"
            # ``pq.write_table(pa.Table.from_pandas(picked), sink)``: a table made on the spot
            if isinstance(arg, ast.Call) and names_in(arg) & derived:
                root = sorted(names_in(arg) & derived)[0]
                return f"writes data built from its input to a file (`{name}()` of `{root}`)"
    return ""


def stratified(body: Body) -> bool:
    """The body splits its rows with ``train_test_split(..., stratify=y)``: the draw keeps the
    share of each class, a decision about the data a plain split does not make
    (``stratify=None`` is the plain one)."""
    return any(
        call_text(call).rsplit(".", 1)[-1] == "train_test_split"
        and any(
            k.arg == "stratify"
            and not (isinstance(k.value, ast.Constant) and k.value.value is None)
            for k in call.keywords
        )
        for call in body.calls
    )


def sets_apart(body: Body) -> bool:
    """Every value returned is its input with a column dropped or that column alone, the same
    column both times (``X = df.drop(columns=[target]); y = df[target]; return X, y``): the
    target set apart from the features, no value changed, no row chosen."""
    bound: dict[str, ast.expr] = {}
    for targets, value, _line in body.assigns:
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            bound[targets[0].id] = value
    seen: set[tuple[str, str, str]] = set()
    for returned in body.returns:
        if not isinstance(returned, ast.Tuple) or len(returned.elts) < 2:
            return False
        for elt in returned.elts:
            part = _split_part(bound.get(elt.id, elt) if isinstance(elt, ast.Name) else elt)
            if part is None:
                return False
            seen.add(part)
    frames = {(frame, key) for frame, key, _ in seen}
    return len(frames) == 1 and {kind for _, _, kind in seen} == {"drop", "pick"}


def _split_part(node: ast.expr) -> tuple[str, str, str] | None:
    """(frame, column, ``drop``/``pick``) of ``df.drop(columns=[c])`` or ``df[c]``, also as
    ``.values``, ``.to_numpy()`` or ``.copy()``."""
    while True:
        if isinstance(node, ast.Attribute) and node.attr == "values":
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("to_numpy", "copy")
            and not node.args
        ):
            node = node.func.value
        else:
            break
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if isinstance(node.slice, ast.Slice | ast.Tuple | ast.Compare):
            return None
        return node.value.id, _column(node.slice), "pick"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "drop"
        and isinstance(node.func.value, ast.Name)
    ):
        named = [k.value for k in node.keywords if k.arg in ("columns", "labels")]
        axis = [k.value for k in node.keywords if k.arg == "axis"]
        if named and not node.args:
            return node.func.value.id, _column(named[0]), "drop"
        if (
            len(node.args) == 1
            and axis
            and isinstance(axis[0], ast.Constant)
            and axis[0].value in (1, "columns")
        ):
            return node.func.value.id, _column(node.args[0]), "drop"
    return None


def _column(node: ast.expr) -> str:
    """A column key as text, ``[c]`` and ``c`` alike."""
    if isinstance(node, ast.List) and len(node.elts) == 1:
        node = node.elts[0]
    return ast.unparse(node)
