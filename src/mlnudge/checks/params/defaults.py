"""Defaults every call relies on (MLN201/202/203): a setting decided by what callers pass.

``def split(df, train=0.8, seed=42)`` says nothing on its own: a function's default is its
signature. Called as ``split(df)`` by the pipeline (and by no call that passes ``train``), the
default *is* the value every run uses, fixed in code as surely as ``split(df, 0.8, 42)``.
So the family looks at the project's calls, not at the parameter's name:

* each Python file's (and notebook's) calls of plain names (``split(df)``,
  ``Model(in_dim)``; ``utils.split(df)`` by its last part) are a per-file fact: how many
  positional arguments, which keywords, whether ``*args``/``**kwargs`` pass anything;
* a name handed on without a call (``node(func=split, ...)``, ``map(split, parts)``,
  ``flow=main``) has callers we cannot see (a Kedro pipeline, a scheduler): silent;
* tests are no callers: a test that relies on a default does not make it the pipeline's.

A top-level function (or a top-level class, through its ``__init__``) is then judged per
parameter: at least one call and none passes it means the default is what runs. A function
nobody calls, or one some call gives the value, stays silent; which defaults are settings at
all (well-known hyperparameter and seed names, split shares, data locations) the analyser
decides as for any literal.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from typing import Any

from mlnudge.checks.params.literals import is_main_guard
from mlnudge.facts.access import FileFacts
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import every_node, walk

#: one call: ``[positional count, passes *args/**kwargs, keyword names...]``
Call = tuple[int, bool, tuple[str, ...]]
#: what a module's analysis receives: ``(top-level def or class, calls, handed on)``
Slice = tuple[tuple[str, tuple[Call, ...], bool], ...]


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.attr  # ``utils.split(df)``, ``mod.Model(...)``
    return None


def _class_bound(func: ast.expr) -> str | None:
    """``Trainer.train_svm`` of ``Trainer.train_svm(df)`` (also ``models.Trainer.fit_svm``):
    a call through a class (or module) name, by its last two parts."""
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if isinstance(owner, ast.Name):
        return f"{owner.id}.{func.attr}"
    if isinstance(owner, ast.Attribute):
        return f"{owner.attr}.{func.attr}"
    return None


#: constructors that build an instance from parsed flags or a config (Lightning's
#: ``from_argparse_args``, the ``from_config``/``from_dict`` convention): they pass anything
FROM_SETTINGS = frozenset(
    {"from_argparse_args", "from_args", "from_config", "from_cfg", "from_dict", "from_hparams"}
)


def _built_from_settings(func: ast.expr) -> str | None:
    """``Model`` of ``Model.from_argparse_args(args)`` or ``Model().from_config(cfg)``."""
    if not isinstance(func, ast.Attribute) or func.attr not in FROM_SETTINGS:
        return None
    owner = func.value.func if isinstance(func.value, ast.Call) else func.value
    return _called_name(owner)


def static_kind(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """``"staticmethod"`` or ``"classmethod"`` for a method its callers reach through the
    class's name (``Trainer.train_svm(df)``), no instance in between; ``None`` otherwise."""
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod"):
            return decorator.id
    return None


def static_methods(cls: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The static and class methods of a class (see :func:`static_kind`)."""
    return [
        stmt
        for stmt in cls.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and static_kind(stmt)
    ]


def bound_methods(tree: ast.Module) -> list[str]:
    """The methods of the module's top-level classes a call ``obj.name(...)`` can be tied to
    by name alone: public, named by two words or more (``prepare_training_data``, not ``fit``
    or ``run``, which libraries share), and defined by one class of the module only."""
    seen: dict[str, int] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            for method in stmt.body:
                if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                    seen[method.name] = seen.get(method.name, 0) + 1
    return sorted(
        name
        for name, count in seen.items()
        if count == 1 and not name.startswith("_") and "_" in name
    )


#: builtins that only name a class (the class in ``super(Net, self)``, the Python 2 spelling
#: common in PyTorch modules, or ``isinstance(x, Net)``): neither a call of it nor a way to
#: hand it to callers we cannot see
NAMING_ONLY = frozenset({"super", "isinstance", "issubclass"})


def call_facts(module: PyModule) -> dict[str, Any]:
    """``{"defs": [...], "calls": {name: [[npos, star, kw...], ...]}, "refs": [...]}``: the
    module's top-level functions and classes (and the static and class methods of those
    classes, as ``Class.method``), its calls of plain names (and of ``Owner.name``), and the
    names it hands on without calling them (as an argument, a keyword value or an item)."""
    defs = sorted(
        [
            stmt.name
            for stmt in module.tree.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        + [
            f"{stmt.name}.{method.name}"
            for stmt in module.tree.body
            if isinstance(stmt, ast.ClassDef)
            for method in static_methods(stmt)
        ]
    )
    defs += sorted(set(bound_methods(module.tree)) - set(defs))
    calls: dict[str, set[tuple[int, bool, tuple[str, ...]]]] = {}
    refs: set[str] = set()

    def handed(value: ast.expr) -> None:
        if isinstance(value, ast.Name):
            refs.add(value.id)
        elif isinstance(value, ast.Attribute):
            refs.add(value.attr)
            bound = _class_bound(value)
            if bound is not None:
                refs.add(bound)

    for node in every_node(module.tree):
        if isinstance(node, ast.Call) and (built := _built_from_settings(node.func)):
            # ``DataModule.from_argparse_args(args)``: every parameter may come from the
            # parsed flags or the config, as with ``DataModule(**vars(args))``
            calls.setdefault(built, set()).add((0, True, ()))
        if isinstance(node, ast.Call):
            name = _called_name(node.func)
            star = any(isinstance(a, ast.Starred) for a in node.args) or any(
                k.arg is None for k in node.keywords
            )
            if name is not None:
                npos = sum(1 for a in node.args if not isinstance(a, ast.Starred))
                keywords = tuple(sorted(k.arg for k in node.keywords if k.arg is not None))
                calls.setdefault(name, set()).add((npos, star, keywords))
                bound = _class_bound(node.func)
                if bound is not None:
                    calls.setdefault(bound, set()).add((npos, star, keywords))
            if name in NAMING_ONLY and isinstance(node.func, ast.Name):
                continue  # ``super(Net, self)``, ``isinstance(x, Net)``: nothing is handed on
            for arg in node.args:
                handed(arg.value if isinstance(arg, ast.Starred) else arg)
            for keyword in node.keywords:
                handed(keyword.value)
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            for item in node.elts:
                handed(item)
        elif isinstance(node, ast.Dict):
            for item in node.values:
                handed(item)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name | ast.Attribute):
            handed(node.value)  # ``step = split``: called elsewhere under another name
        elif isinstance(node, ast.Return) and node.value is not None:
            handed(node.value)
    # the module's own entry point (``if __name__ == "__main__": prepare()``) runs its
    # functions as it calls them; a class built there is as often a smoke test: not counted
    functions = {
        stmt.name
        for stmt in module.tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    main: dict[str, set[tuple[int, bool, tuple[str, ...]]]] = {}
    for stmt in module.tree.body:
        if isinstance(stmt, ast.If) and is_main_guard(stmt.test):
            for node in (n for part in stmt.body for n in walk(part)):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in functions
                ):
                    star = any(isinstance(a, ast.Starred) for a in node.args) or any(
                        k.arg is None for k in node.keywords
                    )
                    npos = sum(1 for a in node.args if not isinstance(a, ast.Starred))
                    keywords = tuple(sorted(k.arg for k in node.keywords if k.arg is not None))
                    main.setdefault(node.func.id, set()).add((npos, star, keywords))
    return {
        "defs": defs,
        "calls": _rows(calls),
        "refs": sorted(refs),
        "main": _rows(main),
    }


def _rows(calls: Mapping[str, set[tuple[int, bool, tuple[str, ...]]]]) -> dict[str, Any]:
    return {
        name: [[npos, star, list(keywords)] for npos, star, keywords in sorted(found)]
        for name, found in sorted(calls.items())
    }


#: per Python file and notebook: its top-level definitions, its calls and the names it hands on
CALL_FACTS = FileFacts(call_facts, "6", suffixes=(".py", ".ipynb"))


class CallIndex:
    """Every call of the project's files (tests excluded), by called name and calling file.

    A call binds to the function its own file defines: ``split(df, 0.6)`` in a module with
    its own ``def split`` says nothing about another module's ``split``."""

    def __init__(self, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        self.calls: dict[str, list[tuple[str, set[Call]]]] = {}
        self.refs: dict[str, set[str]] = {}
        self.defined: dict[str, set[str]] = {}
        #: ``(path, name)`` -> the calls of the module's own ``__main__`` block
        self.main: dict[tuple[str, str], set[Call]] = {}
        for path, row in rows:
            try:
                for name in row["defs"]:
                    self.defined.setdefault(str(name), set()).add(path)
                for name, found in row["calls"].items():
                    calls = {
                        (int(npos), bool(star), tuple(str(k) for k in keywords))
                        for npos, star, keywords in found
                    }
                    self.calls.setdefault(str(name), []).append((path, calls))
                for name in row["refs"]:
                    self.refs.setdefault(str(name), set()).add(path)
                for name, found in row.get("main", {}).items():
                    self.main[(path, str(name))] = {
                        (int(npos), bool(star), tuple(str(k) for k in keywords))
                        for npos, star, keywords in found
                    }
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # facts of another shape: this file's calls are unknown

    def slice(self, path: str, defs: Iterable[str]) -> Slice:
        """What the analysis of the module ``path`` defining ``defs`` needs: per definition,
        the calls that may reach it and whether it is handed on somewhere (then its callers
        are unknown)."""
        out = []
        for name in sorted(set(defs)):
            own = self.main.get((path, name))
            if own:  # ``python module.py`` runs what its own entry point passes, nothing else
                out.append((name, tuple(sorted(own)), False))
                continue
            elsewhere = self.defined.get(name, set()) - {path}
            found: set[Call] = set()
            for caller, calls in self.calls.get(name, ()):
                if caller == path or caller not in elsewhere:
                    found |= calls
            if found:
                handed = any(p == path or p not in elsewhere for p in self.refs.get(name, ()))
                out.append((name, tuple(sorted(found)), handed))
        return tuple(out)


def key(rows: Slice) -> str:
    """A stable text of a module's slice, part of its per-file cache key."""
    return json.dumps(rows) if rows else ""


def relied_on(
    slice_: Slice, name: str, positional: list[str], keyword_only: list[str]
) -> set[str] | None:
    """The parameters of ``name`` that no call passes, when it is called at all and never
    handed on; ``None`` otherwise. ``positional``: its positional parameters in order (a
    class's ``__init__`` without ``self``)."""
    entry = next((row for row in slice_ if row[0] == name), None)
    if entry is None or entry[2] or not entry[1]:
        return None
    free = {*positional, *keyword_only}
    for npos, star, keywords in entry[1]:
        if star:
            return None  # ``f(*args)`` / ``f(**cfg)`` may pass anything
        free -= set(positional[:npos])
        free -= set(keywords)
    return free
