"""The transforms family's findings: the message, fix and details of each rule's finding."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mlnudge.checks.base import CheckContext
from mlnudge.checks.transforms.decide import Decision
from mlnudge.checks.transforms.identify import Candidate
from mlnudge.checks.transforms.roleof import without_paths
from mlnudge.checks.transforms.rules import PARTIAL, SCRIPT, UNTESTED
from mlnudge.checks.transforms.skeleton import skeleton
from mlnudge.finding import Detail, Finding, Severity

#: why an untested transformation is only information
NO_ROLE = (
    "nothing shows it is part of the data pipeline (where the project calls it, its result "
    "reaches no model, data set, written file or response; it is no Kedro node, transformer "
    "or data-set step; neither its module nor its name says it prepares data)"
)


def _anchor(c: Candidate) -> str:
    return f"def:{c.module}.{c.qualname}"


def _details(d: Decision) -> dict[str, Detail]:
    out: dict[str, Detail] = {
        "decided_by": d.decided_by,
        "function": f"{d.candidate.module}.{d.candidate.qualname}",
        "signals": ",".join(d.candidate.signals),
        "evidence": d.candidate.why,
        "tests": d.tests,
    }
    if d.mock_tests:
        out["mock_only_tests"] = d.mock_tests
    if d.share is not None:
        out["covered_share"] = d.share
        out["statements"] = d.statements
    return out


def untested_finding(ctx: CheckContext, d: Decision) -> Finding:
    c = d.candidate
    if d.decided_by == "coverage":
        untested = "coverage data shows no test ran a line of its body"
        if d.mock_tests:
            untested = "coverage data shows only tests that pass `Mock` objects ran its body"
    elif d.mock_tests:
        untested = "the only tests that call it pass `Mock` objects, which accept any operation"
    else:
        untested = "no test that pytest collects calls it, directly or through other functions"
    example = example_or_nothing(ctx, c)
    if c.kind == "builder":
        return UNTESTED.finding(
            c.path,
            f"`{c.qualname}()` {c.why}; {untested}.",
            line=c.line,
            anchor=_anchor(c),
            severity=Severity.INFO,
            fix=(
                "Context only: test the transformation it builds by fitting it on a few rows "
                "and checking the output columns. " + example
            ).rstrip(),
            details=_details(d),
        )
    details = _details(d)
    message = f"`{c.qualname}()` transforms data: {c.why}. {untested[0].upper()}{untested[1:]}."
    severity = None
    if c.role is not None and c.role.text:
        details["pipeline_role"] = c.role.text
        message += f" It is part of the data pipeline: {without_paths(c.role.text)}."
    elif c.role is not None:
        severity = Severity.INFO
        message += f" Information only: {c.role.info or NO_ROLE}."
    return UNTESTED.finding(
        c.path,
        message,
        line=c.line,
        anchor=_anchor(c),
        severity=severity,
        fix=(
            f"Move `{c.qualname.rsplit('.', 1)[-1]}()` out of `{c.qualname.rsplit('.', 1)[0]}()` "
            f"to module level, so a test can import it, and add a small test. {example}"
            if c.nested
            else f"Add a small test that calls `{c.qualname}()`. {example}"
        ).rstrip(),
        details=details,
    )


def partial_finding(d: Decision) -> Finding:
    c = d.candidate
    ran = d.statements - len(d.missing)
    return PARTIAL.finding(
        c.path,
        f"`{c.qualname}()` is only partly run by tests: {ran} of {d.statements} lines "
        f"({d.share or 0:.0%}).",
        line=c.line,
        anchor=_anchor(c),
        fix=(
            "Add a test case whose input reaches the lines no test runs: "
            f"{_ranges(d.missing)} (decided by coverage data)."
        ),
        details=_details(d),
    )


def script_finding(ctx: CheckContext, path: str, line: int) -> Finding:
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    func = re.sub(r"\W", "_", stem)
    if not func.isidentifier() or func[0].isdigit():
        func = "transform_data"
    return SCRIPT.finding(
        path,
        f"`{path}` transforms data in top-level code, so no test can run it.",
        line=line or 1,
        anchor="module-level-script",  # the path is part of the identity already
        fix=(
            f"Wrap the transformation in a function, e.g. `def {func}(df: pd.DataFrame) -> "
            f'pd.DataFrame:`, keep the reading and writing under `if __name__ == "__main__":`, '
            f"and add a test that calls `{func}()` on a small DataFrame."
        ),
        details={"decided_by": "static"},
    )


def _ranges(lines: Sequence[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for line in lines:
        if prev is not None and line == prev + 1:
            prev = line
            continue
        if start is not None:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = line
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return "lines " + ", ".join(parts) if parts else "none"


def example_or_nothing(ctx: CheckContext, c: Candidate) -> str:
    """The example test, or nothing (with an ``internal`` error) when writing it fails."""
    return ctx.isolated(c.path, "MLN301 example test", lambda: skeleton(ctx, c), "")
