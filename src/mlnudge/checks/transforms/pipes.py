"""A function whose input goes through the module's own steps (``pipe``): what it hands its
parameters to by bare name and what it returns from them, so that ``differentiate(X, t)``
doing ``X = smooth(X)`` then ``return forward_difference(X, t)`` is judged by its steps."""

from __future__ import annotations

import ast
import builtins
from typing import Any

from mlnudge.checks.transforms.flow import derived_from, operations
from mlnudge.checks.transforms.inputs import TABLE_OPS, free_params
from mlnudge.checks.transforms.nodes import Body, names_in
from mlnudge.checks.transforms.outputs import output

_BUILTINS = frozenset(dir(builtins))


def returned_callees(body: Body) -> list[str]:
    """The functions called by bare name whose result the function returns."""
    # what it returns comes out of a call by bare name: ``return slope(x, t)``, or ``y =
    # smooth(x)`` then ``return y`` (a product computed here, ``J @ out``, is its own math)
    # (also unpacked: ``X_train, dv = preprocess(df_train, dv)``)
    made = {
        name.id: value.func.id
        for targets, value, _line in body.assigns
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
        for target in targets
        for name in (target.elts if isinstance(target, ast.Tuple | ast.List) else [target])
        if isinstance(name, ast.Name)
    }
    # what it returns, one by one for a tuple (``return X_train, y_train, X_val, y_val``)
    values = [
        element
        for value in body.returns
        if value is not None
        for element in (value.elts if isinstance(value, ast.Tuple) else [value])
    ]
    returned = sorted(
        {
            value.func.id
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            else made.get(value.id, "")
            if isinstance(value, ast.Name)
            else ""
            for value in values
        }
        - {""}
        - _BUILTINS
    )
    return returned


def pipe(body: Body, data_module: bool = False) -> dict[str, Any]:
    """For a function whose parameters show no data use of their own: the module functions
    (called by bare name) it hands a parameter to, and what it returns, so that
    ``differentiate(X, t)`` doing ``X = smooth(X)`` then ``return forward_difference(X, t)`` is
    judged by the functions its input goes through. Empty when it returns nothing a call by
    bare name gave back, or hands no parameter on (most functions: checked first, cheaply)."""
    returned = returned_callees(body)
    if not returned and not (data_module and body.calls):
        return {}
    # ``return _to_jsonable(obj, seen=set())``: a body that is one call only hands its input on
    stmts = [
        st
        for st in body.node.body
        if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))
    ]
    if len(stmts) == 1 and isinstance(stmts[0], ast.Return):
        return {}
    free = free_params(body)
    if not any(
        isinstance(c.func, ast.Name)
        and c.func.id not in _BUILTINS  # ``print(x)``, ``len(x)``: no step of the module
        and any(isinstance(a, ast.Name) and a.id in free for a in c.args)
        for c in body.calls
    ):
        return {}
    derived = derived_from(body, free)
    hands = sorted(
        {
            c.func.id
            for c in body.calls
            if isinstance(c.func, ast.Name)
            and any(names_in(a) & derived for a in [*c.args, *(k.value for k in c.keywords)])
        }
    )
    out, out_why = output(body, derived, {p: "" for p in body.params if p in free}, {})
    # table operations on what came back (``runs.apply(...)``, ``pd.concat([strings, ...])``
    # after ``runs = build_runs(frame)``): only a table has them, so what the module's step
    # gave back was a table, and the function shapes it further
    tables = [
        op
        for op in operations(body, derived, set(), data_module)[0]
        if op[0].startswith(("pd.", "pandas.", "pl.", "polars.")) or op[0] in TABLE_OPS
    ]
    if not returned and not tables:
        return {}
    return {
        "hands": hands,
        "returned": returned,
        "out": out,
        "out_why": out_why,
        "tables": [op[0] for op in tables[:3]],
    }
