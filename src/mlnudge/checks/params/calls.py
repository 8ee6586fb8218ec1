"""Settings that reach a call from elsewhere, search spaces and thresholds: the part of the
params walk that groups literals into one decision or names them through another place.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: a factory's returned literals
named by the callers that unpack them, the module's own functions' positional settings, a
config read's dict fallback, a CLI default an MLflow entry point contradicts, Optuna
objectives and grids (MLN209) with the seeds fixed inside them, threshold tables and
comparisons (MLN204, one finding per line). It reads the walk's state and reports through
the walk's ``_value``/``_emit``.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import search as S
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.forwarded import (
    class_forwards,
    fed_meanings,
    keyword_meaning,
    meanings,
)
from mlnudge.checks.params.literals import chance, lr_schedule, size_gate, verdict_unused
from mlnudge.checks.params.locations import LocationFinder
from mlnudge.checks.params.rules import CONTRADICTION, SEARCH_SPACE, THRESHOLD
from mlnudge.checks.params.syntax import (
    Knowledge,
    expr_tokens,
    is_difference,
    is_float,
    is_int,
    is_number,
    number_value,
    shorten,
    slug,
    snake,
    source_text,
    split_words,
    threshold_name,
    trivial,
)
from mlnudge.finding import Detail, Finding

callee_name = P.callee_name

_GATE_VAR = re.compile(
    r"(^|_)(gates?|thresholds?|thresh|cutoffs?|criteria|acceptance|"
    r"min_metrics|minimums?|promotion|sla|quality_bar)(_|$)",
    re.I,
)

#: a variable named for cut-offs (not for gates or minimums, which hold scores)
_CUT_VAR = re.compile(r"(^|_)(thresholds?|thresh|cutoffs?)(_|$)", re.I)

_METRIC_KEYS = frozenset(
    {
        "auc",
        "roc_auc",
        "pr_auc",
        "f1",
        "f1_score",
        "accuracy",
        "acc",
        "precision",
        "recall",
        "rmse",
        "mae",
        "mse",
        "r2",
        "mape",
        "logloss",
        "log_loss",
        "ap",
        "map",
        "ndcg",
        "gini",
        "ks",
        "brier",
    }
)

#: receivers of ``.get`` that hold the run's configuration (``cfg``, ``self.params``)
#: below this, a number compared with a score is a numerical guard (``std > 1e-10``)
_NUMERICAL_GUARD = 1e-6
_CONFIG_RECEIVER = re.compile(r"(config|cfg|conf|param|setting|hparam|^hp$|^hps$)", re.I)


#: words of a function or class that transforms one training sample
_SAMPLE_WORDS = frozenset({"getitem", "aug", "augs", "transform", "transforms", "mixup", "cutmix"})

#: the last word of a callee whose call runs a model on inputs (``model(x)``, ``self.net(x)``,
#: ``gender_age_model(batch)``), and the methods that do (``clf.predict(X)``)
_MODEL_WORDS = frozenset({"model", "net", "classifier", "predictor"})
_INFERENCE_METHODS = frozenset({"predict", "predict_proba", "forward", "decision_function"})


def model_output(origin: ast.expr) -> bool:
    """Whether ``origin`` is a model's output: a call of a model or of its inference method
    (a float compared with it is a decision threshold, as with ``proba``)."""
    if not isinstance(origin, ast.Call):
        return False
    short = P.callee_name(origin.func).rsplit(".", 1)[-1]
    words = short.lower().split("_")
    return short in _INFERENCE_METHODS or (bool(words) and words[-1] in _MODEL_WORDS)


class CallSettings(LocationFinder):
    """Literals named or grouped by something outside the call they sit in."""

    know: Knowledge
    scope: list[str]
    #: the names a caller gives the values the current top-level function returns
    returned: list[tuple[str, ...]]
    #: the module's own top-level functions -> their positional parameter names
    own: dict[str, list[str]]
    #: imported project functions, by callee text -> (positional names, parameter meanings)
    foreign: dict[str, tuple[list[str], dict[str, tuple[str, str]]]]
    #: the module's own top-level classes with an ``__init__`` -> its positional names
    own_classes: dict[str, list[str]]
    #: dicts that are the fallback of a config read for a missing section -> where
    fallbacks: dict[int, str]
    #: per own top-level function, what its parameters feed (found when first needed)
    _own_fed: dict[str, dict[str, tuple[str, str]]] | None = None
    #: names read inside the search spaces reported so far -> how often
    _space_names: dict[str, int] | None = None
    #: whether any ``*.suggest_*`` call exists
    suggests: bool
    #: threshold comparisons per line
    compares: dict[int, list[tuple[ast.Compare, list[ast.expr], set[str]]]]
    #: per scope: variable -> the expression last assigned to it
    derived: list[dict[str, ast.expr]]
    #: comparisons of an ``if`` whose branches write a prediction -> the words written
    deciding: dict[int, set[str]]

    #: the findings of the walk so far
    found: list[Finding]

    if TYPE_CHECKING:  # the walk's (``Walker`` comes after this mixin in the MRO)

        def generic_visit(self, node: ast.AST) -> None: ...

    def classify(self, name: str) -> tuple[str, str] | None:
        raise NotImplementedError

    def text(self, node: ast.expr) -> str:
        raise NotImplementedError

    def _value(
        self,
        kind: str,
        name: str,
        node: ast.expr,
        site: tuple[str, str, str],
        *,
        call: bool = False,
        key: str | None = None,
        owner: str | None = None,
    ) -> None:
        raise NotImplementedError

    def visit_Return(self, node: ast.Return) -> None:
        """``return model, 10, 32, 0.5`` of a factory its callers unpack as
        ``model, epochs, batch_size, threshold = m1()``: each literal under its caller's name."""
        value = node.value
        if self.returned and isinstance(value, ast.Tuple):
            names = next((n for n in self.returned if len(n) == len(value.elts)), None)
            function = self.scope[-1] if self.scope else "function"
            for element, name in zip(value.elts, names or (), strict=False):
                classified = self.classify(name)
                if classified is None or not is_number(element):
                    continue
                kind, canonical = classified
                if (kind == "seed" and not is_int(element)) or (
                    kind != "seed" and trivial(element)
                ):
                    continue
                group = f"{self.module.path}:{node.lineno}:{function}"
                site = (f"what `{function}()` returns", group, f"{self.where}:return")
                self._value(kind, canonical, element, site, key=name, owner=function)
        self.generic_visit(node)

    def _lr_schedule(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """``def schedule(epoch, lr): if epoch < 40: ... lr / 3``: each milestone and decay
        factor of a hand-written learning-rate schedule is a setting."""
        found = lr_schedule(node)
        if found is None:
            return
        milestones, factors = found
        for literal, key in [
            *((m, "lr_milestones") for m in milestones),
            *((f, "lr_decay_factor") for f in factors),
        ]:
            group = f"{self.module.path}:{literal.lineno}:schedule"
            site = (f"the learning-rate schedule `{node.name}()`", group, f"{self.where}:lr")
            self._value("hp", key, literal, site, key=key, owner=node.name)

    def _entry_point_default(self, node: ast.Call, callee: str, defaults: list[ast.expr]) -> None:
        """``add_argument("--epochs", default=10)`` in a script an MLflow entry point runs with
        ``--epochs {epochs}`` and ``default: 50``: the two runs of the same setting disagree,
        and which one ran depends on how the script was started (MLN205)."""
        if len(defaults) != 1 or not self.facts.entry_params:
            return
        value = defaults[0]
        if not (is_number(value) or isinstance(value, ast.Constant)):
            return
        flags = [
            a.value
            for a in node.args
            if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("--")
        ]
        for flag in flags:
            entry = self.facts.entry_default(self.module.path, flag[2:].replace("-", "_"))
            if entry is None:
                continue
            file, key, configured = entry
            written = value.value if isinstance(value, ast.Constant) else number_value(value)
            if isinstance(written, bool) or str(written) == str(configured):
                return
            numbers = isinstance(configured, int | float) and isinstance(written, int | float)
            if numbers and float(configured) == float(written):  # type: ignore[arg-type]
                return
            details: dict[str, Detail] = {
                "group": f"{self.module.path}:{node.lineno}:{callee}",
                "value": self.text(value),
                "name": flag,
                "key": key,
                "config_file": file,
                "config_value": str(configured),
            }
            message = (
                f"The `{flag}` default is {self.text(value)} here, but {file} runs this script "
                f"with `{key}: {configured}`: a run started by hand and an MLflow run use "
                f"different values. Keep one default, in {file}."
            )
            self._emit(CONTRADICTION, value, message, f"entry:{self.where}:{flag}", details)
            return

    def _own_meaning(self, callee: str, name: str) -> tuple[str, str] | None:
        """What the parameter ``name`` of this module's own top-level function ``callee``
        means by the library keyword it is handed to (:mod:`~.forwarded`), walked once; of
        an imported project function, what its module's forward facts say."""
        if callee in self.foreign and callee not in self.own:
            return self.foreign[callee][1].get(name)
        if self._own_fed is None:
            self._own_fed = {}
        body: list[ast.stmt] = self.module.tree.body
        if callee.startswith("self.") and self.scope:
            # ``self.fit_booster(depth=6)``: a method of the class being walked
            body = next(
                (c.body for c in body if isinstance(c, ast.ClassDef) and c.name == self.scope[0]),
                [],
            )
            callee, key = callee[len("self.") :], f"{self.scope[0]}.{callee[len('self.') :]}"
        else:
            key = callee
        if key not in self._own_fed and callee in self.own_classes and callee not in self.own:
            # ``Booster(depth=6)`` with ``self.depth = depth`` read as ``max_depth=self.depth``
            found = next(
                (
                    class_forwards(stmt)
                    for stmt in body
                    if isinstance(stmt, ast.ClassDef) and stmt.name == callee
                ),
                None,
            )
            self._own_fed[key] = meanings(found[1], self.know) if found is not None else {}
        if key not in self._own_fed:
            self._own_fed[key] = next(
                (
                    fed_meanings(stmt, self.know)
                    for stmt in body
                    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
                    and stmt.name == callee
                ),
                {},
            )
        return self._own_fed[key].get(name)

    def _own_positional(self, node: ast.Call, callee: str, group: str, anchor: str) -> None:
        """``train(model, 10, 3e-4)`` with ``def train(model, epochs, lr)`` in this module: a
        positional literal is the parameter it lands in, as ``train(epochs=10)`` would be
        (well-known names, or what the parameter is handed to: ``def fit(x, depth):
        XGBRegressor(max_depth=depth)``, as for keywords of the project's own calls)."""
        names = (
            self.own[callee]
            if callee in self.own
            else self.foreign[callee][0]
            if callee in self.foreign
            else self.own_classes[callee]
        )
        for arg, name in zip(node.args, names, strict=False):
            if isinstance(arg, ast.Starred):
                return
            well_known = snake(name) in self.know.generic or name in T.SEED_NAMES
            if name in T.NOT_HYPERPARAMETERS or not is_number(arg):
                continue
            classified = self.classify(name) if well_known else self._own_meaning(callee, name)
            if classified is None or classified[0] == "space":
                continue
            kind, canonical = classified
            if (kind == "seed" and not is_int(arg)) or (kind != "seed" and trivial(arg)):
                continue
            site = (f"`{callee}()`", group, anchor)
            self._value(kind, canonical, arg, site, call=True, key=name, owner=callee)

    def _tried_space(self, node: ast.Call, callee: str) -> None:
        """``Experiment(data, ks=[1, 3, 5], sigmas=[0.1])`` of a class whose ``tune_params``
        loops over ``self.ks`` and ``self.sigmas``: the candidates a tuning function of the
        project tries are a search space written in the caller, one MLN209 on them."""
        names = (
            self.own.get(callee)
            or self.own_classes.get(callee)
            or (self.foreign[callee][0] if callee in self.foreign else [])
        )
        handed: list[tuple[str, ast.expr]] = [
            (name, arg) for arg, name in zip(node.args, names, strict=False)
        ]
        handed += [(kw.arg, kw.value) for kw in node.keywords if kw.arg is not None]
        members: list[ast.expr] = []
        tried: list[str] = []
        for name, value in handed:
            if isinstance(value, ast.Starred):
                break
            candidates = (
                isinstance(value, ast.List | ast.Tuple)
                and bool(value.elts)
                and all(is_number(e) for e in value.elts)
            ) or S.is_dimension(value)
            if not candidates or id(value) in self.space:
                continue
            meaning = self._own_meaning(callee, name)
            if meaning is not None and meaning[0] == "space":
                members.append(value)
                tried.append(name)
        if not members:
            return
        for member in members:
            for child in ast.walk(member):
                self.space.add(id(child))
        self._space(members, callee, tried, "the call of")

    def _tried_tables(self) -> None:
        """Each configuration of a table tried one after another (:func:`~.search.
        tried_configurations`) is one candidate of that search space: one MLN209 per call."""
        project = {*self.own, *self.own_classes, *self.foreign}

        def tuned(callee: str, name: str) -> bool:
            if callee not in project or name in T.NOT_HYPERPARAMETERS:
                return False
            meaning = self._own_meaning(callee, name) or self.classify(name)
            return meaning is not None and meaning[0] == "hp"

        for callee, calls in S.tried_configurations(self.module.tree, tuned):
            for number, call in enumerate(calls, 1):
                settings = [kw for kw in call.keywords if kw.arg and tuned(callee, kw.arg)]
                self.space.update(id(kw.value) for kw in settings)
                names = [kw.arg for kw in settings if kw.arg is not None]
                what = f"candidate {number} of {len(calls)} of the configurations tried with"
                self._space([call], callee, names, what, where=f"<tried>:{callee}#{number}")

    def _config_fallback(self, node: ast.Call, callee: str, short: str) -> ast.expr | None:
        """``cfg.get("xgb_params", {"max_depth": 4, ...})`` for a section no parameter file
        has: the fallback is what always runs, so its dict is the model's settings in code.

        A scalar fallback (``cfg.get("lr", 0.01)``) stays silent, and so does a fallback for a
        section the configuration holds (it never runs)."""
        if short != "get" or len(node.args) != 2 or node.keywords:
            return None
        # ``cfg["model"].get(...)``: the receiver is ``cfg`` (a subscript keeps its name)
        receiver = callee[: -len(".get")].replace("[...]", "").rsplit(".", 1)[-1]
        section, fallback = node.args
        if not (
            _CONFIG_RECEIVER.search(receiver)
            and isinstance(section, ast.Constant)
            and isinstance(section.value, str)
        ):
            return None
        is_dict = isinstance(fallback, ast.Dict) or (
            isinstance(fallback, ast.Call)
            and callee_name(fallback.func) == "dict"
            and not fallback.args
        )
        if self.facts.has_part(section.value):
            return None
        if not is_dict:
            if isinstance(fallback, ast.Constant | ast.JoinedStr):
                # ``cfg.get("models_dir", "models/ensemble")`` with no such key anywhere: the
                # fallback is the location every run uses
                where = (
                    f'the fallback of `{callee}("{section.value}")` (no parameter file has '
                    f"`{section.value}`)"
                )
                group = f"{self.module.path}:{node.lineno}:{callee}"
                named = P.is_path_name(section.value)
                self._maybe_path(fallback, where, group, f"{self.where}:{callee}", bare=named)
            return None
        self.parents[id(fallback)] = ast.keyword(arg=section.value, value=fallback)
        self.fallbacks[id(fallback)] = (
            f'the fallback of `{callee}("{section.value}")` (no parameter file has '
            f"`{section.value}`)"
        )
        return fallback

    def _optuna(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """All ``trial.suggest_*`` calls of one function: one search space, one finding."""
        if not self.suggests:
            return
        calls = [
            sub
            for stmt in node.body
            for sub in ast.walk(stmt)
            if S.is_suggest(sub) and id(sub) not in self.space
        ]
        if not calls:
            return
        literal = any(
            is_number(a) or isinstance(a, ast.List | ast.Tuple)
            for call in calls
            for a in [*call.args[1:], *(kw.value for kw in call.keywords)]
        )
        members: list[ast.expr] = list(calls)
        for stmt in node.body:  # a dict of suggestions is part of the space
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Dict) and any(S.is_suggest(v) for v in sub.values):
                    members.append(sub)
        for member in members:
            for child in ast.walk(member):
                self.space.add(id(child))
        if not literal:
            return
        spaces = S.spaces_per_model(node, calls)
        if spaces:
            # ``if model_id == "lightgbm": return {...}`` then ``if model_id == "xgboost": ...``:
            # one space per model the function chooses between, each its own decision
            for label, space in spaces:
                self._space(
                    [space],
                    f"{node.name}.{label}",
                    S.suggested([c for c in ast.walk(space) if S.is_suggest(c)]),
                    "the Optuna objective",
                    objective="optuna",
                )
            return
        self._space(
            members, node.name, S.suggested(calls), "the Optuna objective", objective="optuna"
        )

    def _iterates(self, target: ast.expr, iterable: ast.expr) -> None:
        raise NotImplementedError

    def _drop_space_bounds(self) -> None:
        """*A module constant read only inside a search space is a bound of that space*
        (``MAX_DEPTH = 25`` with ``hp.choice("max_depth", np.arange(1, MAX_DEPTH))``): the
        space's finding covers it, so its own finding goes. A constant read anywhere else too
        is a setting of its own and stays."""
        if not self._space_names:
            return
        kept: list[Finding] = []
        for finding in self.found:
            name, bound, _ = finding.anchor.split(":<module>:", 1)[-1].partition("=")
            # ``NAME = value`` at the top, a hyperparameter (a seed fixed in a space is no bound:
            # it is not searched, and stays MLN203)
            constant = bound and ":<module>:" in finding.anchor and finding.rule == "MLN201"
            inside = self._space_names.get(name, 0) if constant else 0
            uses = len(re.findall(rf"\b{re.escape(name)}\b", self.module.source)) if inside else 0
            if not (inside and uses == inside + 1):  # (the ``+ 1``: its assignment)
                kept.append(finding)
        self.found[:] = kept

    def _loop(self, node: ast.For | ast.AsyncFor) -> None:
        """``for k in range(1, 20): KNeighborsClassifier(n_neighbors=k)``: a loop that tries
        literal values of a hyperparameter is a search space written in code, one MLN209 on
        the values it tries (a loop over seeds repeats a run, it searches nothing)."""
        self._iterates(node.target, node.iter)
        if not isinstance(node.target, ast.Name) or id(node.iter) in self.space:
            return
        # ``C_values = [0.1, 1.0, 10.0]`` then ``for C in C_values:``: the list the name holds
        tried = self._candidates(node.iter) if isinstance(node.iter, ast.Name) else node.iter
        if tried is None or id(tried) in self.space or not S.is_dimension(tried):
            return
        var = node.target.id
        names: list[str] = []
        for sub in ast.walk(node):
            if not isinstance(sub, ast.Call):
                continue
            callee = P.callee_name(sub.func)
            for kw in sub.keywords:
                if kw.arg is None or not (isinstance(kw.value, ast.Name) and kw.value.id == var):
                    continue
                meaning = keyword_meaning(kw.arg, callee, self.know)
                if meaning is None and tried is not node.iter and callee in self.own:
                    meaning = self._own_meaning(callee, kw.arg)  # ``run(C=C)`` into ``SVC(C=C)``
                if meaning is not None and meaning[0] == "hp":
                    names.append(kw.arg)
        if names:
            for child in ast.walk(tried):
                self.space.add(id(child))
            self._space([tried], var, names, "the loop over")

    def _candidates(self, name: ast.Name) -> ast.expr | None:
        """The list of literals a name is bound to, once, in the function being walked."""
        if not self.functions:
            return None
        bound = [
            stmt.value
            for stmt in ast.walk(self.functions[-1])
            if isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name.id for t in stmt.targets)
        ]
        if len(bound) != 1 or not isinstance(bound[0], ast.List | ast.Tuple):
            return None
        return bound[0]

    def _space(
        self,
        members: list[ast.expr],
        name: str,
        names: list[str],
        what: str,
        key: str = "",
        *,
        where: str | None = None,
        objective: str = "",
    ) -> None:
        first = min(members, key=lambda m: (m.lineno, m.col_offset))
        last = max(members, key=lambda m: (m.end_lineno or 0, m.end_col_offset or 0))
        if self._space_names is None:
            self._space_names = {}
        for sub in (sub for member in members for sub in ast.walk(member)):
            if isinstance(sub, ast.Name):  # (the constants that bound it, ``bounds_only``)
                self._space_names[sub.id] = self._space_names.get(sub.id, 0) + 1
        listed = ", ".join(f"`{n}`" for n in dict.fromkeys(names))
        count = len(dict.fromkeys(names))
        key = f"search.{key or slug(name or 'grid')}"
        listing = f" ({count} parameter{'s' if count != 1 else ''}: {listed})" if count else ""
        subject = f"{what} `{name}`" if name else what
        message = (
            f"{subject[0].upper()}{subject[1:]} hard-codes a search space{listing}; move the "
            f"whole space to {self.facts.main} (e.g. `{key}:`) and build it from there."
        )
        name = name or "grid"
        details: dict[str, Detail] = {
            "group": f"{self.module.path}:{first.lineno}:{name}",
            "key": key,
            "config_file": self.facts.main,
            "names": ", ".join(dict.fromkeys(names)),
        }
        if objective:
            details["objective"] = objective
        self.found.append(
            SEARCH_SPACE.finding(
                self.module.path,
                message,
                line=first.lineno,
                column=first.col_offset + 1,
                end_line=last.end_lineno,
                end_column=(last.end_col_offset or 0) + 1,
                anchor=f"space:{where or self.where}:{name}",
                details=details,
            )
        )

    def _fixed_seeds(
        self,
        node: ast.Dict | ast.Call,
        named: list[tuple[str, ast.expr, tuple[str, str] | None]],
        var: str | None,
    ) -> None:
        """A seed fixed inside a search space (``"seed": 42``, ``"random_state": [0]``) is not
        searched: it is a seed in code like any other."""
        owner = var or "grid"
        group = f"{self.module.path}:{node.lineno}:{owner}"
        site = (f"the search space `{owner}`", group, f"{self.where}:{owner}")
        for key, value, classified in named:
            if classified is None or classified[0] != "seed":
                continue
            fixed = value
            if isinstance(value, ast.List | ast.Tuple) and len(value.elts) == 1:
                fixed = value.elts[0]  # a one-value grid dimension is a fixed value
            if is_int(fixed):
                self._value("seed", classified[1], fixed, site, key=key, owner=owner)

    def _threshold_table(self, node: ast.AST, pairs: list[tuple[str, ast.expr]], var: str) -> bool:
        """``release_gates = {"auc": 0.85, "recall": 0.6}``: a table of decisions, one finding
        per gate (each metric's floor is tuned on its own), all proposing the one table."""
        # ``thresh_dict = {"year_built": 1800}``: a table named for cut-offs holds cut-offs,
        # whole numbers too (a gate table of another name holds fractions only)
        cut_table = _CUT_VAR.search(var) is not None
        floats = [
            (k, v)
            for k, v in pairs
            if (is_float(v) or (cut_table and is_number(v))) and not trivial(v)
        ]
        if not floats or len(floats) != len(pairs):
            return False
        metric_keys = all(k.lower() in _METRIC_KEYS for k, _ in pairs)
        if not (_GATE_VAR.search(var) or (metric_keys and re.search(r"min|gate|floor", var, re.I))):
            return False
        for child in ast.walk(node):
            self.handled.add(id(child))
        if self.functions and verdict_unused(self.functions[-1]):
            return True  # a readiness table only printed decides nothing
        shown = ", ".join(f"{k}: {self.text(v)}" for k, v in floats)
        key = f"evaluate.{slug(var)}"
        for name, value in floats:
            entry, uses = (
                ("gate", "promotes or gates a model")
                if metric_keys or not cut_table
                else (
                    "cut-off",
                    "applies these cut-offs",
                )
            )
            message = (
                f"The {entry} `{name}: {self.text(value)}` of the threshold table `{var}` is "
                f"hard-coded; suggest `{key}: {{{shorten(shown, 60)}}}` in {self.facts.main}, "
                f"so every script that {uses} reads the same values."
            )
            details: dict[str, Detail] = {
                "group": f"{self.module.path}:{getattr(node, 'lineno', 0)}:{var}",
                "key": f"{key}.{name}",
                "value": self.text(value),
                "name": name,
                "config_file": self.facts.main,
                "proposed": True,
                "owner": var,
            }
            self._emit(THRESHOLD, value, message, f"threshold:{self.where}:{var}={name}", details)
        return True

    def _size_gate(self, test: ast.expr) -> None:
        """``if len(df) < 100:``: the least data a step accepts (to train, register or
        monitor) is a cut-off someone chose, as a score's is; not ``sys.argv``'s length."""
        for compare in (c for c in ast.walk(test) if isinstance(c, ast.Compare)):
            gate = size_gate(compare)
            if gate is None or id(gate[1]) in self.handled:
                continue
            subject = shorten(source_text(gate[0]), 30)
            group = f"{self.module.path}:{compare.lineno}:size"
            site = (f"the size check `{subject}`", group, f"{self.where}:size:{subject}")
            self._value("threshold", "min_rows", gate[1], site, key="min_rows")

    def _per_sample(self) -> bool:
        """Whether the code being walked transforms one training sample: a dataset's
        ``__getitem__``, a transform or an augmentation (by the names of the enclosing class
        and function). A simulator's random branch is the data's design."""
        words: set[str] = set()
        for name in self.scope:
            words |= split_words(name)
        return bool(words & _SAMPLE_WORDS) or any(w.startswith("augment") for w in words)

    def visit_Compare(self, node: ast.Compare) -> None:
        probability = chance(node, self.functions[-1] if self.functions else None)
        if probability is not None and self._per_sample():
            # ``if np.random.rand() > 0.5: image = mix_tiles(image)``: how often it happens
            group = f"{self.module.path}:{node.lineno}:chance"
            site = ("the chance of a random branch", group, f"{self.where}:chance")
            self._value("hp", "probability", probability, site, key="probability")
        operands = [node.left, *node.comparators]
        if all(isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops):
            others = [o for o in operands if not is_float(o)]
            # ``np.std(x) > 1e-10``: a guard against dividing by zero, not a decision
            literals = [
                o
                for o in operands
                if is_float(o) and not trivial(o) and abs(number_value(o)) >= _NUMERICAL_GUARD
            ]
            if literals and others and all(not is_difference(o) for o in others):
                tokens = set().union(*(self._tokens(o) for o in others))
                tokens |= self.deciding.get(id(node), set())
                if tokens & T.SCORE_TOKENS:
                    self.compares.setdefault(node.lineno, []).append((node, literals, tokens))
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """``df[df.area < 4000]``, ``df.drop(df[(df.x > 9) & (df.y < 3)].index)``,
        ``df.loc[df["price"] <= 2e5]``: the rows a cleaning step keeps are a data decision
        someone tuned; each bound of a column compared with a number (not 0 or ±1, not an
        equality: a category) is one MLN204 finding."""
        if isinstance(node.ctx, ast.Load):
            frame: ast.expr = node.value
            mask = node.slice
            if isinstance(frame, ast.Attribute) and frame.attr == "loc":
                frame = frame.value
                if isinstance(mask, ast.Tuple) and mask.elts:
                    mask = mask.elts[0]
            if isinstance(frame, ast.Name):
                for compare in _mask_compares(mask):
                    self._row_filter(frame.id, compare)
        elif (
            isinstance(node.value, ast.Attribute)
            and node.value.attr == "loc"
            and isinstance(node.value.value, ast.Name)
            and isinstance(node.slice, ast.Tuple)
            and node.slice.elts
        ):
            # ``df.loc[df["target"] < -30, "outlier"] = 1``: a bound on the target that marks
            # rows defines a label, a cut-off (a bound on a feature builds a feature: silent)
            frame_name = node.value.value.id
            for compare in _mask_compares(node.slice.elts[0]):
                sides = [compare.left, *compare.comparators]
                columns = [_column_of(side, frame_name) for side in sides]
                if any(c is not None and split_words(c) & _TARGET_WORDS for c in columns):
                    self._row_filter(frame_name, compare)
        self.generic_visit(node)

    def _assigned_rows(self, target: ast.expr, value: ast.expr) -> None:
        """What an assignment decides about rows: a predicate handed to the project's row step
        (:meth:`_predicate_filter`), or the cut-off that makes a label."""
        if isinstance(target, ast.Name) and isinstance(value, ast.Call):
            self._predicate_filter(target.id, value)
        self._label_cutoff(target, value)

    def _label_cutoff(self, target: ast.expr, value: ast.expr) -> None:
        """``df["target"] = (df["rating"] >= 4).astype(int)``, ``y = np.where(df.score > 3, 1,
        0)``: a bound on a column that makes the label decides what the model learns to
        predict, a cut-off (integer or not); a bound that makes a feature stays silent."""
        if isinstance(target, ast.Subscript):
            key = target.slice
            named = key.value if isinstance(key, ast.Constant) else None
        else:
            named = target.id if isinstance(target, ast.Name) else None
        if not isinstance(named, str) or not split_words(named) & _TARGET_WORDS:
            return
        for compare in (c for c in ast.walk(value) if isinstance(c, ast.Compare)):
            sides = [compare.left, *compare.comparators]
            frames = [
                s.value.id
                for s in sides
                if isinstance(s, ast.Subscript | ast.Attribute) and isinstance(s.value, ast.Name)
            ]
            if frames:
                self._row_filter(frames[0], compare, "the label cut-off on")

    def _predicate_filter(self, target: str, call: ast.Call) -> None:
        """``df = drop_rows(df, "age", lambda x: x >= 39)``: a predicate the project hands to
        its own step together with the frame it rewrites and a column name is that column's
        cut-off, as ``df[df.age < 39]`` is."""
        callee = P.callee_name(call.func)
        values = [*call.args, *(kw.value for kw in call.keywords)]
        if callee not in self.helpers or not any(
            isinstance(v, ast.Name) and v.id == target for v in values
        ):
            return
        columns = [
            v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        ]
        if len(columns) != 1:
            return
        for value in values:
            if not (isinstance(value, ast.Lambda) and len(value.args.args) == 1):
                continue
            body = value.body
            param = value.args.args[0].arg
            if isinstance(body, ast.Compare) and len(body.ops) == 1:
                renamed = ast.Compare(
                    left=ast.Subscript(
                        value=ast.Name(id=target, ctx=ast.Load()),
                        slice=ast.Constant(value=columns[0]),
                        ctx=ast.Load(),
                    )
                    if isinstance(body.left, ast.Name) and body.left.id == param
                    else body.left,
                    ops=body.ops,
                    comparators=body.comparators,
                )
                ast.copy_location(renamed, body)
                self._row_filter(target, renamed)

    def _row_filter(self, frame: str, node: ast.Compare, what: str = "the row filter on") -> None:
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Lt | ast.LtE | ast.Gt | ast.GtE):
            return
        for column, bound in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
            name = _column_of(column, frame)
            if name is None or not is_number(bound) or trivial(bound):
                continue
            if split_words(name) & _PERIOD_WORDS:
                continue  # ``df[df.date_block_num < 33]`` picks a period: the data's layout
            subject = shorten(source_text(column), 40)
            site = (
                f"{what} `{subject}`",
                f"{self.module.path}:{node.lineno}:filter",
                f"{self.where}:filter:{subject}",
            )
            self._value("threshold", f"{slug(name)}_cutoff", bound, site)

    def _flush_compares(self) -> None:
        """One finding per quantity compared on a line: ``0.3 < p < 0.7`` is one decision,
        ``precision >= 0.9 and recall >= 0.9`` two (each metric's floor is tuned on its own)."""
        for line, subject, entries in self._compared_quantities():
            literals = [lit for _, lits, _ in entries for lit in lits if id(lit) not in self.space]
            if not literals:
                continue
            site = (
                f"the comparison with `{subject}`",
                f"{self.module.path}:{line}:compare",
                f"{self.where}:compare:{subject}",
            )
            name = threshold_name(set().union(*(t for _, _, t in entries)))
            if len(literals) == 1:
                self._value("threshold", name, literals[0], site)
                continue
            values = ", ".join(self.text(lit) for lit in literals)
            key = f"evaluate.{name}s"
            message = (
                f"The thresholds {values} are hard-coded in the comparison with `{subject}`; "
                f"suggest `{key}: [{values}]` in {self.facts.main}."
            )
            details: dict[str, Detail] = {
                "group": site[1],
                "value": values,
                "name": name,
                "key": key,
                "config_file": self.facts.main,
                "proposed": True,
                "owner": subject,
            }
            self._emit(THRESHOLD, literals[0], message, f"threshold:{site[2]}.{name}", details)

    def _compared_quantities(
        self,
    ) -> list[tuple[int, str, list[tuple[ast.Compare, list[ast.expr], set[str]]]]]:
        """The threshold comparisons by line, then by the quantity compared (its source)."""
        out: list[tuple[int, str, list[tuple[ast.Compare, list[ast.expr], set[str]]]]] = []
        for line in sorted(self.compares):
            by_subject: dict[str, list[tuple[ast.Compare, list[ast.expr], set[str]]]] = {}
            for entry in self.compares[line]:
                node = entry[0]
                others = [o for o in [node.left, *node.comparators] if not is_float(o)]
                by_subject.setdefault(shorten(source_text(others[0]), 40), []).append(entry)
            out.extend((line, subject, group) for subject, group in by_subject.items())
        return out

    def _tokens(self, node: ast.expr) -> set[str]:
        words = expr_tokens(node)
        for sub in ast.walk(node):
            origin = self.derived[-1].get(sub.id) if isinstance(sub, ast.Name) else None
            if origin is not None:
                words |= expr_tokens(origin)
                if model_output(origin):
                    words.add("pred")  # ``age, gender = model(face)``: ``gender`` is predicted
        return words


#: words of a column that indexes time: a bound on it selects a period (a time split, the
#: months with full history), not a cleaning cut-off
_PERIOD_WORDS = frozenset(
    {"date", "time", "timestamp", "month", "year", "week", "block", "period", "epoch", "step"}
)

#: column words that name what a model predicts (a bound on it defines a label)
_TARGET_WORDS = frozenset({"target", "targets", "label", "labels", "y"})


def _mask_compares(mask: ast.expr) -> list[ast.Compare]:
    """The comparisons a boolean row mask combines (``&``, ``|``, ``~``)."""
    if isinstance(mask, ast.Compare):
        return [mask]
    if isinstance(mask, ast.BinOp) and isinstance(mask.op, ast.BitAnd | ast.BitOr):
        return _mask_compares(mask.left) + _mask_compares(mask.right)
    if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, ast.Invert):
        return _mask_compares(mask.operand)
    return []


def _column_of(node: ast.expr, frame: str) -> str | None:
    """``df["area"]`` / ``df.area`` of the frame ``df``: the column's name."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        key = node.slice
        if node.value.id == frame and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == frame
    ):
        return node.attr
    return None
