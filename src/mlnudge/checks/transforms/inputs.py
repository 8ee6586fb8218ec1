"""What a function takes as data (MLN3xx identification): the parameters that are data,
maybe data, text, or only handed to elementwise math, each with the reason
(:func:`data_params`); without one, the data its body reads (:func:`loaded_data`), the sample a
dataset's ``__getitem__`` takes (:func:`sample_data`), or a method's object's own data
(:func:`object_data`, :func:`stored_data`).
"""

from __future__ import annotations

import ast
import re
from typing import Any

from mlnudge.checks.transforms.flow import (
    copied,
    derived_from,
    is_regex,
    operations,
    word_cleaning,
)
from mlnudge.checks.transforms.nodes import (
    Body,
    call_text,
    dotted,
    names_in,
    record_field,
    root_name,
)
from mlnudge.checks.transforms.tables import (
    ARG_DATA_METHODS,
    AXIS_REDUCTIONS,
    CONSTRUCTORS,
    DATA_MODULES,
    DATA_READ,
    ELEMENTWISE_MATH,
    FRAME_ANNOTATION,
    FRAME_ATTRS,
    GRAPH_ANNOTATION,
    GRAPH_MODULES,
    GRAPH_NOT_ALGORITHM,
    IMAGE_MODULES,
    IO_CALLS,
    NOT_DATA_PARAM,
    RECORDS_ANNOTATION,
    ROW_ITERATORS,
    SIGNAL_FUNCTIONS,
    SIGNAL_MODULES,
    SIZE_CONSTRUCTORS,
    STRONG_OPS,
    STRUCTURING_ELEMENTS,
    TEXT_ANNOTATION,
    TEXT_METHODS,
    WEAK_OPS,
    WRAPPERS,
)
from mlnudge.facts.syntax import walk


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
    ``np.zeros(n)``), or with a number as their default: sizes and settings, never the data;
    and the axes of a grid (``np.meshgrid(xs, ys)``: every pair of two lists of values, a grid
    of settings or of coordinates, is built from the axes, not derived from data)."""
    sizes = {
        arg.id
        for call in body.calls
        if call_text(call).rsplit(".", 1)[-1] in SIZE_CONSTRUCTORS | {"meshgrid"}
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


def free_params(body: Body) -> set[str]:
    """The parameters that can be data at all: not named like a location or a setting, not
    annotated as a number, a flag or a path, not a size."""
    # ``*args`` holds positional inputs (a node's datasets), never parsed command-line options
    vararg = body.node.args.vararg.arg if body.node.args.vararg else None
    return {
        p
        for p in body.params
        if (p == vararg or not NOT_DATA_PARAM.match(p))
        and body.annotations.get(p, "") not in ("int", "float", "bool", "Path", "dict", "Dict")
    } - _sizes(body)


def combined_fields(body: Body) -> dict[str, str]:
    """Parameters that are records whose fields are combined into a new field: ``row["total"]
    = row["a"] + row["b"]``, ``features["line"] = f"{ride['route']}_{ride['dir']}"`` (a feature
    row built from a request record). Two or more fields of one record in one computed value
    stored under a key: a record in, a feature row out. A ``dict`` annotation does not make
    such a parameter a setting; names of settings (``config``, ``params``) still do."""
    names = {
        p
        for p in body.params
        if not NOT_DATA_PARAM.match(p)
        and body.annotations.get(p, "") not in ("int", "float", "bool", "Path", "str")
    }
    if not names or not body.assigns:
        return {}
    found: dict[str, str] = {}
    for targets, value, _line in body.assigns:
        if not isinstance(value, ast.BinOp | ast.JoinedStr) or not any(
            isinstance(t, ast.Subscript)
            and isinstance(t.slice, ast.Constant)
            and isinstance(t.slice.value, str)
            for t in targets
        ):
            continue
        fields: dict[str, set[str]] = {}
        for node in walk(value):
            got = record_field(node, names)
            if got is not None:
                fields.setdefault(got[0], set()).add(got[1])
        for record, keys in fields.items():
            if len(keys) >= 2:
                shown = ", ".join(f"`{k}`" for k in sorted(keys)[:2])
                found.setdefault(record, f"a record whose fields ({shown}) are combined")
    return found


#: a function's annotation (``Callable[..., pd.DataFrame]``, ``Optional[Callable[...]]``)
_CALLABLE = re.compile(r"^((typing|t)\.)?(Optional\[)?((typing|t|collections\.abc)\.)?Callable\b")

#: queries of a parsed XML or HTML document (lxml/ElementTree, BeautifulSoup)
_DOCUMENT_QUERIES = frozenset({"findall", "iterfind", "xpath", "find_all"})


def data_params(
    body: Body, data_module: bool
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Parameters that are data (with the reason): surely (only data is used like that), maybe
    (lists, dicts and strings are used like that too), parameters that are text, and those
    only handed to elementwise math (``np.exp(-x)`` runs on one number too)."""
    params = free_params(body)
    data: dict[str, str] = {}
    weak: dict[str, str] = {}
    text: dict[str, str] = {}
    formula: dict[str, str] = {}
    for name in body.params:
        annotation = body.annotations.get(name, "")
        if _CALLABLE.match(annotation):
            # a function handed in (``fetch: Callable[[list[str]], pd.DataFrame]``) is code
            # that makes data, not data
            continue
        if FRAME_ANNOTATION.search(annotation) or GRAPH_ANNOTATION.search(annotation):
            data[name] = f"annotated `{annotation}`"
        elif name not in params:
            continue
        elif RECORDS_ANNOTATION.search(annotation):
            data[name] = f"a collection of records (`{annotation}`)"
        elif TEXT_ANNOTATION.match(annotation):
            text[name] = f"text (`{annotation}`)"
    for name, why in combined_fields(body).items():
        data.setdefault(name, why)
    #: names a parameter is unpacked into (``x_train, x_test = raw_x``): its parts
    parts = _unpacked(body, params)
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
    #: ``np.zeros(x.shape)``: a shape asked to allocate an output of the same size says
    #: "array", not "data" (a sigmoid written for arrays fills one); it is a size
    allocating = {
        id(node)
        for call in body.calls
        if call_text(call).rsplit(".", 1)[-1] in SIZE_CONSTRUCTORS
        for arg in call.args[:1]
        for node in walk(arg)
        if isinstance(node, ast.Attribute)
    }
    for attr in body.attributes:
        if id(attr) in allocating:
            continue
        if isinstance(attr.value, ast.Name) and attr.attr in FRAME_ATTRS - {"str", "dt"}:
            mark(attr.value.id, f"used as a table or array (`{attr.value.id}.{attr.attr}`)")
        elif (
            isinstance(attr.value, ast.Attribute)
            and attr.value.attr in ("str", "dt")
            and isinstance(attr.value.value, ast.Name | ast.Subscript)
        ):
            root = root_name(attr.value.value)
            mark(root, f"used as a column (`.{attr.value.attr}.{attr.attr}`)")
    #: names bound to a Python set (``seen = set()``): its ``add``/``update`` note what was
    #: seen (an order-keeping de-duplication), no table's or array's operation
    bindings: dict[str, list[bool]] = {}
    for targets, value, _line in body.assigns:
        for t in targets:
            if isinstance(t, ast.Name):
                bindings.setdefault(t.id, []).append(
                    isinstance(value, ast.Set | ast.SetComp)
                    or (isinstance(value, ast.Call) and call_text(value) == "set")
                )
    python_sets = {name for name, kinds in bindings.items() if all(kinds)} - params
    #: names reduced along an axis (``diff.sum(axis=1)``): arrays, whatever they came from
    axes: set[str] = set()
    for call in body.calls:
        func = call.func
        if isinstance(func, ast.Attribute):
            receivers = _receivers(func.value)
            if func.attr in ARG_DATA_METHODS:
                for arg in call.args:
                    mark(names_in(arg) & (params | set(parts)), f"passed to `.{func.attr}()`")
            if func.attr in AXIS_REDUCTIONS and any(
                k.arg in ("axis", "dim") for k in call.keywords
            ):
                # ``spec.sum(axis=1)``: only an array or a table has axes to reduce along
                for name in receivers:
                    mark(name, f"reduced along an axis (`{name}.{func.attr}(axis=...)`)")
                    axes.add(name)
            elif func.attr in STRONG_OPS or func.attr in ROW_ITERATORS:
                for name in receivers:
                    mark(name, f"used as data (`{name}.{func.attr}()`)")
            elif func.attr == "sample" and any(k.arg == "frac" for k in call.keywords):
                # ``df.sample(frac=0.5)``: a share of the rows drawn at random (a split
                # written by hand); only a table samples a fraction of itself
                for name in receivers:
                    mark(name, f"sampled by fraction (`{name}.sample(frac=...)`)")
            elif func.attr in WEAK_OPS:
                for name in receivers - python_sets:
                    mark(name, f"used as data (`{name}.{func.attr}()`)", False)
            elif func.attr in _DOCUMENT_QUERIES and isinstance(func.value, ast.Name):
                # ``tree.findall("//key")``, ``soup.find_all("p")``: a parsed document (XML,
                # HTML) whose nodes are read is data, like a table whose columns are
                mark(func.value.id, f"a parsed document (`{func.value.id}.{func.attr}()`)", False)
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
                    wrapped = names_in(arg) - _only_counts(arg)
                    mark(wrapped & params, f"wrapped as data (`{name}()`)", False)
            continue
        if name.startswith(DATA_MODULES) and last in ELEMENTWISE_MATH:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                for inner in names_in(arg) & params:
                    formula.setdefault(inner, f"handed to `{name}()`")
            continue  # ``np.exp(-x)`` runs on one number too: no evidence of data
        # OpenCV functions take images: ``cv2.ellipse(img, ...)``, ``cv2.threshold(prob, ...)``
        # (and so do SciPy's ``ndimage`` and scikit-image: ``ndi.label(mask, structure)``)
        if name.startswith(GRAPH_MODULES):
            # ``nx.ancestors(g, node)``: the graph an algorithm runs on comes first
            if not GRAPH_NOT_ALGORITHM.match(last):
                for arg in call.args[:1]:
                    mark(names_in(arg), f"a graph (passed to `{name}()`)")
        elif name.startswith(SIGNAL_MODULES) and last in SIGNAL_FUNCTIONS:
            # the signal is at its own position: ``lfilter(b, a, x)`` filters ``x``
            at = SIGNAL_FUNCTIONS[last]
            signal = call.args[at : at + 1] or [k.value for k in call.keywords if k.arg == "x"]
            for arg in signal:
                mark(names_in(arg), f"passed to `{name}()`")
        elif name.startswith(IMAGE_MODULES) and not name.startswith("cv2."):
            # the image comes first: ``morphology.remove_small_objects(mask, min_size)``
            if last not in STRUCTURING_ELEMENTS:
                for arg in call.args[:1]:
                    mark(names_in(arg), f"passed to `{name}()`")
        elif name.startswith((*DATA_MODULES, "cv2.")) or (
            last in STRONG_OPS and not isinstance(func, ast.Attribute)
        ):
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                mark(names_in(arg), f"passed to `{name}()`")
        elif is_regex(call):
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
        source = copied(assigned)
        if source is not None and len(targets) == 1 and isinstance(targets[0], ast.Name):
            copies.setdefault(source, []).append(targets[0].id)
    #: parameters that hold things: iterated, indexed, or asked for their items; a parameter
    #: only handed to a call whose result is iterated (``for m in read_matches(path)``) holds
    #: nothing: it names what the call reads
    containers = {name for _target, iterable in body.loops for name in _iterated(iterable)} | {
        s.value.id for s in body.subscripts if isinstance(s.value, ast.Name)
    }
    #: names whose methods are called (``proc.process(spec)``): objects that compute
    objects = (
        {
            root_name(c.func.value)
            for c in body.calls
            if isinstance(c.func, ast.Attribute) and not names_in(c.func.value) & axes
        }
        if axes
        else set()
    )
    for param in body.params:
        if param in data or param not in params:
            continue
        # (a strong use of a copy, ``tmp = df[:]`` then ``tmp.sample(frac=0.5)``, outweighs
        # a weak use of the parameter itself)
        copy = next((c for c in copies.get(param, ()) if c in tables), None)
        if param in tables and (copy is None or tables[param][1] or not tables[copy][1]):
            why, strong = tables[param]
            (data if strong else weak)[param] = why
            continue
        if copy is not None:  # ``d = dict(data)`` then ``np.where(d[key] > 3, ...)``
            why, strong = tables[copy]
            (data if strong else weak)[param] = f"copied into `{copy}`, which is {why}"
            continue
        # ``x_train, x_val = raw_x`` then ``pad_sequences(tok.texts_to_sequences(x_train))``:
        # a parameter whose parts are data is data
        part = next((n for n, source in parts.items() if source == param and n in tables), None)
        if part is not None:
            why, strong = tables[part]
            (data if strong else weak)[param] = f"unpacked into `{part}`, which is {why}"
            continue
        if axes and data_module and param not in objects:
            # ``diff = proc.process(spec)`` then ``diff.sum(axis=1)``: what is computed from
            # it is an array reduced along an axis, so it is an array (a spectrogram, a batch;
            # ``proc``, whose method is called, is the object that computes it)
            reduced = sorted((derived_from(body, {param}) - {param}) & axes)
            if reduced:
                weak[param] = (
                    f"an array (`{reduced[0]}`, computed from it, is reduced along an axis)"
                )
                continue
        if not data_module or param not in containers:
            continue
        # by how the body uses what it takes from it: ``for part in parts: part["x"] = ...``
        for name in sorted(derived_from(body, {param}) - {param}):  # the same pick in every process
            if name in tables:
                weak[param] = f"a container of data (`{name}` from it is {tables[name][0]})"
                break
    # a list of words cleaned one word at a time, the parameter's or one made from it
    # (``words = tokenize(text)`` then ``[w for w in words if not w.isdigit()]``): text
    cleaned = {name: what for name, what, _line in word_cleaning(body)}
    if cleaned:
        for param in body.params:
            if param in params and param not in data and param not in weak and param not in text:
                made = ({param} | derived_from(body, {param})) & set(cleaned)
                if made:  # the first such parameter (the stop words filtered against are not)
                    text[param] = f"a list of words cleaned one by one (`{cleaned[min(made)]}`)"
                    break
    for name in list(text):
        if name in data or name in weak:
            del text[name]
    formula = {k: v for k, v in formula.items() if k not in data and k not in weak}
    # in the order of the signature: some were found by walking sets of names, whose order
    # changes from one process to the next, and the message names the first two
    position = {p: i for i, p in enumerate(body.params)}

    def ordered(found: dict[str, str]) -> dict[str, str]:
        return dict(
            sorted(found.items(), key=lambda kv: (position.get(kv[0], len(position)), kv[0]))
        )

    return ordered(data), ordered(weak), ordered(text), ordered(formula)


def _unpacked(body: Body, params: set[str]) -> dict[str, str]:
    """Names a parameter is unpacked into, each with the parameter:
    ``x_train, x_val, x_test = raw_x``, and the positional arguments taken from ``*args``
    (``df = args[0]``: a node that takes its inputs as ``*args``)."""
    found: dict[str, str] = {}
    vararg = body.node.args.vararg.arg if body.node.args.vararg else None
    for targets, assigned, _line in body.assigns:
        if (
            vararg in params
            and isinstance(assigned, ast.Subscript)
            and isinstance(assigned.value, ast.Name)
            and assigned.value.id == vararg
            and isinstance(assigned.slice, ast.Constant)
            and isinstance(assigned.slice.value, int)
        ):
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, vararg)
        if isinstance(assigned, ast.Name) and assigned.id in params:
            for target in targets:
                if isinstance(target, ast.Tuple | ast.List):
                    for element in target.elts:
                        if isinstance(element, ast.Name):
                            found.setdefault(element.id, assigned.id)
    return found


def _iterated(iterable: ast.expr) -> set[str]:
    """The names a loop iterates over: ``rows`` in ``for r in rows``, ``rows.items()``,
    ``rows[1:]``, ``zip(a, b)``, ``enumerate(rows)``; not the arguments of other calls
    (``for m in read_matches(path)`` iterates what ``read_matches`` gives back)."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
        if iterable.func.id in ("zip", "enumerate", "sorted", "reversed", "list", "tuple", "set"):
            return {n for arg in iterable.args for n in _iterated(arg)}
        return set()
    return _receivers(iterable)


def reads_data(body: Body) -> bool:
    """The body reads a table or array with a data library (``pd.read_csv(path)``)."""
    return any(DATA_READ.search(call_text(c)) for c in body.calls)


def loaded_data(body: Body, loaders: frozenset[str] = frozenset()) -> dict[str, str]:
    """Names bound to a table or array read from a file in the body, by a data library
    (``train = pd.read_csv(path)``, ``(X, y), _ = mnist.load_data()``) or by one of the
    module's own functions that do (``loaders``: ``flora = read_flora_csv(path)``); not in
    helpers defined inside it (they are judged on their own). Empty when what it returns is
    what it read, as it was read (a loader that only logs counts of it)."""
    reads = [
        (targets, value, line)
        for targets, value, line in body.assigns
        if isinstance(value, ast.Call)
        and (
            DATA_READ.search(call_text(value))
            or (isinstance(value.func, ast.Name) and value.func.id in loaders)
        )
    ]
    if not reads:  # most functions read nothing: spare the walk below
        return {}
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
    for targets, value, line in reads:
        if any(line in r for r in nested):
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
TABLE_OPS = frozenset(
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


def object_data(body: Body, data_module: bool) -> dict[str, str]:
    """A method working on its object's data: operations only data has on what it takes from
    ``self`` (``self.data.groupby``, ``self.frame[self.frame.kfold != k]``, ``df = self.df``
    then ``df["n"].str.len()``), and what it does with the result: returned (the facts then
    say ``derived``) or stored on the object (the clause). Nothing when the only operations
    are stores into ``self``'s own containers (``self.cache["k"] = v``)."""
    derived = derived_from(body, {"self"})
    strong, _weak, _text = operations(body, derived, set(), data_module)
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
                    or op[0] in TABLE_OPS
                )
                and op[0].rsplit(".", 1)[-1] not in _NOT_TABLE_OPS
            )
        )
    ]
    # ``pd.read_csv(os.path.join(root, self.folder)).set_index("Id")``: what a read returns
    # comes from the file, the object only gave the path; the loader verdict judges it
    read = {
        (call.func.attr, call.lineno)
        for call in body.calls
        if isinstance(call.func, ast.Attribute) and _read_result(call.func.value)
    }
    table = [op for op in table if (op[0].rsplit(".", 1)[-1], op[1]) not in read]
    if not table:
        table = _column_maps(body)
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


def _read_result(node: ast.expr) -> bool:
    """``pd.read_csv(path)``, ``pd.read_csv(path).set_index("Id")``: the value a file read
    gives back, as it is or with methods chained on it."""
    while isinstance(node, ast.Call):
        if IO_CALLS.search(call_text(node)) or DATA_READ.search(call_text(node)):
            return True
        if not isinstance(node.func, ast.Attribute):
            return False
        node = node.func.value
    return False


def _self_column(node: ast.expr) -> bool:
    """``self.frame["genres"]``: a named column of a table the object holds."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "self"
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    )


def _column_maps(body: Body) -> list[list[Any]]:
    """``self.frame["genres"].map(parse)``, or ``col = self.frame["keywords"]`` then
    ``col.map(split)``: a function applied value by value to a column of the object's table
    (``map``/``apply`` on a named column is what only a Series does)."""
    columns = {
        target.id
        for targets, value, _line in body.assigns
        if _self_column(value)
        for target in targets
        if isinstance(target, ast.Name)
    }
    return [
        [f".{call.func.attr}", call.lineno]
        for call in body.calls
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in ("map", "apply")
        and (
            _self_column(call.func.value)
            or (isinstance(call.func.value, ast.Name) and call.func.value.id in columns)
        )
    ]


#: calls that cut a dataset into parts (``torch.utils.data.random_split``, scikit-learn's)
_SPLIT_CALL = re.compile(r"(^|\.)(random_split|train_test_split)$")


#: how :func:`stored_data` says a method keeps a table it read on its object
KEEPS_READ = "keeps a table it read on the object"


def stored_data(body: Body, derived: set[str], *, splits: bool = False) -> str:
    """``self.x_train = frame[cols].values``: data computed in a method kept on the object;
    with ``splits``, only the parts of a split (``self.train, self.val = random_split(ds, n)``)."""
    for targets, value, _line in body.assigns:
        computed = isinstance(value, ast.Call | ast.Subscript | ast.BinOp) or (
            isinstance(value, ast.Attribute) and dotted(value) is None  # ``f(x).values``
        )
        if splits:
            computed = isinstance(value, ast.Call) and bool(_SPLIT_CALL.search(call_text(value)))
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
                    if not splits and isinstance(value, ast.Call):
                        read = call_text(value)
                        if DATA_READ.search(read):
                            # ``self.train = pd.read_csv(path)``: what it keeps is what it read
                            return f"{KEEPS_READ} (`self.{node.attr} = {read}()`)"
                    return f"keeps data it built on the object (`self.{node.attr} = ...`)"
    return ""


def sample_data(body: Body) -> tuple[dict[str, str], list[list[Any]]]:
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


def _only_counts(node: ast.expr) -> set[str]:
    """Names in ``node`` used only as the bound of a ``range()``: ``np.array([self.rvs() for _
    in range(m)])`` draws ``m`` values, ``m`` says how many, it is a count and not data."""
    counted: set[str] = set()
    ranges: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "range":
            for arg in sub.args:
                for inner in ast.walk(arg):
                    ranges.add(id(inner))
                    if isinstance(inner, ast.Name):
                        counted.add(inner.id)
    elsewhere = {
        sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and id(sub) not in ranges
    }
    return counted - elsewhere
