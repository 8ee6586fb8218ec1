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
from mlnudge.checks.transforms.tables import (
    ARG_DATA_METHODS,
    ARGPARSE_CALL,
    BUILDER_CLASSES,
    CALLEE_NEGATIVE,
    COLUMN_BUILDERS,
    CONSTRUCTORS,
    DATA_LIBS,
    DATA_MODULES,
    DB_CALL,
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
    SPLIT_OPS,
    STACKING,
    STRONG_OPS,
    TEXT_ANNOTATION,
    TEXT_METHODS,
    TRAIN_CALL,
    TUNING_CALL,
    WEAK_OPS,
    WRAPPERS,
)
from mlnudge.facts.syntax import children, statements, walk

#: facts format version: bump when the summary changes shape or meaning
FACTS_VERSION = "transforms-facts-8"


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else ``None``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def call_text(node: ast.Call) -> str:
    """``a.b.c`` for ``a.b.c(...)``; for ``x.y().z(...)`` the attribute chain (``.z``)."""
    text = dotted(node.func)
    if text is not None:
        return text
    if isinstance(node.func, ast.Attribute):
        return "." + node.func.attr
    return ""


def annotation_text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):  # pragma: no cover - malformed trees only
        return ""


def _root_name(node: ast.expr) -> str | None:
    """The name at the bottom of ``df["a"].str.lower()`` (``df``)."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None


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
        return _names_in(node)
    return set()


def _sizes(body: _Body) -> set[str]:
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
        if (
            isinstance(default, ast.Constant)
            and isinstance(default.value, int | float)
            and not isinstance(default.value, bool)
        ):
            sizes.add(arg.arg)
    return sizes


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, ast.Name)}


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


class _Body:
    """Everything about one function body, collected in a single walk."""

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef, cls: str | None) -> None:
        self.node = node
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        if node.args.vararg:
            args = [*args, node.args.vararg]
        self.params = [a.arg for a in args if not (cls is not None and a.arg in ("self", "cls"))]
        self.annotations = {a.arg: annotation_text(a.annotation) for a in args}
        self.calls: list[ast.Call] = []
        self.subscripts: list[ast.Subscript] = []
        self.attributes: list[ast.Attribute] = []
        self.assigns: list[tuple[list[ast.expr], ast.expr, int]] = []
        self.loops: list[tuple[ast.expr, ast.expr]] = []
        self.returns: list[ast.expr | None] = []
        self.keywords: list[tuple[ast.keyword, ast.Call]] = []
        self.withs: list[ast.withitem] = []
        self.comprehensions: list[ast.ListComp | ast.DictComp | ast.GeneratorExp] = []
        self.arithmetic: list[ast.BinOp] = []
        self.statements = 0
        stack: list[ast.AST] = list(node.body)
        while stack:
            sub = stack.pop()
            if isinstance(sub, ast.stmt):
                self.statements += 1
            if isinstance(sub, ast.Call):
                self.calls.append(sub)
                self.keywords += [(k, sub) for k in sub.keywords]
            elif isinstance(sub, ast.Subscript):
                self.subscripts.append(sub)
            elif isinstance(sub, ast.Attribute):
                self.attributes.append(sub)
            elif isinstance(sub, ast.Assign):
                self.assigns.append((list(sub.targets), sub.value, sub.lineno))
            elif isinstance(sub, ast.AugAssign | ast.AnnAssign) and sub.value is not None:
                self.assigns.append(([sub.target], sub.value, sub.lineno))
                if isinstance(sub, ast.AugAssign):
                    self.assigns.append(([sub.target], sub.target, sub.lineno))
            elif isinstance(sub, ast.NamedExpr):
                self.assigns.append(([sub.target], sub.value, sub.lineno))
            elif isinstance(sub, ast.For | ast.AsyncFor | ast.comprehension):
                self.loops.append((sub.target, sub.iter))
                if isinstance(sub, ast.comprehension):
                    self.assigns.append(([sub.target], sub.iter, 0))
                else:
                    self.assigns.append(([sub.target], sub.iter, sub.lineno))
            elif isinstance(sub, ast.Return | ast.Yield | ast.YieldFrom):
                self.returns.append(sub.value)
            elif isinstance(sub, ast.ListComp | ast.DictComp | ast.GeneratorExp):
                self.comprehensions.append(sub)
            elif isinstance(sub, ast.BinOp) and isinstance(
                sub.op,
                ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow | ast.FloorDiv | ast.MatMult,
            ):
                self.arithmetic.append(sub)
            elif isinstance(sub, ast.withitem):
                self.withs.append(sub)
                if sub.optional_vars is not None:
                    self.assigns.append(([sub.optional_vars], sub.context_expr, 0))
            if isinstance(sub, ast.Lambda):
                continue
            stack.extend(children(sub))
        self.calls.sort(key=lambda c: (c.lineno, c.col_offset))
        self.assigns.sort(key=lambda a: a[2])


def function_facts(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    cls: str | None,
    data_module: bool = False,
) -> dict[str, Any]:
    """The identification facts of one function (see the module docstring)."""
    body = _Body(node, cls)
    decorators = [
        dotted(d.func if isinstance(d, ast.Call) else d) or "" for d in node.decorator_list
    ]
    data, maybe, text = _data_params(body, data_module)
    derived = _derived(body, set(data) | set(maybe) | set(text))
    ops, weak, text_ops = _operations(body, derived, set(text), data_module)
    out, out_why = _output(body, derived, {**data, **maybe}, text)
    facts: dict[str, Any] = {
        "q": qualname,
        "name": node.name,
        "line": node.lineno,
        "cls": cls,
        "decorators": decorators,
        "params": body.params,
        "data": data,
        "maybe_data": maybe,
        "text": text,
        "ops": ops[:6],
        "weak": weak[:6],
        "text_ops": text_ops[:6],
        "out": out,
        "out_why": out_why,
        "mutates": _mutation(body, set(data) | set(maybe) | set(text)),
        "negative": _negatives(body, derived),
        "stub": _is_stub(node),
        "abstract": any(d.rsplit(".", 1)[-1] == "abstractmethod" for d in decorators),
        "property": any(
            d.rsplit(".", 1)[-1] in ("property", "cached_property", "setter", "getter")
            or d.endswith((".setter", ".getter", ".deleter"))
            for d in decorators
        ),
        "accessor": _is_accessor(node, body),
        "delegates": _delegates(node, body),
        "plain_stack": _plain_stack(body),
        "statements": body.statements,
        "builder": _builder(body),
        "factory": _built(body, FACTORY_CLASSES),
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
        "doctest": ">>>" in (ast.get_docstring(node, clean=False) or ""),
    }
    return facts


def _data_params(
    body: _Body, data_module: bool
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Parameters that are data (with the reason): surely (only data is used like that), maybe
    (lists, dicts and strings are used like that too), and parameters that are text."""
    params = {
        p
        for p in body.params
        if not NOT_DATA_PARAM.match(p)
        and body.annotations.get(p, "") not in ("int", "float", "bool", "Path", "dict", "Dict")
    } - _sizes(body)
    data: dict[str, str] = {}
    weak: dict[str, str] = {}
    text: dict[str, str] = {}
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
            root = _root_name(attr.value.value)
            mark(root, f"used as a column (`.{attr.value.attr}.{attr.attr}`)")
    for call in body.calls:
        func = call.func
        if isinstance(func, ast.Attribute):
            receivers = _receivers(func.value)
            if func.attr in ARG_DATA_METHODS:
                for arg in call.args:
                    mark(_names_in(arg) & params, f"passed to `.{func.attr}()`")
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
                mark(_names_in(arg) & params, f"passed to `{call_text(func)}(...)()`")
        name = call_text(call)
        head, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
        if last in CONSTRUCTORS or IO_CALLS.search(name):
            if last in WRAPPERS:  # ``pd.Series(signal)``: the argument is the data
                for arg in call.args[:1]:
                    mark(_names_in(arg) & params, f"wrapped as data (`{name}()`)", False)
            continue
        if name.startswith(DATA_MODULES) or (
            last in STRONG_OPS and not isinstance(func, ast.Attribute)
        ):
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                mark(_names_in(arg), f"passed to `{name}()`")
        elif _is_regex(call):
            for arg in call.args[1:] if head == "re" or last in ("sub", "subn") else call.args:
                for inner in _names_in(arg) & params:
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
                and gen.target.id in _names_in(element.slice)
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
    containers = {name for _target, iterable in body.loops for name in _names_in(iterable)} | {
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
    return data, weak, text


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


def _derived(body: _Body, start: set[str]) -> set[str]:
    """Names whose value is computed from the data parameters (two passes over assignments)."""
    derived = set(start)
    if not derived:
        return derived
    for _ in range(2):
        for targets, value, _line in body.assigns:
            if _names_in(value) & derived:
                for target in targets:
                    if isinstance(target, ast.Attribute):
                        continue
                    if isinstance(target, ast.Subscript):
                        # ``totals[row["k"]] = ...`` aggregates data into ``totals``;
                        # ``metrics["x"] = value`` only files a value under a name
                        if isinstance(target.value, ast.Name) and not isinstance(
                            target.slice, ast.Constant
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
                and any(_names_in(a) & derived for a in call.args)
            ):
                derived.add(func.value.id)
    return derived


def _operations(
    body: _Body, derived: set[str], text: set[str], data_module: bool
) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """Data operations (strong, weak, text) on values derived from the input, in order."""
    strong: list[list[Any]] = []
    weak: list[list[Any]] = []
    text_ops: list[list[Any]] = []

    def touches(call: ast.Call) -> bool:
        names = _names_in(call.func) | {
            n for a in [*call.args, *(k.value for k in call.keywords)] for n in _names_in(a)
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
        receiver = _root_name(call.func.value) if isinstance(call.func, ast.Attribute) else None
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
            weak.append([last, call.lineno])
        elif head in ("T", "transforms", "A", "albumentations", "v2", "cv2"):
            strong.append([name, call.lineno])
    for sub in body.subscripts:
        if isinstance(sub.ctx, ast.Store) and _root_name(sub) in derived:
            (strong if data_module else weak).append(["column store", sub.lineno])
    for call in body.calls:  # records rebuilt in a loop: ``out.append({**row, "x": ...})``
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "append"
            and call.args
            and isinstance(call.args[0], ast.Dict | ast.Call | ast.Tuple)
            and _names_in(call.args[0]) & derived
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
        if _names_in(expr) & derived:
            weak.append(["arithmetic", expr.lineno])
    for comp in body.comprehensions:  # records rebuilt: ``[{**row, "x": ...} for row in rows]``
        element = comp.key if isinstance(comp, ast.DictComp) else comp.elt
        if any(_names_in(g.iter) & derived for g in comp.generators) and isinstance(
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
            and _root_name(call.func.value) in derived
        ):
            strong.append(["insert(column=...)", call.lineno])
    strong.sort(key=lambda item: item[1])
    return strong, weak, text_ops


def _output(
    body: _Body, derived: set[str], data: dict[str, str], text: dict[str, str]
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
        if not (_names_in(value) & derived):
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
    root = _root_name(value.func)
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


def _mutation(body: _Body, inputs: set[str]) -> str:
    """How the function changes a data parameter in place, or ``""``."""
    for sub in body.subscripts:
        if isinstance(sub.ctx, ast.Store) and _root_name(sub) in inputs:
            return f"changes `{_root_name(sub)}` in place (`{ast.unparse(sub)[:40]} = ...`)"
    for keyword, call in body.keywords:
        if (
            keyword.arg == "inplace"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is True
            and isinstance(call.func, ast.Attribute)
            and _root_name(call.func.value) in inputs
        ):
            root = _root_name(call.func.value)
            return f"changes `{root}` in place (`{call.func.attr}(inplace=True)`)"
    return ""


def _negatives(body: _Body, derived: set[str]) -> list[str]:
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
        elif TRAIN_CALL.search(name) and not (_names_in(call.func) & derived - {"self"}):
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


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
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


def _plain_stack(body: _Body) -> bool:
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


def _delegates(node: ast.FunctionDef | ast.AsyncFunctionDef, body: _Body) -> bool:
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
        and _root_name(call.func) == "self"
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
        and _root_name(value.func) == "self"
        and all(isinstance(a, ast.Name) for a in value.args)
        and not value.keywords
    )


def _is_accessor(node: ast.FunctionDef | ast.AsyncFunctionDef, body: _Body) -> bool:
    """One ``return`` of a constant, an attribute or one column: nothing is computed."""
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
    if isinstance(value, ast.Subscript):
        return isinstance(value.value, ast.Name | ast.Attribute) and isinstance(
            value.slice, ast.Constant | ast.Name | ast.Attribute
        )
    return False


def _built(body: _Body, classes: re.Pattern[str]) -> str:
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


def _builder(body: _Body) -> str:
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


# -- MLN303 ---------------------------------------------------------------------------------------


def script_ops(tree: ast.Module) -> tuple[int, int]:
    """(data operations in top-level code and ``__main__`` blocks, line of the first); one
    operation that only data has (``drop_duplicates``, ``fit_transform``) counts as two."""
    count = 0
    first = 0
    kinds: set[str] = set()
    modules = {
        (alias.asname or alias.name).split(".")[0]
        for node in statements(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    #: names bound to a dict written in the code: ``result["loss"] = ...`` fills a record
    dicts = {
        target.id
        for node in walk(tree)
        if isinstance(node, ast.Assign)
        and (
            isinstance(node.value, ast.Dict)
            or (isinstance(node.value, ast.Call) and dotted(node.value.func) == "dict")
        )
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        for sub in walk(stmt):
            hit = ""
            weight = 1
            if isinstance(sub, ast.Call):
                name = call_text(sub)
                last = name.rsplit(".", 1)[-1]
                if _on_numbers(sub, modules):
                    continue  # ``np.log(0.005)``, ``np.zeros([9, 32]).astype(int)``: no data
                if last in STRONG_OPS:
                    hit, weight = last, 2
                elif last == "train_test_split":
                    # a stratified split is a sampling decision; a plain one sets rows apart
                    stratified = any(k.arg == "stratify" for k in sub.keywords)
                    hit = "stratified split" if stratified else "train_test_split"
                elif (
                    last
                    in WEAK_OPS - {"copy", "head", "tail", "count", "split", "update", "to_dict"}
                    and not (  # one number summarised (``errors.mean()``): not a data operation
                        last in REDUCTIONS
                        and not any(k.arg in ("axis", "dim") for k in sub.keywords)
                        and len(sub.args) <= (1 if _root_name(sub.func) in modules else 0)
                    )
                    and isinstance(sub.func, ast.Attribute)
                    and _root_name(sub.func.value)
                    not in ("os", "sys", "re", "json", "Path", "self")
                    # ``model.add(Dense(64))``, ``model.predict(x).flatten()``: the model, not data
                    and not FIT_RECEIVER.fullmatch(_root_name(sub.func.value) or "")
                ):
                    hit = last
                    if last == "drop" and not _names_listed(sub):
                        hit = "drop computed columns"
            elif isinstance(sub, ast.Subscript):
                key = sub.slice
                if (
                    isinstance(sub.ctx, ast.Store)
                    and _root_name(sub) not in dicts
                    # ``params["n_estimators"] = ...``: a setting, not a column
                    and not NOT_DATA_PARAM.match(_root_name(sub) or "")
                    and (
                        (isinstance(key, ast.Constant) and isinstance(key.value, str))
                        or _constant_name(key)
                        or (
                            isinstance(sub.value, ast.Attribute)
                            and sub.value.attr in ("loc", "iloc", "at", "iat")
                        )
                    )
                ):
                    hit = "column store"
                elif isinstance(key, ast.Compare) or (
                    isinstance(key, ast.BinOp) and isinstance(key.op, ast.BitAnd | ast.BitOr)
                ):
                    hit = "mask"
            if hit:
                count += weight
                kinds.add(hit)
                line = getattr(sub, "lineno", 0)
                first = line if not first else min(first, line)
    if kinds and kinds <= SPLIT_OPS:
        # rows put in order and the key and target columns set apart before a fit: a training
        # script's plumbing, no value of the data changes
        return 0, 0
    return count, first


def _constant_name(node: ast.expr) -> bool:
    """``TARGET``, ``config.TARGET``: a name spelled like a constant (a column name)."""
    if isinstance(node, ast.Attribute):
        return node.attr.isupper()
    return isinstance(node, ast.Name) and node.id.isupper() and len(node.id) > 1


def _names_listed(call: ast.Call) -> bool:
    """``drop(columns=[KEY, TARGET])``, ``drop("id", axis=1)``: columns named in the code, not
    chosen from the data."""
    chosen = [k.value for k in call.keywords if k.arg in ("columns", "labels")] or call.args[:1]
    for value in chosen:
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        for item in items:
            if isinstance(item, ast.Constant):
                continue
            if not _constant_name(item):
                return False
    return bool(chosen)


def _on_numbers(call: ast.Call, modules: set[str]) -> bool:
    """A library call on numbers written in the code (``np.log(0.005)``, ``np.zeros([9, 32])``,
    and methods chained on such a call): nothing in it comes from data."""
    node: ast.expr = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if isinstance(node.func.value, ast.Call):
            node = node.func.value
        else:
            break
    if not isinstance(node, ast.Call) or (dotted(node.func) or ".").split(".")[0] not in modules:
        return False
    args = [*node.args, *(k.value for k in node.keywords)]
    return bool(args) and all(_number_literal(a) for a in args)


def _number_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    if isinstance(node, ast.List | ast.Tuple):
        return all(_number_literal(e) for e in node.elts)
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )
