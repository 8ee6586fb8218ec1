"""Which tests reach which functions: the static method of MLN3xx, over the names
:class:`~mlnudge.checks.transforms.static.Index` resolves.

What pytest runs in the test files (tests, inherited tests, fixtures, module-level code; nothing
of a file that cannot be imported), then a walk from each, ``max-depth`` calls deep, through
the project's functions; functions the test patches out are not reached through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mlnudge.checks.transforms.static import FuncKey, Index, ModuleInfo, Sym, Uses
from mlnudge.project import PYTEST_FIXTURES


@dataclass
class Reach:
    """Which tests reach which functions, and how deep."""

    #: function -> the tests (path, qualname) that reach it with real arguments
    tested_by: dict[FuncKey, set[FuncKey]] = field(default_factory=dict)
    #: function -> the tests that reach it only through Mock arguments
    mocked_by: dict[FuncKey, set[FuncKey]] = field(default_factory=dict)
    #: test -> functions it reaches (both kinds), for the hook path
    reaches: dict[FuncKey, set[FuncKey]] = field(default_factory=dict)


#: modules a build or install step writes: missing from the tree, present when it runs
GENERATED_MODULES = frozenset({"_version", "version", "__version__", "_version_info", "_build"})


def unimportable(index: Index) -> set[str]:
    """Python files that cannot be imported: one imports a module of its own package that does
    not exist (``from .constant import EPS`` with no ``constant.py``, nor a compiled or
    generated one), or imports such a file, or sits in a package whose ``__init__`` is one.
    A test file among them fails at collection, so none of its tests runs."""
    stems = {f.rsplit("/", 1)[-1].split(".", 1)[0] for f in index.files}
    stems |= {part for f in index.files for part in f.split("/")[:-1]}
    paths = [p for p in index.files if p.endswith(".py")]
    broken: set[str] = set()
    targets: dict[str, set[str]] = {}
    for path in paths:
        info = index.module(path)
        if info is None:
            continue
        top = info.name.split(".")[0]
        found: set[str] = set()
        for kind, module, name in info.bindings.values():
            if kind not in ("from", "import"):
                continue
            target = index.path_of(module, path)
            if kind == "from" and target is None:
                target = index.path_of(f"{module}.{name}", path)
            if target is not None:
                found.add(target)
            elif (
                kind == "from"
                and module.split(".")[0] == top
                and "." in info.name
                and module.split(".")[-1] not in stems
                and module.split(".")[-1] not in GENERATED_MODULES
                and not module.endswith(("_pb2", "_pb2_grpc"))
            ):
                broken.add(path)
        package = info.package
        while package:
            init = index.path_of(package, path)
            if init is not None and init != path:
                found.add(init)
            package = package.rpartition(".")[0]
        targets[path] = found
    changed = True
    while changed:
        changed = False
        for path, found in targets.items():
            if path not in broken and found & broken:
                broken.add(path)
                changed = True
    return broken


def test_functions(index: Index, test_files: Iterable[str]) -> Iterator[FuncKey]:
    """What pytest runs in ``test_files``: ``test*`` functions, ``test*`` methods of ``Test*``
    classes and ``TestCase`` subclasses (inherited ones too), fixtures, and module-level code
    outside ``if __name__ == "__main__":``. Other functions count only when those call them.
    A test file that cannot be imported (:func:`unimportable`) runs nothing."""
    broken = unimportable(index)
    files = list(test_files)
    #: every fixture the tests can ask for: the project's own, pytest's and common plugins'
    fixtures = {fn.get("fxname", name) for _path, name, fn in _fixtures(index, files)}
    fixtures |= PYTEST_FIXTURES
    # ``pytest_generate_tests`` can supply any argument, and ``pytest_plugins`` or a star
    # import (``from .fixtures import *``) fixtures we do not see: then every test is taken
    # as runnable
    infos = [info for info in (index.module(path) for path in files) if info is not None]
    generated = any(
        "pytest_generate_tests" in info.functions
        or bool(info.star_imports)
        or any(b[0] == "pytest_plugins" for b in info.body.get("binds", ()))
        for info in infos
    )
    # a fixture imported into a test module or a conftest (``from .fixtures import frame``)
    fixtures |= {
        entry[1] if entry[0] == "i" else entry[4]
        for info in infos
        for entry in info.body.get("imports", ())
    }
    for path in files:
        info = index.module(path)
        if info is None or path in broken:
            continue
        yield (path, "<module>")
        for qual, fn in info.functions.items():
            owner, _, name = qual.rpartition(".")
            if fn["fx"] or (name.startswith("test") and (not owner or _is_test_class(info, owner))):
                if not owner and not generated and set(fn.get("needs", ())) - fixtures:
                    # ``def test_model(model, vectorizer)`` with no such fixtures: pytest
                    # reports an error before its body runs, so it runs nothing
                    continue
                yield (path, qual)
        for cls, bases in info.classes.items():  # tests a test class inherits
            if not _is_test_class(info, cls):
                continue
            own = {q.split(".", 1)[1] for q in info.functions if q.startswith(cls + ".")}
            for sym in index.base_classes(path, bases):
                base_info = index.module(sym[1])
                for qual in base_info.functions if base_info else {}:
                    owner, _, name = qual.rpartition(".")
                    if owner == sym[2] and name.startswith("test") and name not in own:
                        yield (path, f"{cls}.{name}")


def _is_test_class(info: ModuleInfo, cls: str) -> bool:
    bases = info.classes.get(cls)
    if bases is None:
        return False
    return cls.startswith("Test") or any((b or "").endswith("TestCase") for b in bases)


def _fixtures(index: Index, test_files: Iterable[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in test_files:
        info = index.module(path)
        if info is None:
            continue
        for qual, fn in info.functions.items():
            if "." not in qual and fn["fx"]:
                yield path, qual, fn


def find_object_fixtures(index: Index, test_files: Iterable[str]) -> dict[str, tuple[str, Sym]]:
    """pytest fixtures that return (or yield) a project object or function, by name."""
    found: dict[str, tuple[str, Sym]] = {}
    for path, name, fn in _fixtures(index, test_files):
        for kind, text in fn["ret"]:
            sym = index.resolve_in(path, text.split("."))
            if sym is not None and sym[0] in ("class", "func"):
                if kind == "instance" and sym[0] == "func":
                    continue  # a function's result: unknown object
                found[name] = (kind, sym)
    return found


def find_mock_fixtures(index: Index, test_files: Iterable[str]) -> set[str]:
    """Names of pytest fixtures (in tests and conftest files) that return a ``Mock``."""
    return {name for _, name, fn in _fixtures(index, test_files) if fn["mock"]}


def compute_reach(index: Index, tests: Iterable[FuncKey], max_depth: int) -> Reach:
    reach = Reach()
    for test in tests:
        if test[1] == "<module>":
            uses = index.module_level_uses(test[0])
        elif index.function(test) is None and "." in test[1]:
            cls, _, name = test[1].rpartition(".")
            found = index.method(test[0], cls, name)
            uses = index.uses(found, receiver=(test[0], cls)) if found else Uses()
        else:
            uses = index.uses(test)
        patched = uses.patched
        real = _walk(index, uses.calls - patched, patched, max_depth)
        mocked = _walk(index, uses.mock_calls - patched, patched, max_depth) - real
        for fn in real:
            reach.tested_by.setdefault(fn, set()).add(test)
        for fn in mocked:
            reach.mocked_by.setdefault(fn, set()).add(test)
        reach.reaches[test] = real | mocked
    return reach


def _walk(index: Index, start: set[FuncKey], patched: set[FuncKey], max_depth: int) -> set[FuncKey]:
    seen = set(start)
    frontier = set(seen)
    for _ in range(max_depth):
        nxt: set[FuncKey] = set()
        for fn in frontier:
            nxt |= index.uses(fn).calls
        nxt = nxt - seen - patched
        seen |= nxt
        frontier = nxt
        if not frontier:
            break
    return seen
