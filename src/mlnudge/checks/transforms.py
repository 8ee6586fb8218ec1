"""Family 3 (MLN3xx): every data transformation is run by at least one test.

Static method: a transformation counts as tested when a test module calls it, directly or
through production functions it calls (bounded depth). The report says which method decided.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlnudge.checks.base import CheckContext, FamilySpec
from mlnudge.config import Option
from mlnudge.finding import Finding, Severity
from mlnudge.project import is_test_path
from mlnudge.rules import Rule

UNTESTED = Rule(
    code="MLN301",
    name="untested-transformation",
    family="transforms",
    severity=Severity.WARNING,
    scope="repo",
    options=("names", "exclude"),
    summary="A data transformation function is not run by any test.",
    why=(
        "Cleaning and feature code changes the data a model learns from; when it breaks it does "
        "so silently, and a small test with a three-row DataFrame catches it before training does."
    ),
    fix="Add a test that calls the function on a tiny example input and checks the output.",
    example="def add_ratio(df):\n    return df.assign(ratio=df.a / df.b)",
    use_instead=(
        "def test_add_ratio():\n"
        "    df = pd.DataFrame({'a': [2], 'b': [4]})\n"
        "    assert add_ratio(df)['ratio'].tolist() == [0.5]"
    ),
)

RULES = (UNTESTED,)

DEFAULT_NAMES = (
    r"clean",
    r"preprocess",
    r"transform",
    r"encode",
    r"normali[sz]e",
    r"scale",
    r"impute",
    r"featur",
    r"augment",
    r"postprocess",
    r"engineer",
    r"^add_",
    r"^build_features",
)

OPTIONS = (
    Option(
        "names",
        "list",
        [],
        "Extra regular expressions for function names that are transformations.",
    ),
    Option("exclude", "list", [], "Globs of modules whose functions are never transformations."),
    Option("max-depth", "int", 3, "How many calls deep a test may reach a transformation."),
    Option(
        "run-tests",
        "bool",
        False,
        "Run the project's tests under coverage.py (`--run-tests`) to decide precisely.",
    ),
)


@dataclass(frozen=True)
class Function:
    path: str
    name: str
    line: int
    calls: frozenset[str]


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.enabled("MLN301"):
        return
    pattern = re.compile("|".join((*DEFAULT_NAMES, *ctx.options.list("names"))), re.IGNORECASE)
    from mlnudge.config import path_matches

    excluded = ctx.options.list("exclude")
    functions: dict[str, list[Function]] = {}
    all_functions: list[Function] = []
    for path in ctx.repo.with_suffix(".py"):
        if is_test_path(path) or any(path_matches(path, g) for g in excluded):
            continue
        module = ctx.repo.python(path)
        if module is None:
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                fn = Function(path, node.name, node.lineno, frozenset(_called_names(node)))
                functions.setdefault(fn.name, []).append(fn)
                all_functions.append(fn)
    called_by_tests: set[str] = set()
    for path in ctx.project.test_files:
        module = ctx.repo.python(path)
        if module is not None:
            called_by_tests |= _called_names(module.tree)
    reached = _reach(called_by_tests, functions, ctx.options.int("max-depth"))
    targets = set(ctx.targets) if ctx.targets is not None else None
    for fn in all_functions:
        if targets is not None and fn.path not in targets:
            continue
        if fn.name.startswith("test_") or not pattern.search(fn.name) or fn.name in reached:
            continue
        yield UNTESTED.finding(
            fn.path,
            f"`{fn.name}()` transforms data but no test runs it.",
            line=fn.line,
            anchor=f"def:{fn.name}",
            fix=_skeleton(fn),
            details={"decided_by": "static"},
        )


def _called_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
    return names


def _reach(start: set[str], functions: dict[str, list[Function]], depth: int) -> set[str]:
    reached = set(start)
    frontier = set(start)
    for _ in range(depth):
        nxt = set()
        for name in frontier:
            for fn in functions.get(name, []):
                nxt |= fn.calls - reached
        reached |= nxt
        frontier = nxt
    return reached


def _skeleton(fn: Function) -> str:
    module = fn.path.removesuffix(".py").replace("/", ".")
    for prefix in ("src.",):
        module = module.removeprefix(prefix)
    return (
        f"Add a test that runs `{fn.name}()` on a tiny input, for example:\n\n"
        f"```python\nimport pytest\n\nfrom {module} import {fn.name}\n\n\n"
        f"def test_{fn.name}():\n"
        f'    pytest.fail("TODO: build a small input, call {fn.name}() and assert on the result")\n```'
    )


SPEC = FamilySpec(name="transforms", rules=RULES, options=OPTIONS, check=check)
