"""Which top-level modules the code imports, and which distribution provides each.

Import names are mapped to distributions from the user's table, then the installed metadata
(``importlib.metadata.packages_distributions()``, computed lazily and only when needed), then a
built-in table of well-known mismatches (``sklearn`` -> ``scikit-learn``). The standard library
comes from ``sys.stdlib_module_names``.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

#: ``try`` statements (``except*`` exists from Python 3.11)
if sys.version_info >= (3, 11):
    _TRY_NODES = (ast.Try, ast.TryStar)
else:  # pragma: no cover - Python 3.10
    _TRY_NODES = (ast.Try,)

#: import name -> distribution, for names that differ (the common ML stack and friends)
BUILTIN_IMPORT_NAMES: Mapping[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv"),
    "PIL": ("pillow", "PIL"),
    "yaml": ("pyyaml",),
    "bs4": ("beautifulsoup4",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "jwt": ("pyjwt",),
    "google": ("protobuf", "google-cloud-storage", "google-api-python-client", "google-auth"),
    "attr": ("attrs",),
    "Crypto": ("pycryptodome",),
    "OpenSSL": ("pyopenssl",),
    "magic": ("python-magic",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "win32api": ("pywin32",),
    "git": ("gitpython",),
    "github": ("pygithub",),
    "gi": ("pygobject",),
    "lightgbm": ("lightgbm",),
    "torch": ("torch", "pytorch"),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos"),
    "tf_keras": ("tf-keras",),
    "umap": ("umap-learn",),
    "Levenshtein": ("python-levenshtein", "levenshtein"),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "hydra": ("hydra-core",),
    "omegaconf": ("omegaconf",),
    "pkg_resources": ("setuptools",),
    "setuptools": ("setuptools",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "fitz": ("pymupdf",),
    "zmq": ("pyzmq",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "MySQLdb": ("mysqlclient",),
    "sentencepiece": ("sentencepiece",),
    "tokenizers": ("tokenizers",),
    "google.protobuf": ("protobuf",),
    "grpc": ("grpcio",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "slugify": ("python-slugify",),
    "Bio": ("biopython",),
    "rdkit": ("rdkit", "rdkit-pypi"),
    "pytorch_lightning": ("pytorch-lightning", "lightning"),
    "lightning": ("lightning",),
    "xgboost": ("xgboost", "py-xgboost"),
    "catboost": ("catboost",),
    "mlflow": ("mlflow", "mlflow-skinny"),
    "wandb": ("wandb",),
    "dask": ("dask",),
    "pyarrow": ("pyarrow",),
    "jinja2": ("jinja2",),
    "markdown": ("markdown",),
    "tomli": ("tomli",),
    "typing_extensions": ("typing-extensions",),
    "_pytest": ("pytest",),
    "pytest_cov": ("pytest-cov",),
    "IPython": ("ipython",),
    "ipywidgets": ("ipywidgets",),
}

#: distributions commonly declared without ever being imported by name (tools, plugins, engines)
IMPLICITLY_USED: frozenset[str] = frozenset(
    {
        "pip",
        "setuptools",
        "wheel",
        "build",
        "twine",
        "hatchling",
        "flit-core",
        "poetry-core",
        "pytest",
        "pytest-cov",
        "pytest-xdist",
        "pytest-mock",
        "pytest-asyncio",
        "coverage",
        "tox",
        "nox",
        "pre-commit",
        "ruff",
        "black",
        "isort",
        "flake8",
        "pylint",
        "mypy",
        "jupyter",
        "jupyterlab",
        "notebook",
        "ipykernel",
        "nbconvert",
        "gunicorn",
        "uvicorn",
        "dvc",
        "tensorboard",
        "openpyxl",
        "fastparquet",
        "pyarrow",
        "psycopg2-binary",
        "psycopg2",
        "certifi",
        "mkdocs",
        "sphinx",
        "watermark",
        "python-dotenv",
    }
)


@dataclass(frozen=True)
class Import:
    #: top-level module name (``sklearn`` for ``from sklearn.linear_model import ...``)
    module: str
    path: str
    line: int
    #: inside ``try/except ImportError`` or ``if TYPE_CHECKING``: optional, never required
    optional: bool


def iter_imports(path: str, tree: ast.Module) -> Iterator[Import]:
    """Absolute imports of ``tree``; guarded ones (``try/except ImportError``) are optional."""
    yield from _walk(path, tree.body, optional=False)


def _walk(path: str, body: Iterable[ast.stmt], optional: bool) -> Iterator[Import]:
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name.split(".")[0], path, node.lineno, optional)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield Import(node.module.split(".")[0], path, node.lineno, optional)
        elif isinstance(node, _TRY_NODES):
            guarded = optional or any(_catches_import_error(h.type) for h in node.handlers)
            yield from _walk(path, node.body, guarded)
            for handler in node.handlers:
                yield from _walk(path, handler.body, optional)
            yield from _walk(path, node.orelse, optional)
            yield from _walk(path, node.finalbody, optional)
        elif isinstance(node, ast.If):
            test = ast.unparse(node.test)
            type_only = "TYPE_CHECKING" in test
            yield from _walk(path, node.body, optional or type_only)
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


def is_stdlib(module: str) -> bool:
    return module in sys.stdlib_module_names or module == "__future__"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.lru_cache(maxsize=1)
def installed_map() -> Mapping[str, tuple[str, ...]]:
    """``packages_distributions()`` of the running interpreter, read once and only when asked."""
    try:
        from importlib.metadata import packages_distributions

        return {k: tuple(v) for k, v in packages_distributions().items()}
    except Exception:  # broken metadata in someone's environment must not fail a check
        return {}


def distributions_for(
    module: str, extra: Mapping[str, tuple[str, ...]], *, use_installed: bool = True
) -> set[str]:
    """Canonical distribution names that may provide ``module`` (the module name itself too)."""
    found = {normalise(module)}
    found.update(normalise(d) for d in extra.get(module, ()))
    found.update(normalise(d) for d in BUILTIN_IMPORT_NAMES.get(module, ()))
    if use_installed:
        found.update(normalise(d) for d in installed_map().get(module, ()))
    return found


def import_names_for(
    dist: str, extra: Mapping[str, tuple[str, ...]], *, use_installed: bool = True
) -> set[str]:
    """Module names a distribution may be imported as (reverse of :func:`distributions_for`)."""
    canon = normalise(dist)
    names = {canon.replace("-", "_"), canon.replace("-", "")}
    for table in (extra, BUILTIN_IMPORT_NAMES, installed_map() if use_installed else {}):
        for module, dists in table.items():
            if any(normalise(d) == canon for d in dists):
                names.add(module)
    for prefix in ("python-", "py-"):
        if canon.startswith(prefix):
            names.add(canon[len(prefix) :].replace("-", "_"))
    if canon.endswith("-python"):
        names.add(canon[: -len("-python")].replace("-", "_"))
    return {n.lower() for n in names}
