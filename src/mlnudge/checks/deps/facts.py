"""What the deps family needs from a Python file, in one pass, cached by content.

The family never parses or searches the repository's Python files itself: each file (a ``.py``
module or a notebook's code cells) is summarised once by :func:`python_facts` and the summary is
cached by the file's content digest (:data:`PY_FACTS`), so a warm run reads no Python file and
a hook run only the changed ones. The summary depends on the file's content alone; the
configuration (``import-names``, ``ignore-packages``, which files are production code, which
distributions are declared) is applied when the facts are read (:mod:`.usage`, :mod:`.collect`).

The summary (keys are short: the store holds one per file):

* ``i``: the absolute imports, ``[dotted name, line, optional]`` (optional: inside
  ``try/except ImportError``, ``if TYPE_CHECKING:``, ``if find_spec(...):``, ...);
* ``p``: the file edits ``sys.path`` (a script that imports its own modules by name);
* ``m``: the file loads a saved model (``joblib.load``, ``pickle.load``, ``load_model(``, ...);
* ``n``: the file loads a framework's own saved model (``torch.jit.load``, ``torch.load``,
  ``tf.saved_model.load``): it serves or reuses a trained model, unpickling nothing else;
* ``w``: the words (lowercased, the part before the first dot, three characters or more) of
  its short string literals and notebook magics, space-separated: a distribution named there
  (``engine="openpyxl"``, ``!pip install lightgbm``) is used without an import;
* ``e``: some string literal or magic would match an empty name (see :func:`named_in`);
* ``s``: the literal arguments of a ``setup(...)`` call (``setup.py`` as a manifest); ``0``
  when one of them holds a URL with a credential (the store never holds one: such a
  ``setup.py`` is parsed again on every run);
* ``k``: the string literals of ``packages=``/``py_modules=`` keyword arguments;
* ``u``: the text holds a URL with user information (the credential scan reads such a
  ``setup.py`` again; the user information is left out of ``w``).
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlnudge.facts.access import FileFacts
from mlnudge.facts.repo import PyModule

if TYPE_CHECKING:
    from mlnudge.facts.store import FileCache

#: bump whenever the shape or meaning of :func:`python_facts`' output changes
FACTS_VERSION = "deps-facts-4"

#: ``try`` statements (``except*`` exists from Python 3.11)
if sys.version_info >= (3, 11):
    _TRY_NODES = (ast.Try, ast.TryStar)
else:  # pragma: no cover - Python 3.10
    _TRY_NODES = (ast.Try,)

#: statements whose body is walked (and nothing else of them)
_BODY_ONLY = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith)
#: an ``if`` that checks whether a module can be imported before importing it
GUARD_RE = re.compile(
    r"TYPE_CHECKING|find_spec|find_loader|AVAILABLE|_available|is_installed|RequirementCache"
    r"|module_available|package_available",
    re.IGNORECASE,
)
SYS_PATH_RE = re.compile(r"sys\.path\s*(\.(append|insert|extend)\s*\(|\+=|=)")
MODEL_LOAD_RE = re.compile(
    r"\b(joblib|pickle|cloudpickle|dill|skops\.io)\.loads?\(|load_model\(|pyfunc\.load"
)
#: a framework loading its own saved model (TorchScript, a state dict, a SavedModel): the code
#: serves or reuses a trained model, but unpickles nothing of another library
NATIVE_LOAD_RE = re.compile(r"\btorch\.(jit\.)?load\(|saved_model\.load\(")
#: short string literals, and the notebook magics :class:`~mlnudge.facts.repo.Repo` keeps as
#: comments (``pass  # magic: !pip install lightgbm``)
STRING_RE = re.compile(r"(['\"])([^'\"\n]{1,300})\1")
MAGIC_LINE_RE = re.compile(r"#\s*magic:\s*([%!].*)$", re.MULTILINE)
#: a URL with user information (``https://user:token@host/...``)
USERINFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^\s/@'\"]+)@([^\s/'\"#?]+)")
#: a run of characters a name can be part of: a name matches where a run starts and ends at
#: the run's end or its first dot (the boundaries :func:`named_in` documents)
_RUN_RE = re.compile(r"[\w.-]+")
#: what a distribution's name (normalised, or a variant of it) can be made of
_NAME_WORD_RE = re.compile(r"[a-z0-9_-]{3,}")
#: where an empty name would match: no name character before, no name character after
_EMPTY_NAME_RE = re.compile(r"(?<![\w.-])(?![\w-])")
#: what a ``setup(`` call and a ``packages=``/``py_modules=`` keyword look like in the text
#: (only files that have them are walked; comments and continuations may come in between)
_SETUP_RE = re.compile(r"\bsetup(\s|\\\n|#[^\n]*\n)*\(")
_PACKAGES_RE = re.compile(r"\b(packages|py_modules)(\s|\\\n|#[^\n]*\n)*=")
#: what every match of the pattern named after it contains (a fast first look)
_SETUP_HINT = re.compile(r"setup(\s|\\\n|#[^\n]*\n)*\(")
_MODEL_LOAD_HINT = re.compile(r"\.loads?\(|load_model\(|pyfunc\.load")
_USERINFO_HINT = re.compile(r"://[^\s/@'\"]+@")


def python_facts(module: PyModule) -> dict[str, Any]:
    """The deps family's summary of one Python file or notebook (see the module docstring)."""
    source = module.source
    facts: dict[str, Any] = {"i": [[d, line, int(opt)] for d, line, opt in _imports(module.tree)]}
    # each regular expression runs only where a substring, then a pattern that starts with a
    # literal (which the regex engine searches for fast), says it can match
    if "sys" in source and SYS_PATH_RE.search(source):
        facts["p"] = 1
    if "load" in source and _MODEL_LOAD_HINT.search(source) and MODEL_LOAD_RE.search(source):
        facts["m"] = 1
    if "load" in source and NATIVE_LOAD_RE.search(source):
        facts["n"] = 1
    words: set[str] = set()
    empty = False
    pieces = [m.group(2) for m in STRING_RE.finditer(source)]
    pieces += [m.group(1) for m in MAGIC_LINE_RE.finditer(source)]
    secret = "://" in source and _USERINFO_HINT.search(source) and USERINFO_RE.search(source)
    for piece in pieces:
        if not empty:
            empty = _EMPTY_NAME_RE.search(piece) is not None
        # a URL's user information names nothing, and is never stored
        shown = USERINFO_RE.sub(r"\1***@\3", piece) if secret and "@" in piece else piece
        for run in _RUN_RE.findall(shown):
            word = run.split(".", 1)[0].lower()
            if _NAME_WORD_RE.fullmatch(word):
                words.add(word)
    if words:
        facts["w"] = " ".join(sorted(words))
    if empty:
        facts["e"] = 1
    if "setup" in source and _SETUP_HINT.search(source) and _SETUP_RE.search(source):
        setup = setup_call(source, module.tree)
        if setup is not None:
            # with a credential in a requirement, 0: read the file again (see :mod:`.collect`)
            facts["s"] = 0 if secret and USERINFO_RE.search(json.dumps(setup)) else setup
    if ("packages" in source or "py_modules" in source) and _PACKAGES_RE.search(source):
        packaged = _packages_keywords(module.tree)
        if packaged:
            facts["k"] = packaged
    if secret:
        facts["u"] = 1
    return facts


#: the deps family's one kind of per-file facts (``.py`` modules and notebooks)
PY_FACTS = FileFacts(python_facts, FACTS_VERSION, suffixes=(".py", ".ipynb"))


# -- imports ---------------------------------------------------------------------------------


def _imports(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """``(dotted name, line, optional)`` of every absolute import, in source order."""
    found: list[tuple[str, int, bool]] = []
    _walk(tree.body, False, found)
    return found


def _walk(
    body: Iterable[ast.stmt],
    optional: bool,
    out: list[tuple[str, int, bool]],
    params: frozenset[str] | None = None,
) -> None:
    """One pass over the statements (expressions are never entered): an ``if`` test is
    unparsed only when its body imports something that is not optional already. ``params``
    are the parameters of the function the statements belong to (``None`` outside one)."""
    for node in body:
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno, optional) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                out.append((node.module, node.lineno, optional))
        elif isinstance(node, _TRY_NODES):
            guarded = optional or any(_catches_import_error(h.type) for h in node.handlers)
            start = len(out)
            _walk(node.body, guarded, out)
            tried = {d.split(".")[0] for d, _, _ in out[start:]}
            for handler in node.handlers:
                start = len(out)
                _walk(handler.body, optional, out)
                if _catches_import_error(handler.type):
                    # `except ImportError: import importlib_metadata` after the standard
                    # library's own module: the backport runs only on a Python too old to
                    # ship it, never where the project runs
                    out[start:] = [
                        (d, line, opt or BACKPORT_OF.get(d.split(".")[0]) in tried)
                        for d, line, opt in out[start:]
                    ]
            _walk(node.orelse, optional, out)
            _walk(node.finalbody, optional, out)
        elif isinstance(node, ast.If):
            start = len(out)
            _walk(node.body, optional, out, params)
            if not optional and len(out) > start:
                test = ast.unparse(node.test)
                # `if TYPE_CHECKING:`, `if find_spec("wandb"):`, `if _WANDB_AVAILABLE:`
                if GUARD_RE.search(test):
                    out[start:] = [(d, line, True) for d, line, _ in out[start:]]
                elif params is not None:
                    out[start:] = [
                        (d, line, opt or _lazy_on_demand(d, node.test, test, params))
                        for d, line, opt in out[start:]
                    ]
            _walk(node.orelse, optional, out, params)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
            _walk(node.body, optional, out, frozenset(names))
        elif isinstance(node, _BODY_ONLY):
            _walk(node.body, optional, out, None if isinstance(node, ast.ClassDef) else params)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            _walk(node.body, optional, out, params)
            _walk(node.orelse, optional, out, params)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                _walk(case.body, optional, out, params)


def _lazy_on_demand(dotted: str, test: ast.expr, text: str, params: frozenset[str]) -> bool:
    """An import inside a function that runs only when the caller asks for it: under an
    ``if`` on one of the function's flags (``if notebook: from IPython.display import
    HTML``), or under a test that already names the module (``if isinstance(lg,
    pl.loggers.wandb.WandbLogger): import wandb``). The package serves an option, not every
    run: optional, as under ``try``/``except ImportError``."""
    if isinstance(test, ast.Name) and test.id in params:
        return True
    top = dotted.split(".", 1)[0]
    return re.search(rf"(?<![\w]){re.escape(top)}(?![\w])", text.replace(".", " ")) is not None


#: backports of a standard library module (import name -> the module it backports) that a
#: ``try``/``except ImportError`` falls back to: ``tomli`` is not one of them, Python 3.10
#: is still supported and lacks ``tomllib``
BACKPORT_OF = {
    "importlib_metadata": "importlib",
    "importlib_resources": "importlib",
    "backports": "zoneinfo",
    "typing_extensions": "typing",
    "mock": "unittest",
    "contextlib2": "contextlib",
    "cached_property": "functools",
}


def _catches_import_error(node: ast.expr | None) -> bool:
    if node is None:
        return True
    names = [n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in ast.walk(node)]
    return any(
        n in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException") for n in names
    )


@dataclass(frozen=True)
class Import:
    #: top-level module name (``sklearn`` for ``from sklearn.linear_model import ...``)
    module: str
    path: str
    line: int
    #: inside ``try/except ImportError`` or ``if TYPE_CHECKING``: optional, never required
    optional: bool
    #: the whole dotted name (``google.cloud.storage``)
    dotted: str = ""


def imports_of(path: str, facts: Mapping[str, Any]) -> Iterator[Import]:
    """The imports a file's facts record."""
    for dotted, line, optional in facts.get("i", ()):
        yield Import(dotted.split(".")[0], path, line, bool(optional), dotted)


# -- names in strings ------------------------------------------------------------------------


def named_in(facts: Mapping[str, Any], names: Iterable[str]) -> bool:
    """Whether one of ``names`` (lowercase, made of letters, digits, ``-`` and ``_``) appears
    in a string literal or a notebook magic of the file: not preceded by a letter, digit,
    ``_``, ``.`` or ``-`` and not followed by a letter, digit, ``_`` or ``-``. Without a name
    of three characters or more, the empty name matches wherever those boundaries meet."""
    usable = [n for n in names if len(n) >= 3]
    if not usable:
        return bool(facts.get("e"))
    words = facts.get("w")
    if not words:
        return False
    padded = f" {words} "
    return any(f" {n} " in padded for n in usable)


# -- setup.py --------------------------------------------------------------------------------


def setup_call(source: str, tree: ast.Module) -> dict[str, Any] | None:
    """The literal arguments of the ``setup(...)`` calls of a module (``None``: no call):
    ``{"name": ..., "reqs": [[keyword, group, requirement, line, end line, before, after]]}``
    where ``keyword`` is ``install_requires``, ``tests_require`` or ``extras_require`` (then
    ``group`` is the extra) and ``before``/``after`` the line around the literal's text when
    the literal is written on one line as its plain value (else ``None``).

    ``setup(**metadata)`` is read through ``metadata = dict(...)`` or ``{...}`` assigned in
    the module (at any depth). ``"o": 1`` marks a call whose requirements could not all be
    read (``install_requires=read_requirements()``, ``**`` of something else): what it
    declares is unknown, so nothing may be called undeclared because of it."""
    lines = source.splitlines()
    assigned: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                assigned[target.id] = node.value
    name = ""
    reqs: list[list[Any]] = []
    called = opaque = False
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if fname != "setup":
            continue
        called = True
        for arg, raw in _setup_keywords(tree, call):
            if arg is None:
                opaque = True
                continue
            value = assigned.get(raw.id, raw) if isinstance(raw, ast.Name) else raw
            if arg == "name" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                name = value.value
            if arg in ("install_requires", "tests_require"):
                opaque = opaque or (arg == "install_requires" and not _literal_list(value))
                reqs += _literal_reqs(lines, value, arg, None)
            elif arg == "extras_require" and isinstance(value, ast.Dict):
                for k, item in zip(value.keys, value.values, strict=True):
                    if isinstance(k, ast.Constant) and isinstance(k.value, str):
                        v = assigned.get(item.id, item) if isinstance(item, ast.Name) else item
                        reqs += _literal_reqs(lines, v, "extras_require", k.value)
    if not called:
        return None
    return {"name": name, "reqs": reqs, **({"o": 1} if opaque else {})}


def _setup_keywords(tree: ast.Module, call: ast.Call) -> Iterator[tuple[str | None, ast.expr]]:
    """The keyword arguments of a ``setup(...)`` call, those of ``**metadata`` included when
    ``metadata`` is assigned a ``dict(...)`` call or a ``{...}`` literal with string keys
    (``None`` as the keyword: arguments that cannot be read)."""
    for kw in call.keywords:
        if kw.arg is not None:
            yield kw.arg, kw.value
            continue
        spread = _dict_value(tree, kw.value)
        if spread is None:
            yield None, kw.value
        else:
            yield from spread


def _dict_value(tree: ast.Module, node: ast.expr) -> list[tuple[str | None, ast.expr]] | None:
    if isinstance(node, ast.Name):
        values = [
            a.value
            for a in ast.walk(tree)
            if isinstance(a, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)
        ]
        updated = any(
            (
                isinstance(c, ast.Call)
                and isinstance(c.func, ast.Attribute)
                and isinstance(c.func.value, ast.Name)
                and c.func.value.id == node.id
            )
            or (
                isinstance(c, ast.Subscript)
                and isinstance(c.ctx, ast.Store)
                and isinstance(c.value, ast.Name)
                and c.value.id == node.id
            )
            for c in ast.walk(tree)
        )
        if len(values) != 1 or updated:
            return None  # assigned twice, or filled in later (`metadata.update(...)`)
        node = values[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        if node.args:
            return None
        return [(kw.arg, kw.value) for kw in node.keywords]
    if isinstance(node, ast.Dict):
        pairs: list[tuple[str | None, ast.expr]] = []
        for k, v in zip(node.keys, node.values, strict=True):
            if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                return None
            pairs.append((k.value, v))
        return pairs
    return None


def _literal_list(node: ast.expr) -> bool:
    return isinstance(node, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    )


def _literal_reqs(
    lines: list[str], node: ast.expr, keyword: str, group: str | None
) -> Iterator[list[Any]]:
    if not isinstance(node, ast.List | ast.Tuple):
        return
    for elt in node.elts:
        if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
            continue
        line, end = elt.lineno, elt.end_lineno or elt.lineno
        before = after = None
        if line == end and elt.end_col_offset is not None:
            raw = lines[line - 1]
            data = raw.encode("utf-8")
            start = len(data[: elt.col_offset].decode("utf-8", "replace"))
            stop = len(data[: elt.end_col_offset].decode("utf-8", "replace"))
            literal = raw[start:stop]
            if len(literal) >= 2 and literal[1:-1] == elt.value:
                before, after = raw[: start + 1], raw[stop - 1 :]
        yield [keyword, group, elt.value, line, end, before, after]


def _packages_keywords(tree: ast.Module) -> list[str]:
    """String literals of ``packages=[...]``/``py_modules=[...]`` keyword arguments."""
    found: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.keyword)
            and node.arg in ("packages", "py_modules")
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            found += [
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
    return found


# -- the installed distributions -------------------------------------------------------------


@dataclass
class Installed:
    """The running interpreter's installed distributions: ``packages_distributions()``,
    computed only when asked for (an import nothing else explains) and at most once per run,
    and the version of a distribution (a suggestion's example). With a cache both are stored
    in it keyed by the environment (:func:`environment_key`), so a later run in the same
    environment reads them from the store instead of the distributions' metadata."""

    cache: FileCache | None
    _value: Mapping[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _environment: str | None = field(default=None, repr=False)

    def __call__(self) -> Mapping[str, tuple[str, ...]]:
        if self._value is None:
            self._value = self._load()
        return self._value

    def _key(self, *parts: str) -> str | None:
        if self.cache is None:
            return None
        if self._environment is None:
            self._environment = environment_key()
        return self.cache.make_key(self.cache.version, *parts, self._environment)

    def _load(self) -> Mapping[str, tuple[str, ...]]:
        key = self._key("deps-installed")
        if self.cache is not None and key is not None:
            cached = self.cache.get_facts(key)
            if isinstance(cached, dict):
                return {k: tuple(v) for k, v in cached.items() if isinstance(v, list)}
        value = packages_distributions()
        if self.cache is not None and key is not None:
            self.cache.put_facts(key, {k: list(v) for k, v in value.items()})
        return value

    def version(self, dist: str) -> str | None:
        """The installed version of ``dist`` (``None``: not installed)."""
        key = self._key("deps-installed-version", dist)
        if self.cache is not None and key is not None:
            cached = self.cache.get_facts(key)
            if isinstance(cached, dict) and "v" in cached:
                found = cached["v"]
                return found if isinstance(found, str) else None
        value = installed_version(dist)
        if self.cache is not None and key is not None:
            self.cache.put_facts(key, {"v": value})
        return value


def packages_distributions() -> dict[str, tuple[str, ...]]:
    """``importlib.metadata.packages_distributions()``: reads every installed distribution."""
    try:
        from importlib.metadata import packages_distributions as read  # kept off the hook path

        return {k: tuple(v) for k, v in read().items()}
    except Exception:  # broken metadata in someone's environment must not fail a check
        return {}


def installed_version(dist: str) -> str | None:
    """The version of ``dist`` installed next to mlnudge, if any (no network)."""
    try:
        from importlib.metadata import PackageNotFoundError, version  # off the hook path

        try:
            return version(dist)
        except PackageNotFoundError:
            return None
    except Exception:  # broken metadata must not fail a check
        return None


def environment_key() -> str:
    """What the installed distributions depend on: the interpreter, and every ``sys.path``
    entry with its modification time (installing, removing or upgrading a distribution adds
    or removes a ``.dist-info`` folder, which changes its site directory's time)."""
    parts = [sys.executable, sys.prefix, sys.version]
    for entry in sys.path:
        stamp = -1
        # distributions' metadata lives in site directories; other entries (the working
        # directory or a script's folder, an editable install's source) count by name only,
        # their files change all the time without installing anything
        if os.path.basename(entry) in ("site-packages", "dist-packages"):
            with contextlib.suppress(OSError):
                stamp = os.stat(entry).st_mtime_ns
        parts.append(f"{entry}\0{stamp}")
    return "\n".join(parts)
