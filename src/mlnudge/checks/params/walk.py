"""The params analysis's walk: ``ast.NodeVisitor`` made cheaper for a tree walked once.

The tree of a large module has hundreds of thousands of nodes. :class:`Walker` looks the
``visit_`` method of each node type up once per walk and does not descend into leaves (names,
constants, operators, contexts): nothing below them is analysed. On statsmodels that is a third
of the visits ``ast.NodeVisitor`` makes, with the same methods called in the same order.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

#: nodes with nothing below them the analysis looks at: the walk does not enter them, so a
#: :class:`Walker` may not have a ``visit_`` method for them
LEAVES = (
    ast.Name,
    ast.Constant,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
    ast.boolop,
)
#: fields that never hold a node the walk enters (names, operators, flags)
_SCALAR_FIELDS = frozenset(
    {"ctx", "op", "ops", "attr", "id", "arg", "name", "kind", "level", "module", "is_async"}
    | {"type_comment", "conversion", "type_ignores"}
)
#: per node type, the fields the walk looks into
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
_LEAF_NAMES = frozenset(
    name
    for base in LEAVES
    for name in [base.__name__, *(sub.__name__ for sub in base.__subclasses__())]
)


class Walker(ast.NodeVisitor):
    """``ast.NodeVisitor`` that skips leaves and finds each node type's method once."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handled = {name[6:] for name in vars(cls) if name.startswith("visit_")}
        if handled & _LEAF_NAMES:
            raise TypeError(f"{cls.__name__} visits leaves the walk skips: {handled & _LEAF_NAMES}")

    def __init__(self) -> None:
        self._methods: dict[type[ast.AST], Callable[[Any], None]] = {}

    def visit(self, node: ast.AST) -> None:
        method = self._methods.get(type(node))
        if method is None:
            method = getattr(self, "visit_" + type(node).__name__, None) or self.generic_visit
            self._methods[type(node)] = method
        method(node)

    def generic_visit(self, node: ast.AST) -> None:
        fields = _CHILD_FIELDS.get(type(node))
        if fields is None:
            fields = tuple(f for f in node._fields if f not in _SCALAR_FIELDS)
            _CHILD_FIELDS[type(node)] = fields
        for field in fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and not isinstance(item, LEAVES):
                        self.visit(item)
            elif isinstance(value, ast.AST) and not isinstance(value, LEAVES):
                self.visit(value)
