"""What the example test of an MLN301 finding needs, read from a function's code in one walk.

:func:`function_example` gives the lines that build an example value for every required
parameter (DataFrames with the columns the body reads, arrays, tensors, records, scalars), the
call's arguments and the imports; :func:`class_example` whether a class has a ``fit`` and which
settings its ``__init__`` requires. :mod:`~mlnudge.checks.transforms.evidence` stores them
with a function's facts (for the functions that can be transformations at all), so a cached
run writes the example test without parsing the file.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from mlnudge.facts.syntax import walk

Func = ast.FunctionDef | ast.AsyncFunctionDef

#: DataFrame, array and tensor operations that change data (a parameter used with one is data)
DATA_OPS = frozenset(
    {
        "merge",
        "join",
        "groupby",
        "fillna",
        "bfill",
        "ffill",
        "apply",
        "applymap",
        "assign",
        "astype",
        "where",
        "mask",
        "dropna",
        "drop",
        "drop_duplicates",
        "rename",
        "pivot",
        "pivot_table",
        "melt",
        "concat",
        "replace",
        "map",
        "clip",
        "query",
        "reset_index",
        "set_index",
        "sort_values",
        "get_dummies",
        "cut",
        "qcut",
        "agg",
        "aggregate",
        "transform",
        "shift",
        "rolling",
        "diff",
        "explode",
        "stack",
        "unstack",
        "interpolate",
        "resample",
        "select_dtypes",
        "to_datetime",
        "to_numeric",
        "with_columns",
        "with_column",
        "reshape",
        "clamp",
        "log1p",
        "isin",
        "cumsum",
        "vstack",
        "hstack",
        "cat",
        "squeeze",
        "unsqueeze",
        "permute",
        "transpose",
        "one_hot",
        "fit_transform",
    }
)
#: attributes of a DataFrame that are not columns (``df.shape``, ``df.loc``)
FRAME_ATTRS = DATA_OPS | frozenset(
    {
        "loc",
        "iloc",
        "at",
        "iat",
        "columns",
        "index",
        "shape",
        "dtypes",
        "values",
        "copy",
        "head",
        "tail",
        "str",
        "dt",
        "cat",
        "sum",
        "mean",
        "std",
        "min",
        "max",
        "count",
        "empty",
        "size",
        "T",
        "to_numpy",
        "to_dict",
        "to_list",
        "tolist",
        "items",
        "iterrows",
        "itertuples",
        "get",
        "keys",
        "pop",
        "append",
        "update",
        "any",
        "all",
        "isna",
        "notna",
        "isnull",
        "notnull",
        "unique",
        "nunique",
        "value_counts",
        "round",
        "abs",
        "describe",
        "info",
        "sample",
        "filter",
        "select",
        "plot",
        "pipe",
    }
)
FRAME_ANNOTATION = re.compile(
    r"DataFrame|Series|ndarray|NDArray|ArrayLike|Tensor|LazyFrame|\bDataset\b|\bnp\.array"
)


# -- facts ------------------------------------------------------------------------------------


def class_example(node: ast.ClassDef) -> dict[str, Any]:
    """What the example test of a method needs of its class: the settings its ``__init__``
    requires (``None`` without one) and whether it has a ``fit``."""
    methods = {n.name: n for n in node.body if isinstance(n, ast.FunctionDef)}
    init = methods.get("__init__")
    required = None
    if init is not None:
        args = init.args.args
        required = [a.arg for a in args[1 : len(args) - len(init.args.defaults)]]
    return {"init": required, "fit": "fit" in methods}


def function_example(node: Func) -> dict[str, Any]:
    """The lines that build the example arguments, the call's arguments and the imports."""
    imports: set[str] = set()
    lines: list[str] = []
    call_args: list[str] = []
    args = node.args.posonlyargs + node.args.args
    defaults = len(args) - len(node.args.defaults)
    required = [a for i, a in enumerate(args) if a.arg not in ("self", "cls") and i < defaults]
    kwonly = [
        kw
        for kw, default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
        if default is None
    ]
    usage = _Usage(node) if required or kwonly else None
    frames = usage.frames() if usage is not None else set()
    for arg in required:
        value, needs = _example(usage, arg, arg.arg in frames)
        imports |= needs
        lines.append(f"    {arg.arg} = {value}")
        call_args.append(arg.arg)
    for kw in kwonly:
        value, needs = _example(usage, kw, kw.arg in frames)
        imports |= needs
        lines.append(f"    {kw.arg} = {value}")
        call_args.append(f"{kw.arg}={kw.arg}")
    return {"lines": lines, "call": call_args, "imports": sorted(imports)}


def _example(usage: _Usage | None, arg: ast.arg, frame: bool) -> tuple[str, set[str]]:
    """Example value for one parameter, and the imports it needs."""
    annotation = ""
    if arg.annotation is not None:
        annotation = (
            arg.annotation.value
            if isinstance(arg.annotation, ast.Constant) and isinstance(arg.annotation.value, str)
            else ast.unparse(arg.annotation)
        )
    direct, rows = usage.columns(arg.arg) if usage is not None else ([], [])
    columns = direct or rows
    if "Tensor" in annotation:
        return "torch.tensor([[1.0, 2.0], [3.0, 4.0]])", {"import torch"}
    if re.search(r"ndarray|NDArray|ArrayLike|np\.", annotation):
        return "np.array([[1.0, 2.0], [3.0, 4.0]])", {"import numpy as np"}
    if "Series" in annotation:
        return "pd.Series([1.0, 2.0, None])", {"import pandas as pd"}
    polars = annotation.startswith(("pl.", "polars."))
    if "DataFrame" in annotation or (frame and direct) or polars:
        lib = "pl" if polars else "pd"
        need = "import polars as pl" if polars else "import pandas as pd"
        items = [f"{json.dumps(col)}: {_values(col)}" for col in columns] or [
            '"TODO_column": [1, 2, 3]'
        ]
        flat = f"{lib}.DataFrame({{{', '.join(items)}}})"
        if len(flat) <= 80:
            return flat, {need}
        inner = "".join(f"            {item},\n" for item in items)
        return f"{lib}.DataFrame(\n        {{\n{inner}        }}\n    )", {need}
    if rows:
        row = ", ".join(f"{json.dumps(col)}: {_value(col, i)}" for i, col in enumerate(rows))
        return f"[{{{row}}}]  # TODO: a few realistic rows", set()
    if annotation in ("str", "int", "float", "bool"):
        return {"str": '"TODO"', "int": "1", "float": "1.0", "bool": "True"}[annotation], set()
    return "None  # TODO: a small realistic value", set()


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def _values(column: str) -> str:
    return "[" + ", ".join(_value(column, i) for i in range(3)) + "]"


def _value(column: str, i: int) -> str:
    """An example value for ``column``; valid Python for any name and any ``i >= 0``."""
    name = column.lower()
    if re.search(r"date|time|day|month|_at$", name):
        return f'"2024-01-{i % 28 + 1:02d}"'
    if re.search(r"(^|_)(is|has)_|flag", name):
        return str(i % 2 == 0)
    if re.search(r"(^|_)id$|count|qty|quantity|number|^n_", name):
        return str(i + 1)
    if re.search(r"name|city|country|category|type|label|code|region|text|desc", name):
        return json.dumps(f"{column}_{'abc'[i % 3]}")
    return f"{(i + 1) * 1.5}"


# -- how a function uses its parameters (one walk) ---------------------------------------------


#: what a walk records: a subscript ``name[...]`` (its constant keys, whether it is assigned
#: to, whether its key is a string or a list), ``name.attr`` (loaded or not), or a call
#: ``name.method(...)`` (its first argument's constant and strings, its keywords' strings)
_Event = tuple[Any, ...]


class _Usage:
    """One walk over a function (decorators and defaults included, as :func:`ast.walk` goes)
    that answers, for any parameter, whether it is used like a table and which columns of it
    (or of its rows) the body reads."""

    def __init__(self, node: Func) -> None:
        self.node = node
        self.events: list[_Event] = []
        #: ``for row in rows`` (and comprehensions): (iterated name, target name)
        self.loops: list[tuple[str, str]] = []
        #: names subscripted with one string constant (``row["col"]``)
        self.str_keyed: set[str] = set()
        for sub in walk(node):
            if isinstance(sub, ast.Subscript):
                if not isinstance(sub.value, ast.Name):
                    continue
                key = sub.slice
                keys = key.elts if isinstance(key, ast.List | ast.Tuple) else [key]
                consts = [k.value for k in keys if isinstance(k, ast.Constant)]
                is_str = isinstance(key, ast.Constant) and isinstance(key.value, str)
                if is_str:
                    self.str_keyed.add(sub.value.id)
                table = is_str or isinstance(key, ast.List)
                store = isinstance(sub.ctx, ast.Store)
                self.events.append(("s", sub.value.id, consts, store, table, _at(sub)))
            elif isinstance(sub, ast.Attribute):
                if isinstance(sub.value, ast.Name):
                    load = isinstance(sub.ctx, ast.Load)
                    self.events.append(("a", sub.value.id, sub.attr, load, _at(sub)))
            elif isinstance(sub, ast.Call):
                func = sub.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    first = sub.args[0] if sub.args else None
                    const = first.value if isinstance(first, ast.Constant) else None
                    strings = _strings(first) if first is not None else None
                    kws = [(k.arg, _strings(k.value)) for k in sub.keywords]
                    event = ("c", func.value.id, func.attr, const, strings, kws, _at(sub))
                    self.events.append(event)
            elif (
                isinstance(sub, ast.For | ast.comprehension)
                and isinstance(sub.iter, ast.Name)
                and isinstance(sub.target, ast.Name)
            ):
                self.loops.append((sub.iter.id, sub.target.id))

    def frames(self) -> set[str]:
        """Parameters that are DataFrames, Series, arrays or tensors (annotated, or used like
        one: ``df["col"]``, ``df[["a"]]``, ``df.loc``, ``df.merge``; records:
        ``for row in rows: row["col"]``)."""
        args = self.node.args
        every = args.posonlyargs + args.args + args.kwonlyargs
        names = {a.arg for a in every if a.arg not in ("self", "cls")}
        found = {a.arg for a in every if FRAME_ANNOTATION.search(_annotation_text(a.annotation))}
        for event in self.events:
            table = event[4] if event[0] == "s" else False
            if event[0] == "a":
                table = event[2] in _TABLE_ATTRS or event[2] in DATA_OPS
            if table and event[1] in names:
                found.add(event[1])
        for iterated, row in self.loops:
            if iterated in names and row in self.str_keyed:
                found.add(iterated)
        return found

    def columns(self, param: str) -> tuple[list[str], list[str]]:
        """Columns read from ``param`` (``df["col"]``, ``df.col``, ``df[["a", "b"]]``,
        ``by="col"``) and, for lists of records, the keys read from its rows (``for row in
        rows: row["col"]``), in the order they first appear."""
        direct: list[str] = []
        rows: list[str] = []
        row_names = {row for iterated, row in self.loops if iterated == param}
        where: dict[str, tuple[int, int]] = {}

        def add(into: list[str], value: object, at: tuple[int, int]) -> None:
            if isinstance(value, str) and value and value not in into:
                into.append(value)
                where[value] = at

        for event in self.events:
            kind, base = event[0], event[1]
            if kind == "s":
                into = direct if base == param else rows if base in row_names else None
                if into is None or event[3]:
                    continue
                for value in event[2]:
                    add(into, value, event[5])
            elif kind == "a":
                attr = event[2]
                public = attr not in FRAME_ATTRS and not attr.startswith("_")
                if base == param and event[3] and public:
                    add(direct, attr, event[4])
            else:
                _, _, attr, const, strings, kws, at = event
                if base in row_names and attr == "get" and const is not None:
                    add(rows, const, at)
                if base != param:
                    continue
                if attr in ("groupby", "sort_values", "get") and strings is not None:
                    for text in strings:
                        add(direct, text, at)
                for name, texts in kws:
                    if name in (
                        "subset",
                        "columns",
                        "on",
                        "by",
                        "left_on",
                        "id_vars",
                        "value_vars",
                    ):
                        for text in texts:
                            add(direct, text, at)
        return sorted(direct, key=where.__getitem__), sorted(rows, key=where.__getitem__)


#: attributes only a table has (with :data:`DATA_OPS`): the parameter is one
_TABLE_ATTRS = frozenset({"loc", "iloc", "columns", "dtypes", "shape"})


def _at(node: ast.expr) -> tuple[int, int]:
    return (node.lineno, node.col_offset)


def _annotation_text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)
