"""The example test of an MLN301 finding, from per-file facts (no parse on a cached run).

:func:`example_facts` computes, once per file content, what the example test of each function
needs: the example value and the call of every required parameter (DataFrames with the
columns the body reads, arrays, tensors, records, scalars), and per class whether it has a
``fit`` and which settings its ``__init__`` requires. :func:`skeleton` puts a finding's example
together from them and from repository-level facts (the module's import name).
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from mlnudge.checks.base import CheckContext
from mlnudge.checks.transforms.static import Candidate
from mlnudge.facts.access import FileFacts
from mlnudge.facts.repo import PyModule

#: facts format version: bump when the summary changes shape or meaning
EXAMPLE_VERSION = "transforms-example-1"

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


def example_facts(module: PyModule) -> dict[str, Any]:
    """Per function (``f:qualname``, nested ``n:outer.inner``) the parts of its example test;
    per class (the first of its name) its ``__init__``'s required settings and ``fit``."""
    tree = module.tree
    functions: dict[str, dict[str, Any]] = {}
    classes: dict[str, dict[str, Any]] = {}
    for top in tree.body:  # helpers nested in a top-level function
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in top.body:
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    key = f"n:{top.name}.{inner.name}"
                    if key not in functions:
                        functions[key] = _parts(inner)
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    key = f"f:{stmt.name}.{item.name}"
                    if key not in functions:
                        functions[key] = _parts(item)
            if stmt.name not in classes:
                methods = {n.name: n for n in stmt.body if isinstance(n, ast.FunctionDef)}
                init = methods.get("__init__")
                required = None
                if init is not None:
                    args = init.args.args
                    required = [a.arg for a in args[1 : len(args) - len(init.args.defaults)]]
                classes[stmt.name] = {"init": required, "fit": "fit" in methods}
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.col_offset == 0:
            key = f"f:{stmt.name}"
            if key not in functions:
                functions[key] = _parts(stmt)
    return {"functions": functions, "classes": classes}


def _parts(node: Func) -> dict[str, Any]:
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
    frames = frame_params(node) if required or kwonly else []
    for arg in required:
        value, needs = _example(node, arg, arg.arg in frames)
        imports |= needs
        lines.append(f"    {arg.arg} = {value}")
        call_args.append(arg.arg)
    for kw in kwonly:
        value, needs = _example(node, kw, kw.arg in frames)
        imports |= needs
        lines.append(f"    {kw.arg} = {value}")
        call_args.append(f"{kw.arg}={kw.arg}")
    return {"lines": lines, "call": call_args, "imports": sorted(imports)}


#: the example test parts of each function and class of a module
EXAMPLE_FACTS = FileFacts(example_facts, EXAMPLE_VERSION)


# -- the example test ---------------------------------------------------------------------------


def skeleton(ctx: CheckContext, c: Candidate) -> str:
    """A pytest skeleton for ``c`` that fails until someone writes the expected output."""
    facts = ctx.facts(c.path, EXAMPLE_FACTS) or {"functions": {}, "classes": {}}
    qualname = c.qualname.rsplit(".", 1)[-1] if c.nested else c.qualname
    parts = facts["functions"].get(("n:" if c.nested else "f:") + c.qualname)
    imports = {"import pytest"}
    lines: list[str] = []
    call_args: list[str] = []
    if parts is not None:
        imports |= set(parts["imports"])
        lines = list(parts["lines"])
        call_args = list(parts["call"])
    owner, _, method = qualname.rpartition(".")
    target = owner or qualname
    joined = ", ".join(call_args)
    if owner:
        cls = facts["classes"].get(owner) or {"init": None, "fit": False}
        ctor = ""
        if cls["init"] is not None:
            ctor = ", ".join(f"{a}=None" for a in cls["init"])
            if ctor:
                lines.insert(0, f"    # TODO: the settings {owner} is usually built with")
        if method == "transform" and cls["fit"]:
            call = f"{owner}({ctor}).fit({joined}).transform({joined})"
        else:
            call = f"{owner}({ctor}).{method}({joined})"
    else:
        call = f"{qualname}({joined})"
    test_name = "test_" + re.sub(r"\W+", "_", qualname.replace(".", "_")).strip("_").lower()
    body = "\n".join(lines)
    return (
        "Example test (it fails until you fill in the expected result):\n\n"
        "```python\n"
        + "\n".join(sorted(imports))
        + _import_line(c.module, target)
        + f"\n\n\ndef {test_name}():\n"
        + (body + "\n\n" if body else "")
        + f"    result = {call}\n\n"
        + f"    # TODO: assert what {qualname}() should return, then delete the next line\n"
        + f'    pytest.fail("TODO: write the expected output of {qualname}()")\n'
        + "```"
    )


def _import_line(module: str, target: str) -> str:
    if all(part.isidentifier() for part in module.split(".")):
        return f"\n\nfrom {module} import {target}"
    # not an importable dotted name (a hyphen, a leading digit): still valid Python
    return f"\nfrom importlib import import_module\n\n{target} = import_module({module!r}).{target}"


def _example(
    node: ast.FunctionDef | ast.AsyncFunctionDef, arg: ast.arg, frame: bool
) -> tuple[str, set[str]]:
    """Example value for one parameter, and the imports it needs."""
    annotation = ""
    if arg.annotation is not None:
        annotation = (
            arg.annotation.value
            if isinstance(arg.annotation, ast.Constant) and isinstance(arg.annotation.value, str)
            else ast.unparse(arg.annotation)
        )
    direct, rows = columns_used(node, arg.arg)
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


def columns_used(
    node: ast.FunctionDef | ast.AsyncFunctionDef, param: str
) -> tuple[list[str], list[str]]:
    """Columns read from ``param`` (``df["col"]``, ``df.col``, ``df[["a", "b"]]``, ``by="col"``)
    and, for lists of records, the keys read from its rows (``for row in rows: row["col"]``)."""
    direct: list[str] = []
    rows: list[str] = []
    row_names = {
        t.target.id
        for t in ast.walk(node)
        if isinstance(t, ast.For | ast.comprehension)
        and isinstance(t.iter, ast.Name)
        and t.iter.id == param
        and isinstance(t.target, ast.Name)
    }

    where: dict[str, tuple[int, int]] = {}

    def add(into: list[str], value: object, at: ast.AST | None = None) -> None:
        if isinstance(value, str) and value and value not in into:
            into.append(value)
            where[value] = (getattr(at, "lineno", 0), getattr(at, "col_offset", 0))

    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name):
            into = direct if sub.value.id == param else rows if sub.value.id in row_names else None
            if into is None:
                continue
            keys = sub.slice.elts if isinstance(sub.slice, ast.List | ast.Tuple) else [sub.slice]
            for key in keys:
                if isinstance(key, ast.Constant) and not isinstance(sub.ctx, ast.Store):
                    add(into, key.value, sub)
        elif (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Name)
            and sub.value.id == param
            and isinstance(sub.ctx, ast.Load)
            and sub.attr not in FRAME_ATTRS
            and not sub.attr.startswith("_")
        ):
            add(direct, sub.attr, sub)
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            base = sub.func.value
            is_param = isinstance(base, ast.Name) and base.id == param
            is_row_get = (
                isinstance(base, ast.Name) and base.id in row_names and sub.func.attr == "get"
            )
            if is_row_get and sub.args and isinstance(sub.args[0], ast.Constant):
                add(rows, sub.args[0].value, sub)
            if not is_param:
                continue
            if sub.func.attr in ("groupby", "sort_values", "get") and sub.args:
                for text in _strings(sub.args[0]):
                    add(direct, text, sub)
            for kw in sub.keywords:
                if kw.arg in ("subset", "columns", "on", "by", "left_on", "id_vars", "value_vars"):
                    for text in _strings(kw.value):
                        add(direct, text, sub)
    return sorted(direct, key=where.__getitem__), sorted(rows, key=where.__getitem__)


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


# -- parameters used like data -----------------------------------------------------------------


def _annotation_text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)


def frame_params(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Parameters that are DataFrames, Series, arrays or tensors (annotated, or used like one)."""
    args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
    names = {a.arg for a in args if a.arg not in ("self", "cls")}
    found = [a.arg for a in args if FRAME_ANNOTATION.search(_annotation_text(a.annotation))]
    for sub in ast.walk(node):
        owner: str | None = None
        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name):
            key = sub.slice
            if (isinstance(key, ast.Constant) and isinstance(key.value, str)) or isinstance(
                key, ast.List
            ):
                owner = sub.value.id
        elif (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Name)
            and (sub.attr in ("loc", "iloc", "columns", "dtypes", "shape") or sub.attr in DATA_OPS)
        ):
            owner = sub.value.id
        if owner in names and owner not in found:
            found.append(owner)
    for loop in ast.walk(node):  # records: ``for row in rows: row["col"]``
        if (
            isinstance(loop, ast.For | ast.comprehension)
            and isinstance(loop.iter, ast.Name)
            and loop.iter.id in names
            and loop.iter.id not in found
            and isinstance(loop.target, ast.Name)
        ):
            row = loop.target.id
            if any(
                isinstance(sub, ast.Subscript)
                and isinstance(sub.value, ast.Name)
                and sub.value.id == row
                and isinstance(sub.slice, ast.Constant)
                and isinstance(sub.slice.value, str)
                for sub in ast.walk(node)
            ):
                found.append(loop.iter.id)
    return found
