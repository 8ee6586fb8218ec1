"""Where each call's result goes: a report (printed, plotted, logged, scored) or on as data.

:func:`sink_facts` reads one module (a notebook's cells too) and records, per callee's last
name (``clean`` for ``clean(df)``, ``utils.clean(df)`` and ``self.clean(df)``), one word per
call site: ``report`` when the result only reaches a print, a log, a plot, a dashboard
widget, or a decision (a comparison a branch tests), ``data`` otherwise (returned,
handed to a fit, a model, another function, written, kept). Names are not resolved: a
function whose every call site in the repository, by its name, is a report makes a report,
and a single call site of that name handing the result on keeps it (a collision can only
keep a function, never drop one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

from mlnudge.checks.transforms.nodes import dotted
from mlnudge.checks.transforms.reachfacts import is_main_block
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import every_node

#: facts format version: bump when the summary changes shape or meaning
SINKS_VERSION = "transforms-sinks-5"

#: why a transformation by its body is none: what it gives back is only ever shown
REPORT_ONLY = "its result is only printed, plotted, logged or scored where the project calls it"

#: calls whose arguments are shown, not used: printing, logging, plotting, dashboards
_REPORT_HEADS = frozenset(
    {"plt", "sns", "px", "go", "st", "ax", "axes", "axs", "fig", "logger", "logging", "log"}
)
_REPORT_FUNCS = frozenset({"print", "pprint", "display", "tabulate", "wandb.log"})
#: methods of a frame or an array that show it (``df.head()``, ``err.plot()``)
_SHOW_METHODS = frozenset(
    {"plot", "hist", "boxplot", "head", "tail", "describe", "info", "to_markdown", "to_string"}
)

#: what says how big a value is, not what it holds
_SIZES = frozenset({"shape", "size", "ndim", "dtypes", "dtype", "columns", "index"})

#: reductions to a number, followed to where the number goes
_REDUCTIONS = frozenset({"max", "min", "mean", "sum", "median", "std", "item", "idxmax", "idxmin"})


def sink_facts(module: PyModule) -> dict[str, Any]:
    """Per callee last name, the sink of each call site's result (see the module docstring)."""
    out: dict[str, list[str]] = {}
    # a notebook's cells and a ``__main__`` block demonstrate: what they show can keep a
    # function (a call site handing it on) but never make it a report
    demo = module.path.endswith(".ipynb")
    top = [s for s in module.tree.body if not is_main_block(s)]
    mains = [s for s in module.tree.body if is_main_block(s)]
    for stmt in mains:
        assert isinstance(stmt, ast.If)
        _body(stmt.body, out, demo=True)
    # so does a script's loose top level (``X, y = load(); print(X)``), but not a Streamlit
    # page's: the page is the application, its widgets what it gives
    page = any(
        isinstance(n, ast.Import | ast.ImportFrom)
        and any(
            (a.name if isinstance(n, ast.Import) else n.module or "").split(".")[0] == "streamlit"
            for a in n.names
        )
        for n in module.tree.body
    )
    _body(top, out, demo=demo or not page)
    bodies: list[list[ast.stmt]] = [
        n.body
        for n in every_node(module.tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for body in bodies:
        _body(body, out, demo=demo)
    return {"sinks": {name: sorted(set(kinds)) for name, kinds in out.items()}}


def _body(body: list[ast.stmt], out: dict[str, list[str]], *, demo: bool = False) -> None:
    parents: dict[int, ast.AST] = {}
    stmts = [
        s for s in body if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    for stmt in stmts:
        for node in _walk_shallow(stmt):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
    loads: dict[str, list[ast.Name]] = {}
    for stmt in stmts:
        for node in _walk_shallow(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                loads.setdefault(node.id, []).append(node)
    for stmt in stmts:
        for node in _walk_shallow(stmt):
            if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load):
                # a function handed on by reference (``node(func=f)``, ``df.apply(f)``) is run
                # where this file cannot see: data
                above = parents.get(id(node))
                if not (isinstance(above, ast.Call) and above.func is node) and not isinstance(
                    above, ast.Attribute
                ):
                    ref = node.id if isinstance(node, ast.Name) else node.attr
                    out.setdefault(ref, []).append("data")
                continue
            if not isinstance(node, ast.Call):
                continue
            name = dotted(node.func)
            if name is None:
                continue
            last = name.rsplit(".", 1)[-1]
            sink = _sink(node, parents, loads)
            out.setdefault(last, []).append("demo" if demo and sink != "data" else sink)


def _walk_shallow(stmt: ast.stmt) -> list[ast.AST]:
    """The nodes of ``stmt``, not entering nested functions, lambdas or classes."""
    found: list[ast.AST] = []
    todo: list[ast.AST] = [stmt]
    while todo:
        node = todo.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ):
                todo.append(child)
    return found


def _sink(call: ast.Call, parents: dict[int, ast.AST], loads: dict[str, list[ast.Name]]) -> str:
    parent = parents.get(id(call))
    if isinstance(parent, ast.Assign) and parent.value is call:
        names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
        for t in parent.targets:
            if isinstance(t, ast.Tuple):
                names += [e.id for e in t.elts if isinstance(e, ast.Name)]
        if not names or (
            len(names) != len(parent.targets)
            and not any(isinstance(t, ast.Tuple) for t in parent.targets)
        ):
            return "data"
        uses = [u for n in names for u in loads.get(n, ())]
        if not uses:
            return "data"
        return _worst([_shown(u, parents) for u in uses])
    return _shown(call, parents)


def _worst(sinks: list[str]) -> str:
    """Data if any use hands the value on, else a report if any shows it, else a glance."""
    if "data" in sinks:
        return "data"
    return "report" if "report" in sinks else "demo"


def _shown(node: ast.AST, parents: dict[int, ast.AST]) -> str:
    """Where the value of ``node`` goes: ``report`` (printed in a message, plotted, logged,
    tested by a branch), ``demo`` (only its size looked at: ``print(x.shape)``, a sanity
    check while the pipeline is written) or ``data``."""
    current = node
    for _ in range(8):
        parent = parents.get(id(current))
        if parent is None:
            return "data"
        if isinstance(parent, ast.FormattedValue):
            return "report"
        if isinstance(parent, ast.Compare):
            # a decision (``if score < best:``), not a mask built from data
            decided = isinstance(parents.get(id(parent)), ast.If | ast.While | ast.Assert)
            return "report" if decided else "data"
        if isinstance(parent, ast.Attribute):
            if parent.attr in _SIZES:
                return "demo"
            above = parents.get(id(parent))
            if isinstance(above, ast.Call) and above.func is parent:
                if parent.attr in _REDUCTIONS:  # ``shift.max() > 0.2``: follow the number
                    current = above
                    continue
                return "report" if parent.attr in _SHOW_METHODS else "data"
            current = parent
            continue
        if isinstance(parent, ast.Subscript) and parent.value is current:
            current = parent
            continue
        if isinstance(parent, ast.Call) and current is not parent.func:
            if (
                dotted(parent.func) == "print"
                and len(parent.args) == 1
                and not parent.keywords
                and current is node
            ):
                # the value printed alone is what a program gives (a filter cleaning lines to
                # its output); printed in a message or a part of it, it is a report
                return "data"
            if dotted(parent.func) == "len":
                return "demo"
            return "report" if _report_call(parent) else "data"
        if isinstance(parent, ast.keyword | ast.JoinedStr | ast.Starred):
            current = parent
            continue
        return "data"
    return "data"


def _report_call(call: ast.Call) -> bool:
    name = dotted(call.func)
    if name is None:
        return False
    head, _, _ = name.partition(".")
    last = name.rsplit(".", 1)[-1]
    if name in _REPORT_FUNCS or head in _REPORT_HEADS:
        return True
    return head in ("mlflow", "wandb") and last.startswith("log")


def report_only(facts: Iterable[dict[str, Any] | None]) -> frozenset[str]:
    """The callee names whose every call site, over ``facts`` (the project's modules, tests
    left out), only reports the result."""
    kinds: dict[str, set[str]] = {}
    for one in facts:
        if one:
            for name, sinks in one["sinks"].items():
                kinds.setdefault(name, set()).update(sinks)
    return frozenset(name for name, k in kinds.items() if "report" in k and k <= {"report", "demo"})
