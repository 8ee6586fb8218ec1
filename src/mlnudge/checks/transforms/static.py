"""The static side of MLN3xx: which functions transform data, and which tests reach them.

Everything here works on parsed modules handed out by :class:`~mlnudge.facts.repo.Repo` (each
file parsed once per run) and resolves names the way Python would: module-level bindings,
``import``/``from`` aliases, relative imports, re-exports through package ``__init__``
files, module attributes (``features.add_x``), instances of project classes and ``self``.

A test *reaches* a function when it calls it (or passes it on as a value, e.g. to
``df.pipe``) with at least one argument that is not a ``Mock``, or calls a project function
that reaches it, up to ``max-depth`` calls deep. Functions the test patches out
(``mock.patch``, ``mocker.patch``, ``monkeypatch.setattr``) are not reached through it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from mlnudge.facts.repo import PyModule, Repo
from mlnudge.settings import path_matches

SymKind = Literal["func", "class", "module", "registry"]
#: what a name refers to: a function or class by (path, qualname), or a module by (path, "")
Sym = tuple[SymKind, str, str]
#: a function of the project: (path, qualname)
FuncKey = tuple[str, str]

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

#: DataFrame, array and tensor operations that change data
DATA_OPS = frozenset(
    {
        "merge",
        "join",
        "groupby",
        "fillna",
        "bfill",
        "ffill",
        "apply",
        "applymap",
        "assign",
        "astype",
        "where",
        "mask",
        "dropna",
        "drop",
        "drop_duplicates",
        "rename",
        "pivot",
        "pivot_table",
        "melt",
        "concat",
        "replace",
        "map",
        "clip",
        "query",
        "reset_index",
        "set_index",
        "sort_values",
        "get_dummies",
        "cut",
        "qcut",
        "agg",
        "aggregate",
        "transform",
        "shift",
        "rolling",
        "diff",
        "explode",
        "stack",
        "unstack",
        "interpolate",
        "resample",
        "select_dtypes",
        "to_datetime",
        "to_numeric",
        "with_columns",
        "with_column",
        "reshape",
        "clamp",
        "log1p",
        "isin",
        "cumsum",
        "vstack",
        "hstack",
        "cat",
        "squeeze",
        "unsqueeze",
        "permute",
        "transpose",
        "one_hot",
        "fit_transform",
    }
)
#: attributes of a DataFrame that are not columns (``df.shape``, ``df.loc``)
FRAME_ATTRS = DATA_OPS | frozenset(
    {
        "loc",
        "iloc",
        "at",
        "iat",
        "columns",
        "index",
        "shape",
        "dtypes",
        "values",
        "copy",
        "head",
        "tail",
        "str",
        "dt",
        "cat",
        "sum",
        "mean",
        "std",
        "min",
        "max",
        "count",
        "empty",
        "size",
        "T",
        "to_numpy",
        "to_dict",
        "to_list",
        "tolist",
        "items",
        "iterrows",
        "itertuples",
        "get",
        "keys",
        "pop",
        "append",
        "update",
        "any",
        "all",
        "isna",
        "notna",
        "isnull",
        "notnull",
        "unique",
        "nunique",
        "value_counts",
        "round",
        "abs",
        "describe",
        "info",
        "sample",
        "filter",
        "select",
        "plot",
        "pipe",
    }
)
FRAME_ANNOTATION = re.compile(
    r"DataFrame|Series|ndarray|NDArray|ArrayLike|Tensor|LazyFrame|\bDataset\b|\bnp\.array"
)
SKLEARN_DRIVERS = frozenset(
    {"fit", "transform", "fit_transform", "predict", "fit_predict", "score", "inverse_transform"}
)
MOCK_NAMES = frozenset(
    {
        "Mock",
        "MagicMock",
        "NonCallableMock",
        "NonCallableMagicMock",
        "AsyncMock",
        "PropertyMock",
        "create_autospec",
        "mock_open",
    }
)
PATCH_CALLS = re.compile(r"(^|\.)(patch|patch\.object|patch\.dict|setattr)$")


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
    return names


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else ``None``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


# -- the index -----------------------------------------------------------------------------------


@dataclass
class ModuleInfo:
    path: str
    name: str
    is_package: bool
    module: PyModule
    #: top-level names -> what they are bound to (unresolved: ("def"|"class", qualname, "") or
    #: ("import", absolute module, "") or ("from", absolute module, name))
    bindings: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    #: module-level dicts, lists and tuples of functions or classes: name -> dotted values
    registries: dict[str, list[str]] = field(default_factory=dict)
    #: class-level ``attr = value`` bindings: (class, attr) -> dotted value
    class_attrs: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Uses:
    """What one function body does with the project's functions."""

    #: functions called (or passed on) with real arguments
    calls: set[FuncKey] = field(default_factory=set)
    #: functions called only with ``Mock`` arguments
    mock_calls: set[FuncKey] = field(default_factory=set)
    #: functions the body patches out
    patched: set[FuncKey] = field(default_factory=set)


class Index:
    """The project's modules, parsed lazily through the repo, and name resolution over them."""

    def __init__(self, repo: Repo, excluded: Iterable[str] = ()) -> None:
        self.repo = repo
        self.files = frozenset(repo.files)
        self.by_name: dict[str, list[str]] = {}
        self.excluded = tuple(excluded)
        for path in repo.files:
            if path.endswith(".py"):
                for name in module_names(path, self.files):
                    self.by_name.setdefault(name, []).append(path)
        #: the first segments of the project's own module names (``mlnudge``, ``src``, ...)
        self.top_packages = frozenset(name.split(".")[0] for name in self.by_name)
        self._modules: dict[str, ModuleInfo | None] = {}
        self._uses: dict[tuple[str, str, tuple[str, str] | None], Uses] = {}
        self.mock_fixtures: set[str] = set()
        #: pytest fixtures that return a project object: name -> ("instance"|"value", sym)
        self.object_fixtures: dict[str, tuple[str, Sym]] = {}

    # modules

    def module(self, path: str) -> ModuleInfo | None:
        if path in self._modules:
            return self._modules[path]
        parsed = self.repo.python(path) if path.endswith(".py") else None
        info = None
        if parsed is not None:
            names = module_names(path, self.files)
            info = ModuleInfo(
                path=path,
                name=names[0] if names else path,
                is_package=path.endswith("__init__.py"),
                module=parsed,
            )
            _collect_bindings(info, parsed.tree.body)
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

    def function(self, key: FuncKey) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        info = self.module(key[0])
        return info.functions.get(key[1]) if info else None

    # resolution

    def resolve_module(self, name: str, rest: list[str], near: str, depth: int = 0) -> Sym | None:
        """``name.rest...`` where ``name`` is a dotted module path, possibly with attributes."""
        parts = name.split(".") + rest
        for cut in range(len(parts), 0, -1):
            path = self.path_of(".".join(parts[:cut]), near)
            if path is not None:
                return self.resolve_in(path, parts[cut:], depth)
        return None

    def resolve_in(self, path: str, names: list[str], depth: int = 0) -> Sym | None:
        """What ``names[0].names[1]...`` means inside the module at ``path``."""
        if not names:
            return ("module", path, "")
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
                target = self.path_of(a, path)
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
        node = info.classes.get(class_name)
        if node is None:
            return None
        for base in node.bases:
            text = dotted(base)
            if text is None:
                continue
            sym = self.resolve_in(class_path, text.split("."))
            if sym is not None and sym[0] == "class":
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
        node = info.classes.get(class_name)
        for base in node.bases if node else []:
            name = dotted(base)
            sym = self.resolve_in(class_path, name.split(".")) if name else None
            if sym is not None and sym[0] == "class":
                found = self.class_attr(sym[1], sym[2], attr, depth + 1)
                if found is not None:
                    return found
        return None

    def registry_members(self, path: str, name: str) -> list[Sym]:
        info = self.module(path)
        members = info.registries.get(name, []) if info else []
        found = [self.resolve_in(path, m.split(".")) for m in members]
        return [f for f in found if f is not None]

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
        node = info.functions.get(key[1]) if info else None
        result = Uses()
        if info is not None and node is not None:
            result = _BodyAnalysis(self, info, key[1], node.body, node, receiver).run()
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
            body = [
                s
                for s in info.module.tree.body
                if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and not _is_main_block(s)
            ]
            result = _BodyAnalysis(self, info, "<module>", body, None).run()
        self._uses[key] = result
        return result


def _is_main_block(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":``: pytest never runs it."""
    return (
        isinstance(stmt, ast.If)
        and isinstance(stmt.test, ast.Compare)
        and isinstance(stmt.test.left, ast.Name)
        and stmt.test.left.id == "__name__"
    )


def _collect_bindings(info: ModuleInfo, body: list[ast.stmt]) -> None:
    package = info.name if info.is_package else info.name.rpartition(".")[0]
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            info.bindings[stmt.name] = ("def", stmt.name, "")
            info.functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            info.bindings[stmt.name] = ("class", stmt.name, "")
            info.classes[stmt.name] = stmt
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    info.functions[f"{stmt.name}.{item.name}"] = item
                elif (
                    isinstance(item, ast.Assign)
                    and len(item.targets) == 1
                    and isinstance(item.targets[0], ast.Name)
                ):
                    text = (
                        dotted(item.value)
                        if isinstance(item.value, ast.Name | ast.Attribute)
                        else None
                    )
                    if text is not None:
                        info.class_attrs[(stmt.name, item.targets[0].id)] = text
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    info.bindings[alias.asname] = ("import", alias.name, "")
                else:
                    top = alias.name.split(".")[0]
                    info.bindings[top] = ("import", top, "")
        elif isinstance(stmt, ast.ImportFrom):
            base = _absolute(stmt, package)
            for alias in stmt.names:
                if alias.name == "*":
                    info.star_imports.append(base)
                else:
                    info.bindings[alias.asname or alias.name] = ("from", base, alias.name)
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
            members = _registry_members(value)
            if isinstance(target, ast.Name) and members:
                info.registries[target.id] = members
                info.bindings[target.id] = ("registry", target.id, "")
                continue
            text = dotted(value) if isinstance(value, ast.Name | ast.Attribute) else None
            if isinstance(target, ast.Name) and text is not None:
                head, _, rest = text.partition(".")
                bound = info.bindings.get(head)
                if bound is not None and not rest and bound[0] in ("def", "class", "from"):
                    info.bindings[target.id] = bound
        elif isinstance(stmt, ast.If | ast.Try | ast.With):
            inner: list[ast.stmt] = list(stmt.body)
            if isinstance(stmt, ast.If):
                inner += stmt.orelse
            elif isinstance(stmt, ast.Try):
                for handler in stmt.handlers:
                    inner += handler.body
                inner += stmt.orelse + stmt.finalbody
            _collect_bindings(info, inner)


def _registry_members(value: ast.expr) -> list[str]:
    """``{"a": f, "b": g}``, ``[A, B]``, ``(f, g)``: the dotted names of its members."""
    items: list[ast.expr | None] = []
    if isinstance(value, ast.Dict):
        items = list(value.values)
    elif isinstance(value, ast.List | ast.Tuple | ast.Set):
        items = list(value.elts)
    names = [dotted(v) for v in items if isinstance(v, ast.Name | ast.Attribute)]
    found = [n for n in names if n is not None]
    return found if found and len(found) == len(items) else []


def _absolute(stmt: ast.ImportFrom, package: str) -> str:
    if not stmt.level:
        return stmt.module or ""
    parts = package.split(".") if package else []
    if stmt.level > 1:
        parts = parts[: len(parts) - (stmt.level - 1)]
    if stmt.module:
        parts.append(stmt.module)
    return ".".join(parts)


class _BodyAnalysis:
    """One pass over a function body: calls, references, instances, mocks and patches."""

    def __init__(  # noqa: PLR0917
        self,
        index: Index,
        info: ModuleInfo,
        qualname: str,
        body: list[ast.stmt],
        node: ast.FunctionDef | ast.AsyncFunctionDef | None,
        receiver: tuple[str, str] | None = None,
    ) -> None:
        self.receiver = receiver
        self.index = index
        self.info = info
        self.qualname = qualname
        self.body = body
        self.node = node
        self.local: dict[str, Sym] = {}
        self.instances: dict[str, tuple[str, str]] = {}
        self.mocks: set[str] = set()
        self.result = Uses()
        self.instantiated: set[tuple[str, str]] = set()
        self.attr_calls: set[str] = set()
        self.calls_objects = False

    def run(self) -> Uses:
        node = self.node
        if node is not None:
            self._parameters(node)
            for deco in node.decorator_list:
                self._patches(deco)
                for sub in ast.walk(deco):
                    if isinstance(sub, ast.Name | ast.Attribute):
                        self._reference(sub)
        statements = [n for stmt in self.body for n in ast.walk(stmt)]
        for sub in statements:
            if isinstance(sub, ast.Import | ast.ImportFrom):
                self._local_import(sub)
        for sub in statements:
            if isinstance(sub, ast.Assign | ast.AnnAssign) and sub.value is not None:
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self._bind(target.id, sub.value)
            elif isinstance(sub, ast.withitem) and isinstance(sub.optional_vars, ast.Name):
                self._bind(sub.optional_vars.id, sub.context_expr)
        for sub in statements:
            if isinstance(sub, ast.Call):
                self._call(sub)
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

    def _parameters(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        if "." in self.qualname and args and args[0].arg in ("self", "cls"):
            own = (self.info.path, self.qualname.split(".")[0])
            self.instances[args[0].arg] = self.receiver or own
        for arg in args:
            if arg.arg in self.index.mock_fixtures:
                self.mocks.add(arg.arg)
            made = self.index.object_fixtures.get(arg.arg)
            if made is None:
                continue
            kind, sym = made
            if kind == "instance" and sym[0] == "class":
                self.instances[arg.arg] = (sym[1], sym[2])
                self.instantiated.add((sym[1], sym[2]))
            else:
                self.local[arg.arg] = sym

    def _local_import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                name = alias.asname or alias.name.split(".")[0]
                target = alias.name if alias.asname else name
                sym = self.index.resolve_module(target, [], self.info.path)
                if sym is not None:
                    self.local[name] = sym
            return
        package = self.info.name if self.info.is_package else self.info.name.rpartition(".")[0]
        base = _absolute(stmt, package)
        for alias in stmt.names:
            if alias.name == "*":
                continue
            sym = self.index.resolve_module(base, [alias.name], self.info.path)
            if sym is not None:
                self.local[alias.asname or alias.name] = sym

    def _resolve(self, expr: ast.expr) -> Sym | None:
        text = dotted(expr)
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

    def _is_mock(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id in self.mocks
        if isinstance(expr, ast.Attribute):
            text = dotted(expr)
            return text is not None and (
                text.split(".")[0] in self.mocks or text.startswith(("sentinel.", "mock.sentinel."))
            )
        if isinstance(expr, ast.Call):
            text = dotted(expr.func)
            if text is not None and text.rsplit(".", 1)[-1] in MOCK_NAMES:
                return True
            return isinstance(expr.func, ast.Attribute) and self._is_mock(expr.func.value)
        return False

    def _bind(self, name: str, value: ast.expr) -> None:
        if self._is_mock(value):
            self.mocks.add(name)
            return
        if isinstance(value, ast.Call):
            sym = self._resolve(value.func)
            if sym is not None and sym[0] == "class":
                self.instances[name] = (sym[1], sym[2])
            elif isinstance(value.func, ast.Attribute) and isinstance(value.func.value, ast.Name):
                owner = self.instances.get(value.func.value.id)
                if owner is not None and value.func.attr == "fit":  # fit returns self
                    self.instances[name] = owner
            return
        sym = self._resolve(value) if isinstance(value, ast.Name | ast.Attribute) else None
        if sym is not None:
            self.local[name] = sym

    def _call(self, call: ast.Call) -> None:
        self._patches(call)
        func = call.func
        if isinstance(func, ast.Call) or (isinstance(func, ast.Name) and func.id in self.instances):
            self.calls_objects = True  # ``cls(model)(X)``: some instance's ``__call__`` runs
        registry: Sym | None = None
        lookup = isinstance(func, ast.Attribute) and func.attr == "get"
        if isinstance(func, ast.Subscript | ast.Attribute) and (
            lookup or isinstance(func, ast.Subscript)
        ):
            registry = self._resolve(func.value)
        if registry is not None and registry[0] == "registry":
            for member in self.index.registry_members(registry[1], registry[2]):
                if member[0] == "func":
                    self.result.calls.add((member[1], member[2]))
                elif member[0] == "class":
                    self.instantiated.add((member[1], member[2]))
                    self.calls_objects = True
        sym = self._resolve(func)
        args = [*call.args, *(k.value for k in call.keywords)]
        if sym is not None:
            if sym[0] == "func":
                mock_only = bool(args) and all(self._is_mock(a) for a in args)
                (self.result.mock_calls if mock_only else self.result.calls).add((sym[1], sym[2]))
            elif sym[0] == "class":
                self.instantiated.add((sym[1], sym[2]))
                init = self.index.method(sym[1], sym[2], "__init__")
                if init is not None:
                    self.result.calls.add(init)
        elif isinstance(func, ast.Attribute):
            owner = self._owner(func.value)
            if owner is not None:
                mock_only = bool(args) and all(self._is_mock(a) for a in args)
                found = self.index.class_methods(owner[0], owner[1], func.attr)
                (self.result.mock_calls if mock_only else self.result.calls).update(found)
            else:
                self.attr_calls.add(func.attr)
        for arg in args:
            if isinstance(arg, ast.Name | ast.Attribute):
                self._reference(arg)
            elif isinstance(arg, ast.List | ast.Tuple | ast.Set | ast.Dict):
                for sub in ast.walk(arg):
                    if isinstance(sub, ast.Name | ast.Attribute):
                        self._reference(sub)

    def _owner(self, expr: ast.expr) -> tuple[str, str] | None:
        """The project class of the object ``expr`` evaluates to, when known."""
        if isinstance(expr, ast.Name):
            return self.instances.get(expr.id)
        if isinstance(expr, ast.Call):
            sym = self._resolve(expr.func)
            if sym is not None and sym[0] == "class":
                self.instantiated.add((sym[1], sym[2]))
                return (sym[1], sym[2])
            if isinstance(expr.func, ast.Attribute) and expr.func.attr == "fit":
                return self._owner(expr.func.value)
        return None

    def _reference(self, expr: ast.Name | ast.Attribute) -> None:
        if isinstance(expr, ast.Name) and (expr.id in self.mocks or expr.id in self.instances):
            return
        sym = self._resolve(expr)
        if sym is not None and sym[0] == "func":
            self.result.calls.add((sym[1], sym[2]))
        elif sym is not None and sym[0] == "class":
            self.instantiated.add((sym[1], sym[2]))

    def _patches(self, node: ast.expr) -> None:
        if not isinstance(node, ast.Call):
            return
        text = dotted(node.func)
        if text is None or not PATCH_CALLS.search(text) or not node.args:
            return
        first = node.args[0]
        sym: Sym | None = None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if "." in first.value:
                sym = self.index.resolve_module(first.value, [], self.info.path)
        elif len(node.args) > 1:
            second = node.args[1]
            if isinstance(second, ast.Constant) and isinstance(second.value, str):
                owner = self._resolve(first)
                if owner is not None and owner[0] == "module":
                    sym = self.index.resolve_in(owner[1], [second.value])
                elif owner is not None and owner[0] == "class":
                    sym = _as_func(self.index.method(owner[1], owner[2], second.value))
        if sym is not None and sym[0] == "func":
            self.result.patched.add((sym[1], sym[2]))


def _as_func(key: FuncKey | None) -> Sym | None:
    return None if key is None else ("func", key[0], key[1])


# -- reach ---------------------------------------------------------------------------------------


@dataclass
class Reach:
    """Which tests reach which functions, and how deep."""

    #: function -> the tests (path, qualname) that reach it with real arguments
    tested_by: dict[FuncKey, set[FuncKey]] = field(default_factory=dict)
    #: function -> the tests that reach it only through Mock arguments
    mocked_by: dict[FuncKey, set[FuncKey]] = field(default_factory=dict)
    #: test -> functions it reaches (both kinds), for the hook path
    reaches: dict[FuncKey, set[FuncKey]] = field(default_factory=dict)


def test_functions(index: Index, test_files: Iterable[str]) -> Iterator[FuncKey]:
    """What pytest runs in ``test_files``: ``test*`` functions, ``test*`` methods of ``Test*``
    classes and ``TestCase`` subclasses (inherited ones too), fixtures, and module-level code
    outside ``if __name__ == "__main__":``. Other functions count only when those call them."""
    for path in test_files:
        info = index.module(path)
        if info is None:
            continue
        yield (path, "<module>")
        for qual, node in info.functions.items():
            owner, _, name = qual.rpartition(".")
            fixture = any("fixture" in (dotted(_deco_func(d)) or "") for d in node.decorator_list)
            if fixture or (name.startswith("test") and (not owner or _is_test_class(info, owner))):
                yield (path, qual)
        for cls, class_node in info.classes.items():  # tests a test class inherits
            if not _is_test_class(info, cls):
                continue
            own = {q.split(".", 1)[1] for q in info.functions if q.startswith(cls + ".")}
            for base in class_node.bases:
                text = dotted(base)
                sym = index.resolve_in(path, text.split(".")) if text else None
                if sym is None or sym[0] != "class":
                    continue
                base_info = index.module(sym[1])
                for qual in base_info.functions if base_info else {}:
                    owner, _, name = qual.rpartition(".")
                    if owner == sym[2] and name.startswith("test") and name not in own:
                        yield (path, f"{cls}.{name}")


def _is_test_class(info: ModuleInfo, cls: str) -> bool:
    node = info.classes.get(cls)
    if node is None:
        return False
    return cls.startswith("Test") or any((dotted(b) or "").endswith("TestCase") for b in node.bases)


def find_object_fixtures(index: Index, test_files: Iterable[str]) -> dict[str, tuple[str, Sym]]:
    """pytest fixtures that return (or yield) a project object or function, by name."""
    found: dict[str, tuple[str, Sym]] = {}
    for path in test_files:
        info = index.module(path)
        if info is None:
            continue
        for qual, node in info.functions.items():
            if "." in qual or not any(
                "fixture" in (dotted(_deco_func(d)) or "") for d in node.decorator_list
            ):
                continue
            for sub in ast.walk(node):
                value = sub.value if isinstance(sub, ast.Return | ast.Yield) else None
                kind = "instance" if isinstance(value, ast.Call) else "value"
                target = value.func if isinstance(value, ast.Call) else value
                text = dotted(target) if isinstance(target, ast.Name | ast.Attribute) else None
                sym = index.resolve_in(path, text.split(".")) if text else None
                if sym is not None and sym[0] in ("class", "func"):
                    if kind == "instance" and sym[0] == "func":
                        continue  # a function's result: unknown object
                    found[node.name] = (kind, sym)
    return found


def find_mock_fixtures(index: Index, test_files: Iterable[str]) -> set[str]:
    """Names of pytest fixtures (in tests and conftest files) that return a ``Mock``."""
    names: set[str] = set()
    for path in test_files:
        info = index.module(path)
        if info is None:
            continue
        for qual, node in info.functions.items():
            if "." in qual or not any(
                "fixture" in (dotted(_deco_func(d)) or "") for d in node.decorator_list
            ):
                continue
            for sub in ast.walk(node):
                value = sub.value if isinstance(sub, ast.Return | ast.Yield) else None
                if isinstance(value, ast.Call):
                    text = dotted(value.func)
                    if text is not None and text.rsplit(".", 1)[-1] in MOCK_NAMES:
                        names.add(node.name)
    return names


def _deco_func(deco: ast.expr) -> ast.expr:
    return deco.func if isinstance(deco, ast.Call) else deco


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


# -- identification ------------------------------------------------------------------------------


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

    def location(self, path: str) -> bool:
        if any(path_matches(path, glob) for glob in self.include):
            return True
        parts = path.removesuffix(".py").split("/")
        return any(p in LOCATION_PARTS for p in parts)


def kedro_nodes(index: Index, paths: Iterable[str]) -> set[FuncKey]:
    """Functions handed to Kedro's ``node(func, inputs, outputs)``."""
    found: set[FuncKey] = set()
    for path in paths:
        text = index.repo.text(path) or ""
        if "node(" not in text:
            continue
        info = index.module(path)
        if info is None:
            continue
        for call in ast.walk(info.module.tree):
            if (
                not isinstance(call, ast.Call)
                or (dotted(call.func) or "").rsplit(".", 1)[-1] != "node"
            ):
                continue
            func = next((k.value for k in call.keywords if k.arg == "func"), None)
            func = func or (call.args[0] if call.args else None)
            if isinstance(func, ast.Name | ast.Attribute):
                sym = _resolve_anywhere(index, info, func)
                if sym is not None and sym[0] == "func":
                    found.add((sym[1], sym[2]))
    return found


def _resolve_anywhere(index: Index, info: ModuleInfo, expr: ast.expr) -> Sym | None:
    text = dotted(expr)
    return index.resolve_in(info.path, text.split(".")) if text else None


def _annotation_text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)


def frame_params(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Parameters that are DataFrames, Series, arrays or tensors (annotated, or used like one)."""
    args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
    names = {a.arg for a in args if a.arg not in ("self", "cls")}
    found = [a.arg for a in args if FRAME_ANNOTATION.search(_annotation_text(a.annotation))]
    for sub in ast.walk(node):
        owner: str | None = None
        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name):
            key = sub.slice
            if (isinstance(key, ast.Constant) and isinstance(key.value, str)) or isinstance(
                key, ast.List
            ):
                owner = sub.value.id
        elif (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Name)
            and (sub.attr in ("loc", "iloc", "columns", "dtypes", "shape") or sub.attr in DATA_OPS)
        ):
            owner = sub.value.id
        if owner in names and owner not in found:
            found.append(owner)
    for loop in ast.walk(node):  # records: ``for row in rows: row["col"]``
        if (
            isinstance(loop, ast.For | ast.comprehension)
            and isinstance(loop.iter, ast.Name)
            and loop.iter.id in names
            and loop.iter.id not in found
            and isinstance(loop.target, ast.Name)
        ):
            row = loop.target.id
            if any(
                isinstance(sub, ast.Subscript)
                and isinstance(sub.value, ast.Name)
                and sub.value.id == row
                and isinstance(sub.slice, ast.Constant)
                and isinstance(sub.slice.value, str)
                for sub in ast.walk(node)
            ):
                found.append(loop.iter.id)
    return found
