"""Family 3 (MLN3xx): every data transformation is run by at least one test.

Which functions transform data is decided from combined signals (module location, name,
DataFrame/array signature, DataFrame operations in the body, scikit-learn ``transform``
methods, Kedro nodes, a marker decorator); see :mod:`mlnudge.checks.transforms.identify`.

Whether a test runs one is decided per function by the best method available:

* **coverage** - a coverage.py data file with per-test contexts (``pytest --cov
  --cov-context=test``, or one made by ``mlnudge check --run-tests``) says which test ran which
  line; tests that only hand the function ``Mock`` objects are not counted
  (:mod:`mlnudge.checks.transforms.coverage`);
* **static** - a test calls it, directly or through project functions (``max-depth`` deep),
  with at least one real argument.

Each finding says which method decided (``details["decided_by"]``).
"""

from __future__ import annotations

import builtins
import fnmatch
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.checks.structure import pytest_settings
from mlnudge.checks.transforms.decide import Decision, decide, measure
from mlnudge.checks.transforms.emit import partial_finding, script_finding, untested_finding
from mlnudge.checks.transforms.evidence import FACTS_VERSION, module_facts
from mlnudge.checks.transforms.example import _value as _value  # the tests read it here
from mlnudge.checks.transforms.identify import (
    DEFAULT_NAMES,
    Candidate,
    Identify,
    KindOf,
    imported_kinds,
    kedro_nodes,
    kinds_by_body,
)
from mlnudge.checks.transforms.importers import unimported
from mlnudge.checks.transforms.reach import (
    Reach,
    compute_reach,
    find_mock_fixtures,
    find_object_fixtures,
    test_functions,
)
from mlnudge.checks.transforms.reachfacts import REACH_VERSION, reach_facts
from mlnudge.checks.transforms.roleof import Role, RoleIndex, function_role, pipeline_roles
from mlnudge.checks.transforms.roles import ROLES_VERSION, role_facts
from mlnudge.checks.transforms.rules import OPTIONS, PARTIAL, RULES, SCRIPT, UNTESTED
from mlnudge.checks.transforms.sinks import REPORT_ONLY, SINKS_VERSION, report_only, sink_facts
from mlnudge.checks.transforms.static import FuncKey, Index, module_names
from mlnudge.checks.transforms.verdict import (
    PLAIN_COPY,
    THIN_WRAPPER,
    TRUTH_AND_PREDICTIONS,
    Verdict,
    Weights,
    judge,
)
from mlnudge.facts.access import FileFacts
from mlnudge.facts.repo import PyModule
from mlnudge.finding import Finding
from mlnudge.project import generated_roots, is_generated, is_test_path
from mlnudge.settings import path_matches

_BUILTINS = frozenset(dir(builtins))

#: the format of the cached reach (:func:`_reach_to_json`): bump when it changes
REACH_FORMAT = "reach-3"
#: top-level data operations (``__main__`` blocks included) from which a script is reported
SCRIPT_MIN_OPS = 2


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(UNTESTED.code, PARTIAL.code, SCRIPT.code):
        return
    decisions, scripts = analyse(ctx)
    for d in decisions:
        if not d.tested and ctx.enabled(UNTESTED.code):
            yield untested_finding(ctx, d)
        elif (
            d.share is not None
            and d.share < ctx.options.float("min-covered-share")
            and ctx.enabled(PARTIAL.code)
        ):
            yield partial_finding(d)
    if ctx.enabled(SCRIPT.code):
        for path, line in scripts:
            yield script_finding(ctx, path, line)


def analyse(ctx: CheckContext) -> tuple[list[Decision], list[tuple[str, int]]]:
    """Every transformation in scope with its decision, and the module-level scripts."""
    opts = ctx.options
    rules = Identify(
        names=re.compile("|".join((*DEFAULT_NAMES, *opts.list("names"))), re.IGNORECASE),
        include=opts.list("include"),
        exclude=opts.list("exclude"),
        marker=opts.str("marker"),
        library=ctx.project.profile == "library",
    )
    index = Index(ctx.repo.files, lambda path: ctx.facts(path, REACH_FACTS), rules.exclude)
    # what a tool wrote (an MLflow run store's logged copy of the feature module, a saved
    # model's bundled code) is a copy of the project's code, not code to test again
    generated = generated_roots(ctx.repo.files)
    production = [
        f
        for f in ctx.repo.with_suffix(".py")
        if not is_test_path(f)
        and not is_generated(f, generated)
        and not any(path_matches(f, g) for g in rules.exclude)
    ]
    # modules only named like tests that the application imports are its code
    code = _code_named_like_tests(ctx, index, production, rules)
    production += sorted(code)
    tests = [t for t in collected_test_files(ctx) if t not in code]
    reach, kedro = _reach_and_nodes(ctx, index, tests, production)

    scope, wanted = _scope(ctx, index, reach, production, tests)
    # a changed file is judged whole, helpers nested in its functions included
    changed = frozenset(ctx.targets or ())
    kind_of = kinds_by_body(lambda p: ctx.facts(p, MODULE_FACTS), ctx.repo.files, rules.marker)
    # the functions whose every call site in the project shows, logs, plots or scores their result
    shown = report_only(
        ctx.facts(f, SINK_FACTS)
        for f in ctx.repo.files
        if f.endswith((".py", ".ipynb"))
        and (not is_test_path(f) or f in code)
        and not any(path_matches(f, g) for g in rules.exclude)
    )
    roles = _pipeline_roles(ctx, rules, production, kedro, code)
    found: list[Candidate] = []
    scripts = []
    imported: set[str] | None = None  # the project's modules other files import (lazily)
    for path in scope:
        facts = ctx.facts(path, MODULE_FACTS)
        if facts is None:
            continue
        here = [
            c
            for c in candidates(
                index,
                path,
                facts,
                rules,
                kedro,
                kind_of=kind_of,
                shown=shown,
                roles=roles,
                code=code,
            )
            if wanted is None or c.key in wanted or path in changed
        ]
        found += here
        script = facts["script"]
        if (
            facts["data_lib"]
            and not path.endswith("__init__.py")
            and script["ops"] >= SCRIPT_MIN_OPS
            and not (rules.library and _usage_example(path))
        ):
            if script.get("loose") == 0:
                # all of it under the ``__main__`` guard of a module the project imports: a
                # demonstration of the module's functions, which are what is used (and tested)
                if imported is None:
                    imported = _imported_modules(index, [*production, *tests])
                if path in imported:
                    continue
            scripts.append((path, script["first"]))

    if not rules.library:
        found = _without_unimported(ctx, index, [*production, *tests], found)
    dynamic = measure(ctx, found)
    doctests = doctests_collected(ctx)
    decisions = [decide(ctx, index, reach, dynamic, c, doctests) for c in found]
    _summary(ctx, decisions)
    return decisions, scripts


#: the role a module's place alone gives (:func:`~.roleof.candidate_role`)
_PLACED = ("it sits in a data-preparation module", "its name `")


def _without_unimported(
    ctx: CheckContext, index: Index, code: list[str], found: list[Candidate]
) -> list[Candidate]:
    """``found``, with the candidates whose only evidence is their module's place (a data
    folder, a module that trains) made information when nothing in the project imports that
    module and it does not run by itself: a data folder's module nobody uses is not the
    pipeline's (:mod:`~mlnudge.checks.transforms.importers`)."""
    placed = {c.path for c in found if c.role is not None and c.role.text.startswith(_PLACED)}
    if not placed:
        return found
    dead = unimported(index, code, sorted(placed), ctx.repo.files, ctx.repo.text)
    if not dead:
        return found
    return [
        replace(
            c,
            role=Role(
                "", f"nothing in the project imports `{c.path}`, and it does not run by itself"
            ),
        )
        if c.path in dead and c.role is not None and c.role.text.startswith(_PLACED)
        else c
        for c in found
    ]


def _code_named_like_tests(
    ctx: CheckContext, index: Index, production: list[str], rules: Identify
) -> frozenset[str]:
    """Modules named like tests (``prefect_test.py``) outside any test folder that define no
    test and no fixture, and that a module of the application imports
    (``from prefect_test import align_to_signature`` in the service): the application's code,
    whatever pytest's file pattern says."""
    named = [
        f
        for f in ctx.repo.with_suffix(".py")
        if is_test_path(f)
        and not f.endswith("conftest.py")
        and not is_test_path(f.rpartition("/")[0] + "/x.py")  # not a test folder's file
        and not any(path_matches(f, g) for g in rules.exclude)
    ]
    if not named:  # most projects: spare the look at what the application imports
        return frozenset()
    empty = set()
    for path in named:
        info = index.module(path)
        if info is not None and not any(
            fn["fx"] or qual.rpartition(".")[2].startswith("test")
            for qual, fn in info.functions.items()
        ):
            empty.add(path)
    if not empty:
        return frozenset()
    return frozenset(empty & _imported_modules(index, production))


def _pipeline_roles(
    ctx: CheckContext,
    rules: Identify,
    production: list[str],
    kedro: set[FuncKey],
    code: frozenset[str] = frozenset(),
) -> RoleIndex:
    """Per function name, why its result is part of the data pipeline where the project calls
    it (:func:`~mlnudge.checks.transforms.roleof.pipeline_roles`)."""
    defined: dict[str, list[str]] = {}
    for path in production:
        facts = ctx.facts(path, MODULE_FACTS)
        for fn in (facts or {}).get("functions", ()):
            if not fn["nested"]:
                defined.setdefault(fn["name"], []).append(path)
    return pipeline_roles(
        (
            (f, ctx.facts(f, ROLE_FACTS))
            for f in ctx.repo.files
            if f.endswith((".py", ".ipynb"))
            and (not is_test_path(f) or f in code)
            and not any(path_matches(f, g) for g in rules.exclude)
        ),
        defined,
        nodes={qual.rsplit(".", 1)[-1] for _path, qual in kedro},
        names=rules.names,
    )


def _imported_modules(index: Index, paths: Sequence[str]) -> set[str]:
    """The project's modules that another of ``paths`` imports (``import m``, ``from m import
    f``, ``from .m import *``)."""
    found: set[str] = set()
    for path in paths:
        info = index.module(path)
        if info is None:
            continue
        names = [*info.star_imports]
        for kind, a, b in info.bindings.values():
            if kind == "import":
                names.append(a)
            elif kind == "from":
                names += [a, f"{a}.{b}"]
        for name in names:
            target = index.locate(name, path)
            if target is not None and target != path:
                found.add(target)
    return found


def _reach_and_nodes(
    ctx: CheckContext, index: Index, tests: list[str], production: list[str]
) -> tuple[Reach, set[FuncKey]]:
    """Which tests reach which functions, and the Kedro node functions.

    A graph search over every Python file's reach facts. The result depends on every file's
    reach facts and nothing else of them, so it is cached under a key made of every file's
    path and a digest of its reach facts (an unchanged file is not even read to make it): a
    warm run reuses it, and so does a run whose edits changed no reach fact; otherwise it is
    recomputed from the cached facts of the unchanged files and the new facts of the changed
    ones.
    """
    key = None
    if ctx.cache is not None:
        parts = [
            REACH_VERSION,
            "4",  # the resolution's own version: classes listed for parametrize are built
            str(ctx.options.int("max-depth")),
            *index.excluded,
            "|",
            *tests,
        ]
        parts.append("|")
        # keyed by every file's reach *facts*: an edit that changes none of them (a comment,
        # a literal, a docstring: what a hook run usually sees) reuses the cached reach
        for path in ctx.repo.with_suffix(".py"):
            parts += [path, ctx.store.fingerprint(path, REACH_FACTS, ctx.family)]
        key = ctx.cache.make_key(ctx.cache.salt, ctx.family, "<reach>", *parts)
        cached = ctx.cache.get_facts(key)
        if isinstance(cached, dict):
            try:
                reach = _reach_from_json(cached["reach"])
                kedro = {(a, b) for a, b in cached["kedro"]}
            except (KeyError, IndexError, TypeError, ValueError):
                pass
            else:
                return reach, kedro
    for path in ctx.repo.with_suffix(".py"):  # every file's facts in the store (see above)
        index.module(path)
    index.mock_fixtures = find_mock_fixtures(index, tests)
    index.object_fixtures = find_object_fixtures(index, tests)
    reach = compute_reach(index, test_functions(index, tests), ctx.options.int("max-depth"))
    kedro = kedro_nodes(index, production)
    # not on the hook path: its content changes with every commit that changes a reach fact,
    # and the store keeps what a hook run adds until a full run prunes it
    if ctx.cache is not None and key is not None and ctx.targets is None:
        ctx.cache.put_facts(key, {"reach": _reach_to_json(reach), "kedro": sorted(kedro)})
    return reach, kedro


def _reach_to_json(reach: Reach) -> dict[str, Any]:
    """Compact: the paths and the functions once, then per test the numbers of the functions
    it reaches with real arguments and of those it reaches only through ``Mock`` ones."""
    keys = sorted({fn for test, fns in reach.reaches.items() for fn in (test, *fns)})
    paths = sorted({p for p, _ in keys})
    number = {p: i for i, p in enumerate(paths)}
    index = {fn: i for i, fn in enumerate(keys)}
    rows = []
    for test, fns in sorted(reach.reaches.items()):
        real = sorted(index[f] for f in fns if test in reach.tested_by.get(f, ()))
        mocked = sorted(index[f] for f in fns if test not in reach.tested_by.get(f, ()))
        rows.append([index[test], real, mocked])
    return {"paths": paths, "functions": [[number[p], q] for p, q in keys], "tests": rows}


def _reach_from_json(raw: dict[str, Any]) -> Reach:
    paths: list[str] = raw["paths"]
    keys: list[FuncKey] = [(paths[p], q) for p, q in raw["functions"]]
    reach = Reach()
    for test_number, real, mocked in raw["tests"]:
        test = keys[test_number]
        reached: set[FuncKey] = set()
        for table, numbers in ((reach.tested_by, real), (reach.mocked_by, mocked)):
            for n in numbers:
                fn = keys[n]
                table.setdefault(fn, set()).add(test)
                reached.add(fn)
        reach.reaches[test] = reached
    return reach


def collected_test_files(ctx: CheckContext) -> list[str]:
    """The files pytest collects (``python_files`` below ``testpaths``) and every
    ``conftest.py``: a script that calls a function from ``main()`` is not a test."""
    settings = pytest_settings(ctx.repo)
    roots = [t.strip("/").removeprefix("./") for t in settings.testpaths]
    found = []
    for path in ctx.repo.with_suffix(".py"):
        parts = path.split("/")
        if any(p.startswith(".") for p in parts[:-1]):
            continue
        if parts[-1] == "conftest.py":
            found.append(path)
            continue
        if not any(fnmatch.fnmatch(parts[-1], glob) for glob in settings.python_files):
            continue
        if roots and not any(
            r in ("", ".") or path == r or path.startswith(r + "/") for r in roots
        ):
            continue
        found.append(path)
    return found


def doctests_collected(ctx: CheckContext) -> bool:
    """``--doctest-modules`` in the pytest configuration: docstring examples are tests."""
    for rel in ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"):
        if rel in ctx.repo.files and "--doctest-modules" in (ctx.repo.text(rel) or ""):
            return True
    return False


def is_private(qualname: str) -> bool:
    """``_helper``, ``Encoder._fit``, ``_Boundary.validate``: not part of a public API
    (``Mixup.__call__`` is: ``mixup(X, y)`` calls it)."""
    return any(
        part.startswith("_") and not (part.startswith("__") and part.endswith("__"))
        for part in qualname.split(".")
    )


def candidates(
    index: Index,
    path: str,
    facts: dict[str, Any],
    rules: Identify,
    kedro: set[FuncKey],
    *,
    kind_of: KindOf | None = None,
    shown: frozenset[str] = frozenset(),
    roles: RoleIndex | None = None,
    code: frozenset[str] = frozenset(),
) -> Iterator[Candidate]:
    """The transformations (and builders) among a module's functions, judged from its facts
    (``code``: modules named like tests that are the application's)."""
    if (is_test_path(path) and path not in code) or any(
        path_matches(path, g) for g in rules.exclude
    ):
        return
    names = module_names(path, index.files)
    module = names[0] if names else path
    functions = _through_loaders(index, path, facts["functions"], kind_of)
    classes = _with_project_bases(index, path, facts["classes"])
    included = any(path_matches(path, glob) for glob in rules.include)
    # a data location says "data" where the module imports a third-party library or nothing at
    # all; a module built only on the standard library and the project's own code (mlnudge's own
    # ``checks/transforms/`` walks syntax trees) is judged on its body alone
    imported = set(facts.get("imports", ()))
    outside = imported - sys.stdlib_module_names - index.top_packages
    location = rules.location(path) and not included and (bool(outside) or not imported)
    evaluation = rules.evaluation(path) and (not location or rules.nearer_evaluation(path))
    display = rules.display(path) and not location
    #: a helper nested in a transformation is run by its enclosing function's tests and
    #: reported with it (``formato_weight.convertir``): only one finding for the two
    found: set[str] = set()
    #: module-level functions that are transformations by their own body, by bare name
    judged = {
        fn["name"]: judge(
            fn,
            classes,
            Weights(location=location, included=included, data_module=bool(facts["data_lib"])),
            rules.marker,
        )
        for fn in functions
        if fn["cls"] is None and not fn["nested"]
    }
    local = {name: v.kind for name, v in judged.items()}
    if kind_of is not None:  # steps imported by name from the project's other modules
        handed = {n for fn in functions for n in (fn.get("pipe") or {}).get("hands", ())}
        handed |= {n for fn in functions for n in fn.get("hands", ())}
        local.update(imported_kinds(index, path, sorted(handed - set(local)), kind_of))
    #: module functions that fit or tune a model by their own body (``get_inertia(X, k)``
    #: doing ``KMeans(k).fit(X)``): one that hands its data to them is model code too
    fitting = {
        fn["name"]
        for fn in functions
        if fn["cls"] is None
        and not fn["nested"]
        and any(_models(n) for n in fn["negative"])
        # a helper that fits a decomposition or encoder and transforms with it (``NMF``'s
        # ``fit_transform``) makes features: handing data to it is feature engineering
        and not any(op[0].endswith(("transform", "fit_resample")) for op in fn["ops"])
    }
    # ... and so is one handing its data to such a function in turn: a bootstrap over a
    # cross-validation loop that fits through the module's helpers and scores with its own
    # RMSE helper validates models, whatever it does to the rows it draws
    fitting = _closure(functions, fitting)
    #: ... those among them that score models (a metric or a loss, by their body or through
    #: such a helper): a pipeline handing its data to one validates models
    scores = _closure(
        functions,
        {
            fn["name"]
            for fn in functions
            if fn["cls"] is None
            and not fn["nested"]
            and any(
                n.startswith(("metric:", "loss:")) or _EVALUATES.search(n) for n in fn["negative"]
            )
        },
    )
    # a function handing its data to those helpers fits or evaluates models (a loop over
    # methods that fit, predict and score): a pipeline through it is orchestration, not a
    # chain of transformations
    for fn in functions:
        name = fn["name"]
        if (
            fn["cls"] is None
            and not fn["nested"]
            and local.get(name) == "transformation"
            and "marker" not in judged[name].signals
            and any(n in fitting and n != name for n in fn.get("hands", ()))
        ):
            local[name] = ""
    scoring: set[str] = set()
    for fn in functions:
        qual = fn["q"]
        cls = fn["cls"]
        if rules.library and is_private(qual):
            continue  # a library's private helper is tested through its public API
        bare = fn["name"].lstrip("_")
        by_name = bool(rules.names.search(bare)) or bool(
            cls is not None and fn["name"] in ("__call__", "apply") and rules.names.search(cls)
        )
        weights = Weights(
            name=by_name,
            location=location,
            included=included,
            kedro=(path, qual) in kedro,
            data_module=bool(facts["data_lib"]),
            evaluation=evaluation,
            display=display,
            augmentation=rules.augmentation(path),
        )
        verdict = judge(fn, classes, weights, rules.marker)
        if verdict.kind == "transformation" and fn.get("hands_on"):
            verdict = replace(verdict, signals=(*verdict.signals, THIN_WRAPPER))
        pipe = fn.get("pipe") or {}
        wraps = ""  # the one project step a wrapper hands its data to
        if cls is None and (
            verdict.rejected in ("no data operations", PLAIN_COPY)
            or (
                verdict.rejected == "takes no data"
                and not fn["nested"]
                and pipe.get("out") == "derived"
                # what it returns is what one of the module's transformations gives back, or
                # it shapes what one gave back with table operations (``pd.concat``, ``apply``)
                and any(
                    local.get(n) == "transformation"
                    for n in pipe.get("returned") or (pipe["hands"] if pipe.get("tables") else ())
                )
            )
        ):
            # a cleaning pipeline: its data goes through the module's own transformations
            # (``x = drop_columns(x, cols)``, ``x = log_transform(x)``) and comes back out; also
            # when the parameter shows no data use of its own (``X = smooth(X)`` then
            # ``return forward_difference(X, t)``): the functions it goes through say it is data
            no_data = verdict.rejected == "takes no data"
            steps = [
                name
                for name in (pipe["hands"] if no_data else fn.get("hands", ()))
                if name in local and local[name] == "transformation"
            ]
            handed = {
                n
                for n in (pipe["hands"] if no_data else fn.get("hands", ()))
                # (``len(out)`` for a log line, ``print``: no step of the project's)
                if n not in _BUILTINS and not n.startswith(("logger.", "logging.", "log."))
            }
            # ``return preprocess_data(df, params)`` behind a node of its own name, or
            # ``data = add_lags(data, lags=[6, 144])`` then ``return data, cols``: one step
            # of the project's, handed the data and given back, is a one-call wrapper; the
            # step is judged (and tested) on its own, the wrapper holds no logic to test
            # (a library split after the step, ``train_test_split``, is work of its own):
            # information, so that the step's own finding is the one to act on
            one_step = (
                len(handed) == 1
                and handed == set(steps)
                and fn["params"]  # what it reads itself is its input (a loader, then a step)
                and not set(steps) & set(fn.get("repeated", ()))  # one step for each input
                # and nothing else of the project's: a node loading more tables
                # (``_load_datasets(params[...])``) before the step gathers its inputs
                and set(fn.get("called", ())) - _BUILTINS <= handed
                and not (no_data and pipe.get("tables"))
            )
            wraps = steps[0] if one_step else ""
            if steps:
                listed = ", ".join(f"`{n}()`" for n in steps[:3])
                owner = "module's own" if set(steps) <= set(judged) else "project's"
                why = pipe["out_why"] if no_data else fn["out_why"] or fn["mutates"]
                verdict = Verdict(
                    "transformation",
                    f"{why} through the {owner} transformations ({listed})",
                    (*weights.labels(), "data-in-out", "pipeline"),
                )
        fits = [
            n
            for n in _handed(fn)
            if n != fn["name"]
            # a pipeline whose steps include one that fits by itself (an outlier filter built
            # on an ``IsolationForest``) is still a pipeline; one through a validation loop
            # (a bootstrap over cross-validation) validates what it fits
            and (n in scores if "pipeline" in verdict.signals else n in fitting)
        ]
        if verdict.kind == "transformation" and fits and "marker" not in verdict.signals:
            # model selection over fits (an elbow search over ``get_inertia(X, k)``), or a
            # training step through the module's own helper: the data goes into a model
            verdict = Verdict("", "", rejected=f"fits a model through `{fits[0]}()`")
        if (
            verdict.kind == "transformation"
            and fn["name"] in shown
            and cls is None  # a method's call sites cannot be told apart by name
            and (path, qual) not in kedro
            and "marker" not in verdict.signals
            and not fn["nested"]
            and verdict.why.startswith("returns")
        ):
            # what it gives back is only ever printed, plotted, logged or scored where the
            # project calls it: a report (an error table per bin, a dashboard's frame)
            verdict = Verdict("", "", rejected=REPORT_ONLY)
        if verdict.kind == "transformation":
            found.add(qual)
        elif verdict.rejected == TRUTH_AND_PREDICTIONS or _model_code(verdict.rejected):
            # (a helper nested in a training or evaluation function, ``decode(rep)`` inside a
            # training loop turning outputs back into class ids for its accuracy, is part of
            # that model code, like a helper nested in a transformation is part of it)
            scoring.add(qual)
        if fn["nested"] and qual.rpartition(".")[0] in found | scoring:
            # (a helper nested in an evaluation, ``weighted_quantile`` inside a function
            # comparing predictions with the truth, is part of that evaluation)
            continue
        if verdict.kind:
            yield Candidate(
                path,
                module,
                qual,
                fn["line"],
                verdict.signals,
                verdict.why,
                verdict.kind,
                nested=fn["nested"],
                doctest=fn["doctest"],
                example=_example_facts(fn, facts["classes"]),
                role=None
                if roles is None
                else Role("", f"it only hands its data to `{wraps}()`, which is judged on its own")
                if wraps
                else Role("", "it only hands its inputs on to another object's method")
                if THIN_WRAPPER in verdict.signals
                else function_role(
                    path,
                    qual,
                    fn,
                    verdict.signals,
                    classes.get(cls, {}).get("bases", []) if cls else [],
                    roles,
                    names=rules.names,
                    library=rules.library,
                ),
            )


#: a call of a project function named for evaluation (``evaluate_model``, ``compute_metrics``)
_EVALUATES = re.compile(r"^model: trains, predicts or evaluates \(`(evaluate|score|\w+_metrics?)")


def _closure(functions: list[dict[str, Any]], seeds: set[str]) -> set[str]:
    """``seeds`` and, in turn, every module function handing its data to one of them (a
    bootstrap that hands each draw to a cross-validation loop)."""
    found = set(seeds)
    grown = True
    while grown:
        grown = False
        for fn in functions:
            if (
                fn["cls"] is None
                and not fn["nested"]
                and fn["name"] not in found
                and any(n in found and n != fn["name"] for n in _handed(fn))
            ):
                found.add(fn["name"])
                grown = True
    return found


def _handed(fn: dict[str, Any]) -> list[str]:
    """The module's functions called by bare name with the function's data: its parameters
    and what is computed from them (``pipe``, for a function whose parameters show no data
    use of their own)."""
    return [*fn.get("hands", ()), *(fn.get("pipe") or {}).get("hands", ())]


def _model_code(rejected: str) -> bool:
    """Why a function is no transformation says it trains, tunes or evaluates models."""
    return _models(rejected) or rejected.startswith(("optimiser:", "fits a model through"))


def _models(negative: str) -> bool:
    """A negative that says the body fits, tunes, trains or scores a model by itself (not one
    that only runs a model: post-processing its predictions into columns is data work)."""
    if negative.startswith(("fit:", "tuning:", "model: computes", "metric:", "loss:")):
        return True
    # ``fit_model(m, X, y)``, ``evaluate(m, X, y)``, ``compute_metrics(...)``; not
    # ``predict_*``/``inference`` helpers
    return negative.startswith("model: trains, predicts or evaluates (`") and not negative.split(
        "(`", 1
    )[1].startswith(("predict", "run_inference", "inference"))


def _through_loaders(
    index: Index, path: str, functions: list[dict[str, Any]], kind_of: KindOf | None
) -> list[dict[str, Any]]:
    """The module's functions, each one that binds data from a project function reading a
    table (``data = load_data()`` imported from the project's loader module) judged with
    that data as its input (``via``, see :mod:`~mlnudge.checks.transforms.evidence`)."""
    if kind_of is None or not any("via" in fn for fn in functions):
        return functions
    out = []
    for fn in functions:
        via = fn.get("via")
        kinds = imported_kinds(index, path, via["callees"], kind_of) if via else {}
        if via and any(k in ("loader", "transformation") for k in kinds.values()):
            out.append({**via["facts"], "example": fn.get("example")})
        else:
            out.append(fn)
    return out


def _with_project_bases(index: Index, path: str, classes: dict[str, Any]) -> dict[str, Any]:
    """The module's classes, each one built on a class of another of the project's modules
    given that class's bases too, in turn (``class SENet(BaseModule)`` with the project's
    ``BaseModule(nn.Module)``): a method of a project model's subclass is model code."""
    if not classes or index.module(path) is None:
        return classes
    out = dict(classes)
    for name, info in classes.items():
        extra: list[str] = []
        todo = [(path, list(info.get("bases", [])))]
        seen: set[tuple[str, str]] = set()
        while todo and len(seen) < 20:
            where, bases = todo.pop()
            for sym in index.base_classes(where, bases):
                key = (sym[1], sym[2])
                if key in seen or sym[1] == path:
                    continue
                seen.add(key)
                other = index.module(sym[1])
                above = [b for b in (other.classes.get(sym[2], []) if other else []) if b]
                extra += above
                todo.append((sym[1], above))
        if extra:
            out[name] = {**info, "bases": [*info.get("bases", []), *extra]}
    return out


def _example_facts(fn: dict[str, Any], classes: dict[str, Any]) -> dict[str, Any]:
    """What the example test of ``fn`` needs from the module facts (its parts, its class's)."""
    qualname = fn["q"].rsplit(".", 1)[-1] if fn["nested"] else fn["q"]
    owner = qualname.rpartition(".")[0]
    return {"parts": fn.get("example"), "class": classes.get(owner) if owner else None}


def _scope(
    ctx: CheckContext, index: Index, reach: Reach, production: list[str], tests: list[str]
) -> tuple[list[str], set[FuncKey] | None]:
    """Modules to look at and (on the hook path) the functions to re-check."""
    if ctx.targets is None:
        return production, None
    prod = set(production)
    changed = [t for t in ctx.targets if t in prod]
    wanted: set[FuncKey] = set()
    for path in changed:
        info = index.module(path)
        if info is not None:
            wanted |= {(path, q) for q in info.functions}
    for test in (t for t in ctx.targets if t in set(tests)):
        for key, fns in reach.reaches.items():
            if key[0] == test:
                wanted |= fns
        info = index.module(test)
        if info is None:
            continue
        for name in info.bindings:  # imported but maybe no longer called
            sym = index.resolve_in(test, [name])
            if sym is None or sym[1] not in prod:
                continue
            if sym[0] == "func":
                wanted.add((sym[1], sym[2]))
            elif sym[0] == "module":
                target = index.module(sym[1])
                wanted |= {(sym[1], q) for q in (target.functions if target else {})}
    paths = sorted({p for p, _ in wanted} | set(changed))
    return paths, wanted


def _summary(ctx: CheckContext, decisions: Sequence[Decision]) -> None:
    decisions = [d for d in decisions if d.candidate.kind == "transformation"]
    if not decisions:
        return
    tested = sum(d.tested for d in decisions)
    by = {m: sum(d.decided_by == m for d in decisions) for m in ("coverage", "static", "doctest")}
    how = {
        "coverage": "by running the tests",
        "static": "by reading the tests",
        "doctest": "by doctests",
    }
    methods = ", ".join(f"{n} {how[m]}" for m, n in by.items() if n)
    ctx.notes.append(
        f"transforms: {tested} of {len(decisions)} transformation functions are run by tests "
        f"(decided {methods})"
    )


def _module_facts(module: PyModule) -> dict[str, Any]:
    return module_facts(module.tree, module.path)


#: folders of a library that show it in use rather than make it up
EXAMPLE_FOLDERS = frozenset({"examples", "example", "docs", "doc", "figures"})


def _usage_example(path: str) -> bool:
    """A library's example or figure script (``examples/regression.py``, ``figures/toy.py``):
    its top-level code is the point, reading a data set and calling the library on it for a
    reader; the library is what tests run, through its public API."""
    return any(part in EXAMPLE_FOLDERS for part in path.split("/")[:-1])


#: the identification summary of each module (functions, classes, script operations)
MODULE_FACTS = FileFacts(_module_facts, FACTS_VERSION)
#: what test reach resolves in each module (bindings, per function calls and references)
REACH_FACTS = FileFacts(reach_facts, REACH_VERSION)
#: where each call's result goes (a report or on as data), per callee name
SINK_FACTS = FileFacts(sink_facts, SINKS_VERSION, suffixes=(".py", ".ipynb"))
#: where each call's result goes in the pipeline (a model, a loader, a file), per callee name
ROLE_FACTS = FileFacts(role_facts, ROLES_VERSION, suffixes=(".py", ".ipynb"))

SPEC = FamilySpec(
    name="transforms",
    rules=RULES,
    options=OPTIONS,
    check=check,
    file_facts=(MODULE_FACTS, REACH_FACTS, SINK_FACTS, ROLE_FACTS),
)
