"""Where each call's result goes in the pipeline: into a model, a data loader, a written data
set, a served response, or on to another function.

:func:`role_facts` reads one module (a notebook's cells too) and records, per callee's last
name (``clean`` for ``clean(df)``, ``utils.clean(df)`` and ``self.clean(df)``), what its
result (or, for a call whose result is dropped, the arguments it changes in place) reaches
in the same body, followed through assignments (``X = clean(df)``, ``X_tr, X_te =
train_test_split(X)``, ``for batch in X``, ``rows.append(clean(r))``):

* ``sink:<call>`` - a fit, train, predict or model call (``model.fit``, ``xgb.train``,
  ``self.net(x)``), a data loader or dataset (``DataLoader``, ``lgb.Dataset``) or a served
  response (returned by a route handler that is no report);
* ``written:<r>:<file>:<call>`` - a written file (``df.to_parquet``, ``np.save``); ``r`` is
  ``1`` when the file, the variable written, the writing function or the module is named for
  a report (``reports/errors.csv``, ``summary_df.to_csv``, ``analyze_errors.py``), ``file``
  the base name of the path when the code spells it;
* ``given:<call>`` - handed a model's output (``round_preds(model.predict(X))``), unless the
  truth is handed beside it or the callee is named for a metric: that is evaluation;
* ``hands:<name>`` - an argument of another call (the project's ``g(x)``);
* ``returns:<name>`` - returned (or yielded) by the enclosing function ``name``;
* ``dataset:<Class>`` - called in a ``Dataset``'s ``__getitem__``/``__init__``;
* ``kedro:report:<outputs>`` / ``kedro:data`` - handed to Kedro's ``node()`` whose outputs,
  name or tags say it makes a report (``feature_importance_report``, ``tags=["post_eda"]``)
  or not (the data sets nodes take are ``kedro_inputs``: a report another node takes is
  data).

Besides, per module: the base names of the files it reads (``reads``), whether it trains,
runs a model or writes a data set itself (``module``), its classes whose methods fit or
train a model (``trainers``), and its functions that train or write a data set by their own
body (``steps``). Names are not resolved (as in
:mod:`~mlnudge.checks.transforms.sinks`): a collision can only give a function a role.
:mod:`~mlnudge.checks.transforms.roleof` joins the facts over the repository.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from typing import Any

from mlnudge.checks.transforms.nodes import dotted
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import every_node
from mlnudge.project import split_words

#: facts format version: bump when the summary changes shape or meaning
ROLES_VERSION = "transforms-roles-7"

#: methods that hand data to a model or a fitted step
MODEL_METHODS = frozenset(
    {
        "fit",
        "fit_generator",
        "partial_fit",
        "fit_predict",
        "fit_transform",
        "fit_resample",
        "train",
        "train_on_batch",
        "predict",
        "predict_proba",
        "predict_log_proba",
        "decision_function",
        "transform",
        "evaluate",
        "forward",
        "encode",
    }
)
#: methods (and ``xgb.train``-style calls) that fit a model: a module calling one trains
_FIT_METHODS = frozenset({"fit", "fit_generator", "partial_fit", "train", "train_on_batch"})
#: a callee (or its receiver) named like a model: ``model(x)``, ``self.net(x)``
_MODEL_NAME = re.compile(
    r"(^|_)(model|net|network|encoder|backbone|classifier|regressor|estimator|clf|learner|"
    r"booster|pipeline|pipe|trainer)s?($|_|\d)",
    re.IGNORECASE,
)
#: the last word of a name that holds a model (``best_model``, ``self.net``, ``clf``)
_MODEL_NOUNS = frozenset(
    {
        *("model", "models", "net", "network", "classifier", "regressor", "estimator", "clf"),
        *("learner", "booster", "predictor", "ensemble", "stacker", "calibrator"),
    }
)
#: nouns that name a model only alone (``self.encoder(x)``), not after another word
#: (``label_encoder(df)`` is the project's encoding of labels)
_MODEL_NOUNS_ALONE = frozenset({"encoder", "decoder", "backbone", "generator"})
#: first words of a name that does something to a model rather than being one
#: (``select_model()``, ``tune_model()``, ``run_prediction_pipeline()``)
_VERBS_ON_MODELS = frozenset(
    {
        *("select", "tune", "train", "fit", "load", "build", "get", "make", "create", "run"),
        *("save", "evaluate", "compute", "split", "init", "setup", "prepare", "subtract"),
        *("apply", "fetch", "read", "define", "register", "compile", "update", "plot"),
        *("show", "log", "find", "choose", "pick", "wrap", "export", "check", "validate"),
    }
)
#: the project's own training and inference entry points, by name (``train_model(X, y)``)
_TRAIN_NAME = re.compile(
    r"(^|_)(train|training|fit|predict|prediction|predictions|infer|inference|forecast|"
    r"tune|cross_validate|cross_validation|cv|kfold|k_fold)($|_)",
    re.IGNORECASE,
)
#: library calls that take data for a model: loaders, datasets, boosting entry points
DATA_CALLS = frozenset(
    {
        "DataLoader",
        "TensorDataset",
        "Dataset",
        "DMatrix",
        "Pool",
        "from_tensor_slices",
        "from_generator",
        "from_pandas",
        "from_dict",
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
        "learning_curve",
        "GridSearchCV",
    }
)
#: writing a data set to a file
_WRITE_METHODS = frozenset(
    {
        "to_csv",
        "to_parquet",
        "to_feather",
        "to_pickle",
        "to_hdf",
        "to_excel",
        "to_json",
        "to_sql",
        "write_parquet",
        "write_csv",
        "write_ipc",
        "save_to_disk",
    }
)
_WRITE_CALLS = frozenset(
    {
        "np.save",
        "np.savez",
        "np.savez_compressed",
        "numpy.save",
        "torch.save",
        "joblib.dump",
        "pickle.dump",
        "cv2.imwrite",
        "imageio.imwrite",
        "sf.write",
        "pq.write_table",
    }
)
#: calls that write any object (a model, a scaler, a table): a data set only when named so
_DUMPS = frozenset({"torch.save", "joblib.dump", "pickle.dump"})
#: words of a dumped object's file or variable name that say it holds data
_DATA_DUMP_WORDS = frozenset(
    {"data", "dataset", "datasets", "df", "features", "feature", "train", "test", "val"}
    | {"valid", "processed", "clean", "split", "splits", "folds", "samples", "x", "y"}
    | {"embeddings", "tensors", "inputs", "targets", "labels"}
)


def _data_dump(call: ast.Call, file: str) -> bool:
    """``joblib.dump(train_df, "train.pkl")``, not ``joblib.dump(model, "model.pkl")``."""
    held = call.args[0] if call.args else None
    name = dotted(held) if isinstance(held, ast.Name | ast.Attribute) else ""
    return bool(split_words(file) & _DATA_DUMP_WORDS or split_words(name or "") & _DATA_DUMP_WORDS)


#: decorators that make a function a served endpoint (FastAPI, Flask)
_ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "route", "api_route", "websocket", "delete"}
)
_RESPONSES = frozenset({"jsonify", "JSONResponse", "Response", "make_response"})

#: decorators that make a function a step of an orchestrated pipeline (Dagster, Prefect,
#: ZenML, Airflow's TaskFlow, Kubeflow): what it returns is handed to the next step
STEP_DECORATORS = frozenset({"asset", "multi_asset", "op", "task", "flow", "step", "component"})

#: words of a file, variable, function, module or Kedro data set name that say what it holds
#: is a report for a reader, not data for the pipeline (``errors_by_bin.csv``,
#: ``summary_df``, ``analyze_model_errors.py``, ``feature_importance_report``)
REPORT_WORDS = frozenset(
    {
        *("report", "reports", "reporting", "summary", "summaries", "metric", "metrics"),
        *("analysis", "analyses", "analyze", "analyse", "audit", "curve", "curves"),
        *("comparison", "compare", "eval", "evaluation", "plot", "plots", "figure", "figures"),
        *("chart", "charts", "dashboard", "dashboards", "mismatch", "mismatches", "diff"),
        *("importance", "importances", "leaderboard", "profit", "stats", "statistics"),
        *("drift", "monitor", "monitoring", "backtest", "errors", "eda", "confusion"),
        *("sensitivity",),
    }
)
#: words of a callee that scores predictions (``binary_acc``, ``gains_table``): handing it a
#: model's output is evaluation
_METRIC_WORDS = frozenset(
    {
        *("acc", "accuracy", "auc", "roc", "metric", "metrics", "loss", "gain", "gains"),
        *("lift", "eval", "evaluate", "evaluation", "compare", "comparison", "error"),
        *("errors", "rmse", "mae", "mse", "mape", "f1", "precision", "recall", "confusion"),
        *("report", "plot", "log", "drift", "monitor"),
    }
)
#: names of what holds the truth beside a model's output (``binary_acc(y, model(x))``,
#: ``align_preds(preds, holdout)``): together they are scored, not post-processed
_TRUTH = re.compile(
    r"^(y|ys|y_true|ytrue|y_test|y_val|y_valid|y_eval|y_holdout|test_y|val_y|truth|true|"
    r"actual|actuals|label|labels|target|targets|gt|ground_truth|groundtruth|holdout|"
    r"observed|obs|reference)$",
    re.IGNORECASE,
)


def reportish(*names: str) -> bool:
    """One of ``names`` is named for a report (:data:`REPORT_WORDS`)."""
    return any(split_words(n) & REPORT_WORDS for n in names if n)


def role_facts(module: PyModule) -> dict[str, Any]:
    """Per callee last name, where each call site's result goes, and the module's reads,
    flags and training classes (module docstring)."""
    out: dict[str, set[str]] = {}
    flags: set[str] = set()
    top = [s for s in module.tree.body if not isinstance(s, _DEFS)]
    _flow(top, None, out, flags, module.path, served=None, dataset=None)
    trainers: list[str] = []
    every = every_node(module.tree)
    for cls in [n for n in every if isinstance(n, ast.ClassDef)]:
        dataset = cls.name if _is_dataset(cls) else None
        does: set[str] = set()
        for method in cls.body:
            if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                where = dataset if method.name in ("__getitem__", "__init__", "__iter__") else None
                does |= _flow(
                    method.body,
                    method.name,
                    out,
                    flags,
                    module.path,
                    served=_served(method),
                    dataset=where,
                )
        if "trains" in does:
            trainers.append(cls.name)
    methods = {
        id(fn)
        for cls in every
        if isinstance(cls, ast.ClassDef)
        for fn in cls.body
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    steps: dict[str, list[str]] = {}
    for fn in every:
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and id(fn) not in methods:
            does = _flow(
                fn.body, fn.name, out, flags, module.path, served=_served(fn), dataset=None
            )
            if does:
                steps[fn.name] = sorted(does)
    inputs: set[str] = set()
    for call in every:
        if isinstance(call, ast.Call) and (_last(call) or "") == "node":
            _kedro_node(call, out, inputs)
    return {
        "roles": {name: sorted(kinds) for name, kinds in sorted(out.items())},
        "reads": sorted(_reads(every)),
        "module": sorted(flags),
        "trainers": sorted(trainers),
        "steps": dict(sorted(steps.items())),
        "kedro_inputs": sorted(inputs),
    }


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


#: data sets of torchvision a project subclasses (``class MNIST(_MNIST)``)
_VISION_DATASETS = frozenset(
    {"MNIST", "FashionMNIST", "EMNIST", "KMNIST", "CIFAR10", "CIFAR100", "ImageFolder"}
    | {"DatasetFolder", "VisionDataset", "ImageNet", "CocoDetection", "VOCSegmentation"}
)


def _is_dataset(cls: ast.ClassDef) -> bool:
    names = [(dotted(b) or "").rsplit(".", 1)[-1] for b in cls.bases]
    return any(
        n.endswith(("Dataset", "DataModule")) or n.lstrip("_") in _VISION_DATASETS for n in names
    )


def _served(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """How what ``fn`` returns leaves the program: a route's response, a pipeline step's
    output, or ``None`` (a route named for a report, ``/metrics`` or ``compare_runs()``,
    serves a report)."""
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = dotted(target) or ""
        last = name.rsplit(".", 1)[-1]
        if "." in name and last in _ROUTE_DECORATORS:
            paths = [
                a.value
                for a in (dec.args if isinstance(dec, ast.Call) else [])
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if reportish(fn.name, *paths):
                return None
            return f"served by `{fn.name}()`"
        if last in STEP_DECORATORS and not reportish(fn.name):
            return f"the output of the pipeline step `{fn.name}()` (`@{name}`)"
    return None


def step_decorated(decorators: Iterable[str]) -> str | None:
    """The orchestrator decorator among ``decorators`` (dotted names), if any."""
    return next((d for d in decorators if d.rsplit(".", 1)[-1] in STEP_DECORATORS), None)


def _shallow(
    stmts: Iterable[ast.AST], skip: Callable[[ast.AST], ast.AST | None] | None = None
) -> list[ast.AST]:
    """The nodes of ``stmts``, not entering nested functions, lambdas or classes (nor the
    child ``skip`` names for a node)."""
    found: list[ast.AST] = []
    todo = list(stmts)
    while todo:
        node = todo.pop()
        found.append(node)
        left = skip(node) if skip is not None else None
        todo += [
            c
            for c in ast.iter_child_nodes(node)
            if not isinstance(c, (*_DEFS, ast.Lambda)) and c is not left
        ]
    return found


def _model_callee(node: ast.AST) -> ast.AST | None:
    """The callee of a call giving a model's output (``model.predict`` of
    ``model.predict(X)``): what it holds is not what the output holds."""
    if isinstance(node, ast.Call) and model_output(node):
        return node.func
    return None


def _last(call: ast.Call) -> str | None:
    name = dotted(call.func)
    if name is not None:
        return name.rsplit(".", 1)[-1]
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Tuple | ast.List):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, ast.Subscript):  # ``df["x"] = clean(df)`` changes ``df``
        return _target_names(target.value)
    name = dotted(target)
    return [name] if name else []


#: calls that apply a function handed to them to data (``df.pipe(clean)``,
#: ``ds.map(tokenize)``, ``pool.map(f, rows)``); a function handed to anything else
#: (``test_predict(model_fn, ...)``) is code, not data
_APPLIES = frozenset(
    {"pipe", "apply", "applymap", "map", "transform", "agg", "aggregate", "map_partitions"}
    | {"map_batches", "with_transform", "set_transform", "starmap", "imap", "delayed"}
    | {"partial", "map_elements", "map_rows", "progress_apply", "parallel_apply"}
    | {"Compose", "Sequential", "Lambda"}  # torchvision / albumentations compositions
)
#: keywords of a model's method that take settings, not data (``fit(X, y, cv=splitter)``)
_SETTINGS_KEYWORDS = frozenset(
    {"cv", "callbacks", "callback", "scoring", "params", "param_grid", "verbose", "n_jobs"}
    | {"logger", "metrics", "eval_metric", "optimizer", "loss", "strategy", "groups"}
)

#: methods that put their argument into the object they are called on (``rows.append(x)``)
_COLLECTS = frozenset(
    {"append", "extend", "add", "insert", "appendleft", "update", "put"}
    | {"add_", "copy_", "mul_", "sub_", "concat_"}  # a tensor accumulating in place
)


def _flow(
    body: list[ast.stmt],
    owner: str | None,
    out: dict[str, set[str]],
    flags: set[str],
    path: str,
    *,
    served: str | None,
    dataset: str | None,
) -> set[str]:
    """Note where the results of the calls in ``body`` go; what the body does itself:
    ``trains`` (it fits a model), ``writes`` (it writes a data set)."""
    nodes = _shallow(body)
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    if dataset is not None:
        for call in calls:
            last = _last(call)
            if last:
                out.setdefault(last, set()).add(f"dataset:{dataset}")
    local: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)

    #: per expression: the callees (and functions handed by reference) it holds whatever the
    #: names hold, and the names whose holdings it takes on (computed once: the passes below
    #: only look the names up again)
    parts: dict[int, tuple[frozenset[str], tuple[str, ...]]] = {}

    def origins(expr: ast.AST) -> set[str]:
        """The callees (and functions handed by reference) whose results ``expr`` holds; a
        model's output holds what went into it, not the model (``model.predict(X)`` carries
        ``X``'s origins, not those of the call that built ``model``)."""
        known = parts.get(id(expr))
        if known is None:
            known = parts[id(expr)] = _holdings(expr, local)
        found = set(known[0])
        for name in known[1]:
            held = taint.get(name)
            if held:
                found |= held
        return found

    taint: dict[str, set[str]] = {}
    edges = _edges(nodes)
    for _ in range(8):  # flow-insensitive: passes until nothing changes (a chain of 8 at most)
        changed = False
        for names, sources, given in edges:
            found = set(given).union(*(origins(e) for e in sources))
            for name in names:
                before = taint.setdefault(name, set())
                if not found <= before:
                    before |= found
                    changed = True
        if not changed:
            break

    def note(found: set[str], role: str) -> None:
        for name in found:
            out.setdefault(name, set()).add(role)

    does: set[str] = set()
    for call in calls:
        args = [
            *call.args,
            *(k.value for k in call.keywords if k.arg not in _SETTINGS_KEYWORDS),
        ]
        held = set().union(*(origins(a) for a in args)) if args else set()
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        last = _last(call)
        if _fits(call):
            does.add("trains")
            flags.add("trains")
        if model_output(call):
            flags.add("predicts")
        if last is not None and (dotted(call.func) in _WRITE_CALLS or last in _WRITE_METHODS):
            if receiver is not None:
                held |= origins(receiver)
            file = _file_name(call, nodes)
            if dotted(call.func) in _DUMPS and not _data_dump(call, file):
                continue  # a model, a scaler, a cache of objects: no data set
            report = _report_write(call, receiver, owner, path)
            if not report:
                does.add("writes")
                flags.add("writes")
            shown = f"`{dotted(call.func)}()`" if dotted(call.func) else f"`.{last}()`"
            note(held, f"written:{int(report)}:{file}:written by {shown}")
            continue
        sink = _sink(call)
        if sink is not None:
            note(held, f"sink:{sink}")
        elif held and last:
            note(held, f"hands:{last}")
            # what a model gives back, post-processed (unless it is scored: the truth is
            # handed beside it, or the callee is named for a metric)
            outputs = sorted(h[1:] for h in held if h.startswith("@"))
            if outputs and not _evaluates(call, last):
                note({last}, f"given:{outputs[0]}")
    for node in nodes:
        if isinstance(node, ast.Return | ast.Yield | ast.YieldFrom) and node.value is not None:
            found = origins(node.value)
            if served:
                note(found, f"sink:{served}")
            elif owner is not None:
                note(found, f"returns:{owner}")
    return does


def _edges(nodes: list[ast.AST]) -> list[tuple[list[str], list[ast.AST], frozenset[str]]]:
    """Where values flow in a body: ``(names, expressions, callees)``: the names take on what
    the expressions hold, and the results of the callees (``x = clean(df)``, ``for row in
    rows``, ``with open(p) as f``, ``rows.append(clean(r))``, and ``fill(df)``, a call whose
    result is dropped, changing its arguments in place)."""
    edges: list[tuple[list[str], list[ast.AST], frozenset[str]]] = []
    none: frozenset[str] = frozenset()
    for node in nodes:
        if isinstance(node, ast.Assign):
            names = [n for t in node.targets for n in _target_names(t)]
            edges.append((names, [node.value], none))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            edges.append((_target_names(node.target), [node.value], none))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            edges.append((_target_names(node.target), [node.iter], none))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            edges.append((_target_names(node.optional_vars), [node.context_expr], none))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            last = _last(call)
            args = [*call.args, *(k.value for k in call.keywords)]
            if last:
                edges.append(([n for a in args for n in _target_names(a)], [], frozenset({last})))
            if last in _COLLECTS and isinstance(call.func, ast.Attribute):
                edges.append((_target_names(call.func.value), list(args), none))
    return [e for e in edges if e[0]]


def _holdings(expr: ast.AST, local: set[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """What ``expr`` holds by itself (callees, ``@`` model outputs, functions applied by
    reference that are not local names) and the dotted names it reads (whose holdings it
    takes on), not entering a model's callee."""
    found: set[str] = set()
    reads: dict[str, None] = {}
    for n in _shallow([expr], skip=_model_callee):
        if isinstance(n, ast.Call):
            last = _last(n)
            if last:
                found.add(last)
            output = model_output(n)
            if output:
                found.add(f"@{output}")
            if last in _APPLIES:
                for arg in [*n.args, *(k.value for k in n.keywords)]:
                    # a function applied by reference (``df.pipe(clean)``, ``ds.map(f)``,
                    # ``Compose([rotate, ToTensor()])``)
                    held = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
                    found |= {h.id for h in held if isinstance(h, ast.Name) and h.id not in local}
        elif isinstance(n, ast.Name | ast.Attribute) and isinstance(n.ctx, ast.Load):
            name = dotted(n)
            if name is not None:
                reads[name] = None
    return frozenset(found), tuple(reads)


def _fits(call: ast.Call) -> bool:
    """``model.fit(X, y)``, ``xgb.train(params, d)``, ``trainer.fit(module)``,
    ``trainer.train()``, ``model_1.train()``."""
    last = _last(call)
    if last not in _FIT_METHODS or not isinstance(call.func, ast.Attribute):
        return False
    head = (dotted(call.func.value) or "").rsplit(".", 1)[-1]
    return bool(call.args or call.keywords or _MODEL_NAME.search(head))


def _evaluates(call: ast.Call, last: str) -> bool:
    """``binary_acc(y, model(x))``, ``align(preds, holdout)``: predictions scored."""
    if split_words(last) & _METRIC_WORDS:
        return True
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        name = dotted(arg) if isinstance(arg, ast.Name | ast.Attribute) else None
        if isinstance(arg, ast.Subscript):
            key = arg.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                name = key.value
        if name and _TRUTH.match(name.rsplit(".", 1)[-1]):
            return True
    return any(k.arg and _TRUTH.match(k.arg) for k in call.keywords)


def _sink(call: ast.Call) -> str | None:
    """What kind of pipeline step ``call`` is, as the message names it, or ``None``."""
    name = dotted(call.func)
    last = _last(call)
    if last is None:
        return None
    shown = f"`{name}()`" if name else f"`.{last}()`"
    if name == "self":
        return "handed to `self()`, the model's forward pass"  # a module calling itself
    if name in ("pipeline", "Pipeline", "make_pipeline"):
        return None  # a pipeline is built from steps (functions, Kedro nodes), not data
    if last in _RESPONSES:
        return f"served by {shown}"
    if last in DATA_CALLS and (
        last not in ("from_dict", "from_pandas") or "Dataset" in (name or "")
    ):
        return f"handed to {shown}"
    if last not in MODEL_METHODS and split_words(last) & (_METRIC_WORDS | {"latency"}):
        # ``compute_model_metrics(df)``, ``model_latency_ms()``: a model named in a metric
        return None
    if isinstance(call.func, ast.Attribute):
        receiver = dotted(call.func.value) or ""
        head = receiver.rsplit(".", 1)[-1]
        if last in MODEL_METHODS and (
            last not in ("transform", "encode")
            or _MODEL_NAME.search(head)
            or head.endswith(("scaler", "encoder", "vectorizer", "imputer", "preprocessor"))
        ):
            return f"handed to {shown}"
        if last in ("train", "fit", "predict") or (
            _MODEL_NAME.search(last) and not last.startswith(("build", "get", "load", "save"))
        ):
            return f"handed to {shown}"
        if head in ("xgb", "lgb", "lightgbm", "xgboost", "catboost"):
            return f"handed to {shown}"
        return None
    said = split_words(last)
    if said & _NOT_MODEL_WORDS or last.startswith(("join", "merge", "align", "call")):
        # ``join_predictions_with_ground_truth()``, ``call_prediction_api()``: a helper
        # around predictions, not a model
        return None
    if _MODEL_NAME.search(last) and not last.startswith(("build", "get", "load", "save", "make")):
        return f"handed to {shown}"
    if _TRAIN_NAME.search(last) and not last.startswith(_NOT_STEPS):
        return f"handed to {shown}"
    return None


#: words of a project function named like a model or a training step that say it is about
#: something else (``create_average_prediction_group_statistics()``)
_NOT_MODEL_WORDS = _METRIC_WORDS | {"truth", "ground", "actual", "actuals", "stats"}
_NOT_MODEL_WORDS |= {"statistics", "summary", "table", "importance", "latency"}


#: name prefixes of helpers that fetch, build or show rather than train or predict
_NOT_STEPS = ("load", "read", "get", "fetch", "build", "make", "save", "plot", "show", "log")


def model_output(call: ast.Call) -> str | None:
    """``model.predict(X)``, ``self.net(x)``, ``best_model(x)``: the call gives a model's
    output (shown as the message names it), which a function it is handed to
    post-processes; a helper doing something to a model (``select_model()``) gives none."""
    last = _last(call)
    if last is None:
        return None
    name = dotted(call.func)
    shown = f"`{name}()`" if name else f"`.{last}()`"
    if isinstance(call.func, ast.Attribute) and last.startswith(("predict", "forward")):
        return shown
    parts = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", last).lower().strip("_").split("_")
    if parts[0] in _VERBS_ON_MODELS:
        return None
    noun = parts[-1].rstrip("0123456789")
    if noun in _MODEL_NOUNS or (len(parts) == 1 and noun in _MODEL_NOUNS_ALONE):
        return shown
    return None


def _report_write(call: ast.Call, receiver: ast.expr | None, owner: str | None, path: str) -> bool:
    """The file ``call`` writes is a report: its path (``"reports/errors.csv"``), the
    variable written (``summary_df.to_csv(p)``), the writing function
    (``export_dashboard()``) or the module (``analyze_model_errors.py``) is named for one."""
    texts = [
        node.value
        for arg in [*call.args, *(k.value for k in call.keywords)]
        for node in ast.walk(arg)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    variable = (dotted(receiver) or "") if receiver is not None else ""
    module = path.rsplit("/", 1)[-1].removesuffix(".py").removesuffix(".ipynb")
    return reportish(*texts, variable.rsplit(".", 1)[-1], owner or "", module)


_FILE = re.compile(r"[\w\-.]+\.[A-Za-z][A-Za-z0-9]{1,7}$")


def _file_name(call: ast.Call, nodes: list[ast.AST]) -> str:
    """The base name of the file ``call`` writes, when the code spells it (a literal in the
    call, or a name the same body binds to one): ``"features.parquet"``."""
    names = _spelled(call)
    return sorted(names)[0] if names else _bound_file(call, nodes)


def _spelled(call: ast.Call) -> set[str]:
    found: set[str] = set()
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        for node in ast.walk(arg):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                base = node.value.replace("\\", "/").rsplit("/", 1)[-1]
                if _FILE.match(base):
                    found.add(base.lower())
    return found


def _bound_file(call: ast.Call, nodes: list[ast.AST]) -> str:
    used = {
        n.id
        for arg in [*call.args, *(k.value for k in call.keywords)]
        for n in ast.walk(arg)
        if isinstance(n, ast.Name)
    }
    for node in nodes:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in used for t in node.targets
        ):
            holder = ast.Call(func=ast.Name(id="_", ctx=ast.Load()), args=[node.value], keywords=[])
            spelled = _spelled(holder)
            if spelled:
                return sorted(spelled)[0]
    return ""


#: last names of calls that read a file (``pd.read_parquet``, ``np.load``, ``open``)
_READS = re.compile(r"^(read|load|scan|open)", re.IGNORECASE)


def _reads(every: Iterable[ast.AST]) -> set[str]:
    """The base names of the files the module reads, as it spells them (in the reading call,
    or bound to a name handed to it); ``every`` holds all the module's nodes."""
    binds: dict[str, set[str]] = {}
    for node in every:
        if isinstance(node, ast.Assign):
            holder = ast.Call(func=ast.Name(id="_", ctx=ast.Load()), args=[node.value], keywords=[])
            spelled = _spelled(holder)
            if spelled:
                for target in node.targets:
                    for name in _target_names(target):
                        binds.setdefault(name, set()).update(spelled)
    found: set[str] = set()
    for call in every:
        if not isinstance(call, ast.Call) or not _READS.match(_last(call) or ""):
            continue
        found |= _spelled(call)
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            for n in ast.walk(arg):
                held = dotted(n) if isinstance(n, ast.Name | ast.Attribute) else None
                if held is not None and held in binds:
                    found |= binds[held]
    return found


def _kedro_node(call: ast.Call, out: dict[str, set[str]], inputs: set[str]) -> None:
    """``node(func=f, inputs=..., outputs="feature_importance_report", tags=[...])``: ``f``
    makes a report when its outputs, the node's name or its tags say so (noted with the
    outputs, ``kedro:report:a,b``: one that another node takes is data after all); the
    data sets the node takes go to ``inputs``."""
    func = next((k.value for k in call.keywords if k.arg == "func"), None)
    func = func or (call.args[0] if call.args else None)
    if not isinstance(func, ast.Name | ast.Attribute):
        return
    name = (dotted(func) or "").rsplit(".", 1)[-1]
    if not name:
        return
    taken = next((k.value for k in call.keywords if k.arg == "inputs"), None)
    if taken is None and len(call.args) > 1:
        taken = call.args[1]
    inputs.update(_strings(taken))
    outputs = next((k.value for k in call.keywords if k.arg == "outputs"), None)
    if outputs is None and len(call.args) > 2:
        outputs = call.args[2]
    made = _strings(outputs)
    said = [
        *made,
        *(t for k in call.keywords if k.arg in ("name", "tags") for t in _strings(k.value)),
    ]
    out.setdefault(name, set()).add(
        f"kedro:report:{','.join(sorted(made))}" if reportish(*said) else "kedro:data"
    )


def _strings(node: ast.AST | None) -> list[str]:
    if node is None:
        return []
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
