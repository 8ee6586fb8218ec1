"""Feature extraction inside a model: the calls that turn a raw signal into the features its
layers see (``torch.stft(wav)``, ``self.mel(wav)`` of a ``MelSpectrogram`` the class holds).

A model's methods are model code, except those that do this extraction on the data: the
function facts record the calls (``features``) and the verdict judges such a method by its
body (:mod:`~mlnudge.checks.transforms.verdict`).
"""

from __future__ import annotations

import ast
from typing import Any

from mlnudge.checks.transforms.nodes import Body, call_text, names_in
from mlnudge.checks.transforms.tables import FEATURE_CALLS, FEATURE_CLASSES
from mlnudge.facts.syntax import walk


def feature_attributes(cls: ast.ClassDef) -> frozenset[str]:
    """Attributes of ``cls`` bound to a feature extractor in a method (``self.mel =
    torchaudio.transforms.MelSpectrogram(...)``)."""
    found = set()
    for node in walk(cls):
        # (also one chained in a ``nn.Sequential(Spectrogram(), AmplitudeToDB())``)
        if isinstance(node, ast.Assign) and any(
            isinstance(n, ast.Call) and FEATURE_CLASSES.match(call_text(n))
            for n in walk(node.value)
        ):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    found.add(target.attr)
    return frozenset(found)


def _is_feature_call(text: str, extractors: frozenset[str]) -> bool:
    attr = text.removeprefix("self.")
    return bool(FEATURE_CALLS.search(text)) or (text.startswith("self.") and attr in extractors)


def extracted(body: Body, extractors: frozenset[str], data: dict[str, str]) -> dict[str, str]:
    """Parameters handed as they are to a feature-extraction call (``self.frontend(wave)``):
    signals, whatever else the body does with them."""
    return {
        a.id: f"passed to `{call_text(call)}()`, a feature extractor"
        for call in body.calls
        if _is_feature_call(call_text(call), extractors)
        for a in call.args[:1]
        if isinstance(a, ast.Name) and a.id in body.params and a.id not in data
    }


def features(body: Body, derived: set[str], extractors: frozenset[str]) -> list[list[Any]]:
    """Feature-extraction calls on the data (``torch.stft(wav, ...)``, ``stft(x)`` imported
    from torch, ``self.mel(wav)`` of an extractor the class holds), with their lines: what
    turns a raw signal into the features a model sees, an operation on data."""
    return [
        [text, call.lineno]
        for call in body.calls
        if _is_feature_call(text := call_text(call), extractors)
        and any(names_in(a) & derived for a in [*call.args, *(k.value for k in call.keywords)])
    ]


def preludes(cls: ast.ClassDef) -> frozenset[str]:
    """Methods a model's ``forward`` hands its input to first, before any layer (``x =
    self.normalise(x)``), that call no layer themselves: they prepare the batch (normalise
    it, extract features from it), which is data work; a helper that calls a layer
    (``self.encoder(x)``) is part of the model."""
    methods = {m.name: m for m in cls.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)}
    forward = methods.get("forward")
    if forward is None or len(forward.args.args) < 2:
        return frozenset()
    batch = forward.args.args[1].arg
    calls = sorted(
        (n for n in walk(forward) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    first = next(
        (c for c in calls if any(isinstance(a, ast.Name) and a.id == batch for a in c.args)), None
    )
    name = call_text(first).removeprefix("self.") if first is not None else ""
    helper = (
        methods.get(name) if first is not None and call_text(first).startswith("self.") else None
    )
    if helper is None or name == "forward":
        return frozenset()

    #: the helper's own parameters: a model handed to it (``self._encode(self.bert, ids)``)
    #: and run there (``bert(ids)``, ``bert.forward(ids)``) is a layer too
    own = {a.arg for a in helper.args.args[1:]}

    def layer(n: ast.AST) -> bool:
        text = call_text(n) if isinstance(n, ast.Call) else ""
        if n in helper_calls and (
            text in own or (text.endswith(".forward") and text.split(".")[0] in own)
        ):
            return True
        return text.startswith("self.") and text.removeprefix("self.").split(".")[0] not in methods

    helper_calls = [n for n in walk(helper) if isinstance(n, ast.Call)]

    # the layers come after it in ``forward`` (a pooling layer whose ``forward`` is only
    # ``return self.gem(x, p=self.p)`` is the layer's own computation), and not in it
    if not any(layer(n) for n in calls) or any(layer(n) for n in walk(helper)):
        return frozenset()
    return frozenset({name})
