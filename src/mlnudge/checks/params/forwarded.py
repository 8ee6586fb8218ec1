"""What a parameter of the project's own function means: the library keyword it feeds.

*A parameter a function hands on untouched to a library call is that call's setting*:
``def tune(x, y, trials=100): study.optimize(objective, n_trials=trials)`` makes ``trials`` a
tuning budget, ``def fit(df, depth=6): return XGBRegressor(max_depth=depth)`` makes ``depth``
the booster's ``max_depth``, whatever the project called them. The walk asks only for a
function whose default or keyword it is judging, and walks that function's body once.

Across modules the same holds (``build_model(depth=6)`` in ``train.py`` of ``def
build_model(depth): ...`` in ``model.py``): each module's top-level functions and classes,
their positional parameters and where each parameter goes are a per-file fact
(:data:`FORWARD_FACTS`, plain data, cached by content); the family joins them with the calls
of every other module (:func:`foreign`) and hands each module the entries of the project
functions it imports.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from typing import Any

from mlnudge.checks.params import libraries as L
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.paths import callee_name
from mlnudge.checks.params.syntax import Knowledge, quiet_call
from mlnudge.facts.access import FileFacts
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import scope_nodes
from mlnudge.project import split_words

#: kinds of listed calls whose every other keyword is a setting (not a loader's batch of
#: an evaluation, not a layer's shape: ``nn.Linear(d_in, width)`` is a shape)
SETTING_KINDS = frozenset({"model", "optimizer", "scheduler", "trainer", "split", "search"})


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
    if spec is not None and spec.kind in SETTING_KINDS:
        return ("hp", name)
    return None


#: where one parameter goes: ``(callee, keyword)`` or ``(callee, positional index)``
Target = tuple[str, str | int]

#: the place of a parameter whose values a tuning function tries one by one (a pseudo call:
#: no Python name has angle brackets); its meaning is the kind ``"space"``
TRIED: Target = ("<tried>", "space")


def _tunes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function named for tuning (``tune_params``, ``grid_search``, ``hyperparameter_search``)."""
    return bool(split_words(function.name) & (L.TUNING_WORDS | {"grid", "sweep"}))


def tried(
    function: ast.FunctionDef | ast.AsyncFunctionDef, names: set[str], own: str = ""
) -> set[str]:
    """The ``names`` (parameters, or with ``own`` the attributes ``self.<name>``) that a
    tuning function loops over: ``for k in ks:`` in ``def tune_params(ks)``."""
    if not _tunes(function):
        return set()
    out: set[str] = set()
    for sub in ast.walk(function):
        if not isinstance(sub, ast.For | ast.AsyncFor | ast.comprehension):
            continue
        it = sub.iter
        if not own and isinstance(it, ast.Name) and it.id in names:
            out.add(it.id)
        if (
            own
            and isinstance(it, ast.Attribute)
            and isinstance(it.value, ast.Name)
            and it.value.id == own
            and it.attr in names
        ):
            out.add(it.attr)
    return out


#: the place of a parameter that bounds the loop in which the function steps an optimiser
#: (a pseudo call): its meaning is a training budget, of epochs or of steps by its name
TRAINED_EPOCHS: Target = ("<trained>", "epochs")
TRAINED_STEPS: Target = ("<trained>", "max_steps")

#: calls that take one optimisation step (``optimizer.step()``, ``loss.backward()``)
_STEP_CALLS = frozenset({"step", "backward"})
#: iterators counting a loop's rounds (``range(steps)``, ``trange(n_epochs)``)
_COUNTERS = frozenset({"range", "trange", "tnrange"})


def trained(function: ast.FunctionDef | ast.AsyncFunctionDef, names: set[str]) -> dict[str, Target]:
    """The ``names`` that bound a loop in whose body the function steps an optimiser:
    ``for step in range(steps): ... loss.backward(); optimizer.step()`` makes ``steps`` the
    training budget (epochs when its name says so, else steps), whatever it is called."""
    out: dict[str, Target] = {}
    for loop in scope_nodes(function):
        if not isinstance(loop, ast.For | ast.AsyncFor):
            continue
        counted = [
            arg.id
            for call in ast.walk(loop.iter)
            if isinstance(call, ast.Call) and callee_name(call.func).rsplit(".", 1)[-1] in _COUNTERS
            for arg in call.args
            if isinstance(arg, ast.Name) and arg.id in names
        ]
        if not counted:
            continue
        steps = any(
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr in _STEP_CALLS
            and not sub.args
            for stmt in loop.body
            for sub in ast.walk(stmt)
        )
        if steps:
            for name in counted:
                out.setdefault(name, TRAINED_EPOCHS if "epoch" in name.lower() else TRAINED_STEPS)
    return out


def forwards(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, list[Target]]:
    """Each parameter of ``function`` handed untouched (never rebound in its body) to a call's
    keyword or positional argument -> those places, in order: plain data (no table is asked),
    so it can be a per-file fact that other modules' calls read."""
    params = {
        a.arg for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    }
    rebound: set[str] = set()
    found: dict[str, list[Target]] = {}
    for sub in scope_nodes(function):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            rebound.add(sub.id)
        if not isinstance(sub, ast.Call):
            continue
        callee = callee_name(sub.func)
        for kw in sub.keywords:
            value = kw.value
            if kw.arg is not None and isinstance(value, ast.Name) and value.id in params:
                found.setdefault(value.id, []).append((callee, kw.arg))
        for index, arg in enumerate(sub.args):
            if isinstance(arg, ast.Starred):
                break
            if isinstance(arg, ast.Name) and arg.id in params:
                found.setdefault(arg.id, []).append((callee, index))
    for param in tried(function, params):
        found.setdefault(param, []).append(TRIED)
    for param, place in trained(function, params).items():
        found.setdefault(param, []).append(place)
    return {param: targets for param, targets in found.items() if param not in rebound}


def target_meaning(callee: str, place: str | int, know: Knowledge) -> tuple[str, str] | None:
    """What a keyword (or a listed positional) of a call of ``callee`` makes a value handed
    to it: :func:`keyword_meaning`, or the listed positional setting of a model, optimiser,
    scheduler, trainer or split (``nn.Dropout(p)``, not a layer's shape)."""
    if (callee, place) == TRIED:
        return ("space", "space")
    if callee == TRAINED_STEPS[0] and isinstance(place, str):
        return ("hp", place)
    if isinstance(place, str):
        return keyword_meaning(place, callee, know)
    spec = know.spec(callee, callee.rsplit(".", 1)[-1])
    if spec is None or spec.kind not in SETTING_KINDS:
        return None
    return next((("hp", name) for index, name in spec.positional if index == place), None)


def meanings(places: dict[str, list[Target]], know: Knowledge) -> dict[str, tuple[str, str]]:
    """Per parameter, what the first place that makes it a setting says it is."""
    out: dict[str, tuple[str, str]] = {}
    for param, targets in places.items():
        for callee, place in targets:
            meaning = target_meaning(callee, place, know)
            if meaning is not None:
                out[param] = meaning
                break
    return out


def fed_meanings(
    function: ast.FunctionDef | ast.AsyncFunctionDef, know: Knowledge
) -> dict[str, tuple[str, str]]:
    """Each parameter of ``function`` handed untouched (never rebound in its body) to a
    keyword or listed positional of a call that makes it a setting -> what it is."""
    return meanings(forwards(function), know)


def class_init(cls: ast.ClassDef) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    return next(
        (
            f
            for f in cls.body
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.name == "__init__"
        ),
        None,
    )


def class_forwards(cls: ast.ClassDef) -> tuple[list[str], dict[str, list[Target]]] | None:
    """A class's ``__init__`` parameters (without ``self``) and where each goes: handed on in
    ``__init__`` itself, or kept untouched as an attribute (``self.depth = depth``) that
    another method hands to a call (``XGBClassifier(max_depth=self.depth)`` in ``fit``)."""
    init = class_init(cls)
    if init is None or not init.args.args:
        return None
    own = init.args.args[0].arg
    positional = [a.arg for a in [*init.args.posonlyargs, *init.args.args]][1:]
    places = forwards(init)
    places.pop(own, None)
    params = set(positional) | {a.arg for a in init.args.kwonlyargs}
    kept: dict[str, str] = {}
    for stmt in init.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Attribute)
            and isinstance(stmt.targets[0].value, ast.Name)
            and stmt.targets[0].value.id == own
            and isinstance(stmt.value, ast.Name)
            and stmt.value.id in params
        ):
            kept[stmt.targets[0].attr] = stmt.value.id
    for method in cls.body if kept else ():
        if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for sub in ast.walk(method):
            if not isinstance(sub, ast.Call):
                continue
            handed: list[tuple[ast.expr, str | int]] = [
                (kw.value, kw.arg) for kw in sub.keywords if kw.arg is not None
            ]
            handed += [(arg, index) for index, arg in enumerate(sub.args)]
            for value, place in handed:
                if (
                    isinstance(value, ast.Attribute)
                    and isinstance(value.value, ast.Name)
                    and value.value.id == "self"
                    and value.attr in kept
                ):
                    places.setdefault(kept[value.attr], []).append((callee_name(sub.func), place))
        # ``for k in self.ks:`` in ``def tune_params(self)``: the values are tried one by one
        if method.args.args:
            for attr in tried(method, set(kept), method.args.args[0].arg):
                places.setdefault(kept[attr], []).append(TRIED)
    return positional, places


def _row(positional: list[str], places: dict[str, list[Target]]) -> list[object] | None:
    """``[positional names, {param: [[callee, keyword or index], ...]}]``, or ``None`` when
    the function takes no parameter."""
    if not positional and not places:
        return None
    return [positional, {p: [list(t) for t in targets] for p, targets in places.items()}]


def forward_facts(module: PyModule) -> dict[str, Any]:
    """``{name: [positional names, {param: [[callee, keyword or index], ...]}]}`` of the
    module's top-level functions and classes (through ``__init__`` and the attributes it
    keeps)."""
    out: dict[str, Any] = {}
    for stmt in module.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = [a.arg for a in [*stmt.args.posonlyargs, *stmt.args.args]]
            row = _row(positional, forwards(stmt))
        elif isinstance(stmt, ast.ClassDef):
            found = class_forwards(stmt)
            row = _row(*found) if found is not None else None
        else:
            continue
        if row is not None:
            out[stmt.name] = row
    return out


#: per Python module: its top-level functions' (and classes') parameters and where each goes
FORWARD_FACTS = FileFacts(forward_facts, "5")

#: what a module's analysis receives of one imported project function: ``(name, the module
#: names it is imported from, positional names, ((param, kind, canonical), ...))``: its
#: module's stem and, when that module sits in a package, the package (``from src.models
#: import build`` of ``src/models/model.py``, re-exported by the package's ``__init__``)
Foreign = tuple[str, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, str], ...]]


def _entry(name: str, path: str, row: Any, know: Knowledge) -> Foreign | None:
    try:
        positional = tuple(str(p) for p in row[0])
        places = {
            str(param): [(str(callee), place) for callee, place in targets]
            for param, targets in row[1].items()
        }
    except (IndexError, TypeError, ValueError, AttributeError):
        return None  # facts of another shape
    fed = meanings(places, know)
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    modules = tuple(dict.fromkeys(m for m in [stem, *parts[-2:-1]] if m != "__init__"))
    return (name, modules, positional, tuple((p, k, c) for p, (k, c) in sorted(fed.items())))


def foreign(
    path: str,
    called: Iterable[str],
    defined: Iterable[str],
    index: Mapping[str, list[tuple[str, Any]]],
    know: Knowledge,
) -> tuple[Foreign, ...]:
    """The project functions ``path`` calls but does not define, with every other module
    that defines them (``index``: name -> ``(path, forward fact row)``). A name several
    modules define (a script pipeline beside its Kedro twin, ``v1/`` beside ``v2/``) is
    resolved later by the import that names its module (:func:`imported_calls`); the
    candidates' modules travel with them, so one that nothing tells apart is never used."""
    own = set(defined)
    out: list[Foreign] = []
    for name in sorted(set(called) - own):
        rows = [(other, row) for other, row in index.get(name, ()) if other != path]
        entries = [_entry(name, other, row, know) for other, row in rows]
        if any(entry is None for entry in entries):
            continue  # facts of another shape: nothing certain about this name
        out.extend(e for e in entries if e is not None)
    return tuple(out)


def key(rows: tuple[Foreign, ...]) -> str:
    """A stable text of a module's imported functions, part of its per-file cache key."""
    return json.dumps(rows) if rows else ""


def _imports(body: list[ast.stmt]) -> Iterable[ast.Import | ast.ImportFrom]:
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield stmt
        elif isinstance(stmt, ast.If | ast.Try):
            yield from _imports([*stmt.body, *stmt.orelse])


def imported_calls(
    tree: ast.Module, rows: Iterable[Foreign]
) -> dict[str, tuple[list[str], dict[str, tuple[str, str]]]]:
    """The callee texts under which this module calls each imported project function ->
    ``(positional names, param -> meaning)``: ``build`` after ``from src.model import build``
    (the module named as the defining file), ``model.build`` after ``import src.model as
    model`` or ``from src import model``. A name imported from anywhere else is not it."""
    by_name: dict[str, list[Foreign]] = {}
    for row in rows:
        by_name.setdefault(row[0], []).append(row)
    out: dict[str, tuple[list[str], dict[str, tuple[str, str]]]] = {}
    if not by_name:
        return out

    def add(callee: str, row: Foreign) -> None:
        out[callee] = (list(row[2]), {p: (k, c) for p, k, c in row[3]})

    def one(rows: Iterable[Foreign], names: list[str]) -> Foreign | None:
        """The one candidate module the import names (its file, then its package, tell
        same-named functions apart); none when the import fits several."""
        fits = [row for row in rows if names[-1] in row[1]]
        if len(fits) > 1 and len(names) > 1:
            fits = [row for row in fits if names[-2] in row[1]]
        return fits[0] if len(fits) == 1 and (fits[0][2] or fits[0][3]) else None

    for stmt in _imports(tree.body):
        for alias in stmt.names:
            bound = alias.asname or alias.name
            if isinstance(stmt, ast.ImportFrom):
                names = (stmt.module or "").split(".")
                chosen = one(by_name.get(alias.name, ()), names)
                if chosen is not None:  # ``from src.model import build``
                    add(bound, chosen)
                names = [*names, alias.name]  # ``from src import model``: a module
            else:
                names = alias.name.split(".")
                bound = alias.asname or alias.name
            for rows_of in by_name.values():
                chosen = one(rows_of, names)
                if chosen is not None:
                    add(f"{bound}.{chosen[0]}", chosen)
    return out
