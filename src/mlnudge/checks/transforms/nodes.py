"""Small readers of syntax shared by MLN3xx identification: dotted names, call names, the
name at the root of an expression, and :class:`Body`, everything about one function body
collected in a single walk (:mod:`~mlnudge.checks.transforms.evidence` reads it,
:mod:`~mlnudge.checks.transforms.shapes` judges its shape)."""

from __future__ import annotations

import ast

from mlnudge.facts.syntax import children, walk


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else ``None``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def call_text(node: ast.Call) -> str:
    """``a.b.c`` for ``a.b.c(...)``; for ``x.y().z(...)`` the attribute chain (``.z``)."""
    text = dotted(node.func)
    if text is not None:
        return text
    if isinstance(node.func, ast.Attribute):
        return "." + node.func.attr
    return ""


def annotation_text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):  # pragma: no cover - malformed trees only
        return ""


def root_name(node: ast.expr) -> str | None:
    """The name at the bottom of ``df["a"].str.lower()`` (``df``)."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None


def record_field(node: ast.AST, names: set[str]) -> tuple[str, str] | None:
    """``(record, field)`` for ``record["field"]`` where ``record`` is one of ``names``."""
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id in names
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return node.value.id, node.slice.value
    return None


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, ast.Name)}


#: calls that only say something about the data (a log line of its shape, a warning)
_SAYING = ("print", "logger.", "logging.", "log.", "warnings.warn")


def _aside(stmt: ast.stmt) -> bool:
    """A statement that is no step of the body: a docstring, a print or a log line."""
    if not isinstance(stmt, ast.Expr):
        return False
    if isinstance(stmt.value, ast.Constant):
        return True
    name = dotted(stmt.value.func) if isinstance(stmt.value, ast.Call) else None
    return name is not None and (name == "print" or name.startswith(_SAYING[1:]))


class Body:
    """Everything about one function body, collected in a single walk."""

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef, cls: str | None) -> None:
        self.node = node
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        if node.args.vararg:
            args = [*args, node.args.vararg]
        self.params = [a.arg for a in args if not (cls is not None and a.arg in ("self", "cls"))]
        self.annotations = {a.arg: annotation_text(a.annotation) for a in args}
        self.calls: list[ast.Call] = []
        self.subscripts: list[ast.Subscript] = []
        self.attributes: list[ast.Attribute] = []
        self.assigns: list[tuple[list[ast.expr], ast.expr, int]] = []
        self.loops: list[tuple[ast.expr, ast.expr]] = []
        self.returns: list[ast.expr | None] = []
        self.keywords: list[tuple[ast.keyword, ast.Call]] = []
        self.withs: list[ast.withitem] = []
        self.comprehensions: list[ast.ListComp | ast.DictComp | ast.GeneratorExp] = []
        self.arithmetic: list[ast.BinOp] = []
        self.statements = 0
        stack: list[ast.AST] = list(node.body)
        while stack:
            sub = stack.pop()
            if isinstance(sub, ast.stmt) and not _aside(sub):
                self.statements += 1
            if isinstance(sub, ast.Call):
                self.calls.append(sub)
                self.keywords += [(k, sub) for k in sub.keywords]
            elif isinstance(sub, ast.Subscript):
                self.subscripts.append(sub)
            elif isinstance(sub, ast.Attribute):
                self.attributes.append(sub)
            elif isinstance(sub, ast.Assign):
                self.assigns.append((list(sub.targets), sub.value, sub.lineno))
            elif isinstance(sub, ast.AugAssign | ast.AnnAssign) and sub.value is not None:
                self.assigns.append(([sub.target], sub.value, sub.lineno))
                if isinstance(sub, ast.AugAssign):
                    self.assigns.append(([sub.target], sub.target, sub.lineno))
            elif isinstance(sub, ast.NamedExpr):
                self.assigns.append(([sub.target], sub.value, sub.lineno))
            elif isinstance(sub, ast.For | ast.AsyncFor | ast.comprehension):
                self.loops.append((sub.target, sub.iter))
                if isinstance(sub, ast.comprehension):
                    self.assigns.append(([sub.target], sub.iter, 0))
                else:
                    self.assigns.append(([sub.target], sub.iter, sub.lineno))
            elif isinstance(sub, ast.Return | ast.Yield | ast.YieldFrom):
                self.returns.append(sub.value)
            elif isinstance(sub, ast.ListComp | ast.DictComp | ast.GeneratorExp):
                self.comprehensions.append(sub)
            elif isinstance(sub, ast.BinOp) and isinstance(
                sub.op,
                ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow | ast.FloorDiv | ast.MatMult,
            ):
                self.arithmetic.append(sub)
            elif isinstance(sub, ast.withitem):
                self.withs.append(sub)
                if sub.optional_vars is not None:
                    self.assigns.append(([sub.optional_vars], sub.context_expr, 0))
            if isinstance(sub, ast.Lambda):
                continue
            stack.extend(children(sub))
        self.calls.sort(key=lambda c: (c.lineno, c.col_offset))
        self.assigns.sort(key=lambda a: a[2])
