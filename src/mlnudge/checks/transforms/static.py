"""The static side of MLN3xx: name resolution over the project, from per-file facts.

Name resolution works over :mod:`~mlnudge.checks.transforms.reachfacts` (one pass per file,
cached by content): no syntax tree is walked here. It resolves names the way Python would:
module-level bindings, ``import``/``from`` aliases, relative imports, re-exports through
package ``__init__`` files, module attributes (``features.add_x``), instances of project
classes and ``self``.

A test *reaches* a function when it calls it (or passes it on as a value, e.g. to
``df.pipe``) with at least one argument that is not a ``Mock``, or calls a project function
that reaches it, up to ``max-depth`` calls deep. Functions the test patches out
(``mock.patch``, ``mocker.patch``, ``monkeypatch.setattr``) are not reached through it.
:class:`Index` says what one body calls; :mod:`~mlnudge.checks.transforms.reach` walks from
the tests; :mod:`~mlnudge.checks.transforms.identify` holds the names, locations and Kedro
nodes that identification reads besides the bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

SymKind = Literal["func", "class", "module", "registry"]
#: what a name refers to: a function or class by (path, qualname), or a module by (path, "")
Sym = tuple[SymKind, str, str]
#: a function of the project: (path, qualname)
FuncKey = tuple[str, str]
#: the reach facts of a module (:func:`~mlnudge.checks.transforms.reachfacts.reach_facts`)
Loader = Callable[[str], "dict[str, Any] | None"]

SKLEARN_DRIVERS = frozenset(
    {"fit", "transform", "fit_transform", "predict", "fit_predict", "score", "inverse_transform"}
)

# -- module names ------------------------------------------------------------------------------


def module_names(path: str, files: frozenset[str]) -> list[str]:
    """The dotted names under which ``path`` can be imported, most likely first."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts:
        return []
    dirs = path.split("/")[:-1]
    top = len(dirs)
    while top > 0 and "/".join(dirs[:top]) + "/__init__.py" in files:
        top -= 1
    names = [".".join(parts[top:])] if parts[top:] else []
    full = ".".join(parts)
    if full not in names:
        names.append(full)
    for prefix in ("src.", "lib.", "python."):
        if full.startswith(prefix) and full[len(prefix) :] not in names:
            names.append(full[len(prefix) :])
    # folders without ``__init__.py`` are namespace packages: ``services/model.py`` imports as
    # ``services.model`` from the folder above, as it does for tests run from there
    for cut in range(top - 1, 0, -1):
        if not all(part.isidentifier() for part in parts[cut:]):
            break
        name = ".".join(parts[cut:])
        if name not in names:
            names.append(name)
    return names


def absolute(level: int, module: str, package: str) -> str:
    """The absolute module of ``from <level dots><module> import ...`` inside ``package``."""
    if not level:
        return module
    parts = package.split(".") if package else []
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    if module:
        parts.append(module)
    return ".".join(parts)


# -- the index -----------------------------------------------------------------------------------


@dataclass
class ModuleInfo:
    path: str
    name: str
    is_package: bool
    #: top-level names -> what they are bound to (unresolved: ("def"|"class", qualname, "") or
    #: ("import", absolute module, "") or ("from", absolute module, name))
    bindings: dict[str, tuple[str, str, str]]
    #: qualname -> the function's reach facts (``fx``: a fixture, ``b``: its body's events)
    functions: dict[str, dict[str, Any]]
    #: class -> the dotted names of its bases (``None`` for one that is not a dotted name)
    classes: dict[str, list[str | None]]
    star_imports: list[str]
    #: module-level dicts, lists and tuples of functions or classes: name -> dotted values
    registries: dict[str, list[str]]
    #: class-level ``attr = value`` bindings: (class, attr) -> dotted value
    class_attrs: dict[tuple[str, str], str]
    #: the events of the module's top-level code (``if __name__ == "__main__":`` left out)
    body: dict[str, Any]
    #: dotted names handed to Kedro's ``node(...)``
    kedro: list[str]
    #: an ``if __name__ == "__main__":`` block: the module runs as a script
    main: bool = False
    #: what its computed imports reach (:func:`~.reachfacts.dynamic_imports`)
    dynamic: tuple[str, ...] = ()

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def _module_info(path: str, name: str, facts: dict[str, Any]) -> ModuleInfo:
    is_package = path.endswith("__init__.py")
    package = name if is_package else name.rpartition(".")[0]
    bindings: dict[str, tuple[str, str, str]] = {}
    for bound, record in facts["bindings"].items():
        if record[0] == "from":
            bindings[bound] = ("from", absolute(record[1], record[2], package), record[3])
        else:
            bindings[bound] = (record[0], record[1], "")
    return ModuleInfo(
        path=path,
        name=name,
        is_package=is_package,
        bindings=bindings,
        functions=facts["functions"],
        classes=facts["classes"],
        star_imports=[absolute(level, mod, package) for level, mod in facts["stars"]],
        registries=facts["registries"],
        class_attrs={(c, a): text for c, a, text in facts["class_attrs"]},
        body=facts["module"],
        kedro=facts["kedro"],
        main=bool(facts.get("main")),
        dynamic=tuple(facts.get("dynamic", ())),
    )


@dataclass
class Uses:
    """What one function body does with the project's functions."""

    #: functions called (or passed on) with real arguments
    calls: set[FuncKey] = field(default_factory=set)
    #: functions called only with ``Mock`` arguments
    mock_calls: set[FuncKey] = field(default_factory=set)
    #: functions the body patches out
    patched: set[FuncKey] = field(default_factory=set)
    #: project classes whose instances the body (or a helper it calls) builds: a caller that
    #: fits or transforms what it gets back (a ``Pipeline`` of them) runs their steps
    built: set[tuple[str, str]] = field(default_factory=set)


class Index:
    """The project's modules, read from their reach facts, and name resolution over them."""

    def __init__(self, files: Iterable[str], load: Loader, excluded: Iterable[str] = ()) -> None:
        listed = list(files)
        self.files = frozenset(listed)
        self.load = load
        self.by_name: dict[str, list[str]] = {}
        self.excluded = tuple(excluded)
        for path in listed:
            if path.endswith(".py"):
                for name in module_names(path, self.files):
                    self.by_name.setdefault(name, []).append(path)
        #: the first segments of the project's own module names (``mlnudge``, ``src``, ...)
        self.top_packages = frozenset(name.split(".")[0] for name in self.by_name)
        self._modules: dict[str, ModuleInfo | None] = {}
        self._uses: dict[tuple[str, str, tuple[str, str] | None], Uses] = {}
        self._resolved: dict[tuple[str, ...], Sym | None] = {}
        self.mock_fixtures: set[str] = set()
        #: pytest fixtures that return a project object: name -> ("instance"|"value", sym)
        self.object_fixtures: dict[str, tuple[str, Sym]] = {}

    # modules

    def module(self, path: str) -> ModuleInfo | None:
        if path in self._modules:
            return self._modules[path]
        facts = self.load(path) if path.endswith(".py") and path in self.files else None
        info = None
        if facts is not None:
            names = module_names(path, self.files)
            info = _module_info(path, names[0] if names else path, facts)
        self._modules[path] = info
        return info

    def path_of(self, name: str, near: str = "") -> str | None:
        paths = self.by_name.get(name)
        if not paths:
            return None
        if len(paths) > 1 and near:
            here = near.rsplit("/", 1)[0] if "/" in near else ""
            for p in paths:
                if (p.rsplit("/", 1)[0] if "/" in p else "") == here:
                    return p
        return paths[0]

    def function(self, key: FuncKey) -> dict[str, Any] | None:
        info = self.module(key[0])
        return info.functions.get(key[1]) if info else None

    # resolution

    def resolve_module(self, name: str, rest: list[str], near: str, depth: int = 0) -> Sym | None:
        """``name.rest...`` where ``name`` is a dotted module path, possibly with attributes."""
        parts = name.split(".") + rest
        for cut in range(len(parts), 0, -1):
            path = self.locate(".".join(parts[:cut]), near)
            if path is not None:
                return self.resolve_in(path, parts[cut:], depth)
        return None

    def locate(self, name: str, near: str) -> str | None:
        """The file of module ``name`` imported from ``near``. A module beside one of the
        importing file's folders comes first: tests in ``app/tests/`` run from ``app/`` (or with
        it on the path) import ``app/pipeline.py`` as ``pipeline``, whatever other
        ``pipeline.py`` the repository holds; then the project's module names."""
        folders = near.split("/")[:-1]
        stem_of = name.replace(".", "/")
        for top in range(len(folders), 0, -1):
            stem = "/".join(folders[:top]) + "/" + stem_of
            for path in (stem + ".py", stem + "/__init__.py"):
                if path in self.files and path != near:
                    return path
        return self.path_of(name, near)

    def resolve_in(self, path: str, names: list[str], depth: int = 0) -> Sym | None:
        """What ``names[0].names[1]...`` means inside the module at ``path``."""
        if not names:
            return ("module", path, "")
        if depth == 0:  # the same names recur in a module's bodies: resolve each once
            key = (path, *names)
            if key in self._resolved:
                return self._resolved[key]
            found = self._resolve_in(path, names, depth)
            self._resolved[key] = found
            return found
        return self._resolve_in(path, names, depth)

    def _resolve_in(self, path: str, names: list[str], depth: int) -> Sym | None:
        if depth > 12:
            return None
        info = self.module(path)
        if info is None:
            return None
        head, rest = names[0], names[1:]
        bound = info.bindings.get(head)
        if bound is not None:
            kind, a, b = bound
            if kind == "def":
                if not rest or rest in (["fn"], ["__wrapped__"]):  # Prefect tasks: ``f.fn(x)``
                    return ("func", path, a)
                return None
            if kind == "registry":
                return ("registry", path, a) if not rest else None
            if kind == "class":
                if not rest:
                    return ("class", path, a)
                qual = f"{a}.{rest[0]}"
                return ("func", path, qual) if len(rest) == 1 and qual in info.functions else None
            if kind == "import":
                return self.resolve_module(a, rest, path, depth + 1)
            if kind == "from":
                target = self.locate(a, path)
                if target is not None:
                    target_info = self.module(target)
                    if target_info is not None and (
                        b in target_info.bindings or not target_info.is_package
                    ):
                        return self.resolve_in(target, [b, *rest], depth + 1)
                return self.resolve_module(f"{a}.{b}", rest, path, depth + 1)
        if info.is_package:
            sub = self.path_of(f"{info.name}.{head}", path)
            if sub is not None:
                return self.resolve_in(sub, rest, depth + 1)
        for star in info.star_imports:
            target = self.path_of(star, path)
            if target is not None and target != path:
                found = self.resolve_in(target, names, depth + 1)
                if found is not None:
                    return found
        return None

    def base_classes(self, class_path: str, bases: list[str | None]) -> Iterator[Sym]:
        for text in bases:
            if text is None:
                continue
            sym = self.resolve_in(class_path, text.split("."))
            if sym is not None and sym[0] == "class":
                yield sym

    def method(
        self, class_path: str, class_name: str, method: str, depth: int = 0
    ) -> FuncKey | None:
        """``Class.method`` looked up through the class's project bases."""
        info = self.module(class_path)
        if info is None or depth > 8:
            return None
        qual = f"{class_name}.{method}"
        if qual in info.functions:
            return (class_path, qual)
        bases = info.classes.get(class_name)
        if bases is None:
            return None
        for sym in self.base_classes(class_path, bases):
            found = self.method(sym[1], sym[2], method, depth + 1)
            if found is not None:
                return found
        return None

    def class_attr(self, class_path: str, class_name: str, attr: str, depth: int = 0) -> Sym | None:
        """What ``Class.attr = value`` (here or in a project base class) refers to."""
        info = self.module(class_path)
        if info is None or depth > 8:
            return None
        text = info.class_attrs.get((class_name, attr))
        if text is not None:
            return self.resolve_in(class_path, text.split("."))
        for sym in self.base_classes(class_path, info.classes.get(class_name) or []):
            found = self.class_attr(sym[1], sym[2], attr, depth + 1)
            if found is not None:
                return found
        return None

    def registry_members(self, path: str, name: str) -> list[Sym]:
        info = self.module(path)
        members = info.registries.get(name, []) if info else []
        found: list[Sym | None] = []
        for member in members:
            head, _, kind = member.rpartition(".")
            if kind in ("*class", "*function"):
                found += self._module_members(path, head, kind[1:])
            else:
                found.append(self.resolve_in(path, member.split(".")))
        return [f for f in found if f is not None]

    def _module_members(self, path: str, module: str, kind: str) -> list[Sym | None]:
        """What ``getmembers(module, isclass)`` lists: the classes (or functions) the module
        binds, its own and those it imports."""
        sym = self.resolve_in(path, module.split("."))
        target = self.module(sym[1]) if sym is not None and sym[0] == "module" else None
        if target is None or sym is None:
            return []
        kind = "func" if kind == "function" else kind
        found = [self.resolve_in(sym[1], [name]) for name in target.bindings]
        return [f for f in found if f is not None and f[0] == kind]

    def class_methods(self, class_path: str, class_name: str, wanted: str) -> set[FuncKey]:
        """What ``instance.wanted()`` runs of the class (``fit_transform``: fit + transform)."""
        found = self.method(class_path, class_name, wanted)
        if found is not None:
            if found[0] == class_path and found[1].split(".")[0] == class_name:
                return {found}
            # inherited: its calls on ``self`` go to this class (``fit_transform`` -> our fit)
            return {found} | self.uses(found, receiver=(class_path, class_name)).calls
        if wanted == "fit_transform":
            return {
                m
                for m in (
                    self.method(class_path, class_name, "fit"),
                    self.method(class_path, class_name, "transform"),
                )
                if m is not None
            }
        return set()

    # uses

    def uses(self, key: FuncKey, receiver: tuple[str, str] | None = None) -> Uses:
        """What ``key``'s body calls; ``receiver`` is the class ``self`` is, when inherited."""
        cache_key = (key[0], key[1], receiver)
        cached = self._uses.get(cache_key)
        if cached is not None:
            return cached
        self._uses[cache_key] = Uses()  # recursion guard
        info = self.module(key[0])
        fn = info.functions.get(key[1]) if info else None
        result = Uses()
        if info is not None and fn is not None:
            result = _Replay(self, info, key[1], fn["b"], receiver).run()
        self._uses[cache_key] = result
        return result

    def module_level_uses(self, path: str) -> Uses:
        """Calls made by a module's top-level statements (test modules may call at import)."""
        key = (path, "<module>", None)
        cached = self._uses.get(key)
        if cached is not None:
            return cached
        info = self.module(path)
        result = Uses()
        if info is not None:
            result = _Replay(self, info, "<module>", info.body).run()
        self._uses[key] = result
        return result


class _Replay:
    """One body's recorded events, resolved: calls, references, instances, mocks, patches."""

    def __init__(
        self,
        index: Index,
        info: ModuleInfo,
        qualname: str,
        body: dict[str, Any],
        receiver: tuple[str, str] | None = None,
    ) -> None:
        self.receiver = receiver
        self.index = index
        self.info = info
        self.qualname = qualname
        self.body = body
        self.local: dict[str, Sym] = {}
        self.instances: dict[str, tuple[str, str]] = {}
        self.mocks: set[str] = set()
        self.result = Uses()
        self.instantiated: set[tuple[str, str]] = set()
        self.attr_calls: set[str] = set()
        self.calls_objects = False

    def run(self) -> Uses:
        body = self.body
        if "params" in body:
            self._parameters(body["params"], body.get("self"))
            for patch in body.get("deco_patches", ()):
                self._patch(patch)
            for text in body.get("deco_refs", ()):
                self._reference(text)
        for entry in body.get("imports", ()):
            self._local_import(entry)
        for name, mock, kind, text, *fit in body.get("binds", ()):
            self._bind(name, mock, kind, text, fit[0] if fit else None)
        for call in body.get("calls", ()):
            self._call(call)
        helpers = self.result.calls | self.result.mock_calls
        built = set(self.instantiated)
        for helper in helpers:
            if helper[1].rsplit(".", 1)[-1] != "__init__":
                built |= self.index.uses(helper).built
        self.result.built = built
        if self.attr_calls & SKLEARN_DRIVERS:
            # ``pipe = make_pipe([Scale()]); pipe.fit(X)``: the steps a helper built run too
            for cls in built - self.instantiated:
                for step in ("fit", "transform", "fit_transform"):
                    self.result.calls |= self.index.class_methods(cls[0], cls[1], step)
        for cls in self.instantiated:
            if self.calls_objects:
                self.attr_calls.add("__call__")
            for name in self.attr_calls:
                self.result.calls |= self.index.class_methods(cls[0], cls[1], name)
                if name in SKLEARN_DRIVERS:  # maybe inside a Pipeline: its steps run too
                    for step in ("fit", "transform", "fit_transform"):
                        self.result.calls |= self.index.class_methods(cls[0], cls[1], step)
        self.result.calls -= self.result.patched
        self.result.mock_calls -= self.result.calls | self.result.patched
        return self.result

    def _parameters(self, params: list[str], self_name: str | None) -> None:
        if self_name is not None:
            own = (self.info.path, self.qualname.split(".")[0])
            self.instances[self_name] = self.receiver or own
        for arg in params:
            if arg in self.index.mock_fixtures:
                self.mocks.add(arg)
            made = self.index.object_fixtures.get(arg)
            if made is None:
                continue
            kind, sym = made
            if kind == "instance" and sym[0] == "class":
                self.instances[arg] = (sym[1], sym[2])
                self.instantiated.add((sym[1], sym[2]))
            else:
                self.local[arg] = sym

    def _local_import(self, entry: list[Any]) -> None:
        if entry[0] == "i":
            _, name, target = entry
            sym = self.index.resolve_module(target, [], self.info.path)
        else:
            _, level, module, imported, name = entry
            base = absolute(level, module, self.info.package)
            sym = self.index.resolve_module(base, [imported], self.info.path)
        if sym is not None:
            self.local[name] = sym

    def _resolve(self, text: str | None) -> Sym | None:
        if text is None:
            return None
        head, *rest = text.split(".")
        sym = self.local.get(head)
        if sym is not None:
            if not rest:
                return sym
            if sym[0] == "module":
                return self.index.resolve_in(sym[1], rest)
            if sym[0] == "class" and len(rest) == 1:
                return _as_func(self.index.method(sym[1], sym[2], rest[0]))
            return None
        if head in self.instances and len(rest) == 1:
            owner = self.instances[head]
            return self.index.class_attr(owner[0], owner[1], rest[0])
        if head in self.instances or head in self.mocks:
            return None
        return self.index.resolve_in(self.info.path, [head, *rest])

    def _is_mock(self, desc: bool | str) -> bool:
        return desc is True or (isinstance(desc, str) and desc in self.mocks)

    def _bind(
        self, name: str, mock: bool | str, kind: str, text: str | None, fit: str | None
    ) -> None:
        if self._is_mock(mock):
            self.mocks.add(name)
            return
        if kind == "c":
            sym = self._resolve(text)
            if sym is not None and sym[0] == "class":
                self.instances[name] = (sym[1], sym[2])
            elif fit is not None:
                owner = self.instances.get(fit)
                if owner is not None:  # fit returns self
                    self.instances[name] = owner
            return
        sym = self._resolve(text) if kind == "r" else None
        if sym is not None:
            self.local[name] = sym

    def _call(self, call: dict[str, Any] | str) -> None:
        if isinstance(call, str):  # ``f(...)``, ``a.f(...)``: nothing but the callee recorded
            call = {"f": call}
        patch = call.get("p")
        if patch is not None:
            self._patch(patch)
        text: str | None = call["f"]
        if call.get("fc") or (text is not None and "." not in text and text in self.instances):
            self.calls_objects = True  # ``cls(model)(X)``: some instance's ``__call__`` runs
        registry = self._resolve(call["r"]) if "r" in call else None
        if registry is not None and registry[0] == "registry":
            for member in self.index.registry_members(registry[1], registry[2]):
                if member[0] == "func":
                    self.result.calls.add((member[1], member[2]))
                elif member[0] == "class":
                    self.instantiated.add((member[1], member[2]))
                    self.calls_objects = True
        sym = self._resolve(text)
        mocks = call.get("m", ())
        if sym is not None:
            if sym[0] == "func":
                mock_only = bool(mocks) and all(self._is_mock(m) for m in mocks)
                (self.result.mock_calls if mock_only else self.result.calls).add((sym[1], sym[2]))
            elif sym[0] == "class":
                self.instantiated.add((sym[1], sym[2]))
                init = self.index.method(sym[1], sym[2], "__init__")
                if init is not None:
                    self.result.calls.add(init)
        elif "a" in call or (text is not None and "." in text):
            attr: str
            if text is None:
                attr, desc = call["a"], call["o"]
            else:  # ``a.b.method(...)``: the object is ``a.b`` (a name or not)
                head, _, attr = text.rpartition(".")
                desc = ["n", head] if "." not in head else None
            owner = self._owner(desc)
            if owner is not None:
                mock_only = bool(mocks) and all(self._is_mock(m) for m in mocks)
                found = self.index.class_methods(owner[0], owner[1], attr)
                (self.result.mock_calls if mock_only else self.result.calls).update(found)
            else:
                self.attr_calls.add(attr)
        for ref in call.get("x", ()):
            self._reference(ref)

    def _owner(self, desc: list[Any] | None) -> tuple[str, str] | None:
        """The project class of the object an expression evaluates to, when known."""
        if desc is None:
            return None
        if desc[0] == "n":
            return self.instances.get(desc[1])
        sym = self._resolve(desc[1])
        if sym is not None and sym[0] == "class":
            self.instantiated.add((sym[1], sym[2]))
            return (sym[1], sym[2])
        return self._owner(desc[2])

    def _reference(self, text: str) -> None:
        if "." not in text and (text in self.mocks or text in self.instances):
            return
        head, _, attr = text.rpartition(".")
        if head in self.instances:
            # a bound method handed on: ``frame["text"].apply(self.clean)`` runs ``clean``
            owner = self.instances[head]
            self.result.calls.update(self.index.class_methods(owner[0], owner[1], attr))
            return
        sym = self._resolve(text)
        if sym is not None and sym[0] == "func":
            self.result.calls.add((sym[1], sym[2]))
        elif sym is not None and sym[0] == "class":
            self.instantiated.add((sym[1], sym[2]))
        elif sym is not None and sym[0] == "registry":
            # a collection of functions handed on (a Kedro pipeline given to a runner, a list
            # of steps given to a loop) is handed on to be run: its members run
            self._registry_run(sym, 0)

    def _registry_run(self, registry: Sym, depth: int) -> None:
        for member in self.index.registry_members(registry[1], registry[2]):
            if member[0] == "func":
                self.result.calls.add((member[1], member[2]))
            elif member[0] == "class":
                # a list of classes handed on (``parametrize("model", detectors)``) is
                # handed on to be built: the methods the body calls on what it builds run
                self.instantiated.add((member[1], member[2]))
            elif member[0] == "registry" and depth < 3 and member != registry:
                self._registry_run(member, depth + 1)

    def _patch(self, patch: list[Any]) -> None:
        sym: Sym | None = None
        if patch[0] == "s":
            sym = self.index.resolve_module(patch[1], [], self.info.path)
        else:
            owner = self._resolve(patch[1])
            if owner is not None and owner[0] == "module":
                sym = self.index.resolve_in(owner[1], [patch[2]])
            elif owner is not None and owner[0] == "class":
                sym = _as_func(self.index.method(owner[1], owner[2], patch[2]))
        if sym is not None and sym[0] == "func":
            self.result.patched.add((sym[1], sym[2]))


def _as_func(key: FuncKey | None) -> Sym | None:
    return None if key is None else ("func", key[0], key[1])
