"""Where each call's result goes in the pipeline: into a model, a data loader, a written file,
a served response, or on to another function.

:func:`role_facts` reads one module (a notebook's cells too) and records, per callee's last
name (``clean`` for ``clean(df)``, ``utils.clean(df)`` and ``self.clean(df)``), what its
result (or, for a call whose result is dropped, the arguments it changes in place) reaches
in the same body, followed through assignments (``X = clean(df)``, ``X_tr, X_te =
train_test_split(X)``, ``for batch in X``):

* ``sink:<call>`` - a fit, train, predict or model call (``model.fit``, ``xgb.train``,
  ``self.net(x)``), a data loader or dataset (``DataLoader``, ``lgb.Dataset``), a written
  file (``df.to_parquet``, ``np.save``) or a served response (returned by a route handler);
* ``hands:<name>`` - an argument of another call (the project's ``g(x)``);
* ``returns:<name>`` - returned (or yielded) by the enclosing function ``name``;
* ``dataset:<Class>`` - called in a ``Dataset``'s ``__getitem__``/``__init__`` (a sample's
  preparation, whatever happens to it there).

Names are not resolved (as in :mod:`~mlnudge.checks.transforms.sinks`): a collision can only
give a function a role, never take one away. :func:`pipeline_roles` joins the facts over the
repository, following ``hands`` and ``returns`` one or two steps.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Container, Iterable
from typing import Any

from mlnudge.checks.transforms.nodes import dotted
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import walk

#: facts format version: bump when the summary changes shape or meaning
ROLES_VERSION = "transforms-roles-2"

#: methods that hand data to a model or a fitted step
_MODEL_METHODS = frozenset(
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
#: a callee (or its receiver) named like a model: ``model(x)``, ``self.net(x)``
_MODEL_NAME = re.compile(
    r"(^|_)(model|net|network|encoder|backbone|classifier|regressor|estimator|clf|learner|"
    r"booster|pipeline|pipe|trainer)s?($|_|\d)",
    re.IGNORECASE,
)
#: the project's own training and inference entry points, by name (``train_model(X, y)``)
_TRAIN_NAME = re.compile(
    r"(^|_)(train|training|fit|predict|prediction|predictions|infer|inference|forecast|"
    r"tune|cross_validate|cv)($|_)",
    re.IGNORECASE,
)
#: library calls that take data for a model: loaders, datasets, boosting entry points
_DATA_CALLS = frozenset(
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
#: decorators that make a function a served endpoint (FastAPI, Flask)
_ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "route", "api_route", "websocket", "delete"}
)
_RESPONSES = frozenset({"jsonify", "JSONResponse", "Response", "make_response"})


#: decorators that make a function a step of an orchestrated pipeline (Dagster, Prefect,
#: ZenML, Airflow's TaskFlow, Kubeflow): what it returns is handed to the next step
STEP_DECORATORS = frozenset({"asset", "multi_asset", "op", "task", "flow", "step", "component"})

#: names too common to follow a result through: builtins, the methods of lists, dicts and
#: strings, logging, a model's ``forward`` (a project class defining ``append`` or ``info``
#: does not make every ``x.append(y)`` a call of it)
GENERIC_NAMES = frozenset(
    {
        *dir(builtins),
        *dir(list),
        *dir(dict),
        *dir(str),
        *dir(set),
        *("debug", "info", "warning", "error", "exception", "critical", "log"),
        *("forward", "run", "main", "apply", "call", "mean", "sum", "save", "load", "show"),
    }
)


def role_facts(module: PyModule) -> dict[str, Any]:
    """Per callee last name, where each call site's result goes (module docstring)."""
    out: dict[str, set[str]] = {}
    top = [s for s in module.tree.body if not isinstance(s, _DEFS)]
    _flow(top, None, out, served=None, dataset=None)
    for cls in [n for n in walk(module.tree) if isinstance(n, ast.ClassDef)]:
        dataset = cls.name if _is_dataset(cls) else None
        for method in cls.body:
            if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                where = dataset if method.name in ("__getitem__", "__init__", "__iter__") else None
                _flow(method.body, method.name, out, served=_served(method), dataset=where)
    methods = {
        id(fn)
        for cls in walk(module.tree)
        if isinstance(cls, ast.ClassDef)
        for fn in cls.body
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for fn in walk(module.tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and id(fn) not in methods:
            _flow(fn.body, fn.name, out, served=_served(fn), dataset=None)
    return {"roles": {name: sorted(kinds) for name, kinds in sorted(out.items())}}


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_dataset(cls: ast.ClassDef) -> bool:
    names = [dotted(b) or "" for b in cls.bases]
    return any(n.rsplit(".", 1)[-1].endswith(("Dataset", "DataModule")) for n in names)


def _served(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """How what ``fn`` returns leaves the program: a route's response, a pipeline step's
    output, or ``None``."""
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = dotted(target) or ""
        last = name.rsplit(".", 1)[-1]
        if "." in name and last in _ROUTE_DECORATORS:
            return f"served by `{fn.name}()`"
        if last in STEP_DECORATORS:
            return f"the output of the pipeline step `{fn.name}()` (`@{name}`)"
    return None


def step_decorated(decorators: Iterable[str]) -> str | None:
    """The orchestrator decorator among ``decorators`` (dotted names), if any."""
    return next((d for d in decorators if d.rsplit(".", 1)[-1] in STEP_DECORATORS), None)


def _shallow(stmts: Iterable[ast.AST]) -> list[ast.AST]:
    """The nodes of ``stmts``, not entering nested functions, lambdas or classes."""
    found: list[ast.AST] = []
    todo = list(stmts)
    while todo:
        node = todo.pop()
        found.append(node)
        todo += [c for c in ast.iter_child_nodes(node) if not isinstance(c, (*_DEFS, ast.Lambda))]
    return found


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


def _flow(
    body: list[ast.stmt],
    owner: str | None,
    out: dict[str, set[str]],
    *,
    served: str | None,
    dataset: str | None,
) -> None:
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

    def origins(expr: ast.AST) -> set[str]:
        """The callees (and functions handed by reference) whose results ``expr`` holds."""
        found: set[str] = set()
        for n in _shallow([expr]):
            if isinstance(n, ast.Call):
                last = _last(n)
                if last:
                    found.add(last)
                output = _model_output(n)
                if output:
                    found.add(f"@{output}")
                for arg in [*n.args, *(k.value for k in n.keywords)]:
                    # a function handed by reference (``df.pipe(clean)``, ``df.apply(f)``)
                    if isinstance(arg, ast.Name) and arg.id not in local:
                        found.add(arg.id)
            elif isinstance(n, ast.Name | ast.Attribute) and isinstance(n.ctx, ast.Load):
                name = dotted(n)
                if name is not None:
                    found |= taint.get(name, set())
        return found

    taint: dict[str, set[str]] = {}
    for _ in range(3):  # flow-insensitive: a few passes reach a fixed point in practice
        changed = False
        for node in nodes:
            pairs: list[tuple[list[str], set[str]]] = []
            if isinstance(node, ast.Assign):
                names = [n for t in node.targets for n in _target_names(t)]
                pairs.append((names, origins(node.value)))
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
                pairs.append((_target_names(node.target), origins(node.value)))
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                pairs.append((_target_names(node.target), origins(node.iter)))
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                pairs.append((_target_names(node.optional_vars), origins(node.context_expr)))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                # a call whose result is dropped changes its arguments in place
                last = _last(node.value)
                if last:
                    args = [*node.value.args, *(k.value for k in node.value.keywords)]
                    pairs.append(([n for a in args for n in _target_names(a)], {last}))
            for names, found in pairs:
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

    for call in calls:
        args = [*call.args, *(k.value for k in call.keywords)]
        held = set().union(*(origins(a) for a in args)) if args else set()
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        sink = _sink(call)
        if sink is not None:
            if receiver is not None and sink.startswith("written"):
                held |= origins(receiver)
            note(held, f"sink:{sink}")
        elif held:
            last = _last(call)
            if last:
                note(held, f"hands:{last}")
                # what a model gives back, post-processed
                outputs = sorted(h[1:] for h in held if h.startswith("@"))
                if outputs:
                    note({last}, f"sink:given the output of {outputs[0]}")
    for node in nodes:
        if isinstance(node, ast.Return | ast.Yield | ast.YieldFrom) and node.value is not None:
            found = origins(node.value)
            if served:
                note(found, f"sink:{served}")
            elif owner is not None:
                note(found, f"returns:{owner}")


def _sink(call: ast.Call) -> str | None:
    """What kind of pipeline step ``call`` is, as the message names it, or ``None``."""
    name = dotted(call.func)
    last = _last(call)
    if last is None:
        return None
    shown = f"`{name}()`" if name else f"`.{last}()`"
    if name in _WRITE_CALLS or last in _WRITE_METHODS:
        if _report_file(call):
            return None
        return f"written by {shown}"
    if last in _RESPONSES:
        return f"served by {shown}"
    if last in _DATA_CALLS:
        return f"handed to {shown}"
    if isinstance(call.func, ast.Attribute):
        receiver = dotted(call.func.value) or ""
        head = receiver.rsplit(".", 1)[-1]
        if last in _MODEL_METHODS and (
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
    if _MODEL_NAME.search(last) and not last.startswith(("build", "get", "load", "save", "make")):
        return f"handed to {shown}"
    if _TRAIN_NAME.search(last) and not last.startswith(_NOT_STEPS):
        return f"handed to {shown}"
    return None


#: name prefixes of helpers that fetch, build or show rather than train or predict
_NOT_STEPS = ("load", "read", "get", "fetch", "build", "make", "save", "plot", "show", "log")


def _model_output(call: ast.Call) -> str | None:
    """``model.predict(X)``, ``self.net(x)``: the call gives a model's output (shown as the
    message names it), which a function it is handed to post-processes."""
    last = _last(call)
    if last is None:
        return None
    name = dotted(call.func)
    shown = f"`{name}()`" if name else f"`.{last}()`"
    if isinstance(call.func, ast.Attribute) and last.startswith(("predict", "forward")):
        return shown
    if _MODEL_NAME.search(last) and not last.startswith((*_NOT_STEPS, "train", "fit")):
        return shown
    return None


#: words of a written file's name that say it is a report, not a data set
_REPORT_FILE = re.compile(
    r"report|summary|metric|result|analysis|audit|curve|comparison|eval|score|plot|figure",
    re.IGNORECASE,
)


def _report_file(call: ast.Call) -> bool:
    """The file ``call`` writes is named for a report (``"reports/errors.csv"``,
    ``f"{out}/metrics_summary.csv"``): written, but for a reader, not for the pipeline."""
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        for node in ast.walk(arg):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _REPORT_FILE.search(node.value)
            ):
                return True
    return False


def pipeline_roles(
    facts: Iterable[tuple[str, dict[str, Any] | None]],
    defined: Container[str] = frozenset(),
    extra: Callable[[str], str | None] = lambda name: None,
    depth: int = 2,
) -> dict[str, str]:
    """Per callee name, why its result is part of the data pipeline ("its result is handed
    to `model.fit()` in train.py"), following ``hands``/``returns`` up to ``depth`` steps to
    a function of the project (``defined``) with a role of its own or one ``extra`` gives (a
    transformation's name or location)."""
    roles: dict[str, list[tuple[str, str]]] = {}
    for path, one in facts:
        if one:
            for name, kinds in one["roles"].items():
                roles.setdefault(name, []).extend((k, path) for k in kinds)
    direct: dict[str, str] = {}
    for name, kinds in roles.items():
        for kind, path in sorted(kinds):
            if kind.startswith("sink:"):
                what = kind[5:]
                direct[name] = (
                    f"it is {what} in {path}"
                    if what.startswith("given")
                    else f"its result is {what} in {path}"
                )
                break
            if kind.startswith("dataset:"):
                direct.setdefault(name, f"`{kind[8:]}` (a data set) calls it in {path}")
    known = dict(direct)
    for _ in range(depth):
        step: dict[str, str] = {}
        for name, kinds in roles.items():
            if name in known:
                continue
            for kind, path in sorted(kinds):
                verb, _, other = kind.partition(":")
                if (
                    verb not in ("hands", "returns")
                    or other == name
                    or other not in defined
                    or other in GENERIC_NAMES
                ):
                    continue
                why = known.get(other) or extra(other)
                if why:
                    how = "goes to" if verb == "hands" else "is returned by"
                    step[name] = f"its result {how} `{other}()` in {path}, and {why}"
                    break
        if not step:
            break
        known.update(step)
    return known


#: words of a folder or module name that say it prepares data (``data/``, ``features.py``,
#: ``data_processing/``, ``preprocess.py``, a Kedro ``data_engineering`` pipeline)
DATA_WORDS = frozenset(
    {
        "data",
        "dataset",
        "datasets",
        "datamodule",
        "dataloader",
        "dataloaders",
        "feature",
        "features",
        "featurize",
        "featurization",
        "preprocessing",
        "preprocess",
        "preprocessor",
        "processing",
        "prep",
        "preparation",
        "transform",
        "transforms",
        "transformation",
        "transformations",
        "transformers",
        "etl",
        "clean",
        "cleaning",
        "augment",
        "augmentation",
        "augmentations",
        "encoding",
        "encoders",
        "ingestion",
        "wrangling",
        "postprocessing",
        "postprocess",
        "ingest",
        "sampling",
        "predict",
        "prediction",
        "predictions",
        "inference",
        "infer",
        "submission",
        "submissions",
        "scoring",
        "aug",
        "augs",
        "imputer",
        "imputers",
    }
)
#: folder names with a data word that name modelling, not preparation (Kedro's ``data_science``)
_NOT_DATA = frozenset({"data_science", "datascience"})

#: transformation verbs of a function's name, beyond the family's ``names`` option
_VERBS = re.compile(
    r"(^|_)(clean|preprocess|process|encode|impute|normali[sz]e|standardi[sz]e|scale|"
    r"tokeni[sz]e|featuri[sz]e|engineer|transform|augment|resample|aggregate|merge|join|parse|"
    r"convert|fill|features?|collate|pad|crop|resize|binari[sz]e|discreti[sz]e|one_hot|"
    r"onehot|vectori[sz]e|lemmati[sz]e|stem|denoise|deduplicate|dedup|interpolate|smooth|"
    r"detrend|lag|window|split)",
    re.IGNORECASE,
)
#: methods that are transformations by protocol (scikit-learn, callable transforms)
_PROTOCOL_METHODS = frozenset({"transform", "fit_transform", "inverse_transform", "__call__"})


def data_location(path: str) -> bool:
    """A folder or module of ``path`` is named for preparing data (:data:`DATA_WORDS`)."""
    for raw in path.removesuffix(".py").removesuffix(".ipynb").lower().split("/"):
        part = raw.strip("_")
        if part in _NOT_DATA:
            continue
        if DATA_WORDS & set(re.split(r"[_\-.]", part)) or part in DATA_WORDS:
            return True
    return False


def verb_name(name: str, names: re.Pattern[str] | None = None) -> bool:
    """``name`` (a function's last name) says it transforms data."""
    bare = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip("_")).lower()
    return bool(_VERBS.search(bare)) or bool(names is not None and names.search(bare))


def without_paths(role: str) -> str:
    """``role`` without the files it names (`` in train.py``): the message stays the same when
    a file moves (a pull request's findings are matched on it); the details keep them."""
    return re.sub(r" in [\w./\-]+\.(py|ipynb)\b", "", role)


#: how a role found a step or two on begins (:func:`pipeline_roles`)
_STEPS_ON = ("its result goes to", "its result is returned by")


def candidate_role(
    path: str,
    qualname: str,
    signals: Iterable[str],
    bases: Iterable[str],
    roles: dict[str, str],
    *,
    names: re.Pattern[str] | None = None,
    decorators: Iterable[str] = (),
    library: bool = False,
) -> str:
    """Why the transformation ``qualname`` of ``path`` is part of the data pipeline, or
    ``""`` when nothing says so."""
    name = qualname.rsplit(".", 1)[-1]
    owner = qualname.rsplit(".", 2)[-2] if "." in qualname else ""
    signals = set(signals)
    if "kedro-node" in signals:
        return "it is a node of a Kedro pipeline"
    if "marker" in signals or "include" in signals:
        return "the project marks it as a transformation"
    step = step_decorated(decorators)
    if step:
        return f"it is a step of an orchestrated pipeline (`@{step}`)"
    parts = path.split("/")
    if parts[-1] == "nodes.py" and "pipelines" in parts:
        return f"it sits in `{path}`, a Kedro pipeline's nodes"
    if owner:
        base_names = [b.rsplit(".", 1)[-1] for b in bases]
        if name in _PROTOCOL_METHODS and (
            any(b.endswith(("TransformerMixin", "Transform", "Transformer")) for b in base_names)
            or name != "__call__"
        ):
            return f"it is the `{name}` step of `{owner}`, a transformer"
        if name in ("__getitem__", "__init__", "__iter__", "setup", "prepare_data") and any(
            b.endswith(("Dataset", "DataModule")) for b in base_names
        ):
            return f"`{owner}` is a data set and this prepares its samples"
        if name in ("__call__", "apply", "forward") and verb_name(owner, names):
            return f"`{owner}` is named as a transformation and this applies it"
    flow = roles.get(name, "")
    # the message names the nearest evidence: where the result goes directly, then the
    # module and the name, then where it goes a step or two on
    if flow and not flow.startswith(_STEPS_ON):
        return flow
    if data_location(path):
        return f"it sits in a data-preparation module in {path}"
    if verb_name(name, names):
        return f"its name `{name}` says it transforms data"
    if flow:
        return flow
    if library and not any(
        p.startswith("_") and not p.startswith("__") for p in qualname.split(".")
    ):
        return "it is part of the library's public API"
    return ""
