"""How data flows through one function body (MLN3xx identification): the names computed
from its input (:func:`derived_from`) and the data operations done on them
(:func:`operations`), with the syntax both ask about (a regular expression call, a copy).
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any

from mlnudge.checks.transforms.nodes import (
    Body,
    call_text,
    dotted,
    names_in,
    record_field,
    root_name,
)
from mlnudge.checks.transforms.tables import (
    AXIS_REDUCTIONS,
    DATA_MODULES,
    GRAPH_MODULES,
    GRAPH_NOT_ALGORITHM,
    IMAGE_MODULES,
    IO_CALLS,
    PLOT_CALL,
    PREPROCESSOR_CALL,
    REGEX_FUNCS,
    SIGNAL_FUNCTIONS,
    SIGNAL_MODULES,
    STRONG_OPS,
    STRUCTURING_ELEMENTS,
    TEXT_METHODS,
    UNIT_RESHAPE,
    WEAK_OPS,
)
from mlnudge.facts.syntax import walk


def is_regex(call: ast.Call) -> bool:
    """``re.sub(...)``, or ``PATTERN.sub(...)`` on a compiled pattern."""
    name = call_text(call)
    head, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
    if last not in REGEX_FUNCS:
        return False
    return head == "re" or (
        "." in name and (head.isupper() or re.search(r"(re|regex|pattern|_RE)$", head) is not None)
    )


def copied(value: ast.expr) -> str | None:
    """The name ``value`` copies: ``dict(data)``, ``list(rows)``, ``copy.deepcopy(x)``,
    ``x.copy()``, ``x.clone()``, ``df[:]``."""
    if (
        isinstance(value, ast.Subscript)
        and isinstance(value.value, ast.Name)
        and isinstance(value.slice, ast.Slice)
        and value.slice.lower is None
        and value.slice.upper is None
        and value.slice.step is None
    ):
        return value.value.id  # all of its rows: a copy
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


#: what describes a table's layout, not its values
_SCHEMA_ATTRS = frozenset({"dtypes", "columns"})


def _schema_only(value: ast.expr, derived: set[str]) -> bool:
    """Every use of the data in ``value`` is its schema: ``df.dtypes.to_frame("dtype")``,
    ``list(df.columns)``. A frame's dtypes and column names describe it; what is computed from
    them (a schema artifact, a list of names) is not data derived from it."""
    schema = 0
    for node in walk(value):
        # (also at the end of a chain that selects columns first: the names of the numeric
        # columns, ``df.select_dtypes("number").columns``, ``df._get_numeric_data().columns``)
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _SCHEMA_ATTRS
            and root_name(node.value) in derived
            and sum(1 for n in walk(node.value) if isinstance(n, ast.Name) and n.id in derived) == 1
        ):
            schema += 1
    if not schema:
        return False
    uses = sum(1 for node in walk(value) if isinstance(node, ast.Name) and node.id in derived)
    return uses == schema


_CASTS = frozenset({"int", "float", "str", "bool"})


def _field_value(value: ast.expr, derived: set[str]) -> bool:
    """``int(ride["day"])``, ``f"{ride['route']}_{ride['dir']}"``, ``row["a"] + row["b"]``: a
    field of a data record, cast or combined with others (no method called on it), stored
    into a new record: a feature row, not a value filed under a name (``len(df)``,
    ``df["x"].mean()``)."""
    node = value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CASTS:
        if len(node.args) != 1:
            return False
        node = node.args[0]
    fields = False
    for sub in walk(node):
        if isinstance(sub, ast.Call):
            return False
        if record_field(sub, derived) is not None:
            fields = True
    return fields


_BUILTIN_NAMES = frozenset(dir(builtins))


def derived_from(body: Body, start: set[str]) -> set[str]:
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
    # (most bodies never look at a frame's dtypes or columns: spare the walks)
    schema = any(a.attr in _SCHEMA_ATTRS for a in body.attributes)
    # ``summary = pd.DataFrame(df.dtypes, columns=["dtypes"])``: a table whose rows are the
    # input's columns describes the input (a profile: missing counts, uniques, sample values
    # stored into it are facts about each column), it is not data derived from it
    profiles = (
        {
            target.id
            for targets, value, _line in body.assigns
            if isinstance(value, ast.Call)
            and FRAME_CONSTRUCTOR.fullmatch(dotted(value.func) or "")
            and _schema_only(value, derived)
            for target in targets
            if isinstance(target, ast.Name)
        }
        if schema
        else set()
    )
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
            if names_in(value) & derived and not (schema and _schema_only(value, derived)):
                for target in targets:
                    if isinstance(target, ast.Attribute):
                        continue
                    if isinstance(target, ast.Subscript):
                        # ``totals[row["k"]] = ...`` aggregates data into ``totals``;
                        # ``metrics["x"] = value`` only files a value under a name
                        if (
                            isinstance(target.value, ast.Name)
                            and target.value.id not in profiles
                            and (
                                not isinstance(target.slice, ast.Constant)
                                or target.value.id in frames
                                or _field_value(value, derived)
                            )
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


#: word tests of a tokeniser's output: digits, punctuation, letters
_WORD_TESTS = frozenset({"isdigit", "isalpha", "isalnum", "isnumeric", "isdecimal", "ispunct"})
#: what rewrites one word: its string methods, a stemmer's or lemmatiser's
_WORD_REWRITES = TEXT_METHODS | {"stem", "lemmatize"}


def word_cleaning(body: Body) -> list[tuple[str, str, int]]:
    """Lists of words cleaned one word at a time, as ``(iterated name, what, line)``:
    ``[w.translate(table) for w in words]``, ``[porter.stem(w) for w in words]``,
    ``[w for w in words if not w.isdigit()]``, ``[w for w in words if w.lower() not in stop]``.
    (Keeping the names that pass a membership test, ``[c for c in cols if c not in drop]``,
    is not one: column names are filtered like that too.)"""
    found: list[tuple[str, str, int]] = []
    for comp in body.comprehensions:
        if isinstance(comp, ast.DictComp) or len(comp.generators) != 1:
            continue
        gen = comp.generators[0]
        if not (isinstance(gen.iter, ast.Name) and isinstance(gen.target, ast.Name)):
            continue
        word = gen.target.id
        what = ""
        element = comp.elt
        if isinstance(element, ast.Call) and isinstance(element.func, ast.Attribute):
            method = element.func.attr
            on_word = isinstance(element.func.value, ast.Name) and element.func.value.id == word
            handed = any(isinstance(a, ast.Name) and a.id == word for a in element.args)
            if method in _WORD_REWRITES and on_word:
                what = f"{word}.{method}()"
            elif handed and method in ("stem", "lemmatize"):
                what = f"{ast.unparse(element.func.value)[:20]}.{method}({word})"
        for test in gen.ifs:
            for node in walk(test):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == word
                    and (
                        node.func.attr in _WORD_TESTS
                        or (
                            node.func.attr in ("lower", "casefold")
                            and isinstance(test, ast.Compare)
                        )
                    )
                ):
                    what = what or f"if ... {word}.{node.func.attr}()"
        if what:
            found.append((gen.iter.id, what, comp.lineno))
    return found


def function_stores(body: Body) -> set[int]:
    """The store targets (by ``id``) whose value is a function: ``library["v^2"] =
    LibraryFcn(lambda h, v: v ** 2)`` registers a function under a key, it stores no data."""
    found: set[int] = set()
    for targets, value, _line in body.assigns:
        if isinstance(value, ast.Lambda) or (
            isinstance(value, ast.Call)
            and any(
                isinstance(a, ast.Lambda) for a in [*value.args, *(k.value for k in value.keywords)]
            )
        ):
            found.update(id(t) for t in targets if isinstance(t, ast.Subscript))
    return found


def filed_stores(body: Body) -> set[int]:
    """The store targets (by ``id``) that file a whole object under a key of a dict the body
    built and returns as it is: ``tables[path.stem] = df`` then ``return tables`` collects
    what was read or made, by name; it changes no value (what ``df`` went through is judged
    on its own)."""
    dicts = {
        t.id
        for targets, value, _line in body.assigns
        if isinstance(value, ast.Dict)
        or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "dict"
        )
        for t in targets
        if isinstance(t, ast.Name)
    }
    returned = {v.id for v in body.returns if isinstance(v, ast.Name)}
    return {
        id(t)
        for targets, value, _line in body.assigns
        if isinstance(value, ast.Name)
        for t in targets
        if isinstance(t, ast.Subscript)
        and isinstance(t.value, ast.Name)
        and t.value.id in dicts & returned
        and not (isinstance(t.slice, ast.Constant) and isinstance(t.slice.value, str))
    }


def _joins_strings(expr: ast.BinOp) -> bool:
    """``"out/" + name + ".csv"``, ``"%s.csv" % name``: string building."""
    while True:
        for side in (expr.left, expr.right):
            if isinstance(side, ast.Constant) and isinstance(side.value, str):
                return True
            if isinstance(side, ast.JoinedStr):
                return True
        if not isinstance(expr.left, ast.BinOp):
            return False
        expr = expr.left


def _hands_each(element: ast.expr) -> bool:
    """``step(x[i])``, ``delayed(step)(x[i], k=v)``: a call of a function by name (not a
    built-in conversion such as ``int(v)``), whose arguments are items and settings as they
    are, no computation of their own."""
    if not isinstance(element, ast.Call):
        return False
    func = element.func
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name):
        func = func.args[0] if func.args else func.func  # ``delayed(step)``
    if not isinstance(func, ast.Name) or func.id in _BUILTIN_NAMES:
        return False
    return all(
        isinstance(a, ast.Name | ast.Constant | ast.Attribute | ast.Subscript)
        for a in [*element.args, *(k.value for k in element.keywords)]
    )


def _unit_shape(call: ast.Call) -> bool:
    """``reshape(-1, 1)``, ``reshape(1, -1)``, ``reshape((-1, 1))``, ``reshape(-1)``: the new
    shape is ``-1`` and ones only, so no value moves between rows."""
    args = list(call.args)
    if len(args) == 1 and isinstance(args[0], ast.Tuple):
        args = list(args[0].elts)
    if not args or call.keywords:
        return False
    values: list[object] = []
    for a in args:
        if (
            isinstance(a, ast.UnaryOp)
            and isinstance(a.op, ast.USub)
            and isinstance(a.operand, ast.Constant)
            and type(a.operand.value) is int
        ):
            values.append(-a.operand.value)
        else:
            values.append(a.value if isinstance(a, ast.Constant) else None)
    return values.count(-1) == 1 and all(v in (-1, 1) and type(v) is int for v in values)


def _casts_only(call: ast.Call) -> bool:
    """``apply(lambda c: c.astype(int) if c.dtype == "bool" else c)``: the function handed in
    only sets the type of what it is given (or gives it back as it is)."""
    if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Lambda):
        return False
    func = call.args[0]
    if len(func.args.args) != 1:
        return False
    param = func.args.args[0].arg

    def cast(node: ast.expr) -> bool:
        if isinstance(node, ast.IfExp):
            return cast(node.body) and cast(node.orelse)
        if isinstance(node, ast.Name):
            return node.id == param
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "astype"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == param
        )

    return cast(func.body) and not isinstance(func.body, ast.Name)


#: calls whose arguments are only shown: a print or a log line
_SHOWN_CALL = re.compile(
    r"^(print|pprint|display|warnings\.warn|(self\.)?(logger|logging|log|_logger|LOGGER)\.\w+)$"
)


def _shown(body: Body) -> set[int]:
    """The nodes inside the arguments of a print or a log call (``logger.info(f"{np.unique(m)}")``):
    what a message computes is shown, not done to the data."""
    inside: set[int] = set()
    for call in body.calls:
        if _SHOWN_CALL.match(call_text(call)):
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                inside.update(id(n) for n in walk(arg))
    return inside


def operations(
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

    shown = _shown(body)
    for call in body.calls:
        if not touches(call) or id(call) in shown:
            continue
        name = call_text(call)
        if not name and isinstance(call.func, ast.Call):
            name = call_text(call.func)  # ``np.vectorize(mapping.get)(y)``
        last = name.rsplit(".", 1)[-1]
        head = name.split(".", 1)[0]
        receiver = root_name(call.func.value) if isinstance(call.func, ast.Attribute) else None
        if is_regex(call):
            text_ops.append([name if head == "re" else f"{head}.{last}", call.lineno])
        elif (
            isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Attribute)
            and call.func.value.attr in ("str", "dt")
        ):
            strong.append([f".{call.func.value.attr}.{last}", call.lineno])
        elif last in STRONG_OPS:
            strong.append([last, call.lineno])
        elif last == "sample" and any(k.arg == "frac" for k in call.keywords):
            strong.append(["sample(frac=...)", call.lineno])  # rows drawn at random
        elif last in AXIS_REDUCTIONS and any(k.arg in ("axis", "dim") for k in call.keywords):
            # ``diff.sum(axis=1)``: one value per row or frame, an array (a spectrogram summed
            # over its bands is an onset curve); without an axis it is one number
            strong.append([f"{last}(axis=...)", call.lineno])
        elif (
            (name.startswith(DATA_MODULES) and not IO_CALLS.search(name))
            or (name.startswith(SIGNAL_MODULES) and last in SIGNAL_FUNCTIONS)  # a signal filtered
            # a graph algorithm run on the graph (``nx.ancestors(g, n)``): a graph feature
            # (reading its attributes, ``nx.get_node_attributes(g, "type")``, is an accessor)
            or (
                name.startswith(GRAPH_MODULES)
                and not GRAPH_NOT_ALGORITHM.match(last)
                and not last.startswith("get_")
            )
        ):
            strong.append([name, call.lineno])
        elif last in TEXT_METHODS and receiver in text:
            text_ops.append([f".{last}", call.lineno])
        elif last in ("apply", "map", "transform") and _casts_only(call):
            # ``X.apply(lambda c: c.astype(int) if c.dtype == "bool" else c)``: types set
            strong.append(["astype", call.lineno])
        elif last == "reshape" and _unit_shape(call):
            # ``x.reshape(-1, 1)``: the one feature made a column (or ``reshape(-1)`` back to
            # a vector): every value kept, in order; a reshape into windows still counts
            weak.append([UNIT_RESHAPE, call.lineno])
        elif name.startswith(("os.path.", "posixpath.")):
            continue  # a file's path built (``os.path.join(root, name)``): no data operation
        elif last in WEAK_OPS:
            # ``self.transform(x)``: the object's configured transform, named as such
            weak.append([f"self.{last}" if receiver == "self" else last, call.lineno])
        elif (
            head in ("T", "transforms", "A", "albumentations", "v2")
            or (name.startswith(IMAGE_MODULES) and last not in STRUCTURING_ELEMENTS)
        ) and not (
            # OpenCV reading, writing and showing an image (``cv2.imread``, ``cv2.imshow``)
            # is I/O and display, not an operation on it
            IO_CALLS.search(name) or PLOT_CALL.search(name) or last in ("waitKey", "namedWindow")
        ):
            strong.append([name, call.lineno])
        elif PREPROCESSOR_CALL.search(name) and name not in derived:
            # a batch handed to a preprocessing object: ``image_processor(images, labels)``
            strong.append([f"{name}()", call.lineno])
    registered = function_stores(body) | filed_stores(body)
    for sub in body.subscripts:
        if (
            isinstance(sub.ctx, ast.Store)
            and root_name(sub) in derived
            and id(sub) not in registered
        ):
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
    for sub in body.subscripts:  # rows kept by a mask: ``frame[labels == 1]``, ``x[(a > 0) & b]``,
        key = sub.slice  # ``df.loc[df.a > 0]``, ``self.data[self.data.kfold != fold]``
        if (
            id(sub) not in shown
            and isinstance(sub.ctx, ast.Load)
            and isinstance(sub.value, ast.Name | ast.Attribute)
            and root_name(sub.value) in derived
            and (
                isinstance(key, ast.Compare | ast.BoolOp)
                or (isinstance(key, ast.BinOp) and isinstance(key.op, ast.BitAnd | ast.BitOr))
                or (isinstance(key, ast.UnaryOp) and isinstance(key.op, ast.Invert))
            )
        ):
            strong.append(["mask filter", sub.lineno])
    for sub in body.subscripts:  # rows selected: ``X[:n]``, ``x[:, 1:]``
        key = sub.slice
        if (
            id(sub) not in shown
            and isinstance(sub.ctx, ast.Load)
            and isinstance(sub.value, ast.Name)
            and sub.value.id in derived
            and (
                isinstance(key, ast.Slice)
                or (isinstance(key, ast.Tuple) and any(isinstance(e, ast.Slice) for e in key.elts))
            )
        ):
            # ``table[:, :-1]``: every row kept, columns picked (a target set apart)
            columns = (
                isinstance(key, ast.Tuple)
                and isinstance(key.elts[0], ast.Slice)
                and key.elts[0].lower is None
                and key.elts[0].upper is None
                and key.elts[0].step is None
            )
            weak.append(["column selection" if columns else "selection", sub.lineno])
    for expr in body.arithmetic:  # ``(x - lo) / (hi - lo)`` on the data itself
        # (``"out/" + name + ".csv"`` joins strings: a file name, no arithmetic)
        if names_in(expr) & derived and not _joins_strings(expr) and id(expr) not in shown:
            weak.append(["arithmetic", expr.lineno])
    for comp in body.comprehensions:  # records rebuilt: ``[{**row, "x": ...} for row in rows]``
        element = comp.key if isinstance(comp, ast.DictComp) else comp.elt
        if (
            any(names_in(g.iter) & derived for g in comp.generators)
            and isinstance(element, ast.Dict | ast.Call | ast.BinOp | ast.IfExp | ast.Subscript)
            # ``[np.load(f"{d}/{i}.npy") for i in ids]`` reads a file per id: loading
            and not (isinstance(element, ast.Call) and IO_CALLS.search(call_text(element)))
            # ``[step(x[i]) for i in range(len(x))]``, ``Parallel()(delayed(step)(x[i]) ...)``:
            # each item handed to a function as it is; the loop does nothing to the data itself
            # and is judged by the function it calls (the module's own steps: a pipeline)
            and not _hands_each(element)
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
    for name, what, line in word_cleaning(body):  # ``[porter.stem(w) for w in words]``
        if name in derived:
            text_ops.append([what, line])
    strong.sort(key=lambda item: item[1])
    return strong, weak, text_ops
