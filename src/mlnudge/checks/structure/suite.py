"""Whether pytest would collect a test suite: its settings, the files it collects by name, and
which of them define tests (per-file facts, so an unchanged test module is never parsed again)."""

from __future__ import annotations

import ast
import fnmatch
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlnudge.facts.access import Facts, FileFacts
from mlnudge.facts.repo import PyModule, Repo
from mlnudge.project import read_ini
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


def holds_tests(module: PyModule) -> bool:
    """A module defines something pytest runs: ``test*`` functions, ``Test*`` classes with
    ``test*`` methods, or ``unittest.TestCase`` subclasses."""
    for node in module.tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            return True
        if isinstance(node, ast.ClassDef):
            is_case = any(
                (isinstance(b, ast.Name) and b.id.endswith("TestCase"))
                or (isinstance(b, ast.Attribute) and b.attr.endswith("TestCase"))
                for b in node.bases
            )
            if (node.name.startswith("Test") or is_case) and any(
                isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) and m.name.startswith("test")
                for m in node.body
            ):
                return True
    return False


def test_facts(module: PyModule) -> bool:
    """Whether one module defines something pytest runs (:func:`holds_tests`)."""
    return holds_tests(module)


#: :func:`test_facts` of each ``.py`` file (asked only of the files pytest collects by name)
TEST_FACTS = FileFacts(test_facts, "1")


def test_modules(
    repo: Repo, settings: PytestSettings, facts: Facts, family: str = "structure"
) -> tuple[list[str], list[str]]:
    """The files pytest collects by name, split into ``(with tests, without)``. A module that
    cannot be read or parsed still shows intent to test: benefit of the doubt."""
    with_tests: list[str] = []
    empty: list[str] = []
    named = collectable_test_files(repo, settings)
    for rel in [*named, *(f for f in explicit_test_files(repo) if f not in named)]:
        holds = facts.get(rel, TEST_FACTS, family)
        (with_tests if holds is None or holds else empty).append(rel)
    return with_tests, empty
