"""The arguments of one call: the part of the params walk that judges them one by one.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`, whose ``visit_Call`` hands it
each keyword (a seed, a path, a threshold, a tuning budget, a string choice, a listed
hyperparameter), a quantile's cut-off, an outlier filter's bounds and a ``from_pretrained``
folder; it tells inference and evaluation calls (their batch size changes no result) from
training ones. It reads the walk's state and reports through the walk's ``_value``/``_path``.
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params import libraries as L
from mlnudge.checks.params import paths as P
from mlnudge.checks.params import surroundings as W
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.calls import CallSettings
from mlnudge.checks.params.literals import (
    cut_offs,
    numbers_in,
    stored_as_feature,
    threshold_list_name,
)
from mlnudge.checks.params.syntax import (
    assigned_name,
    capped,
    cast_number,
    is_int,
    is_number,
    is_number_seq,
    lookback,
    name_words,
    neutral,
    number_value,
    numeric_choice,
    snake,
    trivial,
)
from mlnudge.project import split_words

#: a loss function or class (``FocalLoss``, ``sigmoid_focal_loss``): its settings are tuned
_LOSS = re.compile(r"(loss|_loss)$", re.I)
#: the project's own batch loaders: ``DataGenerator``, ``make_loader``, ``SalesDataModule``
_OWN_LOADER = re.compile(r"(generator|loader|datamodule)$", re.I)


#: keywords counting a pass's batches, by what their data-set size is called
_STEP_COUNTS = {
    "steps_per_epoch": "train_samples",
    "validation_steps": "val_samples",
    "val_steps": "val_samples",
}


def _counted_size(value: ast.expr) -> ast.Constant | None:
    """The literal data-set size a step count is computed from: ``150 // batch_size``,
    ``math.ceil(150 / bs)``, ``int(12 / bs)`` (a literal divided by something not literal)."""
    if (
        isinstance(value, ast.Call)
        and len(value.args) == 1
        and not value.keywords
        and isinstance(value.func, ast.Name | ast.Attribute)
        and (value.func.id if isinstance(value.func, ast.Name) else value.func.attr)
        in ("int", "ceil", "floor", "round")
    ):
        value = value.args[0]
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.FloorDiv | ast.Div)):
        return None
    size = value.left
    if is_int(size) and not trivial(size) and not is_number(value.right):
        assert isinstance(size, ast.Constant)
        return size
    return None


def _restated_default(short: str, name: str, node: ast.expr) -> bool:
    """``OneCycleLR(div_factor=25.0)``, ``AdamW(betas=(0.9, 0.999))``: the library's own
    default written out (``T.RESTATED_DEFAULTS``), which nobody chose."""
    defaults = T.RESTATED_DEFAULTS.get("Adam" if short.startswith("Adam") else short)
    if defaults is None or name not in defaults:
        return False
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    if isinstance(value, list | tuple):
        value = tuple(value)
    return not isinstance(value, bool) and value == defaults[name]


#: calls that take some of the rows (their capped size is how many rows to look at)
_SAMPLING_CALLS = frozenset({"sample", "head", "tail", "choice", "nlargest", "nsmallest"})


class CallArguments(CallSettings):
    """Judges a call's arguments: keywords, quantiles, outlier bounds, model folders."""

    #: per call being analysed: whether it takes tuned numbers by keyword
    tuned_call: list[bool]
    #: keyword -> the distinct literals the module's calls hand it (found when first needed)
    _keywords: dict[str, set[str]] | None = None

    def _local_model_folder(self, arg: ast.expr, callee: str, group: str, anchor: str) -> None:
        """``from_pretrained("../data/vit")``: a folder on disk written as a relative path
        (``./``, ``../``) is where the project keeps its model, not a hub id (``org/name``)."""
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            return
        text = arg.value.replace("\\", "/")
        if text.startswith(("./", "../")) and P.normalise(text).strip("/"):
            self._path(arg, arg.value, f"`{callee}()`", group, anchor, direction="input")

    def _evaluation(self, node: ast.Call, short: str, spec: L.CallSpec | None) -> bool:
        """An inference or evaluation call or loader (its batch size changes no result)."""
        if short in T.EVAL_CALLS:
            return True
        # a listed loader, or the project's own (``DataGenerator(ids_val, y_val, batch_size=16)``)
        own_loader = spec is None and _OWN_LOADER.search(short) is not None
        if not own_loader and (spec is None or spec.kind != "loader"):
            return False
        words: set[str] = set()
        for arg in [*node.args[:1], *(kw.value for kw in node.keywords if kw.arg == "dataset")]:
            words |= name_words(arg)
        target = assigned_name(self.parents.get(id(node)))
        if target:
            words |= split_words(target)
        if self.scope:
            words |= split_words(self.scope[-1])
        if not words & ({"train", "training", "fit"} | T.EVAL_WORDS):
            # only then the script's own name: ``test_mlp.py`` scores a trained model
            words = split_words(self.module.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        if words & {"train", "training", "fit"}:
            return False
        return bool(words & T.EVAL_WORDS)

    def _keyword(
        self,
        name: str,
        value: ast.expr,
        spec: L.CallSpec | None,
        site: tuple[str, str, str, str],
    ) -> None:
        callee, group, anchor, short = site
        where = f"`{callee}()`"
        triple = (where, group, anchor)
        # ``n_neighbors=min(30, len(embs))``: the count is the literal; ``len`` only caps it
        # (not a sample's size: ``X.sample(n=min(1000, len(X)))`` takes rows to look at)
        if short not in _SAMPLING_CALLS:
            value = capped(value) or value
        if spec is not None and name in T.QUIET_KEYWORDS_BY_KIND.get(spec.kind, ()):
            return  # ``ReduceLROnPlateau(threshold=1e-4)``: a tolerance, not a decision
        if name in T.QUIET_KEYWORDS_BY_CALL.get(short, ()):
            return  # ``BatchNorm2d(momentum=0.01)``, ``np.set_printoptions(threshold=...)``
        if _restated_default(short, name, value):
            return  # ``AdamW(..., betas=(0.9, 0.999))``: the library's own, restated
        if name in _STEP_COUNTS:
            size = _counted_size(value)
            if size is not None:
                # ``steps_per_epoch=150 // batch_size``: the data set's size written into the
                # training call; it goes stale as soon as the data changes
                shown = f"`{callee}()` (the data-set size `{name}` is counted from)"
                self._value(
                    "hp",
                    _STEP_COUNTS[name],
                    size,
                    (shown, group, anchor),
                    key=_STEP_COUNTS[name],
                    owner=short,
                )
                return
        if name in T.SEED_NAMES:
            if is_int(value):
                self._value("seed", name, value, triple, call=True, owner=short)
            return
        if P.is_path_keyword(name):
            # a path inside the tracking run is no location; where it is downloaded to is
            local = name in ("dst_path", "local_dir", "local_path")
            if short not in W.RUN_RELATIVE_CALLS or local:
                self._maybe_path(value, where, group, anchor, bare=True, callee=callee)
                if (
                    P.output_folder_keyword(name)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and id(value) not in self.handled
                    and P.named_folder(value.value)
                ):
                    # ``TrainingArguments(output_dir="mit-b0-run")``: the keyword says folder
                    self._path(value, value.value, where, group, anchor, direction="output")
            return
        if name in T.THRESHOLD_NAMES or name.endswith(("_threshold", "_cutoff")):
            # ``stattest_threshold=0.05``, ``iou_threshold=0.45``: a keyword named for a
            # cut-off decides (drift alert, kept boxes) whatever the call
            if is_number(value) and not trivial(value):
                self._value("threshold", name, value, triple, call=True, owner=short)
            return
        if threshold_list_name(name):
            if cut_offs(value):
                self._value("threshold", name, value, triple, call=True, owner=short)
            return
        if spec is not None and spec.kind == "tuning":
            if name in L.TUNING_BUDGETS and is_number(value) and not trivial(value):
                self._value("hp", name, value, triple, call=True, owner=short)
            return
        chooses = spec is not None and spec.kind in ("model", "trainer")
        if (
            (chooses or self.tuned_call[-1])
            and name in L.STRING_HYPERPARAMETERS
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and value.value.replace("_", "").isalnum()
        ):
            self._value("hp", name, value, triple, call=True, owner=short)
            return
        known = (
            name in self.know.generic
            or snake(name) in self.know.generic
            or lookback(name)
            or (spec is not None and name not in T.NOT_HYPERPARAMETERS)
            # ``early_stopping_patience=``, ``head_dropout=``: a variant of a name whose last
            # word alone says what it is (not ``n_warmup_steps=`` of a pruner)
            or name.lower().rsplit("_", 1)[-1] in L.HEAD_WORDS
        )
        if name in L.TUNING_BUDGETS and split_words(callee) & L.TUNING_WORDS:
            if is_number(value) and not trivial(value):  # ``LGBMRegOptuna(n_trials=200)``
                self._value("hp", name, value, triple, call=True, owner=short)
            return
        if spec is None and name in T.AMBIGUOUS:
            if _LOSS.search(short) and is_number(value) and not trivial(value):
                # ``FocalLoss(alpha=0.25, gamma=2)``: a loss's settings shape the objective
                self._value("hp", name, value, triple, call=True, owner=short)
                return
            known = False
        own_method = callee.startswith("self.") and callee.count(".") == 1
        if (
            not known
            and spec is None
            and (
                callee in self.own
                or own_method
                or callee in self.foreign
                or callee in self.own_classes
            )
        ):
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and not callee.startswith("self.")
            ):
                # ``split_dataset(path_locations="/data/comp/train.csv")``: a path handed to
                # the project's own function by keyword is the location it would be by
                # position, whatever the keyword is called
                self._maybe_path(value, where, group, anchor, callee=callee)
                return
            # ``fit(df, depth=6)`` with ``def fit(df, depth): XGBRegressor(max_depth=depth)``:
            # the keyword means what the function hands it to
            fed = self._own_meaning(callee, name)
            # ``train(steps=int(1e4))``: a count spelled as a cast float is that count
            number = (is_number(value) and not trivial(value)) or cast_number(value)
            if fed is not None and fed[0] == "space":
                return  # the candidates a tuning function tries (``_tried_space``)
            if fed is not None and number and (fed[0] != "seed" or is_int(value)):
                self._value(fed[0], fed[1], value, triple, call=True, key=name, owner=short)
            elif fed is None and number and self._configured(name):
                # ``load_tiles(path, K=16)`` while the configuration has ``dataset.K: 16``:
                # the setting the configuration holds, fixed here for this call
                self._value("hp", name, value, triple, call=True, key=name, owner=short)
            return
        if not known or name in T.NOT_HYPERPARAMETERS:
            return
        if self.classify(name) is None and spec is None:
            return
        number = (
            (is_number(value) and not neutral(name, value))
            or numeric_choice(value)
            or cast_number(value)
        )
        if number or (name in T.TUPLE_VALUED and is_number_seq(value)):
            self._value("hp", name, value, triple, call=True, owner=short)

    def _keyword_values(self) -> dict[str, set[str]]:
        """keyword -> the distinct literals the module's calls hand it (walked once)."""
        if self._keywords is None:
            self._keywords = {}
            for call in ast.walk(self.module.tree):
                if isinstance(call, ast.Call):
                    for kw in call.keywords:
                        if kw.arg is not None and isinstance(kw.value, ast.Constant):
                            self._keywords.setdefault(kw.arg, set()).add(repr(kw.value.value))
        return self._keywords

    def _configured(self, name: str) -> bool:
        """Whether a parameter file holds a number under this exact name (not a runtime or
        shape setting): the project tunes it there."""
        if name in T.NOT_HYPERPARAMETERS or name in T.SEED_NAMES:
            return False
        if len(self._keyword_values().get(name, ())) > 1:
            return False  # ``Data(scale=2)``, ``Data(scale=3)``: cases enumerated, one each
        return any(
            leaf.key.rsplit(".", 1)[-1] == name
            and isinstance(leaf.value, int | float)
            and not isinstance(leaf.value, bool)
            for leaf in self.facts.counterparts(name)
        )

    def _quantile(self, node: ast.Call, callee: str, short: str, group: str, anchor: str) -> None:
        if stored_as_feature(node, self.parents.get(id(node))):
            return  # ``p90.append(x.quantile(0.9))``: a statistic of the data, not a cut-off
        receiver_is_array_lib = callee.split(".", 1)[0] in ("np", "numpy", "torch")
        index = 0 if isinstance(node.func, ast.Attribute) and not receiver_is_array_lib else 1
        candidates = node.args[index : index + 1] + [
            kw.value for kw in node.keywords if kw.arg in ("q", "quantile", "percentile")
        ]
        scale = 100.0 if "percentile" in short else 1.0
        for cand in candidates:
            values = cand.elts if isinstance(cand, ast.List | ast.Tuple) else [cand]
            levels = [number_value(v) / scale for v in values if is_number(v)]
            if len(levels) >= 2 and any(0.1 < q < 0.9 for q in levels):
                continue  # ``[0.05, 0.25, 0.5, 0.75, 0.95]``: a profile of the data (features)
            for value in values:
                if not is_number(value):
                    continue
                q = number_value(value) / scale
                if q <= 0.1 or q >= 0.9:
                    site = (f"`{callee}()`", group, anchor)
                    self._value("threshold", f"{short}_cutoff", value, site)

    def _outlier_bounds(self, node: ast.Call, callee: str, group: str, anchor: str) -> None:
        """``remove_outliers(df, {"delay": [-500, 2500]})``, ``clip_outliers(x, 3.5)``: the
        bounds an outlier filter keeps are a data decision someone tunes (each bound is one)."""
        bounds = [*node.args] + [
            kw.value
            for kw in node.keywords
            if kw.arg not in T.NOT_HYPERPARAMETERS and kw.arg not in T.SEED_NAMES
        ]
        for value in bounds:
            for number in numbers_in(value):
                if not trivial(number) and id(number) not in self.handled:
                    site = (f"`{callee}()`", group, f"{anchor}.{self.text(number)}")
                    self._value("threshold", "outlier_cutoff", number, site)

    def _column_cap(self, node: ast.Call, callee: str, short: str, group: str, anchor: str) -> None:
        """``df["amount"].clip(upper=0.8)``, ``df["amount"].apply(lambda x: min(x, 0.8))``:
        the cap or floor a cleaning step puts on a column is a data decision someone tunes
        (each bound is one). Only on a column of a frame, never an array or a tensor."""
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if not (
            isinstance(receiver, ast.Subscript)
            and isinstance(receiver.slice, ast.Constant)
            and isinstance(receiver.slice.value, str)
        ):
            return
        bounds: list[ast.expr] = []
        if short in ("clip", "clip_upper", "clip_lower"):
            bounds = [*node.args[:2]] + [
                kw.value for kw in node.keywords if kw.arg in ("lower", "upper")
            ]
        elif short in ("apply", "map") and node.args and isinstance(node.args[0], ast.Lambda):
            fn = node.args[0]
            body = fn.body
            params = [a.arg for a in fn.args.args]
            if (
                len(params) == 1
                and isinstance(body, ast.Call)
                and isinstance(body.func, ast.Name)
                and body.func.id in ("min", "max")
                and len(body.args) == 2
                and any(isinstance(a, ast.Name) and a.id == params[0] for a in body.args)
            ):
                bounds = [a for a in body.args if not isinstance(a, ast.Name)]
        for value in bounds:
            if (
                is_number(value)
                and not trivial(value)
                and abs(number_value(value)) >= 1e-6
                and id(value) not in self.handled
            ):
                site = (f"`{callee}()`", group, f"{anchor}.{self.text(value)}")
                self._value("threshold", "cap", value, site)
