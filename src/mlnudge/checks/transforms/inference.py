"""Inference reached through a method of the object's own (MLN3xx identification): a method
that calls another method of its object that runs a model runs the model too.

One pass over a module's function facts, after each function's own evidence is known.
"""

from __future__ import annotations

from typing import Any


def through_own_inference(functions: list[dict[str, Any]], classes: dict[str, Any]) -> None:
    """A method that calls a method of its own object that runs a model (``batch =
    self._outputs(x)``, with ``_outputs`` calling ``self.model_(...)``) runs the model too:
    batched inference, activations read out of a network, a ``transform`` that embeds with
    it. Followed through the class and its bases defined in the module, to a fixpoint."""
    by_class: dict[str, dict[str, dict[str, Any]]] = {}
    for fn in functions:
        if fn["cls"] is not None and not fn.get("nested"):
            by_class.setdefault(fn["cls"], {})[fn["name"]] = fn

    def lookup(cls: str, name: str, seen: frozenset[str] = frozenset()) -> dict[str, Any] | None:
        if cls in seen:
            return None
        found = by_class.get(cls, {}).get(name)
        if found is not None:
            return found
        for base in classes.get(cls, {}).get("bases", []):
            hit = lookup(base.rsplit(".", 1)[-1], name, seen | {cls})
            if hit is not None:
                return hit
        return None

    def runs_model(fn: dict[str, Any]) -> bool:
        return any(n.startswith("predict:") for n in fn["negative"])

    grown = True
    while grown:
        grown = False
        for fn in functions:
            if fn["cls"] is None or fn.get("nested") or runs_model(fn):
                continue
            for name in fn.get("self_calls", ()):
                callee = lookup(fn["cls"], name)
                if callee is not None and callee is not fn and runs_model(callee):
                    fn["negative"] = [
                        *fn["negative"],
                        f"predict: runs a model through `self.{name}()`",
                    ]
                    grown = True
                    break
