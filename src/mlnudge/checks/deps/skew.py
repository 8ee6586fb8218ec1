"""MLN407 across the training/serving boundary: the image that serves the model installs a
version of the model's framework outside the range the project trains with.

Separate folders with images of their own are separate environments, and their ranges may
differ on purpose (:func:`mlnudge.checks.deps.consistency.environments`), with one exception:
a folder whose code loads a saved model (``deploy/app/`` running ``torch.jit.load``) runs what the
project's training code produced. A model framework pinned there outside the training range
(``torch==1.10.2`` in the image, ``torch = "^1.11"`` for training) serves the model with a
version it was never saved or tested with: TorchScript and pickled scikit-learn models may not
load, or behave differently. Reported on the training declaration, as a range that excludes
an environment's record is (the declaration is the range both sides must meet)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mlnudge.checks.deps import names as dn
from mlnudge.checks.deps.credentials import redact
from mlnudge.checks.deps.facts import PY_FACTS
from mlnudge.checks.deps.ranges import overlap
from mlnudge.checks.deps.rules import CONFLICT
from mlnudge.checks.deps.tables import MODEL_FRAMEWORKS
from mlnudge.checks.deps.usage import manifest_scope, own_environment
from mlnudge.finding import Finding
from mlnudge.project import is_generated

if TYPE_CHECKING:
    from mlnudge.checks.base import CheckContext
    from mlnudge.checks.deps.collect import Collected
    from mlnudge.checks.deps.model import Dep

#: frameworks whose saved models depend on the version that saved them, and the libraries
#: released in lockstep with one (a TorchScript model built with torchvision ops)
SERVED_FRAMEWORKS = MODEL_FRAMEWORKS | {"torchvision", "torchaudio", "tensorflow-cpu"}


def serving_skew(
    ctx: CheckContext, collected: Collected, ignore: frozenset[str]
) -> Iterator[Finding]:
    """MLN407 on a training declaration that excludes the version a model-serving image of
    the same repository installs (see the module docstring)."""
    own = [f for f in ctx.repo.files if not is_generated(f, collected.generated)]
    py_files = [f for f in own if f.endswith((".py", ".ipynb"))]
    training: dict[str, list[Dep]] = {}
    serving: dict[str, dict[str, list[Dep]]] = {}
    for manifest in collected.manifests:
        scope = manifest_scope(manifest.path, py_files)
        for dep in manifest.deps:
            name = dn.normalise(dep.name) if dep.name else ""
            if name not in SERVED_FRAMEWORKS or name in ignore or dep.dev:
                continue
            if dep.error or dep.url or dep.spec is None or not len(dep.spec):
                continue
            if dep.role == "constraint":
                continue
            folder = manifest.path.rsplit("/", 1)[0] + "/" if "/" in manifest.path else ""
            if not scope and (not folder or not own_environment(folder, own)):
                # the project's own declaration (not the image of a folder without code:
                # `images/airflow-base/requirements.txt` is another environment again)
                training.setdefault(name, []).append(dep)
            elif own_environment(scope, own):
                serving.setdefault(scope, {}).setdefault(name, []).append(dep)
    if not training or not serving:
        return
    facts: dict[str, Mapping[str, Any]] = {}
    for scope, pins in sorted(serving.items()):
        if not _loads_models(ctx, scope, py_files, facts):
            continue
        for name, served in sorted(pins.items()):
            for declared in training.get(name, ()):
                assert declared.spec is not None
                other = next(
                    (
                        d
                        for d in served
                        if d.spec is not None and not overlap(declared.spec, d.spec)
                    ),
                    None,
                )
                if other is None:
                    continue
                where = f"{other.path}:{other.line}" if other.line else other.path
                yield CONFLICT.finding(
                    declared.path,
                    f"`{redact(declared.text)}` excludes `{redact(other.text)}`, what the image "
                    f"in `{scope}` serves the model with ({where}): a model saved with one "
                    f"version of {name} may not load, or may predict differently, in the other.",
                    line=declared.line,
                    end_line=declared.end_line,
                    fix=(
                        f"Serve with the version the model is trained with (a pin inside this "
                        f"range in {other.path}), or widen this range to admit it and retrain."
                    ),
                    anchor=f"conflict:{declared.path}:{name}:{other.path}",
                    details={"other": other.path, "other_line": other.line, "serving": scope},
                )


def _loads_models(
    ctx: CheckContext, scope: str, py_files: list[str], facts: dict[str, Mapping[str, Any]]
) -> bool:
    """Whether code below ``scope`` loads a saved model (``torch.jit.load``, ``joblib.load``)."""
    for path in py_files:
        if path.startswith(scope):
            if path not in facts:
                facts[path] = ctx.facts(path, PY_FACTS) or {}
            if facts[path].get("m") or facts[path].get("n"):
                return True
    return False
