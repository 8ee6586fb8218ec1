"""Why a transformation is part of the data pipeline, or why it is only information.

:func:`pipeline_roles` joins the per-file :mod:`~mlnudge.checks.transforms.roles` facts over
the repository: per callee name, the nearest evidence that its result is part of the
pipeline (it reaches a model, a data loader, a data set written (one the project reads again
or one not named for a report), a served response or a pipeline step's output; it
post-processes a model's output; a data set's sample calls it; a class of the project that
trains takes it), followed one or two steps through the project's own functions.
:func:`candidate_role` decides for one transformation: a protocol (a Kedro node that makes no
report, a transformer's ``transform``, a data set's ``__getitem__``, a pipeline step), where
its result goes, a module named for preparing data, or its name together with a module that
trains, runs a model or writes a data set make it a warning; without them, or in code that monitors,
reports or shows (``monitoring/``, ``dashboard.py``, ``pages/``), it is information.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mlnudge.checks.transforms.inputs import KEEPS_READ
from mlnudge.checks.transforms.roles import (
    DATA_CALLS,
    MODEL_METHODS,
    reportish,
    step_decorated,
)
from mlnudge.project import split_words

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


@dataclass(frozen=True)
class RoleIndex:
    """What :func:`pipeline_roles` found over the repository."""

    #: per callee name, why its result is part of the pipeline
    roles: dict[str, str] = field(default_factory=dict)
    #: functions handed to Kedro's ``node()`` only for nodes that make a report
    kedro_reports: frozenset[str] = frozenset()
    #: per module, whether it trains, runs a model or writes a data set itself
    flags: dict[str, frozenset[str]] = field(default_factory=dict)
    #: callee names whose result is handed to a model's method or a data loader itself
    #: (``model.fit(X)``, ``DataLoader(ds)``), not to a function named like one
    to_models: frozenset[str] = frozenset()


#: the order in which direct evidence is preferred for the message
_RANK = ("sink:handed", "written-read", "sink:", "written", "given", "dataset", "trainer")


def _direct(
    name: str,
    kinds: list[tuple[str, str]],
    reads: Container[str],
    trainers: Container[str],
    steps: Mapping[str, Iterable[str]],
) -> str | None:
    found: list[tuple[int, str]] = []
    for kind, path in kinds:
        verb, _, rest = kind.partition(":")
        if verb == "sink":
            rank = 0 if rest.startswith("handed") else 2
            found.append((rank, f"its result is {rest} in {path}"))
        elif verb == "written":
            report, file, text = rest.split(":", 2)
            if file and file in reads:
                found.append((1, f"its result is {text} to `{file}`, which the project reads"))
            elif report == "0":
                found.append((3, f"its result is {text} in {path}"))
        elif verb == "given":
            found.append((4, f"it is given the output of {rest} in {path}"))
        elif verb == "dataset":
            found.append((5, f"`{rest}` (a data set) calls it in {path}"))
        elif verb == "hands" and rest in trainers:
            found.append((6, f"its result is handed to `{rest}`, a class that trains, in {path}"))
        elif verb == "hands" and rest in steps and rest not in GENERIC_NAMES and rest != name:
            does = "trains a model" if "trains" in steps[rest] else "writes a data set"
            found.append((6, f"its result is handed to `{rest}()`, which {does}, in {path}"))
    return min(found)[1] if found else None


def pipeline_roles(
    facts: Iterable[tuple[str, dict[str, Any] | None]],
    defined: Mapping[str, Iterable[str]] | None = None,
    *,
    nodes: Container[str] = frozenset(),
    names: re.Pattern[str] | None = None,
    depth: int = 2,
) -> RoleIndex:
    """Per callee name, why its result is part of the data pipeline ("its result is handed
    to `model.fit()` in train.py"), following ``hands``/``returns`` up to ``depth`` steps to
    a function of the project (``defined``: name -> the modules defining it) with a role of
    its own, or one that is a Kedro node (``nodes``), sits in a data-preparation module or
    is named as a transformation (``names``) in a module that trains, runs a model or
    writes a data set."""
    defined = defined or {}
    roles: dict[str, list[tuple[str, str]]] = {}
    reads: set[str] = set()
    trainers: set[str] = set()
    steps: dict[str, set[str]] = {}
    flags: dict[str, set[str]] = {}
    facts_seen = [(path, one) for path, one in facts if one]
    for path, one in facts_seen:
        for name, kinds in one["roles"].items():
            roles.setdefault(name, []).extend((k, path) for k in kinds)
        if not context_of(path, CONTEXT_WORDS) and not reportish(path.rsplit("/", 1)[-1]):
            # a file read again by a plot, a report or a dashboard is still a report
            reads.update(one.get("reads", ()))
        trainers.update(one.get("trainers", ()))
        for fn, does in one.get("steps", {}).items():
            steps.setdefault(fn, set()).update(does)
        flags[path] = set(one.get("module", ()))
    for kinds in roles.values():
        for kind, path in kinds:
            # a module handing data to a class or function of the project that trains
            # trains through it
            other = kind.partition(":")[2]
            if kind.startswith("hands:") and (
                other in trainers or "trains" in steps.get(other, ())
            ):
                flags.setdefault(path, set()).add("trains")
    index = RoleIndex({}, frozenset(), {p: frozenset(f) for p, f in flags.items()})
    direct: dict[str, str] = {}
    for name, kinds in roles.items():
        why = _direct(name, sorted(kinds), reads, trainers, steps)
        if why:
            direct[name] = why
    taken = {t for _path, one in facts_seen for t in one.get("kedro_inputs", ())}
    reports = frozenset(
        name
        for name, kinds in roles.items()
        if any(k.startswith("kedro:report") for k, _ in kinds)
        and not any(
            k == "kedro:data" or set(k.split(":", 2)[2].split(",")) & taken
            for k, _ in kinds
            if k.startswith("kedro:")
        )
    )

    def placed(name: str) -> str | None:
        """A project function that is a pipeline step by where it sits or what it is."""
        if name in nodes and name not in reports:
            return f"`{name}()` is a node of a Kedro pipeline"
        for path in defined.get(name, ()):
            if context_of(path, CONTEXT_WORDS, data_folders=True):
                continue
            if data_location(path):
                return f"`{name}()` sits in a data-preparation module in {path}"
            does = _does(index, path)
            if verb_name(name, names) and does:
                return f"`{name}()` is named as a transformation in a module that {does}"
        return None

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
                why = known.get(other) or placed(other)
                if why:
                    how = "goes to" if verb == "hands" else "is returned by"
                    step[name] = f"its result {how} `{other}()` in {path}, and {why}"
                    break
        if not step:
            break
        known.update(step)
    trains = trainers | {f for f, does in steps.items() if "trains" in does}
    to_models = frozenset(
        name for name, kinds in roles.items() if any(_to_model(k, trains) for k, _ in kinds)
    )
    return RoleIndex(known, reports, index.flags, to_models)


def _to_model(kind: str, trains: Container[str]) -> bool:
    """``sink:handed to `model.fit()```, ``sink:handed to `DataLoader()``` or handed to a
    function or class of the project that trains by its own body: a model's method, a
    library's loader or a training step, not a project function only named like one."""
    if kind.startswith("hands:"):
        return kind[6:] in trains
    if not kind.startswith("sink:handed to `"):
        return False
    callee = kind.split("`")[1].removesuffix("()")
    last = callee.rsplit(".", 1)[-1]
    return (
        ("." in callee and last in MODEL_METHODS)
        or last in DATA_CALLS
        or callee == "self"
        or last in trains
    )


def _does(index: RoleIndex, path: str) -> str:
    """What the module ``path`` does that puts it in the pipeline, as the message says it
    (a module of a model folder runs its sub-networks: that is no inference step)."""
    flags = index.flags.get(path, frozenset()) & set(_MODULE_DOES)
    if _model_folder(path):
        flags -= {"predicts"}
    does = sorted(flags, key=list(_MODULE_DOES).index)
    return _MODULE_DOES[does[0]] if does else ""


#: what turns predictions into a deliverable: a data word only as a whole name
#: (``predict.py``, ``inference/``, ``submission.py``), not inside one
#: (``task_predict_bart.py``, ``churn_prediction/``)
_POST_WORDS = frozenset(
    {"predict", "prediction", "predictions", "inference", "infer", "submission"}
    | {"submissions", "scoring"}
)
#: words of a folder or module name that say it prepares data (``data/``, ``features.py``,
#: ``data_processing/``, ``preprocess.py``, a Kedro ``data_engineering`` pipeline)
DATA_WORDS = frozenset(
    {
        *("data", "dataset", "datasets", "datamodule", "dataloader", "dataloaders"),
        *("feature", "features", "featurize", "featurization", "preprocessing"),
        *("preprocess", "preprocessor", "processing", "prep", "preparation", "transform"),
        *("transforms", "transformation", "transformations", "transformers", "etl"),
        *("clean", "cleaning", "augment", "augmentation", "augmentations", "encoding"),
        *("encoders", "ingestion", "wrangling", "postprocessing", "postprocess", "ingest"),
        *("sampling", "aug", "augs", "imputer", "imputers"),
        *_POST_WORDS,
    }
)
#: folder names with a data word that name modelling, not preparation (Kedro's ``data_science``)
_NOT_DATA = frozenset({"data_science", "datascience"})
#: words that, inside a name with a data word, say it is about something else
#: (``export_dashboard_data.py``, ``dataset_mean_std.py``)
_ELSEWHERE = frozenset({"mean", "std", "stats", "statistics", "viz", "visual", "visualize"})
#: words of a folder or module name for code that watches, reports or shows rather than
#: prepares (``monitoring/``, ``dashboard.py``, ``reports/``, ``analyze_errors.py``, Streamlit
#: ``pages/``, ``evaluate_model.py``)
CONTEXT_WORDS = frozenset(
    {
        *("monitoring", "monitor", "dashboard", "dashboards", "drift", "report", "reports"),
        *("reporting", "analysis", "analyses", "analytics", "analyze", "analyse", "eda"),
        *("visualization", "visualizations", "visualisation", "visualisations", "viz"),
        *("plots", "plotting", "pages", "compare", "comparison", "audit", "backtest"),
        *("leaderboard", "performance", "evaluate", "evaluation", "eval", "summary"),
        *("summaries", "stats", "statistics"),
    }
)


def _parts(path: str) -> list[str]:
    return path.removesuffix(".py").removesuffix(".ipynb").lower().split("/")


def data_location(path: str) -> bool:
    """A folder or module of ``path`` is named for preparing data (:data:`DATA_WORDS`): as a
    whole (``data/``, ``predict.py``), or as a word of it (``data_processing/``) when no
    word says it is about something else and it is not the project's own package
    (``churn_prediction/``, ``fraud_data_pipeline/``)."""
    parts = _parts(path)
    start = 1 if parts[0] == "src" else 0
    for index, raw in enumerate(parts):
        part = raw.strip("_")
        if part in _NOT_DATA:
            continue
        if part in DATA_WORDS:
            return True
        split = set(re.split(r"[_\-.]", part))
        if index == start and len(parts) - start > 2:
            continue  # the package's name says what the project is about
        if {"data", "science"} <= split:
            continue  # Kedro's ``p07_data_science``: modelling
        if split & (DATA_WORDS - _POST_WORDS) and not split & (_ELSEWHERE | CONTEXT_WORDS):
            return True
    return False


def context_of(path: str, words_of: frozenset[str], *, data_folders: bool = False) -> str:
    """The folder (named so as a whole: ``monitoring/``) or module (a word of its name:
    ``analyze_errors.py``) of ``path`` that says it is about one of ``words_of``; with
    ``data_folders``, none when a folder is named for preparing data (``features/``)."""
    parts = path.split("/")
    folders = [p.lower().strip("_") for p in parts[:-1]]
    if data_folders and any(f in DATA_WORDS for f in folders):
        return ""
    for index, folder in enumerate(folders):
        if folder in words_of:
            return "/".join(parts[: index + 1]) + "/"
    stem = parts[-1].removesuffix(".py").removesuffix(".ipynb")
    return path if split_words(stem) & words_of else ""


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


def verb_name(name: str, names: re.Pattern[str] | None = None) -> bool:
    """``name`` (a function's last name) says it transforms data."""
    bare = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip("_")).lower()
    return bool(_VERBS.search(bare)) or bool(names is not None and names.search(bare))


def without_paths(role: str) -> str:
    """``role`` without the files it names (`` in train.py``): the message stays the same when
    a file moves (a pull request's findings are matched on it); the details keep them."""
    return re.sub(r" in [\w./\-]+\.(py|ipynb)\b", "", role)


#: folders of a library that hold models, not data work (model math is no data pipeline)
_MODEL_FOLDERS = frozenset(
    {"model", "models", "classifiers", "regressors", "estimators", "layers", "nn"}
    | {"networks", "distns", "distributions", "losses", "optim", "activations"}
)


def _model_folder(path: str) -> bool:
    return any(p.lower() in _MODEL_FOLDERS for p in path.split("/")[:-1])


#: how a role found a step or two on begins (:func:`pipeline_roles`)
_STEPS_ON = ("its result goes to", "its result is returned by")

#: what a module does that puts it in the pipeline (its ``module`` role facts)
_MODULE_DOES = {
    "trains": "trains a model",
    "writes": "writes a data set",
    "predicts": "runs a model",
}


class Role(NamedTuple):
    """Why a transformation is part of the data pipeline (``text``), or, when it is not
    shown to be, why it is only information (``info``)."""

    text: str
    info: str = ""


def candidate_role(
    path: str,
    qualname: str,
    signals: Iterable[str],
    bases: Iterable[str],
    index: RoleIndex,
    *,
    names: re.Pattern[str] | None = None,
    decorators: Iterable[str] = (),
    library: bool = False,
) -> Role:
    """Why the transformation ``qualname`` of ``path`` is part of the data pipeline, or why
    it is only information (module docstring)."""
    name = qualname.rsplit(".", 1)[-1]
    owner = qualname.rsplit(".", 2)[-2] if "." in qualname else ""
    signals = set(signals)
    if "marker" in signals or "include" in signals:
        return Role("the project marks it as a transformation")
    if "kedro-node" in signals and name not in index.kedro_reports:
        return Role("it is a node of a Kedro pipeline")
    step = step_decorated(decorators)
    if step and not split_words(name) & {"report", "summary", "metrics", "plot", "dashboard"}:
        return Role(f"it is a step of an orchestrated pipeline (`@{step}`)")
    parts = path.split("/")
    if parts[-1] == "nodes.py" and "pipelines" in parts and name not in index.kedro_reports:
        return Role(f"it sits in `{path}`, a Kedro pipeline's nodes")
    if owner:
        base_names = [b.rsplit(".", 1)[-1] for b in bases]
        if name in _PROTOCOL_METHODS and (
            any(b.endswith(("TransformerMixin", "Transform", "Transformer")) for b in base_names)
            or name != "__call__"
        ):
            return Role(f"it is the `{name}` step of `{owner}`, a transformer")
        if name in ("__getitem__", "__init__", "__iter__", "setup", "prepare_data") and any(
            b.endswith(("Dataset", "DataModule")) for b in base_names
        ):
            return Role(f"`{owner}` is a data set and this prepares its samples")
        if name in ("__call__", "apply", "forward") and verb_name(owner, names):
            return Role(f"`{owner}` is named as a transformation and this applies it")
    flow = index.roles.get(name, "")
    watching = context_of(path, CONTEXT_WORDS, data_folders=True)
    if watching:
        # code that monitors, reports or shows: only data handed to a model is the pipeline's
        if name in index.to_models:
            return Role(flow)
        return Role("", f"it sits in `{watching}`, which monitors, reports or shows results")
    # the message names the nearest evidence: where the result goes directly, then the
    # module, the name with what its module does, then where it goes a step or two on
    if flow and not flow.startswith(_STEPS_ON):
        return Role(flow)
    if data_location(path):
        return Role(f"it sits in a data-preparation module in {path}")
    does = _does(index, path)
    if verb_name(name, names) and does:
        return Role(f"its name `{name}` says it transforms data and its module {does}")
    if flow:
        return Role(flow)
    if library and not owner and not name.startswith("_") and not _model_folder(path):
        return Role("it is a public function of the library")
    if verb_name(name, names):
        return Role(
            "",
            f"only its name `{name}` says it transforms data (where the project calls it, "
            "its result reaches no model, data set, written file or response; its module "
            "neither prepares data nor trains, runs a model or writes a data set)",
        )
    return Role("")


#: what a loader does to what it reads before handing it on: types, index, order, names
_LOADER_OPS = frozenset(
    {"astype", "column store", "set_index", "reset_index", "pd.concat", "concat", "rename"}
    | {"sort_values", "sort_index", "pd.to_datetime", "to_datetime", "copy", "selection"}
    | {"infer_objects", "convert_dtypes", "pd.read_csv", "pd.read_parquet"}
)


def loader_only(fn: dict[str, Any]) -> bool:
    """``fn`` (its module facts) takes no data, reads it in its body (and returns it or keeps it
    on its object) and only sets types, an index, an order or names on it
    (``pd.read_sql(q).astype(...)``, a ``pd.concat`` of the parts it reads): I/O, whatever the
    project hands its result to."""
    if fn["data"] or fn["maybe_data"] or fn["text"] or fn.get("formula") or fn.get("writes"):
        return False  # (what it writes is its output: a step of its own)
    # a method keeping the table it read on its object (``self.train = pd.read_csv(p)``, then
    # a date column parsed) is I/O too
    if not fn["mutates"].startswith(KEEPS_READ) and (
        not fn["loaded"]
        or fn["out"] != "derived"
        or not all(_TABLE_READ.search(why) for why in fn["loaded"].values())
    ):
        return False
    return all(op[0] in _LOADER_OPS for op in [*fn["ops"], *fn["weak"]])


#: how a table is read (``read in the body (`pd.read_parquet()`)``), not a parsed document
_TABLE_READ = re.compile(
    r"read in the body \(`(pd|pandas|pl|polars|np|numpy|dd|pq|cudf)\.|"
    r"read in the body \(`[\w.]*read_(csv|parquet|sql|sql_query|feather|excel|json|table|pickle)\("
)


def function_role(  # noqa: PLR0917 - the candidate's place, facts and what the project says
    path: str,
    qualname: str,
    fn: dict[str, Any],
    signals: Iterable[str],
    bases: Iterable[str],
    index: RoleIndex,
    *,
    names: re.Pattern[str] | None = None,
    library: bool = False,
) -> Role:
    """:func:`candidate_role` for a function judged from its module facts ``fn``, after the
    shapes that are no data transformation whatever their role: a loader, a helper on one
    value."""
    signals = tuple(signals)
    if "marker" not in signals and "include" not in signals:
        if loader_only(fn):
            return Role("", "it reads data and hands it on with only types, an index or names set")
        if fn.get("scalar_io"):
            return Role("", "its input and output are single values: a helper on one value")
    return candidate_role(
        path,
        qualname,
        signals,
        bases,
        index,
        names=names,
        decorators=fn.get("decorators", ()),
        library=library,
    )
