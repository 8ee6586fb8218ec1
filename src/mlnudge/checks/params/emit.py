"""Reporting a literal: the part of the params walk that turns a value into a finding.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: :meth:`Emitter._value` names a
hyperparameter, seed or threshold, compares it with the repository's configuration (the same
value already there, a contradicting one, a key this code ignores) and proposes a key;
:meth:`Emitter._emit` appends the finding. Every other part of the walk reports through them.
"""

from __future__ import annotations

import ast

from mlnudge.checks.params.config import ConfigFacts, Leaf, leaf_words
from mlnudge.checks.params.layers import draws_only
from mlnudge.checks.params.rules import (
    CONTRADICTION,
    CREDENTIAL,
    HYPERPARAMETER,
    SEED,
    THRESHOLD,
)
from mlnudge.checks.params.syntax import (
    Knowledge,
    best_leaf,
    call_words,
    cast_number,
    number_value,
    same_value,
    slug,
    source_text,
)
from mlnudge.facts.repo import PyModule
from mlnudge.finding import Detail, Finding
from mlnudge.rules import Rule


class Emitter:
    """Reports literals as findings, checked against the configuration."""

    module: PyModule
    know: Knowledge
    facts: ConfigFacts
    scope: list[str]
    #: the module's source lines (a literal is shown as written)
    lines: list[str]
    #: nodes already reported (their literals get no other finding)
    handled: set[int]
    #: nodes inside a reported search space: their literals get no other finding
    space: set[int]
    #: the findings of the walk so far
    found: list[Finding]
    #: classes of this module a Hydra config instantiates -> (config file, key prefix)
    hydra: dict[str, tuple[str, str]]
    #: config sections the call being analysed reads elsewhere
    reads: list[set[str]]
    #: the functions being walked, innermost last
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef]
    #: per function walked: whether it only draws (see :func:`draws_only`)
    _draws: dict[int, bool] | None = None

    @property
    def where(self) -> str:
        raise NotImplementedError

    def text(self, node: ast.expr) -> str:
        """The literal as written (``1e-3``, not ``0.001``)."""
        line, end = node.lineno, node.end_lineno
        if line == end and node.end_col_offset is not None and line <= len(self.lines):
            raw = self.lines[line - 1].encode("utf-8")
            return raw[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        return source_text(node)

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
        """Report a literal hyperparameter, seed or threshold, checking the configuration.

        ``site`` is ``(where, group, anchor)``: the phrase naming the place, the group key
        and the anchor prefix. ``owner`` names the call or dict (it tells keys apart).
        """
        if (id(node) in self.space and kind != "seed") or id(node) in self.handled:
            return  # a search space's values are one finding; its fixed seed is not searched
        self.handled.add(id(node))
        where, group, anchor = site
        value = self.text(node)
        shown_name = key or name
        if call or key:
            written, place = f"`{shown_name}={value}`", f" in {where}"
        elif " = " in where:  # an assignment: ``NAME = value`` says it all
            written, place = where, ""
        else:
            written, place = f"`{value}`", f" in {where}"
        rule = {"hp": HYPERPARAMETER, "seed": SEED, "threshold": THRESHOLD}[kind]
        details: dict[str, Detail] = {"group": group, "value": value, "name": shown_name}
        counterparts = self.facts.counterparts(name) if not name.endswith("_cutoff") else []
        if isinstance(node, ast.List | ast.Tuple):  # a tuple: compare with lists only
            counterparts = [leaf for leaf in counterparts if isinstance(leaf.value, str)]
        if isinstance(node, ast.IfExp):  # a hand-made switch: nothing to compare
            counterparts = []
        same = next((leaf for leaf in counterparts if same_value(leaf, node)), None)
        callee = group.rsplit(":", 1)[-1]
        certain = [leaf for leaf in counterparts if self._feeds(leaf, callee)]
        if same is None and certain:
            leaf = best_leaf(certain, group)
            details.update(key=leaf.key, config_file=leaf.file, config_value=str(leaf.value))
            message = (
                f"{written}{place} here; {leaf.file} has `{leaf.key}: {leaf.value}` for this "
                f"same setting. Code and configuration disagree: read the value from {leaf.file}."
            )
            rule = CONTRADICTION
        elif same is not None:
            details.update(key=same.key, config_file=same.file, config_value=str(same.value))
            message = (
                f"{written} is hard-coded{place}, although {same.file} already has "
                f"`{same.key}: {same.value}`; read it from there."
            )
        else:
            config_file, proposed = self._proposal(kind, name)
            taken = self.facts.leaf(proposed) if config_file == self.facts.main else None
            if taken is None and counterparts and kind == "seed":
                taken = best_leaf(counterparts, group)
            if taken is not None:
                details.update(key=taken.key, config_file=taken.file, config_value=str(taken.value))
                message = (
                    f"{written} is hard-coded{place}; {taken.file} has `{taken.key}: "
                    f"{taken.value}`, which this code ignores: read it from there (or give "
                    "this setting a key of its own if it is a different one)."
                )
            elif isinstance(node, ast.IfExp):  # a switch: the main value, the other case beside
                main, other = self.text(node.body), self.text(node.orelse)
                details.update(
                    key=proposed, config_file=config_file, proposed=True, owner=owner or ""
                )
                message = (
                    f"{written} is hard-coded{place}; suggest `{proposed}: {main}` in "
                    f"{config_file}, with the other case ({other}) as an override of that key."
                )
            else:
                details.update(
                    key=proposed, config_file=config_file, proposed=True, owner=owner or ""
                )
                # ``int(1e4)`` goes into a parameter file as the number it is
                shown = (
                    f"{number_value(node.args[0]):.0f}"
                    if cast_number(node)
                    and isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "int"
                    else value
                )
                message = (
                    f"{written} is hard-coded{place}; suggest `{proposed}: {shown}` "
                    f"in {config_file}."
                )
        self._emit(rule, node, message, f"{kind}:{anchor}.{shown_name}", details)

    def _feeds(self, leaf: Leaf, callee: str) -> bool:
        """Whether ``leaf`` is certainly the setting of this call: a DVC stage runs this file
        with it, its Hydra node instantiates the callee, or its file or section names the call
        (``xgb.max_depth`` for ``xgb.train``, ``conf/trainer/`` for ``Trainer``)."""
        if self.facts.feeds(leaf, self.module.path):
            return True
        sections = leaf.key.split(".")[:-1]
        if sections and sections[-1] in self.reads[-1]:
            return True  # the same call reads its other settings from this section
        short = callee.rsplit(".", 1)[-1]
        target = self.facts.target_of(leaf)
        if target is not None:
            return target.rsplit(".", 1)[-1] == short
        words = leaf_words(leaf)
        if not words:
            return False
        return bool(words & call_words(callee, self.know.spec(callee, short)))

    def _proposal(self, kind: str, name: str) -> tuple[str, str]:
        """``(config file, key)`` a new literal should go to."""
        safe = slug(name, keep_case=True)
        for cls in self.scope:
            if cls in self.hydra:
                file, prefix = self.hydra[cls]
                return file, f"{prefix}.{safe}" if prefix else safe
        if kind == "seed":
            return self.facts.main, "seed"
        if kind == "threshold":
            if name.endswith("_cutoff") or name in ("max_missing_rate", "correlation_threshold"):
                return self.facts.main, f"features.{safe}"
            return self.facts.main, f"evaluate.{safe}"
        return self.facts.main, f"{self.facts.section}.{safe}"

    def _drawing(self) -> bool:
        """Whether a function being walked only draws: its body, not its name, says so
        (``def show_clusters(x): ... plt.scatter(...)`` with nothing returned; a
        ``plot_importance`` that returns the model it fits makes a result)."""
        if self._draws is None:
            self._draws = {}
        for function in self.functions:
            known = self._draws.get(id(function))
            if known is None:
                known = self._draws[id(function)] = draws_only(function)
            if known:
                return True
        return False

    def _emit(
        self,
        rule: Rule,
        node: ast.expr | ast.stmt | ast.AST,
        message: str,
        anchor: str,
        details: dict[str, Detail],
    ) -> None:
        if rule not in (CREDENTIAL, SEED) and id(node) in self.space:
            return
        if rule in (HYPERPARAMETER, SEED, THRESHOLD) and self._drawing():
            # ``def show(x): TSNE(perplexity=30) ... plt.scatter(...)``: the picture's; a
            # cut-off there (``plt.imshow(probs > 0.5)``) picks what the figure shows
            return
        line = getattr(node, "lineno", None)
        col = getattr(node, "col_offset", None)
        end_col = getattr(node, "end_col_offset", None)
        self.found.append(
            rule.finding(
                self.module.path,
                message,
                line=line,
                column=None if col is None else col + 1,
                end_line=getattr(node, "end_lineno", None),
                end_column=None if end_col is None else end_col + 1,
                anchor=anchor,
                details=details,
            )
        )
