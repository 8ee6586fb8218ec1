"""What a function does to data, read from its code in one pass (MLN3xx identification).

:func:`module_facts` walks a module once and returns a small JSON-serialisable summary: per
function, which parameters are data (and why), the data operations in its body, whether it
returns data derived from its input or changes it in place, and the evidence that it is
something else (it fits, predicts, steps an optimiser, computes a loss or metric, plots, talks
to the network, is a stub, a property or a one-line accessor). The summary is cached by
content hash, so unchanged files are never parsed again for identification.

:func:`~mlnudge.checks.transforms.verdict.judge` turns one function's facts into a verdict.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from mlnudge.checks.transforms.example import class_example, function_example
from mlnudge.checks.transforms.nodes import (
    Body,
    annotation_text,
    call_text,
    dotted,
    names_in,
    root_name,
)
from mlnudge.checks.transforms.scripts import script_ops
from mlnudge.checks.transforms.shapes import (
    builder,
    built,
    delegates,
    is_accessor,
    is_stub,
    plain_stack,
)
from mlnudge.checks.transforms.tables import (
    ARG_DATA_METHODS,
    ARGPARSE_CALL,
    CALLEE_NEGATIVE,
    CONSTRUCTORS,
    DATA_LIBS,
    DATA_MODULES,
    DATA_READ,
    DB_CALL,
    ELEMENTWISE_MATH,
    EXPLAIN_CALL,
    FACTORY_CLASSES,
    FIT_RECEIVER,
    FRAME_ANNOTATION,
    FRAME_ATTRS,
    HTTP_CALL,
    IO_CALLS,
    LOSS_CALL,
    METRIC_CALL,
    MONITOR_CALL,
    NOT_DATA_PARAM,
    NOT_DATA_RETURN,
    OPTIMISER_CALL,
    PLOT_CALL,
    PREDICT_CALL,
    RECORDS_ANNOTATION,
    REDUCTIONS,
    REGEX_FUNCS,
    ROW_ITERATORS,
    SCALAR_ATTRS,
    SCALAR_CALLS,
    SCALAR_METHODS,
    SIZE_CONSTRUCTORS,
    SKLEARN_METHODS,
    STRONG_OPS,
    TEXT_ANNOTATION,
    TEXT_METHODS,
    TRAIN_CALL,
    TUNING_CALL,
    WEAK_OPS,
    WRAPPERS,
)
from mlnudge.facts.syntax import statements, walk

#: facts format version: bump when the summary changes shape or meaning
FACTS_VERSION = "transforms-facts-14"


def _is_regex(call: ast.Call) -> bool:
    """``re.sub(...)``, or ``PATTERN.sub(...)`` on a compiled pattern."""
    name = call_text(call)
    head, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
    if last not in REGEX_FUNCS:
        return False
    return head == "re" or (
        "." in name and (head.isupper() or re.search(r"(re|regex|pattern|_RE)$", head) is not None)
    )


def _receivers(node: ast.expr) -> set[str]:
    """The names a method is called on: ``df`` in ``df["a"].fillna()``, ``p`` in
    ``(p >= 0.5).astype()``; not the arguments of calls along the chain."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Compare | ast.BinOp | ast.UnaryOp | ast.BoolOp):
        return names_in(node)
    return set()


def _sizes(body: Body) -> set[str]:
    """Parameters handed as they are to an array constructor (``torch.linspace(0, steps, n)``,
    ``np.zeros(n)``), or with a number as their default: sizes and settings, never the data."""
    sizes = {
        arg.id
        for call in body.calls
        if call_text(call).rsplit(".", 1)[-1] in SIZE_CONSTRUCTORS
        for arg in [*call.args, *(k.value for k in call.keywords)]
        if isinstance(arg, ast.Name)
    }
    # a parameter with a number as its default (``s=0.008``, ``k=5``) is a setting
    args = body.node.args
    positional = args.posonlyargs + args.args
    pairs = [
        *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]
    for arg, default in pairs:
        if default is not None and _numeric_constant(default):
            sizes.add(arg.arg)
    return sizes


def _numeric_constant(node: ast.expr) -> bool:
    """A number written in the code: ``0.008``, ``np.pi / 4``, ``(3, 3)``, ``(1, 2, 3, 5)``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return _numeric_constant(node.operand)
    if isinstance(node, ast.BinOp):
        return _numeric_constant(node.left) and _numeric_constant(node.right)
    if isinstance(node, ast.Tuple | ast.List):
        return bool(node.elts) and all(_numeric_constant(e) for e in node.elts)
    # a named mathematical constant of a numeric library
    return isinstance(node, ast.Attribute) and dotted(node) in (
        "np.pi",
        "numpy.pi",
        "math.pi",
        "np.e",
        "math.e",
        "torch.pi",
        "np.inf",
        "math.inf",
    )


# -- one pass per module ------------------------------------------------------------------------


def module_facts(tree: ast.Module, path: str) -> dict[str, Any]:
    """The serialisable identification summary of one module."""
    tops: set[str] = set()
    for node in statements(tree):
        if isinstance(node, ast.Import):
            tops.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            tops.add(node.module.split(".")[0])
    data_lib = bool(tops & DATA_LIBS)
    functions: list[dict[str, Any]] = []
    classes: dict[str, dict[str, Any]] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append(_with_example(function_facts(stmt, stmt.name, None, data_lib), stmt))
            for inner in stmt.body:  # helpers defined inside a function: judged, never importable
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    nested = function_facts(inner, f"{stmt.name}.{inner.name}", None, data_lib)
                    nested["nested"] = True
                    functions.append(_with_example(nested, inner))
        elif isinstance(stmt, ast.ClassDef):
            bases = [annotation_text(b) for b in stmt.bases]
            methods = [
                m.name for m in stmt.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            classes[stmt.name] = {"bases": bases, "methods": methods, **class_example(stmt)}
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    qual = f"{stmt.name}.{item.name}"
                    facts = function_facts(item, qual, stmt.name, data_lib)
                    functions.append(_with_example(facts, item))
    ops, first = script_ops(tree)
    return {
        "version": FACTS_VERSION,
        "path": path,
        "data_lib": data_lib,
        "imports": sorted(tops),
        "functions": functions,
        "classes": classes,
        "script": {"ops": ops, "first": first, "defines": _defines(tree)},
    }


def _with_example(
    facts: dict[str, Any], node: ast.FunctionDef | ast.AsyncFunctionDef
) -> dict[str, Any]:
    """``facts`` with the parts of its example test when :func:`judge` can find it a
    transformation or a builder (a decorator can be the configured marker; otherwise it takes
    data or text, builds something, or is a scikit-learn method): most functions cannot."""
    if (
        facts["decorators"]
        or facts["data"]
        or facts["maybe_data"]
        or facts["text"]
        or facts["builder"]
        or (facts["cls"] is not None and facts["name"] in SKLEARN_METHODS)
    ):
        facts["example"] = function_example(node)
    return facts


def _defines(tree: ast.Module) -> bool:
    return any(
        isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for s in tree.body
    )


def function_facts(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    cls: str | None,
    data_module: bool = False,
) -> dict[str, Any]:
    """The identification facts of one function (see the module docstring)."""
    body = Body(node, cls)
    decorators = [
        dotted(d.func if isinstance(d, ast.Call) else d) or "" for d in node.decorator_list
    ]
    data, maybe, text, formula = _data_params(body, data_module)
    # no data parameter: data read in the body (``train = pd.read_csv(path)``) is the input
    loaded = {} if data or maybe or text or formula else _loaded(body)
    binding: list[list[Any]] = []
    if cls is not None and node.name == "__getitem__" and not (data or maybe or text):
        # a dataset's item: the sample it takes (``self.frames[idx]``) or reads is the input
        loaded, binding = _sample(body)
    if (
        cls is not None
        and data_module
        and not node.name.startswith("__")
        and not (data or maybe or text or formula or loaded)
    ):
        # a method whose data is the object's own (``self.data[self.data.kfold != k]``,
        # ``df = self.frame``) and that returns or stores on the object what it built
        loaded = _state(body, data_module)
    derived = _derived(body, set(data) | set(maybe) | set(text) | set(formula) | set(loaded))
    stores = _stores(body, derived) if cls is not None and loaded else ""
    ops, weak, text_ops = _operations(body, derived, set(text), data_module)
    weak = binding + weak
    out, out_why = _output(body, derived, {**data, **maybe, **formula, **loaded}, text)
    facts: dict[str, Any] = {
        "q": qualname,
        "name": node.name,
        "line": node.lineno,
        "cls": cls,
        "decorators": decorators,
        "params": body.params,
        "data": data,
        "maybe_data": maybe,
        # parameters only handed to elementwise math: data in a data location alone
        "formula": formula,
        # names bound to a table or array the body reads itself (no data parameter)
        "loaded": loaded,
        "text": text,
        "ops": ops[:6],
        "weak": weak[:6],
        "text_ops": text_ops[:6],
        "out": out,
        "out_why": out_why,
        "mutates": _mutation(body, set(data) | set(maybe) | set(text)) or stores,
        "negative": _negatives(body, derived),
        "stub": is_stub(node),
        "abstract": any(d.rsplit(".", 1)[-1] == "abstractmethod" for d in decorators),
        "property": any(
            d.rsplit(".", 1)[-1] in ("property", "cached_property", "setter", "getter")
            or d.endswith((".setter", ".getter", ".deleter"))
            for d in decorators
        ),
        "accessor": is_accessor(node, body),
        "delegates": delegates(node, body),
        "plain_stack": plain_stack(body),
        "statements": body.statements,
        "builder": builder(body),
        "factory": built(body, FACTORY_CLASSES),
        "ann_out": bool(FRAME_ANNOTATION.search(annotation_text(node.returns))),
        "returns_none": annotation_text(node.returns) == "None",
        # ``-> dict`` of a sample dict copied from the input (``d = dict(data)``) is data
        "returns_names": bool(NOT_DATA_RETURN.match(annotation_text(node.returns)))
        and not (
            annotation_text(node.returns) in ("dict", "Dict")
            and any(why.startswith("copied into") for why in data.values())
        ),
        "nested": False,
        "io": any(IO_CALLS.search(call_text(c)) for c in body.calls),
        # functions of the module called by bare name with the data: ``x = drop_columns(x, i)``
        "hands": sorted(
            {
                c.func.id
                for c in body.calls
                if isinstance(c.func, ast.Name)
                and any(names_in(a) & derived for a in [*c.args, *(k.value for k in c.keywords)])
            }
        ),
        "doctest": ">>>" in (ast.get_docstring(node, clean=False) or ""),
    }
    return facts


def _data_params(
    body: Body, data_module: bool
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Parameters that are data (with the reason): surely (only data is used like that), maybe
    (lists, dicts and strings are used like that too), parameters that are text, and those
    only handed to elementwise math (``np.exp(-x)`` runs on one number too)."""
    params = {
        p
        for p in body.params
        if not NOT_DATA_PARAM.match(p)
        and body.annotations.get(p, "") not in ("int", "float", "bool", "Path", "dict", "Dict")
    } - _sizes(body)
    data: dict[str, str] = {}
    weak: dict[str, str] = {}
    text: dict[str, str] = {}
    formula: dict[str, str] = {}
    for name in body.params:
        annotation = body.annotations.get(name, "")
        if FRAME_ANNOTATION.search(annotation):
            data[name] = f"annotated `{annotation}`"
        elif name not in params:
            continue
        elif RECORDS_ANNOTATION.search(annotation):
            data[name] = f"a collection of records (`{annotation}`)"
        elif TEXT_ANNOTATION.match(annotation):
            text[name] = f"text (`{annotation}`)"
    #: every name used like a table or array, with the reason and whether only data does that
    tables: dict[str, tuple[str, bool]] = {}

    def mark(names: set[str] | str | None, why: str, strong: bool = True) -> None:
        if isinstance(names, str):
            names = {names}
        for name in names or ():
            if name not in tables or (strong and not tables[name][1]):
                tables[name] = (why, strong)

    for sub in body.subscripts:
        if not isinstance(sub.value, ast.Name):
            continue
        key = sub.slice
        name = sub.value.id
        if (isinstance(key, ast.Constant) and isinstance(key.value, str)) or isinstance(
            key, ast.List
        ):
            mark(name, f"used as a table (`{name}[{ast.unparse(key)[:30]}]`)", False)
        elif isinstance(key, ast.Compare | ast.BoolOp) or (
            isinstance(key, ast.BinOp) and isinstance(key.op, ast.BitAnd | ast.BitOr)
        ):
            mark(name, f"filtered with a mask (`{name}[...]`)")
        elif isinstance(key, ast.Tuple) and any(isinstance(e, ast.Slice) for e in key.elts):
            mark(name, f"sliced as an array (`{name}[:, ...]`)")
        elif isinstance(key, ast.Slice):
            mark(name, f"sliced (`{name}[a:b]`)", False)
    for attr in body.attributes:
        if isinstance(attr.value, ast.Name) and attr.attr in FRAME_ATTRS - {"str", "dt"}:
            mark(attr.value.id, f"used as a table or array (`{attr.value.id}.{attr.attr}`)")
        elif (
            isinstance(attr.value, ast.Attribute)
            and attr.value.attr in ("str", "dt")
            and isinstance(attr.value.value, ast.Name | ast.Subscript)
        ):
            root = root_name(attr.value.value)
            mark(root, f"used as a column (`.{attr.value.attr}.{attr.attr}`)")
    for call in body.calls:
        func = call.func
        if isinstance(func, ast.Attribute):
            receivers = _receivers(func.value)
            if func.attr in ARG_DATA_METHODS:
                for arg in call.args:
                    mark(names_in(arg) & params, f"passed to `.{func.attr}()`")
            if func.attr in STRONG_OPS or func.attr in ROW_ITERATORS:
                for name in receivers:
                    mark(name, f"used as data (`{name}.{func.attr}()`)")
            elif func.attr in WEAK_OPS:
                for name in receivers:
                    mark(name, f"used as data (`{name}.{func.attr}()`)", False)
            elif (
                func.attr in TEXT_METHODS
                and isinstance(func.value, ast.Name)
                and func.value.id in params
            ):
                text.setdefault(func.value.id, f"text (`{func.value.id}.{func.attr}()`)")
        if isinstance(func, ast.Call) and call_text(func).startswith(DATA_MODULES):
            # ``np.vectorize(mapping.get)(y)``: a vectorised function applied to the data
            for arg in call.args:
                mark(names_in(arg) & params, f"passed to `{call_text(func)}(...)()`")
        name = call_text(call)
        head, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
        if last in CONSTRUCTORS or IO_CALLS.search(name):
            if last in WRAPPERS:  # ``pd.Series(signal)``: the argument is the data
                for arg in call.args[:1]:
                    mark(names_in(arg) & params, f"wrapped as data (`{name}()`)", False)
            continue
        if name.startswith(DATA_MODULES) and last in ELEMENTWISE_MATH:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                for inner in names_in(arg) & params:
                    formula.setdefault(inner, f"handed to `{name}()`")
            continue  # ``np.exp(-x)`` runs on one number too: no evidence of data
        # OpenCV functions take images: ``cv2.ellipse(img, ...)``, ``cv2.threshold(prob, ...)``
        if name.startswith((*DATA_MODULES, "cv2.")) or (
            last in STRONG_OPS and not isinstance(func, ast.Attribute)
        ):
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                mark(names_in(arg), f"passed to `{name}()`")
        elif _is_regex(call):
            for arg in call.args[1:] if head == "re" or last in ("sub", "subn") else call.args:
                for inner in names_in(arg) & params:
                    text.setdefault(inner, f"text (passed to `{name}()`)")
    for target, iterable in body.loops:  # records: ``for row in rows: row["key"]``
        if isinstance(iterable, ast.Name) and isinstance(target, ast.Name):
            row = target.id
            keys = [
                s.slice.value
                for s in body.subscripts
                if isinstance(s.value, ast.Name)
                and s.value.id == row
                and isinstance(s.slice, ast.Constant)
            ]
            if any(isinstance(k, str) for k in keys):
                why = f"a collection of records (`{row}[...]` for each `{row}`)"
                mark(iterable.id, why, False)
            elif any(isinstance(k, int) for k in keys) and data_module:
                why = f"a batch of samples (`{row}[0]` for each `{row}`)"
                mark(iterable.id, why, False)
    for comp in body.comprehensions:  # ``[mapping[label] for label in y]``: values recoded
        element = comp.value if isinstance(comp, ast.DictComp) else comp.elt
        if isinstance(element, ast.Subscript) and len(comp.generators) == 1:
            gen = comp.generators[0]
            if (
                isinstance(gen.iter, ast.Name)
                and isinstance(gen.target, ast.Name)
                and isinstance(element.value, ast.Name | ast.Attribute)
                and gen.target.id in names_in(element.slice)
                and data_module
            ):
                table = ast.unparse(element.value)
                mark(
                    gen.iter.id,
                    f"values recoded through `{table}` (`{table}[...]` for each)",
                    False,
                )
    #: parameter -> the names bound to a copy of it (``d = dict(data)``, ``x = X.copy()``)
    copies: dict[str, list[str]] = {}
    for targets, assigned, _line in body.assigns:
        source = _copied(assigned)
        if source is not None and len(targets) == 1 and isinstance(targets[0], ast.Name):
            copies.setdefault(source, []).append(targets[0].id)
    #: parameters that hold things: iterated, indexed, or asked for their items
    containers = {name for _target, iterable in body.loops for name in names_in(iterable)} | {
        s.value.id for s in body.subscripts if isinstance(s.value, ast.Name)
    }
    for param in body.params:
        if param in data or param not in params:
            continue
        if param in tables:
            why, strong = tables[param]
            (data if strong else weak)[param] = why
            continue
        copy = next((c for c in copies.get(param, ()) if c in tables), None)
        if copy is not None:  # ``d = dict(data)`` then ``np.where(d[key] > 3, ...)``
            why, strong = tables[copy]
            (data if strong else weak)[param] = f"copied into `{copy}`, which is {why}"
            continue
        if not data_module or param not in containers:
            continue
        # by how the body uses what it takes from it: ``for part in parts: part["x"] = ...``
        for name in sorted(_derived(body, {param}) - {param}):  # the same pick in every process
            if name in tables:
                weak[param] = f"a container of data (`{name}` from it is {tables[name][0]})"
                break
    for name in list(text):
        if name in data or name in weak:
            del text[name]
    formula = {k: v for k, v in formula.items() if k not in data and k not in weak}
    return data, weak, text, formula


def _loaded(body: Body) -> dict[str, str]:
    """Names bound to a table or array read from a file by a data library in the body:
    ``train = pd.read_csv(path)``, ``(X, y), _ = mnist.load_data()``; not in helpers defined
    inside it (they are judged on their own). Empty when what it returns is what it read, as
    it was read (a loader that only logs counts of it)."""
    nested = [
        range(n.lineno, (n.end_lineno or n.lineno) + 1)
        for n in walk(body.node)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and n is not body.node
    ]
    found: dict[str, str] = {}
    bound: dict[str, int] = {}
    for targets, _value, _line in body.assigns:
        for target in targets:
            for node in walk(target):
                if isinstance(node, ast.Name):
                    bound[node.id] = bound.get(node.id, 0) + 1
    for targets, value, line in body.assigns:
        if any(line in r for r in nested):
            continue
        if not isinstance(value, ast.Call) or not DATA_READ.search(call_text(value)):
            continue
        for target in targets:
            if isinstance(target, ast.Attribute):
                continue
            for node in walk(target):
                if isinstance(node, ast.Name):
                    found.setdefault(node.id, f"read in the body (`{call_text(value)}()`)")
    returned = {n for v in body.returns if v is not None for n in names_in(v)}
    changed = {root_name(s) for s in body.subscripts if isinstance(s.ctx, ast.Store)} | {
        root_name(c.func.value)
        for k, c in body.keywords
        if k.arg == "inplace" and isinstance(c.func, ast.Attribute)
    }
    if returned and all(
        name in found and bound.get(name) == 1 and name not in changed
        for name in returned & (set(found) | {n for n in returned if n in bound})
    ):
        return {}  # returns what it read, unchanged: a loader
    return found


#: building a frame or counting values is no table operation by itself
_NOT_TABLE_OPS = frozenset({"DataFrame", "Series", "LazyFrame", "value_counts", "astype"})
#: what only a table does (an array's ``where``, ``pad``, ``unsqueeze`` are a model's too)
_TABLE_OPS = frozenset(
    {
        "groupby",
        "group_by",
        "fillna",
        "fill_null",
        "dropna",
        "drop_nulls",
        "drop_duplicates",
        "assign",
        "pivot",
        "pivot_table",
        "melt",
        "get_dummies",
        "reset_index",
        "set_index",
        "sort_values",
        "interpolate",
        "resample",
        "rolling",
        "select_dtypes",
        "to_datetime",
        "to_numeric",
        "with_columns",
        "withColumn",
        "isin",
        "cut",
        "qcut",
        "explode",
        "unstack",
        "crosstab",
        "fit_transform",
        "pct_change",
        "rank",
    }
)


def _state(body: Body, data_module: bool) -> dict[str, str]:
    """A method working on its object's data: operations only data has on what it takes from
    ``self`` (``self.data.groupby``, ``self.frame[self.frame.kfold != k]``, ``df = self.df``
    then ``df["n"].str.len()``), and what it does with the result: returned (the facts then
    say ``derived``) or stored on the object (the clause). Nothing when the only operations
    are stores into ``self``'s own containers (``self.cache["k"] = v``)."""
    derived = _derived(body, {"self"})
    strong, _weak, _text = _operations(body, derived, set(), data_module)
    # a table operation on what it takes from ``self``: array math on an object's attributes
    # is what models, optimisers and simulations do to their own state (``np.outer``,
    # ``np.zeros``); a Lightning ``prepare_data``/``setup`` prepares arrays too
    hook = body.node.name in ("prepare_data", "setup")
    table = [
        op
        for op in strong
        if op[0] != "column store"
        and (
            hook
            or (
                (
                    op[0].startswith(("pd.", "pandas.", "pl.", "polars.", ".str.", ".dt."))
                    or op[0] in _TABLE_OPS
                )
                and op[0].rsplit(".", 1)[-1] not in _NOT_TABLE_OPS
            )
        )
    ]
    if not table:
        return {}
    example = next(
        (
            a.value.attr
            for a in body.attributes
            if isinstance(a.value, ast.Attribute)
            and isinstance(a.value.value, ast.Name)
            and a.value.value.id == "self"
        ),
        "",
    ) or next(
        (
            s.value.attr
            for s in body.subscripts
            if isinstance(s.value, ast.Attribute)
            and isinstance(s.value.value, ast.Name)
            and s.value.value.id == "self"
        ),
        "",
    )
    example = example or next(  # ``df = self.df_outer``
        (
            value.attr
            for _targets, value, _line in body.assigns
            if isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id == "self"
        ),
        "",
    )
    why = f"the object's own data (`self.{example}`)" if example else "the object's own data"
    return {"self": why}


def _stores(body: Body, derived: set[str]) -> str:
    """``self.x_train = frame[cols].values``: data computed in a method kept on the object."""
    for targets, value, _line in body.assigns:
        computed = isinstance(value, ast.Call | ast.Subscript | ast.BinOp) or (
            isinstance(value, ast.Attribute) and dotted(value) is None  # ``f(x).values``
        )
        if not computed:
            continue
        for target in targets:
            for node in walk(target):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "self"
                    and names_in(value) & derived
                ):
                    return f"keeps data it built on the object (`self.{node.attr} = ...`)"
    return ""


def _sample(body: Body) -> tuple[dict[str, str], list[list[Any]]]:
    """What a ``__getitem__`` takes: names bound to an item of the dataset's own data
    (``hr = self.images[idx]``) or to a file it reads (``Image.open(path)``), and the operations
    done in those bindings themselves (``x = self.frames[idx][:10] / 255``)."""
    found: dict[str, str] = {}
    ops: list[list[Any]] = []
    for targets, value, line in body.assigns:
        why = ""
        for node in walk(value):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "self"
            ):
                why = f"a sample taken from the dataset (`self.{node.value.attr}[...]`)"
                break
            if isinstance(node, ast.Call) and IO_CALLS.search(call_text(node)):
                why = f"a sample read in the body (`{call_text(node)}()`)"
                break
        if not why:
            continue
        names = [n.id for t in targets for n in walk(t) if isinstance(n, ast.Name)]
        for name in names:
            found.setdefault(name, why)
        if names and isinstance(value, ast.BinOp):
            ops.append(["arithmetic", line])
    return found, ops


def _copied(value: ast.expr) -> str | None:
    """The name ``value`` copies: ``dict(data)``, ``list(rows)``, ``copy.deepcopy(x)``,
    ``x.copy()``, ``x.clone()``."""
    if not isinstance(value, ast.Call):
        return None
    func = value.func
    if isinstance(func, ast.Attribute) and func.attr in ("copy", "clone") and not value.args:
        return func.value.id if isinstance(func.value, ast.Name) else None
    name = dotted(func) or ""
    if name in ("dict", "list", "copy.copy", "copy.deepcopy", "deepcopy") and value.args:
        first = value.args[0]
        return first.id if isinstance(first, ast.Name) else None
    return None


#: calls that make an empty or index-only frame or array to be filled from the data
FRAME_CONSTRUCTOR = re.compile(
    r"(pd\.|pandas\.|pl\.|polars\.)?DataFrame|(np|numpy)\.(zeros|empty|ones|full)(_like)?"
)


def _derived(body: Body, start: set[str]) -> set[str]:
    """Names whose value is computed from the data parameters (two passes over assignments)."""
    derived = set(start)
    if not derived:
        return derived
    # ``out = pd.DataFrame()`` then ``out["day"] = dates.dt.day``: a frame built column by
    # column from the input (``metrics["x"] = value`` into a dict only files a value)
    frames = {
        target.id
        for targets, value, _line in body.assigns
        if isinstance(value, ast.Call) and FRAME_CONSTRUCTOR.fullmatch(dotted(value.func) or "")
        for target in targets
        if isinstance(target, ast.Name)
    }
    for _ in range(2):
        for targets, value, _line in body.assigns:
            for target in targets:
                # ``img[lo:hi] = 1`` with ``lo``, ``hi`` from the input: filled where it says
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and names_in(target.slice) & derived
                    and not isinstance(target.slice, ast.Constant)
                ):
                    derived.add(target.value.id)
            if names_in(value) & derived:
                for target in targets:
                    if isinstance(target, ast.Attribute):
                        continue
                    if isinstance(target, ast.Subscript):
                        # ``totals[row["k"]] = ...`` aggregates data into ``totals``;
                        # ``metrics["x"] = value`` only files a value under a name
                        if isinstance(target.value, ast.Name) and (
                            not isinstance(target.slice, ast.Constant) or target.value.id in frames
                        ):
                            derived.add(target.value.id)
                        continue
                    for sub in walk(target):
                        if isinstance(sub, ast.Name):
                            derived.add(sub.id)
        for call in body.calls:  # ``rows.append(row)``: the collection holds data now
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("append", "extend", "insert", "add")
                and isinstance(func.value, ast.Name)
                and any(names_in(a) & derived for a in call.args)
            ):
                derived.add(func.value.id)
    return derived


def _operations(
    body: Body, derived: set[str], text: set[str], data_module: bool
) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """Data operations (strong, weak, text) on values derived from the input, in order."""
    strong: list[list[Any]] = []
    weak: list[list[Any]] = []
    text_ops: list[list[Any]] = []

    def touches(call: ast.Call) -> bool:
        names = names_in(call.func) | {
            n for a in [*call.args, *(k.value for k in call.keywords)] for n in names_in(a)
        }
        return bool(names & derived)

    for call in body.calls:
        if not touches(call):
            continue
        name = call_text(call)
        if not name and isinstance(call.func, ast.Call):
            name = call_text(call.func)  # ``np.vectorize(mapping.get)(y)``
        last = name.rsplit(".", 1)[-1]
        head = name.split(".", 1)[0]
        receiver = root_name(call.func.value) if isinstance(call.func, ast.Attribute) else None
        if _is_regex(call):
            text_ops.append([name if head == "re" else f"{head}.{last}", call.lineno])
        elif (
            isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Attribute)
            and call.func.value.attr in ("str", "dt")
        ):
            strong.append([f".{call.func.value.attr}.{last}", call.lineno])
        elif last in STRONG_OPS:
            strong.append([last, call.lineno])
        elif name.startswith(DATA_MODULES) and not IO_CALLS.search(name):
            strong.append([name, call.lineno])
        elif last in TEXT_METHODS and receiver in text:
            text_ops.append([f".{last}", call.lineno])
        elif last in WEAK_OPS:
            # ``self.transform(x)``: the object's configured transform, named as such
            weak.append([f"self.{last}" if receiver == "self" else last, call.lineno])
        elif head in ("T", "transforms", "A", "albumentations", "v2", "cv2"):
            strong.append([name, call.lineno])
    for sub in body.subscripts:
        if isinstance(sub.ctx, ast.Store) and root_name(sub) in derived:
            (strong if data_module else weak).append(["column store", sub.lineno])
    for call in body.calls:  # records rebuilt in a loop: ``out.append({**row, "x": ...})``
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "append"
            and call.args
            and isinstance(call.args[0], ast.Dict | ast.Call | ast.Tuple)
            and names_in(call.args[0]) & derived
        ):
            weak.append(["records", call.lineno])
    for sub in body.subscripts:  # rows selected: ``X[:n]``, ``x[:, 1:]``
        key = sub.slice
        if (
            isinstance(sub.ctx, ast.Load)
            and isinstance(sub.value, ast.Name)
            and sub.value.id in derived
            and (
                isinstance(key, ast.Slice)
                or (isinstance(key, ast.Tuple) and any(isinstance(e, ast.Slice) for e in key.elts))
            )
        ):
            weak.append(["selection", sub.lineno])
    for expr in body.arithmetic:  # ``(x - lo) / (hi - lo)`` on the data itself
        if names_in(expr) & derived:
            weak.append(["arithmetic", expr.lineno])
    for comp in body.comprehensions:  # records rebuilt: ``[{**row, "x": ...} for row in rows]``
        element = comp.key if isinstance(comp, ast.DictComp) else comp.elt
        if any(names_in(g.iter) & derived for g in comp.generators) and isinstance(
            element, ast.Dict | ast.Call | ast.BinOp | ast.IfExp | ast.Subscript
        ):
            weak.append(["comprehension", comp.lineno])
    for keyword, call in body.keywords:
        if (
            keyword.arg == "inplace"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is True
        ):
            strong.append([f"{call_text(call).rsplit('.', 1)[-1]}(inplace=True)", call.lineno])
        elif (  # ``df.insert(2, column="width", value=widths)``: a new column
            keyword.arg == "column"
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "insert"
            and root_name(call.func.value) in derived
        ):
            strong.append(["insert(column=...)", call.lineno])
    strong.sort(key=lambda item: item[1])
    return strong, weak, text_ops


def _output(
    body: Body, derived: set[str], data: dict[str, str], text: dict[str, str]
) -> tuple[str, str]:
    """What the function returns: ``derived``, ``summary``, ``unrelated`` or ``none``."""
    values = [v for v in body.returns if v is not None and not _is_none(v)]
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
    kinds = []
    for value in values:
        if not (names_in(value) & derived):
            kinds.append("unrelated")
        elif _is_scalar(value) or _library_reduction(value, derived) or _is_report(value, scalars):
            kinds.append("summary")
        else:
            kinds.append("derived")
    if "derived" in kinds:
        return "derived", f"returns data built from {inputs}"
    if "summary" in kinds:
        return "summary", f"returns a single value computed from {inputs}"
    return "unrelated", ""


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
        and not re.search(r"groupby|resample|rolling|axis|dim", ast.unparse(value))
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
        if (
            isinstance(value.func, ast.Attribute)
            and value.func.attr in SCALAR_METHODS
            and len(value.args) < 2  # ``np.mean(preds, 0)``: a positional axis
        ):
            chain = ast.unparse(value.func.value)
            return not re.search(r"groupby|resample|rolling|axis|dim", chain + ast.unparse(value))
    if isinstance(value, ast.Attribute) and value.attr in SCALAR_ATTRS:
        return True
    return isinstance(value, ast.JoinedStr)


def _mutation(body: Body, inputs: set[str]) -> str:
    """How the function changes a data parameter in place, or ``""``."""
    for sub in body.subscripts:
        if isinstance(sub.ctx, ast.Store) and root_name(sub) in inputs:
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


def _negatives(body: Body, derived: set[str]) -> list[str]:
    """What the body does that no transformation does: ``[kind, evidence]`` pairs."""
    found: dict[str, str] = {}
    for call in body.calls:
        name = call_text(call)
        if not name:
            continue
        last = name.rsplit(".", 1)[-1]
        receiver = name.rsplit(".", 1)[0] if "." in name else ""
        if last == "fit" and (
            len(call.args) + len(call.keywords) >= 2 or FIT_RECEIVER.search(receiver.split(".")[-1])
        ):
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
        elif LOSS_CALL.search(last) or LOSS_CALL.search(name):
            found.setdefault("loss", f"computes a loss (`{name}()`)")
        elif PREDICT_CALL.search(name) and last != "generate":
            found.setdefault("predict", f"runs a model (`{name}()`)")
        elif PLOT_CALL.search(name):
            found.setdefault("plot", f"plots (`{name}()`)")
        elif HTTP_CALL.search(name):
            found.setdefault("network", f"talks to the network (`{name}()`)")
        elif DB_CALL.search(name):
            found.setdefault("storage", f"writes to a database (`{name}()`)")
        elif CALLEE_NEGATIVE.search(last) and "." not in name:
            found.setdefault("model", f"trains, predicts or evaluates (`{name}()`)")
        elif ARGPARSE_CALL.search(name):
            found.setdefault("cli", f"is a command-line entry point (`{name}()`)")
    for item in body.withs:
        text = dotted(item.context_expr.func) if isinstance(item.context_expr, ast.Call) else None
        if text in ("torch.no_grad", "torch.inference_mode", "torch.enable_grad"):
            found.setdefault("predict", f"runs a model (`with {text}()`)")
    return [f"{k}: {v}" for k, v in found.items()]
