"""Hyperparameters returned by factory functions (MLN201/MLN204): names given by the callers.

``def m1(): ...; return model, 10, 32, 0.5`` says nothing about its numbers; the caller that
unpacks it does: ``model, epochs, batch_size, threshold = candidates.m1()`` (or
``= getattr(candidates, name)()``, every function of the module). Each Python file's unpacks
of a call are a text fact (a regular expression, no parse, cached by content); the family
keeps those that name a hyperparameter and hands each module the ones that may call it, so a
returned literal is reported under the name its caller gives it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from mlnudge.facts.access import FileFacts

#: ``a, b, c = call(`` / ``(a, b) = mod.f(`` / ``a, b = getattr(mod, name)(``
_UNPACK = re.compile(
    r"^[ \t]*\(?((?:[A-Za-z_]\w*[ \t]*,[ \t]*)+[A-Za-z_]\w*)[ \t]*,?[ \t]*\)?[ \t]*=[ \t]*"
    r"(?:getattr\([ \t]*([A-Za-z_][\w.]*)[ \t]*,[^()\n]*\)|([A-Za-z_][\w.]*))[ \t]*\(",
    re.MULTILINE,
)

#: ``(names, kind, target)``: kind ``module`` (any function of the module ``target``) or
#: ``call`` (the function called as ``target``, dotted as written)
Unpack = tuple[tuple[str, ...], str, str]


def unpacks(text: str) -> list[list[object]]:
    """Every ``a, b, c = f(...)`` of a file as ``[names, kind, target]`` (JSON data)."""
    found: list[list[object]] = []
    for match in _UNPACK.finditer(text):
        names = [n.strip() for n in match.group(1).split(",")]
        if match.group(2):
            found.append([names, "module", match.group(2).rsplit(".", 1)[-1]])
        else:
            found.append([names, "call", match.group(3)])
    return found


UNPACK_FACTS = FileFacts(unpacks, "1", text=True)


def relevant(rows: Iterable[Unpack], names_a_setting: Callable[[str], bool]) -> list[Unpack]:
    """The unpacks whose names include a hyperparameter, seed or threshold."""
    return sorted({row for row in rows if any(names_a_setting(n) for n in row[0])})


def for_module(path: str, rows: Iterable[Unpack]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(function or "*", names)`` of the unpacks that may call a function of ``path``:
    ``getattr(<module>, ...)()`` and ``<module>.f()`` by the module's name, ``f()`` by the
    function's name alone (checked against the module's own functions when analysed)."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    out: set[tuple[str, tuple[str, ...]]] = set()
    for names, kind, target in rows:
        if kind == "module" and target == stem:
            out.add(("*", names))
        elif kind == "call":
            qualifier, _, function = target.rpartition(".")
            if not qualifier or qualifier.rsplit(".", 1)[-1] == stem:
                out.add((function, names))
    return tuple(sorted(out))


def key(rows: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """A stable text of a module's returns, part of its per-file cache key."""
    return json.dumps(rows) if rows else ""
