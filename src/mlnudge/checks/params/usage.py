"""Settings named by how the code uses them (MLN201/202/203): defaults every call relies on,
CLI defaults the pipeline never passes, dict entries read into hyperparameter keywords.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`; what the project's calls and
commands say comes in as data (:mod:`mlnudge.checks.params.defaults`,
:mod:`mlnudge.checks.params.runs`), so the analysis of one module stays a pure function.
"""

from __future__ import annotations

import ast

from mlnudge.checks.params import libraries as L
from mlnudge.checks.params import paths as P
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.arguments import CallArguments
from mlnudge.checks.params.defaults import Slice, relied_on, static_kind
from mlnudge.checks.params.forwarded import SETTING_KINDS, fed_meanings, keyword_meaning
from mlnudge.checks.params.literals import SPLIT_PARTS, share, split_share
from mlnudge.checks.params.syntax import is_int, is_number, neutral, trivial
from mlnudge.project import split_words

#: words of a script or function that only scores a model (with ``EVAL_WORDS``)
_SCORING = frozenset({"predict", "prediction", "predictions", "infer", "inference", "serve"})
_TRAINING = frozenset({"train", "training", "fit", "finetune", "tune"})
#: the boosting LightGBM and XGBoost use when none is named: a dict restating it chose nothing
_DEFAULT_BOOSTING = frozenset({"gbdt", "gbtree"})


def self_attribute(node: ast.expr) -> bool:
    """``self.name``: an attribute of the instance a method works on."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


class UsageSettings(CallArguments):
    """Literals that are settings because of how the project uses them."""

    #: how the project calls this module's top-level functions and classes
    defaults: Slice
    #: a script the pipeline runs: the flags its commands pass or the project mentions
    cli: tuple[str, ...] | None
    #: classes of this module a Hydra config instantiates -> (config file, key prefix)
    hydra: dict[str, tuple[str, str]]
    #: top-level classes in scikit-learn's style
    estimators: set[str]
    #: numeric entries of named dicts under no known name; entries read into keywords
    entries: dict[tuple[str, str], tuple[ast.expr, tuple[str, str, str], str]]
    fed: dict[tuple[str, str], tuple[str, str]]
    #: numbers under names no table knows, per (function, name); names handed to a
    #: setting's keyword, per (function, name) -> what they are (found when first needed)
    loose: dict[tuple[str, str], list[tuple[ast.expr, tuple[str, str, str]]]]
    fed_names: dict[tuple[str, str], tuple[str, str]]

    def _method_defaults(self, node: ast.FunctionDef | ast.AsyncFunctionDef, cls: str) -> None:
        """A top-level class's ``__init__`` (its calls are the class's), and its static and
        class methods: ``Trainer.train_svm(df)`` calls a function under the class's name."""
        if node.name == "__init__":
            self._relied_defaults(node, cls, method=True)
        elif (kind := static_kind(node)) is not None:
            self._relied_defaults(node, f"{cls}.{node.name}", method=kind == "classmethod")
        elif not node.name.startswith("_") and "_" in node.name and cls not in self.estimators:
            # ``processor.prepare_training_data(symbol)``: a method one class of the module
            # defines under a name libraries do not share (see ``defaults.bound_methods``)
            self._relied_defaults(node, node.name, method=True)

    def _relied_defaults(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, name: str, *, method: bool
    ) -> None:
        """Defaults every call of this top-level function (or class) relies on: the value
        each run uses (``split(df)`` for ``def split(df, train=0.8, seed=42)``)."""
        if not self.defaults or name in self.facts.targets:
            # a class a Hydra config instantiates gets its arguments from there, and so do
            # the variants of it other modules define under its name (``2d_datamodule.py``
            # beside ``datamodule.py``): the config's `_target_` picks one, the same keys
            # feed whichever it picks
            return
        if method and name in self.estimators:
            return  # a scikit-learn style estimator's constructor is its hyperparameter API
        args = node.args
        ordered = [*args.posonlyargs, *args.args]
        positional = [a.arg for a in ordered][1 if method else 0 :]
        free = relied_on(self.defaults, name, positional, [a.arg for a in args.kwonlyargs])
        if not free:
            return
        pairs: list[tuple[str, ast.expr]] = [
            (a.arg, d)
            for a, d in zip(
                ordered[len(ordered) - len(args.defaults) :], args.defaults, strict=True
            )
        ]
        pairs += [
            (a.arg, d)
            for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
            if d is not None
        ]
        # ``def tune(x, trials=100): study.optimize(f, n_trials=trials)``: a parameter handed
        # on untouched to a library call means what that call's keyword means
        fed = (
            fed_meanings(node, self.know)
            if any(p in free and self.classify(p) is None and is_number(v) for p, v in pairs)
            else {}
        )
        for param, value in pairs:
            if param in free:
                self._relied_default(name, param, value, fed.get(param))

    def _relied_default(
        self, function: str, param: str, value: ast.expr, fed: tuple[str, str] | None = None
    ) -> None:
        classified = self.classify(param)
        if classified is not None and classified[0] == "threshold":
            return  # a default cut-off of a helper is as often a domain constant
        text = P.path_literal(value)
        if text is not None and "/" not in text.replace("\\", "/") and "." in text:
            return  # a file name alone: the caller's folder holds it
        group = f"{self.module.path}:{value.lineno}:{function}"
        where = f"the default of `{function}()`, which no call overrides"
        anchor = f"{self.where}:{function}"
        self._fixed_default(
            param, value, where, group=group, anchor=anchor, owner=function, fed=fed
        )

    def _scores_only(self, owner: str) -> bool:
        """Whether the module (or the function owning the default) evaluates or predicts and
        says nothing of training: ``predict.py``, ``def evaluate(...)``."""
        stem = self.module.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        words = split_words(stem) | split_words(owner)
        return bool(words & (T.EVAL_WORDS | _SCORING)) and not words & _TRAINING

    def _fixed_default(
        self,
        param: str,
        value: ast.expr,
        where: str,
        *,
        group: str,
        anchor: str,
        owner: str,
        fed: tuple[str, str] | None = None,
    ) -> None:
        """A default that every run uses, reported as the setting it is: a hyperparameter or
        seed by its name (or by the library keyword it is handed to, ``fed``), the share of a
        split, or a data location."""
        site = (where, group, anchor)
        classified = self.classify(param) or fed
        if classified is not None and "batch" in param.lower() and self._scores_only(owner):
            return  # the batch size of an evaluation or inference script changes no result
        if classified is not None:
            kind, canonical = classified
            if kind == "seed" and is_int(value):
                self._value("seed", canonical, value, site, key=param, owner=owner)
            elif kind != "seed" and is_number(value) and not neutral(param, value):
                self._value(kind, canonical, value, site, key=param, owner=owner)
            return
        if (
            isinstance(value, ast.List | ast.Tuple)
            and len(value.elts) > 1
            and all(share(e) is not None for e in value.elts)
            and split_words(param) & SPLIT_PARTS
        ):
            # ``split_sizes=[0.8, 0.5]``: each part's share
            for part in value.elts:
                self._value("hp", "split_fraction", part, site, key=param, owner=owner)
            return
        fraction = split_share(param, value)
        if fraction is None and param.lower() in SPLIT_PARTS - {"split"}:
            fraction = share(value)  # ``def split(df, train=0.8)``: the train part's share
        if fraction is not None:
            self._value("hp", "split_fraction", fraction, site, key=param, owner=owner)
            return
        text = P.path_literal(value)
        if (
            text is not None
            and not P.names_a_pattern(param)
            and self._is_location(value, text, named=P.is_path_name(param))
        ):
            self._path(value, text, f"`{param}`, {where}", group, anchor)

    def _loose(self, target: ast.expr, value: ast.expr, site: tuple[str, str, str]) -> None:
        """A number under a name no table knows (``trees = 300``): kept until the end, when a
        call that hands the name to a setting's keyword says what it is (``_fed_names``)."""
        if isinstance(target, ast.Name) and is_number(value):
            self.loose.setdefault((self.where, target.id), []).append((value, site))
        elif self_attribute(target) and is_number(value):
            # ``self.step = 0.003`` read as ``Adam(lr=self.step)`` in another method
            assert isinstance(target, ast.Attribute)
            self.loose.setdefault(("<attr>", target.attr), []).append((value, site))

    def _fed_names(self, node: ast.Call, callee: str) -> None:
        """``RandomForestClassifier(n_estimators=trees)``: the name handed to a setting's
        keyword is that setting (read at the end, against the numbers ``_loose`` kept)."""
        params = (
            {a.arg for a in [*self.functions[-1].args.args, *self.functions[-1].args.kwonlyargs]}
            if self.functions
            else set()
        )
        for kw in node.keywords:
            value = kw.value
            if kw.arg is not None and isinstance(value, ast.Attribute):
                # ``n_estimators=args.trees``: the flag ``--trees`` is that setting
                meaning = keyword_meaning(kw.arg, callee, self.know)
                if meaning is not None and isinstance(value.value, ast.Name):
                    self._fed_flags().setdefault(value.attr, meaning)
                if meaning is not None and self_attribute(value):
                    # ``lr=self.step``: the attribute the class bound to a literal
                    self.fed_names.setdefault(("<attr>", value.attr), meaning)
                continue
            if kw.arg is None or not isinstance(value, ast.Name) or value.id in params:
                continue
            meaning = keyword_meaning(kw.arg, callee, self.know) or self._project_meaning(
                callee, kw.arg
            )
            if meaning is not None:
                self.fed_names.setdefault((self.where, value.id), meaning)
        # ``KFold(folds)``, ``build(x, width)`` with ``def build(x, units): Dense(units)``: a
        # name in a listed setting's place, or in a project function's parameter that is one
        short = callee.rsplit(".", 1)[-1]
        spec = self.know.spec(callee, short)
        listed = dict(spec.positional) if spec is not None and spec.kind in SETTING_KINDS else {}
        names = (
            self.own.get(callee)
            or (self.foreign[callee][0] if callee in self.foreign else [])
            or self.own_classes.get(callee, [])
        )
        for index, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                break
            if not isinstance(arg, ast.Name) or arg.id in params:
                continue
            meaning = None
            if index in listed:
                meaning = ("hp", listed[index])
            elif index < len(names) and spec is None:
                meaning = self._project_meaning(callee, names[index])
            if meaning is not None:
                self.fed_names.setdefault((self.where, arg.id), meaning)

    def _project_meaning(self, callee: str, param: str) -> tuple[str, str] | None:
        """What the parameter ``param`` of a project function (this module's or an imported
        one) is: a well-known hyperparameter or seed name, or what it is handed to."""
        if callee not in self.own and callee not in self.foreign and callee not in self.own_classes:
            return None
        if param in T.NOT_HYPERPARAMETERS:
            return None
        classified = self.classify(param)
        if classified is not None:
            return None if classified[0] == "threshold" else classified
        meaning = self._own_meaning(callee, param)
        return None if meaning is not None and meaning[0] == "space" else meaning

    #: CLI defaults of unknown names kept for the end, and what the flags are handed to
    _flags: tuple[list[tuple[str, ast.expr, str, str, str, str]], dict[str, tuple[str, str]]]
    _flags_made = False

    def _fed_flags(self) -> dict[str, tuple[str, str]]:
        if not self._flags_made:  # one pair per walk (found when first needed)
            self._flags, self._flags_made = ([], {}), True
        return self._flags[1]

    def _flush_fed_flags(self) -> None:
        """*A CLI flag handed to a setting's keyword is that setting*: ``--trees`` with
        ``default=300`` and ``RandomForestClassifier(n_estimators=args.trees)`` in a script
        the pipeline runs without passing ``--trees`` runs with 300 trees."""
        fed = self._fed_flags()
        for param, value, where, group, anchor, owner in self._flags[0] if fed else []:
            if param in fed:
                self._fixed_default(
                    param, value, where, group=group, anchor=anchor, owner=owner, fed=fed[param]
                )

    def _flush_fed_names(self) -> None:
        """*A name bound once to a literal and handed to a setting's keyword is that
        setting*: ``trees = 300`` then ``RandomForestClassifier(n_estimators=trees)`` reports
        300 as ``n_estimators``. The name is looked up in the calling function, then among
        the module's constants; a name bound to several literals there stays silent. An
        attribute (``lr=self.step``) is looked up among the literals bound to ``self.step``
        and to class attributes of that name, anywhere in the module."""
        for (where, name), (kind, canonical) in self.fed_names.items():
            bound = self.loose.get((where, name))
            if not bound and where != "<attr>":  # (an attribute is never a module constant)
                bound = self.loose.get(("<module>", name))
            if bound is None or len(bound) != 1:
                continue
            value, site = bound[0]
            if (kind == "seed" and is_int(value)) or (kind != "seed" and not trivial(value)):
                self._value(kind, canonical, value, site, key=name)

    def _dict_choices(
        self, pairs: list[tuple[str, ast.expr]], site: tuple[str, str, str], owner: str
    ) -> None:
        """``{"objective": "binary", "boosting": "goss", ...}``: a tuned string choice is
        the same in a booster's parameter dict as in a model's call (``boosting_type=``)."""
        if not T.booster_params([k for k, _ in pairs]):
            return
        for key, value in pairs:
            choice = key in L.STRING_HYPERPARAMETERS or key == "boosting"
            if (
                choice
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and value.value.replace("_", "").isalnum()
                and value.value.lower() not in _DEFAULT_BOOSTING
            ):
                self._value("hp", key, value, site, key=key, owner=owner)

    def _fed_keywords(self, node: ast.Call, callee: str) -> None:
        """``fit(epochs=params["epoch"])``: the entry ``epoch`` of ``params`` is the epochs
        (not for an evaluation call, whose batch size changes no result); a dict handed whole
        to a listed model, optimiser or trainer (``GlobalBestPSO(options=options)``): each
        numeric entry is one of its settings."""
        named = any(
            isinstance(kw.value, ast.Name | ast.Attribute) for kw in node.keywords if kw.arg
        ) or any(isinstance(arg, ast.Name) for arg in node.args)
        if named and not self._evaluation(node, callee.rsplit(".", 1)[-1], None):
            self._fed_names(node, callee)
        reads = [
            (kw.arg, kw.value)
            for kw in node.keywords
            if kw.arg is not None
            and isinstance(kw.value, ast.Subscript)
            and isinstance(kw.value.value, ast.Name)
            and isinstance(kw.value.slice, ast.Constant)
            and isinstance(kw.value.slice.value, str)
        ]
        handed = [
            v.id
            for v in [*node.args, *(kw.value for kw in node.keywords if kw.arg is not None)]
            if isinstance(v, ast.Name)
        ]
        if not reads and not handed:
            return
        short = callee.rsplit(".", 1)[-1]
        spec = self.know.spec(callee, short)
        if self._evaluation(node, short, spec):
            return
        if spec is not None and spec.kind in ("model", "optimizer", "trainer"):
            for var in handed:  # ``GlobalBestPSO(..., options=options)``: the model's settings
                self.fed.setdefault((var, "*"), ("hp", "*"))
        for name, read in reads:
            assert isinstance(read, ast.Subscript) and isinstance(read.value, ast.Name)
            assert isinstance(read.slice, ast.Constant)
            if spec is not None and name in T.QUIET_KEYWORDS_BY_KIND.get(spec.kind, ()):
                continue
            classified = self.classify(name)
            if classified is not None and classified[0] != "threshold":
                self.fed.setdefault((read.value.id, str(read.slice.value)), classified)

    def _flush_fed_entries(self) -> None:
        """A dict entry the code hands to a hyperparameter keyword is that hyperparameter,
        whatever its key: ``params = {"epoch": 30}`` with ``fit(epochs=params["epoch"])``."""
        self._flush_fed_names()
        self._flush_fed_flags()
        whole = {var for var, key in self.fed if key == "*"}
        for var, key in self.entries:
            # a dict handed whole to a model, optimiser or trainer call holds its settings
            if var in whole and (var, key) not in self.fed and key not in T.NOT_HYPERPARAMETERS:
                self.fed[(var, key)] = ("hp", key)
        for (var, key), (kind, canonical) in self.fed.items():
            entry = self.entries.get((var, key))
            if entry is None:
                continue
            value, site, owner = entry
            if (kind == "seed" and is_int(value)) or (kind != "seed" and not trivial(value)):
                self._value(kind, canonical, value, site, key=key, owner=owner)
        self._drop_space_bounds()

    def _unpassed_default(self, node: ast.Call, callee: str, defaults: list[ast.expr]) -> None:
        """``add_argument("--test-size", default=0.05)`` in a script the pipeline runs, and
        no command passes ``--test-size`` nor does any other file mention it: every pipeline
        run uses 0.05, fixed in code (see :mod:`mlnudge.checks.params.runs`)."""
        if self.cli is None or len(defaults) != 1:
            return
        flags = [
            a.value
            for a in node.args
            if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("-")
        ]
        names = [f.lstrip("-").replace("_", "-") for f in flags if f.startswith("--")]
        if (
            not names
            or any(f in self.cli for f in names)
            or any(f in self.cli for f in flags if not f.startswith("--"))
        ):
            return
        flag = max(flags, key=len)
        param = max(names, key=len).replace("-", "_")
        where = f"the `{flag}` default, which the pipeline's commands never pass"
        group = f"{self.module.path}:{node.lineno}:{callee}"
        anchor = f"{self.where}:{callee}"
        self._fixed_default(param, defaults[0], where, group=group, anchor=anchor, owner=callee)
        if self.classify(param) is None and is_number(defaults[0]):
            self._fed_flags()  # named by what the script hands the flag to, read at the end
            self._flags[0].append((param, defaults[0], where, group, anchor, callee))
