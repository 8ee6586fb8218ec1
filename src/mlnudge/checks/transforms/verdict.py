"""The decision of MLN3xx identification: one function's facts in, a :class:`Verdict` out.

:func:`judge` turns the facts :mod:`~mlnudge.checks.transforms.evidence` extracted from a
function into a transformation (with the clause that says why), a builder of an unfitted
preprocessing object (context), or nothing. Names, locations, decorators, Kedro nodes and
scikit-learn's ``transform`` protocol add weight; no name alone makes a transformation, and no
name alone excludes one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mlnudge.checks.transforms.tables import (
    CLI_DECORATOR,
    FRAMEWORK_HOOKS,
    MODEL_BASES,
    NOT_DATA_PARAM,
    SCORE_BASES,
    SKLEARN_DESCRIBERS,
    SKLEARN_METHODS,
    UNIT_RESHAPE,
)

# -- the decision ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    """The signals around a function that add weight to the evidence of its body."""

    name: bool = False
    location: bool = False
    included: bool = False
    kedro: bool = False
    data_module: bool = False
    #: the module or a folder above it is named for losses, metrics or gradients
    evaluation: bool = False
    #: the module or a folder above it is named for plotting (``plot.py``, ``visualization/``)
    display: bool = False
    #: the module or a folder above it is named for transforms or augmentation
    augmentation: bool = False

    def labels(self) -> list[str]:
        return [
            label
            for label, on in (
                ("name", self.name),
                ("location", self.location),
                ("include", self.included),
                ("kedro-node", self.kedro),
            )
            if on
        ]


@dataclass(frozen=True)
class Verdict:
    """What a function is: ``transformation``, ``builder`` (context) or ``""`` (neither)."""

    kind: str
    #: one clause a reader can disagree with: "returns a DataFrame built from `df`"
    why: str
    signals: tuple[str, ...] = ()
    #: why it is not one (for ``--verbose`` debugging and tests)
    rejected: str = ""


#: operations that only move rows and columns about: a loader doing only these stays a loader
_PLUMBING = frozenset(
    {
        "drop",
        "selection",
        "column selection",
        "copy",
        "head",
        "tail",
        "rename",
        "sort_values",
        "sort_index",
        "reset_index",
        "set_index",
    }
)

#: giving what was read the dtype and shape a model takes (``np.load(p).astype(np.float32)``,
#: a channel axis, a tensor) is still loading: a dataset's ``__getitem__`` that reads a batch
#: of files by id and only converts it is a loader
_CONVERSIONS = frozenset(
    {
        "astype",
        "expand_dims",
        "unsqueeze",
        "squeeze",
        "array",
        "asarray",
        "tensor",
        "as_tensor",
        "from_numpy",
        "to_tensor",
        "to_numpy",
        "values",
    }
    # torch's typed constructors wrap the values as they are (``torch.FloatTensor(mask)``), and
    # a reshape to one column (``x.reshape(-1, 1)``) keeps every value in its row
    | {"FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "BoolTensor"}
    | {"Tensor", UNIT_RESHAPE}
)

#: what a function handing out a splitter's folds does: the split, the row positions, indexing
_FOLDS_ONLY = frozenset({"split", "arange", "selection", "column selection", "list"})

#: operations that only add, remove or flatten axes: no value changes, no order
_AXES_ONLY = frozenset({"unsqueeze", "squeeze", "flatten", "ravel", "expand_dims"})
#: ... and turning a container into an array or tensor as it is (``np.asarray(x)``): no value
#: changes either (a dtype cast, ``astype``, is not among them: ``(p > t).astype(int)``)
_AS_ARRAY = frozenset(
    {"array", "asarray", "asanyarray", "as_tensor", "from_numpy", "to_numpy", "tensor", "Tensor"}
    | {"FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "BoolTensor"}
    | {UNIT_RESHAPE}
)

#: joining the tables it read (``pd.merge(labels, features, left_index=True, ...)``) is still
#: loading: a loader that reads files and puts them together stays a loader
_JOINS = frozenset({"merge", "join", "concat"})

#: operations that put a table together from what it is handed, as it is
_ASSEMBLY = frozenset(
    {
        "DataFrame",
        "Series",
        "from_records",
        "from_dict",
        "array",
        "asarray",
        "concat",
        "concatenate",
        "stack",
        "vstack",
        "hstack",
        "to_dict",
        "records",
        "comprehension",
    }
)

#: names of functions that check or inspect their input rather than transform it
_VALIDATOR = re.compile(r"(validate|check|verify|ensure|infer|assert)(_|$)", re.IGNORECASE)


#: operations that turn scores into decisions: cut-offs (``np.where(p < t[0], 0, ...)``,
#: ``np.digitize(p, bins)``, ``np.select``) and peaks (``argrelmax(score, order=k)``)
_DECISIONS = frozenset(
    {
        "where",
        "digitize",
        "select",
        "find_peaks",
        "find_peaks_cwt",
        "argrelmax",
        "argrelmin",
        "argrelextrema",
    }
)


#: why a function handed ``y_true`` and ``y_pred`` is no transformation
TRUTH_AND_PREDICTIONS = "compares predictions with the truth (an evaluation)"


#: a parameter named for a model's predictions (``y_pred``, ``y_pred_df``, ``preds``, ``y_hat``)
#: and a model's probabilities or scores (``y_prob``, ``y_proba``, ``probs``, ``y_scores``)
_PREDICTIONS = re.compile(
    r"^(y_?pred|y_?hat|preds?|predictions?|predicted|y_?scores?|y_?probas?|y_?probs?|"
    r"probs|probas?|probabilities|pred_?probs?)(_\w+)?$"
)
#: ... and one named for the truth beside them (``y_true``, ``y``, ``y_df``, ``y_test``,
#: ``targets``, ``ground_truth``)
_TRUTH = re.compile(r"^(y|y_?true|y_?test|y_?valid|y_?val|targets?|truth|gt|ground_truth)(_\w+)?$")


def _truth_and_predictions(params: list[str]) -> bool:
    """The function is handed a model's predictions and the truth beside them: scikit-learn's
    ``y_true, y_pred``, and the same pair under the names people give it (``y_df,
    y_pred_df``, ``targets, preds``): it compares them."""
    predictions = {p for p in params if _PREDICTIONS.match(p)}
    return bool(predictions) and any(_TRUTH.match(p) for p in set(params) - predictions)


def _lineage(cls: str, classes: dict[str, dict[str, Any]]) -> list[str]:
    """The bases of a class, each on its own, and through the classes of the same module it
    is built on, those classes' bases: ``class EDM(nn.Module, DiffusionBase)`` is a module
    whatever base comes last, and ``class LMHead(GPT2PreTrainedModel)`` is one when the
    module's ``GPT2PreTrainedModel`` is built on ``PreTrainedModel``."""
    found: list[str] = []
    todo, seen = [cls], {cls}
    while todo:
        for base in classes.get(todo.pop(), {}).get("bases", []):
            found.append(base)
            local = base.rsplit(".", 1)[-1]
            if local in classes and local not in seen:
                seen.add(local)
                todo.append(local)
    return found


#: what a ``tf.data`` input pipeline is made of when nothing is mapped over it: the arrays
#: sliced into a data set, zipped, shuffled, repeated, batched, prefetched
_TF_SOURCES = re.compile(r"^(tf\.data\.)?Dataset\.(from_tensor_slices|from_tensors|zip)$")
_TF_PLUMBING = frozenset({"repeat", "shuffle", "batch", "padded_batch", "prefetch", "cache"})


def _tf_input_pipeline(fn: dict[str, Any]) -> bool:
    """``ds = tf.data.Dataset.from_tensor_slices((X, y)); return ds.shuffle(n).batch(b)``: the
    arrays handed to TensorFlow's input pipeline as they are, like a ``DataLoader`` (a
    ``.map()`` of a parsing or augmentation function, or arithmetic on the data, is work of its
    own)."""
    ops = [op[0] for op in fn.get("ops", ())]
    weak = [op[0] for op in fn.get("weak", ())]
    return (
        bool(ops)
        and all(_TF_SOURCES.match(op) for op in ops)
        and all(op.rsplit(".", 1)[-1] in _TF_PLUMBING for op in weak)
        and not fn.get("mutates")
        and not fn.get("text_ops")
    )


def _decides(fn: dict[str, Any]) -> bool:
    """Every operation of the function turns the scores it is handed into decisions (classes
    by cut-offs, detected peaks) and it gives back one per input, not a number: that is
    post-processing of predictions, wherever it sits (``roundoff(arr, thresholds)`` in a
    ``metrics.py`` beside the kappa it is tuned for)."""
    ops = {op[0].rsplit(".", 1)[-1] for op in [*fn["ops"], *fn["weak"]]}
    return (
        fn["out"] == "derived"
        and not fn["negative"]
        and bool(ops & _DECISIONS)
        and ops <= _DECISIONS | {"selection"}
    )


def _extends_input(fn: dict[str, Any]) -> bool:
    """A plain function that stores columns into a data parameter and returns data built from
    it (not a method: a model class's ``predict`` filling its own buffers is the model)."""
    mutates: str = fn["mutates"]
    return fn["cls"] is None and fn["out"] == "derived" and mutates.endswith(" = ...`)")


#: the signal of a transformation whose body only hands its inputs on, unchanged, to another
#: object's method (``return SCALER.fit_transform(*args, **kwargs)``, ``return
#: pca.transform(X)`` with the fitted step handed in): the object does the work, so the
#: finding is information and the step is what gets tested
THIN_WRAPPER = "thin-wrapper"

#: ``df_fe = df.copy()`` and nothing else of its own: a pipeline when the copy then goes
#: through the project's steps (``df_fe = change_data(df_fe)``, ...), decided with the project
PLAIN_COPY = "returns a plain copy of its input"


def judge(
    fn: dict[str, Any],
    classes: dict[str, dict[str, Any]],
    weights: Weights,
    marker: str,
) -> Verdict:
    """Decide from the facts of one function whether it is a data transformation."""
    name: str = fn["name"]
    decorators: list[str] = fn["decorators"]
    if marker and any(d.rsplit(".", 1)[-1] == marker.rsplit(".", 1)[-1] for d in decorators):
        return Verdict("transformation", f"is marked `@{marker.rsplit('.', 1)[-1]}`", ("marker",))
    special = (
        name.startswith("__")
        and name.endswith("__")
        and name != "__call__"
        # a dataset's item that crops, scales or splits the sample it takes is judged
        and not (name == "__getitem__" and fn.get("loaded"))
        # a constructor splitting the data it is handed into parts it keeps (a data module
        # cutting its dataset 70/10/20) does the work a ``setup`` method would
        and not (name == "__init__" and fn["data"] and fn["mutates"].startswith("keeps data"))
    )
    if name.startswith("test") or special:
        return Verdict("", "", rejected="test or special method")
    if fn["stub"]:
        return Verdict("", "", rejected="stub")
    if fn["abstract"]:
        return Verdict("", "", rejected="abstract method")
    if fn["property"]:
        return Verdict("", "", rejected="property")
    if fn.get("factory"):
        return Verdict("", "", rejected=f"builds a `{fn['factory']}`, which feeds data")
    if _tf_input_pipeline(fn):
        return Verdict("", "", rejected="builds a `tf.data` input pipeline, which feeds data")
    if weights.evaluation and not (weights.name or weights.included) and not _decides(fn):
        # a loss or metrics module scores a model's output; what only looks like an array
        # transformation there (a Dice coefficient, a confusion matrix, a gradient) is a score
        return Verdict("", "", rejected="in a loss or metrics module")
    if (
        _truth_and_predictions(fn["params"])
        and not (weights.name or weights.included)
        and not _decides(fn)
    ):
        # scikit-learn's convention for a metric's arguments: a function handed the truth and
        # the predictions side by side compares them (a calibration curve, a Gini index, error
        # statistics per bin), wherever it sits; it scores the model, it prepares no data
        return Verdict("", "", rejected=TRUTH_AND_PREDICTIONS)
    if weights.display and not weights.included:
        # a plotting module reshapes arrays for a picture (tiles images into a grid, clips
        # and converts to ``uint8`` to save one): what it gives back is looked at, not learnt,
        # whatever the function's name (``postprocess`` there prepares a picture)
        return Verdict("", "", rejected="in a plotting module")
    if _VALIDATOR.match(name.lstrip("_")):
        return Verdict("", "", rejected="validates or inspects its input")
    if any(CLI_DECORATOR.search(d) for d in decorators):
        return Verdict("", "", rejected="entry point or fixture decorator")
    if fn["cls"] is not None and name in SKLEARN_DESCRIBERS:
        # scikit-learn's ``get_feature_names_out(input_features)`` gives back the names of the
        # output columns, ``get_params`` the settings: they describe the estimator, whatever
        # array the names are wrapped in; its ``transform`` is what changes data
        return Verdict("", "", rejected=f"scikit-learn's `{name}` describes the estimator")
    if fn["cls"] is None and name == "main":
        # a program's entry point wires reading, the steps and writing together; the steps it
        # calls are what a test calls with a small input, and they are judged on their own
        return Verdict("", "", rejected="a program's entry point (`main()`)")
    cls = fn["cls"]
    info = classes.get(cls, {}) if cls else {}
    lineage = _lineage(cls, classes) if cls else []
    bases = " ".join(info.get("bases", []))
    methods = set(info.get("methods", []))
    sklearn = (
        cls is not None
        and name in SKLEARN_METHODS
        and ("fit" in methods or re.search(r"Transformer|Estimator|TransformerMixin", bases))
    )
    negatives = [
        n
        for n in fn["negative"]
        if not (sklearn and n.startswith("fit"))
        # a histogram drawn along the way does not make a function declared to return a
        # table it changed (``-> pd.DataFrame``, ``data["Sex"].replace(..., inplace=True)``) a
        # plot; without that declaration, what a plotting function returns is its chart
        and not (n.startswith("plot") and fn["out"] == "derived" and fn["ops"] and fn["ann_out"])
        # a step that runs a model, writes what it made of the scores into the table it was
        # handed (``df["is_fraud"] = 1 * (preds == -1)``) and returns that table: the model
        # call is one input of the step, the columns it adds are post-processed data
        and not (n.startswith("predict:") and _extends_input(fn))
        # p-values computed per window of a series and returned as columns of a table the
        # function is declared to give back (``-> pd.DataFrame`` in a feature step) are
        # features: the test is the feature's formula, not the function's conclusion
        and not (
            n.startswith("statistic: runs a hypothesis test")
            and fn["ann_out"]
            and (weights.location or weights.kedro or weights.included or weights.name)
        )
    ]
    if negatives:
        return Verdict("", "", rejected=negatives[0])
    #: a Lightning data module's ``prepare_data``/``setup`` that scales or splits the data it
    #: reads or holds is data preparation, not framework wiring
    preparation = name in ("prepare_data", "setup") and bool(fn.get("loaded"))
    #: an ``nn.Module`` in a module named for transforms or augmentation (``transforms.py``,
    #: ``augmentation/``) is an augmentation step: its ``forward`` flips, crops or noises the
    #: sample it is handed (a ``data/`` folder holds models too); so does the method its
    #: ``forward`` dispatches to (``apply(batch)`` of the project's ``BaseAugmentation``)
    augmentation = (name == "forward" or not FRAMEWORK_HOOKS.match(name)) and (
        weights.augmentation or weights.included
    )
    #: a model's ``forward`` (or a helper of it) that turns the raw signal into features
    #: (``torch.stft``, ``self.mel(wav)``) before the layers: that extraction is data work;
    #: a ``forward`` that only chains layers, or hands the batch to such a helper, is not
    extraction = bool(fn.get("features") or fn.get("prelude")) and (
        name == "forward" or not FRAMEWORK_HOOKS.match(name)
    )
    if cls is not None and (
        (FRAMEWORK_HOOKS.match(name) and not preparation and not augmentation and not extraction)
        or (
            any(MODEL_BASES.search(b) for b in lineage)
            and name != "transform"
            and not augmentation
            and not extraction
        )
    ):
        return Verdict("", "", rejected="model or framework method")
    if cls is not None and not sklearn and any(SCORE_BASES.search(b) for b in lineage):
        # ``class GaussLogScore(LogScore)``: its ``d_score(Y)`` is the gradient of a scoring
        # rule, its ``__call__`` a loss; they score predictions against targets
        return Verdict("", "", rejected="method of a loss, scoring rule or metric class")
    if fn.get("delegates"):
        return Verdict("", "", rejected="only hands its input to the class's own methods")
    if (
        not sklearn
        and not weights.name  # ``ChurnModel.preprocess`` is still judged by its body
        and "fit" in methods
        and methods & {"predict", "predict_proba"}
        and not methods & set(SKLEARN_METHODS)
    ):
        return Verdict("", "", rejected="method of a model class (it has `fit` and `predict`)")
    if fn["accessor"]:
        # also a scikit-learn ``transform`` that is ``return X``: it gives back its input as
        # it is (an identity step), so nothing in it can be wrong
        # (``return X.toarray()`` converts it)
        return Verdict("", "", rejected="one-line accessor: returns its input or a value as it is")
    if sklearn:
        return Verdict(
            "transformation",
            f"implements scikit-learn's `{name}` of a fitted transformer",
            ("sklearn-transformer",),
        )
    data: dict[str, str] = dict(fn["data"])
    #: the code around it handles data: a data library, a data location, or a table in and out
    context = (
        weights.data_module
        or weights.location
        or weights.included
        or bool(fn["ann_out"] and fn["data"])
        # a record whose fields are combined into new ones is a feature row wherever it is
        or any(why.startswith("a record whose fields") for why in fn["data"].values())
    )
    if context:
        # string keys, records and list-like operations say "data" only where data is handled
        data.update({k: v for k, v in fn["maybe_data"].items() if k not in data})
    if weights.location or weights.included:
        # an elementwise formula (``1 / (1 + np.exp(-scores))``) is a transformation where the
        # code sits among data transformations (calibration in ``postprocessing/``); elsewhere
        # it is a math helper (a Gaussian, a sigmoid activation, a stimulus generator)
        data.update({k: v for k, v in fn.get("formula", {}).items() if k not in data})
    text: dict[str, str] = fn["text"]
    loaded: dict[str, str] = fn.get("loaded", {})
    if (
        not data
        and not text
        and loaded
        and (fn["out"] == "derived" or fn["mutates"] or fn.get("writes"))
        and {
            op[0].removesuffix("(inplace=True)").rsplit(".", 1)[-1]
            for op in [*fn["ops"], *fn["weak"]]
            if not op[0].startswith("self.")
        }
        - _PLUMBING
        - _CONVERSIONS
        # joins count only where something handed in is joined to what was read (predictions
        # merged into a sample submission): a function that takes nothing but locations and
        # settings and joins the files it read is a loader
        - (_JOINS if not [p for p in fn["params"] if not NOT_DATA_PARAM.match(p)] else set())
    ):
        # a loader that also cleans, scales or reshapes what it reads: the reading is I/O, the
        # operations after it are the transformation (a loader that only drops an id column,
        # orders or selects rows stays a loader)
        data = dict(loaded)
    else:
        loaded = {}
    if not data and not text:
        if fn["builder"]:
            return Verdict(
                "builder",
                f"builds an unfitted `{fn['builder']}` (what it does is decided when it is fit)",
                ("builder",),
            )
        if fn.get("own"):
            # a batch sampler that gathers rows of its object's data and returns them through
            # the class's own feature methods gives back what they compute from that data
            listed = ", ".join(f"`{m}()`" for m in fn["own"][:3])
            return Verdict(
                "transformation",
                "returns data built from the object's own data through the class's own "
                f"transformations ({listed})",
                (*weights.labels(), "data-in-out", "pipeline"),
            )
        return Verdict("", "", rejected="takes no data")
    out = fn["out"]
    # what a step writes to a file (``future_df.to_parquet(path)``) is its output, like what it
    # returns or changes in place
    mutates: str = fn["mutates"]
    if not mutates and out != "derived" and fn.get("writes"):
        # ... unless all it does before writing is put a frame together (``pd.DataFrame(
        # {"prob": preds})``, ``pd.concat(pages)``) or order it: that is a writer
        shaping = (
            {
                op[0].removesuffix("(inplace=True)").rsplit(".", 1)[-1]
                for op in [*fn["ops"], *fn["weak"]]
                if not op[0].startswith("self.")
            }
            - _PLUMBING
            - _ASSEMBLY
        )
        if shaping:
            mutates = fn["writes"]
    if fn.get("returns_object") and not mutates:
        # a workflow task that hands its frame to a project class and returns the instance
        # (``task = Preprocessor(data=data)``; ``task.build()``; ``return task``): the class's
        # methods transform the data and are judged on their own; this only wires them
        return Verdict("", "", rejected=f"returns a `{fn['returns_object']}` object, not data")
    if fn["returns_none"] and not mutates:
        return Verdict("", "", rejected="returns nothing")
    if out != "derived" and not mutates:
        return Verdict("", "", rejected=f"returns {out or 'nothing'} data")
    # words cleaned out of text with a regex (``re.sub`` then tokenised, stop words dropped)
    # are tokens, whatever the ``List[str]`` annotation says: the text was the input
    if fn["returns_names"] and not mutates and not ((text or data) and fn["text_ops"]):
        return Verdict("", "", rejected="returns names or settings, not data")
    ops: list[list[Any]] = fn["ops"]
    weak: list[list[Any]] = fn["weak"]
    text_ops: list[list[Any]] = fn["text_ops"]
    signals = weights.labels()
    evidence = ""
    if fn["io"] and not ops and not loaded and not (text and fn["text_ops"]):
        # (a text cleaner that reads its stop-word list is still a text cleaner)
        return Verdict("", "", rejected="reads or writes files, nothing more")
    if not data:
        # a string parameter is text data only when the body cleans it: values computed from
        # an id or a path formatted into a string (a config looked up by `flow_id`) are not
        ops = weak = []
    #: ``for step in self.steps(): df = step(df)`` then ``return df`` in a function or a class
    #: named for the work (a feature engineer's ``__call__``): a chain of steps applied in turn
    #: to the data is a transformation, whatever each step is
    folds = bool(weights.name and fn.get("folds") and fn["out"] == "derived")
    if {op[0] for op in [*ops, *weak]} == {"copy"} and not mutates and not text_ops and not folds:
        return Verdict("", "", rejected=PLAIN_COPY)
    if (
        {op[0] for op in [*ops, *weak]} == {"column selection"}
        and not mutates
        and not text_ops
        and not loaded
        and not weights.included
    ):
        # ``X = data[:, :-1]; y = data[:, -1]``: setting the target apart from the features
        # changes no value and chooses no rows; there is nothing in it a test would pin down
        # (a split by row position, ``X[:n]``, is a sampling decision and stays)
        return Verdict("", "", rejected="only sets columns of its input apart")
    if (
        {op[0] for op in [*ops, *weak]} in ({"drop"}, {"rename"})
        and fn.get("statements", 0) <= 2
        and not mutates
        and not text_ops
        and not loaded
        and not weights.included
    ):
        # ``return df.drop(columns=columns)``, ``return df.rename(columns=mapping)``: one pandas
        # call with the columns it is handed; a test would check pandas (a drop of rows by a
        # mask, a rename built from the data, more steps around it, still count); a log line
        # of the shape beside it is no step (``dropna()`` alone stays: which rows go is a choice)
        only = next(iter({op[0] for op in [*ops, *weak]}))
        return Verdict("", "", rejected=f"one pandas `{only}` call on what it is handed")
    if (
        fn.get("sets_apart")
        and {op[0] for op in [*ops, *weak]} <= {"drop", "column selection", "copy", "values"}
        and not mutates
        and not text_ops
        and not loaded
        and not weights.included
    ):
        # ``X = df.drop(columns=[target]); y = df[target]; return X, y``: the same column
        # dropped from the table and picked alone, both returned; the target set apart from
        # the features changes no value and chooses no row
        return Verdict("", "", rejected="only sets the target apart from the features")
    if (
        {op[0] for op in [*ops, *weak]} <= {"drop", "column selection"}
        and fn.get("hands")
        # handed to the library's split alone: a project step (``features_eng(df)``) before
        # the split is work of its own
        # (printing or logging the shapes on the way is no step)
        and all(
            n.rsplit(".", 1)[-1] == "train_test_split"
            or n == "print"
            or n.startswith(("logger.", "logging.", "log."))
            for n in fn["hands"]
        )
        and not fn.get("stratified")
        and not mutates
        and not text_ops
        and not loaded
        and not weights.included
    ):
        # ``X = df.drop(columns=target); y = df[target]`` then ``train_test_split(X, y)``: a
        # plain split sets the target apart and lets the library draw the rows; the library's
        # draw is tested upstream and the function holds no logic of its own
        return Verdict(
            "", "", rejected="a plain split: sets the target apart for `train_test_split`"
        )
    if (
        fn.get("splitter")
        and "split" in {op[0] for op in weak}
        and {op[0].rsplit(".", 1)[-1] for op in [*ops, *weak]} <= _FOLDS_ONLY
        and not mutates
        and not text_ops
        and not loaded
        and not weights.included
    ):
        # ``for tr, va in KFold(5).split(X): yield X.iloc[tr], X.iloc[va]``, ``list(GroupKFold(
        # n).split(np.arange(len(groups)), groups=groups))``: the library draws the folds; the
        # function hands them out and holds no logic of its own (numbering folds into a
        # column of the table, ``df.loc[va, "fold"] = k``, is data work and stays)
        return Verdict(
            "", "", rejected="a plain split: hands out the folds a library splitter draws"
        )
    layout = {op[0].rsplit(".", 1)[-1] for op in [*ops, *weak]}
    if layout and layout <= _AXES_ONLY | _AS_ARRAY and not mutates and not text_ops and not loaded:
        # ``torch.unsqueeze(x, 0).flatten()``: adding, removing or flattening axes changes no
        # value and orders nothing (a reshape into windows, ``reshape(n, k)``, still counts);
        # nor does ``np.asarray(values).ravel()`` (a conversion helper)
        return Verdict("", "", rejected="only converts its input or adds, removes axes")
    if ops:
        evidence = "strong"
    elif data and weak and context:
        evidence = "weak"
    elif (
        text
        and text_ops
        and (
            weights.data_module
            or ((weights.location or weights.included) and any(".sub" in op[0] for op in text_ops))
        )
    ):
        evidence = "text"
    elif weights.included and data:
        evidence = "weights"
    elif folds:
        evidence = "fold"
    if not evidence:
        return Verdict("", "", rejected="no data operations")
    if fn.get("plain_stack") and not mutates and not text_ops:
        return Verdict("", "", rejected="only stacks its inputs together")
    if fn.get("batches") and not mutates:
        # ``yield seq[i : i + size]`` for ``i in range(0, len(seq), size)``: batching
        return Verdict("", "", rejected="cuts its input into batches, no value changed")
    subject = next(iter(data or text))
    reason = (data or text)[subject]
    if mutates and out != "derived":
        why = mutates
    else:
        kind = "data" if data else "text"
        why = f"{fn['out_why'].replace('returns data', f'returns {kind}')}"
    used = list(dict.fromkeys(op[0] for op in (ops or weak or text_ops)))[:3]
    # one level of parentheses at most: the reason may hold an example in them
    clause = f"{why}; `{subject}` is {reason}"
    if used:
        clause += "; uses " + ", ".join(_operation(u) for u in dict.fromkeys(used))
    body = ["body"] if evidence != "weights" else []
    if extraction and cls is not None:
        clause += (
            f"; runs the signal through `{fn['features'][0]}()` (feature extraction)"
            if fn.get("features")
            else "; prepares the batch before `forward()` runs the layers"
        )
        body.append("feature-extraction")
    return Verdict("transformation", clause, (*signals, "data-in-out", *body))


def _operation(name: str) -> str:
    """An operation as the message shows it: code in backticks, a kind of operation in words."""
    return "column assignments" if name == "column store" else f"`{name}`"
