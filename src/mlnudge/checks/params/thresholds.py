"""Thresholds in the params walk (MLN204): threshold tables, comparisons with a score (one
finding per quantity compared on a line), the least data a step accepts, row filters and the
cut-offs that make a label, and the chance of a random branch of a per-sample transform.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser` (through
:class:`~mlnudge.checks.params.calls.CallSettings`); it reads the walk's state and reports
through the walk's ``_value``/``_emit``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.literals import chance, size_gate, verdict_unused
from mlnudge.checks.params.locations import LocationFinder
from mlnudge.checks.params.rules import THRESHOLD
from mlnudge.checks.params.syntax import (
    expr_tokens,
    is_difference,
    is_float,
    is_int,
    is_number,
    number_value,
    shorten,
    slug,
    source_text,
    threshold_name,
    trivial,
)
from mlnudge.facts.syntax import scope_nodes
from mlnudge.finding import Detail, Finding
from mlnudge.project import split_words

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

#: a quantity in percent (``missing_percentage``, ``dup_pct``) of something a data check
#: bounds: compared with an integer, that integer is a rate's cut-off
_PERCENT_WORDS = frozenset({"percent", "percentage", "pct"})
_RATE_WORDS = frozenset(
    {"missing", "null", "nan", "duplicate", "duplicates", "duplicated", "drift", "drifted"}
    | {"outlier", "outliers", "error", "errors", "invalid", "empty"}
)
#: below this, a number compared with a score is a numerical guard (``std > 1e-10``)
_NUMERICAL_GUARD = 1e-6

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


class ThresholdFinder(LocationFinder):
    """Cut-offs: threshold tables, score comparisons, size gates, row filters, label bounds."""

    #: threshold comparisons per line
    compares: dict[int, list[tuple[ast.Compare, list[ast.expr], set[str]]]]
    #: per scope: variable -> the expression last assigned to it
    derived: list[dict[str, ast.expr]]
    #: comparisons of an ``if`` whose branches write a prediction -> the words written
    deciding: dict[int, set[str]]
    #: the findings of the walk so far
    found: list[Finding]
    #: names bound once to a float literal: the module's (key 0) and, by ``id``, a function's
    #: (found when first needed)
    _numbers: dict[int, dict[str, ast.expr]] | None = None

    if TYPE_CHECKING:  # the walk's (``Walker`` comes after this mixin in the MRO)

        def generic_visit(self, node: ast.AST) -> None: ...

    def text(self, node: ast.expr) -> str:
        raise NotImplementedError

    def _drawing(self) -> bool:
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

    def _size_gate(self, test: ast.expr, body: Sequence[ast.stmt] = ()) -> None:
        """``if len(df) < 100:``: the least data a step accepts (to train, register or
        monitor) is a cut-off someone chose, as a score's is; not ``sys.argv``'s length."""
        seen: set[str] = set()
        for compare in (c for c in ast.walk(test) if isinstance(c, ast.Compare)):
            gate = size_gate(compare)
            if gate is None or id(gate[1]) in self.handled:
                continue
            if _trims(body, gate[0]):
                continue  # ``if len(runs) > 10: runs = runs[-10:]``: a history kept short
            if source_text(gate[1]) in seen:
                # ``if len(ref) < 10 or len(cur) < 10:``: one least size, asked of both
                self.handled.add(id(gate[1]))
                continue
            seen.add(source_text(gate[1]))
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
            # ``p_value < CONFIDENCE_LEVEL`` with ``CONFIDENCE_LEVEL = 0.05`` bound once: the
            # name stands for its literal, reported where it is written
            named = {
                id(o): bound
                for o in operands
                if isinstance(o, ast.Name) and (bound := self._number_constant(o.id)) is not None
            }
            values = [named.get(id(o), o) for o in operands]
            others = [o for o in operands if not is_number(o) and id(o) not in named]
            # ``np.std(x) > 1e-10``: a guard against dividing by zero, not a decision
            literals = [
                o
                for o in values
                if is_float(o) and not trivial(o) and abs(number_value(o)) >= _NUMERICAL_GUARD
            ]
            if others and all(not is_difference(o) for o in others):
                tokens = set().union(*(self._tokens(o) for o in others))
                tokens |= self.deciding.get(id(node), set())
                rate = bool(tokens & _PERCENT_WORDS and tokens & _RATE_WORDS)
                if rate and not literals:
                    # ``missing_percentage.max() < 10``: a rate in percent, a cut-off as 0.1 is
                    literals = [o for o in values if is_int(o) and 1 < number_value(o) < 100]
                # (reported after the walk: a function that only draws is known now)
                if literals and (tokens & T.SCORE_TOKENS or rate) and not self._drawing():
                    self.compares.setdefault(node.lineno, []).append((node, literals, tokens))
        self.generic_visit(node)

    def _number_constant(self, name: str) -> ast.expr | None:
        """The float literal ``name`` is bound to once, in the function being walked or (when
        no function binds it) at the module's top level; ``None`` for anything else."""
        if self._numbers is None:
            self._numbers = {0: _bound_once(self.module.tree.body, self.module.tree)}
        function = self.functions[-1] if self.functions else None
        if function is not None and name in self._bound(function):
            if id(function) not in self._numbers:
                self._numbers[id(function)] = _bound_once(function.body, function)
            return self._numbers[id(function)].get(name)
        if any(name in self._bound(f) for f in self.functions):
            return None
        return self._numbers[0].get(name)

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
                subjects = [
                    o for o in others if not isinstance(o, ast.Name) or o.id.upper() != o.id
                ]
                subject = (subjects or others)[0]
                by_subject.setdefault(shorten(source_text(subject), 40), []).append(entry)
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
        if (
            node.value.id == frame
            and isinstance(key, ast.Tuple)
            and key.elts
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in key.elts)
        ):
            key = key.elts[-1]  # ``df[("Group 1", "Living Area")]``: a column of a MultiIndex
        if node.value.id == frame and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == frame
    ):
        return node.attr
    return None


def _bound_once(body: list[ast.stmt], scope: ast.AST) -> dict[str, ast.expr]:
    """Names of ``scope`` bound exactly once, by a statement of ``body``, to a float literal."""
    counts: dict[str, int] = {}
    for sub in scope_nodes(scope):
        targets: list[ast.expr] = []
        if isinstance(sub, ast.Assign):
            targets = sub.targets
        elif isinstance(
            sub, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor | ast.comprehension
        ):
            targets = [sub.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 1
    return {
        stmt.targets[0].id: stmt.value
        for stmt in body
        if isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and counts.get(stmt.targets[0].id) == 1
        and is_float(stmt.value)
    }


def _trims(body: Sequence[ast.stmt], sized: ast.expr) -> bool:
    """``runs = runs[-10:]``: the body only cuts the sized sequence down to a slice of itself."""
    subject = sized.args[0] if isinstance(sized, ast.Call) and sized.args else sized
    if len(body) != 1 or not isinstance(body[0], ast.Assign) or len(body[0].targets) != 1:
        return False
    value = body[0].value
    return (
        ast.dump(body[0].targets[0], annotate_fields=False).replace("Store", "Load")
        == ast.dump(subject, annotate_fields=False)
        and isinstance(value, ast.Subscript)
        and isinstance(value.slice, ast.Slice)
        and ast.dump(value.value, annotate_fields=False) == ast.dump(subject, annotate_fields=False)
    )
