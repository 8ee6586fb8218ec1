"""Which top-level modules the code imports (absolute imports; guarded ones are optional).

Which distribution provides an import name is :mod:`mlnudge.checks.deps.names`' business; the
standard library comes from ``sys.stdlib_module_names``.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: ``try`` statements (``except*`` exists from Python 3.11)
if sys.version_info >= (3, 11):
    _TRY_NODES = (ast.Try, ast.TryStar)
else:  # pragma: no cover - Python 3.10
    _TRY_NODES = (ast.Try,)


#: an ``if`` that checks whether a module can be imported before importing it
_GUARD_RE = re.compile(
    r"TYPE_CHECKING|find_spec|find_loader|AVAILABLE|_available|is_installed|RequirementCache"
    r"|module_available|package_available",
    re.IGNORECASE,
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


def iter_imports(path: str, tree: ast.Module) -> Iterator[Import]:
    """Absolute imports of ``tree``; guarded ones (``try/except ImportError``) are optional."""
    yield from _walk(path, tree.body, optional=False)


def _walk(path: str, body: Iterable[ast.stmt], optional: bool) -> Iterator[Import]:
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name.split(".")[0], path, node.lineno, optional, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield Import(node.module.split(".")[0], path, node.lineno, optional, node.module)
        elif isinstance(node, _TRY_NODES):
            guarded = optional or any(_catches_import_error(h.type) for h in node.handlers)
            yield from _walk(path, node.body, guarded)
            for handler in node.handlers:
                yield from _walk(path, handler.body, optional)
            yield from _walk(path, node.orelse, optional)
            yield from _walk(path, node.finalbody, optional)
        elif isinstance(node, ast.If):
            test = ast.unparse(node.test)
            # `if TYPE_CHECKING:`, `if find_spec("wandb"):`, `if _WANDB_AVAILABLE:`
            guarded = bool(_GUARD_RE.search(test))
            yield from _walk(path, node.body, optional or guarded)
            yield from _walk(path, node.orelse, optional)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _walk(path, node.body, optional)
        elif isinstance(node, ast.With | ast.AsyncWith | ast.For | ast.AsyncFor | ast.While):
            yield from _walk(path, node.body, optional)
            yield from _walk(path, getattr(node, "orelse", []), optional)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                yield from _walk(path, case.body, optional)


def _catches_import_error(node: ast.expr | None) -> bool:
    if node is None:
        return True
    names = [n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in ast.walk(node)]
    return any(
        n in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException") for n in names
    )


#: standard-library modules removed in recent Pythons, and Python 2's names (old scripts)
_FORMER_STDLIB = frozenset(
    {
        "distutils",
        "imp",
        "asynchat",
        "asyncore",
        "smtpd",
        "cgi",
        "cgitb",
        "crypt",
        "imghdr",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
        "lib2to3",
        "urllib2",
        "urlparse",
        "httplib",
        "ConfigParser",
        "cPickle",
        "cStringIO",
        "StringIO",
        "Queue",
        "Tkinter",
        "tkMessageBox",
        "commands",
        "__builtin__",
        "HTMLParser",
        "cookielib",
        "SocketServer",
        "thread",
        "dummy_threading",
        "_thread",
    }
)


def is_stdlib(module: str) -> bool:
    return module in sys.stdlib_module_names or module in _FORMER_STDLIB or module == "__future__"
