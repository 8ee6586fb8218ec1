"""Which functions MLN3xx looks at besides their bodies: the configured names, the folders
that hold data code, Kedro's nodes, and the :class:`Candidate` a verdict makes of a function.

What a function's body does to data is read by :mod:`~mlnudge.checks.transforms.evidence` and
judged by :mod:`~mlnudge.checks.transforms.verdict`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mlnudge.checks.transforms.roleof import Role
from mlnudge.checks.transforms.static import FuncKey, Index
from mlnudge.checks.transforms.verdict import Weights, judge
from mlnudge.settings import path_matches

DEFAULT_NAMES = (
    r"clean",
    r"preprocess",
    r"transform",
    r"encode",
    r"normali[sz]e",
    r"standardi[sz]e",
    r"scale",
    r"impute",
    r"featur",
    r"augment",
    r"postprocess",
    r"engineer",
    r"^add_",
    r"^drop_",
    r"^fill_",
    r"^split_",
    r"^merge_",
    r"^join_",
    r"^aggregate",
    r"^bin_",
    r"^clip_",
    r"^to_(long|wide)",
    r"^reshape",
    r"^pivot",
    r"^dedup",
    r"tokeni[sz]e",
    r"^prepare",
    r"^parse_",
    r"^format_",
    r"^shape_",
)

#: words of a directory or module name that say "this scores a model": losses, metrics,
#: gradients, evaluation (``evaluation.py``, ``evaluate_model.py``; not ``scoring``: a batch
#: ``scoring.py`` applies a model and prepares what it scores)
EVALUATION_WORDS = frozenset(
    {
        "loss",
        "losses",
        "metric",
        "metrics",
        "gradient",
        "gradients",
        "grad",
        "grads",
        "evaluation",
        "evaluate",
    }
)

#: words of a directory or module name that say "this draws pictures": arrays reshaped there
#: (tiled into a grid, clipped to ``uint8`` to save an image) are shaped for display
DISPLAY_WORDS = frozenset(
    {
        "plot",
        "plots",
        "plotting",
        "vis",
        "viz",
        "visualization",
        "visualizations",
        "visualisation",
        "visualisations",
        "visualize",
        "visualise",
        "figures",
    }
)

#: module and folder names that hold augmentation steps (``nn.Module`` transforms)
AUGMENTATION_PARTS = frozenset(
    {"transforms", "transform", "transformations", "augmentation", "augmentations", "augment"}
)
#: directory or module names that hold data transformations
LOCATION_PARTS = frozenset(
    {
        "features",
        "feature",
        "feature_engineering",
        "preprocessing",
        "preprocess",
        "processing",
        "postprocessing",
        "transforms",
        "transform",
        "transformations",
        "transformers",
        "data",
        "dataset",
        "datasets",
        "pipelines",
        "pipeline",
        "cleaning",
        "clean",
        "etl",
        "augment",
        "augmentation",
        "augmentations",
        "encoders",
        "encoding",
        "nodes",
    }
)


#: location names every pipeline has: they hold a kind of work, they do not name it
CONTAINER_PARTS = frozenset({"pipelines", "pipeline", "nodes"})


@dataclass(frozen=True)
class Candidate:
    """A project function judged to transform data, with the signals that said so."""

    path: str
    module: str
    qualname: str
    line: int
    signals: tuple[str, ...]
    #: the clause that says why it is a transformation ("returns data built from `df` ...")
    why: str = ""
    #: ``transformation``, or ``builder``: it builds an unfitted preprocessing object (context)
    kind: str = "transformation"
    #: defined inside another function (no test can import it)
    nested: bool = False
    #: its docstring has ``>>>`` examples
    doctest: bool = False
    #: what its example test needs, from the module facts (``parts``, its ``class``'s)
    example: dict[str, Any] | None = field(default=None, compare=False, hash=False, repr=False)
    #: why it is part of the data pipeline (``role.text``), or why it is only information
    #: (``role.info``, an ``info`` finding, when ``role.text`` is empty); ``None`` when not asked
    role: Role | None = field(default=None, compare=False)

    @property
    def key(self) -> FuncKey:
        return (self.path, self.qualname)

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Identify:
    names: re.Pattern[str]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    marker: str
    #: a library is tested through its public API: its private helpers are not asked for tests
    library: bool = False

    def evaluation(self, path: str) -> bool:
        """A module or folder named for losses, metrics or gradients (``metrics.py``,
        ``loss_funcs/``, ``utils/_losses.py``): it scores a model, it does not prepare data."""
        parts = path.removesuffix(".py").split("/")
        return any(EVALUATION_WORDS & set(p.strip("_").lower().split("_")) for p in parts)

    def nearer_evaluation(self, path: str) -> bool:
        """The name nearest the module is one of evaluation: ``pipelines/evaluation/nodes.py``
        (a Kedro evaluation pipeline's nodes) and ``pipelines/utils/metrics/gini.py`` score a
        model even though a folder above them is a data location. The containers every
        pipeline has (``pipelines/``, ``pipeline/``, Kedro's ``nodes.py``) name no kind of
        work; ``features/metrics.py`` is a metrics module, ``metrics/features.py`` not."""
        if any(path_matches(path, glob) for glob in self.include):
            return False
        parts = path.removesuffix(".py").split("/")
        deepest_eval = max(
            (
                i
                for i, p in enumerate(parts)
                if EVALUATION_WORDS & set(p.strip("_").lower().split("_"))
            ),
            default=-1,
        )
        deepest_data = max(
            (i for i, p in enumerate(parts) if p in LOCATION_PARTS - CONTAINER_PARTS),
            default=-1,
        )
        return deepest_eval > deepest_data

    def display(self, path: str) -> bool:
        """A module or folder named for plotting (``utils/plot.py``, ``visualization/``): what
        it does to arrays is for a picture, not for a model."""
        parts = path.removesuffix(".py").split("/")
        return any(DISPLAY_WORDS & set(p.strip("_").lower().split("_")) for p in parts)

    def augmentation(self, path: str) -> bool:
        """A module or folder named for transforms or augmentation (``utils/transforms.py``,
        ``augmentations/``): the ``nn.Module`` steps there augment samples."""
        parts = path.removesuffix(".py").split("/")
        return any(p.strip("_").lower() in AUGMENTATION_PARTS for p in parts)

    def location(self, path: str) -> bool:
        if any(path_matches(path, glob) for glob in self.include):
            return True
        parts = path.removesuffix(".py").split("/")
        return any(p in LOCATION_PARTS for p in parts)


def kedro_nodes(index: Index, paths: Iterable[str]) -> set[FuncKey]:
    """Functions handed to Kedro's ``node(func, inputs, outputs)``."""
    found: set[FuncKey] = set()
    for path in paths:
        info = index.module(path)
        for text in info.kedro if info else ():
            sym = index.resolve_in(path, text.split("."))
            if sym is not None and sym[0] == "func":
                found.add((sym[1], sym[2]))
    return found


#: the verdict kind of a project function, by (path, qualname): "" when it is none
KindOf = Callable[[str, str], str]


def imported_kinds(
    index: Index, path: str, names: Iterable[str], kind_of: KindOf
) -> dict[str, str]:
    """What the project functions a module imports by name (``from src.features import
    add_lags``) are by their own bodies, for the names its functions hand data to: a function
    whose data goes through them is a pipeline, like one through the module's own steps."""
    kinds: dict[str, str] = {}
    info = index.module(path)
    if info is None:
        return kinds
    for name in names:
        # bound by ``from x import name``, or found through ``from x import *`` (a script
        # that star-imports the project's ``data_processing`` module and chains its steps)
        bound = info.bindings.get(name, ("",))[0]
        if bound != "from" and (bound or not info.star_imports):
            continue
        sym = index.resolve_in(path, [name])
        if sym is not None and sym[0] == "func" and sym[1] != path and "." not in sym[2]:
            kinds[name] = kind_of(sym[1], sym[2])
    return kinds


def kinds_by_body(
    facts_of: Callable[[str], dict[str, Any] | None], files: Iterable[str], marker: str
) -> KindOf:
    """A module-level function's verdict kind by its own body (``loader`` for one that only
    reads a table), each module judged once."""
    known = frozenset(files)
    kinds: dict[str, dict[str, str]] = {}

    def kind_of(where: str, qual: str) -> str:
        if where not in kinds:
            other = facts_of(where) if where in known else None
            # by the body alone: a folder name says nothing about a module built on the
            # standard library (mlnudge's own ``checks/transforms/``)
            weights = Weights(data_module=bool(other and other["data_lib"]))
            kinds[where] = (
                {
                    fn["q"]: judge(fn, other["classes"], weights, marker).kind
                    # a function that reads a table with a data library and gives it back
                    or ("loader" if fn["q"] in other.get("loaders", ()) else "")
                    for fn in other["functions"]
                    if fn["cls"] is None and not fn["nested"]
                }
                if other
                else {}
            )
        return kinds[where].get(qual, "")

    return kind_of
