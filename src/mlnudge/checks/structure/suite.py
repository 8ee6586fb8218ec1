"""Whether pytest would collect a test suite: its settings, the files it collects by name, and
which of them define tests (per-file facts, so an unchanged test module is never parsed again)."""

from __future__ import annotations

import ast
import fnmatch
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import PyModule, Repo
from mlnudge.project import PYTEST_FIXTURES, read_ini
from mlnudge.settings import path_matches

_DEFAULT_TEST_GLOBS = ("test_*.py", "*_test.py")
#: pytest's default ``norecursedirs`` (dot-folders are skipped too)
_NORECURSE = frozenset({"build", "dist", "node_modules", "venv", "CVS", "_darcs", "{arch}"})


@dataclass(frozen=True)
class PytestSettings:
    """The parts of the pytest configuration that decide what is collected."""

    source: str | None = None
    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = _DEFAULT_TEST_GLOBS


def pytest_settings(repo: Repo) -> PytestSettings:
    """pytest's own precedence: pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg."""
    for rel, section in (
        ("pytest.ini", "pytest"),
        (".pytest.ini", "pytest"),
        ("pyproject.toml", None),
        ("tox.ini", "pytest"),
        ("setup.cfg", "tool:pytest"),
    ):
        if rel not in repo.files:
            continue
        if section is None:
            tool = (repo.toml(rel) or {}).get("tool")
            pytest = tool.get("pytest") if isinstance(tool, dict) else None
            if not isinstance(pytest, dict):
                continue
            table = pytest.get("ini_options", pytest)
            values = table if isinstance(table, dict) else {}
            return PytestSettings(rel, _words(values.get("testpaths")), _globs(values))
        parser = read_ini(repo, rel)
        if parser is None or not parser.has_section(section):
            if rel.endswith("pytest.ini"):  # an empty pytest.ini still wins
                return PytestSettings(rel)
            continue
        options = dict(parser.items(section))
        return PytestSettings(rel, _words(options.get("testpaths")), _globs(options))
    return PytestSettings()


def _words(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def _globs(values: Mapping[str, Any]) -> tuple[str, ...]:
    return _words(values.get("python_files")) or _DEFAULT_TEST_GLOBS


def collectable_test_files(repo: Repo, settings: PytestSettings) -> list[str]:
    """Files pytest would collect by name (``python_files``), below ``testpaths`` when set."""
    found = []
    for rel in repo.files:
        if not rel.endswith(".py"):
            continue
        parts = rel.split("/")
        if any(p.startswith(".") or p in _NORECURSE for p in parts[:-1]):
            continue
        if any(fnmatch.fnmatch(parts[-1], glob) for glob in settings.python_files):
            found.append(rel)
    return found


#: files that run commands: Make, just, shell scripts, tox, CI pipelines
_RUNNER_RE = re.compile(
    r"(^|/)(Makefile|GNUmakefile|[^/]+\.mk|[Jj]ustfile|[^/]+\.sh|tox\.ini|Jenkinsfile"
    r"|\.gitlab-ci\.ya?ml|azure-pipelines\.ya?ml)$|^\.github/workflows/[^/]+\.ya?ml$"
)
#: a pytest invocation and the rest of its command (up to a separator or the line's end)
_PYTEST_CALL_RE = re.compile(r"(?:^|[\s;&|(`\"'])(?:python[\d.]*\s+-m\s+)?pytest\b([^\n;&|`]*)")


def explicit_test_files(repo: Repo) -> list[str]:
    """Python files named on a pytest command line in a Makefile, a shell script, tox or CI
    (``pytest unit_tests/tests.py``): pytest collects a file given by path whatever its name."""
    found: list[str] = []
    files = set(repo.files)
    for rel in repo.files:
        if not _RUNNER_RE.search(rel):
            continue
        text = repo.text(rel) or ""
        if "pytest" not in text:
            continue
        here = rel.rsplit("/", 1)[0] + "/" if "/" in rel and not rel.startswith(".") else ""
        for match in _PYTEST_CALL_RE.finditer(text):
            try:
                words = shlex.split(match.group(1), comments=True)
            except ValueError:
                words = match.group(1).split()
            for word in words:
                target = word.split("::", 1)[0].removeprefix("./")
                if not target.endswith(".py") or target.startswith("-"):
                    continue
                for candidate in (here + target, target):
                    if candidate in files and candidate not in found:
                        found.append(candidate)
                        break
    return found


def under_testpaths(rel: str, testpaths: tuple[str, ...]) -> bool:
    return any(rel == t.strip("/") or path_matches(rel, "/" + t.strip("/")) for t in testpaths)


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _parametrized(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The argument names ``@pytest.mark.parametrize("a, b", ...)`` decorators supply."""
    names: set[str] = set()
    for deco in func.decorator_list:
        if not (isinstance(deco, ast.Call) and _decorator_name(deco) == "parametrize"):
            continue
        first = deco.args[0] if deco.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.update(n.strip() for n in first.value.split(","))
        elif isinstance(first, ast.List | ast.Tuple):
            names.update(
                e.value
                for e in first.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
    return names


def _wants(func: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[str]:
    """The fixtures a test function asks for: its arguments without a default, minus the
    instance or class and what ``parametrize`` supplies."""
    args = [*func.args.posonlyargs, *func.args.args]
    if method and args:
        args = args[1:]
    required = args[: len(args) - len(func.args.defaults)] if func.args.defaults else args
    required += [
        a for a, d in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True) if d is None
    ]
    given = _parametrized(func)
    return [a.arg for a in required if a.arg not in given]


def test_facts(module: PyModule) -> dict[str, Any]:
    """What pytest would run in one module: per test (``test*`` functions, ``test*`` methods of
    ``Test*`` classes and ``unittest.TestCase`` subclasses) the fixtures it asks for (``t``),
    the fixtures the module defines (``f``, ``@pytest.fixture``/``@fixture``), and the names it
    imports (``i``; ``*`` for a star import): a fixture imported from a helper module
    (``from tests.fixtures import sample``) is one pytest finds."""
    tests: list[list[Any]] = []
    fixtures: list[str] = []
    imported: list[str] = []
    for node in module.tree.body:
        if isinstance(node, ast.ImportFrom):
            imported += [alias.asname or alias.name for alias in node.names]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if any(_decorator_name(d) == "fixture" for d in node.decorator_list):
                fixtures.append(node.name)
            elif node.name.startswith("test"):
                tests.append([node.name, _wants(node, method=False)])
        if isinstance(node, ast.ClassDef):
            is_case = any(
                (isinstance(b, ast.Name) and b.id.endswith("TestCase"))
                or (isinstance(b, ast.Attribute) and b.attr.endswith("TestCase"))
                for b in node.bases
            )
            if not (node.name.startswith("Test") or is_case):
                continue
            for m in node.body:
                if not isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if any(_decorator_name(d) == "fixture" for d in m.decorator_list):
                    fixtures.append(m.name)
                elif m.name.startswith("test"):
                    tests.append(
                        [f"{node.name}.{m.name}", [] if is_case else _wants(m, method=True)]
                    )
    return {"t": tests, "f": fixtures, "i": imported}


def holds_tests(module: PyModule) -> bool:
    """A module defines something pytest runs: ``test*`` functions, ``Test*`` classes with
    ``test*`` methods, or ``unittest.TestCase`` subclasses (whatever fixtures they ask for)."""
    return bool(test_facts(module)["t"])


#: :func:`test_facts` of each ``.py`` file (asked only of the files pytest collects by name
#: and of ``conftest.py`` files)
TEST_FACTS = FileFacts(test_facts, "3")


class _Lazy:
    """A yes/no answered once, and only if asked."""

    def __init__(self, ask: Callable[[], bool]) -> None:
        self.ask = ask
        self.answer: bool | None = None

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = self.ask()
        return self.answer


def _runnable(facts: Any, fixtures: frozenset[str], plugins: Callable[[], bool]) -> bool | None:
    """Whether a module holds a test pytest can run: one whose fixtures all exist (built in,
    defined in a ``conftest.py`` or a test module, imported into the module, or any name when
    the project declares a pytest plugin we do not know). ``None`` when the module could not
    be read."""
    if not isinstance(facts, dict):
        return None
    local = set(facts.get("i", ()))
    for _name, wants in facts.get("t", []):
        found = [w in fixtures or w in local or w in PYTEST_FIXTURES for w in wants]
        if all(found) or "*" in local or plugins():
            return True
    return False


def test_modules(
    repo: Repo, settings: PytestSettings, facts: Facts, family: str = "structure"
) -> tuple[list[str], list[str]]:
    """The files pytest collects by name, split into ``(with tests, without)``. A module that
    cannot be read or parsed still shows intent to test: benefit of the doubt."""
    with_tests: list[str] = []
    empty: list[str] = []
    named = collectable_test_files(repo, settings)
    candidates = [*named, *(f for f in explicit_test_files(repo) if f not in named)]
    conftests = [f for f in repo.files if f.rsplit("/", 1)[-1] == "conftest.py"]
    found = {rel: facts.get(rel, TEST_FACTS, family) for rel in [*candidates, *conftests]}
    fixtures = frozenset(
        name for value in found.values() if isinstance(value, dict) for name in value.get("f", [])
    )
    plugins = _Lazy(lambda: _declares_pytest_plugin(repo))
    for rel in candidates:
        holds = _runnable(found[rel], fixtures, plugins)
        (with_tests if holds is None or holds else empty).append(rel)
    return with_tests, empty


#: where a project declares what it installs (a pytest plugin among them)
_MANIFEST_RE = re.compile(
    r"(^|/)(requirements[^/]*\.(txt|in)|pyproject\.toml|setup\.cfg|Pipfile|tox\.ini"
    r"|environment[^/]*\.ya?ml)$"
)


#: pytest plugins whose fixtures :data:`PYTEST_FIXTURES` lists, or that provide none (they
#: report, order, time, distribute or lint): declaring one of them does not make a fixture
#: nobody defines exist
KNOWN_PLUGINS = frozenset(
    {
        "aiohttp",
        "asyncio",
        "benchmark",
        "black",
        "celery",
        "clarity",
        "cov",
        "datadir",
        "django",
        "dotenv",
        "env",
        "flake8",
        "freezegun",
        "freezer",
        "html",
        "httpserver",
        "httpx",
        "icdiff",
        "instafail",
        "isort",
        "mock",
        "mypy",
        "order",
        "ordering",
        "playwright",
        "pylint",
        "qt",
        "randomly",
        "repeat",
        "rerunfailures",
        "runner",
        "snapshot",
        "spark",
        "subtests",
        "sugar",
        "testmon",
        "timeout",
        "watch",
        "xdist",
        "xprocess",
    }
)

_PLUGIN_RE = re.compile(r"(?<![\w.-])pytest[-_]([a-z][a-z0-9]*)", re.IGNORECASE)


def _declares_pytest_plugin(repo: Repo) -> bool:
    """Whether a manifest names a pytest plugin whose fixtures we do not know (say
    ``pytest-postgresql``): any fixture a test asks for may then exist. Plugins in
    :data:`KNOWN_PLUGINS` (``pytest-mock``, ``pytest-cov``) do not count: what they provide is
    known. Text manifests only (a ``setup.py`` is code, read through facts elsewhere)."""
    return any(
        match.group(1).lower() not in KNOWN_PLUGINS
        for rel in repo.files
        if _MANIFEST_RE.search(rel)
        for match in _PLUGIN_RE.finditer(repo.text(rel) or "")
    )
