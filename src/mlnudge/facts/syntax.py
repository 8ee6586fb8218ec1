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
from collections.abc import Iterator

#: fields that hold contexts and operators, never a node the facts visit
_SKIPPED = frozenset({"ctx", "op", "ops"})
_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of ``node`` in field order, without contexts and operators."""
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _SKIPPED)
    out: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            out.append(value)
        elif isinstance(value, list):
            out.extend(item for item in value if isinstance(item, ast.AST))
    return out


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """:func:`ast.walk` without contexts and operators."""
    todo = deque([node])
    while todo:
        node = todo.popleft()
        todo.extend(children(node))
        yield node


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
