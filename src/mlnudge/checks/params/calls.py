"""Settings that reach a call from elsewhere and search spaces: the part of the params walk
that groups literals into one decision or names them through another place.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: a factory's returned literals
named by the callers that unpack them, the module's own functions' positional settings, a
config read's dict fallback, a CLI default an MLflow entry point contradicts, Optuna
objectives and grids (MLN209) with the seeds fixed inside them. Thresholds (MLN204) are
:mod:`~mlnudge.checks.params.thresholds`'. It reads the walk's state and reports through
the walk's ``_value``/``_emit``.
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import search as S
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.forwarded import (
    class_forwards,
    fed_meanings,
    keyword_meaning,
    meanings,
)
from mlnudge.checks.params.literals import lr_schedule
from mlnudge.checks.params.rules import CONTRADICTION, SEARCH_SPACE
from mlnudge.checks.params.syntax import (
    Knowledge,
    is_int,
    is_number,
    number_value,
    slug,
    snake,
    trivial,
)
from mlnudge.checks.params.thresholds import ThresholdFinder
from mlnudge.finding import Detail, Finding

callee_name = P.callee_name

#: receivers of ``.get`` that hold the run's configuration (``cfg``, ``self.params``)
_CONFIG_RECEIVER = re.compile(r"(config|cfg|conf|param|setting|hparam|^hp$|^hps$)", re.I)


class CallSettings(ThresholdFinder):
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

    def classify(self, name: str) -> tuple[str, str] | None:
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
