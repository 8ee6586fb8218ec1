"""Whether a test runs a transformation: statically from the reach, or from coverage data.

:func:`measured` reads the per-line contexts of a coverage.py data file (or of a test run it
starts); :func:`decide` turns them, or the static reach when there are none, into a
:class:`Decision` per candidate.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mlnudge.checks.base import CheckContext
from mlnudge.checks.transforms.identify import Candidate
from mlnudge.checks.transforms.reach import Reach
from mlnudge.checks.transforms.reachfacts import ast_functions
from mlnudge.checks.transforms.static import FuncKey, Index, module_names


@dataclass(frozen=True)
class Decision:
    """Whether one transformation is run by a test, and how that was decided."""

    candidate: Candidate
    tested: bool
    decided_by: str
    #: coverage only: share of the body's statements run by a test, and the missing lines
    share: float | None = None
    missing: tuple[int, ...] = ()
    statements: int = 0
    tests: int = 0
    mock_tests: int = 0


@dataclass
class Dynamic:
    lines: dict[str, dict[int, list[str]]]
    stale: set[str]
    #: context -> the test function (path, qualname) it belongs to, when known
    tests: dict[str, FuncKey | None]


def measure(ctx: CheckContext, found: Sequence[Candidate]) -> Dynamic | None:
    """Per-line contexts for the candidates' files, from a data file or a test run."""
    opts = ctx.options
    root = ctx.repo.root
    data_file = root / opts.str("coverage-file")
    run = opts.bool("run-tests")
    if not found or (not run and not data_file.is_file()):
        return None
    from mlnudge.checks.transforms import coverage as cov

    files = sorted({c.path for c in found})
    try:
        if run:
            with cov.temporary_workdir() as workdir:
                result = cov.run_tests(
                    root,
                    Path(workdir),
                    opts.int("test-timeout"),
                    project_interpreter=opts.bool("project-interpreter"),
                )
                ctx.notes.append(
                    f"transforms: ran the tests under coverage.py to decide which "
                    f"transformations are tested: `{result.command}` ({result.summary}; "
                    f"{result.seconds:.1f}s)"
                )
                if result.data_file is None:
                    raise cov.CoverageUnavailable(
                        "the test run left no coverage data; static analysis decided instead"
                    )
                measured = cov.load(result.data_file, root, files)
        else:
            measured = cov.load(data_file, root, files)
    except cov.CoverageUnavailable as exc:
        ctx.notes.append(f"transforms: {exc}")
        return None
    except (OSError, ValueError) as exc:
        ctx.notes.append(f"transforms: cannot use coverage data: {exc}; static analysis decided")
        return None
    if measured.stale:
        ctx.notes.append(
            "transforms: changed since the coverage data was recorded, decided statically: "
            + ", ".join(sorted(measured.stale))
        )
    contexts = {c for per_line in measured.lines.values() for cs in per_line.values() for c in cs}
    return Dynamic(measured.lines, measured.stale, dict.fromkeys(contexts))


def _test_key(index: Index, reach: Reach, context: str) -> FuncKey | None:
    from mlnudge.checks.transforms.coverage import test_of_context

    found = test_of_context(context)
    if found is None:
        return None
    path, qual = found
    if path:
        return (path, qual)
    for key in reach.reaches:  # test_function contexts: module.qualname
        for name in module_names(key[0], index.files):
            if qual == f"{name}.{key[1]}":
                return key
    return None


def decide(  # noqa: PLR0917
    ctx: CheckContext,
    index: Index,
    reach: Reach,
    dynamic: Dynamic | None,
    c: Candidate,
    doctests: bool = False,
) -> Decision:
    real = reach.tested_by.get(c.key, set())
    mocked = reach.mocked_by.get(c.key, set())
    if c.doctest and doctests:
        return Decision(c, True, "doctest", tests=1)
    if dynamic is None or c.path in dynamic.stale:
        return Decision(c, bool(real), "static", tests=len(real), mock_tests=len(mocked))
    # coverage mode reads the function's statements from its syntax tree
    parsed = ctx.repo.python(c.path) if index.function(c.key) is not None else None
    node = ast_functions(parsed.tree.body).get(c.qualname) if parsed is not None else None
    if parsed is None or node is None:  # a helper nested in a function: no test can call it
        return Decision(c, bool(real), "static", tests=len(real), mock_tests=len(mocked))
    body_lines = _body_statements(parsed.source, node)
    per_line = dynamic.lines.get(c.path, {})
    ran: set[int] = set()
    tests: set[str] = set()
    discounted: set[str] = set()
    for line in body_lines:
        for context in per_line.get(line, []):
            if not context:
                continue
            if context not in dynamic.tests or dynamic.tests[context] is None:
                dynamic.tests[context] = _test_key(index, reach, context)
            test = dynamic.tests[context]
            if test is not None and test in mocked and test not in real:
                discounted.add(context)
                continue
            ran.add(line)
            tests.add(context.split("|")[0])
    share = len(ran) / len(body_lines) if body_lines else 1.0
    missing = tuple(sorted(set(body_lines) - ran))
    return Decision(
        c,
        bool(ran),
        "coverage",
        share=round(share, 3) if ran else 0.0,
        missing=missing,
        statements=len(body_lines),
        tests=len(tests),
        mock_tests=len({d.split("|")[0] for d in discounted}),
    )


def _body_statements(source: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[int]:
    from mlnudge.checks.transforms.coverage import statements

    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
        and len(body) > 1
    ):
        body = body[1:]
    first, last = body[0].lineno, node.end_lineno or body[-1].lineno
    executable = statements(source)
    if executable is None:
        executable = {n.lineno for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.stmt)}
    return sorted(line for line in executable if first <= line <= last)
