"""Modules nothing in the project imports (MLN301 roles): a module's place in a data folder is
no evidence that its functions are part of the pipeline when no file of the project imports it
and it does not run by itself.

Read from the reach facts the test reach already uses (top-level and local imports), plus the
text of notebooks and configuration files, which may name a module (``from
pipelines.data_checks.utils import bin_age`` in a notebook, ``_target_: pkg.features.scale``).
What cannot be read keeps everything: a project that imports modules by a computed name
(``importlib.import_module("inc." + name)``, ``spec_from_file_location``) judges no module
unimported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from mlnudge.checks.transforms.static import Index, absolute

#: text files that may name a module: notebooks, configuration, runners
_TEXT_FILES = re.compile(
    r"(\.ipynb|\.ya?ml|\.toml|\.cfg|\.ini|\.sh|\.mk|(^|/)Makefile|(^|/)Dockerfile|"
    r"(^|/)Procfile|(^|/)justfile)$"
)


def unimported(
    index: Index,
    code: Sequence[str],
    modules: Iterable[str],
    files: Iterable[str],
    text: Callable[[str], str | None],
) -> set[str]:
    """Of ``modules``, those that no file of ``code`` (the project's and its tests' Python
    files) imports, no notebook or configuration file names, and that do not run by
    themselves (a ``__main__`` block, a top-level call of a function they define); empty
    when the project imports modules by computed names."""
    wanted = {m for m in modules if not m.endswith("__init__.py")}
    if not wanted:
        return set()
    used: set[str] = set()
    #: the last names of modules a computed import can only reach (``f"{package}.cli"``)
    tails: set[str] = set()
    for path in code:
        info = index.module(path)
        if info is None:
            continue
        names = list(info.star_imports)
        for kind, a, b in info.bindings.values():
            if kind == "import":
                names.append(a)
            elif kind == "from":
                names += [a, f"{a}.{b}"]
        if "*" in info.dynamic:
            return set()
        tails.update(info.dynamic)
        for body in [info.body, *(f.get("b", {}) for f in info.functions.values())]:
            for record in body.get("imports", ()):
                if record[0] == "i":
                    names.append(record[2])
                else:
                    module = absolute(record[1], record[2], info.package)
                    names += [module, f"{module}.{record[3]}"]
        for name in names:
            target = index.locate(name, path)
            if target is not None and target != path:
                used.add(target)
    left = {
        m
        for m in wanted - used
        if m.rsplit("/", 1)[-1].removesuffix(".py") not in tails and not _runs_itself(index, m)
    }
    if not left:
        return left
    for rel in files:
        if not _TEXT_FILES.search(rel):
            continue
        content = text(rel)
        if not content:
            continue
        for module in list(left):
            if _named_in(module, index, rel, content):
                left.discard(module)
        if not left:
            break
    return left


def _callee(call: dict[str, Any] | str) -> str:
    if isinstance(call, str):
        return call
    return call.get("f") or call.get("a") or ""


#: top-level calls that only declare something (a logger, a pattern, a type): no script
_DECLARES = frozenset(
    {"getLogger", "compile", "TypeVar", "namedtuple", "NamedTuple", "dataclass", "field"}
    | {"Path", "getenv", "get", "load_dotenv", "filterwarnings", "basicConfig", "frozenset"}
)


def _runs_itself(index: Index, path: str) -> bool:
    """A ``__main__`` block, or top-level code that does something (a script run as
    ``python train.py``) beyond declaring a logger, a pattern or a type."""
    info = index.module(path)
    if info is None or info.main:
        return True
    return any(_callee(c).rsplit(".", 1)[-1] not in _DECLARES for c in info.body.get("calls", ()))


def _named_in(module: str, index: Index, rel: str, content: str) -> bool:
    """``content`` (of the file ``rel``) names ``module``: by a dotted name of two parts or more
    ending with it (``data_checks.utils``), by its path (``data_checks/utils.py``), or, in a
    notebook beside it, imported by its bare name."""
    parts = module.removesuffix(".py").split("/")
    stem = parts[-1]
    if re.search(rf"(^|[\s/]){re.escape(stem)}\.py\b", content):
        return True  # a runner or a configuration names the file (``python train_vit.py``)
    # (the last two parts of its path: ``data/binning.py`` is ``data.binning`` to a notebook
    # beside ``data/``, whatever packages the project declares)
    if len(parts) >= 2 and (
        ".".join(parts[-2:]) in content or "/".join(parts[-2:]) + ".py" in content
    ):
        return True
    info = index.module(module)
    dotted = info.name.split(".") if info is not None else []
    if len(dotted) >= 2 and ".".join(dotted[-2:]) in content:
        return True
    here = module.rpartition("/")[0]
    return rel.rpartition("/")[0] == here and bool(
        re.search(rf"\b(import|from)\s+{re.escape(stem)}\b", content)
    )
