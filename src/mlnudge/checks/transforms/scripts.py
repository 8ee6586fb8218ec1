"""MLN303: data operations in a module's top-level code (a script no test can run)."""

from __future__ import annotations

import ast
import re

from mlnudge.checks.transforms.flow import FRAME_CONSTRUCTOR
from mlnudge.checks.transforms.nodes import call_text, dotted, root_name
from mlnudge.checks.transforms.tables import (
    DATA_READ,
    FIT_RECEIVER,
    NOT_DATA_PARAM,
    PLOT_CALL,
    REDUCTIONS,
    SPLIT_OPS,
    STRONG_OPS,
    WEAK_OPS,
)
from mlnudge.facts.syntax import children, every_node, statements, walk


def script_ops(tree: ast.Module, steps: frozenset[str] = frozenset()) -> tuple[int, int, int]:
    """(data operations in top-level code and ``__main__`` blocks, line of the first, those
    outside the ``__main__`` guard); one
    operation that only data has (``drop_duplicates``, ``fit_transform``) counts as two, and
    so does a call, in a loop of unguarded top-level code, of one of the module's own
    functions that are transformations by their own body (``steps``: ``odf =
    reduce_bands(spec)`` in a loop over audio files runs it on every file on import)."""
    count = 0
    first = 0
    loose = 0
    kinds: set[str] = set()
    modules = {
        (alias.asname or alias.name).split(".")[0]
        for node in statements(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    #: names bound to a dict written in the code: ``result["loss"] = ...`` fills a record
    dicts: set[str] = set()
    #: names bound to a table the script builds or reads (``blend = pd.DataFrame(index=...)``,
    #: ``preds = pd.read_csv(path)``): a column stored into one is a data operation, whatever
    #: names the column (``blend[model] = preds["prob"].values``)
    frames: set[str] = set()
    for node in every_node(tree):
        if not isinstance(node, ast.Assign):
            continue
        made = (dotted(node.value.func) or "") if isinstance(node.value, ast.Call) else ""
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if isinstance(node.value, ast.Dict) or made == "dict":
            dicts |= names
        elif FRAME_CONSTRUCTOR.fullmatch(made) or DATA_READ.search(made):
            frames |= names
    synthetic = _synthetic(tree, modules)
    paths = _locations(tree)
    #: objects a library hands over (``from loguru import logger``): ``logger.add(...)`` is
    #: the library's method, never an operation on data the script read
    handed = {
        alias.asname or alias.name
        for node in statements(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    shaped = _model_inputs(tree)
    #: the module's own functions and classes: ``normalize(X)`` under the ``__main__`` guard
    #: calls the script's step, not a library's operation named like one
    own = {
        stmt.name
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    #: (a transform made from numbers, ``T.RandomHorizontalFlip(p=1.0)``, is no tutorial array)
    augment = _image_transforms(tree)
    synthetic -= augment
    #: what the top-level code ends in: a figure (it plots or shows images) or something else
    #: (it writes a file, fits or trains a model, or calls what does)
    plots = False
    produces = False
    #: ... and whether it writes a file (a data set a later step reads)
    writes = False
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        guarded = _main_guard(stmt)
        # a ``__main__`` block that always writes what it computed is a pipeline step
        # (``python -m features.build`` makes ``data/processed``), not a demonstration
        saves = guarded and _saves(stmt)
        nodes = _run_now(stmt)
        #: calls inside a loop of the top-level code (``for file in os.listdir(d):``)
        looped = (
            {
                id(n)
                for loop in nodes
                if isinstance(loop, ast.For | ast.While)
                for n in walk(loop)
                if isinstance(n, ast.Call)
            }
            if steps and not guarded
            else set()
        )
        #: a summary printed or logged (``print(y.value_counts())``): a glance at the data,
        #: nothing a later step reads (``print(normalize(X).shape)`` still computed ``X``'s
        #: normalisation)
        shown = {
            id(n)
            for call in nodes
            if isinstance(call, ast.Call) and _SHOW_CALL.search(call_text(call))
            for arg in [*call.args, *(k.value for k in call.keywords)]
            if isinstance(arg, ast.Call)
            and isinstance(arg.func, ast.Attribute)
            and arg.func.attr in _SUMMARIES
            for n in walk(arg)
        }
        for sub in nodes:
            if id(sub) in shown:
                continue
            if isinstance(sub, ast.Subscript | ast.Call) and root_name(sub) in synthetic:
                continue  # ``rarr = np.random.randint(0, 100, 10)``: numbers made in the code
            hit = ""
            weight = 1
            if isinstance(sub, ast.Call):
                name = call_text(sub)
                last = name.rsplit(".", 1)[-1]
                if PLOT_CALL.search(name):
                    plots = True
                elif _OUTPUT_CALL.search(name):
                    produces = True
                    # (``df.to_csv(index=False)`` for a download button returns the text)
                    writes = writes or bool(
                        _WRITE_CALL.search(name)
                        and (sub.args or any(k.arg and "path" in k.arg for k in sub.keywords))
                    )
                if isinstance(sub.func, ast.Attribute) and root_name(sub.func.value) in paths:
                    continue  # ``cwd.replace(folder, "")``: a location, not data
                if last in ("map", "imap", "imap_unordered", "starmap") and _pool_map(sub):
                    continue  # ``pool.map(train_one, grid)``: runs a function on each item
                if _on_numbers(sub, modules):
                    continue  # ``np.log(0.005)``, ``np.zeros([9, 32]).astype(int)``: no data
                if id(sub) in shaped:
                    continue  # ``np.expand_dims(x, axis=0)`` handed to ``model.predict``
                if (
                    isinstance(sub.func, ast.Name)
                    and sub.func.id in steps
                    and id(sub) in looped
                    and (sub.args or sub.keywords)
                ):
                    # the module's own transformation run on every item of a top-level loop
                    # as the module is imported: which files, in what order, what is kept is
                    # the script's own logic (one call of a step is wiring, and so is a loop
                    # under ``if __name__ == "__main__":``: the module imports cleanly)
                    hit, weight = "own transformation", 2
                elif isinstance(sub.func, ast.Name) and sub.func.id in augment and sub.args:
                    # ``rotated = rotate(image)`` with ``rotate = T.RandomRotation(...)``: an
                    # image transform applied; only an image can be rotated or jittered
                    hit, weight = "image transform", 2
                elif last in STRONG_OPS and not (
                    isinstance(sub.func, ast.Name) and sub.func.id in own
                ):
                    hit, weight = last, 2
                elif last == "train_test_split":
                    # a stratified split is a sampling decision; a plain one sets rows apart
                    # (only data can be stratified by its labels: it counts as two, like an
                    # operation only data has)
                    stratified = any(k.arg == "stratify" for k in sub.keywords)
                    hit = "stratified split" if stratified else "train_test_split"
                    weight = 2 if stratified else 1
                elif (
                    last
                    in WEAK_OPS - {"copy", "head", "tail", "count", "split", "update", "to_dict"}
                    and not (  # one number summarised (``errors.mean()``): not a data operation
                        last in REDUCTIONS
                        and not any(k.arg in ("axis", "dim") for k in sub.keywords)
                        and len(sub.args) <= (1 if root_name(sub.func) in modules else 0)
                    )
                    and isinstance(sub.func, ast.Attribute)
                    # ``", ".join(features)``: a string written in the code formats text
                    and not isinstance(sub.func.value, ast.Constant | ast.JoinedStr)
                    and root_name(sub.func.value) not in ("os", "sys", "re", "json", "Path", "self")
                    and root_name(sub.func.value) not in handed
                    # ``model.add(Dense(64))``, ``model.predict(x).flatten()``: the model, not data
                    and not FIT_RECEIVER.fullmatch(root_name(sub.func.value) or "")
                ):
                    hit = last
                    if last == "drop" and not _names_listed(sub):
                        hit = "drop computed columns"
            elif isinstance(sub, ast.Subscript):
                key = sub.slice
                if (
                    isinstance(sub.ctx, ast.Store)
                    and root_name(sub) not in dicts
                    # ``mpl.rcParams["lines.linewidth"] = 2``, ``os.environ[...]``: a module's
                    # settings, never a frame
                    and root_name(sub) not in modules
                    # ``params["n_estimators"] = ...``: a setting, not a column
                    and not NOT_DATA_PARAM.match(root_name(sub) or "")
                    and (
                        (isinstance(key, ast.Constant) and isinstance(key.value, str))
                        # ``df[f"{col}_log"] = ...``: a column name written in the code too
                        or isinstance(key, ast.JoinedStr)
                        or _constant_name(key)
                        or (isinstance(key, ast.Name) and root_name(sub) in frames)
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
                loose += 0 if guarded and not saves else weight
                kinds.add(hit)
                line = getattr(sub, "lineno", 0)
                first = line if not first else min(first, line)
    if kinds and kinds <= SPLIT_OPS:
        # rows put in order and the key and target columns set apart before a fit: a training
        # script's plumbing, no value of the data changes
        return 0, 0, 0
    if _app_page(tree) and not writes:
        # a Streamlit or Gradio page: its top level is the application, run on every
        # interaction, and what it computes (a table of errors per bin, a prediction for the
        # form's values) feeds the page's widgets; it writes no data set a later step reads
        return 0, 0, 0
    if plots and not produces:
        # a visualisation script: what it computes at top level (a copy with a column dropped
        # for a heatmap, an axis swapped to show an image) feeds a figure, and a figure is
        # what it gives back; no later step reads data from it
        return 0, 0, 0
    return count, first, loose


#: a top-level call that shows a value: printed or logged
_SHOW_CALL = re.compile(
    r"^(print|pprint|(\w+\.)*(logger|logging|log)\.(info|debug|warning|error))$"
)

#: what summarises a table or an array for a reader
_SUMMARIES = frozenset(
    {
        "value_counts",
        "describe",
        "head",
        "tail",
        "info",
        "nunique",
        "unique",
        "size",
        "count",
        "sum",
        "mean",
        "median",
        "std",
        "min",
        "max",
        "corr",
        "round",
        "to_string",
        "to_markdown",
    }
)

#: a top-level call that writes a table or an array to a file
_WRITE_CALL = re.compile(
    r"\.(to_csv|to_parquet|to_pickle|to_excel|to_feather|to_sql|to_hdf|savez|savez_compressed|"
    r"write_csv|write_parquet)$|^(np|numpy)\.save$"
)

#: libraries whose scripts are an application's pages (widgets shown on every interaction)
_APP_LIBRARIES = frozenset({"streamlit", "gradio"})


def _app_page(tree: ast.Module) -> bool:
    """The module imports Streamlit or Gradio at its top: its top level is a page."""
    names = [
        a.name if isinstance(node, ast.Import) else node.module or ""
        for node in tree.body
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.level == 0)
        for a in node.names
    ]
    return any(n.split(".")[0] in _APP_LIBRARIES for n in names)


#: a top-level call whose result is more than a figure: a file written, a model fitted
_OUTPUT_CALL = re.compile(
    r"(^|\.)(to_csv|to_parquet|to_pickle|to_excel|to_json|to_feather|to_sql|to_hdf|save|savez|"
    r"savez_compressed|imwrite|write_csv|write_parquet|dump|write|fit|fit_transform|fit_resample|"
    r"train|predict|predict_proba)$"
)


#: reshaping that only adds, drops or flattens axes: what a model's input needs
_SHAPE_OPS = frozenset(
    {"expand_dims", "unsqueeze", "reshape", "squeeze", "view", "flatten", "to_tensor"}
)
_PREDICT = frozenset({"predict", "predict_proba", "predict_on_batch", "forward"})


def _model_call(call: ast.Call) -> bool:
    """``model.predict(x)``, ``net(x)``: a fitted model run on its input."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _PREDICT:
        return True
    return isinstance(func, ast.Name) and bool(FIT_RECEIVER.fullmatch(func.id))


def _model_inputs(tree: ast.Module) -> set[int]:
    """The shape operations (``np.expand_dims(x, axis=0)``, ``x.reshape(1, -1)``) whose result
    only a model reads, written into its call or bound to a name only model calls read: a
    batch axis for inference, not a transformation of the data (ids of the call nodes)."""
    fed: dict[str, int] = {}  # name -> uses as a model's argument
    used: dict[str, int] = {}  # name -> all reads
    calls: list[ast.expr] = []
    for node in every_node(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            used[node.id] = used.get(node.id, 0) + 1
        elif isinstance(node, ast.Call) and _model_call(node):
            for arg in node.args:
                if isinstance(arg, ast.Name):
                    fed[arg.id] = fed.get(arg.id, 0) + 1
                else:
                    calls.append(arg)
    for node in every_node(tree):
        if isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and t.id in fed and fed[t.id] == used.get(t.id)
            for t in node.targets
        ):
            calls.append(node.value)
    found: set[int] = set()
    for value in calls:
        node = value
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr not in _SHAPE_OPS:
                break
            found.add(id(node))
            node = node.func.value
    return found


#: modules of image transforms: torchvision's, Albumentations'
_IMAGE_TRANSFORMS = re.compile(r"^(torchvision\.transforms(\.v2)?|albumentations)(\.|$)")


def _image_transforms(tree: ast.Module) -> set[str]:
    """Top-level names bound to an image transform built from torchvision's or
    Albumentations' classes (``flip = transforms.RandomHorizontalFlip(p=1)``,
    ``jitter = T.Compose([...])``)."""
    aliases = {
        alias.asname or alias.name
        for node in statements(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if _IMAGE_TRANSFORMS.match(alias.name) and (alias.asname or "." not in alias.name)
    } | {
        alias.asname or alias.name
        for node in statements(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
        if _IMAGE_TRANSFORMS.match(node.module)
        or (node.module == "torchvision" and alias.name == "transforms")
    }
    found: set[str] = set()
    for node in every_node(tree):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        head = (dotted(node.value.func) or "").split(".")[0]
        if head in aliases:
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return found


def _locations(tree: ast.Module) -> set[str]:
    """Top-level names only ever bound to a location: a string written in the code, the
    working directory, an ``os.path``/``Path`` value, or one computed from those
    (``cwd = os.getcwd()``, ``root = cwd.replace("/src", "")``)."""
    found: set[str] = set()
    other: set[str] = set()
    for _ in range(2):
        for stmt in tree.body:
            if not isinstance(stmt, ast.Assign):
                continue
            place = _is_location(stmt.value, found)
            for target in stmt.targets:
                for node in walk(target):
                    if isinstance(node, ast.Name):
                        (found if place else other).add(node.id)
    return found - other


def _is_location(value: ast.expr, known: set[str]) -> bool:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return True
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Name):
        return value.id in known
    if isinstance(value, ast.BinOp):
        return _is_location(value.left, known) and _is_location(value.right, known)
    if isinstance(value, ast.Call):
        name = dotted(value.func) or ""
        if name in ("os.getcwd", "Path.cwd", "pathlib.Path.cwd", "Path", "pathlib.Path") or (
            name.startswith("os.path.")
        ):
            return True
        func = value.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr in ("replace", "format", "join", "strip", "rstrip", "lstrip")
            and _is_location(func.value, known)
        )
    return False


#: calls that write a table or an array to a file
_WRITE_CALL = re.compile(
    r"(^|\.)(to_csv|to_parquet|to_pickle|to_excel|to_json|to_feather|to_sql|to_hdf|save|savez|"
    r"savez_compressed|imwrite|write_csv|write_parquet|dump)$"
)


def _saves(stmt: ast.stmt) -> bool:
    """Whether a block writes a file on every run (a write under an inner ``if``, a flag such
    as ``if save_output:``, is optional)."""
    todo = list(ast.iter_child_nodes(stmt))[1:]  # the block's body, not its test
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.Call) and _WRITE_CALL.search(call_text(node)):
            return True
        todo.extend(ast.iter_child_nodes(node))
    return False


def _main_guard(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":``: the block runs only when the module is run."""
    return (
        isinstance(stmt, ast.If)
        and isinstance(stmt.test, ast.Compare)
        and isinstance(stmt.test.left, ast.Name)
        and stmt.test.left.id == "__name__"
    )


def _run_now(stmt: ast.stmt) -> list[ast.AST]:
    """The nodes of a top-level statement that run when the module runs: a function or class
    defined inside a ``with`` or ``if`` block runs only when it is called (and a lambda too)."""
    found: list[ast.AST] = []
    todo: list[ast.AST] = [stmt]
    while todo:
        node = todo.pop()
        found.append(node)
        for child in children(node):
            if not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ):
                todo.append(child)
    return found


def _synthetic(tree: ast.Module, modules: set[str]) -> set[str]:
    """Top-level names only ever bound to arrays made from numbers written in the code
    (``arr = np.arange(0, 10, 0.1)``, ``rarr = np.random.randint(0, 100, 10)`` and what is
    computed from those): a tutorial's or demo's numbers, not data."""
    made: set[str] = set()
    other: set[str] = set()
    for _ in range(2):
        for stmt in tree.body:
            if not isinstance(stmt, ast.Assign):
                continue
            value = stmt.value
            from_numbers = (isinstance(value, ast.Call) and _made_from_numbers(value, modules)) or (
                isinstance(value, ast.Call | ast.Subscript) and root_name(value) in made
            )
            for target in stmt.targets:
                for node in walk(target):
                    if isinstance(node, ast.Name):
                        (made if from_numbers else other).add(node.id)
    return made - other


def _made_from_numbers(call: ast.Call, modules: set[str]) -> bool:
    """``np.random.randint(0, 100, 10)``, ``np.arange(0, 10, 0.1)``: a library call whose every
    argument is a number written in the code (a file name read is data: ``pd.read_csv("x")``)."""
    args = [*call.args, *(k.value for k in call.keywords)]
    return (
        (dotted(call.func) or ".").split(".")[0] in modules
        and bool(args)
        and all(_number_literal(a) for a in args)
    )


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
    and methods chained on such a call), or on a string or command-line argument
    (:func:`_given`): nothing in it comes from data."""
    node: ast.expr = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if isinstance(node.func.value, ast.Call):
            node = node.func.value
        else:
            break
    if not isinstance(node, ast.Call) or (dotted(node.func) or ".").split(".")[0] not in modules:
        return False
    args = [*node.args, *(k.value for k in node.keywords)]
    return bool(args) and all(_number_literal(a) or _given(a) for a in args)


def _given(node: ast.expr) -> bool:
    """A value written in the code or given on the command line (``"2024-01-31"``,
    ``sys.argv[1]``): ``pd.to_datetime(sys.argv[1])`` reads an argument, not data."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    return isinstance(node, ast.Subscript) and dotted(node.value) == "sys.argv"


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


def _pool_map(call: ast.Call) -> bool:
    """``pool.map(train_one, params)``, ``executor.map(fetch, urls)``: a process pool or an
    executor runs a function on every item (a function and the items, two positional
    arguments); pandas' ``Series.map(mapping)`` takes the mapping alone."""
    return (
        len(call.args) >= 2
        and isinstance(call.args[0], ast.Name | ast.Attribute | ast.Lambda)
        and not isinstance(call.args[1], ast.Constant)
    )
