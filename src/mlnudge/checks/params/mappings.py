"""Dict and list literals in the params analysis: search spaces, threshold tables and settings.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: ``{"max_depth": [3, 5]}`` handed to
a search is one space (MLN209), ``release_gates = {"auc": 0.85}`` a threshold table (MLN204), a
booster's or a training ``params`` dict holds settings (MLN201/203), and a path-named entry a
location (MLN202).
"""

from __future__ import annotations

import ast

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import search as S
from mlnudge.checks.params import secrets as K
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.literals import bounding_literal, cut_offs
from mlnudge.checks.params.syntax import (
    PARAMISH_VAR,
    assigned_name,
    is_int,
    is_number,
    number_value,
    numeric_choice,
    owner_slug,
    trivial,
)
from mlnudge.checks.params.usage import UsageSettings

callee_name = P.callee_name


class MappingLiterals(UsageSettings):
    """The dicts and lists of a module: spaces, threshold tables, settings, locations."""

    #: variables handed to a search call as its space (``GridSearchCV(m, grid)``)
    search_vars: frozenset[str]

    def visit_Dict(self, node: ast.Dict) -> None:
        pairs = [
            (k.value, v)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
        self._mapping(node, pairs)
        self.generic_visit(node)

    def _ablation(self, node: ast.Dict | ast.List, var: str | None) -> bool:
        """``ABLATIONS = {"frames": [("f4", {"num_frames": 4}), ...]}``: one grid (MLN209)."""
        names = S.ablation_grid(var, node)
        if names:
            self.space.update(id(child) for child in ast.walk(node))
            self._space([node], var or "grid", names, "the ablation grid")
        return bool(names)

    def visit_List(self, node: ast.List) -> None:
        if id(node) not in self.space and node.elts:
            parent = self.parents.get(id(node))
            var = assigned_name(parent)
            if self._ablation(node, var):
                self.generic_visit(node)
                return
            context = S.space_context(var, parent, node, self.search_vars)
            if S.is_space(node, [], context=context, hyper=0):
                names = [
                    k.value
                    for d in node.elts
                    if isinstance(d, ast.Dict)
                    for k in d.keys
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                ]
                for child in ast.walk(node):
                    self.space.add(id(child))
                self._space([node], var or "", names, "the grid")
        self.generic_visit(node)

    def _mapping(self, node: ast.Dict | ast.Call, pairs: list[tuple[str, ast.expr]]) -> None:
        """A dict literal or ``dict(...)``: a search space, a threshold table or parameters."""
        if id(node) in self.space:  # inside a space (an Optuna objective's dict): seeds only
            seeds = [(k, v, self.classify(k)) for k, v in pairs if k in T.SEED_NAMES]
            self._fixed_seeds(node, seeds, assigned_name(self.parents.get(id(node))))
            return
        for value in [v for _, v in pairs]:
            self.parents[id(value)] = node
        parent = self.parents.get(id(node))
        var = assigned_name(parent)
        named = [(k, v, self.classify(k.rsplit("__", 1)[-1])) for k, v in pairs]
        keys = [k for k, _ in pairs]
        handed = isinstance(parent, ast.Call | ast.keyword) or bool(
            var and PARAMISH_VAR.search(var)
        )
        settings = T.booster_params(keys) or (handed and T.training_params(keys))
        if settings:
            # ``{"objective": "regression", "top_rate": 0.9, ...}``: a booster's parameter dict
            # holds nothing but the booster's settings, so every number in it is one; so does
            # a ``params`` dict of training settings (``batch_size``, ``epochs``) built in code
            named = [
                (k, v, c if c is not None or not T.booster_setting(k) else ("hp", k))
                for k, v, c in named
            ]
        hyper = sum(1 for _, _, c in named if c is not None and c[0] == "hp")
        hyper += sum(1 for k, _ in pairs if k in T.AMBIGUOUS)
        context = S.space_context(var, parent, node, self.search_vars)
        inner = S.grids_by_model(node, pairs) if context else []
        if inner:
            # ``grids = {"SVC": {"C": [0.1, 1]}, "Forest": {"max_depth": [4, 8]}}``: one grid
            # per model where a space goes is one search decision
            for child in ast.walk(node):
                self.space.add(id(child))
            self._fixed_seeds(node, named, var)
            self._space([node], var or "grid", inner, "the grid table")
            return
        if isinstance(node, ast.Dict) and self._ablation(node, var):
            return
        if S.is_space(node, pairs, context=context, hyper=hyper, skip=T.TUPLE_VALUED):
            for child in ast.walk(node):
                self.space.add(id(child))
            self._fixed_seeds(node, named, var)
            if var is None and isinstance(parent, ast.Call):
                callee = callee_name(parent.func)
                what = f"the grid passed to `{callee}()`"
                self._space([node], "", [k for k, _ in pairs], what, key=owner_slug(callee))
                return
            self._space([node], var or "grid", [k for k, _ in pairs], "the grid")
            return
        for key, value in pairs:
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            text = value.value
            if (K.secret_name(key) and K.secret_value(text)) or (
                K.token_shaped(text) or K.url_password(text)
            ):
                self._secret(value, key, f"the `{key}` entry")
        if var and self._threshold_table(node, pairs, var):
            return
        paramish = [k for k, _, c in named if c is not None] + [
            k for k, _ in pairs if k in T.AMBIGUOUS
        ]
        hint = isinstance(parent, ast.Call | ast.Dict | ast.keyword) or bool(
            var and PARAMISH_VAR.search(var)
        )
        dict_name = var or "dict"
        where = f"the `{var}` dict" if var else "a dict literal"
        where = self.fallbacks.get(id(node), where)
        if isinstance(parent, ast.Call):  # ``xgb.train({...}, dtrain)``: the call's settings
            dict_name = callee_name(parent.func)
            where = f"the dict passed to `{dict_name}()`"
        group = f"{self.module.path}:{node.lineno}:{dict_name}"
        anchor = f"{self.where}:{dict_name}"
        if paramish and (len(paramish) >= 2 or hint):
            self._dict_choices(pairs, (where, group, anchor), dict_name)
            for key, value, classified in named:
                kind, canonical = classified or (("hp", key) if key in T.AMBIGUOUS else ("", ""))
                if not kind or (key in T.AMBIGUOUS and len(paramish) < 2):
                    continue
                if isinstance(value, ast.Name) and kind != "threshold":
                    # ``{"n_estimators": TREES}``: the name holds that setting (read at the end)
                    self.fed_names.setdefault((self.where, value.id), (kind, canonical))
                    continue
                site = (where, group, anchor)
                if kind == "seed" and is_int(value):
                    self._value("seed", canonical, value, site, key=key, owner=dict_name)
                elif kind != "seed" and (
                    (is_number(value) and not trivial(value))
                    # in a dict of nothing but a model's settings, 0 and 1 are choices too
                    # (``"reg_alpha": 1.0``, ``"dropout": 0``) under a name the tables know
                    # as a hyperparameter (not a flag: ``"fp16": 1``, ``"num_gpus": 1``);
                    # -1 stays a sentinel (all, none)
                    or (
                        settings
                        and is_number(value)
                        and number_value(value) >= 0
                        and T.booster_setting(key)
                        and self.classify(key.rsplit("__", 1)[-1]) is not None
                    )
                    or numeric_choice(value)
                    or (settings and isinstance(value, ast.Tuple | ast.List) and cut_offs(value))
                ):
                    self._value(kind, canonical, value, site, key=key, owner=dict_name)
                elif kind == "threshold" and (bound := bounding_literal(value)) is not None:
                    # ``"roc_auc_threshold": max(0.75, auc * 0.95)``: the floor is the cut-off
                    self._value(kind, canonical, bound, site, key=key, owner=dict_name)
        if var:
            for key, value, classified in named:
                if classified is None and key not in T.AMBIGUOUS and is_number(value):
                    # ``params = {"epoch": 30}`` read later as ``fit(epochs=params["epoch"])``
                    self.entries[(var, key)] = (value, (where, group, anchor), dict_name)
        for key, value in pairs:
            if P.names_a_pattern(key) or P.names_a_component(key):
                continue
            location = P.path_literal(value)
            if location is not None and self._is_location(
                value, location, named=P.is_path_name(key)
            ):
                self._maybe_path(value, where, group, anchor, bare=P.is_path_name(key))
