"""A bug in one rule never loses the report: failures injected into each family, into one
file's analysis and into the example-test generator end as ``internal`` errors, and every other
finding is still reported."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from mlnudge_testing import ROOT, SCHEMA

from mlnudge import cli, runner
from mlnudge.checks import FAMILIES, params, transforms
from mlnudge.checks.base import CheckContext
from mlnudge.config import load_config
from mlnudge.finding import Finding

EXAMPLE = ROOT / "examples" / "churn"


def _run(root: Path = EXAMPLE) -> runner.Report:
    return runner.run(root, load_config(root), use_cache=False)


def _explode(ctx: CheckContext) -> list[Finding]:
    raise RuntimeError(f"injected failure while reading {ctx.repo.files[0]}")


@pytest.mark.parametrize("family", [spec.name for spec in FAMILIES])
def test_a_failing_family_becomes_an_internal_error_and_the_rest_is_reported(
    family: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _run()
    broken = tuple(replace(s, check=_explode) if s.name == family else s for s in FAMILIES)
    monkeypatch.setattr(runner, "FAMILIES", broken)
    report = _run()
    internal = [e for e in report.errors if e.kind == "internal"]
    assert [e.rule for e in internal] == [family]
    assert "RuntimeError: injected failure" in internal[0].message
    assert "report it at" in internal[0].message
    assert internal[0].path != "."  # the file named in the exception
    others = {f.fingerprint for f in clean.findings if f.family != family}
    assert others and others == {f.fingerprint for f in report.findings}
    # the CLI still prints the whole report and the exit code follows the mode (advisory: 0)
    assert cli.main(["check", str(EXAMPLE), "--format", "json", "--no-cache"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [e["rule"] for e in data["errors"] if e["kind"] == "internal"] == [family]


def test_a_failure_on_one_file_loses_that_file_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code = "from sklearn.svm import SVC\n\ndef train(x, y):\n    return SVC(C=10.0).fit(x, y)\n"
    (tmp_path / "a_train.py").write_text(code, encoding="utf-8")
    (tmp_path / "b_train.py").write_text(code, encoding="utf-8")
    real = params.analyse

    def flaky(module, *args, **kwargs):  # type: ignore[no-untyped-def]
        if module.path == "a_train.py":
            raise IndexError("list index out of range")
        return real(module, *args, **kwargs)

    monkeypatch.setattr(params, "analyse", flaky)
    report = _run(tmp_path)
    assert [(e.path, e.kind, e.rule) for e in report.errors] == [
        ("a_train.py", "internal", "params")
    ]
    assert {f.path for f in report.findings if f.family == "params"} == {"b_train.py"}


def test_a_failing_example_generator_keeps_the_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> str:
        raise IndexError("list index out of range")

    monkeypatch.setattr(transforms.emit, "skeleton", broken)  # where the findings are written
    report = _run()
    untested = [f for f in report.findings if f.rule == "MLN301"]
    assert untested, "the example repository has untested transformations"
    errors = [e for e in report.errors if e.kind == "internal"]
    assert errors and {e.rule for e in errors} == {"MLN301 example test"}
    assert len(errors) == len(untested)
