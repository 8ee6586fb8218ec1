"""What a parameter of the project's own function means: the library keyword it feeds.

*A parameter a function hands on untouched to a library call is that call's setting*:
``def tune(x, y, trials=100): study.optimize(objective, n_trials=trials)`` makes ``trials`` a
tuning budget, ``def fit(df, depth=6): return XGBRegressor(max_depth=depth)`` makes ``depth``
the booster's ``max_depth``, whatever the project called them. The walk asks only for a
function whose default or keyword it is judging, and walks that function's body once.
"""

from __future__ import annotations

import ast

from mlnudge.checks.params import libraries as L
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.paths import callee_name
from mlnudge.checks.params.syntax import Knowledge, quiet_call, split_words

#: kinds of listed calls whose every other keyword is a setting (not a loader's batch of
#: an evaluation, not a layer's shape: ``nn.Linear(d_in, width)`` is a shape)
_SETTING_KINDS = frozenset({"model", "optimizer", "scheduler", "trainer", "split", "search"})


def keyword_meaning(name: str, callee: str, know: Knowledge) -> tuple[str, str] | None:
    """``(kind, canonical)`` of the keyword ``name`` of a call of ``callee``, or ``None``:
    a tuning budget of a tuning call, a well-known hyperparameter or seed name, or any
    keyword of a listed model, optimiser, scheduler, trainer or split that is no
    infrastructure. Cut-offs are left out (a helper's default cut-off is as often a domain
    constant), and so are presentation calls and ambiguous names outside listed calls."""
    short = callee.rsplit(".", 1)[-1]
    root = callee.split(".", 1)[0]
    if quiet_call(callee, short, root) or short in T.EVAL_CALLS:
        return None
    spec = know.spec(callee, short)
    if spec is not None and name in T.QUIET_KEYWORDS_BY_KIND.get(spec.kind, ()):
        return None
    if name in T.QUIET_KEYWORDS_BY_CALL.get(short, ()):
        return None
    if name in L.TUNING_BUDGETS:
        tuning = (spec is not None and spec.kind == "tuning") or bool(
            split_words(callee) & L.TUNING_WORDS
        )
        return ("hp", name) if tuning else None
    if name in T.NOT_HYPERPARAMETERS or (spec is None and name in T.AMBIGUOUS):
        return None
    classified = know.classify(name)
    if classified is not None:
        return None if classified[0] == "threshold" else classified
    if spec is not None and spec.kind in _SETTING_KINDS:
        return ("hp", name)
    return None


def fed_meanings(
    function: ast.FunctionDef | ast.AsyncFunctionDef, know: Knowledge
) -> dict[str, tuple[str, str]]:
    """Each parameter of ``function`` handed untouched (never rebound in its body) to a
    keyword or listed positional of a call that makes it a setting -> what it is."""
    params = {
        a.arg for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    }
    rebound: set[str] = set()
    meanings: dict[str, tuple[str, str]] = {}
    for sub in ast.walk(function):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            rebound.add(sub.id)
        if not isinstance(sub, ast.Call):
            continue
        callee = callee_name(sub.func)
        for kw in sub.keywords:
            value = kw.value
            if kw.arg is None or not (isinstance(value, ast.Name) and value.id in params):
                continue
            meaning = keyword_meaning(kw.arg, callee, know)
            if meaning is not None:
                meanings.setdefault(value.id, meaning)
        spec = know.spec(callee, callee.rsplit(".", 1)[-1])
        if spec is None or spec.kind not in _SETTING_KINDS:
            continue
        for index, name in spec.positional:
            arg = sub.args[index] if index < len(sub.args) else None
            if isinstance(arg, ast.Name) and arg.id in params:
                meanings.setdefault(arg.id, ("hp", name))
    return {param: meaning for param, meaning in meanings.items() if param not in rebound}
