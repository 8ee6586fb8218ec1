"""The shape of a function body that says it is not a transformation, or what it builds:
stubs, one-line accessors, thin delegation, plain stacking, factories of loaders and builders
of unfitted preprocessing objects (MLN3xx identification, read from a :class:`Body`)."""

from __future__ import annotations

import ast
import re

from mlnudge.checks.transforms.nodes import Body, call_text, dotted, root_name
from mlnudge.checks.transforms.tables import (
    BUILDER_CLASSES,
    COLUMN_BUILDERS,
    DATA_MODULES,
    STACKING,
    STRONG_OPS,
    WEAK_OPS,
)
from mlnudge.facts.syntax import walk


def is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for stmt in node.body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # docstring or ``...``
        if isinstance(stmt, ast.Raise):
            exc = stmt.exc
            text = dotted(exc.func if isinstance(exc, ast.Call) else exc) if exc else ""
            if text and text.endswith("NotImplementedError"):
                continue
        return False
    return True


def plain_stack(body: Body) -> bool:
    """Every data call only stacks names as they are (``np.vstack(list_output)``,
    ``torch.cat([a, b])``): the inputs are put side by side, nothing is computed."""

    def bare(arg: ast.expr) -> bool:
        if isinstance(arg, ast.Starred):
            arg = arg.value
        if isinstance(arg, ast.List | ast.Tuple):
            return all(bare(e) for e in arg.elts)
        return isinstance(arg, ast.Name)

    stacks = 0
    for call in body.calls:
        name = call_text(call)
        last = name.rsplit(".", 1)[-1]
        if last in STACKING:
            if not all(bare(a) for a in call.args):
                return False
            stacks += 1
        elif last in STRONG_OPS or last in WEAK_OPS or name.startswith(DATA_MODULES):
            return False
    return stacks > 0


def delegates(node: ast.FunctionDef | ast.AsyncFunctionDef, body: Body) -> bool:
    """``self.fit(X, y); return self.transform(X)``: a method that only chains the class's own
    ``fit`` and ``transform`` (the transformation is ``transform``, judged on its own); or
    ``return self.transform(data)``: one that hands its input on to an object it holds."""
    stmts = [
        s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    own = {
        call.func.attr
        for call in body.calls
        if isinstance(call.func, ast.Attribute)
        and root_name(call.func) == "self"
        and call.func.attr in ("fit", "transform", "_fit", "_transform")
    }
    if len(stmts) <= 2 and any(o.endswith("transform") for o in own) and len(body.calls) <= 3:
        return True
    # ``return self.transform(data)``: hands its input to an object it holds
    if len(stmts) != 1 or not isinstance(stmts[0], ast.Return):
        return False
    value = stmts[0].value
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and isinstance(value.func.value, ast.Attribute | ast.Name)
        and root_name(value.func) == "self"
        and all(isinstance(a, ast.Name) for a in value.args)
        and not value.keywords
    )


#: a container turned into another as it is: ``X.toarray()``, ``np.asarray(X)``
_CONVERSIONS = frozenset({"toarray", "todense", "to_numpy", "asarray", "array"})


def _converts(call: ast.Call) -> bool:
    """``X.toarray()`` or ``np.asarray(X)``: one name converted, nothing else handed."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _CONVERSIONS or call.keywords:
        return False
    if isinstance(func.value, ast.Name) and func.attr in ("toarray", "todense", "to_numpy"):
        return not call.args
    return len(call.args) == 1 and isinstance(call.args[0], ast.Name)


#: the methods of a fitted step that apply it
_APPLIED = frozenset({"transform", "fit_transform", "inverse_transform"})


def _hands_on(call: ast.Call, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``return transformer.fit_transform(*args, **kwargs)``: the function's own ``*args`` and
    ``**kwargs`` handed on unchanged, nothing else, or ``return step.transform(data)`` with the
    step and the data both its parameters: the callee does all the work."""
    star = node.args.vararg.arg if node.args.vararg else None
    double = node.args.kwarg.arg if node.args.kwarg else None
    func = call.func
    params = {a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]}
    if (
        # ``return transformer.transform(data)`` with both handed in: a fitted step applied
        isinstance(func, ast.Attribute)
        and func.attr in _APPLIED
        and isinstance(func.value, ast.Name)
        and func.value.id in params
        and call.args
        and not call.keywords
        and all(isinstance(a, ast.Name) and a.id in params - {func.value.id} for a in call.args)
    ):
        return True
    if not (star or double):
        return False
    args_ok = all(
        isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == star
        for a in call.args
    )
    kw_ok = all(
        k.arg is None and isinstance(k.value, ast.Name) and k.value.id == double
        for k in call.keywords
    )
    return args_ok and kw_ok and bool(call.args or call.keywords)


def hands_on(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The callee (``SCALER.fit_transform``) of a body that is one ``return`` handing its
    inputs on unchanged (:func:`_hands_on`), or ``""``."""
    stmts = [
        s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    if len(stmts) != 1 or not isinstance(stmts[0], ast.Return):
        return ""
    value = stmts[0].value
    if isinstance(value, ast.Call) and _hands_on(value, node):
        return dotted(value.func) or ""
    return ""


def is_accessor(node: ast.FunctionDef | ast.AsyncFunctionDef, body: Body) -> bool:
    """One ``return`` of a constant, an attribute, one column or its input converted as it is
    (``X.toarray()``): nothing is computed."""
    stmts = [
        s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    if len(stmts) != 1 or not isinstance(stmts[0], ast.Return):
        return False
    value = stmts[0].value
    if value is None or isinstance(value, ast.Constant | ast.Name):
        return True
    if isinstance(value, ast.List | ast.Tuple | ast.Set | ast.Dict):
        return all(
            isinstance(e, ast.Constant)
            for e in walk(value)
            if isinstance(e, ast.expr) and e is not value
        )
    if isinstance(value, ast.Attribute):
        return isinstance(value.value, ast.Name)
    if isinstance(value, ast.Call) and _converts(value):
        return True
    if isinstance(value, ast.Subscript):
        return isinstance(value.value, ast.Name | ast.Attribute) and isinstance(
            value.slice, ast.Constant | ast.Name | ast.Attribute
        )
    return False


def built(body: Body, classes: re.Pattern[str]) -> str:
    """The class (matching ``classes``) whose new object every return hands back, or ``""``:
    ``return DataLoader(ds, ...)``, ``loader = DataLoader(...); return loader``,
    ``return shuffle, sampler`` (a flag next to it), ``return train_loader, valid_loaders``
    (a list the body fills with ``valid_loaders.append(DataLoader(...))``)."""
    made: dict[str, str] = {}
    flags: set[str] = set()
    for targets, assigned, _line in body.assigns:
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            continue
        if isinstance(assigned, ast.Call):
            made[targets[0].id] = call_text(assigned).rsplit(".", 1)[-1]
        elif isinstance(assigned, ast.Constant):
            flags.add(targets[0].id)
    for call in body.calls:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "append"
            and isinstance(func.value, ast.Name)
            and call.args
            and isinstance(call.args[0], ast.Call)
        ):
            made.setdefault(func.value.id, call_text(call.args[0]).rsplit(".", 1)[-1])

    def one(value: ast.expr) -> str:
        if isinstance(value, ast.Call):
            return call_text(value).rsplit(".", 1)[-1]
        if isinstance(value, ast.Name):
            return made.get(value.id, "")
        return ""

    names = []
    for value in body.returns:
        if value is None:
            continue
        if isinstance(value, ast.Tuple):
            parts = [
                one(e)
                for e in value.elts
                if not isinstance(e, ast.Constant)
                and not (isinstance(e, ast.Name) and e.id in flags and e.id not in made)
            ]
            names.extend(parts)
        elif isinstance(value, ast.Constant):
            continue
        elif isinstance(value, ast.Call | ast.Name):
            names.append(one(value))
        else:
            return ""
    return names[0] if names and all(classes.match(n) for n in names) else ""


def builder(body: Body) -> str:
    """The preprocessing class a function builds and returns unfitted, or ``""``: only one that
    maps columns to treatments (a ``ColumnTransformer``, possibly inside a ``Pipeline``)."""
    made: dict[str, str] = {}
    for targets, assigned, _line in body.assigns:
        if (
            isinstance(assigned, ast.Call)
            and len(targets) == 1
            and isinstance(targets[0], ast.Name)
        ):
            made[targets[0].id] = call_text(assigned).rsplit(".", 1)[-1]
    built = ""
    for value in body.returns:
        name = ""
        if isinstance(value, ast.Call):
            name = call_text(value).rsplit(".", 1)[-1]
        elif isinstance(value, ast.Name):
            name = made.get(value.id, "")
        if BUILDER_CLASSES.match(name):
            built = name
    called = [call_text(c) for c in body.calls]
    # the column-to-treatment mapping is the project's logic; a chain of stock steps (or a
    # Kedro ``Pipeline`` of nodes) is not context worth a note
    columns = any(c.rsplit(".", 1)[-1] in COLUMN_BUILDERS for c in called)
    if built and columns and not any(c.endswith((".fit", ".fit_transform")) for c in called):
        return built
    return ""


def batches(body: Body) -> bool:
    """Every use of a parameter is a slice ``seq[i : i + size]`` at a position stepped by that
    same width (``for i in range(0, len(seq), size)``), and no data library is called: the
    input cut into consecutive batches (``chunked(seq, size)``), every value kept as it is."""
    steps: dict[str, ast.expr] = {}
    for target, it in body.loops:
        if (
            isinstance(target, ast.Name)
            and isinstance(it, ast.Call)
            and call_text(it) == "range"
            and len(it.args) == 3
        ):
            steps[target.id] = it.args[2]
    if not steps:
        return False
    params = set(body.params)
    cut = 0
    for sub in body.subscripts:
        if not (isinstance(sub.value, ast.Name) and sub.value.id in params):
            continue
        piece = sub.slice
        if not (
            isinstance(piece, ast.Slice)
            and isinstance(piece.lower, ast.Name)
            and piece.lower.id in steps
            and isinstance(piece.upper, ast.BinOp)
            and isinstance(piece.upper.op, ast.Add)
            and isinstance(piece.upper.left, ast.Name)
            and piece.upper.left.id == piece.lower.id
            and ast.dump(piece.upper.right) == ast.dump(steps[piece.lower.id])
            and piece.step is None
        ):
            return False
        cut += 1
    if not cut:
        return False
    for call in body.calls:
        name = call_text(call)
        last = name.rsplit(".", 1)[-1]
        if name.startswith(DATA_MODULES) or last in STRONG_OPS or last in WEAK_OPS:
            return False
    # the parameters appear nowhere else than in those slices and in ``len(...)``
    uses = [
        n
        for n in walk(body.node)
        if isinstance(n, ast.Name) and n.id in params and isinstance(n.ctx, ast.Load)
    ]
    sliced = {
        id(n)
        for s in body.subscripts
        if isinstance(s.value, ast.Name) and s.value.id in params
        for n in walk(s)
        if isinstance(n, ast.Name)
    }
    sizes = {
        id(a)
        for c in body.calls
        if call_text(c) in ("len", "range", "min", "max")
        for a in walk(c)
        if isinstance(a, ast.Name)
    }
    compared = {
        id(n)
        for c in walk(body.node)
        if isinstance(c, ast.Compare)
        for n in walk(c)
        if isinstance(n, ast.Name)
    }
    return all(id(u) in sliced | sizes | compared for u in uses)


#: annotations of one value (not a table, an array or a collection of records)
_SCALARS = frozenset(
    {"int", "float", "bool", "str", "complex", "Decimal", "datetime", "date", "time"}
    | {"timedelta", "Timestamp", "Timedelta", "Period"}
)


def _scalar(text: str, *, tuples: bool = False) -> bool:
    text = re.sub(r"^(Optional|typing\.Optional)\[(.*)\]$", r"\2", text.strip())
    text = re.sub(r"\s*\|\s*None$", "", text)
    if tuples and re.match(r"^(tuple|Tuple|typing\.Tuple)\[", text):
        inner = text[text.index("[") + 1 : -1]
        return all(_scalar(part) for part in inner.split(",") if part.strip() != "...")
    return text.rsplit(".", 1)[-1] in _SCALARS


def scalar_io(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Every parameter and what it returns are annotated as single values
    (``floor_to_5min(ts: datetime) -> datetime``, ``coords(city: str) -> tuple[float,
    float]``): a helper on one value, not a data transformation. Text in and text out
    (``clean(text: str) -> str``) is text cleaning and stays one."""
    args = node.args
    params = [
        a for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg not in ("self", "cls")
    ]
    if not params or node.returns is None or any(a.annotation is None for a in params):
        return False
    ins = [ast.unparse(a.annotation) for a in params if a.annotation is not None]
    out = ast.unparse(node.returns)
    if not all(_scalar(t) for t in ins) or not _scalar(out, tuples=True):
        return False
    return not (_scalar(out) and out.rsplit(".", 1)[-1] == "str" and "str" in ins)
