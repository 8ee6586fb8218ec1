"""Walking syntax trees cheaply, for the per-file facts that walk every node of a module.

:func:`ast.walk` and :func:`ast.iter_child_nodes` visit every node, the load/store context of
each name and the operator of each operation included (a third of a module's nodes), through
generic field iteration. The facts never look at those nodes as nodes (they read ``node.ctx``
or ``node.op`` as attributes), so these walks leave them out and remember each node type's
child fields once. The order is :func:`ast.walk`'s (breadth first, fields in order).
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator

#: fields that hold contexts and operators, never a node the facts visit
_SKIPPED = frozenset({"ctx", "op", "ops"})
#: list fields that may hold something other than nodes: ``None`` (a dict literal's ``**``
#: entry, a keyword-only argument without default) or names (``global a, b``)
_MIXED = frozenset({"keys", "kw_defaults", "names", "kwd_attrs"})
#: how to read each field of a node type, learnt from the first node of that type: a list
#: of nodes (1), a list to filter (2), a node or ``None`` (3), or not known yet because it
#: was ``None`` then (0, asked each time). Scalar fields (``Name.id``) are left out.
_PLANS: dict[type[ast.AST], tuple[tuple[str, int], ...]] = {}


def _plan(node: ast.AST) -> tuple[tuple[str, int], ...]:
    plan: list[tuple[str, int]] = []
    for name in node._fields:
        if name in _SKIPPED:
            continue
        value = getattr(node, name, None)
        if isinstance(value, list):
            plan.append((name, 2 if name in _MIXED else 1))
        elif isinstance(value, ast.AST):
            plan.append((name, 3))
        elif value is None:
            plan.append((name, 0))
    _PLANS[type(node)] = found = tuple(plan)
    return found


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of ``node`` in field order, without contexts and operators."""
    plan = _PLANS.get(type(node))
    if plan is None:  # a leaf's plan is empty, and learnt once too
        plan = _plan(node)
    out: list[ast.AST] = []
    for name, kind in plan:
        value = getattr(node, name, None)
        if value is None:
            continue
        if kind == 1:
            out += value
        elif kind == 3:
            out.append(value)
        elif kind == 2:
            out += [item for item in value if isinstance(item, ast.AST)]
        elif isinstance(value, ast.AST):
            out.append(value)
        elif isinstance(value, list):
            out += [item for item in value if isinstance(item, ast.AST)]
    return out


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """:func:`ast.walk` without contexts and operators."""
    todo = deque([node])
    while todo:
        node = todo.popleft()
        todo.extend(children(node))
        yield node


def every_node(tree: ast.Module) -> tuple[ast.AST, ...]:
    """All the nodes of a module as :func:`walk` yields them, walked once per tree: the
    per-file facts of every family read the same parsed module in one process."""
    below: tuple[ast.AST, ...] | None = tree.__dict__.get("_mlnudge_nodes")
    if below is None:
        # the tree itself is left out of what it keeps: no reference cycle, so the tree and
        # its list are freed together as soon as the file is done with
        below = tuple(walk(tree))[1:]
        tree.__dict__["_mlnudge_nodes"] = below
    return (tree, *below)


#: scopes whose nodes are walked again and again by the rules of one file (a module, a
#: function, a class): their :func:`ast.walk` order is kept once per parsed tree
_KEPT_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def scope_nodes(node: ast.AST) -> Iterable[ast.AST]:
    """:func:`ast.walk` of ``node`` (contexts and operators included, same order), kept on a
    module, function or class the first time it is walked."""
    if not isinstance(node, _KEPT_SCOPES):
        return ast.walk(node)
    below: tuple[ast.AST, ...] | None = node.__dict__.get("_mlnudge_walk")
    if below is None:
        below = tuple(ast.walk(node))[1:]  # without the node itself: no reference cycle
        node.__dict__["_mlnudge_walk"] = below
    return (node, *below)


#: the fields of statements that hold statements
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement of ``tree`` at any depth (function and class bodies included), without
    walking into expressions."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in _BODIES:
            value = getattr(node, name, None)
            if isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, ast.AST))
