"""What test reach needs from one module, read in one pass and cached by content.

:func:`reach_facts` records, without resolving anything, what
:class:`~mlnudge.checks.transforms.static.Index` later resolves across the repository: the
module's top-level bindings (definitions, imports with their relative level, registries,
aliases), its classes and their bases, and per function (and for the module's own top-level
code) the events of its body in the order a reader meets them: parameters, decorators, local
imports, assignments (what each name is bound to: a call, a name, a ``Mock``), and calls (the
callee's dotted name, its arguments as ``Mock``-or-not and as referenced names, patches).
Fixtures record what they return; Kedro ``node(...)`` calls their function argument.

The output is JSON and depends on the file's content alone: relative imports keep their level,
because the package a module belongs to depends on which ``__init__.py`` files exist.
"""

from __future__ import annotations

import ast
from typing import Any

from mlnudge.checks.transforms.nodes import dotted
from mlnudge.checks.transforms.tables import MOCK_NAMES, PATCH_CALLS
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import every_node, walk

#: facts format version: bump when the summary changes shape or meaning
REACH_VERSION = "transforms-reach-9"

Func = ast.FunctionDef | ast.AsyncFunctionDef
#: whether an expression is a ``Mock``: always (True), never (False), or when a name is one
MockDesc = bool | str


def reach_facts(module: PyModule) -> dict[str, Any]:
    """The serialisable reach summary of one module (see the module docstring)."""
    out: dict[str, Any] = {
        "bindings": {},
        "functions": {},
        "classes": {},
        "stars": [],
        "registries": {},
        "class_attrs": [],
    }
    _collect(out, module.tree.body)
    body = [
        s
        for s in module.tree.body
        if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not is_main_block(s)
    ]
    out["module"] = body_facts(body, None, "<module>")
    out["main"] = any(is_main_block(s) for s in module.tree.body)
    dynamic = dynamic_imports(module.tree)
    if dynamic:
        out["dynamic"] = dynamic
    out["kedro"] = _kedro(module) if "node(" in module.source else []
    return out


#: calls that import a module by a computed name or run a file by its path
_DYNAMIC_IMPORTS = frozenset(
    {"import_module", "__import__", "spec_from_file_location", "run_path", "run_module"}
    | {"load_source", "SourceFileLoader", "import_string", "locate", "get_class", "get_method"}
    | {"instantiate"}
)


def dynamic_imports(tree: ast.Module) -> list[str]:
    """What the module's computed imports can reach, by the last name of the module:
    ``import_module(f"{package}.cli")`` -> ``cli``; ``"*"`` for one that can reach any module
    (a name held in a variable or ending with what is computed, a file loaded by its path)."""
    found: list[str] = []
    for node in every_node(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func) or ""
        if name.rsplit(".", 1)[-1] not in _DYNAMIC_IMPORTS:
            continue
        tail = "*"
        if name.rsplit(".", 1)[-1] in ("import_module", "__import__") and node.args:
            first = node.args[0]
            last = ""
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                last = first.value
            elif isinstance(first, ast.JoinedStr) and first.values:
                end = first.values[-1]
                if isinstance(end, ast.Constant) and isinstance(end.value, str):
                    last = end.value
            last = last.rsplit(".", 1)[-1]
            if last.isidentifier():
                tail = last
        if tail not in found:
            found.append(tail)
    return found


def ast_functions(body: list[ast.stmt]) -> dict[str, Func]:
    """The functions and methods a module defines at top level (inside ``if``/``try``/``with``
    too), by qualified name, as :func:`reach_facts` lists them (coverage mode reads bodies)."""
    found: dict[str, Func] = {}
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            found[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"{stmt.name}.{item.name}"] = item
        elif isinstance(stmt, ast.If | ast.Try | ast.With):
            found.update(ast_functions(_inner(stmt)))
    return found


def _inner(stmt: ast.If | ast.Try | ast.With) -> list[ast.stmt]:
    inner: list[ast.stmt] = list(stmt.body)
    if isinstance(stmt, ast.If):
        inner += stmt.orelse
    elif isinstance(stmt, ast.Try):
        for handler in stmt.handlers:
            inner += handler.body
        inner += stmt.orelse + stmt.finalbody
    return inner


def _collect(out: dict[str, Any], body: list[ast.stmt]) -> None:
    bindings: dict[str, list[Any]] = out["bindings"]
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            bindings[stmt.name] = ["def", stmt.name]
            out["functions"][stmt.name] = _function(stmt, stmt.name)
        elif isinstance(stmt, ast.ClassDef):
            bindings[stmt.name] = ["class", stmt.name]
            out["classes"][stmt.name] = [dotted(b) for b in stmt.bases]
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    qual = f"{stmt.name}.{item.name}"
                    out["functions"][qual] = _function(item, qual)
                elif (
                    isinstance(item, ast.Assign)
                    and len(item.targets) == 1
                    and isinstance(item.targets[0], ast.Name)
                ):
                    text = (
                        dotted(item.value)
                        if isinstance(item.value, ast.Name | ast.Attribute)
                        else None
                    )
                    if text is not None:
                        out["class_attrs"].append([stmt.name, item.targets[0].id, text])
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    bindings[alias.asname] = ["import", alias.name]
                else:
                    top = alias.name.split(".")[0]
                    bindings[top] = ["import", top]
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name == "*":
                    out["stars"].append([stmt.level, stmt.module or ""])
                else:
                    record = ["from", stmt.level, stmt.module or "", alias.name]
                    bindings[alias.asname or alias.name] = record
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
            members = _registry_members(value)
            if isinstance(target, ast.Name) and members:
                out["registries"][target.id] = members
                bindings[target.id] = ["registry", target.id]
                continue
            text = dotted(value) if isinstance(value, ast.Name | ast.Attribute) else None
            if isinstance(target, ast.Name) and text is not None:
                head, _, rest = text.partition(".")
                bound = bindings.get(head)
                if bound is not None and not rest and bound[0] in ("def", "class", "from"):
                    bindings[target.id] = bound
        elif isinstance(stmt, ast.If | ast.Try | ast.With):
            _collect(out, _inner(stmt))


def _registry_members(value: ast.expr) -> list[str]:
    """``{"a": f, "b": g}``, ``[A, B]``, ``(f, g)``: the dotted names of its members."""
    items: list[ast.expr | None] = []
    if isinstance(value, ast.Dict):
        items = list(value.values)
    elif isinstance(value, ast.List | ast.Tuple | ast.Set):
        items = list(value.elts)
    if isinstance(value, ast.Call) and (dotted(value.func) or "").rsplit(".", 1)[-1] in (
        "pipeline",
        "Pipeline",
    ):
        return _pipeline_members(value)
    members = _inspected_members(value)
    if members:
        return [members]
    names = [dotted(v) for v in items if isinstance(v, ast.Name | ast.Attribute)]
    found = [n for n in names if n is not None]
    return found if found and len(found) == len(items) else []


#: ``inspect.getmembers(module, isclass)``: what the predicate keeps, as a member's suffix
_PREDICATES = {"isclass": "*class", "isfunction": "*function"}


def _inspected_members(value: ast.expr) -> str:
    """``[m[1] for m in getmembers(detectors, isclass)]`` (or ``getmembers(...)`` itself): every
    class (or function) the module ``detectors`` binds, as ``detectors.*class``; ``""`` for
    anything else."""
    if isinstance(value, ast.ListComp | ast.SetComp | ast.GeneratorExp) and value.generators:
        value = value.generators[0].iter
    if not (
        isinstance(value, ast.Call)
        and (dotted(value.func) or "").rsplit(".", 1)[-1] == "getmembers"
        and len(value.args) == 2
    ):
        return ""
    module = dotted(value.args[0]) if isinstance(value.args[0], ast.Name | ast.Attribute) else None
    predicate = (
        dotted(value.args[1]) if isinstance(value.args[1], ast.Name | ast.Attribute) else None
    )
    suffix = _PREDICATES.get((predicate or "").rsplit(".", 1)[-1], "")
    return f"{module}.{suffix}" if module and suffix else ""


def _pipeline_members(value: ast.Call) -> list[str]:
    """``pipeline([node(func=f, ...), node(g, ...)])``, ``pipeline(pipe=other)``: a Kedro
    pipeline bound to a module name holds its nodes' functions (and the pipelines it wraps);
    running it runs them."""
    found: list[str] = []
    for arg in [*value.args, *(k.value for k in value.keywords if k.arg == "pipe")]:
        if isinstance(arg, ast.Name | ast.Attribute):
            found.append(dotted(arg) or "")
        for call in walk(arg):
            if not isinstance(call, ast.Call):
                continue
            if (dotted(call.func) or "").rsplit(".", 1)[-1] != "node":
                continue
            func = next((k.value for k in call.keywords if k.arg == "func"), None)
            func = func or (call.args[0] if call.args else None)
            if isinstance(func, ast.Name | ast.Attribute):
                found.append(dotted(func) or "")
    return [f for f in found if f]


def is_main_block(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":``: pytest never runs it."""
    return (
        isinstance(stmt, ast.If)
        and isinstance(stmt.test, ast.Compare)
        and isinstance(stmt.test.left, ast.Name)
        and stmt.test.left.id == "__name__"
    )


def _injects_mock(deco: ast.expr) -> bool:
    """``@patch("m.f")``, ``@mock.patch.object(C, "m")``: a mock passed to the test; not with
    a replacement given (``@patch("m.f", new=...)``, ``@patch("m.f", value)``)."""
    if not isinstance(deco, ast.Call):
        return False
    text = dotted(deco.func) or ""
    if text.endswith(("patch.object",)):
        limit = 2
    elif text == "patch" or text.endswith(".patch"):
        limit = 1
    else:
        return False
    return len(deco.args) <= limit and not any(k.arg == "new" for k in deco.keywords)


def _deco_func(deco: ast.expr) -> ast.expr:
    return deco.func if isinstance(deco, ast.Call) else deco


def _function(node: Func, qualname: str) -> dict[str, Any]:
    fixture = any("fixture" in (dotted(_deco_func(d)) or "") for d in node.decorator_list)
    facts: dict[str, Any] = {"fx": fixture, "b": body_facts(node.body, node, qualname)}
    # what pytest must supply: parameters without a default that no ``parametrize`` names
    given = {
        name.strip()
        for deco in node.decorator_list
        if isinstance(deco, ast.Call)
        and (dotted(deco.func) or "").endswith("parametrize")
        and deco.args
        for names in [deco.args[0]]
        for name in (
            names.value.split(",")
            if isinstance(names, ast.Constant) and isinstance(names.value, str)
            else [e.value for e in getattr(names, "elts", ()) if isinstance(e, ast.Constant)]
        )
        if isinstance(name, str)
    }
    args = [a for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
    required = args[: len(args) - len(node.args.defaults)] if node.args.defaults else args
    # ``@patch("m.f")`` without a replacement hands its mock in as the next argument
    injected = sum(1 for d in node.decorator_list if _injects_mock(d))
    needs = [a.arg for a in required[injected:] if a.arg not in given]
    if needs:
        facts["needs"] = needs
    if fixture:  # ``@pytest.fixture(name="frame")``: the name tests ask for
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call):
                for keyword in deco.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        facts["fxname"] = str(keyword.value.value)
    if fixture and "." not in qualname:
        returns: list[list[str]] = []
        mock = False
        for sub in walk(node):
            value = sub.value if isinstance(sub, ast.Return | ast.Yield) else None
            if isinstance(value, ast.Call):
                text = dotted(value.func)
                if text is not None and text.rsplit(".", 1)[-1] in MOCK_NAMES:
                    mock = True
            kind = "instance" if isinstance(value, ast.Call) else "value"
            target = value.func if isinstance(value, ast.Call) else value
            text = dotted(target) if isinstance(target, ast.Name | ast.Attribute) else None
            if text:
                returns.append([kind, text])
        facts["ret"] = returns
        facts["mock"] = mock
    return facts


def body_facts(body: list[ast.stmt], node: Func | None, qualname: str) -> dict[str, Any]:
    """The events of one body, in the order the resolution replays them."""
    facts: dict[str, Any] = {}
    if node is not None:
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        facts["params"] = [a.arg for a in args]
        if "." in qualname and args and args[0].arg in ("self", "cls"):
            facts["self"] = args[0].arg
        patches = [p for p in (_patch(d) for d in node.decorator_list) if p is not None]
        refs = [
            text
            for deco in node.decorator_list
            for sub in walk(deco)
            if isinstance(sub, ast.Name | ast.Attribute) and (text := dotted(sub))
        ]
        if patches:
            facts["deco_patches"] = patches
        if refs:
            facts["deco_refs"] = refs
    imports: list[list[Any]] = []
    binds: list[list[Any]] = []
    calls: list[dict[str, Any] | str] = []
    for stmt in body:
        for sub in walk(stmt):
            if isinstance(sub, ast.Import):
                for alias in sub.names:
                    name = alias.asname or alias.name.split(".")[0]
                    imports.append(["i", name, alias.name if alias.asname else name])
            elif isinstance(sub, ast.ImportFrom):
                for alias in sub.names:
                    if alias.name != "*":
                        bound = alias.asname or alias.name
                        imports.append(["f", sub.level, sub.module or "", alias.name, bound])
            elif isinstance(sub, ast.Assign | ast.AnnAssign) and sub.value is not None:
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        binds.append(_bind(target.id, sub.value))
            elif isinstance(sub, ast.withitem) and isinstance(sub.optional_vars, ast.Name):
                binds.append(_bind(sub.optional_vars.id, sub.context_expr))
            elif isinstance(sub, ast.Call):
                call = _call(sub)
                if len(call) > 1:
                    calls.append(call)
                elif call["f"] is not None:  # just a callee: its name (else nothing to resolve)
                    calls.append(call["f"])
    if imports:
        facts["imports"] = imports
    if binds:
        facts["binds"] = binds
    if calls:
        facts["calls"] = calls
    return facts


def mock_desc(expr: ast.expr) -> MockDesc:
    """Whether ``expr`` is a ``Mock``: ``True``, ``False``, or a name that decides it."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        text = dotted(expr)
        if text is None:
            return False
        if text.startswith(("sentinel.", "mock.sentinel.")):
            return True
        return text.split(".")[0]
    if isinstance(expr, ast.Call):
        text = dotted(expr.func)
        if text is not None and text.rsplit(".", 1)[-1] in MOCK_NAMES:
            return True
        if isinstance(expr.func, ast.Attribute):
            return mock_desc(expr.func.value)
    return False


def _bind(name: str, value: ast.expr) -> list[Any]:
    """``[name, mock, kind, dotted]`` and for ``x.fit(...)`` ``x``: kind ``c`` (a call of
    ``dotted``), ``r`` (a reference to ``dotted``) or ``""``."""
    if isinstance(value, ast.Call):
        func = value.func
        bind = [name, mock_desc(value), "c", dotted(func)]
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.attr == "fit"
        ):
            bind.append(func.value.id)
        return bind
    if isinstance(value, ast.Name | ast.Attribute):
        return [name, mock_desc(value), "r", dotted(value)]
    return [name, mock_desc(value), "", None]


def _owner(expr: ast.expr) -> list[Any] | None:
    """What decides the project class of ``expr``'s value: a name, or a call (and, for
    ``x.fit(...)``, what decides ``x``'s)."""
    if isinstance(expr, ast.Name):
        return ["n", expr.id]
    if isinstance(expr, ast.Call):
        inner = None
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "fit":
            inner = _owner(expr.func.value)
        return ["c", dotted(expr.func), inner]
    return None


def _call(call: ast.Call) -> dict[str, Any]:
    func = call.func
    out: dict[str, Any] = {"f": dotted(func)}
    patch = _patch(call)
    if patch is not None:
        out["p"] = patch
    if isinstance(func, ast.Call):
        out["fc"] = True
    lookup = isinstance(func, ast.Attribute) and func.attr == "get"
    if isinstance(func, ast.Subscript | ast.Attribute) and (
        lookup or isinstance(func, ast.Subscript)
    ):
        registry = dotted(func.value)
        if registry is not None:
            out["r"] = registry
    if isinstance(func, ast.Attribute) and out["f"] is None:
        # ``x().method(...)``: the method and what decides its object's class (for a dotted
        # ``a.method`` both follow from ``f``: ``method``, and the name ``a``)
        out["a"] = func.attr
        out["o"] = _owner(func.value)
    args = [*call.args, *(k.value for k in call.keywords)]
    mocks = [mock_desc(a) for a in args]
    if mocks and all(m is not False for m in mocks):  # else it is never called with mocks only
        out["m"] = mocks
    refs: list[str] = []
    for arg in args:
        if isinstance(arg, ast.Name | ast.Attribute):
            text = dotted(arg)
            if text:
                refs.append(text)
        elif isinstance(arg, ast.List | ast.Tuple | ast.Set | ast.Dict):
            for sub in walk(arg):
                if isinstance(sub, ast.Name | ast.Attribute):
                    text = dotted(sub)
                    if text:
                        refs.append(text)
    if refs:
        out["x"] = refs
    return out


def _patch(node: ast.expr) -> list[Any] | None:
    """``mock.patch("pkg.mod.f")`` -> ``["s", "pkg.mod.f"]``; ``patch.object(mod, "f")`` /
    ``monkeypatch.setattr(mod, "f", ...)`` -> ``["o", "mod", "f"]``."""
    if not isinstance(node, ast.Call):
        return None
    text = dotted(node.func)
    if text is None or not PATCH_CALLS.search(text) or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return ["s", first.value] if "." in first.value else None
    if len(node.args) > 1:
        second = node.args[1]
        if isinstance(second, ast.Constant) and isinstance(second.value, str):
            owner = dotted(first)
            return ["o", owner, second.value] if owner else None
    return None


def _kedro(module: PyModule) -> list[str]:
    """The dotted names handed to Kedro's ``node(func, inputs, outputs)``."""
    found: list[str] = []
    for call in every_node(module.tree):
        if not isinstance(call, ast.Call) or (dotted(call.func) or "").rsplit(".", 1)[-1] != "node":
            continue
        func = next((k.value for k in call.keywords if k.arg == "func"), None)
        func = func or (call.args[0] if call.args else None)
        if isinstance(func, ast.Name | ast.Attribute):
            text = dotted(func)
            if text:
                found.append(text)
    return found
