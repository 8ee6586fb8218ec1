"""What a function does to data, read from its code in one pass (MLN3xx identification).

:func:`module_facts` walks a module once and returns a small JSON-serialisable summary: per
function, which parameters are data (and why), the data operations in its body, whether it
returns data derived from its input or changes it in place, and the evidence that it is
something else (it fits, predicts, steps an optimiser, computes a loss or metric, plots, talks
to the network, is a stub, a property or a one-line accessor). The summary is cached by
content hash, so unchanged files are never parsed again for identification.

Its parts: :mod:`~mlnudge.checks.transforms.inputs` (what the function takes as data),
:mod:`~mlnudge.checks.transforms.flow` (what is computed from it, and the operations on it),
:mod:`~mlnudge.checks.transforms.outputs` (what it gives back or changes in place),
:mod:`~mlnudge.checks.transforms.negatives` (what it does that no transformation does).
:func:`~mlnudge.checks.transforms.verdict.judge` turns one function's facts into a verdict.
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any

from mlnudge.checks.transforms.example import class_example, function_example
from mlnudge.checks.transforms.extraction import (
    extracted,
    feature_attributes,
    features,
    preludes,
)
from mlnudge.checks.transforms.flow import derived_from, operations
from mlnudge.checks.transforms.inference import through_own_inference
from mlnudge.checks.transforms.inputs import (
    data_params,
    loaded_data,
    object_data,
    reads_data,
    sample_data,
    stored_data,
)
from mlnudge.checks.transforms.negatives import compares, model_math, negatives
from mlnudge.checks.transforms.nodes import (
    Body,
    annotation_text,
    call_text,
    dotted,
    names_in,
)
from mlnudge.checks.transforms.outputs import (
    mutation,
    output,
    sets_apart,
    stratified,
    written,
)
from mlnudge.checks.transforms.pipes import pipe, returned_callees
from mlnudge.checks.transforms.scores import scores
from mlnudge.checks.transforms.scripts import script_ops
from mlnudge.checks.transforms.shapes import (
    batches,
    builder,
    built,
    delegates,
    hands_on,
    is_accessor,
    is_stub,
    plain_stack,
    scalar_io,
)
from mlnudge.checks.transforms.tables import (
    DATA_LIBS,
    DATA_READ,
    FACTORY_CLASSES,
    FRAME_ANNOTATION,
    IMAGE_FUNCTIONS,
    IO_CALLS,
    NOT_DATA_RETURN,
    SKLEARN_METHODS,
    SPLITTER_CLASS,
)
from mlnudge.checks.transforms.verdict import Weights, judge
from mlnudge.facts.syntax import every_node, statements, walk

_BUILTINS = frozenset(dir(builtins))
#: the reason a parameter is data says it is a NetworkX graph
_GRAPH_INPUT = re.compile(r"^(annotated `.*\b(nx|networkx)\.|a graph )")

#: facts format version: bump when the summary changes shape or meaning
FACTS_VERSION = "transforms-facts-76"


# -- one pass per module ------------------------------------------------------------------------


def module_facts(tree: ast.Module, path: str) -> dict[str, Any]:
    """The serialisable identification summary of one module."""
    # ``from torchvision.transforms.functional import hflip`` then ``hflip(image)``: the call
    # is read as the library's (``torchvision.transforms.functional.hflip(image)``); the
    # tree is shared with other checks, so the calls are put back as they were afterwards
    renamed = _qualify_image_calls(tree)
    try:
        return _module_facts(tree, path)
    finally:
        for call, func in renamed:
            call.func = func


def _qualify_image_calls(tree: ast.Module) -> list[tuple[ast.Call, ast.expr]]:
    """Calls of functions imported by name from an image-processing library, given their
    library's dotted name (the original ``func`` of each is returned to restore it)."""
    imported = {
        alias.asname or alias.name: f"{node.module}.{alias.name}"
        for node in statements(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and not node.level
        and f"{node.module}.".startswith(IMAGE_FUNCTIONS)
        for alias in node.names
        if alias.name != "*"
    }
    if not imported:
        return []
    imported = {
        name: full
        for name, full in imported.items()
        if not any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == name
            for n in tree.body
        )
    }
    renamed: list[tuple[ast.Call, ast.expr]] = []
    for node in every_node(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            full = imported.get(node.func.id)
            if full is None:
                continue
            head, *rest = full.split(".")
            func: ast.expr = ast.copy_location(ast.Name(head, ast.Load()), node.func)
            for part in rest:
                func = ast.copy_location(ast.Attribute(func, part, ast.Load()), node.func)
            renamed.append((node, node.func))
            node.func = func
    return renamed


def _module_facts(tree: ast.Module, path: str) -> dict[str, Any]:
    tops: set[str] = set()
    for node in statements(tree):
        if isinstance(node, ast.Import):
            tops.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            tops.add(node.module.split(".")[0])
    data_lib = bool(tops & DATA_LIBS)
    functions: list[dict[str, Any]] = []
    classes: dict[str, dict[str, Any]] = {}
    # the module's functions (and the helpers nested in them), each body walked once; those
    # that read a table with a data library are the module's loaders: what another function
    # gets from one (``flora = read_flora_csv(path)``) is data read in its body
    bodies = {
        id(fn): Body(fn, None)
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        for fn in (stmt, *stmt.body)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    tables = _module_tables(tree)
    loaders = frozenset(
        fn.name
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        for fn in (stmt, *stmt.body)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and reads_data(bodies[id(fn)])
    )
    #: names imported one by one from a module (``from src.data import load_data``): what a
    #: function gets from one may be data the project read (decided at repository level)
    imported = frozenset(
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name != "*"
    ) - {fn.name for fn in tree.body if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)}
    if any(
        isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
        for node in tree.body
    ):
        # ``from framework.data_loader import *``: any name called that is not the module's own
        imported |= _star_names(tree)
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            top = function_facts(
                stmt,
                stmt.name,
                None,
                data_lib,
                body=bodies[id(stmt)],
                loaders=loaders,
                tables=tables,
            )
            if imported and not _takes_data(top):
                _through_imported_loader(
                    top, bodies[id(stmt)], data_lib=data_lib, loaders=loaders, imported=imported
                )
            functions.append(_with_example(top, stmt))
            for inner in stmt.body:  # helpers defined inside a function: judged, never importable
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    nested = function_facts(
                        inner,
                        f"{stmt.name}.{inner.name}",
                        None,
                        data_lib,
                        body=bodies[id(inner)],
                        loaders=loaders,
                    )
                    nested["nested"] = True
                    functions.append(_with_example(nested, inner))
        elif isinstance(stmt, ast.ClassDef):
            bases = [annotation_text(b) for b in stmt.bases]
            methods = [
                m.name for m in stmt.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            classes[stmt.name] = {"bases": bases, "methods": methods, **class_example(stmt)}
            extractors = feature_attributes(stmt)
            prepares = preludes(stmt)
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    qual = f"{stmt.name}.{item.name}"
                    facts = function_facts(item, qual, stmt.name, data_lib, extractors=extractors)
                    if item.name in prepares:
                        facts["prelude"] = True
                    functions.append(_with_example(facts, item))
    through_own_inference(functions, classes)
    # a method that returns what its class's own methods compute from the object's data
    # (``get_batch`` gathering rows of ``self._data``, then ``self._features(batch)``): only
    # those methods that are transformations by their own body count
    if any(fn.get("own") for fn in functions):
        plain = Weights(data_module=data_lib)
        transforming = {
            fn["q"]
            for fn in functions
            if fn["cls"] is not None
            and judge({**fn, "own": []}, classes, plain, "").kind == "transformation"
        }
        for fn in functions:
            if fn.get("own"):
                fn["own"] = [
                    m for m in fn["own"] if f"{fn['cls']}.{m}" in transforming and m != fn["name"]
                ]
    # the module's own transformations, judged by their body alone: a script that runs one
    # on its data at top level transforms data there (MLN303)
    # (only a module with a loop in its top-level code can run one per item: checked first)
    looping = any(
        isinstance(node, ast.For | ast.While)
        for stmt in tree.body
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for node in ast.walk(stmt)
    )
    steps = frozenset(
        fn["name"]
        for fn in (functions if looping else ())
        if fn["cls"] is None
        and not fn["nested"]
        and judge(fn, classes, Weights(data_module=data_lib), "").kind == "transformation"
    )
    ops, first, loose = script_ops(tree, steps)
    return {
        "version": FACTS_VERSION,
        "path": path,
        "data_lib": data_lib,
        "imports": sorted(tops),
        "functions": functions,
        "classes": classes,
        "script": {"ops": ops, "first": first, "loose": loose, "defines": _defines(tree)},
        "loaders": _reading(tree, bodies, loaders),
    }


def _star_names(tree: ast.Module) -> frozenset[str]:
    """Names called by bare name in the module's functions that it neither defines nor
    takes from the builtins: with a star import, they may be the project's."""
    own = {
        n.id
        for stmt in tree.body
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for n in walk(stmt)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    } | {
        stmt.name
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    return (
        frozenset(
            n.func.id
            for stmt in tree.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in walk(stmt)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        )
        - own
        - _BUILTINS
    )


def _reading(tree: ast.Module, bodies: dict[int, Body], loaders: frozenset[str]) -> list[str]:
    """The module's loaders, and its functions that return what they get from one
    (``load_data()`` unpacking ``load_from_csv()`` and imputing one table): another module's
    function binding data from any of them binds data the project read."""
    tops = [
        (stmt.name, bodies[id(stmt)])
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    reading = set(loaders)
    grown = True
    while grown:
        grown = False
        for name, body in tops:
            if (
                name not in reading
                and any(v is not None for v in body.returns)
                and any(isinstance(c.func, ast.Name) and c.func.id in reading for c in body.calls)
            ):
                reading.add(name)
                grown = True
    return sorted(reading)


def _takes_data(fn: dict[str, Any]) -> bool:
    return any(fn[k] for k in ("data", "maybe_data", "text", "formula", "loaded"))


def _through_imported_loader(
    top: dict[str, Any],
    body: Body,
    *,
    data_lib: bool,
    loaders: frozenset[str],
    imported: frozenset[str],
) -> None:
    """``init_data()`` doing ``data = load_data()`` (imported from the project), then
    ``data = encode(data, "sex")`` and ``return data``: its facts as if the imported callees
    it binds data from read data (``via``); whether they do is decided at repository level,
    from their own module's loaders."""
    # (a call handed what the body bound, ``data = encode(data, "sex")``, is a step on it)
    bound = {
        n.id
        for targets, _value, _line in body.assigns
        for target in targets
        for n in walk(target)
        if isinstance(n, ast.Name)
    }
    callees = sorted(
        {
            value.func.id
            for _targets, value, _line in body.assigns
            if isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in imported
            and not any(
                names_in(a) & bound for a in [*value.args, *(k.value for k in value.keywords)]
            )
        }
    )
    if not callees:
        return
    node = body.node
    via = function_facts(node, node.name, None, data_lib, body=body, loaders=loaders | set(callees))
    if via["loaded"]:
        # what it read goes through the steps it hands it to: judged like a pipeline
        via["pipe"] = {
            "hands": via["hands"],
            "returned": returned_callees(body),
            "out": via["out"],
            "out_why": via["out_why"],
            "tables": [],
        }
        top["via"] = {"callees": callees, "facts": via}


def _module_tables(tree: ast.Module) -> dict[str, str]:
    """Top-level names bound to a table read with a data library (``df = pd.read_csv(p)``),
    and to what is computed from one at top level (``df = df.iloc[1:, :9]``)."""
    found: dict[str, str] = {}
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign):
            continue
        value = stmt.value
        names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        read = call_text(value) if isinstance(value, ast.Call) else ""
        sources = sorted(names_in(value) & set(found))
        for name in names:
            if read and DATA_READ.search(read):
                found[name] = f"the module's table, read at top level (`{read}()`)"
            elif sources:
                found[name] = found[sources[0]]
            else:
                found.pop(name, None)  # bound to something else later
    return found


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
        or (facts.get("pipe") or {}).get("hands")
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
    *,
    body: Body | None = None,
    loaders: frozenset[str] = frozenset(),
    tables: dict[str, str] | None = None,
    extractors: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The identification facts of one function (see the module docstring); ``body`` when
    its walk is done already, ``loaders`` the module's functions that read a table,
    ``tables`` the module-level names bound to a table read at top level, ``extractors``
    the attributes of its class that hold a feature extractor (``self.mel``)."""
    body = body or Body(node, cls)
    decorators = [
        dotted(d.func if isinstance(d, ast.Call) else d) or "" for d in node.decorator_list
    ]
    data, maybe, text, formula = data_params(body, data_module)
    # a parameter handed to a feature extractor (``self.frontend(wave)``) is a signal
    data.update(extracted(body, extractors, data))
    # no data parameter: data read in the body (``train = pd.read_csv(path)``) is the input
    loaded = {} if data or maybe or text or formula else loaded_data(body, loaders - {node.name})
    changed_global = ""
    if tables and not (data or maybe or text or formula or loaded):
        # a module-level table the function changes in place (``df[new] = ...`` on the
        # script's ``df = pd.read_csv(...)``) is its input, like a parameter
        local = set(body.params) | {
            n.id
            for targets, _value, _line in body.assigns
            for target in targets
            if isinstance(target, ast.Name | ast.Tuple | ast.List)
            for n in walk(target)
            if isinstance(n, ast.Name)
        }
        shared = {name: why for name, why in tables.items() if name not in local}
        changed_global = mutation(body, set(shared)) if shared else ""
        if changed_global:
            loaded = {name: why for name, why in shared.items() if f"`{name}`" in changed_global}
    binding: list[list[Any]] = []
    if cls is not None and node.name == "__getitem__" and not (data or maybe or text):
        # a dataset's item: the sample it takes (``self.frames[idx]``) or reads is the input
        loaded, binding = sample_data(body)
    if (
        cls is not None
        and data_module
        and not node.name.startswith("__")
        and not (data or maybe or text or formula or loaded)
    ):
        # a method whose data is the object's own (``self.data[self.data.kfold != k]``,
        # ``df = self.frame``) and that returns or stores on the object what it built
        loaded = object_data(body, data_module)
    derived = derived_from(body, set(data) | set(maybe) | set(text) | set(formula) | set(loaded))
    stores = ""
    if cls is not None and loaded:
        stores = stored_data(body, derived)
    elif cls is not None and data:
        # a constructor or method splitting the data it is handed and keeping the parts on
        # the object (``self.train, self.val = random_split(dataset, sizes)``) gives them back
        stores = stored_data(body, derived, splits=True)
    ops, weak, text_ops = operations(body, derived, set(text), data_module)
    extraction = features(body, derived, extractors)
    ops = [*extraction, *(op for op in ops if op not in extraction)]
    looking = _debug_lines(node)
    if looking:
        # ``if self.debug:`` show the image, denormalise it to look at it: that code is for
        # looking, not part of what the function gives back
        ops = [op for op in ops if op[1] not in looking]
        weak = [op for op in weak if op[1] not in looking]
    weak = binding + weak
    out, out_why = output(body, derived, {**data, **maybe, **formula, **loaded}, text)
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
        "mutates": mutation(body, set(data) | set(maybe) | set(text)) or stores or changed_global,
        # what a step function writes (a method writing what it computed from its object's
        # state is a report: a SHAP table, a log)
        "writes": written(body, derived) if cls is None else "",
        "negative": negatives(body, derived)
        + model_math(body, derived)
        + compares(body)
        + scores(body, derived),
        # the methods of its own object it calls (``self._outputs(batch)``): one that runs a
        # model makes this one run it too (:mod:`~mlnudge.checks.transforms.inference`)
        "self_calls": sorted(
            {
                c.func.attr
                for c in body.calls
                if cls is not None
                and isinstance(c.func, ast.Attribute)
                and isinstance(c.func.value, ast.Name)
                and c.func.value.id == "self"
            }
        ),
        "stub": is_stub(node),
        "abstract": any(d.rsplit(".", 1)[-1] == "abstractmethod" for d in decorators),
        "property": any(
            d.rsplit(".", 1)[-1] in ("property", "cached_property", "setter", "getter")
            or d.endswith((".setter", ".getter", ".deleter"))
            for d in decorators
        ),
        "accessor": is_accessor(node, body),
        "hands_on": hands_on(node),
        "delegates": delegates(node, body),
        "plain_stack": plain_stack(body),
        "batches": batches(body),
        "sets_apart": sets_apart(body),
        # ``train_test_split(X, y, stratify=y)``: the split keeps the class shares, a sampling
        # decision only labelled data allows (not a plain split)
        "stratified": stratified(body),
        # a cross-validation splitter built here (``KFold(n_splits=5)``)
        "splitter": any(SPLITTER_CLASS.match(call_text(c).rsplit(".", 1)[-1]) for c in body.calls),
        "statements": body.statements,
        "builder": builder(body),
        "scalar_io": scalar_io(node),
        "factory": built(body, FACTORY_CLASSES),
        "ann_out": bool(FRAME_ANNOTATION.search(annotation_text(node.returns))),
        "returns_none": annotation_text(node.returns) == "None",
        # ``-> dict`` of a sample dict copied from the input (``d = dict(data)``) is data
        "returns_names": bool(NOT_DATA_RETURN.match(annotation_text(node.returns)))
        and not (
            annotation_text(node.returns) in ("dict", "Dict")
            and any(why.startswith("copied into") for why in data.values())
        )
        # a graph has no columns: the numbers computed from it come back as a record
        # (``-> Dict[str, float]`` of node counts and path lengths is its feature row)
        and not (
            annotation_text(node.returns).startswith(("dict", "Dict"))
            and any(_GRAPH_INPUT.search(why) for why in data.values())
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
        # functions called by bare name, and those called more than once (``encode(train)``,
        # ``encode(valid)``)
        "called": sorted({c.func.id for c in body.calls if isinstance(c.func, ast.Name)}),
        "repeated": sorted(
            {
                n
                for n in (c.func.id for c in body.calls if isinstance(c.func, ast.Name))
                if sum(isinstance(c.func, ast.Name) and c.func.id == n for c in body.calls) > 1
            }
        ),
        "doctest": ">>>" in (ast.get_docstring(node, clean=False) or ""),
        "returns_object": _returns_object(body) if data or maybe else "",
        "folds": _folds(body.node, set(data)) if data else "",
        "features": sorted({op[0] for op in extraction}),
    }
    if cls is None and not (data or maybe or text or formula or loaded):
        facts["pipe"] = pipe(body, data_module)
    elif cls is not None and not (data or maybe or text or formula or loaded):
        own = _own_steps(body, cls)
        if own:
            facts["own"] = own
    return facts


def _folds(node: ast.FunctionDef | ast.AsyncFunctionDef, data: set[str]) -> str:
    """The data parameter a loop passes through each of a sequence of callables and returns
    (``for step in steps: df = step(df)`` then ``return df``): a chain of steps applied in
    turn, whatever the steps are; empty when there is none."""
    returned = {
        n.id
        for n in walk(node)
        if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)
        for n in [n.value]
    }
    for loop in walk(node):
        if not isinstance(loop, ast.For | ast.AsyncFor) or not isinstance(loop.target, ast.Name):
            continue
        for st in walk(loop):
            if (
                isinstance(st, ast.Assign)
                and len(st.targets) == 1
                and isinstance(st.targets[0], ast.Name)
                and st.targets[0].id in data & returned
                and isinstance(st.value, ast.Call)
                and isinstance(st.value.func, ast.Name)
                and st.value.func.id == loop.target.id
                and any(isinstance(a, ast.Name) and a.id == st.targets[0].id for a in st.value.args)
            ):
                return st.targets[0].id
    return ""


def _own_steps(body: Body, cls: str) -> list[str]:
    """For a method that takes no data: the class's own methods (``self._features(batch)``,
    ``cls._stats(x)``) whose result it returns, called with something it took from the
    object (``batch`` built from ``self._data``). A batch sampler whose arrays go through the
    class's feature methods gives back what they compute; whether those are transformations
    is decided by their own bodies (:func:`~mlnudge.checks.transforms.candidates`)."""
    owners = {"self", "cls", cls}
    if not any(
        isinstance(c.func, ast.Attribute)
        and isinstance(c.func.value, ast.Name)
        and c.func.value.id in owners
        for c in body.calls
    ):
        return []  # most methods call none of their class's own: checked first, cheaply
    params = set(body.params) - {"self", "cls"}
    taken = derived_from(body, {"self"}) - params - {"self"}

    def step(value: ast.expr) -> str:
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id in owners
            and any(names_in(a) & taken for a in [*value.args, *(k.value for k in value.keywords)])
        ):
            return value.func.attr
        return ""

    # the last binding of a name wins: ``x = np.array(rows)`` then ``x = self._features(x)``
    made: dict[str, str] = {}
    for targets, value, _line in body.assigns:
        for target in targets:
            if isinstance(target, ast.Name):
                made[target.id] = step(value)
    found = {
        step(element) or (made.get(element.id, "") if isinstance(element, ast.Name) else "")
        for value in body.returns
        if value is not None
        for element in (value.elts if isinstance(value, ast.Tuple) else [value])
    }
    return sorted(found - {""})


#: flags that switch on code for looking at the data: ``if self.debug:``, ``if verbose:``
_DEBUG_FLAG = re.compile(r"(^|_)(debug|verbose|show|display|visuali[sz]e|plot)$", re.IGNORECASE)


def _debug_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[int]:
    """The lines of the function's top-level ``if <debug flag>:`` blocks without an ``else``
    (only the statements of its body are looked at: no walk)."""
    lines: set[int] = set()
    for stmt in node.body:
        if not isinstance(stmt, ast.If) or stmt.orelse:
            continue
        test = stmt.test
        flag = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
        if flag and _DEBUG_FLAG.search(flag):
            lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


#: classes that hold data themselves: what is built with them is data
_DATA_CLASSES = frozenset({"DataFrame", "Series", "Tensor", "LazyFrame", "Dataset", "DataLoader"})


def _returns_object(body: Body) -> str:
    """The project class whose instance the function returns, when every return gives back
    a name bound only to ``SomeClass(...)`` (``task = Preprocessor(data=data)``,
    ``task.build()``, ``return task``): the object, not data. Empty otherwise."""
    values = [v for v in body.returns if v is not None]
    if not values or not all(isinstance(v, ast.Name) for v in values):
        return ""
    returned = {v.id for v in values if isinstance(v, ast.Name)}
    made: dict[str, str] = {}
    for targets, value, _line in body.assigns:
        for target in targets:
            if not (isinstance(target, ast.Name) and target.id in returned):
                continue
            func = value.func if isinstance(value, ast.Call) else None
            cls = func.id if isinstance(func, ast.Name) else ""
            if not cls[:1].isupper() or cls in _DATA_CLASSES or target.id in made:
                return ""  # bound to something else, or bound twice
            made[target.id] = cls
    if set(made) != returned:
        return ""
    return sorted(made.values())[0]
